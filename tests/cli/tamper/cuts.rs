//! §2.2: the chains cut back, alone or with everything written after.

use super::*;
use rusqlite::Connection;
use shiguang::harness::T0;

/// §2.2: the ledger's tail cut below the first closed day's stored head
/// (the services and their records with it, the figures fixed).
#[test]
fn a_ledger_cut_below_a_closed_days_head_is_found() {
    let db = copy(&history());
    tamper(
        &db.path,
        &format!(
            "DELETE FROM transfers WHERE seq >= (SELECT ledger_seq FROM day_summaries WHERE day = '2026-11-23');
             DELETE FROM service_records WHERE id NOT IN (SELECT record_id FROM transfers WHERE record_id IS NOT NULL);
             DELETE FROM estate_settlements WHERE transfer_id NOT IN (SELECT id FROM transfers);
             {FIX_FIGURES}"
        ),
    );
    verify_finds(&db.path, "the ledger chain no longer reaches its head");
}

/// §2.2: the audit log's tail cut — its last row, the second day's close
/// (which `verify` did not notice) — and cut below the first day's close.
#[test]
fn an_audit_cut_is_found() {
    let base = history();
    let db = copy(&base);
    tamper(
        &db.path,
        "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);",
    );
    verify_finds(&db.path, "past the end of the audit log: its tail was cut");
    // and below the first day's close, its covers cut with it
    let db = copy(&base);
    tamper(
        &db.path,
        "DELETE FROM audit_log WHERE seq >= (SELECT audit_seq FROM day_summaries WHERE day = '2026-11-23');
         DELETE FROM audit_covers WHERE seq > (SELECT max(seq) FROM audit_log);",
    );
    verify_finds(&db.path, "the audit chain no longer reaches its head");
}

/// §2.2: the second day cut back whole — its service, its close, its
/// summary, the covers and audit rows after them, the day's row back to
/// open — leaves a file that is whole, only older. The signed bundle says
/// so; without it the backup; without that headquarters' acknowledgement.
#[test]
fn a_consistent_roll_back_is_found_by_what_was_written_outside_the_file() {
    let db = copy(&history());
    let p = db.path.clone();
    // headquarters acknowledged everything (as a sync would have kept it)
    let heads = {
        let c = Connection::open(&p).unwrap();
        shiguang::store::witness::heads_of(&c).unwrap()
    };
    let uid: String = Connection::open(&p)
        .unwrap()
        .query_row("SELECT uid FROM station", [], |r| r.get(0))
        .unwrap();
    shiguang::store::witness::remember_hq(
        &p,
        &shiguang::store::witness::HqAck {
            station_uid: uid,
            hq: "hq".into(),
            at: T0,
            heads,
        },
    )
    .unwrap();
    tamper(
        &p,
        &format!(
            "DELETE FROM audit_covers WHERE seq >= (SELECT seq FROM audit_log WHERE action = 'record.post' ORDER BY seq DESC LIMIT 1);
             DELETE FROM audit_log WHERE seq >= (SELECT seq FROM audit_log WHERE action = 'record.post' ORDER BY seq DESC LIMIT 1);
             DELETE FROM transfers WHERE record_id = (SELECT id FROM service_records WHERE uid = 'r4');
             DELETE FROM service_records WHERE uid = 'r4';
             DELETE FROM day_summaries WHERE day = '2026-11-24';
             UPDATE station_days SET closed_at = NULL, closed_by = NULL, story = NULL, docs_locked = 0,
                 backup_path = NULL, bundle_path = NULL WHERE day = '2026-11-24';
             {FIX_FIGURES}"
        ),
    );
    verify_finds(&p, "the bundle");
    verify_finds(&p, "JS01-2026-11-24.jsonl: it names the ledger head");
    std::fs::remove_file(db.dir.path().join("bundles/JS01-2026-11-24.jsonl")).unwrap();
    verify_finds(&p, "the backup");
    std::fs::remove_dir_all(db.dir.path().join("backups")).unwrap();
    verify_finds(&p, "headquarters' acknowledgement");
    // with every witness gone the file is simply an older one: only
    // headquarters itself still knows (its next sync is refused)
    std::fs::remove_file(shiguang::store::witness::hq_ack_path(&p)).unwrap();
    verify_ok(&p);
}

/// Every row a cut removes is vouched for by the audit log: deleting the
/// day's rows without cutting the audit log is found.
#[test]
fn a_closed_days_rows_deleted_are_found() {
    let db = copy(&history());
    tamper(
        &db.path,
        "DELETE FROM day_summaries WHERE day = '2026-11-24'; DELETE FROM station_days WHERE day = '2026-11-24';",
    );
    verify_finds(&db.path, "gone (deleted outside the app)");
    verify_finds(
        &db.path,
        "is gone from this file or differs from the bundle's",
    );
}

/// §2.2 against a real headquarters (`SHIGUANG_TEST_PG`): each sync keeps
/// what headquarters acknowledged beside the file; the last service cut
/// away cleanly afterwards (its audit row, cover, transfer and record, the
/// figures fixed) is found by it.
#[test]
fn a_cut_below_what_headquarters_acknowledged_is_found() {
    let Some(hq) = hq_common::hq() else { return };
    let db = temp_db();
    let p = db.path.to_str().unwrap();
    let o = shiguang(&[
        "--db",
        p,
        "--lang",
        "en",
        "seed",
        "--members",
        "20",
        "--days",
        "5",
        "--records",
        "30",
        "--seed",
        "3",
    ]);
    assert!(o.status.success(), "{}", out(&o));
    let env = [("SHIGUANG_HQ_URL", hq.url.as_str())];
    let o = hq_common::shiguang_with(&["--db", p, "--lang", "en", "sync"], &env);
    assert!(o.status.success(), "{}", out(&o));
    let ack = shiguang::store::witness::hq_ack_path(&db.path);
    assert!(
        std::fs::read_to_string(&ack)
            .unwrap()
            .contains("ledger_head")
    );
    // a witness no output may overwrite
    let o = shiguang(&[
        "--db",
        p,
        "--lang",
        "en",
        "export-ledger",
        "--format",
        "ledger",
        "--out",
        ack.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("keeps what headquarters last acknowledged"),
        "{}",
        out(&o)
    );
    verify_ok(&db.path);
    tamper(
        &db.path,
        &format!(
            "DELETE FROM audit_covers WHERE seq = (SELECT max(seq) FROM audit_log);
             DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);
             DELETE FROM transfers WHERE seq = (SELECT max(seq) FROM transfers);
             DELETE FROM service_records WHERE id NOT IN (SELECT record_id FROM transfers WHERE record_id IS NOT NULL);
             {FIX_FIGURES}"
        ),
    );
    // (nothing else in the file tells: the cut is clean)
    let o = verify(&db.path);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let said = String::from_utf8_lossy(&o.stdout);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.starts_with("headquarters' acknowledgement"), "{said}");
    assert!(said.contains("names the ledger head at seq"), "{said}");
}
