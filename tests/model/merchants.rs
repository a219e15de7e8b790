//! Merchants on a real SQLite file: the monthly cap at its boundary, the
//! month in station time, a log import with a bad line, the settlement
//! against hand-built data and the service it asks for, violations and
//! their effects, the pane by keys — and the ledger under any mix.

use crate::common;
use common::*;
use proptest::prelude::*;
use shiguang::domain::merchant::Status;
use shiguang::domain::queue::State;
use shiguang::domain::record::Payer;
use shiguang::domain::staff::{Role, Session};
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS, Stamp};
use shiguang::domain::violation::Severity;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::{Lang, Tr};
use shiguang::routines::settlement::settle_month;
use shiguang::store::merchants::{OfferInput, PriceCheck};
use shiguang::store::queue::Outcome;
use shiguang::store::redemptions::{MerchantService, Redemption};
use shiguang::store::{Store, StoreError};

mod desk;
mod medals;
mod settlement;

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn keys(e: StoreError) -> Vec<&'static str> {
    e.refusals().iter().map(|r| r.msg.key).collect()
}

struct W {
    db: TestDb,
    s: Store,
    master: Session,
    rich: Vec<i64>,
    shop: i64,
    offer: i64,
}

/// A station with members who earned points, and one shop with one offer.
fn w(cap_fen: i64) -> W {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let rich: Vec<i64> = approved_members(&mut s, &master, 4, T0 - 300 * DAY_MS);
    let helper = approved_member(&mut s, &master, "帮手", 9, T0 - 300 * DAY_MS);
    // each earns 200 points in five two-hour services (paid by the pool)
    for (i, m) in rich.iter().enumerate() {
        for k in 0..5 {
            let end = T0 - 100 * DAY_MS + (i as i64 * 5 + k) * 3 * HOUR_MS;
            let r = record(&format!("earn{i}-{k}"), *m, helper, end, 120, Payer::Pool);
            s.post_record(&master, &r, end).unwrap();
        }
    }
    let (shop, offer) = shop_with_offer(&mut s, &master, cap_fen);
    W {
        db,
        s,
        master,
        rich,
        shop,
        offer,
    }
}

fn redeem(w: &mut W, uid: &str, member: i64, count: u32, at: Stamp) -> Result<i64, StoreError> {
    let r = Redemption {
        uid: uid.into(),
        member_id: member,
        offer_id: w.offer,
        count,
        redeemed_at: at,
    };
    w.s.redeem(&w.master, &r, at).map(|c| c.points)
}

#[test]
fn the_cap_allows_exactly_its_amount_and_not_a_point_more() {
    let mut w = w(20_00);
    let rich = w.rich.clone();
    // 5 yuan each: three, then one more reaches 20 exactly
    for i in 0..3 {
        redeem(
            &mut w,
            &format!("a{i}"),
            rich[i % 4],
            1,
            T0 + i as i64 * MINUTE_MS,
        )
        .unwrap();
    }
    assert_eq!(
        redeem(&mut w, "a3", rich[3], 1, T0 + 5 * MINUTE_MS).unwrap(),
        10
    );
    let transfers = count(&w.db.path, "SELECT count(*) FROM transfers");
    let e = redeem(&mut w, "a4", rich[0], 1, T0 + 6 * MINUTE_MS).unwrap_err();
    assert_eq!(keys(e.clone()), ["redeem.over_cap"]);
    let msg = &e.refusals()[0].msg;
    assert!(msg.args.contains(&("left", "0".to_string())), "{msg:?}");
    assert_eq!(
        count(&w.db.path, "SELECT count(*) FROM transfers"),
        transfers
    );
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM redemptions"), 4);
    // the merchant holds the points; the members paid them
    let detail = w.s.merchant_detail(w.shop, T0 + HOUR_MS).unwrap();
    assert_eq!(detail.merchant.points, 40);
    assert_eq!(detail.offers[0].used_fen, 20_00);
    // the same form sent twice posts once
    let again = Redemption {
        uid: "a3".into(),
        member_id: w.rich[3],
        offer_id: w.offer,
        count: 1,
        redeemed_at: T0,
    };
    w.s.redeem(&w.master, &again, T0 + 7 * MINUTE_MS).unwrap();
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM redemptions"), 4);
}

#[test]
fn the_month_turns_at_midnight_station_time() {
    let mut w = w(10_00);
    let rich = w.rich.clone();
    // 2026-11-30 23:30 in Shanghai; T0 is 2026-11-23 10:00
    let nov_30_2330 = T0 + 7 * DAY_MS + 13 * HOUR_MS + 30 * MINUTE_MS;
    redeem(&mut w, "n1", rich[0], 2, nov_30_2330).unwrap();
    let e = redeem(&mut w, "n2", rich[1], 1, nov_30_2330 + 10 * MINUTE_MS).unwrap_err();
    assert_eq!(keys(e), ["redeem.over_cap"]);
    // 00:10 on 1 December is a new month, though UTC still says 30 November
    let dec_1_0010 = nov_30_2330 + 40 * MINUTE_MS;
    redeem(&mut w, "d1", rich[1], 2, dec_1_0010).unwrap();
    assert_eq!(
        count(&w.db.path, "SELECT count(*) FROM redemptions"),
        2,
        "one per month, each up to the cap"
    );
}

#[test]
fn who_may_redeem_and_what_is_refused() {
    let mut w = w(1000_00);
    let rich = w.rich.clone();
    // a member of another community, ordinary: refused; nothing saved
    let mut other = new_member("外社区", 30);
    other.community = "02".into();
    let row =
        w.s.register_member(&w.master, &other, T0 - 200 * DAY_MS)
            .unwrap();
    w.s.approve_member(&w.master, row.id, "核实", T0 - 200 * DAY_MS)
        .unwrap();
    assert_eq!(
        keys(redeem(&mut w, "o1", row.id, 1, T0).unwrap_err()),
        ["redeem.other_community"]
    );
    // short of points
    let poor = approved_member(&mut w.s, &w.master, "没积分", 31, T0 - 200 * DAY_MS);
    assert_eq!(
        keys(redeem(&mut w, "p1", poor, 1, T0).unwrap_err()),
        ["ledger.short"]
    );
    // frozen
    w.s.set_frozen(&w.master, w.rich[0], true, "核查", T0)
        .unwrap();
    assert_eq!(
        keys(redeem(&mut w, "f1", rich[0], 1, T0).unwrap_err()),
        ["ledger.payer_frozen"]
    );
    // an expired offer
    let late = T0 + 40 * DAY_MS;
    assert_eq!(
        keys(redeem(&mut w, "x1", rich[1], 1, late).unwrap_err()),
        ["redeem.offer_expired"]
    );
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM redemptions"), 0);
}

#[test]
fn violations_pause_end_and_take_from_the_deposit() {
    let mut w = w(1000_00);
    let rich = w.rich.clone();
    let liaison =
        w.s.add_staff(&w.master, "李联络", Role::Liaison, "3917", T0)
            .unwrap();
    w.s.merchant_deposit(&w.master, w.shop, false, 1000_00, "签约", T0 - DAY_MS)
        .unwrap();
    // a liaison logs a minor one, not a moderate one
    w.s.merchant_violation(&liaison, w.shop, Severity::Minor, "进货单未更新", T0)
        .unwrap();
    assert_eq!(
        keys(
            w.s.merchant_violation(&liaison, w.shop, Severity::Moderate, "抬价", T0)
                .unwrap_err()
        ),
        ["staff.master_only"]
    );
    let m =
        w.s.merchant_violation(&w.master, w.shop, Severity::Moderate, "会员价超进价5%", T0)
            .unwrap();
    assert_eq!(m.deposit_fen, 800_00);
    assert!(m.paused_at(T0 + 2 * DAY_MS));
    // past its three days, orders still wait for the remediation check
    assert!(m.paused_at(T0 + 3 * DAY_MS + 1));
    assert_eq!(
        keys(redeem(&mut w, "p", rich[0], 1, T0 + DAY_MS).unwrap_err()),
        ["redeem.merchant_paused"]
    );
    assert_eq!(
        keys(redeem(&mut w, "p", rich[0], 1, T0 + 4 * DAY_MS).unwrap_err()),
        ["redeem.merchant_paused"]
    );
    let moderate: i64 =
        w.s.conn()
            .query_row(
                "SELECT id FROM merchant_violations WHERE severity = 'moderate'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    w.s.resolve_merchant_violation(&w.master, moderate, T0 + 4 * DAY_MS)
        .unwrap();
    redeem(&mut w, "q", rich[0], 1, T0 + 4 * DAY_MS).unwrap();
    // severe: ended, the whole deposit to the member dividend pool
    let m =
        w.s.merchant_violation(
            &w.master,
            w.shop,
            Severity::Severe,
            "伪造进货单",
            T0 + 5 * DAY_MS,
        )
        .unwrap();
    assert_eq!((m.status, m.deposit_fen), (Status::Ended, 0));
    let pool: i64 = store(&w.db.path)
        .conn()
        .query_row(
            "SELECT -sum(amount_fen) FROM merchant_deposit WHERE kind = 'dividend_pool'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pool, 800_00);
    assert_eq!(
        keys(redeem(&mut w, "r", rich[0], 1, T0 + 6 * DAY_MS).unwrap_err()),
        ["redeem.merchant_ended"]
    );
    assert_eq!(
        keys(
            w.s.merchant_violation(&w.master, w.shop, Severity::Minor, "x", T0 + 6 * DAY_MS)
                .unwrap_err()
        ),
        ["merchant.ended_for_good"]
    );
    // the public notice names the reasons
    let path =
        shiguang::exports::merchant_notice(&w.s, &Tr::new(Lang::Zh), w.shop, T0 + 6 * DAY_MS)
            .unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains("伪造进货单") && text.contains("会员价超进价5%"),
        "{text}"
    );
}

#[test]
fn a_price_over_the_five_percent_rule_is_flagged() {
    let mut w = w(1000_00);
    let check = |member_fen| PriceCheck {
        item: "食用油 5L".into(),
        purchase_fen: 100_00,
        member_fen,
        invoice_ref: "INV-7".into(),
        checked_by: "王秀英".into(),
    };
    assert!(
        !w.s.price_check(&w.master, w.shop, &check(105_00), T0)
            .unwrap()
    );
    assert!(
        w.s.price_check(&w.master, w.shop, &check(105_01), T0)
            .unwrap()
    );
    let bad = PriceCheck {
        invoice_ref: " ".into(),
        ..check(100_00)
    };
    assert_eq!(
        keys(w.s.price_check(&w.master, w.shop, &bad, T0).unwrap_err()),
        ["price.invoice_required"]
    );
    assert_eq!(
        w.s.merchant_detail(w.shop, T0)
            .unwrap()
            .merchant
            .flagged_prices,
        1
    );
}

fn log_line(number: &str, offer: i64, when: &str, n: u32) -> String {
    format!("{number},#{offer},{when},{n}\n")
}

#[test]
fn a_log_with_a_bad_line_posts_nothing_unless_told_to() {
    let mut w = w(1000_00);
    let numbers: Vec<String> = w
        .rich
        .iter()
        .map(|id| store(&w.db.path).member(*id).unwrap().number.unwrap())
        .collect();
    let mut text = "会员编号,优惠,时间,数量\n".to_string();
    text += &log_line(&numbers[0], w.offer, "2026-11-20 10:15", 1);
    text += &log_line(&numbers[1], w.offer, "2026-11-20 11:00", 2);
    text += &log_line("JS01-9999", w.offer, "2026-11-20 11:30", 1);
    text += &log_line(&numbers[2], w.offer, "2026-11-31 09:00", 1);
    let r =
        w.s.import_redemptions(&w.master, w.shop, "log.csv", &text, false, T0)
            .unwrap();
    assert_eq!(r.posted, 0);
    let bad: Vec<(usize, &str)> = r.bad.iter().map(|(l, m)| (*l, m.key)).collect();
    assert_eq!(bad, [(4, "import.no_member"), (5, "import.time")]);
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM redemptions"), 0);
    assert_eq!(
        count(
            &w.db.path,
            "SELECT count(*) FROM transfers WHERE kind = 'merchant_redemption'"
        ),
        0
    );
    // posting the valid lines, explicitly
    let r =
        w.s.import_redemptions(&w.master, w.shop, "log.csv", &text, true, T0)
            .unwrap();
    assert_eq!(
        (r.posted, r.points, r.value_fen, r.bad.len()),
        (2, 30, 15_00, 2)
    );
    let when: Stamp = store(&w.db.path)
        .conn()
        .query_row("SELECT min(redeemed_at) FROM redemptions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        when,
        T0 - 3 * DAY_MS + 15 * MINUTE_MS,
        "the log's time, in station time"
    );
    // the same file again posts nothing twice
    let r =
        w.s.import_redemptions(&w.master, w.shop, "log.csv", &text, true, T0 + HOUR_MS)
            .unwrap();
    assert_eq!((r.posted, r.already), (0, 2));
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM redemptions"), 2);
    // a line over the cap is refused like at the desk, counting the lines before it
    let mut w2 = self::w(10_00);
    let numbers: Vec<String> = w2
        .rich
        .iter()
        .map(|id| store(&w2.db.path).member(*id).unwrap().number.unwrap())
        .collect();
    let text = log_line(&numbers[0], w2.offer, "2026-11-20 10:15", 2)
        + &log_line(&numbers[1], w2.offer, "2026-11-20 10:20", 1);
    let r =
        w2.s.import_redemptions(&w2.master, w2.shop, "b.csv", &text, false, T0)
            .unwrap();
    assert_eq!(
        r.bad.iter().map(|(l, m)| (*l, m.key)).collect::<Vec<_>>(),
        [(2, "redeem.over_cap")]
    );
    assert_eq!(r.posted, 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any mix of redemptions keeps the ledger whole: the chain verifies,
    /// no member below zero, no cap passed, and the merchant holds exactly
    /// the points members spent there.
    #[test]
    fn any_mix_of_redemptions_keeps_the_ledger_whole(
        ops in prop::collection::vec((0usize..4, 1u32..4, 0i64..40), 1..25)
    ) {
        let mut w = w(30_00);
        let rich = w.rich.clone();
        let mut spent = 0;
        for (i, (who, n, day_off)) in ops.into_iter().enumerate() {
            let at = T0 - 20 * DAY_MS + day_off * DAY_MS;
            if let Ok(p) = redeem(&mut w, &format!("p{i}"), rich[who], n, at) {
                spent += p;
            }
        }
        let report = w.s.verify().unwrap();
        prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        let negative = count(&w.db.path, "SELECT count(*) FROM accounts WHERE kind = 'member' AND balance < 0");
        prop_assert_eq!(negative, 0);
        let over = count(&w.db.path,
            "SELECT count(*) FROM (SELECT strftime('%Y-%m', redeemed_at / 1000 + 8 * 3600, 'unixepoch') AS m, sum(value_fen) AS v
             FROM redemptions GROUP BY m) WHERE v > 3000");
        prop_assert_eq!(over, 0);
        prop_assert_eq!(w.s.merchant_detail(w.shop, T0).unwrap().merchant.points, spent);
    }
}
