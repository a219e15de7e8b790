//! `shiguang bench` runs in CI size and names every operation (the timings
//! themselves are for docs/performance.md and a person's eyes, not for a test).

use crate::common::{MASTER_PIN, init_args, shiguang};
use std::process::Command;

#[test]
fn the_benchmark_runs_small_and_names_every_operation() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bench.db");
    let out = Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "bench",
            "--members",
            "2000",
            "--transfers",
            "20000",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["members"], 2000);
    assert!(v["transfers"].as_i64().unwrap() >= 20_000);
    assert!(v["peak_rss_kb"].as_i64().is_some());
    let names: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for want in [
        "first_frame",
        "search_keystroke",
        "search_index_build",
        "rank_helpers",
        "post_record",
        "member_statement",
        "queue_refresh",
        "close_day_figures",
        "month_stats",
        "verify",
        "render_queue",
        "render_match",
        "render_record",
        "render_ledger",
        "render_disputes",
        "render_members",
        "render_stats",
        "render_merchants",
        "render_settings",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    for r in v["results"].as_array().unwrap() {
        assert!(r["runs"].as_u64().unwrap() >= 1);
        assert!(r["median_ms"].as_f64().unwrap() >= 0.0, "{r}");
    }
    // a second run finds the database built
    let again = Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "bench",
            "--members",
            "2000",
            "--transfers",
            "20000",
        ])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(!String::from_utf8_lossy(&again.stderr).contains("building"));
    // bad sizes are refused
    let bad = Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args(["--db", db.to_str().unwrap(), "bench", "--members", "5"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_benchmark_never_rebuilds_over_a_stations_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("station.db");
    let init = shiguang(&init_args(db.to_str().unwrap(), "JS", "01", MASTER_PIN));
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let before = std::fs::read(&db).unwrap();
    let key = std::fs::read(dir.path().join("station.db.key")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args(["--db", db.to_str().unwrap(), "--lang", "en", "bench"])
        .args(["--members", "100", "--transfers", "1000"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not one bench built"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(
        std::fs::read(dir.path().join("station.db.key")).unwrap(),
        key
    );
}
