//! The SQL of `station`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const LOAD_STATION_SELECT_STATION: &str =
    "SELECT uid, street, community, kind, name, tz FROM station WHERE id = 1";

pub(super) const CREATE_STATION_INSERT_STATION: &str =
    "INSERT INTO station (id, uid, street, community, kind, name, tz, created_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)";

pub(super) const SET_SETTING_SELECT_SETTINGS: &str = "SELECT value FROM settings WHERE key = ?1";

pub(super) const SET_SETTING_INSERT_SETTINGS: &str = "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
