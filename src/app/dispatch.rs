//! The one dispatch: every call from the shell to a pane, every message
//! back to one, and every move between panes goes through here.
//!
//! A pane that is a component (`app/panes/`) gets the call with a [`Cx`]
//! built from the App's state; what it asks of the App is carried out as
//! soon as it returns.
//!
//! [`Cx`]: super::cx::Cx

use super::App;
use super::action::{Command, Effect};
use super::cx::{Ask, Goto, Shared};
use super::keymap::Context;
use super::outbox::Outbox;
use super::panes::{Call, Component, Pane, PaneMsg, Panes, Route, route};
use super::routine::{Routine, RoutineKind};
use super::state::{AppState, Confirm, ConfirmAction, Desk, NoticeKind, Overlay, Screen};

impl App {
    /// What the panes read, beside the panes and the outbox: all borrowed
    /// from the App at once. `None` outside the desk.
    fn pane_parts(&mut self) -> Option<(Shared<'_>, &mut Panes, &mut Outbox<PaneMsg>)> {
        let tz = self.state.tz();
        let theme_names = &self.theme_names;
        let AppState {
            now,
            tr,
            settings,
            catalog,
            index,
            screen,
            station,
            opens_programs,
            ..
        } = &mut self.state;
        let Screen::Desk(d) = screen else {
            return None;
        };
        let Desk { session, panes, .. } = &mut **d;
        let shared = Shared {
            session,
            now: *now,
            tz,
            lang: tr.lang,
            settings,
            catalog,
            index,
            selected_request: panes.queue.selected().map(|r| r.id),
            community: station.as_ref().map_or("", |s| s.community.as_str()),
            main_station: station
                .as_ref()
                .is_some_and(|s| s.kind == crate::domain::station::StationKind::Main),
            theme_names,
            opens_programs: *opens_programs,
        };
        Some((shared, panes, &mut self.outbox))
    }

    /// THE dispatch: `call` to `pane`. Whether the pane had a use for it
    /// (only a command or a member found can go unused).
    pub(super) fn dispatch(&mut self, pane: Pane, call: Call) -> bool {
        let used = match self.pane_parts() {
            None => return false,
            Some((desk, panes, out)) => panes.get_mut(pane).call(call, &desk, out),
        };
        self.carry_out_asks();
        used
    }

    /// A message reaches the pane it is for (a reply, a "yes", an arrival).
    pub(super) fn deliver(&mut self, msg: PaneMsg) {
        if let Some((desk, panes, out)) = self.pane_parts() {
            panes.deliver(msg, &desk, out);
        }
        self.carry_out_asks();
    }

    /// The keymap contexts of a pane's list.
    pub(super) fn pane_contexts(&self, pane: Pane) -> Vec<Context> {
        match self.state.desk() {
            Some(d) => d.panes.get(pane).contexts().to_vec(),
            None => Vec::new(),
        }
    }

    /// Whether a command of the pane's own contexts does something now
    /// (`None`: no pane in front).
    pub(super) fn pane_available(&self, pane: Option<Pane>, cmd: Command) -> bool {
        let component = pane.and_then(|p| self.state.desk().map(|d| d.panes.get(p)));
        match component {
            Some(c) => c.available(cmd),
            // no pane in front (setup, sign-in, the lock): the keys of
            // their forms work, those of a pane's list do not
            None => !matches!(
                cmd,
                Command::Select
                    | Command::New
                    | Command::Edit
                    | Command::AddStaff
                    | Command::AddServiceType
                    | Command::ResetPin
                    | Command::Refresh
                    | Command::SwitchSection
                    | Command::RevealPhone
                    | Command::Filter
                    | Command::FilterType
            ),
        }
    }

    /// A move between panes, asked by a pane or by F2's list.
    pub(super) fn go_to(&mut self, to: Goto) {
        match route(to) {
            Route::To(pane, msg) => {
                if let Some(d) = self.desk_mut() {
                    d.pane = pane;
                    d.panes.routine = None;
                }
                self.deliver(msg);
            }
            Route::Refused(why) => self.notify(NoticeKind::Error, why),
        }
    }

    /// F2 / F10 comes to the front (over the panes): its day is read.
    pub(super) fn open_routine(&mut self, kind: RoutineKind) {
        let Some(d) = self.desk_mut() else { return };
        d.panes.routine = Some(Routine::new(kind));
        self.dispatch_routine(Call::Entered);
    }

    /// F2 / F10 leaves the front.
    pub(super) fn close_routine(&mut self) {
        if let Some(d) = self.desk_mut() {
            d.panes.routine = None;
        }
    }

    /// `call` to F2 / F10 while it is open; whether it had a use for it.
    pub(super) fn dispatch_routine(&mut self, call: Call) -> bool {
        let used = match self.pane_parts() {
            Some((desk, panes, out)) => panes
                .routine
                .as_mut()
                .is_some_and(|r| Component::call(r, call, &desk, out)),
            None => false,
        };
        self.carry_out_asks();
        used
    }

    /// The keymap contexts of F2 / F10's lists.
    pub(super) fn routine_contexts(&self) -> Vec<Context> {
        self.routine_ref()
            .map(|r| Component::contexts(r).to_vec())
            .unwrap_or_default()
    }

    /// Whether a command does something on F2 / F10 now (`false`: not open).
    pub(super) fn routine_available(&self, cmd: Command) -> bool {
        self.routine_ref()
            .is_some_and(|r| Component::available(r, cmd))
    }

    pub(super) fn routine_ref(&self) -> Option<&Routine> {
        self.state.desk().and_then(|d| d.panes.routine.as_ref())
    }

    /// What the panes asked for, in the order they asked.
    fn carry_out_asks(&mut self) {
        for ask in self.outbox.take_asks() {
            match ask {
                Ask::Notify(kind, text) => self.notify(kind, text),
                Ask::Bell => self.outbox.push(Effect::Bell),
                Ask::Confirm { text, on_yes } => {
                    self.state.overlay = Some(Overlay::Confirm(Confirm {
                        text,
                        on_yes: ConfirmAction::Pane(on_yes),
                    }));
                }
                Ask::Go(to) => self.go_to(to),
                Ask::RefreshHeader => self.refresh_header(),
                Ask::DropDraft(slot) => self.drop_draft(slot),
                Ask::SettingsSaved(s) => self.apply_settings(*s),
                Ask::CatalogSaved(c) => self.state.catalog = c,
                Ask::MemberChanged(member_id) => self.reload_index_entry(member_id),
                Ask::ReloadIndex => self.reload_index(),
                Ask::RevealPhones(member_id) => self.reveal_phone(member_id),
            }
        }
    }
}
