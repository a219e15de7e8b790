//! A station day's figures (docs/rules.md §10) and the monthly KPIs (docs/rules.md §11), as
//! pure functions of the day's rows — so that headquarters, given the same
//! rows in the day bundle, computes exactly the same numbers.
//!
//! Every figure rests on a timestamp that is set once and never changes
//! (a record's entry, a transfer, a request's creation and response, a
//! dispute's opening and decision, a member's application and approval),
//! counted when it falls inside the day; nothing is written on a day after
//! its close. So the figures do not change with the time they are computed.

use super::time::{MINUTE_MS, Stamp};
use serde::{Deserialize, Serialize};

/// The rows of one day that the figures come from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRows {
    pub start: Stamp,
    pub end: Stamp,
    /// Records entered in the day: (minutes, points).
    pub records: Vec<(u32, i64)>,
    /// Transfers made in the day: (kind, amount, debit is the pool, debit is a member).
    pub transfers: Vec<(String, i64, bool, bool)>,
    /// Requests taken in on the day: (created, first response or match, urgent).
    pub requests: Vec<(Stamp, Option<Stamp>, bool)>,
    pub disputes_opened: u32,
    pub disputes_decided: u32,
    pub members_applied: u32,
    pub members_approved: u32,
}

/// What the close screen shows and the summary keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    pub services: u32,
    pub minutes: u64,
    pub service_points: i64,
    /// Points paid out of the station pool.
    pub points_issued: i64,
    /// Points members spent (services paid, redemptions).
    pub points_spent: i64,
    pub transfers: u32,
    pub new_requests: u32,
    /// Of the day's requests, answered within the deadline (urgent: its own).
    pub responded_in_time: u32,
    pub disputes_opened: u32,
    pub disputes_decided: u32,
    pub members_applied: u32,
    pub members_approved: u32,
}

impl DayFigures {
    /// Share of the day's requests answered in time, in per cent.
    pub fn responded_share(&self) -> Option<u32> {
        (self.responded_in_time * 100).checked_div(self.new_requests)
    }
}

/// The figures of a day from its rows.
pub fn figures(r: &DayRows, respond_minutes: u32, urgent_respond_minutes: u32) -> DayFigures {
    let in_day = |t: Stamp| t >= r.start && t < r.end;
    let mut f = DayFigures {
        services: r.records.len() as u32,
        minutes: r.records.iter().map(|(m, _)| u64::from(*m)).sum(),
        // saturating: the rows may come from a bundle file, whose numbers
        // are anything; a sum must neither panic nor wrap to a small one
        service_points: r
            .records
            .iter()
            .fold(0i64, |sum, (_, p)| sum.saturating_add(*p)),
        transfers: r.transfers.len() as u32,
        new_requests: r.requests.len() as u32,
        disputes_opened: r.disputes_opened,
        disputes_decided: r.disputes_decided,
        members_applied: r.members_applied,
        members_approved: r.members_approved,
        ..DayFigures::default()
    };
    for (kind, amount, from_pool, from_member) in &r.transfers {
        if *from_pool {
            f.points_issued = f.points_issued.saturating_add(*amount);
        }
        if *from_member
            && matches!(
                kind.as_str(),
                "service" | "redemption" | "merchant_redemption"
            )
        {
            f.points_spent = f.points_spent.saturating_add(*amount);
        }
    }
    f.responded_in_time = r
        .requests
        .iter()
        .filter(|(created, answered, urgent)| {
            let limit = i64::from(if *urgent {
                urgent_respond_minutes
            } else {
                respond_minutes
            }) * MINUTE_MS;
            answered.is_some_and(|a| in_day(a) && a.saturating_sub(*created) <= limit)
        })
        .count() as u32;
    f
}

/// The median of some durations (the lower middle for an even count).
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    Some(v[(v.len() - 1) / 2])
}

/// The monthly service-hours target and bonus (docs/rules.md §11): main stations
/// 300 h, micro 100 h; 500 yuan when met, +50 per full 10 h beyond.
pub fn hours_bonus(minutes: u64, main_station: bool) -> (u64, i64) {
    let target = if main_station { 300 } else { 100 };
    let hours = minutes / 60;
    if hours < target {
        return (target, 0);
    }
    (target, 500 + 50 * ((hours - target) / 10) as i64)
}

/// −200 yuan for every dispute not responded to within 24 h.
pub fn dispute_penalty(late: u32) -> i64 {
    -200 * i64::from(late)
}

/// Satisfaction from the callbacks answered: per cent satisfied.
pub fn satisfaction(answers: &[bool]) -> Option<u32> {
    ((answers.iter().filter(|a| **a).count() * 100) as u32).checked_div(answers.len() as u32)
}

/// The "carried-over requests reviewed" tick: not an item of the list.
pub const CARRIED_REVIEWED: i64 = 0;

/// An opening checklist item as ticked: the item by its id (its names stay
/// in the checklist, in both languages; a day opened before migration 0019
/// also kept a `name` in the desk's language, ignored when read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// A `checklist_items` id, or [`CARRIED_REVIEWED`].
    pub item_id: i64,
    pub done: bool,
    /// Tools: how many are there, against how many should be.
    pub count: Option<u32>,
    pub expected: Option<u32>,
}

impl Checked {
    /// How many are missing (a "replenish today" item).
    pub fn missing(&self) -> u32 {
        match (self.count, self.expected) {
            (Some(c), Some(e)) if c < e => e - c,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Stamp = 1_795_363_200_000; // 2026-11-23 00:00 Shanghai

    fn rows() -> DayRows {
        DayRows {
            start: S,
            end: S + 86_400_000,
            records: vec![(60, 20), (90, 30)],
            transfers: vec![
                ("service".into(), 20, true, false),
                ("service".into(), 30, false, true),
                ("reversal".into(), 10, false, true),
                ("redemption".into(), 5, false, true),
            ],
            requests: vec![
                (S + 3_600_000, Some(S + 3_600_000 + 59 * MINUTE_MS), false),
                (S + 3_600_000, Some(S + 3_600_000 + 61 * MINUTE_MS), false),
                (S + 3_600_000, Some(S + 3_600_000 + 6 * MINUTE_MS), true),
                (S + 86_000_000, Some(S + 86_500_000), false),
                (S + 3_600_000, None, false),
            ],
            disputes_opened: 2,
            disputes_decided: 1,
            members_applied: 3,
            members_approved: 1,
        }
    }

    #[test]
    fn figures_from_rows() {
        let f = figures(&rows(), 60, 5);
        assert_eq!(f.services, 2);
        assert_eq!(f.minutes, 150);
        assert_eq!(f.service_points, 50);
        assert_eq!(f.points_issued, 20);
        assert_eq!(f.points_spent, 35);
        assert_eq!(f.transfers, 4);
        assert_eq!(f.new_requests, 5);
        // 59 min yes, 61 no, urgent 6 min no, answered after midnight no, none no
        assert_eq!(f.responded_in_time, 1);
        assert_eq!(f.responded_share(), Some(20));
    }

    #[test]
    fn bonus_and_penalties() {
        assert_eq!(hours_bonus(299 * 60 + 59, true), (300, 0));
        assert_eq!(hours_bonus(300 * 60, true), (300, 500));
        assert_eq!(hours_bonus(329 * 60, true), (300, 600));
        assert_eq!(hours_bonus(100 * 60, false), (100, 500));
        assert_eq!(dispute_penalty(2), -400);
        assert_eq!(satisfaction(&[true, true, false, true]), Some(75));
        assert_eq!(satisfaction(&[]), None);
        assert_eq!(median(vec![5, 1, 9]), Some(5));
        assert_eq!(median(vec![4, 1, 9, 2]), Some(2));
    }

    #[test]
    fn shortages() {
        let c = Checked {
            item_id: 1,
            done: true,
            count: Some(12),
            expected: Some(20),
        };
        assert_eq!(c.missing(), 8);
        assert_eq!(
            Checked {
                count: Some(25),
                ..c.clone()
            }
            .missing(),
            0
        );
    }

    /// Found with the bundle fuzz target (`fuzz/corpus/bundle/seed-huge-points`):
    /// the rows come from a file, and points near i64::MAX or a day as wide
    /// as the i64 range overflowed (a panic in debug builds, a wrapped sum in
    /// release).
    #[test]
    fn figures_of_absurd_rows_saturate() {
        let r = DayRows {
            start: i64::MIN,
            end: i64::MAX,
            records: vec![(60, i64::MAX), (60, i64::MAX)],
            transfers: vec![
                ("service".into(), i64::MAX, true, true),
                ("service".into(), i64::MAX, true, true),
            ],
            requests: vec![(i64::MIN, Some(i64::MAX - 1), false)],
            ..DayRows::default()
        };
        let f = figures(&r, 60, 5);
        assert_eq!(f.service_points, i64::MAX);
        assert_eq!((f.points_issued, f.points_spent), (i64::MAX, i64::MAX));
        assert_eq!(f.responded_in_time, 0);
    }
}
