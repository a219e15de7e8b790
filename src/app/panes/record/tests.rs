//! The record pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call, request_row};
use crate::domain::ledger::TransferRow;
use crate::domain::queue::State;
use crate::domain::search::{SearchEntry, SearchIndex};
use crate::msg::Refusal;
use crate::store::StoreError;
use crate::store::catalog::ServiceType;
use crate::store::ledger::Posted;

fn spot(record_id: i64, result: Option<&str>) -> SpotCheck {
    SpotCheck {
        record_id,
        week: "2026-W48".into(),
        result: result.map(str::to_string),
        note: None,
        provider_id: 2,
        provider: "张三丰".into(),
        recipient: "李奶奶".into(),
        ended_at: crate::harness::T0,
        minutes: 60,
        photo_ref: None,
    }
}

fn posted(existing: bool) -> RecordPosted {
    RecordPosted {
        record_id: 11,
        points: 60,
        transfer: Posted {
            seq: 3,
            row: TransferRow {
                id: "0123456789abcdef".into(),
                kind: "service".into(),
                amount: 60,
                debit: "m:JS01-0001".into(),
                credit: "m:JS01-0002".into(),
                record_uid: Some("u1".into()),
                source: None,
                reverses: None,
                idem_key: None,
                staff: Some("001".into()),
                approved_by: None,
                at: crate::harness::T0,
                memo: None,
            },
            existing,
        },
        existing,
    }
}

/// A desk whose catalog has 陪聊 (id 1) and whose index knows helper 9.
fn desk() -> Desk {
    let mut index = SearchIndex::default();
    index.upsert(SearchEntry {
        member_id: 9,
        number: "JS01-0009".into(),
        name: "张三丰".into(),
        phone_tail: "1234".into(),
        building: "2栋".into(),
        status: crate::domain::member::MemberStatus::Approved,
        level: crate::domain::level::Level::Ordinary,
    });
    Desk {
        index,
        catalog: vec![ServiceType {
            id: 1,
            code: "chat".into(),
            name_zh: "陪聊".into(),
            name_en: "Company".into(),
            tier: crate::domain::level::Tier::Basic,
            active: true,
        }],
        ..Desk::default()
    }
}

/// The pane on the spot check, with record 7 to check and record 8 checked.
fn on_spot_check() -> RecordPane {
    let mut p = RecordPane::default();
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SwitchSection, cx);
        p.update(
            RecordMsg::Spot(Ok(vec![spot(7, None), spot(8, Some("ok"))])),
            cx,
        );
    });
    p
}

#[test]
fn a_matched_request_lands_as_a_filled_entry_form_waiting_at_the_end_clock() {
    let mut p = RecordPane {
        last: Some(Box::new(posted(false))),
        ..RecordPane::default()
    };
    let mut r = request_row(4, State::Matched);
    r.helper_id = Some(9);
    let out = call(&mut p, &desk(), |p, cx| {
        p.update(RecordMsg::Service(Box::new(r)), cx)
    });
    let of = p.form.as_ref().expect("the entry form");
    assert_eq!(of.kind, RecordFormKind::Entry);
    assert_eq!(of.form.value("request"), "4");
    assert_eq!(of.form.value("type"), "1");
    let helper = of.form.get("provider").and_then(|f| f.picked());
    assert_eq!(helper.map(|h| h.label.as_str()), Some("JS01-0009 张三丰"));
    assert_eq!(of.form.focused_name(), "end");
    assert!(!of.form.value("uid").is_empty(), "its uid is fixed at once");
    assert!(p.last.is_none(), "the last posting is no longer news");
    assert_eq!(
        out.jobs,
        [("RecipientBalance".to_string(), Some("record.balance"))],
        "the recipient's balance is asked, for the payer"
    );
    assert!(out.asks.is_empty());
    assert_eq!(of.form.value("payer"), "recipient");
    let member_id = of.form.member("recipient").expect("the requester");
    call(&mut p, &desk(), |p, cx| {
        let balance = Ok(0);
        p.update(RecordMsg::Balance { member_id, balance }, cx)
    });
    let of = p.form.as_ref().expect("the entry form");
    assert_eq!(of.form.value("payer"), "pool", "0 points: the pool pays");
}

#[test]
fn a_payer_chosen_by_hand_is_not_overridden_by_the_balance() {
    let mut p = RecordPane::default();
    let mut r = request_row(4, State::Matched);
    r.helper_id = Some(9);
    call(&mut p, &desk(), |p, cx| {
        p.update(RecordMsg::Service(Box::new(r)), cx)
    });
    let member_id = p
        .form
        .as_ref()
        .and_then(|of| of.form.member("recipient"))
        .unwrap();
    p.form.as_mut().unwrap().form.set("payer", "pool");
    call(&mut p, &desk(), |p, cx| {
        p.update(
            RecordMsg::Balance {
                member_id,
                balance: Ok(500),
            },
            cx,
        )
    });
    assert_eq!(p.form.as_ref().unwrap().form.value("payer"), "pool");
}

#[test]
fn entering_reads_todays_records_and_tab_the_spot_check_in_one_slot() {
    let mut p = RecordPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.entered(cx);
        p.command(Command::SwitchSection, cx);
    });
    assert_eq!(
        out.jobs,
        [
            ("ListRecords".to_string(), Some("record.list")),
            ("ListSpotChecks".to_string(), Some("record.list")),
        ]
    );
    assert_eq!(p.view, View::Spot);
}

#[test]
fn a_posted_service_closes_the_form_drops_its_draft_and_reads_the_list_again() {
    let mut p = RecordPane::default();
    call(&mut p, &desk(), |p, cx| {
        p.command(Command::New, cx);
    });
    assert!(p.form.is_some());
    let out = call(&mut p, &desk(), |p, cx| {
        p.update(RecordMsg::Posted(Ok(Box::new(posted(false)))), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(p.last.as_ref().map(|l| l.record_id), Some(11));
    assert_eq!(
        out.asks,
        [
            Ask::DropDraft("record.entry"),
            Ask::Notify(
                NoticeKind::Ok,
                msg!("record.posted", points = 60, transfer = "0123456789")
            ),
            Ask::RefreshHeader,
        ]
    );
    assert_eq!(out.jobs, [("ListRecords".to_string(), Some("record.list"))]);
    let out = call(&mut p, &desk(), |p, cx| {
        p.update(RecordMsg::Posted(Ok(Box::new(posted(true)))), cx)
    });
    assert_eq!(
        out.asks[1],
        Ask::Notify(NoticeKind::Ok, msg!("record.already_posted", points = 60))
    );
}

#[test]
fn an_incomplete_entry_is_refused_at_its_fields_and_nothing_is_sent() {
    let mut p = RecordPane::default();
    let out = call(&mut p, &desk(), |p, cx| {
        p.command(Command::New, cx);
        p.submit(cx);
    });
    assert!(out.jobs.is_empty());
    let form = &p.form.as_ref().unwrap().form;
    assert!(
        form.get("provider")
            .and_then(|f| f.error.as_ref())
            .is_some()
    );
    assert_eq!(form.busy, None);
}

#[test]
fn a_refused_posting_is_shown_at_the_form_which_takes_keys_again() {
    let mut p = RecordPane::default();
    call(&mut p, &desk(), |p, cx| {
        p.command(Command::New, cx);
    });
    p.form.as_mut().unwrap().form.busy = Some(1);
    let refused = StoreError::Refused(Refusal::at("minutes", msg!("record.minutes_invalid")));
    let out = call(&mut p, &desk(), |p, cx| {
        p.update(RecordMsg::Posted(Err(refused)), cx)
    });
    let form = &p.form.as_ref().unwrap().form;
    assert_eq!(form.busy, None);
    assert_eq!(
        form.get("minutes")
            .and_then(|f| f.error.as_ref())
            .map(|m| m.key),
        Some("record.minutes_invalid")
    );
    assert!(out.asks.is_empty() && out.jobs.is_empty());
}

#[test]
fn v_passes_a_record_of_the_spot_check_once() {
    let mut p = on_spot_check();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::SpotPass, cx));
        p.command(Command::Down, cx);
        p.command(Command::SpotPass, cx);
    });
    assert_eq!(out.job_names(), ["RecordSpotResult"]);
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("spot.already"))]
    );
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(RecordMsg::Saved(Ok(())), cx)
    });
    assert_eq!(out.asks, [Ask::Notify(NoticeKind::Ok, msg!("form.saved"))]);
    assert_eq!(out.job_names(), ["ListSpotChecks"]);
}

#[test]
fn a_failed_check_needs_its_reason_before_it_is_sent() {
    let mut p = on_spot_check();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SpotFail, cx);
        p.submit(cx);
    });
    assert!(out.jobs.is_empty());
    let of = p.form.as_mut().expect("the reason form");
    assert_eq!(of.kind, RecordFormKind::SpotFail { record_id: 7 });
    assert!(of.form.get("note").and_then(|f| f.error.as_ref()).is_some());
    of.form.set("note", "时长不符");
    let out = call(&mut p, &Desk::default(), |p, cx| p.submit(cx));
    assert_eq!(out.job_names(), ["RecordSpotResult"]);
    assert!(p.form.as_ref().unwrap().form.busy.is_some());
}

#[test]
fn spot_keys_do_nothing_on_todays_records_and_a_letter_is_for_the_selected_one() {
    let mut p = RecordPane::default();
    let row = |id| RecordRow {
        id,
        uid: format!("u{id}"),
        provider_id: 2,
        provider: "张三丰".into(),
        recipient_id: 1,
        recipient: "李奶奶".into(),
        type_id: 1,
        started_at: crate::harness::T0,
        ended_at: crate::harness::T0,
        minutes: 60,
        points: 60,
        payer: crate::domain::record::Payer::Recipient,
        method: crate::domain::record::ConfirmMethod::Desk,
        rating: None,
        reversed: 0,
    };
    let rows = vec![row(3), row(5)];
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(RecordMsg::Listed(Ok(rows)), cx);
        assert!(!p.available(Command::SpotPass));
        assert!(!p.command(Command::SpotPass, cx));
        p.command(Command::Bottom, cx);
        p.command(Command::ThankYou, cx);
    });
    assert!(out.jobs.is_empty() && out.asks.is_empty());
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(kind, Some(RecordFormKind::ThankYou { record_id: 5 }));
}
