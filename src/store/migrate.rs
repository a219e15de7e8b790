//! A small runner over `migrations/NNNN_name.sql`.
//!
//! Each file is embedded at build time, applied once, in order, inside one
//! transaction, and recorded with a checksum of its text. A released
//! migration must never be edited: a changed checksum refuses to open.

use rusqlite::{Connection, OptionalExtension, params};

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
    /// Rust run after the SQL, in the same transaction (data the SQL alone
    /// cannot compute, such as hashes); given the time of the migration.
    pub after: Option<fn(&Connection, i64) -> rusqlite::Result<()>>,
}

macro_rules! migration {
    ($version:literal, $file:literal) => {
        migration!($version, $file, None)
    };
    ($version:literal, $file:literal, $after:expr) => {
        Migration {
            version: $version,
            name: $file,
            sql: include_str!(concat!("../../migrations/", $file, ".sql")),
            after: $after,
        }
    };
}

/// Every migration, in order. A test checks this list against the folder.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_members"),
    migration!(3, "0003_ledger"),
    migration!(4, "0004_queue"),
    migration!(5, "0005_disputes"),
    migration!(6, "0006_days"),
    migration!(7, "0007_merchants"),
    migration!(8, "0008_speed"),
    migration!(9, "0009_corrections"),
    migration!(10, "0010_drafts_without_id_numbers"),
    migration!(11, "0011_covers", Some(super::covers::baseline)),
    migration!(12, "0012_complaints_owed_heirs"),
    migration!(13, "0013_hub"),
    migration!(14, "0014_settlement_rows"),
    migration!(15, "0015_tool_loans"),
    migration!(16, "0016_fund"),
    migration!(17, "0017_medals"),
    migration!(19, "0019_facts_not_words"),
    migration!(20, "0020_settlement_words"),
    migration!(21, "0021_lean_file"),
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

pub fn checksum(sql: &str) -> String {
    blake3::hash(sql.as_bytes()).to_hex()[..16].to_string()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// No schema at all: a new file.
    Empty,
    /// Known schema, `pending` migrations still to apply.
    Behind {
        pending: usize,
    },
    UpToDate,
    /// The file was written by a newer shiguang.
    Newer {
        found: u32,
    },
    /// A recorded migration's text differs from the one in this build.
    Edited {
        version: u32,
    },
}

const STATE_SELECT_SQLITE_MASTER: &str =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

pub fn state(conn: &Connection) -> rusqlite::Result<MigrationState> {
    let has_table: bool = conn
        .query_row(STATE_SELECT_SQLITE_MASTER, [], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    if !has_table {
        return Ok(MigrationState::Empty);
    }
    let mut stmt =
        conn.prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")?;
    let recorded: Vec<(u32, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if let Some((v, _)) = recorded.last()
        && *v > latest_version()
    {
        return Ok(MigrationState::Newer { found: *v });
    }
    for (version, sum) in &recorded {
        match MIGRATIONS.iter().find(|m| m.version == *version) {
            Some(m) if checksum(m.sql) == *sum => {}
            _ => return Ok(MigrationState::Edited { version: *version }),
        }
    }
    let pending = MIGRATIONS.len() - recorded.len();
    Ok(if pending == 0 {
        MigrationState::UpToDate
    } else {
        MigrationState::Behind { pending }
    })
}

/// Apply every pending migration in one IMMEDIATE transaction.
pub fn apply(conn: &mut Connection, now: i64) -> rusqlite::Result<usize> {
    apply_until(conn, now, latest_version())
}

const APPLY_UNTIL_INSERT_SCHEMA_MIGRATIONS: &str =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)";

/// Apply the pending migrations up to version `last`.
///
/// Foreign keys are off while they run, as SQLite's guide to rebuilding a
/// table asks: with them on, dropping a large table deletes its rows one by
/// one and checks every child of each. Before the commit every reference in
/// the file is checked instead; one left dangling refuses the whole update.
fn apply_until(conn: &mut Connection, now: i64, last: u32) -> rusqlite::Result<usize> {
    let checked: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let applied = apply_unchecked(conn, now, last);
    conn.pragma_update(None, "foreign_keys", checked)?;
    applied
}

fn apply_unchecked(conn: &mut Connection, now: i64, last: u32) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let done: u32 = tx.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    let mut applied = 0;
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > done && m.version <= last)
    {
        tx.execute_batch(m.sql)?;
        if let Some(after) = m.after {
            after(&tx, now)?;
        }
        tx.execute(
            APPLY_UNTIL_INSERT_SCHEMA_MIGRATIONS,
            params![m.version, m.name, checksum(m.sql), now],
        )?;
        applied += 1;
    }
    if applied > 0 {
        let dangling: Option<String> = tx
            .query_row(
                "SELECT \"table\" || ' → ' || parent FROM pragma_foreign_key_check LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(which) = dangling {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("a reference left dangling by the update: {which}")),
            ));
        }
    }
    tx.commit()?;
    Ok(applied)
}

/// A migration that rebuilt a table (0021 copies the two largest) leaves
/// the old pages free inside the file. When more than a quarter of the file
/// is free after an update, `VACUUM` once gives it back and lays the tables
/// out in order again (a rebuilt million-row station: 1.57 → 1.34 GB, and
/// `verify` a tenth faster). Whether it ran; an error (no room on the disk
/// for the copy it writes) leaves the file as it was, only larger.
pub fn give_back_freed(conn: &Connection) -> rusqlite::Result<bool> {
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    if free * 4 <= pages {
        return Ok(false);
    }
    conn.execute_batch("VACUUM")?;
    Ok(true)
}

#[cfg(test)]
mod tests;
