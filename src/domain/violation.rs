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
