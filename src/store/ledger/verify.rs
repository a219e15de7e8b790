//! The whole-ledger check: the chain walked, every balance recomputed, the
//! bounds checked (kept apart from posting: it only reads).

use super::sql::*;
use crate::domain::chain::GENESIS;
use crate::domain::ledger;
use crate::store::StoreResult;
use rusqlite::Connection;
// a million lookups by id: a fast hasher (the ids are the file's own)
use foldhash::{HashMap, HashMapExt};

/// Outcome of the whole-ledger check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerReport {
    pub transfers: u64,
    pub accounts: u64,
    pub head: String,
    pub problems: Vec<String>,
}

/// Walk the chain, recompute every balance, check the bounds.
///
/// Over 80 lines: one walk of the chain with every check made on the row in hand (link,
/// hash, kinds, bounds) and the balances summed on the way; split, the checks would each
/// walk it again.
pub fn verify_ledger(conn: &Connection) -> StoreResult<LedgerReport> {
    let mut r = LedgerReport {
        head: GENESIS.to_string(),
        ..Default::default()
    };
    // account codes and staff numbers once; the rows are read in place
    let mut codes: HashMap<i64, (String, bool, i64)> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, code, kind = 'member', balance FROM accounts")?;
    for row in stmt.query_map([], |x| {
        Ok((x.get::<_, i64>(0)?, (x.get(1)?, x.get(2)?, x.get(3)?)))
    })? {
        let (id, v) = row?;
        codes.insert(id, v);
    }
    let mut staff: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, staff_no FROM staff")?;
    for row in stmt.query_map([], |x| Ok((x.get::<_, i64>(0)?, x.get::<_, String>(1)?)))? {
        let (id, no) = row?;
        staff.insert(id, no);
    }
    let mut sums: HashMap<i64, i64> = HashMap::with_capacity(codes.len());
    let mut stmt = conn.prepare(VERIFY_LEDGER_SELECT_TRANSFERS)?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    while let Some(x) = rows.next()? {
        let seq: i64 = x.get(0)?;
        let amount: i64 = x.get(3)?;
        let (debit, credit): (i64, i64) = (x.get(4)?, x.get(5)?);
        *sums.entry(debit).or_insert(0) -= amount;
        *sums.entry(credit).or_insert(0) += amount;
        let s = |i: usize| {
            x.get_ref(i)
                .ok()
                .and_then(|v| v.as_str_or_null().ok().flatten())
        };
        let code = |a: i64| codes.get(&a).map(|c| c.0.as_str()).unwrap_or("");
        let person = |i: usize| -> Option<&str> {
            x.get::<_, Option<i64>>(i)
                .ok()
                .flatten()
                .and_then(|id| staff.get(&id))
                .map(String::as_str)
        };
        let fields = ledger::TransferFields {
            id: s(1).unwrap_or(""),
            kind: s(2).unwrap_or(""),
            amount,
            debit: code(debit),
            credit: code(credit),
            record_uid: s(6),
            source: s(7),
            reverses: s(8),
            idem_key: s(9),
            staff: person(10),
            approved_by: person(11),
            at: x.get(12)?,
            memo: s(13),
        };
        let stored_prev = s(14).unwrap_or("");
        let stored = s(15).unwrap_or("");
        if r.problems.len() < 50 {
            if stored_prev != prev {
                r.problems.push(format!(
                    "ledger seq {seq}: link to the previous transfer is broken"
                ));
            }
            if ledger::transfer_hash(&prev, &fields) != stored {
                r.problems.push(format!(
                    "ledger seq {seq} ({}): hash does not match its contents",
                    fields.id
                ));
            }
        }
        prev.clear();
        prev.push_str(stored);
        r.transfers += 1;
    }
    r.head = prev;
    let mut total = 0i64;
    let mut accounts: Vec<_> = codes.iter().collect();
    accounts.sort_by_key(|(id, _)| **id);
    for (id, (code, member, balance)) in accounts {
        let sum = sums.get(id).copied().unwrap_or(0);
        r.accounts += 1;
        total += balance;
        if *balance != sum {
            r.problems.push(format!(
                "account {code}: balance {balance} but its transfers sum to {sum}"
            ));
        }
        if *member && sum < 0 {
            r.problems
                .push(format!("account {code}: below zero ({sum})"));
        }
    }
    if total != 0 {
        r.problems
            .push(format!("all balances together are {total}, not 0"));
    }
    let mut stmt = conn.prepare(VERIFY_LEDGER_SELECT_TRANSFERS_2)?;
    for row in stmt.query_map([], |x| {
        Ok((
            x.get::<_, String>(0)?,
            x.get::<_, i64>(1)?,
            x.get::<_, i64>(2)?,
        ))
    })? {
        let (id, amount, sum) = row?;
        r.problems
            .push(format!("transfer {id}: reversed {sum} of {amount}"));
    }
    let bad_kinds: i64 = conn.query_row(VERIFY_LEDGER_SELECT_TRANSFERS_3, [], |x| x.get(0))?;
    if bad_kinds > 0 {
        r.problems.push(format!(
            "{bad_kinds} transfers: reversal kind and reversal link disagree"
        ));
    }
    Ok(r)
}
