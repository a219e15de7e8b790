//! 3 Records: entering a service, home visits and spot checks.

use crate::common::*;
use crate::support::*;
use shiguang::domain::record::{ConfirmMethod, Payer, RecordInput};
use shiguang::domain::time::HOUR_MS;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

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
    s.post_record(&master, &earlier, T0).unwrap();
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
    s.post_record(&master, &online, T0).unwrap();
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
