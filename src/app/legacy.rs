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
use super::{merchants, settings};

impl App {
    /// The dispatch's arm for a pane that is not a component yet; whether
    /// the pane had a use for the call (as [`Call`] says).
    pub(super) fn legacy_call(&mut self, pane: Pane, call: Call) -> bool {
        match (pane, call) {
            (Pane::Settings, Call::Entered) => self.load_staff(),
            (Pane::Settings, Call::Command(c)) => self.settings_command(c),
            (Pane::Settings, Call::Submit) => self.submit_settings_form(),
            (Pane::Settings, Call::FormChanged) => self.settings_form_changed(),
            (Pane::Members, Call::Entered) => self.members_entered(),
            (Pane::Members, Call::Command(c)) => self.members_command(c),
            (Pane::Members, Call::Submit) => self.submit_members_form(),
            (Pane::Disputes, Call::Entered) => self.disputes_entered(),
            (Pane::Disputes, Call::Command(c)) => self.disputes_command(c),
            (Pane::Disputes, Call::Submit) => self.submit_disputes_form(),
            (Pane::Disputes, Call::FormChanged) => self.disputes_form_changed(),
            (Pane::Disputes, Call::Tick) => self.disputes_refilter(),
            (Pane::Disputes, Call::MemberFound(id)) => self.disputes_member(id),
            (Pane::Merchants, Call::Entered) => self.merchants_entered(),
            (Pane::Merchants, Call::Command(c)) => self.merchants_command(c),
            (Pane::Merchants, Call::Submit) => self.submit_merchants_form(),
            // what these panes have no use for (a member found goes to the
            // members pane); a component pane never comes here
            (Pane::Settings | Pane::Members, Call::Tick)
            | (Pane::Members | Pane::Merchants, Call::FormChanged)
            | (Pane::Merchants, Call::Tick)
            | (Pane::Settings | Pane::Members | Pane::Merchants, Call::MemberFound(_))
            | (Pane::Queue | Pane::Match | Pane::Record | Pane::Ledger | Pane::Stats, _) => {
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
            Command::Select => pane == Some(Pane::Settings),
            Command::New => {
                matches!(pane, Some(Pane::Members | Pane::Disputes | Pane::Merchants))
                    || self.settings_section() == Some(settings::Section::Checklist)
            }
            Command::Edit => matches!(pane, Some(Pane::Settings | Pane::Merchants)),
            Command::WithdrawOffer => desk.is_some_and(|d| {
                pane == Some(Pane::Merchants) && d.merchants.view == merchants::View::Offers
            }),
            Command::AddStaff | Command::AddServiceType | Command::ResetPin => {
                pane == Some(Pane::Settings)
                    && self.settings_section() != Some(settings::Section::Checklist)
            }
            Command::Refresh => pane.is_some(),
            Command::SwitchSection => {
                matches!(pane, Some(Pane::Members | Pane::Settings | Pane::Merchants))
            }
            Command::RevealPhone => desk.is_some_and(|d| match pane {
                Some(Pane::Members) => d.members.detail.is_some(),
                _ => false,
            }),
            Command::Filter => pane == Some(Pane::Disputes),
            Command::FilterType => false,
            _ => true,
        }
    }
}
