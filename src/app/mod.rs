//! State, actions and the update: keys become commands (one keymap), commands
//! change [`AppState`] and ask for [`Effect`]s; nothing here does I/O.
//!
//! The panes are components (`panes/`), reached only through the one
//! dispatch (`dispatch.rs`); `docs/architecture.md` says how the parts fit
//! and how a pane is written.

pub mod action;
mod available;
pub mod cx;
mod dispatch;
pub mod form;
pub mod keymap;
mod keys;
pub mod notice;
pub mod outbox;
mod overlay;
pub mod pane;
pub mod panes;
mod replies;
pub mod reveal;
pub mod routine;
pub mod search;
mod signin;
pub mod state;

use crate::domain::staff::Session;
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::i18n::{Lang, Tr};
use crate::msg::Msg;
use crate::ui::theme::Theme;
use crate::worker::{DbCommand, Job, Ticket};
use action::{Action, Effect};
use form::Form;
use keymap::Keymap;
use outbox::Outbox;
use panes::{Call, PaneMsg};
use state::*;
use std::collections::HashMap;

/// How often the header figures are re-read when nothing else asked.
const HEADER_EVERY_MS: i64 = 30_000;
/// How long a status-line notice stays.
const NOTICE_MS: i64 = 6_000;
/// A tick this much earlier than the last is the clock going back, not
/// the jitter of two timers.
const CLOCK_SLACK_MS: i64 = 2_000;

/// What the runtime knows at start.
pub struct Boot {
    pub now: Stamp,
    pub lang: Lang,
    pub lang_forced: bool,
    pub themes: Vec<Theme>,
    /// Theme chosen on the command line (wins over the setting).
    pub theme_forced: Option<String>,
    pub no_color: bool,
    pub demo: bool,
    pub station: Option<Station>,
    pub settings: Settings,
    /// Signed in already (the demo).
    pub session: Option<Session>,
    pub keymap: Keymap,
    pub size: (u16, u16),
    /// Messages to show at once (a broken theme or keymap file).
    pub startup_notes: Vec<Msg>,
    /// The database file does not exist yet: ask before setting one up.
    pub new_file: Option<std::path::PathBuf>,
}

/// What a reply is for.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Setup,
    SignIn,
    Drafts,
    Header,
    Quiet,
    Index,
    IndexEntry,
    Catalog,
    Scan,
    /// A card scanned into a member field: fill that field.
    ScanField,
    LevelRun,
    Integrity,
    Reveal,
}

pub struct App {
    pub state: AppState,
    pub keymap: Keymap,
    themes: Vec<Theme>,
    /// The names of `themes`, for the settings pane.
    theme_names: Vec<String>,
    theme_forced: Option<String>,
    no_color: bool,
    /// Jobs out, typed replies back to the panes, the panes' asks.
    outbox: Outbox<PaneMsg>,
    /// LEGACY: what each reply of the old path is for.
    pending: HashMap<u64, (Pending, Ticket<DbCommand>)>,
    last_header_at: Stamp,
    /// Ticks since a scan started (a stray capital letter is dropped after two).
    scan_ticks: u8,
}

impl App {
    pub fn new(boot: Boot) -> App {
        let screen = match (&boot.station, &boot.session) {
            (None, _) => Screen::Setup(signin::setup_screen()),
            (Some(_), Some(s)) => Screen::Desk(Box::new(Desk::new(s.clone(), boot.now))),
            (Some(_), None) => Screen::SignIn(signin::signin_screen(None)),
        };
        let tr = Tr::new(if boot.lang_forced {
            boot.lang
        } else {
            Lang::parse(&boot.settings.language).unwrap_or(boot.lang)
        });
        let mut app = App {
            state: AppState {
                now: boot.now,
                tr,
                lang_forced: boot.lang_forced,
                theme: Theme::builtin_default(),
                demo: boot.demo,
                size: boot.size,
                station: boot.station,
                settings: boot.settings,
                screen,
                overlay: None,
                notice: None,
                header: Default::default(),
                quit: false,
                index: Default::default(),
                index_loaded: false,
                catalog: Vec::new(),
                scan: None,
                integrity: Integrity::Checking,
            },
            keymap: boot.keymap,
            theme_names: boot.themes.iter().map(|t| t.name.clone()).collect(),
            themes: boot.themes,
            theme_forced: boot.theme_forced,
            no_color: boot.no_color,
            outbox: Outbox::default(),
            pending: HashMap::new(),
            last_header_at: i64::MIN / 2,
            scan_ticks: 0,
        };
        app.apply_theme();
        app.state.overlay = boot.new_file.map(Overlay::NewFile);
        if app.state.station.is_some() {
            app.db(DbCommand::IntegrityCheck, Pending::Integrity);
        } else {
            app.state.integrity = Integrity::Passed;
        }
        for note in boot.startup_notes {
            app.notify(NoticeKind::Error, note);
        }
        if let Some(s) = app.state.session().cloned() {
            app.entered_desk(&s);
        }
        app
    }

    /// Apply one action; returns the effects it asks for.
    pub fn handle(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Key(k) => self.on_key(k),
            Action::Paste(s) => self.on_paste(&s),
            Action::Tick(now) => self.on_tick(now),
            Action::Resize(w, h) => self.state.size = (w, h),
            Action::Db(done) => self.on_reply(*done),
            Action::Terminate => {
                self.save_drafts();
                self.outbox.push(Effect::Quit);
                self.state.quit = true;
            }
        }
        self.outbox.take_effects()
    }

    // ---- plumbing -------------------------------------------------------

    fn db(&mut self, cmd: DbCommand, pending: Pending) -> u64 {
        let id = self.outbox.next_id();
        let (job, ticket) = Job::new(id, cmd);
        self.pending.insert(id, (pending, ticket));
        self.outbox.push(Effect::Db(job));
        id
    }

    fn notify(&mut self, kind: NoticeKind, text: Msg) {
        self.state.notice = Some(Notice {
            kind,
            text,
            until: self.state.now + NOTICE_MS,
        });
    }

    fn apply_theme(&mut self) {
        let wanted = self
            .theme_forced
            .clone()
            .unwrap_or_else(|| self.state.settings.theme.clone());
        let theme = self
            .themes
            .iter()
            .find(|t| t.name == wanted)
            .cloned()
            .unwrap_or_else(Theme::builtin_default);
        self.state.theme = if self.no_color {
            theme.without_color()
        } else {
            theme
        };
    }

    /// Names of the themes that can be chosen in settings.
    pub fn theme_names(&self) -> Vec<String> {
        self.theme_names.clone()
    }

    fn apply_settings(&mut self, settings: Settings) {
        self.state.settings = settings;
        if !self.state.lang_forced
            && let Some(l) = Lang::parse(&self.state.settings.language)
        {
            self.state.tr = Tr::new(l);
        }
        self.apply_theme();
    }

    fn desk_mut(&mut self) -> Option<&mut Desk> {
        match &mut self.state.screen {
            Screen::Desk(d) => Some(d),
            _ => None,
        }
    }

    /// The form that keys go to, if one is open on the current screen.
    pub fn active_form(&mut self) -> Option<&mut Form> {
        match &mut self.state.screen {
            Screen::Setup(s) => Some(&mut s.form),
            Screen::SignIn(s) => Some(&mut s.form),
            Screen::Desk(d) => {
                if d.lock.is_some() {
                    return d.lock.as_mut().map(|l| &mut l.form);
                }
                if d.panes.routine.is_some() {
                    return d
                        .panes
                        .routine
                        .as_mut()
                        .and_then(|r| r.form.as_mut())
                        .map(|f| &mut f.form);
                }
                let pane = d.pane;
                d.forms_mut(pane).form_mut()
            }
        }
    }

    fn active_form_ref(&self) -> Option<&Form> {
        match &self.state.screen {
            Screen::Setup(s) => Some(&s.form),
            Screen::SignIn(s) => Some(&s.form),
            Screen::Desk(d) => match &d.lock {
                Some(l) => Some(&l.form),
                None => d.form(),
            },
        }
    }

    /// The pane in front (none while locked or while a routine covers it).
    fn pane(&self) -> Option<Pane> {
        match &self.state.screen {
            Screen::Desk(d) if d.lock.is_none() && d.panes.routine.is_none() => Some(d.pane),
            _ => None,
        }
    }

    /// F2 / F10 is open in front of the panes.
    fn routine_open(&self) -> bool {
        matches!(&self.state.screen, Screen::Desk(d) if d.lock.is_none() && d.panes.routine.is_some())
    }

    // ---- clock ----------------------------------------------------------

    fn on_tick(&mut self, now: Stamp) {
        if now + CLOCK_SLACK_MS < self.state.now {
            self.clock_went_back(self.state.now, now);
        }
        self.state.now = now;
        if self.state.notice.as_ref().is_some_and(|n| n.until <= now) {
            self.state.notice = None;
        }
        if self.state.scan.is_some() {
            self.scan_ticks += 1;
            if self.scan_ticks >= 2 {
                self.state.scan = None;
            }
        }
        let idle_ms = i64::from(self.state.settings.idle_lock_minutes.max(1)) * 60_000;
        let idle = matches!(&self.state.screen, Screen::Desk(d) if d.lock.is_none() && now - d.last_key_at >= idle_ms);
        if idle {
            self.lock_desk();
        }
        self.save_drafts();
        if let Some(p) = self.pane() {
            self.dispatch(p, Call::Tick);
        }
        if self.state.session().is_some() && now - self.last_header_at >= HEADER_EVERY_MS {
            self.refresh_header();
        }
    }

    /// The wall clock jumped backwards (set by hand, a bad battery, a time
    /// server): say so, log it, and restart every timer measured from "the
    /// last time", so the idle lock and the header still work. Order in the
    /// ledger and the log is by sequence, not by clock, so nothing breaks.
    fn clock_went_back(&mut self, from: Stamp, to: Stamp) {
        self.last_header_at = to - HEADER_EVERY_MS;
        if let Some(d) = self.desk_mut() {
            d.last_key_at = to;
        }
        let tz = self.state.tz();
        let fmt = |t| crate::domain::time::fmt_local(t, tz, "%m-%d %H:%M:%S");
        self.state.now = to;
        self.notify(
            NoticeKind::Error,
            crate::msg!("clock.backwards", from = fmt(from), to = fmt(to)),
        );
        let by = self.state.session().map(|s| s.staff_id);
        self.db(DbCommand::ClockBackwards { by, from, to }, Pending::Quiet);
    }

    fn refresh_header(&mut self) {
        self.last_header_at = self.state.now;
        let at = self.state.now;
        self.db(DbCommand::Header { at }, Pending::Header);
    }

    /// The form kept in draft slot `form` is done with.
    fn drop_draft(&mut self, form: &str) {
        if let Some(staff_id) = self.state.session().map(|s| s.staff_id) {
            let form = form.to_string();
            self.db(DbCommand::DropDraft { staff_id, form }, Pending::Quiet);
        }
    }

    /// A member's entry in the index, read again (their standing changed).
    fn reload_index_entry(&mut self, member_id: i64) {
        self.db(DbCommand::LoadIndexEntry { member_id }, Pending::IndexEntry);
    }

    /// Every member's entry, read again.
    fn reload_index(&mut self) {
        self.db(DbCommand::LoadIndex, Pending::Index);
    }

    /// The member index changed: every pane hears it.
    fn index_changed(&mut self) {
        for pane in Pane::AVAILABLE {
            self.dispatch(*pane, Call::IndexChanged);
        }
    }

    /// Save forms typed into since their last save (every tick, and on quit).
    fn save_drafts(&mut self) {
        let Screen::Desk(d) = &mut self.state.screen else {
            return;
        };
        let staff_id = d.session.staff_id;
        let at = self.state.now;
        let saves: Vec<_> = d
            .all_forms_mut()
            .into_iter()
            .filter_map(|p| p.unsaved_draft())
            .collect();
        for (form, data) in saves {
            self.db(
                DbCommand::SaveDraft {
                    staff_id,
                    form: form.to_string(),
                    data,
                    at,
                },
                Pending::Quiet,
            );
        }
    }

    /// What a form rebuilt from a draft needs.
    fn restore_ctx(&self) -> pane::RestoreCtx {
        let (community, main_station) = self
            .state
            .station
            .as_ref()
            .map(|s| {
                (
                    s.community.clone(),
                    s.kind == crate::domain::station::StationKind::Main,
                )
            })
            .unwrap_or_default();
        pane::RestoreCtx {
            catalog: cx::catalog_choices(&self.state.catalog, self.state.tr.lang),
            community,
            main_station,
            today: crate::domain::time::local_day(self.state.now, self.state.tz()).to_string(),
        }
    }

    /// Someone just got to the desk (sign-in, unlock as someone else, demo).
    fn entered_desk(&mut self, session: &Session) {
        let staff_id = session.staff_id;
        let at = self.state.now;
        self.reload_index();
        self.db(DbCommand::LoadCatalog, Pending::Catalog);
        self.db(DbCommand::RunLevelsIfDue { at }, Pending::LevelRun);
        self.db(DbCommand::LoadDrafts { staff_id }, Pending::Drafts);
        self.db(DbCommand::WarmHelpers, Pending::Quiet);
        self.refresh_header();
        let pane = self.state.desk().map(|d| d.pane);
        if let Some(p) = pane {
            self.pane_entered(p);
        }
    }

    fn lock_desk(&mut self) {
        self.save_drafts();
        let Some(d) = self.desk_mut() else { return };
        if d.lock.is_none() {
            d.lock = Some(signin::signin_screen(Some(d.session.clone())));
        }
        d.revealed = None;
        self.state.overlay = None;
        self.state.scan = None;
    }
}
