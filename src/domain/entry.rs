//! Parsing what staff type for dates, clock times and durations. Forgiving
//! in form (full-width digits, Chinese units), strict in meaning.

use chrono::{Datelike, NaiveDate, NaiveTime};

fn halfwidth(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '：' => ':',
            '－' | '／' | '.' => '-',
            c => c,
        })
        .collect()
}

/// A date: `2026-11-23`, `11-23` (this year), `今天`/`today`, `昨天`/`yesterday`,
/// `前天`; `/` and `.` work as separators.
pub fn parse_date(s: &str, today: NaiveDate) -> Option<NaiveDate> {
    let t = halfwidth(s).to_lowercase();
    match t.as_str() {
        "" | "今天" | "today" | "今日" => return Some(today),
        "昨天" | "yesterday" | "昨日" => return today.pred_opt(),
        "前天" => return today.pred_opt()?.pred_opt(),
        _ => {}
    }
    let parts: Vec<&str> = t.split(['-', '/']).collect();
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match nums?.as_slice() {
        [y, m, d] if *y >= 1900 => NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d),
        [m, d] => NaiveDate::from_ymd_opt(today.year(), *m, *d),
        _ => None,
    }
}

/// A clock time: `14:30`, `9:05`, `1430`, `0905`.
pub fn parse_clock(s: &str) -> Option<NaiveTime> {
    let t = halfwidth(s);
    if let Some((h, m)) = t.split_once(':') {
        return NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
            .filter(|_| m.len() == 2);
    }
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveTime::from_hms_opt(t[..2].parse().ok()?, t[2..].parse().ok()?, 0);
    }
    None
}

/// A duration in whole minutes: `90`, `90分`, `90min`, `1.5h`, `1.5小时`,
/// `1h30`, `1小时30分`, `1:30`. Zero and negatives are not durations.
pub fn parse_minutes(s: &str) -> Option<u32> {
    let t = halfwidth(s).to_lowercase().replace(' ', "");
    let t = t
        .replace("分钟", "m")
        .replace('分', "m")
        .replace("min", "m")
        .replace("小时", "h")
        .replace('时', "h");
    if t.is_empty() {
        return None;
    }
    // hours × 60 in checked arithmetic: a huge number of hours is refused,
    // never wrapped round to a small duration
    let hours = |h: &str| h.parse::<u64>().ok()?.checked_mul(60);
    let total: u64 = if let Some((h, m)) = t.split_once(':') {
        hours(h)?.checked_add(m.parse::<u64>().ok().filter(|m| *m < 60)?)?
    } else if let Some((h, rest)) = t.split_once('h') {
        let rest = rest.trim_end_matches('m');
        let hours_min = if h.contains('-') {
            // "1.5h": halfwidth turned '.' into '-'; the decimals are digits
            let (a, b) = h.split_once('-')?;
            if !b.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let frac = format!("0.{b}").parse::<f64>().ok()?;
            hours(a)?.checked_add((frac * 60.0).round() as u64)?
        } else {
            hours(h)?
        };
        let extra = if rest.is_empty() {
            0
        } else {
            rest.parse::<u64>().ok().filter(|m| *m < 60)?
        };
        hours_min.checked_add(extra)?
    } else {
        t.trim_end_matches('m').parse::<u64>().ok()?
    };
    u32::try_from(total)
        .ok()
        .filter(|m| *m > 0 && *m <= 24 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates() {
        let today = d(2026, 11, 23);
        assert_eq!(parse_date("2026-11-20", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("11/20", today), Some(d(2026, 11, 20)));
        assert_eq!(parse_date("昨天", today), Some(d(2026, 11, 22)));
        assert_eq!(parse_date("", today), Some(today));
        assert_eq!(
            parse_date("２０２６－１１－２０", today),
            Some(d(2026, 11, 20))
        );
        assert_eq!(parse_date("2026-02-30", today), None);
        assert_eq!(parse_date("soon", today), None);
    }

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("14:30"), NaiveTime::from_hms_opt(14, 30, 0));
        assert_eq!(parse_clock("0905"), NaiveTime::from_hms_opt(9, 5, 0));
        assert_eq!(parse_clock("９：０５"), NaiveTime::from_hms_opt(9, 5, 0));
        assert_eq!(parse_clock("25:00"), None);
        assert_eq!(parse_clock("9:5"), None);
    }

    #[test]
    fn durations() {
        for (s, m) in [
            ("90", 90),
            ("90分", 90),
            ("90分钟", 90),
            ("1.5h", 90),
            ("1.5小时", 90),
            ("1h30", 90),
            ("1小时30分", 90),
            ("1:30", 90),
            ("2h", 120),
            ("45min", 45),
        ] {
            assert_eq!(parse_minutes(s), Some(m), "{s}");
        }
        for s in ["0", "-5", "", "abc", "1:75", "25h", "1h75"] {
            assert_eq!(parse_minutes(s), None, "{s}");
        }
    }

    /// Found by fuzzing: hours × 60 overflowed — a panic in debug builds,
    /// and in release a wrap-around to a plausible duration (2⁶² + 1 hours
    /// read as 60 minutes).
    #[test]
    fn huge_hours_are_refused_not_wrapped() {
        for s in [
            "4611686018427387905h",
            "4611686018427387905:00",
            "4611686018427387905小时",
            "10000396692002200000h 2",
            "307445734561825861:0",
            "1.5e400h",
            "1.5e1h", // the decimals were read as a float: 6 hours
        ] {
            assert_eq!(parse_minutes(s), None, "{s}");
        }
    }

    /// Found reading the parsers for the fuzz targets: a year past i32::MAX
    /// was cast to a negative year (4294967295-01-01 read as 1 BC).
    #[test]
    fn years_past_i32_are_refused() {
        let today = d(2026, 11, 23);
        assert_eq!(parse_date("4294967295-01-01", today), None);
        assert_eq!(parse_date("2147483648-01-01", today), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse_minutes(&s);
            let _ = parse_clock(&s);
            let _ = parse_date(&s, d(2026, 1, 1));
        }

        #[test]
        fn plain_minutes_round_trip(m in 1u32..=1440) {
            prop_assert_eq!(parse_minutes(&m.to_string()), Some(m));
        }
    }
}
