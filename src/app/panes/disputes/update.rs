//! The disputes pane's forms sent, and what comes back.

use super::forms::{self, parse_decision, parse_intake};
use super::{DisputeFormKind, DisputesMsg, DisputesPane};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::FormKind;
use crate::i18n::Tr;
use crate::msg;
use crate::worker::disputes::{
    ContactParty, DecideDispute, MarkSerious, OpenDispute, ReplySuggestion, ReportSafety,
    TellParties,
};

/// Send the open form, or show why not at its fields.
pub(super) fn submit(p: &mut DisputesPane, cx: &mut Cx<'_, DisputesMsg>) {
    let Some(of) = p.form.as_mut() else { return };
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let f = &of.form;
    let text = |name: &str| f.value(name).trim().to_string();
    let sent = match of.kind.clone() {
        kind @ (DisputeFormKind::New | DisputeFormKind::Suggestion) => {
            parse_intake(f, kind == DisputeFormKind::Suggestion).map(|d| {
                let dispute = Box::new(d);
                cx.db(OpenDispute { by, dispute, at }, DisputesMsg::Saved)
            })
        }
        DisputeFormKind::Contact { id } => {
            let (party, how, said) = (text("party"), text("how"), text("said"));
            let contact = ContactParty {
                by,
                id,
                party,
                how,
                said,
                at,
            };
            Ok(cx.db(contact, DisputesMsg::Saved))
        }
        DisputeFormKind::Safety { id, review } => {
            let text = text("text");
            let report = ReportSafety {
                by,
                id,
                review,
                text,
                at,
            };
            Ok(cx.db(report, DisputesMsg::Saved))
        }
        DisputeFormKind::Decide { id } => parse_decision(f, by.is_master()).map(|d| {
            let decision = Box::new(d);
            cx.db(
                DecideDispute {
                    by,
                    id,
                    decision,
                    at,
                },
                DisputesMsg::Saved,
            )
        }),
        DisputeFormKind::Tell { id } => {
            let how = text("how");
            Ok(cx.db(TellParties { by, id, how, at }, DisputesMsg::Saved))
        }
        DisputeFormKind::Reply { id } => {
            let reply = text("reply");
            Ok(cx.db(ReplySuggestion { by, id, reply, at }, DisputesMsg::Saved))
        }
        DisputeFormKind::Serious { id } => {
            let reason = text("reason");
            Ok(cx.db(MarkSerious { by, id, reason, at }, DisputesMsg::Saved))
        }
    };
    match sent {
        Ok(id) => {
            of.form.clear_errors();
            of.form.busy = Some(id);
        }
        Err(errs) => of.form.show_refusals(&errs),
    }
}

pub(super) fn update(p: &mut DisputesPane, msg: DisputesMsg, cx: &mut Cx<'_, DisputesMsg>) {
    match msg {
        DisputesMsg::Listed(Ok(rows)) => {
            p.rows = rows;
            p.refilter(cx.desk);
            p.load_detail(cx);
        }
        DisputesMsg::Detail(Ok(d)) => p.detail = Some(Box::new(d)),
        // the choices go to the intake form, if it is still open
        DisputesMsg::PartyRecords(Ok(rows)) => {
            let choices = forms::record_choices(&Tr::new(cx.desk.lang), &rows, cx.desk.tz);
            if let Some(f) = p.form_mut() {
                f.set_choices("record", choices);
            }
        }
        DisputesMsg::Saved(Ok(d)) => {
            let kind = p.form.take().map(|f| f.kind);
            if let Some(slot) = kind.as_ref().and_then(|k| k.draft_key()) {
                cx.drop_draft(slot);
            }
            let note = match kind {
                Some(DisputeFormKind::New) if d.merchant.is_some() => {
                    msg!("dispute.opened_merchant_ok", id = d.id)
                }
                Some(DisputeFormKind::New) => msg!("dispute.opened_ok", id = d.id),
                Some(DisputeFormKind::Suggestion) => msg!("dispute.suggestion_ok"),
                Some(DisputeFormKind::Serious { .. }) => msg!("dispute.serious_ok"),
                Some(DisputeFormKind::Decide { .. }) => msg!(
                    "dispute.decided_ok",
                    outcome = d.outcome.map(|o| o.label_key()).unwrap_or_default()
                ),
                Some(
                    DisputeFormKind::Contact { .. }
                    | DisputeFormKind::Safety { .. }
                    | DisputeFormKind::Tell { .. }
                    | DisputeFormKind::Reply { .. },
                )
                | None => msg!("form.saved"),
            };
            cx.notify(NoticeKind::Ok, note);
            cx.refresh_header();
            p.load(cx);
        }
        DisputesMsg::Exported(Ok(saved)) => cx.notify(NoticeKind::Ok, saved.msg()),
        DisputesMsg::Printed(Ok(done)) => cx.notify(NoticeKind::Ok, done.msg()),
        DisputesMsg::Number(Ok(n)) => {
            p.numbers.push(n);
            p.show_number();
        }
        // the choices go to the intake form, if it is still open
        DisputesMsg::Merchants(Ok(merchants)) => {
            if let Some(f) = p.form_mut() {
                f.set_choices("merchant", forms::merchant_choices(&merchants));
            }
        }
        DisputesMsg::Saved(Err(e)) => cx.failed(p.form_mut(), e),
        DisputesMsg::Listed(Err(e))
        | DisputesMsg::Detail(Err(e))
        | DisputesMsg::PartyRecords(Err(e))
        | DisputesMsg::Exported(Err(e))
        | DisputesMsg::Printed(Err(e))
        | DisputesMsg::Number(Err(e))
        | DisputesMsg::Merchants(Err(e)) => cx.failed(None, e),
    }
}
