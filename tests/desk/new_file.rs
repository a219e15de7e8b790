//! A mistyped `--db` creates nothing: the desk first says the file does
//! not exist and asks; only "yes" and a saved first-run setup make the
//! station file and its key. Driven by keys through the app's harness.

use crate::common;
use common::*;
use shiguang::app::state::Overlay;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use std::path::Path;

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_missing_file_is_asked_about_and_no_quits_creating_nothing() {
    for (lang, no_key, says) in [
        (Lang::Zh, "n", "这个位置没有驿站数据库"),
        (Lang::En, "esc", "There is no station database at"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let typo = dir.path().join("shigaung.db");
        let mut h = Harness::desk(&typo, T0, lang);
        h.assert_shows(says);
        h.assert_shows("shigaung.db");
        // the two choices, with their keys from the keymap
        h.assert_shows("Enter/y");
        h.assert_shows("Esc/n");
        assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
        // typing does not slip through to the setup form behind
        h.type_str("JS");
        assert!(matches!(h.app.state.overlay, Some(Overlay::NewFile(_))));
        h.press(no_key);
        assert!(h.quit, "no quits");
        drop(h);
        assert!(
            files(dir.path()).is_empty(),
            "nothing may be created: {:?}",
            files(dir.path())
        );
    }
}

#[test]
fn yes_leads_to_the_first_run_setup_which_makes_the_file_when_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.db");
    let mut h = Harness::desk(&path, T0, Lang::Zh);
    h.assert_shows("这里没有驿站文件");
    h.press("y");
    h.assert_shows("首次使用");
    // still nothing on disk while the form is filled in
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
    set_up_by_keys(&mut h);
    drop(h);
    let made = files(dir.path());
    assert!(made.contains(&"station.db".to_string()), "{made:?}");
    assert!(made.contains(&"station.db.key".to_string()), "{made:?}");
    assert_eq!(count(&path, "SELECT count(*) FROM station"), 1);
    // the next start opens the sign-in, no question asked
    let h = Harness::desk(&path, T0, Lang::Zh);
    h.assert_shows("员工登录");
}

#[test]
fn an_empty_file_and_the_demo_open_as_before() {
    // an existing file with no station yet: straight to the setup
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    std::fs::write(&path, b"").unwrap();
    let h = Harness::desk(&path, T0, Lang::Zh);
    assert!(h.app.state.overlay.is_none());
    h.assert_shows("首次使用");
    // a station file whose key is missing, or a key whose file is missing,
    // is no new file: the open says what is wrong (as before)
    let lost = dir.path().join("lost.db");
    std::fs::write(shiguang::store::secret::key_path(&lost), "x").unwrap();
    assert!(!shiguang::desk::is_new_file(&lost));
    // the demo builds its own file, no question asked
    let demo = dir.path().join("demo.db");
    let h = Harness::demo(&demo, T0, Lang::Zh);
    assert!(h.app.state.overlay.is_none());
    assert!(demo.exists());
}

#[test]
fn the_desk_binary_on_a_missing_file_creates_nothing_without_a_terminal() {
    // without a terminal the desk cannot ask, so it must not create either
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo.db");
    let o = shiguang(&["--db", typo.to_str().unwrap(), "--lang", "en"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));
}
