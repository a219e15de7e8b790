//! The SQL of `records`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const PARTY_SELECT_ACCOUNTS: &str =
    "SELECT m.status, m.level, m.blacklisted_at IS NOT NULL,
                m.frozen = 1 OR coalesce(m.redeem_frozen_until, 0) > ?2,
                coalesce((SELECT balance FROM accounts a WHERE a.member_id = m.id), 0), m.community
         FROM members m WHERE m.id = ?1";

pub(super) const RECORD_FACTS_SELECT_SERVICE_TYPES: &str =
    "SELECT tier, name_zh, name_en FROM service_types WHERE id = ?1 AND active = 1";

pub(super) const RECORD_FACTS_SELECT_SERVICE_RECORDS: &str = "SELECT count(*) FROM service_records WHERE provider_id = ?1 AND started_at < ?3 AND ended_at > ?2";

pub(super) const POST_RECORD_SELECT_SERVICE_RECORDS: &str =
    "SELECT id, content_hash, points FROM service_records WHERE uid = ?1";

pub(super) const POST_RECORD_SELECT_TRANSFERS: &str =
    "SELECT seq FROM transfers WHERE record_id = ?1 AND kind = 'service'";

pub(super) const POST_RECORD_INSERT_SERVICE_RECORDS: &str = "INSERT INTO service_records (uid, content_hash, request_id, provider_id, recipient_id, type_id, started_at, ended_at,
                    minutes, payer, points, confirm_method, book_page, photo_ref, rating, notes, late_reason, entered_at, entered_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

pub(super) const POST_RECORD_UPDATE_MEMBERS: &str = "UPDATE members SET stat_ratings = stat_ratings + (?1 IS NOT NULL), stat_positive = stat_positive + coalesce(?1 >= 4, 0),
                    stat_minutes = stat_minutes + ?2 WHERE id = ?3";

pub(super) const SPOT_CHECK_SELECT_SPOT_CHECKS: &str =
    "SELECT count(*) FROM spot_checks WHERE week = ?1";

pub(super) const SPOT_CHECK_SELECT_SERVICE_RECORDS: &str = "SELECT id FROM service_records WHERE confirm_method = 'online' AND ended_at >= ?1 AND ended_at < ?2 ORDER BY id";

pub(super) const SPOT_CHECK_INSERT_SPOT_CHECKS: &str =
    "INSERT INTO spot_checks (record_id, week) VALUES (?1, ?2)";

pub(super) const SPOT_CHECK_SELECT_SPOT_CHECKS_2: &str = "SELECT s.record_id, s.result, s.note, r.provider_id, p.name, q.name, r.ended_at, r.minutes, r.photo_ref
                 FROM spot_checks s JOIN service_records r ON r.id = s.record_id
                 JOIN members p ON p.id = r.provider_id JOIN members q ON q.id = r.recipient_id
                 WHERE s.week = ?1 ORDER BY r.ended_at";

pub(super) const SPOT_CHECK_RESULT_SELECT_SPOT_CHECKS: &str = "SELECT s.result, r.provider_id FROM spot_checks s JOIN service_records r ON r.id = s.record_id WHERE s.record_id = ?1";

pub(super) const SPOT_CHECK_RESULT_UPDATE_SPOT_CHECKS: &str = "UPDATE spot_checks SET result = ?1, note = ?2, checked_at = ?3, checked_by = ?4 WHERE record_id = ?5";
