//! The queue's forms sent, and what comes back.

use super::forms::{self, parse_cancel, parse_intake, parse_merchant_service};
use super::{INTAKE_DRAFT, QueueFormKind, QueueMsg, QueuePane};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::domain::queue::State;
use crate::msg;
use crate::store::queue::RequestRow;
use crate::worker::queue::{CreateRequest, MoveRequest, PostMerchantService};

/// Send the open form, or show why not at its fields.
pub(super) fn submit(p: &mut QueuePane, cx: &mut Cx<'_, QueueMsg>) {
    let Some(of) = p.form.as_mut() else { return };
    let (by, at, tz) = (cx.desk.session.clone(), cx.desk.now, cx.desk.tz);
    let sent = match of.kind.clone() {
        QueueFormKind::New => parse_intake(&of.form, at, tz).map(|r| {
            let request = Box::new(r);
            cx.db(CreateRequest { by, request, at }, QueueMsg::Created)
        }),
        QueueFormKind::MerchantService { id, uid } => {
            parse_merchant_service(&of.form, id, uid, at, tz).map(|s| {
                let service = Box::new(s);
                cx.db(PostMerchantService { by, service, at }, QueueMsg::Moved)
            })
        }
        QueueFormKind::Cancel { id } => parse_cancel(&of.form).map(|reason| {
            let to = State::Cancelled;
            let note = Some(reason);
            cx.db(
                MoveRequest {
                    by,
                    id,
                    to,
                    note,
                    at,
                },
                QueueMsg::Moved,
            )
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

pub(super) fn update(p: &mut QueuePane, msg: QueueMsg, cx: &mut Cx<'_, QueueMsg>) {
    match msg {
        QueueMsg::Listed(Ok(rows)) => {
            p.rows = rows;
            p.refilter(cx.desk);
        }
        QueueMsg::Created(Ok(r)) => {
            p.form = None;
            cx.drop_draft(INTAKE_DRAFT);
            if r.urgent {
                cx.bell();
                cx.notify(NoticeKind::Error, msg!("request.urgent_logged"));
            } else {
                cx.notify(NoticeKind::Ok, msg!("request.logged"));
            }
            cx.refresh_header();
            p.load(cx);
        }
        QueueMsg::Moved(Ok(r)) => {
            p.form = None;
            let state = r.state.label_key();
            cx.notify(NoticeKind::Ok, msg!("request.moved", state = state));
            cx.refresh_header();
            p.load(cx);
        }
        QueueMsg::Listed(Err(e)) => cx.failed(None, e),
        QueueMsg::Created(Err(e)) | QueueMsg::Moved(Err(e)) => cx.failed(p.form_mut(), e),
        QueueMsg::ShowCarried(id) => {
            p.filter = super::Filter::Carried;
            p.pending_select = Some(id);
            p.load(cx);
        }
        QueueMsg::MerchantService(r) => open_merchant_service(p, &r, cx),
    }
}

/// The form for the service a member gave the merchant of `r`; its uid is
/// fixed now, so a retry posts once.
fn open_merchant_service(p: &mut QueuePane, r: &RequestRow, cx: &mut Cx<'_, QueueMsg>) {
    let form = forms::merchant_service_form(r, &cx.desk.today().to_string());
    let uid = crate::store::new_uid(cx.desk.now);
    let kind = QueueFormKind::MerchantService { id: r.id, uid };
    p.form = Some(OpenForm::new(kind, form));
}
