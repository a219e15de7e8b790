//! The ledger core on a real SQLite file: posting, idempotency, reversals,
//! tamper detection, estates — and a property test over random sequences.

use crate::common;
use common::*;
use proptest::prelude::*;
use shiguang::domain::record::{Payer, RecordInput};
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::T0;
use shiguang::store::Store;
use shiguang::store::records::RecordPosted;

struct World {
    _db: TestDb,
    s: Store,
    master: Session,
    /// A second station master: corrections need four eyes.
    second: Session,
    members: Vec<i64>,
}

fn world(n: u32) -> World {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let members = approved_members(&mut s, &master, n, T0 - 200 * DAY_MS);
    let second = second_master(&mut s, &master);
    World {
        _db: db,
        s,
        master,
        second,
        members,
    }
}

use crate::common::refusal_key as key;

/// `n` one-hour services from `a` to `b` paid by the pool, two hours apart
/// before T0 (r0, r1, …).
fn hours(w: &mut World, a: i64, b: i64, n: i64) {
    for i in 0..n {
        let r = record(
            &format!("r{i}"),
            a,
            b,
            T0 - (i + 1) * 2 * HOUR_MS,
            60,
            Payer::Pool,
        );
        w.s.post_record(&w.master, &r, T0).unwrap();
    }
}

/// One hour from `a` to `b` ending an hour before T0, paid by the pool ("r").
fn an_hour(w: &mut World, a: i64, b: i64) -> RecordPosted {
    let r = record("r", a, b, T0 - HOUR_MS, 60, Payer::Pool);
    w.s.post_record(&w.master, &r, T0).unwrap()
}

#[test]
fn a_record_posts_one_transfer_and_a_double_press_posts_nothing_more() {
    let mut w = world(2);
    let (a, b) = (w.members[0], w.members[1]);
    let r = record("r-1", a, b, T0 - HOUR_MS, 90, Payer::Pool);
    let first = w.s.post_record(&w.master, &r, T0).unwrap();
    assert_eq!(first.points, 30);
    assert!(!first.existing);
    let again = w.s.post_record(&w.master, &r, T0 + 1000).unwrap();
    assert!(again.existing);
    assert_eq!(again.transfer.row.id, first.transfer.row.id);
    assert_eq!(count(&w._db.path, "SELECT count(*) FROM transfers"), 1);
    assert_eq!(w.s.balance_of_member(a).unwrap(), 30);
    assert_eq!(w.s.pool_balance().unwrap(), -30);
    // the same id with different content is refused loudly
    let changed = RecordInput { minutes: 60, ..r };
    assert_eq!(
        key(w.s.post_record(&w.master, &changed, T0).unwrap_err()),
        "record.uid_conflict"
    );
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn a_paying_recipient_needs_the_points_and_nothing_is_saved_when_short() {
    let mut w = world(3);
    let (a, b, c) = (w.members[0], w.members[1], w.members[2]);
    let r = record("r-1", a, b, T0 - HOUR_MS, 60, Payer::Recipient);
    assert_eq!(
        key(w.s.post_record(&w.master, &r, T0).unwrap_err()),
        "record.recipient_short"
    );
    assert_eq!(
        count(&w._db.path, "SELECT count(*) FROM service_records"),
        0
    );
    // b earns 40, then pays 20 to a
    w.s.post_record(
        &w.master,
        &record("r-2", b, c, T0 - 3 * HOUR_MS, 120, Payer::Pool),
        T0,
    )
    .unwrap();
    w.s.post_record(&w.master, &r, T0).unwrap();
    assert_eq!(w.s.balance_of_member(b).unwrap(), 20);
    assert_eq!(w.s.balance_of_member(a).unwrap(), 20);
}

#[test]
fn statements_run_backwards_from_the_balance() {
    let mut w = world(2);
    let (a, b) = (w.members[0], w.members[1]);
    hours(&mut w, a, b, 5);
    let acct: i64 =
        w.s.conn()
            .query_row("SELECT id FROM accounts WHERE member_id = ?1", [a], |r| {
                r.get(0)
            })
            .unwrap();
    let lines = w.s.statement(acct, 3, None).unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].balance_after, 100);
    assert_eq!(lines[1].balance_after, 80);
    assert_eq!(lines[2].balance_after, 60);
    let older = w.s.statement(acct, 10, Some(lines[2].seq)).unwrap();
    assert_eq!(older.len(), 2);
    assert_eq!(older[0].balance_after, 40);
}

#[test]
fn reversals_stay_within_the_original_and_a_reversal_of_a_reversal_too() {
    let mut w = world(2);
    let (a, b) = (w.members[0], w.members[1]);
    let p = an_hour(&mut w, a, b);
    let id = p.transfer.row.id.clone();
    let half = reverse(&mut w.s, &w.master, &w.second, &id, 10, "纠纷分担", T0).unwrap();
    assert_eq!(
        key(reverse(&mut w.s, &w.master, &w.second, &id, 11, "再冲", T0).unwrap_err()),
        "ledger.reversal_too_much"
    );
    assert_eq!(
        key(reverse(&mut w.s, &w.master, &w.second, &id, 5, " ", T0).unwrap_err()),
        "ledger.reason_required"
    );
    // undoing the reversal: at most what it moved
    assert_eq!(
        key(reverse(&mut w.s, &w.master, &w.second, &half.row.id, 11, "撤销", T0).unwrap_err()),
        "ledger.reversal_too_much"
    );
    reverse(&mut w.s, &w.master, &w.second, &half.row.id, 10, "撤销", T0).unwrap();
    assert_eq!(w.s.balance_of_member(a).unwrap(), 20);
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn the_database_refuses_update_and_delete_of_transfers_and_records() {
    let mut w = world(2);
    let (a, b) = (w.members[0], w.members[1]);
    an_hour(&mut w, a, b);
    let c = w.s.conn();
    assert!(c.execute("UPDATE transfers SET amount = 999", []).is_err());
    assert!(c.execute("DELETE FROM transfers", []).is_err());
    assert!(
        c.execute("UPDATE service_records SET minutes = 999", [])
            .is_err()
    );
    assert!(c.execute("DELETE FROM service_records", []).is_err());
}

#[test]
fn tampering_with_any_field_is_found_by_verify() {
    for (sql, what) in [
        (
            "UPDATE transfers SET amount = amount + 1 WHERE seq = 2",
            "hash",
        ),
        ("UPDATE transfers SET at = at + 1 WHERE seq = 1", "hash"),
        ("UPDATE transfers SET memo = 'x' WHERE seq = 3", "hash"),
        (
            "UPDATE transfers SET credit_account = debit_account, debit_account = credit_account WHERE seq = 2",
            "hash",
        ),
        ("DELETE FROM transfers WHERE seq = 2", "broken"),
        (
            "UPDATE accounts SET balance = balance + 5 WHERE id = 2",
            "balance",
        ),
        ("UPDATE audit_log SET at = 0 WHERE seq = 3", "audit"),
    ] {
        let mut w = world(2);
        let (a, b) = (w.members[0], w.members[1]);
        hours(&mut w, a, b, 3);
        w.s.conn()
            .execute_batch(&format!(
                "DROP TRIGGER transfers_no_update; DROP TRIGGER transfers_no_delete; DROP TRIGGER audit_log_no_update; {sql};"
            ))
            .unwrap();
        let problems = w.s.verify().unwrap().problems;
        assert!(
            problems.iter().any(|p| p.contains(what)),
            "{sql}: {problems:?}"
        );
    }
}

#[test]
fn estates_inherit_for_honor_members_and_clear_otherwise() {
    let mut w = world(4);
    let (honor, heir, plain, elder) = (w.members[0], w.members[1], w.members[2], w.members[3]);
    for (i, m) in [honor, plain].into_iter().enumerate() {
        w.s.post_record(
            &w.master,
            &record(
                &format!("r{i}"),
                m,
                elder,
                T0 - (i as i64 + 1) * 3 * HOUR_MS,
                60,
                Payer::Pool,
            ),
            T0,
        )
        .unwrap();
    }
    w.s.conn()
        .execute("UPDATE members SET level = 'honor' WHERE id = ?1", [honor])
        .unwrap();
    assert_eq!(
        key(w
            .s
            .settle_estate(&w.master, honor, Some(heir), "D-1", "K-1", T0)
            .unwrap_err()),
        "estate.no_heir_registered"
    );
    w.s.register_heir(&w.master, honor, "会员1", "儿子", "13800000002", T0)
        .unwrap();
    assert_eq!(
        key(w
            .s
            .settle_estate(&w.master, honor, Some(heir), "D-1", "", T0)
            .unwrap_err()),
        "estate.kinship_required"
    );
    w.s.settle_estate(&w.master, honor, Some(heir), "D-1", "K-1", T0)
        .unwrap();
    assert_eq!(w.s.balance_of_member(heir).unwrap(), 20);
    assert_eq!(w.s.balance_of_member(honor).unwrap(), 0);
    assert_eq!(
        key(w
            .s
            .settle_estate(&w.master, plain, Some(heir), "D-2", "K", T0)
            .unwrap_err()),
        "estate.not_honor"
    );
    let pool_before = w.s.pool_balance().unwrap();
    w.s.settle_estate(&w.master, plain, None, "D-2", "", T0)
        .unwrap();
    assert_eq!(w.s.pool_balance().unwrap(), pool_before + 20);
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn frozen_members_earn_but_cannot_pay() {
    let mut w = world(3);
    let (a, b, c) = (w.members[0], w.members[1], w.members[2]);
    w.s.post_record(
        &w.master,
        &record("r0", b, c, T0 - 5 * HOUR_MS, 120, Payer::Pool),
        T0,
    )
    .unwrap();
    w.s.set_frozen(&w.master, b, true, "核查中", T0).unwrap();
    // b still earns
    w.s.post_record(
        &w.master,
        &record("r1", b, c, T0 - 2 * HOUR_MS, 60, Payer::Pool),
        T0,
    )
    .unwrap();
    // but cannot pay
    let r = record("r2", a, b, T0 - HOUR_MS, 60, Payer::Recipient);
    assert_eq!(
        key(w.s.post_record(&w.master, &r, T0).unwrap_err()),
        "record.recipient_frozen"
    );
    w.s.set_frozen(&w.master, b, false, "", T0).unwrap();
    w.s.post_record(&w.master, &r, T0).unwrap();
}

#[derive(Debug, Clone)]
enum Op {
    Serve {
        provider: usize,
        recipient: usize,
        minutes: u32,
        from_pool: bool,
    },
    Reverse {
        which: usize,
        pct: u8,
    },
    Freeze {
        who: usize,
        on: bool,
    },
    Estate {
        who: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0usize..5, 0usize..5, 2u32..120, any::<bool>()).prop_map(|(p, r, m, f)| Op::Serve { provider: p, recipient: r, minutes: m, from_pool: f }),
        2 => (0usize..20, 1u8..=100).prop_map(|(w, p)| Op::Reverse { which: w, pct: p }),
        1 => (0usize..5, any::<bool>()).prop_map(|(w, on)| Op::Freeze { who: w, on }),
        1 => (0usize..5).prop_map(|w| Op::Estate { who: w }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Any sequence of postings, reversals, freezes and estates keeps every
    /// invariant: no member below zero, balances equal sums, the chain holds,
    /// all accounts together sum to zero. Refused operations change nothing.
    #[test]
    fn any_sequence_keeps_the_ledger_whole(ops in prop::collection::vec(op(), 1..30)) {
        let mut w = world(5);
        let mut transfers: Vec<String> = Vec::new();
        for (i, o) in ops.iter().enumerate() {
            let before = count(&w._db.path, "SELECT count(*) FROM transfers");
            let end = T0 - (i as i64 + 1) * 5 * HOUR_MS;
            let res = match o.clone() {
                Op::Serve { provider, recipient, minutes, from_pool } => {
                    let r = record(&format!("p{i}"), w.members[provider], w.members[recipient], end, minutes,
                        if from_pool { Payer::Pool } else { Payer::Recipient });
                    w.s.post_record(&w.master, &RecordInput { late_reason: Some("补登".into()), ..r }, T0).map(|p| transfers.push(p.transfer.row.id))
                }
                Op::Reverse { which, pct } => match transfers.get(which).cloned() {
                    Some(id) => {
                        let amount: i64 = w.s.conn().query_row("SELECT amount FROM transfers WHERE id = ?1", [&id], |r| r.get(0)).unwrap();
                        reverse(&mut w.s, &w.master, &w.second, &id, (amount * i64::from(pct) / 100).max(1), "更正", T0).map(|p| transfers.push(p.row.id))
                    }
                    None => Ok(()),
                },
                Op::Freeze { who, on } => w.s.set_frozen(&w.master, w.members[who], on, "核查", T0),
                Op::Estate { who } => w.s.settle_estate(&w.master, w.members[who], None, "D", "", T0).map(|_| ()),
            };
            if res.is_err() {
                prop_assert_eq!(count(&w._db.path, "SELECT count(*) FROM transfers"), before, "a refused operation wrote a transfer");
            }
        }
        let report = w.s.verify().unwrap();
        prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
        prop_assert_eq!(count(&w._db.path, "SELECT count(*) FROM accounts WHERE kind = 'member' AND balance < 0"), 0);
        prop_assert_eq!(count(&w._db.path, "SELECT coalesce(sum(balance), 0) FROM accounts"), 0);
    }
}

#[test]
fn a_reversal_undone_restores_the_service_in_the_level_history() {
    let mut w = world(2);
    let (a, b) = (w.members[0], w.members[1]);
    let p = an_hour(&mut w, a, b);
    let minutes = |w: &World| {
        let levels = w.s.settings().levels;
        shiguang::store::standing::history(w.s.conn(), a, T0 + 1, &levels, w.s.tz())
            .unwrap()
            .minutes_served
    };
    assert_eq!(minutes(&w), 60);
    let back = reverse(
        &mut w.s,
        &w.master,
        &w.second,
        &p.transfer.row.id,
        20,
        "有误",
        T0,
    )
    .unwrap();
    assert_eq!(minutes(&w), 0, "fully reversed: not served");
    assert_eq!(w.s.record(p.record_id).unwrap().reversed, 20);
    // the reversal itself was the mistake: undoing half of it
    reverse(
        &mut w.s,
        &w.master,
        &w.second,
        &back.row.id,
        10,
        "撤销冲正",
        T0,
    )
    .unwrap();
    assert_eq!(minutes(&w), 60, "half given back: the service counts again");
    assert_eq!(w.s.record(p.record_id).unwrap().reversed, 10);
}

/// The heir asks in writing for the pool: the points are cleared there,
/// the request and the heir named with the estate; an heir who is not a
/// member otherwise gets an account of their own in the same write.
#[test]
fn an_heir_who_is_not_a_member_inherits_into_an_account_or_asks_for_the_pool() {
    use shiguang::store::estates::EstateInput;
    let mut w = world(3);
    let (a, b, elder) = (w.members[0], w.members[1], w.members[2]);
    for (i, m) in [a, b].into_iter().enumerate() {
        let r = record(
            &format!("r{i}"),
            m,
            elder,
            T0 - (i as i64 + 1) * 3 * HOUR_MS,
            60,
            Payer::Pool,
        );
        w.s.post_record(&w.master, &r, T0).unwrap();
    }
    w.s.conn()
        .execute(
            "UPDATE members SET level = 'honor' WHERE id IN (?1, ?2)",
            [a, b],
        )
        .unwrap();
    for m in [a, b] {
        w.s.register_heir(&w.master, m, "张小明", "儿子", "13800000099", T0)
            .unwrap();
    }
    let base = EstateInput {
        death_certificate: "D-7".into(),
        heir_name: "张小明".into(),
        kinship_proof: "户口本".into(),
        ..EstateInput::default()
    };
    // only the station master settles an estate
    let liaison =
        w.s.add_staff(
            &w.master,
            "李建国",
            shiguang::domain::staff::Role::Liaison,
            "3917",
            T0,
        )
        .unwrap();
    assert_eq!(
        key(w.s.settle_estate_with(&liaison, a, &base, T0).unwrap_err()),
        "staff.master_only"
    );
    w.s.settle_estate_with(&w.master, a, &base, T0).unwrap();
    let (name, code, balance) = w.s.heir_account_of(a).unwrap().unwrap();
    assert_eq!((name.as_str(), balance), ("张小明", 20));
    assert!(code.starts_with("h:"), "{code}");
    let pool = w.s.pool_balance().unwrap();
    let waived = EstateInput {
        written_request: "继承人申请书 2026-12".into(),
        ..base
    };
    w.s.settle_estate_with(&w.master, b, &waived, T0).unwrap();
    assert_eq!(w.s.pool_balance().unwrap(), pool + 20);
    assert_eq!(w.s.heir_account_of(b).unwrap(), None);
    assert_eq!(
        count(
            &w._db.path,
            "SELECT count(*) FROM estate_heirs WHERE written_request = '继承人申请书 2026-12' AND account_id IS NULL"
        ),
        1
    );
    assert!(w.s.verify().unwrap().problems.is_empty());
    // the heir's record is covered: an edit from outside the app is found
    rusqlite::Connection::open(&w._db.path)
        .unwrap()
        .execute("UPDATE estate_heirs SET name = '王二'", [])
        .unwrap();
    let problems = w.s.verify().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("estate_heirs")),
        "{problems:?}"
    );
}
