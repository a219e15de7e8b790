//! Requests of the tool corner (pane 0, 驿站, its tools view): the items
//! and the loans, lending, taking back, a loss written off.

use super::DbRequest;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::domain::tool::{Condition, Loss};
use crate::store::tools::{LoanRow, ToolItem};
use crate::store::{Store, StoreResult};
use chrono::NaiveDate;

/// The items with their counts and the loans not yet back.
#[derive(Debug)]
pub struct ListTools {
    pub at: Stamp,
}

impl DbRequest for ListTools {
    type Reply = (Vec<ToolItem>, Vec<LoanRow>);
    fn run(self, store: &mut Store) -> StoreResult<(Vec<ToolItem>, Vec<LoanRow>)> {
        Ok((store.tool_items(self.at)?, store.open_loans()?))
    }
}

/// The loans past due (the callback list: who to call).
#[derive(Debug)]
pub struct OverdueLoans {
    pub at: Stamp,
}

impl DbRequest for OverdueLoans {
    type Reply = Vec<LoanRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<LoanRow>> {
        store.overdue_loans(self.at)
    }
}

/// Lend one of an item to a member.
#[derive(Debug)]
pub struct Lend {
    pub by: Session,
    pub item_id: i64,
    pub member_id: i64,
    pub due: NaiveDate,
    pub at: Stamp,
}

impl DbRequest for Lend {
    type Reply = LoanRow;
    fn run(self, store: &mut Store) -> StoreResult<LoanRow> {
        store.lend_tool(&self.by, self.item_id, self.member_id, self.due, self.at)
    }
}

/// A loan back, in the condition it came.
#[derive(Debug)]
pub struct TakeBack {
    pub by: Session,
    pub loan_id: i64,
    pub condition: Condition,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for TakeBack {
    type Reply = LoanRow;
    fn run(self, store: &mut Store) -> StoreResult<LoanRow> {
        store.return_tool(&self.by, self.loan_id, self.condition, &self.note, self.at)
    }
}

/// One lost or broken: how many of the item are left.
#[derive(Debug)]
pub struct WriteOff {
    pub by: Session,
    pub item_id: i64,
    pub loan_id: Option<i64>,
    pub loss: Loss,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for WriteOff {
    type Reply = u32;
    fn run(self, store: &mut Store) -> StoreResult<u32> {
        store.write_off_tool(
            &self.by,
            self.item_id,
            self.loan_id,
            self.loss,
            &self.note,
            self.at,
        )
    }
}
