//! The match pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call, request_row as request};
use crate::domain::level::Level;
use crate::domain::matching::{Candidate, rank};
use crate::domain::search::{SearchEntry, SearchIndex};

fn helper(member_id: i64) -> HelperRow {
    let candidate = Candidate {
        member_id,
        approved: true,
        blacklisted: false,
        frozen: false,
        level: Level::Star,
        skill: true,
        same_building: false,
        same_community: true,
        ratings: 0,
        positive: 0,
        services_30d: 0,
        declined_recently: false,
        booked: false,
    };
    HelperRow {
        rank: rank(&candidate),
        candidate,
        number: format!("JS01-{member_id:04}"),
        name: "张三丰".into(),
        building: "2栋".into(),
    }
}

/// The pane showing request 5 (in `state`) with helpers 2 and 3.
fn showing(state: State) -> MatchPane {
    let mut p = MatchPane::default();
    call(&mut p, &Desk::default(), |p, cx| {
        let list = (request(5, state), vec![helper(2), helper(3)]);
        p.update(MatchMsg::Helpers(Ok(list)), cx);
    });
    p
}

#[test]
fn entering_follows_the_queues_selection() {
    let desk = Desk {
        selected_request: Some(5),
        ..Desk::default()
    };
    let mut p = MatchPane::default();
    let out = call(&mut p, &desk, |p, cx| p.entered(cx));
    assert_eq!(
        out.jobs,
        [
            ("ListHelpers".to_string(), Some("match.helpers")),
            ("ListContacts".to_string(), Some("match.contacts")),
        ]
    );
    assert!(p.loading);
    let mut p = showing(State::New);
    let desk = Desk {
        selected_request: Some(9),
        ..Desk::default()
    };
    let out = call(&mut p, &desk, |p, cx| p.entered(cx));
    assert!(p.request.is_none(), "request 5 no longer shown");
    assert!(
        p.helpers.is_empty(),
        "nor its helpers, to be called by mistake"
    );
    assert_eq!(out.jobs.len(), 2, "the queue's request 9 is read");
    let mut p = showing(State::New);
    call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        p.request.as_ref().map(|r| r.id),
        Some(5),
        "kept when the queue has none"
    );
}

#[test]
fn a_call_is_logged_for_the_selected_helper_of_an_open_request() {
    let mut p = showing(State::Responded);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Down, cx);
        p.command(Command::LogContact, cx);
        p.submit(cx);
    });
    let of = p.form.as_ref().expect("the call form");
    assert_eq!(of.kind, MatchFormKind::Contact { helper: 3 });
    assert!(of.form.busy.is_some(), "keys wait for the answer");
    // the helper's number is asked for the dialog as it opens
    assert_eq!(out.job_names(), ["NumberForCall", "LogContact"]);
}

#[test]
fn a_closed_request_takes_no_calls() {
    let mut p = showing(State::Done);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::LogContact, cx);
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("request.closed"))]
    );
}

#[test]
fn a_member_found_off_the_list_is_checked_and_told_why_not() {
    let mut index = SearchIndex::default();
    index.upsert(SearchEntry {
        member_id: 8,
        number: "JS01-0008".into(),
        name: "王小二".into(),
        phone_tail: "1234".into(),
        building: "3栋".into(),
        status: crate::domain::member::MemberStatus::Approved,
        level: Level::Ordinary,
    });
    let desk = Desk {
        index,
        ..Desk::default()
    };
    let mut p = showing(State::New);
    let out = call(&mut p, &desk, |p, cx| {
        assert!(p.member_found(3, cx));
        assert!(p.member_found(8, cx));
    });
    assert_eq!(p.sel, 1, "one on the list is selected");
    assert_eq!(out.job_names(), ["CheckHelper"], "one off it is checked");
    let why = msg!("match.booked");
    call(&mut p, &desk, |p, cx| {
        let checked = MatchMsg::Checked {
            member_id: 8,
            why: Ok(Some(why.clone())),
        };
        p.update(checked, cx);
    });
    assert_eq!(p.not_eligible, Some(("JS01-0008 王小二".into(), why)));
    call(&mut p, &desk, |p, cx| {
        let checked = MatchMsg::Checked {
            member_id: 8,
            why: Ok(None),
        };
        p.update(checked, cx);
    });
    assert_eq!(p.not_eligible, None);
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(
        kind,
        Some(MatchFormKind::Contact { helper: 8 }),
        "called anyway"
    );
}

#[test]
fn a_refused_call_is_shown_at_the_form_and_the_list_read_again() {
    let mut p = showing(State::New);
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::LogContact, cx);
        p.submit(cx);
    });
    let taken = crate::store::StoreError::Refused(crate::msg::Refusal::general(msg!(
        "request.already_matched",
        helper = "张三丰"
    )));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(MatchMsg::Logged(Err(taken)), cx)
    });
    let form = &p.form.as_ref().expect("still open").form;
    assert_eq!(form.busy, None);
    assert_eq!(
        form.error.as_ref().map(|m| m.key),
        Some("request.already_matched")
    );
    assert_eq!(out.job_names(), ["ListHelpers", "ListContacts"]);
}

#[test]
fn e_hands_the_request_to_the_record_form_through_a_goto() {
    let mut p = showing(State::Matched);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::EnterRecord, cx));
        assert!(!p.command(Command::New, cx), "nothing is new here");
    });
    assert_eq!(
        out.asks,
        [Ask::Go(Goto::RecordService(Box::new(request(
            5,
            State::Matched
        ))))]
    );
}
