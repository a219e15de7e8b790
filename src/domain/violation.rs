//! How bad a violation is (members and merchants alike).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Minor,
    Moderate,
    Severe,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Moderate => "moderate",
            Severity::Severe => "severe",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "minor" => Some(Severity::Minor),
            "moderate" => Some(Severity::Moderate),
            "severe" => Some(Severity::Severe),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Minor => crate::k!("violation.minor"),
            Severity::Moderate => crate::k!("violation.moderate"),
            Severity::Severe => crate::k!("violation.severe"),
        }
    }
}

/// Whether a violation is still on record at `now`, whatever its severity:
/// until its window ends (a moderate one's three months), or for good when
/// it has no end (a minor one is archived, a severe one blacklists). The
/// recommender rule (§4: "no violation on record") counts every one of them.
pub fn on_record(
    at: super::time::Stamp,
    until: Option<super::time::Stamp>,
    now: super::time::Stamp,
) -> bool {
    at <= now && until.is_none_or(|u| u > now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_is_on_record_within_its_window_and_an_archived_one_for_good() {
        let (at, now) = (1_000, 5_000);
        assert!(on_record(at, None, now), "minor or severe: archived");
        assert!(
            on_record(at, Some(now + 1), now),
            "moderate, within its months"
        );
        assert!(!on_record(at, Some(now), now), "the window has ended");
        assert!(
            !on_record(now + 1, None, now),
            "not yet recorded at that time"
        );
    }
}
