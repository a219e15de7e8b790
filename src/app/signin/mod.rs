//! Getting to the desk: the first-run setup of the station, signing in,
//! and the idle lock (the sign-in form over a desk that keeps its state).
//!
//! Not a pane: it decides which screen there is. Its requests are the
//! App's own, their replies a [`SignInMsg`].

mod forms;

pub(super) use forms::{setup_screen, signin_screen};

use super::App;
use super::replies::AppMsg;
use super::state::*;
use crate::domain::staff::Session;
use crate::msg;
use crate::store::StoreResult;
use crate::worker::session::{CreateStation, SignIn, StationSetUp};

/// What comes back to setup and sign-in.
#[derive(Debug)]
pub(super) enum SignInMsg {
    /// The station and its first master made (first run).
    StationMade(StoreResult<Box<StationSetUp>>),
    /// Signed in, or the desk unlocked.
    SignedIn(StoreResult<Session>),
}

impl App {
    pub(super) fn on_signin(&mut self, msg: SignInMsg) {
        match msg {
            SignInMsg::StationMade(r) => self.station_made(r),
            SignInMsg::SignedIn(r) => self.signed_in(r),
        }
    }

    pub(super) fn submit_setup(&mut self) {
        let Screen::Setup(s) = &mut self.state.screen else {
            return;
        };
        match forms::validate_setup(&s.form) {
            Err(errs) => s.form.show_refusals(&errs),
            Ok((station, master, pin)) => {
                s.form.clear_errors();
                let at = self.state.now;
                let make = CreateStation {
                    station,
                    master,
                    pin,
                    at,
                };
                let id = self.ask(make, |r| {
                    AppMsg::SignIn(SignInMsg::StationMade(r.map(Box::new)))
                });
                if let Screen::Setup(s) = &mut self.state.screen {
                    s.form.busy = Some(id);
                }
            }
        }
    }

    fn station_made(&mut self, made: StoreResult<Box<StationSetUp>>) {
        match made {
            Ok(made) => {
                let StationSetUp {
                    station,
                    settings,
                    session,
                } = *made;
                self.state.station = Some(station);
                self.apply_settings(settings);
                self.state.screen =
                    Screen::Desk(Box::new(Desk::new(session.clone(), self.state.now)));
                self.notify(
                    NoticeKind::Ok,
                    msg!("setup.done", staff_no = &session.staff_no),
                );
                self.entered_desk(&session);
            }
            Err(e) => {
                if let Screen::Setup(s) = &mut self.state.screen {
                    s.form.busy = None;
                    s.form.show_refusals(&e.refusals());
                }
            }
        }
    }

    /// The sign-in form in front: the sign-in screen's, or the lock's.
    fn signin_form(&mut self) -> Option<&mut SignInScreen> {
        match &mut self.state.screen {
            Screen::SignIn(s) => Some(s),
            Screen::Desk(d) => d.lock.as_mut(),
            Screen::Setup(_) => None,
        }
    }

    pub(super) fn submit_signin(&mut self) {
        let at = self.state.now;
        let Some(s) = self.signin_form() else { return };
        match forms::parse_signin(&s.form) {
            Err(errs) => s.form.show_refusals(&errs),
            Ok((staff_no, pin)) => {
                s.form.clear_errors();
                let sign_in = SignIn { staff_no, pin, at };
                let id = self.ask(sign_in, |r| AppMsg::SignIn(SignInMsg::SignedIn(r)));
                if let Some(s) = self.signin_form() {
                    s.form.busy = Some(id);
                }
            }
        }
    }

    fn signed_in(&mut self, session: StoreResult<Session>) {
        match session {
            Ok(session) => {
                let now = self.state.now;
                let same = matches!(&self.state.screen, Screen::Desk(d) if d.session.staff_id == session.staff_id);
                if same {
                    // unlock: the desk stays as it was, forms and all
                    if let Some(d) = self.desk_mut() {
                        d.lock = None;
                        d.last_key_at = now;
                    }
                    self.refresh_header();
                } else {
                    self.state.screen = Screen::Desk(Box::new(Desk::new(session.clone(), now)));
                    self.notify(NoticeKind::Ok, msg!("signin.welcome", name = &session.name));
                    self.entered_desk(&session);
                }
            }
            Err(e) => {
                if let Some(s) = self.signin_form() {
                    s.form.busy = None;
                    s.form.set("pin", "");
                    s.form.show_refusals(&e.refusals());
                }
            }
        }
    }

    /// Lock the desk (idle, or Ctrl-L): drafts kept, personal data hidden
    /// until a PIN is entered.
    pub(super) fn lock_desk(&mut self) {
        self.save_drafts();
        let Some(d) = self.desk_mut() else { return };
        if d.lock.is_none() {
            d.lock = Some(signin_screen(Some(d.session.clone())));
        }
        d.revealed = None;
        self.state.overlay = None;
        self.state.scan = None;
    }
}
