//! `p` prints in each place, by keys on a real file: the member's papers
//! (pane 6), the dispute's handling form (5), a service receipt (3), a
//! redemption receipt (8) and the close report (F10). The harness never
//! starts a program: its desk only saves (`Boot::opens_programs` is off),
//! so each test checks the file written into the exports folder.

use crate::common::*;
use shiguang::domain::dispute::Category;
use shiguang::domain::record::Payer;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::disputes::{Channel, NewDispute};
use shiguang::store::redemptions::Redemption;
use std::path::PathBuf;

fn exports(db: &TestDb) -> PathBuf {
    db.path.parent().unwrap().join("exports")
}

#[track_caller]
fn page(db: &TestDb, name: &str) -> String {
    let path = exports(db).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// 张建国 (JS01-0001) and 李秀兰 (JS01-0002), a service today, a shop with
/// a redemption, a dispute; the desk signed in as the master.
fn desk(db: &TestDb) -> (Harness, i64, i64) {
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    let a = approved_member(&mut s, &master, "张建国", 1, T0 - 200 * DAY_MS);
    let b = approved_member(&mut s, &master, "李秀兰", 2, T0 - 200 * DAY_MS);
    s.open_day(&master, &ticked_checklist(&s), T0 - 2 * HOUR_MS)
        .unwrap();
    let r = record("k1", a, b, T0 - HOUR_MS, 90, Payer::Pool);
    let record_id = s.post_record(&master, &r, T0 - HOUR_MS).unwrap().record_id;
    let (shop, offer_id) = shop_with_offer(&mut s, &master, 100_00);
    let red = Redemption {
        uid: "red-1".into(),
        member_id: a,
        offer_id,
        count: 1,
        redeemed_at: T0 - HOUR_MS / 2,
    };
    s.redeem(&master, &red, T0 - HOUR_MS / 2).unwrap();
    let redemption = s.merchant_detail(shop, T0).unwrap().redemptions[0].id;
    let d = NewDispute {
        suggestion: false,
        channel: Channel::Phone,
        category: Some(Category::Quality),
        party_a: Some(b),
        party_b: Some(a),
        record_id: None,
        subject: "服务迟到".into(),
        reported_by: "本人".into(),
        merchant: None,
    };
    s.open_dispute(&master, &d, T0 - HOUR_MS / 4).unwrap();
    drop(s);
    (
        Harness::signed_in(&db.path, T0, Lang::Zh, master),
        record_id,
        redemption,
    )
}

#[test]
fn p_on_a_member_prints_their_papers_as_chosen() {
    let db = temp_db();
    let (mut h, _, _) = desk(&db);
    h.press("6");
    h.assert_shows("张建国");
    h.press("p");
    h.assert_shows("打印什么");
    h.assert_shows("会员申请表");
    h.press("ctrl-s");
    h.assert_shows("已导出");
    assert!(page(&db, "application-JS01-0001.html").contains("张建国"));
    // the statement in large type: the fourth choice
    h.press("p");
    for _ in 0..3 {
        h.press("right");
    }
    h.assert_shows("积分对账单(大字)");
    h.press("ctrl-s");
    let text = page(&db, "statement-JS01-0001.html");
    assert!(text.contains("积分对账单") && text.contains("font-size: 18pt"));
    // the service record page
    h.press("p");
    h.press("right");
    h.press("right");
    h.press("ctrl-s");
    assert!(page(&db, "service-records-JS01-0001.html").contains("李秀兰"));
}

#[test]
fn a_commitment_without_a_recommender_is_refused_on_the_form() {
    let db = temp_db();
    let (mut h, _, _) = desk(&db);
    h.press("6");
    h.press("p");
    h.press("right");
    h.assert_shows("推荐承诺书");
    h.press("ctrl-s");
    h.assert_shows("登记时没有推荐人");
    assert!(!exports(&db).join("commitment-JS01-0001.html").exists());
    // the form stays, to choose another
    h.assert_shows("打印什么");
}

#[test]
fn with_no_one_to_select_p_prints_the_blank_forms() {
    let db = temp_db();
    let mut h = master_desk(&db, Lang::Zh);
    h.press("6");
    h.press("p");
    h.assert_shows("空白会员申请表");
    h.assert_not_shows("时光卡");
    h.press("right");
    h.press("ctrl-s");
    assert!(page(&db, "commitment-blank.html").contains("推荐承诺书"));
}

#[test]
fn p_on_a_dispute_prints_its_handling_form() {
    let db = temp_db();
    let (mut h, _, _) = desk(&db);
    h.press("5");
    h.assert_shows("服务迟到");
    h.press("p");
    h.assert_shows("已导出");
    let text = page(&db, "dispute-1.html");
    assert!(
        text.contains("纠纷处理单") && text.contains("李秀兰") && text.contains("驿站站长签字")
    );
}

#[test]
fn p_on_the_records_prints_a_receipt_and_with_none_says_so() {
    let db = temp_db();
    let (mut h, record_id, _) = desk(&db);
    h.press("3");
    h.press("p");
    h.assert_shows("已导出");
    let text = page(&db, &format!("receipt-service-{record_id}.html"));
    assert!(text.contains("服务凭条") && text.contains("size: 80mm"));

    let empty = temp_db();
    let mut h = master_desk(&empty, Lang::Zh);
    h.press("3");
    h.press("p");
    h.assert_shows("没有选中可以打印的内容");
    assert!(!exports(&empty).exists(), "nothing written");
}

#[test]
fn p_on_the_redemptions_prints_the_newest_receipt() {
    let db = temp_db();
    let (mut h, _, redemption) = desk(&db);
    h.press("8");
    h.assert_shows("惠民超市");
    h.press("tab");
    h.press("p");
    h.assert_shows("已导出");
    let text = page(&db, &format!("receipt-redemption-{redemption}.html"));
    assert!(text.contains("兑换凭条") && text.contains("¥5.00"));
}

#[test]
fn p_on_f10_prints_the_close_report() {
    let db = temp_db();
    let (h, _, _) = desk(&db);
    drop(h);
    let mut s = store(&db.path);
    let master = master_session();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    s.close_day(Some(&master), day, "邻里互助", true, T0 + HOUR_MS)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0 + 2 * HOUR_MS, Lang::Zh, master);
    h.press("f10");
    h.assert_shows("汇总第 1 版");
    h.press("p");
    h.assert_shows("已导出");
    let text = page(&db, "close-report-2026-11-23.html");
    assert!(text.contains("闭站日报") && text.contains("已闭站") && text.contains("1 次"));
}

#[test]
fn a_day_never_opened_has_no_close_report() {
    let db = temp_db();
    let mut h = master_desk(&db, Lang::Zh);
    h.press("f10");
    h.press("p");
    h.assert_shows("没有闭站日报可打印");
    assert!(!exports(&db).exists(), "nothing written");
}
