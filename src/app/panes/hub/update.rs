//! The hub pane's forms sent, and what comes back.

use super::forms::{parse_attend, parse_member, parse_plan};
use super::{HubFormKind, HubMsg, HubPane};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::FormKind;
use crate::msg;
use crate::store::activities::ActivityRow;
use crate::worker::hub::{Attend, PlanActivity, SignUp};

/// Send the open form, or show why not at its fields.
pub(super) fn submit(p: &mut HubPane, cx: &mut Cx<'_, HubMsg>) {
    let Some(of) = p.form.as_mut() else { return };
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let f = &of.form;
    let activity = |id: i64| p.activities.iter().find(|a| a.id == id);
    if matches!(of.kind, HubFormKind::Award { .. }) {
        return super::medals::submit(p, cx);
    }
    let sent = match of.kind.clone() {
        HubFormKind::Plan => parse_plan(f, cx.desk.today()).map(|plan| {
            let plan = Box::new(plan);
            cx.db(PlanActivity { by, plan, at }, HubMsg::Saved)
        }),
        HubFormKind::SignUp { activity_id } => parse_member(f).map(|member_id| {
            let req = SignUp {
                by,
                activity_id,
                member_id,
                at,
            };
            cx.db(req, HubMsg::Saved)
        }),
        HubFormKind::Award { .. }
        | HubFormKind::Income
        | HubFormKind::Expense
        | HubFormKind::Sign { .. } => return,
        HubFormKind::Attend { activity_id } => {
            let Some(a) = activity(activity_id) else {
                return;
            };
            parse_attend(f, a).map(|(member_id, minutes)| {
                let req = Attend {
                    by,
                    activity_id,
                    member_id,
                    minutes,
                    at,
                };
                cx.db(req, HubMsg::Attended)
            })
        }
        // sent by the tool corner's own submit
        HubFormKind::Tool(_) => return,
    };
    match sent {
        Ok(id) => {
            of.form.clear_errors();
            of.form.busy = Some(id);
        }
        Err(errs) => of.form.show_refusals(&errs),
    }
}

/// A member scanned at the selected activity, signed up at once.
pub(super) fn sign_up(activity_id: i64, member_id: i64, cx: &mut Cx<'_, HubMsg>) {
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    cx.db(
        SignUp {
            by,
            activity_id,
            member_id,
            at,
        },
        HubMsg::Saved,
    );
}

/// The activity as it now stands replaces the listed one.
fn replace(p: &mut HubPane, a: ActivityRow) {
    match p.activities.iter_mut().find(|x| x.id == a.id) {
        Some(x) => *x = a,
        None => {
            p.activities.push(a);
            p.activities.sort_by_key(|x| (x.starts_at, x.id));
        }
    }
}

fn select(p: &mut HubPane, id: i64) {
    if let Some(i) = p.activities.iter().position(|x| x.id == id) {
        p.sel = i;
    }
}

pub(super) fn update(p: &mut HubPane, msg: HubMsg, cx: &mut Cx<'_, HubMsg>) {
    match msg {
        HubMsg::Medals(m) => super::medals::update(p, m, cx),
        HubMsg::Listed(Ok(rows)) => {
            let keep = p.selected().map(|a| a.id);
            p.activities = rows;
            match keep {
                Some(id) if p.activities.iter().any(|a| a.id == id) => select(p, id),
                Some(_) | None => p.select_current(cx.desk.now),
            }
            p.load_attendees(cx);
        }
        HubMsg::Attendees(Ok(rows)) => p.attendees = rows,
        HubMsg::Saved(Ok(a)) => {
            let kind = p.form.take().map(|f| f.kind);
            if let Some(slot) = kind.as_ref().and_then(|k| k.draft_key()) {
                cx.drop_draft(slot);
            }
            let note = match kind {
                Some(HubFormKind::Plan) => msg!("activity.planned_ok"),
                Some(
                    HubFormKind::SignUp { .. }
                    | HubFormKind::Attend { .. }
                    | HubFormKind::Tool(_)
                    | HubFormKind::Award { .. }
                    | HubFormKind::Income
                    | HubFormKind::Expense
                    | HubFormKind::Sign { .. },
                )
                | None => {
                    msg!("activity.signed_ok", n = a.signed)
                }
            };
            let id = a.id;
            replace(p, a);
            select(p, id);
            cx.notify(NoticeKind::Ok, note);
            p.load_attendees(cx);
        }
        HubMsg::Attended(Ok((a, points))) => {
            p.form = None;
            let note = if points > 0 {
                msg!("activity.attended_points", points = points)
            } else {
                msg!("activity.attended_public_good")
            };
            replace(p, a);
            cx.notify(NoticeKind::Ok, note);
            cx.refresh_header();
            p.load_attendees(cx);
        }
        HubMsg::Regular(Ok(n)) => {
            cx.notify(NoticeKind::Ok, msg!("activity.regular_ok", n = n));
            p.load(cx);
        }
        HubMsg::Tools(m) => super::tools::update(p, m, cx),
        HubMsg::Saved(Err(e)) | HubMsg::Attended(Err(e)) => {
            let form = p.form.as_mut().map(|f| &mut f.form);
            cx.failed(form, e)
        }
        HubMsg::Listed(Err(e)) | HubMsg::Attendees(Err(e)) | HubMsg::Regular(Err(e)) => {
            cx.failed(None, e)
        }
        HubMsg::Fund(m) => super::fund::update(p, m, cx),
    }
}
