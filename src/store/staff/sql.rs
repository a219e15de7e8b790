//! The SQL of `staff`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const INSERT_STAFF_INSERT_STAFF: &str = "INSERT INTO staff (uid, staff_no, name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

pub(super) const LIST_STAFF_SELECT_STAFF: &str =
    "SELECT id, staff_no, name, role, active, locked_until FROM staff ORDER BY staff_no";

pub(super) const RESET_PIN_UPDATE_STAFF: &str =
    "UPDATE staff SET pin_hash = ?1, failed_pins = 0, locked_until = NULL WHERE id = ?2";

pub(super) const SET_STAFF_ACTIVE_SELECT_STAFF: &str =
    "SELECT count(*) FROM staff WHERE role = 'master' AND active = 1 AND id != ?1";

pub(super) const STAFF_FOR_PIN_SELECT_STAFF: &str = "SELECT id, staff_no, name, role, pin_hash, active, failed_pins, locked_until FROM staff WHERE staff_no = ?1";
