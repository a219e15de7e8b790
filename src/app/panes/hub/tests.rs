//! The hub pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::app::notice::NoticeKind;
use crate::domain::activity::Kind;
use crate::msg::Refusal;
use crate::store::StoreError;

/// An hour's tea with nothing filled in, starting at `starts_at`.
pub(super) fn tea(id: i64, starts_at: i64) -> ActivityRow {
    ActivityRow {
        id,
        kind: Kind::Tea,
        title: String::new(),
        starts_at,
        ends_at: starts_at + 3_600_000,
        place: String::new(),
        aim: String::new(),
        leads: String::new(),
        materials: String::new(),
        cost_fen: 0,
        merchants: vec![],
        points_per_hour: 0,
        signed: 0,
        attended: 0,
    }
}

fn listed() -> HubPane {
    let mut p = HubPane::default();
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(
            HubMsg::Listed(Ok(vec![tea(1, 0), tea(2, i64::MAX / 2)])),
            cx,
        );
    });
    p
}

#[test]
fn entering_reads_the_activities_and_the_current_ones_participants() {
    let mut p = HubPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(out.job_names(), ["ListActivities"]);
    let mut p = HubPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(
            HubMsg::Listed(Ok(vec![tea(1, 0), tea(2, i64::MAX / 2)])),
            cx,
        );
    });
    // the one already over is passed: the next one is selected
    assert_eq!(p.selected().map(|a| a.id), Some(2));
    assert_eq!(out.job_names(), ["ReadAttendees"]);
}

#[test]
fn a_scanned_member_is_signed_up_and_one_signed_up_is_asked_the_minutes() {
    let mut p = listed();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.member_found(5, cx);
    });
    assert_eq!(out.job_names(), ["SignUp"]);
    assert!(p.form.is_none());
    p.attendees = vec![AttendeeRow {
        member_id: 5,
        name: "王芳".into(),
        number: None,
        signed_at: 0,
        attended_at: None,
        minutes: 0,
        points: 0,
    }];
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.member_found(5, cx);
    });
    assert!(out.jobs.is_empty());
    let f = &p.form.as_ref().unwrap().form;
    assert_eq!(f.member("member"), Some(5));
    assert_eq!(f.value("minutes"), "60");
}

#[test]
fn a_refused_attendance_stays_open_at_its_field() {
    let mut p = listed();
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Attend, cx);
    });
    let out = call(&mut p, &Desk::default(), |p, cx| {
        let e = StoreError::Refused(Refusal::at(
            "member",
            crate::msg!("activity.already_attended"),
        ));
        p.update(HubMsg::Attended(Err(e)), cx);
    });
    assert!(p.form.is_some());
    assert!(p.form.as_ref().unwrap().form.has_errors());
    assert!(out.jobs.is_empty());
}

#[test]
fn points_earned_or_public_good_is_said() {
    let mut p = listed();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(HubMsg::Attended(Ok((tea(2, 0), 0))), cx);
    });
    assert!(out.asks.iter().any(|a| matches!(
        a,
        Ask::Notify(NoticeKind::Ok, m) if m.key == "activity.attended_public_good"
    )));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(HubMsg::Attended(Ok((tea(2, 0), 20))), cx);
    });
    assert!(out.asks.iter().any(|a| matches!(
        a,
        Ask::Notify(NoticeKind::Ok, m) if m.key == "activity.attended_points"
    )));
}

fn walker(on_loan: u32) -> crate::store::tools::ToolItem {
    crate::store::tools::ToolItem {
        id: 8,
        name_zh: "助行器".into(),
        name_en: "walkers".into(),
        kind: crate::domain::tool::LendKind::Walker,
        count: 2,
        on_loan,
        overdue: 0,
    }
}

/// The tool corner with one walker item and nothing out.
fn on_tools() -> HubPane {
    let mut p = HubPane::default();
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SwitchSection, cx);
        p.update(
            HubMsg::Tools(ToolsMsg::Listed(Ok((vec![walker(0)], vec![])))),
            cx,
        );
    });
    p
}

#[test]
fn tab_goes_round_the_activities_the_tool_corner_and_the_fund() {
    let mut p = HubPane::default();
    let mut seen = Vec::new();
    call(&mut p, &Desk::default(), |p, cx| {
        for _ in 0..3 {
            p.command(Command::SwitchSection, cx);
            seen.push(p.view);
        }
    });
    assert_eq!(seen, [HubView::Tools, HubView::Fund, HubView::Activities]);
}

#[test]
fn tab_goes_to_the_tool_corner_and_reads_it() {
    let mut p = HubPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SwitchSection, cx);
    });
    assert_eq!(p.view, HubView::Tools);
    assert_eq!(out.job_names(), ["ListTools"]);
    assert!(!p.available(Command::SignUp), "the activities' keys rest");
    let p = on_tools();
    assert!(p.available(Command::Lend));
    assert!(!p.available(Command::TakeBack), "no loan selected");
}

#[test]
fn a_card_scanned_at_the_tool_corner_opens_the_loan_with_the_member() {
    let mut p = on_tools();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.member_found(7, cx));
    });
    assert!(
        out.jobs.is_empty(),
        "nothing saved before the desk says when"
    );
    let of = p.form.as_ref().unwrap();
    assert_eq!(of.kind, HubFormKind::Tool(ToolForm::Lend { item_id: 8 }));
    assert_eq!(of.form.member("member"), Some(7));
    // a bad due date stays in the form, nothing is sent
    p.form.as_mut().unwrap().form.set("due", "昨天");
    let out = call(&mut p, &Desk::default(), |p, cx| p.submit(cx));
    assert!(out.jobs.is_empty());
    assert!(p.form.as_ref().unwrap().form.has_errors());
}
