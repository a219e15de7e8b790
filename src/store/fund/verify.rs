//! The fund's chain walked by `shiguang verify`: each row's link and hash,
//! its balance the running sum of the rows before it and never below zero,
//! an expense row posted only with three or more different signers.

use crate::domain::chain::GENESIS;
use crate::domain::fund::{self, EntryFields};
use crate::store::StoreResult;
use rusqlite::Connection;
use std::collections::HashMap;

/// What is wrong with the fund, if anything (empty: nothing).
pub fn verify_fund(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut problems = Vec::new();
    let mut staff: HashMap<i64, String> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, staff_no FROM staff")?;
    for row in stmt.query_map([], |x| Ok((x.get::<_, i64>(0)?, x.get::<_, String>(1)?)))? {
        let (id, no) = row?;
        staff.insert(id, no);
    }
    let mut signers: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut stmt =
        conn.prepare("SELECT expense_id, staff_id FROM fund_signatures ORDER BY signed_at, id")?;
    for row in stmt.query_map([], |x| Ok((x.get::<_, i64>(0)?, x.get::<_, i64>(1)?)))? {
        let (e, s) = row?;
        signers.entry(e).or_default().push(s);
    }
    let mut stmt = conn.prepare(
        "SELECT seq, at, kind, amount_fen, balance_fen, party, purpose, member_id, merchant_id,
                activity_id, expense_id, staff_id, prev_hash, hash FROM fund_entries ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut running = 0i64;
    let no = |id: i64| staff.get(&id).cloned().unwrap_or_default();
    while let Some(x) = rows.next()? {
        let seq: i64 = x.get(0)?;
        let kind: String = x.get(2)?;
        let amount: i64 = x.get(3)?;
        let balance: i64 = x.get(4)?;
        let party: String = x.get(5)?;
        let purpose: String = x.get(6)?;
        let expense_id: Option<i64> = x.get(10)?;
        let by: i64 = x.get(11)?;
        let stored_prev: String = x.get(12)?;
        let stored: String = x.get(13)?;
        let signed: Vec<i64> = expense_id
            .and_then(|e| signers.get(&e).cloned())
            .unwrap_or_default();
        let numbers: Vec<String> = signed.iter().map(|s| no(*s)).collect();
        let joined = numbers.join(",");
        let fields = EntryFields {
            seq,
            at: x.get(1)?,
            kind: &kind,
            amount_fen: amount,
            balance_fen: balance,
            party: &party,
            purpose: &purpose,
            member_id: x.get(7)?,
            merchant_id: x.get(8)?,
            activity_id: x.get(9)?,
            expense_id,
            staff: &no(by),
            signers: &joined,
        };
        if problems.len() < 50 {
            if stored_prev != prev {
                problems.push(format!(
                    "fund seq {seq}: link to the previous row is broken"
                ));
            }
            if fund::entry_hash(&prev, &fields) != stored {
                problems.push(format!("fund seq {seq}: hash does not match its contents"));
            }
        }
        running += amount;
        if balance != running {
            problems.push(format!(
                "fund seq {seq}: balance {balance} but the rows sum to {running}"
            ));
        }
        if running < 0 {
            problems.push(format!("fund seq {seq}: below zero ({running})"));
        }
        let is_expense = fund::Kind::parse(&kind).is_some_and(|k| !k.is_income());
        let distinct: std::collections::HashSet<_> = signed.iter().collect();
        if is_expense && (expense_id.is_none() || distinct.len() < fund::SIGNATURES_NEEDED) {
            problems.push(format!(
                "fund seq {seq}: an expense without {} signatures",
                fund::SIGNATURES_NEEDED
            ));
        }
        prev = stored;
    }
    Ok(problems)
}
