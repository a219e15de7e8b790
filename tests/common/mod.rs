#![allow(dead_code)]
//! Shared helpers for the integration tests.

use shiguang::domain::staff::Session;
use shiguang::domain::station::StationKind;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::station::NewStation;
use shiguang::store::{OpenMode, Store};
use std::path::{Path, PathBuf};

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn temp_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.db");
    TestDb { dir, path }
}

pub const MASTER_PIN: &str = "2468";

/// A station JS01 with master 001 (PIN 2468); returns the master's session.
pub fn init_station(path: &Path) -> Session {
    let mut s = Store::open(path, OpenMode::Desk, T0).unwrap();
    s.create_station(
        &NewStation {
            street: "JS".into(),
            community: "01".into(),
            kind: StationKind::Main,
            name: "金山社区驿站".into(),
            tz: chrono_tz::Asia::Shanghai,
        },
        "王秀英",
        MASTER_PIN,
        T0,
    )
    .unwrap()
}

pub fn store(path: &Path) -> Store {
    Store::open(path, OpenMode::Desk, T0).unwrap()
}

/// The app signed in as the station master of a fresh station.
pub fn master_desk(db: &TestDb, lang: Lang) -> Harness {
    let s = init_station(&db.path);
    Harness::signed_in(&db.path, T0, lang, s)
}

pub fn count(path: &Path, sql: &str) -> i64 {
    let s = store(path);
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Fail if any drawn screen cuts a wide character or hides text under one.
#[track_caller]
pub fn assert_cjk_clean(h: &Harness) {
    let problems = shiguang::harness::wide_char_problems(&h.buffer());
    assert!(problems.is_empty(), "{problems:?}\n{}", h.text());
}
