//! Medals (the trust handbook's 月度暖心邻居 and 年度诚信商家): proposed
//! from the figures by the rules here, awarded by the station master. The
//! proposal only names who qualifies and in what order; the award is a
//! person's decision, with a reason, once per kind, period and holder.

use super::merchant::{self, Grade, GradeLines};
use super::trust::BASE;
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MedalKind {
    /// 月度暖心邻居: a member, for a month.
    WarmNeighbour,
    /// 年度诚信商家: a merchant, for a year.
    HonestMerchant,
}

impl MedalKind {
    pub const ALL: [MedalKind; 2] = [MedalKind::WarmNeighbour, MedalKind::HonestMerchant];

    pub fn as_str(self) -> &'static str {
        match self {
            MedalKind::WarmNeighbour => "warm_neighbour",
            MedalKind::HonestMerchant => "honest_merchant",
        }
    }

    pub fn parse(s: &str) -> Option<MedalKind> {
        MedalKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            MedalKind::WarmNeighbour => crate::k!("medal.kind.warm_neighbour"),
            MedalKind::HonestMerchant => crate::k!("medal.kind.honest_merchant"),
        }
    }

    /// The period a medal given on `day` is for: the month before for the
    /// monthly medal, the year before for the annual one (given in its
    /// first weeks) — or this year's from December on, when the station
    /// gives it at the year's end.
    pub fn period(self, day: NaiveDate) -> String {
        match self {
            MedalKind::WarmNeighbour => super::time::prev_month(day).format("%Y-%m").to_string(),
            MedalKind::HonestMerchant if day.month() == 12 => day.year().to_string(),
            MedalKind::HonestMerchant => (day.year() - 1).to_string(),
        }
    }

    /// How many the station proposes for one period.
    pub fn proposed(self) -> usize {
        match self {
            MedalKind::WarmNeighbour => 3,
            MedalKind::HonestMerchant => 2,
        }
    }
}

/// A member's figures for one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NeighbourFigures {
    pub member_id: i64,
    pub trust_score: i64,
    /// Services given in the month, and their minutes.
    pub services: u32,
    pub minutes: u32,
    /// The month's ratings of those services: how many, and their stars.
    pub ratings: u32,
    pub rating_sum: u32,
    pub thank_yous: u32,
    /// Warnings and violations recorded in the month.
    pub violations: u32,
    pub blacklisted: bool,
}

/// A merchant's figures for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MerchantFigures {
    pub merchant_id: i64,
    pub redemptions: u32,
    pub ratings: u32,
    pub rating_sum: u32,
    /// Violations recorded in the year, complaints decided against it,
    /// price checks over the 5 % rule.
    pub violations: u32,
    pub complaints: u32,
    pub price_flags: u32,
    pub ended: bool,
}

/// The fewest services in a month for a warm neighbour.
pub const NEIGHBOUR_MIN_SERVICES: u32 = 3;
/// Their lowest average rating (×100): 4.5 stars.
pub const NEIGHBOUR_MIN_AVERAGE: u32 = 450;
/// The fewest redemptions in a year for an honest merchant.
pub const MERCHANT_MIN_REDEMPTIONS: u32 = 12;

/// Why a member is not proposed (the first rule failed), or none.
pub fn neighbour_blocked(f: &NeighbourFigures) -> Option<&'static str> {
    if f.blacklisted {
        Some(crate::k!("medal.why.blacklisted"))
    } else if f.violations > 0 {
        Some(crate::k!("medal.why.violation"))
    } else if f.trust_score < BASE {
        Some(crate::k!("medal.why.trust"))
    } else if f.services < NEIGHBOUR_MIN_SERVICES {
        Some(crate::k!("medal.why.few_services"))
    } else if merchant::average_x100(f.rating_sum, f.ratings)
        .is_none_or(|a| a < NEIGHBOUR_MIN_AVERAGE)
    {
        Some(crate::k!("medal.why.ratings"))
    } else {
        None
    }
}

/// 月度暖心邻居: members with no violation that month, a trust score not
/// below its base, at least 3 services given and rated 4.5 on average;
/// most services first, then most minutes, the better average, more
/// thank-you letters, the higher trust score, the lower id. At most
/// [`MedalKind::proposed`].
pub fn propose_neighbours(figures: &[NeighbourFigures]) -> Vec<NeighbourFigures> {
    let mut ok: Vec<NeighbourFigures> = figures
        .iter()
        .filter(|f| neighbour_blocked(f).is_none())
        .copied()
        .collect();
    ok.sort_by(|a, b| {
        b.services
            .cmp(&a.services)
            .then(b.minutes.cmp(&a.minutes))
            .then(avg(b.rating_sum, b.ratings).cmp(&avg(a.rating_sum, a.ratings)))
            .then(b.thank_yous.cmp(&a.thank_yous))
            .then(b.trust_score.cmp(&a.trust_score))
            .then(a.member_id.cmp(&b.member_id))
    });
    ok.truncate(MedalKind::WarmNeighbour.proposed());
    ok
}

/// Why a merchant is not proposed (the first rule failed), or none.
pub fn merchant_blocked(f: &MerchantFigures, lines: &GradeLines) -> Option<&'static str> {
    if f.ended {
        Some(crate::k!("medal.why.ended"))
    } else if f.violations > 0 || f.complaints > 0 || f.price_flags > 0 {
        Some(crate::k!("medal.why.violation"))
    } else if f.redemptions < MERCHANT_MIN_REDEMPTIONS {
        Some(crate::k!("medal.why.few_redemptions"))
    } else if !matches!(
        merchant::grade(f.rating_sum, f.ratings, lines),
        Grade::Silver | Grade::Gold
    ) {
        Some(crate::k!("medal.why.ratings"))
    } else {
        None
    }
}

/// 年度诚信商家: merchants still in the scheme with a clean year (no
/// violation, no complaint decided against them, no price over the 5 %
/// rule), members served at least 12 times, and rated silver or gold on
/// the year's ratings; the better average first, then more ratings, more
/// redemptions, the lower id.
pub fn propose_merchants(figures: &[MerchantFigures], lines: &GradeLines) -> Vec<MerchantFigures> {
    let mut ok: Vec<MerchantFigures> = figures
        .iter()
        .filter(|f| merchant_blocked(f, lines).is_none())
        .copied()
        .collect();
    ok.sort_by(|a, b| {
        avg(b.rating_sum, b.ratings)
            .cmp(&avg(a.rating_sum, a.ratings))
            .then(b.ratings.cmp(&a.ratings))
            .then(b.redemptions.cmp(&a.redemptions))
            .then(a.merchant_id.cmp(&b.merchant_id))
    });
    ok.truncate(MedalKind::HonestMerchant.proposed());
    ok
}

fn avg(sum: u32, n: u32) -> u32 {
    merchant::average_x100(sum, n).unwrap_or(0)
}

/// The longest reason: one line of the notice board.
pub const REASON_MAX: usize = 60;

/// The reason the station master gives for an award: said in words, not
/// too long for the notice board.
pub fn check_reason(reason: &str) -> Result<String, &'static str> {
    let r = reason.trim();
    if r.is_empty() {
        Err(crate::k!("medal.reason_required"))
    } else if r.chars().count() > REASON_MAX {
        Err(crate::k!("medal.reason_long"))
    } else {
        Ok(r.to_string())
    }
}

#[cfg(test)]
mod tests;
