//! The disputes pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::app::form::Picked;
use crate::harness::T0;
use crate::msg::Refusal;
use crate::store::StoreError;
use crate::store::disputes::Channel;

/// A case between members 1 and 2 (or a suggestion from 1), opened an
/// hour before `T0`.
pub(super) fn case(id: i64, suggestion: bool) -> DisputeRow {
    DisputeRow {
        id,
        uid: format!("d{id}"),
        suggestion,
        channel: Channel::Desk,
        category: (!suggestion).then_some(Category::Quality),
        party_a: Some((1, "张三丰".into(), "JS01-0001".into())),
        party_b: (!suggestion).then(|| (2, "李奶奶".into(), "JS01-0002".into())),
        record_id: None,
        subject: "迟到半小时".into(),
        reported_by: "本人".into(),
        opened_at: T0 - HOUR_MS,
        both_contacted_at: None,
        hq_reported_at: None,
        hq_reported_to: None,
        reviewed_at: None,
        review: None,
        decided_at: None,
        outcome: None,
        decision: None,
        told_at: None,
        told_how: None,
        reply: None,
        replied_at: None,
        merchant: None,
        serious: false,
        merchant_phone: None,
    }
}

/// The pane showing `rows` (as the log read them).
fn showing(rows: Vec<DisputeRow>) -> DisputesPane {
    let mut p = DisputesPane::default();
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(DisputesMsg::Listed(Ok(rows)), cx)
    });
    p
}

#[test]
fn entering_reads_the_log_and_the_log_reads_the_selected_cases_timeline() {
    let mut p = DisputesPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        out.jobs,
        [("ListDisputes".to_string(), Some("disputes.list"))]
    );
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(DisputesMsg::Listed(Ok(vec![case(4, false)])), cx)
    });
    assert_eq!(
        out.jobs,
        [("ReadDispute".to_string(), Some("disputes.detail"))]
    );
    assert_eq!(p.selected().map(|d| d.id), Some(4));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::Down, cx), "a move on a list of one");
    });
    assert!(out.jobs.is_empty(), "the selection did not move");
}

#[test]
fn the_filter_runs_through_the_categories_and_after_all_comes_back_to_open() {
    let mut p = showing(vec![case(1, false), case(2, true)]);
    let mut seen = vec![p.filter];
    for _ in 0..9 {
        call(&mut p, &Desk::default(), |p, cx| {
            p.command(Command::Filter, cx);
        });
        seen.push(p.filter);
    }
    assert_eq!(seen[..9], Filter::CYCLE[..9]);
    assert_eq!(seen[9], Filter::Open);
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Filter, cx);
        p.command(Command::Filter, cx);
    });
    assert_eq!(p.filter, Filter::Suggestions);
    assert_eq!(p.selected().map(|d| d.id), Some(2), "only the suggestion");
}

#[test]
fn a_member_found_narrows_the_log_to_their_cases_and_found_again_widens_it() {
    let mut other = case(3, false);
    other.party_a = Some((5, "王秀兰".into(), "JS01-0005".into()));
    other.party_b = Some((6, "赵六".into(), "JS01-0006".into()));
    let mut p = showing(vec![case(1, false), other]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.member_found(6, cx), "the pane shows them itself");
    });
    assert_eq!(p.visible.len(), 1);
    assert_eq!(p.member.as_ref().map(|m| m.0), Some(6));
    assert_eq!(out.job_names(), ["ReadDispute"]);
    call(&mut p, &Desk::default(), |p, cx| {
        p.member_found(6, cx);
    });
    assert_eq!((p.visible.len(), p.member.is_none()), (2, true));
}

#[test]
fn case_commands_are_refused_with_a_reason_or_have_no_use_on_the_wrong_kind() {
    let mut decided = case(1, false);
    decided.decided_at = Some(T0);
    let mut p = showing(vec![decided]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::Decide, cx));
        assert!(p.command(Command::HqReport, cx));
        assert!(!p.command(Command::ReplySuggestion, cx), "not a suggestion");
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [
            Ask::Notify(NoticeKind::Error, msg!("dispute.already_decided")),
            Ask::Notify(NoticeKind::Error, msg!("dispute.not_safety")),
        ]
    );
    let mut p = showing(vec![case(2, true)]);
    call(&mut p, &Desk::default(), |p, cx| {
        assert!(!p.command(Command::LogContact, cx), "no parties to call");
        assert!(p.command(Command::ReplySuggestion, cx));
    });
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(kind, Some(DisputeFormKind::Reply { id: 2 }));
}

#[test]
fn p_exports_a_cases_handling_form_or_with_a_suggestion_the_improvement_list() {
    let mut p = showing(vec![case(1, false), case(2, true)]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Export, cx);
        p.command(Command::Down, cx);
        p.command(Command::Export, cx);
    });
    assert_eq!(
        out.job_names(),
        ["PrintPage", "ReadDispute", "ExportImprovements"]
    );
    let path = std::path::PathBuf::from("exports/x.md");
    let out = call(&mut p, &Desk::default(), |p, cx| {
        let saved = crate::output::Saved {
            path: path.clone(),
            kept: None,
        };
        p.update(DisputesMsg::Exported(Ok(saved)), cx)
    });
    let saved = msg!("export.saved", path = path.display());
    assert_eq!(out.asks, [Ask::Notify(NoticeKind::Ok, saved)]);
}

#[test]
fn the_parties_picked_read_their_services_once_and_fill_the_record_choices() {
    let mut p = DisputesPane::default();
    let desk = Desk::default();
    call(&mut p, &desk, |p, cx| {
        p.command(Command::New, cx);
    });
    let pick = |p: &mut DisputesPane, field: &str, member_id: i64| {
        let f = &mut p.form.as_mut().unwrap().form;
        let label = format!("#{member_id}");
        f.field_mut(field)
            .unwrap()
            .pick(Picked { member_id, label });
    };
    pick(&mut p, "party_a", 1);
    let out = call(&mut p, &desk, |p, cx| p.form_changed(cx));
    assert!(out.jobs.is_empty(), "one party is not a pair");
    pick(&mut p, "party_b", 2);
    let out = call(&mut p, &desk, |p, cx| {
        p.form_changed(cx);
        p.form_changed(cx);
    });
    assert_eq!(
        out.jobs,
        [("PartyRecords".to_string(), Some("disputes.records"))]
    );
    call(&mut p, &desk, |p, cx| {
        p.update(DisputesMsg::PartyRecords(Ok(Vec::new())), cx)
    });
    let f = &p.form.as_ref().unwrap().form;
    assert_eq!(f.value("record"), "", "no service: none chosen");
}

#[test]
fn a_dispute_taken_in_drops_its_draft_says_its_number_and_reads_the_log_again() {
    let mut p = DisputesPane::default();
    let desk = Desk::default();
    call(&mut p, &desk, |p, cx| {
        p.command(Command::New, cx);
    });
    let out = call(&mut p, &desk, |p, cx| p.submit(cx));
    assert_eq!(out.job_names(), ["OpenDispute"]);
    assert!(p.form.as_ref().unwrap().form.busy.is_some());
    let out = call(&mut p, &desk, |p, cx| {
        p.update(DisputesMsg::Saved(Ok(case(9, false))), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [
            Ask::DropDraft("disputes.new"),
            Ask::Notify(NoticeKind::Ok, msg!("dispute.opened_ok", id = 9)),
            Ask::RefreshHeader,
        ]
    );
    assert_eq!(out.job_names(), ["ListDisputes"]);
}

#[test]
fn a_refused_write_is_shown_at_its_field_and_the_form_takes_keys_again() {
    let mut p = showing(vec![case(1, false)]);
    let desk = Desk::default();
    call(&mut p, &desk, |p, cx| {
        p.command(Command::Tell, cx);
        p.submit(cx);
    });
    let told = p.form.as_ref().unwrap().form.value("how").to_string();
    let zh = Tr::new(crate::i18n::Lang::Zh);
    assert_eq!(told, zh.t("dispute.told_default"), "the usual way, in zh");
    let refused = StoreError::Refused(Refusal::at("how", msg!("dispute.how_required")));
    let out = call(&mut p, &desk, |p, cx| {
        p.update(DisputesMsg::Saved(Err(refused)), cx)
    });
    let f = &p.form.as_ref().expect("still open").form;
    assert_eq!(f.busy, None);
    assert_eq!(
        f.get("how").and_then(|x| x.error.as_ref()).map(|m| m.key),
        Some("dispute.how_required")
    );
    assert!(out.asks.is_empty() && out.jobs.is_empty());
}

#[test]
fn a_liaisons_mediation_is_refused_before_anything_is_sent() {
    let mut desk = Desk::default();
    desk.session.role = crate::domain::staff::Role::Liaison;
    let mut p = showing(vec![case(1, false)]);
    let out = call(&mut p, &desk, |p, cx| {
        p.command(Command::Decide, cx);
        let f = &mut p.form.as_mut().unwrap().form;
        f.focus_on("outcome");
        f.command(Command::ChoiceNext);
        f.command(Command::ChoiceNext);
        forms::decide_visibility(f);
        p.submit(cx);
    });
    assert!(out.jobs.is_empty());
    let f = &p.form.as_ref().unwrap().form;
    assert_eq!(f.value("outcome"), "mediated");
    assert_eq!(
        f.get("outcome")
            .and_then(|x| x.error.as_ref())
            .map(|m| m.key),
        Some("dispute.master_only_outcome")
    );
}

#[test]
fn the_contact_dialog_of_a_merchant_complaint_dials_the_merchants_line() {
    let mut c = case(1, false);
    c.category = Some(Category::Merchant);
    c.party_b = None;
    c.merchant = Some((7, "幸福理发店".into(), "M001".into()));
    c.merchant_phone = Some("0511-8888 1234".into());
    let mut p = showing(vec![c]);
    call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::LogContact, cx));
    });
    let of = p.form.as_mut().expect("the contact dialog");
    of.form.set("party", "b");
    p.show_number();
    let of = p.form.as_ref().expect("the contact dialog");
    let shown = match of.form.get("phone").map(|f| &f.kind) {
        Some(crate::app::form::FieldKind::Choice { options, .. }) => options[0].label.clone(),
        other => panic!("the number line is a shown choice: {other:?}"),
    };
    let line = crate::app::form::Label::Text("0511-8888 1234".into());
    assert_eq!(shown, line);
}
