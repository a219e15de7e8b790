//! Requests of the record pane (pane 3): a service posted, the day's
//! records, the weekly spot check and its results, thank-you letters.

use super::DbRequest;
use crate::domain::record::RecordInput;
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::store::records::{RecordPosted, RecordRow, SpotCheck};
use crate::store::{Store, StoreResult};

/// A recipient's balance, for the entry form's default payer.
#[derive(Debug)]
pub struct RecipientBalance {
    pub member_id: i64,
}

impl DbRequest for RecipientBalance {
    type Reply = i64;
    fn run(self, store: &mut Store) -> StoreResult<i64> {
        store.balance_of_member(self.member_id)
    }
}

/// Post a finished service and its points (once per uid: a retry gets the
/// record already posted).
#[derive(Debug)]
pub struct PostRecord {
    pub by: Session,
    pub input: Box<RecordInput>,
    pub at: Stamp,
}

impl DbRequest for PostRecord {
    type Reply = RecordPosted;
    fn run(self, store: &mut Store) -> StoreResult<RecordPosted> {
        store.post_record(&self.by, &self.input, self.at)
    }
}

/// The records entered between two instants, newest first.
#[derive(Debug)]
pub struct ListRecords {
    pub from: Stamp,
    pub to: Stamp,
    /// At most this many, newest first.
    pub limit: usize,
}

impl DbRequest for ListRecords {
    type Reply = Vec<RecordRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<RecordRow>> {
        store.records_between(self.from, self.to, self.limit)
    }
}

/// This week's spot check (drawn the first time it is asked for).
#[derive(Debug)]
pub struct ListSpotChecks {
    pub at: Stamp,
}

impl DbRequest for ListSpotChecks {
    type Reply = Vec<SpotCheck>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<SpotCheck>> {
        let day = time::local_day(self.at, store.tz());
        store.spot_check(day, self.at)
    }
}

/// The result of checking one record of the spot check (`note`: why not).
#[derive(Debug)]
pub struct RecordSpotResult {
    pub by: Session,
    pub record_id: i64,
    pub ok: bool,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for RecordSpotResult {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.spot_check_result(&self.by, self.record_id, self.ok, &self.note, self.at)
    }
}

/// A thank-you letter for a service.
#[derive(Debug)]
pub struct AddThankYou {
    pub by: Session,
    pub record_id: i64,
    pub text: String,
    pub photo_ref: String,
    pub at: Stamp,
}

impl DbRequest for AddThankYou {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.add_thank_you(
            &self.by,
            self.record_id,
            &self.text,
            &self.photo_ref,
            self.at,
        )
    }
}
