//! The station's activities (活动): the handbook's regular ones, a plan
//! (驿站活动策划表) and what a participant earns for attending.
//!
//! What a participant earns is the activity's rule: points per hour (teaching
//! phones earns) or none at all, a 公益 (public-good) activity (telling
//! history stories). Attendance at a public-good activity is a record with
//! no transfer; its minutes still count as hours served for the levels.

use crate::msg;
use crate::msg::Refusal;
use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

/// The kinds of activity the handbook names, and any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 互助集市: Saturday 09:00–11:00, skill swap and a points exchange corner.
    Market,
    /// 时光茶话会: Wednesday 15:00–16:00; suggestions go to the suggestion log.
    Tea,
    /// 代际互助日 (monthly).
    Intergen,
    /// 商家联动周 (monthly): 3–5 merchants and their experience offers.
    MerchantWeek,
    /// 信任传递日 (monthly).
    Relay,
    /// 社区信任日, every 24 December.
    TrustDay,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Market,
        Kind::Tea,
        Kind::Intergen,
        Kind::MerchantWeek,
        Kind::Relay,
        Kind::TrustDay,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Market => "market",
            Kind::Tea => "tea",
            Kind::Intergen => "intergen",
            Kind::MerchantWeek => "merchant_week",
            Kind::Relay => "relay",
            Kind::TrustDay => "trust_day",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Market => crate::k!("activity.kind.market"),
            Kind::Tea => crate::k!("activity.kind.tea"),
            Kind::Intergen => crate::k!("activity.kind.intergen"),
            Kind::MerchantWeek => crate::k!("activity.kind.merchant_week"),
            Kind::Relay => crate::k!("activity.kind.relay"),
            Kind::TrustDay => crate::k!("activity.kind.trust_day"),
            Kind::Other => crate::k!("activity.kind.other"),
        }
    }

    /// The handbook's usual hours for this kind (a plan may change them).
    pub fn usual_hours(self) -> (NaiveTime, NaiveTime) {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        match self {
            Kind::Market => (t(9, 0), t(11, 0)),
            Kind::Tea => (t(15, 0), t(16, 0)),
            Kind::TrustDay => (t(11, 0), t(13, 0)),
            Kind::Intergen | Kind::MerchantWeek | Kind::Relay | Kind::Other => (t(9, 0), t(11, 0)),
        }
    }
}

/// The regular activities that fall on `day` by the handbook: the market
/// every Saturday, the tea every Wednesday, the trust day every 24 December.
pub fn regular_on(day: NaiveDate) -> Vec<Kind> {
    let mut v = Vec::new();
    match day.weekday() {
        Weekday::Sat => v.push(Kind::Market),
        Weekday::Wed => v.push(Kind::Tea),
        Weekday::Mon | Weekday::Tue | Weekday::Thu | Weekday::Fri | Weekday::Sun => {}
    }
    if day.month() == 12 && day.day() == 24 {
        v.push(Kind::TrustDay);
    }
    v
}

/// The most points an hour of an activity may earn: the handbook's
/// ordinary rate is 10 an hour; an activity is never worth more than 3×.
pub const MAX_POINTS_PER_HOUR: u32 = 30;

/// A plan as the desk typed it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub kind: Kind,
    pub title: String,
    pub day: NaiveDate,
    pub from: NaiveTime,
    pub to: NaiveTime,
    pub place: String,
    pub aim: String,
    /// The people in charge, as written.
    pub leads: String,
    /// The materials and what they cost, as written; the total in fen.
    pub materials: String,
    pub cost_fen: i64,
    /// The merchants taking part, one per item.
    pub merchants: Vec<String>,
    /// 0: a public-good (公益) activity.
    pub points_per_hour: u32,
}

impl Plan {
    pub fn minutes(&self) -> u32 {
        ((self.to - self.from).num_minutes()).max(0) as u32
    }

    pub fn public_good(&self) -> bool {
        self.points_per_hour == 0
    }
}

/// Split a merchants list as typed (、，, ; or spaces between names).
pub fn split_merchants(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', ';', '；', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// What the form cannot see for itself about a plan: refused at its field.
pub fn check_plan(p: &Plan, today: NaiveDate) -> Result<(), Vec<Refusal>> {
    let mut errs = Vec::new();
    // a regular kind is named by its kind; any other needs its name
    if p.kind == Kind::Other && p.title.trim().is_empty() {
        errs.push(Refusal::at("title", msg!("activity.title_missing")));
    }
    if p.day < today {
        errs.push(Refusal::at("day", msg!("activity.day_past")));
    }
    if p.to <= p.from {
        errs.push(Refusal::at("to", msg!("activity.to_before_from")));
    }
    if p.place.trim().is_empty() {
        errs.push(Refusal::at("place", msg!("activity.place_missing")));
    }
    if p.leads.trim().is_empty() {
        errs.push(Refusal::at("leads", msg!("activity.leads_missing")));
    }
    if p.kind == Kind::MerchantWeek && !(3..=5).contains(&p.merchants.len()) {
        errs.push(Refusal::at(
            "merchants",
            msg!("activity.merchants_3_to_5", n = p.merchants.len()),
        ));
    }
    if p.points_per_hour > MAX_POINTS_PER_HOUR {
        errs.push(Refusal::at(
            "points",
            msg!("activity.points_too_many", max = MAX_POINTS_PER_HOUR),
        ));
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

/// The points `minutes` of an activity earn at its rule (whole points,
/// rounded down: a part hour earns its part).
pub fn earned(points_per_hour: u32, minutes: u32) -> i64 {
    i64::from(points_per_hour) * i64::from(minutes) / 60
}

/// The minutes a participant is credited with: more than zero and no more
/// than the activity lasts.
pub fn check_minutes(minutes: u32, activity_minutes: u32) -> Result<(), Refusal> {
    if minutes == 0 {
        return Err(Refusal::at("minutes", msg!("activity.minutes_zero")));
    }
    if minutes > activity_minutes {
        return Err(Refusal::at(
            "minutes",
            msg!("activity.minutes_too_long", max = activity_minutes),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn plan() -> Plan {
        Plan {
            kind: Kind::Intergen,
            title: "教老人用手机".into(),
            day: d(2026, 12, 12),
            from: t(9, 0),
            to: t(11, 0),
            place: "驿站活动室".into(),
            aim: "代际互助".into(),
            leads: "王芳".into(),
            materials: "投影仪".into(),
            cost_fen: 0,
            merchants: vec![],
            points_per_hour: 10,
        }
    }

    #[test]
    fn the_handbook_calendar() {
        // 2026-12-05 is a Saturday, 12-09 a Wednesday, 12-24 a Thursday
        assert_eq!(regular_on(d(2026, 12, 5)), vec![Kind::Market]);
        assert_eq!(regular_on(d(2026, 12, 9)), vec![Kind::Tea]);
        assert_eq!(regular_on(d(2026, 12, 24)), vec![Kind::TrustDay]);
        assert!(regular_on(d(2026, 12, 7)).is_empty());
        assert_eq!(Kind::Market.usual_hours(), (t(9, 0), t(11, 0)));
        assert_eq!(Kind::Tea.usual_hours(), (t(15, 0), t(16, 0)));
    }

    #[test]
    fn a_good_plan_passes_and_bad_ones_are_refused_at_their_field() {
        let today = d(2026, 12, 4);
        assert!(check_plan(&plan(), today).is_ok());
        let field = |p: Plan| check_plan(&p, today).unwrap_err()[0].field;
        assert_eq!(
            field(Plan {
                kind: Kind::Other,
                title: " ".into(),
                ..plan()
            }),
            Some("title")
        );
        assert_eq!(
            field(Plan {
                day: d(2026, 12, 3),
                ..plan()
            }),
            Some("day")
        );
        assert_eq!(
            field(Plan {
                to: t(9, 0),
                ..plan()
            }),
            Some("to")
        );
        assert_eq!(
            field(Plan {
                place: "".into(),
                ..plan()
            }),
            Some("place")
        );
        assert_eq!(
            field(Plan {
                leads: "".into(),
                ..plan()
            }),
            Some("leads")
        );
        assert_eq!(
            field(Plan {
                points_per_hour: 31,
                ..plan()
            }),
            Some("points")
        );
    }

    #[test]
    fn a_merchant_week_needs_three_to_five_merchants() {
        let today = d(2026, 12, 4);
        let week = |m: &str| Plan {
            kind: Kind::MerchantWeek,
            merchants: split_merchants(m),
            ..plan()
        };
        assert!(check_plan(&week("老王理发、康民药店"), today).is_err());
        assert!(check_plan(&week("老王理发、康民药店，便民超市"), today).is_ok());
        assert!(check_plan(&week("a b c d e f"), today).is_err());
    }

    #[test]
    fn public_good_earns_nothing_and_teaching_earns_by_the_hour() {
        assert_eq!(earned(0, 120), 0);
        assert_eq!(earned(10, 120), 20);
        assert_eq!(earned(10, 90), 15);
        assert_eq!(earned(10, 5), 0);
        assert!(
            Plan {
                points_per_hour: 0,
                ..plan()
            }
            .public_good()
        );
        assert_eq!(plan().minutes(), 120);
    }

    #[test]
    fn minutes_must_fit_the_activity() {
        assert_eq!(check_minutes(0, 60).unwrap_err().field, Some("minutes"));
        assert_eq!(check_minutes(61, 60).unwrap_err().field, Some("minutes"));
        assert!(check_minutes(60, 60).is_ok());
    }

    proptest! {
        #[test]
        fn earnings_never_exceed_the_rate_and_grow_with_time(pph in 0u32..=30, a in 1u32..600, b in 1u32..600) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(earned(pph, lo) <= earned(pph, hi));
            prop_assert!(earned(pph, hi) * 60 <= i64::from(pph) * i64::from(hi));
        }
    }
}
