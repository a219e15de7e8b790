//! The SQL of `covers`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const NEWEST_SELECT_AUDIT_COVERS: &str = "SELECT seq, hash FROM audit_covers WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq DESC LIMIT 1";

pub(super) const DIGEST_AT_SELECT_AUDIT_COVERS: &str =
    "SELECT entity, entity_id, hash FROM audit_covers WHERE seq = ?1 ORDER BY entity, entity_id";

pub(super) const DRAIN_INSERT_AUDIT_COVERS: &str =
    "INSERT INTO audit_covers (entity, entity_id, seq, hash) VALUES (?1, ?2, ?3, ?4)";

pub(super) const BASELINE_INSERT_AUDIT_LOG: &str = "INSERT INTO audit_log (seq, uid, at, staff_id, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, NULL, ?4, ?5, NULL, ?6, ?7, ?8)";
