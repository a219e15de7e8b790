//! Commands that write sign in as the desk does: staff number and PIN
//! (`--staff` / `SHIGUANG_STAFF` and `SHIGUANG_PIN`, or asked at a terminal
//! without echo), the same lockout, the staff member and the command in the
//! audit log; `seed` keeps away from real members and closed days.

use crate::common;
use common::*;
use shiguang::domain::staff::Role;
use shiguang::domain::time::DAY_MS;
use shiguang::harness::T0;
use std::path::{Path, PathBuf};
use std::process::Output;

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The files under `dir`, but SQLite's own `-wal` and `-shm` (which come
/// and go with connections).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = walk(dir)
        .into_iter()
        .filter(|p| {
            let name = p.to_string_lossy();
            !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .collect();
    all.sort();
    all
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .flat_map(|e| {
                    let p = e.path();
                    if p.is_dir() { walk(&p) } else { vec![p] }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn audit(path: &Path, action: &str) -> Vec<(Option<i64>, serde_json::Value)> {
    let s = store(path);
    let mut stmt = s
        .conn()
        .prepare("SELECT staff_id, detail FROM audit_log WHERE action = ?1 ORDER BY seq")
        .unwrap();
    stmt.query_map([action], |r| {
        Ok((
            r.get(0)?,
            serde_json::from_str(&r.get::<_, String>(1)?).unwrap(),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// A station with master 001 and liaison 002 (PIN 3917), a backup made.
fn station_with_a_backup(db: &TestDb) -> PathBuf {
    let master = init_station(&db.path);
    store(&db.path)
        .add_staff(&master, "李建国", Role::Liaison, "3917", T0)
        .unwrap();
    let o = shiguang(&["--db", db.path.to_str().unwrap(), "backup"]);
    assert!(o.status.success(), "{}", err(&o));
    files(&db.dir.path().join("backups"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "db"))
        .unwrap()
}

#[test]
fn every_writing_command_refuses_a_station_with_staff_when_nobody_signs_in() {
    let db = temp_db();
    let backup = station_with_a_backup(&db);
    let p = db.path.to_str().unwrap();
    let before = files(db.dir.path());
    let audit_before = audit(&db.path, "signin.ok").len();
    for args in [
        vec!["backup"],
        vec!["close-day"],
        vec!["seed", "--members", "2", "--days", "1", "--yes-synthetic"],
        vec!["sync"],
        vec![
            "restore",
            "--from",
            backup.to_str().unwrap(),
            "--force",
            "--yes",
        ],
        vec!["stress-post", "--count", "1"],
    ] {
        let mut all = vec!["--db", p, "--lang", "en"];
        all.extend(&args);
        let o = shiguang_as(&all, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("--staff NNN"), "{args:?}: {}", err(&o));
        assert!(err(&o).contains("SHIGUANG_PIN"), "{args:?}");
        // the PIN alone is not enough either
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_shiguang"))
            .args(&all)
            .env_remove("SHIGUANG_STAFF")
            .env("SHIGUANG_PIN", MASTER_PIN)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    assert_eq!(files(db.dir.path()), before, "a file was made or removed");
    assert_eq!(audit(&db.path, "signin.ok").len(), audit_before);
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 0);
}

#[test]
fn a_wrong_pin_exits_2_does_nothing_and_counts_towards_the_lockout() {
    let db = temp_db();
    station_with_a_backup(&db);
    let p = db.path.to_str().unwrap();
    let backups = files(&db.dir.path().join("backups"));
    for i in 1..=5 {
        let o = shiguang_as(
            &["--db", p, "--lang", "en", "backup"],
            Some(("001", "7777")),
        );
        assert_eq!(o.status.code(), Some(2), "{}", err(&o));
        let want = if i < 5 { "Wrong PIN" } else { "locked" };
        assert!(err(&o).contains(want), "try {i}: {}", err(&o));
        assert!(err(&o).contains("Nothing was done"), "{}", err(&o));
    }
    assert_eq!(
        files(&db.dir.path().join("backups")),
        backups,
        "no backup made"
    );
    let failed = audit(&db.path, "signin.failed");
    assert_eq!(failed.len(), 5);
    assert_eq!(failed[0].1["command"], "backup");
    assert_eq!(failed[0].1["via"], "command line");
    // locked now, for the desk as for the command line: the right PIN too
    let o = shiguang_as(
        &["--db", p, "--lang", "en", "backup"],
        Some(("001", MASTER_PIN)),
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("locked"), "{}", err(&o));
    let now = chrono::Utc::now().timestamp_millis();
    let e = store(&db.path).sign_in("001", MASTER_PIN, now).unwrap_err();
    assert_eq!(e.msg().key, "signin.locked");
    // an unknown staff number
    let o = shiguang_as(
        &["--db", p, "--lang", "en", "backup", "--staff", "009"],
        Some(("002", "3917")),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("No such staff number"), "{}", err(&o));
}

#[test]
fn the_audit_log_names_who_ran_which_command_and_a_liaison_runs_no_masters_command() {
    let db = temp_db();
    let backup = station_with_a_backup(&db);
    let p = db.path.to_str().unwrap();
    // --staff on the command line comes before SHIGUANG_STAFF
    let o = shiguang_as(
        &["--db", p, "backup", "--staff", "002"],
        Some(("001", "3917")),
    );
    assert!(o.status.success(), "{}", err(&o));
    let ok = audit(&db.path, "signin.ok");
    let last = ok.last().unwrap();
    assert_eq!(last.0, Some(2));
    assert_eq!(last.1["command"], "backup");
    assert_eq!(last.1["via"], "command line");

    let failed_before = audit(&db.path, "signin.failed").len();
    for args in [
        vec!["seed", "--members", "2", "--days", "1"],
        vec![
            "restore",
            "--from",
            backup.to_str().unwrap(),
            "--force",
            "--yes",
        ],
    ] {
        let mut all = vec!["--db", p, "--lang", "en"];
        all.extend(&args);
        let o = shiguang_as(&all, Some(("002", "0000")));
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            err(&o).contains("Only a station master"),
            "{args:?}: {}",
            err(&o)
        );
    }
    // refused before any PIN was checked: nothing counted
    assert_eq!(audit(&db.path, "signin.failed").len(), failed_before);
    assert!(
        files(db.dir.path())
            .iter()
            .all(|f| !f.to_string_lossy().contains("damaged"))
    );
}

/// Flip bytes in the middle of the file: SQLite no longer reads it.
fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    for b in bytes.iter_mut().skip(4096).take(4096) {
        *b = !*b;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn restore_on_a_damaged_database_checks_the_pin_against_the_backup_and_writes_nothing_before() {
    let db = temp_db();
    let backup = station_with_a_backup(&db);
    let p = db.path.to_str().unwrap();
    // after the backup the master's PIN changed; then the file was damaged
    let master = store(&db.path).sign_in("001", MASTER_PIN, T0).unwrap();
    store(&db.path)
        .reset_pin(&master, master.staff_id, "5170", T0)
        .unwrap();
    damage(&db.path);
    let before = files(db.dir.path());
    let damaged = std::fs::read(&db.path).unwrap();
    let from = backup.to_str().unwrap();
    // the new PIN is not the backup's: refused, nothing moved or written
    let o = shiguang_as(
        &[
            "--db", p, "--lang", "en", "restore", "--from", from, "--yes",
        ],
        Some(("001", "5170")),
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("Wrong PIN"), "{}", err(&o));
    assert_eq!(files(db.dir.path()), before);
    assert_eq!(std::fs::read(&db.path).unwrap(), damaged);
    // the backup's PIN: restored, and the restored file says who did it
    let o = shiguang_as(
        &[
            "--db", p, "--lang", "en", "restore", "--from", from, "--yes",
        ],
        Some(("001", MASTER_PIN)),
    );
    assert!(o.status.success(), "{}", err(&o));
    let ok = audit(&db.path, "signin.ok");
    let last = ok.last().unwrap();
    assert_eq!(
        (last.0, last.1["command"].as_str()),
        (Some(1), Some("restore"))
    );
    let o = shiguang(&["--db", p, "verify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn restore_over_a_sound_database_checks_the_pin_there_and_counts_a_wrong_one() {
    let db = temp_db();
    let backup = station_with_a_backup(&db);
    let p = db.path.to_str().unwrap();
    let from = backup.to_str().unwrap();
    let o = shiguang_as(
        &[
            "--db", p, "--lang", "en", "restore", "--from", from, "--force", "--yes",
        ],
        Some(("001", "7777")),
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let failed = audit(&db.path, "signin.failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].1["command"], "restore");
    assert!(
        files(db.dir.path())
            .iter()
            .all(|f| !f.to_string_lossy().contains("damaged"))
    );
}

/// `seed` of three members on the file at `db`, in English.
fn seed(db: &str, records: &str, days: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "--db",
        db,
        "--lang",
        "en",
        "seed",
        "--members",
        "3",
        "--records",
        records,
        "--days",
        days,
    ];
    args.extend_from_slice(extra);
    shiguang(&args)
}

#[test]
fn seed_keeps_away_from_real_members_unless_told() {
    let db = temp_db();
    let master = init_station(&db.path);
    approved_member(
        &mut store(&db.path),
        &master,
        "张三丰",
        1,
        T0 - 200 * DAY_MS,
    );
    let p = db.path.to_str().unwrap();
    let o = seed(p, "3", "2", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("1 members registered by people"),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("--yes-synthetic"));
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 1);
    let o = seed(p, "3", "2", &["--yes-synthetic"]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 4);
    let ok = audit(&db.path, "signin.ok");
    assert_eq!(ok.last().unwrap().1["command"], "seed");
}

#[test]
fn seed_never_writes_into_a_closed_day() {
    let db = temp_db();
    let master = init_station(&db.path);
    let now = chrono::Utc::now().timestamp_millis();
    let tz = chrono_tz::Asia::Shanghai;
    let closed = shiguang::domain::time::local_day(now - 3 * DAY_MS, tz);
    let (_, end) = shiguang::domain::time::day_range(closed, tz);
    store(&db.path)
        .seed_closed_day(
            &master,
            closed,
            end - 10 * 3_600_000,
            false,
            end - 3_600_000,
            "",
        )
        .unwrap();
    let p = db.path.to_str().unwrap();
    let before = count(&db.path, "SELECT count(*) FROM audit_log");
    let o = seed(p, "6", "5", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let room = (now - end) / DAY_MS;
    assert!(
        err(&o).contains(&format!("{closed} is closed")),
        "{}",
        err(&o)
    );
    assert!(
        err(&o).contains(&format!("--days {room} or fewer")),
        "{}",
        err(&o)
    );
    // only the sign-in is in the log
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM audit_log"),
        before + 1
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 0);
    let o = seed(p, "6", &room.to_string(), &[]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 3);
    let written_in_closed_day = count(
        &db.path,
        &format!(
            "SELECT (SELECT count(*) FROM transfers WHERE at < {end})
                  + (SELECT count(*) FROM members WHERE submitted_at < {end})
                  + (SELECT count(*) FROM audit_log WHERE at < {end} AND action LIKE 'seed.members%')"
        ),
    );
    assert_eq!(written_in_closed_day, 0);
}

#[test]
fn a_pin_asked_at_a_terminal_is_not_echoed() {
    use std::io::{Read, Write};
    let db = temp_db();
    station_with_a_backup(&db);
    let backups = files(&db.dir.path().join("backups")).len();
    // `script` gives the command a terminal of its own (util-linux)
    let cmd = format!(
        "{} --db {} --lang en backup --staff 001",
        env!("CARGO_BIN_EXE_shiguang"),
        db.path.display()
    );
    let mut child = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("SHIGUANG_PIN")
        .env_remove("SHIGUANG_STAFF")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs the command at a terminal");
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !String::from_utf8_lossy(&seen).contains("PIN (not shown):") {
        assert!(
            std::time::Instant::now() < deadline,
            "no prompt: {:?}",
            String::from_utf8_lossy(&seen)
        );
        if let Ok(chunk) = rx.recv_timeout(std::time::Duration::from_millis(200)) {
            seen.extend(chunk);
        }
    }
    let mut input = child.stdin.take().unwrap();
    input
        .write_all(format!("{MASTER_PIN}\r").as_bytes())
        .unwrap();
    input.flush().unwrap();
    let status = child.wait().unwrap();
    while let Ok(chunk) = rx.recv_timeout(std::time::Duration::from_millis(500)) {
        seen.extend(chunk);
    }
    let shown = String::from_utf8_lossy(&seen);
    assert!(status.success(), "{shown}");
    assert!(shown.contains("Backed up to"), "{shown}");
    assert!(!shown.contains(MASTER_PIN), "the PIN was echoed: {shown}");
    assert!(files(&db.dir.path().join("backups")).len() >= backups);
    let ok = audit(&db.path, "signin.ok");
    assert_eq!(ok.last().unwrap().1["command"], "backup");
}

#[test]
fn a_story_line_with_an_id_number_is_refused_before_anything() {
    let db = temp_db();
    station_with_a_backup(&db);
    let p = db.path.to_str().unwrap();
    let story = format!("张三 {} 来过", id_number(5));
    let before = count(&db.path, "SELECT count(*) FROM audit_log");
    let o = shiguang(&["--db", p, "--lang", "en", "close-day", "--story", &story]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(
        err(&o).contains("--story: No ID number here"),
        "{}",
        err(&o)
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM audit_log"), before);
}

#[test]
fn sync_checks_the_pin_without_leaving_a_row_when_it_is_right() {
    let db = temp_db();
    station_with_a_backup(&db);
    let p = db.path.to_str().unwrap();
    let rows = count(&db.path, "SELECT count(*) FROM audit_log");
    // no headquarters configured: past the sign-in, the sync stops there
    let o = shiguang(&["--db", p, "--lang", "en", "sync"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(!err(&o).contains("Not signed in"), "{}", err(&o));
    assert_eq!(count(&db.path, "SELECT count(*) FROM audit_log"), rows);
    // a wrong PIN is refused, and counted as at the desk
    let o = shiguang_as(&["--db", p, "--lang", "en", "sync"], Some(("001", "7777")));
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("Wrong PIN. 4 more"), "{}", err(&o));
    let failed = audit(&db.path, "signin.failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].1["command"], "sync");
}

#[test]
fn a_day_closed_on_the_command_line_names_who_signed_in() {
    let db = temp_db();
    station_with_a_backup(&db);
    let now = chrono::Utc::now().timestamp_millis();
    // opened today by the liaison (through the store: a row put in by hand
    // would be one no audit row vouches for, and the close refuses it)
    let liaison = liaison_session();
    store(&db.path).open_day(&liaison, &[], now).unwrap();
    let p = db.path.to_str().unwrap();
    let o = shiguang_as(
        &[
            "--db",
            p,
            "--lang",
            "en",
            "close-day",
            "--staff",
            "002",
            "--story",
            "邻里互助",
            "--docs-locked",
        ],
        Some(("", "3917")),
    );
    assert!(o.status.success(), "{}", err(&o));
    let close = audit(&db.path, "day.close");
    assert_eq!(close.len(), 1);
    assert_eq!(close[0].0, Some(2));
    assert_eq!(close[0].1["via"], "command line");
    assert_eq!(count(&db.path, "SELECT closed_by FROM station_days"), 2);
    let ok = audit(&db.path, "signin.ok");
    assert_eq!(
        (ok.last().unwrap().0, &ok.last().unwrap().1["command"]),
        (Some(2), &serde_json::json!("close-day"))
    );
}
