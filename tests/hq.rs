//! Headquarters against a real PostgreSQL server: stations syncing, the
//! same batch twice, batches out of order and with rows twice, a row
//! changed at the station after it was sent, a server killed in the middle
//! of a batch, seven days offline then one sync, a bundle ingested twice,
//! the station role's grants, TLS, the month report, F10 at the desk.
//!
//! The server: `SHIGUANG_TEST_PG`, a URL of a cluster where the tests may
//! create databases (one per test, with a random name). `.ci/with-postgres`
//! makes a throw-away one; without it each test says it was skipped. The
//! server-kill test also needs `SHIGUANG_TEST_PGDATA` and `pg_ctl` on PATH.

mod common;
use common::*;
use shiguang::domain::day::Checked;
use shiguang::domain::queue::{Channel, NewRequest, State};
use shiguang::domain::record::Payer;
use shiguang::domain::staff::Session;
use shiguang::domain::station::StationKind;
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS, Stamp};
use shiguang::harness::{Harness, T0};
use shiguang::hq::HqError;
use shiguang::hq::connect::{self, Target};
use shiguang::hq::rules::Problem;
use shiguang::hq::sync::{SyncOptions, sync};
use shiguang::i18n::Lang;
use shiguang::store::outbox::Cursor;
use shiguang::store::station::NewStation;
use shiguang::store::{OpenMode, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

/// Tests share the server; the one that stops it runs alone.
static SERVER: RwLock<()> = RwLock::new(());

enum Guard {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Alone(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

/// A fresh headquarters database for one test, dropped at the end.
struct Hq {
    admin: String,
    url: String,
    name: String,
    _guard: Guard,
}

/// Say so past the test harness's capture, so a plain `cargo test` shows it.
fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{why}");
}

fn with_db(base: &str, db: &str) -> String {
    let (url, query) = base.split_once('?').unwrap_or((base, ""));
    let (root, _) = url
        .rsplit_once('/')
        .expect("SHIGUANG_TEST_PG is a URL with a database");
    if query.is_empty() {
        format!("{root}/{db}")
    } else {
        format!("{root}/{db}?{query}")
    }
}

fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
    format!("{scheme}://{user}@{rest}")
}

fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect to SHIGUANG_TEST_PG")
}

fn server(alone: bool) -> Option<Hq> {
    let Some(admin) = std::env::var("SHIGUANG_TEST_PG")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        skipped("SKIPPED: no PostgreSQL (set SHIGUANG_TEST_PG)");
        return None;
    };
    let guard = if alone {
        Guard::Alone(SERVER.write().unwrap_or_else(|e| e.into_inner()))
    } else {
        Guard::Shared(SERVER.read().unwrap_or_else(|e| e.into_inner()))
    };
    let name = format!("hq_test_{:016x}", rand_u64());
    admin_client(&admin)
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let url = with_db(&admin, &name);
    let mut c = connect::connect(&Target::new(&url, "test")).unwrap();
    shiguang::hq::migrate::apply(&mut c.client).unwrap();
    Some(Hq {
        admin,
        url,
        name,
        _guard: guard,
    })
}

fn hq() -> Option<Hq> {
    server(false)
}

fn rand_u64() -> u64 {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let h = blake3::hash(format!("{t}:{}:{n}", std::process::id()).as_bytes());
    u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap())
}

impl Drop for Hq {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

impl Hq {
    fn client(&self) -> postgres::Client {
        admin_client(&self.url)
    }

    fn count(&self, sql: &str) -> i64 {
        self.client().query_one(sql, &[]).unwrap().get(0)
    }

    fn connect(&self) -> connect::Hq {
        connect::connect(&Target::new(&self.url, "test")).unwrap()
    }

    /// A file holding the URL (as the README says to keep it).
    fn url_file(&self, dir: &Path) -> PathBuf {
        let f = dir.join("hq.url");
        std::fs::write(&f, format!("# headquarters\n{}\n", self.url)).unwrap();
        f
    }
}

fn shiguang(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shiguang"));
    c.args(args)
        .env_remove("SHIGUANG_DB")
        .env_remove("SHIGUANG_LANG")
        .env_remove("SHIGUANG_HQ_URL")
        .env_remove("SHIGUANG_HQ_CA");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run shiguang")
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// 2026-11-23 00:00 in Shanghai.
const D0: Stamp = T0 - 10 * HOUR_MS;

struct Station {
    db: TestDb,
    s: Store,
    master: Session,
    m: Vec<i64>,
}

/// A station `JS{community}` with four approved members (made at `at`).
fn station(community: &str, at: Stamp) -> Station {
    let db = temp_db();
    let mut s = Store::open(&db.path, OpenMode::Desk, at).unwrap();
    let master = s
        .create_station(
            &NewStation {
                street: "JS".into(),
                community: community.into(),
                kind: StationKind::Main,
                name: format!("金山{community}驿站"),
                tz: chrono_tz::Asia::Shanghai,
            },
            "王秀英",
            MASTER_PIN,
            at,
        )
        .unwrap();
    let m = (0..4)
        .map(|i| {
            let mut nm = new_member(&format!("会员{i}"), i + 1);
            nm.community = community.into();
            let row = s.register_member(&master, &nm, at + MINUTE_MS).unwrap();
            s.approve_member(&master, row.id, "电话核实邻居", at + 2 * MINUTE_MS)
                .unwrap();
            row.id
        })
        .collect();
    Station { db, s, master, m }
}

fn request(requester: i64, urgent: bool, at: Stamp) -> NewRequest {
    NewRequest {
        requester,
        type_id: 1,
        description: "帮忙买菜".into(),
        place: "3栋".into(),
        window_start: at + HOUR_MS,
        window_end: at + 3 * HOUR_MS,
        minutes: 60,
        urgent,
        channel: Channel::Phone,
        pool_pays: false,
    }
}

fn checklist(s: &Store) -> Vec<Checked> {
    ticked_checklist(s)
}

impl Station {
    /// A service of `minutes` ending at `end`, paid by the pool.
    fn service(&mut self, uid: &str, p: usize, q: usize, end: Stamp, minutes: u32) {
        self.s
            .post_record(
                &self.master,
                &record(uid, self.m[p], self.m[q], end, minutes, Payer::Pool),
                true,
                end,
            )
            .unwrap();
    }

    /// A working day starting at `d0` (midnight): opened, two services, a
    /// request answered in time and an urgent one answered late, a dispute
    /// with both parties called; closed at 18:00 unless `close` is false.
    fn day(&mut self, tag: &str, d0: Stamp, close: bool) {
        let m = self.m.clone();
        let list = checklist(&self.s);
        self.s
            .open_day(&self.master, &list, d0 + 8 * HOUR_MS + 30 * MINUTE_MS)
            .unwrap();
        self.service(&format!("{tag}-a"), 0, 1, d0 + 10 * HOUR_MS, 60);
        self.service(&format!("{tag}-b"), 2, 3, d0 + 11 * HOUR_MS, 90);
        let r1 = self
            .s
            .create_request(
                &self.master,
                &request(m[1], false, d0 + 12 * HOUR_MS),
                d0 + 12 * HOUR_MS,
            )
            .unwrap();
        self.s
            .move_request(
                &self.master,
                r1.id,
                State::Responded,
                None,
                d0 + 12 * HOUR_MS + 20 * MINUTE_MS,
            )
            .unwrap();
        let r2 = self
            .s
            .create_request(
                &self.master,
                &request(m[2], true, d0 + 13 * HOUR_MS),
                d0 + 13 * HOUR_MS,
            )
            .unwrap();
        self.s
            .move_request(
                &self.master,
                r2.id,
                State::Responded,
                None,
                d0 + 13 * HOUR_MS + 30 * MINUTE_MS,
            )
            .unwrap();
        let d = self
            .s
            .open_dispute(
                &self.master,
                &shiguang::store::disputes::NewDispute {
                    suggestion: false,
                    channel: shiguang::store::disputes::Channel::Desk,
                    category: Some(shiguang::domain::dispute::Category::Quality),
                    party_a: Some(m[1]),
                    party_b: Some(m[0]),
                    record_id: None,
                    subject: "服务时间有出入".into(),
                    reported_by: "会员1".into(),
                },
                d0 + 14 * HOUR_MS,
            )
            .unwrap();
        for (party, at) in [("a", 15), ("b", 16)] {
            self.s
                .dispute_contact(
                    &self.master,
                    d.id,
                    party,
                    "phone",
                    "已联系",
                    d0 + at * HOUR_MS,
                )
                .unwrap();
        }
        if close {
            let day =
                shiguang::domain::time::local_day(d0 + 12 * HOUR_MS, chrono_tz::Asia::Shanghai);
            self.s
                .close_day(Some(&self.master), day, "邻里互助", true, d0 + 18 * HOUR_MS)
                .unwrap();
        }
    }

    fn count(&self, sql: &str) -> i64 {
        self.s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn head(&self, table: &str) -> (i64, String) {
        self.s
            .conn()
            .query_row(
                &format!("SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }

    fn path(&self) -> &str {
        self.db.path.to_str().unwrap()
    }

    /// Change a row behind the app's back (the file edited by hand).
    fn tamper(&self, sql: &str) {
        let c = rusqlite::Connection::open(&self.db.path).unwrap();
        c.execute_batch(sql).unwrap();
    }
}

/// Headquarters has exactly the station's rows.
fn assert_same(hq: &Hq, st: &Station) {
    let code = st.s.station().unwrap().code();
    let at_hq = |table: &str| {
        hq.count(&format!(
            "SELECT count(*) FROM {table} t JOIN stations s ON s.id = t.station_id WHERE s.code = '{code}'"
        ))
    };
    assert_eq!(
        at_hq("transfers"),
        st.count("SELECT count(*) FROM transfers")
    );
    assert_eq!(at_hq("audit"), st.count("SELECT count(*) FROM audit_log"));
    assert_eq!(
        at_hq("records"),
        st.count("SELECT count(*) FROM service_records")
    );
    assert_eq!(
        at_hq("day_summaries"),
        st.count("SELECT count(*) FROM day_summaries")
    );
    let current = |view: &str| {
        hq.count(&format!(
            "SELECT count(*) FROM {view} t JOIN stations s ON s.id = t.station_id WHERE s.code = '{code}'"
        ))
    };
    assert_eq!(current("members"), st.count("SELECT count(*) FROM members"));
    assert_eq!(
        current("requests"),
        st.count("SELECT count(*) FROM requests")
    );
    assert_eq!(
        current("disputes"),
        st.count("SELECT count(*) FROM disputes")
    );
    let (seq, hash) = st.head("transfers");
    let mut c = hq.client();
    let r = c
        .query_one(
            "SELECT ledger_seq, ledger_head, audit_seq, audit_head FROM sync_state WHERE code = $1",
            &[&code],
        )
        .unwrap();
    assert_eq!((r.get::<_, i64>(0), r.get::<_, String>(1)), (seq, hash));
    let (seq, hash) = st.head("audit_log");
    assert_eq!((r.get::<_, i64>(2), r.get::<_, String>(3)), (seq, hash));
}

fn sync_lib(
    hq: &Hq,
    st: &Station,
    opts: &SyncOptions,
) -> Result<shiguang::hq::sync::SyncReport, HqError> {
    let mut c = hq.connect();
    sync(&st.s, &mut c, opts, &mut |_| {}).map_err(|b| b.1)
}

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
        let o = shiguang(&["sync", "--db", st.path(), "--lang", "en"], &env);
        assert!(o.status.success(), "{}", out(&o));
        let text = out(&o);
        assert!(text.contains("sent"), "{text}");
        let (seq, _) = st.head("transfers");
        assert!(text.contains(&format!("ledger seq {seq} (")), "{text}");
        assert_same(&hq, st);
    }
    // the second run sends nothing
    for st in [&a, &b] {
        let o = shiguang(&["sync", "--db", st.path(), "--lang", "en"], &env);
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
    let o = shiguang(&["sync", "--db", a.path()], &env);
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
    let o = shiguang(&["sync", "--db", st.path(), "--lang", "en"], &env);
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
fn a_changed_record_is_found_by_recheck_and_a_rewritten_request_by_the_next_sync() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 3 * DAY_MS);
    st.day("x", D0 - 2 * DAY_MS, false);
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();

    // a record's minutes changed by hand: not after the head, so only a
    // recheck (or the month report) finds it
    st.tamper(
        "DROP TRIGGER records_no_update;
         UPDATE service_records SET minutes = minutes + 30 WHERE uid = 'x-a';",
    );
    let r = sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    assert_eq!(r.batches, 0);
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
    let o = shiguang(
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
    let child = Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args([
            "sync",
            "--db",
            db.path.to_str().unwrap(),
            "--batch-size",
            "200",
            "--batch-pause-ms",
            "400",
            "--lang",
            "en",
        ])
        .env("SHIGUANG_HQ_URL", &hq.url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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
    let o = shiguang(
        &["sync", "--db", db.path.to_str().unwrap(), "--lang", "en"],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_complete(&hq, &db);
    let o = shiguang(
        &["sync", "--db", db.path.to_str().unwrap(), "--lang", "en"],
        &env,
    );
    assert!(out(&o).contains("nothing to send"), "{}", out(&o));
}

#[test]
fn a_sync_killed_midway_loses_nothing() {
    let Some(hq) = hq() else { return };
    let db = seeded("2000");
    let mut child = Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args([
            "sync",
            "--db",
            db.path.to_str().unwrap(),
            "--batch-size",
            "200",
            "--batch-pause-ms",
            "300",
        ])
        .env("SHIGUANG_HQ_URL", &hq.url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_acks(&hq, 2);
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    child.wait().unwrap();
    let o = shiguang(
        &["sync", "--db", db.path.to_str().unwrap(), "--lang", "en"],
        &[("SHIGUANG_HQ_URL", hq.url.as_str())],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_complete(&hq, &db);
}

#[test]
fn seven_days_offline_then_one_sync_and_the_month_report_agrees_exactly() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 10 * DAY_MS);
    // headquarters' address is a file; for seven days it leads nowhere
    let file = st.db.dir.path().join("hq.url");
    std::fs::write(
        &file,
        "postgresql://station@127.0.0.1:1/hq?connect_timeout=2\n",
    )
    .unwrap();
    st.s.set_setting(
        &st.master,
        "hq_url_file",
        serde_json::json!(file.to_str().unwrap()),
        D0 - 10 * DAY_MS,
    )
    .unwrap();
    for d in 0..7 {
        let d0 = D0 - (9 - d) * DAY_MS;
        if d == 3 {
            // a deadline changed mid-week: the summaries after it use it
            st.s.set_setting(
                &st.master,
                "urgent_respond_minutes",
                serde_json::json!(45),
                d0 + HOUR_MS,
            )
            .unwrap();
        }
        st.day(&format!("d{d}"), d0, true);
        let later = shiguang::hq::sync::after_close(&st.s).expect("the station has an address");
        let e = later.unwrap_err();
        assert!(e.is_transient(), "{e:?}");
    }
    assert_eq!(st.count("SELECT count(*) FROM day_summaries"), 7);
    assert_eq!(hq.count("SELECT count(*) FROM transfers"), 0);
    // the network is back: one sync sends the week
    hq.url_file(st.db.dir.path());
    let o = shiguang(&["sync", "--db", st.path(), "--lang", "en"], &[]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("7 day summaries"), "{}", out(&o));
    assert_same(&hq, &st);
    // the summaries before the change count the urgent request late, after it in time
    let figures: Vec<u32> = st
        .s
        .conn()
        .prepare(
            "SELECT json_extract(figures, '$.responded_in_time') FROM day_summaries ORDER BY day",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(figures, vec![1, 1, 1, 2, 2, 2, 2]);
    // headquarters' recomputation equals every summary
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang(
        &["hq", "report", "--month", "2026-11", "--lang", "en"],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert_eq!(
        text.matches(": equal to headquarters' recomputation")
            .count(),
        7,
        "{text}"
    );
    assert!(
        text.contains("7 day summaries: 7 equal, 0 differ"),
        "{text}"
    );
    assert!(text.contains("14 services"), "{text}");
    assert!(
        text.contains("KPI disputes: 7 of 7 contacted within 24 h; 0 late"),
        "{text}"
    );
    let o = shiguang(&["hq", "report", "--month", "2026-11", "--json"], &env);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["differing_days"], 0);
    assert_eq!(v["stations"][0]["figures"]["services"], 14);
    // the seven days, and the day the station was set up (no summary)
    let days = v["stations"][0]["days"].as_array().unwrap();
    assert_eq!(days.iter().filter(|d| !d["version"].is_null()).count(), 7);
    assert!(text.contains("2026-11-13: no day summary here"), "{text}");
}

#[test]
fn the_month_report_finds_a_summary_that_does_not_match_its_rows() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 5 * DAY_MS);
    st.day("a", D0 - 4 * DAY_MS, true);
    st.day("b", D0 - 3 * DAY_MS, true);
    // the second day's summary edited by hand before it was sent
    st.tamper(
        "DROP TRIGGER day_summaries_no_update;
         UPDATE day_summaries SET figures = json_set(figures, '$.services', 3) WHERE day = '2026-11-20';",
    );
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang(
        &["hq", "report", "--month", "2026-11", "--lang", "en"],
        &env,
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("2026-11-19 v1: equal"), "{text}");
    assert!(text.contains("2026-11-20 v1: DIFFERS"), "{text}");
    assert!(text.contains("1 day summaries differ"), "{text}");
}

#[test]
fn a_bundle_ingested_twice_is_a_no_op() {
    let Some(hq) = hq() else { return };
    // a station whose whole history is in its bundles: made on its first day
    let d1 = D0 - 2 * DAY_MS;
    let mut st = station("01", d1 + 8 * HOUR_MS);
    st.day("one", d1, true);
    st.day("two", d1 + DAY_MS, true);
    let bundles = st.db.dir.path().join("bundles");
    let day1 = bundles.join("JS01-2026-11-21.jsonl");
    let day2 = bundles.join("JS01-2026-11-22.jsonl");
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let ingest = |f: &Path| shiguang(&["hq", "ingest", f.to_str().unwrap(), "--lang", "en"], &env);

    // the second day first: a gap, refused
    let o = ingest(&day2);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("(a gap)"), "{}", out(&o));
    assert_eq!(hq.count("SELECT count(*) FROM audit"), 0);

    let o = ingest(&day1);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("JS01 2026-11-21 ingested"), "{}", out(&o));
    let rows = hq.count("SELECT count(*) FROM audit") + hq.count("SELECT count(*) FROM transfers");
    let o = ingest(&day1);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("was in already"), "{}", out(&o));
    assert_eq!(
        hq.count("SELECT count(*) FROM audit") + hq.count("SELECT count(*) FROM transfers"),
        rows
    );
    let o = ingest(&day2);
    assert!(o.status.success(), "{}", out(&o));
    // a sync afterwards continues from the bundles and conflicts with nothing
    let r = sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    assert_eq!(r.new.summaries, 0);
    assert_same(&hq, &st);
    // and the bundles again: nothing new
    let o = shiguang(
        &[
            "hq",
            "ingest",
            day1.to_str().unwrap(),
            day2.to_str().unwrap(),
            "--lang",
            "en",
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(out(&o).matches("was in already").count(), 2, "{}", out(&o));

    // a bundle changed on the way: refused by its own check
    let text = std::fs::read_to_string(&day1).unwrap();
    let bad = st.db.dir.path().join("bad.jsonl");
    std::fs::write(&bad, text.replacen("\"minutes\":60", "\"minutes\":600", 1)).unwrap();
    let o = ingest(&bad);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("fails its check"), "{}", out(&o));
    assert_same(&hq, &st);
}

#[test]
fn the_station_role_may_insert_and_read_but_never_change_a_row() {
    let Some(hq) = hq() else { return };
    let role = format!("station_{:08x}", rand_u64() as u32);
    admin_client(&hq.admin)
        .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
        .unwrap();
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang(
        &["hq", "init", "--station-role", &role, "--lang", "en"],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("may now insert and read"), "{}", out(&o));

    let mut st = station("01", D0 - 3 * DAY_MS);
    st.day("x", D0 - 2 * DAY_MS, true);
    let as_station = with_user(&hq.url, &role);
    let o = shiguang(
        &["sync", "--db", st.path(), "--lang", "en"],
        &[("SHIGUANG_HQ_URL", as_station.as_str())],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_same(&hq, &st);

    let mut c = admin_client(&as_station);
    for sql in [
        "UPDATE transfers SET amount = 1",
        "DELETE FROM audit",
        "UPDATE sync_acks SET ledger_seq = 0",
        "DELETE FROM stations",
        "CREATE TABLE mine (x int)",
    ] {
        let e = c.batch_execute(sql).unwrap_err();
        let code = e.code().map(|c| c.code().to_string());
        assert_eq!(code.as_deref(), Some("42501"), "{sql}: {e:?}");
    }
    // even the owner cannot change the ledger or the audit log
    let mut owner = hq.client();
    for sql in [
        "UPDATE transfers SET amount = 1",
        "DELETE FROM audit",
        "TRUNCATE transfers",
    ] {
        let e = owner.batch_execute(sql).unwrap_err();
        let why = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_default();
        assert!(why.contains("append-only"), "{sql}: {e:?}");
    }
    drop(c);
    drop(owner);
    let _ = admin_client(&hq.admin).batch_execute(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE); DROP ROLE IF EXISTS {role}",
        hq.name
    ));
}

#[test]
fn tls_when_the_url_asks_for_it() {
    let Some(hq) = hq() else { return };
    let Some(ca) = std::env::var("SHIGUANG_TEST_PG_CA")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        skipped("SKIPPED: no TLS on the test server (SHIGUANG_TEST_PG_CA)");
        return;
    };
    let ssl = |c: &mut connect::Hq| -> bool {
        c.client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let mut plain = hq.connect();
    assert!(!ssl(&mut plain));
    let url = format!("{}?sslmode=require&sslrootcert={ca}", hq.url);
    let mut tls = connect::connect(&Target::new(&url, "test")).unwrap();
    assert!(ssl(&mut tls));
    // the certificate is checked: without the CA that signed it, no connection
    let e =
        connect::connect(&Target::new(&format!("{}?sslmode=require", hq.url), "test")).unwrap_err();
    assert!(
        matches!(&e, HqError::Unreachable(why) if why.to_lowercase().contains("certificate")),
        "{e:?}"
    );
    // a whole sync over TLS
    let mut st = station("01", D0 - 2 * DAY_MS);
    st.day("t", D0 - DAY_MS, true);
    let o = shiguang(
        &["sync", "--db", st.path(), "--lang", "en"],
        &[("SHIGUANG_HQ_URL", url.as_str())],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_same(&hq, &st);
}

#[test]
fn close_day_sends_the_day_and_an_unreachable_headquarters_is_later() {
    let Some(hq) = hq() else { return };
    // today in real time: close-day closes today
    let now = chrono::Utc::now().timestamp_millis();
    let tz = chrono_tz::Asia::Shanghai;
    let today = shiguang::domain::time::local_day(now, tz);
    let start = shiguang::domain::time::day_start(today, tz);
    let st = station("01", start);
    let file = hq.url_file(st.db.dir.path());
    let mut s = Store::open(&st.db.path, OpenMode::Desk, now).unwrap();
    s.set_setting(
        &st.master,
        "hq_url_file",
        serde_json::json!(file.to_str().unwrap()),
        now,
    )
    .unwrap();
    s.open_day(&st.master, &checklist(&s), now).unwrap();
    drop(s);
    let o = shiguang(
        &[
            "close-day",
            "--db",
            st.path(),
            "--docs-locked",
            "--lang",
            "en",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("Sent to headquarters"), "{}", out(&o));
    assert_eq!(hq.count("SELECT count(*) FROM day_summaries"), 1);

    // another station, headquarters out of reach: the close still succeeds
    let other = station("02", start);
    let file = other.db.dir.path().join("hq.url");
    std::fs::write(
        &file,
        "postgresql://station@127.0.0.1:1/hq?connect_timeout=2\n",
    )
    .unwrap();
    let mut s = Store::open(&other.db.path, OpenMode::Desk, now).unwrap();
    s.set_setting(
        &other.master,
        "hq_url_file",
        serde_json::json!(file.to_str().unwrap()),
        now,
    )
    .unwrap();
    s.open_day(&other.master, &checklist(&s), now).unwrap();
    drop(s);
    let o = shiguang(&["close-day", "--db", other.path(), "--docs-locked"], &[]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("稍后再同步"), "{}", out(&o));
    assert_eq!(other.count("SELECT count(*) FROM day_summaries"), 1);
}

/// Tick the first three items of the opening checklist and count one
/// walker short (as `tests/routine.rs` does).
fn fill_checklist(h: &mut Harness) {
    for _ in 0..3 {
        h.press("space");
        h.press("tab");
    }
    for _ in 0..4 {
        h.press("tab");
    }
    h.press("backspace");
    h.type_str("1");
}

/// Open the day at 10:00, close it at 18:00 with F10.
fn f10(h: &mut Harness) {
    h.press("f2");
    fill_checklist(h);
    h.press("ctrl-s");
    h.press("esc");
    h.advance(8 * HOUR_MS);
    h.type_str(MASTER_PIN);
    h.press("enter");
    h.press("f10");
    h.type_str("邻里互助");
    h.press("ctrl-s");
    h.press("space");
    h.press("ctrl-s");
}

#[test]
fn f10_at_the_desk_sends_the_day_or_says_it_will_later() {
    let Some(hq) = hq() else { return };
    let db = temp_db();
    let master = init_station(&db.path);
    let file = hq.url_file(db.dir.path());
    store(&db.path)
        .set_setting(
            &master,
            "hq_url_file",
            serde_json::json!(file.to_str().unwrap()),
            T0,
        )
        .unwrap();
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    f10(&mut h);
    h.assert_shows("已发送总部");
    assert_eq!(hq.count("SELECT count(*) FROM day_summaries"), 1);

    let db = temp_db();
    let master = init_station(&db.path);
    let file = db.dir.path().join("hq.url");
    std::fs::write(
        &file,
        "postgresql://station@127.0.0.1:1/hq?connect_timeout=2\n",
    )
    .unwrap();
    store(&db.path)
        .set_setting(
            &master,
            "hq_url_file",
            serde_json::json!(file.to_str().unwrap()),
            T0,
        )
        .unwrap();
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    f10(&mut h);
    h.assert_shows("will sync with headquarters later");
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 1);
}
