//! Requests the desk itself makes, for what every pane shares: the
//! header's counts, the member index and the service catalog; a member
//! found by a card or a typed number; the monthly level run due at
//! sign-in; a member's phone numbers revealed; the clock going back; the
//! helper pool warmed while the desk is idle.

use super::DbRequest;
use crate::domain::search::{SearchEntry, SearchIndex};
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::store::catalog::ServiceType;
use crate::store::members::MemberRow;
use crate::store::overview::HeaderCounts;
use crate::store::reveal::Revealed;
use crate::store::{Store, StoreResult};

/// The header's counts (today's requests, overdue reviews, …).
#[derive(Debug)]
pub struct ReadHeader {
    pub at: Stamp,
}

impl DbRequest for ReadHeader {
    type Reply = HeaderCounts;
    fn run(self, store: &mut Store) -> StoreResult<HeaderCounts> {
        store.header_counts(self.at)
    }
}

/// Whether another desk wrote to the file since the last look.
#[derive(Debug)]
pub struct ReadDataVersion;

impl DbRequest for ReadDataVersion {
    type Reply = i64;
    fn run(self, store: &mut Store) -> StoreResult<i64> {
        store.data_version()
    }
}

/// Every member, as the in-memory index for search, labels and lists.
#[derive(Debug)]
pub struct LoadIndex;

impl DbRequest for LoadIndex {
    type Reply = SearchIndex;
    fn run(self, store: &mut Store) -> StoreResult<SearchIndex> {
        Ok(SearchIndex::build(store.search_entries()?))
    }
}

/// One member's entry in the index, as they now stand.
#[derive(Debug)]
pub struct LoadIndexEntry {
    pub member_id: i64,
}

impl DbRequest for LoadIndexEntry {
    type Reply = SearchEntry;
    fn run(self, store: &mut Store) -> StoreResult<SearchEntry> {
        store.search_entry(self.member_id)
    }
}

/// The service catalog.
#[derive(Debug)]
pub struct LoadCatalog;

impl DbRequest for LoadCatalog {
    type Reply = Vec<ServiceType>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<ServiceType>> {
        store.service_types()
    }
}

/// The member a scanned card (or a typed member number) names; a voided
/// card is refused.
#[derive(Debug)]
pub struct ResolvePayload {
    pub payload: String,
}

impl DbRequest for ResolvePayload {
    type Reply = MemberRow;
    fn run(self, store: &mut Store) -> StoreResult<MemberRow> {
        store.resolve_payload(&self.payload)
    }
}

/// The monthly level run, if this month's is still to do (at sign-in):
/// how many levels changed.
#[derive(Debug)]
pub struct RunLevelsIfDue {
    pub at: Stamp,
}

impl DbRequest for RunLevelsIfDue {
    type Reply = u32;
    fn run(self, store: &mut Store) -> StoreResult<u32> {
        match store.level_run_due(self.at)? {
            Some(_) => store.run_monthly_levels(None, self.at),
            None => Ok(0),
        }
    }
}

/// Fill the in-memory helper pool while the desk is idle after start.
#[derive(Debug)]
pub struct WarmHelpers;

impl DbRequest for WarmHelpers {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.warm_helpers()
    }
}

/// A station master asks for a member's full phone numbers (logged).
#[derive(Debug)]
pub struct RevealPhones {
    pub by: Session,
    pub member_id: i64,
    pub at: Stamp,
}

impl DbRequest for RevealPhones {
    type Reply = Revealed;
    fn run(self, store: &mut Store) -> StoreResult<Revealed> {
        store.reveal_phones(&self.by, self.member_id, self.at)
    }
}

/// The number a call dialog dials, in full for any staff member; logged.
#[derive(Debug)]
pub struct NumberForCall {
    pub by: Session,
    pub member_id: i64,
    pub purpose: crate::store::reveal::CallPurpose,
    /// The request, dispute or month the call is for (into the audit row).
    pub about: String,
    pub at: Stamp,
}

impl DbRequest for NumberForCall {
    type Reply = crate::store::reveal::CallNumber;
    fn run(self, store: &mut Store) -> StoreResult<Self::Reply> {
        store.number_for_call(&self.by, self.member_id, self.purpose, &self.about, self.at)
    }
}

/// The wall clock went backwards: into the audit log.
#[derive(Debug)]
pub struct ClockBackwards {
    pub by: Option<i64>,
    pub from: Stamp,
    pub to: Stamp,
}

impl DbRequest for ClockBackwards {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        let ClockBackwards { by, from, to } = self;
        store
            .write(|tx| {
                crate::store::audit::log(
                    tx,
                    to,
                    by,
                    "clock.backwards",
                    "station",
                    1,
                    serde_json::json!({"from": from, "to": to, "back_ms": from - to}),
                )
            })
            .map(|_| ())
    }
}
