//! Headquarters against a real PostgreSQL server: who may do what. Each
//! station's role writes and reads only the rows of the stations whose
//! codes headquarters assigned to it (row-level security); an
//! acknowledgement says only what was sent; nothing is ever changed; TLS
//! when the URL asks. See `tests/hq/hq.rs` for the server the tests need.

use crate::common::hq as hq_common;
use hq_common::*;
use shiguang::domain::time::DAY_MS;
use shiguang::hq::HqError;
use shiguang::hq::connect::{self, Target};
use shiguang::hq::rules::Problem;
use shiguang::store::outbox::Cursor;
use std::process::Output;

/// Headquarters set up as docs/operations.md says: its own owner (not a superuser)
/// ran `hq init`, and gave JS01 to the role `a`, JS02 to the role `b`.
struct Two {
    hq: Hq,
    a: String,
    b: String,
}

fn two_roles() -> Option<Two> {
    let hq = owned_hq()?;
    let (a, b) = (hq.role("station_a"), hq.role("station_b"));
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    for (role, code) in [(&a, "JS01"), (&b, "JS02")] {
        let o = shiguang_with(
            &[
                "hq",
                "init",
                "--station-role",
                role,
                "--station",
                code,
                "--lang",
                "en",
            ],
            &env,
        );
        assert!(o.status.success(), "{}", out(&o));
        let said = format!("Station code {code} is assigned to the role {role}");
        assert!(out(&o).contains(&said), "{}", out(&o));
    }
    Some(Two { hq, a, b })
}

fn sync_as(hq: &Hq, role: &str, st: &Station, lang: &str) -> Output {
    let url = hq.url_as(role);
    shiguang_with(
        &["sync", "--db", st.path(), "--lang", lang],
        &[("SHIGUANG_HQ_URL", url.as_str())],
    )
}

/// The SQLSTATE with which the server refuses `sql`.
fn refused(c: &mut postgres::Client, sql: &str) -> String {
    let e = c.batch_execute(sql).expect_err(sql);
    e.code()
        .map(|c| c.code().to_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

#[test]
fn the_station_role_may_insert_and_read_but_never_change_a_row() {
    let Some(hq) = hq() else { return };
    let role = hq.role("station");
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang_with(
        &[
            "hq",
            "init",
            "--station-role",
            &role,
            "--station",
            "JS01",
            "--lang",
            "en",
        ],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("may now insert and read"), "{}", out(&o));

    let mut st = station("01", D0 - 3 * DAY_MS);
    st.day("x", D0 - 2 * DAY_MS, false);
    let o = sync_as(&hq, &role, &st, "en");
    assert!(o.status.success(), "{}", out(&o));
    assert_same(&hq, &st);

    let mut c = admin_client(&hq.url_as(&role));
    for sql in [
        "UPDATE transfers SET amount = 1",
        "DELETE FROM audit",
        "UPDATE sync_acks SET ledger_seq = 0",
        "DELETE FROM stations",
        "UPDATE stations SET public_key = repeat('b', 64)",
        "INSERT INTO station_roles (code, role) VALUES ('JS02', current_user)",
        "CREATE TABLE mine (x int)",
    ] {
        assert_eq!(refused(&mut c, sql), "42501", "{sql}");
    }
    // a row of its own put in by hand, past the acknowledged head: the
    // next sync does not build on it
    let (seq, head) = st.head("transfers");
    c.batch_execute(&format!(
        "INSERT INTO transfers (station_id, seq, id, kind, amount, debit, credit, at, prev_hash, hash)
         SELECT id, {}, 'by-hand', 'service', 500, 'pool', 'm:x', 0, '{head}', 'h' FROM stations",
        seq + 1
    ))
    .unwrap();
    st.service("later", 1, 2, D0 - 2 * DAY_MS + 17 * 3_600_000, 30);
    let o = sync_as(&hq, &role, &st, "en");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let said = format!("the ledger chain at seq {} does not continue", seq + 1);
    assert!(out(&o).contains(&said), "{}", out(&o));
    // even the owner cannot change the ledger or the audit log
    let mut owner = hq.client();
    for sql in [
        "UPDATE transfers SET amount = 1",
        "DELETE FROM audit",
        "TRUNCATE transfers",
    ] {
        let e = owner.batch_execute(sql).unwrap_err();
        let why = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_default();
        assert!(why.contains("append-only"), "{sql}: {e:?}");
    }
}

#[test]
fn a_role_cannot_claim_another_stations_code_even_before_that_station_synced() {
    let Some(t) = two_roles() else { return };
    let mut a = station("01", D0 - 3 * DAY_MS);
    let mut b = station("02", D0 - 3 * DAY_MS);
    let mut c = station("03", D0 - 3 * DAY_MS);
    for (tag, st) in [("a", &mut a), ("b", &mut b), ("c", &mut c)] {
        st.day(tag, D0 - 2 * DAY_MS, true);
    }
    // B's login with a station file that says JS01, before JS01 ever synced
    let o = sync_as(&t.hq, &t.b, &a, "en");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let said = format!(
        "station code JS01 is not assigned to this station's role ({})",
        t.b
    );
    assert!(out(&o).contains(&said), "{}", out(&o));
    for raw in ["row-level security", "42501", "duplicate key"] {
        assert!(!out(&o).contains(raw), "{}", out(&o));
    }
    let o = sync_as(&t.hq, &t.b, &a, "zh");
    assert!(
        out(&o).contains("总部没有把驿站代码 JS01 分配给本站的角色"),
        "{}",
        out(&o)
    );
    // a code headquarters gave no one: the same
    let o = sync_as(&t.hq, &t.b, &c, "en");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("station code JS03 is not assigned"));
    assert_eq!(t.hq.count("SELECT count(*) FROM stations"), 0);
    let raised = format!(
        "SELECT count(*) FROM alarms WHERE kind = 'access' AND raised_by = '{}'",
        t.b
    );
    assert_eq!(t.hq.count(&raised), 3);

    // straight SQL with B's login: the policy refuses both codes
    let mut cb = admin_client(&t.hq.url_as(&t.b));
    for code in ["JS01", "JS03"] {
        let sql = format!(
            "INSERT INTO stations (uid, code, kind, tz, public_key)
             VALUES ('forged', '{code}', 'main', 'Asia/Shanghai', repeat('a', 64))"
        );
        assert_eq!(refused(&mut cb, &sql), "42501", "{code}");
    }
    // nor may it register a station without a key
    let sql = "INSERT INTO stations (uid, code, kind, tz) VALUES ('nokey', 'JS02', 'main', 'Asia/Shanghai')";
    assert_eq!(refused(&mut cb, sql), "42501");

    // JS01's own station is not blocked; B syncs its own
    for (role, st) in [(&t.a, &a), (&t.b, &b)] {
        let o = sync_as(&t.hq, role, st, "en");
        assert!(o.status.success(), "{}", out(&o));
        assert_same(&t.hq, st);
    }
    // JS01's file with B's login afterwards: still refused
    let o = sync_as(&t.hq, &t.b, &a, "en");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains(&said), "{}", out(&o));
    assert_eq!(t.hq.count("SELECT count(*) FROM stations"), 2);
}

/// One station's block of the month report of all stations (the owner's
/// view, as JSON), and the report's exit code.
fn month(hq: &Hq, code: &str) -> (Option<i32>, serde_json::Value) {
    let o = shiguang_with(
        &["hq", "report", "--month", "2026-11", "--json"],
        &[("SHIGUANG_HQ_URL", hq.url.as_str())],
    );
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", out(&o)));
    let block = v["stations"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["code"] == code))
        .cloned()
        .unwrap_or_else(|| panic!("no {code} in {v}"));
    (o.status.code(), block)
}

/// Stations 01 and 02, each with one closed day two days before D0.
fn two_stations() -> (Station, Station) {
    let mut a = station("01", D0 - 3 * DAY_MS);
    let mut b = station("02", D0 - 3 * DAY_MS);
    a.day("a", D0 - 2 * DAY_MS, true);
    b.day("b", D0 - 2 * DAY_MS, true);
    (a, b)
}

#[test]
fn a_role_reads_and_writes_only_its_own_stations_rows() {
    let Some(t) = two_roles() else { return };
    let (a, b) = two_stations();
    for (role, st) in [(&t.a, &a), (&t.b, &b)] {
        let o = sync_as(&t.hq, role, st, "en");
        assert!(o.status.success(), "{}", out(&o));
    }
    let before = month(&t.hq, "JS01");
    assert_eq!(before.0, Some(0));
    let id = |code: &str| -> i32 {
        t.hq.client()
            .query_one("SELECT id FROM stations WHERE code = $1", &[&code])
            .unwrap()
            .get(0)
    };
    let (ida, idb) = (id("JS01"), id("JS02"));

    // B reads its own rows only, through the tables and the views alike
    // (views read as the role that queries them, even one granted more)
    t.hq.client()
        .batch_execute(&format!("GRANT SELECT ON members TO {}", t.b))
        .unwrap();
    let mut cb = admin_client(&t.hq.url_as(&t.b));
    let n = |c: &mut postgres::Client, sql: &str| -> i64 { c.query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(
        n(&mut cb, "SELECT count(*) FROM transfers"),
        b.count("SELECT count(*) FROM transfers")
    );
    for sql in [
        format!("SELECT count(*) FROM transfers WHERE station_id = {ida}"),
        format!("SELECT count(*) FROM records WHERE station_id = {ida}"),
        "SELECT count(*) FROM stations WHERE code = 'JS01'".into(),
        "SELECT count(*) FROM sync_state WHERE code = 'JS01'".into(),
        "SELECT count(*) FROM station_roles WHERE code = 'JS01'".into(),
        format!("SELECT count(*) FROM members WHERE station_id = {ida}"),
        format!("SELECT count(*) FROM day_summaries WHERE station_id = {ida}"),
    ] {
        assert_eq!(n(&mut cb, &sql), 0, "{sql}");
    }
    assert_eq!(n(&mut cb, "SELECT count(*) FROM sync_state"), 1);
    assert_eq!(refused(&mut cb, "SELECT count(*) FROM alarms"), "42501");

    // B writes nothing into A's figures, acknowledgements or history
    let genesis = "0".repeat(64);
    let ack = t
        .hq
        .client()
        .query_one(
            "SELECT ledger_seq, ledger_head, audit_seq, audit_head, mark FROM sync_state WHERE code = 'JS02'",
            &[],
        )
        .unwrap();
    let (lseq, lhead, aseq, ahead, mark): (i64, String, i64, String, i64) =
        (ack.get(0), ack.get(1), ack.get(2), ack.get(3), ack.get(4));
    let at = D0 - 2 * DAY_MS + 36_000_000;
    for sql in [
        format!(
            "INSERT INTO transfers (station_id, seq, id, kind, amount, debit, credit, at, prev_hash, hash)
             VALUES ({ida}, 999, 'forged-t', 'service', 500, 'pool', 'm:x', {at}, '{genesis}', 'h')"
        ),
        format!(
            "INSERT INTO records (uid, station_id, provider, recipient, type_code, started_at, ended_at, minutes,
                points, payer, confirm_method, entered_at)
             VALUES ('forged-r', {ida}, 'p', 'q', 'chat', {at}, {at}, 600, 50, 'pool', 'desk', {at})"
        ),
        format!(
            "INSERT INTO day_summaries VALUES ({ida}, '2026-11-21', 9, '{{}}', 0, '{genesis}', 0, '{genesis}')"
        ),
        format!(
            "INSERT INTO member_versions (uid, updated_at, station_id, status, level, community, submitted_at)
             VALUES ('forged-m', {at}, {ida}, 'active', 'regular', '01', {at})"
        ),
        format!(
            "INSERT INTO sync_acks (station_id, source, ledger_seq, ledger_head, audit_seq, audit_head, mark, rows_in)
             SELECT {ida}, 'sync', 0, '{genesis}', 0, '{genesis}', NULL, 0"
        ),
    ] {
        assert_eq!(refused(&mut cb, &sql), "42501", "{sql}");
    }
    // …nor acknowledges for itself more than it sent, or less than before,
    // nor closes a day of its own on rows headquarters does not have
    let ack_sql = |l: i64, lh: &str, a: i64, ah: &str, m: i64| {
        format!(
            "INSERT INTO sync_acks (station_id, source, ledger_seq, ledger_head, audit_seq, audit_head, mark, rows_in)
             VALUES ({idb}, 'sync', {l}, '{lh}', {a}, '{ah}', {m}, 0)"
        )
    };
    for sql in [
        ack_sql(lseq + 5, "future", aseq, &ahead, mark),
        ack_sql(lseq, &lhead, aseq, &ahead, mark + DAY_MS),
        ack_sql(0, &genesis, 0, &genesis, mark),
        // a day summary of its own naming heads that are not here
        format!(
            "INSERT INTO day_summaries VALUES ({idb}, '2026-11-21', 9, '{{}}', {}, 'future', {aseq}, '{ahead}')",
            lseq + 5
        ),
    ] {
        assert_eq!(refused(&mut cb, &sql), "23000", "{sql}");
    }
    // a temporary table of the same name does not stand in for the ledger
    let shadow = format!(
        "CREATE TEMP TABLE transfers (station_id int, seq bigint, hash text);
         INSERT INTO pg_temp.transfers VALUES ({idb}, {}, 'future');
         {}",
        lseq + 5,
        ack_sql(lseq + 5, "future", aseq, &ahead, mark)
    );
    assert_eq!(refused(&mut cb, &shadow), "23000");
    let mut cb = admin_client(&t.hq.url_as(&t.b));
    // an id of its own choosing would put its acknowledgement last for good
    let sql = format!(
        "INSERT INTO sync_acks OVERRIDING SYSTEM VALUE
         VALUES (1000000, {idb}, now(), 'sync', {lseq}, '{lhead}', {aseq}, '{ahead}', {mark}, 0)"
    );
    assert_eq!(refused(&mut cb, &sql), "42501");
    // its own version of one of A's members is its own row: A's stays A's
    let member: String =
        t.hq.client()
            .query_one(
                "SELECT uid FROM members WHERE station_id = $1 LIMIT 1",
                &[&ida],
            )
            .unwrap()
            .get(0);
    cb.batch_execute(&format!(
        "INSERT INTO member_versions (uid, updated_at, station_id, status, level, community, submitted_at)
         VALUES ('{member}', {}, {idb}, 'left', 'regular', '02', {})",
        at + 10 * DAY_MS,
        at - 40 * DAY_MS
    ))
    .unwrap();

    // headquarters still has exactly A's rows, and the month says so
    assert_same(&t.hq, &a);
    let after = month(&t.hq, "JS01");
    assert_eq!(after.0, Some(0), "{}", after.1);
    assert_eq!(after.1, before.1);
    let o = sync_as(&t.hq, &t.a, &a, "en");
    assert!(out(&o).contains("nothing to send"), "{}", out(&o));
}

#[test]
fn a_duplicate_id_is_the_alarm_it_means_never_the_servers_words() {
    let Some(t) = two_roles() else { return };
    let (a, b) = two_stations();
    let o = sync_as(&t.hq, &t.a, &a, "en");
    assert!(o.status.success(), "{}", out(&o));
    // B's first batch carries a record with the id of one of A's
    let mut batch =
        b.s.outbox(&Cursor::default(), 1000, &Default::default())
            .unwrap();
    let mut copy = batch.records[0].clone();
    copy.uid = "a-a".into();
    batch.records.push(copy);
    let mut c = connect::connect(&Target::new(&t.hq.url_as(&t.b), "test")).unwrap();
    let e = shiguang::hq::apply::apply(&mut c.client, &batch, None).unwrap_err();
    let p = Problem::Taken {
        table: "records".into(),
        id: "a-a".into(),
    };
    assert_eq!(e, HqError::Refused(p.clone()));
    let tr = |l| shiguang::i18n::Tr::new(l).msg(&p.msg());
    assert!(
        tr(shiguang::i18n::Lang::En).contains("already has records a-a as another station's row"),
        "{}",
        tr(shiguang::i18n::Lang::En)
    );
    assert!(tr(shiguang::i18n::Lang::Zh).contains("属于另一个驿站"));
    // nothing of B's batch is in, the alarm is
    assert_eq!(t.hq.count("SELECT count(*) FROM stations"), 1);
    let raised = format!(
        "SELECT count(*) FROM alarms WHERE kind = 'conflict' AND raised_by = '{}'",
        t.b
    );
    assert_eq!(t.hq.count(&raised), 1);
    // without the copy B's batch goes in
    batch.records.pop();
    shiguang::hq::apply::apply(&mut c.client, &batch, None).unwrap();
    assert_eq!(t.hq.count("SELECT count(*) FROM stations"), 2);
}

/// Refused as bad usage (exit 2), saying `words`; `case` names the input.
fn refused_saying(o: &Output, case: &str, words: &str) {
    assert_eq!(o.status.code(), Some(2), "{case}: {}", out(o));
    assert!(out(o).contains(words), "{case}: {}", out(o));
}

#[test]
fn bad_station_codes_and_files_are_refused_before_headquarters_is_reached() {
    // no server needed: nothing connects
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("hq.url");
    std::fs::write(&url, "postgresql://nobody@127.0.0.1:1/none\n").unwrap();
    let url = url.to_str().unwrap();
    for code in ["js01", "JS1", "JS001", "ＪＳ01", ""] {
        let o = shiguang_with(
            &[
                "hq",
                "init",
                "--pg-file",
                url,
                "--station-role",
                "r",
                "--station",
                code,
                "--lang",
                "en",
            ],
            &[],
        );
        refused_saying(
            &o,
            code,
            "a station code is two capital letters and two digits",
        );
        let o = shiguang_with(
            &[
                "hq",
                "rekey",
                "--pg-file",
                url,
                "--station",
                code,
                "--from-bundle",
                url,
            ],
            &[],
        );
        refused_saying(&o, code, "驿站代码是两个大写字母加两位数字");
    }
    // a code without a role to give it to
    let o = shiguang_with(&["hq", "init", "--pg-file", url, "--station", "JS01"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    // a bundle that cannot be read
    let missing = dir.path().join("missing.jsonl");
    let o = shiguang_with(
        &[
            "hq",
            "rekey",
            "--pg-file",
            url,
            "--station",
            "JS01",
            "--from-bundle",
            missing.to_str().unwrap(),
            "--lang",
            "en",
        ],
        &[],
    );
    refused_saying(&o, "missing bundle", "missing.jsonl: cannot be read");
}

#[test]
fn tls_when_the_url_asks_for_it() {
    let Some(hq) = hq() else { return };
    let Some(ca) = std::env::var("SHIGUANG_TEST_PG_CA")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        skipped("SKIPPED: no TLS on the test server (SHIGUANG_TEST_PG_CA)");
        return;
    };
    let ssl = |c: &mut connect::Hq| -> bool {
        c.client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .unwrap()
            .get(0)
    };
    let mut plain = hq.connect();
    assert!(!ssl(&mut plain));
    let url = format!("{}?sslmode=require&sslrootcert={ca}", hq.url);
    let mut tls = connect::connect(&Target::new(&url, "test")).unwrap();
    assert!(ssl(&mut tls));
    // the certificate is checked: without the CA that signed it, no connection
    let e =
        connect::connect(&Target::new(&format!("{}?sslmode=require", hq.url), "test")).unwrap_err();
    assert!(
        matches!(&e, HqError::Unreachable(why) if why.to_lowercase().contains("certificate")),
        "{e:?}"
    );
    // a whole sync over TLS
    let mut st = station("01", D0 - 2 * DAY_MS);
    st.day("t", D0 - DAY_MS, true);
    let o = shiguang_with(
        &["sync", "--db", st.path(), "--lang", "en"],
        &[("SHIGUANG_HQ_URL", url.as_str())],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_same(&hq, &st);
}
