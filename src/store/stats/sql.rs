//! The SQL of `stats`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const PERIOD_SELECT_SERVICE_RECORDS: &str = "SELECT count(*), coalesce(sum(minutes), 0), coalesce(sum(points), 0) FROM service_records WHERE started_at >= ?1 AND started_at < ?2";

pub(super) const PERIOD_SELECT_REQUESTS: &str = "SELECT created_at, responded_at, matched_at, urgent FROM requests WHERE created_at >= ?1 AND created_at < ?2";

pub(super) const STATS_SELECT_SERVICE_RECORDS: &str =
    "SELECT started_at, minutes FROM service_records WHERE started_at >= ?1 AND started_at < ?2";

pub(super) const STATS_SELECT_REQUESTS: &str =
    "SELECT created_at FROM requests WHERE created_at >= ?1 AND created_at < ?2";

pub(super) const DRAW_CALLBACKS_SELECT_CALLBACKS: &str =
    "SELECT count(*) FROM callbacks WHERE month = ?1";

pub(super) const DRAW_CALLBACKS_SELECT_SERVICE_RECORDS: &str = "SELECT DISTINCT recipient_id FROM service_records WHERE started_at >= ?1 AND started_at < ?2 ORDER BY recipient_id";

pub(super) const DRAW_CALLBACKS_INSERT_CALLBACKS: &str =
    "INSERT INTO callbacks (month, member_id, drawn_at) VALUES (?1, ?2, ?3)";

pub(super) const CALLBACKS_SELECT_CALLBACKS: &str = "SELECT c.member_id, coalesce(m.number, ''), m.name, m.phone, c.called_at, c.satisfied, c.note
             FROM callbacks c JOIN members m ON m.id = c.member_id WHERE c.month = ?1 ORDER BY m.number";

pub(super) const ANSWER_CALLBACK_UPDATE_CALLBACKS: &str = "UPDATE callbacks SET called_at = ?1, called_by = ?2, satisfied = ?3, note = ?4 WHERE month = ?5 AND member_id = ?6";
