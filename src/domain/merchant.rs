//! Merchants (docs/rules.md §12, the seed's part three): redemptions within the
//! monthly cap, price honesty, ratings and levels, violations, and the
//! monthly settlement — as pure functions of plain facts.

use super::level::Level;
pub use super::merchant_standing::{cap_left, merchant_cap, on_record_until, orders_paused};
use super::violation::Severity;
use crate::msg;
use crate::msg::Refusal;
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Supermarket,
    Restaurant,
    Barber,
    Pharmacy,
    Housekeeping,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Supermarket,
        Kind::Restaurant,
        Kind::Barber,
        Kind::Pharmacy,
        Kind::Housekeeping,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Supermarket => "supermarket",
            Kind::Restaurant => "restaurant",
            Kind::Barber => "barber",
            Kind::Pharmacy => "pharmacy",
            Kind::Housekeeping => "housekeeping",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Supermarket => crate::k!("merchant.kind.supermarket"),
            Kind::Restaurant => crate::k!("merchant.kind.restaurant"),
            Kind::Barber => crate::k!("merchant.kind.barber"),
            Kind::Pharmacy => crate::k!("merchant.kind.pharmacy"),
            Kind::Housekeeping => crate::k!("merchant.kind.housekeeping"),
            Kind::Other => crate::k!("merchant.kind.other"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Active,
    Paused,
    Ended,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Active, Status::Paused, Status::Ended];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Status::Active => crate::k!("merchant.status.active"),
            Status::Paused => crate::k!("merchant.status.paused"),
            Status::Ended => crate::k!("merchant.status.ended"),
        }
    }
}

/// Yuan as typed (`12`, `12.5`, `¥12.50`, full-width digits) → fen.
/// More than two decimals, negatives and zero are refused.
pub fn parse_yuan(s: &str) -> Option<i64> {
    let t: String = s
        .trim()
        .trim_start_matches(['¥', '￥'])
        .trim_end_matches('元')
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            c => c,
        })
        .collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() && frac.is_empty()
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 9
    {
        return None;
    }
    let yuan: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fen: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(yuan * 100 + fen).filter(|f| *f > 0)
}

/// Fen as yuan for people: `12.50`, `5` (whole yuan without decimals).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let f = fen.unsigned_abs();
    if f.is_multiple_of(100) {
        format!("{sign}{}", f / 100)
    } else {
        format!("{sign}{}.{:02}", f / 100, f % 100)
    }
}

/// An offer as the redemption rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub points: i64,
    pub value_fen: i64,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub monthly_cap_fen: i64,
    pub withdrawn: bool,
}

/// A merchant as the redemption rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merchant {
    pub status: Status,
    /// Orders are paused (a moderate violation) until then.
    pub paused: bool,
    pub community: String,
    /// The merchant's monthly cap across all its offers (see [`merchant_cap`]).
    pub month_cap_fen: i64,
    /// Used of it this month, all offers together.
    pub month_used_fen: i64,
}

/// The member redeeming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redeemer {
    pub approved: bool,
    pub level: Level,
    pub community: String,
    /// Frozen by hand, or redemption frozen for a week (moderate violation).
    pub frozen: bool,
    pub blacklisted: bool,
    pub balance: i64,
}

/// What a redemption costs and is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub points: i64,
    pub value_fen: i64,
}

/// May `count` of `offer` be redeemed on `day`, with `used_fen` of the
/// merchant's cap already used this month? Every reason, at its field.
pub fn check_redemption(
    offer: &Offer,
    merchant: &Merchant,
    member: &Redeemer,
    count: u32,
    used_fen: i64,
    day: NaiveDate,
) -> Result<Cost, Vec<Refusal>> {
    let mut errs = Vec::new();
    if count == 0 || count > 99 {
        errs.push(Refusal::at("count", msg!("redeem.count_range")));
    }
    let count = i64::from(count.clamp(1, 99));
    let cost = Cost {
        points: offer.points * count,
        value_fen: offer.value_fen * count,
    };
    match merchant.status {
        Status::Ended => errs.push(Refusal::at("merchant", msg!("redeem.merchant_ended"))),
        Status::Paused => errs.push(Refusal::at("merchant", msg!("redeem.merchant_paused"))),
        Status::Active if merchant.paused => {
            errs.push(Refusal::at("merchant", msg!("redeem.merchant_paused")))
        }
        Status::Active => {}
    }
    if offer.withdrawn || day < offer.valid_from || day > offer.valid_to {
        errs.push(Refusal::at(
            "offer",
            msg!(
                "redeem.offer_expired",
                from = offer.valid_from,
                to = offer.valid_to
            ),
        ));
    }
    let (left, cap) = cap_left(
        offer.monthly_cap_fen,
        used_fen,
        merchant.month_cap_fen,
        merchant.month_used_fen,
    );
    if cost.value_fen > left {
        errs.push(Refusal::at(
            "count",
            msg!("redeem.over_cap", left = yuan(left.max(0)), cap = yuan(cap)),
        ));
    }
    if !member.approved {
        errs.push(Refusal::at("member", msg!("redeem.not_member")));
    } else if member.blacklisted {
        errs.push(Refusal::at("member", msg!("ledger.payer_blacklisted")));
    } else if member.frozen {
        errs.push(Refusal::at("member", msg!("ledger.payer_frozen")));
    } else if member.level == Level::Ordinary && member.community != merchant.community {
        errs.push(Refusal::at("member", msg!("redeem.other_community")));
    } else if member.balance < cost.points {
        errs.push(Refusal::at(
            "member",
            msg!("ledger.short", have = member.balance, need = cost.points),
        ));
    }
    if errs.is_empty() { Ok(cost) } else { Err(errs) }
}

/// The trust handbook: the member price may be at most the purchase price
/// plus 5 %.
pub fn over_price_rule(purchase_fen: i64, member_fen: i64) -> bool {
    member_fen * 100 > purchase_fen * 105
}

/// A merchant's standing from members' ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    /// Fewer ratings than the setting asks for.
    Unrated,
    /// Average below the watch line: a talk with the merchant is due.
    Watch,
    Ordinary,
    Silver,
    Gold,
}

impl Grade {
    pub fn label_key(self) -> &'static str {
        match self {
            Grade::Unrated => crate::k!("merchant.grade.unrated"),
            Grade::Watch => crate::k!("merchant.grade.watch"),
            Grade::Ordinary => crate::k!("merchant.grade.ordinary"),
            Grade::Silver => crate::k!("merchant.grade.silver"),
            Grade::Gold => crate::k!("merchant.grade.gold"),
        }
    }
}

/// Where the grades begin (settings): averages ×100, and how many ratings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct GradeLines {
    pub min_ratings: u32,
    pub gold: u32,
    pub silver: u32,
    pub watch_below: u32,
}

impl Default for GradeLines {
    fn default() -> Self {
        GradeLines {
            min_ratings: 5,
            gold: 450,
            silver: 400,
            watch_below: 300,
        }
    }
}

/// The average ×100 (rounded half up) of `count` ratings summing to `sum`.
pub fn average_x100(sum: u32, count: u32) -> Option<u32> {
    (count > 0).then(|| (sum * 200 + count) / (2 * count))
}

pub fn grade(sum: u32, count: u32, lines: &GradeLines) -> Grade {
    match average_x100(sum, count) {
        _ if count < lines.min_ratings => Grade::Unrated,
        Some(a) if a >= lines.gold => Grade::Gold,
        Some(a) if a >= lines.silver => Grade::Silver,
        Some(a) if a < lines.watch_below => Grade::Watch,
        _ => Grade::Ordinary,
    }
}

/// "4.35" from an average ×100.
pub fn stars(avg_x100: u32) -> String {
    format!("{}.{:02}", avg_x100 / 100, avg_x100 % 100)
}

/// What a merchant violation does (the trust handbook's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effects {
    /// Minor: fixed within this many hours, else it stays open.
    pub fix_hours: Option<u32>,
    /// Moderate: orders paused for this many days.
    pub pause_days: Option<u32>,
    /// Moderate: taken from the deposit.
    pub deposit_fen: i64,
    /// Severe: the merchant is ended and the whole deposit goes to the
    /// member dividend pool.
    pub ends: bool,
}

pub fn effects(s: Severity) -> Effects {
    match s {
        Severity::Minor => Effects {
            fix_hours: Some(24),
            pause_days: None,
            deposit_fen: 0,
            ends: false,
        },
        Severity::Moderate => Effects {
            fix_hours: None,
            pause_days: Some(3),
            deposit_fen: 200_00,
            ends: false,
        },
        Severity::Severe => Effects {
            fix_hours: None,
            pause_days: None,
            deposit_fen: 0,
            ends: true,
        },
    }
}

/// Service owed for a month's discounts: `yuan_per_hour` buys an hour;
/// whole minutes, rounded half up.
pub fn minutes_owed(discounts_fen: i64, yuan_per_hour: u32) -> u32 {
    let per_hour = i64::from(yuan_per_hour.max(1)) * 100;
    let m = (discounts_fen.max(0) * 60 * 2 + per_hour) / (2 * per_hour);
    u32::try_from(m).unwrap_or(u32::MAX)
}

/// The owed minutes as requests any member may take: at most `longest`
/// each (an ordinary member's longest single service).
pub fn split_into_requests(minutes: u32, longest: u32) -> Vec<u32> {
    let longest = longest.max(1);
    let mut out = vec![longest; (minutes / longest) as usize];
    if !minutes.is_multiple_of(longest) {
        out.push(minutes % longest);
    }
    out
}

/// How many services the owed minutes come to ([`split_into_requests`]):
/// the count a month's one settlement request carries.
pub fn services_owed(minutes: u32, longest: u32) -> u32 {
    u32::try_from(split_into_requests(minutes, longest).len()).unwrap_or(u32::MAX)
}

/// The length of the next service a match takes from a settlement that
/// still has `minutes_left` to give over `services_left` services: a full
/// one while more than one is left, the rest for the last. Taken in turn
/// they are [`split_into_requests`]'s parts; a service given back (its
/// match cancelled) is counted back in and the rule still holds.
pub fn next_service(minutes_left: u32, services_left: u32, longest: u32) -> Option<u32> {
    match services_left {
        0 => None,
        _ if minutes_left == 0 => None,
        1 => Some(minutes_left),
        _ => Some(minutes_left.min(longest.max(1))),
    }
}

/// One row of a merchant's redemption log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// The line in the file (1-based), for messages.
    pub line: usize,
    pub member_number: String,
    pub offer_id: i64,
    /// Station-local time of the redemption.
    pub at: NaiveDateTime,
    pub count: u32,
}

/// A merchant's redemption log as CSV: `member number, offer, time, count`
/// (an optional header line; the offer as its number `12` or `#12`; the time
/// `YYYY-MM-DD HH:MM`). Each line read on its own: bad lines are reported
/// with their number, good ones returned.
pub fn parse_log(text: &str) -> (Vec<LogRow>, Vec<(usize, Refusal)>) {
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    for (i, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = l.split([',', '，', '\t']).map(str::trim).collect();
        if line == 1
            && cells
                .first()
                .is_some_and(|c| c.parse::<i64>().is_err() && !c.contains('-'))
        {
            continue; // a header
        }
        let fail = |bad: &mut Vec<(usize, Refusal)>, m| bad.push((line, Refusal::general(m)));
        let [number, offer, when, count] = cells.as_slice() else {
            fail(&mut bad, msg!("import.columns", n = cells.len()));
            continue;
        };
        let Some(offer_id) = offer.trim_start_matches('#').parse::<i64>().ok() else {
            fail(&mut bad, msg!("import.offer", text = *offer));
            continue;
        };
        let Some(at) = NaiveDateTime::parse_from_str(when, "%Y-%m-%d %H:%M").ok() else {
            fail(&mut bad, msg!("import.time", text = *when));
            continue;
        };
        let Some(count) = count.parse::<u32>().ok().filter(|c| (1..=99).contains(c)) else {
            fail(&mut bad, msg!("import.count", text = *count));
            continue;
        };
        if super::member::parse_payload(number).is_none() {
            fail(&mut bad, msg!("import.member", text = *number));
            continue;
        }
        rows.push(LogRow {
            line,
            member_number: number.to_string(),
            offer_id,
            at,
            count,
        });
    }
    (rows, bad)
}

#[cfg(test)]
mod tests;
