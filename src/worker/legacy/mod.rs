//! LEGACY — the old untyped path: a [`DbCommand`] in, one [`Data`] enum out,
//! read by the app's `Pending` map (`app/mod.rs`). It is itself one kind of
//! [`DbRequest`], so the thread, the harness and the bench run it like any
//! other job. Panes move off it one by one (issue 18, phase 2: each removes
//! its variants here and its arms in `execute`); phase 3 deletes the folder.
//! New work goes into a typed request in `worker/<area>.rs`, never here.

mod execute;

pub use execute::execute;

use super::{DbRequest, Done, Lane, Ticket, open_aside};
use crate::domain::search::{SearchEntry, SearchIndex};
use crate::domain::staff::Session;
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::store::catalog::ServiceType;
use crate::store::drafts::Draft;
use crate::store::members::MemberRow;
use crate::store::overview::HeaderCounts;
use crate::store::station::NewStation;
use crate::store::{Store, StoreError};
use std::path::Path;

#[derive(Debug, Clone)]
pub enum DbCommand {
    CreateStation {
        station: NewStation,
        master: String,
        pin: String,
        at: Stamp,
    },
    SignIn {
        staff_no: String,
        pin: String,
        at: Stamp,
    },
    SaveDraft {
        staff_id: i64,
        form: String,
        data: String,
        at: Stamp,
    },
    DropDraft {
        staff_id: i64,
        form: String,
    },
    LoadDrafts {
        staff_id: i64,
    },
    Header {
        at: Stamp,
    },
    // members
    LoadIndex,
    LoadIndexEntry {
        member_id: i64,
    },
    LoadCatalog,
    ResolvePayload {
        payload: String,
    },
    /// The monthly level run, if this month's is still to do (at sign-in).
    RunLevelsIfDue {
        at: Stamp,
    },
    /// The start-up check (`quick_check`, both chains); in the desk it runs
    /// on its own connection while writes wait.
    IntegrityCheck,
    /// The wall clock went backwards: into the audit log.
    ClockBackwards {
        by: Option<i64>,
        from: Stamp,
        to: Stamp,
    },
    /// The file is damaged: find the newest backup that passes verify.
    RecoveryOffer {
        why: String,
    },
    /// Fill the in-memory helper pool while the desk is idle after start.
    WarmHelpers,
    /// A station master asks for a member's full phone numbers (logged).
    RevealPhones {
        by: Session,
        member_id: i64,
        at: Stamp,
    },
}

#[derive(Debug, Clone)]
pub enum Data {
    Done,
    Station {
        station: Station,
        settings: Box<Settings>,
        session: Session,
    },
    Session(Session),
    Drafts(Vec<Draft>),
    Header(HeaderCounts),
    Index(Box<SearchIndex>),
    IndexEntry(SearchEntry),
    Catalog(Vec<ServiceType>),
    Member(Box<MemberRow>),
    Count(u32),
    /// What to say about a damaged file, with the backup on offer.
    Offer(crate::msg::Msg),
    Revealed(crate::store::reveal::Revealed),
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub id: u64,
    pub result: Result<Data, StoreError>,
}

impl Reply {
    /// The legacy reply inside a finished job.
    pub fn open(done: Done, ticket: Ticket<DbCommand>) -> Reply {
        let id = done.id;
        Reply {
            id,
            result: ticket.open(done),
        }
    }
}

impl DbRequest for DbCommand {
    type Reply = Data;

    fn run(self, store: &mut Store) -> Result<Data, StoreError> {
        execute(store, self)
    }

    /// The start-up check and the search for a backup run on their own
    /// threads: neither holds up saving.
    fn lane(&self) -> Lane {
        match self {
            DbCommand::IntegrityCheck => Lane::Check,
            DbCommand::RecoveryOffer { .. } => Lane::Aside,
            _ => Lane::Desk,
        }
    }

    fn run_aside(self, path: &Path) -> Result<Data, StoreError> {
        match self {
            // verifying each backup can take a while; the damaged file
            // itself may not even open
            DbCommand::RecoveryOffer { why } => {
                Ok(Data::Offer(crate::store::recovery::offer(path, &why)))
            }
            // a file that does not open is a damaged file
            DbCommand::IntegrityCheck => Store::open(path, crate::store::OpenMode::Inspect, 0)
                .map_err(|e| StoreError::Damaged(e.to_string()))
                .and_then(|mut s| execute(&mut s, DbCommand::IntegrityCheck)),
            other => execute(&mut open_aside(path)?, other),
        }
    }

    /// The variant's name (`SignIn`), as the tests count commands by.
    fn name(&self) -> String {
        format!("{self:?}")
            .split([' ', '{', '('])
            .next()
            .unwrap_or("")
            .to_string()
    }
}
