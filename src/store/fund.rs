//! The fund (共管账户): income recorded at the desk, a merchant's deposit
//! deduction posted with it, expenses proposed and signed by three
//! different staff members before they are posted. Every row is chained
//! (`domain::fund::entry_hash`) and carries the balance after it; every
//! write is one transaction with its audit row, and the three tables are
//! covered (see [`super::covers`]).

pub mod board;
pub mod verify;

use super::{Store, StoreResult, audit};
use crate::domain::chain::GENESIS;
use crate::domain::fund::{self, EntryFields, Kind};
use crate::domain::privacy::refuse_id_numbers;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// One posted fund row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundEntryRow {
    pub seq: i64,
    pub at: Stamp,
    pub kind: Kind,
    /// Signed: income positive, expense negative.
    pub amount_fen: i64,
    pub balance_fen: i64,
    pub party: String,
    pub purpose: String,
    pub member_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub expense_id: Option<i64>,
    /// Who wrote it (name).
    pub staff: String,
    /// An expense's signers' names, in signing order.
    pub signers: Vec<String>,
}

/// One signature on an expense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub staff_id: i64,
    pub name: String,
    pub at: Stamp,
}

/// An expense proposed, with its signatures so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseRow {
    pub id: i64,
    pub kind: Kind,
    pub amount_fen: i64,
    pub party: String,
    pub purpose: String,
    pub activity_id: Option<i64>,
    pub proposed_at: Stamp,
    pub signatures: Vec<Signature>,
    pub posted_seq: Option<i64>,
}

/// Income as typed at the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomeInput {
    pub kind: Kind,
    pub amount_fen: i64,
    /// Who paid (for a fee: filled from the member).
    pub party: String,
    pub purpose: String,
    /// A fee's member.
    pub member_id: Option<i64>,
}

/// An expense as proposed at the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpenseInput {
    pub kind: Kind,
    pub amount_fen: i64,
    pub party: String,
    pub purpose: String,
    pub activity_id: Option<i64>,
}

/// What a signature did: the expense as it now stands, and its fund row
/// when this was the signature that posted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub expense: ExpenseRow,
    pub posted: Option<FundEntryRow>,
}

/// The fund's view at the desk: its balance, the latest rows, the
/// expenses waiting for signatures.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FundView {
    pub balance_fen: i64,
    pub entries: Vec<FundEntryRow>,
    pub pending: Vec<ExpenseRow>,
}

/// A row about to be posted.
pub(in crate::store) struct NewEntry<'a> {
    pub at: Stamp,
    pub kind: Kind,
    /// As typed: always positive.
    pub amount_fen: i64,
    pub party: &'a str,
    pub purpose: &'a str,
    pub member_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub expense_id: Option<i64>,
    pub staff_id: i64,
    pub signers: &'a [i64],
}

const ENTRY_SELECT: &str = "SELECT e.seq, e.at, e.kind, e.amount_fen, e.balance_fen, e.party, e.purpose,
    e.member_id, e.merchant_id, e.activity_id, e.expense_id, s.name,
    coalesce((SELECT group_concat(n, '、') FROM (SELECT st.name AS n FROM fund_signatures g
        JOIN staff st ON st.id = g.staff_id WHERE g.expense_id = e.expense_id ORDER BY g.signed_at, g.id)), '')
    FROM fund_entries e JOIN staff s ON s.id = e.staff_id";

fn entry_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FundEntryRow> {
    let signers: String = r.get(12)?;
    Ok(FundEntryRow {
        seq: r.get(0)?,
        at: r.get(1)?,
        kind: Kind::parse(&r.get::<_, String>(2)?).unwrap_or(Kind::OtherOut),
        amount_fen: r.get(3)?,
        balance_fen: r.get(4)?,
        party: r.get(5)?,
        purpose: r.get(6)?,
        member_id: r.get(7)?,
        merchant_id: r.get(8)?,
        activity_id: r.get(9)?,
        expense_id: r.get(10)?,
        staff: r.get(11)?,
        signers: signers
            .split('、')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// The balance after the last row (nothing posted yet: zero).
pub(in crate::store) fn balance(conn: &Connection) -> StoreResult<i64> {
    Ok(conn
        .query_row(
            "SELECT balance_fen FROM fund_entries ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

fn staff_no(conn: &Connection, id: i64) -> StoreResult<String> {
    Ok(
        conn.query_row("SELECT staff_no FROM staff WHERE id = ?1", [id], |r| {
            r.get(0)
        })?,
    )
}

/// The signers' staff numbers as the chain holds them.
fn signer_numbers(conn: &Connection, ids: &[i64]) -> StoreResult<String> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(staff_no(conn, *id)?);
    }
    Ok(out.join(","))
}

/// Post one row inside the caller's write: the balance rule applied (an
/// expense over the balance is refused at the amount), chained to the last.
pub(in crate::store) fn post_entry(tx: &Connection, e: &NewEntry<'_>) -> StoreResult<FundEntryRow> {
    let before = balance(tx)?;
    let after = fund::post(before, e.kind, e.amount_fen)?;
    let (seq, prev): (i64, String) = tx
        .query_row(
            "SELECT seq, hash FROM fund_entries ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    let seq = seq + 1;
    let amount = fund::signed(e.kind, e.amount_fen);
    let staff = staff_no(tx, e.staff_id)?;
    let signers = signer_numbers(tx, e.signers)?;
    let fields = EntryFields {
        seq,
        at: e.at,
        kind: e.kind.as_str(),
        amount_fen: amount,
        balance_fen: after,
        party: e.party,
        purpose: e.purpose,
        member_id: e.member_id,
        merchant_id: e.merchant_id,
        activity_id: e.activity_id,
        expense_id: e.expense_id,
        staff: &staff,
        signers: &signers,
    };
    let hash = fund::entry_hash(&prev, &fields);
    tx.execute(
        "INSERT INTO fund_entries (seq, at, kind, amount_fen, balance_fen, party, purpose, member_id,
            merchant_id, activity_id, expense_id, staff_id, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            seq,
            e.at,
            e.kind.as_str(),
            amount,
            after,
            e.party,
            e.purpose,
            e.member_id,
            e.merchant_id,
            e.activity_id,
            e.expense_id,
            e.staff_id,
            prev,
            hash
        ],
    )?;
    audit::log(
        tx,
        e.at,
        Some(e.staff_id),
        "fund.post",
        "fund_entry",
        seq,
        json!({"kind": e.kind.as_str(), "amount_fen": amount, "balance_fen": after, "hash": hash}),
    )?;
    Ok(tx.query_row(
        &format!("{ENTRY_SELECT} WHERE e.seq = ?1"),
        [seq],
        entry_row,
    )?)
}

/// A free-text field: trimmed, not empty, no ID number in it.
fn text_field(field: &'static str, text: &str) -> Result<String, Refusal> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Refusal::at(field, msg!("fund.text_required")));
    }
    refuse_id_numbers(field, t)?;
    Ok(t.to_string())
}

fn expense(conn: &Connection, id: i64) -> StoreResult<ExpenseRow> {
    let row = conn
        .query_row(
            "SELECT id, kind, amount_fen, party, purpose, activity_id, proposed_at, posted_seq
             FROM fund_expenses WHERE id = ?1",
            [id],
            |r| {
                Ok(ExpenseRow {
                    id: r.get(0)?,
                    kind: Kind::parse(&r.get::<_, String>(1)?).unwrap_or(Kind::OtherOut),
                    amount_fen: r.get(2)?,
                    party: r.get(3)?,
                    purpose: r.get(4)?,
                    activity_id: r.get(5)?,
                    proposed_at: r.get(6)?,
                    signatures: Vec::new(),
                    posted_seq: r.get(7)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Refusal::general(msg!("fund.no_such_expense")))?;
    let mut stmt = conn.prepare(
        "SELECT g.staff_id, s.name, g.signed_at FROM fund_signatures g JOIN staff s ON s.id = g.staff_id
         WHERE g.expense_id = ?1 ORDER BY g.signed_at, g.id",
    )?;
    let signatures = stmt
        .query_map([id], |r| {
            Ok(Signature {
                staff_id: r.get(0)?,
                name: r.get(1)?,
                at: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(ExpenseRow { signatures, ..row })
}

fn add_signature(tx: &Connection, expense_id: i64, signer: i64, at: Stamp) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO fund_signatures (expense_id, staff_id, signed_at) VALUES (?1, ?2, ?3)",
        params![expense_id, signer, at],
    )?;
    Ok(())
}

impl Store {
    /// Money in at the desk: a member's annual fee, a subsidy, a gift.
    pub fn fund_income(
        &mut self,
        by: &Session,
        input: &IncomeInput,
        at: Stamp,
    ) -> StoreResult<FundEntryRow> {
        if !Kind::DESK_INCOME.contains(&input.kind) {
            return Err(Refusal::at("kind", msg!("fund.kind_not_income")).into());
        }
        fund::post(0, input.kind, input.amount_fen)?;
        let purpose = text_field("purpose", &input.purpose)?;
        let party = match (input.kind, input.member_id) {
            (Kind::Fee, Some(id)) => self
                .conn
                .query_row("SELECT name FROM members WHERE id = ?1", [id], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
                .ok_or_else(|| Refusal::at("member", msg!("fund.fee_member")))?,
            (Kind::Fee, None) => return Err(Refusal::at("member", msg!("fund.fee_member")).into()),
            _ => text_field("party", &input.party)?,
        };
        let member_id = input.member_id.filter(|_| input.kind == Kind::Fee);
        self.write(|tx| {
            post_entry(
                tx,
                &NewEntry {
                    at,
                    kind: input.kind,
                    amount_fen: input.amount_fen,
                    party: &party,
                    purpose: &purpose,
                    member_id,
                    merchant_id: None,
                    activity_id: None,
                    expense_id: None,
                    staff_id: by.staff_id,
                    signers: &[],
                },
            )
        })
    }

    /// An expense proposed: the proposer's is its first signature. Refused
    /// at the amount when the fund has not that much now.
    pub fn propose_expense(
        &mut self,
        by: &Session,
        input: &ExpenseInput,
        at: Stamp,
    ) -> StoreResult<ExpenseRow> {
        if !Kind::EXPENSES.contains(&input.kind) {
            return Err(Refusal::at("kind", msg!("fund.kind_not_expense")).into());
        }
        let party = text_field("party", &input.party)?;
        let purpose = text_field("purpose", &input.purpose)?;
        fund::post(balance(&self.conn)?, input.kind, input.amount_fen)?;
        self.write(|tx| {
            if let Some(a) = input.activity_id {
                tx.query_row("SELECT 1 FROM activities WHERE id = ?1", [a], |_| Ok(()))
                    .optional()?
                    .ok_or_else(|| Refusal::at("activity", msg!("fund.no_such_activity")))?;
            }
            tx.execute(
                "INSERT INTO fund_expenses (kind, amount_fen, party, purpose, activity_id, proposed_at, proposed_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![input.kind.as_str(), input.amount_fen, party, purpose, input.activity_id, at, by.staff_id],
            )?;
            let id = tx.last_insert_rowid();
            add_signature(tx, id, by.staff_id, at)?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "fund.propose",
                "fund_expense",
                id,
                json!({"kind": input.kind.as_str(), "amount_fen": input.amount_fen}),
            )?;
            expense(tx, id)
        })
    }

    /// A staff member signs a pending expense with their own number and
    /// PIN (a wrong PIN counts towards their lockout, as at sign-in); the
    /// same person twice is refused; the third different signature posts it.
    pub fn sign_expense(
        &mut self,
        by: &Session,
        expense_id: i64,
        staff_no: &str,
        pin: &str,
        at: Stamp,
    ) -> StoreResult<Signed> {
        let signer = match self.check_pin(staff_no, pin, at) {
            Ok(s) => s,
            Err(e) => {
                // counted and audited like a wrong PIN at sign-in
                return Err(self.sign_in(staff_no, pin, at).err().unwrap_or(e));
            }
        };
        self.write(|tx| {
            let e = expense(tx, expense_id)?;
            if e.posted_seq.is_some() {
                return Err(Refusal::general(msg!("fund.already_posted")).into());
            }
            let signed: Vec<i64> = e.signatures.iter().map(|s| s.staff_id).collect();
            let complete = fund::sign(&signed, signer.staff_id)?;
            add_signature(tx, expense_id, signer.staff_id, at)?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "fund.sign",
                "fund_expense",
                expense_id,
                json!({"signer": signer.staff_no, "count": signed.len() + 1}),
            )?;
            let posted = if complete {
                let mut all = signed.clone();
                all.push(signer.staff_id);
                let row = post_entry(
                    tx,
                    &NewEntry {
                        at,
                        kind: e.kind,
                        amount_fen: e.amount_fen,
                        party: &e.party,
                        purpose: &e.purpose,
                        member_id: None,
                        merchant_id: None,
                        activity_id: e.activity_id,
                        expense_id: Some(expense_id),
                        staff_id: by.staff_id,
                        signers: &all,
                    },
                )?;
                tx.execute(
                    "UPDATE fund_expenses SET posted_seq = ?1 WHERE id = ?2",
                    params![row.seq, expense_id],
                )?;
                Some(row)
            } else {
                None
            };
            Ok(Signed {
                expense: expense(tx, expense_id)?,
                posted,
            })
        })
    }

    /// The balance, the latest `limit` rows (newest first) and the
    /// expenses waiting for signatures.
    pub fn fund_view(&self, limit: usize) -> StoreResult<FundView> {
        let mut stmt = self
            .conn
            .prepare(&format!("{ENTRY_SELECT} ORDER BY e.seq DESC LIMIT ?1"))?;
        let entries = stmt
            .query_map([limit as i64], entry_row)?
            .collect::<Result<_, _>>()?;
        Ok(FundView {
            balance_fen: balance(&self.conn)?,
            entries,
            pending: self.pending_expenses()?,
        })
    }

    /// Expenses not posted yet, oldest first.
    pub fn pending_expenses(&self) -> StoreResult<Vec<ExpenseRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM fund_expenses WHERE posted_seq IS NULL ORDER BY id")?;
        let ids: Vec<i64> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter().map(|id| expense(&self.conn, id)).collect()
    }

    /// The rows posted in `[from, to)`, in order, and the balance before them.
    pub fn fund_between(&self, from: Stamp, to: Stamp) -> StoreResult<(i64, Vec<FundEntryRow>)> {
        let opening: i64 = self
            .conn
            .query_row(
                "SELECT balance_fen FROM fund_entries WHERE at < ?1 ORDER BY seq DESC LIMIT 1",
                [from],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let mut stmt = self.conn.prepare(&format!(
            "{ENTRY_SELECT} WHERE e.at >= ?1 AND e.at < ?2 ORDER BY e.seq"
        ))?;
        let rows = stmt
            .query_map(params![from, to], entry_row)?
            .collect::<Result<_, _>>()?;
        Ok((opening, rows))
    }
}
