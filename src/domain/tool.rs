//! The tool corner (工具角): tools, first-aid items and walkers lent to
//! members. The opening checklist counts these items; what is out on loan
//! is not on the shelf, so the count expects only what is not lent.
//!
//! Pure rules: who may borrow what, when a loan is due, when it is
//! overdue, what the opening count expects, what a loss leaves.

use crate::msg;
use crate::msg::Refusal;
use chrono::{Days, NaiveDate};

/// What kind of item a checklist item is for lending: its default loan
/// period follows. `None`: not lent (plasters are used up, not returned).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LendKind {
    None,
    Tool,
    FirstAid,
    Walker,
}

/// The longest loan the desk takes: a walker over a recovery is the
/// longest the handbook speaks of; longer is a gift, not a loan.
pub const MAX_LOAN_DAYS: u64 = 90;

impl LendKind {
    pub const ALL: [LendKind; 4] = [
        LendKind::None,
        LendKind::Tool,
        LendKind::FirstAid,
        LendKind::Walker,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LendKind::None => "none",
            LendKind::Tool => "tool",
            LendKind::FirstAid => "first_aid",
            LendKind::Walker => "walker",
        }
    }

    pub fn parse(s: &str) -> Option<LendKind> {
        LendKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            LendKind::None => crate::k!("tool.kind.none"),
            LendKind::Tool => crate::k!("tool.kind.tool"),
            LendKind::FirstAid => crate::k!("tool.kind.first_aid"),
            LendKind::Walker => crate::k!("tool.kind.walker"),
        }
    }

    pub fn lendable(self) -> bool {
        self != LendKind::None
    }

    /// How long a loan runs unless the desk says otherwise: a tool for a
    /// job about the house, a first-aid item for a few days, a walker
    /// through a recovery.
    pub fn default_days(self) -> u64 {
        match self {
            LendKind::None => 0,
            LendKind::Tool => 7,
            LendKind::FirstAid => 3,
            LendKind::Walker => 30,
        }
    }
}

/// The due date of a loan lent on `lent` with the kind's default period.
pub fn default_due(lent: NaiveDate, kind: LendKind) -> NaiveDate {
    lent.checked_add_days(Days::new(kind.default_days()))
        .unwrap_or(lent)
}

/// A due date typed at the desk: today at the earliest, within
/// [`MAX_LOAN_DAYS`].
pub fn check_due(due: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if due < today {
        return Err(Refusal::at("due", msg!("tool.due_past")));
    }
    let last = today
        .checked_add_days(Days::new(MAX_LOAN_DAYS))
        .unwrap_or(today);
    if due > last {
        return Err(Refusal::at(
            "due",
            msg!("tool.due_too_far", days = MAX_LOAN_DAYS),
        ));
    }
    Ok(())
}

/// A loan is overdue from the day after its due date.
pub fn is_overdue(due: NaiveDate, today: NaiveDate) -> bool {
    today > due
}

/// How many days past its due date (0 while not overdue).
pub fn days_overdue(due: NaiveDate, today: NaiveDate) -> u32 {
    (today - due).num_days().max(0) as u32
}

/// What the opening count expects on the shelf: the station's count less
/// what is out on loan.
pub fn expected_on_shelf(count: u32, on_loan: u32) -> u32 {
    count.saturating_sub(on_loan)
}

/// How many may still be lent.
pub fn available(count: u32, on_loan: u32) -> u32 {
    count.saturating_sub(on_loan)
}

/// The count after one is lost or broken; `None` when none are left (the
/// item leaves the checklist until the station master buys another).
pub fn count_after_loss(count: u32) -> Option<u32> {
    count.checked_sub(1).filter(|n| *n > 0)
}

/// The borrower as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Borrower {
    pub approved: bool,
    pub blacklisted: bool,
    /// Frozen (suspended) for a violation or a dispute.
    pub frozen: bool,
    /// Their loans past due, not yet back.
    pub overdue: u32,
    /// Walkers they have out now.
    pub walkers_out: u32,
}

/// The item as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stock {
    pub kind: LendKind,
    pub count: u32,
    pub on_loan: u32,
}

/// Whether this member may borrow this item: an approved member, not
/// blacklisted, not frozen, with nothing overdue; one walker per member
/// (a station has few); one left to lend.
pub fn may_lend(b: &Borrower, s: &Stock) -> Result<(), Refusal> {
    if !s.kind.lendable() {
        return Err(Refusal::at("item", msg!("tool.not_lent")));
    }
    if !b.approved {
        return Err(Refusal::at("member", msg!("tool.member_not_approved")));
    }
    if b.blacklisted {
        return Err(Refusal::at("member", msg!("tool.member_blacklisted")));
    }
    if b.frozen {
        return Err(Refusal::at("member", msg!("tool.member_frozen")));
    }
    if b.overdue > 0 {
        return Err(Refusal::at(
            "member",
            msg!("tool.member_overdue", n = b.overdue),
        ));
    }
    if s.kind == LendKind::Walker && b.walkers_out > 0 {
        return Err(Refusal::at("member", msg!("tool.one_walker")));
    }
    if available(s.count, s.on_loan) == 0 {
        return Err(Refusal::at("item", msg!("tool.none_left")));
    }
    Ok(())
}

/// How an item came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Condition {
    Good,
    Damaged,
}

impl Condition {
    pub const ALL: [Condition; 2] = [Condition::Good, Condition::Damaged];

    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Good => "good",
            Condition::Damaged => "damaged",
        }
    }

    pub fn parse(s: &str) -> Option<Condition> {
        Condition::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Condition::Good => crate::k!("tool.cond.good"),
            Condition::Damaged => crate::k!("tool.cond.damaged"),
        }
    }
}

/// How an item left the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loss {
    Lost,
    Broken,
}

impl Loss {
    pub const ALL: [Loss; 2] = [Loss::Lost, Loss::Broken];

    pub fn as_str(self) -> &'static str {
        match self {
            Loss::Lost => "lost",
            Loss::Broken => "broken",
        }
    }

    pub fn parse(s: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Loss::Lost => crate::k!("tool.loss.lost"),
            Loss::Broken => crate::k!("tool.loss.broken"),
        }
    }
}

/// A damaged return needs a note saying what is wrong; a loss needs one
/// saying what happened (the count goes down on its word).
pub fn check_note(note: &str, needed: bool) -> Result<(), Refusal> {
    if needed && note.trim().is_empty() {
        return Err(Refusal::at("note", msg!("tool.note_required")));
    }
    if note.chars().count() > 200 {
        return Err(Refusal::at("note", msg!("tool.note_too_long")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ok_member() -> Borrower {
        Borrower {
            approved: true,
            ..Borrower::default()
        }
    }

    fn walker(count: u32, on_loan: u32) -> Stock {
        Stock {
            kind: LendKind::Walker,
            count,
            on_loan,
        }
    }

    fn field(r: Result<(), Refusal>) -> Option<&'static str> {
        r.unwrap_err().field
    }

    #[test]
    fn the_default_due_date_follows_the_kind() {
        let lent = d("2026-12-04");
        assert_eq!(default_due(lent, LendKind::Tool), d("2026-12-11"));
        assert_eq!(default_due(lent, LendKind::FirstAid), d("2026-12-07"));
        assert_eq!(default_due(lent, LendKind::Walker), d("2027-01-03"));
    }

    #[test]
    fn a_due_date_is_today_or_later_and_within_ninety_days() {
        let today = d("2026-12-04");
        assert!(check_due(today, today).is_ok());
        assert_eq!(field(check_due(d("2026-12-03"), today)), Some("due"));
        assert!(check_due(d("2027-03-04"), today).is_ok());
        assert_eq!(field(check_due(d("2027-03-05"), today)), Some("due"));
    }

    #[test]
    fn a_loan_is_overdue_the_day_after_it_is_due() {
        let due = d("2026-12-04");
        assert!(!is_overdue(due, due));
        assert!(is_overdue(due, d("2026-12-05")));
        assert_eq!(days_overdue(due, d("2026-12-07")), 3);
        assert_eq!(days_overdue(due, d("2026-12-01")), 0);
    }

    #[test]
    fn a_walker_on_loan_is_not_expected_on_the_shelf() {
        assert_eq!(expected_on_shelf(2, 1), 1);
        assert_eq!(expected_on_shelf(2, 2), 0);
        assert_eq!(expected_on_shelf(1, 3), 0);
    }

    #[test]
    fn who_may_borrow() {
        assert!(may_lend(&ok_member(), &walker(2, 0)).is_ok());
        let pending = Borrower::default();
        assert_eq!(field(may_lend(&pending, &walker(2, 0))), Some("member"));
        for b in [
            Borrower {
                blacklisted: true,
                ..ok_member()
            },
            Borrower {
                frozen: true,
                ..ok_member()
            },
            Borrower {
                overdue: 1,
                ..ok_member()
            },
            Borrower {
                walkers_out: 1,
                ..ok_member()
            },
        ] {
            assert_eq!(field(may_lend(&b, &walker(2, 0))), Some("member"), "{b:?}");
        }
        // a second walker no, a screwdriver beside a walker yes
        let holding = Borrower {
            walkers_out: 1,
            ..ok_member()
        };
        let tool = Stock {
            kind: LendKind::Tool,
            count: 2,
            on_loan: 0,
        };
        assert!(may_lend(&holding, &tool).is_ok());
        assert_eq!(field(may_lend(&ok_member(), &walker(2, 2))), Some("item"));
        let plasters = Stock {
            kind: LendKind::None,
            count: 20,
            on_loan: 0,
        };
        assert_eq!(field(may_lend(&ok_member(), &plasters)), Some("item"));
    }

    #[test]
    fn a_loss_needs_a_note_and_the_last_one_retires_the_item() {
        assert!(check_note("", false).is_ok());
        assert_eq!(field(check_note("  ", true)), Some("note"));
        assert_eq!(field(check_note(&"长".repeat(201), false)), Some("note"));
        assert_eq!(count_after_loss(2), Some(1));
        assert_eq!(count_after_loss(1), None);
        assert_eq!(count_after_loss(0), None);
    }

    #[test]
    fn kinds_read_back() {
        for k in LendKind::ALL {
            assert_eq!(LendKind::parse(k.as_str()), Some(k));
        }
        for c in Condition::ALL {
            assert_eq!(Condition::parse(c.as_str()), Some(c));
        }
        for l in Loss::ALL {
            assert_eq!(Loss::parse(l.as_str()), Some(l));
        }
        assert_eq!(LendKind::parse("Walker"), None);
    }

    fn kind() -> impl Strategy<Value = LendKind> {
        prop::sample::select(LendKind::ALL.to_vec())
    }

    proptest! {
        /// Whatever is lent and counted, the shelf and the loans add up to
        /// the station's count while there are enough, and never go below zero.
        #[test]
        fn shelf_and_loans_add_up(count in 0u32..50, on_loan in 0u32..60) {
            let shelf = expected_on_shelf(count, on_loan);
            prop_assert!(shelf <= count);
            if on_loan <= count {
                prop_assert_eq!(shelf + on_loan, count);
            } else {
                prop_assert_eq!(shelf, 0);
            }
        }

        /// Lending is allowed only while one is left, and never to anyone
        /// with something overdue.
        #[test]
        fn nothing_lent_beyond_the_count_or_to_the_overdue(
            k in kind(), count in 0u32..5, on_loan in 0u32..6,
            approved: bool, blacklisted: bool, frozen: bool,
            overdue in 0u32..3, walkers_out in 0u32..2,
        ) {
            let b = Borrower { approved, blacklisted, frozen, overdue, walkers_out };
            let s = Stock { kind: k, count, on_loan };
            if may_lend(&b, &s).is_ok() {
                prop_assert!(on_loan < count);
                prop_assert!(approved && !blacklisted && !frozen && overdue == 0);
                prop_assert!(k.lendable());
                prop_assert!(k != LendKind::Walker || walkers_out == 0);
            }
        }

        /// The default due date is never overdue the day it is lent, and is
        /// a due date the desk takes.
        #[test]
        fn the_default_due_date_is_taken(k in kind(), offset in 0i64..3000) {
            let lent = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(offset);
            let due = default_due(lent, k);
            prop_assert!(!is_overdue(due, lent));
            prop_assert!(check_due(due, lent).is_ok());
            prop_assert_eq!(days_overdue(due, lent), 0);
        }
    }
}
