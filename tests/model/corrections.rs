//! Corrections with four eyes: entered by one, approved by another master.

use crate::common;
use common::*;
use shiguang::domain::correction::{Decision, Direction};
use shiguang::domain::record::Payer;
use shiguang::domain::staff::Role;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::T0;
use shiguang::store::corrections::Proposal;

use crate::common::refusal_key as key;

#[test]
fn nothing_moves_until_a_different_master_approves_and_both_are_on_the_transfer() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let second = second_master(&mut s, &master);
    let liaison = s
        .add_staff(&master, "李建国", Role::Liaison, "5170", T0 - DAY_MS)
        .unwrap();
    let a = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let b = approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    let posted = s
        .post_record(
            &master,
            &record("r1", a, b, T0 - HOUR_MS, 60, Payer::Pool),
            T0,
        )
        .unwrap();
    let tid = posted.transfer.row.id.clone();
    let transfers = || count(&db.path, "SELECT count(*) FROM transfers");
    let before = transfers();

    let p = Proposal::Reversal {
        transfer_id: tid.clone(),
        amount: 12,
    };
    let id = s.propose_correction(&liaison, &p, "时长记错", T0).unwrap();
    assert_eq!(transfers(), before, "a proposal posts nothing");
    assert_eq!(s.balance_of_member(a).unwrap(), 20);
    assert_eq!(s.open_corrections().unwrap().len(), 1);

    // the author cannot decide; a liaison cannot approve
    assert_eq!(
        key(s
            .decide_correction(&liaison, id, Decision::Approve, "", T0)
            .unwrap_err()),
        "correction.four_eyes"
    );
    let other_liaison = s
        .add_staff(&master, "陈晓燕", Role::Liaison, "2749", T0 - DAY_MS)
        .unwrap();
    assert_eq!(
        key(s
            .decide_correction(&other_liaison, id, Decision::Approve, "", T0)
            .unwrap_err()),
        "staff.master_only"
    );
    assert_eq!(transfers(), before);

    let done = s
        .decide_correction(&second, id, Decision::Approve, "", T0 + 1)
        .unwrap()
        .unwrap();
    assert_eq!(transfers(), before + 1);
    assert_eq!(s.balance_of_member(a).unwrap(), 8);
    assert_eq!(done.row.staff.as_deref(), Some(liaison.staff_no.as_str()));
    assert_eq!(
        done.row.approved_by.as_deref(),
        Some(second.staff_no.as_str())
    );
    assert_eq!(done.row.reverses.as_deref(), Some(tid.as_str()));
    // a second press decides nothing more
    assert_eq!(
        key(s
            .decide_correction(&master, id, Decision::Approve, "", T0 + 2)
            .unwrap_err()),
        "correction.already_decided"
    );
    assert_eq!(transfers(), before + 1);
    assert!(s.open_corrections().unwrap().is_empty());
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM audit_log WHERE action IN ('correction.propose', 'correction.approve')"
        ),
        2
    );
    assert!(s.verify().unwrap().problems.is_empty());
}

#[test]
fn open_proposals_together_cannot_undo_more_than_the_transfer_moved() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let second = second_master(&mut s, &master);
    let a = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let b = approved_member(&mut s, &master, "李奶奶", 2, T0 - 200 * DAY_MS);
    let tid = s
        .post_record(
            &master,
            &record("r1", a, b, T0 - HOUR_MS, 60, Payer::Pool),
            T0,
        )
        .unwrap()
        .transfer
        .row
        .id;
    let rev = |n| Proposal::Reversal {
        transfer_id: tid.clone(),
        amount: n,
    };
    let first = s.propose_correction(&master, &rev(15), "一半", T0).unwrap();
    assert_eq!(
        key(s
            .propose_correction(&master, &rev(6), "再一半", T0)
            .unwrap_err()),
        "ledger.reversal_too_much"
    );
    // refusing frees the claim again; refusing needs a reason
    assert_eq!(
        key(s
            .decide_correction(&second, first, Decision::Refuse, " ", T0)
            .unwrap_err()),
        "correction.refusal_reason"
    );
    s.decide_correction(&second, first, Decision::Refuse, "核实无误,不需冲正", T0)
        .unwrap();
    let again = s.propose_correction(&master, &rev(20), "全部", T0).unwrap();
    // only the author withdraws
    assert_eq!(
        key(s
            .decide_correction(&second, again, Decision::Withdraw, "", T0)
            .unwrap_err()),
        "correction.only_own_withdraw"
    );
    s.decide_correction(&master, again, Decision::Withdraw, "", T0)
        .unwrap();
    assert_eq!(s.balance_of_member(a).unwrap(), 20);
    assert_eq!(count(&db.path, "SELECT count(*) FROM transfers"), 1);
}

#[test]
fn adjustments_are_checked_when_entered_and_again_when_approved() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let second = second_master(&mut s, &master);
    let a = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let adj = |direction, amount| Proposal::Adjustment {
        member_id: a,
        direction,
        amount,
    };
    // bad input: nothing is saved
    assert_eq!(
        key(s
            .propose_correction(&master, &adj(Direction::Credit, 0), "补", T0)
            .unwrap_err()),
        "ledger.amount_positive"
    );
    assert_eq!(
        key(s
            .propose_correction(&master, &adj(Direction::Credit, 5), "  ", T0)
            .unwrap_err()),
        "ledger.reason_required"
    );
    assert_eq!(
        key(s
            .propose_correction(&master, &adj(Direction::Debit, 5), "扣", T0)
            .unwrap_err()),
        "ledger.short"
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM corrections"), 0);

    let credit = s
        .propose_correction(&master, &adj(Direction::Credit, 30), "纸质台账漏登", T0)
        .unwrap();
    s.decide_correction(&second, credit, Decision::Approve, "", T0)
        .unwrap();
    assert_eq!(s.balance_of_member(a).unwrap(), 30);
    // two debits that each fit, but not both: the second fails at approval
    let d1 = s
        .propose_correction(&master, &adj(Direction::Debit, 20), "重复登记", T0)
        .unwrap();
    let d2 = s
        .propose_correction(&master, &adj(Direction::Debit, 20), "重复登记", T0)
        .unwrap();
    s.decide_correction(&second, d1, Decision::Approve, "", T0)
        .unwrap();
    assert_eq!(
        key(s
            .decide_correction(&second, d2, Decision::Approve, "", T0)
            .unwrap_err()),
        "correction.spent_since",
        "the approver is told what to do: refuse, or a smaller one"
    );
    assert_eq!(s.balance_of_member(a).unwrap(), 10);
    assert_eq!(s.open_corrections().unwrap().len(), 1, "still waiting");
    assert!(s.verify().unwrap().problems.is_empty());
}

#[test]
fn the_database_keeps_decided_corrections_as_they_were() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let second = second_master(&mut s, &master);
    let a = approved_member(&mut s, &master, "张三丰", 1, T0 - 200 * DAY_MS);
    let p = Proposal::Adjustment {
        member_id: a,
        direction: Direction::Credit,
        amount: 5,
    };
    let id = s.propose_correction(&master, &p, "补登", T0).unwrap();
    s.decide_correction(&second, id, Decision::Approve, "", T0)
        .unwrap();
    for sql in [
        "UPDATE corrections SET amount = 500",
        "UPDATE corrections SET outcome = 'refused'",
        "DELETE FROM corrections",
    ] {
        assert!(s.conn().execute(sql, []).is_err(), "{sql} went through");
    }
    // and a self-approval cannot be written even by hand
    let open = s.propose_correction(&master, &p, "再补", T0).unwrap();
    assert!(
        s.conn()
            .execute(
                "UPDATE corrections SET outcome = 'approved', decided_by = proposed_by WHERE id = ?1",
                [open],
            )
            .is_err()
    );
}
