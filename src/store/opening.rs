//! Before and while a station file is opened: what is at the path (a
//! folder, another program's file, an empty file beside a station's key, a
//! missing file whose key is still there), and what an open error means to
//! the staff (a full disk, a damaged file, a read-only one).

use super::{OpenError, OpenMode, SQLITE_MAGIC, probe, secret};
use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};

pub(super) fn check_path(path: &Path, mode: OpenMode) -> Result<(), OpenError> {
    if path.is_dir() {
        return Err(OpenError::IsDirectory(path.to_path_buf()));
    }
    if path.exists() {
        let mut head = [0u8; 16];
        let read = std::fs::File::open(path).and_then(|mut f| {
            use std::io::Read;
            let mut got = 0;
            while got < head.len() {
                let n = f.read(&mut head[got..])?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            Ok(got)
        });
        match read {
            // an empty file is a new station, unless a station was here:
            // its key says so, and its data may still be in the WAL
            Ok(0) if secret::key_path(path).exists() && !has_wal(path) => {
                return Err(OpenError::Damaged(
                    path.to_path_buf(),
                    "empty file beside an existing station key".into(),
                ));
            }
            Ok(0) => {}
            Ok(n) if n < 16 || &head != SQLITE_MAGIC => {
                return Err(OpenError::NotSqlite(path.to_path_buf()));
            }
            Ok(_) => {}
            Err(e) => return Err(OpenError::NotWritable(path.to_path_buf(), e.to_string())),
        }
    } else if secret::key_path(path).exists() {
        // never a silent new, empty station where one was
        return Err(OpenError::Damaged(
            path.to_path_buf(),
            "the file is missing but the station key beside it is there".into(),
        ));
    } else if mode == OpenMode::Inspect {
        return Err(OpenError::Sqlite(format!(
            "{}: no such file",
            path.display()
        )));
    } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| OpenError::NotWritable(path.to_path_buf(), e.to_string()))?;
    }
    Ok(())
}

fn has_wal(db: &Path) -> bool {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

pub(super) fn classify_open(path: &Path, e: rusqlite::Error) -> OpenError {
    if probe::is_disk_full(&e, path) {
        return OpenError::DiskFull(path.to_path_buf());
    }
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => OpenError::NotSqlite(path.to_path_buf()),
        Some(ErrorCode::DatabaseCorrupt) => OpenError::Damaged(path.to_path_buf(), e.to_string()),
        Some(ErrorCode::ReadOnly) => OpenError::ReadOnly(path.to_path_buf()),
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => {
            OpenError::NotWritable(path.to_path_buf(), e.to_string())
        }
        _ => OpenError::Sqlite(e.to_string()),
    }
}
