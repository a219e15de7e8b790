//! Tamper evidence (issue 15 §2), tried the way an attacker would: the
//! SQLite file edited directly with the guarding triggers dropped, the
//! chains cut back, a day bundle forged — then `shiguang verify --full` and
//! `shiguang check-bundle` run as processes must find it.

use crate::common;
use crate::common::hq as hq_common;

mod bundles;
mod cuts;
mod rows;

use common::*;
use rusqlite::Connection;
use shiguang::domain::dispute::{Category, Outcome};
use shiguang::domain::record::Payer;
use shiguang::domain::staff::{Role, Session};
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS, Stamp};
use shiguang::harness::T0;
use shiguang::store::Store;
use shiguang::store::disputes::{Channel, Decision, NewDispute};
use std::path::Path;
use std::process::Output;

/// 2026-11-23 00:00 in Shanghai (T0 is 10:00 that day) and the day after.
pub const D0: Stamp = T0 - 10 * HOUR_MS;
pub const D1: Stamp = D0 + DAY_MS;

pub fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub fn verify(db: &Path) -> Output {
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
pub fn verify_ok(db: &Path) {
    let o = verify(db);
    assert!(o.status.success(), "{}", out(&o));
}

/// `verify --full` fails and says `what`.
#[track_caller]
pub fn verify_finds(db: &Path, what: &str) {
    let o = verify(db);
    assert_eq!(o.status.code(), Some(1), "verify passed: {}", out(&o));
    assert!(out(&o).contains(what), "wanted {what:?} in:\n{}", out(&o));
}

pub fn dispute(s: &mut Store, by: &Session, a: i64, b: i64, record: Option<i64>, at: Stamp) -> i64 {
    let d = NewDispute {
        suggestion: false,
        channel: Channel::Phone,
        category: Some(Category::Quality),
        party_a: Some(a),
        party_b: Some(b),
        record_id: record,
        subject: "服务迟到".into(),
        reported_by: "本人".into(),
        merchant: None,
    };
    s.open_dispute(by, &d, at).unwrap().id
}

pub fn decision(outcome: Outcome, severity: Option<&str>) -> Decision {
    Decision {
        outcome,
        split_pct: None,
        severity: severity.map(Into::into),
        target: severity.map(|_| "b".into()),
        reason: "核实".into(),
        // the whole 60-minute service over-reported, as before the form asked
        over_minutes: severity.filter(|s| *s == "moderate").map(|_| 60),
        pause_days: None,
        deposit_fen: None,
    }
}

/// Two closed days of a station's life, each with its backup and its
/// signed bundle: services, a warning, bad credit, a moderate violation
/// with points owed, a four-eyes reversal, a frozen member, a death, an
/// application pending and one rejected. The second day holds one more
/// service (rated 3, so it changes nothing else).
pub fn history() -> TestDb {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let deputy = second_master(&mut s, &master);
    let liaison = s
        .add_staff(&master, "李建国", Role::Liaison, "7294", T0 - DAY_MS)
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
            end + 10 * MINUTE_MS,
        )
        .unwrap()
    };
    let r1 = post(&mut s, "r1", helper, elder, D0 + 9 * HOUR_MS);
    let r2 = post(&mut s, "r2", helper, elder, D0 + 11 * HOUR_MS);
    let r3 = post(&mut s, "r3", late, other, D0 + 11 * HOUR_MS);
    let staff = Staff {
        master: &master,
        deputy: &deputy,
        liaison: &liaison,
    };
    first_day_standing(
        &mut s,
        &staff,
        [helper, elder, other, late],
        [&r1, &r2, &r3],
    );
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
    s.post_record(&master, &r4, D1 + 9 * HOUR_MS + 10 * MINUTE_MS)
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

/// Who did what on the first day.
pub struct Staff<'a> {
    master: &'a Session,
    deputy: &'a Session,
    liaison: &'a Session,
}

/// The first day's decisions: every kind of change to standing.
fn first_day_standing(
    s: &mut Store,
    staff: &Staff<'_>,
    [helper, elder, other, late]: [i64; 4],
    [r1, r2, r3]: [&shiguang::store::records::RecordPosted; 3],
) {
    let (master, deputy, liaison) = (staff.master, staff.deputy, staff.liaison);
    let at = D0 + 12 * HOUR_MS;
    // a warning (and the points given back), bad credit, a moderate violation
    let d = dispute(s, liaison, elder, helper, Some(r1.record_id), at);
    s.decide_dispute(liaison, d, &decision(Outcome::ProviderFault, None), at)
        .unwrap();
    let d = dispute(s, liaison, elder, helper, Some(r2.record_id), at);
    s.decide_dispute(liaison, d, &decision(Outcome::RequesterFault, None), at)
        .unwrap();
    let d = dispute(s, liaison, elder, helper, Some(r2.record_id), at);
    s.decide_dispute(
        master,
        d,
        &decision(Outcome::Violation, Some("moderate")),
        at,
    )
    .unwrap();
    reverse(s, master, deputy, &r3.transfer.row.id, 5, "多记了", at).unwrap();
    s.set_frozen(master, other, true, "卡片丢失待核实", at)
        .unwrap();
    s.settle_estate(master, late, None, "死亡证明 2026-001", "", at)
        .unwrap();
}

/// A copy of a station's folder (the file, its key, bundles, backups).
pub fn copy(db: &TestDb) -> TestDb {
    let to = temp_db();
    copy_dir(db.dir.path(), to.dir.path());
    to
}

pub fn copy_dir(from: &Path, to: &Path) {
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
pub fn tamper(db: &Path, sql: &str) {
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
pub const FIX_FIGURES: &str = "
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
