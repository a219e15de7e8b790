//! The ledger pane's corrections list, its forms sent, and what comes back.

use super::forms::{self, amount_and_reason};
use super::{LedgerFormKind, LedgerMsg, LedgerPane, View, party};
use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::domain::correction::{self, Decision};
use crate::msg;
use crate::msg::Msg;
use crate::store::corrections::{CorrectionRow, Proposal};
use crate::worker::ledger::{DecideCorrection, ProposeCorrection, SetFrozen, SettleEstate};

/// Keys of the corrections list; false when the key is not one of them
/// (the statement's keys still work under it).
pub(super) fn corrections_command(
    p: &mut LedgerPane,
    cmd: Command,
    cx: &mut Cx<'_, LedgerMsg>,
) -> bool {
    let len = p.totals.as_ref().map_or(0, |t| t.corrections.len());
    match cmd {
        Command::Up => p.corr_sel = p.corr_sel.saturating_sub(1),
        Command::Down => p.corr_sel = (p.corr_sel + 1).min(len.saturating_sub(1)),
        Command::Top => p.corr_sel = 0,
        Command::Bottom => p.corr_sel = len.saturating_sub(1),
        Command::Corrections => p.view = View::Statement,
        Command::ApproveCorrection => {
            let Some(c) = p.selected_correction() else {
                return true;
            };
            match correction::check_decision(c.proposed_by.0, cx.desk.session, Decision::Approve) {
                Ok(()) => {
                    let text = approve_text(c, cx.desk.lang);
                    cx.confirm(text, LedgerMsg::Approve(c.id));
                }
                Err(r) => cx.notify(NoticeKind::Error, r.msg),
            }
        }
        Command::RefuseCorrection => {
            let Some(c) = p.selected_correction() else {
                return true;
            };
            let own = cx.desk.session.staff_id == c.proposed_by.0;
            let decision = if own {
                Decision::Withdraw
            } else {
                Decision::Refuse
            };
            match correction::check_decision(c.proposed_by.0, cx.desk.session, decision) {
                Ok(()) => {
                    let kind = LedgerFormKind::Refuse { id: c.id, own };
                    p.form = Some(OpenForm::new(kind, forms::refuse_form()));
                }
                Err(r) => cx.notify(NoticeKind::Error, r.msg),
            }
        }
        _ => return false,
    }
    true
}

/// The question before approving: the whole correction, both sides named.
fn approve_text(c: &CorrectionRow, lang: crate::i18n::Lang) -> Msg {
    let tr = crate::i18n::Tr::new(lang);
    msg!(
        "correction.approve_confirm",
        id = c.id,
        kind = tr.t(c.kind.label_key()),
        amount = c.amount,
        from = party(c, &c.from, &tr, true),
        to = party(c, &c.to, &tr, true),
        who = format!("{} {}", c.proposed_by.1, c.proposed_by.2),
        reason = &c.reason
    )
}

/// The question before a reversal is entered: who gives the points back
/// to whom.
fn reverse_text(p: &LedgerPane, transfer_id: &str, amount: i64, lang: crate::i18n::Lang) -> Msg {
    let line = p.selected_line();
    let who = p
        .statement
        .as_ref()
        .map(|s| s.member.name.clone())
        .unwrap_or_default();
    let other = line
        .map(|l| match &l.counterpart_name {
            Some(n) => n.clone(),
            // the pool in words, not its account code
            None if l.counterpart == "pool" => {
                crate::i18n::Tr::new(lang).t("payer.pool").to_string()
            }
            None => l.counterpart.clone(),
        })
        .unwrap_or_default();
    let (from, to) = if line.is_some_and(|l| l.delta > 0) {
        (who, other)
    } else {
        (other, who)
    };
    msg!(
        "ledger.reverse_confirm",
        amount = amount,
        from = from,
        to = to,
        transfer = &transfer_id[..10.min(transfer_id.len())]
    )
}

/// A reversal is asked about first, both sides shown; nothing is written
/// before "yes".
fn ask_reversal(p: &mut LedgerPane, transfer_id: String, cx: &mut Cx<'_, LedgerMsg>) {
    let Some(parsed) = p.form.as_ref().map(|of| amount_and_reason(&of.form)) else {
        return;
    };
    match parsed {
        Ok((amount, reason)) => {
            let text = reverse_text(p, &transfer_id, amount, cx.desk.lang);
            let proposal = Proposal::Reversal {
                transfer_id,
                amount,
            };
            cx.confirm(text, LedgerMsg::ProposeReversal { proposal, reason });
        }
        Err(errs) => {
            if let Some(f) = p.form_mut() {
                f.show_refusals(&errs);
            }
        }
    }
}

/// Send the open form, or show why not at its fields.
pub(super) fn submit(p: &mut LedgerPane, cx: &mut Cx<'_, LedgerMsg>) {
    let Some(of) = p.form.as_ref() else { return };
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let f = &of.form;
    let sent = match of.kind.clone() {
        LedgerFormKind::Reverse { transfer_id } => return ask_reversal(p, transfer_id, cx),
        LedgerFormKind::Adjust { member_id } => {
            forms::parse_adjust(f).map(|(direction, amount, reason)| {
                let proposal = Proposal::Adjustment {
                    member_id,
                    direction,
                    amount,
                };
                propose(proposal, reason, cx)
            })
        }
        LedgerFormKind::Refuse { id, own } => forms::parse_refusal(f, own).map(|note| {
            let decision = if own {
                Decision::Withdraw
            } else {
                Decision::Refuse
            };
            decide(id, decision, note, cx)
        }),
        LedgerFormKind::Freeze { member_id, frozen } => {
            forms::parse_freeze(f, frozen).map(|reason| {
                let freeze = SetFrozen {
                    by,
                    member_id,
                    frozen,
                    reason,
                    at,
                };
                cx.db(freeze, LedgerMsg::Saved)
            })
        }
        LedgerFormKind::Estate { member_id } => forms::parse_estate(f).map(|e| {
            let estate = SettleEstate {
                by,
                member_id,
                estate: Box::new(e),
                at,
            };
            cx.db(estate, |r| LedgerMsg::Saved(r.map(|_| ())))
        }),
    };
    let Some(f) = p.form_mut() else { return };
    match sent {
        Ok(id) => {
            f.clear_errors();
            f.busy = Some(id);
        }
        Err(errs) => f.show_refusals(&errs),
    }
}

fn propose(proposal: Proposal, reason: String, cx: &mut Cx<'_, LedgerMsg>) -> u64 {
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let request = ProposeCorrection {
        by,
        proposal,
        reason,
        at,
    };
    cx.db(request, LedgerMsg::Proposed)
}

fn decide(id: i64, decision: Decision, note: String, cx: &mut Cx<'_, LedgerMsg>) -> u64 {
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let request = DecideCorrection {
        by,
        id,
        decision,
        note,
        at,
    };
    cx.db(request, |r| LedgerMsg::Decided(r.map(|p| p.map(Box::new))))
}

pub(super) fn update(p: &mut LedgerPane, msg: LedgerMsg, cx: &mut Cx<'_, LedgerMsg>) {
    match msg {
        LedgerMsg::Statement(Ok(s)) => {
            p.sel = p.sel.min(s.lines.len().saturating_sub(1));
            p.statement = Some(s);
        }
        LedgerMsg::Totals(Ok(t)) => {
            p.corr_sel = p.corr_sel.min(t.corrections.len().saturating_sub(1));
            p.totals = Some(t);
        }
        LedgerMsg::Chain(Ok(r)) => {
            let r = *r;
            p.chain = if r.problems.is_empty() {
                super::ChainStatus::Sound {
                    transfers: r.transfers,
                    head: r.head,
                }
            } else {
                super::ChainStatus::Broken(r.problems)
            };
        }
        LedgerMsg::Chain(Err(e)) => p.chain = super::ChainStatus::Broken(vec![e.to_string()]),
        LedgerMsg::ProposeReversal { proposal, reason } => {
            let id = propose(proposal, reason, cx);
            if let Some(f) = p.form_mut() {
                f.busy = Some(id);
            }
        }
        LedgerMsg::Approve(id) => {
            let sent = decide(id, Decision::Approve, String::new(), cx);
            if let Some(f) = p.form_mut() {
                f.busy = Some(sent);
            }
        }
        LedgerMsg::Proposed(Ok(id)) => written(p, msg!("correction.proposed", id = id), cx),
        LedgerMsg::Decided(Ok(Some(_))) => written(p, msg!("correction.posted"), cx),
        LedgerMsg::Decided(Ok(None)) | LedgerMsg::Saved(Ok(())) => {
            written(p, msg!("form.saved"), cx)
        }
        LedgerMsg::Statement(Err(e)) | LedgerMsg::Totals(Err(e)) => cx.failed(None, e),
        LedgerMsg::Proposed(Err(e)) | LedgerMsg::Decided(Err(e)) | LedgerMsg::Saved(Err(e)) => {
            cx.failed(p.form_mut(), e)
        }
    }
}

/// A write went through: the form closes, the desk says so, the pane reads
/// itself again, and the member's standing in the index follows.
fn written(p: &mut LedgerPane, note: Msg, cx: &mut Cx<'_, LedgerMsg>) {
    p.form = None;
    cx.notify(NoticeKind::Ok, note);
    p.load(cx);
    if let Some(m) = p.member {
        cx.member_changed(m);
    }
}
