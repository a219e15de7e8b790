//! Points spent at merchants (at the desk, or from a merchant's log), the
//! monthly settlement, and the service members then give the merchant.

use super::ledger::{NewTransfer, member_account, post};
use super::merchants::{MerchantRow, merchant_row, offer_row};
use super::{Store, StoreError, StoreResult, audit, new_uid};
use crate::domain::ledger::TransferKind;
use crate::domain::level::Level;
use crate::domain::merchant::{self, Cost, LogRow, Redeemer};
use crate::domain::queue::{Channel, State};
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::domain::units::{Minutes, points_for};
use crate::msg;
use crate::msg::{Msg, Refusal};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::collections::HashMap;

mod sql;
use sql::*;

/// A redemption as the desk form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redemption {
    /// Fixed when the form opened: a retry posts once.
    pub uid: String,
    pub member_id: i64,
    pub offer_id: i64,
    pub count: u32,
    /// When the member redeemed (the desk: now).
    pub redeemed_at: Stamp,
}

/// What importing a merchant's log did (or would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub posted: u32,
    /// Lines already imported before (the same file again): skipped.
    pub already: u32,
    /// Lines refused, with the reason; nothing is posted while there are
    /// any, unless the staff chose to post the valid ones.
    pub bad: Vec<(usize, Msg)>,
    pub points: i64,
    pub value_fen: i64,
}

/// A settlement run: per merchant, last month's discounts and the service owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementLine {
    pub merchant_id: i64,
    pub merchant: String,
    pub redemptions: u32,
    pub points: i64,
    pub discounts_fen: i64,
    pub minutes_owed: u32,
    /// The services owed: the month's one request for the merchant
    /// carries them (the column's name is from when each was a request).
    pub requests: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// `2026-10`
    pub month: String,
    pub at: Stamp,
    pub lines: Vec<SettlementLine>,
    pub file: Option<String>,
    /// It was run before: this is the stored one.
    pub already: bool,
}

/// Service given to a merchant, as its form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantService {
    pub uid: String,
    pub request_id: i64,
    pub started_at: Stamp,
    pub ended_at: Stamp,
    pub minutes: u32,
    pub confirmed_by: String,
}

fn redeemer(conn: &Connection, member_id: i64, at: Stamp) -> StoreResult<Redeemer> {
    conn.query_row(REDEEMER_SELECT_MEMBERS, params![member_id, at], |r| {
        Ok(Redeemer {
            approved: r.get(0)?,
            level: Level::parse(&r.get::<_, String>(1)?).unwrap_or(Level::Ordinary),
            community: r.get(2)?,
            frozen: r.get(3)?,
            blacklisted: r.get(4)?,
            balance: r.get(5)?,
        })
    })
    .optional()?
    .ok_or_else(|| Refusal::at("member", msg!("member.unknown")).into())
}

fn merchant_account(conn: &Connection, merchant_id: i64) -> StoreResult<i64> {
    conn.query_row(
        "SELECT id FROM accounts WHERE merchant_id = ?1",
        [merchant_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::Other(format!("merchant {merchant_id} has no account")))
}

/// The caps of a merchant's current offers, and what its redemptions
/// used this month (all offers together).
fn merchant_month(
    conn: &Connection,
    merchant_id: i64,
    month: (Stamp, Stamp),
) -> StoreResult<(Vec<i64>, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT monthly_cap_fen FROM merchant_offers WHERE merchant_id = ?1 AND withdrawn_at IS NULL",
    )?;
    let caps = stmt
        .query_map([merchant_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let used = conn.query_row(
        "SELECT coalesce(sum(value_fen), 0) FROM redemptions WHERE merchant_id = ?1 AND redeemed_at >= ?2 AND redeemed_at < ?3",
        params![merchant_id, month.0, month.1],
        |r| r.get(0),
    )?;
    Ok((caps, used))
}

/// Check and post one redemption inside `tx`. `extra_fen` / `extra_points`
/// are what earlier rows of the same import already used (not yet visible
/// as rows when checking a whole file first).
#[allow(clippy::too_many_arguments)]
fn redeem_in(
    tx: &Connection,
    by: &Session,
    r: &Redemption,
    source: &str,
    tz: chrono_tz::Tz,
    lines: &merchant::GradeLines,
    at: Stamp,
    post_it: bool,
) -> Result<Cost, Vec<Refusal>> {
    let fail = |e: StoreError| e.refusals();
    let month = time::month_range(time::local_day(r.redeemed_at, tz), tz);
    let offer = offer_row(tx, r.offer_id, month).map_err(fail)?;
    let m: MerchantRow = merchant_row(tx, offer.merchant_id, lines).map_err(fail)?;
    let (caps, month_used_fen) = merchant_month(tx, m.id, month).map_err(fail)?;
    let facts = merchant::Merchant {
        status: m.status,
        paused: m.paused_at(r.redeemed_at),
        community: m.community.clone(),
        month_cap_fen: merchant::merchant_cap(caps),
        month_used_fen,
    };
    let member = redeemer(tx, r.member_id, at).map_err(fail)?;
    let day = time::local_day(r.redeemed_at, tz);
    let cost =
        merchant::check_redemption(&offer.rule(), &facts, &member, r.count, offer.used_fen, day)?;
    if !post_it {
        return Ok(cost);
    }
    let debit = member_account(tx, r.member_id, at).map_err(fail)?;
    let credit = merchant_account(tx, m.id).map_err(fail)?;
    let mut t = NewTransfer::new(
        TransferKind::MerchantRedemption,
        cost.points,
        debit,
        credit,
        Some(by.staff_id),
        at,
    );
    t.idem_key = Some(format!("redeem:{}", r.uid));
    t.source = Some(format!("merchant:{}", m.code));
    t.memo = Some(format!("{} ×{}", offer.offer.text, r.count));
    let posted = post(tx, t).map_err(fail)?;
    tx.execute(
        REDEEM_IN_INSERT_REDEMPTIONS,
        params![
            r.uid,
            m.id,
            r.offer_id,
            r.member_id,
            r.count,
            cost.points,
            cost.value_fen,
            r.redeemed_at,
            at,
            by.staff_id,
            posted.row.id,
            source
        ],
    )
    .map_err(|e| fail(e.into()))?;
    audit::log(
        tx,
        at,
        Some(by.staff_id),
        "merchant.redemption",
        "redemption",
        tx.last_insert_rowid(),
        json!({"merchant": m.id, "offer": r.offer_id, "member": r.member_id, "count": r.count, "points": cost.points, "value_fen": cost.value_fen, "source": source}),
    )
    .map_err(fail)?;
    Ok(cost)
}

impl Store {
    /// A redemption at the desk: the member → merchant transfer, the row and
    /// its audit in one transaction; refused with every reason at its field.
    pub fn redeem(&mut self, by: &Session, r: &Redemption, at: Stamp) -> StoreResult<Cost> {
        if let Some(done) = self
            .conn
            .query_row(
                "SELECT points, value_fen FROM redemptions WHERE uid = ?1",
                [&r.uid],
                |x| {
                    Ok(Cost {
                        points: x.get(0)?,
                        value_fen: x.get(1)?,
                    })
                },
            )
            .optional()?
        {
            return Ok(done);
        }
        let (tz, lines) = (self.tz(), self.settings().merchant_grades);
        self.write(|tx| {
            redeem_in(tx, by, r, "desk", tz, &lines, at, true).map_err(StoreError::Invalid)
        })
    }

    /// Import a merchant's redemption log. Every line is checked as a desk
    /// redemption would be, in order (the cap and balances count the lines
    /// before). With any bad line nothing is posted, unless `valid_only`:
    /// then the good lines are, and the bad ones reported. A line imported
    /// before is skipped, so the same file twice posts once.
    pub fn import_redemptions(
        &mut self,
        by: &Session,
        merchant_id: i64,
        file: &str,
        text: &str,
        valid_only: bool,
        at: Stamp,
    ) -> StoreResult<ImportReport> {
        // Long because: parse, resolve, then every line posted under its own savepoint in the one transaction that the audit row seals; split, the transaction and the report would be passed between the steps.
        let (rows, mut bad) = merchant::parse_log(text);
        let bad_msgs: Vec<(usize, Msg)> = bad.drain(..).map(|(l, r)| (l, r.msg)).collect();
        let (tz, lines) = (self.tz(), self.settings().merchant_grades);
        let merchant = merchant_row(&self.conn, merchant_id, &lines)?;
        let resolved = self.resolve_log(merchant_id, &rows, tz)?;
        let mut report = ImportReport {
            bad: bad_msgs,
            ..ImportReport::default()
        };
        report.already = resolved
            .iter()
            .filter(|(_, r)| matches!(r, Ok(None)))
            .count() as u32;
        // every line is posted in order inside one transaction (each under a
        // savepoint, so a refused line leaves no trace and the cap and the
        // balances count the lines before it); with a bad line and no
        // permission to post the rest, the transaction is rolled back
        let tx = self.begin()?;
        let mut posted = Vec::new();
        for (row, red) in &resolved {
            match red {
                Err(m) => report.bad.push((row.line, m.clone())),
                Ok(None) => {}
                Ok(Some(r)) => {
                    tx.execute_batch("SAVEPOINT line")?;
                    match redeem_in(
                        &tx,
                        by,
                        r,
                        &format!("import {file}:{}", row.line),
                        tz,
                        &lines,
                        at,
                        true,
                    ) {
                        Ok(c) => {
                            tx.execute_batch("RELEASE line")?;
                            posted.push(c);
                        }
                        Err(e) => {
                            tx.execute_batch("ROLLBACK TO line; RELEASE line")?;
                            let m = e
                                .into_iter()
                                .next()
                                .map(|r| r.msg)
                                .unwrap_or_else(|| msg!("import.refused"));
                            report.bad.push((row.line, m));
                        }
                    }
                }
            }
        }
        report.bad.sort_by_key(|(l, _)| *l);
        if !report.bad.is_empty() && !valid_only {
            drop(tx);
            return Ok(report);
        }
        audit::log(
            &tx,
            at,
            Some(by.staff_id),
            "merchant.import",
            "merchant",
            merchant.id,
            json!({"file": file, "posted": posted.len(), "bad": report.bad.len(), "already": report.already}),
        )?;
        super::audit::seal(&tx)?;
        tx.commit()?;
        report.posted = posted.len() as u32;
        report.points = posted.iter().map(|c| c.points).sum();
        report.value_fen = posted.iter().map(|c| c.value_fen).sum();
        Ok(report)
    }

    /// Each log row's member and offer; `Ok(None)` for a line imported before.
    #[allow(clippy::type_complexity)]
    fn resolve_log(
        &self,
        merchant_id: i64,
        rows: &[LogRow],
        tz: chrono_tz::Tz,
    ) -> StoreResult<Vec<(LogRow, Result<Option<Redemption>, Msg>)>> {
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut out = Vec::new();
        for row in rows {
            let member: Option<i64> = self
                .conn
                .query_row(
                    "SELECT id FROM members WHERE number = ?1",
                    [row.member_number.trim()],
                    |r| r.get(0),
                )
                .optional()?;
            let offer_merchant: Option<i64> = self
                .conn
                .query_row(
                    "SELECT merchant_id FROM merchant_offers WHERE id = ?1",
                    [row.offer_id],
                    |r| r.get(0),
                )
                .optional()?;
            let at = time::local_to_stamp(row.at.date(), row.at.time(), tz);
            // identical lines are told apart by how many came before
            let key = format!(
                "{merchant_id}|{}|{}|{}|{}",
                row.member_number.trim(),
                row.offer_id,
                row.at,
                row.count
            );
            let nth = seen.entry(key.clone()).or_insert(0);
            *nth += 1;
            let uid = format!(
                "log:{}",
                &blake3::hash(format!("{key}|{nth}").as_bytes()).to_hex()[..24]
            );
            let r = match (member, offer_merchant) {
                (None, _) => Err(msg!("import.no_member", number = row.member_number.trim())),
                (_, Some(m)) if m != merchant_id => {
                    Err(msg!("import.other_merchant", offer = row.offer_id))
                }
                (_, None) => Err(msg!("import.no_offer", offer = row.offer_id)),
                (Some(member_id), Some(_)) => {
                    let done: bool = self.conn.query_row(
                        "SELECT EXISTS (SELECT 1 FROM redemptions WHERE uid = ?1)",
                        [&uid],
                        |r| r.get(0),
                    )?;
                    Ok((!done).then_some(Redemption {
                        uid,
                        member_id,
                        offer_id: row.offer_id,
                        count: row.count,
                        redeemed_at: at,
                    }))
                }
            };
            out.push((row.clone(), r));
        }
        Ok(out)
    }

    /// The settlement of the month before `now`'s (on or after the 1st; due
    /// by the 5th): per merchant, its discounts → service owed → requests in
    /// the queue for members to serve it. Done once: a second run gives the
    /// stored one (`already`). The statement file is the routine's
    /// (`crate::routines::settlement`), written after this commit.
    pub fn settle_month(&mut self, by: &Session, now: Stamp) -> StoreResult<Settlement> {
        let tz = self.tz();
        let today = time::local_day(now, tz);
        let last = time::prev_month(today);
        let month = last.format("%Y-%m").to_string();
        if let Some(s) = self.settlement(&month)? {
            return Ok(s);
        }
        let (m0, m1) = time::month_range(last, tz);
        let per_hour = self.settings().merchant_yuan_per_hour;
        let longest = Level::Ordinary.max_minutes();
        let work_type: i64 = self.conn.query_row(
            "SELECT id FROM service_types WHERE code = 'merchant_work'",
            [],
            |r| r.get(0),
        )?;
        // the requests are open until the end of this month
        let due = time::day_start(time::next_month(today), tz) - 1;
        let lines = self.write(|tx| {
            tx.execute(SETTLE_MONTH_INSERT_SETTLEMENT_RUNS, params![month, now, by.staff_id])?;
            let mut st = tx.prepare(
                SETTLE_MONTH_SELECT_MERCHANTS,
            )?;
            let found: Vec<(i64, String, String, u32, i64, i64)> = st
                .query_map(params![m0, m1], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?
                .collect::<Result<_, _>>()?;
            let mut lines = Vec::new();
            for (id, name, address, n, points, fen) in found {
                let owed = merchant::minutes_owed(fen, per_hour);
                // one row for the merchant and month, owing `services`
                let services = merchant::services_owed(owed, longest);
                if let Some(first) = merchant::next_service(owed, services, longest) {
                    // no words: the desk words the row from its month,
                    // its counts and the month's discount (issue 18)
                    tx.execute(
                        SETTLE_MONTH_INSERT_REQUESTS,
                        params![new_uid(now), id, work_type, "", address, now, due, first, Channel::Settlement.as_str(), by.staff_id, month, services, owed],
                    )?;
                    tx.execute(
                        SETTLE_MONTH_INSERT_REQUEST_EVENTS,
                        params![tx.last_insert_rowid(), now, by.staff_id, format!("settlement {month}")],
                    )?;
                }
                tx.execute(
                    SETTLE_MONTH_INSERT_SETTLEMENTS,
                    params![month, id, n, points, fen, owed, services],
                )?;
                lines.push(SettlementLine { merchant_id: id, merchant: name, redemptions: n, points, discounts_fen: fen, minutes_owed: owed, requests: services });
            }
            audit::log(tx, now, Some(by.staff_id), "merchant.settlement", "settlement", &month, json!({"merchants": lines.len(), "discounts_fen": lines.iter().map(|l| l.discounts_fen).sum::<i64>()}))?;
            Ok(lines)
        })?;
        Ok(Settlement {
            month,
            at: now,
            lines,
            file: None,
            already: false,
        })
    }

    /// Where the month's settlement statement was written.
    pub fn settlement_written(&mut self, month: &str, file: &std::path::Path) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE settlement_runs SET file = ?1 WHERE month = ?2",
                params![file.display().to_string(), month],
            )?;
            Ok(())
        })
    }

    /// A stored settlement.
    pub fn settlement(&self, month: &str) -> StoreResult<Option<Settlement>> {
        let run: Option<(Stamp, Option<String>)> = self
            .conn
            .query_row(
                "SELECT at, file FROM settlement_runs WHERE month = ?1",
                [month],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((at, file)) = run else {
            return Ok(None);
        };
        let mut st = self.conn.prepare_cached(SETTLEMENT_SELECT_SETTLEMENTS)?;
        let lines = st
            .query_map([month], |r| {
                Ok(SettlementLine {
                    merchant_id: r.get(0)?,
                    merchant: r.get(1)?,
                    redemptions: r.get(2)?,
                    points: r.get(3)?,
                    discounts_fen: r.get(4)?,
                    minutes_owed: r.get(5)?,
                    requests: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some(Settlement {
            month: month.to_string(),
            at,
            lines,
            file,
            already: true,
        }))
    }

    /// The service a member gave a merchant for a settlement request: the
    /// merchant's points pay the helper; the request is done.
    pub fn post_merchant_service(
        &mut self,
        by: &Session,
        s: &MerchantService,
        at: Stamp,
    ) -> StoreResult<i64> {
        let mut errs = Vec::new();
        if s.minutes == 0 {
            errs.push(Refusal::at("minutes", msg!("record.minutes_positive")));
        }
        if s.ended_at <= s.started_at {
            errs.push(Refusal::at("start", msg!("record.end_before_start")));
        }
        if s.ended_at > at {
            errs.push(Refusal::at("date", msg!("record.end_future")));
        }
        if s.confirmed_by.trim().is_empty() {
            errs.push(Refusal::at(
                "confirmed_by",
                msg!("merchant_service.confirmer_required"),
            ));
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let pph = self.settings().points_per_hour;
        self.write(|tx| {
            if let Some(id) = tx.query_row(POST_MERCHANT_SERVICE_SELECT_MERCHANT_SERVICES, [&s.uid], |r| r.get(0)).optional()? {
                return Ok(id);
            }
            let row = super::queue::request(tx, s.request_id)?;
            let (Some(merchant_id), Some(helper)) = (row.merchant_id, row.helper_id) else {
                return Err(Refusal::general(msg!("request.not_matched")).into());
            };
            if !matches!(row.state, State::Matched | State::InService) {
                return Err(Refusal::general(msg!("request.not_matched")).into());
            }
            let points = points_for(Minutes(s.minutes), pph).0;
            let debit = merchant_account(tx, merchant_id)?;
            let credit = member_account(tx, helper, at)?;
            let mut t = NewTransfer::new(TransferKind::Settlement, points.max(1), debit, credit, Some(by.staff_id), at);
            t.idem_key = Some(format!("merchant-service:{}", s.uid));
            t.source = Some(format!("request:{}", row.uid));
            let posted = post(tx, t)?;
            tx.execute(
                POST_MERCHANT_SERVICE_INSERT_MERCHANT_SERVICES,
                params![s.uid, s.request_id, merchant_id, helper, s.started_at, s.ended_at, s.minutes, points.max(1), s.confirmed_by.trim(), at, by.staff_id, posted.row.id],
            )?;
            let id = tx.last_insert_rowid();
            super::owed::take_back(tx, helper, points.max(1), Some(by.staff_id), at)?;
            super::queue::finish(tx, &row, by, at)?;
            audit::log(tx, at, Some(by.staff_id), "merchant.service", "merchant_service", id, json!({"request": s.request_id, "merchant": merchant_id, "helper": helper, "minutes": s.minutes, "points": points}))?;
            Ok(id)
        })
    }

    /// What this month's redemptions at a merchant come to (for the pane).
    pub fn month_discounts(&self, merchant_id: i64, day: NaiveDate) -> StoreResult<i64> {
        let (a, b) = time::month_range(day, self.tz());
        Ok(self.conn.query_row(
            MONTH_DISCOUNTS_SELECT_REDEMPTIONS,
            params![merchant_id, a, b],
            |r| r.get(0),
        )?)
    }
}
