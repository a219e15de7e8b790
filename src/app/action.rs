//! The only ways state changes: an [`Action`] in, [`Effect`]s out.

use crate::domain::time::Stamp;
use crate::worker::{Done, Job};
use crossterm::event::KeyEvent;
use serde::{Deserialize, Serialize};

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    /// The 1-second clock; carries "now" so the update never reads the clock.
    Tick(Stamp),
    Resize(u16, u16),
    /// A job the worker finished.
    Db(Box<Done>),
    /// SIGTERM, SIGHUP, console close: save drafts and leave.
    Terminate,
}

/// What the update asks the outside world to do.
#[derive(Debug)]
pub enum Effect {
    /// Hand a job to the db worker.
    Db(Job),
    Bell,
    Quit,
}

/// A named thing the staff can do by key. The keymap binds keys to these,
/// help and the status line describe them (`cmd.<name>` in the catalogs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    // global
    Quit,
    Help,
    Search,
    Lock,
    GoQueue,
    GoMatch,
    GoRecord,
    GoLedger,
    GoDisputes,
    GoMembers,
    GoStats,
    GoMerchants,
    GoSettings,
    GoHub,
    OpenStation,
    CloseStation,
    // lists
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Select,
    New,
    Edit,
    Filter,
    Refresh,
    // forms
    NextField,
    PrevField,
    NextOrSubmit,
    Submit,
    Cancel,
    Toggle,
    ChoiceNext,
    ChoicePrev,
    // dialogs
    Yes,
    No,
    // the unfinished forms offered back at sign-in
    RestoreDrafts,
    DiscardDrafts,
    // settings pane
    AddStaff,
    ResetPin,
    ToggleActive,
    SwitchSection,
    AddServiceType,
    // members pane
    RevealPhone,
    Approve,
    Reject,
    RecordCall,
    Card,
    ToggleQr,
    Export,
    /// A printed page: a receipt, the close report.
    Print,
    Heir,
    Violation,
    RunLevels,
    // queue and matching panes
    FilterType,
    Respond,
    StartService,
    CancelRequest,
    Match,
    EnterRecord,
    LogContact,
    // disputes pane
    NewSuggestion,
    HqReport,
    ReviewReport,
    Decide,
    Tell,
    ReplySuggestion,
    MarkSerious,
    // records pane
    ThankYou,
    SpotPass,
    SpotFail,
    // ledger pane
    CheckChain,
    Reverse,
    Adjust,
    Corrections,
    ApproveCorrection,
    RefuseCorrection,
    Freeze,
    Estate,
    // open and close routines
    Midday,
    MarkReplenished,
    ReopenDay,
    // stats pane
    DrawCallbacks,
    AnswerCallback,
    // merchants pane
    NewOffer,
    WithdrawOffer,
    Redeem,
    Rate,
    PriceCheck,
    ResolveViolation,
    MerchantStatus,
    Deposit,
    Import,
    Settle,
    // hub pane
    SignUp,
    Attend,
    PlanRegular,
    // hub pane, the tool corner
    Lend,
    TakeBack,
    WriteOff,
    // the hub's medals view
    Medals,
    Award,
    // the hub's fund view
    FundIncome,
    FundExpense,
    FundSign,
    NoticeBoard,
}

impl Command {
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// What a pane is mostly for: first in the key bar and in help.
    pub fn is_main(self) -> bool {
        matches!(self, Command::New | Command::Submit | Command::Yes)
    }

    /// A key that moves a list's selection (the same in every list).
    pub fn moves_in_list(self) -> bool {
        matches!(
            self,
            Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::Top
                | Command::Bottom
        )
    }

    /// Where a list's selection `sel` goes for this key, in a list whose
    /// last row is `last`, a page being `page` rows; any other key leaves
    /// it where it is.
    pub fn moved(self, sel: usize, last: usize, page: usize) -> usize {
        match self {
            Command::Up => sel.saturating_sub(1),
            Command::Down => (sel + 1).min(last),
            Command::PageUp => sel.saturating_sub(page),
            Command::PageDown => (sel + page).min(last),
            Command::Top => 0,
            Command::Bottom => last,
            _ => sel,
        }
    }

    /// Worth a place in the one-line status bar (moving around is obvious,
    /// help lists it all).
    pub fn in_status(self) -> bool {
        !self.moves_in_list()
            && !self.goes_to_pane()
            && !matches!(self, Command::PrevField | Command::ChoicePrev)
    }

    /// A key that brings up a pane (`1`–`9`, `0`).
    pub fn goes_to_pane(self) -> bool {
        matches!(
            self,
            Command::GoQueue
                | Command::GoMatch
                | Command::GoRecord
                | Command::GoLedger
                | Command::GoDisputes
                | Command::GoMembers
                | Command::GoStats
                | Command::GoMerchants
                | Command::GoSettings
                | Command::GoHub
        )
    }

    /// Catalog key of the description shown in help and the status line.
    pub fn describe_key(self) -> String {
        format!("cmd.{}", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Command;

    #[test]
    fn list_keys_move_within_the_list_and_others_leave_it() {
        let moves = [
            (Command::Up, 0),
            (Command::Down, 2),
            (Command::PageUp, 0),
            (Command::PageDown, 4),
            (Command::Top, 0),
            (Command::Bottom, 4),
        ];
        for (cmd, to) in moves {
            assert!(cmd.moves_in_list());
            assert_eq!(cmd.moved(1, 4, 10), to, "{cmd:?}");
        }
        assert_eq!(Command::Down.moved(4, 4, 10), 4, "no further than the last");
        assert_eq!(Command::Up.moved(0, 0, 10), 0, "an empty list stays at 0");
        assert!(!Command::New.moves_in_list());
        assert_eq!(Command::New.moved(3, 4, 10), 3);
    }
}
