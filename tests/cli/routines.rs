//! `shiguang close-day` goes by the desk's close rule (F10): the day's story,
//! the paper documents locked away (`--docs-locked`), an earlier day left
//! open closed first. Each refusal is exit 2 with a line in the language
//! asked for, and nothing is closed, backed up or bundled. The monthly
//! settlement is a station master's, wherever it is asked from.

use crate::common;
use common::*;
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, local_day};
use shiguang::harness::T0;
use shiguang::i18n::{Lang, Tr};
use std::path::Path;
use std::process::Output;

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// What a close would have written: the close's audit rows, the days
/// closed, and the files of backups and bundles.
fn closes_written(db: &TestDb) -> (i64, i64, usize) {
    let closes = count(
        &db.path,
        "SELECT count(*) FROM audit_log WHERE action = 'day.close'",
    );
    let closed = count(
        &db.path,
        "SELECT count(*) FROM station_days WHERE closed_at IS NOT NULL",
    );
    let files = ["backups", "bundles"]
        .iter()
        .map(|d| {
            std::fs::read_dir(db.dir.path().join(d))
                .map(|r| r.count())
                .unwrap_or(0)
        })
        .sum();
    (closes, closed, files)
}

/// Every audit row but the sign-ins (a command signs in before it is
/// refused, as at the desk).
fn rows_but_sign_ins(path: &Path) -> i64 {
    count(
        path,
        "SELECT count(*) FROM audit_log WHERE action NOT LIKE 'signin.%'",
    )
}

fn close_day(db: &TestDb, lang: &str, more: &[&str]) -> Output {
    let mut args = vec![
        "--db",
        db.path.to_str().unwrap(),
        "--lang",
        lang,
        "close-day",
    ];
    args.extend_from_slice(more);
    shiguang(&args)
}

fn open_day_at(db: &TestDb, master: &Session, at: i64) {
    let mut s = store(&db.path);
    let checks = ticked_checklist(&s);
    s.open_day(master, &checks, at).unwrap();
}

#[test]
fn close_day_needs_the_story_and_the_documents_locked_and_closes_nothing_without() {
    let db = temp_db();
    let master = init_station(&db.path);
    open_day_at(&db, &master, now());
    let rows = rows_but_sign_ins(&db.path);
    for (lang, tr) in [("zh", Tr::new(Lang::Zh)), ("en", Tr::new(Lang::En))] {
        for (more, key, flag) in [
            (vec!["--docs-locked"], "cli.close_story", "--story"),
            (
                vec!["--story", "  ", "--docs-locked"],
                "cli.close_story",
                "--story",
            ),
            (
                vec!["--story", "邻里互助"],
                "cli.close_docs",
                "--docs-locked",
            ),
        ] {
            let o = close_day(&db, lang, &more);
            assert_eq!(o.status.code(), Some(2), "{lang} {more:?}: {}", err(&o));
            assert_eq!(err(&o).lines().count(), 1, "{}", err(&o));
            assert!(err(&o).contains(tr.t(key)), "{lang} {more:?}: {}", err(&o));
            assert!(err(&o).contains(flag), "{}", err(&o));
            assert_eq!(closes_written(&db), (0, 0, 0), "{lang} {more:?}");
            assert_eq!(rows_but_sign_ins(&db.path), rows, "{lang} {more:?}");
        }
    }
    // with both, the day closes as before
    let o = close_day(&db, "en", &["--story", "邻里互助", "--docs-locked"]);
    assert!(o.status.success(), "{}", err(&o));
    let (closes, closed, files) = closes_written(&db);
    assert_eq!((closes, closed), (1, 1));
    assert!(files >= 2, "a backup and a bundle");
    // and a closed day needs nothing more: its summary again
    let o = close_day(&db, "en", &[]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("closed already"));
    assert_eq!(closes_written(&db).0, 1);
}

#[test]
fn close_day_closes_an_earlier_day_left_open_first() {
    let db = temp_db();
    let master = init_station(&db.path);
    let yesterday_at = now() - DAY_MS;
    open_day_at(&db, &master, yesterday_at);
    let tz = chrono_tz::Asia::Shanghai;
    let yesterday = local_day(yesterday_at, tz).to_string();
    let rows = rows_but_sign_ins(&db.path);
    for (lang, tr) in [("zh", Tr::new(Lang::Zh)), ("en", Tr::new(Lang::En))] {
        // today was never opened: the day left open comes first
        let o = close_day(&db, lang, &["--story", "邻里互助", "--docs-locked"]);
        assert_eq!(o.status.code(), Some(2), "{lang}: {}", err(&o));
        let said = tr.f("cli.close_earlier", &[("day", &yesterday)]);
        assert!(err(&o).contains(&said), "{lang}: {}", err(&o));
        assert_eq!(closes_written(&db), (0, 0, 0), "{lang}");
        assert_eq!(rows_but_sign_ins(&db.path), rows, "{lang}");
    }
    let o = close_day(
        &db,
        "en",
        &["--date", &yesterday, "--story", "邻里互助", "--docs-locked"],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(closes_written(&db).0, 1);
    // then today is simply not open, as before
    let o = close_day(&db, "en", &["--story", "邻里互助", "--docs-locked"]);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    assert!(err(&o).contains("not open"), "{}", err(&o));
}

#[test]
fn the_settlement_is_a_station_masters_and_a_liaison_writes_nothing() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let liaison = add_liaison(&mut s, &master);
    let rows = count(&db.path, "SELECT count(*) FROM audit_log");
    for lang in [Lang::Zh, Lang::En] {
        let e = shiguang::routines::settlement::settle_month(&mut s, &liaison, T0, &Tr::new(lang))
            .unwrap_err();
        assert_eq!(
            Tr::new(lang).msg(&e.msg()),
            Tr::new(lang).t("staff.master_only")
        );
    }
    assert_eq!(count(&db.path, "SELECT count(*) FROM settlement_runs"), 0);
    assert_eq!(count(&db.path, "SELECT count(*) FROM audit_log"), rows);
    let done =
        shiguang::routines::settlement::settle_month(&mut s, &master, T0, &Tr::new(Lang::En))
            .unwrap();
    assert!(!done.already);
    assert_eq!(count(&db.path, "SELECT count(*) FROM settlement_runs"), 1);
}
