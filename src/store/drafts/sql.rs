//! The SQL of `drafts`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const SAVE_DRAFT_INSERT_DRAFTS: &str = "INSERT INTO drafts (staff_id, form, data, saved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(staff_id, form) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at";

pub(super) const DRAFTS_SELECT_DRAFTS: &str =
    "SELECT form, data, saved_at FROM drafts WHERE staff_id = ?1 ORDER BY saved_at DESC";

pub(super) const RUN_MAINTENANCE_SELECT_MAINTENANCE_DUE: &str =
    "SELECT EXISTS (SELECT 1 FROM maintenance_due WHERE task = 'vacuum_if_ids_were_typed')";

pub(super) const RUN_MAINTENANCE_SELECT_DRAFTS: &str = "SELECT EXISTS (SELECT 1 FROM drafts)
             OR EXISTS (SELECT 1 FROM audit_log WHERE entity = 'member' AND action = 'member.register')";
