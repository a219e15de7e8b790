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
use std::collections::HashMap;

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
        "INSERT INTO accounts (kind, code, member_id, created_at) VALUES ('member', ?1, ?2, ?3)",
        params![format!("m:{number}"), member_id, at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn side(conn: &Connection, account: i64, at: Stamp) -> StoreResult<Side> {
    conn.query_row(
        "SELECT a.kind = 'member', a.balance,
                coalesce(m.frozen = 1 OR coalesce(m.redeem_frozen_until, 0) > ?2, 0),
                coalesce(m.blacklisted_at IS NOT NULL, 0)
         FROM accounts a LEFT JOIN members m ON m.id = a.member_id WHERE a.id = ?1",
        params![account, at],
        |r| {
            Ok(Side {
                is_member: r.get(0)?,
                balance: r.get(1)?,
                frozen: r.get(2)?,
                blacklisted: r.get(3)?,
            })
        },
    )
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
    Ok(conn.query_row(
        "SELECT t.id, t.kind, t.amount, d.code, c.code, r.uid, t.source, t.reverses, t.idem_key,
                s.staff_no, p.staff_no, t.at, t.memo
         FROM transfers t
         JOIN accounts d ON d.id = t.debit_account JOIN accounts c ON c.id = t.credit_account
         LEFT JOIN service_records r ON r.id = t.record_id
         LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN staff p ON p.id = t.approved_by
         WHERE t.seq = ?1",
        [seq],
        |r| {
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
        },
    )?)
}

/// Post one transfer: the rules, the idempotency key, the chain link, the
/// row. Balances move by trigger in the same transaction. Call inside a
/// write transaction together with the row it belongs to and its audit row.
pub fn post(conn: &Connection, t: NewTransfer) -> StoreResult<Posted> {
    if let Some(key) = &t.idem_key
        && let Some((seq, kind, amount, debit, credit)) = conn
            .query_row(
                "SELECT seq, kind, amount, debit_account, credit_account FROM transfers WHERE idem_key = ?1",
                [key],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?)),
            )
            .optional()?
    {
        if kind == t.kind.as_str() && amount == t.amount && debit == t.debit && credit == t.credit {
            return Ok(Posted { seq, row: row_at(conn, seq)?, existing: true });
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
        "INSERT INTO transfers (id, kind, amount, debit_account, credit_account, record_id, source, reverses, idem_key,
            staff_id, approved_by, at, memo, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
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
        .query_row(
            "SELECT amount, debit_account, credit_account, record_id FROM transfers WHERE id = ?1",
            [transfer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
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
            .query_row("SELECT balance FROM accounts WHERE id = ?1", [POOL], |r| {
                r.get(0)
            })?)
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
            None => self.conn.query_row("SELECT balance FROM accounts WHERE id = ?1", [account], |r| r.get(0))?,
            Some(b) => self.conn.query_row(
                "SELECT coalesce(sum(CASE WHEN credit_account = ?1 THEN amount ELSE -amount END), 0)
                 FROM transfers WHERE (debit_account = ?1 OR credit_account = ?1) AND seq < ?2",
                params![account, b],
                |r| r.get(0),
            )?,
        };
        let mut stmt = self.conn.prepare(
            "SELECT t.seq, t.id, t.at, t.kind, t.amount, t.debit_account, t.credit_account,
                    CASE WHEN t.debit_account = ?1 THEN c.code ELSE d.code END,
                    CASE WHEN t.debit_account = ?1 THEN coalesce(mc.name, xc.name)
                         ELSE coalesce(md.name, xd.name) END,
                    t.record_id, s.staff_no || coalesce('/' || p.staff_no, ''), t.memo, t.reverses
             FROM (SELECT * FROM transfers WHERE debit_account = ?1 AND seq < ?2
                   UNION ALL SELECT * FROM transfers WHERE credit_account = ?1 AND seq < ?2
                   ORDER BY seq DESC LIMIT ?3) t
             JOIN accounts d ON d.id = t.debit_account JOIN accounts c ON c.id = t.credit_account
             LEFT JOIN members md ON md.id = d.member_id LEFT JOIN members mc ON mc.id = c.member_id
             LEFT JOIN merchants xd ON xd.id = d.merchant_id LEFT JOIN merchants xc ON xc.id = c.merchant_id
             LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN staff p ON p.id = t.approved_by
             ORDER BY t.seq DESC",
        )?;
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
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(CASE WHEN debit_account = ?3 THEN amount END), 0),
                    coalesce(sum(CASE WHEN kind IN ('service', 'redemption', 'merchant_redemption') AND debit_account != ?3 THEN amount END), 0),
                    coalesce(sum(CASE WHEN kind = 'service' THEN amount END), 0),
                    count(*)
             FROM transfers WHERE at >= ?1 AND at < ?2",
            params![from, to, POOL],
            |r| Ok(Totals { issued: r.get(0)?, spent: r.get(1)?, service_points: r.get(2)?, transfers: r.get(3)? }),
        )?)
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
                "UPDATE members SET frozen = ?1, frozen_reason = ?2, updated_at = ?3 WHERE id = ?4",
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

/// Outcome of the whole-ledger check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerReport {
    pub transfers: u64,
    pub accounts: u64,
    pub head: String,
    pub problems: Vec<String>,
}

/// Walk the chain, recompute every balance, check the bounds.
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
    let mut stmt = conn.prepare(
        "SELECT t.seq, t.id, t.kind, t.amount, t.debit_account, t.credit_account, rec.uid, t.source, t.reverses, t.idem_key,
                t.staff_id, t.approved_by, t.at, t.memo, t.prev_hash, t.hash
         FROM transfers t LEFT JOIN service_records rec ON rec.id = t.record_id
         ORDER BY t.seq",
    )?;
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
    let mut stmt = conn.prepare(
        "SELECT o.id, o.amount, sum(x.amount) FROM transfers x JOIN transfers o ON o.id = x.reverses
         GROUP BY o.id HAVING sum(x.amount) > o.amount",
    )?;
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
    let bad_kinds: i64 = conn.query_row(
        "SELECT count(*) FROM transfers WHERE (kind IN ('reversal', 'dispute_split')) != (reverses IS NOT NULL)",
        [],
        |x| x.get(0),
    )?;
    if bad_kinds > 0 {
        r.problems.push(format!(
            "{bad_kinds} transfers: reversal kind and reversal link disagree"
        ));
    }
    Ok(r)
}

impl Store {
    /// A member has died: an honor member's balance passes to the registered
    /// heir (a member), with the death certificate and kinship proof
    /// recorded; anyone else's balance is cleared to the station pool.
    pub fn settle_estate(
        &mut self,
        by: &Session,
        member_id: i64,
        heir_member: Option<i64>,
        death_certificate: &str,
        kinship_proof: &str,
        at: Stamp,
    ) -> StoreResult<Option<Posted>> {
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        let death_certificate = death_certificate.trim();
        if death_certificate.is_empty() {
            return Err(
                Refusal::at("death_certificate", msg!("estate.certificate_required")).into(),
            );
        }
        self.write(|tx| {
            let row = super::members::member_row(tx, member_id)?;
            if row.status != crate::domain::member::MemberStatus::Approved {
                return Err(Refusal::general(msg!("estate.not_active")).into());
            }
            let honor = row.level == crate::domain::level::Level::Honor;
            let heir_registered: bool =
                tx.query_row("SELECT heir_registered_at IS NOT NULL FROM members WHERE id = ?1", [member_id], |r| r.get(0))?;
            let kind = if honor && heir_member.is_some() { TransferKind::Inheritance } else { TransferKind::Clearance };
            if kind == TransferKind::Inheritance {
                if !heir_registered {
                    return Err(Refusal::at("heir", msg!("estate.no_heir_registered")).into());
                }
                if kinship_proof.trim().is_empty() {
                    return Err(Refusal::at("kinship_proof", msg!("estate.kinship_required")).into());
                }
                if heir_member == Some(member_id) {
                    return Err(Refusal::at("heir", msg!("estate.heir_self")).into());
                }
                // the heir is a living, approved member: not a pending or
                // rejected application, not someone whose estate is settled
                if let Some(heir) = heir_member {
                    let heir = super::members::member_row(tx, heir)
                        .map_err(|_| Refusal::at("heir", msg!("member.unknown")))?;
                    if heir.status != crate::domain::member::MemberStatus::Approved {
                        return Err(Refusal::at("heir", msg!("estate.heir_not_member")).into());
                    }
                }
            } else if heir_member.is_some() {
                return Err(Refusal::at("heir", msg!("estate.not_honor")).into());
            }
            let acct = member_account(tx, member_id, at)?;
            let balance: i64 = tx.query_row("SELECT balance FROM accounts WHERE id = ?1", [acct], |r| r.get(0))?;
            let posted = if balance > 0 {
                let to = match heir_member {
                    Some(h) if kind == TransferKind::Inheritance => member_account(tx, h, at)?,
                    _ => POOL,
                };
                let mut t = NewTransfer::new(kind, balance, acct, to, Some(by.staff_id), at);
                t.source = Some(format!("estate:{member_id}"));
                t.idem_key = Some(format!("estate:{member_id}"));
                Some(post(tx, t)?)
            } else {
                None
            };
            tx.execute(
                "INSERT INTO estate_settlements (member_id, kind, heir_member_id, death_certificate, kinship_proof, transfer_id, at, by_staff)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    member_id,
                    kind.as_str(),
                    heir_member,
                    death_certificate,
                    Some(kinship_proof.trim()).filter(|s| !s.is_empty()),
                    posted.as_ref().map(|p| p.row.id.clone()),
                    at,
                    by.staff_id
                ],
            )?;
            tx.execute("UPDATE members SET status = 'deceased', ended_at = ?1, updated_at = ?1 WHERE id = ?2", params![at, member_id])?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.estate",
                "member",
                member_id,
                json!({"kind": kind.as_str(), "heir": heir_member, "amount": balance, "certificate": death_certificate}),
            )?;
            Ok(posted)
        })
    }
}
