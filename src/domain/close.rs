//! The close rule: what a station day needs before it may be closed. One
//! rule for F10 at the desk and `shiguang close-day`
//! (`crate::routines::close_day` applies it to the day's facts from the
//! store before the store writes anything).
//!
//! F10 leads the desk through the same rule: it goes to an earlier day left
//! open when today was never opened, and its form asks for the story and
//! the documents.

use crate::msg;
use crate::msg::Refusal;
use chrono::NaiveDate;

/// What the store knows of the day to close.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayFacts {
    pub day: NaiveDate,
    /// The station's today, by its clock.
    pub today: NaiveDate,
    pub opened: bool,
    pub closed: bool,
    /// The latest earlier day opened and never closed.
    pub earlier_open: Option<NaiveDate>,
}

/// What the one closing says about the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing<'a> {
    pub story: &'a str,
    pub docs_locked: bool,
}

/// The close may go ahead: a new close, or the day's stored summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseVerdict {
    Close,
    AlreadyClosed,
}

/// Why a day may not be closed, first reason first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotYet {
    Future,
    /// The day was never opened and an earlier one was left open: that
    /// one is closed first.
    EarlierOpen(NaiveDate),
    NotOpen,
    NoStory,
    DocsNotLocked,
}

impl NotYet {
    /// A refusal the closer can correct (as opposed to a day that cannot be
    /// closed now): the command line exits 2 on these.
    pub fn is_correctable(self) -> bool {
        matches!(
            self,
            NotYet::EarlierOpen(_) | NotYet::NoStory | NotYet::DocsNotLocked
        )
    }

    /// The refusal, at the close form's field it belongs to.
    pub fn refusal(self, day: NaiveDate) -> Refusal {
        match self {
            NotYet::Future => Refusal::at("date", msg!("close.future")),
            NotYet::EarlierOpen(e) => {
                Refusal::general(msg!("close.earlier_open", day = e.to_string()))
            }
            NotYet::NotOpen => Refusal::general(msg!("close.not_open", day = day)),
            NotYet::NoStory => Refusal::at("story", msg!("close.story_required")),
            NotYet::DocsNotLocked => Refusal::at("docs_locked", msg!("close.docs_required")),
        }
    }
}

/// May `facts.day` be closed as `closing` says? A closed day needs nothing
/// (its stored summary is shown again); otherwise the day is not in the
/// future, an earlier day left open goes first when this one was never
/// opened, it was opened, it has its story and the paper documents are
/// locked away.
pub fn may_close(facts: &DayFacts, closing: Closing<'_>) -> Result<CloseVerdict, NotYet> {
    if facts.closed {
        return Ok(CloseVerdict::AlreadyClosed);
    }
    if facts.day > facts.today {
        return Err(NotYet::Future);
    }
    if !facts.opened {
        return Err(match facts.earlier_open.filter(|e| *e < facts.day) {
            Some(e) => NotYet::EarlierOpen(e),
            None => NotYet::NotOpen,
        });
    }
    if closing.story.trim().is_empty() {
        return Err(NotYet::NoStory);
    }
    if !closing.docs_locked {
        return Err(NotYet::DocsNotLocked);
    }
    Ok(CloseVerdict::Close)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn open_today() -> DayFacts {
        DayFacts {
            day: d("2026-11-23"),
            today: d("2026-11-23"),
            opened: true,
            closed: false,
            earlier_open: None,
        }
    }

    const GOOD: Closing<'static> = Closing {
        story: "邻里互助",
        docs_locked: true,
    };

    #[test]
    fn an_open_day_with_its_story_and_documents_closes() {
        assert_eq!(may_close(&open_today(), GOOD), Ok(CloseVerdict::Close));
    }

    #[test]
    fn the_story_is_required_and_blank_is_none() {
        for story in ["", "   ", "\t"] {
            let c = Closing { story, ..GOOD };
            assert_eq!(may_close(&open_today(), c), Err(NotYet::NoStory));
        }
    }

    #[test]
    fn the_documents_must_be_locked_away() {
        let c = Closing {
            docs_locked: false,
            ..GOOD
        };
        assert_eq!(may_close(&open_today(), c), Err(NotYet::DocsNotLocked));
    }

    #[test]
    fn a_future_day_is_refused_before_anything_else() {
        let f = DayFacts {
            day: d("2026-11-24"),
            opened: false,
            earlier_open: Some(d("2026-11-20")),
            ..open_today()
        };
        let c = Closing {
            story: "",
            docs_locked: false,
        };
        assert_eq!(may_close(&f, c), Err(NotYet::Future));
    }

    #[test]
    fn an_earlier_day_left_open_goes_first_when_this_one_was_never_opened() {
        let f = DayFacts {
            opened: false,
            earlier_open: Some(d("2026-11-20")),
            ..open_today()
        };
        assert_eq!(
            may_close(&f, GOOD),
            Err(NotYet::EarlierOpen(d("2026-11-20")))
        );
        let never = DayFacts {
            earlier_open: None,
            ..f
        };
        assert_eq!(may_close(&never, GOOD), Err(NotYet::NotOpen));
    }

    #[test]
    fn an_opened_day_closes_with_an_earlier_one_still_open_as_f10_does() {
        let f = DayFacts {
            earlier_open: Some(d("2026-11-20")),
            ..open_today()
        };
        assert_eq!(may_close(&f, GOOD), Ok(CloseVerdict::Close));
    }

    #[test]
    fn a_closed_day_needs_nothing_more() {
        let f = DayFacts {
            closed: true,
            ..open_today()
        };
        let c = Closing {
            story: "",
            docs_locked: false,
        };
        assert_eq!(may_close(&f, c), Ok(CloseVerdict::AlreadyClosed));
    }

    #[test]
    fn each_refusal_names_its_field_and_which_the_closer_can_correct() {
        let day = d("2026-11-23");
        assert_eq!(NotYet::NoStory.refusal(day).field, Some("story"));
        assert_eq!(
            NotYet::DocsNotLocked.refusal(day).field,
            Some("docs_locked")
        );
        assert_eq!(NotYet::Future.refusal(day).field, Some("date"));
        assert_eq!(NotYet::NotOpen.refusal(day).field, None);
        assert!(NotYet::EarlierOpen(day).is_correctable());
        assert!(NotYet::NoStory.is_correctable() && NotYet::DocsNotLocked.is_correctable());
        assert!(!NotYet::Future.is_correctable() && !NotYet::NotOpen.is_correctable());
    }

    proptest! {
        /// Whatever the facts, a close goes ahead only for an opened day,
        /// not in the future, with a story and the documents locked.
        #[test]
        fn a_close_goes_ahead_only_when_everything_is_there(
            offset in -3i64..3, opened: bool, closed: bool, earlier: Option<u8>,
            story in "[ a-z]{0,4}", docs_locked: bool,
        ) {
            let today = d("2026-11-23");
            let f = DayFacts {
                day: today + chrono::Duration::days(offset),
                today,
                opened,
                closed,
                earlier_open: earlier.map(|n| today - chrono::Duration::days(i64::from(n % 5) + 4)),
            };
            let c = Closing { story: &story, docs_locked };
            match may_close(&f, c) {
                Ok(CloseVerdict::Close) => {
                    prop_assert!(!closed && opened && offset <= 0);
                    prop_assert!(!story.trim().is_empty() && docs_locked);
                }
                Ok(CloseVerdict::AlreadyClosed) => prop_assert!(closed),
                Err(_) => prop_assert!(!closed),
            }
        }
    }
}
