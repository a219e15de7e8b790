//! The station's own files, by name: what lies beside the database and in
//! its backup folder. The store creates them and [`super::guarded`] keeps
//! every other output off them, so their names live here, below both.

use std::path::{Path, PathBuf};

/// Written into the SQLite header of every station file, so a database made by
/// some other program is recognised and never written to.
pub const APPLICATION_ID: i32 = 0x5347_5453; // "SGTS"

/// Every backup's file name starts so (`shiguang-<label>.db`).
pub const BACKUP_PREFIX: &str = "shiguang-";

/// The station secret beside the database (`<database>.key`).
pub fn key_path(db: &Path) -> PathBuf {
    PathBuf::from(format!("{}.key", db.display()))
}

/// Where each sync keeps headquarters' acknowledged heads.
pub fn hq_ack_path(db: &Path) -> PathBuf {
    with_suffix(db, ".hq-ack")
}

/// `p` with `suffix` appended to its last part (`station.db` → `station.db-wal`).
pub fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The backups in `dir` (full copies and the days' deltas), oldest first.
pub fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                        n.starts_with(BACKUP_PREFIX)
                            && (n.ends_with(".db") || n.ends_with(".delta"))
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    v
}
