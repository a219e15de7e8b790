use super::*;
use proptest::prelude::*;

fn neighbour(id: i64, services: u32, stars: u32) -> NeighbourFigures {
    NeighbourFigures {
        member_id: id,
        trust_score: 110,
        services,
        minutes: services * 60,
        ratings: services,
        rating_sum: services * stars,
        ..NeighbourFigures::default()
    }
}

fn shop(id: i64, ratings: u32, stars: u32) -> MerchantFigures {
    MerchantFigures {
        merchant_id: id,
        redemptions: 20,
        ratings,
        rating_sum: ratings * stars,
        ..MerchantFigures::default()
    }
}

#[test]
fn the_warm_neighbour_is_the_busiest_well_rated_member_with_a_clean_month() {
    let a = neighbour(1, 4, 5);
    let b = neighbour(2, 6, 5);
    let few = neighbour(3, 2, 5);
    let poor = neighbour(4, 8, 4);
    let warned = NeighbourFigures {
        violations: 1,
        ..neighbour(5, 9, 5)
    };
    let low = NeighbourFigures {
        trust_score: 95,
        ..neighbour(6, 9, 5)
    };
    let got: Vec<i64> = propose_neighbours(&[a, b, few, poor, warned, low])
        .iter()
        .map(|f| f.member_id)
        .collect();
    assert_eq!(got, [2, 1]);
    assert_eq!(neighbour_blocked(&few), Some("medal.why.few_services"));
    assert_eq!(neighbour_blocked(&poor), Some("medal.why.ratings"));
    assert_eq!(neighbour_blocked(&warned), Some("medal.why.violation"));
    assert_eq!(neighbour_blocked(&low), Some("medal.why.trust"));
    // unrated services prove nothing
    let unrated = NeighbourFigures {
        ratings: 0,
        rating_sum: 0,
        ..a
    };
    assert_eq!(neighbour_blocked(&unrated), Some("medal.why.ratings"));
}

#[test]
fn ties_go_to_minutes_then_thanks_then_the_lower_id() {
    let a = neighbour(7, 4, 5);
    let longer = NeighbourFigures {
        minutes: 400,
        ..neighbour(9, 4, 5)
    };
    let thanked = NeighbourFigures {
        thank_yous: 2,
        ..neighbour(8, 4, 5)
    };
    let got: Vec<i64> = propose_neighbours(&[a, thanked, longer, neighbour(6, 4, 5)])
        .iter()
        .map(|f| f.member_id)
        .collect();
    assert_eq!(got, [9, 8, 6]);
}

#[test]
fn the_honest_merchant_has_a_clean_year_and_a_silver_grade() {
    let lines = GradeLines::default();
    let gold = shop(1, 10, 5);
    let silver = shop(2, 10, 4);
    let thin = MerchantFigures {
        redemptions: 5,
        ..shop(3, 10, 5)
    };
    let flagged = MerchantFigures {
        price_flags: 1,
        ..shop(4, 10, 5)
    };
    let complained = MerchantFigures {
        complaints: 1,
        ..shop(5, 10, 5)
    };
    let unrated = shop(6, 2, 5);
    let got: Vec<i64> =
        propose_merchants(&[silver, thin, gold, flagged, complained, unrated], &lines)
            .iter()
            .map(|f| f.merchant_id)
            .collect();
    assert_eq!(got, [1, 2]);
    assert_eq!(
        merchant_blocked(&thin, &lines),
        Some("medal.why.few_redemptions")
    );
    assert_eq!(
        merchant_blocked(&flagged, &lines),
        Some("medal.why.violation")
    );
    assert_eq!(
        merchant_blocked(&unrated, &lines),
        Some("medal.why.ratings")
    );
}

#[test]
fn the_period_is_the_month_or_year_before() {
    let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(MedalKind::WarmNeighbour.period(d("2026-01-05")), "2025-12");
    assert_eq!(MedalKind::HonestMerchant.period(d("2026-01-05")), "2025");
    assert_eq!(MedalKind::HonestMerchant.period(d("2026-12-24")), "2026");
    assert_eq!(
        MedalKind::parse("warm_neighbour"),
        Some(MedalKind::WarmNeighbour)
    );
    assert_eq!(MedalKind::parse("gold"), None);
}

#[test]
fn a_reason_is_required_and_kept_short() {
    assert_eq!(check_reason("  "), Err("medal.reason_required"));
    assert_eq!(check_reason(&"好".repeat(61)), Err("medal.reason_long"));
    assert_eq!(
        check_reason(" 本月服务 6 次 ").as_deref(),
        Ok("本月服务 6 次")
    );
}

fn any_neighbour() -> impl Strategy<Value = NeighbourFigures> {
    (
        0i64..50,
        60i64..140,
        0u32..12,
        0u32..12,
        0u32..3,
        any::<bool>(),
        1u32..6,
    )
        .prop_map(
            |(id, trust, services, thanks, violations, blacklisted, stars)| NeighbourFigures {
                member_id: id,
                trust_score: trust,
                services,
                minutes: services * 45,
                ratings: services,
                rating_sum: services * stars,
                thank_yous: thanks,
                violations,
                blacklisted,
            },
        )
}

proptest! {
    /// Everyone proposed qualifies, nobody better is left out, at most
    /// three, best first.
    #[test]
    fn proposals_are_qualified_and_ranked(all in prop::collection::vec(any_neighbour(), 0..30)) {
        let got = propose_neighbours(&all);
        prop_assert!(got.len() <= MedalKind::WarmNeighbour.proposed());
        prop_assert!(got.iter().all(|f| neighbour_blocked(f).is_none()));
        for w in got.windows(2) {
            prop_assert!(w[0].services >= w[1].services);
        }
        let qualified = all.iter().filter(|f| neighbour_blocked(f).is_none()).count();
        prop_assert_eq!(got.len(), qualified.min(MedalKind::WarmNeighbour.proposed()));
        if let Some(last) = got.last() {
            let left_out_busier = all.iter().any(|f| {
                neighbour_blocked(f).is_none()
                    && !got.contains(f)
                    && f.services > last.services
            });
            prop_assert!(!left_out_busier);
        }
    }

    /// The order the figures come in changes nothing.
    #[test]
    fn the_proposal_does_not_depend_on_the_order(mut all in prop::collection::vec(any_neighbour(), 0..20)) {
        let a = propose_neighbours(&all);
        all.reverse();
        prop_assert_eq!(a, propose_neighbours(&all));
    }
}
