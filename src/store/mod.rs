//! All SQL lives here. One [`Store`] owns one connection; the app talks to it
//! through the db worker (`crate::worker`), the CLI directly.

pub mod activities;
pub mod applications;
pub mod audit;
pub mod backup;
pub mod backup_delta;
pub mod catalog;
pub mod complaints;
pub mod corrections;
pub mod covers;
mod day_rows;
pub mod days;
pub mod disputes;
pub mod drafts;
pub mod estates;
pub mod files;
pub mod fund;
pub mod gate;
mod helper_pool;
pub mod ledger;
pub mod medals;
pub mod members;
pub mod merchants;
pub mod migrate;
mod opening;
pub mod outbox;
pub mod overview;
pub mod owed;
pub mod pin;
pub mod probe;
pub mod queue;
pub mod records;
pub mod recovery;
pub mod redemptions;
pub mod reveal;
pub mod secret;
mod seeding;
pub mod staff;
pub mod standing;
pub mod statement;
pub mod station;
pub mod stats;
pub mod tools;
mod uid;
pub mod verify;
pub(crate) mod verify_covers;
pub mod witness;

use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::{Msg, Refusal};
use opening::{check_path, classify_open};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use std::path::{Path, PathBuf};
pub use uid::{SeededUids, new_uid, seeded_uids};

pub use crate::output::station::APPLICATION_ID;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Why a database file cannot be opened for the desk.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenError {
    IsDirectory(PathBuf),
    NotWritable(PathBuf, String),
    /// The file (or its `-wal`/`-shm`) cannot be written.
    ReadOnly(PathBuf),
    /// The disk holding it is full.
    DiskFull(PathBuf),
    NotSqlite(PathBuf),
    Foreign(PathBuf),
    Damaged(PathBuf, String),
    Newer {
        found: u32,
        known: u32,
    },
    MigrationEdited(u32),
    /// The backup a new version makes before it changes the file failed.
    UpdateBackup {
        dir: PathBuf,
        why: String,
    },
    NoWal(String),
    Sqlite(String),
}

impl OpenError {
    pub fn msg(&self) -> Msg {
        match self {
            OpenError::IsDirectory(p) => msg!("db.error.directory", path = p.display()),
            OpenError::NotWritable(p, why) => {
                msg!("db.error.not_writable", path = p.display(), why = why)
            }
            OpenError::ReadOnly(p) => msg!("db.error.read_only", path = p.display()),
            OpenError::DiskFull(p) => msg!("db.error.disk_full_open", path = p.display()),
            OpenError::NotSqlite(p) => msg!("db.error.not_sqlite", path = p.display()),
            OpenError::Foreign(p) => msg!("db.error.foreign", path = p.display()),
            OpenError::Damaged(p, why) => msg!("db.error.damaged", path = p.display(), why = why),
            OpenError::Newer { found, known } => {
                msg!("db.error.newer", found = found, known = known)
            }
            OpenError::MigrationEdited(v) => msg!("db.error.migration_edited", version = v),
            OpenError::UpdateBackup { dir, why } => {
                msg!("db.error.update_backup", dir = dir.display(), why = why)
            }
            OpenError::NoWal(why) => msg!("db.error.no_wal", why = why),
            OpenError::Sqlite(why) => msg!("db.error.sqlite", why = why),
        }
    }

    /// Damage the desk must not write over (the backup restore path offers help).
    pub fn is_damage(&self) -> bool {
        matches!(self, OpenError::NotSqlite(_) | OpenError::Damaged(..))
    }
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.msg())
    }
}

/// Why a store operation did not happen. Nothing was written in every case.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// A rule said no; the message says which and at which field.
    Refused(Refusal),
    /// Several rules said no, each at its field (a whole form checked at once).
    Invalid(Vec<Refusal>),
    /// The disk (or the page limit) is full.
    DiskFull,
    /// Another program holds the database lock for too long.
    Busy,
    /// The file cannot be written (modes, a read-only drive).
    ReadOnly,
    /// The disk failed a read or write (a full disk is [`StoreError::DiskFull`]).
    Io(String),
    /// The file is damaged or otherwise unusable for writing.
    Damaged(String),
    Other(String),
}

impl StoreError {
    pub fn msg(&self) -> Msg {
        match self {
            StoreError::Refused(r) => r.msg.clone(),
            StoreError::Invalid(v) => v
                .first()
                .map(|r| r.msg.clone())
                .unwrap_or_else(|| msg!("record.invalid")),
            StoreError::DiskFull => msg!("db.error.disk_full"),
            StoreError::Busy => msg!("db.error.busy"),
            StoreError::ReadOnly => msg!("db.error.read_only_write"),
            StoreError::Io(why) => msg!("db.error.io", why = why),
            StoreError::Damaged(why) => msg!("db.error.damaged_write", why = why),
            StoreError::Other(why) => msg!("db.error.sqlite", why = why),
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            StoreError::Refused(r) => r.field,
            StoreError::Invalid(v) => v.first().and_then(|r| r.field),
            _ => None,
        }
    }

    /// Every refusal, for showing at their fields.
    pub fn refusals(&self) -> Vec<Refusal> {
        match self {
            StoreError::Refused(r) => vec![r.clone()],
            StoreError::Invalid(v) => v.clone(),
            other => vec![Refusal::general(other.msg())],
        }
    }
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Refused(r) => write!(f, "{r}"),
            StoreError::Invalid(v) => write!(
                f,
                "{}",
                v.iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            other => write!(f, "{}", other.msg()),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        StoreError::Refused(r)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::SystemIoFailure) => StoreError::Io(e.to_string()),
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
                StoreError::Damaged(e.to_string())
            }
            _ => StoreError::Other(e.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        if crate::output::is_disk_full(&e) {
            StoreError::DiskFull
        } else {
            StoreError::Other(e.to_string())
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Other(e.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// How much checking to do on open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The desk and CLI writers: create if missing, migrate, `quick_check`.
    Desk,
    /// The desk when the full check runs in the background after the first
    /// frame (large stations): create and migrate, but no `quick_check` here.
    DeskDeferredCheck,
    /// `verify`: never create or migrate; read only.
    Inspect,
}

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    station: Option<Station>,
    settings: Settings,
    /// The key of identity-number hashes; `None` when its file is missing.
    pub(crate) secret: Option<[u8; 32]>,
    /// Writes wait here while the start-up check runs.
    gate: Option<std::sync::Arc<gate::Gate>>,
    /// Approved members' facts for ranking helpers, kept in memory.
    helpers: std::cell::RefCell<helper_pool::HelperPool>,
    /// No file at `path` yet: nothing is created until the station is set
    /// up (see [`Store::not_yet_created`]).
    pub(crate) not_created: bool,
}

impl Store {
    /// Open (creating if needed) the database at `path` for the desk.
    pub fn open(path: &Path, mode: OpenMode, now: Stamp) -> Result<Store, OpenError> {
        // Long because: the opening checks in the order they must run (owner, read-only, configure, application id, schema state, backup before migrating, key); each step depends on the one before.
        check_path(path, mode)?;
        // whose the file is, read only, before any connection that could
        // write to it (even `journal_mode = WAL` writes)
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            probe::recognise(path)?;
        }
        if mode != OpenMode::Inspect
            && let Some(part) = probe::read_only_part(path)
        {
            return Err(OpenError::ReadOnly(part));
        }
        let flags = match mode {
            OpenMode::Inspect => OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            _ => {
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
            }
        };
        let mut conn =
            Connection::open_with_flags(path, flags).map_err(|e| classify_open(path, e))?;
        if mode != OpenMode::Inspect && conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(OpenError::ReadOnly(path.to_path_buf()));
        }
        configure(&conn, mode).map_err(|e| classify_open(path, e))?;
        let app_id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| classify_open(path, e))?;
        let state = migrate::state(&conn).map_err(|e| classify_open(path, e))?;
        match state {
            migrate::MigrationState::Empty => {
                let objects: i64 = conn
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                    .map_err(|e| classify_open(path, e))?;
                if objects > 0 || (app_id != 0 && app_id != APPLICATION_ID) {
                    return Err(OpenError::Foreign(path.to_path_buf()));
                }
            }
            // no id but our schema: a file from before the id was checked
            _ if app_id != APPLICATION_ID && app_id != 0 => {
                return Err(OpenError::Foreign(path.to_path_buf()));
            }
            migrate::MigrationState::Newer { found } => {
                return Err(OpenError::Newer {
                    found,
                    known: migrate::latest_version(),
                });
            }
            migrate::MigrationState::Edited { version } => {
                return Err(OpenError::MigrationEdited(version));
            }
            _ => {}
        }
        if mode != OpenMode::Inspect && matches!(state, migrate::MigrationState::Behind { .. }) {
            // a new version's first start: a copy to go back to, before
            // anything in the file changes (docs/install.md, "Updating")
            let day = chrono::DateTime::from_timestamp_millis(now)
                .unwrap_or_default()
                .with_timezone(&chrono::Local)
                .format("%Y%m%d");
            let label = format!("before-{}-{day}", env!("CARGO_PKG_VERSION"));
            backup::before_update(&conn, path, &label)
                .map_err(|(dir, why)| OpenError::UpdateBackup { dir, why })?;
        }
        if mode != OpenMode::Inspect && app_id != APPLICATION_ID {
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(|e| classify_open(path, e))?;
        }
        if mode != OpenMode::Inspect && !matches!(state, migrate::MigrationState::UpToDate) {
            migrate::apply(&mut conn, now).map_err(|e| classify_open(path, e))?;
            // only space is at stake: a file that cannot be compacted now
            // (no room for VACUUM's copy) opens whole, only larger
            migrate::give_back_freed(&conn).ok();
        }
        if mode != OpenMode::Inspect {
            drafts::scrub_id_numbers(&conn)
                .and_then(|_| drafts::run_maintenance(&conn))
                .map_err(|e| classify_open(path, e))?;
            covers::install(&conn).map_err(|e| classify_open(path, e))?;
        }
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            station: None,
            settings: Settings::default(),
            secret: None,
            gate: None,
            helpers: Default::default(),
            not_created: false,
        };
        store
            .reload()
            .map_err(|e| OpenError::Sqlite(e.to_string()))?;
        // Inspecting reads the key (to sign a bundle written again) but never
        // creates one: a missing key is a finding, not something to make up.
        // Nor once anyone's PIN or ID number was hashed with it.
        let may_create = mode != OpenMode::Inspect && {
            let hashed: i64 = store
                .conn
                .query_row(
                    "SELECT (SELECT count(*) FROM members) + (SELECT count(*) FROM staff)",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| OpenError::Sqlite(e.to_string()))?;
            hashed == 0
        };
        store.secret = secret::load_or_create(path, may_create)
            .map_err(|why| OpenError::NotWritable(secret::key_path(path), why))?;
        if let (Some(key), true) = (store.secret, mode != OpenMode::Inspect) {
            pin::seal_legacy_hashes(&mut store.conn, &key).map_err(|e| classify_open(path, e))?;
        }
        Ok(store)
    }

    /// The desk on a database file that does not exist yet: an empty store
    /// in memory (no tables, so nothing can be saved into it by mistake)
    /// until the first-run setup creates the file (see
    /// [`Store::create_station`]).
    pub fn not_yet_created(path: &Path) -> Result<Store, OpenError> {
        let conn = Connection::open_in_memory().map_err(|e| OpenError::Sqlite(e.to_string()))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            station: None,
            settings: Settings::default(),
            secret: None,
            gate: None,
            helpers: Default::default(),
            not_created: true,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The station, once set up. `None` before the first-run setup.
    pub fn station(&self) -> Option<&Station> {
        self.station.as_ref()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Re-read the cached station row and settings.
    pub fn reload(&mut self) -> StoreResult<()> {
        self.station = station::load_station(&self.conn)?;
        self.settings = station::load_settings(&self.conn)?;
        Ok(())
    }

    /// Run `f` in one IMMEDIATE transaction: everything it writes commits
    /// together or not at all.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let written = (|| {
            let tx = self.begin()?;
            let out = f(&tx)?;
            audit::seal(&tx)?;
            tx.commit()?;
            Ok(out)
        })();
        // SQLite says "disk I/O error" when the -shm or -wal cannot grow
        written.map_err(|e| match e {
            StoreError::Io(_) if probe::disk_full_at(&self.path) => StoreError::DiskFull,
            e => e,
        })
    }

    /// An IMMEDIATE transaction, once the start-up check lets writes through.
    pub(crate) fn begin(&mut self) -> StoreResult<Transaction<'_>> {
        if let Some(g) = &self.gate {
            g.wait().map_err(StoreError::Damaged)?;
        }
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Hold writes at `gate` until the background check opens it.
    pub fn set_gate(&mut self, gate: std::sync::Arc<gate::Gate>) {
        self.gate = Some(gate);
    }

    /// The start-up check: `quick_check` and both hash chains (the ledger
    /// here, the rest on a second read-only connection: two cores).
    pub fn startup_check(&self) -> Result<(), String> {
        let path = self.path.clone();
        std::thread::scope(|scope| {
            let other = scope.spawn(move || -> Result<(), String> {
                let c = Connection::open_with_flags(
                    &path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(|e| e.to_string())?;
                configure(&c, OpenMode::Inspect).map_err(|e| e.to_string())?;
                quick_check(&c)?;
                let audit = audit::verify_chain(&c).map_err(|e| e.to_string())?;
                audit.problems.into_iter().next().map_or(Ok(()), Err)
            });
            let ledger = ledger::verify_ledger(&self.conn).map_err(|e| e.to_string())?;
            other
                .join()
                .map_err(|_| "the check thread failed".to_string())??;
            ledger.problems.into_iter().next().map_or(Ok(()), Err)
        })
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// `PRAGMA quick_check` on demand (the deferred check of large stations).
    pub fn quick_check(&self) -> Result<(), String> {
        quick_check(&self.conn)
    }
}

/// Durability and integrity settings, on every connection the app opens.
pub fn configure(conn: &Connection, mode: OpenMode) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    if mode != OpenMode::Inspect {
        let journal: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !journal.eq_ignore_ascii_case("wal") {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "journal_mode stayed {journal}"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        // deleted and overwritten rows are zeroed, not left in freed space
        // (drafts once held ID numbers; the cost is within noise: docs/operations.md)
        conn.pragma_update(None, "secure_delete", true)?;
    }
    Ok(())
}

/// For a whole-file read (`shiguang verify`): the pages stream through a
/// small cache instead of a map of the whole file. A map made verify's
/// resident size the size of the file (2.6 GB at a million transfers, on a
/// 4 GB station PC) and was no faster: each page is read once, in order,
/// and the system's file cache does the read-ahead either way.
pub(crate) fn stream_whole_file(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "mmap_size", 0)?;
    conn.pragma_update(None, "cache_size", -STREAM_CACHE_KIB)
}

/// Each verify connection's page cache, in KiB: enough for the inner pages
/// of the indexes the cover checks look up; the leaves are read once.
const STREAM_CACHE_KIB: i64 = 16 * 1024;

fn quick_check(conn: &Connection) -> Result<(), String> {
    let mut stmt = conn
        .prepare("PRAGMA quick_check")
        .map_err(|e| e.to_string())?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .map_err(|e| e.to_string())?;
    if rows.len() == 1 && rows[0] == "ok" {
        Ok(())
    } else {
        Err(rows.join("; "))
    }
}
