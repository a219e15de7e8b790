//! Pane 4 (积分账本): a member's balance and statement, station totals,
//! corrections with four eyes (anyone enters a reversal or an adjustment,
//! a different station master approves it), freezing, estates, and the
//! chain status checked in the background.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm, RestoreCtx};
use super::state::*;
use super::{App, Pending};
use crate::domain::correction::{self, Decision, Direction};
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use crate::store::corrections::{CorrectionRow, Proposal};
use crate::store::ledger::LedgerReport;
use crate::store::statement::{LedgerTotals, StatementView};
use crate::worker::{Data, DbCommand, Reply};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerFormKind {
    Reverse {
        transfer_id: String,
    },
    Adjust {
        member_id: i64,
    },
    /// Refuse a correction, or withdraw one's own.
    Refuse {
        id: i64,
        own: bool,
    },
    Freeze {
        member_id: i64,
        frozen: bool,
    },
    Estate {
        member_id: i64,
    },
}

impl FormKind for LedgerFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    Statement,
    Totals,
    Chain,
    Write,
}

/// Whether the hash chains hold, as last checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ChainStatus {
    #[default]
    Unknown,
    Checking,
    Sound {
        transfers: u64,
        head: String,
    },
    Broken(Vec<String>),
}

/// What the lower half shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Statement,
    /// Corrections waiting for a second station master.
    Corrections,
}

#[derive(Debug, Clone, Default)]
pub struct LedgerPane {
    pub view: View,
    /// The selected open correction.
    pub corr_sel: usize,
    pub member: Option<i64>,
    pub statement: Option<Box<StatementView>>,
    pub sel: usize,
    pub totals: Option<Box<LedgerTotals>>,
    pub chain: ChainStatus,
    pub form: Option<OpenForm<LedgerFormKind>>,
    pub statement_req: Option<u64>,
}

crate::pane_forms!(LedgerPane);

impl LedgerPane {
    fn restore_form(&mut self, _key: &str, _data: &Value, _ctx: &RestoreCtx) -> bool {
        false
    }
}

impl App {
    fn ledger(&mut self) -> Option<&mut LedgerPane> {
        self.desk_mut().map(|d| &mut d.ledger)
    }

    pub(super) fn ledger_entered(&mut self) {
        let at = self.state.now;
        self.db(DbCommand::LedgerTotals { at }, Pending::Ledger(Req::Totals));
        let unchecked = self
            .state
            .desk()
            .is_some_and(|d| d.ledger.chain == ChainStatus::Unknown);
        if unchecked {
            self.check_chain();
        }
        if let Some(m) = self.state.desk().and_then(|d| d.ledger.member) {
            self.ledger_show(m);
        }
    }

    fn check_chain(&mut self) {
        if let Some(p) = self.ledger() {
            p.chain = ChainStatus::Checking;
        }
        self.db(DbCommand::VerifyChain, Pending::Ledger(Req::Chain));
    }

    /// Show a member's statement.
    pub(super) fn ledger_show(&mut self, member_id: i64) {
        let id = self.db(
            DbCommand::Statement {
                member_id,
                before: None,
            },
            Pending::Ledger(Req::Statement),
        );
        if let Some(p) = self.ledger() {
            p.member = Some(member_id);
            p.statement_req = Some(id);
        }
    }

    fn selected_line(&self) -> Option<&crate::store::ledger::StatementLine> {
        let p = &self.state.desk()?.ledger;
        p.statement.as_ref()?.lines.get(p.sel)
    }

    fn master(&mut self) -> bool {
        let ok = self.state.session().is_some_and(|s| s.is_master());
        if !ok {
            self.notify(NoticeKind::Error, msg!("staff.master_only"));
        }
        ok
    }

    fn selected_correction(&self) -> Option<&CorrectionRow> {
        let p = &self.state.desk()?.ledger;
        p.totals.as_ref()?.corrections.get(p.corr_sel)
    }

    pub(super) fn ledger_command(&mut self, cmd: Command) {
        let Some(p) = self.ledger() else { return };
        if p.view == View::Corrections && self.corrections_command(cmd) {
            return;
        }
        let Some(p) = self.ledger() else { return };
        let len = p.statement.as_ref().map(|s| s.lines.len()).unwrap_or(0);
        match cmd {
            Command::Up => p.sel = p.sel.saturating_sub(1),
            Command::Down => p.sel = (p.sel + 1).min(len.saturating_sub(1)),
            Command::PageUp => p.sel = p.sel.saturating_sub(15),
            Command::PageDown => p.sel = (p.sel + 15).min(len.saturating_sub(1)),
            Command::Top => p.sel = 0,
            Command::Bottom => p.sel = len.saturating_sub(1),
            Command::Refresh => self.ledger_entered(),
            Command::CheckChain => self.check_chain(),
            Command::Corrections => {
                p.view = View::Corrections;
                p.corr_sel = 0;
            }
            Command::Reverse => {
                let Some(line) = self.selected_line().cloned() else {
                    return;
                };
                let f = Form::new(vec![
                    Field::text("amount", crate::k!("ledger.amount"), 8)
                        .with_value(&line.delta.abs().to_string()),
                    Field::text("reason", crate::k!("ledger.reason"), 60),
                ]);
                if let Some(p) = self.ledger() {
                    p.form = Some(OpenForm::new(
                        LedgerFormKind::Reverse {
                            transfer_id: line.id.clone(),
                        },
                        f,
                    ));
                }
            }
            Command::Adjust => {
                let Some(member_id) = p.member else {
                    return self.notify(NoticeKind::Error, msg!("ledger.pick_member_first"));
                };
                let f = Form::new(vec![
                    Field::choice(
                        "direction",
                        crate::k!("correction.direction"),
                        [Direction::Credit, Direction::Debit]
                            .into_iter()
                            .map(|d| Choice::key(d.as_str(), d.label_key()))
                            .collect(),
                    ),
                    Field::text("amount", crate::k!("ledger.amount"), 8),
                    Field::text("reason", crate::k!("ledger.reason"), 60),
                ]);
                if let Some(p) = self.ledger() {
                    p.form = Some(OpenForm::new(LedgerFormKind::Adjust { member_id }, f));
                }
            }
            Command::Freeze => {
                let Some(s) = p.statement.as_ref() else {
                    return;
                };
                let (member_id, frozen) = (s.member.id, !s.frozen);
                if !self.master() {
                    return;
                }
                let mut f = Form::new(vec![Field::text("reason", crate::k!("ledger.reason"), 60)]);
                f.set_visible("reason", frozen);
                if !frozen {
                    f = Form::new(vec![Field::toggle(
                        "sure",
                        crate::k!("ledger.unfreeze_sure"),
                    )]);
                }
                if let Some(p) = self.ledger() {
                    p.form = Some(OpenForm::new(
                        LedgerFormKind::Freeze { member_id, frozen },
                        f,
                    ));
                }
            }
            Command::Estate => {
                let Some(member_id) = p.member else { return };
                if !self.master() {
                    return;
                }
                let f = Form::new(vec![
                    Field::text("death_certificate", crate::k!("estate.certificate"), 30),
                    Field::member("heir", crate::k!("estate.heir"))
                        .with_hint(crate::k!("estate.heir.hint")),
                    Field::text("kinship_proof", crate::k!("estate.kinship"), 30),
                ]);
                if let Some(p) = self.ledger() {
                    p.form = Some(OpenForm::new(LedgerFormKind::Estate { member_id }, f));
                }
            }
            _ => {}
        }
    }

    pub(super) fn submit_ledger_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let Some(of) = self.ledger().and_then(|p| p.form.as_mut()) else {
            return;
        };
        let f = &mut of.form;
        let cmd = match of.kind.clone() {
            LedgerFormKind::Reverse { transfer_id } => {
                let (amount, reason) = match amount_and_reason(f) {
                    Ok(x) => x,
                    Err(errs) => return f.show_refusals(&errs),
                };
                // the confirmation shows both sides before anything is written
                let line = self.selected_line().cloned();
                let who = self
                    .state
                    .desk()
                    .and_then(|d| d.ledger.statement.as_ref())
                    .map(|s| s.member.name.clone())
                    .unwrap_or_default();
                let other = line
                    .as_ref()
                    .map(|l| {
                        l.counterpart_name
                            .clone()
                            .unwrap_or_else(|| l.counterpart.clone())
                    })
                    .unwrap_or_default();
                let (from, to) = if line.as_ref().is_some_and(|l| l.delta > 0) {
                    (who, other)
                } else {
                    (other, who)
                };
                self.state.overlay = Some(Overlay::Confirm(Confirm {
                    text: msg!(
                        "ledger.reverse_confirm",
                        amount = amount,
                        from = from,
                        to = to,
                        transfer = &transfer_id[..10.min(transfer_id.len())]
                    ),
                    on_yes: ConfirmAction::ProposeCorrection {
                        proposal: Proposal::Reversal {
                            transfer_id,
                            amount,
                        },
                        reason,
                    },
                }));
                return;
            }
            LedgerFormKind::Adjust { member_id } => {
                let (amount, reason) = match amount_and_reason(f) {
                    Ok(x) => x,
                    Err(errs) => return f.show_refusals(&errs),
                };
                let direction = Direction::parse(f.value("direction")).unwrap_or(Direction::Credit);
                DbCommand::ProposeCorrection {
                    by,
                    proposal: Proposal::Adjustment {
                        member_id,
                        direction,
                        amount,
                    },
                    reason,
                    at,
                }
            }
            LedgerFormKind::Refuse { id, own } => {
                let note = f.value("reason").trim().to_string();
                if !own && note.is_empty() {
                    return f.show_refusals(&[Refusal::at(
                        "reason",
                        msg!("correction.refusal_reason"),
                    )]);
                }
                DbCommand::DecideCorrection {
                    by,
                    id,
                    decision: if own {
                        Decision::Withdraw
                    } else {
                        Decision::Refuse
                    },
                    note,
                    at,
                }
            }
            LedgerFormKind::Freeze { member_id, frozen } => {
                let reason = f.value("reason").trim().to_string();
                if frozen && reason.is_empty() {
                    return f.show_refusals(&[Refusal::at("reason", msg!("ledger.freeze_reason"))]);
                }
                if !frozen && !f.on("sure") {
                    return f.show_refusals(&[Refusal::at("sure", msg!("ledger.unfreeze_tick"))]);
                }
                DbCommand::Freeze {
                    by,
                    member_id,
                    frozen,
                    reason,
                    at,
                }
            }
            LedgerFormKind::Estate { member_id } => {
                // a name typed for the heir but not picked would clear the
                // balance to the pool instead
                if f.typed_not_picked("heir") {
                    return f.show_refusals(&[Refusal::at("heir", msg!("form.pick_member"))]);
                }
                let certificate = f.value("death_certificate").trim().to_string();
                if certificate.is_empty() {
                    return f.show_refusals(&[Refusal::at(
                        "death_certificate",
                        msg!("estate.certificate_required"),
                    )]);
                }
                DbCommand::Estate {
                    by,
                    member_id,
                    heir: f.member("heir"),
                    certificate,
                    kinship: f.value("kinship_proof").to_string(),
                    at,
                }
            }
        };
        f.clear_errors();
        let id = self.db(cmd, Pending::Ledger(Req::Write));
        if let Some(of) = self.ledger().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    /// Send a confirmed correction proposal or approval to the worker.
    pub(super) fn correction_confirmed(&mut self, cmd: impl FnOnce(Session, Stamp) -> DbCommand) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let id = self.db(cmd(by, self.state.now), Pending::Ledger(Req::Write));
        if let Some(of) = self.ledger().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    /// Keys of the corrections list; false when the key is not one of them.
    fn corrections_command(&mut self, cmd: Command) -> bool {
        let Some(p) = self.ledger() else { return false };
        let len = p.totals.as_ref().map_or(0, |t| t.corrections.len());
        match cmd {
            Command::Up => p.corr_sel = p.corr_sel.saturating_sub(1),
            Command::Down => p.corr_sel = (p.corr_sel + 1).min(len.saturating_sub(1)),
            Command::Top => p.corr_sel = 0,
            Command::Bottom => p.corr_sel = len.saturating_sub(1),
            Command::Corrections => p.view = View::Statement,
            Command::ApproveCorrection => {
                let Some(c) = self.selected_correction().cloned() else {
                    return true;
                };
                let Some(me) = self.state.session() else {
                    return true;
                };
                if let Err(r) = correction::check_decision(c.proposed_by.0, me, Decision::Approve) {
                    self.notify(NoticeKind::Error, r.msg);
                    return true;
                }
                self.state.overlay = Some(Overlay::Confirm(Confirm {
                    text: msg!(
                        "correction.approve_confirm",
                        id = c.id,
                        kind = self.state.tr.t(c.kind.label_key()),
                        amount = c.amount,
                        from = party(&c, &c.from, &self.state.tr, true),
                        to = party(&c, &c.to, &self.state.tr, true),
                        who = format!("{} {}", c.proposed_by.1, c.proposed_by.2),
                        reason = c.reason
                    ),
                    on_yes: ConfirmAction::ApproveCorrection { id: c.id },
                }));
            }
            Command::RefuseCorrection => {
                let Some(c) = self.selected_correction().cloned() else {
                    return true;
                };
                let Some(me) = self.state.session() else {
                    return true;
                };
                let own = me.staff_id == c.proposed_by.0;
                let decision = if own {
                    Decision::Withdraw
                } else {
                    Decision::Refuse
                };
                if let Err(r) = correction::check_decision(c.proposed_by.0, me, decision) {
                    self.notify(NoticeKind::Error, r.msg);
                    return true;
                }
                let f = Form::new(vec![Field::text(
                    "reason",
                    crate::k!("correction.note"),
                    60,
                )]);
                if let Some(p) = self.ledger() {
                    p.form = Some(OpenForm::new(LedgerFormKind::Refuse { id: c.id, own }, f));
                }
            }
            _ => return false,
        }
        true
    }

    pub(super) fn ledger_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::Statement, Ok(Data::Statement(s))) => {
                if let Some(p) = self.ledger()
                    && p.statement_req == Some(reply.id)
                {
                    p.sel = p.sel.min(s.lines.len().saturating_sub(1));
                    p.statement = Some(s);
                }
            }
            (Req::Totals, Ok(Data::Totals(t))) => {
                if let Some(p) = self.ledger() {
                    p.corr_sel = p.corr_sel.min(t.corrections.len().saturating_sub(1));
                    p.totals = Some(t);
                }
            }
            (Req::Chain, Ok(Data::Verified(r))) => {
                let LedgerReport {
                    transfers,
                    head,
                    problems,
                    ..
                } = *r;
                if let Some(p) = self.ledger() {
                    p.chain = if problems.is_empty() {
                        ChainStatus::Sound { transfers, head }
                    } else {
                        ChainStatus::Broken(problems)
                    };
                }
            }
            (Req::Chain, Err(e)) => {
                if let Some(p) = self.ledger() {
                    p.chain = ChainStatus::Broken(vec![e.to_string()]);
                }
            }
            (Req::Write, Ok(data)) => {
                if let Some(p) = self.ledger() {
                    p.form = None;
                }
                self.notify(
                    NoticeKind::Ok,
                    match data {
                        Data::Transfer(_) => msg!("correction.posted"),
                        Data::CorrectionProposed(id) => msg!("correction.proposed", id = id),
                        _ => msg!("form.saved"),
                    },
                );
                self.ledger_entered();
                if let Some(m) = self.state.desk().and_then(|d| d.ledger.member) {
                    self.db(
                        DbCommand::LoadIndexEntry { member_id: m },
                        Pending::IndexEntry,
                    );
                }
            }
            (Req::Write, Err(e)) => {
                if let Some(of) = self.ledger().and_then(|p| p.form.as_mut()) {
                    of.form.busy = None;
                    of.form.show_refusals(&e.refusals());
                } else {
                    self.notify(NoticeKind::Error, e.msg());
                }
            }
            (_, Err(e)) => self.notify(NoticeKind::Error, e.msg()),
            _ => {}
        }
    }
}

/// The points and the reason of a correction form, each refused at its field.
fn amount_and_reason(f: &Form) -> Result<(i64, String), Vec<Refusal>> {
    let amount = correction::parse_amount(f.value("amount"));
    let reason = f.value("reason").trim().to_string();
    let mut errs = Vec::new();
    if amount.is_none() {
        errs.push(Refusal::at("amount", msg!("ledger.amount_positive")));
    }
    if reason.is_empty() {
        errs.push(Refusal::at("reason", msg!("ledger.reason_required")));
    }
    match amount {
        Some(a) if errs.is_empty() => Ok((a, reason)),
        _ => Err(errs),
    }
}

/// A side of a correction in words: the pool, or the member (with their
/// number when `long`), or the account code for anything else.
pub fn party(c: &CorrectionRow, code: &str, tr: &crate::i18n::Tr, long: bool) -> String {
    match (&c.member, code) {
        (_, "pool") => tr.t("payer.pool").to_string(),
        (Some((no, name)), code) if code.strip_prefix("m:") == Some(no.as_str()) => {
            if long {
                format!("{no} {name}")
            } else {
                name.clone()
            }
        }
        (_, code) => code.trim_start_matches("m:").to_string(),
    }
}
