//! The hub's tool corner (工具角) view: the items with their counts, the
//! loans out; lend one (a card scanned or a member found), take one back,
//! write one off as lost or broken.

use super::tools_forms::{
    lend_form, parse_lend, parse_return, parse_write_off, return_form, write_off_form,
};
use super::{HubFormKind, HubMsg, HubPane};
use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::form::Picked;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::msg;
use crate::store::StoreResult;
use crate::store::tools::{LoanRow, ToolItem};
use crate::worker::tools::{Lend, ListTools, TakeBack, WriteOff};

/// Which tool-corner form is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolForm {
    Lend { item_id: i64 },
    TakeBack { loan_id: i64 },
    WriteOff { item_id: i64, loan_id: Option<i64> },
}

/// What comes back to the tool corner.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolsMsg {
    Listed(StoreResult<(Vec<ToolItem>, Vec<LoanRow>)>),
    Lent(StoreResult<LoanRow>),
    Back(StoreResult<LoanRow>),
    /// How many of the item are left.
    WrittenOff(StoreResult<u32>),
}

/// The tool corner as shown: one selection runs down the items, then the
/// loans.
#[derive(Debug, Clone, Default)]
pub struct ToolsView {
    pub items: Vec<ToolItem>,
    pub loans: Vec<LoanRow>,
    pub sel: usize,
    pub loaded: bool,
}

/// What the selection is on.
pub enum Row<'a> {
    Item(&'a ToolItem),
    Loan(&'a LoanRow),
}

impl ToolsView {
    fn rows(&self) -> usize {
        self.items.len() + self.loans.len()
    }

    pub fn selected(&self) -> Option<Row<'_>> {
        match self.items.get(self.sel) {
            Some(i) => Some(Row::Item(i)),
            None => self.loans.get(self.sel - self.items.len()).map(Row::Loan),
        }
    }

    /// The item the selection is on, or the item of the loan it is on.
    fn item(&self) -> Option<&ToolItem> {
        match self.selected()? {
            Row::Item(i) => Some(i),
            Row::Loan(l) => self.items.iter().find(|i| i.id == l.item_id),
        }
    }

    fn loan(&self) -> Option<&LoanRow> {
        match self.selected()? {
            Row::Loan(l) => Some(l),
            Row::Item(_) => None,
        }
    }
}

pub(super) fn load(cx: &mut Cx<'_, HubMsg>) {
    let at = cx.desk.now;
    cx.db_latest("hub.tools", ListTools { at }, |r| {
        HubMsg::Tools(ToolsMsg::Listed(r))
    });
}

pub(super) fn available(v: &ToolsView, cmd: Command) -> bool {
    match cmd {
        Command::Lend => v.item().is_some_and(|i| i.kind.lendable()),
        Command::TakeBack => v.loan().is_some(),
        Command::WriteOff => v.item().is_some(),
        Command::Select => v.selected().is_some(),
        _ => true,
    }
}

fn open(p: &mut HubPane, kind: ToolForm, form: crate::app::form::Form) {
    p.form = Some(OpenForm::new(HubFormKind::Tool(kind), form));
}

fn lend(p: &mut HubPane, member: Option<Picked>, cx: &mut Cx<'_, HubMsg>) -> bool {
    let Some(item) = p.tools.item().cloned() else {
        return false;
    };
    if !item.kind.lendable() {
        cx.notify(NoticeKind::Error, msg!("tool.not_lent"));
        return true;
    }
    let form = lend_form(&item, cx.desk.today(), member);
    open(p, ToolForm::Lend { item_id: item.id }, form);
    true
}

pub(super) fn command(p: &mut HubPane, cmd: Command, cx: &mut Cx<'_, HubMsg>) -> bool {
    let last = p.tools.rows().saturating_sub(1);
    let v = &mut p.tools;
    match cmd {
        c if c.moves_in_list() => v.sel = c.moved(v.sel, last, 10),
        Command::Refresh => load(cx),
        Command::Lend => return lend(p, None, cx),
        Command::Select if p.tools.loan().is_none() => return lend(p, None, cx),
        Command::TakeBack | Command::Select => {
            let Some(l) = p.tools.loan() else {
                return false;
            };
            let kind = ToolForm::TakeBack { loan_id: l.id };
            open(p, kind, return_form());
        }
        Command::WriteOff => {
            let Some(item) = p.tools.item() else {
                return false;
            };
            let kind = ToolForm::WriteOff {
                item_id: item.id,
                loan_id: p.tools.loan().map(|l| l.id),
            };
            open(p, kind, write_off_form());
        }
        _ => return false,
    }
    true
}

/// A card scanned (or a member found) at the tool corner: lend them the
/// selected item.
pub(super) fn member_found(p: &mut HubPane, member_id: i64, cx: &mut Cx<'_, HubMsg>) -> bool {
    let label = cx.desk.member_label(member_id);
    lend(p, Some(Picked { member_id, label }), cx)
}

/// Send the open tool-corner form, or show why not at its fields.
pub(super) fn submit(p: &mut HubPane, kind: ToolForm, cx: &mut Cx<'_, HubMsg>) {
    let Some(of) = p.form.as_mut() else { return };
    let (by, at, today) = (cx.desk.session.clone(), cx.desk.now, cx.desk.today());
    let f = &of.form;
    let sent = match kind {
        ToolForm::Lend { item_id } => parse_lend(f, today).map(|(member_id, due)| {
            let req = Lend {
                by,
                item_id,
                member_id,
                due,
                at,
            };
            cx.db(req, |r| HubMsg::Tools(ToolsMsg::Lent(r)))
        }),
        ToolForm::TakeBack { loan_id } => parse_return(f).map(|(condition, note)| {
            let req = TakeBack {
                by,
                loan_id,
                condition,
                note,
                at,
            };
            cx.db(req, |r| HubMsg::Tools(ToolsMsg::Back(r)))
        }),
        ToolForm::WriteOff { item_id, loan_id } => parse_write_off(f).map(|(loss, note)| {
            let req = WriteOff {
                by,
                item_id,
                loan_id,
                loss,
                note,
                at,
            };
            cx.db(req, |r| HubMsg::Tools(ToolsMsg::WrittenOff(r)))
        }),
    };
    match sent {
        Ok(id) => {
            of.form.clear_errors();
            of.form.busy = Some(id);
        }
        Err(errs) => of.form.show_refusals(&errs),
    }
}

pub(super) fn update(p: &mut HubPane, msg: ToolsMsg, cx: &mut Cx<'_, HubMsg>) {
    match msg {
        ToolsMsg::Listed(Ok((items, loans))) => {
            let v = &mut p.tools;
            v.items = items;
            v.loans = loans;
            v.loaded = true;
            v.sel = v.sel.min(v.rows().saturating_sub(1));
        }
        ToolsMsg::Lent(Ok(l)) => {
            p.form = None;
            let due = l.due.format("%m-%d").to_string();
            cx.notify(
                NoticeKind::Ok,
                msg!("tool.lent_ok", who = l.member_name, due = due),
            );
            load(cx);
        }
        ToolsMsg::Back(Ok(l)) => {
            p.form = None;
            let note = match l.outcome.as_deref() {
                Some("damaged") => msg!("tool.back_damaged", who = l.member_name),
                Some(_) | None => msg!("tool.back_ok", who = l.member_name),
            };
            cx.notify(NoticeKind::Ok, note);
            cx.refresh_header();
            load(cx);
        }
        ToolsMsg::WrittenOff(Ok(left)) => {
            p.form = None;
            cx.notify(NoticeKind::Ok, msg!("tool.written_off", n = left));
            cx.refresh_header();
            load(cx);
        }
        ToolsMsg::Lent(Err(e)) | ToolsMsg::Back(Err(e)) | ToolsMsg::WrittenOff(Err(e)) => {
            let form = p.form.as_mut().map(|f| &mut f.form);
            cx.failed(form, e)
        }
        ToolsMsg::Listed(Err(e)) => cx.failed(None, e),
    }
}
