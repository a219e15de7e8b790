//! Shared by the headquarters tests (`tests/hq/`, and the bundles of `tests/cli/tamper/`): a fresh PostgreSQL
//! database per test on the server named by `SHIGUANG_TEST_PG` (skipped,
//! saying so, without one), stations with a few days of work, and the
//! check that headquarters has exactly a station's rows.
#![allow(dead_code)]

use crate::common::*;
use shiguang::domain::queue::State;
use shiguang::domain::record::Payer;
use shiguang::domain::staff::Session;
use shiguang::domain::station::StationKind;
use shiguang::domain::time::{HOUR_MS, MINUTE_MS, Stamp};
use shiguang::harness::T0;
use shiguang::hq::HqError;
use shiguang::hq::connect::{self, Target};
use shiguang::hq::sync::{SyncOptions, sync};
use shiguang::store::station::NewStation;
use shiguang::store::{OpenMode, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Tests share the server; the one that stops it runs alone.
pub static SERVER: RwLock<()> = RwLock::new(());

pub enum Guard {
    Shared(#[allow(dead_code)] RwLockReadGuard<'static, ()>),
    Alone(#[allow(dead_code)] RwLockWriteGuard<'static, ()>),
}

/// A fresh headquarters database for one test, dropped at the end.
pub struct Hq {
    pub admin: String,
    pub url: String,
    pub name: String,
    /// Login roles made for the test, dropped after the database.
    roles: std::sync::Mutex<Vec<String>>,
    _guard: Guard,
}

/// Say so past the test harness's capture, so a plain `cargo test` shows it.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{why}");
}

pub fn with_db(base: &str, db: &str) -> String {
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

pub fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
    format!("{scheme}://{user}@{rest}")
}

pub fn admin_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect to SHIGUANG_TEST_PG")
}

pub fn server(alone: bool) -> Option<Hq> {
    fresh(alone, false, true)
}

/// A fresh database; `owned`: owned by a login role of its own (not a
/// superuser) that applies the migrations and that `url` logs in as —
/// headquarters as docs/operations.md sets it up, its admin held to row-level
/// security like everyone; `migrate`: with headquarters' schema.
fn fresh(alone: bool, owned: bool, migrate: bool) -> Option<Hq> {
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
    let mut roles = Vec::new();
    let mut url = with_db(&admin, &name);
    if owned {
        let owner = format!("hq_owner_{:08x}", rand_u64() as u32);
        let mut c = admin_client(&admin);
        c.batch_execute(&format!("CREATE ROLE {owner} LOGIN"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name} OWNER {owner}"))
            .unwrap();
        url = with_user(&url, &owner);
        roles.push(owner);
    } else {
        admin_client(&admin)
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
    }
    if migrate {
        let mut c = connect::connect(&Target::new(&url, "test")).unwrap();
        shiguang::hq::migrate::apply(&mut c.client).unwrap();
    }
    Some(Hq {
        admin,
        url,
        name,
        roles: std::sync::Mutex::new(roles),
        _guard: guard,
    })
}

/// Headquarters' database owned by a role of its own (see [`fresh`]).
pub fn owned_hq() -> Option<Hq> {
    fresh(false, true, true)
}

/// An empty database: no headquarters schema yet.
pub fn empty_hq() -> Option<Hq> {
    fresh(false, false, false)
}

pub fn hq() -> Option<Hq> {
    server(false)
}

pub fn rand_u64() -> u64 {
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
            for r in self.roles.lock().unwrap_or_else(|e| e.into_inner()).iter() {
                let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {r}"));
            }
        }
    }
}

impl Hq {
    /// A new login role for this test (made by the server's superuser, as
    /// headquarters' database administrator would), dropped at the end.
    pub fn role(&self, prefix: &str) -> String {
        let name = format!("{prefix}_{:08x}", rand_u64() as u32);
        admin_client(&self.admin)
            .batch_execute(&format!("CREATE ROLE {name} LOGIN"))
            .unwrap();
        self.roles
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(name.clone());
        name
    }

    /// The URL of this database logging in as `role`.
    pub fn url_as(&self, role: &str) -> String {
        with_user(&self.url, role)
    }

    pub fn client(&self) -> postgres::Client {
        admin_client(&self.url)
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.client().query_one(sql, &[]).unwrap().get(0)
    }

    pub fn connect(&self) -> connect::Hq {
        connect::connect(&Target::new(&self.url, "test")).unwrap()
    }

    /// A file holding the URL (as docs/operations.md says to keep it).
    pub fn url_file(&self, dir: &Path) -> PathBuf {
        let f = dir.join("hq.url");
        std::fs::write(&f, format!("# headquarters\n{}\n", self.url)).unwrap();
        f
    }
}

pub fn shiguang_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shiguang"));
    c.args(args)
        .env_remove("SHIGUANG_DB")
        .env_remove("SHIGUANG_LANG")
        .env_remove("SHIGUANG_HQ_URL")
        .env_remove("SHIGUANG_HQ_CA")
        .env("SHIGUANG_STAFF", "001")
        .env("SHIGUANG_PIN", MASTER_PIN);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run shiguang")
}

pub fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// 2026-11-23 00:00 in Shanghai.
pub const D0: Stamp = T0 - 10 * HOUR_MS;

pub struct Station {
    pub db: TestDb,
    pub s: Store,
    pub master: Session,
    pub m: Vec<i64>,
}

/// A station `JS{community}` with four approved members (made at `at`).
pub fn station(community: &str, at: Stamp) -> Station {
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

impl Station {
    /// A service of `minutes` ending at `end`, paid by the pool.
    pub fn service(&mut self, uid: &str, p: usize, q: usize, end: Stamp, minutes: u32) {
        self.s
            .post_record(
                &self.master,
                &record(uid, self.m[p], self.m[q], end, minutes, Payer::Pool),
                end,
            )
            .unwrap();
    }

    /// A working day starting at `d0` (midnight): opened, two services, a
    /// request answered in time and an urgent one answered late, a dispute
    /// with both parties called; closed at 18:00 unless `close` is false.
    pub fn day(&mut self, tag: &str, d0: Stamp, close: bool) {
        let m = self.m.clone();
        let list = ticked_checklist(&self.s);
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
                &super::quality_dispute(m[1], m[0]),
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

    pub fn count(&self, sql: &str) -> i64 {
        self.s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn head(&self, table: &str) -> (i64, String) {
        self.s
            .conn()
            .query_row(
                &format!("SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }

    pub fn path(&self) -> &str {
        self.db.path.to_str().unwrap()
    }

    /// Change a row behind the app's back (the file edited by hand).
    pub fn tamper(&self, sql: &str) {
        let c = rusqlite::Connection::open(&self.db.path).unwrap();
        c.execute_batch(sql).unwrap();
    }
}

/// Headquarters has exactly the station's rows.
pub fn assert_same(hq: &Hq, st: &Station) {
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

pub fn sync_lib(
    hq: &Hq,
    st: &Station,
    opts: &SyncOptions,
) -> Result<shiguang::hq::sync::SyncReport, HqError> {
    let mut c = hq.connect();
    sync(&st.s, &mut c, opts, &mut |_| {}).map_err(|b| b.1)
}
