use super::*;
use proptest::prelude::*;

const T: Stamp = 1_800_000_000_000;

fn p(category: Category) -> Progress {
    Progress {
        category: Some(category),
        opened_at: T,
        ..Progress::default()
    }
}

#[test]
fn contact_within_a_day_decide_within_two() {
    let c = Clocks::default();
    assert!(!overdue_now(&p(Category::Quality), &c, T + 24 * HOUR_MS));
    assert_eq!(
        missed(&p(Category::Quality), &c, T + 24 * HOUR_MS + 1),
        vec![Due::Contact]
    );
    let mut x = p(Category::Quality);
    x.both_contacted_at = Some(T + HOUR_MS);
    assert!(!overdue_now(&x, &c, T + 48 * HOUR_MS));
    assert_eq!(missed(&x, &c, T + 48 * HOUR_MS + 1), vec![Due::Decide]);
}

#[test]
fn merchant_cases_have_three_days() {
    let c = Clocks::default();
    let mut x = p(Category::Merchant);
    x.both_contacted_at = Some(T);
    assert!(!overdue_now(&x, &c, T + 72 * HOUR_MS));
    assert!(overdue_now(&x, &c, T + 72 * HOUR_MS + 1));
}

#[test]
fn safety_incidents_report_to_hq_within_the_hour() {
    let c = Clocks::default();
    let x = p(Category::Safety);
    assert_eq!(next_due(&x, &c).unwrap().0, Due::HqReport);
    assert!(overdue_now(&x, &c, T + HOUR_MS + 1));
    let y = Progress {
        hq_reported_at: Some(T + 30 * 60_000),
        both_contacted_at: Some(T),
        decided_at: Some(T),
        ..x
    };
    assert_eq!(next_due(&y, &c).unwrap().0, Due::Review);
    assert!(overdue_now(&y, &c, T + 3 * DAY_MS + 1));
    // late is remembered even when done
    let z = Progress {
        hq_reported_at: Some(T + 2 * HOUR_MS),
        ..y
    };
    assert!(missed(&z, &c, T + 2 * HOUR_MS).contains(&Due::HqReport));
}

#[test]
fn suggestions_get_a_reply_within_a_week() {
    let c = Clocks::default();
    let s = Progress {
        suggestion: true,
        opened_at: T,
        ..Progress::default()
    };
    assert!(!overdue_now(&s, &c, T + 7 * DAY_MS));
    assert!(overdue_now(&s, &c, T + 7 * DAY_MS + 1));
}

#[test]
fn splits() {
    assert_eq!(split_points(30, 50), 15);
    assert_eq!(split_points(25, 50), 13);
    assert_eq!(split_points(25, 0), 0);
    assert_eq!(split_points(25, 100), 25);
    assert_eq!(parse_split("50%").unwrap(), 50);
    assert!(parse_split("101").is_err());
    assert!(parse_split("-1").is_err());
    assert!(parse_split("half").is_err());
}

#[test]
fn merchant_outcomes_belong_to_merchant_cases() {
    assert!(
        Outcome::choices(true)
            .iter()
            .all(|o| o.is_merchant() || *o == Outcome::Dismissed)
    );
    assert!(Outcome::choices(false).iter().all(|o| !o.is_merchant()));
    assert!(Outcome::choices(true).contains(&Outcome::Dismissed));
    assert_eq!(
        Outcome::ProviderFault.check_fits(true).unwrap_err().msg.key,
        "dispute.outcome_for_members"
    );
    assert_eq!(
        Outcome::MerchantWarning
            .check_fits(false)
            .unwrap_err()
            .msg
            .key,
        "dispute.outcome_for_merchants"
    );
    assert!(Outcome::Dismissed.check_fits(true).is_ok());
    for o in Outcome::ALL {
        assert_eq!(Outcome::parse(o.as_str()), Some(o));
    }
}

#[test]
fn merchant_penalties_follow_the_handbook_and_the_third_complaint_ends() {
    let w = merchant_penalty(Outcome::MerchantWarning, 3, 200_00, 0).unwrap();
    assert_eq!(
        (w.severity, w.effects.fix_hours, w.effects.ends, w.verified),
        (Severity::Minor, Some(24), false, 1)
    );
    let s = merchant_penalty(Outcome::MerchantSuspension, 3, 200_00, 1).unwrap();
    assert_eq!(
        (
            s.severity,
            s.effects.pause_days,
            s.effects.deposit_fen,
            s.effects.ends
        ),
        (Severity::Moderate, Some(3), 0, false)
    );
    let d = merchant_penalty(Outcome::MerchantDeposit, 3, 200_00, 2).unwrap();
    assert_eq!(
        (
            d.effects.deposit_fen,
            d.effects.pause_days,
            d.effects.ends,
            d.verified
        ),
        (200_00, None, true, 3)
    );
    assert_eq!(merchant_penalty(Outcome::ProviderFault, 3, 200_00, 5), None);
    assert_eq!(parse_pause_days(" 3 ").unwrap(), 3);
    for bad in ["0", "91", "x", ""] {
        assert_eq!(
            parse_pause_days(bad).unwrap_err().field,
            Some("pause_days"),
            "{bad}"
        );
    }
    assert_eq!(parse_deposit("200").unwrap(), 200_00);
    for bad in ["0", "-5", "abc", ""] {
        assert_eq!(
            parse_deposit(bad).unwrap_err().field,
            Some("deposit"),
            "{bad}"
        );
    }
}

#[test]
fn double_deduction_is_twice_the_over_reported_part() {
    // 90 minutes recorded, 30 of them false, 20 points an hour: 10 × 2
    assert_eq!(double_deduction(30, 90, 20).unwrap(), 20);
    assert_eq!(double_deduction(0, 90, 20).unwrap(), 0);
    assert_eq!(double_deduction(90, 90, 20).unwrap(), 60);
    assert_eq!(
        double_deduction(91, 90, 20).unwrap_err().msg.key,
        "dispute.over_more_than_record"
    );
    assert_eq!(parse_over_minutes("45").unwrap(), 45);
    for bad in ["", "-1", "半小时", "1441"] {
        assert_eq!(
            parse_over_minutes(bad).unwrap_err().field,
            Some("over_minutes"),
            "{bad}"
        );
    }
}

#[test]
fn only_a_decided_provider_fault_is_marked_serious_once() {
    assert!(check_serious(Some(Outcome::ProviderFault), false).is_ok());
    let key = |r: Result<(), Refusal>| r.unwrap_err().msg.key;
    assert_eq!(key(check_serious(None, false)), "dispute.not_decided");
    assert_eq!(
        key(check_serious(Some(Outcome::ProviderFault), true)),
        "dispute.serious_already"
    );
    for o in [
        Outcome::RequesterFault,
        Outcome::Mediated,
        Outcome::Violation,
        Outcome::Dismissed,
        Outcome::MerchantWarning,
    ] {
        assert_eq!(
            key(check_serious(Some(o), false)),
            "dispute.serious_provider_only"
        );
    }
}

proptest! {
    #[test]
    fn what_is_owed_is_taken_from_earnings_never_more(outstanding in -50i64..500, earned in -5i64..500) {
        let t = owed_to_take(outstanding, earned);
        prop_assert!(t >= 0 && t <= earned.max(0) && t <= outstanding.max(0));
        prop_assert!(t == outstanding.max(0) || t == earned.max(0));
    }

    #[test]
    fn double_deduction_never_exceeds_twice_the_record(over in 0u32..300, minutes in 1u32..300, pph in 1u32..100) {
        match double_deduction(over, minutes, pph) {
            Ok(d) => prop_assert!(over <= minutes && d == 2 * points_for(Minutes(over), pph).0 && d <= 2 * points_for(Minutes(minutes), pph).0),
            Err(_) => prop_assert!(over > minutes),
        }
    }

    #[test]
    fn the_third_verified_complaint_ends_a_merchant(before in 0u32..10, o in 5usize..8) {
        let p = merchant_penalty(Outcome::ALL[o], 3, 100, before).unwrap();
        prop_assert_eq!(p.effects.ends, before + 1 >= MERCHANT_COMPLAINTS_END);
    }

    #[test]
    fn penalties_never_go_below_zero(balance in -100i64..1000, due in 0i64..2000) {
        let (taken, owed) = take_what_there_is(balance, due);
        prop_assert!(taken >= 0 && taken <= balance.max(0));
        prop_assert_eq!(taken + owed, due);
    }

    #[test]
    fn a_split_stays_within_what_is_left(left in 0i64..10_000, pct in 0u32..=100) {
        let s = split_points(left, pct);
        prop_assert!(s >= 0 && s <= left);
    }
}
