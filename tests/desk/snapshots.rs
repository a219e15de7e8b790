//! Screen snapshots: every pane and section, every form, F2/F10, help,
//! search, the lock, first-run setup, sign-in and the pop-ups over a form —
//! in Chinese at 80×24 and in English at 120×30 — drawn headless from the
//! demo station at the harness's fixed clock (`T0`). The screens are kept as
//! text in `snapshots/`; a change to one fails the test until it is
//! reviewed and accepted (CONTRIBUTING.md says how). Every screen is also
//! checked for a wide character cut or covering a border.

use crate::common;
use common::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use shiguang::harness::{Harness, T0, wide_char_problems};
use shiguang::i18n::Lang;
use std::path::{Path, PathBuf};

/// One screen: its name and the keys that lead to it from a fresh start of
/// the demo (a step starting with `=` is typed text).
pub type Case = (&'static str, &'static [&'static str]);

const PANES: &[Case] = &[
    ("pane1-queue", &["1"]),
    ("pane2-match", &["2"]),
    ("pane3-record", &["3"]),
    ("pane3-record-section2", &["3", "tab"]),
    ("pane4-ledger", &["4"]),
    ("pane4-ledger-statement", &["4", "/", "=zsf", "enter"]),
    ("pane5-disputes", &["5"]),
    ("pane5-dispute-detail", &["5", "enter"]),
    ("pane6-members", &["6"]),
    ("pane6-members-section2", &["6", "tab"]),
    ("pane6-member-detail", &["6", "enter"]),
    ("pane7-stats", &["7"]),
    ("pane7-stats-callbacks", &["7", "tab"]),
    ("pane8-merchants", &["8"]),
    ("pane8-merchants-section2", &["8", "tab"]),
    ("pane9-settings", &["9"]),
    ("pane9-settings-section2", &["9", "tab"]),
    ("pane0-hub", &["0"]),
    ("pane0-hub-tools", &["0", "tab"]),
    ("pane0-hub-medals", &["0", "y"]),
    ("pane0-hub-medals-merchants", &["0", "y", "tab"]),
    ("pane0-hub-stories", &["0", "y", "tab", "tab"]),
    ("pane0-hub-fund", &["0", "tab", "tab"]),
];

pub const FORMS: &[Case] = &[
    ("form-queue-new", &["1", "n"]),
    ("form-queue-cancel", &["1", "x"]),
    ("form-match-contact", &["2", "c"]),
    ("form-record-new", &["3", "n"]),
    ("form-record-suggest", &["3", "n", "=w"]),
    ("form-record-thanks", &["3", "tab", "t"]),
    ("form-record-spot-fail", &["3", "tab", "f"]),
    ("form-ledger-reverse", &["4", "/", "=zsf", "enter", "r"]),
    ("form-ledger-adjust", &["4", "/", "=zsf", "enter", "a"]),
    ("form-ledger-corrections", &["4", "p"]),
    ("form-ledger-freeze", &["4", "/", "=zsf", "enter", "f"]),
    ("form-ledger-estate", &["4", "/", "=zsf", "enter", "d"]),
    ("form-disputes-new", &["5", "n"]),
    ("form-disputes-suggestion", &["5", "s"]),
    ("form-disputes-contact", &["5", "c"]),
    ("form-disputes-hq-report", &["5", "h"]),
    ("form-disputes-review", &["5", "w"]),
    ("form-disputes-decide", &["5", "d"]),
    ("form-disputes-tell", &["5", "t"]),
    ("form-disputes-reply", &["5", "down", "down", "down", "r"]),
    ("form-members-register", &["6", "n"]),
    ("form-members-approve", &["6", "tab", "a"]),
    ("form-members-reject", &["6", "tab", "x"]),
    ("form-members-call", &["6", "c"]),
    ("form-members-card", &["6", "k"]),
    ("form-members-heir", &["6", "h"]),
    ("form-members-violation", &["6", "v"]),
    ("form-members-print", &["6", "p"]),
    ("form-stats-callback", &["7", "tab", "d", "c"]),
    ("form-merchants-new", &["8", "n"]),
    ("form-merchants-redeem", &["8", "r"]),
    ("form-merchants-edit", &["8", "e"]),
    ("form-merchants-offer", &["8", "o"]),
    ("form-merchants-withdraw", &["8", "w"]),
    ("form-merchants-rate", &["8", "g"]),
    ("form-merchants-price-check", &["8", "k"]),
    ("form-merchants-violation", &["8", "v"]),
    ("form-merchants-resolve", &["8", "f"]),
    ("form-merchants-status", &["8", "x"]),
    ("form-merchants-deposit", &["8", "d"]),
    ("form-merchants-import", &["8", "i"]),
    ("form-merchants-settle", &["8", "s"]),
    ("form-settings-staff", &["9", "a"]),
    ("form-settings-service-type", &["9", "s"]),
    ("form-settings-reset-pin", &["9", "r"]),
    ("form-settings-edit", &["9", "tab", "e"]),
    ("form-hub-plan", &["0", "n"]),
    ("form-hub-sign-up", &["0", "s"]),
    ("form-hub-attend", &["0", "a"]),
    (
        "form-hub-lend",
        &["0", "tab", "down", "down", "down", "down", "l"],
    ),
    ("form-hub-take-back", &["0", "tab", "end", "b"]),
    ("form-hub-write-off", &["0", "tab", "x"]),
    ("form-hub-award", &["0", "y", "a"]),
    ("form-hub-income", &["0", "tab", "tab", "i"]),
    ("form-hub-expense", &["0", "tab", "tab", "x"]),
    ("form-hub-fund-sign", &["0", "tab", "tab", "s"]),
];

pub const OTHERS: &[Case] = &[
    ("routine-f2", &["f2"]),
    ("routine-f2-midday", &["f2", "m"]),
    ("routine-f10", &["f10"]),
    ("routine-f10-first-step", &["f10", "enter"]),
    ("routine-f10-carry-scrolled", &["f10", "pagedown"]),
    (
        "routine-f10-confirm",
        &["f10", "=邻里互助", "tab", "space", "ctrl-s"],
    ),
    ("help", &["?"]),
    ("help-scrolled", &["?", "pagedown"]),
    ("search", &["/"]),
    ("search-typed", &["/", "=w"]),
    ("lock", &["ctrl-l"]),
    // pop-ups over a form
    ("over-form-help", &["6", "n", "f1"]),
    ("over-form-search", &["6", "n", "ctrl-p", "=w"]),
    ("over-form-discard", &["6", "n", "=王", "esc"]),
    ("over-form-quit", &["6", "n", "=王", "ctrl-q"]),
    ("over-form-confirm-disable", &["9", "d"]),
];

/// The two looks every screen is kept in.
const LOOKS: [(Lang, u16, u16, &str); 2] = [(Lang::Zh, 80, 24, "zh"), (Lang::En, 120, 30, "en")];

/// The screen as text, trailing blanks cut (the width is fixed by the look).
fn screen_text(h: &Harness) -> String {
    h.screen()
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

#[track_caller]
fn shot(h: &Harness, look: &str, name: &str) {
    assert_screen(h, &format!("{look}-{name}"));
}

/// The screen matches its snapshot `name` in `snapshots/`, and has no
/// wide character cut or covering another cell.
#[track_caller]
pub fn assert_screen(h: &Harness, name: &str) {
    let (drawn, shown) = drawn_and_shown(h);
    let mut problems = wide_char_problems(&drawn);
    problems.extend(wide_char_problems(&shown));
    assert!(problems.is_empty(), "{name}: {problems:?}\n{}", h.text());
    insta::with_settings!({prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(name.to_string(), screen_text(h));
    });
}

/// The screen as drawn (the frame's buffer) and as a terminal shows it
/// (the backend's, after the screen diff, which skips every cell a wide
/// character covers: a border drawn there is never shown).
pub fn drawn_and_shown(h: &Harness) -> (Buffer, Buffer) {
    let (w, hgt) = h.size;
    let mut t = Terminal::new(TestBackend::new(w, hgt)).expect("test terminal");
    let drawn = t
        .draw(|f| shiguang::ui::render(f, &h.app))
        .expect("draw")
        .buffer
        .clone();
    (drawn, t.backend().buffer().clone())
}

pub fn drive(h: &mut Harness, keys: &[&str]) {
    for k in keys {
        match k.strip_prefix('=') {
            Some(text) => h.type_str(text),
            None => h.press(k),
        }
    }
}

/// The demo built once at `dir/demo.db`, for copies.
pub fn demo_template(dir: &Path, lang: Lang) -> PathBuf {
    let path = dir.join("demo.db");
    drop(Harness::demo(&path, T0, lang));
    path
}

/// A fresh copy of the demo at `template` (the file, its WAL and key), so
/// that each screen starts from the same station whatever the ones before
/// it wrote.
pub fn demo_copy(template: &Path) -> TestDb {
    let db = temp_db();
    for suffix in ["", "-wal", "-shm", ".key"] {
        let from = PathBuf::from(format!("{}{suffix}", template.display()));
        if from.exists() {
            let to = format!("{}{suffix}", db.path.display());
            std::fs::copy(&from, to).expect("copy the demo");
        }
    }
    db
}

fn demo_cases(cases: &[Case]) {
    for (lang, w, hgt, look) in LOOKS {
        let dir = tempfile::tempdir().unwrap();
        let template = demo_template(dir.path(), lang);
        for (name, keys) in cases {
            let db = demo_copy(&template);
            let mut h = Harness::demo(&db.path, T0, lang);
            h.resize(w, hgt);
            drive(&mut h, keys);
            shot(&h, look, name);
        }
    }
}

#[test]
fn panes() {
    demo_cases(PANES);
}

#[test]
fn forms() {
    demo_cases(FORMS);
}

#[test]
fn routines_help_search_lock_and_pop_ups_over_a_form() {
    demo_cases(OTHERS);
}

/// The screens before the desk: a new file, first-run setup (and its Esc),
/// sign-in.
#[test]
fn first_run_and_sign_in() {
    for (lang, w, hgt, look) in LOOKS {
        let db = temp_db();
        // relative, so that the screen shows the same path on any machine
        let missing = Path::new("no-such-folder/station.db");
        assert!(!missing.exists());
        let mut h = Harness::desk(missing, T0, lang);
        h.resize(w, hgt);
        shot(&h, look, "new-file");

        let mut h = Harness::open(&db.path, T0, lang);
        h.resize(w, hgt);
        shot(&h, look, "setup");
        h.type_str("JS");
        h.press("esc");
        shot(&h, look, "setup-esc");

        let demo = db.dir.path().join("demo.db");
        drop(Harness::demo(&demo, T0, lang));
        let mut h = Harness::open(&demo, T0, lang);
        h.resize(w, hgt);
        shot(&h, look, "sign-in");
    }
}
