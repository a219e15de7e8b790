//! The record pane's forms opened and sent, and what comes back.

use super::forms::{self, entry_form, parse_entry, update_visibility};
use super::{ENTRY_DRAFT, RecordFormKind, RecordMsg, RecordPane};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::msg;
use crate::store::queue::RequestRow;
use crate::worker::records::{AddThankYou, PostRecord, RecordSpotResult};

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
            let (input, lang) = (Box::new(input), cx.desk.lang);
            let post = PostRecord {
                by,
                input,
                lang,
                at,
            };
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
        RecordMsg::Listed(Err(e)) | RecordMsg::Spot(Err(e)) => cx.failed(None, e),
        RecordMsg::Posted(Err(e)) | RecordMsg::Saved(Err(e)) => cx.failed(p.form_mut(), e),
    }
}
