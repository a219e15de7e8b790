//! The state the screen is drawn from. Owned data only: rendering never
//! reaches the disk or the clock.

use super::form::Form;
use super::overlays::search::SearchBox;
use super::pane::PaneForms;
use super::panes::Panes;
use crate::config::theme::Theme;
use crate::domain::search::SearchIndex;
use crate::domain::staff::Session;
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::i18n::Tr;
use crate::msg::Msg;
use crate::store::catalog::ServiceType;
use crate::store::drafts::Draft;
use crate::store::overview::HeaderCounts;

pub use super::notice::{Notice, NoticeKind};
pub use super::panes::Pane;

/// The smallest terminal the desk is laid out for: below it only a notice
/// is drawn, and keys do nothing but quit.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// First run: create the station and its first master.
#[derive(Debug, Clone)]
pub struct SetupScreen {
    pub form: Form,
}

/// Sign-in, also used as the idle lock (then `staff_no` is prefilled).
#[derive(Debug, Clone)]
pub struct SignInScreen {
    pub form: Form,
    /// Set when this is the idle lock of a signed-in desk.
    pub locked_for: Option<Session>,
}

/// The signed-in desk.
#[derive(Debug, Clone)]
pub struct Desk {
    pub session: Session,
    pub pane: Pane,
    /// The panes, and F2/F10 while it is open.
    pub panes: Panes,
    /// The idle lock: personal data is hidden until a PIN is entered.
    pub lock: Option<SignInScreen>,
    pub last_key_at: Stamp,
    /// One member's full phone numbers, shown to a station master who asked.
    pub revealed: Option<crate::store::reveal::Revealed>,
}

impl Desk {
    pub fn new(session: Session, now: Stamp) -> Desk {
        Desk {
            session,
            pane: Pane::AVAILABLE[0],
            panes: Panes::default(),
            lock: None,
            last_key_at: now,
            revealed: None,
        }
    }

    /// The forms of a pane.
    pub fn forms(&self, pane: Pane) -> &dyn PaneForms {
        self.panes.get(pane)
    }

    pub fn forms_mut(&mut self, pane: Pane) -> &mut dyn PaneForms {
        self.panes.get_mut(pane)
    }

    /// Every pane's forms, for drafts and the quit question.
    pub fn all_forms_mut(&mut self) -> [&mut dyn PaneForms; 10] {
        self.panes.all_forms_mut()
    }

    /// The open form in front, if any: the routine's while it is open.
    pub fn form(&self) -> Option<&super::form::Form> {
        match &self.panes.routine {
            Some(r) => r.form.as_ref().map(|f| &f.form),
            None => self.forms(self.pane).form(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Screen {
    Setup(SetupScreen),
    SignIn(SignInScreen),
    Desk(Box<Desk>),
}

/// What a confirmation dialog does on "yes".
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    Quit,
    DiscardForm,
    /// The unfinished forms offered at sign-in, thrown away.
    DropDrafts(Vec<Draft>),
    /// A pane's own question: "yes" goes back to it as this message.
    Pane(super::panes::PaneMsg),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub text: Msg,
    pub on_yes: ConfirmAction,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Confirm(Confirm),
    Drafts(Vec<Draft>),
    Search(SearchBox),
    /// The database file does not exist: set up a new station there, or
    /// quit (a mistyped `--db`)? Nothing is created before "yes".
    NewFile(std::path::PathBuf),
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub now: Stamp,
    pub tr: Tr,
    /// `--lang` given: the language setting does not override it.
    pub lang_forced: bool,
    pub theme: Theme,
    pub demo: bool,
    pub size: (u16, u16),
    pub station: Option<Station>,
    pub settings: Settings,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    pub header: HeaderCounts,
    pub quit: bool,
    /// Every member, in memory, for search and lists (loaded after sign-in).
    pub index: SearchIndex,
    pub index_loaded: bool,
    /// The service catalog.
    pub catalog: Vec<ServiceType>,
    /// Characters of a card being scanned (outside any text field).
    pub scan: Option<String>,
    /// The start-up check of the file (writes wait for it).
    pub integrity: Integrity,
    /// Printing may start the system's programs (see `Boot`).
    pub opens_programs: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Integrity {
    Checking,
    Passed,
    Failed(Msg),
}

impl AppState {
    /// The station's time zone: every day and clock on screen is in it.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.station
            .as_ref()
            .map(|s| s.tz)
            .unwrap_or(chrono_tz::Asia::Shanghai)
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.screen {
            Screen::Desk(d) if d.lock.is_none() => Some(&d.session),
            _ => None,
        }
    }

    pub fn desk(&self) -> Option<&Desk> {
        match &self.screen {
            Screen::Desk(d) => Some(d),
            _ => None,
        }
    }
}
