//! Headquarters (总部): every station's rows in one PostgreSQL database.
//!
//! A station works alone on its SQLite file; headquarters, with hundreds of
//! stations, uses PostgreSQL, which it can replicate and scale. Rows travel
//! in [`batch::Batch`]es — read from a station's file by the sync
//! (`crate::store::outbox`) or taken from a day bundle carried by hand — and
//! each batch is applied in one PostgreSQL transaction by [`apply`]: rows
//! are inserted if absent by their global id, a row that is there with
//! other content is an alarm, and both hash chains must continue from
//! headquarters' head for that station. Anything wrong and nothing of the
//! batch is applied.
//!
//! - [`connect`]: where the connection string comes from, TLS, timeouts;
//! - [`migrate`]: the numbered SQL files of `hq_migrations/`;
//! - [`rules`]: the checks as pure functions, [`problem`]: the alarms;
//! - [`register`]: stations, their codes, roles and keys;
//! - [`sync`]: a station's sync, batch after batch;
//! - [`ingest`]: day bundles through the same checks;
//! - [`report`]: each station's month, recomputed from the rows.

pub mod apply;
pub mod connect;
pub mod ingest;
pub mod migrate;
pub mod problem;
pub mod register;
pub mod report;
pub mod rows;
pub mod sync;

/// The batch format and its checks live in the wire, below the store.
pub use crate::wire::{batch, rules};

use crate::msg;
use crate::msg::Msg;
use rules::Problem;

/// Why a headquarters operation did not (fully) happen.
#[derive(Debug, Clone, PartialEq)]
pub enum HqError {
    /// No connection string: no flag, file, environment variable or setting.
    NoUrl,
    /// The connection string cannot be used (bad syntax, unreadable file).
    BadUrl(String),
    /// Headquarters cannot be reached (network, server down, login, TLS).
    Unreachable(String),
    /// The database has no headquarters schema, or an older one.
    Schema { found: u32, need: u32 },
    /// A batch was refused and nothing of it applied (the alarm is recorded).
    Refused(Problem),
    /// The station's own file.
    Station(String),
    /// The connection broke or the server failed during a batch: the batch
    /// was not applied; a rerun continues.
    Interrupted(String),
    /// Headquarters' database refused a statement (e.g. the role lacks a grant).
    Server(String),
    /// Headquarters' database refused a row (a duplicate key, a row-level
    /// security policy, the check on acknowledgements): within a batch it
    /// becomes the alarm it means ([`problem::Refusal::problem`]).
    Rejected(problem::Refusal),
}

impl HqError {
    pub fn msg(&self) -> Msg {
        match self {
            HqError::NoUrl => msg!("hq.error.no_url"),
            HqError::BadUrl(why) => msg!("hq.error.bad_url", why = why),
            HqError::Unreachable(why) => msg!("hq.error.unreachable", why = why),
            HqError::Schema { found, need } => {
                msg!("hq.error.schema", found = found, need = need)
            }
            HqError::Refused(p) => p.msg(),
            HqError::Station(why) => msg!("hq.error.station", why = why),
            HqError::Interrupted(why) => msg!("hq.error.interrupted", why = why),
            HqError::Server(why) => msg!("hq.error.server", why = why),
            HqError::Rejected(r) => msg!("hq.error.server", why = &r.message),
        }
    }

    /// The reason in plain words, without the sentence around it.
    pub fn reason(&self) -> String {
        match self {
            HqError::NoUrl => "no connection string".into(),
            HqError::Schema { found, need } => format!("schema {found}, need {need}"),
            HqError::Refused(p) => p.to_string(),
            HqError::Rejected(r) => r.message.clone(),
            HqError::BadUrl(w)
            | HqError::Unreachable(w)
            | HqError::Station(w)
            | HqError::Interrupted(w)
            | HqError::Server(w) => w.clone(),
        }
    }

    /// Worth trying again later as it is (the network or the server), as
    /// opposed to something a person must look at.
    pub fn is_transient(&self) -> bool {
        matches!(self, HqError::Unreachable(_) | HqError::Interrupted(_))
    }
}

impl std::fmt::Display for HqError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.msg())
    }
}

impl std::error::Error for HqError {}

impl From<postgres::Error> for HqError {
    fn from(e: postgres::Error) -> Self {
        pg_error(&e)
    }
}

/// A PostgreSQL error as an [`HqError`]: a closed connection or a server
/// going away is an interruption, anything else is reported as it is.
pub fn pg_error(e: &postgres::Error) -> HqError {
    if let Some(r) = problem::Refusal::of(e) {
        return HqError::Rejected(r);
    }
    let text = match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => connect::with_sources(e),
    };
    let lost = e.is_closed()
        || e.as_db_error().is_none()
        || e.code().is_some_and(|c| {
            let c = c.code();
            // 08: connection exception; 57P: operator intervention
            // (shutdown, crash of another backend); 40: rolled back
            c.starts_with("08") || c.starts_with("57P") || c.starts_with("40")
        });
    if lost {
        HqError::Interrupted(text)
    } else {
        HqError::Server(text)
    }
}

impl From<crate::store::StoreError> for HqError {
    fn from(e: crate::store::StoreError) -> Self {
        HqError::Station(e.to_string())
    }
}
