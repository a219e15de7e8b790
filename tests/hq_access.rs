//! Headquarters against a real PostgreSQL server: who may do what. The
//! station role's grants, the append-only triggers, TLS when the URL asks.
//! See `tests/hq.rs` for the server the tests need.

mod common;
mod hq_common;
use hq_common::*;
use shiguang::domain::time::DAY_MS;
use shiguang::hq::HqError;
use shiguang::hq::connect::{self, Target};

#[test]
fn the_station_role_may_insert_and_read_but_never_change_a_row() {
    let Some(hq) = hq() else { return };
    let role = format!("station_{:08x}", rand_u64() as u32);
    admin_client(&hq.admin)
        .batch_execute(&format!("CREATE ROLE {role} LOGIN"))
        .unwrap();
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = shiguang_with(
        &["hq", "init", "--station-role", &role, "--lang", "en"],
        &env,
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("may now insert and read"), "{}", out(&o));

    let mut st = station("01", D0 - 3 * DAY_MS);
    st.day("x", D0 - 2 * DAY_MS, true);
    let as_station = with_user(&hq.url, &role);
    let o = shiguang_with(
        &["sync", "--db", st.path(), "--lang", "en"],
        &[("SHIGUANG_HQ_URL", as_station.as_str())],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert_same(&hq, &st);

    let mut c = admin_client(&as_station);
    for sql in [
        "UPDATE transfers SET amount = 1",
        "DELETE FROM audit",
        "UPDATE sync_acks SET ledger_seq = 0",
        "DELETE FROM stations",
        "CREATE TABLE mine (x int)",
    ] {
        let e = c.batch_execute(sql).unwrap_err();
        let code = e.code().map(|c| c.code().to_string());
        assert_eq!(code.as_deref(), Some("42501"), "{sql}: {e:?}");
    }
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
    drop(c);
    drop(owner);
    let _ = admin_client(&hq.admin).batch_execute(&format!(
        "DROP DATABASE IF EXISTS {} WITH (FORCE); DROP ROLE IF EXISTS {role}",
        hq.name
    ));
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
