//! Headquarters against a real PostgreSQL server: days. Seven days offline
//! then one sync, the month report equal to every summary (and finding one
//! that is not), bundles carried by hand, the sync at the close (command
//! line and F10). See `tests/hq/hq.rs` for the server the tests need.

use crate::common;
use crate::common::hq as hq_common;
use common::*;
use hq_common::*;
use shiguang::bundle::Bundle;
use shiguang::domain::signing::StationSigner;
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
    let register = |f: &Path| {
        let f = f.to_str().unwrap();
        shiguang_with(&["hq", "ingest", "--register", f, "--lang", "en"], &env)
    };

    // a station headquarters does not know: refused, saying how to register it
    let o = ingest(&day1);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("Station JS01 is not registered at headquarters"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("--register"), "{}", out(&o));
    // the second day first: a gap, refused (and the station not registered)
    let o = register(&day2);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("(a gap)"), "{}", out(&o));
    assert_eq!(hq.count("SELECT count(*) FROM audit"), 0);
    assert_eq!(hq.count("SELECT count(*) FROM stations"), 0);

    let o = register(&day1);
    assert!(o.status.success(), "{}", out(&o));
    let key = st.s.signer().unwrap().public_hex();
    let registered = format!("SELECT count(*) FROM stations WHERE public_key = '{key}'");
    assert_eq!(hq.count(&registered), 1);
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
            "--story",
            "邻里互助",
            "--docs-locked",
            "--lang",
            "en",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("sent to headquarters"), "{}", out(&o));
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
    let o = shiguang_with(
        &[
            "close-day",
            "--db",
            other.path(),
            "--story",
            "邻里互助",
            "--docs-locked",
        ],
        &[],
    );
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
    // yes to "N items carry over to tomorrow: close the day?"
    h.press("enter");
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
    h.assert_shows("已闭站并发送总部");
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

#[test]
fn a_bundle_must_be_signed_with_the_key_headquarters_holds_for_its_station() {
    let Some(hq) = hq() else { return };
    let d1 = D0 - 2 * DAY_MS;
    let mut st = station("01", d1 + 8 * HOUR_MS);
    st.day("one", d1, true);
    // the first sync registers the station's key
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    let key = st.s.signer().unwrap().public_hex();
    let registered = format!("SELECT count(*) FROM stations WHERE public_key = '{key}'");
    assert_eq!(hq.count(&registered), 1);
    st.day("two", d1 + DAY_MS, true);
    let dir = st.db.dir.path();
    let day2 = dir.join("bundles").join("JS01-2026-11-22.jsonl");
    let b = Bundle::parse(&std::fs::read_to_string(&day2).unwrap()).unwrap();
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let run = |args: &[&str], lang: &str| {
        let mut a = args.to_vec();
        a.extend(["--lang", lang]);
        shiguang_with(&a, &env)
    };
    let ingest = |f: &Path, lang: &str| run(&["hq", "ingest", f.to_str().unwrap()], lang);

    // not signed
    let unsigned = dir.join("unsigned.jsonl");
    std::fs::write(&unsigned, b.to_text()).unwrap();
    let o = ingest(&unsigned, "en");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("The bundle is not signed"), "{}", out(&o));
    assert!(out(&o).contains("export-day"), "{}", out(&o));
    assert_eq!(
        hq.count("SELECT count(*) FROM alarms WHERE kind = 'unsigned'"),
        1
    );
    // signed, but not with the station's key
    let other = StationSigner::from_secret(&[7; 32]);
    let forged = dir.join("forged.jsonl");
    std::fs::write(&forged, b.to_signed_text(&other)).unwrap();
    let o = ingest(&forged, "en");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let said = format!(
        "station JS01 signs with key {}…, but headquarters has key {}… registered",
        &other.public_hex()[..12],
        &key[..12]
    );
    assert!(out(&o).contains(&said), "{}", out(&o));
    assert!(out(&o).contains("hq rekey --station JS01"), "{}", out(&o));
    let o = ingest(&forged, "zh");
    assert!(out(&o).contains("警报:驿站 JS01 用公钥"), "{}", out(&o));
    assert_eq!(
        hq.count("SELECT count(*) FROM alarms WHERE kind = 'key'"),
        2
    );
    assert_eq!(hq.count("SELECT count(*) FROM day_summaries"), 1);
    // the station's own
    let o = ingest(&day2, "en");
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(hq.count("SELECT count(*) FROM day_summaries"), 2);

    // a sync whose key is not the registered one (its key file replaced)
    hq.client()
        .execute(
            "UPDATE stations SET public_key = $1",
            &[&other.public_hex()],
        )
        .unwrap();
    let sync = || run(&["sync", "--db", st.path()], "en");
    let o = sync();
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let said = format!("station JS01 signs with key {}…", &key[..12]);
    assert!(out(&o).contains(&said), "{}", out(&o));
    // headquarters re-keys it from one of its bundles, not from any file
    let rekey = |f: &Path| {
        let f = f.to_str().unwrap();
        run(
            &["hq", "rekey", "--station", "JS01", "--from-bundle", f],
            "en",
        )
    };
    let o = rekey(&unsigned);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("not signed"), "{}", out(&o));
    let mut st2 = station("02", d1 + 8 * HOUR_MS);
    st2.day("o", d1, true);
    let other_day = st2
        .db
        .dir
        .path()
        .join("bundles")
        .join("JS02-2026-11-21.jsonl");
    let o = rekey(&other_day);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("station JS02's, not JS01's"),
        "{}",
        out(&o)
    );
    let o = rekey(&day2);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains(&format!("replaced by {}", &key[..12])),
        "{}",
        out(&o)
    );
    assert_eq!(
        hq.count("SELECT count(*) FROM alarms WHERE kind = 'rekey'"),
        1
    );
    let o = sync();
    assert!(o.status.success(), "{}", out(&o));

    // a bundle of a station headquarters does not know
    let o = ingest(&other_day, "en");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("Station JS02 is not registered"),
        "{}",
        out(&o)
    );
    let o = ingest(&other_day, "zh");
    assert!(out(&o).contains("驿站 JS02 尚未在总部登记"), "{}", out(&o));
    assert_eq!(hq.count("SELECT count(*) FROM stations"), 1);
}

#[test]
fn a_station_registered_before_keys_is_re_keyed_by_headquarters() {
    let Some(hq) = empty_hq() else { return };
    let d1 = D0 - 2 * DAY_MS;
    let mut st = station("01", d1 + 8 * HOUR_MS);
    st.day("one", d1, true);
    // headquarters at schema 1, the station in it (as its first syncs left it)
    let first = &shiguang::hq::migrate::HQ_MIGRATIONS[0];
    let facts = st.s.hq_station().unwrap();
    let mut c = hq.client();
    c.batch_execute(first.sql).unwrap();
    c.batch_execute(
        "CREATE TABLE hq_schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
             checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .unwrap();
    c.execute(
        "INSERT INTO hq_schema_migrations (version, name, checksum) VALUES (1, $1, $2)",
        &[&first.name, &shiguang::store::migrate::checksum(first.sql)],
    )
    .unwrap();
    c.execute(
        "INSERT INTO stations (uid, code, kind, tz) VALUES ($1, $2, $3, $4)",
        &[&facts.uid, &facts.code, &facts.kind, &facts.tz],
    )
    .unwrap();
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang_with(&["hq", "init", "--lang", "en"], &env);
    assert!(o.status.success(), "{}", out(&o));
    let later = shiguang::hq::migrate::HQ_MIGRATIONS.len() - 1;
    assert!(
        out(&o).contains(&format!("{later} migrations applied now")),
        "{}",
        out(&o)
    );
    // it has no key at headquarters: its sync is refused, saying what to do
    let o = shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &env);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("holds no signing key for station JS01"),
        "{}",
        out(&o)
    );
    let bundle = st
        .db
        .dir
        .path()
        .join("bundles")
        .join("JS01-2026-11-21.jsonl");
    let o = shiguang_with(
        &[
            "hq",
            "rekey",
            "--station",
            "JS01",
            "--from-bundle",
            bundle.to_str().unwrap(),
            "--lang",
            "en",
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("key (none) replaced by"), "{}", out(&o));
    let o = shiguang_with(&["sync", "--db", st.path(), "--lang", "en"], &env);
    assert!(o.status.success(), "{}", out(&o));
    assert_same(&hq, &st);
}

/// A complaint against a merchant reaches headquarters with the merchant
/// (its code) as the other party.
#[test]
fn a_merchant_case_reaches_headquarters_with_its_merchant() {
    use shiguang::domain::dispute::Category;
    use shiguang::store::disputes::{Channel, NewDispute};
    let Some(hq) = hq() else { return };
    let mut st = station("01", D0 - 3 * DAY_MS);
    let shop =
        st.s.save_merchant(
            &st.master,
            None,
            &shop_input("惠民超市", "01"),
            D0 - 3 * DAY_MS + HOUR_MS,
        )
        .unwrap();
    let d0 = D0 - 2 * DAY_MS;
    st.day("a", d0, false);
    let a = st.m[0];
    st.s.open_dispute(
        &st.master,
        &NewDispute {
            suggestion: false,
            channel: Channel::Desk,
            category: Some(Category::Merchant),
            party_a: Some(a),
            party_b: None,
            record_id: None,
            subject: "会员价高于进货价".into(),
            reported_by: "本人".into(),
            merchant: Some(shop.id),
        },
        d0 + 17 * HOUR_MS,
    )
    .unwrap();
    let today = shiguang::domain::time::local_day(d0 + 12 * HOUR_MS, chrono_tz::Asia::Shanghai);
    st.s.close_day(Some(&st.master), today, "邻里互助", true, d0 + 18 * HOUR_MS)
        .unwrap();
    sync_lib(&hq, &st, &SyncOptions::default()).unwrap();
    assert_same(&hq, &st);
    let mut c = hq.client();
    let rows: Vec<(Option<String>, Option<String>)> = c
        .query(
            "SELECT party_b, merchant_ref FROM disputes WHERE category = 'merchant'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(rows, [(None, Some(shop.code.clone()))]);
    // the member-to-member case of the same day has no merchant
    assert_eq!(
        hq.count(
            "SELECT count(*) FROM disputes WHERE merchant_ref IS NULL AND party_b IS NOT NULL"
        ),
        1
    );
}
