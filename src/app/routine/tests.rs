//! The routine driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call, request_row};
use crate::domain::queue::State;
use crate::domain::staff::Role;
use crate::domain::station::Settings;
use crate::msg::Refusal;
use crate::store::StoreError;
use crate::store::days::{ChecklistItem, DayState, Replenish};

fn today() -> chrono::NaiveDate {
    Desk::default().shared().today()
}

/// Today, not opened yet: one item to tick.
fn unopened() -> Box<DayInfo> {
    Box::new(DayInfo {
        day: today(),
        checklist: vec![ChecklistItem {
            id: 1,
            kind: "clean".into(),
            name_zh: "扫地".into(),
            name_en: "sweep".into(),
            expected: None,
            active: true,
            lend: crate::domain::tool::LendKind::None,
        }],
        ..DayInfo::default()
    })
}

/// Today, opened at T0: one item short, one request carried over.
fn opened() -> Box<DayInfo> {
    Box::new(DayInfo {
        day: today(),
        state: DayState {
            opened_at: Some(crate::harness::T0),
            ..DayState::default()
        },
        replenish: vec![Replenish {
            id: 7,
            name_zh: "助行器".into(),
            name_en: "walkers".into(),
            missing: 1,
            day: today().to_string(),
        }],
        carried: vec![request_row(12, State::New)],
        ..DayInfo::default()
    })
}

fn closed_day() -> Box<DayInfo> {
    let mut d = opened();
    d.state.closed_at = Some(crate::harness::T0 + 1);
    d
}

fn closed(already: bool) -> Box<Closed> {
    Box::new(Closed {
        figures: Default::default(),
        version: 1,
        backup: None,
        bundle: None,
        already,
        board: None,
    })
}

/// A routine of `kind` showing `info`, entered by the desk's staff.
fn showing(kind: RoutineKind, info: Box<DayInfo>, desk: &Desk) -> Routine {
    let mut r = Routine::new(kind);
    call(&mut r, desk, |r, cx| {
        r.entered(cx);
        r.update(RoutineMsg::Day(Ok(info)), cx);
    });
    r
}

#[test]
fn f2_reads_today_and_offers_the_checklist_until_the_day_is_opened() {
    let mut r = Routine::new(RoutineKind::Open);
    let out = call(&mut r, &Desk::default(), |r, cx| r.entered(cx));
    assert_eq!(out.jobs, [("ReadDay".to_string(), Some("routine.day"))]);
    assert!(!r.available(Command::Midday), "nothing read yet");
    let out = call(&mut r, &Desk::default(), |r, cx| {
        r.update(RoutineMsg::Day(Ok(unopened())), cx)
    });
    assert_eq!(
        r.form.as_ref().map(|f| &f.kind),
        Some(&RoutineFormKind::Checklist)
    );
    assert_eq!(out.asks, [Ask::RefreshHeader]);
}

#[test]
fn an_unticked_item_is_refused_at_its_line_and_nothing_is_sent() {
    let mut r = showing(RoutineKind::Open, unopened(), &Desk::default());
    let out = call(&mut r, &Desk::default(), |r, cx| r.submit(cx));
    assert!(out.jobs.is_empty());
    let f = &r.form.as_ref().unwrap().form;
    assert_eq!(
        f.get("item_1")
            .and_then(|x| x.error.as_ref())
            .map(|m| m.key),
        Some("open.tick")
    );
}

#[test]
fn the_day_opened_late_is_said_and_the_checklist_goes() {
    let desk = Desk::default();
    let mut r = showing(RoutineKind::Open, unopened(), &desk);
    let out = call(&mut r, &desk, |r, cx| {
        r.form.as_mut().unwrap().form.set("item_1", "1");
        r.submit(cx);
    });
    assert_eq!(out.job_names(), ["OpenDay"]);
    let mut late = opened();
    late.state.late = true;
    let out = call(&mut r, &desk, |r, cx| {
        r.update(RoutineMsg::Saved(Ok(late)), cx)
    });
    assert!(r.form.is_none());
    assert_eq!(
        out.asks,
        [
            Ask::Notify(NoticeKind::Info, msg!("open.done_late")),
            Ask::RefreshHeader
        ]
    );
    assert!(r.available(Command::Midday) && r.available(Command::MarkReplenished));
}

#[test]
fn r_marks_the_selected_item_back_and_enter_shows_a_carried_request_in_the_queue() {
    let desk = Desk::default();
    let mut r = showing(RoutineKind::Open, opened(), &desk);
    let out = call(&mut r, &desk, |r, cx| {
        assert!(r.command(Command::MarkReplenished, cx));
        assert!(r.command(Command::Down, cx));
        assert!(r.command(Command::Select, cx));
        assert!(!r.command(Command::Refresh, cx), "nothing to read again");
    });
    assert_eq!(out.job_names(), ["MarkReplenished"]);
    assert_eq!(out.asks, [Ask::Go(Goto::Carried { request_id: 12 })]);
}

#[test]
fn f10_goes_to_an_earlier_day_left_open_first() {
    let desk = Desk::default();
    let mut r = Routine::new(RoutineKind::Close);
    let earlier = today().pred_opt().unwrap();
    let mut info = unopened();
    info.unclosed = Some(earlier);
    let out = call(&mut r, &desk, |r, cx| {
        r.update(RoutineMsg::Day(Ok(info)), cx)
    });
    assert!(r.info.is_none(), "today is not shown");
    assert_eq!(out.jobs, [("ReadDay".to_string(), Some("routine.day"))]);
    assert!(out.asks.is_empty());
}

#[test]
fn the_close_needs_its_story_and_then_syncs_with_headquarters() {
    let desk = Desk {
        settings: Settings {
            hq_url_file: "/etc/shiguang/hq.url".into(),
            ..Settings::default()
        },
        ..Desk::default()
    };
    let mut r = showing(RoutineKind::Close, opened(), &desk);
    assert_eq!(
        r.form.as_ref().map(|f| &f.kind),
        Some(&RoutineFormKind::Close)
    );
    let out = call(&mut r, &desk, |r, cx| {
        r.form.as_mut().unwrap().form.set("docs_locked", "1");
        r.submit(cx);
    });
    assert!(out.jobs.is_empty(), "no story, no close");
    let out = call(&mut r, &desk, |r, cx| {
        r.form.as_mut().unwrap().form.set("story", "重阳节包饺子");
        r.submit(cx);
    });
    // asked once, naming what carries over, before anything is sent
    assert!(out.jobs.is_empty());
    assert_eq!(
        out.asks,
        [Ask::Confirm {
            text: msg!("close.confirm", n = 0usize),
            on_yes: RoutineMsg::CloseConfirmed("重阳节包饺子".into()),
        }]
    );
    let out = call(&mut r, &desk, |r, cx| {
        r.update(RoutineMsg::CloseConfirmed("重阳节包饺子".into()), cx)
    });
    assert_eq!(out.job_names(), ["CloseDay"]);
    let out = call(&mut r, &desk, |r, cx| {
        r.update(RoutineMsg::Closed(Ok(closed(false))), cx)
    });
    assert!(r.form.is_none() && r.closed.is_some());
    assert_eq!(out.job_names(), ["ReadDay", "SyncHq"]);
    assert_eq!(
        out.asks,
        [
            Ask::Notify(NoticeKind::Ok, msg!("close.done")),
            Ask::RefreshHeader,
            Ask::Notify(NoticeKind::Info, msg!("hq.sync.running")),
        ]
    );
}

#[test]
fn a_close_or_sync_answered_after_the_routine_was_left_is_still_said() {
    let desk = Desk {
        settings: Settings {
            hq_url_env: "SHIGUANG_HQ".into(),
            ..Settings::default()
        },
        ..Desk::default()
    };
    let mut nothing = ();
    let out = call(&mut nothing, &desk, |_, cx| {
        after_closed(RoutineMsg::Closed(Ok(closed(true))), cx);
        after_closed(RoutineMsg::Day(Ok(opened())), cx);
        after_closed(
            RoutineMsg::Synced(Ok(Some(Err(HqError::Unreachable("no route".into()))))),
            cx,
        );
    });
    assert_eq!(out.job_names(), ["SyncHq"], "the sync is still made");
    assert_eq!(out.asks.len(), 4);
    assert_eq!(
        out.asks[0],
        Ask::Notify(NoticeKind::Ok, msg!("close.already"))
    );
    assert!(matches!(&out.asks[3], Ask::Notify(NoticeKind::Info, m) if m.key == "hq.sync.later"));
}

#[test]
fn only_a_station_master_reopens_a_closed_day_and_with_a_reason() {
    let desk = Desk::default();
    let mut r = showing(RoutineKind::Close, closed_day(), &desk);
    assert!(r.available(Command::ReopenDay));
    let out = call(&mut r, &desk, |r, cx| {
        r.command(Command::ReopenDay, cx);
        r.submit(cx);
    });
    assert!(out.jobs.is_empty(), "no reason, nothing sent");
    let refused = StoreError::Refused(Refusal::at("reason", msg!("day.reopen_reason")));
    call(&mut r, &desk, |r, cx| {
        r.form.as_mut().unwrap().form.set("reason", "漏记");
        r.submit(cx);
        r.update(RoutineMsg::Saved(Err(refused)), cx);
    });
    let f = &r.form.as_ref().expect("still open").form;
    assert_eq!(f.busy, None);
    assert!(f.get("reason").unwrap().error.is_some());

    let mut liaison = Desk::default();
    liaison.session.role = Role::Liaison;
    let mut r = showing(RoutineKind::Close, closed_day(), &liaison);
    assert!(!r.available(Command::ReopenDay));
    let out = call(&mut r, &liaison, |r, cx| {
        r.command(Command::ReopenDay, cx);
    });
    assert!(r.form.is_none());
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("staff.master_only"))]
    );
}

#[test]
fn leaving_its_own_step_leaves_the_routine_but_not_a_small_form() {
    let desk = Desk::default();
    let mut r = showing(RoutineKind::Open, opened(), &desk);
    call(&mut r, &desk, |r, cx| {
        r.command(Command::Midday, cx);
    });
    assert!(!r.drop_form(), "the midday form is not the routine");
    let mut r = showing(RoutineKind::Close, opened(), &desk);
    assert!(r.drop_form(), "the close form is");
}

#[test]
fn m_on_a_closed_day_opens_no_midday_form() {
    let desk = Desk::default();
    let mut r = showing(RoutineKind::Open, closed_day(), &desk);
    assert!(!r.available(Command::Midday));
    call(&mut r, &desk, |r, cx| {
        r.command(Command::Midday, cx);
    });
    assert!(r.form.is_none(), "no midday duty on a closed day");
}
