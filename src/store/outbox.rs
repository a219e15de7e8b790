//! What the station sends to headquarters: the next batch after what
//! headquarters has acknowledged, read from the station's file in one read
//! transaction (one consistent picture). Nothing is written here, so the
//! station needs nothing new in its file: each sync starts from the heads
//! headquarters reports.
//!
//! A batch holds the next rows of both hash chains (transfers, audit rows),
//! the service records those transfers point at, the members, requests and
//! disputes changed in the batch's time window (see
//! [`crate::wire::rules::change_window`]), and the day summaries headquarters
//! lacks whose chain heads it will have once the batch is in.

use super::day_rows::{dispute_rows, member_rows, record_rows, request_rows};
use super::{Store, StoreError, StoreResult, audit};
use crate::domain::ledger::TransferRow;
use crate::domain::time::{self, Stamp};
use crate::wire::batch::{Batch, StationFacts, SummaryRow};
use crate::wire::bundle::{ChainedAudit, ChainedTransfer, RecordRow};
use crate::wire::rules::{Chain, change_window};
use rusqlite::{OptionalExtension, params};
use std::collections::HashSet;

/// Where the next batch starts: the last sequence number of each chain
/// already sent (or acknowledged), and headquarters' mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    pub ledger_seq: i64,
    pub audit_seq: i64,
    pub mark: Option<Stamp>,
}

/// A chain row as the station has it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainRow {
    /// The row's global id (transfer id, audit uid).
    pub id: String,
    pub stored_hash: String,
    /// The hash of the row's contents as they are now: differs from the
    /// stored one when the row was changed after it was written.
    pub content_hash: String,
}

const TRANSFER_COLUMNS: &str = "t.seq, t.prev_hash, t.hash, t.id, t.kind, t.amount, d.code, c.code, r.uid, t.source, t.reverses,
    t.idem_key, s.staff_no, p.staff_no, t.at, t.memo
    FROM transfers t
    JOIN accounts d ON d.id = t.debit_account JOIN accounts c ON c.id = t.credit_account
    LEFT JOIN service_records r ON r.id = t.record_id
    LEFT JOIN staff s ON s.id = t.staff_id LEFT JOIN staff p ON p.id = t.approved_by";

fn transfer(r: &rusqlite::Row) -> rusqlite::Result<ChainedTransfer> {
    Ok(ChainedTransfer {
        seq: r.get(0)?,
        prev_hash: r.get(1)?,
        hash: r.get(2)?,
        row: TransferRow {
            id: r.get(3)?,
            kind: r.get(4)?,
            amount: r.get(5)?,
            debit: r.get(6)?,
            credit: r.get(7)?,
            record_uid: r.get(8)?,
            source: r.get(9)?,
            reverses: r.get(10)?,
            idem_key: r.get(11)?,
            staff: r.get(12)?,
            approved_by: r.get(13)?,
            at: r.get(14)?,
            memo: r.get(15)?,
        },
    })
}

fn audit_row(r: &rusqlite::Row) -> rusqlite::Result<ChainedAudit> {
    Ok(ChainedAudit {
        seq: r.get(0)?,
        row: audit::AuditRow::from_columns(r)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

impl Store {
    /// The station as headquarters knows it.
    pub fn hq_station(&self) -> StoreResult<StationFacts> {
        let s = self
            .station()
            .ok_or_else(|| StoreError::Other("no station".into()))?;
        Ok(StationFacts {
            uid: s.uid.clone(),
            code: s.code(),
            kind: s.kind.as_str().into(),
            tz: s.tz.name().into(),
            name: Some(s.name.clone()),
            public_key: Some(self.signer()?.public_hex()),
        })
    }

    /// The last sequence number of a chain (0 when empty).
    pub fn chain_end(&self, chain: Chain) -> StoreResult<i64> {
        let table = match chain {
            Chain::Ledger => "transfers",
            Chain::Audit => "audit_log",
        };
        Ok(self.conn.query_row(
            &format!("SELECT coalesce(max(seq), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )?)
    }

    /// The row at `seq` of a chain, with its stored hash and the hash of
    /// its contents as they are now.
    pub fn chain_row(&self, chain: Chain, seq: i64) -> StoreResult<Option<ChainRow>> {
        Ok(match chain {
            Chain::Ledger => self
                .conn
                .query_row(
                    &format!("SELECT {TRANSFER_COLUMNS} WHERE t.seq = ?1"),
                    [seq],
                    transfer,
                )
                .optional()?
                .map(|t| ChainRow {
                    id: t.row.id.clone(),
                    content_hash: t.row.hash(&t.prev_hash),
                    stored_hash: t.hash,
                }),
            Chain::Audit => self
                .conn
                .query_row(
                    &format!("SELECT {} FROM audit_log WHERE seq = ?1", audit::COLUMNS),
                    [seq],
                    audit_row,
                )
                .optional()?
                .map(|a| ChainRow {
                    id: a.row.uid.clone(),
                    content_hash: a.row.hash(&a.prev_hash),
                    stored_hash: a.hash,
                }),
        })
    }

    /// The next batch after `cur`: up to `limit` rows of each chain and
    /// what goes with them. `sent` holds the day summaries headquarters has
    /// (or was sent in this run): they are not sent again.
    pub fn outbox(
        &self,
        cur: &Cursor,
        limit: usize,
        sent: &HashSet<(String, u32)>,
    ) -> StoreResult<Batch> {
        let mut b = Batch::new(self.hq_station()?, "sync");
        // the station's first sync registers it
        b.register = true;
        // one snapshot for the whole batch (reads only: nothing to commit)
        let tx = self.conn.unchecked_transaction()?;
        let limit = limit.max(1) as i64;
        b.transfers = {
            let mut st = tx.prepare_cached(&format!(
                "SELECT {TRANSFER_COLUMNS} WHERE t.seq > ?1 ORDER BY t.seq LIMIT ?2"
            ))?;
            st.query_map(params![cur.ledger_seq, limit], transfer)?
                .collect::<Result<_, _>>()?
        };
        b.audit = {
            let mut st = tx.prepare_cached(&format!(
                "SELECT {} FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                audit::COLUMNS
            ))?;
            st.query_map(params![cur.audit_seq, limit], audit_row)?
                .collect::<Result<_, _>>()?
        };
        b.records = paid_records(&tx, &b.transfers)?;
        let (lo, hi) = change_window(cur.mark, b.audit.iter().map(|a| a.row.at));
        if hi > lo {
            let window = params![lo, hi];
            b.members = member_rows(&tx, "WHERE updated_at > ?1 AND updated_at <= ?2", window)?;
            b.requests = request_rows(
                &tx,
                "WHERE q.updated_at > ?1 AND q.updated_at <= ?2",
                window,
            )?;
            b.disputes = dispute_rows(
                &tx,
                "WHERE d.updated_at > ?1 AND d.updated_at <= ?2",
                window,
            )?;
        }
        let ledger_end = b.transfers.last().map_or(cur.ledger_seq, |t| t.seq);
        let audit_end = b.audit.last().map_or(cur.audit_seq, |a| a.seq);
        b.summaries = summary_rows(&tx, ledger_end, audit_end)?
            .into_iter()
            .filter(|s| !sent.contains(&(s.day.clone(), s.version)))
            .collect();
        Ok(b)
    }

    /// The time spans a sync compares with headquarters before it sends:
    /// the station day of each acknowledged head, the days of the rows
    /// after the heads (what it sends) and of the day summaries headquarters
    /// lacks; overlapping spans merged.
    pub fn days_to_compare(
        &self,
        acked: &Cursor,
        hq_has: &HashSet<(String, u32)>,
    ) -> StoreResult<Vec<(Stamp, Stamp)>> {
        let tz = self
            .station()
            .ok_or_else(|| StoreError::Other("no station".into()))?
            .tz;
        let day_of = |at: Stamp| time::day_range(time::local_day(at, tz), tz);
        let mut spans = Vec::new();
        for (table, head) in [
            ("transfers", acked.ledger_seq),
            ("audit_log", acked.audit_seq),
        ] {
            let at: Option<Stamp> = self
                .conn
                .query_row(
                    &format!("SELECT at FROM {table} WHERE seq = ?1"),
                    [head],
                    |r| r.get(0),
                )
                .optional()?;
            spans.extend(at.map(day_of));
            let (lo, hi): (Option<Stamp>, Option<Stamp>) = self.conn.query_row(
                &format!("SELECT min(at), max(at) FROM {table} WHERE seq > ?1"),
                [head],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if let (Some(lo), Some(hi)) = (lo, hi) {
                spans.push((day_of(lo).0, day_of(hi).1));
            }
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT day, version FROM day_summaries")?;
        let days: Vec<(String, u32)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (day, version) in days {
            if !hq_has.contains(&(day.clone(), version))
                && let Ok(d) = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
            {
                spans.push(time::day_range(d, tz));
            }
        }
        spans.sort();
        let mut merged: Vec<(Stamp, Stamp)> = Vec::new();
        for (lo, hi) in spans {
            match merged.last_mut() {
                Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        Ok(merged)
    }

    /// The rows headquarters has acknowledged (up to its heads and mark,
    /// `acked`) whose time falls in `spans`, with the records they point at
    /// and the day summaries of those days: what the sync compares with
    /// headquarters' copy.
    pub fn acknowledged(&self, acked: &Cursor, spans: &[(Stamp, Stamp)]) -> StoreResult<Batch> {
        let mut b = Batch::new(self.hq_station()?, "sync (compare)");
        let tx = self.conn.unchecked_transaction()?;
        let tz = self
            .station()
            .ok_or_else(|| StoreError::Other("no station".into()))?
            .tz;
        let mark = acked.mark.unwrap_or(Stamp::MIN);
        for &(lo, hi) in spans {
            let mut st = tx.prepare_cached(&format!(
                "SELECT {TRANSFER_COLUMNS} WHERE t.seq <= ?1 AND t.at >= ?2 AND t.at < ?3 ORDER BY t.seq"
            ))?;
            let rows = st.query_map(params![acked.ledger_seq, lo, hi], transfer)?;
            b.transfers.extend(rows.collect::<Result<Vec<_>, _>>()?);
            let mut st = tx.prepare_cached(&format!(
                "SELECT {} FROM audit_log WHERE seq <= ?1 AND at >= ?2 AND at < ?3 ORDER BY seq",
                audit::COLUMNS
            ))?;
            let rows = st.query_map(params![acked.audit_seq, lo, hi], audit_row)?;
            b.audit.extend(rows.collect::<Result<Vec<_>, _>>()?);
            let window = params![lo, hi, mark];
            b.members.extend(member_rows(
                &tx,
                "WHERE updated_at >= ?1 AND updated_at < ?2 AND updated_at <= ?3",
                window,
            )?);
            b.requests.extend(request_rows(
                &tx,
                "WHERE q.updated_at >= ?1 AND q.updated_at < ?2 AND q.updated_at <= ?3",
                window,
            )?);
            b.disputes.extend(dispute_rows(
                &tx,
                "WHERE d.updated_at >= ?1 AND d.updated_at < ?2 AND d.updated_at <= ?3",
                window,
            )?);
        }
        b.records = paid_records(&tx, &b.transfers)?;
        let inside = |day: &str| {
            chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok_and(|d| {
                let start = time::day_start(d, tz);
                spans.iter().any(|(lo, hi)| start >= *lo && start < *hi)
            })
        };
        b.summaries = summary_rows(&tx, i64::MAX, i64::MAX)?
            .into_iter()
            .filter(|s| inside(&s.day))
            .collect();
        Ok(b)
    }
}

/// The service records these transfers pay for, so that HQ gets each
/// transfer with its record.
fn paid_records(
    conn: &rusqlite::Connection,
    transfers: &[ChainedTransfer],
) -> StoreResult<Vec<RecordRow>> {
    let uids: Vec<&str> = transfers
        .iter()
        .filter_map(|t| t.row.record_uid.as_deref())
        .collect();
    if uids.is_empty() {
        return Ok(Vec::new());
    }
    record_rows(
        conn,
        "WHERE s.uid IN (SELECT value FROM json_each(?1))",
        [serde_json::to_string(&uids)?],
    )
}

const SUMMARY_ROWS_SELECT_DAY_SUMMARIES: &str = "SELECT day, version, figures, ledger_seq, ledger_head, audit_seq, audit_head FROM day_summaries
         WHERE ledger_seq <= ?1 AND audit_seq <= ?2 ORDER BY day, version";

/// The day summaries whose chain heads are at or before these sequence numbers.
fn summary_rows(
    conn: &rusqlite::Connection,
    ledger_end: i64,
    audit_end: i64,
) -> StoreResult<Vec<SummaryRow>> {
    let mut st = conn.prepare_cached(SUMMARY_ROWS_SELECT_DAY_SUMMARIES)?;
    let rows = st.query_map(params![ledger_end, audit_end], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, version, figures, ledger_seq, ledger_head, audit_seq, audit_head) = row?;
        out.push(SummaryRow {
            day,
            version,
            figures: serde_json::from_str(&figures)?,
            ledger_seq,
            ledger_head,
            audit_seq,
            audit_head,
        });
    }
    Ok(out)
}
