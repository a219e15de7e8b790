//! 8 Merchants: the merchant and offer forms, redemptions and the rest,
//! a merchant's log.

use crate::common::*;
use crate::support::*;
use shiguang::domain::record::Payer;
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::{Lang, Tr};

/// 惠民超市 with its offer and a 1000-yuan deposit; 张三丰 (1) has 20
/// points, 李奶奶 (2) none, 王秀兰 (3) is frozen; the master at pane 8.
fn merchants_world(db: &TestDb, lang: Lang) -> (Harness, Session) {
    let (h, master) = station(db, &["张三丰", "李奶奶", "王秀兰"], lang);
    drop(h);
    let mut s = store(&db.path);
    for (uid, who, end) in [("e1", 1, T0 - 2 * HOUR_MS), ("e3", 3, T0 - 5 * HOUR_MS)] {
        let r = record(uid, who, 2, end, 60, Payer::Pool);
        s.post_record(&master, &r, T0).unwrap();
    }
    s.set_frozen(&master, 3, true, "核查", T0).unwrap();
    let id = s
        .save_merchant(&master, None, &shop("惠民超市"), T0 - 60 * DAY_MS)
        .unwrap()
        .id;
    s.save_offer(&master, id, None, &offer(), T0 - 60 * DAY_MS)
        .unwrap();
    s.merchant_deposit(&master, id, false, 1000_00, "签约", T0 - 60 * DAY_MS)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, lang, master.clone());
    h.press("8");
    (h, master)
}

#[test]
fn the_merchant_and_offer_forms_refuse_each_bad_field() {
    let db = temp_db();
    let (mut h, _) = merchants_world(&db, Lang::Zh);
    h.press("n");
    for (f, v) in [
        ("name", "老王理发店"),
        ("address", "金山路 20 号"),
        ("distance", "150"),
        ("contact_name", "王师傅"),
        ("contact_phone", "13761234568"),
        ("redeemer", "王小明"),
        ("community", "01"),
        ("from", "2026-11-01"),
        ("to", "2027-10-31"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("name", " ", "merchant.required"),
            case("name", "惠民超市", "merchant.name_taken"),
            case("address", "", "merchant.required"),
            case("distance", "", "merchant.distance_invalid"),
            case("distance", "三百", "merchant.distance_invalid"),
            case("distance", "-1", "merchant.distance_invalid"),
            case("distance", "1.5", "merchant.distance_invalid"),
            case("contact_name", "  ", "merchant.required"),
            case("contact_phone", "", "member.phone.empty"),
            case("contact_phone", "123", "member.phone.length"),
            case("contact_phone", "1376123456x", "member.phone.digits"),
            case("redeemer", "", "merchant.required"),
            case("community", "1", "station.community.invalid"),
            case("community", "ab", "station.community.invalid"),
            case("from", "2026-13-01", "record.date_invalid"),
            case("to", "soon", "record.date_invalid"),
            case("to", "2026-10-31", "merchant.dates_order"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM merchants"), 2);

    // an offer of the selected merchant
    h.press("o");
    for (f, v) in [
        ("text", "20积分抵10元"),
        ("points", "20"),
        ("value", "10"),
        ("valid_from", "2026-11-01"),
        ("valid_to", "2027-01-31"),
        ("cap", "500"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("text", "  ", "offer.text_required"),
            case("points", "", "offer.points_invalid"),
            case("points", "0", "offer.points_invalid"),
            case("points", "-5", "offer.points_invalid"),
            case("points", "二十", "offer.points_invalid"),
            case("value", "0", "offer.yuan_invalid"),
            case("value", "-10", "offer.yuan_invalid"),
            case("value", "5.555", "offer.yuan_invalid"),
            case("value", "十元", "offer.yuan_invalid"),
            case("cap", "", "offer.yuan_invalid"),
            case("cap", "9.99", "offer.cap_below_value"),
            case("valid_from", "2026-02-30", "record.date_invalid"),
            case("valid_to", "later", "record.date_invalid"),
            case("valid_to", "2026-10-31", "merchant.dates_order"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM merchant_offers"), 2);
}

#[test]
fn redemptions_ratings_price_checks_violations_and_deposits_refuse_bad_values() {
    let db = temp_db();
    let (mut h, master) = merchants_world(&db, Lang::En);
    h.press("home");
    h.assert_shows("惠民超市");
    // a redemption at the desk
    h.press("r");
    pick(&mut h, "member", "zsf");
    put(&mut h, "count", "1");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("count", "", "redeem.count_range"),
            case("count", "0", "redeem.count_range"),
            case("count", "x", "redeem.count_range"),
            case("count", "-1", "redeem.count_range"),
        ],
    );
    let before = rows(&db.path);
    put(&mut h, "member", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "redeem.member_required");
    pick(&mut h, "member", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "ledger.short");
    pick(&mut h, "member", "wxl");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "ledger.payer_frozen");
    assert_eq!(rows(&db.path), before);
    leave(&mut h);

    // a rating: by a member, picked
    h.press("g");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "redeem.member_required");
    leave(&mut h);
    // a price check: both prices, the item, the invoice, who checked
    h.press("k");
    for (f, v) in [
        ("item", "食用油"),
        ("purchase", "100"),
        ("member_price", "99"),
        ("invoice", "INV-1"),
        ("checked_by", "王秀英"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("item", " ", "price.item_required"),
            case("purchase", "", "offer.yuan_invalid"),
            case("purchase", "一百", "offer.yuan_invalid"),
            case("member_price", "0", "offer.yuan_invalid"),
            case("member_price", "-99", "offer.yuan_invalid"),
            case("invoice", "", "price.invoice_required"),
            case("checked_by", "  ", "price.checker_required"),
        ],
    );
    leave(&mut h);
    // a violation, a pause: each with its reason
    for key in ["v", "x"] {
        h.press(key);
        put(&mut h, "reason", "  ");
        h.press("ctrl-s");
        refused_at(&mut h, "reason", "merchant.reason_required");
        leave(&mut h);
    }
    // the deposit: an amount in yuan, a note, never more back than is held
    h.press("d");
    choose(&mut h, "kind", "refund");
    put(&mut h, "amount", "100");
    put(&mut h, "reason", "解约");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("amount", "", "offer.yuan_invalid"),
            case("amount", "0", "offer.yuan_invalid"),
            case("amount", "x", "offer.yuan_invalid"),
            case("amount", "1000.01", "deposit.refund_over"),
            case("reason", " ", "merchant.reason_required"),
        ],
    );
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
    // a liaison's moderate violation: the station master's
    let l = liaison(&db, &master);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, l);
    h.press("8");
    h.press("v");
    choose(&mut h, "severity", "moderate");
    put(&mut h, "reason", "缺斤少两");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_on_form(&mut h, "staff.master_only");
    assert_eq!(rows(&db.path), before);
}

#[test]
fn a_merchant_log_with_bad_lines_posts_nothing_and_says_which() {
    let db = temp_db();
    let (mut h, _) = merchants_world(&db, Lang::En);
    h.press("i");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "file", "import.file_required");
    let missing = db.dir.path().join("no-such-log.csv");
    put(&mut h, "file", missing.to_str().unwrap());
    h.press("ctrl-s");
    refused_at(&mut h, "file", "import.unreadable");
    assert_eq!(rows(&db.path), before);
    let log = db.dir.path().join("log.csv");
    std::fs::write(
        &log,
        "会员编号,优惠,时间,数量\n\
         JS01-0001,#1,2026-11-20 10:15,1\n\
         JS01-0001,#1,2026-11-20\n\
         JS01-0001,#x,2026-11-20 10:15,1\n\
         JS01-0001,#1,2026-11-31 10:15,1\n\
         JS01-0001,#1,2026-11-20 10:15,0\n\
         JS1-1,#1,2026-11-20 10:15,1\n\
         JS01-9999,#1,2026-11-20 10:15,1\n\
         JS01-0001,#99,2026-11-20 10:15,1\n",
    )
    .unwrap();
    put(&mut h, "file", log.to_str().unwrap());
    h.press("ctrl-s");
    let report = h
        .app
        .state
        .desk()
        .and_then(|d| d.panes.merchants.import.clone())
        .expect("an import report");
    let bad: Vec<(usize, &str)> = report.bad.iter().map(|(l, m)| (*l, m.key)).collect();
    assert_eq!(
        bad,
        [
            (3, "import.columns"),
            (4, "import.offer"),
            (5, "import.time"),
            (6, "import.count"),
            (7, "import.member"),
            (8, "import.no_member"),
            (9, "import.no_offer"),
        ]
    );
    assert_eq!(report.posted, 0);
    // each bad line by its number, in words, under the redemptions
    for (line, m) in &report.bad {
        let words = Tr::new(Lang::En).msg(m);
        let head: String = words.chars().take(12).collect();
        h.assert_shows(&format!("line {line}: {head}"));
    }
    let words = Tr::new(Lang::En).msg(&shiguang::msg!("import.nothing_posted", n = 7));
    h.assert_shows(&words);
    assert_eq!(rows(&db.path), before);
}
