//! Disputes (纠纷, docs/rules.md §9) and suggestions (建议): their clocks, the
//! outcomes and what each does to the ledger and to standing.

use super::time::{DAY_MS, HOUR_MS, Stamp};
use crate::msg;
use crate::msg::Refusal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 服务质量
    Quality,
    /// 积分争议
    Points,
    /// 恶意投诉
    Malicious,
    /// 商家
    Merchant,
    /// 安全事件 (a fall, a lost child)
    Safety,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Quality,
        Category::Points,
        Category::Malicious,
        Category::Merchant,
        Category::Safety,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Quality => "quality",
            Category::Points => "points",
            Category::Malicious => "malicious",
            Category::Merchant => "merchant",
            Category::Safety => "safety",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Category::Quality => crate::k!("dispute.cat.quality"),
            Category::Points => crate::k!("dispute.cat.points"),
            Category::Malicious => crate::k!("dispute.cat.malicious"),
            Category::Merchant => crate::k!("dispute.cat.merchant"),
            Category::Safety => crate::k!("dispute.cat.safety"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The provider was late or careless: the service's points go back, a warning.
    ProviderFault,
    /// A malicious complaint: a bad-credit record on the requester.
    RequesterFault,
    /// Cannot tell: the station master mediates, splitting the points.
    Mediated,
    /// A violation of a given severity on one party.
    Violation,
    Dismissed,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::ProviderFault,
        Outcome::RequesterFault,
        Outcome::Mediated,
        Outcome::Violation,
        Outcome::Dismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::ProviderFault => "provider_fault",
            Outcome::RequesterFault => "requester_fault",
            Outcome::Mediated => "mediated",
            Outcome::Violation => "violation",
            Outcome::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::ProviderFault => crate::k!("dispute.outcome.provider_fault"),
            Outcome::RequesterFault => crate::k!("dispute.outcome.requester_fault"),
            Outcome::Mediated => crate::k!("dispute.outcome.mediated"),
            Outcome::Violation => crate::k!("dispute.outcome.violation"),
            Outcome::Dismissed => crate::k!("dispute.outcome.dismissed"),
        }
    }
}

/// The deadlines (settings with docs/rules.md §9 defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Clocks {
    pub contact_hours: u32,
    pub decide_hours: u32,
    pub merchant_decide_hours: u32,
    pub safety_report_hours: u32,
    pub safety_review_days: u32,
    pub suggestion_reply_days: u32,
}

impl Default for Clocks {
    fn default() -> Self {
        Clocks {
            contact_hours: 24,
            decide_hours: 48,
            merchant_decide_hours: 72,
            safety_report_hours: 1,
            safety_review_days: 3,
            suggestion_reply_days: 7,
        }
    }
}

/// What the clocks look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub suggestion: bool,
    pub category: Option<Category>,
    pub opened_at: Stamp,
    /// Both parties contacted (at least one logged contact each).
    pub both_contacted_at: Option<Stamp>,
    pub decided_at: Option<Stamp>,
    pub hq_reported_at: Option<Stamp>,
    pub reviewed_at: Option<Stamp>,
    pub replied_at: Option<Stamp>,
}

/// A deadline and whether it was missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Contact,
    Decide,
    HqReport,
    Review,
    Reply,
}

impl Due {
    pub fn label_key(self) -> &'static str {
        match self {
            Due::Contact => crate::k!("dispute.due.contact"),
            Due::Decide => crate::k!("dispute.due.decide"),
            Due::HqReport => crate::k!("dispute.due.hq"),
            Due::Review => crate::k!("dispute.due.review"),
            Due::Reply => crate::k!("dispute.due.reply"),
        }
    }
}

/// Every deadline of a case with its instant and whether it is met.
pub fn deadlines(p: &Progress, c: &Clocks) -> Vec<(Due, Stamp, Option<Stamp>)> {
    let h = |n: u32| i64::from(n) * HOUR_MS;
    if p.suggestion {
        return vec![(
            Due::Reply,
            p.opened_at + i64::from(c.suggestion_reply_days) * DAY_MS,
            p.replied_at,
        )];
    }
    let decide = if p.category == Some(Category::Merchant) {
        c.merchant_decide_hours
    } else {
        c.decide_hours
    };
    let mut v = vec![
        (
            Due::Contact,
            p.opened_at + h(c.contact_hours),
            p.both_contacted_at,
        ),
        (Due::Decide, p.opened_at + h(decide), p.decided_at),
    ];
    if p.category == Some(Category::Safety) {
        v.insert(
            0,
            (
                Due::HqReport,
                p.opened_at + h(c.safety_report_hours),
                p.hq_reported_at,
            ),
        );
        v.push((
            Due::Review,
            p.opened_at + i64::from(c.safety_review_days) * DAY_MS,
            p.reviewed_at,
        ));
    }
    v
}

/// The deadlines missed at `now` (met late counts as missed too).
pub fn missed(p: &Progress, c: &Clocks, now: Stamp) -> Vec<Due> {
    deadlines(p, c)
        .into_iter()
        .filter(|(_, due, met)| match met {
            Some(at) => *at > *due,
            None => now > *due,
        })
        .map(|(d, ..)| d)
        .collect()
}

/// Still running late: a deadline passed with nothing done yet.
pub fn overdue_now(p: &Progress, c: &Clocks, now: Stamp) -> bool {
    deadlines(p, c)
        .iter()
        .any(|(_, due, met)| met.is_none() && now > *due)
}

/// The next open deadline, if any.
pub fn next_due(p: &Progress, c: &Clocks) -> Option<(Due, Stamp)> {
    deadlines(p, c)
        .into_iter()
        .filter(|(_, _, met)| met.is_none())
        .map(|(d, at, _)| (d, at))
        .min_by_key(|(_, at)| *at)
}

/// Points given back on a mediated split: `pct` % of what is left of the
/// service's transfer, rounded half up.
pub fn split_points(left: i64, pct: u32) -> i64 {
    (left * i64::from(pct) + 50) / 100
}

pub fn parse_split(s: &str) -> Result<u32, Refusal> {
    match s.trim().trim_end_matches('%').parse::<u32>() {
        Ok(p) if p <= 100 => Ok(p),
        _ => Err(Refusal::at("split", msg!("dispute.split_range"))),
    }
}

/// What a penalty takes when the member holds less than it: what there is,
/// and the rest recorded as owed.
pub fn take_what_there_is(balance: i64, due: i64) -> (i64, i64) {
    let taken = due.min(balance.max(0));
    (taken, due - taken)
}

#[cfg(test)]
mod tests {
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

    proptest! {
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
}
