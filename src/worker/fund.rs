//! Requests of the fund view in the hub pane (pane 0, 驿站): the fund's
//! balance and rows, income, an expense proposed and signed, the week's
//! notice board written into `exports/`.

use super::DbRequest;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::exports::deliver::{Delivered, deliver};
use crate::exports::notice_board;
use crate::i18n::{Lang, Tr};
use crate::msg::Refusal;
use crate::print::{Delivery, Document};
use crate::store::fund::{ExpenseInput, FundEntryRow, FundView, IncomeInput, Signed};
use crate::store::{Store, StoreError, StoreResult};

/// The balance, the latest rows, the expenses waiting for signatures.
#[derive(Debug)]
pub struct ReadFund {
    pub limit: usize,
}

impl DbRequest for ReadFund {
    type Reply = FundView;
    fn run(self, store: &mut Store) -> StoreResult<FundView> {
        store.fund_view(self.limit)
    }
}

/// Money in: a fee, a subsidy, a gift.
#[derive(Debug)]
pub struct RecordIncome {
    pub by: Session,
    pub input: IncomeInput,
    pub at: Stamp,
}

impl DbRequest for RecordIncome {
    type Reply = FundEntryRow;
    fn run(self, store: &mut Store) -> StoreResult<FundEntryRow> {
        store.fund_income(&self.by, &self.input, self.at)
    }
}

/// An expense proposed (the proposer's signature its first).
#[derive(Debug)]
pub struct ProposeExpense {
    pub by: Session,
    pub input: ExpenseInput,
    pub at: Stamp,
}

impl DbRequest for ProposeExpense {
    type Reply = crate::store::fund::ExpenseRow;
    fn run(self, store: &mut Store) -> StoreResult<crate::store::fund::ExpenseRow> {
        store.propose_expense(&self.by, &self.input, self.at)
    }
}

/// A staff member's signature on a pending expense, with their PIN.
pub struct SignExpense {
    pub by: Session,
    pub expense_id: i64,
    pub staff_no: String,
    pub pin: String,
    pub at: Stamp,
}

/// The PIN is never printed (requests are logged by their Debug).
impl std::fmt::Debug for SignExpense {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignExpense")
            .field("expense_id", &self.expense_id)
            .field("staff_no", &self.staff_no)
            .finish_non_exhaustive()
    }
}

impl DbRequest for SignExpense {
    type Reply = Signed;
    fn run(self, store: &mut Store) -> StoreResult<Signed> {
        store.sign_expense(
            &self.by,
            self.expense_id,
            &self.staff_no,
            &self.pin,
            self.at,
        )
    }
}

/// The week's notice board (信任公示栏): saved as HTML into `exports/` and
/// opened, printed or left there as the printing setting says; its
/// document comes back to be shown at the desk.
#[derive(Debug)]
pub struct NoticeBoard {
    pub how: Delivery,
    pub at: Stamp,
}

impl DbRequest for NoticeBoard {
    type Reply = (Delivered, Document);
    fn run(self, store: &mut Store) -> StoreResult<(Delivered, Document)> {
        let refused = |m| StoreError::Refused(Refusal::general(m));
        let today = crate::domain::time::local_day(self.at, store.tz());
        let (doc, name) = notice_board::week_document(store, today).map_err(refused)?;
        let tr = Tr::new(Lang::Zh);
        let dir = crate::exports::exports_dir(store);
        let launch = crate::platform::open::spawn;
        let done = deliver(&doc, &dir, &name, self.how, &tr, &launch).map_err(refused)?;
        Ok((done, doc))
    }
}
