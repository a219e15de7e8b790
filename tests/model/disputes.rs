//! Disputes: every outcome's effects on the ledger and standing, the
//! clocks, bad input, the pane by keys, and the invariants under any mix.

use crate::common;
use common::*;
use proptest::prelude::*;
use shiguang::domain::dispute::{Category, Outcome};
use shiguang::domain::level::Level;
use shiguang::domain::record::{ConfirmMethod, Payer, RecordInput};
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::disputes::{Channel, Decision, NewDispute};
use shiguang::store::{Store, StoreError};

mod complaints;

struct W {
    db: TestDb,
    s: Store,
    master: Session,
    liaison: Session,
    helper: i64,
    elder: i64,
    other: i64,
}

fn w() -> W {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let liaison = add_liaison(&mut s, &master);
    let helper = approved_member(&mut s, &master, "张三丰", 1, T0 - 300 * DAY_MS);
    let elder = approved_member(&mut s, &master, "李奶奶", 2, T0 - 300 * DAY_MS);
    let other = approved_member(&mut s, &master, "王五", 3, T0 - 300 * DAY_MS);
    W {
        db,
        s,
        master,
        liaison,
        helper,
        elder,
        other,
    }
}

/// A 90-minute service (30 points from the pool) ending `hours_ago`.
fn service(w: &mut W, uid: &str, hours_ago: i64) -> i64 {
    try_service(w, uid, hours_ago).unwrap()
}

fn try_service(w: &mut W, uid: &str, hours_ago: i64) -> Option<i64> {
    let end = T0 - hours_ago * HOUR_MS;
    let r = RecordInput {
        uid: uid.into(),
        request_id: None,
        provider: w.helper,
        recipient: w.elder,
        type_id: 1,
        started_at: end - 90 * 60_000,
        ended_at: end,
        minutes: 90,
        payer: Payer::Pool,
        method: ConfirmMethod::Desk,
        book_page: Some("1".into()),
        photo_ref: None,
        recipient_confirmed: false,
        rating: Some(5),
        notes: None,
        late_reason: Some("补".into()),
    };
    w.s.post_record(&w.master, &r, T0 - hours_ago * HOUR_MS + HOUR_MS)
        .ok()
        .map(|p| p.record_id)
}

/// An hour the helper gives the other member (20 points from the pool),
/// ending at `end`.
fn earning(w: &W, end: i64) -> RecordInput {
    RecordInput {
        uid: "earn".into(),
        request_id: None,
        provider: w.helper,
        recipient: w.other,
        type_id: 1,
        started_at: end - 3_600_000,
        ended_at: end,
        minutes: 60,
        payer: Payer::Pool,
        method: ConfirmMethod::Desk,
        book_page: Some("2".into()),
        photo_ref: None,
        recipient_confirmed: false,
        rating: Some(5),
        notes: None,
        late_reason: None,
    }
}

/// The helper made a star (星级) the day before T0, as if by the level run.
fn star_since_yesterday(w: &W) {
    w.s.conn()
        .execute(
            "UPDATE members SET level = 'star', level_since = ?1 WHERE id = ?2",
            [T0 - DAY_MS, w.helper],
        )
        .unwrap();
}

fn open(w: &mut W, record: Option<i64>, category: Category) -> i64 {
    let d = NewDispute {
        suggestion: false,
        channel: Channel::Phone,
        category: Some(category),
        party_a: Some(w.elder),
        party_b: Some(w.helper),
        record_id: record,
        subject: "服务迟到".into(),
        reported_by: "本人".into(),
        merchant: None,
    };
    w.s.open_dispute(&w.liaison, &d, T0).unwrap().id
}

fn decide(outcome: Outcome) -> Decision {
    Decision {
        outcome,
        split_pct: None,
        severity: None,
        target: None,
        reason: "核实".into(),
        over_minutes: None,
        pause_days: None,
        deposit_fen: None,
    }
}

use crate::common::refusal_key as key;

#[test]
fn provider_at_fault_gives_the_points_back_and_warns_three_warnings_downgrade() {
    let mut w = w();
    star_since_yesterday(&w);
    for i in 0..3 {
        let rec = service(&mut w, &format!("r{i}"), 10 + 3 * i);
        let d = open(&mut w, Some(rec), Category::Quality);
        w.s.decide_dispute(&w.liaison, d, &decide(Outcome::ProviderFault), T0 + i)
            .unwrap();
    }
    assert_eq!(
        w.s.balance_of_member(w.helper).unwrap(),
        0,
        "all three services given back"
    );
    let m = w.s.member(w.helper).unwrap();
    assert_eq!(
        m.level,
        Level::Ordinary,
        "the third warning downgrades at once"
    );
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn requester_at_fault_gets_bad_credit_which_blocks_upgrades() {
    let mut w = w();
    let rec = service(&mut w, "r", 5);
    let d = open(&mut w, Some(rec), Category::Malicious);
    w.s.decide_dispute(&w.liaison, d, &decide(Outcome::RequesterFault), T0)
        .unwrap();
    let v = w.s.level_view(w.elder, T0 + 1).unwrap();
    assert!(
        v.reasons
            .contains(&shiguang::domain::level::Reason::ActiveRecord),
        "{:?}",
        v.reasons
    );
    assert_eq!(w.s.member(w.elder).unwrap().trust_score, 90);
}

#[test]
fn mediation_is_the_masters_and_splits_half_by_default() {
    let mut w = w();
    let rec = service(&mut w, "r", 5);
    let d = open(&mut w, Some(rec), Category::Points);
    assert_eq!(
        key(w
            .s
            .decide_dispute(&w.liaison, d, &decide(Outcome::Mediated), T0)
            .unwrap_err()),
        "dispute.master_mediates"
    );
    w.s.decide_dispute(&w.master, d, &decide(Outcome::Mediated), T0)
        .unwrap();
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 15);
    // an adjusted split on another service
    let rec = service(&mut w, "r2", 8);
    let d = open(&mut w, Some(rec), Category::Points);
    let bad = Decision {
        split_pct: Some(101),
        ..decide(Outcome::Mediated)
    };
    assert_eq!(
        key(w.s.decide_dispute(&w.master, d, &bad, T0).unwrap_err()),
        "dispute.split_range"
    );
    let ok = Decision {
        split_pct: Some(30),
        ..decide(Outcome::Mediated)
    };
    w.s.decide_dispute(&w.master, d, &ok, T0).unwrap();
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 15 + 21);
    assert_eq!(
        key(w.s.decide_dispute(&w.master, d, &ok, T0).unwrap_err()),
        "dispute.already_decided"
    );
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn a_moderate_violation_freezes_spending_for_exactly_a_week_and_deducts_double_without_going_below_zero()
 {
    let mut w = w();
    let rec = service(&mut w, "r", 5); // helper has 30
    let d = open(&mut w, Some(rec), Category::Points);
    let v = Decision {
        severity: Some("moderate".into()),
        target: Some("b".into()),
        // all 90 minutes were made up
        over_minutes: Some(90),
        ..decide(Outcome::Violation)
    };
    assert_eq!(
        key(w.s.decide_dispute(&w.liaison, d, &v, T0).unwrap_err()),
        "violation.master_only"
    );
    w.s.decide_dispute(&w.master, d, &v, T0).unwrap();
    // double of 30 is 60: the 30 there is taken, 30 is owed
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 0);
    let owed: i64 =
        w.s.conn()
            .query_row(
                "SELECT sum(amount) FROM owed WHERE member_id = ?1",
                [w.helper],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(owed, 30);
    // earn again, then try to pay during and after the week
    let end = T0 + DAY_MS;
    let earn = earning(&w, end);
    w.s.post_record(&w.master, &earn, end + 1).unwrap();
    // the 20 earned pay back 20 of the 30 owed; the next 20 pay the rest
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 0);
    assert_eq!(w.s.owed_by(w.helper).unwrap(), 10);
    let earn2 = RecordInput {
        uid: "earn2".into(),
        started_at: end - 4 * 3_600_000,
        ended_at: end - 3 * 3_600_000,
        ..earn.clone()
    };
    w.s.post_record(&w.master, &earn2, end + 2).unwrap();
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 10);
    assert_eq!(w.s.owed_by(w.helper).unwrap(), 0);
    let earn3 = RecordInput {
        uid: "earn3".into(),
        started_at: end - 6 * 3_600_000,
        ended_at: end - 5 * 3_600_000,
        ..earn.clone()
    };
    w.s.post_record(&w.master, &earn3, end + 3).unwrap();
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 30);
    let spend = |uid: &str, at: i64| RecordInput {
        uid: uid.into(),
        provider: w.other,
        recipient: w.helper,
        started_at: at - 3_600_000 - 60_000,
        ended_at: at - 60_000,
        payer: Payer::Recipient,
        ..earn.clone()
    };
    let week = T0 + 7 * DAY_MS;
    assert_eq!(
        key(w
            .s
            .post_record(&w.master, &spend("s1", week - 1000), week - 1)
            .unwrap_err()),
        "record.recipient_frozen"
    );
    w.s.post_record(&w.master, &spend("s2", week), week)
        .unwrap();
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn a_severe_violation_blacklists_and_dismissal_needs_a_reason() {
    let mut w = w();
    let d = open(&mut w, None, Category::Malicious);
    let no_reason = Decision {
        reason: " ".into(),
        ..decide(Outcome::Dismissed)
    };
    assert_eq!(
        key(w
            .s
            .decide_dispute(&w.master, d, &no_reason, T0)
            .unwrap_err()),
        "dispute.reason_required"
    );
    // provider at fault needs a service to give back
    assert_eq!(
        key(w
            .s
            .decide_dispute(&w.master, d, &decide(Outcome::ProviderFault), T0)
            .unwrap_err()),
        "dispute.needs_record"
    );
    let v = Decision {
        severity: Some("severe".into()),
        target: Some("a".into()),
        reason: "恶意投诉、辱骂工作人员".into(),
        ..decide(Outcome::Violation)
    };
    w.s.decide_dispute(&w.master, d, &v, T0).unwrap();
    assert!(w.s.member(w.elder).unwrap().blacklisted);
    assert_eq!(w.s.blacklist().unwrap()[0].reason, "恶意投诉、辱骂工作人员");
}

#[test]
fn bad_intake_is_refused() {
    let mut w = w();
    let rec = service(&mut w, "r", 5);
    let base = NewDispute {
        suggestion: false,
        channel: Channel::Desk,
        category: Some(Category::Quality),
        party_a: Some(w.elder),
        party_b: Some(w.elder),
        record_id: None,
        subject: "x".into(),
        reported_by: "本人".into(),
        merchant: None,
    };
    assert_eq!(
        key(w.s.open_dispute(&w.liaison, &base, T0).unwrap_err()),
        "dispute.same_member"
    );
    let not_theirs = NewDispute {
        party_b: Some(w.other),
        record_id: Some(rec),
        ..base.clone()
    };
    assert_eq!(
        key(w.s.open_dispute(&w.liaison, &not_theirs, T0).unwrap_err()),
        "dispute.record_not_theirs"
    );
    let empty = NewDispute {
        party_b: Some(w.helper),
        subject: "  ".into(),
        ..base
    };
    assert_eq!(
        key(w.s.open_dispute(&w.liaison, &empty, T0).unwrap_err()),
        "dispute.subject_required"
    );
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM disputes"), 0);
}

#[test]
fn the_pane_by_keys_logs_contacts_decides_tells_and_exports_the_form() {
    let mut w = w();
    service(&mut w, "r", 5);
    let master = w.master.clone();
    let path = w.db.path.clone();
    drop(w.s);
    let mut h = Harness::signed_in(&path, T0, Lang::Zh, master);
    h.press("5");
    h.press("n");
    h.press("tab");
    h.press("tab");
    h.type_str("lnn\n");
    h.type_str("zsf\n");
    h.press("right"); // the service between them
    h.press("tab");
    h.type_str("迟到半小时");
    h.press("tab");
    h.type_str("本人");
    h.press("ctrl-s");
    h.assert_shows("已登记纠纷 #1");
    h.assert_shows("联系双方 时限");
    // 25 hours later without contact: overdue, counted in the header
    h.advance(25 * HOUR_MS);
    h.type_str("4821\n"); // the idle lock came down meanwhile
    h.assert_shows("已超时");
    assert_eq!(h.app.state.header.disputes_overdue, 1);
    h.press("c");
    h.press("tab");
    h.press("tab");
    h.type_str("确实迟到了");
    h.press("ctrl-s");
    h.press("c");
    h.press("right");
    h.press("tab");
    h.press("tab");
    h.type_str("路上堵车");
    h.press("ctrl-s");
    h.assert_shows("联系双方 11-24 11:00 (逾期完成)"); // done, but late: remembered
    h.press("d");
    h.press("ctrl-s");
    h.assert_shows("已处理:服务者责任");
    h.press("d");
    h.assert_shows("已经处理过");
    h.press("t");
    h.press("ctrl-s");
    h.press("p");
    h.assert_shows("已导出");
    let form = std::fs::read_to_string(
        path.parent()
            .unwrap()
            .join("exports")
            .join("dispute-1.html"),
    )
    .unwrap();
    assert!(
        form.contains("纠纷处理单") && form.contains("服务者责任") && form.contains("路上堵车"),
        "{form}"
    );
    assert!(
        form.contains("张三丰 → 社区公益池 30 积分 (冲正)"),
        "the ledger effect is on the form, in words: {form}"
    );
    assert!(
        form.contains("李奶奶 (电话, 经办 001)") && !form.contains("[a]"),
        "contacts by name, not party codes: {form}"
    );
    assert!(
        form.contains("90 分钟 · 30 积分"),
        "minutes and points apart: {form}"
    );
}

#[test]
fn suggestions_get_a_reply_clock_and_go_on_the_improvement_list() {
    let w = w();
    let master = w.master.clone();
    let path = w.db.path.clone();
    drop(w.s);
    let mut h = Harness::signed_in(&path, T0, Lang::En, master);
    h.press("5");
    h.press("s");
    h.press("tab");
    h.press("tab");
    h.type_str("add a laundry service");
    h.press("tab");
    h.type_str("members' council");
    h.press("ctrl-s");
    h.assert_shows("reply within a week");
    h.press("p");
    let list = std::fs::read_to_string(
        path.parent()
            .unwrap()
            .join("exports")
            .join("improvements-2026-11.md"),
    )
    .unwrap();
    assert!(
        list.contains("add a laundry service") && list.contains("open"),
        "{list}"
    );
    h.press("r");
    h.press("ctrl-s");
    h.assert_shows("even \"not now");
    h.type_str("not now: no washing machine yet");
    h.press("ctrl-s");
    h.assert_shows("Saved");
}

#[derive(Debug, Clone)]
enum Step {
    Serve,
    Decide(u8, u8),
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    /// Any sequence of services and outcomes keeps the ledger whole.
    #[test]
    fn any_sequence_of_outcomes_keeps_the_ledger_whole(steps in prop::collection::vec(
        prop_oneof![Just(Step::Serve), (0u8..5, 0u8..101).prop_map(|(o, p)| Step::Decide(o, p))], 1..14)) {
        let mut w = w();
        let mut records = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            match s {
                Step::Serve => records.extend(try_service(&mut w, &format!("r{i}"), 100 - i as i64 * 3)),
                Step::Decide(o, pct) => {
                    let Some(rec) = records.last().copied() else { continue };
                    let d = open(&mut w, Some(rec), Category::Quality);
                    let outcome = Outcome::ALL[*o as usize];
                    let dec = Decision {
                        outcome,
                        split_pct: Some(u32::from(*pct)),
                        severity: Some(["minor", "moderate", "severe"][*pct as usize % 3].into()),
                        target: Some(if pct % 2 == 0 { "a".into() } else { "b".into() }),
                        reason: "核实".into(),
                        over_minutes: None,
                        pause_days: None,
                        deposit_fen: None,
                    };
                    let _ = w.s.decide_dispute(&w.master, d, &dec, T0 + i as i64);
                }
            }
        }
        let report = w.s.verify().unwrap();
        prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        prop_assert_eq!(count(&w.db.path, "SELECT count(*) FROM accounts WHERE kind = 'member' AND balance < 0"), 0);
    }
}
