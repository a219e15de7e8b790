//! A merchant's standing month by month (the trust handbook and §12): the
//! cap that holds across its offers, orders paused until a remediation
//! check, how long a violation stays on its record.

use super::violation::Severity;

/// §12 and the agreement ("超市每月限兑1000元"): a merchant's monthly cap
/// holds across all its offers. It is the largest cap its current offers
/// name; an offer naming a lower one stops there too. 0 without offers.
pub fn merchant_cap(offer_caps: impl IntoIterator<Item = i64>) -> i64 {
    offer_caps.into_iter().max().unwrap_or(0)
}

/// What is left this month for one offer, and the cap that binds: the
/// offer's own, or the merchant's across its offers.
pub fn cap_left(
    offer_cap: i64,
    offer_used: i64,
    merchant_cap: i64,
    merchant_used: i64,
) -> (i64, i64) {
    let (offer_left, merchant_left) = (offer_cap - offer_used, merchant_cap - merchant_used);
    if merchant_left < offer_left {
        (merchant_left, merchant_cap)
    } else {
        (offer_left, offer_cap)
    }
}

/// Whether a merchant's orders are paused now: for a moderate violation's
/// days, and beyond them until a remediation check has passed (the trust
/// handbook: 整改合格后恢复权益) — rights come back only after the check.
pub fn orders_paused(
    paused_until: Option<super::time::Stamp>,
    awaiting_check: bool,
    now: super::time::Stamp,
) -> bool {
    awaiting_check || paused_until.is_some_and(|u| u > now)
}

/// Until when a merchant violation stays on the merchant's record: a
/// moderate one three months (失信记录保留3个月); a minor one is only
/// archived, a severe one ends the merchant (neither has an end).
pub fn on_record_until(
    s: Severity,
    at: super::time::Stamp,
    tz: chrono_tz::Tz,
) -> Option<super::time::Stamp> {
    match s {
        Severity::Moderate => Some(super::member::months_after(at, 3, tz)),
        Severity::Minor | Severity::Severe => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merchants_cap_is_the_largest_its_offers_name_and_binds_across_them() {
        assert_eq!(merchant_cap([300_00, 1000_00]), 1000_00);
        assert_eq!(merchant_cap([]), 0);
        // 995 used across the merchant's other offers: 5 yuan left here
        assert_eq!(cap_left(1000_00, 0, 1000_00, 995_00), (5_00, 1000_00));
        // an offer of its own 300 yuan, 300 used on it: none left here
        assert_eq!(cap_left(300_00, 300_00, 1000_00, 400_00), (0, 300_00));
    }

    #[test]
    fn a_paused_merchant_gets_its_rights_back_only_after_the_days_and_the_check() {
        let (at, day) = (1_800_000_000_000, crate::domain::time::DAY_MS);
        let until = Some(at + 3 * day);
        assert!(orders_paused(until, true, at + day));
        assert!(orders_paused(until, false, at + day), "the days first");
        assert!(orders_paused(until, true, at + 4 * day), "then the check");
        assert!(!orders_paused(until, false, at + 4 * day));
        assert!(!orders_paused(None, false, at));
    }

    #[test]
    fn a_moderate_merchant_violation_stays_on_record_three_months() {
        let tz = chrono_tz::Asia::Shanghai;
        let at = 1_795_399_200_000; // 2026-11-23 10:00 in Shanghai
        let until = on_record_until(Severity::Moderate, at, tz).unwrap();
        assert_eq!(
            crate::domain::time::local_day(until, tz).to_string(),
            "2027-02-23"
        );
        assert_eq!(on_record_until(Severity::Minor, at, tz), None);
        assert_eq!(on_record_until(Severity::Severe, at, tz), None);
    }
}
