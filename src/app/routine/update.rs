//! The routine's forms sent, and what comes back: the day read or saved,
//! the close, the sync with headquarters after it.

use super::forms::{self, parse_checklist, parse_close, parse_midday, parse_reopen};
use super::{Routine, RoutineFormKind, RoutineKind, RoutineMsg};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::hq::HqError;
use crate::hq::sync::SyncReport;
use crate::msg;
use crate::store::days::Closed;
use crate::store::overview::DayInfo;
use crate::worker::day::{CloseDay, MiddayDuty, OpenDay, ReopenDay, SyncHq};

fn saved(r: crate::store::StoreResult<DayInfo>) -> RoutineMsg {
    RoutineMsg::Saved(r.map(Box::new))
}

/// Send the open form, or show why not at its fields.
pub(super) fn submit(p: &mut Routine, cx: &mut Cx<'_, RoutineMsg>) {
    let Some(info) = p.info.as_deref() else {
        return;
    };
    let Some(of) = p.form.as_mut() else { return };
    let (by, at, day) = (cx.desk.session.clone(), cx.desk.now, info.day);
    let f = &of.form;
    let sent = match of.kind {
        RoutineFormKind::Checklist => {
            parse_checklist(f, info).map(|checks| cx.db(OpenDay { by, checks, at }, saved))
        }
        RoutineFormKind::Midday => {
            let Some(staff_id) = parse_midday(f) else {
                return;
            };
            Ok(cx.db(MiddayDuty { by, staff_id, at }, saved))
        }
        RoutineFormKind::Reopen => parse_reopen(f).map(|reason| {
            let reopen = ReopenDay {
                by,
                day,
                reason,
                at,
            };
            cx.db(reopen, saved)
        }),
        // the form refuses a close without the story or the documents at
        // their fields; the close rule (`routines::close_day`) refuses it
        // again for the desk and the command line alike. A good close is
        // asked about once, naming what carries over to tomorrow.
        RoutineFormKind::Close => match parse_close(f) {
            Ok(story) => {
                of.form.clear_errors();
                let n = info.carry.len();
                cx.confirm(
                    msg!("close.confirm", n = n),
                    RoutineMsg::CloseConfirmed(story),
                );
                return;
            }
            Err(errs) => Err(errs),
        },
    };
    match sent {
        Ok(id) => {
            of.form.clear_errors();
            of.form.busy = Some(id);
        }
        Err(errs) => of.form.show_refusals(&errs),
    }
}

pub(super) fn update(p: &mut Routine, msg: RoutineMsg, cx: &mut Cx<'_, RoutineMsg>) {
    match msg {
        RoutineMsg::Day(Ok(info)) => show_day(p, info, false, cx),
        RoutineMsg::Saved(Ok(info)) => show_day(p, info, true, cx),
        RoutineMsg::Closed(Ok(c)) => {
            p.form = None;
            day_closed(&c, cx);
            p.closed = Some(c);
            p.load(None, cx);
            sync_after_close(cx);
        }
        RoutineMsg::Synced(Ok(outcome)) => synced(outcome, cx),
        RoutineMsg::CloseConfirmed(story) => close_confirmed(p, story, cx),
        RoutineMsg::Printed(Ok(done)) => cx.notify(NoticeKind::Ok, done.msg()),
        RoutineMsg::Printed(Err(e)) => cx.failed(None, e),
        RoutineMsg::Day(Err(e))
        | RoutineMsg::Saved(Err(e))
        | RoutineMsg::Closed(Err(e))
        | RoutineMsg::Synced(Err(e)) => cx.failed(p.form_mut(), e),
    }
}

/// The close asked about and confirmed: send it (the close form still
/// open, busy until the store answers).
fn close_confirmed(p: &mut Routine, story: String, cx: &mut Cx<'_, RoutineMsg>) {
    let Some(day) = p.info.as_deref().map(|i| i.day) else {
        return;
    };
    let Some(of) = p.form.as_mut().filter(|f| f.kind == RoutineFormKind::Close) else {
        return;
    };
    let close = CloseDay {
        by: cx.desk.session.clone(),
        day,
        story,
        docs_locked: true,
        at: cx.desk.now,
    };
    of.form.busy = Some(cx.db(close, |r| RoutineMsg::Closed(r.map(Box::new))));
}

/// A message for a routine closed since it asked: the close and the sync
/// are still said (and the sync still made); the day it read or saved had
/// no screen left to show on.
pub fn after_closed(msg: RoutineMsg, cx: &mut Cx<'_, RoutineMsg>) {
    match msg {
        RoutineMsg::Day(Ok(_)) | RoutineMsg::Saved(Ok(_)) => {}
        RoutineMsg::Closed(Ok(c)) => {
            day_closed(&c, cx);
            sync_after_close(cx);
        }
        RoutineMsg::Synced(Ok(outcome)) => synced(outcome, cx),
        // the close form left before the answer: nothing to close with
        RoutineMsg::CloseConfirmed(_) => {}
        RoutineMsg::Printed(Ok(done)) => cx.notify(NoticeKind::Ok, done.msg()),
        RoutineMsg::Day(Err(e))
        | RoutineMsg::Saved(Err(e))
        | RoutineMsg::Closed(Err(e))
        | RoutineMsg::Printed(Err(e))
        | RoutineMsg::Synced(Err(e)) => cx.failed(None, e),
    }
}

/// The day as read or saved: the routine's next step (the checklist before
/// opening, the close form while open), and a notice for what was saved.
fn show_day(p: &mut Routine, info: Box<DayInfo>, write: bool, cx: &mut Cx<'_, RoutineMsg>) {
    // today is not open but an earlier day was left open: F10 closes that
    // one first
    if p.kind == RoutineKind::Close
        && info.state.opened_at.is_none()
        && let Some(d) = info.unclosed.filter(|d| *d < info.day)
    {
        return p.load(Some(d), cx);
    }
    let had_form = p.form.take().map(|f| f.kind);
    p.sel = p
        .sel
        .min((info.replenish.len() + info.carried.len()).saturating_sub(1));
    let opened = info.state.opened_at.is_some();
    if p.kind == RoutineKind::Open && !opened {
        let form = forms::checklist_form(&info, cx.desk.lang);
        p.form = Some(OpenForm::new(RoutineFormKind::Checklist, form));
    } else if p.kind == RoutineKind::Close && opened && !info.state.is_closed() {
        p.form = Some(OpenForm::new(RoutineFormKind::Close, forms::close_form()));
    }
    if write && had_form == Some(RoutineFormKind::Checklist) {
        if info.state.late {
            cx.notify(NoticeKind::Info, msg!("open.done_late"));
        } else {
            cx.notify(NoticeKind::Ok, msg!("open.done"));
        }
    } else if write {
        cx.notify(NoticeKind::Ok, msg!("form.saved"));
    }
    p.info = Some(info);
    cx.refresh_header();
}

fn day_closed(c: &Closed, cx: &mut Cx<'_, RoutineMsg>) {
    let note = match (&c.board, c.already) {
        (_, true) => msg!("close.already"),
        (Some(path), false) => msg!("close.done_board", path = path.display()),
        (None, false) => msg!("close.done"),
    };
    cx.notify(NoticeKind::Ok, note);
    cx.refresh_header();
}

/// Then headquarters, when the station has its address: on its own
/// connection, never holding up the desk.
fn sync_after_close(cx: &mut Cx<'_, RoutineMsg>) {
    let s = cx.desk.settings;
    if !s.hq_url_file.trim().is_empty() || !s.hq_url_env.trim().is_empty() {
        cx.notify(NoticeKind::Info, msg!("hq.sync.running"));
        cx.db(SyncHq, RoutineMsg::Synced);
    }
}

fn synced(outcome: Option<Result<SyncReport, HqError>>, cx: &mut Cx<'_, RoutineMsg>) {
    match outcome {
        // no headquarters address after all: nothing to say
        None => {}
        Some(Ok(r)) => cx.notify(
            NoticeKind::Ok,
            msg!(
                "hq.sync.done",
                rows = r.sent.total(),
                new = r.new.total(),
                lseq = r.ledger.seq,
                aseq = r.audit.seq
            ),
        ),
        // an alarm is for a person to look at; anything else is "later"
        Some(Err(HqError::Refused(p))) => cx.notify(NoticeKind::Error, p.msg()),
        Some(Err(e)) => cx.notify(NoticeKind::Info, msg!("hq.sync.later", why = e.reason())),
    }
}
