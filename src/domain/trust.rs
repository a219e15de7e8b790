//! Trust score (信任分, from the trust handbook): base 100, moved by events
//! with weights the station master can edit.

use serde::{Deserialize, Serialize};

pub const BASE: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrustWeights {
    /// A service given and rated 4 or 5.
    pub good_service: i64,
    /// A thank-you letter (感谢信) received.
    pub thank_you: i64,
    pub warning: i64,
    pub bad_credit: i64,
    pub minor: i64,
    pub moderate: i64,
    pub severe: i64,
}

impl Default for TrustWeights {
    fn default() -> Self {
        TrustWeights {
            good_service: 1,
            thank_you: 3,
            warning: -5,
            bad_credit: -10,
            minor: -2,
            moderate: -15,
            severe: -50,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustEvent {
    GoodService,
    ThankYou,
    Warning,
    BadCredit,
    Minor,
    Moderate,
    Severe,
}

impl TrustEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            TrustEvent::GoodService => "good_service",
            TrustEvent::ThankYou => "thank_you",
            TrustEvent::Warning => "warning",
            TrustEvent::BadCredit => "bad_credit",
            TrustEvent::Minor => "minor",
            TrustEvent::Moderate => "moderate",
            TrustEvent::Severe => "severe",
        }
    }

    pub fn label_key(kind: &str) -> &'static str {
        match kind {
            "good_service" => crate::k!("trust.good_service"),
            "thank_you" => crate::k!("trust.thank_you"),
            "warning" => crate::k!("trust.warning"),
            "bad_credit" => crate::k!("trust.bad_credit"),
            "minor" => crate::k!("trust.minor"),
            "moderate" => crate::k!("trust.moderate"),
            _ => crate::k!("trust.severe"),
        }
    }

    pub fn delta(self, w: &TrustWeights) -> i64 {
        match self {
            TrustEvent::GoodService => w.good_service,
            TrustEvent::ThankYou => w.thank_you,
            TrustEvent::Warning => w.warning,
            TrustEvent::BadCredit => w.bad_credit,
            TrustEvent::Minor => w.minor,
            TrustEvent::Moderate => w.moderate,
            TrustEvent::Severe => w.severe,
        }
    }
}

/// A line of the monthly trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustRank {
    pub member_id: i64,
    pub score: i64,
    pub gained_this_month: i64,
}

/// The monthly top list (信任榜): highest score first; ties go to whoever
/// gained more this month, then to the lower member id. At most `n`.
pub fn top(mut all: Vec<TrustRank>, n: usize) -> Vec<TrustRank> {
    all.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.gained_this_month.cmp(&a.gained_this_month))
            .then(a.member_id.cmp(&b.member_id))
    });
    all.truncate(n);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_apply() {
        let w = TrustWeights::default();
        assert_eq!(TrustEvent::ThankYou.delta(&w), 3);
        assert!(TrustEvent::Severe.delta(&w) < TrustEvent::Moderate.delta(&w));
    }

    #[test]
    fn top_ten_ties() {
        let r = |id, score, gained| TrustRank {
            member_id: id,
            score,
            gained_this_month: gained,
        };
        let list = top(
            vec![r(1, 110, 1), r(2, 120, 0), r(3, 110, 5), r(4, 90, 9)],
            3,
        );
        assert_eq!(
            list.iter().map(|x| x.member_id).collect::<Vec<_>>(),
            vec![2, 3, 1]
        );
    }
}
