//! Where a file written for the user may go. Every such file — the `--out`
//! of the commands, the desk's exports, day bundles, backups — is judged
//! here and written through here, so that no output ever destroys the
//! station's data: not the database, its `-wal`/`-shm`, its key, a backup,
//! a bundle of another day, nor anything that is not an ordinary file.
//!
//! [`judge`] is the whole decision and pure: what is on disk where the
//! file would go ([`Place`], read by [`look`]) against the files nobody may
//! write over ([`Guarded`], from [`guarded`]). The writing itself goes to a
//! temporary file beside the target (a unique name, removed on every
//! failure), flushed to disk, then renamed into place.
//!
//! Files are the same when their canonical paths are equal (ignoring case
//! where the file system does: Windows, macOS) or when they are the same
//! file on the same disk — device and inode on unix, volume serial and file
//! index on Windows ([`crate::platform::file_key`]) — so `./station.db`, a
//! symlink and a hard link to it are all the database.

use crate::msg;
use crate::msg::Msg;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One file on disk, whatever path leads to it (unix: device and inode;
/// Windows: volume serial number and file index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

/// What is at a path (the path itself, links not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Nothing,
    Regular,
    Symlink,
    Directory,
    /// A device, a fifo, a socket.
    Special,
}

/// What an existing ordinary file holds, as far as it matters here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holds {
    Other,
    /// An SQLite file with this program's application id: some station's
    /// database or backup, wherever it lies.
    StationDb,
    Bundle {
        station: String,
        day: String,
    },
}

/// Where a file would go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// As given, for messages.
    pub path: PathBuf,
    /// `None` when its folder does not exist.
    pub canonical: Option<PathBuf>,
    pub found: Found,
    /// Of the file a link leads to, too.
    pub id: Option<FileId>,
    pub holds: Holds,
}

/// Files that belong to the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    Database,
    /// The database's `-wal` or `-shm`.
    Journal,
    Key,
    /// A backup in a backup folder, or its key.
    Backup,
    /// Headquarters' acknowledged heads, kept beside the database.
    HqAck,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guarded {
    pub canonical: PathBuf,
    pub id: Option<FileId>,
    pub what: Guard,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Create,
    Replace,
    Refuse(Refused),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Guarded(Guard),
    StationDb,
    OtherBundle {
        day: String,
    },
    NotRegular(Found),
    /// An ordinary file is there and replacing it was not asked for.
    Exists,
    NoFolder,
}

impl Refused {
    /// The message, naming the file.
    pub fn msg(&self, path: &Path) -> Msg {
        let path = path.display();
        match self {
            Refused::Guarded(Guard::Database) => msg!("out.database", path = path),
            Refused::Guarded(Guard::Journal) => msg!("out.journal", path = path),
            Refused::Guarded(Guard::Key) => msg!("out.key", path = path),
            Refused::Guarded(Guard::Backup) => msg!("out.backup", path = path),
            Refused::Guarded(Guard::HqAck) => msg!("out.hq_ack", path = path),
            Refused::StationDb => msg!("out.station_db", path = path),
            Refused::OtherBundle { day } => msg!("out.other_bundle", path = path, day = day),
            Refused::NotRegular(Found::Directory) => msg!("out.directory", path = path),
            Refused::NotRegular(Found::Symlink) => msg!("out.symlink", path = path),
            Refused::NotRegular(_) => msg!("out.special", path = path),
            Refused::Exists => msg!("out.exists", path = path),
            Refused::NoFolder => msg!("out.no_folder", path = path),
        }
    }
}

/// May a file be written at `place`? `own_bundle` is the (station, day)
/// whose bundle this output is, if it is one: that bundle may be replaced,
/// another day's never. `replace`: an existing ordinary file may be
/// replaced (`--force`).
pub fn judge(
    place: &Place,
    guarded: &[Guarded],
    own_bundle: Option<(&str, &str)>,
    replace: bool,
) -> Verdict {
    let Some(canonical) = &place.canonical else {
        return Verdict::Refuse(Refused::NoFolder);
    };
    // the station's own files first, whatever leads there: the message then
    // names what would have been lost
    if let Some(g) = guarded.iter().find(|g| {
        crate::platform::same_path(&g.canonical, canonical, crate::platform::FOLDS_CASE)
            || (place.id.is_some() && place.id == g.id)
    }) {
        return Verdict::Refuse(Refused::Guarded(g.what));
    }
    match place.found {
        Found::Nothing => Verdict::Create,
        Found::Symlink | Found::Directory | Found::Special => {
            Verdict::Refuse(Refused::NotRegular(place.found))
        }
        Found::Regular => match &place.holds {
            Holds::StationDb => Verdict::Refuse(Refused::StationDb),
            Holds::Bundle { station, day }
                if own_bundle != Some((station.as_str(), day.as_str())) =>
            {
                Verdict::Refuse(Refused::OtherBundle { day: day.clone() })
            }
            _ if replace => Verdict::Replace,
            _ => Verdict::Refuse(Refused::Exists),
        },
    }
}

// ---- reading the disk -------------------------------------------------

fn file_id(path: &Path) -> Option<FileId> {
    crate::platform::file_key(path).map(|(dev, ino)| FileId { dev, ino })
}

/// The canonical path of `path`, also when it does not exist (yet): its
/// folder's, joined with its name. `None` when the folder does not exist.
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(path) {
        return Some(c);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::canonicalize(parent).ok().map(|p| p.join(name))
}

/// The first bytes of an ordinary file, enough to know what it holds.
fn holds(path: &Path) -> Holds {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return Holds::Other;
    }
    if head.len() >= 72 && head.starts_with(b"SQLite format 3\0") {
        let id = i32::from_be_bytes([head[68], head[69], head[70], head[71]]);
        return if id == station::APPLICATION_ID {
            Holds::StationDb
        } else {
            Holds::Other
        };
    }
    let first = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let header: Option<serde_json::Value> = serde_json::from_slice(first).ok();
    match header {
        Some(h)
            if h.get("format").and_then(|f| f.as_str()) == Some(crate::wire::bundle::FORMAT) =>
        {
            let s = |k: &str| h.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            Holds::Bundle {
                station: s("station_code"),
                day: s("day"),
            }
        }
        _ => Holds::Other,
    }
}

/// What is at `path` now.
pub fn look(path: &Path) -> std::io::Result<Place> {
    let found = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Found::Symlink,
        Ok(m) if m.is_file() => Found::Regular,
        Ok(m) if m.is_dir() => Found::Directory,
        Ok(_) => Found::Special,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Found::Nothing,
        Err(e) => return Err(e),
    };
    Ok(Place {
        path: path.to_path_buf(),
        canonical: canonical(path),
        found,
        id: file_id(path),
        holds: if found == Found::Regular {
            holds(path)
        } else {
            Holds::Other
        },
    })
}

fn guard(path: PathBuf, what: Guard) -> Option<Guarded> {
    Some(Guarded {
        id: file_id(&path),
        canonical: canonical(&path)?,
        what,
    })
}

use station::with_suffix;

/// The station's files at `db`: the database, its `-wal` and `-shm`, its
/// key, and every backup (with its key) in `backup_dirs`.
pub fn guarded(db: &Path, backup_dirs: &[PathBuf]) -> Vec<Guarded> {
    let mut out: Vec<Guarded> = [
        (db.to_path_buf(), Guard::Database),
        (with_suffix(db, "-wal"), Guard::Journal),
        (with_suffix(db, "-shm"), Guard::Journal),
        (station::key_path(db), Guard::Key),
        (station::hq_ack_path(db), Guard::HqAck),
    ]
    .into_iter()
    .filter_map(|(p, what)| guard(p, what))
    .collect();
    for dir in backup_dirs {
        for b in station::backups(dir) {
            for p in [
                station::key_path(&b),
                with_suffix(&b, "-wal"),
                with_suffix(&b, "-shm"),
            ] {
                out.extend(guard(p, Guard::Backup));
            }
            out.extend(guard(b, Guard::Backup));
        }
    }
    out
}

// ---- writing ----------------------------------------------------------

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError<E> {
    Refused(Refused),
    Io(std::io::Error),
    /// The body's own error.
    Body(E),
}

impl<E> WriteError<E> {
    /// The message naming the file; `body` words the body's own error.
    pub fn msg(&self, path: &Path, body: impl Fn(&E) -> Msg) -> Msg {
        match self {
            WriteError::Refused(r) => r.msg(path),
            WriteError::Io(e) if is_disk_full(e) => msg!("out.disk_full", path = path.display()),
            WriteError::Io(e)
                if crate::platform::cause_of(e) == crate::platform::IoCause::InUse =>
            {
                msg!("out.in_use", path = path.display())
            }
            WriteError::Io(e) => msg!("out.failed", path = path.display(), why = e),
            WriteError::Body(e) => body(e),
        }
    }
}

/// A full disk, by this system's error numbers ([`crate::platform::io_cause`]).
pub fn is_disk_full(e: &std::io::Error) -> bool {
    crate::platform::cause_of(e) == crate::platform::IoCause::DiskFull
}

/// A temporary file beside `target`, removed when dropped unless persisted.
fn temp_beside(target: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
}

/// A file written whole beside its target, not yet in place; dropped, it
/// is removed.
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
    replace: bool,
}

impl Staged {
    /// Rename it into place. Without leave to replace, a file that
    /// appeared meanwhile is not replaced either (the rename refuses to
    /// clobber). On Windows both are `MoveFileExW` (with and without
    /// `MOVEFILE_REPLACE_EXISTING`), which will not replace a file another
    /// program has open: that is said as such (`out.in_use`).
    pub fn place<E>(self) -> Result<(), WriteError<E>> {
        let placed = if self.replace {
            self.tmp.persist(&self.target).map(drop)
        } else {
            self.tmp.persist_noclobber(&self.target).map(drop)
        };
        match placed {
            Ok(()) => Ok(()),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(WriteError::Refused(Refused::Exists))
            }
            Err(e) => Err(WriteError::Io(e.error)),
        }
    }
}

/// Write `body` into a temporary file beside `target`, flushed to disk, as
/// `verdict` allows (a refused verdict writes nothing); [`Staged::place`]
/// puts it in place — after a commit, say.
pub fn stage<T, E>(
    target: &Path,
    verdict: &Verdict,
    body: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<(T, Staged), WriteError<E>> {
    let replace = match verdict {
        Verdict::Refuse(r) => return Err(WriteError::Refused(r.clone())),
        Verdict::Create => false,
        Verdict::Replace => true,
    };
    let mut tmp = temp_beside(target).map_err(WriteError::Io)?;
    let out = {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        let out = body(&mut w).map_err(WriteError::Body)?;
        w.flush().map_err(WriteError::Io)?;
        out
    };
    tmp.as_file().sync_all().map_err(WriteError::Io)?;
    Ok((
        out,
        Staged {
            tmp,
            target: target.to_path_buf(),
            replace,
        },
    ))
}

/// [`stage`] and [`Staged::place`] at once.
pub fn write<T, E>(
    target: &Path,
    verdict: &Verdict,
    body: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, WriteError<E>> {
    let (out, staged) = stage(target, verdict, body)?;
    staged.place()?;
    Ok(out)
}

/// A file the desk wrote into its exports folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub path: PathBuf,
    /// The file of the wanted name that was already there and is kept.
    pub kept: Option<PathBuf>,
}

impl Saved {
    pub fn msg(&self) -> Msg {
        match &self.kept {
            None => msg!("export.saved", path = self.path.display()),
            Some(k) => msg!(
                "export.saved_beside",
                path = self.path.display(),
                kept = k.display()
            ),
        }
    }
}

impl AsRef<Path> for Saved {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// `name` with ` (n)` before its extension: `card-JS01-0001 (2).txt`, as
/// the file managers and browsers staff know name a second copy.
pub fn numbered(name: &str, n: u32) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
        _ => format!("{name} ({n})"),
    }
}

/// Write `bytes` into `dir` as `name`, never over anything: if the name is
/// taken (an earlier export, perhaps edited by hand since; or anything at
/// all), the first free `name (2)`, `name (3)`, … is used instead.
pub fn write_numbered(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<Saved> {
    std::fs::create_dir_all(dir)?;
    let first = dir.join(name);
    let mut tmp = temp_beside(&first)?;
    tmp.as_file_mut().write_all(bytes)?;
    tmp.as_file().sync_all()?;
    for n in 1..=999 {
        let path = if n == 1 {
            first.clone()
        } else {
            dir.join(numbered(name, n))
        };
        match tmp.persist_noclobber(&path) {
            Ok(_) => {
                return Ok(Saved {
                    kept: (n > 1).then(|| first.clone()),
                    path,
                });
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(e.error),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{name}: 999 copies already"),
    ))
}

pub mod station;

#[cfg(test)]
mod tests;
