//! 5 Disputes: intake, suggestions, contacts, decisions and replies.

use crate::common::*;
use crate::support::*;
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

#[test]
fn dispute_intake_and_suggestions_refuse_bad_values() {
    let db = temp_db();
    let (mut h, _) = station(&db, &["张三丰", "李奶奶"], Lang::Zh);
    h.press("5");
    h.press("n");
    choose(&mut h, "category", "safety");
    pick(&mut h, "party_a", "zsf");
    pick(&mut h, "party_b", "lnn");
    put(&mut h, "subject", "上门时摔倒");
    put(&mut h, "reported_by", "本人");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("subject", "  ", "dispute.subject_required"),
            case("reported_by", "", "dispute.reporter_required"),
        ],
    );
    let before = rows(&db.path);
    put(&mut h, "party_a", "");
    h.press("ctrl-s");
    refused_at(&mut h, "party_a", "dispute.party_required");
    pick(&mut h, "party_a", "zsf");
    put(&mut h, "party_b", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "party_b", "dispute.party_required");
    pick(&mut h, "party_b", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "party_b", "dispute.same_member");
    pick(&mut h, "party_b", "lnn");
    assert_eq!(rows(&db.path), before);
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM disputes"), 1);

    // a suggestion: the text and who gave it
    h.press("s");
    put(&mut h, "subject", "希望周末也开门");
    put(&mut h, "reported_by", "本人");
    // "from" may be empty, but a name typed must be picked
    let before = rows(&db.path);
    put(&mut h, "party_a", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "party_a", "form.pick_member");
    assert_eq!(rows(&db.path), before);
    put(&mut h, "party_a", "");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("subject", "", "dispute.subject_required"),
            case("reported_by", " ", "dispute.reporter_required"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM disputes WHERE kind = 'suggestion'"
        ),
        1
    );
}

/// A safety case between 张三丰 and 李奶奶 (no service picked), and a
/// suggestion; the liaison 002 too.
fn disputes_world(db: &TestDb) -> (Session, Session) {
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    let base = shiguang::store::disputes::NewDispute {
        suggestion: false,
        channel: shiguang::store::disputes::Channel::Desk,
        category: Some(shiguang::domain::dispute::Category::Safety),
        party_a: Some(1),
        party_b: Some(2),
        record_id: None,
        subject: "上门时摔倒".into(),
        reported_by: "本人".into(),
        merchant: None,
    };
    s.open_dispute(&master, &base, T0 - HOUR_MS).unwrap();
    let suggestion = shiguang::store::disputes::NewDispute {
        suggestion: true,
        category: None,
        party_b: None,
        subject: "希望周末也开门".into(),
        ..base
    };
    s.open_dispute(&master, &suggestion, T0 - 2 * HOUR_MS)
        .unwrap();
    drop(s);
    let l = liaison(db, &master);
    (master, l)
}

/// Select the case (not the suggestion) in the disputes pane.
fn select_case(h: &mut Harness, suggestion: bool) {
    h.press("5");
    h.press("home");
    for _ in 0..2 {
        let sel = h
            .app
            .state
            .desk()
            .and_then(|d| d.panes.disputes.selected().map(|r| r.suggestion));
        if sel == Some(suggestion) {
            return;
        }
        h.press("down");
    }
    panic!("no such case:\n{}", h.text());
}

#[test]
fn contacts_reports_decisions_and_replies_refuse_bad_values() {
    let db = temp_db();
    let (master, liaison) = disputes_world(&db);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    select_case(&mut h, false);
    let before = rows(&db.path);
    // what each party said, to whom HQ was told, the review
    for (key, field, msg) in [
        ("c", "said", "dispute.said_required"),
        ("h", "text", "dispute.text_required"),
        ("w", "text", "dispute.text_required"),
    ] {
        h.press(key);
        put(&mut h, field, "  ");
        h.press("ctrl-s");
        refused_at(&mut h, field, msg);
        leave(&mut h);
    }
    // a liaison may not mediate, nor decide a moderate violation
    h.press("d");
    choose(&mut h, "outcome", "mediated");
    h.press("ctrl-s");
    refused_at(&mut h, "outcome", "dispute.master_only_outcome");
    choose(&mut h, "outcome", "violation");
    choose(&mut h, "severity", "moderate");
    put(&mut h, "reason", "虚报");
    h.press("ctrl-s");
    refused_at(&mut h, "severity", "dispute.master_only_outcome");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
    drop(h);

    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    select_case(&mut h, false);
    h.press("d");
    choose(&mut h, "outcome", "mediated");
    for bad in ["150", "abc", "-5", ""] {
        put(&mut h, "split", bad);
        h.press("ctrl-s");
        refused_at(&mut h, "split", "dispute.split_range");
    }
    put(&mut h, "split", "50");
    h.press("ctrl-s");
    refused_at(&mut h, "outcome", "dispute.needs_record");
    for outcome in ["provider_fault", "requester_fault"] {
        choose(&mut h, "outcome", outcome);
        h.press("ctrl-s");
        refused_at(&mut h, "outcome", "dispute.needs_record");
    }
    for outcome in ["dismissed", "violation"] {
        choose(&mut h, "outcome", outcome);
        put(&mut h, "reason", " ");
        h.press("ctrl-s");
        refused_at(&mut h, "reason", "dispute.reason_required");
    }
    assert_eq!(rows(&db.path), before);
    choose(&mut h, "outcome", "dismissed");
    put(&mut h, "reason", "双方和解");
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM disputes WHERE decided_at IS NOT NULL"
        ),
        1
    );
    // telling the parties: how
    let before = rows(&db.path);
    h.press("t");
    put(&mut h, "how", "");
    h.press("ctrl-s");
    refused_at(&mut h, "how", "dispute.how_required");
    leave(&mut h);
    // a reply to a suggestion
    select_case(&mut h, true);
    h.press("r");
    put(&mut h, "reply", "   ");
    h.press("ctrl-s");
    refused_at(&mut h, "reply", "dispute.reply_required");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
}
