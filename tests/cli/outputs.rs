//! Output paths never destroy data: every `--out`, the desk's exports, the
//! close's bundle. The station's files, a backup, another day's bundle and
//! anything not an ordinary file are refused with exit 2 and the file's
//! name; an existing file is replaced only with `--force`; `-` is stdout.

use crate::common;
use common::*;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::T0;
use shiguang::i18n::{Lang, Tr};
use std::path::{Path, PathBuf};
use std::process::Output;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A station with days 2026-11-22 and 2026-11-23 opened and closed (each
/// with its backup and bundle).
fn two_closed_days(db: &TestDb) {
    let (master, mut s) = open_station(&db.path);
    for at in [T0 - DAY_MS, T0] {
        s.open_day(&master, &ticked_checklist(&s), at).unwrap();
        let day = shiguang::domain::time::local_day(at, s.tz());
        s.close_day(Some(&master), day, "", true, at + 8 * HOUR_MS)
            .unwrap();
    }
}

/// Every file under `dir`, with its bytes (links as their target's name).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(p.clone());
                out.push((p, b"<dir>".to_vec()));
            } else if t.is_symlink() {
                let to = std::fs::read_link(&p).unwrap();
                out.push((p, to.to_string_lossy().as_bytes().to_vec()));
            } else if t.is_file() {
                // SQLite keeps its readers' marks in the -shm: its bytes
                // change with every read, its being there does not
                let bytes = if p.to_string_lossy().ends_with("-shm") {
                    b"<shm>".to_vec()
                } else {
                    std::fs::read(&p).unwrap()
                };
                out.push((p, bytes));
            } else {
                out.push((p, b"<special>".to_vec()));
            }
        }
    }
    out.sort();
    out
}

fn export_ledger(db: &TestDb, out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "export-ledger",
        "--db",
        db.path.to_str().unwrap(),
        "--lang",
        "en",
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    shiguang(&args)
}

/// `export-day` of 2026-11-23 into `out`, in English.
fn export_day(db: &TestDb, out: &str, force: bool) -> Output {
    let mut args = vec![
        "export-day",
        "--db",
        db.path.to_str().unwrap(),
        "--lang",
        "en",
        "--date",
        "2026-11-23",
        "--out",
        out,
    ];
    if force {
        args.push("--force");
    }
    shiguang(&args)
}

// unix: the test makes symlinks and a fifo, which need a privilege (or do
// not exist) on Windows; a hard link's identity there is tested in
// src/platform.rs
#[cfg(unix)]
#[test]
fn no_output_is_written_over_the_stations_files_or_anything_odd() {
    let db = temp_db();
    two_closed_days(&db);
    let dir = db.dir.path();
    let backup = shiguang::store::backup::list(&dir.join("backups"))
        .pop()
        .expect("the close made a backup");
    let link = dir.join("link-to-db");
    std::os::unix::fs::symlink(&db.path, &link).unwrap();
    let hard = dir.join("hard-link-to-db");
    std::fs::hard_link(&db.path, &hard).unwrap();
    let elsewhere = dir.join("link-elsewhere");
    std::os::unix::fs::symlink(dir.join("nowhere.txt"), &elsewhere).unwrap();
    let fifo = dir.join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let relative = format!("{}/./station.db", dir.display());
    let cases: Vec<(String, &str)> = vec![
        (s(&db.path), "this station's database"),
        (relative, "this station's database"),
        (s(&hard), "this station's database"),
        (s(&link), "this station's database"),
        (format!("{}-wal", db.path.display()), "-wal or -shm"),
        (format!("{}-shm", db.path.display()), "-wal or -shm"),
        (format!("{}.key", db.path.display()), "this station's key"),
        (s(&backup), "a backup of this station"),
        (
            format!("{}.key", backup.display()),
            "a backup of this station",
        ),
        (
            s(&dir.join("bundles/JS01-2026-11-22.jsonl")),
            "day bundle of 2026-11-22",
        ),
        (s(dir), "is a folder"),
        (s(&elsewhere), "a link to another file"),
        ("/dev/null".into(), "not an ordinary file"),
        (s(&fifo), "not an ordinary file"),
    ];
    // a first read leaves the -wal and -shm a reader makes
    assert!(
        shiguang(&["verify", "--db", db.path.to_str().unwrap()])
            .status
            .success()
    );
    let before = snapshot(dir);
    for (out, why) in &cases {
        for force in [false, true] {
            let o = export_ledger(&db, out, if force { &["--force"] } else { &[] });
            assert_eq!(o.status.code(), Some(2), "{out} {force}: {}", stderr(&o));
            let err = stderr(&o);
            assert!(err.contains(out.as_str()), "names the file: {err}");
            assert!(err.contains(why), "{out}: {err}");
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        }
    }
    // export-day too, the same rules
    for (out, why) in &cases {
        let o = export_day(&db, out, true);
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(stderr(&o).contains(why), "{out}: {}", stderr(&o));
    }
    // not a byte changed, no temporary file left anywhere
    assert_eq!(snapshot(dir), before);
    assert!(
        shiguang(&["verify", "--db", db.path.to_str().unwrap()])
            .status
            .success()
    );
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let db = temp_db();
    init_station(&db.path);
    let out = db.dir.path().join("journal.ledger");
    std::fs::write(&out, "my notes").unwrap();
    let o = export_ledger(&db, out.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert!(stderr(&o).contains("journal.ledger"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my notes");
    let o = export_ledger(&db, out.to_str().unwrap(), &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("; shiguang")
    );
    // in Chinese, too, naming the file
    let o = shiguang(&[
        "export-ledger",
        "--db",
        db.path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("已经存在"), "{}", stderr(&o));
    assert!(stderr(&o).contains("journal.ledger"), "{}", stderr(&o));
}

#[test]
fn out_dash_writes_to_standard_output() {
    let db = temp_db();
    two_closed_days(&db);
    assert!(
        shiguang(&["verify", "--db", db.path.to_str().unwrap()])
            .status
            .success()
    );
    let before = snapshot(db.dir.path());
    let o = export_ledger(&db, "-", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("; shiguang"), "{text}");
    let o = shiguang(&[
        "export-day",
        "--db",
        db.path.to_str().unwrap(),
        "--date",
        "2026-11-22",
        "--out",
        "-",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b = shiguang::bundle::Bundle::parse(&String::from_utf8(o.stdout).unwrap()).unwrap();
    assert_eq!(b.check(), Vec::<String>::new());
    // no file called "-" (or anything else) appeared
    assert_eq!(snapshot(db.dir.path()), before);
}

#[test]
fn a_days_bundle_replaces_only_its_own_day_and_only_with_force() {
    let db = temp_db();
    two_closed_days(&db);
    let bundles = db.dir.path().join("bundles");
    let own = bundles.join("JS01-2026-11-23.jsonl");
    let other = bundles.join("JS01-2026-11-22.jsonl");
    let other_bytes = std::fs::read(&other).unwrap();
    let export = |out: &Path, force: bool| export_day(&db, out.to_str().unwrap(), force);
    let o = export(&own, false);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"));
    let o = export(&own, true);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = export(&other, true);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("day bundle of 2026-11-22"));
    assert_eq!(std::fs::read(&other).unwrap(), other_bytes);
    // a copy of another day's bundle anywhere is recognised by what it holds
    let copy = db.dir.path().join("carried.jsonl");
    std::fs::write(&copy, &other_bytes).unwrap();
    let o = export(&copy, true);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&copy).unwrap(), other_bytes);
    // and a station database anywhere (here a copy of a full backup; the
    // days between keep only their changes)
    let backup = shiguang::store::backup::list(&db.dir.path().join("backups"))
        .into_iter()
        .rfind(|p| p.extension().is_some_and(|e| e == "db"))
        .unwrap();
    let stray = db.dir.path().join("old-copy.bin");
    std::fs::copy(&backup, &stray).unwrap();
    let o = export_ledger(&db, stray.to_str().unwrap(), &["--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a station database"), "{}", stderr(&o));
}

// unix: symlinks need a privilege on Windows
#[cfg(unix)]
#[test]
fn the_close_does_not_write_its_bundle_through_a_link_to_the_database() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    s.open_day(&master, &ticked_checklist(&s), T0).unwrap();
    let bundles = db.dir.path().join("bundles");
    std::fs::create_dir_all(&bundles).unwrap();
    std::os::unix::fs::symlink(&db.path, bundles.join("JS01-2026-11-23.jsonl")).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let e = s
        .close_day(Some(&master), day, "", true, T0 + HOUR_MS)
        .unwrap_err();
    assert_eq!(e.msg().key, "out.database");
    // the day is still open, and nothing was backed up or written
    assert!(!s.day_state(day).unwrap().is_closed());
    assert!(!db.dir.path().join("backups").exists());
    drop(s);
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM station", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "the database is whole");
}

#[test]
fn the_desks_exports_get_a_new_number_and_keep_the_earlier_file() {
    let db = temp_db();
    init_station(&db.path);
    let s = store(&db.path);
    let tr = Tr::new(Lang::En);
    let first = shiguang::exports::trust_top(&s, &tr, T0).unwrap();
    assert_eq!(first.kept, None);
    // staff edited the printed list by hand; exporting again keeps it
    std::fs::write(&first.path, "edited by hand").unwrap();
    let second = shiguang::exports::trust_top(&s, &tr, T0).unwrap();
    assert_eq!(
        second.path.file_name().unwrap().to_string_lossy(),
        "trust-top10-2026-11 (2).md"
    );
    assert_eq!(
        std::fs::read_to_string(&first.path).unwrap(),
        "edited by hand"
    );
    // the notice says where it went and that the earlier one is kept
    let text = tr.msg(&second.msg());
    assert!(text.contains("trust-top10-2026-11 (2).md"), "{text}");
    assert!(text.contains("is kept"), "{text}");
    let zh = Tr::new(Lang::Zh).msg(&second.msg());
    assert!(zh.contains("保留不动"), "{zh}");
    let names: Vec<String> = std::fs::read_dir(db.dir.path().join("exports"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}

#[test]
fn print_writes_a_blank_form_and_refuses_a_form_it_does_not_know() {
    let db = temp_db();
    init_station(&db.path);
    let db_arg = db.path.to_str().unwrap();
    let o = shiguang(&["--db", db_arg, "--lang", "zh", "print", "blank-application"]);
    assert!(o.status.success(), "{o:?}");
    let path = db.dir.path().join("exports").join("application-blank.html");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("application-blank.html"), "{out}");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(
        html.contains("会员申请表") && html.contains("申请人签字"),
        "{html}"
    );
    // a form it does not know: exit 2, one line, nothing written
    let o = shiguang(&["--db", db_arg, "print", "membership-card"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    let names = std::fs::read_dir(db.dir.path().join("exports"))
        .unwrap()
        .count();
    assert_eq!(names, 1);
}
