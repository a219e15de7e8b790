//! Backups with SQLite's online backup API: a dated copy, checked with
//! `quick_check`, the station key beside it, the last N kept. The close
//! keeps a full copy once a week and the day's changes between
//! (`backup_delta`).

use super::backup_delta as delta;
use super::{Store, StoreError, StoreResult};
use crate::msg;
use crate::msg::Refusal;
use rusqlite::backup::StepResult;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The backup folder: the setting, else `backups/` beside the database.
pub fn backup_dir(store: &Store) -> PathBuf {
    let set = store.settings().backup_dir.trim();
    if !set.is_empty() {
        return PathBuf::from(set);
    }
    store
        .path()
        .parent()
        .map(|p| p.join("backups"))
        .unwrap_or_else(|| PathBuf::from("backups"))
}

const PREFIX: &str = crate::output::station::BACKUP_PREFIX;

/// Copy the database into `dir` as `shiguang-<label>.db` (a temporary name
/// until the copy is whole and checked), with the station key beside it.
pub fn backup(store: &Store, dir: &Path, label: &str) -> StoreResult<PathBuf> {
    backup_limited(store, dir, label, None)
}

/// How long, in all, a backup waits for a database that is busy.
const READ_WAIT: Duration = Duration::from_secs(10);

/// Why the copy stopped.
#[derive(Debug, PartialEq)]
enum Copy {
    /// The source stayed busy or locked for the whole wait.
    Stuck,
    Failed(String),
}

/// Run `step` until it is done. `step` asks for every page at once, so
/// the copy is one read of one state of the database; any other answer —
/// busy, locked, or "more" when the source changed under the copy — is
/// tried again after a pause that grows from 10 ms to a quarter second,
/// for at most `wait` of pauses in all. (`run_to_completion` with no pause
/// spins at full speed for ever when a step never finishes: a read-only
/// database whose `-shm` was left by a program that stopped restarts the
/// copy at every step.)
fn copy_pages(
    mut step: impl FnMut() -> rusqlite::Result<StepResult>,
    wait: Duration,
    mut sleep: impl FnMut(Duration),
) -> Result<(), Copy> {
    let mut pause = Duration::from_millis(10);
    let mut waited = Duration::ZERO;
    loop {
        match step().map_err(|e| Copy::Failed(e.to_string()))? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                if waited >= wait {
                    return Err(Copy::Stuck);
                }
                sleep(pause);
                waited += pause;
                pause = (pause * 2).min(Duration::from_millis(250));
            }
            // a later SQLite's answer: no progress to wait for
            _ => return Err(Copy::Failed("unknown backup step".into())),
        }
    }
}

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// [`backup`], with the copy limited to `max_pages` (a full disk, in tests).
fn backup_limited(
    store: &Store,
    dir: &Path,
    label: &str,
    max_pages: Option<u32>,
) -> StoreResult<PathBuf> {
    let fail = |why: String| {
        // SQLite says "database or disk is full"; the OS says "No space
        // left" (unix) or its error number (Windows: 112, worded in the
        // system's language)
        let full = why.contains("full")
            || crate::platform::says_disk_full(&why, crate::platform::FAMILY)
            || (why.contains("disk I/O error") && super::probe::disk_full_at(&dir.join("x")));
        let m = if full {
            msg!("backup.disk_full", dir = dir.display())
        } else {
            msg!("backup.failed", dir = dir.display(), why = why)
        };
        StoreError::Refused(Refusal::general(m))
    };
    if !dir.is_dir() {
        // a set folder must exist: a missing backup drive is a problem to
        // see, not to paper over by writing somewhere else
        if store.settings().backup_dir.trim().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
        } else {
            return Err(StoreError::Refused(Refusal::general(msg!(
                "backup.dir_missing",
                dir = dir.display()
            ))));
        }
    }
    copy_to(store.conn(), store.path(), dir, label, max_pages).map_err(|why| match why {
        Copy::Failed(why) => fail(why),
        Copy::Stuck => stuck(store.path()),
    })
}

/// A copy of the database `db` (open as `conn`) in `dir`: a unique
/// temporary name beside the backups, removed (with the journal SQLite
/// keeps beside it) whatever goes wrong, renamed to the first free
/// `shiguang-<label>[-n].db` once whole and checked, its key beside it.
fn copy_to(
    conn: &rusqlite::Connection,
    db: &Path,
    dir: &Path,
    label: &str,
    max_pages: Option<u32>,
) -> Result<PathBuf, Copy> {
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{PREFIX}{label}."))
        .suffix(".db.tmp")
        .tempfile_in(dir)
        .map_err(|e| Copy::Failed(e.to_string()))?
        .into_temp_path();
    let key_tmp = super::secret::key_path(&tmp);
    let leftovers = [
        with_suffix(&tmp, "-journal"),
        with_suffix(&tmp, "-wal"),
        with_suffix(&tmp, "-shm"),
        key_tmp.clone(),
    ];
    let placed =
        copy_into(conn, db, &tmp, &key_tmp, max_pages).and_then(|()| place(tmp, dir, label));
    let target = match placed {
        Ok(t) => t,
        Err(why) => {
            for p in &leftovers {
                let _ = std::fs::remove_file(p);
            }
            return Err(why);
        }
    };
    if key_tmp.exists() {
        std::fs::rename(&key_tmp, super::secret::key_path(&target))
            .map_err(|e| Copy::Failed(e.to_string()))?;
    }
    Ok(target)
}

/// Before a new version changes the structure of the file `db` (open as
/// `conn`, not yet changed): a backup `shiguang-<label>.db` in `backups/`
/// beside it — not the folder of the settings, which are read only after
/// the change — kept and rotated like the others. The reason it failed.
pub(super) fn before_update(
    conn: &rusqlite::Connection,
    db: &Path,
    label: &str,
) -> Result<PathBuf, (PathBuf, String)> {
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups");
    std::fs::create_dir_all(&dir).map_err(|e| (dir.clone(), e.to_string()))?;
    copy_to(conn, db, &dir, label, None).map_err(|why| match why {
        Copy::Failed(why) => (dir.clone(), why),
        Copy::Stuck => (dir.clone(), "the database stayed busy".into()),
    })
}

/// Copy the database into `tmp` (checked) and its key beside it.
fn copy_into(
    conn: &rusqlite::Connection,
    db: &Path,
    tmp: &Path,
    key_tmp: &Path,
    max_pages: Option<u32>,
) -> Result<(), Copy> {
    let failed = |e: rusqlite::Error| Copy::Failed(e.to_string());
    let mut dst = rusqlite::Connection::open(tmp).map_err(failed)?;
    if let Some(n) = max_pages {
        dst.pragma_update(None, "max_page_count", n)
            .map_err(failed)?;
    }
    {
        let b = rusqlite::backup::Backup::new(conn, &mut dst).map_err(failed)?;
        copy_pages(|| b.step(-1), READ_WAIT, std::thread::sleep)?;
    }
    let ok: String = dst
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(failed)?;
    if ok != "ok" {
        return Err(Copy::Failed(format!("quick_check: {ok}")));
    }
    drop(dst);
    let key = super::secret::key_path(db);
    if key.exists() {
        std::fs::copy(&key, key_tmp).map_err(|e| Copy::Failed(e.to_string()))?;
    }
    Ok(())
}

/// Rename the whole copy to the first free `shiguang-<label>[-n].db`: an
/// existing backup is never replaced, not even by one made meanwhile.
fn place(mut tmp: tempfile::TempPath, dir: &Path, label: &str) -> Result<PathBuf, Copy> {
    for n in 1u64.. {
        let target = match n {
            1 => dir.join(format!("{PREFIX}{label}.db")),
            n => dir.join(format!("{PREFIX}{label}-{n}.db")),
        };
        match tmp.persist_noclobber(&target) {
            Ok(()) => return Ok(target),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.path,
            Err(e) => return Err(Copy::Failed(e.error.to_string())),
        }
    }
    Err(Copy::Failed("no free backup name".into()))
}

/// The backup could not read the database for the whole wait: read-only
/// files say so (and what to do), anything else is a busy database.
fn stuck(db: &Path) -> StoreError {
    let secs = READ_WAIT.as_secs();
    StoreError::Refused(Refusal::general(match super::probe::read_only_part(db) {
        Some(part) => msg!("backup.read_only", path = part.display(), secs = secs),
        None => msg!("backup.busy", path = db.display(), secs = secs),
    }))
}

/// The backups in `dir` (full copies and deltas), oldest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    crate::output::station::backups(dir)
}

/// Keep the newest `keep` backups (and their keys), and the full copies
/// the kept deltas are built on; remove the rest.
pub fn prune(dir: &Path, keep: u32) {
    let all = list(dir);
    let extra = all.len().saturating_sub(keep.max(1) as usize);
    let needed: Vec<PathBuf> = all[extra..]
        .iter()
        .filter(|p| delta::is_delta(p))
        .filter_map(|p| delta::base_of(p))
        .collect();
    for p in all.into_iter().take(extra) {
        if needed.contains(&p) {
            continue;
        }
        let _ = std::fs::remove_file(super::secret::key_path(&p));
        let _ = std::fs::remove_file(&p);
    }
}

/// A full copy every this many daily backups; the days between keep their
/// changes against it.
pub const FULL_EVERY: usize = 7;

/// The full copy the next daily backup may be a delta of: the newest full
/// copy, when fewer than [`FULL_EVERY`] − 1 deltas came after it.
fn delta_base(dir: &Path) -> Option<PathBuf> {
    let newest_first = list(dir).into_iter().rev().enumerate();
    for (since, p) in newest_first {
        if !delta::is_delta(&p) {
            return (since + 1 < FULL_EVERY).then_some(p);
        }
    }
    None
}

/// The close's backup: the day's changes against the week's full copy
/// (`shiguang-<label>.delta`), or a full copy once a week or when there is
/// none to build on. Checked like a full copy: the copy is whole and passes
/// `quick_check` before its pages are compared.
pub fn daily(store: &Store, dir: &Path, label: &str) -> StoreResult<PathBuf> {
    let Some(base) = dir.is_dir().then(|| delta_base(dir)).flatten() else {
        return backup(store, dir, label);
    };
    let fail = |why: String| {
        StoreError::Refused(Refusal::general(msg!(
            "backup.failed",
            dir = dir.display(),
            why = why
        )))
    };
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{PREFIX}{label}."))
        .suffix(".db.tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(e.to_string()))?
        .into_temp_path();
    let key_tmp = super::secret::key_path(&tmp);
    let out = tempfile::Builder::new()
        .prefix(&format!(".{PREFIX}{label}."))
        .suffix(".delta.tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(e.to_string()))?
        .into_temp_path();
    // `None`: another page size than the full copy's, so a full copy instead
    let made = (|| -> StoreResult<Option<PathBuf>> {
        copy_into(store.conn(), store.path(), &tmp, &key_tmp, None).map_err(|why| match why {
            Copy::Failed(why) => fail(why),
            Copy::Stuck => stuck(store.path()),
        })?;
        match delta::write(&base, &tmp, &out).map_err(fail)? {
            None => Ok(None),
            Some(_) => place_delta(out, dir, label).map(Some).map_err(fail),
        }
    })();
    for p in [
        with_suffix(&tmp, "-journal"),
        with_suffix(&tmp, "-wal"),
        with_suffix(&tmp, "-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
    drop(tmp);
    match made {
        Ok(Some(target)) => {
            if key_tmp.exists() {
                std::fs::rename(&key_tmp, super::secret::key_path(&target))
                    .map_err(|e| fail(e.to_string()))?;
            }
            Ok(target)
        }
        Ok(None) => {
            let _ = std::fs::remove_file(&key_tmp);
            backup(store, dir, label)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&key_tmp);
            Err(e)
        }
    }
}

/// Rename the delta to the first free `shiguang-<label>[-n].delta`.
fn place_delta(mut tmp: tempfile::TempPath, dir: &Path, label: &str) -> Result<PathBuf, String> {
    for n in 1u64.. {
        let target = match n {
            1 => dir.join(format!("{PREFIX}{label}{}", delta::EXT)),
            n => dir.join(format!("{PREFIX}{label}-{n}{}", delta::EXT)),
        };
        match tmp.persist_noclobber(&target) {
            Ok(()) => return Ok(target),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.path,
            Err(e) => return Err(e.error.to_string()),
        }
    }
    Err("no free backup name".into())
}

impl Store {
    /// A backup now, outside the daily close (`shiguang backup`).
    pub fn backup_now(&self, label: &str) -> StoreResult<PathBuf> {
        let dir = backup_dir(self);
        let p = backup(self, &dir, label)?;
        prune(&dir, self.settings().backup_keep);
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::covers::tests::station;

    #[test]
    fn a_full_disk_keeps_the_old_backups_and_says_so() {
        let tmp = tempfile::tempdir().unwrap();
        let s = station(tmp.path());
        let dir = tmp.path().join("backups");
        let old = backup(&s, &dir, "2026-11-22").unwrap();
        let e = backup_limited(&s, &dir, "2026-11-23", Some(2)).unwrap_err();
        assert_eq!(e.msg().key, "backup.disk_full");
        // the old backup is whole, and no half copy is left behind
        assert_eq!(list(&dir), vec![old.clone()]);
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 2, "the old backup and its key only: {names:?}");
        let c = rusqlite::Connection::open(&old).unwrap();
        let ok: String = c.query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok");
    }

    #[test]
    fn a_busy_database_is_retried_with_a_pause_and_given_up_after_the_wait() {
        let mut slept = Vec::new();
        let mut steps = 0;
        let r = copy_pages(
            || {
                steps += 1;
                Ok(StepResult::Busy)
            },
            Duration::from_secs(10),
            |d| slept.push(d),
        );
        assert_eq!(r, Err(Copy::Stuck));
        let total: Duration = slept.iter().sum();
        assert!(total >= Duration::from_secs(10), "{total:?}");
        assert!(total < Duration::from_secs(11), "{total:?}");
        // never a tight loop: every retry pauses, a quarter second at most
        assert!(slept.iter().all(|d| *d >= Duration::from_millis(10)));
        assert!(slept.iter().all(|d| *d <= Duration::from_millis(250)));
        assert!(steps < 60, "{steps} steps");
        // busy for a while, then through: done
        let mut answers = vec![
            StepResult::Done,
            StepResult::More,
            StepResult::Locked,
            StepResult::Busy,
        ];
        let r = copy_pages(
            || Ok(answers.pop().unwrap()),
            Duration::from_secs(10),
            |_| {},
        );
        assert_eq!(r, Ok(()));
        // an error is not retried
        let r = copy_pages(
            || {
                Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
                    None,
                ))
            },
            Duration::from_secs(10),
            |_| panic!("no pause for an error"),
        );
        assert!(matches!(r, Err(Copy::Failed(_))));
    }

    #[test]
    fn a_backup_is_checked_and_carries_the_key() {
        let tmp = tempfile::tempdir().unwrap();
        let s = station(tmp.path());
        let p = s.backup_now("x").unwrap();
        assert!(p.exists());
        assert!(super::super::secret::key_path(&p).exists());
        // the same label twice does not overwrite the first
        let p2 = s.backup_now("x").unwrap();
        assert_ne!(p, p2);
    }
}
