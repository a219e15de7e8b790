use super::*;
use proptest::prelude::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn offer() -> Offer {
    Offer {
        points: 10,
        value_fen: 500,
        valid_from: day("2026-11-01"),
        valid_to: day("2026-12-31"),
        monthly_cap_fen: 1000_00,
        withdrawn: false,
    }
}

fn shop() -> Merchant {
    Merchant {
        status: Status::Active,
        paused: false,
        community: "01".into(),
        month_cap_fen: 1000_00,
        month_used_fen: 0,
    }
}

#[test]
fn the_merchants_cap_holds_across_its_offers_and_an_offer_may_stop_lower() {
    let d = day("2026-11-23");
    let busy = Merchant {
        month_used_fen: 996_00,
        ..shop()
    };
    let e = check_redemption(&offer(), &busy, &member(), 1, 0, d).unwrap_err();
    assert_eq!(e[0].msg.key, "redeem.over_cap");
    assert!(check_redemption(&offer(), &shop(), &member(), 1, 0, d).is_ok());
}

fn member() -> Redeemer {
    Redeemer {
        approved: true,
        level: Level::Ordinary,
        community: "01".into(),
        frozen: false,
        blacklisted: false,
        balance: 100,
    }
}

fn keys(r: Result<Cost, Vec<Refusal>>) -> Vec<&'static str> {
    r.err()
        .unwrap_or_default()
        .iter()
        .map(|x| x.msg.key)
        .collect()
}

#[test]
fn ten_points_buy_five_yuan() {
    let c = check_redemption(&offer(), &shop(), &member(), 3, 0, day("2026-11-23")).unwrap();
    assert_eq!(
        c,
        Cost {
            points: 30,
            value_fen: 1500
        }
    );
}

#[test]
fn the_cap_is_reached_exactly_and_not_passed() {
    let d = day("2026-11-23");
    // 995 yuan used: one more 5-yuan redemption reaches the cap exactly
    assert!(check_redemption(&offer(), &shop(), &member(), 1, 995_00, d).is_ok());
    let e = check_redemption(&offer(), &shop(), &member(), 2, 995_00, d).unwrap_err();
    assert_eq!(e[0].field, Some("count"));
    assert_eq!(e[0].msg.key, "redeem.over_cap");
    assert!(e[0].msg.args.iter().any(|(k, v)| *k == "left" && v == "5"));
    assert_eq!(
        keys(check_redemption(
            &offer(),
            &shop(),
            &member(),
            1,
            1000_00,
            d
        )),
        ["redeem.over_cap"]
    );
}

#[test]
fn validity_dates_are_inclusive() {
    assert!(check_redemption(&offer(), &shop(), &member(), 1, 0, day("2026-11-01")).is_ok());
    assert!(check_redemption(&offer(), &shop(), &member(), 1, 0, day("2026-12-31")).is_ok());
    assert_eq!(
        keys(check_redemption(
            &offer(),
            &shop(),
            &member(),
            1,
            0,
            day("2027-01-01")
        )),
        ["redeem.offer_expired"]
    );
    let w = Offer {
        withdrawn: true,
        ..offer()
    };
    assert_eq!(
        keys(check_redemption(
            &w,
            &shop(),
            &member(),
            1,
            0,
            day("2026-11-23")
        )),
        ["redeem.offer_expired"]
    );
}

#[test]
fn who_may_redeem_where() {
    let d = day("2026-11-23");
    let elsewhere = Merchant {
        community: "02".into(),
        ..shop()
    };
    assert_eq!(
        keys(check_redemption(&offer(), &elsewhere, &member(), 1, 0, d)),
        ["redeem.other_community"]
    );
    let star = Redeemer {
        level: Level::Star,
        ..member()
    };
    assert!(check_redemption(&offer(), &elsewhere, &star, 1, 0, d).is_ok());
    let frozen = Redeemer {
        frozen: true,
        ..member()
    };
    assert_eq!(
        keys(check_redemption(&offer(), &shop(), &frozen, 1, 0, d)),
        ["ledger.payer_frozen"]
    );
    let black = Redeemer {
        blacklisted: true,
        ..member()
    };
    assert_eq!(
        keys(check_redemption(&offer(), &shop(), &black, 1, 0, d)),
        ["ledger.payer_blacklisted"]
    );
    let poor = Redeemer {
        balance: 9,
        ..member()
    };
    assert_eq!(
        keys(check_redemption(&offer(), &shop(), &poor, 1, 0, d)),
        ["ledger.short"]
    );
    let paused = Merchant {
        paused: true,
        ..shop()
    };
    assert_eq!(
        keys(check_redemption(&offer(), &paused, &member(), 1, 0, d)),
        ["redeem.merchant_paused"]
    );
    let ended = Merchant {
        status: Status::Ended,
        ..shop()
    };
    assert_eq!(
        keys(check_redemption(&offer(), &ended, &member(), 1, 0, d)),
        ["redeem.merchant_ended"]
    );
    assert_eq!(
        keys(check_redemption(&offer(), &shop(), &member(), 0, 0, d)),
        ["redeem.count_range"]
    );
}

#[test]
fn yuan_in_and_out() {
    assert_eq!(parse_yuan("12"), Some(1200));
    assert_eq!(parse_yuan("12.5"), Some(1250));
    assert_eq!(parse_yuan("￥０.０５"), Some(5));
    assert_eq!(parse_yuan("8元"), Some(800));
    for bad in ["", "0", "1.234", "-3", "1e3", "abc", "1.2.3", "."] {
        assert_eq!(parse_yuan(bad), None, "{bad:?}");
    }
    assert_eq!(yuan(1250), "12.50");
    assert_eq!(yuan(500), "5");
    assert_eq!(yuan(-20000), "-200");
    // found writing the parser property tests: `abs` overflowed on the
    // smallest i64
    assert_eq!(yuan(i64::MIN), "-92233720368547758.08");
}

#[test]
fn five_percent_over_the_purchase_price_at_most() {
    assert!(!over_price_rule(10_00, 10_50));
    assert!(over_price_rule(10_00, 10_51));
    assert!(!over_price_rule(3_33, 3_49));
    assert!(over_price_rule(3_33, 3_50));
}

#[test]
fn grades_from_ratings() {
    let l = GradeLines::default();
    assert_eq!(grade(20, 4, &l), Grade::Unrated);
    assert_eq!(grade(23, 5, &l), Grade::Gold); // 4.60
    assert_eq!(grade(21, 5, &l), Grade::Silver); // 4.20
    assert_eq!(grade(18, 5, &l), Grade::Ordinary); // 3.60
    assert_eq!(grade(14, 5, &l), Grade::Watch); // 2.80
    assert_eq!(average_x100(13, 3), Some(433));
    assert_eq!(stars(433), "4.33");
}

#[test]
fn a_thousand_yuan_is_a_hundred_hours() {
    assert_eq!(minutes_owed(1000_00, 10), 100 * 60);
    assert_eq!(minutes_owed(5_00, 10), 30);
    assert_eq!(minutes_owed(0, 10), 0);
    // 0.08 yuan is 0.48 minutes, 0.09 is 0.54
    assert_eq!(minutes_owed(8, 10), 0);
    assert_eq!(minutes_owed(9, 10), 1);
    assert_eq!(split_into_requests(300, 120), vec![120, 120, 60]);
    assert_eq!(split_into_requests(240, 120), vec![120, 120]);
    assert!(split_into_requests(0, 120).is_empty());
}

#[test]
fn a_settlement_is_taken_one_service_at_a_time() {
    assert_eq!(services_owed(510, 120), 5);
    assert_eq!(services_owed(0, 120), 0);
    assert_eq!(next_service(510, 5, 120), Some(120));
    assert_eq!(next_service(30, 1, 120), Some(30));
    assert_eq!(next_service(30, 0, 120), None);
    // a 120-minute service given back while only the last 30 were left
    assert_eq!(next_service(150, 2, 120), Some(120));
    assert_eq!(next_service(30, 1, 120), Some(30));
}

#[test]
fn violations_have_the_handbooks_effects() {
    assert_eq!(effects(Severity::Minor).fix_hours, Some(24));
    let m = effects(Severity::Moderate);
    assert_eq!((m.pause_days, m.deposit_fen), (Some(3), 200_00));
    assert!(effects(Severity::Severe).ends);
}

#[test]
fn a_log_is_read_line_by_line() {
    let text = "会员编号,优惠,时间,数量\nJS01-0001,#3,2026-11-20 10:15,1\nJS01-0002，4，2026-11-20 11:00，2\n\nJS01-0003,3,2026-11-31 10:00,1\nJS01-0004,3,2026-11-20 10:00\nnobody,3,2026-11-20 10:00,1\nJS01-0005,3,2026-11-20 10:00,0\n";
    let (rows, bad) = parse_log(text);
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].line, rows[0].offer_id, rows[0].count), (2, 3, 1));
    assert_eq!((rows[1].line, rows[1].offer_id, rows[1].count), (3, 4, 2));
    let lines: Vec<(usize, &str)> = bad.iter().map(|(l, r)| (*l, r.msg.key)).collect();
    assert_eq!(
        lines,
        [
            (5, "import.time"),
            (6, "import.columns"),
            (7, "import.member"),
            (8, "import.count")
        ]
    );
}

proptest! {
    #[test]
    fn yuan_round_trips(fen in 1i64..10_000_000_000) {
        prop_assert_eq!(parse_yuan(&yuan(fen)), Some(fen));
    }

    #[test]
    fn requests_add_up_to_the_owed_minutes(m in 0u32..100_000, longest in 1u32..600) {
        let parts = split_into_requests(m, longest);
        prop_assert_eq!(parts.iter().sum::<u32>(), m);
        prop_assert!(parts.iter().all(|p| *p > 0 && *p <= longest));
    }

    #[test]
    fn taking_services_in_turn_gives_the_split(m in 0u32..100_000, longest in 1u32..600) {
        let (mut left, mut n, mut taken) = (m, services_owed(m, longest), Vec::new());
        while let Some(t) = next_service(left, n, longest) {
            prop_assert!(t > 0 && t <= longest);
            taken.push(t);
            left -= t;
            n -= 1;
        }
        prop_assert_eq!((left, n), (0, 0));
        prop_assert_eq!(taken, split_into_requests(m, longest));
    }

    #[test]
    fn the_cap_is_never_passed(used in 0i64..200_000, count in 1u32..20) {
        let o = offer();
        if let Ok(c) = check_redemption(&o, &shop(), &Redeemer { balance: i64::MAX / 4, ..member() }, count, used, day("2026-11-23")) {
            prop_assert!(used + c.value_fen <= o.monthly_cap_fen);
        }
    }
}
