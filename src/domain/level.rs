//! Member levels (会员等级): ordinary, star, honor — docs/rules.md §4, as pure
//! functions of a member's history. The monthly run on the 1st and the
//! preview both call [`evaluate`]; immediate downgrades call [`downgrade_due`].

use super::time::Stamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Ordinary,
    Star,
    Honor,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ordinary => "ordinary",
            Level::Star => "star",
            Level::Honor => "honor",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "ordinary" => Some(Level::Ordinary),
            "star" => Some(Level::Star),
            "honor" => Some(Level::Honor),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Level::Ordinary => crate::k!("level.ordinary"),
            Level::Star => crate::k!("level.star"),
            Level::Honor => crate::k!("level.honor"),
        }
    }

    /// The longest single service this level may give or receive.
    pub fn max_minutes(self) -> u32 {
        match self {
            Level::Ordinary => 120,
            Level::Star | Level::Honor => 240,
        }
    }

    /// Whether this level may give or receive a service of the given tier.
    pub fn allows(self, tier: Tier) -> bool {
        tier == Tier::Basic || self >= Level::Star
    }
}

/// The two tiers of the service catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 陪聊, 代购, 简单家政 …
    Basic,
    /// 接送儿童, 协助就医, 家电维修 …
    Special,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Basic => "basic",
            Tier::Special => "special",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        match s {
            "basic" => Some(Tier::Basic),
            "special" => Some(Tier::Special),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Tier::Basic => crate::k!("tier.basic"),
            Tier::Special => crate::k!("tier.special"),
        }
    }
}

/// The numbers of the level rules (docs/rules.md §4; settings with these defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LevelRules {
    pub star_minutes: u64,
    pub star_rate: u32,
    pub honor_minutes: u64,
    pub honor_rate: u32,
    pub honor_clean_months: u32,
    pub min_ratings: u32,
    pub downgrade_rate: u32,
    pub downgrade_warnings: u32,
    pub reupgrade_wait_months: u32,
}

impl Default for LevelRules {
    fn default() -> Self {
        LevelRules {
            star_minutes: 50 * 60,
            star_rate: 90,
            honor_minutes: 200 * 60,
            honor_rate: 95,
            honor_clean_months: 12,
            min_ratings: 5,
            downgrade_rate: 80,
            downgrade_warnings: 3,
            reupgrade_wait_months: 3,
        }
    }
}

/// A member's history as of the evaluation instant, computed by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Minutes served as a provider in recorded services.
    pub minutes_served: u64,
    /// Ratings received as a provider, and how many were 4 or 5.
    pub ratings: u32,
    pub positive: u32,
    /// A moderate violation still active (3 months), or a bad-credit record
    /// still blocking upgrades.
    pub upgrade_blocked_by_record: bool,
    /// The newest moderate or severe violation (minor ones are archive only).
    pub last_violation_at: Option<Stamp>,
    /// Instant of `honor_clean_months` before the evaluation.
    pub clean_since: Stamp,
    /// After a downgrade: no upgrade before this instant.
    pub upgrade_blocked_until: Option<Stamp>,
    pub blacklisted: bool,
}

impl History {
    /// Positive rate in whole per cent (rounded down), if any ratings.
    pub fn rate_percent(&self) -> Option<u32> {
        (self.ratings > 0).then(|| self.positive * 100 / self.ratings)
    }

    fn rate_at_least(&self, pct: u32) -> bool {
        self.ratings > 0
            && u64::from(self.positive) * 100 >= u64::from(pct) * u64::from(self.ratings)
    }
}

/// Why a member has the level they have (or could not reach the next).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Approved,
    MetStar { hours_tenths: u64, rate: u32 },
    MetHonor { hours_tenths: u64, rate: u32 },
    FewHours { have_tenths: u64, need_hours: u64 },
    FewRatings { have: u32, need: u32 },
    LowRate { have: u32, need: u32 },
    ActiveRecord,
    RecentViolation,
    Waiting { until: Stamp },
    Blacklisted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub level: Level,
    pub reasons: Vec<Reason>,
}

fn tenths(minutes: u64) -> u64 {
    (minutes * 10 + 30) / 60
}

/// The level a member qualifies for at `at`, given their history.
pub fn evaluate(h: &History, rules: &LevelRules, at: Stamp) -> Decision {
    if h.blacklisted {
        return Decision {
            level: Level::Ordinary,
            reasons: vec![Reason::Blacklisted],
        };
    }
    let rate = h.rate_percent().unwrap_or(0);
    let mut star_blocks = Vec::new();
    if h.minutes_served < rules.star_minutes {
        star_blocks.push(Reason::FewHours {
            have_tenths: tenths(h.minutes_served),
            need_hours: rules.star_minutes / 60,
        });
    }
    if h.ratings < rules.min_ratings {
        star_blocks.push(Reason::FewRatings {
            have: h.ratings,
            need: rules.min_ratings,
        });
    } else if !h.rate_at_least(rules.star_rate) {
        star_blocks.push(Reason::LowRate {
            have: rate,
            need: rules.star_rate,
        });
    }
    if h.upgrade_blocked_by_record {
        star_blocks.push(Reason::ActiveRecord);
    }
    if let Some(until) = h.upgrade_blocked_until.filter(|u| *u > at) {
        star_blocks.push(Reason::Waiting { until });
    }
    if !star_blocks.is_empty() {
        let mut reasons = vec![Reason::Approved];
        reasons.extend(star_blocks);
        return Decision {
            level: Level::Ordinary,
            reasons,
        };
    }
    let mut honor_blocks = Vec::new();
    if h.minutes_served < rules.honor_minutes {
        honor_blocks.push(Reason::FewHours {
            have_tenths: tenths(h.minutes_served),
            need_hours: rules.honor_minutes / 60,
        });
    }
    if !h.rate_at_least(rules.honor_rate) {
        honor_blocks.push(Reason::LowRate {
            have: rate,
            need: rules.honor_rate,
        });
    }
    if h.last_violation_at.is_some_and(|v| v >= h.clean_since) {
        honor_blocks.push(Reason::RecentViolation);
    }
    if honor_blocks.is_empty() {
        Decision {
            level: Level::Honor,
            reasons: vec![Reason::MetHonor {
                hours_tenths: tenths(h.minutes_served),
                rate,
            }],
        }
    } else {
        let mut reasons = vec![Reason::MetStar {
            hours_tenths: tenths(h.minutes_served),
            rate,
        }];
        reasons.extend(honor_blocks);
        Decision {
            level: Level::Star,
            reasons,
        }
    }
}

/// What sends a star or honor member straight to ordinary (not waiting for the 1st).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DowngradeCause {
    LowRate,
    SeriousComplaint,
    Warnings,
}

impl DowngradeCause {
    pub fn as_str(self) -> &'static str {
        match self {
            DowngradeCause::LowRate => "low_rate",
            DowngradeCause::SeriousComplaint => "serious_complaint",
            DowngradeCause::Warnings => "warnings",
        }
    }
}

/// Facts behind an immediate downgrade.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub ratings: u32,
    pub positive: u32,
    /// Verified serious complaints since the member's level was last set.
    pub serious_complaints: u32,
    /// Warnings since the member's level was last set.
    pub warnings: u32,
}

/// An immediate downgrade, if one is due: positive rate below 80 % (once
/// there are enough ratings to judge), one verified serious complaint, or
/// three warnings.
pub fn downgrade_due(level: Level, s: &Standing, rules: &LevelRules) -> Option<DowngradeCause> {
    if level == Level::Ordinary {
        return None;
    }
    if s.serious_complaints >= 1 {
        return Some(DowngradeCause::SeriousComplaint);
    }
    if s.warnings >= rules.downgrade_warnings {
        return Some(DowngradeCause::Warnings);
    }
    if s.ratings >= rules.min_ratings
        && u64::from(s.positive) * 100 < u64::from(rules.downgrade_rate) * u64::from(s.ratings)
    {
        return Some(DowngradeCause::LowRate);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: Stamp = 1_800_000_000_000;

    fn h(minutes: u64, ratings: u32, positive: u32) -> History {
        History {
            minutes_served: minutes,
            ratings,
            positive,
            clean_since: AT - 365 * 86_400_000,
            ..History::default()
        }
    }

    fn level(h: &History) -> Level {
        evaluate(h, &LevelRules::default(), AT).level
    }

    #[test]
    fn fifty_hours_is_the_star_boundary() {
        assert_eq!(level(&h(2999, 10, 10)), Level::Ordinary); // 49.98 h
        assert_eq!(level(&h(3000, 10, 10)), Level::Star); // 50 h
    }

    #[test]
    fn ninety_percent_is_the_star_boundary() {
        // 89.9 %: 899 of 1000
        assert_eq!(level(&h(3000, 1000, 899)), Level::Ordinary);
        assert_eq!(level(&h(3000, 1000, 900)), Level::Star);
    }

    #[test]
    fn five_ratings_are_needed() {
        assert_eq!(level(&h(6000, 4, 4)), Level::Ordinary);
        assert_eq!(level(&h(6000, 5, 5)), Level::Star);
        let d = evaluate(&h(6000, 4, 4), &LevelRules::default(), AT);
        assert!(d.reasons.contains(&Reason::FewRatings { have: 4, need: 5 }));
    }

    #[test]
    fn honor_needs_200_hours_95_percent_and_a_clean_year() {
        assert_eq!(level(&h(12_000, 100, 95)), Level::Honor);
        assert_eq!(level(&h(11_999, 100, 95)), Level::Star);
        assert_eq!(level(&h(12_000, 100, 94)), Level::Star);
        let mut x = h(12_000, 100, 100);
        x.last_violation_at = Some(x.clean_since);
        assert_eq!(level(&x), Level::Star);
        x.last_violation_at = Some(x.clean_since - 1);
        assert_eq!(level(&x), Level::Honor);
    }

    #[test]
    fn active_records_and_the_wait_block_upgrades() {
        let mut x = h(12_000, 100, 100);
        x.upgrade_blocked_by_record = true;
        assert_eq!(level(&x), Level::Ordinary);
        let mut y = h(12_000, 100, 100);
        y.upgrade_blocked_until = Some(AT + 1);
        assert_eq!(level(&y), Level::Ordinary);
        y.upgrade_blocked_until = Some(AT);
        assert_eq!(level(&y), Level::Honor);
    }

    #[test]
    fn blacklisted_members_are_ordinary() {
        let mut x = h(12_000, 100, 100);
        x.blacklisted = true;
        assert_eq!(
            evaluate(&x, &LevelRules::default(), AT).reasons,
            vec![Reason::Blacklisted]
        );
    }

    #[test]
    fn immediate_downgrades() {
        let r = LevelRules::default();
        let s = |ratings, positive, serious, warnings| Standing {
            ratings,
            positive,
            serious_complaints: serious,
            warnings,
        };
        assert_eq!(downgrade_due(Level::Star, &s(10, 8, 0, 0), &r), None); // 80 % is not below 80 %
        assert_eq!(
            downgrade_due(Level::Star, &s(10, 7, 0, 0), &r),
            Some(DowngradeCause::LowRate)
        );
        assert_eq!(downgrade_due(Level::Star, &s(4, 0, 0, 0), &r), None); // too few to judge
        assert_eq!(
            downgrade_due(Level::Honor, &s(10, 10, 1, 0), &r),
            Some(DowngradeCause::SeriousComplaint)
        );
        assert_eq!(downgrade_due(Level::Star, &s(10, 10, 0, 2), &r), None);
        assert_eq!(
            downgrade_due(Level::Star, &s(10, 10, 0, 3), &r),
            Some(DowngradeCause::Warnings)
        );
        assert_eq!(downgrade_due(Level::Ordinary, &s(10, 0, 1, 3), &r), None);
    }

    #[test]
    fn levels_gate_tiers_and_durations() {
        assert!(Level::Ordinary.allows(Tier::Basic));
        assert!(!Level::Ordinary.allows(Tier::Special));
        assert!(Level::Star.allows(Tier::Special));
        assert_eq!(Level::Ordinary.max_minutes(), 120);
        assert_eq!(Level::Honor.max_minutes(), 240);
    }
}
