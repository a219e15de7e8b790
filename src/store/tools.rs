//! The tool corner (工具角): the checklist's counted items as a catalogue,
//! loans to members, returns, losses. Every write is one transaction with
//! its audit row; loans and write-offs are covered (see [`super::covers`]).
//! The rules are [`crate::domain::tool`]'s.

use super::{Store, StoreError, StoreResult, audit};
use crate::domain::member::MemberStatus;
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::domain::tool::{self, Borrower, Condition, LendKind, Loss, Stock};
use crate::msg;
use crate::msg::Refusal;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::collections::BTreeMap;

mod sql;
use sql::*;

/// An item of the tool corner with its count and what is out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolItem {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub kind: LendKind,
    /// How many the station has (the checklist's expected count).
    pub count: u32,
    pub on_loan: u32,
    pub overdue: u32,
}

impl ToolItem {
    pub fn available(&self) -> u32 {
        tool::available(self.count, self.on_loan)
    }
}

/// A loan, open or closed, with who has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRow {
    pub id: i64,
    pub item_id: i64,
    pub item_zh: String,
    pub item_en: String,
    pub member_id: i64,
    pub member_name: String,
    pub member_number: String,
    /// Stored in full: the screens mask it (the call rules).
    pub phone: String,
    pub lent_at: Stamp,
    pub due: NaiveDate,
    pub closed_at: Option<Stamp>,
    /// `good`, `damaged`, `lost`, `broken` once closed.
    pub outcome: Option<String>,
    pub note: String,
}

impl LoanRow {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    pub fn overdue_on(&self, today: NaiveDate) -> bool {
        self.is_open() && tool::is_overdue(self.due, today)
    }
}

fn item_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<ToolItem> {
    Ok(ToolItem {
        id: r.get(0)?,
        name_zh: r.get(1)?,
        name_en: r.get(2)?,
        kind: LendKind::parse(&r.get::<_, String>(3)?).unwrap_or(LendKind::None),
        count: r.get::<_, Option<u32>>(4)?.unwrap_or(0),
        on_loan: r.get(5)?,
        overdue: r.get(6)?,
    })
}

fn loan_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<LoanRow> {
    let due: String = r.get(10)?;
    Ok(LoanRow {
        id: r.get(0)?,
        item_id: r.get(1)?,
        item_zh: r.get(2)?,
        item_en: r.get(3)?,
        member_id: r.get(4)?,
        member_name: r.get(5)?,
        member_number: r.get(6)?,
        phone: r.get(7)?,
        lent_at: r.get(8)?,
        closed_at: r.get(9)?,
        due: due.parse().unwrap_or_default(),
        outcome: r.get(11)?,
        note: r.get(12)?,
    })
}

fn item(conn: &Connection, id: i64, today: NaiveDate) -> StoreResult<ToolItem> {
    let today = today.to_string();
    conn.query_row(ITEM_SELECT, params![id, today], item_of)
        .optional()?
        .ok_or_else(|| Refusal::at("item", msg!("tool.unknown_item")).into())
}

fn loan(conn: &Connection, id: i64) -> StoreResult<LoanRow> {
    conn.query_row(&format!("{LOAN_SELECT} WHERE l.id = ?1"), [id], loan_of)
        .optional()?
        .ok_or_else(|| Refusal::general(msg!("tool.unknown_loan")).into())
}

fn borrower(conn: &Connection, member_id: i64, today: NaiveDate) -> StoreResult<Borrower> {
    let row: Option<(String, bool, bool, u32, u32)> = conn
        .query_row(
            BORROWER_SELECT,
            params![member_id, today.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (status, blacklisted, frozen, overdue, walkers_out) =
        row.ok_or_else(|| Refusal::at("member", msg!("member.unknown")))?;
    Ok(Borrower {
        approved: MemberStatus::parse(&status) == Some(MemberStatus::Approved),
        blacklisted,
        frozen,
        overdue,
        walkers_out,
    })
}

impl Store {
    fn today_at(&self, at: Stamp) -> NaiveDate {
        time::local_day(at, self.tz())
    }

    /// The tool corner's items in use, in the checklist's order.
    pub fn tool_items(&self, at: Stamp) -> StoreResult<Vec<ToolItem>> {
        let today = self.today_at(at).to_string();
        let mut st = self.conn.prepare(ITEMS_SELECT)?;
        let rows = st.query_map([&today], item_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Loans not yet back, soonest due first.
    pub fn open_loans(&self) -> StoreResult<Vec<LoanRow>> {
        let mut st = self.conn.prepare(&format!(
            "{LOAN_SELECT} WHERE l.closed_at IS NULL ORDER BY l.due_day, l.id"
        ))?;
        let rows = st.query_map([], loan_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Loans past due on the day of `at`: who to call.
    pub fn overdue_loans(&self, at: Stamp) -> StoreResult<Vec<LoanRow>> {
        let today = self.today_at(at);
        Ok(self
            .open_loans()?
            .into_iter()
            .filter(|l| l.overdue_on(today))
            .collect())
    }

    /// How many loans are overdue on the day of `at` (the header).
    pub fn overdue_loan_count(&self, at: Stamp) -> StoreResult<u32> {
        let today = self.today_at(at).to_string();
        Ok(self.conn.query_row(OVERDUE_COUNT, [today], |r| r.get(0))?)
    }

    /// How many of each checklist item are out on loan now.
    pub fn on_loan_by_item(&self) -> StoreResult<BTreeMap<i64, u32>> {
        let mut st = self.conn.prepare(ON_LOAN_BY_ITEM)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Lend one of an item to a member until `due` (the rules first: who
    /// may borrow, one left, the date).
    pub fn lend_tool(
        &mut self,
        by: &Session,
        item_id: i64,
        member_id: i64,
        due: NaiveDate,
        at: Stamp,
    ) -> StoreResult<LoanRow> {
        let today = self.today_at(at);
        tool::check_due(due, today).map_err(|r| StoreError::Invalid(vec![r]))?;
        self.write(|tx| {
            let it = item(tx, item_id, today)?;
            let b = borrower(tx, member_id, today)?;
            let stock = Stock {
                kind: it.kind,
                count: it.count,
                on_loan: it.on_loan,
            };
            tool::may_lend(&b, &stock).map_err(|r| StoreError::Invalid(vec![r]))?;
            tx.execute(
                LEND_INSERT,
                params![item_id, member_id, at, by.staff_id, due.to_string()],
            )?;
            let id = tx.last_insert_rowid();
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "tool.lend",
                "tool_loan",
                id,
                json!({"item": item_id, "member": member_id, "due": due.to_string()}),
            )?;
            loan(tx, id)
        })
    }

    /// A loan comes back, good or damaged (a damaged one with a note).
    pub fn return_tool(
        &mut self,
        by: &Session,
        loan_id: i64,
        condition: Condition,
        note: &str,
        at: Stamp,
    ) -> StoreResult<LoanRow> {
        tool::check_note(note, condition == Condition::Damaged)
            .map_err(|r| StoreError::Invalid(vec![r]))?;
        self.write(|tx| {
            close_loan(tx, by, loan_id, condition.as_str(), note, at)?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "tool.return",
                "tool_loan",
                loan_id,
                json!({"condition": condition.as_str(), "note": note.trim()}),
            )?;
            loan(tx, loan_id)
        })
    }

    /// One of an item lost or broken, on loan (`loan_id`, closing it) or
    /// from the shelf: a write-off with its note, and the count goes down
    /// (the last one takes the item off the checklist). How many are left.
    pub fn write_off_tool(
        &mut self,
        by: &Session,
        item_id: i64,
        loan_id: Option<i64>,
        loss: Loss,
        note: &str,
        at: Stamp,
    ) -> StoreResult<u32> {
        tool::check_note(note, true).map_err(|r| StoreError::Invalid(vec![r]))?;
        let today = self.today_at(at);
        self.write(|tx| {
            let it = item(tx, item_id, today)?;
            if let Some(l) = loan_id {
                let row = loan(tx, l)?;
                if row.item_id != item_id {
                    return Err(Refusal::general(msg!("tool.unknown_loan")).into());
                }
                close_loan(tx, by, l, loss.as_str(), note, at)?;
            } else if it.available() == 0 {
                // every one is out: a loss is said on its loan
                return Err(Refusal::general(msg!("tool.all_out")).into());
            }
            let to = tool::count_after_loss(it.count);
            tx.execute(
                WRITEOFF_INSERT,
                params![
                    item_id,
                    loan_id,
                    loss.as_str(),
                    note.trim(),
                    it.count,
                    it.count.saturating_sub(1),
                    at,
                    by.staff_id
                ],
            )?;
            let wid = tx.last_insert_rowid();
            match to {
                Some(n) => tx.execute(COUNT_UPDATE, params![n, item_id])?,
                None => tx.execute(RETIRE_UPDATE, [item_id])?,
            };
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "tool.write_off",
                "tool_writeoff",
                wid,
                json!({"item": item_id, "loan": loan_id, "kind": loss.as_str(), "note": note.trim(),
                       "count": to.unwrap_or(0)}),
            )?;
            Ok(to.unwrap_or(0))
        })
    }
}

fn close_loan(
    tx: &Connection,
    by: &Session,
    loan_id: i64,
    outcome: &str,
    note: &str,
    at: Stamp,
) -> StoreResult<()> {
    let n = tx.execute(
        CLOSE_UPDATE,
        params![at, by.staff_id, outcome, note.trim(), loan_id],
    )?;
    if n == 0 {
        return Err(Refusal::general(msg!("tool.already_back")).into());
    }
    Ok(())
}
