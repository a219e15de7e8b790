//! The facts of one week's trust notice board (信任公示栏), gathered in one
//! read: the fund's rows of the week and what is left, the merchants'
//! deposit movements, violations and blacklistings, dispute outcomes, the
//! month's trust list, merchant grades and offers, the story wall. Facts
//! only: `exports::notice_board` words them.

use super::{ExpenseRow, FundEntryRow};
use crate::domain::dispute::Outcome;
use crate::domain::merchant::Grade;
use crate::domain::time::{self, DAY_MS, Stamp};
use crate::domain::trust::TrustRank;
use crate::domain::violation::Severity;
use crate::store::{Store, StoreResult};
use chrono::{Datelike, NaiveDate};
use rusqlite::params;

/// A deposit movement of a merchant (paid, taken, refunded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositMove {
    pub at: Stamp,
    pub merchant: String,
    /// `paid`, `deduction`, `dividend_pool`, `refund` (the table's codes).
    pub kind: String,
    pub amount_fen: i64,
}

/// A violation on record this week (a member's or a merchant's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationFact {
    pub at: Stamp,
    /// A member's full name (the document masks it) or a merchant's name.
    pub name: String,
    pub merchant: bool,
    pub severity: Severity,
    pub reason: String,
}

/// A dispute decided this week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeFact {
    pub decided_at: Stamp,
    pub subject: String,
    pub outcome: Outcome,
    pub decision: String,
}

/// A merchant in good standing with its grade and live offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantFact {
    pub name: String,
    pub grade: Grade,
    pub offers: Vec<OfferFact>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferFact {
    pub text: String,
    pub points: i64,
    pub value_fen: i64,
    pub valid_to: String,
}

/// Everything one week's notice board shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardFacts {
    pub station: String,
    /// Monday and Sunday of the week.
    pub monday: NaiveDate,
    pub sunday: NaiveDate,
    pub opening_fen: i64,
    pub entries: Vec<FundEntryRow>,
    pub closing_fen: i64,
    pub pending: Vec<ExpenseRow>,
    pub deposits: Vec<DepositMove>,
    pub violations: Vec<ViolationFact>,
    pub disputes: Vec<DisputeFact>,
    /// The month of the trust list.
    pub month: String,
    pub trust_top: Vec<(TrustRank, String)>,
    /// What the month's trust-list gift expenses bought.
    pub gifts: Vec<String>,
    pub merchants: Vec<MerchantFact>,
    /// Days closed this week with their story (时光故事墙).
    pub stories: Vec<(String, String)>,
}

/// The Monday of the week holding `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

impl Store {
    /// The notice board of the week holding `day`.
    pub fn notice_board(&self, day: NaiveDate) -> StoreResult<BoardFacts> {
        let tz = self.tz();
        let monday = monday_of(day);
        let sunday = monday + chrono::Days::new(6);
        let from = time::day_start(monday, tz);
        let to = from + 7 * DAY_MS;
        let (opening_fen, entries) = self.fund_between(from, to)?;
        let closing_fen = entries.last().map_or(opening_fen, |e| e.balance_fen);
        let (m_from, m_to) = time::month_range(day, tz);
        let trust_top = self
            .trust_top(day, 10)?
            .into_iter()
            .map(|(r, _, name)| (r, name))
            .collect();
        Ok(BoardFacts {
            station: self.station().map(|s| s.name.clone()).unwrap_or_default(),
            monday,
            sunday,
            opening_fen,
            entries,
            closing_fen,
            pending: self.pending_expenses()?,
            deposits: self.deposit_moves(from, to)?,
            violations: self.week_violations(from, to)?,
            disputes: self.week_disputes(from, to)?,
            month: day.format("%Y-%m").to_string(),
            trust_top,
            gifts: self.strings(
                "SELECT purpose FROM fund_entries WHERE kind = 'trust_gift' AND at >= ?1 AND at < ?2 ORDER BY seq",
                m_from,
                m_to,
            )?,
            merchants: self.merchant_facts(day)?,
            stories: self.pairs(
                "SELECT day, story FROM station_days WHERE day_start >= ?1 AND day_start < ?2
                 AND closed_at IS NOT NULL AND length(trim(coalesce(story, ''))) > 0 ORDER BY day",
                from,
                to,
            )?,
        })
    }

    fn strings(&self, sql: &str, from: Stamp, to: Stamp) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt
            .query_map(params![from, to], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn pairs(&self, sql: &str, from: Stamp, to: Stamp) -> StoreResult<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt
            .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn deposit_moves(&self, from: Stamp, to: Stamp) -> StoreResult<Vec<DepositMove>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.at, m.name, d.kind, d.amount_fen FROM merchant_deposit d
             JOIN merchants m ON m.id = d.merchant_id WHERE d.at >= ?1 AND d.at < ?2 ORDER BY d.at, d.id",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok(DepositMove {
                    at: r.get(0)?,
                    merchant: r.get(1)?,
                    kind: r.get(2)?,
                    amount_fen: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Moderate and severe violations of the week (a minor one is put right
    /// quietly: the handbook does not publish it).
    fn week_violations(&self, from: Stamp, to: Stamp) -> StoreResult<Vec<ViolationFact>> {
        let mut stmt = self.conn.prepare(
            "SELECT v.at, m.name, 0, v.severity, v.reason FROM violations v JOIN members m ON m.id = v.member_id
             WHERE v.at >= ?1 AND v.at < ?2 AND v.severity != 'minor'
             UNION ALL
             SELECT v.at, m.name, 1, v.severity, v.reason FROM merchant_violations v JOIN merchants m ON m.id = v.merchant_id
             WHERE v.at >= ?1 AND v.at < ?2 AND v.severity != 'minor'
             ORDER BY 1",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok(ViolationFact {
                    at: r.get(0)?,
                    name: r.get(1)?,
                    merchant: r.get(2)?,
                    severity: Severity::parse(&r.get::<_, String>(3)?)
                        .unwrap_or(Severity::Moderate),
                    reason: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn week_disputes(&self, from: Stamp, to: Stamp) -> StoreResult<Vec<DisputeFact>> {
        let mut stmt = self.conn.prepare(
            // the decision is kept as JSON (its effects); the board shows its reason
            "SELECT decided_at, subject, outcome,
                    CASE WHEN json_valid(decision) THEN coalesce(json_extract(decision, '$.reason'), '')
                         ELSE coalesce(decision, '') END
             FROM disputes
             WHERE decided_at >= ?1 AND decided_at < ?2 AND outcome IS NOT NULL ORDER BY decided_at",
        )?;
        let rows: Vec<(Stamp, String, String, String)> = stmt
            .query_map(params![from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(decided_at, subject, o, decision)| {
                Some(DisputeFact {
                    decided_at,
                    subject,
                    outcome: Outcome::parse(&o)?,
                    decision,
                })
            })
            .collect())
    }

    /// Merchants not ended, with their offers valid on `day` (优惠手册).
    fn merchant_facts(&self, day: NaiveDate) -> StoreResult<Vec<MerchantFact>> {
        let today = day.format("%Y-%m-%d").to_string();
        let mut stmt = self.conn.prepare(
            "SELECT text, points, value_fen, valid_to FROM merchant_offers WHERE merchant_id = ?1
             AND withdrawn_at IS NULL AND valid_from <= ?2 AND valid_to >= ?2 ORDER BY id",
        )?;
        let mut out = Vec::new();
        for m in self.merchants()? {
            if m.status == crate::domain::merchant::Status::Ended {
                continue;
            }
            let offers = stmt
                .query_map(params![m.id, today], |r| {
                    Ok(OfferFact {
                        text: r.get(0)?,
                        points: r.get(1)?,
                        value_fen: r.get(2)?,
                        valid_to: r.get(3)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            out.push(MerchantFact {
                name: m.name,
                grade: m.grade,
                offers,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_monday() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(monday_of(d("2026-12-04")), d("2026-11-30"));
        assert_eq!(monday_of(d("2026-11-30")), d("2026-11-30"));
        assert_eq!(monday_of(d("2026-12-06")), d("2026-11-30"));
    }
}
