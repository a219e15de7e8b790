//! State, actions and the update: keys become commands (one keymap), commands
//! change [`AppState`] and ask for [`Effect`]s; nothing here does I/O.

pub mod action;
pub mod form;
pub mod keymap;
mod overlay;
pub mod settings;
mod signin;
pub mod state;

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
}

/// What a reply is for.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Setup,
    SignIn,
    StaffList,
    SettingsForm,
    StaffActive,
    Drafts,
    Header,
    Quiet,
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
}

impl App {
    pub fn new(boot: Boot) -> App {
        let screen = match (&boot.station, &boot.session) {
            (None, _) => Screen::Setup(signin::setup_screen()),
            (Some(_), Some(s)) => Screen::Desk(Box::new(desk_for(s.clone(), boot.now))),
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
            },
            keymap: boot.keymap,
            themes: boot.themes,
            theme_forced: boot.theme_forced,
            no_color: boot.no_color,
            effects: Vec::new(),
            next_id: 0,
            pending: HashMap::new(),
            last_header_at: i64::MIN / 2,
        };
        app.apply_theme();
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
            Action::Paste(s) => {
                if self.state.overlay.is_none()
                    && let Some(f) = self.active_form()
                {
                    f.paste(&s);
                }
            }
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
            Screen::Desk(d) => match &mut d.lock {
                Some(l) => Some(&mut l.form),
                None => match d.pane {
                    Pane::Settings => d.settings.form.as_mut().map(|f| &mut f.form),
                    _ => None,
                },
            },
        }
    }

    fn active_form_ref(&self) -> Option<&Form> {
        match &self.state.screen {
            Screen::Setup(s) => Some(&s.form),
            Screen::SignIn(s) => Some(&s.form),
            Screen::Desk(d) => match &d.lock {
                Some(l) => Some(&l.form),
                None => match d.pane {
                    Pane::Settings => d.settings.form.as_ref().map(|f| &f.form),
                    _ => None,
                },
            },
        }
    }

    /// Keymap contexts in force now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.state.overlay {
            Some(Overlay::Help { .. }) => vec![Context::Help],
            Some(Overlay::Confirm(_)) | Some(Overlay::Drafts(_)) => vec![Context::Dialog],
            None => self.contexts_without_overlay(),
        }
    }

    /// The contexts of the screen under any overlay (what help describes).
    pub fn contexts_without_overlay(&self) -> Vec<Context> {
        if self.active_form_ref().is_some() {
            return vec![Context::Form];
        }
        match &self.state.screen {
            Screen::Desk(d) => match d.pane {
                Pane::Settings => vec![Context::Settings, Context::List],
                _ => vec![Context::List],
            },
            _ => vec![],
        }
    }

    /// Whether a command does something here and now (help hides the rest).
    pub fn command_available(&self, cmd: Command) -> bool {
        let in_desk = self.state.session().is_some();
        match cmd {
            Command::GoQueue => in_desk && Pane::Queue.is_available(),
            Command::GoMatch => in_desk && Pane::Match.is_available(),
            Command::GoRecord => in_desk && Pane::Record.is_available(),
            Command::GoLedger => in_desk && Pane::Ledger.is_available(),
            Command::GoDisputes => in_desk && Pane::Disputes.is_available(),
            Command::GoMembers => in_desk && Pane::Members.is_available(),
            Command::GoStats => in_desk && Pane::Stats.is_available(),
            Command::GoMerchants => in_desk && Pane::Merchants.is_available(),
            Command::GoSettings => in_desk && Pane::Settings.is_available(),
            Command::Lock => in_desk,
            Command::Search | Command::OpenStation | Command::CloseStation => false,
            Command::Toggle => self.focused_kind(|k| matches!(k, form::FieldKind::Toggle { .. })),
            Command::ChoiceNext | Command::ChoicePrev => {
                self.focused_kind(|k| matches!(k, form::FieldKind::Choice { .. }))
            }
            Command::New | Command::Select | Command::Filter | Command::Refresh | Command::Edit => {
                in_desk && self.pane_uses(cmd)
            }
            _ => true,
        }
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
        let typing = self.text_focused() && !matches!(ctx, Context::Dialog | Context::Help);
        keys.iter()
            .copied()
            .filter(|k| !(typing && k.printable().is_some()))
            .collect()
    }

    fn pane_uses(&self, cmd: Command) -> bool {
        match self.state.desk().map(|d| d.pane) {
            Some(Pane::Settings) => matches!(cmd, Command::Edit | Command::Refresh),
            _ => false,
        }
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
        if self.state.overlay.is_some() {
            if let Some(cmd) = self.keymap.lookup(&self.contexts(), chord) {
                self.overlay_command(cmd);
            }
            return;
        }
        let text_focused = self.active_form_ref().is_some_and(Form::text_focused);
        if text_focused && chord.printable().is_some() {
            self.form_key(ev);
            return;
        }
        match self.keymap.lookup(&self.contexts(), chord) {
            Some(cmd) => self.command(cmd, ev),
            None => self.form_key(ev),
        }
    }

    fn form_key(&mut self, ev: KeyEvent) {
        if let Some(f) = self.active_form() {
            f.key(ev);
        }
    }

    fn command(&mut self, cmd: Command, ev: KeyEvent) {
        match cmd {
            Command::Quit => return self.request_quit(),
            Command::Help => {
                self.state.overlay = Some(Overlay::Help { scroll: 0 });
                return;
            }
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
            _ => {}
        }
        if self.active_form_ref().is_some() {
            let text_focused = self.active_form_ref().is_some_and(Form::text_focused);
            // left/right move the cursor inside a text field
            if text_focused && matches!(cmd, Command::ChoiceNext | Command::ChoicePrev) {
                return self.form_key(ev);
            }
            let event = self
                .active_form()
                .map(|f| f.command(cmd))
                .unwrap_or(FormEvent::None);
            match event {
                FormEvent::Submit => self.submit_form(),
                FormEvent::Cancel => self.cancel_form(),
                _ => {}
            }
            return;
        }
        if let Screen::Desk(d) = &self.state.screen
            && d.pane == Pane::Settings
        {
            self.settings_command(cmd);
        }
    }

    fn go(&mut self, cmd: Command) {
        if !self.command_available(cmd) {
            return;
        }
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
        }
        self.pane_entered(pane);
    }

    fn pane_entered(&mut self, pane: Pane) {
        if pane == Pane::Settings {
            self.load_staff();
        }
    }

    fn submit_form(&mut self) {
        match &self.state.screen {
            Screen::Setup(_) => self.submit_setup(),
            Screen::SignIn(_) => self.submit_signin(),
            Screen::Desk(d) if d.lock.is_some() => self.submit_signin(),
            Screen::Desk(d) if d.pane == Pane::Settings => self.submit_settings_form(),
            Screen::Desk(_) => {}
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
        let staff_id = d.session.staff_id;
        let key = match d.pane {
            Pane::Settings => d.settings.form.take().map(|f| f.draft_key()),
            _ => None,
        };
        if let Some(form) = key.flatten() {
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
        let has_input = match &self.state.screen {
            Screen::Desk(d) => d.settings.form.as_ref().is_some_and(|f| f.form.has_input()),
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
        self.state.now = now;
        if self.state.notice.as_ref().is_some_and(|n| n.until <= now) {
            self.state.notice = None;
        }
        let idle_ms = i64::from(self.state.settings.idle_lock_minutes.max(1)) * 60_000;
        let idle = matches!(&self.state.screen, Screen::Desk(d) if d.lock.is_none() && now - d.last_key_at >= idle_ms);
        if idle {
            self.lock_desk();
        }
        self.save_drafts();
        if self.state.session().is_some() && now - self.last_header_at >= HEADER_EVERY_MS {
            self.refresh_header();
        }
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
        let mut saves = Vec::new();
        if let Some(f) = d.settings.form.as_mut()
            && let Some(data) = f.take_unsaved()
        {
            saves.push(data);
        }
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

    // ---- replies --------------------------------------------------------

    fn on_reply(&mut self, reply: Reply) {
        let Some(pending) = self.pending.remove(&reply.id) else {
            return;
        };
        match pending {
            Pending::Setup => self.setup_reply(reply),
            Pending::SignIn => self.signin_reply(reply),
            Pending::StaffList | Pending::SettingsForm | Pending::StaffActive => {
                self.settings_reply(pending, reply)
            }
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
        self.db(DbCommand::LoadDrafts { staff_id }, Pending::Drafts);
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
        self.state.overlay = None;
    }
}

fn desk_for(session: Session, now: Stamp) -> Desk {
    Desk {
        session,
        pane: Pane::AVAILABLE[0],
        settings: settings::SettingsPane::default(),
        lock: None,
        last_key_at: now,
    }
}
