//! What the keys do here and now: the keymap contexts in force, and which
//! commands are available (help and the status line show only those).

use super::App;
use super::action::Command;
use super::form::{self, Form};
use super::keymap::{Chord, Context};
use super::state::*;

impl App {
    /// Keymap contexts in force now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.state.overlay {
            Some(Overlay::Help { .. }) => vec![Context::Help],
            Some(Overlay::Confirm(_) | Overlay::NewFile(_)) => vec![Context::Dialog],
            Some(Overlay::Drafts(_)) => vec![Context::Drafts],
            Some(Overlay::Search(_)) => vec![Context::Search],
            None => self.contexts_without_overlay(),
        }
    }

    /// The contexts of the screen under any overlay (what help describes).
    pub fn contexts_without_overlay(&self) -> Vec<Context> {
        if let Some(f) = self.active_form_ref() {
            let mut cx = if f.suggest.is_empty() {
                vec![Context::Form]
            } else {
                vec![Context::Suggest, Context::Form]
            };
            // the close form: what carries over scrolls beside it
            if self.routine_ref().is_some_and(|r| r.closing()) {
                cx.push(Context::Carry);
            }
            return cx;
        }
        match self.pane() {
            Some(p) => self.pane_contexts(p),
            None if self.routine_open() => self.routine_contexts(),
            None => vec![],
        }
    }

    /// Whether a command does something here and now (help hides the rest).
    pub fn command_available(&self, cmd: Command) -> bool {
        let in_desk = self.state.session().is_some();
        let go = |p: Pane| in_desk && p.is_available();
        match cmd {
            Command::GoQueue => go(Pane::Queue),
            Command::GoMatch => go(Pane::Match),
            Command::GoRecord => go(Pane::Record),
            Command::GoLedger => go(Pane::Ledger),
            Command::GoDisputes => go(Pane::Disputes),
            Command::GoMembers => go(Pane::Members),
            Command::GoStats => go(Pane::Stats),
            Command::GoMerchants => go(Pane::Merchants),
            Command::GoSettings => go(Pane::Settings),
            Command::GoHub => go(Pane::Hub),
            Command::Lock => in_desk,
            // F2/F10 has no member to find: a search would act on the pane
            // hidden behind it
            Command::Search => in_desk && !self.routine_open(),
            Command::OpenStation | Command::CloseStation => in_desk,
            Command::Midday | Command::MarkReplenished | Command::ReopenDay => {
                self.routine_available(cmd)
            }
            Command::Toggle => self.focused_kind(|k| {
                matches!(
                    k,
                    form::FieldKind::Toggle { .. } | form::FieldKind::Multi { .. }
                )
            }),
            Command::ChoiceNext | Command::ChoicePrev => self.focused_kind(|k| {
                matches!(
                    k,
                    form::FieldKind::Choice { .. } | form::FieldKind::Multi { .. }
                )
            }),
            // Enter in a dialog, in search
            Command::Select if in_desk && self.state.overlay.is_some() => true,
            // the rest depends on F2/F10 or the pane in front
            _ if self.routine_open() => self.routine_available(cmd),
            _ => self.pane_available(self.pane(), cmd),
        }
    }

    pub(super) fn focused_kind(&self, f: impl Fn(&form::FieldKind) -> bool) -> bool {
        self.active_form_ref()
            .and_then(Form::focused)
            .is_some_and(|x| f(&x.kind))
    }

    /// Whether the focused field (under any overlay) takes typed text.
    pub fn text_focused(&self) -> bool {
        self.active_form_ref().is_some_and(Form::text_focused)
    }

    /// Keys bound in `ctx` that work right now: letter keys are left out
    /// while a text field takes the typing (dialogs and help take them all).
    pub fn usable_keys(&self, ctx: Context, keys: &[Chord]) -> Vec<Chord> {
        let typing = match ctx {
            Context::Dialog | Context::Drafts | Context::Help => false,
            Context::Search => true,
            _ if matches!(self.state.overlay, Some(Overlay::Search(_))) => true,
            _ => self.text_focused(),
        };
        keys.iter()
            .copied()
            .filter(|k| !(typing && k.printable().is_some()))
            .collect()
    }
}
