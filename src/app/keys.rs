//! Keys: a key becomes a command (one keymap), a command goes to the
//! overlay, the open form, F2/F10 or the pane in front; quitting.

use super::App;
use super::action::{Command, Effect};
use super::form::{Form, FormEvent};
use super::keymap::Chord;
use super::overlays::search;
use super::panes::Call;
use super::routine;
use super::state::*;
use crate::worker::session::DropDraft;
use crossterm::event::{KeyEvent, KeyEventKind};

impl App {
    pub(super) fn on_key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        let now = self.state.now;
        if let Some(d) = self.desk_mut() {
            d.last_key_at = now;
        }
        let chord = Chord::from_event(&ev);
        // "terminal too small" hides everything: a key typed then would act
        // on a screen nobody sees; only quitting still works
        let (w, h) = self.state.size;
        if w < MIN_WIDTH || h < MIN_HEIGHT {
            if self.keymap.lookup(&[], chord) == Some(Command::Quit) {
                self.request_quit();
            }
            return;
        }
        match &self.state.overlay {
            Some(Overlay::Search(_)) => {
                if chord.printable().is_some() {
                    return self.search_key(ev);
                }
                match self.keymap.lookup(&self.contexts(), chord) {
                    Some(Command::Quit) => self.request_quit(),
                    Some(cmd) => self.search_command(cmd),
                    None => self.search_key(ev),
                }
                return;
            }
            Some(_) => {
                if let Some(cmd) = self.keymap.lookup(&self.contexts(), chord) {
                    self.overlay_command(cmd);
                }
                return;
            }
            None => {}
        }
        let text_focused = self.text_focused();
        if !text_focused
            && self.pane().is_some()
            && (self.state.scan.is_some()
                || chord.printable().is_some_and(|c| c.is_ascii_uppercase()))
            && self.scan_key(ev)
        {
            return;
        }
        if text_focused && chord.printable().is_some() {
            self.form_key(ev);
            return;
        }
        match self.keymap.lookup(&self.contexts(), chord) {
            Some(cmd) => self.command(cmd, ev),
            None => self.form_key(ev),
        }
    }

    pub(super) fn on_paste(&mut self, s: &str) {
        if let Some(Overlay::Search(b)) = &mut self.state.overlay {
            for c in s.chars().filter(|c| !c.is_control()) {
                b.input.handle(tui_input::InputRequest::InsertChar(c));
            }
            b.hits = self.state.index.query(b.input.value(), search::LIMIT);
            return;
        }
        if self.state.overlay.is_none()
            && let Some(f) = self.active_form()
            && f.paste(s) == FormEvent::Changed
        {
            self.form_changed();
        }
    }

    pub(super) fn form_key(&mut self, ev: KeyEvent) {
        let event = self
            .active_form()
            .map(|f| f.key(ev))
            .unwrap_or(FormEvent::None);
        if event == FormEvent::Changed {
            self.form_changed();
        }
    }

    /// A form's content changed: suggestions and dependent fields follow.
    pub(super) fn form_changed(&mut self) {
        self.refresh_suggestions();
        if self.routine_open() {
            return;
        }
        if let Some(p) = self.pane() {
            self.dispatch(p, Call::FormChanged);
        }
    }

    pub(super) fn command(&mut self, cmd: Command, ev: KeyEvent) {
        match cmd {
            Command::Quit => self.request_quit(),
            Command::Help => {
                self.state.overlay = Some(Overlay::Help { scroll: 0 });
            }
            Command::Search => {
                if self.command_available(cmd) {
                    self.open_search();
                } else if self.routine_open() {
                    self.notify(NoticeKind::Info, crate::msg!("routine.finish_first"));
                }
            }
            Command::Lock => {
                if self.command_available(cmd) {
                    self.lock_desk();
                }
            }
            c if c.goes_to_pane() => self.go(c),
            Command::OpenStation | Command::CloseStation if self.command_available(cmd) => {
                self.open_routine(if cmd == Command::OpenStation {
                    routine::RoutineKind::Open
                } else {
                    routine::RoutineKind::Close
                });
            }
            // not the desk's own: the open form's, F2/F10's or the pane's
            _ => self.command_inward(cmd, ev),
        }
    }

    /// A command the desk itself does not take goes to what lies in front:
    /// the open form, else F2/F10, else the pane.
    fn command_inward(&mut self, cmd: Command, ev: KeyEvent) {
        if self.active_form_ref().is_some() {
            return self.form_command(cmd, ev);
        }
        if self.routine_open() {
            // Esc leaves F2/F10: the layer is the desk's, as an overlay is
            if cmd == Command::Cancel {
                return self.close_routine();
            }
            self.dispatch_routine(Call::Command(cmd));
            return;
        }
        // a key the pane has no use for does nothing
        if let Some(p) = self.pane() {
            self.dispatch(p, Call::Command(cmd));
        }
    }

    pub(super) fn form_command(&mut self, cmd: Command, ev: KeyEvent) {
        let has_suggestions = self
            .active_form_ref()
            .is_some_and(|f| !f.suggest.is_empty());
        if has_suggestions && self.active_form().is_some_and(|f| f.suggest_command(cmd)) {
            return self.form_changed();
        }
        // a scanned card (or a typed member number) in a member field
        if cmd == Command::NextOrSubmit
            && let Some(q) = self
                .active_form_ref()
                .and_then(|f| f.member_query())
                .map(str::to_string)
            && crate::domain::member::parse_payload(&q).is_some()
        {
            return self.scan_into_field(q);
        }
        // the close form's neighbour: the list of what carries over
        if matches!(cmd, Command::PageUp | Command::PageDown) && self.routine_open() {
            self.dispatch_routine(Call::Command(cmd));
            return;
        }
        // left/right move the cursor inside a text field
        if self.text_focused() && matches!(cmd, Command::ChoiceNext | Command::ChoicePrev) {
            return self.form_key(ev);
        }
        let event = self
            .active_form()
            .map(|f| f.command(cmd))
            .unwrap_or(FormEvent::None);
        match event {
            FormEvent::Submit => self.submit_form(),
            FormEvent::Cancel => self.cancel_form(),
            FormEvent::Changed => self.form_changed(),
            FormEvent::Moved => {
                if let Some(f) = self.active_form() {
                    f.suggest.clear();
                }
            }
            FormEvent::None => {}
        }
    }

    pub(super) fn go(&mut self, cmd: Command) {
        if !self.command_available(cmd) {
            return;
        }
        // a half-filled checklist or close is not dropped by a stray digit
        let routine_typed = self.state.desk().is_some_and(|d| {
            d.panes
                .routine
                .as_ref()
                .and_then(|r| r.form.as_ref())
                .is_some_and(|f| f.form.has_input())
        });
        if routine_typed {
            return self.notify(NoticeKind::Info, crate::msg!("routine.finish_first"));
        }
        self.hide_revealed();
        let pane = match cmd {
            Command::GoQueue => Pane::Queue,
            Command::GoMatch => Pane::Match,
            Command::GoRecord => Pane::Record,
            Command::GoLedger => Pane::Ledger,
            Command::GoDisputes => Pane::Disputes,
            Command::GoMembers => Pane::Members,
            Command::GoStats => Pane::Stats,
            Command::GoMerchants => Pane::Merchants,
            Command::GoHub => Pane::Hub,
            _ => Pane::Settings,
        };
        if let Some(d) = self.desk_mut() {
            d.pane = pane;
            d.panes.routine = None;
        }
        self.pane_entered(pane);
    }

    pub(super) fn pane_entered(&mut self, pane: Pane) {
        self.dispatch(pane, Call::Entered);
    }

    pub(super) fn submit_form(&mut self) {
        match &self.state.screen {
            Screen::Setup(_) => self.submit_setup(),
            Screen::SignIn(_) => self.submit_signin(),
            Screen::Desk(d) if d.lock.is_some() => self.submit_signin(),
            Screen::Desk(d) if d.panes.routine.is_some() => {
                self.dispatch_routine(Call::Submit);
            }
            Screen::Desk(d) => {
                let pane = d.pane;
                self.dispatch(pane, Call::Submit);
            }
        }
    }

    pub(super) fn cancel_form(&mut self) {
        match &self.state.screen {
            Screen::Setup(_) | Screen::SignIn(_) => self.request_quit(),
            Screen::Desk(d) if d.lock.is_some() => {}
            Screen::Desk(_) => {
                if self.active_form_ref().is_some_and(Form::has_input) {
                    self.state.overlay = Some(Overlay::Confirm(Confirm {
                        text: crate::msg!("confirm.discard_form"),
                        on_yes: ConfirmAction::DiscardForm,
                    }));
                } else {
                    self.discard_form();
                }
            }
        }
    }

    /// Close the open form of the current pane and drop its draft.
    pub(super) fn discard_form(&mut self) {
        let Some(d) = self.desk_mut() else { return };
        if let Some(r) = d.panes.routine.as_mut() {
            // the checklist and the close form are the routine itself
            if r.drop_form() {
                d.panes.routine = None;
            }
            return;
        }
        let staff_id = d.session.staff_id;
        let pane = d.pane;
        let key = d.forms_mut(pane).close_form();
        if let Some(form) = key {
            self.ask_quietly(DropDraft {
                staff_id,
                form: form.to_string(),
            });
        }
    }

    pub(super) fn request_quit(&mut self) {
        let has_input = match &mut self.state.screen {
            Screen::Desk(d) => {
                d.panes
                    .routine
                    .as_ref()
                    .and_then(|r| r.form.as_ref())
                    .is_some_and(|f| f.form.has_input())
                    || d.all_forms_mut()
                        .iter()
                        .any(|p| p.form().is_some_and(Form::has_input))
            }
            Screen::Setup(s) => s.form.has_input(),
            Screen::SignIn(_) => false,
        };
        if has_input {
            self.state.overlay = Some(Overlay::Confirm(Confirm {
                text: crate::msg!("confirm.quit_with_input"),
                on_yes: ConfirmAction::Quit,
            }));
        } else {
            self.quit_now();
        }
    }

    pub(super) fn quit_now(&mut self) {
        self.save_drafts();
        self.state.quit = true;
        self.outbox.push(Effect::Quit);
    }
}
