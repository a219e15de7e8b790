//! Medals on a real file: proposed from the figures, awarded by the station
//! master only, with a reason, once a period, in one transaction with its
//! audit row and covered by the audit chain; shown on the member and the
//! merchant; the year's stories gather the letters and the medals.

use super::*;
use shiguang::domain::medal::MedalKind;
use shiguang::store::medals::NewMedal;

fn liaison(w: &W) -> Session {
    Session {
        staff_id: w.master.staff_id,
        staff_no: w.master.staff_no.clone(),
        name: w.master.name.clone(),
        role: Role::Liaison,
    }
}

#[test]
fn the_months_warm_neighbour_is_proposed_and_given_by_the_master_once() {
    let mut w = w(1000_00);
    let (busy, few, elder) = (w.rich[0], w.rich[1], w.rich[2]);
    // October: three five-star services from one member, two from another
    let oct = T0 - 30 * DAY_MS;
    let mut first = 0;
    for k in 0..3 {
        let end = oct + k * DAY_MS;
        let r = record(&format!("oct-a{k}"), busy, elder, end, 60, Payer::Pool);
        let posted = w.s.post_record(&w.master, &r, end).unwrap();
        if k == 0 {
            first = posted.record_id;
        }
    }
    for k in 0..2 {
        let end = oct + k * DAY_MS + HOUR_MS * 3;
        let r = record(&format!("oct-b{k}"), few, elder, end, 60, Payer::Pool);
        w.s.post_record(&w.master, &r, end).unwrap();
    }
    w.s.add_thank_you(&w.master, first, "谢谢您陪我去医院", "", oct + DAY_MS)
        .unwrap();
    let day = day("2026-11-23");
    let proposed = w.s.medal_proposals(MedalKind::WarmNeighbour, day).unwrap();
    let ids: Vec<i64> = proposed.iter().map(|p| p.holder.id).collect();
    assert_eq!(ids, [busy]);
    assert_eq!(proposed[0].period, "2026-10");
    assert!(!proposed[0].awarded);
    let medal = |holder_id, reason: &str| NewMedal {
        kind: MedalKind::WarmNeighbour,
        period: "2026-10".into(),
        holder_id,
        reason: reason.into(),
    };
    let audits = || {
        count(
            &w.db.path,
            "SELECT count(*) FROM audit_log WHERE action = 'medal.award'",
        )
    };
    // a liaison may not; a blank reason is refused at its field; someone
    // the figures do not propose is refused with the rule that failed
    assert_eq!(
        keys(
            w.s.award_medal(&liaison(&w), &medal(busy, "热心"), T0)
                .unwrap_err()
        ),
        ["staff.master_only"]
    );
    assert_eq!(
        keys(
            w.s.award_medal(&w.master, &medal(busy, "  "), T0)
                .unwrap_err()
        ),
        ["medal.reason_required"]
    );
    assert_eq!(
        keys(
            w.s.award_medal(&w.master, &medal(few, "热心"), T0)
                .unwrap_err()
        ),
        ["medal.why.few_services"]
    );
    let bad_period = NewMedal {
        period: "2026".into(),
        ..medal(busy, "热心")
    };
    assert_eq!(
        keys(w.s.award_medal(&w.master, &bad_period, T0).unwrap_err()),
        ["medal.period_bad"]
    );
    assert_eq!(audits(), 0);
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM medals"), 0);
    let m =
        w.s.award_medal(&w.master, &medal(busy, "十月服务 3 次,全部五星"), T0)
            .unwrap();
    assert_eq!(
        (m.kind, m.holder.id, m.awarded_by.as_str()),
        (MedalKind::WarmNeighbour, busy, "001")
    );
    assert_eq!(audits(), 1);
    // once a period
    assert_eq!(
        keys(
            w.s.award_medal(&w.master, &medal(busy, "再发一次"), T0 + 1)
                .unwrap_err()
        ),
        ["medal.already"]
    );
    assert!(w.s.medal_proposals(MedalKind::WarmNeighbour, day).unwrap()[0].awarded);
    // shown on the member; the year's stories hold the letter and the medal
    let d = w.s.member_detail(busy, T0).unwrap();
    assert_eq!(d.medals.len(), 1);
    let stories = w.s.year_stories(2026).unwrap();
    assert_eq!(stories.letters.len(), 1);
    assert_eq!(stories.medals, [m]);
    let tr = Tr::new(Lang::Zh);
    let what = shiguang::exports::printed::Printable::YearStories { year: 2026 };
    let done = shiguang::exports::printed::print(
        &w.s,
        &tr,
        what,
        shiguang::print::Delivery::Save,
        T0,
        &|_| panic!("save only starts no program"),
    )
    .unwrap();
    let text = std::fs::read_to_string(&done.saved().path).unwrap();
    assert!(
        text.contains("谢谢您陪我去医院") && text.contains("月度暖心邻居"),
        "{text}"
    );
    // the chain vouches for the medal: edited outside the app, verify says so
    let report = w.s.verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let c = rusqlite::Connection::open(&w.db.path).unwrap();
    c.execute_batch("DROP TRIGGER medals_no_update; UPDATE medals SET reason = '改过的理由';")
        .unwrap();
    drop(c);
    let report = store(&w.db.path).verify().unwrap();
    assert!(!report.problems.is_empty(), "an edited medal is found");
}

#[test]
fn the_years_honest_merchant_needs_a_clean_year_and_good_ratings() {
    let mut w = w(1000_00);
    let rich = w.rich.clone();
    // twelve redemptions and five good ratings this year
    for i in 0..12 {
        let at = T0 - 40 * DAY_MS + i as i64 * DAY_MS;
        redeem(&mut w, &format!("y{i}"), rich[i % 4], 1, at).unwrap();
    }
    for (i, stars) in [5u8, 4, 5, 4, 5].into_iter().enumerate() {
        let at = T0 - 5 * DAY_MS + i as i64 * HOUR_MS;
        w.s.rate_merchant(&w.master, w.shop, rich[i % 4], stars, "", at)
            .unwrap();
    }
    // given in December, for this year
    let december = day("2026-12-03");
    let proposed =
        w.s.medal_proposals(MedalKind::HonestMerchant, december)
            .unwrap();
    assert_eq!(
        proposed.iter().map(|p| p.holder.id).collect::<Vec<_>>(),
        [w.shop]
    );
    assert_eq!(proposed[0].period, "2026");
    let award = NewMedal {
        kind: MedalKind::HonestMerchant,
        period: "2026".into(),
        holder_id: w.shop,
        reason: "全年无投诉,价格公道".into(),
    };
    w.s.award_medal(&w.master, &award, T0).unwrap();
    let d = w.s.merchant_detail(w.shop, T0).unwrap();
    assert_eq!(d.medals.len(), 1);
    assert_eq!(d.medals[0].period, "2026");
    // a violation in the year takes it out of the next proposal
    w.s.merchant_violation(&w.master, w.shop, Severity::Minor, "价签不清", T0)
        .unwrap();
    assert!(
        w.s.medal_proposals(MedalKind::HonestMerchant, december)
            .unwrap()
            .is_empty()
    );
    let report = w.s.verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
