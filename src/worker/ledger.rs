//! Requests of the ledger pane (pane 4): a member's statement, the
//! station's totals, the whole-chain check, corrections with four eyes,
//! freezing an account, settling an estate.

use super::{DbRequest, Lane};
use crate::domain::correction::Decision;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::store::corrections::Proposal;
use crate::store::ledger::{LedgerReport, Posted};
use crate::store::statement::{LedgerTotals, StatementView};
use crate::store::{Store, StoreResult};

/// A member's balance and statement, newest first.
#[derive(Debug)]
pub struct ReadStatement {
    pub member_id: i64,
}

impl DbRequest for ReadStatement {
    type Reply = StatementView;
    fn run(self, store: &mut Store) -> StoreResult<StatementView> {
        store.statement_view(self.member_id, None)
    }
}

/// The station's totals of today and the month, and the corrections
/// waiting for a second station master.
#[derive(Debug)]
pub struct ReadTotals {
    pub at: Stamp,
}

impl DbRequest for ReadTotals {
    type Reply = LedgerTotals;
    fn run(self, store: &mut Store) -> StoreResult<LedgerTotals> {
        store.ledger_totals(self.at)
    }
}

/// Walk both hash chains (the ledger's and the audit log's): what is
/// wrong, if anything, in one report.
#[derive(Debug)]
pub struct VerifyChain;

impl DbRequest for VerifyChain {
    type Reply = LedgerReport;
    fn run(self, store: &mut Store) -> StoreResult<LedgerReport> {
        let mut r = crate::store::ledger::verify_ledger(store.conn())?;
        let audit = crate::store::audit::verify_chain(store.conn())?;
        r.problems.extend(audit.problems);
        Ok(r)
    }

    /// Reading every row takes a while: never in front of saving.
    fn lane(&self) -> Lane {
        Lane::Aside
    }
}

/// Enter a reversal or an adjustment; it waits for a second station
/// master. The reply is the correction's id.
#[derive(Debug)]
pub struct ProposeCorrection {
    pub by: Session,
    pub proposal: Proposal,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for ProposeCorrection {
    type Reply = i64;
    fn run(self, store: &mut Store) -> StoreResult<i64> {
        store.propose_correction(&self.by, &self.proposal, &self.reason, self.at)
    }
}

/// Approve, refuse or withdraw a correction; approving posts its transfer.
#[derive(Debug)]
pub struct DecideCorrection {
    pub by: Session,
    pub id: i64,
    pub decision: Decision,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for DecideCorrection {
    type Reply = Option<Posted>;
    fn run(self, store: &mut Store) -> StoreResult<Option<Posted>> {
        store.decide_correction(&self.by, self.id, self.decision, &self.note, self.at)
    }
}

/// Freeze a member's account (with the reason) or unfreeze it.
#[derive(Debug)]
pub struct SetFrozen {
    pub by: Session,
    pub member_id: i64,
    pub frozen: bool,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for SetFrozen {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.set_frozen(&self.by, self.member_id, self.frozen, &self.reason, self.at)
    }
}

/// A deceased member's balance goes to their heir (a member, or an
/// account opened for them), else to the pool; the transfer posted, if
/// there was a balance.
#[derive(Debug)]
pub struct SettleEstate {
    pub by: Session,
    pub member_id: i64,
    pub estate: Box<crate::store::estates::EstateInput>,
    pub at: Stamp,
}

impl DbRequest for SettleEstate {
    type Reply = Option<Posted>;
    fn run(self, store: &mut Store) -> StoreResult<Option<Posted>> {
        store.settle_estate_with(&self.by, self.member_id, &self.estate, self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::Job;

    #[test]
    fn the_chain_check_runs_aside_and_the_writes_at_the_desk() {
        assert_eq!(Job::new(1, VerifyChain).0.lane, Lane::Aside);
        let read = Job::new(2, ReadStatement { member_id: 1 }).0;
        assert_eq!(
            (read.name.as_str(), read.lane),
            ("ReadStatement", Lane::Desk)
        );
    }
}
