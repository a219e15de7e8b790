//! The panes driven by keys on a real SQLite file: registering, reviewing,
//! searching, scanning, recording services and correcting the ledger.

use crate::common;
use common::*;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

/// A station with a few approved members (ids 1..=n), master signed in.

#[test]
fn register_an_applicant_with_bad_input_first_then_approve() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰"], Lang::Zh);
    h.press("6");
    h.press("n");
    h.type_str("李小花");
    h.press("tab");
    h.type_str("1381234"); // too short
    h.press("tab");
    h.press("tab");
    h.type_str("110105194912310021"); // wrong check digit
    h.press("ctrl-s");
    h.assert_shows("电话位数不对");
    h.assert_shows("校验位不对");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM members"),
        1,
        "nothing saved"
    );
    // fix the fields where the messages are
    h.app.active_form().unwrap().focus_on("phone");
    h.press("ctrl-u");
    h.type_str("13812340000");
    h.app.active_form().unwrap().focus_on("id_number");
    h.press("ctrl-u");
    h.type_str("11010519491231002x");
    h.app.active_form().unwrap().focus_on("building");
    h.type_str("3栋1单元201");
    h.press("tab");
    h.press("space"); // offers chat
    h.app.active_form().unwrap().focus_on("emergency_name");
    h.type_str("李大花");
    h.press("tab");
    h.type_str("13900000001");
    h.press("ctrl-s");
    h.assert_shows("已登记 李小花 的申请");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM members WHERE status = 'pending'"
        ),
        1
    );
    // the review list opens with the new applicant selected, clock running
    h.assert_shows("剩 24 时");
    h.press("a");
    h.type_str("电话核实邻居");
    h.press("ctrl-s");
    h.assert_shows("会员号 JS01-0002");
    // approving twice is refused
    h.press("a");
    h.assert_shows("已经审核过");
    // the search finds her by pinyin initials at once
    h.press("/");
    h.type_str("lxh");
    h.assert_shows("JS01-0002");
}

#[test]
fn duplicate_people_and_bad_recommenders_are_refused_at_the_field() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let new = approved_member(&mut s, &master, "新会员", 1, T0 - 10 * DAY_MS);
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    let _ = new;
    h.press("6");
    h.press("n");
    h.type_str("新会员");
    h.press("tab");
    h.type_str("13812340001");
    h.press("tab");
    h.press("tab");
    h.type_str(&id_number(1)); // the same person
    for (field, text) in [
        ("building", "1栋"),
        ("emergency_name", "家属"),
        ("emergency_phone", "13900000002"),
    ] {
        h.app.active_form().unwrap().focus_on(field);
        h.type_str(text);
    }
    h.app.active_form().unwrap().focus_on("offers");
    h.press("space");
    h.press("ctrl-s");
    h.assert_shows("already registered");
    // a recommender of ten days: too new
    h.app.active_form().unwrap().focus_on("id_number");
    h.press("ctrl-u");
    h.type_str(&id_number(2));
    h.app.active_form().unwrap().focus_on("recommender");
    h.type_str("xhy");
    h.press("enter");
    h.press("space");
    h.press("ctrl-s");
    h.assert_shows("joined less than 3 months ago");
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 1);
}

/// Registration by keys of the person with identity number `n`.
fn register_by_keys(h: &mut Harness, name: &str, n: u32) {
    h.press("6");
    h.press("n");
    h.type_str(name);
    h.press("tab");
    h.type_str("13812340002");
    h.press("tab");
    h.press("tab");
    h.type_str(&id_number(n));
    for (field, text) in [
        ("building", "2栋"),
        ("emergency_name", "家属"),
        ("emergency_phone", "13900000003"),
    ] {
        h.app.active_form().unwrap().focus_on(field);
        h.type_str(text);
    }
    h.app.active_form().unwrap().focus_on("offers");
    h.press("space");
    h.press("ctrl-s");
}

#[test]
fn a_rejected_applicant_may_apply_again_but_a_false_identity_never() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let first = s
        .register_member(&master, &new_member("赵六", 7), T0 - 3 * DAY_MS)
        .unwrap();
    s.reject_member(&master, first.id, "居住证明不全", T0 - 2 * DAY_MS)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    register_by_keys(&mut h, "赵六", 7);
    h.assert_shows("已登记 赵六 的申请");
    // the review shows the earlier rejection and its reason
    h.assert_shows("被驳回(001):居住证明不全");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM members WHERE status = 'pending'"
        ),
        1,
        "one person, one row: pending again"
    );
    // this time the identity is found false
    h.press("x");
    h.type_str("身份证系伪造");
    h.press("tab");
    h.press("space");
    h.press("ctrl-s");
    h.assert_shows("已驳回");
    register_by_keys(&mut h, "赵六", 7);
    h.assert_shows("虚假身份,永久不能加入");
    assert_eq!(h.app.active_form().unwrap().focused_name(), "id_number");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM members WHERE status = 'rejected'"
        ),
        1
    );
    let report = store(&db.path).verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn a_liaison_reviews_an_application_and_the_station_master_approves_it() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let old = approved_member(&mut s, &master, "老会员", 1, T0 - 200 * DAY_MS);
    let liaison = add_liaison(&mut s, &master);
    let mut m = new_member("孙八", 2);
    m.recommender = Some(old);
    m.recommender_signed = true;
    s.register_member(&liaison, &m, T0 - HOUR_MS).unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, liaison);
    h.press("6");
    h.press("tab");
    h.assert_shows("孙八");
    h.press("a");
    h.type_str("材料齐全");
    h.press("ctrl-s");
    h.assert_shows("已记录 孙八 的联络员审核,请站长批准");
    h.assert_shows("联络员 002 已审核");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM members WHERE status = 'pending'"
        ),
        1,
        "a liaison alone does not approve"
    );
    drop(h);
    let mut h = Harness::signed_in(&db.path, T0 + HOUR_MS, Lang::Zh, master);
    h.press("6");
    h.press("tab");
    h.assert_shows("联络员 002 已审核");
    h.press("a");
    h.press("ctrl-s");
    h.assert_shows("会员号 JS01-0002");
}

#[test]
fn a_blacklisted_person_may_not_apply_again() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let id = approved_member(&mut s, &master, "钱七", 8, T0 - 100 * DAY_MS);
    s.add_violation(
        &master,
        id,
        shiguang::store::standing::Severity::Severe,
        "伪造签名",
        T0 - DAY_MS,
    )
    .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    register_by_keys(&mut h, "钱七", 8);
    h.assert_shows("blacklisted and may never apply again");
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 1);
}

#[test]
fn a_scanned_card_opens_the_member_and_a_voided_card_is_refused() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let id = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    s.issue_card(&master, id, "SG0001", None, T0).unwrap();
    s.issue_card(&master, id, "SG0002", Some("遗失"), T0)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    h.type_str("JS01-0001/SG0002\n");
    h.assert_shows("Member");
    h.assert_shows("张三丰 JS01-0001");
    h.press("3");
    h.type_str("JS01-0001/SG0001\n");
    h.assert_shows("Card SG0001 is void");
}

#[test]
fn record_a_service_by_keys_and_see_the_points() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::Zh);
    fill_record(&mut h);
    h.press("ctrl-s");
    h.assert_shows("积分 30 已入账");
    h.assert_shows("张三丰");
    assert_eq!(
        count(&db.path, "SELECT balance FROM accounts WHERE member_id = 1"),
        30
    );
    // the ledger shows it on his statement
    h.press("4");
    h.press("/");
    h.type_str("zsf");
    h.press("enter");
    h.assert_shows("余额 30");
    h.assert_shows("+30");
}

#[test]
fn bad_record_input_is_refused_at_its_field_and_nothing_is_saved() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::En);
    h.press("3");
    h.press("n");
    h.press("ctrl-s");
    h.assert_shows("Choose the provider");
    h.type_str("zsf");
    h.press("enter");
    h.type_str("zsf");
    h.press("enter");
    h.press("tab");
    h.press("tab");
    h.type_str("07:00");
    h.press("tab");
    h.type_str("09:30"); // 150 minutes: over the ordinary cap
    h.press("tab");
    h.press("tab");
    h.press("right");
    h.press("tab");
    h.press("tab");
    h.type_str("3");
    h.press("ctrl-s");
    h.assert_shows("cannot be the same person");
    h.assert_shows("At most 2 h");
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 0);
    assert_eq!(count(&db.path, "SELECT count(*) FROM transfers"), 0);
}

#[test]
fn an_ordinary_members_points_pay_only_in_their_own_community() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    approved_member(&mut s, &master, "李奶奶", 1, T0 - 200 * DAY_MS);
    let mut far = new_member("王远", 2);
    far.community = "02".into();
    let row = s.register_member(&master, &far, T0 - 200 * DAY_MS).unwrap();
    s.approve_member(&master, row.id, "电话核实邻居", T0 - 200 * DAY_MS)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.press("3");
    h.press("n");
    h.type_str("wy\nlnn\n");
    h.app.active_form().unwrap().focus_on("start");
    h.type_str("08:00\t09:00\t");
    h.app.active_form().unwrap().focus_on("book_page");
    h.type_str("7");
    h.app.active_form().unwrap().set("payer", "recipient");
    h.press("ctrl-s");
    h.assert_shows("普通会员的积分只能用于本社区的服务");
    assert_eq!(h.app.active_form().unwrap().focused_name(), "payer");
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 0);
    // the pool may pay for it
    h.app.active_form().unwrap().set("payer", "pool");
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 1);
}

#[test]
fn a_double_save_posts_once() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::En);
    h.press("3");
    h.press("n");
    h.type_str("zsf\nlnn\n");
    h.press("tab");
    h.press("tab");
    h.type_str("08:00\t09:00\t");
    h.press("tab");
    // the pool pays by default (no points yet)
    h.press("tab");
    h.press("tab");
    h.type_str("7");
    h.press("ctrl-s");
    h.press("ctrl-s");
    h.press("f5");
    assert_eq!(count(&db.path, "SELECT count(*) FROM transfers"), 1);
}

#[test]
fn a_late_entry_needs_the_master_and_a_reason() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    let liaison = add_liaison(&mut s, &master);
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    h.press("3");
    h.press("n");
    h.type_str("zsf\nlnn\n");
    h.press("tab");
    h.type_str("昨天");
    h.app.active_form().unwrap().set("date", "2026-11-20");
    h.app.active_form().unwrap().focus_on("start");
    h.type_str("08:00\t09:00\t");
    h.app.active_form().unwrap().focus_on("payer");
    // the pool pays by default (no points yet)
    h.app.active_form().unwrap().focus_on("book_page");
    h.type_str("7");
    h.press("ctrl-s");
    h.assert_shows("needs the station master");
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 0);
}

#[test]
fn a_reversal_entered_by_one_takes_effect_only_when_another_master_approves() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let a = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let b = approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    let r = shiguang::domain::record::RecordInput {
        uid: "r1".into(),
        request_id: None,
        provider: a,
        recipient: b,
        type_id: 1,
        started_at: T0 - 3 * HOUR_MS,
        ended_at: T0 - 2 * HOUR_MS,
        minutes: 60,
        payer: shiguang::domain::record::Payer::Pool,
        method: shiguang::domain::record::ConfirmMethod::Desk,
        book_page: Some("1".into()),
        photo_ref: None,
        recipient_confirmed: false,
        rating: Some(5),
        notes: None,
        late_reason: None,
    };
    s.post_record(&master, &r, T0).unwrap();
    let liaison = s
        .add_staff(
            &master,
            "李建国",
            shiguang::domain::staff::Role::Liaison,
            "5170",
            T0 - DAY_MS,
        )
        .unwrap();
    drop(s);
    // the liaison enters the reversal after seeing both sides
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    h.press("4");
    h.assert_shows("Chain sound");
    h.press("/");
    h.type_str("zsf\n");
    h.press("r");
    h.press("ctrl-u");
    h.type_str("25");
    h.press("tab");
    h.type_str("调解");
    h.press("ctrl-s");
    h.press("enter"); // confirm (yes)
    h.assert_shows("cannot exceed the original");
    h.press("shift-tab");
    h.press("ctrl-u");
    h.type_str("10");
    h.press("ctrl-s");
    h.assert_shows("Enter a reversal of 10 points");
    h.press("y");
    h.assert_shows("Correction #1 entered");
    h.assert_shows("balance 20");
    assert_eq!(count(&db.path, "SELECT count(*) FROM transfers"), 1);
    // nobody decides their own correction
    h.press("p");
    h.assert_shows("#1");
    h.press("y");
    h.assert_shows("different station master");
    drop(h);
    // the station master sees it waiting and approves it
    let mut h = Harness::signed_in(&db.path, T0 + 60_000, Lang::En, master);
    h.press("4");
    h.assert_shows("1 correction(s) waiting");
    h.press("p");
    h.press("y");
    h.assert_shows("Approve correction #1");
    h.press("y");
    h.assert_shows("Approved and posted");
    h.assert_shows("No corrections are waiting");
    h.press("p");
    h.press("/");
    h.type_str("zsf\n");
    h.assert_shows("balance 10");
    h.assert_shows("002/001"); // entered by 002, approved by 001
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM transfers WHERE staff_id = 2 AND approved_by = 1"
        ),
        1
    );
    assert!(h.store.verify().unwrap().problems.is_empty());
}

#[test]
fn liaison_staff_cannot_reverse_or_see_full_phone_numbers() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let liaison = add_liaison(&mut s, &master);
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    h.press("6");
    h.assert_shows("138****0001");
    h.assert_not_shows("13800000001");
    h.press("4");
    h.press("/");
    h.type_str("zsf\n");
    h.press("f");
    h.assert_shows("Only a station master");
}

#[test]
fn every_pane_of_the_demo_is_clean_at_both_sizes_in_both_languages_and_shows_no_id_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    for lang in [Lang::Zh, Lang::En] {
        let mut h = Harness::demo(&path, T0, lang);
        for (w, hh) in [(80u16, 24u16), (120, 30)] {
            h.resize(w, hh);
            let mut screens = Vec::new();
            for keys in [
                vec!["3"],
                vec!["tab"],
                vec!["tab", "n"],
                vec!["esc", "4"],
                vec!["/"],
            ] {
                for k in keys {
                    h.press(k);
                }
                screens.push(h.text());
                assert_cjk_clean(&h);
            }
            h.type_str("zsf\n");
            assert_cjk_clean(&h);
            for k in [
                "6", "tab", "tab", "tab", "tab", "tab", "q", "n", "esc", "9", "?", "esc",
            ] {
                h.press(k);
                screens.push(h.text());
                assert_cjk_clean(&h);
            }
            for s in screens {
                assert!(!has_id_number(&s), "an ID number is on screen:\n{s}");
            }
            h.press("q");
        }
    }
}

/// 17 digits and a digit or X in a row: a whole ID number.
fn has_id_number(s: &str) -> bool {
    s.as_bytes().windows(18).any(|w| {
        w[..17].iter().all(u8::is_ascii_digit) && (w[17].is_ascii_digit() || w[17] == b'X')
    })
}

/// Pane 8: the month's settlement is asked first and runs only on "yes";
/// a merchant's public notice is written beside the database.
#[test]
fn the_settlement_runs_on_yes_only_and_a_merchants_notice_is_exported() {
    let db = temp_db();
    let master = init_station(&db.path);
    let shop = shop_input("惠民超市", "01");
    let code = store(&db.path)
        .save_merchant(&master, None, &shop, T0 - 60 * DAY_MS)
        .unwrap()
        .code;
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    h.press("8");
    h.assert_shows("惠民超市");
    h.press("s");
    h.assert_shows("Settle 2026-10 now?");
    h.press("n");
    let runs = "SELECT count(*) FROM settlement_runs";
    assert_eq!(count(&db.path, runs), 0, "nothing runs on no");
    h.press("s");
    h.press("y");
    h.assert_shows("2026-10 settled: 0 merchants");
    assert_eq!(count(&db.path, runs), 1);
    h.press("p");
    h.assert_shows("Exported:");
    let notice = db
        .dir
        .path()
        .join("exports")
        .join(format!("merchant-notice-{code}.md"));
    let text = std::fs::read_to_string(&notice).unwrap();
    assert!(text.contains("惠民超市"), "{text}");
}
