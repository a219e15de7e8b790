//! 1 Queue and 2 Match: intake, cancelling, matching, service for a
//! merchant.

use crate::common::*;
use crate::support::*;
use shiguang::domain::record::Payer;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::{Lang, Tr};

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
    s.post_record(&master, &earn, T0 - 40 * DAY_MS).unwrap();
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
    shiguang::routines::settlement::settle_month(&mut s, &master, T0 - HOUR_MS, &Tr::new(Lang::Zh))
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
    // the service taken from the settlement is done (the settlement row was
    // done when its one service was taken)
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM requests WHERE state = 'done' AND parent_id IS NOT NULL"
        ),
        1
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM merchant_services"), 1);
}
