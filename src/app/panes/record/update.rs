//! The record pane's forms opened and sent, and what comes back.

use super::forms::{self, entry_form, parse_entry, update_visibility};
use super::{ENTRY_DRAFT, RecordFormKind, RecordMsg, RecordPane};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::domain::record::default_payer;
use crate::msg;
use crate::store::queue::RequestRow;
use crate::worker::records::{AddThankYou, PostRecord, RecipientBalance, RecordSpotResult};

/// Open the entry form, `prefill`ed (from a matched request) or empty; its
/// uid is fixed now, so a retry posts once.
pub(super) fn open_entry(
    p: &mut RecordPane,
    prefill: &[(&'static str, String)],
    cx: &mut Cx<'_, RecordMsg>,
) {
    let uid = crate::store::new_uid(cx.desk.now);
    let today = cx.desk.today().to_string();
    let mut f = entry_form(&cx.desk.catalog_choices(), &today, &uid);
    for (k, v) in prefill {
        f.set(k, v);
    }
    update_visibility(&mut f, cx.desk.now, cx.desk.tz);
    f.focus = forms::first_empty_field(&f);
    p.form = Some(OpenForm::new(RecordFormKind::Entry, f));
    p.last = None;
    p.payer_check = None;
    check_payer(p, cx);
}

/// A recipient newly chosen in the entry form: ask for their balance, so
/// the payer can follow it.
pub(super) fn check_payer(p: &mut RecordPane, cx: &mut Cx<'_, RecordMsg>) {
    let Some(of) = p
        .form
        .as_ref()
        .filter(|of| of.kind == RecordFormKind::Entry)
    else {
        return;
    };
    let Some(member_id) = of.form.member("recipient") else {
        return;
    };
    if p.payer_check.as_ref().is_some_and(|(m, _)| *m == member_id) {
        return;
    }
    p.payer_check = Some((member_id, of.form.value("payer").to_string()));
    cx.db_latest(
        "record.balance",
        RecipientBalance { member_id },
        move |balance| RecordMsg::Balance { member_id, balance },
    );
}

/// The recipient's balance came: the pool pays when they cannot, unless
/// the payer was chosen by hand meanwhile.
fn follow_balance(p: &mut RecordPane, member_id: i64, balance: i64, cx: &Cx<'_, RecordMsg>) {
    let Some(of) = p
        .form
        .as_mut()
        .filter(|of| of.kind == RecordFormKind::Entry)
    else {
        return;
    };
    let Some((asked, payer_then)) = &p.payer_check else {
        return;
    };
    if *asked != member_id
        || of.form.member("recipient") != Some(member_id)
        || of.form.value("payer") != payer_then
    {
        return;
    }
    let minutes = of.form.value("minutes").trim().parse().ok();
    let payer = default_payer(balance, minutes, cx.desk.settings.points_per_hour);
    of.form.set("payer", payer.as_str());
    p.payer_check = Some((member_id, payer.as_str().to_string()));
}

/// The entry form for the service given for `r`.
fn open_service(p: &mut RecordPane, r: &RequestRow, cx: &mut Cx<'_, RecordMsg>) {
    let helper = cx.desk.member_label(r.helper_id.unwrap_or_default());
    let prefill = forms::service_prefill(r, &helper, cx.desk.tz);
    open_entry(p, &prefill, cx);
}

/// Send the open form, or show why not at its fields.
pub(super) fn submit(p: &mut RecordPane, cx: &mut Cx<'_, RecordMsg>) {
    let Some(of) = p.form.as_mut() else { return };
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let sent = match of.kind.clone() {
        RecordFormKind::Entry => parse_entry(&of.form, at, cx.desk.tz).map(|input| {
            let input = Box::new(input);
            let post = PostRecord { by, input, at };
            cx.db(post, |r| RecordMsg::Posted(r.map(Box::new)))
        }),
        RecordFormKind::ThankYou { record_id } => {
            forms::parse_thank_you(&of.form).map(|(text, photo_ref)| {
                let letter = AddThankYou {
                    by,
                    record_id,
                    text,
                    photo_ref,
                    at,
                };
                cx.db(letter, RecordMsg::Saved)
            })
        }
        RecordFormKind::SpotFail { record_id } => forms::parse_spot_fail(&of.form).map(|note| {
            let result = RecordSpotResult {
                by,
                record_id,
                ok: false,
                note,
                at,
            };
            cx.db(result, RecordMsg::Saved)
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

pub(super) fn update(p: &mut RecordPane, msg: RecordMsg, cx: &mut Cx<'_, RecordMsg>) {
    match msg {
        RecordMsg::Service(r) => open_service(p, &r, cx),
        RecordMsg::Listed(Ok(rows)) => {
            p.sel = p.sel.min(rows.len().saturating_sub(1));
            p.today = rows;
        }
        RecordMsg::Spot(Ok(rows)) => {
            p.sel = p.sel.min(rows.len().saturating_sub(1));
            p.spot = rows;
        }
        RecordMsg::Posted(Ok(posted)) => {
            p.form = None;
            let note = if posted.existing {
                msg!("record.already_posted", points = posted.points)
            } else {
                msg!(
                    "record.posted",
                    points = posted.points,
                    transfer = &posted.transfer.row.id[..10]
                )
            };
            p.last = Some(posted);
            cx.drop_draft(ENTRY_DRAFT);
            cx.notify(NoticeKind::Ok, note);
            // the header counts the day's services and points
            cx.refresh_header();
            p.load(cx);
        }
        RecordMsg::Saved(Ok(())) => {
            p.form = None;
            cx.notify(NoticeKind::Ok, msg!("form.saved"));
            p.load(cx);
        }
        RecordMsg::Balance {
            member_id,
            balance: Ok(balance),
        } => follow_balance(p, member_id, balance, cx),
        RecordMsg::Listed(Err(e))
        | RecordMsg::Spot(Err(e))
        | RecordMsg::Balance {
            balance: Err(e), ..
        } => cx.failed(None, e),
        RecordMsg::Printed(Ok(done)) => cx.notify(NoticeKind::Ok, done.msg()),
        RecordMsg::Printed(Err(e)) => cx.failed(None, e),
        RecordMsg::Posted(Err(e)) | RecordMsg::Saved(Err(e)) => cx.failed(p.form_mut(), e),
    }
}
