//! The SQL of `catalog`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const SERVICE_TYPES_SELECT_SERVICE_TYPES: &str =
    "SELECT id, code, name_zh, name_en, tier, active FROM service_types ORDER BY id";

pub(super) const ADD_SERVICE_TYPE_SELECT_SERVICE_TYPES: &str =
    "SELECT count(*) FROM service_types WHERE name_zh = ?1 OR lower(name_en) = lower(?2)";

pub(super) const ADD_SERVICE_TYPE_SELECT_SERVICE_TYPES_2: &str =
    "SELECT coalesce(max(id), 0) + 1 FROM service_types";

pub(super) const ADD_SERVICE_TYPE_INSERT_SERVICE_TYPES: &str = "INSERT INTO service_types (code, name_zh, name_en, tier, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
