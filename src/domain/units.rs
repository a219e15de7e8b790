//! Minutes and points: whole numbers, never floats (docs/rules.md §3).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A duration in whole minutes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Minutes(pub u32);

/// An amount of time-bank points. Signed because balances of the pool may go
/// below zero; a transfer amount is always > 0.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Points(pub i64);

impl Minutes {
    pub fn hours_tenths(self) -> u32 {
        // one decimal for display, rounded half up
        (self.0 * 10 + 30) / 60
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

/// Points earned for a service: round-half-up(minutes × points_per_hour / 60).
pub fn points_for(minutes: Minutes, points_per_hour: u32) -> Points {
    let num = u64::from(minutes.0) * u64::from(points_per_hour);
    Points(((num + 30) / 60) as i64)
}

/// "2.5" style hours from minutes, for display only.
pub fn format_hours(minutes: u64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn twenty_points_an_hour() {
        assert_eq!(points_for(Minutes(60), 20), Points(20));
        assert_eq!(points_for(Minutes(90), 20), Points(30));
        // 1 minute = 0.333 → 0; 2 minutes = 0.667 → 1
        assert_eq!(points_for(Minutes(1), 20), Points(0));
        assert_eq!(points_for(Minutes(2), 20), Points(1));
        // exactly half rounds up: 3 min × 10/h = 0.5 → 1
        assert_eq!(points_for(Minutes(3), 10), Points(1));
    }

    #[test]
    fn hours_display() {
        assert_eq!(format_hours(90), "1.5");
        assert_eq!(format_hours(0), "0.0");
        assert_eq!(format_hours(59), "1.0");
    }

    proptest! {
        #[test]
        fn points_are_monotone(a in 0u32..10_000, b in 0u32..10_000, pph in 1u32..200) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(points_for(Minutes(lo), pph) <= points_for(Minutes(hi), pph));
        }

        #[test]
        fn points_within_half_of_exact(m in 0u32..100_000, pph in 1u32..200) {
            let exact = f64::from(m) * f64::from(pph) / 60.0;
            let got = points_for(Minutes(m), pph).0 as f64;
            prop_assert!((got - exact).abs() <= 0.5 + 1e-9);
        }
    }
}
