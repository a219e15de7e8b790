//! The daily routine on a real SQLite file: a day built by hand and its
//! summary checked number by number; the backup, the bundle and the
//! command line; the closed-day guard, reopening, and the bad inputs.

use crate::common;
use common::*;
use shiguang::domain::day::DayFigures;
use shiguang::domain::queue::State;
use shiguang::domain::record::Payer;
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS, Stamp};
use shiguang::harness::T0;
use shiguang::store::Store;
use std::path::Path;

mod deltas;
mod files;

/// 2026-11-23 00:00 in Shanghai: T0 is 10:00 that day.
const D0: Stamp = T0 - 10 * HOUR_MS;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

use crate::common::refusal_key as key;

struct World {
    db: TestDb,
    s: Store,
    master: Session,
    m: Vec<i64>,
}

fn world() -> World {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let m = approved_members(&mut s, &master, 4, T0 - 200 * DAY_MS);
    World { db, s, master, m }
}

/// 2026-11-23 by hand: what happened, and so what the figures must be.
fn build_day(w: &mut World) -> DayFigures {
    let (s, master, m) = (&mut w.s, &w.master, &w.m);
    // the evening before and the morning after do not count
    // (it also gives member 1 the points to pay for a service today)
    s.post_record(
        master,
        &record("before", m[1], m[0], D0 - 2 * MINUTE_MS, 60, Payer::Pool),
        D0 - MINUTE_MS,
    )
    .unwrap();
    let yesterday = s
        .create_request(
            master,
            &request(m[2], false, D0 - 4 * HOUR_MS),
            D0 - 4 * HOUR_MS,
        )
        .unwrap();
    s.open_day(
        master,
        &ticked_checklist(s),
        D0 + 8 * HOUR_MS + 40 * MINUTE_MS,
    )
    .unwrap();
    // answering yesterday's request today does not make it a new one
    s.move_request(
        master,
        yesterday.id,
        State::Responded,
        None,
        D0 + 9 * HOUR_MS,
    )
    .unwrap();

    // two applications, one approved
    s.register_member(master, &new_member("新会员甲", 20), D0 + 9 * HOUR_MS)
        .unwrap();
    let b = s
        .register_member(
            master,
            &new_member("新会员乙", 21),
            D0 + 9 * HOUR_MS + 5 * MINUTE_MS,
        )
        .unwrap();
    s.approve_member(master, b.id, "电话核实", D0 + 9 * HOUR_MS + 30 * MINUTE_MS)
        .unwrap();

    // three services: 60 min paid by the recipient (20 points spent),
    // 90 min paid by the pool (30 issued), 45 min at 23:30 from the pool (15)
    s.post_record(
        master,
        &record("a", m[0], m[1], D0 + 11 * HOUR_MS, 60, Payer::Recipient),
        D0 + 11 * HOUR_MS,
    )
    .unwrap();
    s.post_record(
        master,
        &record("b", m[2], m[3], D0 + 14 * HOUR_MS, 90, Payer::Pool),
        D0 + 14 * HOUR_MS,
    )
    .unwrap();
    let late = D0 + 23 * HOUR_MS + 30 * MINUTE_MS;
    s.post_record(
        master,
        &record("c", m[1], m[3], late - 5 * MINUTE_MS, 45, Payer::Pool),
        late,
    )
    .unwrap();

    // three requests: answered in 30 min (in time), urgent answered in 10 (late), unanswered
    let r1 = s
        .create_request(
            master,
            &request(m[1], false, D0 + 12 * HOUR_MS),
            D0 + 12 * HOUR_MS,
        )
        .unwrap();
    s.move_request(
        master,
        r1.id,
        State::Responded,
        None,
        D0 + 12 * HOUR_MS + 30 * MINUTE_MS,
    )
    .unwrap();
    let r2 = s
        .create_request(
            master,
            &request(m[2], true, D0 + 13 * HOUR_MS),
            D0 + 13 * HOUR_MS,
        )
        .unwrap();
    s.move_request(
        master,
        r2.id,
        State::Responded,
        None,
        D0 + 13 * HOUR_MS + 10 * MINUTE_MS,
    )
    .unwrap();
    s.create_request(
        master,
        &request(m[3], false, D0 + 15 * HOUR_MS),
        D0 + 15 * HOUR_MS,
    )
    .unwrap();

    // one dispute opened
    s.open_dispute(master, &quality_dispute(m[1], m[0]), D0 + 16 * HOUR_MS)
        .unwrap();

    DayFigures {
        services: 3,
        minutes: 60 + 90 + 45,
        service_points: 20 + 30 + 15,
        points_issued: 30 + 15,
        points_spent: 20,
        transfers: 3,
        new_requests: 3,
        responded_in_time: 1,
        disputes_opened: 1,
        disputes_decided: 0,
        members_applied: 2,
        members_approved: 1,
    }
}

const CLOSE_AT: Stamp = D0 + 23 * HOUR_MS + 45 * MINUTE_MS;

#[test]
fn the_summary_is_the_day_computed_by_hand_and_a_2330_service_is_that_days() {
    let mut w = world();
    let expected = build_day(&mut w);
    let closed =
        w.s.close_day(
            Some(&w.master),
            day("2026-11-23"),
            "张师傅修好了水管",
            true,
            CLOSE_AT,
        )
        .unwrap();
    assert_eq!(closed.figures, expected);
    assert_eq!(closed.version, 1);
    assert!(!closed.already);
    let state = w.s.day_state(day("2026-11-23")).unwrap();
    assert!(state.is_closed());
    assert_eq!(state.summary, Some((1, expected.clone())));
    // the 23:30 service is not the next day's, nor is anything of the day before
    assert_eq!(
        w.s.day_figures(day("2026-11-24")).unwrap(),
        DayFigures::default()
    );
    let before = w.s.day_figures(day("2026-11-22")).unwrap();
    assert_eq!((before.services, before.minutes), (1, 60));

    // closing again shows the stored summary and stores nothing new
    let again =
        w.s.close_day(
            Some(&w.master),
            day("2026-11-23"),
            "",
            false,
            CLOSE_AT + MINUTE_MS,
        )
        .unwrap();
    assert!(again.already);
    assert_eq!(again.figures, expected);
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM day_summaries"), 1);
}

#[test]
fn a_closed_day_takes_no_more_writes_until_the_master_reopens_it() {
    let mut w = world();
    let expected = build_day(&mut w);
    w.s.close_day(Some(&w.master), day("2026-11-23"), "", true, CLOSE_AT)
        .unwrap();
    let records = count(&w.db.path, "SELECT count(*) FROM service_records");
    let r = record("late", w.m[0], w.m[1], CLOSE_AT, 30, Payer::Pool);
    let e =
        w.s.post_record(&w.master, &r, CLOSE_AT + MINUTE_MS)
            .unwrap_err();
    assert_eq!(key(e), "day.closed_no_writes");
    assert_eq!(
        count(&w.db.path, "SELECT count(*) FROM service_records"),
        records
    );
    // the next day is open for business
    w.s.post_record(
        &w.master,
        &record("next", w.m[0], w.m[1], CLOSE_AT + HOUR_MS, 30, Payer::Pool),
        CLOSE_AT + HOUR_MS,
    )
    .unwrap();

    // reopening: the master only, with a reason
    let liaison =
        w.s.add_staff(
            &w.master,
            "李联络",
            shiguang::domain::staff::Role::Liaison,
            "6053",
            CLOSE_AT + HOUR_MS,
        )
        .unwrap();
    let e =
        w.s.reopen_day(&liaison, day("2026-11-23"), "补登", CLOSE_AT + 2 * HOUR_MS)
            .unwrap_err();
    assert_eq!(key(e), "staff.master_only");
    let e =
        w.s.reopen_day(&w.master, day("2026-11-23"), "  ", CLOSE_AT + 2 * HOUR_MS)
            .unwrap_err();
    assert_eq!(key(e), "day.reopen_reason");
    w.s.reopen_day(
        &w.master,
        day("2026-11-23"),
        "漏登一条服务",
        CLOSE_AT + 2 * HOUR_MS,
    )
    .unwrap();
    let reason: String =
        w.s.conn()
            .query_row(
                "SELECT detail FROM audit_log WHERE action = 'day.reopen'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(reason.contains("漏登一条服务"));
    // the forgotten service goes in (entered on the day), and closing again is version 2
    w.s.post_record(
        &w.master,
        &record("forgot", w.m[2], w.m[1], D0 + 20 * HOUR_MS, 60, Payer::Pool),
        CLOSE_AT + 3 * MINUTE_MS,
    )
    .unwrap();
    let closed =
        w.s.close_day(
            Some(&w.master),
            day("2026-11-23"),
            "",
            true,
            CLOSE_AT + 4 * MINUTE_MS,
        )
        .unwrap();
    assert_eq!(closed.version, 2);
    assert_eq!(closed.figures.services, expected.services + 1);
    assert_eq!(closed.figures.points_issued, expected.points_issued + 20);
    // version 1 is kept as it was
    let v1: String =
        w.s.conn()
            .query_row(
                "SELECT figures FROM day_summaries WHERE version = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(serde_json::from_str::<DayFigures>(&v1).unwrap(), expected);
}

#[test]
fn opening_twice_is_refused_and_opening_late_is_recorded() {
    let w = &mut world();
    let c = ticked_checklist(&w.s);
    let st =
        w.s.open_day(&w.master, &c, D0 + 9 * HOUR_MS + 20 * MINUTE_MS)
            .unwrap();
    assert!(st.late);
    let e = w.s.open_day(&w.master, &c, D0 + 10 * HOUR_MS).unwrap_err();
    assert_eq!(key(e), "open.twice");
    // an unticked item is refused on another day
    let mut c2 = c.clone();
    c2[0].done = false;
    let e =
        w.s.open_day(&w.master, &c2, D0 + DAY_MS + 8 * HOUR_MS + 35 * MINUTE_MS)
            .unwrap_err();
    assert_eq!(key(e), "open.unticked");
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM station_days"), 1);
    // a shortage becomes an item to replenish, until it is ticked
    let mut c3 = c.clone();
    let tool = c3.iter_mut().find(|x| x.expected.is_some()).unwrap();
    tool.count = Some(tool.expected.unwrap() - 1);
    let st =
        w.s.open_day(&w.master, &c3, D0 + DAY_MS + 8 * HOUR_MS + 35 * MINUTE_MS)
            .unwrap();
    assert!(!st.late);
    let open = w.s.open_replenish().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].missing, 1);
    w.s.replenished(&w.master, open[0].id, D0 + DAY_MS + 10 * HOUR_MS)
        .unwrap();
    assert!(w.s.open_replenish().unwrap().is_empty());
}

#[test]
fn closing_before_opening_or_for_a_future_day_is_refused() {
    let mut w = world();
    let e =
        w.s.close_day(Some(&w.master), day("2026-11-23"), "", true, T0)
            .unwrap_err();
    assert_eq!(key(e), "close.not_open");
    let e =
        w.s.close_day(Some(&w.master), day("2026-11-24"), "", true, T0)
            .unwrap_err();
    assert_eq!(key(e), "close.future");
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM day_summaries"), 0);
    assert!(
        !w.db.dir.path().join("backups").exists(),
        "no backup for a refused close"
    );
}

fn assert_nothing_closed(w: &World) {
    let st = w.s.day_state(day("2026-11-23")).unwrap();
    assert!(st.closed_at.is_none());
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM day_summaries"), 0);
    let bundles = w.db.dir.path().join("bundles");
    let files: Vec<_> = std::fs::read_dir(&bundles)
        .map(|d| d.flatten().collect())
        .unwrap_or_default();
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn a_missing_backup_folder_leaves_the_day_open_and_nothing_half_written() {
    let mut w = world();
    build_day(&mut w);
    let missing = w.db.dir.path().join("usb-drive");
    w.s.set_setting(
        &w.master,
        "backup_dir",
        serde_json::json!(missing.display().to_string()),
        T0,
    )
    .unwrap();
    let e =
        w.s.close_day(Some(&w.master), day("2026-11-23"), "", true, CLOSE_AT)
            .unwrap_err();
    assert_eq!(key(e), "backup.dir_missing");
    assert!(!missing.exists(), "the missing folder is not made up");
    assert_nothing_closed(&w);
    // plugging the drive in and closing again works
    std::fs::create_dir(&missing).unwrap();
    let closed =
        w.s.close_day(Some(&w.master), day("2026-11-23"), "", true, CLOSE_AT)
            .unwrap();
    assert!(closed.backup.unwrap().starts_with(&missing));
}

// Linux: /proc is a folder nobody can write into, not even root
#[cfg(target_os = "linux")]
#[test]
fn a_backup_folder_that_cannot_be_written_leaves_the_day_open() {
    let mut w = world();
    build_day(&mut w);
    // not writable even for root
    w.s.set_setting(&w.master, "backup_dir", serde_json::json!("/proc"), T0)
        .unwrap();
    let e =
        w.s.close_day(Some(&w.master), day("2026-11-23"), "", true, CLOSE_AT)
            .unwrap_err();
    assert_eq!(key(e), "backup.failed");
    assert_nothing_closed(&w);
}
