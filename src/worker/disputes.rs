//! Requests of the disputes pane (pane 5): the dispute log and one case's
//! timeline, taking in disputes and suggestions, contacts, safety reports,
//! decisions, telling the parties, replies to suggestions.
//!
//! Every write answers with the case as it now stands.

use super::DbRequest;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::store::disputes::{ContactRow, Decision, DisputeRow, NewDispute};
use crate::store::records::RecordRow;
use crate::store::{Store, StoreResult};

/// The log: every case still open, and those touched since `since`.
#[derive(Debug)]
pub struct ListDisputes {
    pub since: Stamp,
}

impl DbRequest for ListDisputes {
    type Reply = Vec<DisputeRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<DisputeRow>> {
        store.disputes(self.since)
    }
}

/// One case and the contacts made with its parties (its timeline).
#[derive(Debug)]
pub struct ReadDispute {
    pub id: i64,
}

impl DbRequest for ReadDispute {
    type Reply = (DisputeRow, Vec<ContactRow>);
    fn run(self, store: &mut Store) -> StoreResult<Self::Reply> {
        let d = store.dispute(self.id)?;
        Ok((d, store.dispute_contacts(self.id)?))
    }
}

/// The last services between two members: what a dispute may be about.
#[derive(Debug)]
pub struct PartyRecords {
    pub a: i64,
    pub b: i64,
}

impl DbRequest for PartyRecords {
    type Reply = Vec<RecordRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<RecordRow>> {
        store.records_of_pair(self.a, self.b, 10)
    }
}

/// Take in a dispute or a suggestion.
#[derive(Debug)]
pub struct OpenDispute {
    pub by: Session,
    pub dispute: Box<NewDispute>,
    pub at: Stamp,
}

impl DbRequest for OpenDispute {
    type Reply = DisputeRow;
    fn run(self, store: &mut Store) -> StoreResult<DisputeRow> {
        store.open_dispute(&self.by, &self.dispute, self.at)
    }
}

/// A contact with one of the parties (or someone else), and what they said.
#[derive(Debug)]
pub struct ContactParty {
    pub by: Session,
    pub id: i64,
    pub party: String,
    pub how: String,
    pub said: String,
    pub at: Stamp,
}

impl DbRequest for ContactParty {
    type Reply = DisputeRow;
    fn run(self, store: &mut Store) -> StoreResult<DisputeRow> {
        store.dispute_contact(
            &self.by,
            self.id,
            &self.party,
            &self.how,
            &self.said,
            self.at,
        )
    }
}

/// A safety case reported to headquarters (`review` false), or its review.
#[derive(Debug)]
pub struct ReportSafety {
    pub by: Session,
    pub id: i64,
    pub review: bool,
    pub text: String,
    pub at: Stamp,
}

impl DbRequest for ReportSafety {
    type Reply = DisputeRow;
    fn run(self, store: &mut Store) -> StoreResult<DisputeRow> {
        store.dispute_safety(&self.by, self.id, self.review, &self.text, self.at)
    }
}

/// Decide a case, with its effects on the ledger and on standing.
#[derive(Debug)]
pub struct DecideDispute {
    pub by: Session,
    pub id: i64,
    pub decision: Box<Decision>,
    pub at: Stamp,
}

impl DbRequest for DecideDispute {
    type Reply = DisputeRow;
    fn run(self, store: &mut Store) -> StoreResult<DisputeRow> {
        store
            .decide_dispute(&self.by, self.id, &self.decision, self.at)
            .map(|(d, _)| d)
    }
}

/// The parties were told the decision, and how.
#[derive(Debug)]
pub struct TellParties {
    pub by: Session,
    pub id: i64,
    pub how: String,
    pub at: Stamp,
}

impl DbRequest for TellParties {
    type Reply = DisputeRow;
    fn run(self, store: &mut Store) -> StoreResult<DisputeRow> {
        store.tell_parties(&self.by, self.id, &self.how, self.at)
    }
}

/// The station's reply to a suggestion.
#[derive(Debug)]
pub struct ReplySuggestion {
    pub by: Session,
    pub id: i64,
    pub reply: String,
    pub at: Stamp,
}

impl DbRequest for ReplySuggestion {
    type Reply = DisputeRow;
    fn run(self, store: &mut Store) -> StoreResult<DisputeRow> {
        store.reply_suggestion(&self.by, self.id, &self.reply, self.at)
    }
}

/// Mark a case decided against the provider a verified serious complaint.
#[derive(Debug)]
pub struct MarkSerious {
    pub by: Session,
    pub id: i64,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for MarkSerious {
    type Reply = DisputeRow;
    fn run(self, store: &mut Store) -> StoreResult<DisputeRow> {
        store.mark_serious(&self.by, self.id, &self.reason, self.at)
    }
}

/// The merchants a complaint may be about (those not ended), and the
/// verified complaints of each: `(id, name, complaints)`.
#[derive(Debug)]
pub struct ComplaintMerchants;

impl DbRequest for ComplaintMerchants {
    type Reply = Vec<(i64, String, u32)>;
    fn run(self, store: &mut Store) -> StoreResult<Self::Reply> {
        let mut out = Vec::new();
        for m in store.merchants()? {
            if m.status != crate::domain::merchant::Status::Ended {
                out.push((m.id, m.name.clone(), store.merchant_complaints(m.id)?));
            }
        }
        Ok(out)
    }
}
