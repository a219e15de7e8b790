//! The hub (pane 0, 驿站): activities planned, signed up for and attended
//! by card, the points or the public-good hours they bring, bad input, and
//! the pane by keys in Chinese at 80×24, all on a real file.

use crate::common;
use common::*;
use shiguang::domain::activity::{Kind, Plan};
use shiguang::domain::staff::Session;
use shiguang::domain::time::{HOUR_MS, MINUTE_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::activities::ActivityRow;
use shiguang::store::{Store, StoreError};

/// T0 is Monday 2026-11-23, 10:00 station time.
fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn at(h: u32, m: u32) -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn plan(kind: Kind, title: &str, points_per_hour: u32) -> Plan {
    Plan {
        kind,
        title: title.into(),
        day: day(),
        from: at(9, 0),
        to: at(11, 0),
        place: "驿站活动室".into(),
        aim: "代际互助".into(),
        leads: "王芳".into(),
        materials: "手机支架".into(),
        cost_fen: 3550,
        merchants: vec![],
        points_per_hour,
    }
}

struct W {
    db: TestDb,
    s: Store,
    master: Session,
    student: i64,
    elder: i64,
}

fn w() -> W {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let student = approved_member(&mut s, &master, "张小明", 1, T0 - 30 * 24 * HOUR_MS);
    let elder = approved_member(&mut s, &master, "李奶奶", 2, T0 - 30 * 24 * HOUR_MS);
    W {
        db,
        s,
        master,
        student,
        elder,
    }
}

/// An intergenerational activity planned an hour before T0 by the master.
fn intergen(w: &mut W, title: &str, points_per_hour: u32) -> ActivityRow {
    w.s.plan_activity(
        &w.master,
        &plan(Kind::Intergen, title, points_per_hour),
        T0 - HOUR_MS,
    )
    .unwrap()
}

fn balance(s: &Store, member: i64) -> i64 {
    s.balance_of_member(member).unwrap()
}

#[test]
fn teaching_earns_points_and_stories_are_public_good_hours() {
    let mut w = w();
    let phones = intergen(&mut w, "教老人用智能手机", 10);
    let stories = intergen(&mut w, "老人讲历史故事", 0);
    w.s.sign_up(&w.master, phones.id, w.student, T0 - HOUR_MS)
        .unwrap();
    let transfers = count(&w.db.path, "SELECT count(*) FROM transfers");
    let (a, points) =
        w.s.attend(&w.master, phones.id, w.student, 120, T0)
            .unwrap();
    assert_eq!((points, a.signed, a.attended), (20, 1, 1));
    assert_eq!(balance(&w.s, w.student), 20);
    // a walk-in at the public-good one: signed up and attended at once, no transfer
    let before = count(&w.db.path, "SELECT count(*) FROM transfers");
    assert_eq!(before, transfers + 1);
    let (_, points) = w.s.attend(&w.master, stories.id, w.elder, 90, T0).unwrap();
    assert_eq!(points, 0);
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM transfers"), before);
    assert_eq!(balance(&w.s, w.elder), 0);
    // the hours count for the levels (after the activity ended)
    let served = |s: &Store, m| s.served(m).unwrap().0;
    assert_eq!(served(&w.s, w.elder), 90);
    assert_eq!(served(&w.s, w.student), 120);
    let counts =
        w.s.activity_counts(T0 - 24 * HOUR_MS, T0 + 24 * HOUR_MS)
            .unwrap();
    assert_eq!(
        (
            counts.activities,
            counts.participants,
            counts.public_good_minutes
        ),
        (2, 2, 90)
    );
    // the stats pane counts them; their hours count for the month's KPI
    let st = w.s.stats(T0 + 2 * HOUR_MS).unwrap();
    assert_eq!(
        (st.activities.activities, st.activities.participants),
        (2, 2)
    );
    assert_eq!(st.kpi_minutes, st.month.minutes + 210);
    // one audit row per write, every row covered: verify stays clean
    assert_eq!(
        count(
            &w.db.path,
            "SELECT count(*) FROM audit_log WHERE action LIKE 'activity.%'"
        ),
        5
    );
    let report = w.s.verify().unwrap();
    assert!(report.problems.is_empty(), "{report:?}");
}

#[test]
fn bad_attendances_are_refused_and_nothing_is_saved() {
    let mut w = w();
    let a = intergen(&mut w, "教老人用智能手机", 10);
    let rows = |w: &W| {
        (
            count(&w.db.path, "SELECT count(*) FROM activity_attendance"),
            count(&w.db.path, "SELECT count(*) FROM transfers"),
            count(&w.db.path, "SELECT count(*) FROM audit_log"),
        )
    };
    let field = |e: StoreError| e.field();
    let before = rows(&w);
    // longer than the activity
    let e = w.s.attend(&w.master, a.id, w.student, 121, T0).unwrap_err();
    assert_eq!(field(e), Some("minutes"));
    // before it starts
    let e =
        w.s.attend(&w.master, a.id, w.student, 60, T0 - 2 * HOUR_MS)
            .unwrap_err();
    assert_eq!(e.msg().key, "activity.not_started");
    // an applicant not yet approved
    let applicant =
        w.s.register_member(&w.master, &new_member("王新", 9), T0 - HOUR_MS)
            .unwrap();
    let e = w.s.sign_up(&w.master, a.id, applicant.id, T0).unwrap_err();
    assert_eq!(field(e), Some("member"));
    assert_eq!(rows(&w).0, before.0);
    // twice
    w.s.attend(&w.master, a.id, w.student, 60, T0).unwrap();
    let after = rows(&w);
    let e = w.s.attend(&w.master, a.id, w.student, 60, T0).unwrap_err();
    assert_eq!(e.msg().key, "activity.already_attended");
    let e = w.s.sign_up(&w.master, a.id, w.student, T0).unwrap_err();
    assert_eq!(e.msg().key, "activity.already_signed");
    assert_eq!(rows(&w), after);
    // after the end, no sign-ups
    let e =
        w.s.sign_up(&w.master, a.id, w.elder, T0 + 2 * HOUR_MS)
            .unwrap_err();
    assert_eq!(e.msg().key, "activity.over");
    // a plan in the past, a merchant week with one merchant
    let mut past = plan(Kind::Tea, "", 0);
    past.day = day().pred_opt().unwrap();
    let e = w.s.plan_activity(&w.master, &past, T0).unwrap_err();
    assert_eq!(field(e), Some("day"));
    let mut week = plan(Kind::MerchantWeek, "", 0);
    week.merchants = vec!["老王理发".into()];
    let e = w.s.plan_activity(&w.master, &week, T0).unwrap_err();
    assert_eq!(field(e), Some("merchants"));
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM activities"), 1);
}

#[test]
fn the_regular_ones_come_from_the_handbook_once() {
    let mut w = w();
    // Mon 11-23 … Sun 11-29: the tea on Wednesday, the market on Saturday
    assert_eq!(w.s.plan_regular(&w.master, day(), 7, T0).unwrap(), 2);
    assert_eq!(w.s.plan_regular(&w.master, day(), 7, T0).unwrap(), 0);
    let list =
        w.s.activities(T0 - 24 * HOUR_MS, T0 + 8 * 24 * HOUR_MS)
            .unwrap();
    let kinds: Vec<_> = list.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [Kind::Tea, Kind::Market]);
    assert_eq!(list[1].minutes(), 120);
    assert!(w.s.verify().unwrap().problems.is_empty());
}

/// Activity planned, people signed up and attended by card, by keys.
#[test]
fn by_keys_a_plan_a_card_and_an_attendance_in_chinese_at_80x24() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let student = approved_member(&mut s, &master, "张小明", 1, T0 - 30 * 24 * HOUR_MS);
    let number = card_number(&s, student);
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("0");
    h.assert_shows("驿站活动");
    h.press("n");
    h.assert_shows("驿站活动策划表");
    // kind: 代际互助日
    h.press("right");
    h.press("right");
    h.press("tab");
    h.type_str("教老人用智能手机");
    h.press("tab");
    h.type_str("明年某天");
    h.press("ctrl-s");
    // refused at the date, nothing saved
    h.assert_shows("日期不对");
    assert_eq!(count(&db.path, "SELECT count(*) FROM activities"), 0);
    for _ in 0..8 {
        h.press("backspace");
    }
    h.type_str("今天");
    h.press("tab");
    h.press("tab");
    h.press("tab");
    h.type_str("驿站活动室");
    h.press("tab");
    h.type_str("教会用微信视频");
    h.press("tab");
    h.type_str("王芳");
    h.press("tab");
    h.type_str("手机支架");
    h.press("tab");
    h.type_str("35.5");
    h.press("tab");
    h.press("tab");
    h.press("backspace");
    h.type_str("10");
    h.press("ctrl-s");
    h.assert_shows("活动已保存");
    h.assert_shows("教老人用智能手机");
    h.assert_shows("10积分/时");
    assert_cjk_clean(&h);
    // a card scanned: signed up; scanned again: the attendance form
    h.type_str(&format!("{number}\n"));
    h.assert_shows("已报名(共 1 人)");
    h.assert_shows("张小明");
    h.type_str(&format!("{number}\n"));
    h.assert_shows("活动签到");
    h.press("ctrl-s");
    h.assert_shows("获得 20 分");
    h.assert_shows("+20分");
    assert_cjk_clean(&h);
    assert_eq!(store(&db.path).balance_of_member(student).unwrap(), 20);
    h.advance(MINUTE_MS);
    assert!(store(&db.path).verify().unwrap().problems.is_empty());
}

/// An attendance's minutes or an activity's rule edited outside the app is
/// found by verify: both tables are covered by the audit chain.
#[test]
fn an_edited_attendance_or_rule_is_found_by_verify() {
    let mut w = w();
    let a = intergen(&mut w, "老人讲历史故事", 0);
    w.s.attend(&w.master, a.id, w.elder, 60, T0).unwrap();
    assert!(w.s.verify().unwrap().problems.is_empty());
    drop(w.s);
    for sql in [
        "DROP TRIGGER activity_attendance_attended_once;
         UPDATE activity_attendance SET minutes = 120;",
        "UPDATE activity_attendance SET minutes = 60; UPDATE activities SET points_per_hour = 30;",
    ] {
        let c = rusqlite::Connection::open(&w.db.path).unwrap();
        c.execute_batch(sql).unwrap();
        drop(c);
        let report = store(&w.db.path).verify().unwrap();
        assert!(!report.problems.is_empty(), "{sql}: {report:?}");
    }
}

/// The close (F10) lists the day's activities and who came.
#[test]
fn the_close_lists_todays_activity() {
    let mut w = w();
    let a = intergen(&mut w, "教老人用智能手机", 10);
    w.s.attend(&w.master, a.id, w.student, 60, T0).unwrap();
    let checks = ticked_checklist(&w.s);
    w.s.open_day(&w.master, &checks, T0 - 2 * HOUR_MS).unwrap();
    drop(w.s);
    let mut h = Harness::signed_in(&w.db.path, T0, Lang::Zh, w.master.clone());
    h.resize(80, 24);
    h.press("f10");
    h.assert_shows("今日活动");
    h.assert_shows("09:00 教老人用智能手机 报名1 到场1");
    assert_cjk_clean(&h);
}
