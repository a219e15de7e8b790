//! The day's files (backups, bundles, the close on the command line), the stats by station time and the demo's closed days.

use super::*;

/// The binary in English, as the station master 001.
fn shiguang(args: &[&str]) -> std::process::Output {
    common::shiguang(&[&["--lang", "en"], args].concat())
}

fn counts(path: &Path) -> Vec<i64> {
    [
        "members",
        "service_records",
        "transfers",
        "requests",
        "disputes",
    ]
    .iter()
    .map(|t| count(path, &format!("SELECT count(*) FROM {t}")))
    .collect()
}

#[test]
fn the_backup_restores_to_a_file_that_verifies_with_the_same_rows() {
    let mut w = world();
    build_day(&mut w);
    let closed =
        w.s.close_day(Some(&w.master), day("2026-11-23"), "", true, CLOSE_AT)
            .unwrap();
    let backup = closed.backup.unwrap();
    assert!(backup.starts_with(w.db.dir.path().join("backups")));
    // restoring is copying the file (and its key) back
    let elsewhere = tempfile::tempdir().unwrap();
    let restored = elsewhere.path().join("restored.db");
    std::fs::copy(&backup, &restored).unwrap();
    let key = |p: &Path| p.with_extension("db.key");
    std::fs::copy(key(&backup), key(&restored)).unwrap();
    let out = shiguang(&["--db", restored.to_str().unwrap(), "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(counts(&restored), counts(&w.db.path));
}

#[test]
fn only_the_newest_backups_are_kept() {
    let mut w = world();
    w.s.set_setting(&w.master, "backup_keep", serde_json::json!(2), T0)
        .unwrap();
    for n in 0..4 {
        w.s.backup_now(&format!("t{n}")).unwrap();
        // modification times order the backups
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let names: Vec<String> = shiguang::store::backup::list(&w.db.dir.path().join("backups"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["shiguang-t2.db", "shiguang-t3.db"]);
}

/// A bundle whose text was changed and whose end line was written again to
/// match — what a careless or dishonest edit would produce.
fn rewrite_end(text: &str) -> String {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with(r#"{"t":"end""#))
        .map(|l| format!("{l}\n"))
        .collect();
    let n = body.lines().count();
    let hash = blake3::hash(body.as_bytes()).to_hex().to_string();
    format!("{body}{{\"t\":\"end\",\"r\":{{\"lines\":{n},\"hash\":\"{hash}\"}}}}\n")
}

#[test]
fn a_bundle_checks_out_and_one_changed_amount_fails_it() {
    let mut w = world();
    build_day(&mut w);
    let closed =
        w.s.close_day(Some(&w.master), day("2026-11-23"), "", true, CLOSE_AT)
            .unwrap();
    let bundle = closed.bundle.unwrap();
    let db = w.db.path.to_str().unwrap();
    let out = shiguang(&["--db", db, "check-bundle", bundle.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 services"));

    // export-day writes the same bundle again
    let again = w.db.dir.path().join("again.jsonl");
    let out = shiguang(&[
        "--db",
        w.db.path.to_str().unwrap(),
        "export-day",
        "--date",
        "2026-11-23",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b1 = shiguang::bundle::Bundle::parse(&std::fs::read_to_string(&bundle).unwrap()).unwrap();
    let b2 = shiguang::bundle::Bundle::parse(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(
        (
            b1.records.len(),
            b1.transfers.len(),
            &b1.summary.as_ref().unwrap().figures
        ),
        (
            b2.records.len(),
            b2.transfers.len(),
            &b2.summary.as_ref().unwrap().figures
        )
    );
    assert!(
        shiguang(&["--db", db, "check-bundle", again.to_str().unwrap()])
            .status
            .success()
    );

    let text = std::fs::read_to_string(&bundle).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains(r#""t":"transfer""#) && l.contains(r#""amount":30"#))
        .unwrap();
    let changed = text.replace(line, &line.replace(r#""amount":30"#, r#""amount":31"#));
    let bad = w.db.dir.path().join("bad.jsonl");
    // changed and left as it was: the end line no longer matches
    std::fs::write(&bad, &changed).unwrap();
    let out = shiguang(&["check-bundle", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be read"));
    // changed with a new end line: the chain and the figures give it away
    std::fs::write(&bad, rewrite_end(&changed)).unwrap();
    let out = shiguang(&["check-bundle", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("hash does not match its contents"), "{said}");
    assert!(said.contains("figures differ"), "{said}");
    // and a transfer taken out breaks the run
    let removed: String = text
        .lines()
        .filter(|l| *l != line)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&bad, rewrite_end(&removed)).unwrap();
    let out = shiguang(&["check-bundle", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("missing from the run"));
}

#[test]
fn close_day_on_the_command_line() {
    let mut w = world();
    build_day(&mut w);
    drop(w.s);
    let db = w.db.path.to_str().unwrap();
    let out = shiguang(&["--db", db, "close-day", "--date", "2999-01-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("future"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = shiguang(&["--db", db, "close-day", "--date", "2026-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
    // a day that was never opened
    let out = shiguang(&["--db", db, "close-day", "--date", "2026-11-20"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not open"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // export-day of a day not closed is refused
    let out = shiguang(&[
        "--db",
        db,
        "export-day",
        "--date",
        "2026-11-23",
        "--out",
        "/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(1));

    let out = shiguang(&[
        "--db",
        db,
        "close-day",
        "--date",
        "2026-11-23",
        "--story",
        "命令行闭站",
        "--docs-locked",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 services"));
    let out = shiguang(&["--db", db, "close-day", "--date", "2026-11-23"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("closed already"));
    let by: Option<i64> = store(&w.db.path)
        .conn()
        .query_row("SELECT closed_by FROM station_days", [], |r| r.get(0))
        .unwrap();
    assert_eq!(by, Some(1), "who signed in on the command line (cli_staff)");
    let out = shiguang(&["--db", db, "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_stats_count_by_station_time_with_medians_and_shares() {
    let mut w = world();
    build_day(&mut w);
    let s = w.s.stats(D0 + 23 * HOUR_MS + 50 * MINUTE_MS).unwrap();
    assert_eq!(
        (s.today.services, s.today.minutes, s.today.points),
        (3, 195, 65)
    );
    assert_eq!(s.today.requests, 3);
    // answered after 30 and 10 minutes: the lower middle is 10
    assert_eq!(s.today.median_respond_min, Some(10));
    // the urgent one had 5 minutes
    assert_eq!(s.today.responded_in_time, 1);
    assert_eq!(s.today.median_match_min, None);
    assert_eq!(s.today.disputes, 1);
    // the service that ended at 23:58 the day before is this month's, not today's
    assert_eq!(s.month.services, 4);
    assert_eq!(
        s.week.services, 3,
        "2026-11-23 is a Monday; the 22nd was last week"
    );
    let last = s.hours_30d.last().unwrap();
    assert_eq!(last, &(day("2026-11-23"), 195));
    assert_eq!(s.hours_30d[28], (day("2026-11-22"), 60));
    assert_eq!((s.target_hours, s.bonus), (300, 0));
    assert_eq!(*s.requests_30d.last().unwrap(), 3);
}

#[test]
fn the_demo_has_sixty_closed_days_whose_bundles_check_out() {
    let db = temp_db();
    let mut h = shiguang::harness::Harness::demo(&db.path, T0, shiguang::i18n::Lang::Zh);
    h.assert_shows("开站 08:32");
    h.press("7");
    h.assert_shows("近 30 天服务小时");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM station_days WHERE closed_at IS NOT NULL"
        ),
        60
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 60);
    let s = store(&db.path);
    for d in ["2026-09-24", "2026-10-15", "2026-11-22"] {
        let out = db.dir.path().join(format!("{d}.jsonl"));
        s.export_day(day(d), &out).unwrap();
        let b = shiguang::bundle::Bundle::parse(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(b.check(), Vec::<String>::new(), "{d}");
        assert_eq!(
            b.summary.unwrap().figures,
            s.day_figures(day(d)).unwrap(),
            "{d}"
        );
    }
    // and the day before the history was never opened
    let e = s
        .export_day(day("2026-09-23"), &db.dir.path().join("x.jsonl"))
        .unwrap_err();
    assert_eq!(key(e), "day.not_closed");
}
