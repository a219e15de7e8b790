//! Looking at a database file before writing to it: whose it is (read
//! only, so another program's file is never touched — not even switched to
//! WAL), whether it can be written at all, and whether a failed write was a
//! full disk.

use super::migrate::{self, MigrationState};
use super::{APPLICATION_ID, OpenError};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

/// Whose a database file is, from its header and schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// Ours, with our application id.
    Ours,
    /// Ours by its schema (every recorded migration is one of ours, with
    /// its checksum) but without the application id: a file from before
    /// the id was checked. Opening it for writing sets the id.
    OursWithoutId,
    /// Nothing in it yet: a new station.
    Empty,
    Foreign,
}

/// The decision, pure: `state` is `None` when the schema could not be read
/// as ours (e.g. another program's `schema_migrations`).
pub fn owner(app_id: i32, state: Option<&MigrationState>, objects: i64) -> Owner {
    match (app_id, state) {
        (APPLICATION_ID, _) => Owner::Ours,
        (0, Some(MigrationState::Behind { .. } | MigrationState::UpToDate)) => Owner::OursWithoutId,
        (0, Some(MigrationState::Empty)) if objects == 0 => Owner::Empty,
        _ => Owner::Foreign,
    }
}

/// Open `path` read-only and tell whose it is; another program's file is
/// refused here, before any connection that could write to it.
pub fn recognise(path: &Path) -> Result<Owner, OpenError> {
    let classify = |e| super::classify_open(path, e);
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(classify)?;
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(classify)?;
    let state = migrate::state(&conn).ok();
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(classify)?;
    match owner(app_id, state.as_ref(), objects) {
        Owner::Foreign => Err(OpenError::Foreign(path.to_path_buf())),
        o => Ok(o),
    }
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The first of the database, its `-wal` and its `-shm` that is there but
/// cannot be opened for writing (file modes, a read-only attribute, an
/// immutable flag, a write-protected drive). Opening for writing changes
/// nothing in the file.
pub fn read_only_part(db: &Path) -> Option<PathBuf> {
    [
        db.to_path_buf(),
        with_suffix(db, "-wal"),
        with_suffix(db, "-shm"),
    ]
    .into_iter()
    .find(|p| {
        std::fs::symlink_metadata(p).is_ok()
            && std::fs::OpenOptions::new().write(true).open(p).is_err()
    })
}

/// Whether the disk holding `path` is (all but) full. SQLite says "disk I/O
/// error" rather than "full" when the `-shm` beside the database cannot
/// grow; this tells the two apart (unix and Windows: see
/// [`crate::platform::disk_space`]). Unknown: false.
pub fn disk_full_at(path: &Path) -> bool {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    crate::platform::disk_space(dir)
        .is_some_and(|(available, total)| crate::platform::nearly_full(available, total))
}

/// An SQLite error that is a full disk: SQLITE_FULL, or an I/O error on a
/// disk with no room left.
pub fn is_disk_full(e: &rusqlite::Error, path: &Path) -> bool {
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => true,
        Some(ErrorCode::SystemIoFailure) => disk_full_at(path),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_ours_by_its_id_or_by_our_schema_and_nothing_else() {
        let up = MigrationState::UpToDate;
        let behind = MigrationState::Behind { pending: 2 };
        let empty = MigrationState::Empty;
        let edited = MigrationState::Edited { version: 1 };
        assert_eq!(owner(APPLICATION_ID, Some(&up), 40), Owner::Ours);
        assert_eq!(owner(APPLICATION_ID, None, 40), Owner::Ours);
        assert_eq!(owner(0, Some(&up), 40), Owner::OursWithoutId);
        assert_eq!(owner(0, Some(&behind), 40), Owner::OursWithoutId);
        assert_eq!(owner(0, Some(&empty), 0), Owner::Empty);
        // tables of another program, another program's id, a schema we
        // cannot read, a migration that is not ours
        assert_eq!(owner(0, Some(&empty), 3), Owner::Foreign);
        assert_eq!(owner(0x1234, Some(&empty), 0), Owner::Foreign);
        assert_eq!(owner(0, None, 3), Owner::Foreign);
        assert_eq!(owner(0, Some(&edited), 40), Owner::Foreign);
    }
}
