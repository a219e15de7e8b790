//! The station secret: 32 random bytes in a file beside the database
//! (`<database>.key`), never inside it. Identity numbers are stored only as
//! hashes keyed with it, so a copy of the database alone does not reveal
//! them, not even by trying every possible number.

use std::path::Path;

pub use crate::output::station::key_path;

/// Read the key, or create it when `may_create` (a station with no members
/// yet). `Ok(None)`: the file is missing and must be restored from a backup.
pub fn load_or_create(db: &Path, may_create: bool) -> Result<Option<[u8; 32]>, String> {
    let path = key_path(db);
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(text.trim())
            .map(Some)
            .ok_or_else(|| format!("{}: not a station key", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !may_create {
                return Ok(None);
            }
            let key: [u8; 32] = rand::random();
            write_private(&path, &hex(&key)).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Some(key))
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn hex(b: &[u8; 32]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn parse(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

/// Windows has no file modes: a new file takes the access list of its
/// folder. The default data folder (`%LOCALAPPDATA%`) is open only to its
/// user, SYSTEM and the administrators, as the unix file's 0600 is to its
/// owner (and root); a `--db` elsewhere gives the key that folder's access,
/// which docs/install.md says. Setting an access list from here would need
/// the security API for what the folder already does.
#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_then_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("s.db");
        assert_eq!(load_or_create(&db, false).unwrap(), None);
        let k = load_or_create(&db, true).unwrap().unwrap();
        assert_eq!(load_or_create(&db, false).unwrap(), Some(k));
        std::fs::write(key_path(&db), "nonsense").unwrap();
        assert!(load_or_create(&db, true).is_err());
    }
}
