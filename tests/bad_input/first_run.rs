//! The first run and signing in.

use crate::common::*;
use crate::support::*;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

fn fill_setup(h: &mut Harness) {
    for (field, v) in [
        ("street", "JS"),
        ("community", "01"),
        ("name", "金山社区驿站"),
        ("master", "王秀英"),
        ("pin", "4821"),
        ("pin2", "4821"),
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
            case("street", "j", "station.street.invalid"),
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
            case("pin", "0000", "staff.pin.trivial"),
            case("pin", "13579", "staff.pin.trivial"),
            case("pin2", "4822", "staff.pin.mismatch"),
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
    put(&mut h, "pin", "4821");
    h.press("ctrl-s");
    refused_at(&mut h, "staff_no", "signin.staff_no.unknown");
    let master = h.store.sign_in("001", MASTER_PIN, T0).unwrap();
    let l = add_liaison(&mut h.store, &master);
    h.store
        .set_staff_active(&master, l.staff_id, false, T0)
        .unwrap();
    put(&mut h, "staff_no", "002");
    put(&mut h, "pin", "3917");
    h.press("ctrl-s");
    refused_at(&mut h, "staff_no", "signin.inactive");
    assert!(h.app.state.session().is_none());
}
