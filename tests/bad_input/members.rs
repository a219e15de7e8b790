//! 6 Members: registration, cards, heirs and violations.

use crate::common::*;
use crate::support::*;
use shiguang::domain::staff::Session;
use shiguang::domain::time::DAY_MS;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

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
    let (master, mut s) = open_station(&db.path);
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
