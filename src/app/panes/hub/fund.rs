//! The hub's fund view (共管账户 and the 信任公示栏): the balance, the
//! latest rows, the expenses waiting for signatures (selected with ↑↓),
//! income, an expense proposed, a signature, the week's notice board.

use super::fund_forms::{
    expense_form, income_form, parse_expense, parse_income, parse_sign, sign_form,
};
use super::{HubFormKind, HubMsg, HubPane};
use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::domain::merchant::yuan;
use crate::msg;
use crate::print::Document;
use crate::store::StoreResult;
use crate::store::fund::{ExpenseRow, FundEntryRow, FundView, Signed};
use crate::worker::fund::{NoticeBoard, ProposeExpense, ReadFund, RecordIncome, SignExpense};

/// Rows the view reads (the notice board has the whole week).
const ROWS: usize = 50;

/// What comes back to the fund view.
#[derive(Debug, Clone, PartialEq)]
pub enum FundMsg {
    Viewed(StoreResult<FundView>),
    Income(StoreResult<FundEntryRow>),
    Proposed(StoreResult<ExpenseRow>),
    Signed(StoreResult<Signed>),
    Board(StoreResult<(crate::exports::deliver::Delivered, Document)>),
}

#[derive(Debug, Clone, Default)]
pub struct FundState {
    pub view: FundView,
    /// The pending expense selected.
    pub sel: usize,
    /// The notice board last generated, shown in place of the rows.
    pub board: Option<Document>,
    pub board_scroll: u16,
}

impl FundState {
    pub fn selected(&self) -> Option<&ExpenseRow> {
        self.view.pending.get(self.sel)
    }
}

pub(super) fn load(cx: &mut Cx<'_, HubMsg>) {
    cx.db_latest("hub.fund", ReadFund { limit: ROWS }, |r| {
        HubMsg::Fund(FundMsg::Viewed(r))
    });
}

pub(super) fn available(p: &HubPane, cmd: Command) -> bool {
    match cmd {
        Command::FundSign | Command::Select => p.fund.selected().is_some(),
        // the activities' "new plan": the fund's keys are its own
        Command::New => false,
        _ => true,
    }
}

/// A key in the fund view; false when it is not the view's.
pub(super) fn command(p: &mut HubPane, cmd: Command, cx: &mut Cx<'_, HubMsg>) -> bool {
    let f = &mut p.fund;
    let last = f.view.pending.len().saturating_sub(1);
    match cmd {
        Command::Up if f.board.is_some() => f.board_scroll = f.board_scroll.saturating_sub(1),
        Command::Down if f.board.is_some() => f.board_scroll = f.board_scroll.saturating_add(1),
        Command::PageUp if f.board.is_some() => f.board_scroll = f.board_scroll.saturating_sub(10),
        Command::PageDown if f.board.is_some() => {
            f.board_scroll = f.board_scroll.saturating_add(10)
        }
        Command::Up => f.sel = f.sel.saturating_sub(1),
        Command::Down => f.sel = (f.sel + 1).min(last),
        Command::Top | Command::PageUp => f.sel = 0,
        Command::Bottom | Command::PageDown => f.sel = last,
        Command::Refresh => {
            f.board = None;
            load(cx);
        }
        Command::FundIncome => {
            p.form = Some(OpenForm::new(HubFormKind::Income, income_form()));
        }
        Command::FundExpense => {
            p.form = Some(OpenForm::new(HubFormKind::Expense, expense_form()));
        }
        Command::FundSign | Command::Select => {
            let Some(e) = f.selected() else {
                return false;
            };
            let kind = HubFormKind::Sign { expense_id: e.id };
            p.form = Some(OpenForm::new(kind, sign_form()));
        }
        Command::NoticeBoard => {
            let (how, at) = (cx.desk.print_how(), cx.desk.now);
            cx.db(NoticeBoard { how, at }, |r| HubMsg::Fund(FundMsg::Board(r)));
        }
        _ => return false,
    }
    true
}

/// Send one of the fund's forms (`false`: the form is not the fund's).
pub(super) fn submit(p: &mut HubPane, cx: &mut Cx<'_, HubMsg>) -> bool {
    let Some(of) = p.form.as_mut() else {
        return false;
    };
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let f = &of.form;
    let sent = match of.kind {
        HubFormKind::Income => parse_income(f).map(|input| {
            cx.db(RecordIncome { by, input, at }, |r| {
                HubMsg::Fund(FundMsg::Income(r))
            })
        }),
        HubFormKind::Expense => parse_expense(f).map(|input| {
            cx.db(ProposeExpense { by, input, at }, |r| {
                HubMsg::Fund(FundMsg::Proposed(r))
            })
        }),
        HubFormKind::Sign { expense_id } => parse_sign(f).map(|(staff_no, pin)| {
            let req = SignExpense {
                by,
                expense_id,
                staff_no,
                pin,
                at,
            };
            cx.db(req, |r| HubMsg::Fund(FundMsg::Signed(r)))
        }),
        HubFormKind::Plan
        | HubFormKind::SignUp { .. }
        | HubFormKind::Attend { .. }
        | HubFormKind::Tool(_)
        | HubFormKind::Award { .. } => {
            return false;
        }
    };
    match sent {
        Ok(id) => {
            of.form.clear_errors();
            of.form.busy = Some(id);
        }
        Err(errs) => of.form.show_refusals(&errs),
    }
    true
}

pub(super) fn update(p: &mut HubPane, msg: FundMsg, cx: &mut Cx<'_, HubMsg>) {
    match msg {
        FundMsg::Viewed(Ok(v)) => {
            p.fund.view = v;
            p.fund.sel = p.fund.sel.min(p.fund.view.pending.len().saturating_sub(1));
        }
        FundMsg::Income(Ok(e)) => {
            p.form = None;
            cx.notify(
                NoticeKind::Ok,
                msg!(
                    "fund.income_ok",
                    amount = yuan(e.amount_fen),
                    left = yuan(e.balance_fen)
                ),
            );
            load(cx);
        }
        FundMsg::Proposed(Ok(e)) => {
            p.form = None;
            cx.notify(
                NoticeKind::Ok,
                msg!(
                    "fund.proposed_ok",
                    n = e.signatures.len(),
                    need = crate::domain::fund::SIGNATURES_NEEDED
                ),
            );
            load(cx);
        }
        FundMsg::Signed(Ok(s)) => {
            p.form = None;
            let note = match &s.posted {
                Some(e) => msg!(
                    "fund.posted_ok",
                    amount = yuan(-e.amount_fen),
                    left = yuan(e.balance_fen)
                ),
                None => msg!(
                    "fund.signed_ok",
                    n = s.expense.signatures.len(),
                    need = crate::domain::fund::SIGNATURES_NEEDED
                ),
            };
            cx.notify(NoticeKind::Ok, note);
            load(cx);
        }
        FundMsg::Board(Ok((done, doc))) => {
            p.fund.board = Some(doc);
            p.fund.board_scroll = 0;
            cx.notify(NoticeKind::Ok, done.msg());
        }
        FundMsg::Income(Err(e)) | FundMsg::Proposed(Err(e)) | FundMsg::Signed(Err(e)) => {
            cx.failed(p.form.as_mut().map(|f| &mut f.form), e)
        }
        FundMsg::Viewed(Err(e)) | FundMsg::Board(Err(e)) => cx.failed(None, e),
    }
}
