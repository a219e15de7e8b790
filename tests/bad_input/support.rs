//! What the form tests share: counting rows, typing into fields, running
//! the cases; a station to start from; a merchant and an offer; the
//! binary on the command line.

use crate::common::*;
use shiguang::domain::staff::{Role, Session};
use shiguang::domain::time::DAY_MS;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::{Lang, Tr};
use std::path::Path;
use std::process::{Command, Output};

/// Rows in every table (drafts aside: a tick may keep one), read from the file.
pub fn rows(path: &Path) -> Vec<(String, i64)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let names: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> 'drafts' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|n| {
            let k: i64 = c
                .query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0))
                .unwrap();
            (n, k)
        })
        .collect()
}

/// `rows` with `n` more audit rows: those saying who saw a number in full
/// in a call dialog (opening one logs it; saving nothing else).
pub fn plus_number_views(mut rows: Vec<(String, i64)>, n: i64) -> Vec<(String, i64)> {
    for (table, k) in &mut rows {
        if table == "audit_log" {
            *k += n;
        }
    }
    rows
}

/// Put `value` into a text field as typed (clearing what was there).
pub fn put(h: &mut Harness, field: &str, value: &str) {
    h.app
        .active_form()
        .unwrap_or_else(|| panic!("no form open for {field}"))
        .focus_on(field);
    h.press("ctrl-u");
    h.type_str(value);
}

/// Pick a member in a member field by what is typed (pinyin, number).
pub fn pick(h: &mut Harness, field: &str, query: &str) {
    put(h, field, query);
    h.press("enter");
    let f = h.app.active_form().expect("a form");
    assert!(
        f.member(field).is_some(),
        "{query:?} picked nobody in {field}:\n{}",
        h.text()
    );
}

/// Set a choice field by its value, with the arrow keys.
pub fn choose(h: &mut Harness, field: &str, value: &str) {
    h.app.active_form().expect("a form").focus_on(field);
    for _ in 0..20 {
        if h.app.active_form().unwrap().value(field) == value {
            return;
        }
        h.press("right");
    }
    panic!("{field} has no option {value:?}");
}

/// Tick or untick a toggle with Space.
pub fn tick(h: &mut Harness, field: &str, on: bool) {
    let f = h.app.active_form().expect("a form");
    f.focus_on(field);
    if f.on(field) != on {
        h.press("space");
    }
}

/// Each case: put the bad value, submit, see the refusal, nothing saved;
/// then the good value back.
pub struct Case<'a> {
    field: &'a str,
    bad: &'a str,
    key: &'a str,
}

pub const fn case<'a>(field: &'a str, bad: &'a str, key: &'a str) -> Case<'a> {
    Case { field, bad, key }
}

/// The form's message at `field` is `key`, and the screen shows it in the
/// app's language (not the key).
#[track_caller]
pub fn refused_at(h: &mut Harness, field: &str, key: &str) {
    let lang = h.app.state.tr.lang;
    let f = h
        .app
        .active_form()
        .unwrap_or_else(|| panic!("the form closed: was it saved?"));
    let got = f.get(field).and_then(|x| x.error.clone());
    let others: Vec<_> = f
        .fields
        .iter()
        .filter_map(|x| x.error.as_ref().map(|e| (x.name, e.key)))
        .collect();
    let form_error = f.error.clone();
    let Some(err) = got else {
        panic!(
            "no message at {field} (wanted {key}); at others: {others:?}; on the form: {form_error:?}\n{}",
            h.text()
        );
    };
    assert_eq!(err.key, key, "at {field}; all: {others:?}");
    let words = Tr::new(lang).msg(&err);
    assert_ne!(words, err.key, "{key} has no words in {lang:?}");
    let head: String = words.chars().take(14).collect();
    h.assert_shows(&head);
}

/// The form's own message (not any one field's) is `key`, shown in words.
#[track_caller]
pub fn refused_on_form(h: &mut Harness, key: &str) {
    let lang = h.app.state.tr.lang;
    let f = h.app.active_form().expect("the form is still open");
    let err = f.error.clone().unwrap_or_else(|| {
        panic!(
            "no message on the form (wanted {key}): {:?}",
            f.fields
                .iter()
                .filter_map(|x| x.error.as_ref().map(|e| (x.name, e.key)))
                .collect::<Vec<_>>()
        )
    });
    assert_eq!(err.key, key);
    let words = Tr::new(lang).msg(&err);
    let head: String = words.chars().take(14).collect();
    h.assert_shows(&head);
}

/// Run every case against the open form: one bad value at a time.
#[track_caller]
pub fn run_cases(h: &mut Harness, path: &Path, cases: &[Case]) {
    let before = rows(path);
    for c in cases {
        let good = h
            .app
            .active_form()
            .and_then(|f| f.get(c.field).map(|x| x.input.value().to_string()))
            .unwrap_or_else(|| panic!("no field {}", c.field));
        eprintln!("case {} = {:?}", c.field, c.bad);
        put(h, c.field, c.bad);
        h.press("ctrl-s");
        refused_at(h, c.field, c.key);
        assert_eq!(
            rows(path),
            before,
            "{} = {:?} saved something",
            c.field,
            c.bad
        );
        put(h, c.field, &good);
    }
}

/// A station with approved members (ids 1..=n, 200 days old), signed in as `who`.
pub fn station(db: &TestDb, names: &[&str], lang: Lang) -> (Harness, Session) {
    let (master, mut s) = open_station(&db.path);
    for (i, n) in names.iter().enumerate() {
        approved_member(&mut s, &master, n, i as u32 + 1, T0 - 200 * DAY_MS);
    }
    drop(s);
    (
        Harness::signed_in(&db.path, T0, lang, master.clone()),
        master,
    )
}

pub fn liaison(db: &TestDb, master: &Session) -> Session {
    store(&db.path)
        .add_staff(master, "李建国", Role::Liaison, "3917", T0 - DAY_MS)
        .unwrap()
}

/// Leave a form, answering yes if asked whether to drop what was typed.
pub fn leave(h: &mut Harness) {
    h.press("esc");
    if h.app.state.overlay.is_some() {
        h.press("y");
    }
}

// ------------------------------------------------------------ merchants

pub fn shop(name: &str) -> shiguang::store::merchants::MerchantInput {
    shop_input(name, "01")
}

pub fn offer() -> shiguang::store::merchants::OfferInput {
    shiguang::store::merchants::OfferInput {
        text: "10积分抵5元".into(),
        points: 10,
        value_fen: 5_00,
        valid_from: "2026-10-01".parse().unwrap(),
        valid_to: "2026-12-31".parse().unwrap(),
        monthly_cap_fen: 1000_00,
        not_combined: false,
        note: None,
    }
}

// --------------------------------------------------------- command line

/// The binary, as the station master 001 (see `common::shiguang`).
pub fn shiguang(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args(args)
        .env_remove("SHIGUANG_DB")
        .env_remove("SHIGUANG_LANG")
        .env("SHIGUANG_STAFF", "001")
        .env("SHIGUANG_PIN", MASTER_PIN)
        .output()
        .expect("run shiguang")
}

/// Exit `code`, one line on stderr that holds each of `words`.
#[track_caller]
pub fn one_line(o: &Output, code: i32, words: &[&str]) -> String {
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    for w in words {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
    assert!(
        !err.contains("db.error") && !err.contains(" why="),
        "a key: {err}"
    );
    err
}
