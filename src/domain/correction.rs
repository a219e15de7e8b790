//! Corrections with four eyes: who may decide a reversal or an adjustment
//! that someone entered. One person alone can never move points by a
//! correction, however senior.

use super::staff::Session;
use crate::msg;
use crate::msg::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionKind {
    Reversal,
    Adjustment,
}

impl CorrectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CorrectionKind::Reversal => "reversal",
            CorrectionKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(s: &str) -> Option<CorrectionKind> {
        match s {
            "reversal" => Some(CorrectionKind::Reversal),
            "adjustment" => Some(CorrectionKind::Adjustment),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CorrectionKind::Reversal => crate::k!("correction.kind.reversal"),
            CorrectionKind::Adjustment => crate::k!("correction.kind.adjustment"),
        }
    }
}

/// Which way an adjustment moves points for the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// The member receives points from the station pool (e.g. hours left out).
    Credit,
    /// Points go back from the member to the pool (e.g. entered twice on paper).
    Debit,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Credit => "credit",
            Direction::Debit => "debit",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "credit" => Some(Direction::Credit),
            "debit" => Some(Direction::Debit),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Direction::Credit => crate::k!("correction.credit"),
            Direction::Debit => crate::k!("correction.debit"),
        }
    }
}

/// What a decider does with an open correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Refuse,
    /// The one who entered it takes it back.
    Withdraw,
}

impl Decision {
    pub fn outcome(self) -> &'static str {
        match self {
            Decision::Approve => "approved",
            Decision::Refuse => "refused",
            Decision::Withdraw => "withdrawn",
        }
    }
}

/// Approve or refuse: a station master who did not enter it. Withdraw: only
/// the one who entered it.
pub fn check_decision(proposed_by: i64, decider: &Session, d: Decision) -> Result<(), Refusal> {
    let own = decider.staff_id == proposed_by;
    match d {
        Decision::Withdraw if own => Ok(()),
        Decision::Withdraw => Err(Refusal::general(msg!("correction.only_own_withdraw"))),
        Decision::Approve | Decision::Refuse if own => {
            Err(Refusal::general(msg!("correction.four_eyes")))
        }
        Decision::Approve | Decision::Refuse if !decider.is_master() => {
            Err(Refusal::general(msg!("staff.master_only")))
        }
        Decision::Approve | Decision::Refuse => Ok(()),
    }
}

/// An amount typed at the desk: a whole number of points, more than zero.
pub fn parse_amount(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|a| *a > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::staff::Role;

    fn who(id: i64, role: Role) -> Session {
        Session {
            staff_id: id,
            staff_no: format!("{id:03}"),
            name: "x".into(),
            role,
        }
    }

    #[test]
    fn nobody_approves_their_own_correction() {
        let master = who(1, Role::Master);
        assert!(check_decision(1, &master, Decision::Approve).is_err());
        assert!(check_decision(1, &master, Decision::Refuse).is_err());
        assert!(check_decision(1, &master, Decision::Withdraw).is_ok());
    }

    #[test]
    fn only_a_master_decides_and_only_the_author_withdraws() {
        let other_master = who(2, Role::Master);
        let liaison = who(3, Role::Liaison);
        assert!(check_decision(1, &other_master, Decision::Approve).is_ok());
        assert!(check_decision(1, &other_master, Decision::Refuse).is_ok());
        assert!(check_decision(1, &other_master, Decision::Withdraw).is_err());
        assert!(check_decision(1, &liaison, Decision::Approve).is_err());
        assert!(check_decision(3, &liaison, Decision::Withdraw).is_ok());
    }

    #[test]
    fn amounts_are_whole_positive_points() {
        assert_eq!(parse_amount(" 12 "), Some(12));
        for bad in ["0", "-3", "1.5", "", "十", "99999999999999999999"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
