//! Headquarters against a real PostgreSQL server: days. Seven days offline
//! then one sync, the month report equal to every summary (and finding one
//! that is not), bundles carried by hand, the sync at the close (command
//! line and F10). See `tests/hq.rs` for the server the tests need.

mod common;
mod hq_common;
use common::*;
use hq_common::*;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::hq::sync::SyncOptions;
use shiguang::i18n::Lang;
use shiguang::store::{OpenMode, Store};
use std::path::Path;

#[test]
fn seven_days_offline_then_one_sync_and_the_month_report_agrees_exactly() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 10 * DAY_MS);
    // headquarters' address is a file; for seven days it leads nowhere
    let file = st.db.dir.path().join("hq.url");
    std::fs::write(
        &file,
        "postgresql://station@127.0.0.1:1/hq?connect_timeout=2\n",
    )
    .unwrap();
    st.s.set_setting(
        &st.master,
        "hq_url_file",
        serde_json::json!(file.to_str().unwrap()),
        D0 - 10 * DAY_MS,
    )
    .unwrap();
    for d in 0..7 {
        let d0 = D0 - (9 - d) * DAY_MS;
        if d == 3 {
            // a deadline changed mid-week: the summaries after it use it
            st.s.set_setting(
                &st.master,
                "urgent_respond_minutes",
                serde_json::json!(45),
                d0 + HOUR_MS,
            )
            .unwrap();
        }
        st.day(&format!("d{d}"), d0, true);
        let later = shiguang::hq::sync::after_close(&st.s).expect("the station has an address");
        let e = later.unwrap_err();
        assert!(e.is_transient(), "{e:?}");
    }
    assert_eq!(st.count("SELECT count(*) FROM day_summaries"), 7);
    assert_eq!(hq.count("SELECT count(*) FROM transfers"), 0);
    // the network is back: one sync sends the week
    hq.url_file(st.db.dir.path());
    let o = shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &[]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("7 day summaries"), "{}", out(&o));
    assert_same(&hq, &st);
    // the summaries before the change count the urgent request late, after it in time
    let figures: Vec<u32> = st
        .s
        .conn()
        .prepare(
            "SELECT json_extract(figures, '$.responded_in_time') FROM day_summaries ORDER BY day",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(figures, vec![1, 1, 1, 2, 2, 2, 2]);
    // headquarters' recomputation equals every summary
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang_with(
        &["hq", "report", "--month", "2026-11", "--lang", "en"],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert_eq!(
        text.matches(": equal to headquarters' recomputation")
            .count(),
        7,
        "{text}"
    );
    assert!(
        text.contains("7 day summaries: 7 equal, 0 differ"),
        "{text}"
    );
    assert!(text.contains("14 services"), "{text}");
    assert!(
        text.contains("KPI disputes: 7 of 7 contacted within 24 h; 0 late"),
        "{text}"
    );
    let o = shiguang_with(&["hq", "report", "--month", "2026-11", "--json"], &env);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["differing_days"], 0);
    assert_eq!(v["stations"][0]["figures"]["services"], 14);
    // the seven days, and the day the station was set up (no summary)
    let days = v["stations"][0]["days"].as_array().unwrap();
    assert_eq!(days.iter().filter(|d| !d["version"].is_null()).count(), 7);
    assert!(text.contains("2026-11-13: no day summary here"), "{text}");
}

#[test]
fn the_month_report_finds_a_summary_that_does_not_match_its_rows() {
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 5 * DAY_MS);
    st.day("a", D0 - 4 * DAY_MS, true);
    st.day("b", D0 - 3 * DAY_MS, true);
    // the second day's summary edited by hand before it was sent
    st.tamper(
        "DROP TRIGGER day_summaries_no_update;
         UPDATE day_summaries SET figures = json_set(figures, '$.services', 3) WHERE day = '2026-11-20';",
    );
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang_with(
        &["hq", "report", "--month", "2026-11", "--lang", "en"],
        &env,
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("2026-11-19 v1: equal"), "{text}");
    assert!(text.contains("2026-11-20 v1: DIFFERS"), "{text}");
    assert!(text.contains("1 day summaries differ"), "{text}");
}

#[test]
fn a_bundle_ingested_twice_is_a_no_op() {
    let Some(hq) = hq() else { return };
    // a station whose whole history is in its bundles: made on its first day
    let d1 = D0 - 2 * DAY_MS;
    let mut st = station("01", d1 + 8 * HOUR_MS);
    st.day("one", d1, true);
    st.day("two", d1 + DAY_MS, true);
    let bundles = st.db.dir.path().join("bundles");
    let day1 = bundles.join("JS01-2026-11-21.jsonl");
    let day2 = bundles.join("JS01-2026-11-22.jsonl");
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let ingest =
        |f: &Path| shiguang_with(&["hq", "ingest", f.to_str().unwrap(), "--lang", "en"], &env);

    // the second day first: a gap, refused
    let o = ingest(&day2);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("(a gap)"), "{}", out(&o));
    assert_eq!(hq.count("SELECT count(*) FROM audit"), 0);

    let o = ingest(&day1);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("JS01 2026-11-21 ingested"), "{}", out(&o));
    let rows = hq.count("SELECT count(*) FROM audit") + hq.count("SELECT count(*) FROM transfers");
    let o = ingest(&day1);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("was in already"), "{}", out(&o));
    assert_eq!(
        hq.count("SELECT count(*) FROM audit") + hq.count("SELECT count(*) FROM transfers"),
        rows
    );
    let o = ingest(&day2);
    assert!(o.status.success(), "{}", out(&o));
    // a sync afterwards continues from the bundles and conflicts with nothing
    let r = sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    assert_eq!(r.new.summaries, 0);
    assert_same(&hq, &st);
    // and the bundles again: nothing new
    let o = shiguang_with(
        &[
            "hq",
            "ingest",
            day1.to_str().unwrap(),
            day2.to_str().unwrap(),
            "--lang",
            "en",
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(out(&o).matches("was in already").count(), 2, "{}", out(&o));

    // a bundle changed on the way: refused by its own check
    let text = std::fs::read_to_string(&day1).unwrap();
    let bad = st.db.dir.path().join("bad.jsonl");
    std::fs::write(&bad, text.replacen("\"minutes\":60", "\"minutes\":600", 1)).unwrap();
    let o = ingest(&bad);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("fails its check"), "{}", out(&o));
    assert_same(&hq, &st);
}

#[test]
fn close_day_sends_the_day_and_an_unreachable_headquarters_is_later() {
    let Some(hq) = hq() else { return };
    // today in real time: close-day closes today
    let now = chrono::Utc::now().timestamp_millis();
    let tz = chrono_tz::Asia::Shanghai;
    let today = shiguang::domain::time::local_day(now, tz);
    let start = shiguang::domain::time::day_start(today, tz);
    let st = station("01", start);
    let file = hq.url_file(st.db.dir.path());
    let mut s = Store::open(&st.db.path, OpenMode::Desk, now).unwrap();
    s.set_setting(
        &st.master,
        "hq_url_file",
        serde_json::json!(file.to_str().unwrap()),
        now,
    )
    .unwrap();
    s.open_day(&st.master, &ticked_checklist(&s), now).unwrap();
    drop(s);
    let o = shiguang_with(
        &[
            "close-day",
            "--db",
            st.path(),
            "--docs-locked",
            "--lang",
            "en",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("Sent to headquarters"), "{}", out(&o));
    assert_eq!(hq.count("SELECT count(*) FROM day_summaries"), 1);

    // another station, headquarters out of reach: the close still succeeds
    let other = station("02", start);
    let file = other.db.dir.path().join("hq.url");
    std::fs::write(
        &file,
        "postgresql://station@127.0.0.1:1/hq?connect_timeout=2\n",
    )
    .unwrap();
    let mut s = Store::open(&other.db.path, OpenMode::Desk, now).unwrap();
    s.set_setting(
        &other.master,
        "hq_url_file",
        serde_json::json!(file.to_str().unwrap()),
        now,
    )
    .unwrap();
    s.open_day(&other.master, &ticked_checklist(&s), now)
        .unwrap();
    drop(s);
    let o = shiguang_with(&["close-day", "--db", other.path(), "--docs-locked"], &[]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("稍后再同步"), "{}", out(&o));
    assert_eq!(other.count("SELECT count(*) FROM day_summaries"), 1);
}

/// Open the day at 10:00, close it at 18:00 with F10.
fn f10(h: &mut Harness) {
    h.press("f2");
    fill_checklist(h);
    h.press("ctrl-s");
    h.press("esc");
    h.advance(8 * HOUR_MS);
    h.type_str(MASTER_PIN);
    h.press("enter");
    h.press("f10");
    h.type_str("邻里互助");
    h.press("ctrl-s");
    h.press("space");
    h.press("ctrl-s");
}

/// The station's "Headquarters connection file" setting.
fn set_hq_file(db: &TestDb, master: &shiguang::domain::staff::Session, file: &Path) {
    store(&db.path)
        .set_setting(
            master,
            "hq_url_file",
            serde_json::json!(file.to_str().unwrap()),
            T0,
        )
        .unwrap();
}

#[test]
fn f10_at_the_desk_sends_the_day_or_says_it_will_later() {
    let Some(hq) = hq() else { return };
    let db = temp_db();
    let master = init_station(&db.path);
    let file = hq.url_file(db.dir.path());
    set_hq_file(&db, &master, &file);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    f10(&mut h);
    h.assert_shows("已发送总部");
    assert_eq!(hq.count("SELECT count(*) FROM day_summaries"), 1);

    let db = temp_db();
    let master = init_station(&db.path);
    let file = db.dir.path().join("hq.url");
    std::fs::write(
        &file,
        "postgresql://station@127.0.0.1:1/hq?connect_timeout=2\n",
    )
    .unwrap();
    set_hq_file(&db, &master, &file);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master);
    f10(&mut h);
    h.assert_shows("will sync with headquarters later");
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 1);
}
