//! The ledger pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::domain::correction::CorrectionKind;
use crate::domain::ledger::TransferKind;
use crate::domain::staff::Role;
use crate::store::StoreError;
use crate::store::members::MemberRow;

fn line(seq: i64, delta: i64) -> StatementLine {
    StatementLine {
        seq,
        id: format!("t{seq:015}"),
        at: crate::harness::T0,
        kind: TransferKind::Service,
        delta,
        balance_after: 100,
        counterpart: "m:JS01-0002".into(),
        counterpart_name: Some("李奶奶".into()),
        record_id: Some(seq),
        staff: Some("001".into()),
        memo: None,
        reverses: None,
    }
}

fn statement(member_id: i64, frozen: bool) -> StatementView {
    StatementView {
        member: MemberRow {
            id: member_id,
            number: Some("JS01-0009".into()),
            name: "张三丰".into(),
            phone: "13800001234".into(),
            status: crate::domain::member::MemberStatus::Approved,
            level: crate::domain::level::Level::Ordinary,
            community: "时光社区".into(),
            building: "2栋".into(),
            submitted_at: crate::harness::T0,
            decided_at: None,
            notified_at: None,
            reject_reason: None,
            has_recommender: false,
            online: false,
            blacklisted: false,
            trust_score: 0,
        },
        account: Some(3),
        balance: 100,
        frozen,
        lines: vec![line(1, 60), line(2, -30)],
        owed: 0,
        heir_account: None,
    }
}

/// A correction entered by staff member `by`.
fn correction(id: i64, by: i64) -> CorrectionRow {
    CorrectionRow {
        id,
        kind: CorrectionKind::Adjustment,
        transfer_id: None,
        member: Some(("JS01-0009".into(), "张三丰".into())),
        from: "pool".into(),
        to: "m:JS01-0009".into(),
        amount: 20,
        reason: "补录".into(),
        proposed_by: (by, format!("00{by}"), "赵六".into()),
        proposed_at: crate::harness::T0,
        outcome: None,
        decided_by: None,
        posted_transfer: None,
    }
}

/// The pane showing member 9's statement, its chains checked.
fn showing(frozen: bool) -> LedgerPane {
    let mut p = LedgerPane {
        chain: ChainStatus::Sound {
            transfers: 2,
            head: "h".into(),
        },
        ..LedgerPane::default()
    };
    call(&mut p, &Desk::default(), |p, cx| {
        p.member_found(9, cx);
        p.update(LedgerMsg::Statement(Ok(Box::new(statement(9, frozen)))), cx);
    });
    p
}

/// The pane on the corrections list, with correction 4 entered by staff 2.
fn on_corrections() -> LedgerPane {
    let mut p = showing(false);
    let totals = LedgerTotals {
        corrections: vec![correction(4, 2)],
        ..LedgerTotals::default()
    };
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(LedgerMsg::Totals(Ok(Box::new(totals))), cx);
        p.command(Command::Corrections, cx);
    });
    p
}

fn a_clerk() -> Desk {
    let mut desk = Desk::default();
    desk.session.role = Role::Liaison;
    desk
}

#[test]
fn entering_reads_the_totals_the_member_shown_and_checks_the_chains_again() {
    let mut p = LedgerPane {
        member: Some(9),
        ..LedgerPane::default()
    };
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        out.jobs,
        [
            ("ReadTotals".to_string(), Some("ledger.totals")),
            ("VerifyChain".to_string(), Some("ledger.chain")),
            ("ReadStatement".to_string(), Some("ledger.statement")),
        ]
    );
    assert_eq!(p.chain, ChainStatus::Checking);
    let report = LedgerReport {
        transfers: 12,
        head: "abc".into(),
        ..LedgerReport::default()
    };
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(LedgerMsg::Chain(Ok(Box::new(report))), cx)
    });
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        out.job_names(),
        ["ReadTotals", "VerifyChain", "ReadStatement"],
        "the status refreshes itself: transfers may have been posted since"
    );
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        out.job_names(),
        ["ReadTotals", "ReadStatement"],
        "one check at a time"
    );
    let broken = StoreError::Other("disk".into());
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(LedgerMsg::Chain(Err(broken.clone())), cx)
    });
    assert_eq!(p.chain, ChainStatus::Broken(vec![broken.to_string()]));
}

#[test]
fn a_reversal_is_shown_with_both_sides_and_entered_only_on_yes() {
    let mut p = showing(false);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Reverse, cx);
        p.form.as_mut().unwrap().form.set("amount", "0");
        p.submit(cx);
    });
    assert!(
        out.asks.is_empty() && out.jobs.is_empty(),
        "refused at the form"
    );
    let of = p.form.as_mut().unwrap();
    assert_eq!(
        of.kind,
        LedgerFormKind::Reverse {
            transfer_id: "t000000000000001".into()
        }
    );
    of.form.set("amount", "60");
    of.form.set("reason", "重复登记");
    let out = call(&mut p, &Desk::default(), |p, cx| p.submit(cx));
    assert!(out.jobs.is_empty(), "nothing written before yes");
    let proposal = Proposal::Reversal {
        transfer_id: "t000000000000001".into(),
        amount: 60,
    };
    let yes = LedgerMsg::ProposeReversal {
        proposal,
        reason: "重复登记".into(),
    };
    let text = msg!(
        "ledger.reverse_confirm",
        amount = 60,
        from = "张三丰",
        to = "李奶奶",
        transfer = "t000000000"
    );
    assert_eq!(
        out.asks,
        [Ask::Confirm {
            text,
            on_yes: yes.clone()
        }]
    );
    let out = call(&mut p, &Desk::default(), |p, cx| p.update(yes, cx));
    assert_eq!(out.job_names(), ["ProposeCorrection"]);
    assert!(p.form.as_ref().unwrap().form.busy.is_some());
}

#[test]
fn a_correction_written_closes_the_form_and_the_pane_and_index_read_again() {
    let mut p = showing(false);
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Adjust, cx);
    });
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(LedgerMsg::Proposed(Ok(17)), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [
            Ask::Notify(NoticeKind::Ok, msg!("correction.proposed", id = 17)),
            Ask::MemberChanged(9),
        ]
    );
    assert_eq!(
        out.job_names(),
        ["ReadTotals", "VerifyChain", "ReadStatement"]
    );
}

#[test]
fn ones_own_correction_is_not_approved_but_may_be_withdrawn() {
    let mut p = on_corrections();
    let mine = Desk {
        session: crate::domain::staff::Session {
            staff_id: 2,
            ..Desk::default().session
        },
        ..Desk::default()
    };
    let out = call(&mut p, &mine, |p, cx| {
        assert!(p.command(Command::ApproveCorrection, cx));
        p.command(Command::RefuseCorrection, cx);
        p.submit(cx);
    });
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("correction.four_eyes"))]
    );
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(kind, Some(LedgerFormKind::Refuse { id: 4, own: true }));
    assert_eq!(out.job_names(), ["DecideCorrection"], "no note needed");
}

#[test]
fn another_master_approves_after_a_question_naming_both_sides() {
    let mut p = on_corrections();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::ApproveCorrection, cx);
    });
    let [Ask::Confirm { text, on_yes }] = &out.asks[..] else {
        panic!("one question: {:?}", out.asks);
    };
    assert_eq!(*on_yes, LedgerMsg::Approve(4));
    let arg = |name| {
        text.args
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(arg("from"), Some("社区公益池"));
    assert_eq!(arg("to"), Some("JS01-0009 张三丰"));
    assert_eq!(arg("who"), Some("002 赵六"));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(LedgerMsg::Approve(4), cx)
    });
    assert_eq!(out.job_names(), ["DecideCorrection"]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(LedgerMsg::Decided(Ok(None)), cx)
    });
    assert_eq!(out.asks[0], Ask::Notify(NoticeKind::Ok, msg!("form.saved")));
}

#[test]
fn a_refusal_by_another_needs_its_reason_at_the_field() {
    let mut p = on_corrections();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::RefuseCorrection, cx);
        p.submit(cx);
    });
    assert!(out.jobs.is_empty());
    let of = p.form.as_ref().unwrap();
    assert_eq!(of.kind, LedgerFormKind::Refuse { id: 4, own: false });
    assert!(
        of.form
            .get("reason")
            .and_then(|f| f.error.as_ref())
            .is_some()
    );
}

#[test]
fn only_a_station_master_freezes_or_settles_an_estate() {
    let mut p = showing(false);
    let out = call(&mut p, &a_clerk(), |p, cx| {
        p.command(Command::Freeze, cx);
        p.command(Command::Estate, cx);
    });
    assert!(p.form.is_none());
    let no = Ask::Notify(NoticeKind::Error, msg!("staff.master_only"));
    assert_eq!(out.asks, [no.clone(), no]);
    let mut p = showing(true);
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Freeze, cx);
    });
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(
        kind,
        Some(LedgerFormKind::Freeze {
            member_id: 9,
            frozen: false
        }),
        "a frozen account is unfrozen"
    );
}

#[test]
fn a_refused_write_is_shown_at_the_form_and_an_adjustment_needs_a_member() {
    let mut p = LedgerPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Adjust, cx);
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [Ask::Notify(
            NoticeKind::Error,
            msg!("ledger.pick_member_first")
        )]
    );
    let mut p = showing(false);
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Estate, cx);
    });
    let refused = StoreError::Refused(crate::msg::Refusal::at("heir", msg!("form.pick_member")));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(LedgerMsg::Saved(Err(refused)), cx)
    });
    assert!(out.asks.is_empty() && out.jobs.is_empty());
    let f = &p.form.as_ref().unwrap().form;
    assert!(f.get("heir").and_then(|x| x.error.as_ref()).is_some());
}
