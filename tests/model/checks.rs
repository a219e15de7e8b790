//! One step on both sides, and every invariant, store against model.

use crate::model::{Acct, Model, Status};
use crate::ops::Op;
use crate::world::{World, run, settle};
use proptest::prelude::*;
use shiguang::domain::level;
use shiguang::domain::time::Stamp;
use shiguang::store::StoreError;
use std::collections::HashMap;

pub fn keys(e: &StoreError) -> Result<Vec<&'static str>, TestCaseError> {
    match e {
        StoreError::Refused(_) | StoreError::Invalid(_) => {
            Ok(e.refusals().iter().map(|r| r.msg.key).collect())
        }
        other => Err(TestCaseError::fail(format!(
            "the store failed instead of refusing: {other:?}"
        ))),
    }
}

/// The transfers after `seq`, with accounts as the model names them.
pub type Seen = (String, String, i64, Acct, Acct, Option<String>);

pub fn transfers_after(w: &World, m: &Model, seq: i64) -> Vec<(i64, Seen)> {
    let member_ix: HashMap<i64, usize> = m
        .members
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id, i))
        .collect();
    let merchant_ix: HashMap<i64, usize> = m
        .merchants
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id, i))
        .collect();
    let c = w.s.conn();
    let mut acct = HashMap::new();
    let mut st = c
        .prepare("SELECT id, kind, member_id, merchant_id FROM accounts")
        .unwrap();
    for row in st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })
        .unwrap()
    {
        let (id, kind, mem, mer) = row.unwrap();
        let a = match kind.as_str() {
            "pool" => Acct::Pool,
            "member" => Acct::Member(member_ix[&mem.unwrap()]),
            _ => Acct::Merchant(merchant_ix[&mer.unwrap()]),
        };
        acct.insert(id, a);
    }
    let mut st = c
        .prepare(
            "SELECT seq, id, kind, amount, debit_account, credit_account, reverses FROM transfers WHERE seq > ?1 ORDER BY seq",
        )
        .unwrap();
    st.query_map([seq], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            (
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                acct[&r.get::<_, i64>(4)?],
                acct[&r.get::<_, i64>(5)?],
                r.get::<_, Option<String>>(6)?,
            ),
        ))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

pub fn last_seq(w: &World) -> i64 {
    w.s.conn()
        .query_row("SELECT coalesce(max(seq), 0) FROM transfers", [], |r| {
            r.get(0)
        })
        .unwrap()
}

/// One step on both sides; both must agree.
pub fn step(w: &mut World, m: &mut Model, op: &Op) -> Result<(), TestCaseError> {
    let nothing_to_retry = match op {
        Op::Retry { record: true } => w.last_record.is_none(),
        Op::Retry { record: false } => w.last_redemption.is_none(),
        _ => false,
    };
    if !m.applicable(op) || nothing_to_retry {
        return Ok(());
    }
    let seq = last_seq(w);
    let mut next = m.clone();
    let expected = next.apply(op);
    let actual = match op {
        Op::NextMonth | Op::RunLevels => {
            let master = w.master.clone();
            let run = w.s.run_monthly_levels(Some(&master), next.now);
            match (op, run) {
                (Op::NextMonth, Ok(_)) => settle(w, next.now),
                (_, run) => run.map(|_| None),
            }
        }
        _ => run(w, m, op),
    };
    let written = transfers_after(w, &next, seq);
    if std::env::var_os("MODEL_TRACE").is_some() {
        let name = format!("{op:?}");
        let name = name.split([' ', '{']).next().unwrap_or("").to_string();
        let verdict = match &actual {
            Ok(_) => format!(
                "ok {:?}",
                written
                    .iter()
                    .map(|(_, t)| t.1.as_str())
                    .collect::<Vec<_>>()
            ),
            Err(e) => format!(
                "{:?}",
                e.refusals().iter().map(|r| r.msg.key).collect::<Vec<_>>()
            ),
        };
        eprintln!("TRACE {name} {verdict}");
    }
    match (expected, actual) {
        (Ok(()), Ok(created)) => {
            match op {
                // a rejected person applying again keeps their member
                Op::Register { .. } if next.members.len() > m.members.len() => {
                    next.members.last_mut().unwrap().id = created.unwrap()
                }
                Op::OpenDispute { .. } => next.disputes.last_mut().unwrap().id = created.unwrap(),
                Op::Record { .. } | Op::RecordFromRequest { .. } => {
                    next.records.last_mut().unwrap().id = created.unwrap()
                }
                _ => {}
            }
            // the requests made (by intake or by the settlement), in order
            let ids: Vec<i64> = {
                let mut st =
                    w.s.conn()
                        .prepare("SELECT id FROM requests ORDER BY id LIMIT -1 OFFSET ?1")
                        .unwrap();
                st.query_map([m.requests.len() as i64], |r| r.get(0))
                    .unwrap()
                    .map(|r| r.unwrap())
                    .collect()
            };
            prop_assert_eq!(
                ids.len(),
                next.requests.len() - m.requests.len(),
                "requests made by {:?}",
                op
            );
            for (k, id) in ids.into_iter().enumerate() {
                next.requests[m.requests.len() + k].id = id;
            }
            let want = &next.transfers[m.transfers.len()..];
            let got: Vec<_> = written.iter().map(|(_, t)| t.clone()).collect();
            let want_cmp: Vec<_> = want
                .iter()
                .map(|t| {
                    (
                        t.kind.as_str().to_string(),
                        t.amount,
                        t.debit,
                        t.credit,
                        t.reverses.map(|r| next.transfers[r].id.clone()),
                    )
                })
                .collect();
            let got_cmp: Vec<_> = got
                .iter()
                .map(|(_, k, a, d, c, r)| (k.clone(), *a, *d, *c, r.clone()))
                .collect();
            prop_assert_eq!(got_cmp, want_cmp, "transfers written by {:?}", op);
            let start = m.transfers.len();
            for (k, (id, ..)) in got.into_iter().enumerate() {
                next.transfers[start + k].id = id;
            }
            *m = next;
        }
        (Err(want), Err(e)) => {
            let got = keys(&e)?;
            prop_assert!(
                got.iter().any(|k| want.contains(k)),
                "{:?} refused for {:?}, the model expected {:?}",
                op,
                got,
                want
            );
            prop_assert!(
                written.is_empty(),
                "refused {:?} wrote transfers {:?}",
                op,
                written
            );
            let requests: i64 =
                w.s.conn()
                    .query_row("SELECT count(*) FROM requests", [], |r| r.get(0))
                    .unwrap();
            prop_assert_eq!(
                requests as usize,
                m.requests.len(),
                "refused {:?} made requests",
                op
            );
            if matches!(op, Op::NextMonth) {
                m.now = next.now;
            }
        }
        (Ok(()), Err(e)) => {
            return Err(TestCaseError::fail(format!(
                "the store refused {op:?} ({e}) but the rules allow it"
            )));
        }
        (Err(want), Ok(_)) => {
            return Err(TestCaseError::fail(format!(
                "the store accepted {op:?} but the rules refuse it ({want:?})"
            )));
        }
    }
    Ok(())
}

/// Every invariant, store against model.
pub fn check(w: &World, m: &Model) -> Result<(), TestCaseError> {
    let c = w.s.conn();
    let one = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    prop_assert_eq!(
        one("SELECT coalesce(sum(balance), 0) FROM accounts"),
        0,
        "the ledger does not sum to zero"
    );
    prop_assert_eq!(
        one("SELECT count(*) FROM accounts WHERE kind = 'member' AND balance < 0"),
        0,
        "a member below zero"
    );
    prop_assert_eq!(
        one("SELECT count(*) FROM accounts a WHERE a.balance !=
                coalesce((SELECT sum(amount) FROM transfers WHERE credit_account = a.id), 0)
              - coalesce((SELECT sum(amount) FROM transfers WHERE debit_account = a.id), 0)"),
        0,
        "a cached balance differs from its transfers"
    );
    prop_assert_eq!(m.balances.values().sum::<i64>(), 0);
    prop_assert_eq!(w.s.pool_balance().unwrap(), m.balance(Acct::Pool), "pool");
    for (k, x) in m.merchants.iter().enumerate() {
        let got: i64 = c
            .query_row(
                "SELECT balance FROM accounts WHERE merchant_id = ?1",
                [x.id],
                |r| r.get(0),
            )
            .unwrap();
        prop_assert_eq!(got, m.balance(Acct::Merchant(k)), "merchant {}", k);
    }
    let owed: HashMap<i64, i64> = {
        let mut st = c
            .prepare("SELECT member_id, sum(amount) FROM owed GROUP BY member_id")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    for (i, x) in m.members.iter().enumerate() {
        prop_assert_eq!(
            w.s.balance_of_member(x.id).unwrap(),
            m.balance(Acct::Member(i)),
            "balance of member {}",
            i
        );
        prop_assert_eq!(
            owed.get(&x.id).copied().unwrap_or(0),
            m.owed.get(&i).copied().unwrap_or(0),
            "owed by member {}",
            i
        );
        let (status, lvl, frozen, black, rfu, number): (
            String,
            String,
            bool,
            bool,
            Option<Stamp>,
            Option<String>,
        ) = c
            .query_row(
                "SELECT status, level, frozen, blacklisted_at IS NOT NULL, redeem_frozen_until, number FROM members WHERE id = ?1",
                [x.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .unwrap();
        prop_assert_eq!(status.as_str(), x.status.as_str(), "status of member {}", i);
        prop_assert_eq!(lvl.as_str(), x.level.as_str(), "level of member {}", i);
        prop_assert_eq!(frozen, x.frozen, "frozen flag of member {}", i);
        prop_assert_eq!(black, x.blacklisted, "blacklist of member {}", i);
        prop_assert_eq!(
            rfu,
            x.redeem_frozen_until,
            "redemption freeze of member {}",
            i
        );
        prop_assert_eq!(number.is_some(), x.numbered, "number of member {}", i);
        if x.status == Status::Approved {
            let view = w.s.level_view(x.id, m.now).unwrap();
            let d = level::evaluate(&m.history(i, m.now), &m.rules, m.now);
            prop_assert_eq!(
                view.next,
                d.level,
                "level preview of member {}: store {:?}, rules on the model's history {:?}",
                i,
                view.reasons,
                d.reasons
            );
        }
    }
    for (k, q) in m.requests.iter().enumerate() {
        type Row = (
            String,
            Option<i64>,
            u32,
            Option<u32>,
            Option<u32>,
            Option<u32>,
            Option<i64>,
        );
        let (state, helper, minutes, owed, left, minutes_left, parent): Row = c
            .query_row(
                "SELECT state, helper_id, minutes, services_owed, services_left, minutes_left, parent_id FROM requests WHERE id = ?1",
                [q.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )
            .unwrap();
        prop_assert_eq!(state.as_str(), q.state.as_str(), "state of request {}", k);
        prop_assert_eq!(minutes, q.minutes, "minutes of request {}", k);
        let services = owed
            .zip(left)
            .zip(minutes_left)
            .map(|((o, l), ml)| (o, l, ml));
        prop_assert_eq!(services, q.services, "services of request {}", k);
        prop_assert_eq!(
            parent,
            q.parent.map(|p| m.requests[p].id),
            "parent of request {}",
            k
        );
        prop_assert_eq!(
            helper,
            q.helper.map(|h| m.members[h].id),
            "helper of request {}",
            k
        );
    }
    let report = w.s.verify().unwrap();
    prop_assert!(report.problems.is_empty(), "verify: {:?}", report.problems);
    prop_assert_eq!(report.transfers as usize, m.transfers.len());
    Ok(())
}
