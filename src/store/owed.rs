//! Points owed after a penalty (docs/rules.md §4): what a member could not
//! pay is recorded in `owed` and taken back from their next earnings, each
//! take a penalty transfer to the pool with its `owed_taken` row.

use super::ledger::{self, NewTransfer, POOL};
use super::{Store, StoreResult};
use crate::domain::dispute;
use crate::domain::ledger::TransferKind;
use crate::domain::time::Stamp;
use rusqlite::{Connection, params};

/// The memo of a take-back transfer; the statement shows it in words.
pub const OWED_MEMO: &str = "owed";

/// What a member still owes: every amount owed less what was taken back.
pub fn outstanding(conn: &Connection, member_id: i64) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT coalesce(sum(amount), 0) FROM owed WHERE member_id = ?1)
              - (SELECT coalesce(sum(amount), 0) FROM owed_taken WHERE member_id = ?1)",
        [member_id],
        |r| r.get(0),
    )?)
}

/// After a member earned `earned` points (already on their account), take
/// back what they owe, up to those points. Returns what was taken.
pub fn take_back(
    conn: &Connection,
    member_id: i64,
    earned: i64,
    staff_id: Option<i64>,
    at: Stamp,
) -> StoreResult<i64> {
    let due = dispute::owed_to_take(outstanding(conn, member_id)?, earned);
    if due <= 0 {
        return Ok(0);
    }
    let acct = ledger::member_account(conn, member_id, at)?;
    let mut t = NewTransfer::new(TransferKind::Penalty, due, acct, POOL, staff_id, at);
    t.source = Some(format!("owed:{member_id}"));
    t.memo = Some(OWED_MEMO.into());
    let posted = ledger::post(conn, t)?;
    conn.execute(
        "INSERT INTO owed_taken (member_id, amount, transfer_id, at) VALUES (?1, ?2, ?3, ?4)",
        params![member_id, due, posted.row.id, at],
    )?;
    Ok(due)
}

impl Store {
    /// What a member still owes after penalties (shown on the member).
    pub fn owed_by(&self, member_id: i64) -> StoreResult<i64> {
        outstanding(&self.conn, member_id)
    }
}
