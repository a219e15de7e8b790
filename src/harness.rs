//! Drives the whole app headless: real keymap, real update, real store on a
//! real SQLite file, rendered into ratatui's `TestBackend`. The db worker's
//! thread is replaced by running each job at once, in order, on the one
//! store (`Job::run_here`): the same code without the thread.
//!
//! Used by the tests in `tests/`; not part of the desk itself.

use crate::app::action::{Action, Effect};
use crate::app::keymap::Chord;
use crate::app::{App, Boot};
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::i18n::Lang;
use crate::store::{OpenMode, Store};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::path::Path;

pub struct Harness {
    pub app: App,
    pub store: Store,
    pub now: Stamp,
    pub size: (u16, u16),
    pub bells: usize,
    pub quit: bool,
    /// Names of the requests sent to the store, in order, for tests that
    /// count writes (`SignIn`, `MoveRequest`).
    pub commands: Vec<String>,
}

/// 2026-11-23 10:00 in Shanghai: a Monday, a fixed "now" for tests.
pub const T0: Stamp = 1_795_399_200_000;

pub fn boot(store: &Store, now: Stamp, lang: Lang, session: Option<Session>, demo: bool) -> Boot {
    Boot::headless(store, now, lang, session, demo)
}

impl Harness {
    /// The app on the database at `path` (created if missing), not signed in.
    pub fn open(path: &Path, now: Stamp, lang: Lang) -> Harness {
        let store = Store::open(path, OpenMode::Desk, now).expect("open test database");
        let b = boot(&store, now, lang, None, false);
        Harness::start(store, b, now)
    }

    /// The desk as `shiguang --db PATH` opens it: a file that does not
    /// exist is asked about first, and not created unless set up.
    pub fn desk(path: &Path, now: Stamp, lang: Lang) -> Harness {
        if !crate::desk::is_new_file(path) {
            return Harness::open(path, now, lang);
        }
        let store = Store::not_yet_created(path).expect("an empty store in memory");
        let mut b = boot(&store, now, lang, None, false);
        b.new_file = Some(path.to_path_buf());
        Harness::start(store, b, now)
    }

    /// The demo station at `path`, signed in as its master.
    pub fn demo(path: &Path, now: Stamp, lang: Lang) -> Harness {
        let (store, session) = crate::seed::demo::open_or_build(path, now).expect("build demo");
        let b = boot(&store, now, lang, Some(session), true);
        Harness::start(store, b, now)
    }

    /// The app on `path`, already signed in as `session`.
    pub fn signed_in(path: &Path, now: Stamp, lang: Lang, session: Session) -> Harness {
        let store = Store::open(path, OpenMode::Desk, now).expect("open test database");
        let b = boot(&store, now, lang, Some(session), false);
        Harness::start(store, b, now)
    }

    /// The app from a hand-made boot (e.g. with the language left to the setting).
    pub fn from_boot(store: Store, b: Boot, now: Stamp) -> Harness {
        Harness::start(store, b, now)
    }

    fn start(store: Store, b: Boot, now: Stamp) -> Harness {
        let app = App::new(b);
        let mut h = Harness {
            app,
            store,
            now,
            size: (120, 30),
            bells: 0,
            quit: false,
            commands: Vec::new(),
        };
        h.act(Action::Tick(now));
        h
    }

    /// Apply an action and everything it sets off, until quiet.
    pub fn act(&mut self, action: Action) {
        let mut queue = vec![action];
        while let Some(a) = queue.pop() {
            let effects = self.app.handle(a);
            let mut replies = Vec::new();
            for e in effects {
                match e {
                    Effect::Db(job) => {
                        self.commands.push(job.name.clone());
                        replies.push(Action::Db(Box::new(job.run_here(&mut self.store))));
                    }
                    Effect::Bell => self.bells += 1,
                    Effect::Quit => self.quit = true,
                }
            }
            // replies in the order the commands were sent
            replies.reverse();
            queue.extend(replies);
        }
    }

    /// Press one key given as in the keymap: "enter", "ctrl-s", "f2", "a".
    pub fn press(&mut self, key: &str) {
        let chord = Chord::parse(key).unwrap_or_else(|e| panic!("bad key {key}: {e}"));
        self.act(Action::Key(KeyEvent::new(chord.code, chord.mods)));
    }

    /// Type text as a keyboard (or an IME committing characters) would.
    pub fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\t' => KeyCode::Tab,
                c => KeyCode::Char(c),
            };
            self.act(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        }
    }

    /// Move the clock on by `ms` and deliver one tick.
    pub fn advance(&mut self, ms: i64) {
        self.now += ms;
        self.act(Action::Tick(self.now));
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.act(Action::Resize(w, h));
    }

    /// Draw the app and return the buffer.
    pub fn buffer(&self) -> Buffer {
        let mut t =
            Terminal::new(TestBackend::new(self.size.0, self.size.1)).expect("test terminal");
        t.draw(|f| crate::ui::render(f, &self.app)).expect("draw");
        t.backend().buffer().clone()
    }

    /// Where the terminal's cursor is after a draw, if it is shown.
    pub fn cursor(&self) -> Option<(u16, u16)> {
        let mut t =
            Terminal::new(TestBackend::new(self.size.0, self.size.1)).expect("test terminal");
        t.draw(|f| crate::ui::render(f, &self.app)).expect("draw");
        let b = t.backend();
        b.cursor_visible()
            .then(|| (b.cursor_position().x, b.cursor_position().y))
    }

    /// The screen as text lines (wide characters once, their second cell dropped).
    pub fn screen(&self) -> Vec<String> {
        buffer_lines(&self.buffer())
    }

    pub fn text(&self) -> String {
        self.screen().join("\n")
    }

    #[track_caller]
    pub fn assert_shows(&self, needle: &str) {
        let t = self.text();
        assert!(t.contains(needle), "expected {needle:?} on screen:\n{t}");
    }

    #[track_caller]
    pub fn assert_not_shows(&self, needle: &str) {
        let t = self.text();
        assert!(
            !t.contains(needle),
            "did not expect {needle:?} on screen:\n{t}"
        );
    }
}

/// Text lines of a buffer, skipping the cells covered by wide characters.
pub fn buffer_lines(b: &Buffer) -> Vec<String> {
    let w = b.area.width as usize;
    b.content
        .chunks(w)
        .map(|row| {
            let mut s = String::new();
            let mut skip = 0usize;
            for c in row {
                if skip == 0 {
                    s.push_str(c.symbol());
                }
                skip = skip
                    .max(unicode_width::UnicodeWidthStr::width(c.symbol()))
                    .saturating_sub(1);
            }
            s
        })
        .collect()
}

/// Problems with wide characters in a drawn buffer: a wide character whose
/// second cell was overwritten by something visible (a cut character or a
/// misaligned border).
pub fn wide_char_problems(b: &Buffer) -> Vec<String> {
    let w = b.area.width as usize;
    let mut out = Vec::new();
    for (y, row) in b.content.chunks(w).enumerate() {
        let mut skip = 0usize;
        for (x, c) in row.iter().enumerate() {
            let sym = c.symbol();
            if skip > 0 && !sym.is_empty() && sym != " " {
                out.push(format!(
                    "row {y} col {x}: {sym:?} hidden under a wide character"
                ));
            }
            let cw = unicode_width::UnicodeWidthStr::width(sym);
            if skip == 0 && cw == 2 && x + 1 >= w {
                out.push(format!(
                    "row {y} col {x}: wide {sym:?} cut at the right edge"
                ));
            }
            skip = skip.max(cw).saturating_sub(1);
        }
    }
    out
}
