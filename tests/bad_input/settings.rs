//! 9 Settings: staff and PINs, station settings, service types and the
//! checklist.

use crate::common::*;
use crate::support::*;
use shiguang::app::panes::settings::{ITEMS, SettingKind};
use shiguang::harness::T0;
use shiguang::i18n::Lang;

#[test]
fn staff_and_pins_refuse_bad_values() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::Zh);
    h.press("a");
    for (f, v) in [("name", "赵敏"), ("pin", "3917"), ("pin2", "3917")] {
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
            case("pin", "1234", "staff.pin.trivial"),
            case("pin", "1111", "staff.pin.trivial"),
            case("pin", "1212", "staff.pin.trivial"),
            case("pin2", "7531", "staff.pin.mismatch"),
        ],
    );
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM staff"), 2);
    // a new PIN for 002: the same rules
    h.press("end");
    h.press("r");
    for (f, v) in [("pin", "9735"), ("pin2", "9735")] {
        put(&mut h, f, v);
    }
    run_cases(
        &mut h,
        &db.path,
        &[
            case("pin", "975", "staff.pin.short"),
            case("pin", "97x3", "staff.pin.digits"),
            case("pin", "2580", "staff.pin.trivial"),
            case("pin", "9876", "staff.pin.trivial"),
            case("pin2", "9736", "staff.pin.mismatch"),
        ],
    );
    leave(&mut h);
    assert!(
        store(&db.path).sign_in("002", "3917", T0).is_ok(),
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
            SettingKind::Language
            | SettingKind::Theme
            | SettingKind::Bool
            | SettingKind::PrintMode => continue,
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
