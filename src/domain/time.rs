//! Instants are stored as UTC milliseconds; "day", "month" and "the 1st" are
//! in station time (docs/rules.md §3). All conversions live here.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// UTC milliseconds since the Unix epoch.
pub type Stamp = i64;

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

pub fn to_utc(stamp: Stamp) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(stamp).unwrap_or_default()
}

pub fn local(stamp: Stamp, tz: Tz) -> DateTime<Tz> {
    to_utc(stamp).with_timezone(&tz)
}

/// The station-local calendar day an instant falls on.
pub fn local_day(stamp: Stamp, tz: Tz) -> NaiveDate {
    local(stamp, tz).date_naive()
}

/// The first instant of a local day. Days that begin inside a DST gap
/// begin at the first existing local time.
pub fn day_start(day: NaiveDate, tz: Tz) -> Stamp {
    local_to_stamp(day, NaiveTime::MIN, tz)
}

/// A local wall-clock time on a local day, as an instant.
pub fn local_to_stamp(day: NaiveDate, time: NaiveTime, tz: Tz) -> Stamp {
    let naive = day.and_time(time);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.timestamp_millis(),
        chrono::LocalResult::Ambiguous(a, _) => a.timestamp_millis(),
        chrono::LocalResult::None => {
            // skip forward over the gap, an hour at most
            let later = naive + Duration::hours(1);
            tz.from_local_datetime(&later)
                .earliest()
                .map(|t| t.timestamp_millis())
                .unwrap_or_else(|| Utc.from_utc_datetime(&naive).timestamp_millis())
        }
    }
}

/// [start, end) of a local day in UTC milliseconds.
pub fn day_range(day: NaiveDate, tz: Tz) -> (Stamp, Stamp) {
    let next = day.succ_opt().unwrap_or(day);
    (day_start(day, tz), day_start(next, tz))
}

pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

pub fn next_month(day: NaiveDate) -> NaiveDate {
    let first = first_of_month(day);
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

pub fn prev_month(day: NaiveDate) -> NaiveDate {
    let first = first_of_month(day);
    let (y, m) = if first.month() == 1 {
        (first.year() - 1, 12)
    } else {
        (first.year(), first.month() - 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

/// [start, end) of the local month containing `day`.
pub fn month_range(day: NaiveDate, tz: Tz) -> (Stamp, Stamp) {
    (
        day_start(first_of_month(day), tz),
        day_start(next_month(day), tz),
    )
}

/// Add whole calendar months, clamping the day (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(day: NaiveDate, months: i32) -> NaiveDate {
    let total = day.year() * 12 + day.month0() as i32 + months;
    let (y, m0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    let mut d = day.day();
    loop {
        if let Some(date) = NaiveDate::from_ymd_opt(y, m0 + 1, d) {
            return date;
        }
        d -= 1;
    }
}

/// Parse "HH:MM".
pub fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

pub fn fmt_local(stamp: Stamp, tz: Tz, pattern: &str) -> String {
    local(stamp, tz).format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Stamp {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn a_late_evening_in_shanghai_is_that_day() {
        // 23:30 Shanghai on 1 Mar = 15:30 UTC on 1 Mar
        let s = utc(2026, 3, 1, 15, 30);
        assert_eq!(
            local_day(s, Shanghai),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        // 00:30 Shanghai on 2 Mar = 16:30 UTC on 1 Mar
        let s = utc(2026, 3, 1, 16, 30);
        assert_eq!(
            local_day(s, Shanghai),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    #[test]
    fn day_and_month_ranges() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (a, b) = day_range(d, Shanghai);
        assert_eq!(b - a, DAY_MS);
        assert_eq!(a, utc(2026, 11, 22, 16, 0));
        let (m0, m1) = month_range(d, Shanghai);
        assert_eq!(m0, utc(2026, 10, 31, 16, 0));
        assert_eq!(m1, utc(2026, 11, 30, 16, 0));
    }

    #[test]
    fn months_roll_over() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
        assert_eq!(next_month(d), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(
            prev_month(NaiveDate::from_ymd_opt(2026, 1, 9).unwrap()),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
        );
        assert_eq!(
            add_months(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(), 1),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert_eq!(
            add_months(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), 3),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
        assert_eq!(
            add_months(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(), -3),
            NaiveDate::from_ymd_opt(2025, 12, 5).unwrap()
        );
    }
}
