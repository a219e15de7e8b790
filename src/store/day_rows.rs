//! The rows of a station day as its bundle carries them, and the summary
//! computed from them: the same code at the close, in `export-day`, and
//! behind the figures on the close screen.

use super::{Store, StoreError, StoreResult, audit};
use crate::domain::time::{self, Stamp};
use crate::wire::bundle::{self, Bundle};
use chrono::NaiveDate;
use rusqlite::{Connection, params};

const WRITE_SUMMARY_SELECT_DAY_SUMMARIES: &str =
    "SELECT coalesce(max(version), 0) + 1 FROM day_summaries WHERE day = ?1";

const WRITE_SUMMARY_INSERT_DAY_SUMMARIES: &str = "INSERT INTO day_summaries (day, version, at, by_staff, figures, ledger_seq, ledger_head, audit_seq, audit_head)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// Compute and store the next summary version of a day, from its rows as
/// they are inside this transaction, with `close` — the audit row of the
/// close — covering the summary (see [`super::covers`]): the summary names
/// that row as its audit head, so it is written after it.
pub(super) fn write_summary(
    tx: &Connection,
    f: &Facts,
    day: NaiveDate,
    close: audit::Entry<'_>,
    snapshot: serde_json::Value,
) -> StoreResult<(Bundle, bundle::Summary)> {
    let (at, by) = (close.at, close.staff_id);
    let (ledger_seq, ledger_head) = super::ledger::head(tx)?;
    let mut b = collect_bundle(tx, f, day)?;
    let figures = bundle::recompute(&b);
    let figures_json = serde_json::to_string(&figures)?;
    let version: u32 =
        tx.query_row(WRITE_SUMMARY_SELECT_DAY_SUMMARIES, [day.to_string()], |r| {
            r.get(0)
        })?;
    let audit_seq = audit::head_seq(tx)?.0 + 1;
    let cover = summary_cover(
        day,
        version,
        at,
        by,
        &figures_json,
        ledger_seq,
        &ledger_head,
        audit_seq,
    );
    let seq = audit::append_covering(tx, close, &[cover])?;
    let (audit_seq, audit_head) = audit::head_seq(tx)?;
    debug_assert_eq!(seq, audit_seq);
    tx.execute(
        WRITE_SUMMARY_INSERT_DAY_SUMMARIES,
        params![
            day.to_string(),
            version,
            at,
            by,
            figures_json,
            ledger_seq,
            ledger_head,
            audit_seq,
            audit_head
        ],
    )?;
    b.audit = day_audit(tx, b.header.as_ref().map_or((0, 0), |h| (h.start, h.end)))?;
    add_links(tx, &mut b, ledger_seq, audit_seq)?;
    Ok((
        b,
        bundle::Summary {
            version,
            figures,
            snapshot,
            ledger_seq,
            ledger_head,
            audit_seq,
            audit_head,
        },
    ))
}

/// A day summary's cover, hashed from the values it is about to be
/// written with (the same fields `verify` reads back from its row).
#[allow(clippy::too_many_arguments)]
fn summary_cover(
    day: NaiveDate,
    version: u32,
    at: Stamp,
    by: Option<i64>,
    figures: &str,
    ledger_seq: i64,
    ledger_head: &str,
    audit_seq: i64,
) -> super::covers::Cover {
    use crate::domain::chain::Field;
    let spec = super::covers::spec_of("day_summary").expect("day summaries are covered");
    let day = day.to_string();
    let hash = super::covers::values_hash(
        spec,
        &[
            Field::Text(&day),
            Field::Int(i64::from(version)),
            Field::Int(at),
            by.into(),
            Field::Text(figures),
            Field::Int(ledger_seq),
            Field::Text(ledger_head),
            Field::Int(audit_seq),
        ],
    );
    super::covers::Cover {
        entity: spec.entity,
        key: rusqlite::types::Value::Text(format!("{day}/{version}")),
        hash,
    }
}

/// The chain positions from the day's first row to each head that are not
/// the day's own rows (see [`bundle`]).
pub(super) fn add_links(
    conn: &Connection,
    b: &mut Bundle,
    ledger_seq: i64,
    audit_seq: i64,
) -> StoreResult<()> {
    let ledger: Vec<i64> = b.transfers.iter().map(|t| t.seq).collect();
    let audit: Vec<i64> = b.audit.iter().map(|a| a.seq).collect();
    for (chain, table, have, head) in [
        ("ledger", "transfers", ledger, ledger_seq),
        ("audit", "audit_log", audit, audit_seq),
    ] {
        let from = have.first().copied().unwrap_or(head);
        let have: std::collections::HashSet<i64> = have.into_iter().collect();
        let mut st = conn.prepare(&format!(
            "SELECT seq, prev_hash, hash FROM {table} WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq"
        ))?;
        let rows = st.query_map(params![from, head], |r| {
            Ok(bundle::Link {
                chain: chain.into(),
                seq: r.get(0)?,
                prev_hash: r.get(1)?,
                hash: r.get(2)?,
            })
        })?;
        for link in rows {
            let link = link?;
            if !have.contains(&link.seq) {
                b.links.push(link);
            }
        }
    }
    Ok(())
}

/// What a bundle's header says of the station.
pub(super) struct Facts {
    pub station: crate::domain::station::Station,
    respond_minutes: u32,
    urgent_respond_minutes: u32,
}

pub(super) fn facts(store: &Store) -> StoreResult<Facts> {
    let station = store
        .station()
        .cloned()
        .ok_or_else(|| StoreError::Other("no station".into()))?;
    let s = store.settings();
    Ok(Facts {
        station,
        respond_minutes: s.respond_minutes,
        urgent_respond_minutes: s.urgent_respond_minutes,
    })
}

const COLLECT_BUNDLE_SELECT_TRANSFERS: &str =
    "SELECT seq, prev_hash, hash FROM transfers WHERE at >= ?1 AND at < ?2 ORDER BY seq";

pub(super) fn collect_bundle(conn: &Connection, f: &Facts, day: NaiveDate) -> StoreResult<Bundle> {
    let station = &f.station;
    let (start, end) = time::day_range(day, station.tz);
    let mut b = Bundle {
        header: Some(bundle::Header {
            format: bundle::FORMAT.into(),
            version: bundle::VERSION,
            station_uid: station.uid.clone(),
            station_code: station.code(),
            station_kind: station.kind.as_str().into(),
            tz: station.tz.name().into(),
            day: day.to_string(),
            start,
            end,
            respond_minutes: f.respond_minutes,
            urgent_respond_minutes: f.urgent_respond_minutes,
        }),
        ..Bundle::default()
    };
    let day = params![start, end];
    b.members = member_rows(
        conn,
        "WHERE (submitted_at >= ?1 AND submitted_at < ?2) OR (updated_at >= ?1 AND updated_at < ?2) OR (decided_at >= ?1 AND decided_at < ?2)",
        day,
    )?;
    b.requests = request_rows(
        conn,
        "WHERE (q.created_at >= ?1 AND q.created_at < ?2) OR (q.updated_at >= ?1 AND q.updated_at < ?2)",
        day,
    )?;
    b.records = record_rows(conn, "WHERE s.entered_at >= ?1 AND s.entered_at < ?2", day)?;
    let mut st = conn.prepare(COLLECT_BUNDLE_SELECT_TRANSFERS)?;
    let seqs: Vec<(i64, String, String)> = st
        .query_map(params![start, end], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    for (seq, prev_hash, hash) in seqs {
        b.transfers.push(bundle::ChainedTransfer {
            seq,
            row: super::ledger::row_at(conn, seq)?,
            prev_hash,
            hash,
        });
    }
    b.disputes = dispute_rows(
        conn,
        "WHERE (d.opened_at >= ?1 AND d.opened_at < ?2) OR (d.updated_at >= ?1 AND d.updated_at < ?2) OR (d.decided_at >= ?1 AND d.decided_at < ?2)",
        day,
    )?;
    b.audit = day_audit(conn, (start, end))?;
    Ok(b)
}

/// The audit rows written in [start, end).
fn day_audit(
    conn: &Connection,
    (start, end): (Stamp, Stamp),
) -> StoreResult<Vec<bundle::ChainedAudit>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {} FROM audit_log WHERE at >= ?1 AND at < ?2 ORDER BY seq",
        audit::COLUMNS
    ))?;
    let rows = st
        .query_map(params![start, end], |r| {
            Ok(bundle::ChainedAudit {
                seq: r.get(0)?,
                row: audit::AuditRow::from_columns(r)?,
                prev_hash: r.get(8)?,
                hash: r.get(9)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

// The rows a bundle (and the sync to headquarters) carries of each table,
// selected by `filter` (a WHERE clause over the aliases below): one
// reading of each table, so a row reads the same by either road and
// headquarters can compare them exactly.

pub(super) fn member_rows(
    conn: &Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> StoreResult<Vec<bundle::MemberRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT uid, number, status, level, community, submitted_at, decided_at, blacklisted_at, updated_at FROM members
         {filter} ORDER BY id"
    ))?;
    let rows = st
        .query_map(p, |r| {
            Ok(bundle::MemberRow {
                uid: r.get(0)?,
                number: r.get(1)?,
                status: r.get(2)?,
                level: r.get(3)?,
                community: r.get(4)?,
                submitted_at: r.get(5)?,
                decided_at: r.get(6)?,
                blacklisted_at: r.get(7)?,
                updated_at: r.get(8)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub(super) fn request_rows(
    conn: &Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> StoreResult<Vec<bundle::RequestRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT q.uid, coalesce(r.uid, 'merchant:' || x.code), t.code, q.urgent, q.state, h.uid, q.created_at, q.responded_at,
                q.matched_at, q.closed_at, q.updated_at
         FROM requests q LEFT JOIN members r ON r.id = q.requester_id LEFT JOIN merchants x ON x.id = q.merchant_id
         JOIN service_types t ON t.id = q.type_id LEFT JOIN members h ON h.id = q.helper_id
         {filter} ORDER BY q.id"
    ))?;
    let rows = st
        .query_map(p, |r| {
            Ok(bundle::RequestRow {
                uid: r.get(0)?,
                requester: r.get(1)?,
                type_code: r.get(2)?,
                urgent: r.get(3)?,
                state: r.get(4)?,
                helper: r.get(5)?,
                created_at: r.get(6)?,
                responded_at: r.get(7)?,
                matched_at: r.get(8)?,
                closed_at: r.get(9)?,
                updated_at: r.get(10)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub(super) fn record_rows(
    conn: &Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> StoreResult<Vec<bundle::RecordRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT s.uid, p.uid, q.uid, t.code, s.started_at, s.ended_at, s.minutes, s.points, s.payer, s.confirm_method, s.rating, s.entered_at
         FROM service_records s JOIN members p ON p.id = s.provider_id JOIN members q ON q.id = s.recipient_id JOIN service_types t ON t.id = s.type_id
         {filter} ORDER BY s.id"
    ))?;
    let rows = st
        .query_map(p, |r| {
            Ok(bundle::RecordRow {
                uid: r.get(0)?,
                provider: r.get(1)?,
                recipient: r.get(2)?,
                type_code: r.get(3)?,
                started_at: r.get(4)?,
                ended_at: r.get(5)?,
                minutes: r.get(6)?,
                points: r.get(7)?,
                payer: r.get(8)?,
                confirm_method: r.get(9)?,
                rating: r.get(10)?,
                entered_at: r.get(11)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub(super) fn dispute_rows(
    conn: &Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> StoreResult<Vec<bundle::DisputeRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT d.uid, d.kind, d.category, a.uid, b.uid, d.opened_at, d.decided_at, d.outcome, d.told_at, d.updated_at, d.merchant_ref
         FROM disputes d LEFT JOIN members a ON a.id = d.party_a LEFT JOIN members b ON b.id = d.party_b
         {filter} ORDER BY d.id"
    ))?;
    let rows = st
        .query_map(p, |r| {
            Ok(bundle::DisputeRow {
                uid: r.get(0)?,
                kind: r.get(1)?,
                category: r.get(2)?,
                party_a: r.get(3)?,
                party_b: r.get(4)?,
                opened_at: r.get(5)?,
                decided_at: r.get(6)?,
                outcome: r.get(7)?,
                told_at: r.get(8)?,
                updated_at: r.get(9)?,
                merchant_ref: r.get(10)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
