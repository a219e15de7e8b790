//! Requests of F2 and F10 (the day's routine): the day as it stands, its
//! opening with the checklist, the midday duty, the replenished items, its
//! close and reopening, and the sync with headquarters after a close.

use super::{DbRequest, Lane};
use crate::domain::close::Closing;
use crate::domain::day::Checked;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::hq::HqError;
use crate::hq::sync::SyncReport;
use crate::routines::close_day;
use crate::store::days::{Closed, Via};
use crate::store::overview::DayInfo;
use crate::store::{Store, StoreResult};
use chrono::NaiveDate;

/// What the routine shows of the day of `at`, or of `day` (an earlier day
/// left open).
#[derive(Debug)]
pub struct ReadDay {
    pub at: Stamp,
    pub day: Option<NaiveDate>,
}

impl DbRequest for ReadDay {
    type Reply = DayInfo;
    fn run(self, store: &mut Store) -> StoreResult<DayInfo> {
        store.day_info(self.at, self.day)
    }
}

/// Open today with the checklist as ticked; today as it now stands.
#[derive(Debug)]
pub struct OpenDay {
    pub by: Session,
    pub checks: Vec<Checked>,
    pub at: Stamp,
}

impl DbRequest for OpenDay {
    type Reply = DayInfo;
    fn run(self, store: &mut Store) -> StoreResult<DayInfo> {
        store.open_day(&self.by, &self.checks, self.at)?;
        store.day_info(self.at, None)
    }
}

/// Who is on duty over midday; today as it now stands.
#[derive(Debug)]
pub struct MiddayDuty {
    pub by: Session,
    pub staff_id: i64,
    pub at: Stamp,
}

impl DbRequest for MiddayDuty {
    type Reply = DayInfo;
    fn run(self, store: &mut Store) -> StoreResult<DayInfo> {
        store.midday_duty(&self.by, self.staff_id, self.at)?;
        store.day_info(self.at, None)
    }
}

/// An item short at the opening is back; today as it now stands.
#[derive(Debug)]
pub struct MarkReplenished {
    pub by: Session,
    pub id: i64,
    pub at: Stamp,
}

impl DbRequest for MarkReplenished {
    type Reply = DayInfo;
    fn run(self, store: &mut Store) -> StoreResult<DayInfo> {
        store.replenished(&self.by, self.id, self.at)?;
        store.day_info(self.at, None)
    }
}

/// Close `day`: backup, summary, bundle (or what the close of a day closed
/// already left).
#[derive(Debug)]
pub struct CloseDay {
    pub by: Session,
    pub day: NaiveDate,
    pub story: String,
    pub docs_locked: bool,
    pub at: Stamp,
}

impl DbRequest for CloseDay {
    type Reply = Closed;
    fn run(self, store: &mut Store) -> StoreResult<Closed> {
        let closing = Closing {
            story: &self.story,
            docs_locked: self.docs_locked,
        };
        let by = Some(&self.by);
        close_day::close(store, by, Via::Desk, self.day, closing, self.at)
    }
}

/// Reopen a closed day (a station master, with a reason); that day as it
/// now stands.
#[derive(Debug)]
pub struct ReopenDay {
    pub by: Session,
    pub day: NaiveDate,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for ReopenDay {
    type Reply = DayInfo;
    fn run(self, store: &mut Store) -> StoreResult<DayInfo> {
        store.reopen_day(&self.by, self.day, &self.reason, self.at)?;
        store.day_info(self.at, Some(self.day))
    }
}

/// After a close: the station's rows to headquarters, when the station has
/// its address (`None`: it has none).
#[derive(Debug)]
pub struct SyncHq;

impl DbRequest for SyncHq {
    type Reply = Option<Result<SyncReport, HqError>>;

    fn run(self, store: &mut Store) -> StoreResult<Self::Reply> {
        Ok(close_day::sync(store))
    }

    /// On its own read-only connection: the network never holds up saving.
    fn lane(&self) -> Lane {
        Lane::Aside
    }
}
