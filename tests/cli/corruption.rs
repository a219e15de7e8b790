//! A damaged database — flipped bytes, a truncated file, a file that is not
//! SQLite, an empty or missing file where a station was — is refused with a
//! clear message and the newest backup that passes verify on offer; restore
//! moves the damaged file aside (nothing is deleted). Never a silent new,
//! empty database.

use crate::common;
use common::*;
use shiguang::domain::record::Payer;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use std::path::{Path, PathBuf};
use std::process::Output;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A station with a backup taken after two services and a third service
/// after it. Returns the backup's path.
fn station_with_backup(db: &TestDb) -> PathBuf {
    let (master, mut s) = open_station(&db.path);
    let a = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let b = approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    for (i, end) in [T0 - 5 * HOUR_MS, T0 - 4 * HOUR_MS].into_iter().enumerate() {
        s.post_record(
            &master,
            &record(&format!("r{i}"), a, b, end, 60, Payer::Pool),
            T0,
        )
        .unwrap();
    }
    let backup = s.backup_now("2026-11-23-0900").unwrap();
    s.post_record(
        &master,
        &record("r9", a, b, T0 - HOUR_MS, 60, Payer::Pool),
        T0,
    )
    .unwrap();
    drop(s);
    assert!(
        !Path::new(&format!("{}-wal", db.path.display())).exists(),
        "closed cleanly"
    );
    backup
}

/// Flip the bytes of the pages of two indexes of the ledger: the file still
/// opens, but the check finds the damage.
fn flip_index_pages(path: &Path) {
    let roots: Vec<i64> = {
        let c = rusqlite::Connection::open(path).unwrap();
        let mut stmt = c
            .prepare("SELECT rootpage FROM sqlite_master WHERE name IN ('transfers_at', 'transfers_record')")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(roots.len(), 2);
    let mut bytes = std::fs::read(path).unwrap();
    let page = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    for root in roots {
        let at = (root as usize - 1) * page;
        for b in &mut bytes[at..at + page] {
            *b ^= 0x5a;
        }
    }
    std::fs::write(path, bytes).unwrap();
}

/// Flip bytes all over the second half of a file (a bad backup).
fn flip_last_pages(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let half = bytes.len() / 2;
    for b in &mut bytes[half..] {
        *b ^= 0x5a;
    }
    std::fs::write(path, bytes).unwrap();
}

fn truncate_half(path: &Path) {
    let len = std::fs::metadata(path).unwrap().len();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
}

/// The damage is refused by the commands, with the backup on offer, and
/// the damaged file is left exactly as it was.
#[track_caller]
fn refused_with_offer(db: &TestDb, backup: &Path) {
    let path = db.path.to_str().unwrap();
    let digest = |p: &Path| std::fs::read(p).ok().map(|b| blake3::hash(&b));
    let before = digest(&db.path);
    let o = shiguang(&["verify", "--db", path, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let said = text(&o);
    assert!(said.contains(&backup.display().to_string()), "{said}");
    assert!(said.contains("shiguang restore"), "{said}");
    for write in [
        vec!["backup", "--db", path, "--lang", "en"],
        vec!["close-day", "--db", path, "--lang", "en"],
        vec![
            "seed",
            "--db",
            path,
            "--members",
            "3",
            "--days",
            "1",
            "--lang",
            "en",
        ],
    ] {
        let o = shiguang(&write);
        assert_ne!(
            o.status.code(),
            Some(0),
            "{write:?} went through: {}",
            text(&o)
        );
        assert!(
            digest(&db.path) == before,
            "{write:?} changed the damaged file"
        );
    }
}

#[track_caller]
fn restore_brings_back_the_backup(db: &TestDb, backup: &Path) {
    let path = db.path.to_str().unwrap();
    let damaged = std::fs::read(&db.path).ok();
    let o = shiguang(&["restore", "--db", path, "--lang", "en"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "needs --yes off a terminal: {}",
        text(&o)
    );
    let o = shiguang(&["restore", "--db", path, "--yes", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(&backup.display().to_string()),
        "{}",
        text(&o)
    );
    // the damaged file is kept beside, byte for byte
    if let Some(damaged) = damaged {
        let aside: Vec<PathBuf> = std::fs::read_dir(db.dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("station.db.damaged-"))
            })
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert!(
            std::fs::read(&aside[0]).unwrap() == damaged,
            "the file set aside is not the damaged one"
        );
    }
    let o = shiguang(&["verify", "--db", path, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // the backup's two services are back; the third came after it
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 2);
    // and the station works again: a member can be registered (the key came back)
    let mut s = store(&db.path);
    let master = master_session();
    approved_member(&mut s, &master, "欧阳娜娜", 3, T0);
    // a second restore is refused: the file is sound now
    let o = shiguang(&["restore", "--db", path, "--yes", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("nothing to restore"), "{}", text(&o));
}

#[test]
fn flipped_bytes_stop_every_write_at_the_desk_and_the_backup_restores() {
    let db = temp_db();
    let backup = station_with_backup(&db);
    flip_index_pages(&db.path);
    refused_with_offer(&db, &backup);

    // the desk opens (so the staff can read), says so at once and saves nothing
    let before = blake3::hash(&std::fs::read(&db.path).unwrap());
    let master = master_session();
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master.clone());
    h.assert_shows("damaged");
    h.assert_shows("shiguang restore");
    h.assert_shows(backup.file_name().unwrap().to_str().unwrap());
    let e = h
        .store
        .add_staff(
            &master,
            "陈晓燕",
            shiguang::domain::staff::Role::Liaison,
            "5170",
            T0,
        )
        .unwrap_err();
    assert!(
        matches!(e, shiguang::store::StoreError::Damaged(_)),
        "{e:?}"
    );
    drop(h);
    assert!(
        blake3::hash(&std::fs::read(&db.path).unwrap()) == before,
        "the desk changed the damaged file"
    );

    restore_brings_back_the_backup(&db, &backup);
}

#[test]
fn a_truncated_file_is_refused_and_restored() {
    let db = temp_db();
    let backup = station_with_backup(&db);
    truncate_half(&db.path);
    refused_with_offer(&db, &backup);
    restore_brings_back_the_backup(&db, &backup);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_restored() {
    let db = temp_db();
    let backup = station_with_backup(&db);
    std::fs::write(&db.path, "姓名,电话\n张三丰,13800000000\n".repeat(50)).unwrap();
    refused_with_offer(&db, &backup);
    restore_brings_back_the_backup(&db, &backup);
}

#[test]
fn an_empty_or_missing_file_where_a_station_was_is_never_a_new_station() {
    let db = temp_db();
    let backup = station_with_backup(&db);
    std::fs::write(&db.path, b"").unwrap();
    refused_with_offer(&db, &backup);
    assert_eq!(std::fs::metadata(&db.path).unwrap().len(), 0);
    std::fs::remove_file(&db.path).unwrap();
    refused_with_offer(&db, &backup);
    assert!(!db.path.exists(), "no new empty database was made");
    restore_brings_back_the_backup(&db, &backup);
}

#[test]
fn a_bad_backup_is_passed_over_and_without_any_the_message_says_so() {
    let db = temp_db();
    let good = station_with_backup(&db);
    // a newer backup that is itself damaged is not offered
    let dir = good.parent().unwrap();
    let bad = dir.join("shiguang-2026-11-23-1200.db");
    std::fs::copy(&good, &bad).unwrap();
    flip_last_pages(&bad);
    truncate_half(&bad);
    std::fs::write(&db.path, "not a database at all, not at all, not at all").unwrap();
    refused_with_offer(&db, &good);
    // --from a bad backup is refused and changes nothing
    let path = db.path.to_str().unwrap();
    let o = shiguang(&[
        "restore",
        "--db",
        path,
        "--from",
        bad.to_str().unwrap(),
        "--yes",
        "--lang",
        "en",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("does not pass verify"), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&db.path).unwrap(),
        "not a database at all, not at all, not at all"
    );
    // no sound backup at all
    std::fs::remove_file(&good).unwrap();
    let o = shiguang(&["verify", "--db", path, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("No backup that passes verify"),
        "{}",
        text(&o)
    );
}
