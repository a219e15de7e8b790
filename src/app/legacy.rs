//! LEGACY — the panes not yet moved onto [`PaneComponent`], reached through
//! their old `App` methods from the one dispatch (`app/dispatch.rs`).
//!
//! Issue 18, phase 2: moving a pane deletes its arm in each function here
//! (and adds it to `app/panes/mod.rs`). Phase 3 deletes this file.
//!
//! [`PaneComponent`]: super::pane::PaneComponent

use super::App;
use super::action::Command;
use super::keymap::Context;
use super::panes::{Call, Pane};

impl App {
    /// The dispatch's arm for a pane that is not a component yet; whether
    /// the pane had a use for the call (as [`Call`] says).
    pub(super) fn legacy_call(&mut self, pane: Pane, call: Call) -> bool {
        match (pane, call) {
            (Pane::Members, Call::Entered) => self.members_entered(),
            (Pane::Members, Call::Command(c)) => self.members_command(c),
            (Pane::Members, Call::Submit) => self.submit_members_form(),
            // what the members pane has no use for; a component pane never
            // comes here
            (Pane::Members, Call::Tick | Call::FormChanged | Call::MemberFound(_))
            | (
                Pane::Queue
                | Pane::Match
                | Pane::Record
                | Pane::Ledger
                | Pane::Disputes
                | Pane::Stats
                | Pane::Merchants
                | Pane::Settings,
                _,
            ) => {
                return false;
            }
        }
        true
    }

    /// The keymap contexts of a pane that is not a component yet.
    pub(super) fn legacy_contexts(pane: Pane) -> Vec<Context> {
        let own = match pane {
            Pane::Settings => Context::Settings,
            Pane::Members => Context::Members,
            Pane::Record => Context::Record,
            Pane::Ledger => Context::Ledger,
            Pane::Queue => Context::Queue,
            Pane::Match => Context::Match,
            Pane::Disputes => Context::Disputes,
            Pane::Stats => Context::Stats,
            Pane::Merchants => Context::Merchants,
        };
        vec![own, Context::List]
    }

    /// Whether a command of a pane's own contexts does something now, for a
    /// pane that is not a component yet (`None`: no pane in front).
    pub(super) fn legacy_available(&self, pane: Option<Pane>, cmd: Command) -> bool {
        let desk = self.state.desk();
        match cmd {
            Command::Select => false,
            Command::New => pane == Some(Pane::Members),
            Command::Edit => false,
            Command::AddStaff | Command::AddServiceType | Command::ResetPin => false,
            Command::Refresh => pane.is_some(),
            Command::SwitchSection => pane == Some(Pane::Members),
            Command::RevealPhone => desk.is_some_and(|d| match pane {
                Some(Pane::Members) => d.members.detail.is_some(),
                _ => false,
            }),
            Command::Filter => false,
            Command::FilterType => false,
            _ => true,
        }
    }
}
