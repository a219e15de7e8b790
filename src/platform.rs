//! What differs between unix and Windows, in one place. Each decision is a
//! pure function, tested on every platform: CI runs the tests on Linux only
//! (it has no Windows to run them on), so what Windows does differently is
//! kept out of the system calls, which are as thin as they can be and
//! checked by `cargo clippy --target x86_64-pc-windows-gnu` (`.ci/windows`).
//!
//! - a file's identity: device and inode on unix; on Windows the volume
//!   serial number and file index (std gives them only on nightly);
//! - the free space of a disk (`statvfs`; `GetDiskFreeSpaceExW`);
//! - the OS errors worth a message of their own: a full disk, a file open
//!   in another program (Windows locks files that are open: Excel holding
//!   the last export, a desk holding the database);
//! - path comparison: NTFS (and macOS' APFS) ignore case in names;
//! - the console around the desk (Windows: no bracketed paste, QuickEdit
//!   off while the desk runs);
//! - opening a saved page or sending it to the printer (`open`: `xdg-open`,
//!   `open`, `cmd /C start`; `lp`, the shell's "print" verb).
//!
//! Elsewhere, and needing nothing here: the database and its locks are
//! SQLite's (it locks with `LockFileEx` on Windows); a file is put in place
//! by tempfile's rename, which is `MoveFileExW` on Windows, replacing only
//! when asked (src/output.rs); std's `rename` replaces an existing file on
//! both; a folder cannot be flushed on Windows (src/store/recovery.rs); the
//! key file's privacy comes from its folder there (src/store/secret.rs);
//! the data folder is the local one (src/paths.rs); Windows' console events
//! are watched in src/runtime.rs; std writes to a Windows console in UTF-16,
//! so the desk's Chinese shows whatever the console's code page (the start
//! script still sets UTF-8 for text piped to other programs).

pub mod open;

use std::io::ErrorKind;
use std::path::Path;

/// Which kind of system the program was built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Unix,
    Windows,
}

pub const FAMILY: Family = if cfg!(windows) {
    Family::Windows
} else {
    Family::Unix
};

// ---- errors --------------------------------------------------------------

/// What an I/O error means for the staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoCause {
    DiskFull,
    /// Another program has the file open and Windows will not let it be
    /// replaced or moved (unix has no such lock).
    InUse,
    Other,
}

/// ENOSPC 28 (Linux, macOS); ERROR_HANDLE_DISK_FULL 39, ERROR_DISK_FULL
/// 112, ERROR_SHARING_VIOLATION 32 and ERROR_LOCK_VIOLATION 33 (Windows).
/// The numbers mean other things on the other system (112 is EHOSTDOWN on
/// Linux), so each is read for the family it belongs to.
pub fn io_cause(kind: ErrorKind, raw: Option<i32>, family: Family) -> IoCause {
    if kind == ErrorKind::StorageFull {
        return IoCause::DiskFull;
    }
    match (family, raw) {
        (Family::Unix, Some(28)) | (Family::Windows, Some(39 | 112)) => IoCause::DiskFull,
        (Family::Windows, Some(32 | 33)) => IoCause::InUse,
        _ => IoCause::Other,
    }
}

/// [`io_cause`] of an error of this system.
pub fn cause_of(e: &std::io::Error) -> IoCause {
    io_cause(e.kind(), e.raw_os_error(), FAMILY)
}

/// An error text (SQLite's, or an OS error put into words by std) that
/// says the disk is full, for errors that come as text only.
pub fn says_disk_full(why: &str, family: Family) -> bool {
    let os = match family {
        Family::Unix => why.contains("os error 28"),
        Family::Windows => why.contains("os error 112") || why.contains("os error 39"),
    };
    // SQLite: "database or disk is full"; glibc: "No space left on device"
    os || why.contains("disk is full") || why.contains("No space left")
}

// ---- free space ------------------------------------------------------------

/// Bytes free below which an I/O error is taken for a full disk: less
/// than SQLite needs to grow the `-shm` by one step or write a page.
pub const NEARLY_FULL: u64 = 64 * 1024;

/// A disk with `available` of `total` bytes left is (all but) full. A file
/// system of no size at all (`/proc`) is no disk.
pub fn nearly_full(available: u64, total: u64) -> bool {
    total > 0 && available < NEARLY_FULL
}

/// Bytes available to this user and the size of the disk holding the
/// folder `dir`; `None` when the system does not say.
#[cfg(unix)]
pub fn disk_space(dir: &Path) -> Option<(u64, u64)> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some((
        s.f_bavail.saturating_mul(s.f_frsize),
        s.f_blocks.saturating_mul(s.f_frsize),
    ))
}

#[cfg(windows)]
pub fn disk_space(dir: &Path) -> Option<(u64, u64)> {
    use windows_sys::Win32::Storage::FileSystem::GetDiskFreeSpaceExW;
    let wide = wide_path(dir);
    let (mut available, mut total, mut free) = (0u64, 0u64, 0u64);
    // SAFETY: `wide` is NUL-terminated and outlives the call; the three
    // out-pointers are to live u64s.
    let ok = unsafe { GetDiskFreeSpaceExW(wide.as_ptr(), &mut available, &mut total, &mut free) };
    (ok != 0).then_some((available, total))
}

#[cfg(not(any(unix, windows)))]
pub fn disk_space(_: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(windows)]
fn wide_path(p: &Path) -> Vec<u16> {
    use std::os::windows::ffi::OsStrExt;
    p.as_os_str().encode_wide().chain(Some(0)).collect()
}

// ---- file identity -----------------------------------------------------------

/// One file on its disk, whatever path leads there: (device, inode) on
/// unix, (volume serial number, file index) on Windows.
pub type FileKey = (u64, u64);

/// Windows gives the 64-bit file index in two halves.
pub fn file_index(high: u32, low: u32) -> u64 {
    (u64::from(high) << 32) | u64::from(low)
}

/// The file `path` leads to (links followed).
#[cfg(unix)]
pub fn file_key(path: &Path) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino()))
}

/// The file `path` leads to (links followed). The file is opened for no
/// access at all and shared for everything, so even a database a desk has
/// open can be looked at, and nothing waits for anything.
#[cfg(windows)]
pub fn file_key(path: &Path) -> Option<FileKey> {
    use std::os::windows::fs::OpenOptionsExt;
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_DELETE, FILE_SHARE_READ,
        FILE_SHARE_WRITE, GetFileInformationByHandle,
    };
    let f = std::fs::OpenOptions::new()
        .access_mode(0)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        // folders too (the same flag std uses for them)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)
        .ok()?;
    // SAFETY: an all-zero BY_HANDLE_FILE_INFORMATION is a valid value (plain
    // integers), and the handle is open for the whole call.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    let ok = unsafe { GetFileInformationByHandle(f.as_raw_handle() as _, &mut info) };
    (ok != 0).then(|| {
        (
            u64::from(info.dwVolumeSerialNumber),
            file_index(info.nFileIndexHigh, info.nFileIndexLow),
        )
    })
}

#[cfg(not(any(unix, windows)))]
pub fn file_key(_: &Path) -> Option<FileKey> {
    None
}

// ---- paths ----------------------------------------------------------------------

/// Whether this system's usual file system ignores case in names: NTFS
/// does, and so does macOS' APFS as installed.
pub const FOLDS_CASE: bool = cfg!(any(windows, target_os = "macos"));

/// Two canonical paths name the same place. Where names ignore case,
/// `C:\Station\STATION.DB` is `C:\station\station.db` (for names of
/// files that do not exist yet, which canonicalising cannot settle).
pub fn same_path(a: &Path, b: &Path, folds_case: bool) -> bool {
    if a == b {
        return true;
    }
    folds_case && a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
}

// ---- the console ------------------------------------------------------------------

/// How the desk sets up its console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsolePlan {
    /// Ask the terminal to mark pastes. crossterm reads Windows' console
    /// input records, which never carry a paste as one event (crossterm
    /// #737); asking anyway only makes Windows Terminal skip its warning
    /// before a paste of several lines, whose line ends then arrive as
    /// Enter presses (crossterm #962).
    pub bracketed_paste: bool,
    /// Turn the console's QuickEdit off while the desk runs: with it on, a
    /// click in a Windows console window starts a selection, and until it
    /// ends the console holds every write — the desk's screen, its clock —
    /// as if the desk had hung.
    pub quick_edit_off: bool,
}

pub fn console_plan(family: Family) -> ConsolePlan {
    match family {
        Family::Unix => ConsolePlan {
            bracketed_paste: true,
            quick_edit_off: false,
        },
        Family::Windows => ConsolePlan {
            bracketed_paste: false,
            quick_edit_off: true,
        },
    }
}

/// Windows' console input mode flags (wincon.h).
pub const ENABLE_QUICK_EDIT_MODE: u32 = 0x0040;
pub const ENABLE_EXTENDED_FLAGS: u32 = 0x0080;

/// The console input mode for the desk: `mode` with QuickEdit off. The
/// QuickEdit bit is only read when the extended-flags bit is set too.
pub fn desk_input_mode(mode: u32) -> u32 {
    (mode | ENABLE_EXTENDED_FLAGS) & !ENABLE_QUICK_EDIT_MODE
}

/// The mode to put back when the desk ends: the one found, with the
/// extended-flags bit so that its QuickEdit bit counts again.
pub fn restored_input_mode(found: u32) -> u32 {
    found | ENABLE_EXTENDED_FLAGS
}

/// The console as the desk found it, put back when dropped.
#[must_use]
pub struct ConsoleGuard {
    #[cfg(windows)]
    found: Option<u32>,
}

/// Set the console up for the desk as [`console_plan`] says (after the
/// terminal is in raw mode; the guard is dropped before it leaves it).
/// Nothing to do on unix. A console that refuses is left as it is: the
/// desk works either way.
#[cfg(windows)]
pub fn prepare_console() -> ConsoleGuard {
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetStdHandle, STD_INPUT_HANDLE, SetConsoleMode,
    };
    if !console_plan(FAMILY).quick_edit_off {
        return ConsoleGuard { found: None };
    }
    // SAFETY: GetStdHandle has no preconditions; the mode calls get a
    // handle of this process and a pointer to a live u32. A handle that is
    // not a console (stdin redirected) makes GetConsoleMode fail.
    let found = unsafe {
        let input = GetStdHandle(STD_INPUT_HANDLE);
        let mut mode = 0u32;
        if GetConsoleMode(input, &mut mode) == 0
            || SetConsoleMode(input, desk_input_mode(mode)) == 0
        {
            None
        } else {
            Some(mode)
        }
    };
    ConsoleGuard { found }
}

#[cfg(not(windows))]
pub fn prepare_console() -> ConsoleGuard {
    ConsoleGuard {}
}

#[cfg(windows)]
impl Drop for ConsoleGuard {
    fn drop(&mut self) {
        use windows_sys::Win32::System::Console::{GetStdHandle, STD_INPUT_HANDLE, SetConsoleMode};
        if let Some(found) = self.found {
            // SAFETY: as in prepare_console.
            unsafe {
                SetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), restored_input_mode(found));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_read_by_the_numbers_of_the_system_that_gave_them() {
        use Family::*;
        let other = ErrorKind::Other;
        assert_eq!(io_cause(other, Some(28), Unix), IoCause::DiskFull);
        assert_eq!(io_cause(other, Some(112), Windows), IoCause::DiskFull);
        assert_eq!(io_cause(other, Some(39), Windows), IoCause::DiskFull);
        // the same numbers on the other system are something else
        assert_eq!(io_cause(other, Some(112), Unix), IoCause::Other);
        assert_eq!(io_cause(other, Some(28), Windows), IoCause::Other);
        assert_eq!(
            io_cause(ErrorKind::StorageFull, None, Unix),
            IoCause::DiskFull
        );
        assert_eq!(
            io_cause(ErrorKind::StorageFull, None, Windows),
            IoCause::DiskFull
        );
    }

    #[test]
    fn a_file_another_program_holds_is_in_use_on_windows_only() {
        use Family::*;
        let other = ErrorKind::Other;
        // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        assert_eq!(io_cause(other, Some(32), Windows), IoCause::InUse);
        assert_eq!(io_cause(other, Some(33), Windows), IoCause::InUse);
        // EPIPE and EDOM on unix
        assert_eq!(io_cause(other, Some(32), Unix), IoCause::Other);
        assert_eq!(io_cause(other, Some(33), Unix), IoCause::Other);
        // access denied is not "in use": the OS's own words say it better
        assert_eq!(
            io_cause(ErrorKind::PermissionDenied, Some(5), Windows),
            IoCause::Other
        );
        assert_eq!(io_cause(ErrorKind::NotFound, None, Windows), IoCause::Other);
    }

    #[test]
    fn error_texts_that_say_the_disk_is_full() {
        use Family::*;
        assert!(says_disk_full("database or disk is full", Windows));
        assert!(says_disk_full(
            "No space left on device (os error 28)",
            Unix
        ));
        assert!(says_disk_full("磁盘空间不足。 (os error 112)", Windows));
        assert!(says_disk_full("(os error 39)", Windows));
        assert!(!says_disk_full("Host is down (os error 112)", Unix));
        assert!(!says_disk_full("(os error 28)", Windows));
        assert!(!says_disk_full("disk I/O error", Unix));
    }

    #[test]
    fn a_disk_is_full_below_the_margin_and_proc_is_no_disk() {
        assert!(nearly_full(0, 1 << 30));
        assert!(nearly_full(NEARLY_FULL - 1, 1 << 30));
        assert!(!nearly_full(NEARLY_FULL, 1 << 30));
        assert!(!nearly_full(0, 0));
    }

    #[test]
    fn the_free_space_of_this_disk_is_known() {
        let dir = tempfile::tempdir().unwrap();
        let (available, total) = disk_space(dir.path()).unwrap();
        assert!(total > 0 && available <= total);
        assert!(disk_space(&dir.path().join("no such folder")).is_none());
    }

    #[test]
    fn windows_file_index_halves_make_one_number() {
        assert_eq!(file_index(0, 7), 7);
        assert_eq!(file_index(1, 0), 1 << 32);
        assert_eq!(file_index(u32::MAX, u32::MAX), u64::MAX);
        assert_ne!(file_index(1, 2), file_index(2, 1));
    }

    #[test]
    fn a_file_is_known_by_any_path_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("station.db");
        let b = dir.path().join("other.db");
        std::fs::write(&a, "a").unwrap();
        std::fs::write(&b, "b").unwrap();
        let key = file_key(&a).unwrap();
        assert_eq!(
            file_key(&dir.path().join(".").join("station.db")),
            Some(key)
        );
        assert_ne!(file_key(&b), Some(key));
        // a hard link is the same file (on Windows too: no privilege needed)
        let link = dir.path().join("link.db");
        std::fs::hard_link(&a, &link).unwrap();
        assert_eq!(file_key(&link), Some(key));
        assert_eq!(file_key(&dir.path().join("missing")), None);
    }

    #[test]
    fn names_that_differ_in_case_are_one_place_where_the_disk_ignores_case() {
        let a = Path::new(r"\\?\C:\Users\desk\AppData\Local\shiguang\data\shiguang.db");
        let b = Path::new(r"\\?\C:\Users\desk\AppData\Local\shiguang\data\SHIGUANG.DB");
        assert!(same_path(a, b, true));
        assert!(!same_path(a, b, false));
        assert!(same_path(a, a, false));
        let c = Path::new("/home/desk/.local/share/shiguang/shiguang.db-wal");
        let d = Path::new("/home/desk/.local/share/shiguang/shiguang.db");
        assert!(!same_path(c, d, true));
        // Chinese names have no case: only the same name matches
        assert!(same_path(
            Path::new("备份/时光.db"),
            Path::new("备份/时光.DB"),
            true
        ));
        assert!(!same_path(
            Path::new("备份/时光.db"),
            Path::new("备份/时间.db"),
            true
        ));
    }

    #[test]
    fn the_console_is_set_up_per_system() {
        let unix = console_plan(Family::Unix);
        assert!(unix.bracketed_paste && !unix.quick_edit_off);
        let windows = console_plan(Family::Windows);
        assert!(!windows.bracketed_paste && windows.quick_edit_off);
    }

    #[test]
    fn quick_edit_goes_off_for_the_desk_and_comes_back_after() {
        // a fresh Windows 10 console: processed, line, echo, insert,
        // QuickEdit, extended flags, auto-position
        let fresh = 0x01f7;
        let desk = desk_input_mode(fresh);
        assert_eq!(desk & ENABLE_QUICK_EDIT_MODE, 0);
        assert_ne!(desk & ENABLE_EXTENDED_FLAGS, 0);
        // nothing else changes (raw mode is crossterm's)
        assert_eq!(desk | ENABLE_QUICK_EDIT_MODE, fresh);
        assert_eq!(restored_input_mode(fresh), fresh);
        // a mode read without the extended flag: put back so its QuickEdit counts
        let bare = 0x0047;
        assert_eq!(desk_input_mode(bare), 0x0087);
        assert_eq!(restored_input_mode(bare), 0x00c7);
    }
}
