//! State, actions and the update: keys become commands (one keymap), commands
//! change [`AppState`] and ask for [`Effect`]s; nothing here does I/O.

pub mod action;
pub mod checklist;
pub mod disputes;
pub mod form;
pub mod keymap;
pub mod ledger;
pub mod matching;
pub mod members;
pub mod merchants;
mod overlay;
pub mod pane;
pub mod queue;
pub mod record;
pub mod reveal;
pub mod routine;
pub mod search;
pub mod settings;
mod signin;
pub mod state;
pub mod stats;

use crate::domain::staff::Session;
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::i18n::{Lang, Tr};
use crate::msg::Msg;
use crate::ui::theme::Theme;
use crate::worker::{Data, DbCommand, Reply};
use action::{Action, Command, Effect};
use crossterm::event::{KeyEvent, KeyEventKind};
use form::{Form, FormEvent};
use keymap::{Chord, Context, Keymap};
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
    Settings(settings::Req),
    Members(members::Req),
    Record(record::Req),
    Queue(queue::Req),
    Matching(matching::Req),
    Disputes(disputes::Req),
    Ledger(ledger::Req),
    Routine(routine::Req),
    Stats(stats::Req),
    Merchants(merchants::Req),
    Integrity,
    Reveal,
}

pub struct App {
    pub state: AppState,
    pub keymap: Keymap,
    themes: Vec<Theme>,
    theme_forced: Option<String>,
    no_color: bool,
    effects: Vec<Effect>,
    next_id: u64,
    pending: HashMap<u64, Pending>,
    last_header_at: Stamp,
    /// Ticks since a scan started (a stray capital letter is dropped after two).
    scan_ticks: u8,
    /// The member whose eligibility the matching pane asked about.
    pending_check_member: Option<i64>,
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
            themes: boot.themes,
            theme_forced: boot.theme_forced,
            no_color: boot.no_color,
            effects: Vec::new(),
            next_id: 0,
            pending: HashMap::new(),
            last_header_at: i64::MIN / 2,
            scan_ticks: 0,
            pending_check_member: None,
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
            Action::Db(reply) => self.on_reply(*reply),
            Action::Terminate => {
                self.save_drafts();
                self.effects.push(Effect::Quit);
                self.state.quit = true;
            }
        }
        std::mem::take(&mut self.effects)
    }

    // ---- plumbing -------------------------------------------------------

    fn db(&mut self, cmd: DbCommand, pending: Pending) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.pending.insert(id, pending);
        self.effects.push(Effect::Db { id, cmd });
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
        self.themes.iter().map(|t| t.name.clone()).collect()
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
                if d.routine.is_some() {
                    return d
                        .routine
                        .as_mut()
                        .and_then(|r| r.form.as_mut())
                        .map(|f| &mut f.form);
                }
                let pane = d.pane;
                d.forms_mut(pane).and_then(|p| p.form_mut())
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
            Screen::Desk(d) if d.lock.is_none() && d.routine.is_none() => Some(d.pane),
            _ => None,
        }
    }

    /// F2 / F10 is open in front of the panes.
    fn routine_open(&self) -> bool {
        matches!(&self.state.screen, Screen::Desk(d) if d.lock.is_none() && d.routine.is_some())
    }

    /// Keymap contexts in force now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.state.overlay {
            Some(Overlay::Help { .. }) => vec![Context::Help],
            Some(Overlay::Confirm(_) | Overlay::Drafts(_) | Overlay::NewFile(_)) => {
                vec![Context::Dialog]
            }
            Some(Overlay::Search(_)) => vec![Context::Search],
            None => self.contexts_without_overlay(),
        }
    }

    /// The contexts of the screen under any overlay (what help describes).
    pub fn contexts_without_overlay(&self) -> Vec<Context> {
        if let Some(f) = self.active_form_ref() {
            return if f.suggest.is_empty() {
                vec![Context::Form]
            } else {
                vec![Context::Suggest, Context::Form]
            };
        }
        match self.pane() {
            Some(Pane::Settings) => vec![Context::Settings, Context::List],
            Some(Pane::Members) => vec![Context::Members, Context::List],
            Some(Pane::Record) => vec![Context::Record, Context::List],
            Some(Pane::Ledger) => vec![Context::Ledger, Context::List],
            Some(Pane::Queue) => vec![Context::Queue, Context::List],
            Some(Pane::Match) => vec![Context::Match, Context::List],
            Some(Pane::Disputes) => vec![Context::Disputes, Context::List],
            Some(Pane::Stats) => vec![Context::Stats, Context::List],
            Some(Pane::Merchants) => vec![Context::Merchants, Context::List],
            None if self.routine_open() => vec![Context::Routine, Context::List],
            None => vec![],
        }
    }

    /// Whether a command does something here and now (help hides the rest).
    pub fn command_available(&self, cmd: Command) -> bool {
        let in_desk = self.state.session().is_some();
        let pane = self.pane();
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
            Command::Lock | Command::Search => in_desk,
            Command::OpenStation | Command::CloseStation => in_desk,
            Command::Midday | Command::MarkReplenished | Command::ReopenDay => {
                self.routine_command_available(cmd)
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
            Command::Select => {
                in_desk && self.state.overlay.is_some()
                    || pane == Some(Pane::Settings)
                    || self.routine_open()
            }
            Command::New => {
                matches!(
                    pane,
                    Some(
                        Pane::Members
                            | Pane::Record
                            | Pane::Queue
                            | Pane::Disputes
                            | Pane::Merchants
                    )
                ) || self.settings_section() == Some(settings::Section::Checklist)
            }
            Command::Edit => matches!(pane, Some(Pane::Settings | Pane::Merchants)),
            Command::WithdrawOffer => self.state.desk().is_some_and(|d| {
                pane == Some(Pane::Merchants) && d.merchants.view == merchants::View::Offers
            }),
            Command::AddStaff | Command::AddServiceType | Command::ResetPin => {
                pane == Some(Pane::Settings)
                    && self.settings_section() != Some(settings::Section::Checklist)
            }
            Command::Refresh => pane.is_some(),
            Command::SwitchSection => matches!(
                pane,
                Some(Pane::Members | Pane::Record | Pane::Settings | Pane::Stats | Pane::Merchants)
            ),
            Command::DrawCallbacks => pane == Some(Pane::Stats),
            Command::AnswerCallback => self
                .state
                .desk()
                .is_some_and(|d| d.stats.view == stats::View::Callbacks),
            Command::SpotPass | Command::SpotFail => self
                .state
                .desk()
                .is_some_and(|d| d.record.view == record::View::Spot),
            Command::ApproveCorrection | Command::RefuseCorrection => {
                self.state.desk().is_some_and(|d| {
                    pane == Some(Pane::Ledger) && d.ledger.view == ledger::View::Corrections
                })
            }
            Command::Reverse | Command::Adjust | Command::Freeze | Command::Estate => {
                self.state.desk().is_some_and(|d| {
                    pane == Some(Pane::Ledger) && d.ledger.view == ledger::View::Statement
                })
            }
            Command::RevealPhone => self.state.desk().is_some_and(|d| match pane {
                Some(Pane::Members) => d.members.detail.is_some(),
                Some(Pane::Stats) => d.stats.view == stats::View::Callbacks,
                _ => false,
            }),
            Command::Filter => matches!(pane, Some(Pane::Queue | Pane::Disputes)),
            Command::FilterType => pane == Some(Pane::Queue),
            _ => true,
        }
    }

    fn settings_section(&self) -> Option<settings::Section> {
        (self.pane() == Some(Pane::Settings))
            .then(|| self.state.desk().map(|d| d.settings.section))
            .flatten()
    }

    fn focused_kind(&self, f: impl Fn(&form::FieldKind) -> bool) -> bool {
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
            Context::Dialog | Context::Help => false,
            Context::Search => true,
            _ if matches!(self.state.overlay, Some(Overlay::Search(_))) => true,
            _ => self.text_focused(),
        };
        keys.iter()
            .copied()
            .filter(|k| !(typing && k.printable().is_some()))
            .collect()
    }

    // ---- keys -----------------------------------------------------------

    fn on_key(&mut self, ev: KeyEvent) {
        if ev.kind == KeyEventKind::Release {
            return;
        }
        let now = self.state.now;
        if let Some(d) = self.desk_mut() {
            d.last_key_at = now;
        }
        let chord = Chord::from_event(&ev);
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

    fn on_paste(&mut self, s: &str) {
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

    fn form_key(&mut self, ev: KeyEvent) {
        let event = self
            .active_form()
            .map(|f| f.key(ev))
            .unwrap_or(FormEvent::None);
        if event == FormEvent::Changed {
            self.form_changed();
        }
    }

    /// A form's content changed: suggestions and dependent fields follow.
    fn form_changed(&mut self) {
        self.refresh_suggestions();
        if self.routine_open() {
            return;
        }
        match self.pane() {
            Some(Pane::Record) => self.record_form_changed(),
            Some(Pane::Queue) => self.queue_form_changed(),
            Some(Pane::Disputes) => self.disputes_form_changed(),
            Some(Pane::Settings) => self.settings_form_changed(),
            _ => {}
        }
    }

    fn command(&mut self, cmd: Command, ev: KeyEvent) {
        match cmd {
            Command::Quit => return self.request_quit(),
            Command::Help => {
                self.state.overlay = Some(Overlay::Help { scroll: 0 });
                return;
            }
            Command::Search => return self.open_search(),
            Command::Lock => {
                if self.command_available(cmd) {
                    self.lock_desk();
                }
                return;
            }
            Command::GoQueue
            | Command::GoMatch
            | Command::GoRecord
            | Command::GoLedger
            | Command::GoDisputes
            | Command::GoMembers
            | Command::GoStats
            | Command::GoMerchants
            | Command::GoSettings => return self.go(cmd),
            Command::OpenStation | Command::CloseStation if self.command_available(cmd) => {
                return self.open_routine(if cmd == Command::OpenStation {
                    routine::RoutineKind::Open
                } else {
                    routine::RoutineKind::Close
                });
            }
            _ => {}
        }
        if self.active_form_ref().is_some() {
            return self.form_command(cmd, ev);
        }
        if self.routine_open() {
            return self.routine_command(cmd);
        }
        match self.pane() {
            Some(Pane::Settings) => self.settings_command(cmd),
            Some(Pane::Members) => self.members_command(cmd),
            Some(Pane::Record) => self.record_command(cmd),
            Some(Pane::Ledger) => self.ledger_command(cmd),
            Some(Pane::Queue) => self.queue_command(cmd),
            Some(Pane::Match) => self.matching_command(cmd),
            Some(Pane::Disputes) => self.disputes_command(cmd),
            Some(Pane::Stats) => self.stats_command(cmd),
            Some(Pane::Merchants) => self.merchants_command(cmd),
            _ => {}
        }
    }

    fn form_command(&mut self, cmd: Command, ev: KeyEvent) {
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
            self.db(DbCommand::ResolvePayload { payload: q }, Pending::ScanField);
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

    fn go(&mut self, cmd: Command) {
        if !self.command_available(cmd) {
            return;
        }
        // a half-filled checklist or close is not dropped by a stray digit
        let routine_typed = self.state.desk().is_some_and(|d| {
            d.routine
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
            _ => Pane::Settings,
        };
        if let Some(d) = self.desk_mut() {
            d.pane = pane;
            d.routine = None;
        }
        self.pane_entered(pane);
    }

    fn pane_entered(&mut self, pane: Pane) {
        match pane {
            Pane::Settings => self.load_staff(),
            Pane::Members => self.members_entered(),
            Pane::Record => self.record_entered(),
            Pane::Ledger => self.ledger_entered(),
            Pane::Queue => self.queue_entered(),
            Pane::Match => self.matching_entered(),
            Pane::Disputes => self.disputes_entered(),
            Pane::Stats => self.stats_entered(),
            Pane::Merchants => self.merchants_entered(),
        }
    }

    fn submit_form(&mut self) {
        match &self.state.screen {
            Screen::Setup(_) => self.submit_setup(),
            Screen::SignIn(_) => self.submit_signin(),
            Screen::Desk(d) if d.lock.is_some() => self.submit_signin(),
            Screen::Desk(d) if d.routine.is_some() => self.submit_routine_form(),
            Screen::Desk(d) => match d.pane {
                Pane::Settings => self.submit_settings_form(),
                Pane::Members => self.submit_members_form(),
                Pane::Record => self.submit_record_form(),
                Pane::Ledger => self.submit_ledger_form(),
                Pane::Queue => self.submit_queue_form(),
                Pane::Match => self.submit_matching_form(),
                Pane::Disputes => self.submit_disputes_form(),
                Pane::Stats => self.submit_stats_form(),
                Pane::Merchants => self.submit_merchants_form(),
            },
        }
    }

    fn cancel_form(&mut self) {
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
    fn discard_form(&mut self) {
        let Some(d) = self.desk_mut() else { return };
        if let Some(r) = d.routine.as_mut() {
            // the checklist and the close form are the routine itself
            if r.form.take().is_some_and(|f| f.kind.closes_routine()) {
                d.routine = None;
            }
            return;
        }
        let staff_id = d.session.staff_id;
        let pane = d.pane;
        let key = d.forms_mut(pane).and_then(|p| p.close_form());
        if let Some(form) = key {
            self.db(
                DbCommand::DropDraft {
                    staff_id,
                    form: form.to_string(),
                },
                Pending::Quiet,
            );
        }
    }

    fn request_quit(&mut self) {
        let has_input = match &mut self.state.screen {
            Screen::Desk(d) => {
                d.routine
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

    fn quit_now(&mut self) {
        self.save_drafts();
        self.state.quit = true;
        self.effects.push(Effect::Quit);
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
        match self.pane() {
            Some(Pane::Queue) => self.queue_refilter(),
            Some(Pane::Disputes) => self.disputes_refilter(),
            _ => {}
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
            catalog: self.catalog_choices(),
            community,
            main_station,
            today: self.today_text(),
        }
    }

    // ---- replies --------------------------------------------------------

    fn on_reply(&mut self, reply: Reply) {
        let Some(pending) = self.pending.remove(&reply.id) else {
            return;
        };
        match pending {
            Pending::Setup => self.setup_reply(reply),
            Pending::SignIn => self.signin_reply(reply),
            Pending::Settings(req) => self.settings_reply(req, reply),
            Pending::Members(req) => self.members_reply(req, reply),
            Pending::Record(req) => self.record_reply(req, reply),
            Pending::Ledger(req) => self.ledger_reply(req, reply),
            Pending::Queue(req) => self.queue_reply(req, reply),
            Pending::Matching(req) => self.matching_reply(req, reply),
            Pending::Disputes(req) => self.disputes_reply(req, reply),
            Pending::Routine(req) => self.routine_reply(req, reply),
            Pending::Stats(req) => self.stats_reply(req, reply),
            Pending::Merchants(req) => self.merchants_reply(req, reply),
            Pending::Scan => self.scan_reply(reply),
            Pending::ScanField => match reply.result {
                Ok(Data::Member(m)) => {
                    let label = format!("{} {}", m.number.clone().unwrap_or_default(), m.name);
                    if let Some(f) = self.active_form() {
                        f.fill_member(form::Picked {
                            member_id: m.id,
                            label,
                        });
                        f.command(Command::NextField);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(f) = self.active_form() {
                        let name = f.focused_name();
                        f.show_refusals(&[crate::msg::Refusal::at(name, e.msg())]);
                    }
                }
            },
            Pending::Drafts => {
                if let Ok(Data::Drafts(d)) = reply.result
                    && !d.is_empty()
                {
                    self.state.overlay = Some(Overlay::Drafts(d));
                }
            }
            Pending::Header => {
                if let Ok(Data::Header(h)) = reply.result {
                    self.state.header = h;
                }
            }
            Pending::Index => {
                if let Ok(Data::Index(ix)) = reply.result {
                    self.state.index = *ix;
                    self.state.index_loaded = true;
                    self.members_reorder();
                    if self.pane() == Some(Pane::Members) {
                        self.members_load_detail();
                    }
                }
            }
            Pending::IndexEntry => {
                if let Ok(Data::IndexEntry(e)) = reply.result {
                    self.state.index.upsert(e);
                    self.members_reorder();
                }
            }
            Pending::Catalog => {
                if let Ok(Data::Catalog(c)) = reply.result {
                    self.state.catalog = c;
                }
            }
            Pending::LevelRun => match reply.result {
                Ok(Data::Count(n)) if n > 0 => {
                    self.notify(NoticeKind::Info, crate::msg!("level.run_ok", n = n));
                    self.db(DbCommand::LoadIndex, Pending::Index);
                }
                Err(e) => self.notify(NoticeKind::Error, e.msg()),
                _ => {}
            },
            Pending::Reveal => self.reveal_reply(reply),
            Pending::Integrity => match reply.result {
                Ok(Data::Offer(m)) => self.state.integrity = Integrity::Failed(m),
                Ok(_) => self.state.integrity = Integrity::Passed,
                Err(e) => {
                    let m = e.msg();
                    self.state.integrity = Integrity::Failed(m.clone());
                    self.notify(NoticeKind::Error, m);
                    let why = match e {
                        crate::store::StoreError::Damaged(w) => w,
                        other => other.to_string(),
                    };
                    self.db(DbCommand::RecoveryOffer { why }, Pending::Integrity);
                }
            },
            Pending::Quiet => {
                if let Err(e) = reply.result {
                    self.notify(NoticeKind::Error, e.msg());
                }
            }
        }
    }

    /// Someone just got to the desk (sign-in, unlock as someone else, demo).
    fn entered_desk(&mut self, session: &Session) {
        let staff_id = session.staff_id;
        let at = self.state.now;
        self.db(DbCommand::LoadIndex, Pending::Index);
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
