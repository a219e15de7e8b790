//! Requests of the stats pane (pane 7): the period figures and KPIs, and
//! this month's satisfaction callbacks.

use super::DbRequest;
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::store::stats::{Callback, Stats};
use crate::store::{Store, StoreResult};

/// Today, this week and this month; the month's KPIs; the 30-day series.
#[derive(Debug)]
pub struct ReadStats {
    pub at: Stamp,
}

impl DbRequest for ReadStats {
    type Reply = Stats;
    fn run(self, store: &mut Store) -> StoreResult<Stats> {
        store.stats(self.at)
    }
}

/// This month's callback list as it stands (empty until drawn).
#[derive(Debug)]
pub struct ListCallbacks {
    pub at: Stamp,
}

impl DbRequest for ListCallbacks {
    type Reply = Vec<Callback>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<Callback>> {
        store.callbacks(time::local_day(self.at, store.tz()))
    }
}

/// Draw this month's callback list (once a month), and read it.
#[derive(Debug)]
pub struct DrawCallbacks {
    pub by: Session,
    pub at: Stamp,
}

impl DbRequest for DrawCallbacks {
    type Reply = Vec<Callback>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<Callback>> {
        store.draw_callbacks(&self.by, self.at)
    }
}

/// What a member called back said; the month's list as it now stands.
#[derive(Debug)]
pub struct AnswerCallback {
    pub by: Session,
    pub member_id: i64,
    pub satisfied: bool,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for AnswerCallback {
    type Reply = Vec<Callback>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<Callback>> {
        store.answer_callback(
            &self.by,
            self.member_id,
            self.satisfied,
            &self.note,
            self.at,
        )?;
        store.callbacks(time::local_day(self.at, store.tz()))
    }
}
