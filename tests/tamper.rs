//! Tamper evidence (issue 15 §2), tried the way an attacker would: the
//! SQLite file edited directly with the guarding triggers dropped, the
//! chains cut back, a day bundle forged — then `shiguang verify --full` and
//! `shiguang check-bundle` run as processes must find it.

mod common;
use common::*;
use rusqlite::Connection;
use shiguang::domain::dispute::{Category, Outcome};
use shiguang::domain::record::Payer;
use shiguang::domain::staff::{Role, Session};
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS, Stamp};
use shiguang::harness::T0;
use shiguang::store::Store;
use shiguang::store::disputes::{Channel, Decision, NewDispute};
use std::path::{Path, PathBuf};
use std::process::Output;

/// 2026-11-23 00:00 in Shanghai (T0 is 10:00 that day) and the day after.
const D0: Stamp = T0 - 10 * HOUR_MS;
const D1: Stamp = D0 + DAY_MS;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn verify(db: &Path) -> Output {
    shiguang(&[
        "--db",
        db.to_str().unwrap(),
        "--lang",
        "en",
        "verify",
        "--full",
    ])
}

#[track_caller]
fn verify_ok(db: &Path) {
    let o = verify(db);
    assert!(o.status.success(), "{}", out(&o));
}

/// `verify --full` fails and says `what`.
#[track_caller]
fn verify_finds(db: &Path, what: &str) {
    let o = verify(db);
    assert_eq!(o.status.code(), Some(1), "verify passed: {}", out(&o));
    assert!(out(&o).contains(what), "wanted {what:?} in:\n{}", out(&o));
}

fn dispute(s: &mut Store, by: &Session, a: i64, b: i64, record: Option<i64>, at: Stamp) -> i64 {
    let d = NewDispute {
        suggestion: false,
        channel: Channel::Phone,
        category: Some(Category::Quality),
        party_a: Some(a),
        party_b: Some(b),
        record_id: record,
        subject: "服务迟到".into(),
        reported_by: "本人".into(),
    };
    s.open_dispute(by, &d, at).unwrap().id
}

fn decision(outcome: Outcome, severity: Option<&str>) -> Decision {
    Decision {
        outcome,
        split_pct: None,
        severity: severity.map(Into::into),
        target: severity.map(|_| "b".into()),
        reason: "核实".into(),
    }
}

/// Two closed days of a station's life, each with its backup and its
/// signed bundle: services, a warning, bad credit, a moderate violation
/// with points owed, a four-eyes reversal, a frozen member, a death, an
/// application pending and one rejected. The second day holds one more
/// service (rated 3, so it changes nothing else).
fn history() -> TestDb {
    let db = temp_db();
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    let deputy = second_master(&mut s, &master);
    let liaison = s
        .add_staff(&master, "李建国", Role::Liaison, "1357", T0 - DAY_MS)
        .unwrap();
    let long_ago = T0 - 200 * DAY_MS;
    let [helper, elder, other, late] = [("张三丰", 1), ("李奶奶", 2), ("王五", 3), ("赵六", 4)]
        .map(|(n, i)| approved_member(&mut s, &master, n, i, long_ago));
    // an application left pending, one rejected
    s.register_member(&master, &new_member("钱七", 5), long_ago)
        .unwrap();
    let rejected = s
        .register_member(&master, &new_member("孙八", 6), long_ago)
        .unwrap();
    s.reject_member(&master, rejected.id, "不住本社区", long_ago)
        .unwrap();

    s.open_day(
        &master,
        &ticked_checklist(&s),
        D0 + 8 * HOUR_MS + 40 * MINUTE_MS,
    )
    .unwrap();
    let post = |s: &mut Store, uid: &str, p: i64, r: i64, end: Stamp| {
        s.post_record(
            &master,
            &record(uid, p, r, end, 60, Payer::Pool),
            true,
            end + 10 * MINUTE_MS,
        )
        .unwrap()
    };
    let r1 = post(&mut s, "r1", helper, elder, D0 + 9 * HOUR_MS);
    let r2 = post(&mut s, "r2", helper, elder, D0 + 11 * HOUR_MS);
    let r3 = post(&mut s, "r3", late, other, D0 + 11 * HOUR_MS);
    let at = D0 + 12 * HOUR_MS;
    // a warning (and the points given back), bad credit, a moderate violation
    let d = dispute(&mut s, &liaison, elder, helper, Some(r1.record_id), at);
    s.decide_dispute(&liaison, d, &decision(Outcome::ProviderFault, None), at)
        .unwrap();
    let d = dispute(&mut s, &liaison, elder, helper, Some(r2.record_id), at);
    s.decide_dispute(&liaison, d, &decision(Outcome::RequesterFault, None), at)
        .unwrap();
    let d = dispute(&mut s, &liaison, elder, helper, Some(r2.record_id), at);
    s.decide_dispute(
        &master,
        d,
        &decision(Outcome::Violation, Some("moderate")),
        at,
    )
    .unwrap();
    reverse(
        &mut s,
        &master,
        &deputy,
        &r3.transfer.row.id,
        5,
        "多记了",
        at,
    )
    .unwrap();
    s.set_frozen(&master, other, true, "卡片丢失待核实", at)
        .unwrap();
    s.settle_estate(&master, late, None, "死亡证明 2026-001", "", at)
        .unwrap();
    s.close_day(
        Some(&master),
        day("2026-11-23"),
        "第一天",
        true,
        D0 + 18 * HOUR_MS,
    )
    .unwrap();

    s.open_day(
        &master,
        &ticked_checklist(&s),
        D1 + 8 * HOUR_MS + 40 * MINUTE_MS,
    )
    .unwrap();
    let mut r4 = record("r4", other, elder, D1 + 9 * HOUR_MS, 60, Payer::Pool);
    r4.rating = Some(3);
    s.post_record(&master, &r4, true, D1 + 9 * HOUR_MS + 10 * MINUTE_MS)
        .unwrap();
    s.close_day(
        Some(&master),
        day("2026-11-24"),
        "第二天",
        true,
        D1 + 18 * HOUR_MS,
    )
    .unwrap();
    drop(s);
    db
}

/// A copy of a station's folder (the file, its key, bundles, backups).
fn copy(db: &TestDb) -> TestDb {
    let to = temp_db();
    copy_dir(db.dir.path(), to.dir.path());
    to
}

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
            // backups are told apart by their times
            let when = e.metadata().unwrap().modified().unwrap();
            std::fs::File::options()
                .write(true)
                .open(&target)
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
    }
}

/// Edit the file directly, as another program would: the app's guarding
/// triggers dropped first.
fn tamper(db: &Path, sql: &str) {
    let c = Connection::open(db).unwrap();
    c.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER IF EXISTS records_no_update; DROP TRIGGER IF EXISTS records_no_delete;
         DROP TRIGGER IF EXISTS transfers_no_update; DROP TRIGGER IF EXISTS transfers_no_delete;
         DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
         DROP TRIGGER IF EXISTS day_summaries_no_update; DROP TRIGGER IF EXISTS day_summaries_no_delete;
         DROP TRIGGER IF EXISTS corrections_decided_once; DROP TRIGGER IF EXISTS corrections_no_delete;
         DROP TRIGGER IF EXISTS audit_covers_no_update; DROP TRIGGER IF EXISTS audit_covers_no_delete;",
    )
    .unwrap();
    c.execute_batch(sql).unwrap();
}

/// What a careful attacker fixes after changing services: the members' kept
/// figures and the balances, so the old checks still add up.
const FIX_FIGURES: &str = "
    UPDATE members SET
        stat_ratings = (SELECT count(rating) FROM service_records WHERE provider_id = members.id),
        stat_positive = (SELECT coalesce(sum(rating >= 4), 0) FROM service_records WHERE provider_id = members.id),
        stat_minutes = (SELECT coalesce(sum(minutes), 0) FROM service_records WHERE provider_id = members.id);
    UPDATE accounts SET balance =
        coalesce((SELECT sum(amount) FROM transfers WHERE credit_account = accounts.id), 0)
      - coalesce((SELECT sum(amount) FROM transfers WHERE debit_account = accounts.id), 0);";

#[test]
fn the_untouched_history_verifies_and_its_bundles_check_out() {
    let db = history();
    verify_ok(&db.path);
    for d in ["2026-11-23", "2026-11-24"] {
        let b = db.dir.path().join(format!("bundles/JS01-{d}.jsonl"));
        let o = shiguang(&[
            "--db",
            db.path.to_str().unwrap(),
            "--lang",
            "en",
            "check-bundle",
            b.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", out(&o));
        assert!(
            out(&o).contains("Signed by this station's key"),
            "{}",
            out(&o)
        );
    }
}

/// §2.1: every table whose rows change points or standing. Each edit below
/// passed `verify --full` before covers.
#[test]
fn an_edited_row_that_changes_points_or_standing_is_found() {
    let base = history();
    let cases: &[(&str, &str, &str)] = &[
        (
            "a service record's minutes doubled (figures fixed)",
            "UPDATE service_records SET minutes = minutes * 2 WHERE uid = 'r2';",
            "service_records 2",
        ),
        (
            "a service record's confirmation changed",
            "UPDATE service_records SET confirm_method = 'home_visit', book_page = NULL WHERE uid = 'r1';",
            "service_records 1",
        ),
        (
            "a frozen member thawed",
            "UPDATE members SET frozen = 0, frozen_reason = NULL WHERE id = 3;",
            "members 3",
        ),
        (
            "a member made honor",
            "UPDATE members SET level = 'honor' WHERE id = 2;",
            "members 2",
        ),
        (
            "a pending application approved",
            "UPDATE members SET status = 'approved', number = 'JS01-0099' WHERE id = 5;",
            "members 5",
        ),
        (
            "a rejection undone",
            "UPDATE members SET status = 'pending', reject_reason = NULL WHERE id = 6;",
            "members 6",
        ),
        (
            "a death undone",
            "UPDATE members SET status = 'approved', ended_at = NULL WHERE id = 4;",
            "members 4",
        ),
        (
            "a member's upgrade block lifted",
            "UPDATE members SET upgrade_blocked_until = NULL, redeem_frozen_until = NULL WHERE id = 1;",
            "members 1",
        ),
        (
            "a correction's approver changed",
            "UPDATE corrections SET decided_by = 3, reason = '改' WHERE id = 1;",
            "corrections 1",
        ),
        (
            "a dispute's outcome changed",
            "UPDATE disputes SET outcome = 'dismissed' WHERE id = 1;",
            "disputes 1",
        ),
        ("a warning deleted", "DELETE FROM warnings;", "warnings 1"),
        (
            "a violation added",
            "INSERT INTO violations (member_id, severity, at, reason) VALUES (2, 'severe', 0, 'x');",
            "violations",
        ),
        (
            "bad credit shortened",
            "UPDATE bad_credit SET active_until = 0;",
            "bad_credit 1",
        ),
        (
            "points owed forgiven",
            "UPDATE owed SET amount = 1;",
            "owed 1",
        ),
        (
            "an estate given to an heir",
            "UPDATE estate_settlements SET kind = 'inheritance', heir_member_id = 2;",
            "estate_settlements 1",
        ),
        (
            "a level change made up",
            "INSERT INTO level_history (member_id, at, old_level, new_level, kind, reason) VALUES (2, 0, 'ordinary', 'honor', 'monthly', 'x');",
            "level_history 1",
        ),
        (
            "a closed day's figures changed",
            "UPDATE day_summaries SET figures = json_set(figures, '$.services', 99) WHERE day = '2026-11-23';",
            "day_summaries 2026-11-23/1",
        ),
        (
            "a closed day reopened",
            "UPDATE station_days SET closed_at = NULL WHERE day = '2026-11-23';",
            "station_days 2026-11-23",
        ),
    ];
    for (what, sql, said) in cases {
        let db = copy(&base);
        tamper(&db.path, &format!("{sql}{FIX_FIGURES}"));
        let o = verify(&db.path);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{what}: verify passed:\n{}",
            out(&o)
        );
        assert!(
            out(&o).contains(said),
            "{what}: wanted {said:?} in:\n{}",
            out(&o)
        );
    }
}

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

/// §2.2: the audit log's tail cut, also below a closed day's head.
#[test]
fn an_audit_cut_is_found() {
    let base = history();
    let db = copy(&base);
    tamper(
        &db.path,
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log);",
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

fn station_key(db: &Path) -> String {
    let o = shiguang(&["--db", db.to_str().unwrap(), "station-key"]);
    assert!(o.status.success(), "{}", out(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// §2.3, the adversary's recipe from the issue: a forged service record and
/// its transfer put in a bundle, the figures made to match, the end hash
/// computed again. Signed, unsigned, or signed again with another key: it
/// never checks out as this station's.
#[test]
fn a_forged_bundle_fails_check_bundle() {
    let db = history();
    let dbs = db.path.to_str().unwrap();
    let key = station_key(&db.path);
    assert_eq!(key.len(), 64);
    let path = db.dir.path().join("bundles/JS01-2026-11-24.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(&key),
        "the bundle names the key station-key prints"
    );
    // the forgery: one more service of 60 minutes, figures to match
    let mut b = shiguang::bundle::Bundle::parse(&text).unwrap();
    let mut rec = b.records[0].clone();
    rec.uid = "forged".into();
    b.records.push(rec);
    let figures = shiguang::bundle::recompute(&b);
    b.summary.as_mut().unwrap().figures = figures;
    let forged_unsigned = b.to_text();
    let forged_text_signed = {
        // the body changed, the end line's hash recomputed, the old
        // signature kept
        let (body, end) = forged_unsigned.trim_end().rsplit_once('\n').unwrap();
        let old_end = text.trim_end().rsplit_once('\n').unwrap().1;
        let mut end: serde_json::Value = serde_json::from_str(end).unwrap();
        let old: serde_json::Value = serde_json::from_str(old_end).unwrap();
        end["r"]["key"] = old["r"]["key"].clone();
        end["r"]["sig"] = old["r"]["sig"].clone();
        format!("{body}\n{end}\n")
    };
    let other = shiguang::domain::signing::StationSigner::from_secret(&[7; 32]);
    let forged_resigned = b.to_signed_text(&other);
    let bad = db.dir.path().join("forged.jsonl");
    let check = |text: &str, args: &[&str]| {
        std::fs::write(&bad, text).unwrap();
        let mut all = vec!["--lang", "en", "check-bundle"];
        all.extend_from_slice(args);
        all.push(bad.to_str().unwrap());
        shiguang(&all)
    };
    // the station's own signature no longer fits
    let o = check(&forged_text_signed, &["--db", dbs]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("signature does not match"), "{}", out(&o));
    // without a signature: refused, with or without a station to compare
    for args in [&["--db", dbs][..], &[][..]] {
        let o = check(&forged_unsigned, args);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        assert!(out(&o).contains("not signed"), "{}", out(&o));
    }
    // signed again with another key: not this station's, by --db or --key
    for args in [&["--db", dbs][..], &["--key", &key][..]] {
        let o = check(&forged_resigned, args);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        assert!(out(&o).contains(&other.public_hex()), "{}", out(&o));
        assert!(out(&o).contains("not by this station's key"), "{}", out(&o));
    }
    // the true bundle checks out against the key alone
    let o = shiguang(&[
        "--lang",
        "en",
        "check-bundle",
        "--key",
        &key,
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", out(&o));
    // and a malformed key is a usage error
    let o = shiguang(&[
        "--lang",
        "en",
        "check-bundle",
        "--key",
        "xyz",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
}

/// A restore goes back on purpose: what the backup does not reach (the
/// later bundle, headquarters' acknowledgement) is set aside, not left to
/// fail every later verify.
#[test]
fn a_restore_sets_aside_the_witnesses_it_gave_up() {
    let db = copy(&history());
    let p = db.path.to_str().unwrap();
    let backups: Vec<PathBuf> = shiguang::store::backup::list(&db.dir.path().join("backups"));
    assert_eq!(backups.len(), 2);
    let older = &backups[0];
    let o = shiguang(&[
        "--db",
        p,
        "--lang",
        "en",
        "restore",
        "--from",
        older.to_str().unwrap(),
        "--yes",
        "--force",
    ]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("JS01-2026-11-23.jsonl.ahead-of-restore-"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("JS01-2026-11-24.jsonl.ahead-of-restore-"),
        "{}",
        out(&o)
    );
    verify_ok(&db.path);
}
