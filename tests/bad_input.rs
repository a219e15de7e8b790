//! Bad input, everywhere: every form refuses each bad value with its message
//! at the field, in the staff member's language, and saves nothing; the
//! command line refuses bad arguments with exit code 2 (or 1) and one line.
//!
//! Each form test fills the form with good values, then puts one bad value
//! at a time into one field, submits, and checks the message and that no
//! table gained or lost a row (the audit log included, so an update would
//! show too). The last step of each submits the good values, which proves
//! the refusals were the bad values' doing. The table in the README
//! ("Bad input") names the test for each input.

mod common;
use common::*;
use shiguang::app::settings::{ITEMS, SettingKind};
use shiguang::domain::record::{ConfirmMethod, Payer, RecordInput};
use shiguang::domain::staff::{Role, Session};
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::{Lang, Tr};
use std::path::Path;
use std::process::{Command, Output};

// ---------------------------------------------------------------- helpers

/// Rows in every table (drafts aside: a tick may keep one), read from the file.
fn rows(path: &Path) -> Vec<(String, i64)> {
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

/// Put `value` into a text field as typed (clearing what was there).
fn put(h: &mut Harness, field: &str, value: &str) {
    h.app
        .active_form()
        .unwrap_or_else(|| panic!("no form open for {field}"))
        .focus_on(field);
    h.press("ctrl-u");
    h.type_str(value);
}

/// Pick a member in a member field by what is typed (pinyin, number).
fn pick(h: &mut Harness, field: &str, query: &str) {
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
fn choose(h: &mut Harness, field: &str, value: &str) {
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
fn tick(h: &mut Harness, field: &str, on: bool) {
    let f = h.app.active_form().expect("a form");
    f.focus_on(field);
    if f.on(field) != on {
        h.press("space");
    }
}

/// Each case: put the bad value, submit, see the refusal, nothing saved;
/// then the good value back.
struct Case<'a> {
    field: &'a str,
    bad: &'a str,
    key: &'a str,
}

const fn case<'a>(field: &'a str, bad: &'a str, key: &'a str) -> Case<'a> {
    Case { field, bad, key }
}

/// The form's message at `field` is `key`, and the screen shows it in the
/// app's language (not the key).
#[track_caller]
fn refused_at(h: &mut Harness, field: &str, key: &str) {
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
fn refused_on_form(h: &mut Harness, key: &str) {
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
fn run_cases(h: &mut Harness, path: &Path, cases: &[Case]) {
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
fn station(db: &TestDb, names: &[&str], lang: Lang) -> (Harness, Session) {
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    for (i, n) in names.iter().enumerate() {
        approved_member(&mut s, &master, n, i as u32 + 1, T0 - 200 * DAY_MS);
    }
    drop(s);
    (
        Harness::signed_in(&db.path, T0, lang, master.clone()),
        master,
    )
}

fn liaison(db: &TestDb, master: &Session) -> Session {
    store(&db.path)
        .add_staff(master, "李建国", Role::Liaison, "1357", T0 - DAY_MS)
        .unwrap()
}

/// Leave a form, answering yes if asked whether to drop what was typed.
fn leave(h: &mut Harness) {
    h.press("esc");
    if h.app.state.overlay.is_some() {
        h.press("y");
    }
}

// ------------------------------------------------------------ first run

fn fill_setup(h: &mut Harness) {
    for (field, v) in [
        ("street", "JS"),
        ("community", "01"),
        ("name", "金山社区驿站"),
        ("master", "王秀英"),
        ("pin", "2468"),
        ("pin2", "2468"),
    ] {
        put(h, field, v);
    }
}

#[test]
fn setup_refuses_each_bad_field() {
    let db = temp_db();
    let mut h = Harness::open(&db.path, T0, Lang::Zh);
    fill_setup(&mut h);
    run_cases(
        &mut h,
        &db.path,
        &[
            case("street", "js", "station.street.invalid"),
            case("street", "J1", "station.street.invalid"),
            case("street", "", "station.street.invalid"),
            case("community", "1", "station.community.invalid"),
            case("community", "0a", "station.community.invalid"),
            case("community", "０１", "station.community.invalid"),
            case("name", "   ", "station.name.empty"),
            case("name", "驿站😀", "station.name.invalid"),
            case("tz", "Mars/Olympus", "station.tz.invalid"),
            case("tz", "UTC+8", "station.tz.invalid"),
            case("master", "  ", "person.name.empty"),
            case("master", "王😀", "person.name.bad_chars"),
            case("pin", "123", "staff.pin.short"),
            case("pin", "12a4", "staff.pin.digits"),
            case("pin", "123456789", "staff.pin.long"),
            case("pin2", "2469", "staff.pin.mismatch"),
        ],
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM station"), 0);
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM station"), 1);
}

#[test]
fn sign_in_refuses_empty_fields_unknown_and_inactive_staff() {
    let db = temp_db();
    init_station(&db.path);
    let mut h = Harness::open(&db.path, T0, Lang::En);
    h.press("enter");
    h.press("enter");
    refused_at(&mut h, "staff_no", "signin.staff_no.empty");
    put(&mut h, "staff_no", "001");
    h.press("ctrl-s");
    refused_at(&mut h, "pin", "signin.pin.empty");
    assert!(
        !h.commands.iter().any(|c| c == "SignIn"),
        "{:?}",
        h.commands
    );
    // letters in a PIN are simply a wrong PIN
    put(&mut h, "pin", "abcd");
    h.press("ctrl-s");
    refused_at(&mut h, "pin", "signin.pin.wrong");
    assert!(h.app.state.session().is_none());
    // no such staff number; a staff member taken off duty
    put(&mut h, "staff_no", "009");
    put(&mut h, "pin", "2468");
    h.press("ctrl-s");
    refused_at(&mut h, "staff_no", "signin.staff_no.unknown");
    let master = h.store.sign_in("001", MASTER_PIN, T0).unwrap();
    let l = h
        .store
        .add_staff(&master, "李建国", Role::Liaison, "1357", T0)
        .unwrap();
    h.store
        .set_staff_active(&master, l.staff_id, false, T0)
        .unwrap();
    put(&mut h, "staff_no", "002");
    put(&mut h, "pin", "1357");
    h.press("ctrl-s");
    refused_at(&mut h, "staff_no", "signin.inactive");
    assert!(h.app.state.session().is_none());
}

// -------------------------------------------------------------- members

fn fill_registration(h: &mut Harness) {
    for (field, v) in [
        ("name", "李小花"),
        ("phone", "13812340000"),
        ("id_number", &id_number(50)),
        ("community", "01"),
        ("building", "3栋1单元201"),
        ("emergency_name", "李大花"),
        ("emergency_phone", "13900000001"),
    ] {
        put(h, field, v);
    }
    h.app.active_form().unwrap().focus_on("offers");
    h.press("space");
}

#[test]
fn registration_refuses_each_bad_field() {
    let db = temp_db();
    let (mut h, _) = station(&db, &["张三丰"], Lang::Zh);
    h.press("6");
    h.press("n");
    fill_registration(&mut h);
    run_cases(
        &mut h,
        &db.path,
        &[
            case("name", "  ", "person.name.empty"),
            case("name", "李😀", "person.name.bad_chars"),
            case("phone", "", "member.phone.empty"),
            case("phone", "1381234", "member.phone.length"),
            case("phone", "12812340000", "member.phone.length"),
            case("phone", "138abcd0000", "member.phone.digits"),
            case("id_number", "11010519491231002", "member.id.length"),
            case("id_number", "11010519491231002１", "member.id.chars"),
            case("id_number", "000000194912310021", "member.id.region"),
            case("id_number", "110105194913310021", "member.id.birth_date"),
            case("id_number", "110105194912310021", "member.id.check_digit"),
            case("community", "1", "station.community.invalid"),
            case("building", " ", "member.building.empty"),
            case("building", "3栋😀", "member.building.invalid"),
            case("emergency_name", "", "person.name.empty"),
            case("emergency_phone", "139", "member.phone.length"),
            case("emergency_phone", "13812340000", "reg.emergency_same_phone"),
            case("recommender", "zzz", "reg.recommender_pick"),
        ],
    );
    let before = rows(&db.path);
    // a household-register number: 6-20 letters or digits
    choose(&mut h, "id_kind", "household");
    put(&mut h, "id_number", "AB12");
    h.press("ctrl-s");
    refused_at(&mut h, "id_number", "member.household.invalid");
    choose(&mut h, "id_kind", "id_card");
    put(&mut h, "id_number", &id_number(50));
    // neither offers nor needs
    h.app.active_form().unwrap().focus_on("offers");
    h.press("space");
    h.press("ctrl-s");
    refused_at(&mut h, "offers", "reg.intent_required");
    h.press("space");
    // filled in by family: the applicant must confirm
    tick(&mut h, "family", true);
    h.press("ctrl-s");
    refused_at(&mut h, "confirmed", "reg.family_needs_confirm");
    tick(&mut h, "family", false);
    // a recommender picked must have signed
    pick(&mut h, "recommender", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "recommender_signed", "reg.recommender_must_sign");
    put(&mut h, "recommender", "");
    assert_eq!(rows(&db.path), before);
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM members WHERE status = 'pending'"
        ),
        1
    );

    // the review: approving without a recommender needs a note; rejecting a reason
    let before = rows(&db.path);
    h.press("a");
    h.press("ctrl-s");
    refused_at(&mut h, "note", "review.note_required");
    put(&mut h, "note", "   ");
    h.press("ctrl-s");
    refused_at(&mut h, "note", "review.note_required");
    leave(&mut h);
    h.press("x");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "review.reason_required");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
}

/// An approved honor member (id 1) and a plain one (id 2), liaison 002 too.
fn members_world(db: &TestDb, lang: Lang) -> (Harness, Session, Session) {
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    drop(s);
    let l = liaison(db, &master);
    let h = Harness::signed_in(&db.path, T0, lang, master.clone());
    // after the monthly level run the desk does at start
    h.store
        .conn()
        .execute("UPDATE members SET level = 'honor' WHERE id = 1", [])
        .unwrap();
    (h, master, l)
}

#[test]
fn cards_heirs_and_violations_refuse_bad_values() {
    let db = temp_db();
    let (mut h, _, liaison) = members_world(&db, Lang::En);
    h.press("6");
    h.assert_shows("张三丰");
    // the card serial: 4-20 letters or digits
    h.press("k");
    put(&mut h, "serial", "SG0001");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("serial", "", "card.serial.invalid"),
            case("serial", "AB1", "card.serial.invalid"),
            case("serial", "SG-0001", "card.serial.invalid"),
            case("serial", "卡0001", "card.serial.invalid"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM cards"), 1);
    // a replacement: a new serial, and why the old card is voided
    h.press("k");
    put(&mut h, "serial", "SG0002");
    put(&mut h, "reason", "遗失");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("serial", "SG0001", "card.serial.taken"),
            case("reason", " ", "card.reason_required"),
        ],
    );
    leave(&mut h);

    // an honor member's heir: a name, the relation, a phone number
    h.press("h");
    for (f, v) in [
        ("heir_name", "张小丰"),
        ("relation", "儿子"),
        ("heir_phone", "13800000009"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("heir_name", " ", "person.name.empty"),
            case("heir_name", "张😀", "person.name.bad_chars"),
            case("relation", "  ", "heir.relation_required"),
            case("heir_phone", "", "member.phone.empty"),
            case("heir_phone", "1380000", "member.phone.length"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM members WHERE heir_registered_at IS NOT NULL"
        ),
        1
    );

    // a violation needs its reason
    h.press("v");
    put(&mut h, "reason", "x");
    run_cases(
        &mut h,
        &db.path,
        &[case("reason", "  ", "violation.reason_required")],
    );
    leave(&mut h);
    // moderate and severe are the station master's
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    h.press("6");
    h.press("v");
    choose(&mut h, "severity", "moderate");
    put(&mut h, "reason", "虚报时长");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "severity", "violation.master_only");
    assert_eq!(rows(&db.path), before);
    choose(&mut h, "severity", "minor");
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM violations"), 1);
}

// ------------------------------------------------------------- settings

#[test]
fn staff_and_pins_refuse_bad_values() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::Zh);
    h.press("a");
    for (f, v) in [("name", "赵敏"), ("pin", "1357"), ("pin2", "1357")] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("name", "   ", "person.name.empty"),
            case("name", "赵😀", "person.name.bad_chars"),
            case("pin", "", "staff.pin.short"),
            case("pin", "12", "staff.pin.short"),
            case("pin", "13a7", "staff.pin.digits"),
            case("pin", "１３５７", "staff.pin.digits"),
            case("pin", "123456789", "staff.pin.long"),
            case("pin2", "7531", "staff.pin.mismatch"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM staff"), 2);
    // a new PIN for 002: the same rules
    h.press("end");
    h.press("r");
    for (f, v) in [("pin", "9753"), ("pin2", "9753")] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("pin", "975", "staff.pin.short"),
            case("pin", "97x3", "staff.pin.digits"),
            case("pin2", "9754", "staff.pin.mismatch"),
        ],
    );
    leave(&mut h);
    assert!(
        store(&db.path).sign_in("002", "1357", T0).is_ok(),
        "old PIN kept"
    );
}

#[test]
fn every_station_setting_refuses_out_of_range_values() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("tab");
    let mut tried = 0;
    for (i, item) in ITEMS.iter().enumerate() {
        let bad: Vec<(String, &str)> = match item.kind {
            SettingKind::Number { min, max } => vec![
                ((min - 1).to_string(), "setting.number_range"),
                ((max + 1).to_string(), "setting.number_range"),
                ("ten".to_string(), "setting.number_range"),
                ("1.5".to_string(), "setting.number_range"),
                (String::new(), "setting.number_range"),
            ],
            SettingKind::Clock => vec![
                ("25:00".to_string(), "setting.clock_invalid"),
                ("09:60".to_string(), "setting.clock_invalid"),
                ("9点".to_string(), "setting.clock_invalid"),
                (String::new(), "setting.clock_invalid"),
            ],
            SettingKind::Folder => vec![
                ("backups".to_string(), "setting.folder_invalid"),
                ("./usb".to_string(), "setting.folder_invalid"),
            ],
            // chosen from a list: nothing else can be entered
            SettingKind::Language | SettingKind::Theme | SettingKind::Bool => continue,
        };
        h.press("home");
        for _ in 0..i {
            h.press("down");
        }
        h.press("e");
        let cases: Vec<Case> = bad
            .iter()
            .map(|(v, k)| case("value", v.as_str(), k))
            .collect();
        run_cases(&mut h, &db.path, &cases);
        leave(&mut h);
        tried += 1;
    }
    assert!(tried >= 20, "{tried}");
    assert_eq!(count(&db.path, "SELECT count(*) FROM settings"), 0);
}

#[test]
fn service_types_and_checklist_items_refuse_bad_names_and_counts() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::En);
    h.press("s");
    for (f, v) in [("name_zh", "洗衣"), ("name_en", "laundry")] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("name_zh", " ", "catalog.name.invalid"),
            case("name_zh", "洗衣😀", "catalog.name.invalid"),
            case("name_en", "", "catalog.name.invalid"),
            case("name_en", "wash 😀", "catalog.name.invalid"),
            case("name_zh", "陪聊", "catalog.name.duplicate"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM service_types WHERE name_en = 'laundry'"
        ),
        1
    );
    // the checklist section: a tool needs its count, 1-999
    h.press("tab");
    h.press("n");
    choose(&mut h, "kind", "tool");
    for (f, v) in [
        ("name_zh", "轮椅"),
        ("name_en", "wheelchairs"),
        ("expected", "2"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("name_zh", "", "catalog.name.invalid"),
            case("name_zh", "轮椅😀", "catalog.name.invalid"),
            case("name_en", "  ", "catalog.name.invalid"),
            case("name_en", "chairs 😀", "catalog.name.invalid"),
            case("expected", "", "checklist.expected_invalid"),
            case("expected", "0", "checklist.expected_invalid"),
            case("expected", "-1", "checklist.expected_invalid"),
            case("expected", "two", "checklist.expected_invalid"),
        ],
    );
    let before = count(&db.path, "SELECT count(*) FROM checklist_items");
    h.press("ctrl-s");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM checklist_items"),
        before + 1
    );
}

// -------------------------------------------------------------- records

fn fill_record(h: &mut Harness) {
    pick(h, "provider", "zsf");
    pick(h, "recipient", "lnn");
    for (f, v) in [
        ("date", "2026-11-23"),
        ("start", "08:00"),
        ("end", "09:00"),
        ("minutes", ""),
        ("book_page", "12"),
        ("rating", "5"),
    ] {
        put(h, f, v);
    }
    choose(h, "type", "1");
    choose(h, "payer", "pool");
    choose(h, "method", "desk");
}

#[test]
fn record_entry_refuses_each_bad_field() {
    let db = temp_db();
    let (mut h, master) = station(&db, &["张三丰", "李奶奶"], Lang::En);
    // 张三丰 served 06:00-07:00 already: an overlap is refused
    let mut s = store(&db.path);
    let earlier = record("r0", 1, 2, T0 - 3 * HOUR_MS, 60, Payer::Pool);
    s.post_record(&master, &earlier, false, T0).unwrap();
    drop(s);
    h.press("3");
    h.press("n");
    fill_record(&mut h);
    run_cases(
        &mut h,
        &db.path,
        &[
            case("date", "2026-02-30", "record.date_invalid"),
            case("date", "soon", "record.date_invalid"),
            case("start", "", "record.clock_invalid"),
            case("start", "8点", "record.clock_invalid"),
            case("start", "25:00", "record.clock_invalid"),
            case("start", "06:30", "record.overlap"),
            case("end", "9:5", "record.clock_invalid"),
            case("end", "07:00", "record.end_before_start"),
            case("end", "11:00", "record.end_future"),
            case("minutes", "0", "record.minutes_invalid"),
            case("minutes", "-5", "record.minutes_invalid"),
            case("minutes", "abc", "record.minutes_invalid"),
            case("minutes", "25h", "record.minutes_invalid"),
            case("minutes", "90", "record.minutes_longer_than_window"),
            case("rating", "0", "record.rating_range"),
            case("rating", "7", "record.rating_range"),
            case("rating", "a", "record.rating_range"),
            case("book_page", " ", "record.book_page_required"),
        ],
    );
    let before = rows(&db.path);
    // neither an end nor minutes
    put(&mut h, "end", "");
    h.press("ctrl-s");
    refused_at(&mut h, "end", "record.end_or_minutes");
    // over the ordinary members' two hours
    put(&mut h, "start", "07:00");
    put(&mut h, "minutes", "150");
    put(&mut h, "end", "09:30");
    h.press("ctrl-s");
    refused_at(&mut h, "minutes", "record.minutes_cap");
    put(&mut h, "start", "08:00");
    put(&mut h, "minutes", "");
    put(&mut h, "end", "09:00");
    // nobody picked, or the same person twice
    put(&mut h, "provider", "");
    h.press("ctrl-s");
    refused_at(&mut h, "provider", "record.provider_required");
    pick(&mut h, "provider", "zsf");
    put(&mut h, "recipient", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "recipient", "record.recipient_required");
    pick(&mut h, "recipient", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "recipient", "record.same_person");
    pick(&mut h, "recipient", "lnn");
    // a special service by an ordinary member
    choose(&mut h, "type", "4");
    h.press("ctrl-s");
    refused_at(&mut h, "type", "record.level_cannot_give");
    choose(&mut h, "type", "1");
    // paid by a recipient who has no points
    choose(&mut h, "payer", "recipient");
    h.press("ctrl-s");
    refused_at(&mut h, "payer", "record.recipient_short");
    choose(&mut h, "payer", "pool");
    // online: a photo and the recipient's confirmation
    choose(&mut h, "method", "online");
    h.press("ctrl-s");
    refused_at(&mut h, "photo_ref", "record.photo_required");
    refused_at(&mut h, "confirmed", "record.recipient_must_confirm");
    // a home visit: a photo
    choose(&mut h, "method", "home_visit");
    h.press("ctrl-s");
    refused_at(&mut h, "photo_ref", "record.photo_required");
    choose(&mut h, "method", "desk");
    // more than 24 hours late: the reason
    put(&mut h, "date", "2026-11-20");
    h.press("ctrl-s");
    refused_at(&mut h, "late_reason", "record.late_reason_required");
    put(&mut h, "date", "2026-11-23");
    put(&mut h, "late_reason", "");
    assert_eq!(rows(&db.path), before);
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 2);

    // a thank-you letter needs its text
    h.press("t");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "text", "thanks.text_required");
    put(&mut h, "text", "   ");
    h.press("ctrl-s");
    refused_at(&mut h, "text", "thanks.text_required");
    assert_eq!(rows(&db.path), before);
    leave(&mut h);
}

#[test]
fn home_visits_are_the_masters_and_a_failed_spot_check_needs_a_note() {
    let db = temp_db();
    let (_, master) = station(&db, &["张三丰", "李奶奶"], Lang::Zh);
    let l = liaison(&db, &master);
    // an online-confirmed record this week: on the spot-check list
    let mut s = store(&db.path);
    let online = RecordInput {
        method: ConfirmMethod::Online,
        book_page: None,
        photo_ref: Some("IMG_1".into()),
        recipient_confirmed: true,
        ..record("r0", 1, 2, T0 - 3 * HOUR_MS, 60, Payer::Pool)
    };
    s.post_record(&master, &online, false, T0).unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, l);
    h.press("3");
    h.press("n");
    fill_record(&mut h);
    put(&mut h, "start", "08:00");
    put(&mut h, "end", "08:30");
    choose(&mut h, "method", "home_visit");
    put(&mut h, "photo_ref", "IMG_2");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "method", "record.home_visit_master");
    assert_eq!(rows(&db.path), before);
    leave(&mut h);
    h.press("tab");
    // the week's draw is kept when the list is first shown
    let before = rows(&db.path);
    h.press("f");
    h.press("ctrl-s");
    refused_at(&mut h, "note", "spot.note_required");
    put(&mut h, "note", "  ");
    h.press("ctrl-s");
    refused_at(&mut h, "note", "spot.note_required");
    assert_eq!(rows(&db.path), before);
    put(&mut h, "note", "照片对不上");
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM spot_checks WHERE result = 'failed'"
        ),
        1
    );
}

// ---------------------------------------------------------------- queue

fn fill_intake(h: &mut Harness) {
    pick(h, "requester", "lnn");
    for (f, v) in [
        ("description", "买菜"),
        ("date", "2026-11-23"),
        ("from", ""),
        ("to", ""),
        ("minutes", "60"),
    ] {
        put(h, f, v);
    }
    choose(h, "type", "1");
}

#[test]
fn intake_refuses_each_bad_field_and_a_cancel_needs_a_reason() {
    let db = temp_db();
    let (h, master) = station(&db, &["张三丰", "李奶奶"], Lang::Zh);
    drop(h);
    store(&db.path)
        .register_member(&master, &new_member("王待审", 40), T0)
        .unwrap();
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.press("1");
    h.press("n");
    fill_intake(&mut h);
    run_cases(
        &mut h,
        &db.path,
        &[
            case("description", "  ", "request.description_required"),
            case("date", "2026-13-01", "record.date_invalid"),
            case("date", "soon", "record.date_invalid"),
            case("date", "2026-11-20", "request.window_past"),
            case("date", "昨天", "request.window_past"),
            case("from", "25:00", "record.clock_invalid"),
            case("from", "9点", "record.clock_invalid"),
            case("to", "7:5", "record.clock_invalid"),
            case("to", "09:00", "request.window_backwards"),
            case("minutes", "", "request.minutes_range"),
            case("minutes", "0", "request.minutes_range"),
            case("minutes", "abc", "request.minutes_range"),
            case("minutes", "300", "request.minutes_range"),
            case("minutes", "5h", "request.minutes_range"),
        ],
    );
    let before = rows(&db.path);
    // a window already past, and one too short for the minutes
    put(&mut h, "from", "07:00");
    put(&mut h, "to", "08:00");
    h.press("ctrl-s");
    refused_at(&mut h, "to", "request.window_past");
    put(&mut h, "from", "11:00");
    put(&mut h, "to", "11:30");
    h.press("ctrl-s");
    refused_at(&mut h, "minutes", "request.minutes_exceed_window");
    put(&mut h, "from", "");
    put(&mut h, "to", "");
    // the requester: picked, approved, and able to receive the service
    put(&mut h, "requester", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "requester", "request.requester_required");
    pick(&mut h, "requester", "wds");
    h.press("ctrl-s");
    refused_at(&mut h, "requester", "request.requester_not_approved");
    pick(&mut h, "requester", "lnn");
    choose(&mut h, "type", "5");
    h.press("ctrl-s");
    refused_at(&mut h, "type", "request.level_cannot_receive");
    choose(&mut h, "type", "1");
    assert_eq!(rows(&db.path), before);
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM requests"), 1);

    // cancelling needs a reason
    h.press("x");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "request.cancel_reason");
    put(&mut h, "reason", "   ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "request.cancel_reason");
    assert_eq!(rows(&db.path), before);
    leave(&mut h);
}

#[test]
fn matching_a_request_twice_is_refused() {
    let db = temp_db();
    let (_, master) = station(&db, &["张三丰", "李奶奶", "王秀兰"], Lang::En);
    let mut s = store(&db.path);
    let r = shiguang::domain::queue::NewRequest {
        requester: 2,
        type_id: 1,
        description: "陪聊".into(),
        place: "3栋".into(),
        window_start: T0,
        window_end: T0 + 6 * HOUR_MS,
        minutes: 60,
        urgent: false,
        channel: shiguang::domain::queue::Channel::Phone,
        pool_pays: true,
    };
    s.create_request(&master, &r, T0).unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    h.press("1");
    h.press("m");
    h.press("c");
    choose(&mut h, "outcome", "accepted");
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM requests WHERE state = 'matched'"
        ),
        1
    );
    // the next helper on the list, accepted too: already matched
    h.press("down");
    h.press("c");
    choose(&mut h, "outcome", "accepted");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_on_form(&mut h, "request.already_matched");
    assert_eq!(rows(&db.path), before);
}

/// A shop whose October discounts made one settlement request, matched to
/// 张三丰; the desk signed in on the pane that records the service.
fn settlement_request(db: &TestDb) -> Harness {
    let (_, master) = station(db, &["张三丰", "李奶奶"], Lang::Zh);
    let mut s = store(&db.path);
    let earn = record("earn", 2, 1, T0 - 40 * DAY_MS, 60, Payer::Pool);
    s.post_record(&master, &earn, true, T0 - 40 * DAY_MS)
        .unwrap();
    let shop = s
        .save_merchant(&master, None, &shop("惠民超市"), T0 - 60 * DAY_MS)
        .unwrap()
        .id;
    s.save_offer(&master, shop, None, &offer(), T0 - 60 * DAY_MS)
        .unwrap();
    let offer_id = s.merchant_detail(shop, T0).unwrap().offers[0].id;
    let oct = T0 - 30 * DAY_MS;
    let red = shiguang::store::redemptions::Redemption {
        uid: "oct".into(),
        member_id: 2,
        offer_id,
        count: 1,
        redeemed_at: oct,
    };
    s.redeem(&master, &red, oct).unwrap();
    s.settle_month(&master, T0 - HOUR_MS, &Tr::new(Lang::Zh))
        .unwrap();
    let req: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM requests WHERE merchant_id = ?1",
            [shop],
            |r| r.get(0),
        )
        .unwrap();
    s.log_contact(
        &master,
        req,
        1,
        shiguang::store::queue::Outcome::Accepted,
        "",
        T0 - HOUR_MS,
    )
    .unwrap();
    drop(s);
    Harness::signed_in(&db.path, T0, Lang::Zh, master)
}

fn shop(name: &str) -> shiguang::store::merchants::MerchantInput {
    shiguang::store::merchants::MerchantInput {
        name: name.into(),
        kind: shiguang::domain::merchant::Kind::Supermarket,
        address: "金山路 18 号".into(),
        distance_m: 300,
        contact_name: "刘老板".into(),
        contact_phone: "13761234567".into(),
        redeemer: "刘小燕".into(),
        community: "01".into(),
        agreement_from: "2026-01-01".parse().unwrap(),
        agreement_to: "2026-12-31".parse().unwrap(),
    }
}

fn offer() -> shiguang::store::merchants::OfferInput {
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

#[test]
fn service_for_a_merchant_refuses_each_bad_field() {
    let db = temp_db();
    let mut h = settlement_request(&db);
    h.press("1");
    h.press("e");
    for (f, v) in [
        ("date", "2026-11-23"),
        ("start", "08:00"),
        ("minutes", "30"),
        ("confirmed_by", "刘小燕"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("date", "2026-02-30", "record.date_invalid"),
            case("start", "", "record.clock_invalid"),
            case("start", "8点", "record.clock_invalid"),
            case("start", "11:00", "record.end_future"),
            case("minutes", "0", "record.minutes_invalid"),
            case("minutes", "半小时", "record.minutes_invalid"),
            case("confirmed_by", "  ", "merchant_service.confirmer_required"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM requests WHERE state = 'done'"
        ),
        1
    );
}

// ------------------------------------------------------------- disputes

#[test]
fn dispute_intake_and_suggestions_refuse_bad_values() {
    let db = temp_db();
    let (mut h, _) = station(&db, &["张三丰", "李奶奶"], Lang::Zh);
    h.press("5");
    h.press("n");
    choose(&mut h, "category", "safety");
    pick(&mut h, "party_a", "zsf");
    pick(&mut h, "party_b", "lnn");
    put(&mut h, "subject", "上门时摔倒");
    put(&mut h, "reported_by", "本人");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("subject", "  ", "dispute.subject_required"),
            case("reported_by", "", "dispute.reporter_required"),
        ],
    );
    let before = rows(&db.path);
    put(&mut h, "party_a", "");
    h.press("ctrl-s");
    refused_at(&mut h, "party_a", "dispute.party_required");
    pick(&mut h, "party_a", "zsf");
    put(&mut h, "party_b", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "party_b", "dispute.party_required");
    pick(&mut h, "party_b", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "party_b", "dispute.same_member");
    pick(&mut h, "party_b", "lnn");
    assert_eq!(rows(&db.path), before);
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM disputes"), 1);

    // a suggestion: the text and who gave it
    h.press("s");
    put(&mut h, "subject", "希望周末也开门");
    put(&mut h, "reported_by", "本人");
    // "from" may be empty, but a name typed must be picked
    let before = rows(&db.path);
    put(&mut h, "party_a", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "party_a", "form.pick_member");
    assert_eq!(rows(&db.path), before);
    put(&mut h, "party_a", "");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("subject", "", "dispute.subject_required"),
            case("reported_by", " ", "dispute.reporter_required"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM disputes WHERE kind = 'suggestion'"
        ),
        1
    );
}

/// A safety case between 张三丰 and 李奶奶 (no service picked), and a
/// suggestion; the liaison 002 too.
fn disputes_world(db: &TestDb) -> (Session, Session) {
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    let base = shiguang::store::disputes::NewDispute {
        suggestion: false,
        channel: shiguang::store::disputes::Channel::Desk,
        category: Some(shiguang::domain::dispute::Category::Safety),
        party_a: Some(1),
        party_b: Some(2),
        record_id: None,
        subject: "上门时摔倒".into(),
        reported_by: "本人".into(),
    };
    s.open_dispute(&master, &base, T0 - HOUR_MS).unwrap();
    let suggestion = shiguang::store::disputes::NewDispute {
        suggestion: true,
        category: None,
        party_b: None,
        subject: "希望周末也开门".into(),
        ..base
    };
    s.open_dispute(&master, &suggestion, T0 - 2 * HOUR_MS)
        .unwrap();
    drop(s);
    let l = liaison(db, &master);
    (master, l)
}

/// Select the case (not the suggestion) in the disputes pane.
fn select_case(h: &mut Harness, suggestion: bool) {
    h.press("5");
    h.press("home");
    for _ in 0..2 {
        let sel = h
            .app
            .state
            .desk()
            .and_then(|d| d.disputes.selected().map(|r| r.suggestion));
        if sel == Some(suggestion) {
            return;
        }
        h.press("down");
    }
    panic!("no such case:\n{}", h.text());
}

#[test]
fn contacts_reports_decisions_and_replies_refuse_bad_values() {
    let db = temp_db();
    let (master, liaison) = disputes_world(&db);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    select_case(&mut h, false);
    let before = rows(&db.path);
    // what each party said, to whom HQ was told, the review
    for (key, field, msg) in [
        ("c", "said", "dispute.said_required"),
        ("h", "text", "dispute.text_required"),
        ("w", "text", "dispute.text_required"),
    ] {
        h.press(key);
        put(&mut h, field, "  ");
        h.press("ctrl-s");
        refused_at(&mut h, field, msg);
        leave(&mut h);
    }
    // a liaison may not mediate, nor decide a moderate violation
    h.press("d");
    choose(&mut h, "outcome", "mediated");
    h.press("ctrl-s");
    refused_at(&mut h, "outcome", "dispute.master_only_outcome");
    choose(&mut h, "outcome", "violation");
    choose(&mut h, "severity", "moderate");
    put(&mut h, "reason", "虚报");
    h.press("ctrl-s");
    refused_at(&mut h, "severity", "dispute.master_only_outcome");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
    drop(h);

    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    select_case(&mut h, false);
    h.press("d");
    choose(&mut h, "outcome", "mediated");
    for bad in ["150", "abc", "-5", ""] {
        put(&mut h, "split", bad);
        h.press("ctrl-s");
        refused_at(&mut h, "split", "dispute.split_range");
    }
    put(&mut h, "split", "50");
    h.press("ctrl-s");
    refused_at(&mut h, "outcome", "dispute.needs_record");
    for outcome in ["provider_fault", "requester_fault"] {
        choose(&mut h, "outcome", outcome);
        h.press("ctrl-s");
        refused_at(&mut h, "outcome", "dispute.needs_record");
    }
    for outcome in ["dismissed", "violation"] {
        choose(&mut h, "outcome", outcome);
        put(&mut h, "reason", " ");
        h.press("ctrl-s");
        refused_at(&mut h, "reason", "dispute.reason_required");
    }
    assert_eq!(rows(&db.path), before);
    choose(&mut h, "outcome", "dismissed");
    put(&mut h, "reason", "双方和解");
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM disputes WHERE decided_at IS NOT NULL"
        ),
        1
    );
    // telling the parties: how
    let before = rows(&db.path);
    h.press("t");
    put(&mut h, "how", "");
    h.press("ctrl-s");
    refused_at(&mut h, "how", "dispute.how_required");
    leave(&mut h);
    // a reply to a suggestion
    select_case(&mut h, true);
    h.press("r");
    put(&mut h, "reply", "   ");
    h.press("ctrl-s");
    refused_at(&mut h, "reply", "dispute.reply_required");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
}

// --------------------------------------------------------------- ledger

/// 张三丰 (1) earned 20 points serving 李奶奶 (2); 王秀兰 (3) and 赵大爷 (4)
/// are honor members; liaison 002 entered an adjustment for 1.
fn ledger_world(db: &TestDb) -> Harness {
    let (h, master) = station(db, &["张三丰", "李奶奶", "王秀兰", "赵大爷"], Lang::Zh);
    drop(h);
    let l = liaison(db, &master);
    let mut s = store(&db.path);
    let r = record("r1", 1, 2, T0 - 2 * HOUR_MS, 60, Payer::Pool);
    s.post_record(&master, &r, false, T0).unwrap();
    let p = shiguang::store::corrections::Proposal::Adjustment {
        member_id: 1,
        direction: shiguang::domain::correction::Direction::Credit,
        amount: 5,
    };
    s.propose_correction(&l, &p, "补登", T0).unwrap();
    drop(s);
    let h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.store
        .conn()
        .execute("UPDATE members SET level = 'honor' WHERE id IN (3, 4)", [])
        .unwrap();
    h
}

fn statement_of(h: &mut Harness, who: &str) {
    h.press("4");
    h.press("/");
    h.type_str(who);
    h.press("enter");
}

#[test]
fn corrections_refuse_bad_amounts_and_reasons() {
    let db = temp_db();
    let mut h = ledger_world(&db);
    statement_of(&mut h, "zsf");
    // a reversal of the 20-point service
    h.press("r");
    put(&mut h, "reason", "重复登记");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("amount", "", "ledger.amount_positive"),
            case("amount", "0", "ledger.amount_positive"),
            case("amount", "-5", "ledger.amount_positive"),
            case("amount", "1.5", "ledger.amount_positive"),
            case("amount", "十", "ledger.amount_positive"),
            case("reason", "  ", "ledger.reason_required"),
        ],
    );
    let before = rows(&db.path);
    put(&mut h, "amount", "25");
    h.press("ctrl-s");
    h.press("y"); // both sides shown first
    refused_at(&mut h, "amount", "ledger.reversal_too_much");
    assert_eq!(rows(&db.path), before);
    leave(&mut h);
    // an adjustment: points back from a member who has only 20
    h.press("a");
    choose(&mut h, "direction", "debit");
    put(&mut h, "amount", "5");
    put(&mut h, "reason", "多发");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("amount", "0", "ledger.amount_positive"),
            case("amount", "abc", "ledger.amount_positive"),
            case("amount", "30", "ledger.short"),
            case("reason", "", "ledger.reason_required"),
        ],
    );
    leave(&mut h);
    // refusing another's correction needs a note
    h.press("p");
    h.press("x");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "correction.refusal_reason");
    put(&mut h, "reason", "  ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "correction.refusal_reason");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM corrections WHERE decided_at IS NULL"
        ),
        1
    );
}

#[test]
fn freezing_and_estates_refuse_bad_values() {
    let db = temp_db();
    let mut h = ledger_world(&db);
    statement_of(&mut h, "zsf");
    let before = rows(&db.path);
    h.press("f");
    put(&mut h, "reason", " ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "ledger.freeze_reason");
    assert_eq!(rows(&db.path), before);
    put(&mut h, "reason", "核查");
    h.press("ctrl-s");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM members WHERE frozen = 1"),
        1
    );
    let before = rows(&db.path);
    h.press("f");
    h.press("ctrl-s");
    refused_at(&mut h, "sure", "ledger.unfreeze_tick");
    leave(&mut h);
    assert_eq!(rows(&db.path), before);

    // 张三丰 has died: not an honor member, so no heir
    h.press("d");
    put(&mut h, "death_certificate", "D-2026-1");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("death_certificate", "  ", "estate.certificate_required"),
            case("heir", "lnn", "form.pick_member"),
        ],
    );
    pick(&mut h, "heir", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "heir", "estate.not_honor");
    leave(&mut h);
    // 王秀兰 is an honor member without a registered heir
    statement_of(&mut h, "wxl");
    h.press("d");
    put(&mut h, "death_certificate", "D-2026-2");
    pick(&mut h, "heir", "lnn");
    put(&mut h, "kinship_proof", "户口本");
    h.press("ctrl-s");
    refused_at(&mut h, "heir", "estate.no_heir_registered");
    leave(&mut h);
    let master = h.app.state.session().unwrap().clone();
    h.store
        .register_heir(&master, 3, "李奶奶", "女儿", "13800000002", T0)
        .unwrap();
    let before = rows(&db.path);
    h.press("d");
    put(&mut h, "death_certificate", "D-2026-2");
    pick(&mut h, "heir", "lnn");
    put(&mut h, "kinship_proof", " ");
    h.press("ctrl-s");
    refused_at(&mut h, "kinship_proof", "estate.kinship_required");
    put(&mut h, "kinship_proof", "户口本");
    pick(&mut h, "heir", "wxl");
    h.press("ctrl-s");
    refused_at(&mut h, "heir", "estate.heir_self");
    assert_eq!(rows(&db.path), before);
    pick(&mut h, "heir", "lnn");
    h.press("ctrl-s");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM estate_settlements"),
        1
    );
}

// ------------------------------------------------------------ merchants

/// 惠民超市 with its offer and a 1000-yuan deposit; 张三丰 (1) has 20
/// points, 李奶奶 (2) none, 王秀兰 (3) is frozen; the master at pane 8.
fn merchants_world(db: &TestDb, lang: Lang) -> (Harness, Session) {
    let (h, master) = station(db, &["张三丰", "李奶奶", "王秀兰"], lang);
    drop(h);
    let mut s = store(&db.path);
    for (uid, who, end) in [("e1", 1, T0 - 2 * HOUR_MS), ("e3", 3, T0 - 5 * HOUR_MS)] {
        let r = record(uid, who, 2, end, 60, Payer::Pool);
        s.post_record(&master, &r, false, T0).unwrap();
    }
    s.set_frozen(&master, 3, true, "核查", T0).unwrap();
    let id = s
        .save_merchant(&master, None, &shop("惠民超市"), T0 - 60 * DAY_MS)
        .unwrap()
        .id;
    s.save_offer(&master, id, None, &offer(), T0 - 60 * DAY_MS)
        .unwrap();
    s.merchant_deposit(&master, id, false, 1000_00, "签约", T0 - 60 * DAY_MS)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, lang, master.clone());
    h.press("8");
    (h, master)
}

#[test]
fn the_merchant_and_offer_forms_refuse_each_bad_field() {
    let db = temp_db();
    let (mut h, _) = merchants_world(&db, Lang::Zh);
    h.press("n");
    for (f, v) in [
        ("name", "老王理发店"),
        ("address", "金山路 20 号"),
        ("distance", "150"),
        ("contact_name", "王师傅"),
        ("contact_phone", "13761234568"),
        ("redeemer", "王小明"),
        ("community", "01"),
        ("from", "2026-11-01"),
        ("to", "2027-10-31"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("name", " ", "merchant.required"),
            case("name", "惠民超市", "merchant.name_taken"),
            case("address", "", "merchant.required"),
            case("distance", "", "merchant.distance_invalid"),
            case("distance", "三百", "merchant.distance_invalid"),
            case("distance", "-1", "merchant.distance_invalid"),
            case("distance", "1.5", "merchant.distance_invalid"),
            case("contact_name", "  ", "merchant.required"),
            case("contact_phone", "", "member.phone.empty"),
            case("contact_phone", "123", "member.phone.length"),
            case("contact_phone", "1376123456x", "member.phone.digits"),
            case("redeemer", "", "merchant.required"),
            case("community", "1", "station.community.invalid"),
            case("community", "ab", "station.community.invalid"),
            case("from", "2026-13-01", "record.date_invalid"),
            case("to", "soon", "record.date_invalid"),
            case("to", "2026-10-31", "merchant.dates_order"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM merchants"), 2);

    // an offer of the selected merchant
    h.press("o");
    for (f, v) in [
        ("text", "20积分抵10元"),
        ("points", "20"),
        ("value", "10"),
        ("valid_from", "2026-11-01"),
        ("valid_to", "2027-01-31"),
        ("cap", "500"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("text", "  ", "offer.text_required"),
            case("points", "", "offer.points_invalid"),
            case("points", "0", "offer.points_invalid"),
            case("points", "-5", "offer.points_invalid"),
            case("points", "二十", "offer.points_invalid"),
            case("value", "0", "offer.yuan_invalid"),
            case("value", "-10", "offer.yuan_invalid"),
            case("value", "5.555", "offer.yuan_invalid"),
            case("value", "十元", "offer.yuan_invalid"),
            case("cap", "", "offer.yuan_invalid"),
            case("cap", "9.99", "offer.cap_below_value"),
            case("valid_from", "2026-02-30", "record.date_invalid"),
            case("valid_to", "later", "record.date_invalid"),
            case("valid_to", "2026-10-31", "merchant.dates_order"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM merchant_offers"), 2);
}

#[test]
fn redemptions_ratings_price_checks_violations_and_deposits_refuse_bad_values() {
    let db = temp_db();
    let (mut h, master) = merchants_world(&db, Lang::En);
    h.press("home");
    h.assert_shows("惠民超市");
    // a redemption at the desk
    h.press("r");
    pick(&mut h, "member", "zsf");
    put(&mut h, "count", "1");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("count", "", "redeem.count_range"),
            case("count", "0", "redeem.count_range"),
            case("count", "x", "redeem.count_range"),
            case("count", "-1", "redeem.count_range"),
        ],
    );
    let before = rows(&db.path);
    put(&mut h, "member", "zsf");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "redeem.member_required");
    pick(&mut h, "member", "lnn");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "ledger.short");
    pick(&mut h, "member", "wxl");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "ledger.payer_frozen");
    assert_eq!(rows(&db.path), before);
    leave(&mut h);

    // a rating: by a member, picked
    h.press("g");
    h.press("ctrl-s");
    refused_at(&mut h, "member", "redeem.member_required");
    leave(&mut h);
    // a price check: both prices, the item, the invoice, who checked
    h.press("k");
    for (f, v) in [
        ("item", "食用油"),
        ("purchase", "100"),
        ("member_price", "99"),
        ("invoice", "INV-1"),
        ("checked_by", "王秀英"),
    ] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("item", " ", "price.item_required"),
            case("purchase", "", "offer.yuan_invalid"),
            case("purchase", "一百", "offer.yuan_invalid"),
            case("member_price", "0", "offer.yuan_invalid"),
            case("member_price", "-99", "offer.yuan_invalid"),
            case("invoice", "", "price.invoice_required"),
            case("checked_by", "  ", "price.checker_required"),
        ],
    );
    leave(&mut h);
    // a violation, a pause: each with its reason
    for key in ["v", "x"] {
        h.press(key);
        put(&mut h, "reason", "  ");
        h.press("ctrl-s");
        refused_at(&mut h, "reason", "merchant.reason_required");
        leave(&mut h);
    }
    // the deposit: an amount in yuan, a note, never more back than is held
    h.press("d");
    choose(&mut h, "kind", "refund");
    put(&mut h, "amount", "100");
    put(&mut h, "reason", "解约");
    run_cases(
        &mut h,
        &db.path,
        &[
            case("amount", "", "offer.yuan_invalid"),
            case("amount", "0", "offer.yuan_invalid"),
            case("amount", "x", "offer.yuan_invalid"),
            case("amount", "1000.01", "deposit.refund_over"),
            case("reason", " ", "merchant.reason_required"),
        ],
    );
    leave(&mut h);
    assert_eq!(rows(&db.path), before);
    // a liaison's moderate violation: the station master's
    let l = liaison(&db, &master);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, l);
    h.press("8");
    h.press("v");
    choose(&mut h, "severity", "moderate");
    put(&mut h, "reason", "缺斤少两");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_on_form(&mut h, "staff.master_only");
    assert_eq!(rows(&db.path), before);
}

#[test]
fn a_merchant_log_with_bad_lines_posts_nothing_and_says_which() {
    let db = temp_db();
    let (mut h, _) = merchants_world(&db, Lang::En);
    h.press("i");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "file", "import.file_required");
    let missing = db.dir.path().join("no-such-log.csv");
    put(&mut h, "file", missing.to_str().unwrap());
    h.press("ctrl-s");
    refused_at(&mut h, "file", "import.unreadable");
    assert_eq!(rows(&db.path), before);
    let log = db.dir.path().join("log.csv");
    std::fs::write(
        &log,
        "会员编号,优惠,时间,数量\n\
         JS01-0001,#1,2026-11-20 10:15,1\n\
         JS01-0001,#1,2026-11-20\n\
         JS01-0001,#x,2026-11-20 10:15,1\n\
         JS01-0001,#1,2026-11-31 10:15,1\n\
         JS01-0001,#1,2026-11-20 10:15,0\n\
         JS1-1,#1,2026-11-20 10:15,1\n\
         JS01-9999,#1,2026-11-20 10:15,1\n\
         JS01-0001,#99,2026-11-20 10:15,1\n",
    )
    .unwrap();
    put(&mut h, "file", log.to_str().unwrap());
    h.press("ctrl-s");
    let report = h
        .app
        .state
        .desk()
        .and_then(|d| d.merchants.import.clone())
        .expect("an import report");
    let bad: Vec<(usize, &str)> = report.bad.iter().map(|(l, m)| (*l, m.key)).collect();
    assert_eq!(
        bad,
        [
            (3, "import.columns"),
            (4, "import.offer"),
            (5, "import.time"),
            (6, "import.count"),
            (7, "import.member"),
            (8, "import.no_member"),
            (9, "import.no_offer"),
        ]
    );
    assert_eq!(report.posted, 0);
    // each bad line by its number, in words, under the redemptions
    for (line, m) in &report.bad {
        let words = Tr::new(Lang::En).msg(m);
        let head: String = words.chars().take(12).collect();
        h.assert_shows(&format!("line {line}: {head}"));
    }
    let words = Tr::new(Lang::En).msg(&shiguang::msg!("import.nothing_posted", n = 7));
    h.assert_shows(&words);
    assert_eq!(rows(&db.path), before);
}

// ------------------------------------------------- stats and the routines

#[test]
fn a_callback_needs_its_result_and_a_reason_when_unsatisfied() {
    let db = temp_db();
    let (h, master) = station(&db, &["张三丰", "李奶奶", "王大爷"], Lang::Zh);
    drop(h);
    let mut s = store(&db.path);
    for (i, elder) in [2, 3].into_iter().enumerate() {
        let end = T0 - (i as i64 + 1) * DAY_MS;
        let r = record(&format!("r{i}"), 1, elder, end, 60, Payer::Pool);
        s.post_record(&master, &r, true, end).unwrap();
    }
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.press("7");
    h.press("tab");
    h.press("d");
    // the month's list is kept when drawn
    let before = rows(&db.path);
    h.press("c");
    h.press("ctrl-s");
    refused_at(&mut h, "satisfied", "stats.cb.result_required");
    choose(&mut h, "satisfied", "no");
    put(&mut h, "note", "  ");
    h.press("ctrl-s");
    refused_at(&mut h, "note", "stats.cb.note_required");
    assert_eq!(rows(&db.path), before);
    put(&mut h, "note", "迟到了");
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM callbacks WHERE satisfied = 0"
        ),
        1
    );
}

#[test]
fn the_opening_checklist_refuses_unticked_items_and_counts_that_are_not_numbers() {
    let db = temp_db();
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    approved_member(&mut s, &master, "李奶奶", 1, T0 - 200 * DAY_MS);
    // a request still open from yesterday: its review is ticked too
    let r = shiguang::domain::queue::NewRequest {
        requester: 1,
        type_id: 1,
        description: "陪聊".into(),
        place: "3栋".into(),
        window_start: T0 - DAY_MS,
        window_end: T0 + 6 * HOUR_MS,
        minutes: 60,
        urgent: false,
        channel: shiguang::domain::queue::Channel::Phone,
        pool_pays: true,
    };
    s.create_request(&master, &r, T0 - DAY_MS).unwrap();
    let items: Vec<(i64, Option<i64>)> = {
        let mut q = s
            .conn()
            .prepare("SELECT id, expected FROM checklist_items WHERE active = 1 ORDER BY position")
            .unwrap();
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master.clone());
    h.press("f2");
    for (id, expected) in &items {
        let name = format!("item_{id}");
        match expected {
            Some(e) => put(&mut h, &name, &e.to_string()),
            None => tick(&mut h, &name, true),
        }
    }
    tick(&mut h, "carried", true);
    let tool = items.iter().find(|(_, e)| e.is_some()).unwrap();
    let tool_field = format!("item_{}", tool.0);
    let cases: Vec<Case> = ["", "x", "-1", "1.5", "三"]
        .into_iter()
        .map(|bad| case(&tool_field, bad, "open.count_invalid"))
        .collect();
    run_cases(&mut h, &db.path, &cases);
    let before = rows(&db.path);
    let plain = format!(
        "item_{}",
        items.iter().find(|(_, e)| e.is_none()).unwrap().0
    );
    tick(&mut h, &plain, false);
    h.press("ctrl-s");
    refused_at(&mut h, &plain, "open.tick");
    tick(&mut h, &plain, true);
    tick(&mut h, "carried", false);
    h.press("ctrl-s");
    refused_at(&mut h, "carried", "open.tick");
    tick(&mut h, "carried", true);
    assert_eq!(rows(&db.path), before);
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM station_days"), 1);
    h.press("esc");

    // closed, then reopened by the master: with a reason
    drop(h);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    store(&db.path)
        .close_day(Some(&master), day, "平安的一天", true, T0 + HOUR_MS)
        .unwrap();
    let mut h = Harness::signed_in(&db.path, T0 + 2 * HOUR_MS, Lang::En, master);
    h.press("f10");
    h.press("o");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "day.reopen_reason");
    put(&mut h, "reason", "   ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "day.reopen_reason");
    assert_eq!(rows(&db.path), before);
}

// --------------------------------------------------------- command line

fn shiguang(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args(args)
        .env_remove("SHIGUANG_DB")
        .env_remove("SHIGUANG_LANG")
        .output()
        .expect("run shiguang")
}

/// Exit `code`, one line on stderr that holds each of `words`.
#[track_caller]
fn one_line(o: &Output, code: i32, words: &[&str]) -> String {
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

/// The first words of a catalog message in Chinese.
fn zh(m: &shiguang::msg::Msg) -> String {
    Tr::new(Lang::Zh).msg(m).chars().take(8).collect()
}

#[test]
fn init_refuses_each_bad_argument_in_the_chosen_language_and_creates_nothing() {
    use shiguang::msg;
    for (flag, bad, m) in [
        ("--street", "js", msg!("station.street.invalid")),
        ("--community", "001", msg!("station.community.invalid")),
        ("--kind", "big", msg!("station.kind.invalid")),
        ("--name", " ", msg!("station.name.empty")),
        ("--name", "驿站😀", msg!("station.name.invalid")),
        (
            "--tz",
            "Mars/Olympus",
            msg!("station.tz.invalid", tz = "Mars/Olympus"),
        ),
        ("--master", "", msg!("person.name.empty")),
        ("--master", "王😀", msg!("person.name.bad_chars")),
        ("--pin", "12", msg!("staff.pin.short", min = 4)),
        ("--pin", "12x4", msg!("staff.pin.digits")),
    ] {
        let db = temp_db();
        let mut args = vec![
            "init",
            "--db",
            db.path.to_str().unwrap(),
            "--lang",
            "zh",
            "--street",
            "JS",
            "--community",
            "01",
            "--kind",
            "main",
            "--name",
            "金山社区驿站",
            "--master",
            "王秀英",
            "--pin",
            "2468",
            "--tz",
            "Asia/Shanghai",
        ];
        let at = args.iter().position(|a| *a == flag).unwrap();
        args[at + 1] = bad;
        one_line(&shiguang(&args), 2, &[flag, &zh(&m)]);
        assert!(!db.path.exists(), "{flag} {bad:?}: a file was made");
        assert!(!shiguang::store::secret::key_path(&db.path).exists());
    }
}

#[test]
fn day_commands_refuse_bad_dates_and_a_missing_database_without_making_one() {
    let db = temp_db();
    let p = db.path.to_str().unwrap();
    for date in ["2026-13-01", "23/11/2026", "tomorrow", ""] {
        let o = shiguang(&["--db", p, "--lang", "zh", "close-day", "--date", date]);
        one_line(&o, 2, &["2026-11-23"]);
        let o = shiguang(&["--db", p, "export-day", "--date", date, "--out", "x.jsonl"]);
        one_line(&o, 2, &["2026-11-23"]);
    }
    let no_station = Tr::new(Lang::Zh).t("cli.no_station").to_string();
    for args in [
        vec!["close-day"],
        vec!["close-day", "--date", "2026-11-23"],
        vec!["backup"],
        vec!["export-day", "--date", "2026-11-23", "--out", "x.jsonl"],
    ] {
        let mut all = vec!["--db", p, "--lang", "zh"];
        all.extend(args.iter().copied());
        one_line(&shiguang(&all), 1, &[&no_station]);
    }
    assert!(!db.path.exists(), "a mistyped --db made a database");
    assert!(!shiguang::store::secret::key_path(&db.path).exists());
}

#[test]
fn numbers_formats_and_files_on_the_command_line_are_checked() {
    let db = temp_db();
    init_station(&db.path);
    let p = db.path.to_str().unwrap();
    let before = rows(&db.path);
    for args in [
        vec!["seed", "--members", "abc"],
        vec!["seed", "--members", "-1"],
        vec!["seed", "--days", "0"],
        vec!["seed", "--records", "1.5"],
        vec!["bench", "--members", "10", "--transfers", "0"],
        vec!["bench", "--transfers", "x"],
        vec!["export-ledger", "--format", "csv", "--out", "x.journal"],
        vec!["verify", "--full", "yes"],
        vec!["keys", "extra"],
        vec!["check-bundle"],
    ] {
        let mut all = vec!["--db", p];
        all.extend(args.iter().copied());
        one_line(&shiguang(&all), 2, &[]);
    }
    assert_eq!(rows(&db.path), before);
    let out = db.dir.path().join("no-such-folder").join("x.journal");
    let o = shiguang(&["--db", p, "export-ledger", "--out", out.to_str().unwrap()]);
    one_line(&o, 1, &["no-such-folder"]);
    // a day bundle that is not there, not one, not text
    let missing = db.dir.path().join("missing.jsonl");
    let garbage = db.dir.path().join("garbage.jsonl");
    std::fs::write(&garbage, "这不是上报文件\n").unwrap();
    let binary = db.dir.path().join("binary.jsonl");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let unreadable = Tr::new(Lang::En).t("cli.bundle_unreadable").to_string();
    let head = unreadable.split('{').next().unwrap().to_string();
    for (f, words) in [
        (&missing, vec!["missing.jsonl"]),
        (&garbage, vec![head.as_str()]),
        (&binary, vec!["binary.jsonl"]),
    ] {
        let o = shiguang(&["--lang", "en", "check-bundle", f.to_str().unwrap()]);
        one_line(&o, 1, &words);
    }
}

#[test]
fn restore_refuses_a_file_that_is_no_backup_in_words_and_touches_nothing() {
    let db = temp_db();
    init_station(&db.path);
    let p = db.path.to_str().unwrap();
    let digest = || blake3::hash(&std::fs::read(&db.path).unwrap());
    let before = digest();
    let notes = db.dir.path().join("notes.db");
    std::fs::write(
        &notes,
        "这不是数据库 — just some notes, long enough to look",
    )
    .unwrap();
    let missing = db.dir.path().join("gone.db");
    for (from, inner) in [
        (
            &notes,
            Tr::new(Lang::Zh).msg(&shiguang::msg!(
                "db.error.not_sqlite",
                path = notes.display()
            )),
        ),
        (
            &missing,
            Tr::new(Lang::Zh).msg(&shiguang::msg!(
                "db.error.sqlite",
                why = format!("{}: no such file", missing.display())
            )),
        ),
    ] {
        let o = shiguang(&[
            "--db",
            p,
            "--lang",
            "zh",
            "restore",
            "--from",
            from.to_str().unwrap(),
            "--force",
            "--yes",
        ]);
        let head: String = inner.chars().take(10).collect();
        one_line(&o, 1, &[&head]);
    }
    assert_eq!(digest(), before, "the database was touched");
    let aside = std::fs::read_dir(db.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("damaged"))
        .count();
    assert_eq!(aside, 0, "nothing is set aside for a bad backup");
}

// ----------------------------------------------------------------- scans

#[track_caller]
fn shows_msg(h: &Harness, m: &shiguang::msg::Msg) {
    let words = h.app.state.tr.msg(m);
    assert_ne!(words, m.key);
    let head: String = words.chars().take(14).collect();
    h.assert_shows(&head);
}

#[test]
fn a_scan_that_names_no_member_or_a_wrong_card_is_refused() {
    use shiguang::msg;
    let db = temp_db();
    let (h, master) = station(&db, &["张三丰", "李奶奶"], Lang::Zh);
    drop(h);
    store(&db.path)
        .issue_card(&master, 1, "SG0001", None, T0)
        .unwrap();
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.press("1");
    let before = rows(&db.path);
    for (scan, m) in [
        ("JSX-1/?", msg!("scan.unreadable", text = "JSX-1/?")),
        (
            "JS01-0099",
            msg!("member.number_unknown", number = "JS01-0099"),
        ),
        ("JS01-0001/ZZ9999", msg!("card.unknown", serial = "ZZ9999")),
        ("JS01-0002/SG0001", msg!("card.mismatch", serial = "SG0001")),
    ] {
        h.type_str(&format!("{scan}\n"));
        shows_msg(&h, &m);
    }
    assert_eq!(rows(&db.path), before);
}

// ---------------------------------------------------------- files it reads

#[test]
fn a_bad_keymap_file_stops_the_desk_with_one_line_before_anything_is_opened() {
    let db = temp_db();
    let config = db.dir.path().join("config");
    std::fs::create_dir_all(config.join("shiguang")).unwrap();
    let p = db.path.to_str().unwrap();
    for (text, words) in [
        ("[global]\nhelp = [\"ctrl-l\"]\n", "bound to both"),
        ("[global]\nfly = [\"x\"]\n", "unknown command"),
        ("[nowhere]\nquit = [\"x\"]\n", "unknown context"),
        ("[global]\nquit = [\"f13\"]\n", "f13"),
        ("[global\n", "line 1"),
        ("[global]\nquit = [\"x\"\n", "line 2"),
    ] {
        std::fs::write(config.join("shiguang/keymap.toml"), text).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_shiguang"))
            .args(["--db", p])
            .env("XDG_CONFIG_HOME", &config)
            .env_remove("SHIGUANG_DB")
            .output()
            .unwrap();
        one_line(&o, 2, &["keymap.toml", words]);
        assert!(!db.path.exists(), "the database was opened");
    }
}

#[test]
fn a_theme_file_that_does_not_parse_is_reported_and_not_used() {
    use shiguang::ui::theme::{Theme, ThemeError};
    let db = temp_db();
    let dir = db.dir.path().join("config");
    std::fs::create_dir_all(dir.join("themes")).unwrap();
    std::fs::write(dir.join("themes/good.toml"), "text = { fg = \"white\" }\n").unwrap();
    for (name, text, words) in [
        ("colour", "text = { fg = \"chartreuse\" }\n", "chartreuse"),
        (
            "meaning",
            "text = { fg = \"red\" }\nsparkle = { fg = \"red\" }\n",
            "sparkle",
        ),
        ("notext", "muted = { fg = \"red\" }\n", "text"),
        ("broken", "text = {\n", "broken"),
        ("flag", "text = { bold = \"yes\" }\n", "true or false"),
    ] {
        let file = dir.join("themes").join(format!("{name}.toml"));
        std::fs::write(&file, text).unwrap();
        let (themes, errors) = shiguang::desk::load_themes(Some(&dir));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains(words), "{name}: {errors:?}");
        assert_eq!(errors[0].lines().count(), 1, "{errors:?}");
        assert!(!themes.iter().any(|t| t.name == name), "{name} was used");
        assert!(themes.iter().any(|t| t.name == "good"));
        assert!(themes.iter().any(|t| t.name == "default"));
        // --theme with the file's path: refused with the reason (the desk
        // then says so and uses the default theme)
        let e = Theme::load(file.to_str().unwrap(), None).unwrap_err();
        assert!(matches!(e, ThemeError::Invalid { .. }), "{e}");
        std::fs::remove_file(&file).unwrap();
    }
    assert_eq!(
        Theme::load("no-such-theme", Some(&dir.join("themes"))).unwrap_err(),
        ThemeError::NotFound("no-such-theme".into())
    );
}
