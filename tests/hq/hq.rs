//! Headquarters against a real PostgreSQL server: the sync. Two stations,
//! the same batch twice, batches out of order and with rows twice, a row
//! changed at the station after it was sent, a server killed in the middle
//! of a batch, the sync itself killed.
//!
//! The server: `SHIGUANG_TEST_PG`, a URL of a cluster where the tests may
//! create databases (one per test, with a random name). `.ci/with-postgres`
//! makes a throw-away one; without it each test says it was skipped. The
//! server-kill test also needs `SHIGUANG_TEST_PGDATA` and `pg_ctl` on PATH.

use crate::common;
use crate::common::hq as hq_common;
use common::*;
use hq_common::*;
use shiguang::domain::queue::State;
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use shiguang::harness::T0;
use shiguang::hq::HqError;
use shiguang::hq::rules::Problem;
use shiguang::hq::sync::SyncOptions;
use shiguang::store::outbox::Cursor;
use shiguang::store::{OpenMode, Store};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn two_stations_sync_and_the_second_run_sends_nothing() {
    let Some(hq) = hq() else { return };
    let mut a = station("01", D0 - 3 * DAY_MS);
    let mut b = station("02", D0 - 3 * DAY_MS);
    a.day("a1", D0 - 2 * DAY_MS, true);
    b.day("b1", D0 - 2 * DAY_MS, true);
    b.day("b2", D0 - DAY_MS, true);
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    for st in [&a, &b] {
        let o = shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &env);
        assert!(o.status.success(), "{}", out(&o));
        let text = out(&o);
        assert!(text.contains("sent"), "{text}");
        let (seq, _) = st.head("transfers");
        assert!(text.contains(&format!("ledger seq {seq} (")), "{text}");
        assert_same(&hq, st);
    }
    // the second run sends nothing
    for st in [&a, &b] {
        let o = shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &env);
        assert!(o.status.success(), "{}", out(&o));
        assert!(out(&o).contains("nothing to send"), "{}", out(&o));
    }
    assert_eq!(hq.count("SELECT count(*) FROM stations"), 2);
    // more work at one station: only that is sent
    let before = hq.count("SELECT count(*) FROM sync_acks");
    a.day("a2", D0 - DAY_MS, true);
    let r = sync_lib(&hq, &a, &SyncOptions::default()).unwrap();
    assert_eq!(r.new.summaries, 1);
    assert_eq!(r.sent.transfers, 2);
    assert_eq!(hq.count("SELECT count(*) FROM sync_acks"), before + 1);
    assert_same(&hq, &a);
    assert_same(&hq, &b);
    // in Chinese too
    let o = shiguang_with(&["sync", "--db", a.path()], &env);
    assert!(out(&o).contains("没有要发送的"), "{}", out(&o));
}

#[test]
fn the_same_batch_twice_and_batches_out_of_order_or_with_rows_twice() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 3 * DAY_MS);
    st.day("x", D0 - 2 * DAY_MS, true);
    let none = Default::default();
    let first = st.s.outbox(&Cursor::default(), 1, &none).unwrap();
    assert_eq!((first.transfers.len(), first.audit.len()), (1, 1));
    let after = Cursor {
        ledger_seq: first.transfers.last().map_or(0, |t| t.seq),
        audit_seq: first.audit.last().unwrap().seq,
        mark: first.max_audit_at(),
    };
    let second = st.s.outbox(&after, 1000, &none).unwrap();
    assert!(!second.audit.is_empty());
    let mut c = hq.connect();

    // the second batch before the first: a gap, nothing applied
    let e = shiguang::hq::apply::apply(&mut c.client, &second, None).unwrap_err();
    assert!(matches!(e, HqError::Refused(Problem::Gap { .. })), "{e:?}");
    assert_eq!(hq.count("SELECT count(*) FROM audit"), 0);
    assert_eq!(hq.count("SELECT count(*) FROM stations"), 0);
    assert_eq!(
        hq.count("SELECT count(*) FROM alarms WHERE kind = 'gap'"),
        1
    );

    // the first, twice: the second time changes nothing
    let one = shiguang::hq::apply::apply(&mut c.client, &first, None).unwrap();
    assert_eq!((one.new.transfers, one.new.audit), (1, 1));
    let acks = hq.count("SELECT count(*) FROM sync_acks");
    let again = shiguang::hq::apply::apply(&mut c.client, &first, None).unwrap();
    assert_eq!(again.new.total(), 0);
    assert_eq!(again.audit, one.audit);
    assert_eq!(hq.count("SELECT count(*) FROM sync_acks"), acks);

    // the second, its rows in reverse order and some twice: the same result
    let mut shuffled = second.clone();
    shuffled.transfers.reverse();
    shuffled.audit.reverse();
    shuffled.records.reverse();
    shuffled.requests.reverse();
    let t0 = shuffled.transfers[0].clone();
    shuffled.transfers.push(t0);
    let a0 = shuffled.audit[3].clone();
    shuffled.audit.insert(0, a0);
    let m0 = shuffled.members[0].clone();
    shuffled.members.push(m0);
    shiguang::hq::apply::apply(&mut c.client, &shuffled, None).unwrap();
    assert_same(&hq, &st);
    // and then once more as it came: nothing new
    let r = shiguang::hq::apply::apply(&mut c.client, &second, None).unwrap();
    assert_eq!(r.new.total(), 0);

    // the same seq twice with different contents in one batch: refused
    let mut bad = second.clone();
    let mut t = bad.transfers[0].clone();
    t.row.memo = Some("twice".into());
    bad.transfers.push(t);
    let e = shiguang::hq::apply::apply(&mut c.client, &bad, None).unwrap_err();
    assert!(
        matches!(e, HqError::Refused(Problem::Conflict { .. })),
        "{e:?}"
    );
    assert_same(&hq, &st);
}

#[test]
fn a_row_changed_at_the_station_after_sync_is_an_alarm_and_nothing_is_applied() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 3 * DAY_MS);
    st.day("x", D0 - 2 * DAY_MS, false);
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    assert_same(&hq, &st);
    let rows = hq.count("SELECT count(*) FROM transfers") + hq.count("SELECT count(*) FROM audit");

    // the last transfer sent, its amount changed in the file; then a new service
    st.tamper(
        "DROP TRIGGER transfers_no_update;
         UPDATE transfers SET amount = amount + 5 WHERE seq = (SELECT max(seq) FROM transfers);",
    );
    st.service("later", 1, 2, D0 - 2 * DAY_MS + 17 * HOUR_MS, 30);
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &env);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("Alarm: headquarters has transfers"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("changed at the station"), "{}", out(&o));
    // nothing of the new service arrived
    assert_eq!(
        hq.count("SELECT count(*) FROM transfers") + hq.count("SELECT count(*) FROM audit"),
        rows
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM alarms WHERE kind = 'conflict'"),
        1
    );
}

#[test]
fn a_changed_record_is_found_by_the_next_sync_and_a_rewritten_request_too() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 3 * DAY_MS);
    st.day("x", D0 - 2 * DAY_MS, false);
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();

    // a record's minutes changed by hand after it was sent: the next sync,
    // with nothing new to send, compares the day it last sent and finds it
    st.tamper(
        "DROP TRIGGER records_no_update;
         UPDATE service_records SET minutes = minutes + 30 WHERE uid = 'x-a';",
    );
    let e = sync_lib(&hq, &st, &SyncOptions::default()).unwrap_err();
    assert_eq!(
        e,
        HqError::Refused(Problem::Conflict {
            table: "records",
            id: "x-a".into(),
            field: "minutes".into()
        })
    );
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &env);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("Alarm: headquarters has records x-a with a different minutes"),
        "{}",
        out(&o)
    );
    // a recheck finds it too
    let e = sync_lib(
        &hq,
        &st,
        &SyncOptions {
            recheck: true,
            ..SyncOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        e,
        HqError::Refused(Problem::Conflict {
            table: "records",
            id: "x-a".into(),
            field: "minutes".into()
        })
    );
    st.tamper("UPDATE service_records SET minutes = minutes - 30 WHERE uid = 'x-a';");
    let r = sync_lib(
        &hq,
        &st,
        &SyncOptions {
            recheck: true,
            batch_size: 7,
            ..SyncOptions::default()
        },
    )
    .unwrap();
    assert_eq!(r.new.total(), 0, "a recheck of unchanged rows adds nothing");

    // a request's creation time rewritten (as if it had come in earlier), then
    // the request answered: the next sync carries it and is refused
    let before = hq.count("SELECT count(*) FROM request_versions");
    let later = D0 - 2 * DAY_MS + 17 * HOUR_MS;
    let rq =
        st.s.create_request(&st.master, &request(st.m[3], false, later), later)
            .unwrap();
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    st.tamper(&format!(
        "UPDATE requests SET created_at = created_at - 3600000 WHERE id = {}",
        rq.id
    ));
    st.s.move_request(
        &st.master,
        rq.id,
        State::Responded,
        None,
        later + 10 * MINUTE_MS,
    )
    .unwrap();
    let e = sync_lib(&hq, &st, &SyncOptions::default()).unwrap_err();
    assert!(
        matches!(&e, HqError::Refused(Problem::Conflict { table: "requests", field, .. }) if field == "created_at"),
        "{e:?}"
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM request_versions"),
        before + 1
    );
}

#[test]
fn rows_of_the_last_day_sent_changed_in_the_file_are_an_alarm_at_the_next_sync() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 3 * DAY_MS);
    let day = D0 - 2 * DAY_MS;
    st.day("x", day, true);
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let sync = || shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &env);
    let o = sync();
    assert!(o.status.success(), "{}", out(&o));
    // nothing new: the day last sent is compared, and found the same
    let o = sync();
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("nothing to send"), "{}", out(&o));
    assert!(out(&o).contains("Compared "), "{}", out(&o));

    // the day's first transfer (not the head), its amount raised in the file
    let first = format!("(SELECT min(seq) FROM transfers WHERE at >= {day})");
    st.tamper(&format!(
        "DROP TRIGGER transfers_no_update;
         UPDATE transfers SET amount = amount + 5 WHERE seq = {first};"
    ));
    let o = sync();
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("does not match its hash"), "{}", out(&o));
    assert_eq!(
        hq.count("SELECT count(*) FROM alarms WHERE kind = 'hash'"),
        1
    );
    st.tamper(&format!(
        "UPDATE transfers SET amount = amount - 5 WHERE seq = {first};"
    ));
    assert!(sync().status.success());

    // a request answered that day, made urgent in the file afterwards
    st.tamper(&format!(
        "UPDATE requests SET urgent = 1 - urgent WHERE created_at >= {day} AND urgent = 0;"
    ));
    let o = sync();
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("Alarm: headquarters has requests"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("content at the same updated_at"),
        "{}",
        out(&o)
    );
    // and in Chinese
    let o = shiguang_with(&["sync", "--db", st.path()], &env);
    assert!(out(&o).contains("警报:总部已有 requests"), "{}", out(&o));
}

/// Wait until headquarters has acknowledged `n` batches.
fn wait_acks(hq: &Hq, n: i64) {
    let t = Instant::now();
    while hq.count("SELECT count(*) FROM sync_acks") < n {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "the sync did not get going"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn seeded(records: &str) -> TestDb {
    let db = temp_db();
    let o = shiguang_with(
        &[
            "seed",
            "--db",
            db.path.to_str().unwrap(),
            "--members",
            "300",
            "--days",
            "60",
            "--records",
            records,
            "--lang",
            "en",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", out(&o));
    db
}

fn assert_complete(hq: &Hq, db: &TestDb) {
    let st = Station {
        s: Store::open(&db.path, OpenMode::Inspect, T0).unwrap(),
        master: Session {
            staff_id: 1,
            staff_no: "001".into(),
            name: String::new(),
            role: shiguang::domain::staff::Role::Master,
        },
        m: vec![],
        db: TestDb {
            dir: tempfile::tempdir().unwrap(),
            path: db.path.clone(),
        },
    };
    assert_same(hq, &st);
}

#[test]
fn a_server_killed_in_the_middle_of_a_batch_loses_nothing() {
    let Some(data) = std::env::var("SHIGUANG_TEST_PGDATA")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        eprintln!(
            "SKIPPED: the server-kill test needs SHIGUANG_TEST_PGDATA and pg_ctl (see .ci/with-postgres)"
        );
        return;
    };
    if Command::new("pg_ctl").arg("--version").output().is_err() {
        skipped("SKIPPED: the server-kill test needs pg_ctl on PATH");
        return;
    }
    let Some(hq) = server(true) else { return };
    let db = seeded("3000");
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let child = slow_sync(&db, &hq, 400, Stdio::piped);
    wait_acks(&hq, 3);
    // the next batch is open on the server (each is held 400 ms): kill it
    std::thread::sleep(Duration::from_millis(150));
    let stop = Command::new("pg_ctl")
        .args(["-D", &data, "-m", "immediate", "stop"])
        .output()
        .unwrap();
    assert!(stop.status.success(), "{}", out(&stop));
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("cut off"), "{}", out(&o));
    let start = Command::new("pg_ctl")
        .args([
            "-D",
            &data,
            "-l",
            &format!("{data}/restart.log"),
            "-w",
            "start",
        ])
        .output()
        .unwrap();
    assert!(start.status.success(), "{}", out(&start));
    // what was acknowledged is there; the rest comes with the rerun
    let acked = hq.count("SELECT count(*) FROM sync_acks");
    assert!(acked >= 3, "{acked}");
    assert_eq!(
        hq.count("SELECT count(*) FROM transfers"),
        hq.count("SELECT max(ledger_seq) FROM sync_acks"),
    );
    let o = shiguang_with(
        &["sync", "--db", db.path.to_str().unwrap(), "--lang", "en"],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_complete(&hq, &db);
    let o = shiguang_with(
        &["sync", "--db", db.path.to_str().unwrap(), "--lang", "en"],
        &env,
    );
    assert!(out(&o).contains("nothing to send"), "{}", out(&o));
}

#[test]
fn a_sync_killed_midway_loses_nothing() {
    let Some(hq) = hq() else { return };
    let db = seeded("2000");
    let mut child = slow_sync(&db, &hq, 300, Stdio::null);
    wait_acks(&hq, 2);
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    child.wait().unwrap();
    let o = shiguang_with(
        &["sync", "--db", db.path.to_str().unwrap(), "--lang", "en"],
        &[("SHIGUANG_HQ_URL", hq.url.as_str())],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_complete(&hq, &db);
}

#[test]
fn a_station_seeded_again_syncs_its_new_history_too() {
    let Some(hq) = hq() else { return };
    let db = seeded("500");
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let p = db.path.to_str().unwrap();
    let o = shiguang_with(&["sync", "--db", p, "--lang", "en"], &env);
    assert!(o.status.success(), "{}", out(&o));
    // more members and services, dated in the same past
    let o = shiguang_with(
        &[
            "seed",
            "--db",
            p,
            "--members",
            "50",
            "--days",
            "60",
            "--records",
            "200",
            "--seed",
            "2",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = shiguang_with(&["sync", "--db", p, "--lang", "en"], &env);
    assert!(o.status.success(), "{}", out(&o));
    assert_complete(&hq, &db);
}

/// `shiguang sync` in batches of 200, each held open `pause_ms` on the
/// server, so a test can cut it in the middle.
fn slow_sync(db: &TestDb, hq: &Hq, pause_ms: u32, io: fn() -> Stdio) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args([
            "sync",
            "--db",
            db.path.to_str().unwrap(),
            "--batch-size",
            "200",
            "--batch-pause-ms",
            &pause_ms.to_string(),
            "--lang",
            "en",
        ])
        .env("SHIGUANG_HQ_URL", &hq.url)
        .env("SHIGUANG_STAFF", "001")
        .env("SHIGUANG_PIN", MASTER_PIN)
        .stdout(io())
        .stderr(io())
        .spawn()
        .unwrap()
}
