//! State, actions and the update: keys become commands (one keymap), commands
//! change [`AppState`] and ask for [`Effect`]s; nothing here does I/O.
//!
//! The panes are components (`panes/`), reached only through the one
//! dispatch (`dispatch.rs`). The App itself keeps only what they share:
//! the session and the lock (`signin/`), the header, the member index and
//! the catalog (`shared.rs`), the clock (`clock.rs`), the start-up check
//! (`check.rs`), and what lies over the panes (`overlays/`: help,
//! confirmations, drafts, search). `docs/architecture.md` says how the
//! parts fit and how a pane is written.

pub mod action;
mod available;
mod check;
mod clock;
pub mod cx;
mod dispatch;
pub mod form;
pub mod keymap;
mod keys;
pub mod notice;
pub mod outbox;
pub mod overlays;
pub mod pane;
pub mod panes;
mod replies;
pub mod reveal;
pub mod routine;
mod shared;
mod signin;
pub mod state;

use crate::config::theme::Theme;
use crate::domain::staff::Session;
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::i18n::{Lang, Tr};
use crate::msg::Msg;
use action::{Action, Effect};
use form::Form;
use keymap::Keymap;
use outbox::Outbox;
use panes::PaneMsg;
use state::*;
use std::collections::HashMap;

/// How long a status-line notice stays.
const NOTICE_MS: i64 = 6_000;

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
    /// Printing may start the system's programs (the opener, the printer):
    /// the desk's own start only; headless (tests, the benchmark) saves.
    pub opens_programs: bool,
}

impl Boot {
    /// The app's start with no terminal behind it: the built-in themes and
    /// keymap, the store's station and settings, 120×30. The benchmark's
    /// screens and the test harness start from here.
    pub fn headless(
        store: &crate::store::Store,
        now: Stamp,
        lang: Lang,
        session: Option<Session>,
        demo: bool,
    ) -> Boot {
        let (themes, _) = crate::config::theme::load_themes(None);
        Boot {
            now,
            lang,
            lang_forced: true,
            themes,
            theme_forced: None,
            no_color: false,
            demo,
            station: store.station().cloned(),
            settings: store.settings().clone(),
            session,
            keymap: Keymap::default_map(),
            size: (120, 30),
            startup_notes: vec![],
            new_file: None,
            opens_programs: false,
        }
    }
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
    /// The App's own requests waiting for their replies.
    asked: HashMap<u64, replies::Then>,
    last_header_at: Stamp,
    /// The file's data version last seen (`None` until the first look).
    data_version: Option<i64>,
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
                opens_programs: boot.opens_programs,
            },
            keymap: boot.keymap,
            theme_names: boot.themes.iter().map(|t| t.name.clone()).collect(),
            themes: boot.themes,
            theme_forced: boot.theme_forced,
            no_color: boot.no_color,
            outbox: Outbox::default(),
            asked: HashMap::new(),
            last_header_at: i64::MIN / 2,
            data_version: None,
            scan_ticks: 0,
        };
        app.apply_theme();
        app.state.overlay = boot.new_file.map(Overlay::NewFile);
        app.check_file();
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
}
