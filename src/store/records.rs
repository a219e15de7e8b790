//! Service records: posting (record + transfer + audit row in one
//! transaction, once per record id), lists, and the weekly spot check.

use super::ledger::{self, NewTransfer, POOL, Posted};
use super::standing::{self, Severity};
use super::{Store, StoreError, StoreResult, audit};
use crate::domain::ledger::TransferKind;
use crate::domain::level::{Level, Tier};
use crate::domain::member::MemberStatus;
use crate::domain::record::{self, ConfirmMethod, Party, Payer, RecordFacts, RecordInput};
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::domain::trust::TrustEvent;
use crate::msg;
use crate::msg::Refusal;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

mod sql;
use sql::*;

/// What posting a record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPosted {
    pub record_id: i64,
    pub points: i64,
    pub transfer: Posted,
    /// The same record was posted before (a double key-press, a retry).
    pub existing: bool,
}

/// A record as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    pub id: i64,
    pub uid: String,
    pub provider_id: i64,
    pub provider: String,
    pub recipient_id: i64,
    pub recipient: String,
    pub type_id: i64,
    pub started_at: Stamp,
    pub ended_at: Stamp,
    pub minutes: u32,
    pub points: i64,
    pub payer: Payer,
    pub method: ConfirmMethod,
    pub rating: Option<u8>,
    pub reversed: i64,
}

/// The record's columns, then how much of its service transfer stands
/// reversed (see [`super::standing::NET_REVERSED`]).
fn record_cols() -> String {
    format!(
        "r.id, r.uid, r.provider_id, p.name, r.recipient_id, q.name, r.type_id, r.started_at, r.ended_at,
         r.minutes, r.points, r.payer, r.confirm_method, r.rating,
         coalesce((SELECT {} FROM transfers t WHERE t.record_id = r.id AND t.kind = 'service'), 0)",
        super::standing::NET_REVERSED
    )
}

fn record_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordRow> {
    Ok(RecordRow {
        id: r.get(0)?,
        uid: r.get(1)?,
        provider_id: r.get(2)?,
        provider: r.get(3)?,
        recipient_id: r.get(4)?,
        recipient: r.get(5)?,
        type_id: r.get(6)?,
        started_at: r.get(7)?,
        ended_at: r.get(8)?,
        minutes: r.get(9)?,
        points: r.get(10)?,
        payer: Payer::parse(&r.get::<_, String>(11)?).unwrap_or(Payer::Pool),
        method: ConfirmMethod::parse(&r.get::<_, String>(12)?).unwrap_or(ConfirmMethod::Desk),
        rating: r.get(13)?,
        reversed: r.get(14)?,
    })
}

fn party(conn: &Connection, id: i64, at: Stamp) -> StoreResult<Party> {
    conn.query_row(PARTY_SELECT_ACCOUNTS, params![id, at], |r| {
        Ok(Party {
            status: MemberStatus::parse(&r.get::<_, String>(0)?).unwrap_or(MemberStatus::Pending),
            level: Level::parse(&r.get::<_, String>(1)?).unwrap_or(Level::Ordinary),
            blacklisted: r.get(2)?,
            frozen: r.get(3)?,
            balance: r.get(4)?,
            community: r.get(5)?,
        })
    })
    .optional()?
    .ok_or_else(|| Refusal::general(msg!("member.unknown")).into())
}

/// The facts every check of a record needs, read in the transaction.
pub fn record_facts(
    conn: &Connection,
    r: &RecordInput,
    by: &Session,
    pph: u32,
    now: Stamp,
) -> StoreResult<RecordFacts> {
    let provider = party(conn, r.provider, now)
        .map_err(|_| Refusal::at("provider", msg!("member.unknown")))?;
    let recipient = party(conn, r.recipient, now)
        .map_err(|_| Refusal::at("recipient", msg!("member.unknown")))?;
    let (tier, type_zh, type_en): (String, String, String) = conn
        .query_row(RECORD_FACTS_SELECT_SERVICE_TYPES, [r.type_id], |x| {
            Ok((x.get(0)?, x.get(1)?, x.get(2)?))
        })
        .optional()?
        .ok_or_else(|| Refusal::at("type", msg!("record.type_unknown")))?;
    let overlaps: u32 = conn.query_row(
        RECORD_FACTS_SELECT_SERVICE_RECORDS,
        params![r.provider, r.started_at, r.ended_at],
        |x| x.get(0),
    )?;
    Ok(RecordFacts {
        provider,
        recipient,
        tier: Tier::parse(&tier).unwrap_or(Tier::Special),
        type_zh,
        type_en,
        overlaps,
        now,
        is_master: by.is_master(),
        points_per_hour: pph,
        late_after_hours: 24,
    })
}

impl Store {
    /// Validate and post a service record: the record, its transfer (payer →
    /// provider) and the audit row commit together. Posting the same record
    /// id again returns the first posting; the same id with other content is
    /// refused.
    pub fn post_record(
        &mut self,
        by: &Session,
        r: &RecordInput,
        now: Stamp,
    ) -> StoreResult<RecordPosted> {
        let settings = self.settings().clone();
        let tz = self.tz();
        let hash = r.content_hash();
        self.write(|tx| {
            if let Some((id, stored_hash, points)) = tx
                .query_row(POST_RECORD_SELECT_SERVICE_RECORDS, [&r.uid], |x| Ok((x.get::<_, i64>(0)?, x.get::<_, String>(1)?, x.get::<_, i64>(2)?)))
                .optional()?
            {
                if stored_hash != hash {
                    return Err(Refusal::general(msg!("record.uid_conflict", uid = &r.uid)).into());
                }
                let seq: i64 = tx.query_row(POST_RECORD_SELECT_TRANSFERS, [id], |x| x.get(0))?;
                let (_, row) = (seq, ledger_row(tx, seq)?);
                return Ok(RecordPosted { record_id: id, points, transfer: Posted { seq, row, existing: true }, existing: true });
            }
            let facts = record_facts(tx, r, by, settings.points_per_hour, now)?;
            let points = record::check_record(r, &facts).map_err(StoreError::Invalid)?;
            // a service given on a day since closed: its figures are final
            // (the master reopens that day first); writing on a closed day
            // at all is said as such first
            super::days::refuse_if_closed(tx, now, "record.post")?;
            if let Err(StoreError::Refused(closed)) =
                super::days::refuse_if_closed(tx, r.started_at, "record.post")
            {
                let day = closed.msg.args.first().map(|(_, d)| d.clone()).unwrap_or_default();
                return Err(Refusal::at("date", msg!("record.day_closed", day = day)).into());
            }
            tx.execute(
                POST_RECORD_INSERT_SERVICE_RECORDS,
                params![
                    r.uid, hash, r.request_id, r.provider, r.recipient, r.type_id, r.started_at, r.ended_at, r.minutes,
                    r.payer.as_str(), points, r.method.as_str(), r.book_page, r.photo_ref, r.rating, r.notes, r.late_reason, now, by.staff_id
                ],
            )?;
            let record_id = tx.last_insert_rowid();
            tx.execute(
                POST_RECORD_UPDATE_MEMBERS,
                params![r.rating, r.minutes, r.provider],
            )?;
            if let Some(req) = r.request_id {
                super::queue::close_with_record(tx, req, record_id, r, by, now)?;
            }
            let provider_acct = ledger::member_account(tx, r.provider, now)?;
            let payer_acct = match r.payer {
                Payer::Pool => POOL,
                Payer::Recipient => ledger::member_account(tx, r.recipient, now)?,
            };
            let mut t = NewTransfer::new(TransferKind::Service, points, payer_acct, provider_acct, Some(by.staff_id), now);
            t.record_id = Some(record_id);
            t.idem_key = Some(format!("record:{}", r.uid));
            let transfer = ledger::post(tx, t)?;
            // what the provider owes after a penalty comes out of these earnings
            super::owed::take_back(tx, r.provider, points, Some(by.staff_id), now)?;
            if r.rating.is_some_and(|x| x >= 4) {
                standing::add_trust(tx, r.provider, TrustEvent::GoodService, &settings.trust, None, Some(&format!("record:{record_id}")), now)?;
            }
            if r.rating.is_some() {
                standing::apply_downgrade_if_due(tx, r.provider, &settings, tz, now)?;
            }
            audit::log(
                tx,
                now,
                Some(by.staff_id),
                "record.post",
                "service_record",
                record_id,
                json!({"uid": r.uid, "provider": r.provider, "recipient": r.recipient, "type": r.type_id, "minutes": r.minutes,
                       "points": points, "payer": r.payer.as_str(), "method": r.method.as_str(), "transfer": transfer.row.id,
                       "late_reason": r.late_reason}),
            )?;
            Ok(RecordPosted { record_id, points, transfer, existing: false })
        })
    }

    /// A member's most recent services, given or received.
    pub fn member_records(&self, member_id: i64, limit: usize) -> StoreResult<Vec<RecordRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM (SELECT * FROM service_records WHERE provider_id = ?1
                                        UNION ALL SELECT * FROM service_records WHERE recipient_id = ?1
                                        ORDER BY ended_at DESC LIMIT ?2) r
             JOIN members p ON p.id = r.provider_id JOIN members q ON q.id = r.recipient_id
             ORDER BY r.ended_at DESC",
            record_cols()
        ))?;
        let rows = stmt
            .query_map(params![member_id, limit as i64], record_of)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Records entered in [from, to), newest first.
    pub fn records_between(
        &self,
        from: Stamp,
        to: Stamp,
        limit: usize,
    ) -> StoreResult<Vec<RecordRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM service_records r JOIN members p ON p.id = r.provider_id JOIN members q ON q.id = r.recipient_id
             WHERE r.entered_at >= ?1 AND r.entered_at < ?2 ORDER BY r.entered_at DESC LIMIT ?3",
            record_cols()
        ))?;
        let rows = stmt
            .query_map(params![from, to, limit as i64], record_of)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Recent services between two members, either way round.
    pub fn records_of_pair(&self, a: i64, b: i64, limit: usize) -> StoreResult<Vec<RecordRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} FROM service_records r JOIN members p ON p.id = r.provider_id JOIN members q ON q.id = r.recipient_id
             WHERE (r.provider_id = ?1 AND r.recipient_id = ?2) OR (r.provider_id = ?2 AND r.recipient_id = ?1)
             ORDER BY r.ended_at DESC LIMIT ?3",
            record_cols()
        ))?;
        let rows = stmt
            .query_map(params![a, b, limit as i64], record_of)?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn record(&self, id: i64) -> StoreResult<RecordRow> {
        self.conn
            .query_row(
                &format!("SELECT {} FROM service_records r JOIN members p ON p.id = r.provider_id JOIN members q ON q.id = r.recipient_id WHERE r.id = ?1", record_cols()),
                [id],
                record_of,
            )
            .optional()?
            .ok_or_else(|| Refusal::general(msg!("record.unknown")).into())
    }

    /// Minutes served (activities attended included) and ratings as a
    /// provider, all time (the detail pane).
    pub fn served(&self, member_id: i64) -> StoreResult<(u64, u32, u32)> {
        let sql = format!(
            "SELECT coalesce(sum(minutes), 0) + {}, count(rating), coalesce(sum(rating >= 4), 0)
             FROM service_records WHERE provider_id = ?1",
            super::activities::ACTIVITY_MINUTES
        );
        Ok(self
            .conn
            .query_row(&sql, params![member_id, i64::MAX], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, r.get(2)?))
            })?)
    }

    /// The week's spot check: at least 10 % of the online-confirmed records
    /// that ended in the week (Monday–Sunday, station time), drawn with a
    /// generator seeded by the week, so the draw is the same every time it
    /// is made. Drawn records are stored; results are recorded on them.
    pub fn spot_check(&mut self, week_day: NaiveDate, at: Stamp) -> StoreResult<Vec<SpotCheck>> {
        let tz = self.tz();
        let monday =
            week_day - chrono::Duration::days(i64::from(week_day.weekday().num_days_from_monday()));
        let week = format!(
            "{}-W{:02}",
            monday.iso_week().year(),
            monday.iso_week().week()
        );
        let from = time::day_start(monday, tz);
        let to = time::day_start(monday + chrono::Duration::days(7), tz);
        self.write(|tx| {
            let drawn: i64 = tx.query_row(SPOT_CHECK_SELECT_SPOT_CHECKS, [&week], |r| r.get(0))?;
            let mut stmt = tx.prepare(SPOT_CHECK_SELECT_SERVICE_RECORDS)?;
            let ids: Vec<i64> = stmt
                .query_map(params![from, to], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let need = crate::domain::spot::sample_size(ids.len());
            if (drawn as usize) < need {
                let already: std::collections::HashSet<i64> = {
                    let mut s = tx.prepare("SELECT record_id FROM spot_checks WHERE week = ?1")?;
                    s.query_map([&week], |r| r.get(0))?
                        .collect::<Result<_, _>>()?
                };
                let pool: Vec<i64> = ids
                    .iter()
                    .copied()
                    .filter(|i| !already.contains(i))
                    .collect();
                for id in crate::domain::spot::draw(&pool, need - drawn as usize, &week) {
                    tx.execute(SPOT_CHECK_INSERT_SPOT_CHECKS, params![id, week])?;
                }
                audit::log(
                    tx,
                    at,
                    None,
                    "spot_check.draw",
                    "spot_check",
                    &week,
                    json!({"online": ids.len(), "drawn": need}),
                )?;
            }
            let mut stmt = tx.prepare(SPOT_CHECK_SELECT_SPOT_CHECKS_2)?;
            let rows = stmt
                .query_map([&week], |r| {
                    Ok(SpotCheck {
                        record_id: r.get(0)?,
                        week: week.clone(),
                        result: r.get(1)?,
                        note: r.get(2)?,
                        provider_id: r.get(3)?,
                        provider: r.get(4)?,
                        recipient: r.get(5)?,
                        ended_at: r.get(6)?,
                        minutes: r.get(7)?,
                        photo_ref: r.get(8)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            Ok(rows)
        })
    }

    /// Mark a drawn record verified or failed. A failure opens a violation
    /// case (a minor violation on the provider, pending the master's review).
    pub fn spot_check_result(
        &mut self,
        by: &Session,
        record_id: i64,
        ok: bool,
        note: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        let settings = self.settings().clone();
        let tz = self.tz();
        let note = note.trim();
        if !ok && note.is_empty() {
            return Err(Refusal::at("note", msg!("spot.note_required")).into());
        }
        self.write(|tx| {
            let (result, provider): (Option<String>, i64) = tx
                .query_row(SPOT_CHECK_RESULT_SELECT_SPOT_CHECKS, [record_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
                .ok_or_else(|| Refusal::general(msg!("spot.not_drawn")))?;
            if result.is_some() {
                return Err(Refusal::general(msg!("spot.already")).into());
            }
            tx.execute(
                SPOT_CHECK_RESULT_UPDATE_SPOT_CHECKS,
                params![
                    if ok { "verified" } else { "failed" },
                    note,
                    at,
                    by.staff_id,
                    record_id
                ],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "spot_check.result",
                "service_record",
                record_id,
                json!({"ok": ok, "note": note}),
            )?;
            if !ok {
                standing::record_violation(
                    standing::Ctx {
                        by,
                        settings: &settings,
                        tz,
                        at,
                    },
                    tx,
                    provider,
                    Severity::Minor,
                    &format!("抽检未通过 / spot check failed: {note}"),
                    Some(&format!("spot:{record_id}")),
                )?;
            }
            Ok(())
        })
    }
}

fn ledger_row(conn: &Connection, seq: i64) -> StoreResult<crate::domain::ledger::TransferRow> {
    ledger::row_at(conn, seq)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotCheck {
    pub record_id: i64,
    pub week: String,
    pub result: Option<String>,
    pub note: Option<String>,
    pub provider_id: i64,
    pub provider: String,
    pub recipient: String,
    pub ended_at: Stamp,
    pub minutes: u32,
    pub photo_ref: Option<String>,
}
