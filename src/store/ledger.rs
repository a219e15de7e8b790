//! The points ledger: every change of points is one transfer through
//! [`post`], the single place that checks the rules, links the hash chain
//! and (by trigger) moves the balances.

use super::{Store, StoreError, StoreResult, audit, new_uid};
use crate::domain::chain::GENESIS;
use crate::domain::ledger::{self, Side, TransferKind, TransferRow};
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

mod sql;
mod verify;
use sql::*;
pub use verify::{LedgerReport, verify_ledger};

pub const POOL: i64 = 1;

/// A transfer to post. Accounts are account ids.
#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub kind: TransferKind,
    pub amount: i64,
    pub debit: i64,
    pub credit: i64,
    pub record_id: Option<i64>,
    pub source: Option<String>,
    pub reverses: Option<String>,
    pub idem_key: Option<String>,
    pub staff_id: Option<i64>,
    pub approved_by: Option<i64>,
    pub at: Stamp,
    pub memo: Option<String>,
}

impl NewTransfer {
    pub fn new(
        kind: TransferKind,
        amount: i64,
        debit: i64,
        credit: i64,
        staff_id: Option<i64>,
        at: Stamp,
    ) -> Self {
        NewTransfer {
            kind,
            amount,
            debit,
            credit,
            record_id: None,
            source: None,
            reverses: None,
            idem_key: None,
            staff_id,
            approved_by: None,
            at,
            memo: None,
        }
    }
}

/// A posted transfer with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub seq: i64,
    pub row: TransferRow,
    /// True when an earlier identical posting was found (idempotency).
    pub existing: bool,
}

fn staff_no(conn: &Connection, id: Option<i64>) -> StoreResult<Option<String>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(conn
            .query_row("SELECT staff_no FROM staff WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?),
    }
}

fn account_code(conn: &Connection, id: i64) -> StoreResult<String> {
    conn.query_row("SELECT code FROM accounts WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| StoreError::Other(format!("no account {id}")))
}

/// The account of a member, created on first use (members get one when
/// approved, as `m:<member number>`).
pub fn member_account(conn: &Connection, member_id: i64, at: Stamp) -> StoreResult<i64> {
    if let Some(id) = conn
        .query_row(
            "SELECT id FROM accounts WHERE member_id = ?1",
            [member_id],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let number: Option<String> = conn
        .query_row(
            "SELECT number FROM members WHERE id = ?1",
            [member_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let number = number.ok_or_else(|| Refusal::general(msg!("ledger.no_account")))?;
    conn.execute(
        MEMBER_ACCOUNT_INSERT_ACCOUNTS,
        params![format!("m:{number}"), member_id, at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn side(conn: &Connection, account: i64, at: Stamp) -> StoreResult<Side> {
    conn.query_row(SIDE_SELECT_ACCOUNTS, params![account, at], |r| {
        Ok(Side {
            is_member: r.get(0)?,
            balance: r.get(1)?,
            frozen: r.get(2)?,
            blacklisted: r.get(3)?,
        })
    })
    .optional()?
    .ok_or_else(|| StoreError::Other(format!("no account {account}")))
}

/// The newest transfer's hash (the chain head) and its sequence number.
pub fn head(conn: &Connection) -> StoreResult<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM transfers ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string())))
}

pub fn row_at(conn: &Connection, seq: i64) -> StoreResult<TransferRow> {
    Ok(conn.query_row(ROW_AT_SELECT_TRANSFERS, [seq], |r| {
        Ok(TransferRow {
            id: r.get(0)?,
            kind: r.get(1)?,
            amount: r.get(2)?,
            debit: r.get(3)?,
            credit: r.get(4)?,
            record_uid: r.get(5)?,
            source: r.get(6)?,
            reverses: r.get(7)?,
            idem_key: r.get(8)?,
            staff: r.get(9)?,
            approved_by: r.get(10)?,
            at: r.get(11)?,
            memo: r.get(12)?,
        })
    })?)
}

/// Post one transfer: the rules, the idempotency key, the chain link, the
/// row. Balances move by trigger in the same transaction. Call inside a
/// write transaction together with the row it belongs to and its audit row.
///
/// Over 80 lines: the idempotency check, the rules, the chain link and the row in the one
/// order that keeps a retried post from posting twice; each step short.
pub fn post(conn: &Connection, t: NewTransfer) -> StoreResult<Posted> {
    if let Some(key) = &t.idem_key
        && let Some((seq, kind, amount, debit, credit)) = conn
            .query_row(POST_SELECT_TRANSFERS, [key], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .optional()?
    {
        if kind == t.kind.as_str() && amount == t.amount && debit == t.debit && credit == t.credit {
            return Ok(Posted {
                seq,
                row: row_at(conn, seq)?,
                existing: true,
            });
        }
        return Err(Refusal::general(msg!("ledger.idem_conflict", key = key)).into());
    }
    if t.debit == t.credit {
        return Err(StoreError::Other(
            "a transfer needs two different accounts".into(),
        ));
    }
    let debit = side(conn, t.debit, t.at)?;
    let credit = side(conn, t.credit, t.at)?;
    ledger::check_transfer(t.kind, t.amount, &debit, &credit)?;
    let (_, prev) = head(conn)?;
    let record_uid: Option<String> = match t.record_id {
        Some(id) => conn
            .query_row("SELECT uid FROM service_records WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?,
        None => None,
    };
    let row = TransferRow {
        id: new_uid(t.at),
        kind: t.kind.as_str().to_string(),
        amount: t.amount,
        debit: account_code(conn, t.debit)?,
        credit: account_code(conn, t.credit)?,
        record_uid,
        source: t.source.clone(),
        reverses: t.reverses.clone(),
        idem_key: t.idem_key.clone(),
        staff: staff_no(conn, t.staff_id)?,
        approved_by: staff_no(conn, t.approved_by)?,
        at: t.at,
        memo: t.memo.clone(),
    };
    let hash = row.hash(&prev);
    conn.execute(
        POST_INSERT_TRANSFERS,
        params![
            row.id,
            row.kind,
            row.amount,
            t.debit,
            t.credit,
            t.record_id,
            row.source,
            row.reverses,
            row.idem_key,
            t.staff_id,
            t.approved_by,
            row.at,
            row.memo,
            prev,
            hash
        ],
    )?;
    Ok(Posted {
        seq: conn.last_insert_rowid(),
        row,
        existing: false,
    })
}

/// How much of a transfer has been reversed so far.
pub fn reversed_so_far(conn: &Connection, transfer_id: &str) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(amount), 0) FROM transfers WHERE reverses = ?1",
        [transfer_id],
        |r| r.get(0),
    )?)
}

/// Reverse `amount` of a transfer: a new transfer the other way that points
/// at it. Never more than the original in total.
/// A reversal to post: which transfer, how much, why, by whom.
#[derive(Debug, Clone)]
pub struct Reversal<'a> {
    /// `Reversal`, or `DisputeSplit` for a mediated share.
    pub kind: TransferKind,
    pub transfer_id: &'a str,
    pub amount: i64,
    pub reason: &'a str,
    pub staff_id: Option<i64>,
    pub approved_by: Option<i64>,
    pub source: Option<String>,
    pub at: Stamp,
}

pub fn reverse(conn: &Connection, rv: Reversal<'_>) -> StoreResult<Posted> {
    let Reversal {
        kind,
        transfer_id,
        amount,
        reason,
        staff_id,
        approved_by,
        source,
        at,
    } = rv;
    let orig: Option<(i64, i64, i64, Option<i64>)> = conn
        .query_row(REVERSE_SELECT_TRANSFERS, [transfer_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (orig_amount, debit, credit, record_id) =
        orig.ok_or_else(|| Refusal::general(msg!("ledger.unknown_transfer")))?;
    ledger::check_reversal(orig_amount, reversed_so_far(conn, transfer_id)?, amount)?;
    let mut t = NewTransfer::new(kind, amount, credit, debit, staff_id, at);
    t.reverses = Some(transfer_id.to_string());
    t.record_id = record_id;
    t.approved_by = approved_by;
    t.source = source;
    t.memo = Some(reason.to_string());
    post(conn, t)
}

/// A line of an account's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    pub seq: i64,
    pub id: String,
    pub at: Stamp,
    pub kind: TransferKind,
    /// + received, − paid
    pub delta: i64,
    pub balance_after: i64,
    pub counterpart: String,
    /// The member's or the merchant's name, when the other side is one.
    pub counterpart_name: Option<String>,
    pub record_id: Option<i64>,
    /// Who entered it, and `/approver` for a correction.
    pub staff: Option<String>,
    pub memo: Option<String>,
    pub reverses: Option<String>,
}

/// Station totals for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Points paid out of the pool (welfare services, settlements…).
    pub issued: i64,
    /// Points members spent on services and redemptions.
    pub spent: i64,
    /// All points moved by services.
    pub service_points: i64,
    pub transfers: i64,
}

impl Store {
    pub fn balance_of_member(&self, member_id: i64) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT balance FROM accounts WHERE member_id = ?1",
                [member_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    pub fn pool_balance(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row(STATEMENT_SELECT_ACCOUNTS, [POOL], |r| r.get(0))?)
    }

    /// The newest `limit` lines of an account's statement, newest first, with
    /// the running balance after each; `before_seq` pages further back.
    pub fn statement(
        &self,
        account: i64,
        limit: usize,
        before_seq: Option<i64>,
    ) -> StoreResult<Vec<StatementLine>> {
        let before = before_seq.unwrap_or(i64::MAX);
        let mut balance: i64 = match before_seq {
            None => self.conn.query_row(
                "SELECT balance FROM accounts WHERE id = ?1",
                [account],
                |r| r.get(0),
            )?,
            Some(b) => {
                self.conn
                    .query_row(STATEMENT_SELECT_TRANSFERS, params![account, b], |r| {
                        r.get(0)
                    })?
            }
        };
        let mut stmt = self.conn.prepare(STATEMENT_SELECT_TRANSFERS_2)?;
        let rows = stmt.query_map(params![account, before, limit as i64], |r| {
            let amount: i64 = r.get(4)?;
            let debit: i64 = r.get(5)?;
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                if debit == account { -amount } else { amount },
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
                r.get::<_, Option<String>>(12)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                seq,
                id,
                at,
                kind,
                delta,
                counterpart,
                counterpart_name,
                record_id,
                staff,
                memo,
                reverses,
            ) = row?;
            out.push(StatementLine {
                seq,
                id,
                at,
                kind: TransferKind::parse(&kind).unwrap_or(TransferKind::Adjustment),
                delta,
                balance_after: balance,
                counterpart,
                counterpart_name,
                record_id,
                staff,
                memo,
                reverses,
            });
            balance -= delta;
        }
        Ok(out)
    }

    /// Totals of transfers with `at` in [from, to).
    pub fn totals(&self, from: Stamp, to: Stamp) -> StoreResult<Totals> {
        Ok(self
            .conn
            .query_row(TOTALS_SELECT_TRANSFERS, params![from, to, POOL], |r| {
                Ok(Totals {
                    issued: r.get(0)?,
                    spent: r.get(1)?,
                    service_points: r.get(2)?,
                    transfers: r.get(3)?,
                })
            })?)
    }

    /// Freeze or unfreeze a member's spending (earning goes on).
    pub fn set_frozen(
        &mut self,
        by: &Session,
        member_id: i64,
        frozen: bool,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        let reason = reason.trim();
        if frozen && reason.is_empty() {
            return Err(Refusal::at("reason", msg!("ledger.freeze_reason")).into());
        }
        self.write(|tx| {
            let n = tx.execute(
                SET_FROZEN_UPDATE_MEMBERS,
                params![
                    frozen,
                    if frozen { Some(reason) } else { None },
                    at,
                    member_id
                ],
            )?;
            if n == 0 {
                return Err(Refusal::general(msg!("member.unknown")).into());
            }
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                if frozen {
                    "member.freeze"
                } else {
                    "member.unfreeze"
                },
                "member",
                member_id,
                json!({"reason": reason}),
            )?;
            Ok(())
        })
    }

    /// A transfer by its id, for the reversal screen.
    pub fn transfer(&self, id: &str) -> StoreResult<Option<(TransferRow, i64)>> {
        let seq: Option<i64> = self
            .conn
            .query_row("SELECT seq FROM transfers WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match seq {
            None => Ok(None),
            Some(seq) => Ok(Some((
                row_at(&self.conn, seq)?,
                reversed_so_far(&self.conn, id)?,
            ))),
        }
    }
}
