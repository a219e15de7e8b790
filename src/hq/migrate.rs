//! Headquarters' schema: numbered SQL files in `hq_migrations/`, kept apart
//! from the station's, applied in order in one transaction and recorded
//! with a checksum in `hq_schema_migrations`. A released file is never
//! edited: a changed checksum is refused.

use super::HqError;
use postgres::Client;

pub struct HqMigration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! hq_migration {
    ($version:literal, $file:literal) => {
        HqMigration {
            version: $version,
            name: $file,
            sql: include_str!(concat!("../../hq_migrations/", $file, ".sql")),
        }
    };
}

/// Every headquarters migration, in order. A test checks it against the folder.
pub const HQ_MIGRATIONS: &[HqMigration] = &[
    hq_migration!(1, "0001_hq"),
    hq_migration!(2, "0002_station_access"),
    hq_migration!(3, "0003_dispute_merchant"),
];

/// Row-level security through views (`security_invoker`) came in
/// PostgreSQL 15.
pub const MIN_SERVER: i32 = 150000;

pub fn latest_version() -> u32 {
    HQ_MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

fn checksum(sql: &str) -> String {
    crate::store::migrate::checksum(sql)
}

/// Two `hq init` at once must not both create the schema.
const LOCK: i64 = 0x5347_4851; // "SGHQ"

/// Create or bring up to date headquarters' schema; returns how many
/// migrations were applied.
pub fn apply(client: &mut Client) -> Result<usize, HqError> {
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])?
        .get(0);
    if version < MIN_SERVER {
        return Err(HqError::Server(format!(
            "headquarters needs PostgreSQL 15 or newer (this server is {}.{})",
            version / 10000,
            version % 10000 / 100
        )));
    }
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS hq_schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )",
    )?;
    let recorded = recorded(&mut tx)?;
    check_recorded(&recorded)?;
    let done = recorded.last().map(|r| r.0).unwrap_or(0);
    let mut applied = 0;
    for m in HQ_MIGRATIONS.iter().filter(|m| m.version > done) {
        tx.batch_execute(m.sql)
            .map_err(|e| HqError::Server(format!("{}: {}", m.name, super::pg_error(&e))))?;
        tx.execute(
            "INSERT INTO hq_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            &[&(m.version as i32), &m.name, &checksum(m.sql)],
        )?;
        applied += 1;
    }
    tx.commit()?;
    Ok(applied)
}

fn recorded<C: postgres::GenericClient>(c: &mut C) -> Result<Vec<(u32, String)>, HqError> {
    Ok(c.query(
        "SELECT version, checksum FROM hq_schema_migrations ORDER BY version",
        &[],
    )?
    .iter()
    .map(|r| (r.get::<_, i32>(0) as u32, r.get(1)))
    .collect())
}

fn check_recorded(recorded: &[(u32, String)]) -> Result<(), HqError> {
    for (version, sum) in recorded {
        match HQ_MIGRATIONS.iter().find(|m| m.version == *version) {
            Some(m) if checksum(m.sql) == *sum => {}
            Some(_) => {
                return Err(HqError::Server(format!(
                    "headquarters migration {version} differs from this program's"
                )));
            }
            None => {
                return Err(HqError::Schema {
                    found: *version,
                    need: latest_version(),
                });
            }
        }
    }
    Ok(())
}

/// The schema must be exactly this program's (a station's role may not
/// create tables: `shiguang hq init` does, with an owner's role).
pub fn check(client: &mut Client) -> Result<(), HqError> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('hq_schema_migrations') IS NOT NULL",
            &[],
        )?
        .get(0);
    if !exists {
        return Err(HqError::Schema {
            found: 0,
            need: latest_version(),
        });
    }
    let recorded = recorded(client)?;
    check_recorded(&recorded)?;
    let found = recorded.last().map(|r| r.0).unwrap_or(0);
    if found != latest_version() {
        return Err(HqError::Schema {
            found,
            need: latest_version(),
        });
    }
    Ok(())
}

/// What a station's role at headquarters may do: read what the sync needs
/// (the acknowledged heads, the rows it compares with) and insert; never
/// update or delete. Row-level security narrows both to the stations whose
/// codes headquarters assigned to the role. `role` must be a plain
/// identifier.
pub fn station_grants(role: &str) -> Result<String, HqError> {
    if role.is_empty()
        || !role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || role.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(HqError::BadUrl(format!(
            "role name {role:?}: use lower-case letters, digits and _"
        )));
    }
    Ok(format!(
        "GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT ON hq_schema_migrations, station_roles, sync_state TO {role};
GRANT SELECT, INSERT ON stations, transfers, audit, records, member_versions,
    request_versions, dispute_versions, day_summaries, sync_acks TO {role};
GRANT INSERT ON alarms TO {role};
GRANT USAGE ON SEQUENCE stations_id_seq, sync_acks_id_seq, alarms_id_seq TO {role};"
    ))
}

/// Give an existing role the station grants.
pub fn grant(client: &mut Client, role: &str) -> Result<(), HqError> {
    let sql = station_grants(role)?;
    client.batch_execute(&sql)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_the_folder_is_listed_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/hq_migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = HQ_MIGRATIONS
            .iter()
            .map(|m| format!("{}.sql", m.name))
            .collect();
        assert_eq!(files, listed);
        for (i, m) in HQ_MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)));
        }
    }

    #[test]
    fn role_names_are_plain() {
        assert!(station_grants("shiguang_station").is_ok());
        assert!(station_grants("x; DROP TABLE transfers").is_err());
        assert!(station_grants("Station").is_err());
        assert!(station_grants("").is_err());
    }
}
