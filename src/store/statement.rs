//! A member's statement and the station's totals: the ledger pane's read
//! models (no writes here).

use super::ledger::{StatementLine, Totals};
use super::members::MemberRow;
use super::{Store, StoreError};
use crate::domain::time::Stamp;

/// A member's statement with the account's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementView {
    pub member: MemberRow,
    pub account: Option<i64>,
    pub balance: i64,
    pub frozen: bool,
    pub lines: Vec<StatementLine>,
    /// Points still owed after a penalty, taken from the next earnings.
    pub owed: i64,
    /// A deceased member's heir who is not a member: name, account, balance.
    pub heir_account: Option<(String, String, i64)>,
}

/// Station totals for the ledger pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerTotals {
    pub today: Totals,
    pub month: Totals,
    pub pool_balance: i64,
    pub members_total: i64,
    /// Corrections waiting for a second station master.
    pub corrections: Vec<crate::store::corrections::CorrectionRow>,
}

impl Store {
    pub fn statement_view(
        &self,
        member_id: i64,
        before: Option<i64>,
    ) -> Result<StatementView, StoreError> {
        use rusqlite::OptionalExtension;
        let member = self.member(member_id)?;
        let account: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM accounts WHERE member_id = ?1",
                [member_id],
                |r| r.get(0),
            )
            .optional()?;
        let lines = match account {
            Some(a) => self.statement(a, 100, before)?,
            None => Vec::new(),
        };
        let frozen: bool = self.conn().query_row(
            "SELECT frozen FROM members WHERE id = ?1",
            [member_id],
            |r| r.get(0),
        )?;
        Ok(StatementView {
            owed: self.owed_by(member_id)?,
            heir_account: self.heir_account_of(member_id)?,
            balance: self.balance_of_member(member_id)?,
            frozen,
            account,
            lines,
            member,
        })
    }

    pub fn ledger_totals(&self, at: Stamp) -> Result<LedgerTotals, StoreError> {
        let tz = self.tz();
        let day = crate::domain::time::local_day(at, tz);
        let (d0, d1) = crate::domain::time::day_range(day, tz);
        let (m0, m1) = crate::domain::time::month_range(day, tz);
        let members_total: i64 = self.conn().query_row(
            "SELECT coalesce(sum(balance), 0) FROM accounts WHERE kind = 'member'",
            [],
            |r| r.get(0),
        )?;
        Ok(LedgerTotals {
            today: self.totals(d0, d1)?,
            month: self.totals(m0, m1)?,
            pool_balance: self.pool_balance()?,
            members_total,
            corrections: self.open_corrections()?,
        })
    }
}

impl Store {
    /// Whose an account is, by its code (`m:JS01-0001`, `x:JS01-S001`):
    /// the member's or merchant's name; `None` for the pool (or a code
    /// not on this file), which the caller names in words.
    pub fn account_holder(&self, code: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT coalesce(m.name, x.name) FROM accounts a
                 LEFT JOIN members m ON m.id = a.member_id
                 LEFT JOIN merchants x ON x.id = a.merchant_id
                 WHERE a.code = ?1",
                [code],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }
}
