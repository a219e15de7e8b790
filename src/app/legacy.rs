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
use super::{ledger, record, stats};
use crate::domain::time;
use crate::store::queue::RequestRow;

impl App {
    /// The dispatch's arm for a pane that is not a component yet; whether
    /// the pane had a use for the call (as [`Call`] says).
    pub(super) fn legacy_call(&mut self, pane: Pane, call: Call) -> bool {
        match (pane, call) {
            (Pane::Members, Call::Entered) => self.members_entered(),
            (Pane::Members, Call::Command(c)) => self.members_command(c),
            (Pane::Members, Call::Submit) => self.submit_members_form(),
            (Pane::Record, Call::Entered) => self.record_entered(),
            (Pane::Record, Call::Command(c)) => self.record_command(c),
            (Pane::Record, Call::Submit) => self.submit_record_form(),
            (Pane::Record, Call::FormChanged) => self.record_form_changed(),
            (Pane::Ledger, Call::Entered) => self.ledger_entered(),
            (Pane::Ledger, Call::Command(c)) => self.ledger_command(c),
            (Pane::Ledger, Call::Submit) => self.submit_ledger_form(),
            (Pane::Ledger, Call::MemberFound(id)) => self.ledger_show(id),
            (Pane::Stats, Call::Entered) => self.stats_entered(),
            (Pane::Stats, Call::Command(c)) => self.stats_command(c),
            (Pane::Stats, Call::Submit) => self.submit_stats_form(),
            // what these panes have no use for (a member found goes to the
            // members pane); a component pane never comes here
            (Pane::Members | Pane::Record | Pane::Ledger, Call::Tick)
            | (Pane::Members | Pane::Ledger | Pane::Stats, Call::FormChanged)
            | (Pane::Stats, Call::Tick)
            | (Pane::Members | Pane::Record | Pane::Stats, Call::MemberFound(_))
            | (Pane::Queue | Pane::Match | Pane::Disputes | Pane::Merchants | Pane::Settings, _) => {
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
            Command::New => {
                matches!(pane, Some(Pane::Members | Pane::Record))
            }
            Command::Edit => false,
            Command::AddStaff | Command::AddServiceType | Command::ResetPin => false,
            Command::Refresh => pane.is_some(),
            Command::SwitchSection => {
                matches!(pane, Some(Pane::Members | Pane::Record | Pane::Stats))
            }
            Command::DrawCallbacks => pane == Some(Pane::Stats),
            Command::AnswerCallback => desk.is_some_and(|d| d.stats.view == stats::View::Callbacks),
            Command::SpotPass | Command::SpotFail => {
                desk.is_some_and(|d| d.record.view == record::View::Spot)
            }
            Command::ApproveCorrection | Command::RefuseCorrection => desk.is_some_and(|d| {
                pane == Some(Pane::Ledger) && d.ledger.view == ledger::View::Corrections
            }),
            Command::Reverse | Command::Adjust | Command::Freeze | Command::Estate => desk
                .is_some_and(|d| {
                    pane == Some(Pane::Ledger) && d.ledger.view == ledger::View::Statement
                }),
            Command::RevealPhone => desk.is_some_and(|d| match pane {
                Some(Pane::Members) => d.members.detail.is_some(),
                Some(Pane::Stats) => d.stats.view == stats::View::Callbacks,
                _ => false,
            }),
            Command::Filter => false,
            Command::FilterType => false,
            _ => true,
        }
    }

    /// The record form, prefilled from a matched request.
    pub(super) fn legacy_record_form(&mut self, r: &RequestRow) {
        let tz = self.state.tz();
        let helper = r.helper_id.unwrap_or_default();
        let payer = if r.pool_pays { "pool" } else { "recipient" };
        let prefill = vec![
            ("request", r.id.to_string()),
            (
                "provider",
                format!("{helper}\t{}", self.member_label(helper)),
            ),
            (
                "recipient",
                format!(
                    "{}\t{} {}",
                    r.requester_id.unwrap_or_default(),
                    r.requester_number,
                    r.requester
                ),
            ),
            ("type", r.type_id.to_string()),
            ("date", time::fmt_local(r.window_start, tz, "%Y-%m-%d")),
            ("start", time::fmt_local(r.window_start, tz, "%H:%M")),
            ("minutes", r.minutes.to_string()),
            ("payer", payer.to_string()),
        ];
        if let Some(d) = self.desk_mut() {
            d.pane = Pane::Record;
        }
        self.open_record_form(&prefill);
    }
}
