//! The SQL of `register`, by name: the statements as SQLite reads them,
//! kept apart so `cargo fmt` formats the Rust that runs them.

pub(super) const WHOAMI_SELECT_PG_CLASS: &str = "SELECT current_user::text,
                pg_has_role(current_user, t.relowner, 'USAGE') OR r.rolsuper OR r.rolbypassrls
         FROM pg_class t, pg_roles r
         WHERE t.oid = 'stations'::regclass AND r.rolname = current_user";

pub(super) const STATION_ID_INSERT_STATIONS: &str =
    "INSERT INTO stations (uid, code, kind, tz, name, public_key) VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id";

pub(super) const ASSIGN_INSERT_STATION_ROLES: &str =
    "INSERT INTO station_roles (code, role) VALUES ($1, $2::text::name)
             ON CONFLICT (code) DO UPDATE SET role = EXCLUDED.role, assigned_at = now()";

pub(super) const REKEY_INSERT_ALARMS: &str =
    "INSERT INTO alarms (station_uid, station_code, source, kind, detail)
         VALUES ($1, $2, 'hq rekey', 'rekey', $3)";
