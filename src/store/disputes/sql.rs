//! The SQL of `disputes`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const TAKE_SELECT_ACCOUNTS: &str =
    "SELECT coalesce((SELECT balance FROM accounts WHERE member_id = ?1), 0)";

pub(super) const TAKE_INSERT_OWED: &str =
    "INSERT INTO owed (member_id, amount, reason, source, at) VALUES (?1, ?2, ?3, ?4, ?5)";

pub(super) const OPEN_DISPUTE_SELECT_SERVICE_RECORDS: &str =
    "SELECT provider_id, recipient_id FROM service_records WHERE id = ?1";

pub(super) const OPEN_DISPUTE_INSERT_DISPUTES: &str = "INSERT INTO disputes (uid, kind, channel, category, party_a, party_b, record_id, subject, reported_by, opened_at, opened_by, updated_at, merchant_ref)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?12)";

pub(super) const DISPUTE_CONTACT_INSERT_DISPUTE_CONTACTS: &str = "INSERT INTO dispute_contacts (dispute_id, party, member_id, at, staff_id, how, said) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

pub(super) const DISPUTE_CONTACT_UPDATE_DISPUTES: &str =
    "UPDATE disputes SET updated_at = ?1 WHERE id = ?2";

pub(super) const DISPUTE_SAFETY_UPDATE_DISPUTES: &str =
    "UPDATE disputes SET reviewed_at = ?1, review = ?2, updated_at = ?1 WHERE id = ?3";

pub(super) const DISPUTE_SAFETY_UPDATE_DISPUTES_2: &str =
    "UPDATE disputes SET hq_reported_at = ?1, hq_reported_to = ?2, updated_at = ?1 WHERE id = ?3";

pub(super) const DECIDE_DISPUTE_SELECT_SERVICE_RECORDS: &str = "SELECT r.provider_id, r.recipient_id, r.minutes, t.id, t.amount
                     FROM service_records r JOIN transfers t ON t.record_id = r.id AND t.kind = 'service' WHERE r.id = ?1";

pub(super) const DECIDE_DISPUTE_UPDATE_DISPUTES: &str = "UPDATE disputes SET decided_at = ?1, decided_by = ?2, outcome = ?3, decision = ?4, updated_at = ?1 WHERE id = ?5";

pub(super) const TELL_PARTIES_UPDATE_DISPUTES: &str =
    "UPDATE disputes SET told_at = ?1, told_how = ?2, told_by = ?3, updated_at = ?1 WHERE id = ?4";

pub(super) const REPLY_SUGGESTION_UPDATE_DISPUTES: &str =
    "UPDATE disputes SET reply = ?1, replied_at = ?2, updated_at = ?2 WHERE id = ?3";

pub(super) const DISPUTE_CONTACTS_SELECT_DISPUTE_CONTACTS: &str = "SELECT c.party, c.at, coalesce(s.staff_no, ''), c.how, c.said FROM dispute_contacts c LEFT JOIN staff s ON s.id = c.staff_id
             WHERE c.dispute_id = ?1 ORDER BY c.at, c.id";
