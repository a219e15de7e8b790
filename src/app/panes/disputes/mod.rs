//! Pane 5 (纠纷): take in disputes and suggestions, contact both parties,
//! report safety incidents, decide, tell the parties, reply to
//! suggestions, export the handling form.

mod forms;
mod update;

pub use forms::{dispute_form, suggestion_form};

use crate::app::action::Command;
use crate::app::cx::{Cx, Shared};
use crate::app::form::Form;
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::dispute::{self, Category};
use crate::domain::time::{DAY_MS, HOUR_MS};
use crate::exports::printed::Printable;
use crate::i18n::Tr;
use crate::msg;
use crate::store::StoreResult;
use crate::store::disputes::{ContactRow, DisputeRow};
use crate::store::records::RecordRow;
use crate::store::reveal::{CallNumber, CallPurpose};
use crate::worker::desk::NumberForCall;
use crate::worker::disputes::{ComplaintMerchants, ListDisputes, PartyRecords, ReadDispute};
use crate::worker::exports::ExportImprovements;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    Open,
    Overdue,
    Suggestions,
    Category(Category),
    All,
}

impl Filter {
    pub const CYCLE: [Filter; 10] = [
        Filter::Open,
        Filter::Overdue,
        Filter::Suggestions,
        Filter::Category(Category::Quality),
        Filter::Category(Category::Points),
        Filter::Category(Category::Malicious),
        Filter::Category(Category::Merchant),
        Filter::Category(Category::Safety),
        Filter::All,
        Filter::Open,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            Filter::Open => crate::k!("dispute.filter.open"),
            Filter::Overdue => crate::k!("dispute.filter.overdue"),
            Filter::Suggestions => crate::k!("dispute.filter.suggestions"),
            Filter::All => crate::k!("dispute.filter.all"),
            Filter::Category(c) => c.label_key(),
        }
    }

    /// The next filter (after "all": open again).
    fn next(self) -> Filter {
        let i = Filter::CYCLE.iter().position(|f| *f == self).unwrap_or(0);
        Filter::CYCLE[(i + 1) % (Filter::CYCLE.len() - 1)]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeFormKind {
    New,
    Suggestion,
    Contact { id: i64 },
    Safety { id: i64, review: bool },
    Decide { id: i64 },
    Tell { id: i64 },
    Reply { id: i64 },
    Serious { id: i64 },
}

/// The draft slots of the two intake forms.
const NEW_DRAFT: &str = "disputes.new";
const SUGGESTION_DRAFT: &str = "disputes.suggestion";

impl FormKind for DisputeFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            DisputeFormKind::New => Some(NEW_DRAFT),
            DisputeFormKind::Suggestion => Some(SUGGESTION_DRAFT),
            DisputeFormKind::Contact { .. }
            | DisputeFormKind::Safety { .. }
            | DisputeFormKind::Decide { .. }
            | DisputeFormKind::Tell { .. }
            | DisputeFormKind::Reply { .. }
            | DisputeFormKind::Serious { .. } => None,
        }
    }
}

/// What comes back to the disputes pane.
#[derive(Debug, Clone, PartialEq)]
pub enum DisputesMsg {
    /// The log, read again.
    Listed(StoreResult<Vec<DisputeRow>>),
    /// The selected case and its contacts.
    Detail(StoreResult<(DisputeRow, Vec<ContactRow>)>),
    /// The services between the two parties of the intake form.
    PartyRecords(StoreResult<Vec<RecordRow>>),
    /// A form saved; the case as it now stands.
    Saved(StoreResult<DisputeRow>),
    /// The improvement list, written here.
    Exported(StoreResult<crate::output::Saved>),
    /// The handling form (纠纷处理单), saved and opened or printed.
    Printed(StoreResult<crate::exports::deliver::Delivered>),
    /// A party's number for the open contact dialog, in full.
    Number(StoreResult<CallNumber>),
    /// The merchants a complaint may name, with their verified complaints.
    Merchants(StoreResult<Vec<(i64, String, u32)>>),
}

#[derive(Debug, Clone, Default)]
pub struct DisputesPane {
    pub rows: Vec<DisputeRow>,
    pub visible: Vec<usize>,
    pub sel: usize,
    pub filter: Filter,
    /// Only cases involving this member (found by search).
    pub member: Option<(i64, String)>,
    pub detail: Option<Box<(DisputeRow, Vec<ContactRow>)>>,
    pub form: Option<OpenForm<DisputeFormKind>>,
    /// The parties the record choices were read for.
    records_for: Option<(i64, i64)>,
    /// The parties' numbers for the open contact dialog (asked on opening).
    pub numbers: Vec<CallNumber>,
}

crate::pane_forms!(DisputesPane);

impl DisputesPane {
    fn restore_form(&mut self, key: &str, data: &Value, _ctx: &RestoreCtx) -> bool {
        let (kind, mut f) = match key {
            NEW_DRAFT => (DisputeFormKind::New, dispute_form()),
            SUGGESTION_DRAFT => (DisputeFormKind::Suggestion, suggestion_form()),
            _ => return false,
        };
        f.restore_draft(data);
        self.form = Some(OpenForm::new(kind, f));
        true
    }

    pub fn selected(&self) -> Option<&DisputeRow> {
        self.visible.get(self.sel).and_then(|i| self.rows.get(*i))
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        self.form.as_mut().map(|f| &mut f.form)
    }

    /// Ask for both parties' numbers: the contact dialog shows the chosen
    /// party's in full, to any staff member (each asking logged).
    fn ask_numbers(&mut self, d: &DisputeRow, cx: &mut Cx<'_, DisputesMsg>) {
        self.numbers.clear();
        let (at, about) = (cx.desk.now, format!("dispute:{}", d.id));
        for (member_id, ..) in d.party_a.iter().chain(d.party_b.iter()) {
            let ask = NumberForCall {
                by: cx.desk.session.clone(),
                member_id: *member_id,
                purpose: CallPurpose::DisputeParty,
                about: about.clone(),
                at,
            };
            cx.db(ask, DisputesMsg::Number);
        }
    }

    /// The contact dialog's number line: the chosen party's number.
    fn show_number(&mut self) {
        let Some(of) = self.form.as_mut() else { return };
        let DisputeFormKind::Contact { id } = of.kind else {
            return;
        };
        let Some(d) = self.rows.iter().find(|d| d.id == id) else {
            return;
        };
        let party = match of.form.value("party") {
            "a" => d.party_a.as_ref(),
            "b" => d.party_b.as_ref(),
            _ => None,
        };
        let line = match party {
            Some((member_id, ..)) => self
                .numbers
                .iter()
                .find(|n| n.member_id == *member_id)
                .map_or_else(|| "…".to_string(), CallNumber::dial_line),
            None => match (of.form.value("party"), &d.merchant_phone) {
                ("b", Some(phone)) => phone.clone(),
                _ => "—".to_string(),
            },
        };
        of.form.show("phone", line);
    }

    /// Read the log again: the last 30 days and everything still open.
    fn load(&mut self, cx: &mut Cx<'_, DisputesMsg>) {
        let since = cx.desk.now - 30 * DAY_MS;
        cx.db_latest("disputes.list", ListDisputes { since }, DisputesMsg::Listed);
    }

    /// Read the selected case's timeline.
    fn load_detail(&mut self, cx: &mut Cx<'_, DisputesMsg>) {
        if let Some(id) = self.selected().map(|d| d.id) {
            cx.db_latest("disputes.detail", ReadDispute { id }, DisputesMsg::Detail);
        }
    }

    /// Apply the filters (the clocks move, so on every tick); the case
    /// selected stays selected if it still shows.
    fn refilter(&mut self, desk: &Shared<'_>) {
        let now = desk.now;
        let clocks = desk.settings.disputes;
        let selected = self.selected().map(|d| d.id);
        let (rows, filter, member) = (&self.rows, self.filter, &self.member);
        self.visible = (0..rows.len())
            .filter(|i| {
                let d = &rows[*i];
                let by = match filter {
                    // just closed ones stay a while, to print their form
                    Filter::Open => {
                        d.is_open()
                            || d.told_at
                                .or(d.replied_at)
                                .is_some_and(|t| now - t < 12 * HOUR_MS)
                    }
                    Filter::Overdue => dispute::overdue_now(&d.progress(), &clocks, now),
                    Filter::Suggestions => d.suggestion,
                    Filter::Category(c) => d.category == Some(c),
                    Filter::All => true,
                };
                by && member.as_ref().is_none_or(|(m, _)| d.involves(*m))
            })
            .collect();
        self.sel = selected
            .and_then(|id| self.visible.iter().position(|i| self.rows[*i].id == id))
            .unwrap_or(0);
    }

    fn open_form(&mut self, kind: DisputeFormKind, form: Form) {
        self.form = Some(OpenForm::new(kind, form));
        self.records_for = None;
    }

    /// A command on the selected case; whether it had a use.
    fn case_command(&mut self, cmd: Command, cx: &mut Cx<'_, DisputesMsg>) -> bool {
        let Some(d) = self.selected().cloned() else {
            return false;
        };
        let (kind, form) = match cmd {
            Command::LogContact if !d.suggestion => {
                self.ask_numbers(&d, cx);
                (
                    DisputeFormKind::Contact { id: d.id },
                    forms::contact_form(&d),
                )
            }
            Command::HqReport | Command::ReviewReport if d.category == Some(Category::Safety) => {
                let review = cmd == Command::ReviewReport;
                let kind = DisputeFormKind::Safety { id: d.id, review };
                (kind, forms::safety_form(review))
            }
            Command::HqReport | Command::ReviewReport => {
                cx.notify(NoticeKind::Error, msg!("dispute.not_safety"));
                return true;
            }
            Command::Decide if !d.suggestion => {
                if d.decided_at.is_some() {
                    cx.notify(NoticeKind::Error, msg!("dispute.already_decided"));
                    return true;
                }
                (DisputeFormKind::Decide { id: d.id }, forms::decide_form(&d))
            }
            Command::Tell if !d.suggestion => {
                let tr = Tr::new(cx.desk.lang);
                let form = forms::tell_form(tr.t("dispute.told_default"));
                (DisputeFormKind::Tell { id: d.id }, form)
            }
            Command::ReplySuggestion if d.suggestion => {
                (DisputeFormKind::Reply { id: d.id }, forms::reply_form())
            }
            Command::MarkSerious if !d.suggestion => {
                if let Err(r) = dispute::check_serious(d.outcome, d.serious) {
                    cx.notify(NoticeKind::Error, r.msg);
                    return true;
                }
                if !cx.desk.session.is_master() {
                    cx.notify(NoticeKind::Error, msg!("staff.master_only"));
                    return true;
                }
                (DisputeFormKind::Serious { id: d.id }, forms::serious_form())
            }
            Command::Export => {
                let (lang, at) = (cx.desk.lang, cx.desk.now);
                if d.suggestion {
                    cx.db(ExportImprovements { lang, at }, DisputesMsg::Exported);
                } else {
                    let what = Printable::Dispute { id: d.id };
                    cx.print(what, DisputesMsg::Printed);
                }
                return true;
            }
            _ => return false,
        };
        self.open_form(kind, form);
        true
    }
}

impl PaneComponent for DisputesPane {
    type Msg = DisputesMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Disputes, Context::List]
    }

    /// Enter does nothing on the log: a case is acted on by its letter keys.
    fn available(&self, cmd: Command) -> bool {
        cmd != Command::Select
    }

    fn entered(&mut self, cx: &mut Cx<'_, DisputesMsg>) {
        self.load(cx);
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, DisputesMsg>) -> bool {
        let last = self.visible.len().saturating_sub(1);
        let before = self.sel;
        match cmd {
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, 15),
            Command::Filter => {
                self.filter = self.filter.next();
                self.refilter(cx.desk);
                self.load_detail(cx);
            }
            Command::Refresh => self.load(cx),
            Command::New => {
                self.open_form(DisputeFormKind::New, dispute_form());
                let read = ComplaintMerchants;
                cx.db_latest("disputes.merchants", read, DisputesMsg::Merchants);
            }
            Command::NewSuggestion => {
                self.open_form(DisputeFormKind::Suggestion, suggestion_form());
            }
            _ => return self.case_command(cmd, cx),
        }
        if cmd.moves_in_list() && self.sel != before {
            self.load_detail(cx);
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, DisputesMsg>) {
        update::submit(self, cx);
    }

    /// Decide's fields follow the outcome; the record choices follow the
    /// parties (read once per pair).
    fn form_changed(&mut self, cx: &mut Cx<'_, DisputesMsg>) {
        let Some(of) = self.form.as_mut() else { return };
        match of.kind {
            DisputeFormKind::Decide { .. } => forms::decide_visibility(&mut of.form),
            DisputeFormKind::New => {
                forms::intake_visibility(&mut of.form);
                let pair = of.form.member("party_a").zip(of.form.member("party_b"));
                if let Some((a, b)) = pair
                    && self.records_for != Some((a, b))
                {
                    self.records_for = Some((a, b));
                    let read = PartyRecords { a, b };
                    cx.db_latest("disputes.records", read, DisputesMsg::PartyRecords);
                }
            }
            DisputeFormKind::Contact { .. } => self.show_number(),
            DisputeFormKind::Suggestion
            | DisputeFormKind::Safety { .. }
            | DisputeFormKind::Tell { .. }
            | DisputeFormKind::Reply { .. }
            | DisputeFormKind::Serious { .. } => {}
        }
    }

    fn tick(&mut self, cx: &mut Cx<'_, DisputesMsg>) {
        self.refilter(cx.desk);
    }

    /// A member found by search: only their cases show (found again: all).
    fn member_found(&mut self, member_id: i64, cx: &mut Cx<'_, DisputesMsg>) -> bool {
        self.member = if self.member.as_ref().is_some_and(|(m, _)| *m == member_id) {
            None
        } else {
            Some((member_id, cx.desk.member_label(member_id)))
        };
        self.refilter(cx.desk);
        self.load_detail(cx);
        true
    }

    fn update(&mut self, msg: DisputesMsg, cx: &mut Cx<'_, DisputesMsg>) {
        update::update(self, msg, cx);
    }
}

#[cfg(test)]
pub(super) mod tests;
