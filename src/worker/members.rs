//! Requests of the members pane (pane 6): its four lists and a member's
//! detail, the steps of an application (register, approve, reject, the
//! applicant told), cards, heirs, violations and the monthly level run.

use super::DbRequest;
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::domain::trust::TrustRank;
use crate::store::members::{MemberDetail, MemberRow, NewMember};
use crate::store::standing::{LevelView, NoticeEntry, Severity};
use crate::store::{Store, StoreResult};

/// Applications waiting for review, and those decided but not yet told.
#[derive(Debug)]
pub struct ReviewList;

impl DbRequest for ReviewList {
    type Reply = Vec<MemberRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<MemberRow>> {
        store.review_list()
    }
}

/// What the monthly level run would do to every member, and why.
#[derive(Debug)]
pub struct LevelPreview {
    pub at: Stamp,
}

impl DbRequest for LevelPreview {
    type Reply = Vec<LevelView>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<LevelView>> {
        store.level_preview(self.at, false)
    }
}

/// This month's trust list (信任榜): the top ten, with number and name.
#[derive(Debug)]
pub struct TrustTop {
    pub at: Stamp,
}

impl DbRequest for TrustTop {
    type Reply = Vec<(TrustRank, String, String)>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<(TrustRank, String, String)>> {
        let tz = store.tz();
        store.trust_top(time::local_day(self.at, tz), 10)
    }
}

/// The public blacklist notice.
#[derive(Debug)]
pub struct Blacklist;

impl DbRequest for Blacklist {
    type Reply = Vec<NoticeEntry>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<NoticeEntry>> {
        store.blacklist()
    }
}

/// One member's standing: level and why, cards, violations, balance.
#[derive(Debug)]
pub struct ReadMember {
    pub member_id: i64,
    pub at: Stamp,
}

impl DbRequest for ReadMember {
    type Reply = MemberDetail;
    fn run(self, store: &mut Store) -> StoreResult<MemberDetail> {
        store.member_detail(self.member_id, self.at)
    }
}

/// A new application; the applicant as registered (no number yet).
#[derive(Debug)]
pub struct Register {
    pub by: Session,
    pub member: Box<NewMember>,
    pub at: Stamp,
}

impl DbRequest for Register {
    type Reply = MemberRow;
    fn run(self, store: &mut Store) -> StoreResult<MemberRow> {
        store.register_member(&self.by, &self.member, self.at)
    }
}

/// An application approved: the member, with their number.
#[derive(Debug)]
pub struct Approve {
    pub by: Session,
    pub member_id: i64,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for Approve {
    type Reply = MemberRow;
    fn run(self, store: &mut Store) -> StoreResult<MemberRow> {
        store.approve_member(&self.by, self.member_id, &self.note, self.at)
    }
}

/// An application rejected, with the reason the applicant is told.
#[derive(Debug)]
pub struct Reject {
    pub by: Session,
    pub member_id: i64,
    pub reason: String,
    /// The identity was found false: refused for ever.
    pub false_identity: bool,
    pub at: Stamp,
}

impl DbRequest for Reject {
    type Reply = MemberRow;
    fn run(self, store: &mut Store) -> StoreResult<MemberRow> {
        store.reject_application(
            &self.by,
            self.member_id,
            &self.reason,
            self.false_identity,
            self.at,
        )
    }
}

/// The applicant was told the decision (by phone or in person).
#[derive(Debug)]
pub struct Notified {
    pub by: Session,
    pub member_id: i64,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for Notified {
    type Reply = MemberRow;
    fn run(self, store: &mut Store) -> StoreResult<MemberRow> {
        store.record_notification(&self.by, self.member_id, &self.note, self.at)
    }
}

/// A time card issued (a valid one held is voided, with the reason).
#[derive(Debug)]
pub struct IssueCard {
    pub by: Session,
    pub member_id: i64,
    pub serial: String,
    pub reason: Option<String>,
    pub at: Stamp,
}

impl DbRequest for IssueCard {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        let reason = self.reason.as_deref();
        store
            .issue_card(&self.by, self.member_id, &self.serial, reason, self.at)
            .map(|_| ())
    }
}

/// The heir of an honor member (a direct relative).
#[derive(Debug)]
pub struct RegisterHeir {
    pub by: Session,
    pub member_id: i64,
    pub name: String,
    pub relation: String,
    pub phone: String,
    pub at: Stamp,
}

impl DbRequest for RegisterHeir {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.register_heir(
            &self.by,
            self.member_id,
            &self.name,
            &self.relation,
            &self.phone,
            self.at,
        )
    }
}

/// A violation recorded from the members pane.
#[derive(Debug)]
pub struct AddViolation {
    pub by: Session,
    pub member_id: i64,
    pub severity: Severity,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for AddViolation {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.add_violation(
            &self.by,
            self.member_id,
            self.severity,
            &self.reason,
            self.at,
        )
    }
}

/// The monthly level run, asked for by a station master; how many
/// members' levels changed.
#[derive(Debug)]
pub struct RunLevels {
    pub by: Session,
    pub at: Stamp,
}

impl DbRequest for RunLevels {
    type Reply = u32;
    fn run(self, store: &mut Store) -> StoreResult<u32> {
        store.run_monthly_levels(Some(&self.by), self.at)
    }
}
