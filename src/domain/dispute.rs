//! Disputes (纠纷, docs/rules.md §9) and suggestions (建议): their clocks, the
//! outcomes and what each does to the ledger and to standing.

use super::merchant;
use super::time::{DAY_MS, HOUR_MS, Stamp};
use super::units::{Minutes, points_for};
use super::violation::Severity;
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
    /// A merchant case: a warning, to be put right within a day.
    MerchantWarning,
    /// A merchant case: orders paused for some days.
    MerchantSuspension,
    /// A merchant case: yuan taken from the merchant's deposit.
    MerchantDeposit,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::ProviderFault,
        Outcome::RequesterFault,
        Outcome::Mediated,
        Outcome::Violation,
        Outcome::Dismissed,
        Outcome::MerchantWarning,
        Outcome::MerchantSuspension,
        Outcome::MerchantDeposit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::ProviderFault => "provider_fault",
            Outcome::RequesterFault => "requester_fault",
            Outcome::Mediated => "mediated",
            Outcome::Violation => "violation",
            Outcome::Dismissed => "dismissed",
            Outcome::MerchantWarning => "merchant_warning",
            Outcome::MerchantSuspension => "merchant_suspension",
            Outcome::MerchantDeposit => "merchant_deposit",
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
            Outcome::MerchantWarning => crate::k!("dispute.outcome.merchant_warning"),
            Outcome::MerchantSuspension => crate::k!("dispute.outcome.merchant_suspension"),
            Outcome::MerchantDeposit => crate::k!("dispute.outcome.merchant_deposit"),
        }
    }

    /// A merchant's outcome (a verified complaint against the merchant).
    pub fn is_merchant(self) -> bool {
        matches!(
            self,
            Outcome::MerchantWarning | Outcome::MerchantSuspension | Outcome::MerchantDeposit
        )
    }

    /// The outcomes a case may take: a merchant case the merchant's, a
    /// case between members the members'; either may be dismissed.
    pub fn choices(merchant_case: bool) -> Vec<Outcome> {
        let mut v: Vec<Outcome> = Outcome::ALL
            .into_iter()
            .filter(|o| *o != Outcome::Dismissed && o.is_merchant() == merchant_case)
            .collect();
        v.push(Outcome::Dismissed);
        v
    }

    /// Whether this outcome fits the case (refused at the outcome if not).
    pub fn check_fits(self, merchant_case: bool) -> Result<(), Refusal> {
        if self == Outcome::Dismissed || self.is_merchant() == merchant_case {
            Ok(())
        } else if merchant_case {
            Err(Refusal::at("outcome", msg!("dispute.outcome_for_members")))
        } else {
            Err(Refusal::at(
                "outcome",
                msg!("dispute.outcome_for_merchants"),
            ))
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

/// How many verified complaints end a merchant (清退, the trust handbook).
pub const MERCHANT_COMPLAINTS_END: u32 = 3;

/// What a verified complaint does to a merchant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MerchantPenalty {
    /// As it goes on the merchant's violation record.
    pub severity: Severity,
    pub effects: merchant::Effects,
    /// Verified complaints against the merchant, this one included.
    pub verified: u32,
}

/// A merchant outcome's effects: a warning is put right within a day; a
/// suspension pauses orders for `pause_days`; a deposit deduction takes
/// `deposit_fen`. The complaint that makes [`MERCHANT_COMPLAINTS_END`]
/// verified ones ends the merchant besides. `None` for a member's outcome.
pub fn merchant_penalty(
    o: Outcome,
    pause_days: u32,
    deposit_fen: i64,
    verified_before: u32,
) -> Option<MerchantPenalty> {
    let none = merchant::Effects {
        fix_hours: None,
        pause_days: None,
        deposit_fen: 0,
        ends: false,
    };
    let (severity, effects) = match o {
        Outcome::MerchantWarning => (
            Severity::Minor,
            merchant::Effects {
                fix_hours: Some(24),
                ..none
            },
        ),
        Outcome::MerchantSuspension => (
            Severity::Moderate,
            merchant::Effects {
                pause_days: Some(pause_days),
                ..none
            },
        ),
        Outcome::MerchantDeposit => (
            Severity::Moderate,
            merchant::Effects {
                deposit_fen: deposit_fen.max(0),
                ..none
            },
        ),
        Outcome::ProviderFault
        | Outcome::RequesterFault
        | Outcome::Mediated
        | Outcome::Violation
        | Outcome::Dismissed => return None,
    };
    let verified = verified_before.saturating_add(1);
    Some(MerchantPenalty {
        severity,
        effects: merchant::Effects {
            ends: verified >= MERCHANT_COMPLAINTS_END,
            ..effects
        },
        verified,
    })
}

/// Days a suspension pauses a merchant's orders: 1 to 90.
pub fn parse_pause_days(s: &str) -> Result<u32, Refusal> {
    match s.trim().parse::<u32>() {
        Ok(d) if (1..=90).contains(&d) => Ok(d),
        _ => Err(Refusal::at("pause_days", msg!("dispute.pause_days_range"))),
    }
}

/// Yuan taken from a merchant's deposit, in fen: more than nothing.
pub fn parse_deposit(s: &str) -> Result<i64, Refusal> {
    match merchant::parse_yuan(s) {
        Some(fen) if fen > 0 => Ok(fen),
        _ => Err(Refusal::at("deposit", msg!("dispute.deposit_invalid"))),
    }
}

/// Minutes of a service reported falsely, as typed: a whole number, 0 or more.
pub fn parse_over_minutes(s: &str) -> Result<u32, Refusal> {
    match s.trim().parse::<u32>() {
        Ok(m) if m <= 24 * 60 => Ok(m),
        _ => Err(Refusal::at(
            "over_minutes",
            msg!("dispute.over_minutes_invalid"),
        )),
    }
}

/// Falsely reported time is deducted double: twice the points of the
/// over-reported minutes (never more minutes than the record has).
pub fn double_deduction(
    over: u32,
    record_minutes: u32,
    points_per_hour: u32,
) -> Result<i64, Refusal> {
    if over > record_minutes {
        return Err(Refusal::at(
            "over_minutes",
            msg!("dispute.over_more_than_record", minutes = record_minutes),
        ));
    }
    Ok(2 * points_for(Minutes(over), points_per_hour).0)
}

/// Whether a decided case may be marked a verified serious complaint: only
/// a provider found at fault, and only once.
pub fn check_serious(outcome: Option<Outcome>, already: bool) -> Result<(), Refusal> {
    match outcome {
        None => Err(Refusal::general(msg!("dispute.not_decided"))),
        Some(Outcome::ProviderFault) if already => {
            Err(Refusal::general(msg!("dispute.serious_already")))
        }
        Some(Outcome::ProviderFault) => Ok(()),
        Some(_) => Err(Refusal::general(msg!("dispute.serious_provider_only"))),
    }
}

/// What a member's new earnings pay back of what they owe: all of it if
/// the earnings cover it, else the earnings.
pub fn owed_to_take(outstanding: i64, earned: i64) -> i64 {
    outstanding.max(0).min(earned.max(0))
}

/// How a party was reached (the codes the contact form saves), as its
/// catalog key: the form, the timeline and the printed form say it alike.
pub fn contact_how_key(h: &str) -> &'static str {
    match h {
        "phone" => crate::k!("dispute.how.phone"),
        "visit" => crate::k!("dispute.how.visit"),
        "desk" => crate::k!("dispute.how.desk"),
        _ => crate::k!("dispute.how.app"),
    }
}

#[cfg(test)]
mod tests;
