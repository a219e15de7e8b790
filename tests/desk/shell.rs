//! The shell driven by keys on a real SQLite file: first run, sign-in,
//! lockout, idle lock, help, quit, settings, drafts — in both languages and
//! at 80×24 and 120×30.

use crate::common;
use common::*;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

#[test]
fn first_run_creates_the_station_and_its_master() {
    let db = temp_db();
    let mut h = Harness::open(&db.path, T0, Lang::Zh);
    h.assert_shows("首次使用");
    set_up_by_keys(&mut h);
    h.assert_shows("金山社区驿站");
    assert_eq!(count(&db.path, "SELECT count(*) FROM station"), 1);
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM staff WHERE role = 'master'"),
        1
    );
    // audited: the station, its master
    assert!(
        count(
            &db.path,
            "SELECT count(*) FROM audit_log WHERE action IN ('station.create','staff.create')"
        ) >= 2
    );
    // a later run opens the sign-in screen
    drop(h);
    let h = Harness::open(&db.path, T0, Lang::Zh);
    h.assert_shows("员工登录");
}

#[test]
fn bad_setup_input_is_refused_at_each_field_and_nothing_is_saved() {
    let db = temp_db();
    let mut h = Harness::open(&db.path, T0, Lang::En);
    fill_setup(&mut h, "j1", "1", "12a", "12a");
    h.press("ctrl-s");
    h.assert_shows("two capital letters");
    h.assert_shows("two digits");
    h.assert_shows("digits only");
    assert_eq!(count(&db.path, "SELECT count(*) FROM station"), 0);
    assert_eq!(count(&db.path, "SELECT count(*) FROM staff"), 0);
}

#[test]
fn mismatched_and_long_pins_are_refused() {
    let db = temp_db();
    let mut h = Harness::open(&db.path, T0, Lang::En);
    fill_setup(&mut h, "JS", "01", "123456789", "123456789");
    h.press("ctrl-s");
    h.assert_shows("at most 8 digits");
    let db2 = temp_db();
    let mut h = Harness::open(&db2.path, T0, Lang::En);
    fill_setup(&mut h, "JS", "01", "4821", "4822");
    h.press("ctrl-s");
    h.assert_shows("The two PINs differ");
    assert_eq!(count(&db2.path, "SELECT count(*) FROM station"), 0);
}

#[test]
fn sign_in_with_unknown_staff_and_wrong_pin() {
    let db = temp_db();
    init_station(&db.path);
    let mut h = Harness::open(&db.path, T0, Lang::Zh);
    sign_in_by_keys(&mut h, "009", "4821");
    h.assert_shows("没有这个工号");
    // the focus is on the field at fault, which keeps what was typed
    h.press("ctrl-u");
    sign_in_by_keys(&mut h, "001", "1111");
    h.assert_shows("PIN 不对");
    h.press("ctrl-u");
    h.type_str("4821");
    h.press("enter");
    assert!(h.app.state.session().is_some(), "{}", h.text());
}

#[test]
fn five_wrong_pins_lock_the_staff_member_for_five_minutes() {
    let db = temp_db();
    init_station(&db.path);
    let mut h = Harness::open(&db.path, T0, Lang::En);
    h.type_str("001");
    h.press("tab");
    for _ in 0..5 {
        h.type_str("0000");
        h.press("enter");
    }
    h.assert_shows("locked for 5 more minutes");
    // even the right PIN is refused while locked
    h.type_str("4821");
    h.press("enter");
    h.assert_shows("locked");
    assert!(h.app.state.session().is_none());
    // five minutes later it works
    h.advance(5 * 60_000);
    h.type_str("4821");
    h.press("enter");
    assert!(h.app.state.session().is_some(), "{}", h.text());
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM audit_log WHERE action = 'signin.failed'"
        ),
        5
    );
}

#[test]
fn idle_desk_locks_hides_data_and_unlocks_with_the_pin() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::Zh);
    h.assert_shows("王秀英");
    h.advance(9 * 60_000);
    assert!(h.app.state.session().is_some());
    h.advance(60_000);
    h.assert_shows("屏幕已锁定");
    h.assert_not_shows("驿站设置");
    h.type_str("4821");
    h.press("enter");
    h.assert_shows("驿站设置");
}

#[test]
fn help_lists_the_keys_of_where_you_are() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("?");
    h.assert_shows("Keys");
    h.assert_shows("Add staff");
    for _ in 0..40 {
        h.press("down");
    }
    h.assert_shows("Ctrl-Q");
    h.press("esc");
    h.assert_not_shows("Everywhere");
}

#[test]
fn ctrl_q_quits_at_once_without_input_and_asks_with_input() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("ctrl-q");
    assert!(h.quit);

    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("a");
    h.type_str("李");
    h.press("ctrl-q");
    assert!(!h.quit);
    h.assert_shows("Quit anyway");
    h.press("n");
    assert!(!h.quit);
    h.press("ctrl-q");
    h.press("y");
    assert!(h.quit);
}

#[test]
fn a_small_terminal_gets_a_clear_message() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.resize(79, 24);
    h.assert_shows("Terminal too small: 79×24");
    h.resize(80, 24);
    h.assert_not_shows("too small");
}

#[test]
fn every_screen_is_cjk_clean_in_both_languages_and_sizes() {
    for lang in [Lang::Zh, Lang::En] {
        for (w, hgt) in [(80, 24), (120, 30)] {
            let db = temp_db();
            let mut h = Harness::open(&db.path, T0, lang);
            h.resize(w, hgt);
            assert_cjk_clean(&h);
            fill_setup(&mut h, "JS", "01", "4821", "4821");
            assert_cjk_clean(&h);
            h.press("ctrl-s");
            assert_cjk_clean(&h);
            h.press("?");
            assert_cjk_clean(&h);
            h.press("esc");
            h.press("a");
            assert_cjk_clean(&h);
        }
    }
}

#[test]
fn master_adds_staff_who_can_then_sign_in_but_not_change_settings() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::Zh);
    h.press("a");
    h.type_str("李建国");
    h.press("tab");
    h.press("tab"); // role: liaison
    h.type_str("3917");
    h.press("tab");
    h.type_str("3917");
    h.press("ctrl-s");
    h.assert_shows("已添加员工 李建国,工号 002");
    h.assert_shows("联络员");

    let mut h = Harness::open(&db.path, T0, Lang::Zh);
    sign_in_by_keys(&mut h, "002", "3917");
    assert_eq!(h.app.state.session().unwrap().name, "李建国");
    h.press("9");
    h.press("a");
    h.assert_shows("只有站长可以这样做");
    h.press("tab");
    h.press("e");
    h.assert_shows("只有站长可以这样做");
}

#[test]
fn adding_staff_with_bad_input_saves_nothing() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("a");
    h.type_str("   ");
    h.press("tab");
    h.press("tab");
    h.type_str("12");
    h.press("ctrl-s");
    h.assert_shows("not only spaces");
    h.assert_shows("at least 4 digits");
    assert_eq!(count(&db.path, "SELECT count(*) FROM staff"), 1);
}

#[test]
fn master_resets_a_pin_and_lifts_a_lockout() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    add_liaison(&mut s, &master);
    for _ in 0..5 {
        let _ = s.sign_in("002", "0000", T0);
    }
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    h.press("9");
    h.assert_shows("locked till");
    h.press("down");
    h.press("r");
    h.type_str("9735");
    h.press("tab");
    h.type_str("9735");
    h.press("enter");
    h.assert_shows("PIN reset");
    let mut s = store(&db.path);
    assert!(s.sign_in("002", "9735", T0).is_ok());
}

#[test]
fn the_last_master_cannot_be_disabled() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("d");
    h.press("y");
    h.assert_shows("last station master");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM staff WHERE active = 1"),
        1
    );
}

#[test]
fn changing_language_and_theme_takes_effect_at_once() {
    let db = temp_db();
    let s = init_station(&db.path);
    let store = store(&db.path);
    let mut b = shiguang::harness::boot(&store, T0, Lang::Zh, Some(s), false);
    b.lang_forced = false;
    drop(store);
    let store = common::store(&db.path);
    let mut h = Harness::from_boot(store, b, T0);
    h.press("9");
    h.press("tab"); // settings section
    h.press("e"); // language
    h.press("right");
    h.press("ctrl-s");
    h.assert_shows("Station settings");
    h.press("down");
    h.press("e");
    h.press("right");
    h.press("ctrl-s");
    assert_ne!(h.app.state.settings.theme, "default");
    assert_ne!(h.app.state.theme.name, "default");
}

#[test]
fn a_half_typed_form_survives_a_kill_as_a_draft() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("a");
    h.type_str("赵敏");
    h.advance(1000); // the tick saves the draft
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 1);
    drop(h); // killed: no quit, no save

    let mut h = Harness::open(&db.path, T0 + 5000, Lang::En);
    sign_in_by_keys(&mut h, "001", MASTER_PIN);
    h.assert_shows("Unfinished forms");
    h.press("enter");
    h.assert_shows("赵敏");
    // finishing the form removes the draft
    h.press("tab");
    h.press("tab");
    h.type_str("3917");
    h.press("tab");
    h.type_str("3917");
    h.press("ctrl-s");
    h.assert_shows("Added 赵敏");
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 0);
}

#[test]
fn pins_never_go_into_drafts() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("a");
    h.type_str("赵敏");
    h.press("tab");
    h.press("tab");
    h.type_str("6053");
    h.advance(1000);
    let data: String = store(&db.path)
        .conn()
        .query_row("SELECT data FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert!(!data.contains("6053"), "{data}");
}

#[test]
fn the_master_adds_a_service_type_and_edits_a_trust_weight() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("s");
    h.press("ctrl-s");
    h.assert_shows("Service names: not empty");
    h.type_str("洗衣");
    h.press("tab");
    h.type_str("laundry");
    h.press("tab");
    h.press("ctrl-s");
    h.assert_shows("Service type added");
    h.assert_shows("laundry");
    // a duplicate name is refused at the field
    h.press("s");
    h.type_str("洗衣");
    h.press("tab");
    h.type_str("washing");
    h.press("ctrl-s");
    h.assert_shows("already has a service of that name");
    h.press("esc");
    h.press("y");
    // trust weight: a whole number in range (the catalog has the focus now;
    // then come the checklist, the staff, the settings)
    h.press("tab");
    h.press("tab");
    h.press("tab");
    for _ in 0..9 {
        h.press("down");
    }
    h.press("e");
    h.press("ctrl-u");
    h.type_str("abc");
    h.press("ctrl-s");
    h.assert_shows("whole number from -100 to 100");
    h.press("ctrl-u");
    h.type_str("-8");
    h.press("ctrl-s");
    h.assert_shows("Setting saved");
    assert_eq!(h.app.state.settings.trust.warning, -8);
    let stored: String = h
        .store
        .conn()
        .query_row("SELECT value FROM settings WHERE key = 'trust'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(stored.contains("\"warning\":-8"), "{stored}");
}
