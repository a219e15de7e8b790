//! The command line, run as a process: exit codes and one-line messages.

use crate::common;
use common::*;
use std::process::Output;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn init_then_verify() {
    let db = temp_db();
    let p = db.path.to_str().unwrap();
    let o = shiguang(&init_args(p, "JS", "01", "4821"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("001"));
    let o = shiguang(&["verify", "--db", p, "--lang", "en"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("OK"), "{out}");
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn init_with_bad_input_exits_2_with_one_line_and_creates_nothing() {
    for (street, community, pin, expect) in [
        ("j5", "01", "4821", "--street"),
        ("JSX", "01", "4821", "--street"),
        ("JS", "1", "4821", "--community"),
        ("JS", "0a", "4821", "--community"),
        ("JS", "01", "123", "--pin"),
        ("JS", "01", "123456789", "--pin"),
        ("JS", "01", "12ab", "--pin"),
    ] {
        let db = temp_db();
        let o = shiguang(&init_args(
            db.path.to_str().unwrap(),
            street,
            community,
            pin,
        ));
        assert_eq!(o.status.code(), Some(2), "{street} {community} {pin}");
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(expect), "{err}");
        assert!(!db.path.exists(), "nothing may be created for bad input");
    }
}

#[test]
fn init_twice_is_refused() {
    let db = temp_db();
    let p = db.path.to_str().unwrap();
    assert!(shiguang(&init_args(p, "JS", "01", "4821")).status.success());
    let o = shiguang(&init_args(p, "JS", "02", "4821"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("already holds a station"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_flags_exit_2_with_one_line() {
    for args in [
        vec!["--frobnicate"],
        vec!["verify", "--nope"],
        vec!["init", "--street", "JS"],
        vec!["--lang", "fr", "keys"],
    ] {
        let o = shiguang(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn a_directory_or_a_non_sqlite_file_is_refused_clearly() {
    let db = temp_db();
    let dir = db.dir.path().to_str().unwrap();
    let o = shiguang(&["verify", "--db", dir, "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));

    let text = db.dir.path().join("notes.txt");
    std::fs::write(&text, "这不是数据库 — just some notes that are long enough").unwrap();
    let o = shiguang(&init_args(text.to_str().unwrap(), "JS", "01", "4821"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not an SQLite database"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "这不是数据库 — just some notes that are long enough"
    );
}

#[test]
fn a_path_under_a_file_is_not_writable() {
    let db = temp_db();
    let file = db.dir.path().join("plain");
    std::fs::write(&file, "x").unwrap();
    let bad = file.join("station.db");
    let o = shiguang(&init_args(bad.to_str().unwrap(), "JS", "01", "4821"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Cannot write"), "{}", stderr(&o));
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let db = temp_db();
    {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        c.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('饺子');")
            .unwrap();
    }
    let o = shiguang(&init_args(db.path.to_str().unwrap(), "JS", "01", "4821"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("another program"), "{}", stderr(&o));
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let db = temp_db();
    init_station(&db.path);
    {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        c.execute(
            "INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)",
            [],
        )
        .unwrap();
    }
    let o = shiguang(&init_args(db.path.to_str().unwrap(), "JS", "01", "4821"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("newer Shiguang"), "{}", stderr(&o));
}

#[test]
fn verify_finds_a_tampered_audit_row() {
    let db = temp_db();
    init_station(&db.path);
    {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        c.execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET detail = '{\"name\":\"冒名\"}' WHERE seq = 2;",
        )
        .unwrap();
    }
    let o = shiguang(&["verify", "--db", db.path.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("audit seq 2"), "{}", stdout(&o));
}

#[test]
fn the_audit_log_refuses_update_and_delete() {
    let db = temp_db();
    init_station(&db.path);
    let c = rusqlite::Connection::open(&db.path).unwrap();
    assert!(c.execute("UPDATE audit_log SET action = 'x'", []).is_err());
    assert!(c.execute("DELETE FROM audit_log", []).is_err());
}

#[test]
fn keys_prints_the_keymap() {
    let o = shiguang(&["keys", "--lang", "en"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("| `Ctrl-Q` | Quit |"), "{out}");
}
