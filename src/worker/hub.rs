//! Requests of the hub pane (pane 0, 驿站): activities, their plans,
//! sign-up and attendance.
//!
//! Every write answers with the activity as it now stands.

use super::DbRequest;
use crate::domain::activity::Plan;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::store::activities::{ActivityRow, AttendeeRow};
use crate::store::{Store, StoreResult};
use chrono::NaiveDate;

/// The activities starting in `[from, to)`.
#[derive(Debug)]
pub struct ListActivities {
    pub from: Stamp,
    pub to: Stamp,
}

impl DbRequest for ListActivities {
    type Reply = Vec<ActivityRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<ActivityRow>> {
        store.activities(self.from, self.to)
    }
}

/// Who signed up for one activity and who came.
#[derive(Debug)]
pub struct ReadAttendees {
    pub activity_id: i64,
}

impl DbRequest for ReadAttendees {
    type Reply = Vec<AttendeeRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<AttendeeRow>> {
        store.attendees(self.activity_id)
    }
}

/// Save a plan.
#[derive(Debug)]
pub struct PlanActivity {
    pub by: Session,
    pub plan: Box<Plan>,
    pub at: Stamp,
}

impl DbRequest for PlanActivity {
    type Reply = ActivityRow;
    fn run(self, store: &mut Store) -> StoreResult<ActivityRow> {
        store.plan_activity(&self.by, &self.plan, self.at)
    }
}

/// The handbook's regular activities of the coming week; how many were
/// added.
#[derive(Debug)]
pub struct PlanRegular {
    pub by: Session,
    pub from: NaiveDate,
    pub at: Stamp,
}

impl DbRequest for PlanRegular {
    type Reply = u32;
    fn run(self, store: &mut Store) -> StoreResult<u32> {
        store.plan_regular(&self.by, self.from, 7, self.at)
    }
}

/// Sign a member up for an activity.
#[derive(Debug)]
pub struct SignUp {
    pub by: Session,
    pub activity_id: i64,
    pub member_id: i64,
    pub at: Stamp,
}

impl DbRequest for SignUp {
    type Reply = ActivityRow;
    fn run(self, store: &mut Store) -> StoreResult<ActivityRow> {
        store.sign_up(&self.by, self.activity_id, self.member_id, self.at)
    }
}

/// A participant came: the activity and the points they earned.
#[derive(Debug)]
pub struct Attend {
    pub by: Session,
    pub activity_id: i64,
    pub member_id: i64,
    pub minutes: u32,
    pub at: Stamp,
}

impl DbRequest for Attend {
    type Reply = (ActivityRow, i64);
    fn run(self, store: &mut Store) -> StoreResult<(ActivityRow, i64)> {
        store.attend(
            &self.by,
            self.activity_id,
            self.member_id,
            self.minutes,
            self.at,
        )
    }
}
