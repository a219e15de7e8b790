//! Complaints against a merchant, serious complaints and the over-reported part: issue 16's dispute rules.

use super::*;

/// A shop with 1000 yuan of deposit paid in.
fn shop(w: &mut W) -> i64 {
    let m = shop_input("惠民超市", "01");
    let id =
        w.s.save_merchant(&w.master, None, &m, T0 - 60 * DAY_MS)
            .unwrap()
            .id;
    w.s.merchant_deposit(&w.master, id, false, 1000_00, "保证金", T0 - 60 * DAY_MS)
        .unwrap();
    id
}

/// The refusal `by` gets deciding case `d` at T0.
fn refused(s: &mut Store, by: &Session, d: i64, decision: &Decision) -> &'static str {
    key(s.decide_dispute(by, d, decision, T0).unwrap_err())
}

/// 李奶奶's complaint against the shop.
fn complaint(w: &mut W, shop: i64) -> Result<i64, StoreError> {
    let d = NewDispute {
        suggestion: false,
        channel: Channel::Desk,
        category: Some(Category::Merchant),
        party_a: Some(w.elder),
        party_b: None,
        record_id: None,
        subject: "会员价高于进货价 5% 以上".into(),
        reported_by: "本人".into(),
        merchant: Some(shop),
    };
    w.s.open_dispute(&w.liaison, &d, T0).map(|d| d.id)
}

#[test]
fn a_complaint_against_a_merchant_takes_the_merchant_outcomes_and_the_third_ends_it() {
    let mut w = w();
    let shop = shop(&mut w);
    // the other party is a member or the merchant, not both
    let both = NewDispute {
        party_b: Some(w.helper),
        ..NewDispute {
            suggestion: false,
            channel: Channel::Desk,
            category: Some(Category::Merchant),
            party_a: Some(w.elder),
            party_b: None,
            record_id: None,
            subject: "x".into(),
            reported_by: "本人".into(),
            merchant: Some(shop),
        }
    };
    assert_eq!(
        key(w.s.open_dispute(&w.liaison, &both, T0).unwrap_err()),
        "dispute.merchant_or_member"
    );
    let d1 = complaint(&mut w, shop).unwrap();
    let case = w.s.dispute(d1).unwrap();
    assert_eq!(
        case.merchant.as_ref().map(|m| m.1.as_str()),
        Some("惠民超市")
    );
    // merchant cases have 72 hours to be decided
    let due = shiguang::domain::dispute::deadlines(&case.progress(), &Default::default());
    assert_eq!(due[1].1, T0 + 72 * HOUR_MS);
    assert_eq!(
        refused(&mut w.s, &w.master, d1, &decide(Outcome::ProviderFault)),
        "dispute.outcome_for_members"
    );
    let suspend = Decision {
        pause_days: Some(3),
        ..decide(Outcome::MerchantSuspension)
    };
    assert_eq!(
        refused(&mut w.s, &w.liaison, d1, &suspend),
        "dispute.master_only_outcome"
    );
    w.s.decide_dispute(&w.liaison, d1, &decide(Outcome::MerchantWarning), T0)
        .unwrap();
    let d2 = complaint(&mut w, shop).unwrap();
    w.s.decide_dispute(&w.master, d2, &suspend, T0).unwrap();
    let m = w.s.merchant_detail(shop, T0).unwrap().merchant;
    assert_eq!(m.paused_until, Some(T0 + 3 * DAY_MS));
    assert_eq!(w.s.merchant_complaints(shop).unwrap(), 2);
    // a member case cannot take a merchant's outcome
    let rec = service(&mut w, "r", 5);
    let member_case = open(&mut w, Some(rec), Category::Quality);
    assert_eq!(
        refused(
            &mut w.s,
            &w.master,
            member_case,
            &decide(Outcome::MerchantWarning)
        ),
        "dispute.outcome_for_merchants"
    );
    // the third verified complaint ends the merchant: the station master's
    let d3 = complaint(&mut w, shop).unwrap();
    assert_eq!(
        refused(&mut w.s, &w.liaison, d3, &decide(Outcome::MerchantWarning)),
        "dispute.merchant_end_master"
    );
    let deduct = Decision {
        deposit_fen: Some(200_00),
        ..decide(Outcome::MerchantDeposit)
    };
    w.s.decide_dispute(&w.master, d3, &deduct, T0).unwrap();
    let m = w.s.merchant_detail(shop, T0).unwrap();
    assert_eq!(m.merchant.status, shiguang::domain::merchant::Status::Ended);
    assert_eq!(
        m.merchant.deposit_fen, 0,
        "200 deducted, the rest to the member dividend pool"
    );
    assert_eq!(w.s.merchant_complaints(shop).unwrap(), 3);
    // an ended merchant is complained about no more
    assert_eq!(
        key(complaint(&mut w, shop).unwrap_err()),
        "merchant.ended_for_good"
    );
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn a_verified_serious_complaint_downgrades_a_star_at_once() {
    let mut w = w();
    star_since_yesterday(&w);
    let rec = service(&mut w, "r", 5);
    let d = open(&mut w, Some(rec), Category::Quality);
    assert_eq!(
        key(w
            .s
            .mark_serious(&w.master, d, "多次投诉核实", T0)
            .unwrap_err()),
        "dispute.not_decided"
    );
    w.s.decide_dispute(&w.liaison, d, &decide(Outcome::ProviderFault), T0)
        .unwrap();
    assert_eq!(
        w.s.member(w.helper).unwrap().level,
        Level::Star,
        "one warning is not three"
    );
    assert_eq!(
        key(w.s.mark_serious(&w.liaison, d, "核实", T0).unwrap_err()),
        "staff.master_only"
    );
    assert_eq!(
        key(w.s.mark_serious(&w.master, d, " ", T0).unwrap_err()),
        "dispute.reason_required"
    );
    let row =
        w.s.mark_serious(&w.master, d, "服务中与老人争吵,经核实", T0 + 1)
            .unwrap();
    assert!(row.serious);
    let m = w.s.member(w.helper).unwrap();
    assert_eq!(m.level, Level::Ordinary, "downgraded at once");
    assert_eq!(w.s.warnings_count(w.helper).unwrap(), (1, 1));
    assert_eq!(
        key(w.s.mark_serious(&w.master, d, "核实", T0 + 2).unwrap_err()),
        "dispute.serious_already"
    );
    let rec = service(&mut w, "r2", 8);
    let other = open(&mut w, Some(rec), Category::Malicious);
    w.s.decide_dispute(&w.liaison, other, &decide(Outcome::RequesterFault), T0)
        .unwrap();
    assert_eq!(
        key(w.s.mark_serious(&w.master, other, "核实", T0).unwrap_err()),
        "dispute.serious_provider_only"
    );
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn double_deduction_is_twice_the_over_reported_part_and_what_is_owed_comes_from_the_next_earnings()
{
    let mut w = w();
    let rec = service(&mut w, "r", 5); // 90 minutes, 30 points
    let d = open(&mut w, Some(rec), Category::Points);
    let v = |over: Option<u32>, target: &str| Decision {
        severity: Some("moderate".into()),
        target: Some(target.into()),
        over_minutes: over,
        ..decide(Outcome::Violation)
    };
    let refused =
        |w: &mut W, dec: Decision| key(w.s.decide_dispute(&w.master, d, &dec, T0).unwrap_err());
    assert_eq!(refused(&mut w, v(None, "b")), "dispute.over_required");
    assert_eq!(
        refused(&mut w, v(Some(91), "b")),
        "dispute.over_more_than_record"
    );
    assert_eq!(
        refused(&mut w, v(Some(30), "a")),
        "dispute.over_not_provider"
    );
    // 60 of the 90 minutes made up: 20 points, twice is 40; 30 there, 10 owed
    w.s.decide_dispute(&w.master, d, &v(Some(60), "b"), T0)
        .unwrap();
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 0);
    assert_eq!(w.s.owed_by(w.helper).unwrap(), 10);
    assert_eq!(w.s.statement_view(w.helper, None).unwrap().owed, 10);
    assert_eq!(w.s.level_view(w.helper, T0).unwrap().owed, 10);
    assert!(
        w.s.level_preview(T0, false)
            .unwrap()
            .iter()
            .any(|l| l.member_id == w.helper && l.owed == 10)
    );
    // the next earnings (20 points) pay the 10 back, with a ledger line
    let end = T0 + DAY_MS;
    let earn = earning(&w, end);
    w.s.post_record(&w.master, &earn, end + 1).unwrap();
    assert_eq!(w.s.balance_of_member(w.helper).unwrap(), 10);
    let st = w.s.statement_view(w.helper, None).unwrap();
    assert_eq!(st.owed, 0);
    assert_eq!(
        (st.lines[0].delta, st.lines[0].memo.as_deref()),
        (-10, Some(shiguang::store::owed::OWED_MEMO)),
        "the take-back is on the statement"
    );
    assert_eq!(count(&w.db.path, "SELECT sum(amount) FROM owed_taken"), 10);
    assert!(w.s.verify().unwrap().problems.is_empty());
    // the take-back is covered: an edit from outside the app is found
    rusqlite::Connection::open(&w.db.path)
        .unwrap()
        .execute("UPDATE owed_taken SET amount = 1", [])
        .unwrap();
    let problems = w.s.verify().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("owed_taken")),
        "{problems:?}"
    );
}
