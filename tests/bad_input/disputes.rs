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
    let (master, mut s) = open_station(&db.path);
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
    // the contact dialog showed both parties' numbers: logged, nothing else
    let before = plus_number_views(before, 2);
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

/// Select the case numbered `id` in the disputes pane.
fn select_id(h: &mut Harness, id: i64) {
    h.press("5");
    h.press("home");
    for _ in 0..10 {
        let sel = h
            .app
            .state
            .desk()
            .and_then(|d| d.panes.disputes.selected().map(|r| r.id));
        if sel == Some(id) {
            return;
        }
        h.press("down");
    }
    panic!("no case #{id}:\n{}", h.text());
}

/// A complaint against a merchant taken in and decided by keys, a moderate
/// violation asking for the minutes over-reported, and a provider fault
/// marked a verified serious complaint; bad values refused at their field.
#[test]
fn merchant_complaints_over_reported_minutes_and_serious_complaints_by_keys() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let helper = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let elder = approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    s.conn()
        .execute("UPDATE members SET level = 'star' WHERE id = ?1", [helper])
        .unwrap();
    let shop_id = s
        .save_merchant(&master, None, &shop("惠民超市"), T0 - 9 * DAY_MS)
        .unwrap()
        .id;
    let pay = shiguang::domain::record::Payer::Pool;
    // two 90-minute services (30 points each) and a case about each
    let mut cases = Vec::new();
    for (i, ago) in [5, 9].into_iter().enumerate() {
        let r = record(&format!("r{i}"), helper, elder, T0 - ago * HOUR_MS, 90, pay);
        let rec = s.post_record(&master, &r, T0).unwrap().record_id;
        let d = shiguang::store::disputes::NewDispute {
            suggestion: false,
            channel: shiguang::store::disputes::Channel::Desk,
            category: Some(shiguang::domain::dispute::Category::Points),
            party_a: Some(elder),
            party_b: Some(helper),
            record_id: Some(rec),
            subject: "时长有出入".into(),
            reported_by: "本人".into(),
            merchant: None,
        };
        cases.push(s.open_dispute(&master, &d, T0 - HOUR_MS).unwrap().id);
    }
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);

    // the complaint against the shop: the merchant instead of a member
    h.press("5");
    h.press("n");
    choose(&mut h, "category", "merchant");
    pick(&mut h, "party_a", "lnn");
    choose(&mut h, "merchant", &shop_id.to_string());
    assert!(!h.app.active_form().unwrap().get("party_b").unwrap().visible);
    put(&mut h, "subject", "会员价比进货价高一成");
    put(&mut h, "reported_by", "本人");
    h.press("ctrl-s");
    let merchant_case: i64 = count(
        &db.path,
        "SELECT id FROM disputes WHERE merchant_ref IS NOT NULL",
    );
    select_id(&mut h, merchant_case);
    h.assert_shows("被投诉商家");
    // its outcomes are the merchant's; days and yuan refused at their field
    h.press("d");
    choose(&mut h, "outcome", "merchant_deposit");
    put(&mut h, "reason", "抽查属实");
    let before = rows(&db.path);
    for bad in ["0", "abc", "-5"] {
        put(&mut h, "deposit", bad);
        h.press("ctrl-s");
        refused_at(&mut h, "deposit", "dispute.deposit_invalid");
    }
    choose(&mut h, "outcome", "merchant_suspension");
    for bad in ["0", "91", "三"] {
        put(&mut h, "pause_days", bad);
        h.press("ctrl-s");
        refused_at(&mut h, "pause_days", "dispute.pause_days_range");
    }
    assert_eq!(rows(&db.path), before);
    put(&mut h, "pause_days", "3");
    h.press("ctrl-s");
    assert_eq!(
        count(&db.path, "SELECT paused_until FROM merchants"),
        T0 + 3 * DAY_MS
    );
    h.assert_shows("该商家已核实投诉 1/3 次");
    // the handling form names the merchant
    h.press("p");
    let form = std::fs::read_to_string(
        db.path
            .parent()
            .unwrap()
            .join("exports")
            .join(format!("dispute-{merchant_case}.html")),
    )
    .unwrap();
    assert!(
        form.contains("惠民超市") && form.contains("商家暂停接单"),
        "{form}"
    );

    // a moderate violation on the provider: how many minutes were made up
    select_id(&mut h, cases[0]);
    h.press("d");
    choose(&mut h, "outcome", "violation");
    choose(&mut h, "severity", "moderate");
    choose(&mut h, "target", "b");
    put(&mut h, "reason", "虚报时长");
    let before = rows(&db.path);
    for bad in ["abc", "-1", "1441"] {
        put(&mut h, "over_minutes", bad);
        h.press("ctrl-s");
        refused_at(&mut h, "over_minutes", "dispute.over_minutes_invalid");
    }
    put(&mut h, "over_minutes", "");
    h.press("ctrl-s");
    refused_at(&mut h, "over_minutes", "dispute.over_required");
    put(&mut h, "over_minutes", "100");
    h.press("ctrl-s");
    refused_at(&mut h, "over_minutes", "dispute.over_more_than_record");
    assert_eq!(rows(&db.path), before);
    // 30 of 90 minutes: 10 points, twice is 20 of the 60 held
    put(&mut h, "over_minutes", "30");
    h.press("ctrl-s");
    assert_eq!(h.store.balance_of_member(helper).unwrap(), 40);

    // the other case: provider at fault, then marked serious
    select_id(&mut h, cases[1]);
    h.press("m");
    assert!(h.app.active_form().is_none(), "not decided yet: no form");
    h.press("d");
    choose(&mut h, "outcome", "provider_fault");
    h.press("ctrl-s");
    h.press("m");
    put(&mut h, "reason", " ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "dispute.reason_required");
    put(&mut h, "reason", "与老人争吵,邻居作证");
    h.press("ctrl-s");
    h.assert_shows("已核实为严重投诉");
    assert_eq!(
        h.store.member(helper).unwrap().level,
        shiguang::domain::level::Level::Ordinary
    );
    assert!(h.store.verify().unwrap().problems.is_empty());
}
