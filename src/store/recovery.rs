//! When the database file is damaged: find the newest backup that passes
//! `verify`, and restore it by moving the damaged file aside (never
//! deleting it) and copying the backup into place with its key.

use super::{OpenMode, Store, backup, backup_delta, secret};
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Msg;
use std::path::{Path, PathBuf};

/// Folders where this database's backups may be: the one its settings name
/// (read directly, if the damaged file still gives it up) and the default.
pub fn backup_dirs(db: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let set: Option<String> = rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()
    .and_then(|c| {
        c.query_row(
            "SELECT value FROM settings WHERE key = 'backup_dir'",
            [],
            |r| r.get::<_, String>(0),
        )
        .ok()
    })
    .and_then(|v| serde_json::from_str::<String>(&v).ok())
    .filter(|s| !s.trim().is_empty());
    if let Some(s) = set {
        dirs.push(PathBuf::from(s.trim()));
    }
    let default = db
        .parent()
        .map(|p| p.join("backups"))
        .unwrap_or_else(|| PathBuf::from("backups"));
    if !dirs.contains(&default) {
        dirs.push(default);
    }
    dirs
}

/// Whether a file opens and passes the same checks as `shiguang verify`;
/// if not, why (a message, put in words by whoever shows it).
pub fn passes_verify(path: &Path) -> Result<(), Msg> {
    let store = Store::open(path, OpenMode::Inspect, 0).map_err(|e| e.msg())?;
    let report = store.verify().map_err(|e| e.msg())?;
    match report.problems.first() {
        None => Ok(()),
        Some(p) => Err(msg!("verify.problem", text = p)),
    }
}

/// "The backup … does not pass verify (why)", with the reason's own message
/// inside: its key fills `{why}` and its arguments follow, so the whole is
/// put in words in one language (not shown as a key).
fn backup_bad(backup: &Path, why: Msg) -> Msg {
    let mut m = msg!(
        "restore.backup_bad",
        backup = backup.display(),
        why = why.key
    );
    m.args.extend(why.args);
    m.names.extend(why.names);
    m
}

/// The newest backup of `db` that passes `verify`, if any.
pub fn newest_sound_backup(db: &Path) -> Option<PathBuf> {
    let mut all: Vec<PathBuf> = backup_dirs(db)
        .iter()
        .flat_map(|d| backup::list(d))
        .collect();
    all.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    all.into_iter().rev().find(|p| check_backup(p).is_ok())
}

/// What to tell staff about a damaged database: what is wrong, the backup
/// on offer and the command that restores it, or that there is none.
pub fn offer(db: &Path, why: &str) -> Msg {
    match newest_sound_backup(db) {
        Some(b) => msg!(
            "restore.offer",
            why = why,
            backup = b.display(),
            db = db.display()
        ),
        None => msg!("restore.no_backup", why = why, db = db.display()),
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub from: PathBuf,
    /// Where the damaged file (and its WAL, shared memory and key) went.
    pub set_aside: Vec<PathBuf>,
    /// The bundles, backups and acknowledgement of what the restore gave
    /// up, renamed (see [`super::witness`]).
    pub witnesses: Vec<PathBuf>,
}

/// Put `from` (a backup that passes verify) in place of `db`. The damaged
/// file and its companions are renamed `<name>.damaged-<time>`, never
/// deleted; the backup's key comes with it.
/// Refuse a backup that does not pass verify, saying why.
/// A delta is rebuilt onto its full copy first (and refused, saying why,
/// when it is damaged or its full copy is gone or changed).
pub fn check_backup(from: &Path) -> Result<(), Msg> {
    prepare(from).map(drop)
}

/// The backup `from` as a database file that passes verify (a delta
/// rebuilt), for [`restore_built`]; refused, saying why, when it is not.
pub fn prepare(from: &Path) -> Result<backup_delta::Materialized, Msg> {
    let built = backup_delta::materialize(from).map_err(|why| backup_bad(from, why))?;
    passes_verify(built.path()).map_err(|why| backup_bad(from, why))?;
    Ok(built)
}

pub fn restore(db: &Path, from: &Path, now: Stamp) -> Result<Restored, Msg> {
    let built = backup_delta::materialize(from).map_err(|why| backup_bad(from, why))?;
    restore_built(db, from, built.path(), now)
}

/// [`restore`] from `built`, the database file of the backup `from`.
pub fn restore_built(db: &Path, from: &Path, built: &Path, now: Stamp) -> Result<Restored, Msg> {
    passes_verify(built).map_err(|why| backup_bad(from, why))?;
    // the computer's local time, as staff read the clock on the wall
    let stamp = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .with_timezone(&chrono::Local)
        .format("%Y%m%d-%H%M%S")
        .to_string();
    let io = |e: std::io::Error| msg!("restore.failed", why = e);
    let backup_key = secret::key_path(built);
    let mut companions = vec![
        db.to_path_buf(),
        with_suffix(db, "-wal"),
        with_suffix(db, "-shm"),
    ];
    if backup_key.exists() {
        // the backup's key replaces the current one; the current one is kept
        companions.push(secret::key_path(db));
    }
    let mut set_aside = Vec::new();
    for p in companions.iter().filter(|p| p.exists()) {
        let aside = unused(&with_suffix(p, &format!(".damaged-{stamp}")));
        std::fs::rename(p, &aside).map_err(|e| {
            // Windows will not move a file another program has open (a
            // desk still running on it): nothing has moved yet, say so
            if set_aside.is_empty()
                && crate::platform::cause_of(&e) == crate::platform::IoCause::InUse
            {
                msg!("restore.in_use", db = db.display())
            } else {
                io(e)
            }
        })?;
        set_aside.push(aside);
    }
    // copy under a temporary name, flush, then rename: a cut in the middle
    // leaves no half file under the real name
    let tmp = with_suffix(db, ".restoring");
    copy_synced(built, &tmp).map_err(io)?;
    std::fs::rename(&tmp, db).map_err(io)?;
    if backup_key.exists() {
        copy_synced(&backup_key, &secret::key_path(db)).map_err(io)?;
    }
    // the renames themselves are durable only once the folder is. Windows
    // cannot open a folder as a file to flush it; NTFS writes renames to
    // its journal itself.
    #[cfg(unix)]
    if let Some(dir) = db.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    passes_verify(db).map_err(|why| backup_bad(db, why))?;
    // the bundles, backups and headquarters' acknowledgement of what the
    // restore gave up would otherwise fail every later verify
    let witnesses = super::witness::set_aside_ahead(db, &stamp);
    Ok(Restored {
        from: from.to_path_buf(),
        set_aside,
        witnesses,
    })
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// `p`, or `p.2`, `p.3`… if it exists (two restores in one second).
fn unused(p: &Path) -> PathBuf {
    let mut candidate = p.to_path_buf();
    let mut n = 2;
    while candidate.exists() {
        candidate = with_suffix(p, &format!(".{n}"));
        n += 1;
    }
    candidate
}

fn copy_synced(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::copy(from, to)?;
    std::fs::File::options().write(true).open(to)?.sync_all()
}
