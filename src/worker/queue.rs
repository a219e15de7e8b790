//! Requests of the queue and match panes (panes 1 and 2): the demand queue,
//! the helpers for a request, and the calls made to them.

use super::DbRequest;
use crate::domain::queue::State;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg::Msg;
use crate::store::queue::{ContactRow, HelperRow, Outcome, RequestRow};
use crate::store::redemptions::MerchantService;
use crate::store::{Store, StoreResult};

/// The queue: every open request, and those closed since `since` (the
/// station day's start).
#[derive(Debug)]
pub struct ListQueue {
    pub since: Stamp,
}

impl DbRequest for ListQueue {
    type Reply = Vec<RequestRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<RequestRow>> {
        store.queue(self.since)
    }
}

/// Take in a request (the intake form).
#[derive(Debug)]
pub struct CreateRequest {
    pub by: Session,
    pub request: Box<crate::domain::queue::NewRequest>,
    pub at: Stamp,
}

impl DbRequest for CreateRequest {
    type Reply = RequestRow;
    fn run(self, store: &mut Store) -> StoreResult<RequestRow> {
        store.create_request(&self.by, &self.request, self.at)
    }
}

/// Move a request on (responded, service started) or cancel it (`note`:
/// the reason).
#[derive(Debug)]
pub struct MoveRequest {
    pub by: Session,
    pub id: i64,
    pub to: State,
    pub note: Option<String>,
    pub at: Stamp,
}

impl DbRequest for MoveRequest {
    type Reply = RequestRow;
    fn run(self, store: &mut Store) -> StoreResult<RequestRow> {
        store.move_request(&self.by, self.id, self.to, self.note.as_deref(), self.at)
    }
}

/// The service a member gave a merchant: posted, and the request as it now
/// stands (done).
#[derive(Debug)]
pub struct PostMerchantService {
    pub by: Session,
    pub service: Box<MerchantService>,
    pub at: Stamp,
}

impl DbRequest for PostMerchantService {
    type Reply = RequestRow;
    fn run(self, store: &mut Store) -> StoreResult<RequestRow> {
        store.post_merchant_service(&self.by, &self.service, self.at)?;
        store.request(self.service.request_id)
    }
}

/// The request and its eligible helpers, best first.
#[derive(Debug)]
pub struct ListHelpers {
    pub request_id: i64,
    pub at: Stamp,
}

impl DbRequest for ListHelpers {
    type Reply = (RequestRow, Vec<HelperRow>);
    fn run(self, store: &mut Store) -> StoreResult<Self::Reply> {
        store.helpers(self.request_id, self.at)
    }
}

/// Why a member may not help with a request (`None`: they may).
#[derive(Debug)]
pub struct CheckHelper {
    pub request_id: i64,
    pub member_id: i64,
    pub at: Stamp,
}

impl DbRequest for CheckHelper {
    type Reply = Option<Msg>;
    fn run(self, store: &mut Store) -> StoreResult<Option<Msg>> {
        store.helper_check(self.request_id, self.member_id, self.at)
    }
}

/// The calls made for a request, with their answers.
#[derive(Debug)]
pub struct ListContacts {
    pub request_id: i64,
}

impl DbRequest for ListContacts {
    type Reply = Vec<ContactRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<ContactRow>> {
        store.contacts(self.request_id)
    }
}

/// A call to a helper and its answer; "accepted" matches the request.
#[derive(Debug)]
pub struct LogContact {
    pub by: Session,
    pub request_id: i64,
    pub helper: i64,
    pub outcome: Outcome,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for LogContact {
    type Reply = RequestRow;
    fn run(self, store: &mut Store) -> StoreResult<RequestRow> {
        store.log_contact(
            &self.by,
            self.request_id,
            self.helper,
            self.outcome,
            &self.note,
            self.at,
        )
    }
}
