//! Backups with SQLite's online backup API: a dated copy, checked with
//! `quick_check`, the station key beside it, the last N kept.

use super::{Store, StoreError, StoreResult};
use crate::msg;
use crate::msg::Refusal;
use std::path::{Path, PathBuf};

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

const PREFIX: &str = "shiguang-";

/// Copy the database into `dir` as `shiguang-<label>.db` (a temporary name
/// until the copy is whole and checked), with the station key beside it.
pub fn backup(store: &Store, dir: &Path, label: &str) -> StoreResult<PathBuf> {
    backup_limited(store, dir, label, None)
}

/// [`backup`], with the copy limited to `max_pages` (a full disk, in tests).
fn backup_limited(
    store: &Store,
    dir: &Path,
    label: &str,
    max_pages: Option<u32>,
) -> StoreResult<PathBuf> {
    let fail = |why: String| {
        // SQLite says "database or disk is full"; the OS says "No space left"
        let full = why.contains("full") || why.contains("No space") || why.contains("os error 28");
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
    let mut target = dir.join(format!("{PREFIX}{label}.db"));
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!("{PREFIX}{label}-{n}.db"));
        n += 1;
    }
    let tmp = dir.join(format!(".{PREFIX}{label}.db.tmp"));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<(), String> {
        let mut dst = rusqlite::Connection::open(&tmp).map_err(|e| e.to_string())?;
        if let Some(n) = max_pages {
            dst.pragma_update(None, "max_page_count", n)
                .map_err(|e| e.to_string())?;
        }
        {
            let b =
                rusqlite::backup::Backup::new(store.conn(), &mut dst).map_err(|e| e.to_string())?;
            b.run_to_completion(256, std::time::Duration::ZERO, None)
                .map_err(|e| e.to_string())?;
        }
        let ok: String = dst
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| e.to_string())?;
        if ok != "ok" {
            return Err(format!("quick_check: {ok}"));
        }
        drop(dst);
        let key = super::secret::key_path(store.path());
        if key.exists() {
            std::fs::copy(&key, super::secret::key_path(&tmp)).map_err(|e| e.to_string())?;
        }
        Ok(())
    })();
    if let Err(why) = result {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(super::secret::key_path(&tmp));
        return Err(fail(why));
    }
    std::fs::rename(&tmp, &target).map_err(|e| fail(e.to_string()))?;
    let key_tmp = super::secret::key_path(&tmp);
    if key_tmp.exists() {
        std::fs::rename(&key_tmp, super::secret::key_path(&target))
            .map_err(|e| fail(e.to_string()))?;
    }
    Ok(target)
}

/// The backups in `dir`, oldest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(".db"))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    v
}

/// Keep the newest `keep` backups (and their keys); remove the rest.
pub fn prune(dir: &Path, keep: u32) {
    let all = list(dir);
    let extra = all.len().saturating_sub(keep.max(1) as usize);
    for p in all.into_iter().take(extra) {
        let _ = std::fs::remove_file(super::secret::key_path(&p));
        let _ = std::fs::remove_file(&p);
    }
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
    use crate::store::OpenMode;
    use crate::store::station::NewStation;

    fn station(dir: &Path) -> Store {
        let mut s = Store::open(&dir.join("station.db"), OpenMode::Desk, 0).unwrap();
        let st = NewStation {
            street: "JS".into(),
            community: "01".into(),
            kind: crate::domain::station::StationKind::Main,
            name: "测试驿站".into(),
            tz: chrono_tz::Asia::Shanghai,
        };
        s.create_station(&st, "王秀英", "4821", 0).unwrap();
        s
    }

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
