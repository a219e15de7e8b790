//! No hangs, no silent changes: a read-only database is said to be one (and
//! a backup of it gives up instead of spinning), another program's SQLite
//! file is not touched, a closed pipe ends a command quietly, and a full
//! disk is called a full disk — each by running the built binary.

// Unix only: read-only files are made with chmod, the full disk is a tmpfs
// in a mount namespace, the closed pipe is a unix pipe. On Windows the same
// errors are told apart by src/platform.rs (error numbers, free space),
// whose logic is tested on every platform.
#![cfg(unix)]

use crate::common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shiguang"));
    c.env_remove("SHIGUANG_DB").env_remove("SHIGUANG_LANG");
    c.env("SHIGUANG_STAFF", "001")
        .env("SHIGUANG_PIN", common::MASTER_PIN);
    c
}

/// Run with a deadline: a command that spins is killed and reported.
fn run_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("still running after {limit:?}: it spins");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Files made read-only for as long as this lives. Root ignores file
/// modes, so as root (how these tests run here) the files are made
/// immutable with `chattr +i`, which binds root too; anyone else gets
/// mode 0444, which binds them.
struct ReadOnly(Vec<PathBuf>);

impl ReadOnly {
    fn make(files: &[PathBuf]) -> ReadOnly {
        for f in files {
            let ok = if is_root() {
                Command::new("chattr").arg("+i").arg(f).status()
            } else {
                Command::new("chmod").arg("0444").arg(f).status()
            };
            assert!(
                ok.is_ok_and(|s| s.success()),
                "cannot make {} read-only (chattr needs a file system with attributes, e.g. ext4)",
                f.display()
            );
        }
        ReadOnly(files.to_vec())
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        for f in &self.0 {
            let _ = Command::new("chattr").arg("-i").arg(f).status();
            let _ = Command::new("chmod").arg("0644").arg(f).status();
        }
    }
}

fn with_suffix(p: &Path, s: &str) -> PathBuf {
    PathBuf::from(format!("{}{s}", p.display()))
}

/// A station left by a program killed while writing (its `-wal` full of
/// frames, its `-shm` indexing them), whose `-wal` was then emptied: the
/// index names frames that are nowhere. Read-only, SQLite cannot repair the
/// index, and a backup step never finishes — the old backup spun on it at
/// full speed for ever.
fn station_left_by_a_killed_program(db: &TestDb) {
    use std::io::BufRead;
    let mut child = bin()
        .args(["stress-post", "--db", db.path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    for _ in 0..200 {
        lines.next().unwrap().unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(with_suffix(&db.path, "-shm").exists());
    std::fs::File::create(with_suffix(&db.path, "-wal")).unwrap();
}

#[test]
fn a_read_only_database_is_backed_up_or_said_to_be_read_only_and_nothing_spins() {
    let db = temp_db();
    station_left_by_a_killed_program(&db);
    let p = db.path.to_str().unwrap();
    let backups = db.dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let _ro = ReadOnly::make(&[
        db.path.clone(),
        with_suffix(&db.path, "-wal"),
        with_suffix(&db.path, "-shm"),
    ]);
    // a backup only reads: it is made, in one read of the file
    let mut c = bin();
    c.args(["backup", "--db", p, "--lang", "en"]);
    let o = run_within(c, Duration::from_secs(60));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // the backup and its key, and no half copy or journal beside them
    let mut left: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    left.sort();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left[0].ends_with(".db") && left[1].ends_with(".db.key"),
        "{left:?}"
    );
    let copy = backups.join(&left[0]);
    let verified = bin()
        .args(["verify", "--db", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(verified.status.success(), "{}", stderr(&verified));
    // commands that write say at once that the file is read-only, and
    // what to do, in both languages
    for (lang, words) in [("en", "read-only"), ("zh", "只读")] {
        for cmd in ["close-day", "seed"] {
            let mut c = bin();
            c.args([cmd, "--db", p, "--lang", lang]);
            if cmd == "seed" {
                c.args(["--members", "1", "--days", "1", "--seed", "1"]);
            }
            let o = run_within(c, Duration::from_secs(30));
            assert_eq!(o.status.code(), Some(1), "{cmd}: {}", stderr(&o));
            assert!(stderr(&o).contains(words), "{cmd}: {}", stderr(&o));
            assert!(stderr(&o).contains("station.db"), "{cmd}: {}", stderr(&o));
        }
    }
}

/// Another program's SQLite file in the old rollback journal.
fn foreign_file(path: &Path) -> Vec<u8> {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(
        "CREATE TABLE recipes (name TEXT, minutes INTEGER);
         INSERT INTO recipes VALUES ('红烧肉', 90), ('番茄炒蛋', 10);",
    )
    .unwrap();
    drop(c);
    std::fs::read(path).unwrap()
}

#[test]
fn another_programs_sqlite_file_is_refused_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recipes.db");
    let bytes = foreign_file(&path);
    let p = path.to_str().unwrap();
    let out = dir.path().join("x.out");
    let out = out.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec![], // the desk
        vec!["close-day"],
        vec!["backup"],
        vec!["seed", "--members", "1", "--days", "1", "--seed", "1"],
        vec![
            "init",
            "--street",
            "JS",
            "--community",
            "01",
            "--kind",
            "main",
        ],
        vec!["export-ledger", "--out", out],
        vec!["verify"],
    ];
    for args in commands {
        let mut c = bin();
        c.args(&args).args(["--db", p, "--lang", "en"]);
        if args.first() == Some(&"init") {
            c.args(["--name", "x", "--master", "王秀英", "--pin", "4821"]);
        }
        let o = run_within(c, Duration::from_secs(60));
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(
            stderr(&o).contains("another program's SQLite database"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{args:?} changed the file"
        );
    }
    // not switched to WAL, nothing made beside it
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["recipes.db"], "{names:?}");
}

#[test]
fn our_file_without_its_application_id_is_recognised_by_its_schema() {
    let db = temp_db();
    init_station(&db.path);
    let c = rusqlite::Connection::open(&db.path).unwrap();
    c.pragma_update(None, "application_id", 0).unwrap();
    drop(c);
    let s = store(&db.path);
    let id: i32 = s
        .conn()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, shiguang::store::APPLICATION_ID);
    assert!(s.station().is_some());
}

/// A pipe whose reading end is closed before the command writes a byte.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    let db = temp_db();
    init_station(&db.path);
    let p = db.path.to_str().unwrap();
    for args in [
        vec!["verify", "--db", p],
        vec!["keys"],
        vec!["export-ledger", "--db", p, "--out", "-"],
        vec!["--help"],
    ] {
        let o = bin()
            .args(&args)
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(o.status.code(), Some(101), "{args:?}: {err}");
        if args[0] != "--help" {
            // as a shell reports a program stopped by SIGPIPE, and silent
            assert_eq!(o.status.code(), Some(141), "{args:?}: {err}");
            assert!(err.is_empty(), "{args:?}: {err}");
        }
    }
}

/// A shell script run with `dir` on a 2 MB disk of its own (a tmpfs in a
/// mount namespace of the script's own, gone when it ends): a real full
/// disk, as SQLite meets it.
fn on_a_small_disk(dir: &Path, script: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_shiguang");
    let full = format!(
        "set -u; mount -t tmpfs -o size=2m tmpfs '{d}' || exit 99; cd '{d}'; SG='{bin}'; {script}",
        d = dir.display()
    );
    let o = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &full])
        .env_remove("SHIGUANG_DB")
        .env_remove("SHIGUANG_LANG")
        .env("SHIGUANG_STAFF", "001")
        .env("SHIGUANG_PIN", common::MASTER_PIN)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_ne!(
        o.status.code(),
        Some(99),
        "no tmpfs could be mounted: {}",
        stderr(&o)
    );
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o))
}

#[test]
fn a_full_disk_is_called_a_full_disk_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
        $SG init --db st.db --street JS --community 01 --kind main --name 金山 --master 王秀英 --pin 4821 >/dev/null || exit 98
        $SG seed --db st.db --members 5 --days 2 --seed 1 >/dev/null || exit 98
        dd if=/dev/zero of=filler bs=4k 2>/dev/null
        for lang in en zh; do
          for cmd in "close-day" "backup" "seed --members 2 --days 1 --seed 2" "export-ledger --out j.ledger" "verify" "init --street JS --community 02 --kind main --name x --master y --pin 4821"; do
            echo "== $lang $cmd"
            $SG $cmd --db st.db --lang $lang 2>&1
            echo "rc=$?"
          done
          echo "== $lang desk"
          $SG --db st.db --lang $lang 2>&1 </dev/null
          echo "rc=$?"
        done
    "#;
    let out = on_a_small_disk(dir.path(), script);
    let runs: Vec<&str> = out.split("== ").skip(1).collect();
    assert_eq!(runs.len(), 14, "{out}");
    for run in runs {
        let lang_en = run.starts_with("en");
        let words = if lang_en { "disk" } else { "磁盘" };
        let full = if lang_en { "full" } else { "已满" };
        assert!(run.contains(words) && run.contains(full), "{run}");
        assert!(
            run.contains("Free some space") || run.contains("腾出空间"),
            "what to do: {run}"
        );
        assert!(!run.contains("disk I/O error"), "{run}");
        assert!(run.contains("rc=1"), "{run}");
    }
}
