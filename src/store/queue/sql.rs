//! The SQL of `queue`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const MOVE_STATE_INSERT_REQUEST_EVENTS: &str = "INSERT INTO request_events (request_id, at, staff_id, from_state, to_state, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

pub(super) const LABEL_SELECT_MEMBERS: &str =
    "SELECT coalesce(number, ''), name, building FROM members WHERE id = ?1";

pub(super) const RECENT_SELECT_SERVICE_RECORDS: &str =
    "SELECT provider_id FROM service_records INDEXED BY records_ended WHERE ended_at >= ?1";

pub(super) const RECENT_SELECT_CONTACTS: &str = "SELECT helper_id FROM contacts WHERE request_id = ?1 AND outcome = 'declined'
         UNION SELECT helper_id FROM contacts INDEXED BY contacts_at WHERE at >= ?2 AND outcome = 'declined'";

pub(super) const RECENT_SELECT_REQUESTS: &str = "SELECT helper_id FROM requests WHERE helper_id IS NOT NULL AND state IN ('matched', 'in_service') AND id != ?1
           AND window_start < ?3 AND window_end > ?2
         UNION SELECT provider_id FROM service_records INDEXED BY records_ended WHERE ended_at > ?2 AND started_at < ?3";

pub(super) const CREATE_REQUEST_SELECT_MEMBERS: &str =
    "SELECT status = 'approved', blacklisted_at IS NOT NULL, level FROM members WHERE id = ?1";

pub(super) const CREATE_REQUEST_INSERT_REQUESTS: &str = "INSERT INTO requests (uid, requester_id, type_id, description, place, window_start, window_end, minutes, urgent,
                    channel, payer, state, created_at, created_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'new', ?12, ?13, ?12)";

pub(super) const CREATE_REQUEST_INSERT_REQUEST_EVENTS: &str =
    "INSERT INTO request_events (request_id, at, staff_id, to_state) VALUES (?1, ?2, ?3, 'new')";

pub(super) const OVERDUE_REQUESTS_SELECT_REQUESTS: &str = "SELECT created_at, urgent, state, CASE WHEN merchant_id IS NOT NULL THEN window_end END FROM requests
             WHERE state IN ('new', 'responded') OR (merchant_id IS NOT NULL AND state IN ('matched', 'in_service'))";

pub(super) const LOG_CONTACT_INSERT_CONTACTS: &str = "INSERT INTO contacts (request_id, helper_id, at, staff_id, outcome, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

pub(super) const LOG_CONTACT_UPDATE_REQUESTS: &str =
    "UPDATE requests SET helper_id = ?1 WHERE id = ?2";

pub(super) const CONTACTS_SELECT_CONTACTS: &str = "SELECT c.helper_id, m.name, c.at, coalesce(s.staff_no, ''), c.outcome, c.note
             FROM contacts c JOIN members m ON m.id = c.helper_id LEFT JOIN staff s ON s.id = c.staff_id
             WHERE c.request_id = ?1 ORDER BY c.at DESC, c.id DESC";
