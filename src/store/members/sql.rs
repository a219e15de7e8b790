//! The SQL of `members`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const RECOMMENDER_FACTS_SELECT_VIOLATIONS: &str =
    "SELECT at, active_until FROM violations WHERE member_id = ?1";

pub(super) const RECOMMENDER_FACTS_SELECT_MEMBERS: &str =
    "SELECT status, decided_at, blacklisted_at IS NOT NULL FROM members m WHERE id = ?1";

pub(super) const REGISTER_MEMBER_SELECT_MEMBERS: &str = "SELECT id_hash FROM members WHERE id = ?1";

pub(super) const REGISTER_MEMBER_INSERT_MEMBERS: &str = "INSERT INTO members (uid, name, phone, id_kind, id_hash, id_masked, residence_proof, street, community,
                    building, emergency_name, emergency_phone, filled_by_family, applicant_confirmed, recommender_id,
                    recommender_signed, master_note, channel, status, submitted_at, submitted_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 'pending', ?19, ?20, ?19)";

pub(super) const REGISTER_MEMBER_INSERT_MEMBER_SERVICES: &str =
    "INSERT OR IGNORE INTO member_services (member_id, type_id, role) VALUES (?1, ?2, ?3)";

pub(super) const APPROVE_MEMBER_SELECT_MEMBERS: &str = "SELECT street FROM members WHERE id = ?1";

pub(super) const APPROVE_MEMBER_INSERT_MEMBER_SEQ: &str =
    "INSERT INTO member_seq (street, community, last) VALUES (?1, ?2, 1)
                 ON CONFLICT(street, community) DO UPDATE SET last = last + 1 RETURNING last";

pub(super) const APPROVE_MEMBER_UPDATE_MEMBERS: &str = "UPDATE members SET status = 'approved', number = ?1, decided_at = ?2, decided_by = ?3,
                    master_note = coalesce(nullif(?4, ''), master_note), level = 'ordinary', level_since = ?2, updated_at = ?2
                 WHERE id = ?5";

pub(super) const REJECT_APPLICATION_UPDATE_MEMBERS: &str = "UPDATE members SET status = 'rejected', decided_at = ?1, decided_by = ?2, reject_reason = ?3, updated_at = ?1
                 WHERE id = ?4";

pub(super) const RECORD_NOTIFICATION_UPDATE_MEMBERS: &str = "UPDATE members SET notified_at = ?1, notified_by = ?2, notify_note = ?3, updated_at = ?1 WHERE id = ?4";

pub(super) const ISSUE_CARD_SELECT_CARDS: &str = "SELECT member_id FROM cards WHERE serial = ?1";

pub(super) const ISSUE_CARD_SELECT_CARDS_2: &str =
    "SELECT serial FROM cards WHERE member_id = ?1 AND voided_at IS NULL";

pub(super) const ISSUE_CARD_UPDATE_CARDS: &str =
    "UPDATE cards SET voided_at = ?1, void_reason = ?2 WHERE serial = ?3";

pub(super) const ISSUE_CARD_INSERT_CARDS: &str =
    "INSERT INTO cards (member_id, serial, issued_at, issued_by) VALUES (?1, ?2, ?3, ?4)";

pub(super) const CARDS_SELECT_CARDS: &str = "SELECT serial, issued_at, voided_at, void_reason FROM cards WHERE member_id = ?1 ORDER BY issued_at DESC, id DESC";

pub(super) const RESOLVE_PAYLOAD_SELECT_MEMBERS: &str = "SELECT id FROM members WHERE number = ?1";

pub(super) const RESOLVE_PAYLOAD_SELECT_CARDS: &str =
    "SELECT member_id, voided_at FROM cards WHERE serial = ?1";

pub(super) const MEMBER_BY_NUMBER_SELECT_MEMBERS: &str = "SELECT id FROM members WHERE number = ?1";

pub(super) const OVERDUE_APPLICATIONS_SELECT_MEMBERS: &str =
    "SELECT count(*) FROM members WHERE status = 'pending' AND submitted_at <= ?1";

// `members_search` holds every column read here: the scan reads it, not the
// whole rows, in its own order: by name (which the index builder uses).
pub(super) const SEARCH_ENTRIES_SELECT_MEMBERS: &str = "SELECT id, coalesce(number, ''), name, substr(phone, -4), building, status, level FROM members INDEXED BY members_search ORDER BY name";

pub(super) const MEMBER_SERVICES_SELECT_MEMBER_SERVICES: &str =
    "SELECT type_id, role FROM member_services WHERE member_id = ?1 ORDER BY type_id";

pub(super) const REGISTER_HEIR_UPDATE_MEMBERS: &str = "UPDATE members SET heir_name = ?1, heir_relation = ?2, heir_phone = ?3, heir_registered_at = ?4, updated_at = ?4 WHERE id = ?5";

pub(super) const MEMBER_DETAIL_SELECT_MEMBERS: &str = "SELECT m.id_masked, m.id_kind, m.emergency_name, m.emergency_phone, m.filled_by_family, m.applicant_confirmed,
                        (SELECT coalesce(r.number, '') || ' ' || r.name FROM members r WHERE r.id = m.recommender_id),
                        m.master_note, m.frozen, m.frozen_reason, m.redeem_frozen_until, m.upgrade_blocked_until,
                        m.blacklist_reason, m.heir_name, m.heir_relation, m.heir_phone
                 FROM members m WHERE m.id = ?1";

pub(super) const MEMBER_DETAIL_SELECT_THANK_YOU_LETTERS: &str =
    "SELECT at, text FROM thank_you_letters WHERE member_id = ?1 ORDER BY at DESC LIMIT 5";
