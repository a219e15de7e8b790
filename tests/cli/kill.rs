//! A real process posting records is killed with SIGKILL at random moments,
//! again and again; after each kill the file is whole, `verify` accepts it,
//! every record the process reported as committed is there, and no record
//! is half-written (verify checks each has its transfer and audit row).

// Unix only: the kill is SIGKILL and the child a process group of its own;
// Windows' TerminateProcess is as abrupt, but the test's process handling is
// unix's. SQLite's crash safety does not depend on how the process ends.
#![cfg(unix)]

use crate::common;
use common::*;
use rand::{Rng, SeedableRng};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn killed_at_random_fifty_times_nothing_committed_is_lost() {
    let db = temp_db();
    let p = db.path.to_str().unwrap().to_string();
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261123);
    let mut committed: Vec<String> = Vec::new();
    let started = Instant::now();
    let mut kills = 0;
    while kills < 50 && started.elapsed() < Duration::from_secs(240) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_shiguang"))
            .args([
                "stress-post",
                "--db",
                &p,
                "--seed",
                &rng.random::<u32>().to_string(),
            ])
            // the station stress-post makes on its first run, signed in
            // as its master on every later one
            .env("SHIGUANG_STAFF", "001")
            .env("SHIGUANG_PIN", shiguang::seed::SYNTHETIC_MASTER_PIN)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // let it commit a random number of records, then kill it mid-stream
        let want = rng.random_range(0..12);
        for _ in 0..want {
            match lines.next() {
                Some(Ok(uid)) => committed.push(uid),
                _ => break,
            }
        }
        std::thread::sleep(Duration::from_micros(rng.random_range(0..3_000)));
        child.kill().unwrap();
        child.wait().unwrap();
        // ids printed before the kill landed are committed too
        for uid in lines.map_while(Result::ok) {
            committed.push(uid);
        }
        kills += 1;

        let c = rusqlite::Connection::open(&db.path).unwrap();
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok", "after kill {kills}");
        drop(c);
        let o = Command::new(env!("CARGO_BIN_EXE_shiguang"))
            .args(["verify", "--db", &p, "--lang", "en"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "verify after kill {kills}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
    assert!(kills >= 50, "only {kills} kills in the time allowed");
    let s = store(&db.path);
    for uid in &committed {
        let n: i64 = s
            .conn()
            .query_row(
                "SELECT count(*) FROM service_records WHERE uid = ?1",
                [uid],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "record {uid} was reported committed but is missing");
    }
    assert!(!committed.is_empty());
}
