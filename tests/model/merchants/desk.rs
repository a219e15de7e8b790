//! The merchants pane by keys: the remediation check, the pane at 80×24, the cap said at the desk.

use super::*;

#[test]
fn a_paused_merchant_resumes_only_after_its_remediation_check_by_keys() {
    let mut w = w(1000_00);
    w.s.merchant_violation(&w.master, w.shop, Severity::Moderate, "会员价超进价5%", T0)
        .unwrap();
    let mut h = Harness::signed_in(&w.db.path, T0 + 4 * DAY_MS, Lang::Zh, w.master.clone());
    h.resize(80, 24);
    h.press("8");
    h.assert_shows("暂停接单,待整改复查合格");
    // its record: the violation, waiting for its check, kept three months
    h.press("tab");
    h.press("tab");
    h.assert_shows("待整改复查");
    h.assert_shows("记录保留至 02-23");
    assert_cjk_clean(&h);
    assert!(w.s.merchants().unwrap()[0].paused_at(T0 + 4 * DAY_MS));
    h.press("f");
    h.assert_not_shows("待整改复查");
    h.assert_shows("记录保留至 02-23");
    assert!(!w.s.merchants().unwrap()[0].paused_at(T0 + 4 * DAY_MS));
    let member = w.rich[0];
    redeem(&mut w, "after-check", member, 1, T0 + 4 * DAY_MS).unwrap();
}

#[test]
fn the_merchant_pane_by_keys_at_80_by_24() {
    let db = temp_db();
    let mut h = master_desk(&db, Lang::Zh);
    h.resize(80, 24);
    h.press("8");
    h.assert_shows("还没有合作商家");
    h.press("n");
    h.assert_shows("新增合作商家");
    h.type_str("惠民超市");
    h.press("tab");
    h.press("tab");
    h.type_str("金山路 18 号");
    h.press("tab");
    h.type_str("三百");
    h.press("tab");
    h.type_str("刘老板");
    h.press("tab");
    h.type_str("123");
    h.press("ctrl-s");
    h.assert_shows("距离请填整数米数");
    assert_eq!(count(&db.path, "SELECT count(*) FROM merchants"), 0);
    // the focus is on the first field refused: fix the distance and the
    // phone, name the redeemer
    for _ in 0..2 {
        h.press("backspace");
    }
    h.type_str("300");
    h.press("tab");
    h.press("tab");
    for _ in 0..3 {
        h.press("backspace");
    }
    h.type_str("13761234567");
    h.press("tab");
    h.type_str("刘小燕");
    h.press("ctrl-s");
    h.assert_shows("已添加商家 S001");
    h.assert_shows("惠民超市");
    assert_cjk_clean(&h);
    // an offer: a bad amount is refused at its line
    h.press("o");
    h.type_str("10积分抵5元");
    h.press("tab");
    h.type_str("10");
    h.press("tab");
    h.type_str("5.555");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.type_str("10");
    h.press("ctrl-s");
    h.assert_shows("金额不对");
    for _ in 0..5 {
        h.press("backspace");
    }
    h.type_str("5");
    h.press("ctrl-s");
    h.assert_shows("本月剩 10/10 元");
    assert_cjk_clean(&h);
    h.press("tab");
    h.assert_shows("最近的兑换");
    h.press("tab");
    h.assert_shows("价格抽查");
    h.press("k");
    h.type_str("食用油");
    h.press("tab");
    h.type_str("100");
    h.press("tab");
    h.type_str("106");
    h.press("tab");
    h.type_str("INV-1");
    h.press("ctrl-s");
    h.assert_shows("会员价超过进货价 5%");
    h.assert_shows("超标");
    assert_cjk_clean(&h);
}

/// With 5 of the shop's 10 yuan a month left, member `number` asks for
/// two coupons at pane 8 (refused, saying what is left, nothing saved
/// beyond the one redemption already there), then takes one.
fn two_over_the_cap_then_one(h: &mut Harness, db: &std::path::Path, number: &str) {
    h.press("r");
    h.type_str(number);
    h.press("enter");
    h.press("tab");
    h.press("backspace");
    h.type_str("2");
    h.press("ctrl-s");
    h.assert_shows("本月还剩 5 元");
    assert_eq!(count(db, "SELECT count(*) FROM redemptions"), 1);
    h.press("backspace");
    h.type_str("1");
    h.press("ctrl-s");
    h.assert_shows("已兑换:扣 10 积分,抵 5 元");
    h.assert_shows("本月剩 0/10 元");
    assert_cjk_clean(h);
}

#[test]
fn redeeming_at_the_desk_over_the_cap_says_what_is_left() {
    let mut w = w(10_00);
    let rich = w.rich.clone();
    redeem(&mut w, "first", rich[0], 1, T0).unwrap();
    let number = store(&w.db.path).member(w.rich[1]).unwrap().number.unwrap();
    drop(w.s);
    let mut h = Harness::signed_in(&w.db.path, T0 + HOUR_MS, Lang::Zh, w.master.clone());
    h.resize(80, 24);
    h.press("8");
    two_over_the_cap_then_one(&mut h, &w.db.path, &number);
}

#[test]
fn the_merchants_cap_holds_across_its_offers_at_the_desk() {
    let mut w = w(10_00);
    let rich = w.rich.clone();
    // a second offer of the same shop, under the same 10-yuan cap
    let mut weekend = offer_input(5_00, 10_00);
    weekend.text = "周末券".into();
    w.s.save_offer(&w.master, w.shop, None, &weekend, T0 - DAY_MS)
        .unwrap();
    let second = w.s.merchant_detail(w.shop, T0).unwrap().offers[1].id;
    let r = Redemption {
        uid: "weekend".into(),
        member_id: rich[0],
        offer_id: second,
        count: 1,
        redeemed_at: T0,
    };
    w.s.redeem(&w.master, &r, T0).unwrap();
    let number = store(&w.db.path).member(rich[1]).unwrap().number.unwrap();
    drop(w.s);
    let mut h = Harness::signed_in(&w.db.path, T0 + HOUR_MS, Lang::Zh, w.master.clone());
    h.resize(80, 24);
    h.press("8");
    // the first offer shows what the shop has left, not its own 10 yuan
    h.assert_shows("本月剩 5/10 元");
    two_over_the_cap_then_one(&mut h, &w.db.path, &number);
}
