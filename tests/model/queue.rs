//! The demand queue and matching, driven by keys on a real SQLite file.

use crate::common;
use common::*;
use shiguang::domain::queue::{Channel, NewRequest, State};
use shiguang::domain::staff::Role;
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::queue::Outcome;

struct World {
    db: TestDb,
    master: shiguang::domain::staff::Session,
    elder: i64,
    star: i64,
    plain: i64,
}

/// An elder, a star helper (many good services), an ordinary helper.
fn world() -> World {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let elder = approved_member(&mut s, &master, "李奶奶", 1, T0 - 300 * DAY_MS);
    let star = approved_member(&mut s, &master, "张三丰", 2, T0 - 300 * DAY_MS);
    let plain = approved_member(&mut s, &master, "王小二", 3, T0 - 300 * DAY_MS);
    s.conn()
        .execute("UPDATE members SET level = 'star' WHERE id = ?1", [star])
        .unwrap();
    drop(s);
    World {
        db,
        master,
        elder,
        star,
        plain,
    }
}

fn request(w: &World, minutes_ago: i64, urgent: bool) -> i64 {
    let mut s = store(&w.db.path);
    let at = T0 - minutes_ago * MINUTE_MS;
    let r = NewRequest {
        requester: w.elder,
        type_id: 1,
        description: "陪聊".into(),
        place: "1栋".into(),
        window_start: at,
        window_end: at + 6 * HOUR_MS,
        minutes: 60,
        urgent,
        channel: Channel::Phone,
        pool_pays: true,
    };
    s.create_request(&w.master, &r, at).unwrap().id
}

#[test]
fn an_urgent_request_goes_on_top_is_matched_to_a_star_recorded_and_done() {
    let w = world();
    request(&w, 30, false);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::Zh, w.master.clone());
    h.press("1");
    h.assert_shows("剩 30 分");
    // an elderly member has fallen: log it as urgent
    h.press("n");
    h.type_str("lnn\n");
    h.press("tab");
    h.type_str("老人摔倒了");
    h.press("tab");
    h.press("space");
    h.press("ctrl-s");
    h.assert_shows("紧急需求已登记");
    assert_eq!(h.bells, 1, "the bell rings once");
    let first_row = h.screen()[4].clone();
    assert!(
        first_row.contains("老人摔倒了"),
        "urgent on top: {first_row}"
    );
    assert!(first_row.contains("剩 5 分"), "{first_row}");
    // match: the star comes first
    h.press("m");
    let screen = h.text();
    let star_at = screen.find("张三丰").unwrap();
    let plain_at = screen.find("王小二").unwrap();
    assert!(star_at < plain_at, "{screen}");
    h.press("c");
    h.press("ctrl-s");
    h.assert_shows("已匹配给 张三丰");
    // one key from the matched request to its record
    h.press("e");
    h.assert_shows("JS01-0002 张三丰");
    // the service has not happened yet: an hour from 09:30 is in the future
    h.press("ctrl-s");
    h.assert_shows("结束时间不能在将来");
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM service_records"), 0);
}

#[test]
fn the_record_from_a_request_closes_it_and_posts_the_points() {
    let w = world();
    let id = request(&w, 180, false);
    let mut s = store(&w.db.path);
    s.log_contact(
        &w.master,
        id,
        w.star,
        Outcome::Accepted,
        "",
        T0 - 170 * MINUTE_MS,
    )
    .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::En, w.master.clone());
    h.press("1");
    h.press("e");
    h.app.active_form().unwrap().focus_on("book_page");
    h.type_str("12");
    h.press("ctrl-s");
    h.assert_shows("20 points posted");
    let s = store(&w.db.path);
    assert_eq!(s.request(id).unwrap().state, State::Done);
    assert!(s.request(id).unwrap().record_id.is_some());
    assert_eq!(s.balance_of_member(w.star).unwrap(), 20);
}

#[test]
fn fifty_nine_minutes_is_on_time_sixty_one_is_overdue_and_counted() {
    let w = world();
    request(&w, 59, false);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::Zh, w.master.clone());
    h.press("1");
    h.assert_shows("剩 1 分");
    assert_eq!(h.app.state.header.requests_overdue, 0);
    h.advance(2 * MINUTE_MS); // 61 minutes; the header is re-read on this tick
    h.assert_shows("超时 1 分");
    assert_eq!(h.app.state.header.requests_overdue, 1);
    h.assert_shows("超时 1 ");
}

#[test]
fn requests_open_at_midnight_are_carried_over_in_station_time() {
    let w = world();
    // 23:30 Shanghai yesterday = T0 - 10.5 h
    request(&w, 10 * 60 + 30, false);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::Zh, w.master.clone());
    h.press("1");
    h.assert_shows("[结转]");
    h.press("f");
    h.press("f"); // carried over
    h.assert_shows("结转");
    h.assert_shows("陪聊");
}

#[test]
fn bad_intake_is_refused_at_its_field() {
    let w = world();
    let mut s = store(&w.db.path);
    s.add_violation(
        &w.master,
        w.plain,
        shiguang::store::standing::Severity::Severe,
        "伪造签名",
        T0,
    )
    .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::En, w.master.clone());
    h.press("1");
    h.press("n");
    h.press("ctrl-s");
    h.assert_shows("Choose the requester");
    h.type_str("wxe\n"); // blacklisted
    h.press("tab");
    h.type_str("买菜");
    h.app.active_form().unwrap().focus_on("minutes");
    h.press("ctrl-u");
    h.type_str("0");
    h.press("ctrl-s");
    h.assert_shows("Minutes must be 1 to 240");
    h.press("ctrl-u");
    h.type_str("300");
    h.press("ctrl-s");
    h.assert_shows("Minutes must be 1 to 240");
    h.press("ctrl-u");
    h.type_str("60");
    h.app.active_form().unwrap().focus_on("from");
    h.type_str("15:00");
    h.press("tab");
    h.type_str("14:00");
    h.press("ctrl-s");
    h.assert_shows("must end after it starts");
    h.press("ctrl-u");
    h.app.active_form().unwrap().focus_on("from");
    h.press("ctrl-u");
    h.type_str("07:00");
    h.press("tab");
    h.type_str("08:00");
    h.press("ctrl-s");
    h.assert_shows("already past");
    h.press("ctrl-u");
    h.type_str("18:00");
    h.press("ctrl-s");
    h.assert_shows("The requester is blacklisted");
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM requests"), 0);
}

#[test]
fn an_ordinary_member_may_not_request_more_than_two_hours_and_matching_refuses_it_too() {
    let w = world();
    for (lang, said) in [
        (Lang::Zh, "普通会员单次最多接受 2 小时"),
        (Lang::En, "at most 2 h"),
    ] {
        let mut h = Harness::signed_in(&w.db.path, T0, lang, w.master.clone());
        h.press("1");
        h.press("n");
        h.type_str("lnn\n");
        h.press("tab");
        h.type_str("陪聊");
        h.app.active_form().unwrap().focus_on("minutes");
        h.press("ctrl-u");
        h.type_str("180");
        h.press("ctrl-s");
        h.assert_shows(said);
        assert_eq!(h.app.active_form().unwrap().focused_name(), "minutes");
    }
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM requests"), 0);
    // a three-hour request taken while she was a star; she is ordinary now
    let s = store(&w.db.path);
    s.conn()
        .execute("UPDATE members SET level = 'star' WHERE id = ?1", [w.elder])
        .unwrap();
    drop(s);
    let id = {
        let mut s = store(&w.db.path);
        let r = NewRequest {
            requester: w.elder,
            type_id: 1,
            description: "陪聊".into(),
            place: "1栋".into(),
            window_start: T0,
            window_end: T0 + 6 * HOUR_MS,
            minutes: 180,
            urgent: false,
            channel: Channel::Phone,
            pool_pays: true,
        };
        s.create_request(&w.master, &r, T0).unwrap().id
    };
    let s = store(&w.db.path);
    s.conn()
        .execute(
            "UPDATE members SET level = 'ordinary' WHERE id = ?1",
            [w.elder],
        )
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::Zh, w.master.clone());
    h.press("1");
    h.press("m");
    h.assert_shows("张三丰");
    h.press("c");
    h.press("ctrl-s");
    h.assert_shows("普通会员单次最多接受 2 小时");
    let row = store(&w.db.path).request(id).unwrap();
    assert_eq!(row.state, State::New);
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM contacts"), 0);
}

#[test]
fn matching_refuses_excluded_helpers_closed_requests_and_a_second_match() {
    let w = world();
    let id = request(&w, 10, false);
    let mut s = store(&w.db.path);
    // the requester cannot serve themself
    assert!(
        s.log_contact(&w.master, id, w.elder, Outcome::Accepted, "", T0)
            .is_err()
    );
    let liaison = s
        .add_staff(&w.master, "李建国", Role::Liaison, "3917", T0)
        .unwrap();
    s.log_contact(&liaison, id, w.star, Outcome::Accepted, "", T0)
        .unwrap();
    // a second staff member matching the same request sees it is matched
    let e = s
        .log_contact(&w.master, id, w.plain, Outcome::Accepted, "", T0)
        .unwrap_err();
    assert!(e.to_string().contains("request.already_matched"), "{e}");
    // a cancelled request cannot be matched
    let other = {
        drop(s);
        request(&w, 5, false)
    };
    let mut s = store(&w.db.path);
    s.move_request(&w.master, other, State::Cancelled, Some("家属取消"), T0)
        .unwrap();
    let e = s
        .log_contact(&w.master, other, w.plain, Outcome::Accepted, "", T0)
        .unwrap_err();
    assert!(e.to_string().contains("request.closed"), "{e}");
    // cancelling needs a reason; a done request cannot be cancelled
    assert!(
        s.move_request(&w.master, id, State::Cancelled, Some(" "), T0)
            .is_err()
    );
}

#[test]
fn an_ineligible_member_found_by_search_says_why() {
    let w = world();
    let mut s = store(&w.db.path);
    let at = T0 - 10 * MINUTE_MS;
    let r = NewRequest {
        requester: w.star,
        type_id: 5, // medical escort: special
        description: "陪同就医".into(),
        place: "1栋".into(),
        window_start: at,
        window_end: at + 6 * HOUR_MS,
        minutes: 60,
        urgent: false,
        channel: Channel::Phone,
        pool_pays: true,
    };
    s.create_request(&w.master, &r, at).unwrap();
    drop(s);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::Zh, w.master.clone());
    h.press("1");
    h.press("m");
    h.press("/");
    h.type_str("wxe\n");
    h.assert_shows("普通会员不可提供 协助就医");
}
