//! Headquarters' tables row by row: reading rows back to compare them, and
//! inserting many at once (`unnest` of one array per column: one statement
//! per table per batch).

use super::HqError;
use crate::domain::audit::AuditRow;
use crate::domain::ledger::TransferRow;
use crate::wire::batch::SummaryRow;
use crate::wire::bundle::{
    ChainedAudit, ChainedTransfer, DisputeRow, MemberRow, RecordRow, RequestRow,
};
use postgres::Transaction;

mod sql;
use sql::*;

type Tx<'a, 'b> = &'a mut Transaction<'b>;

pub fn transfers_at(tx: Tx, station: i32, seqs: &[i64]) -> Result<Vec<ChainedTransfer>, HqError> {
    let rows = tx.query(TRANSFERS_AT_SELECT_TRANSFERS, &[&station, &seqs])?;
    Ok(rows
        .iter()
        .map(|r| ChainedTransfer {
            seq: r.get(0),
            prev_hash: r.get(1),
            hash: r.get(2),
            row: TransferRow {
                id: r.get(3),
                kind: r.get(4),
                amount: r.get(5),
                debit: r.get(6),
                credit: r.get(7),
                record_uid: r.get(8),
                source: r.get(9),
                reverses: r.get(10),
                idem_key: r.get(11),
                staff: r.get(12),
                approved_by: r.get(13),
                at: r.get(14),
                memo: r.get(15),
            },
        })
        .collect())
}

pub fn audit_at(tx: Tx, station: i32, seqs: &[i64]) -> Result<Vec<ChainedAudit>, HqError> {
    let rows = tx.query(AUDIT_AT_SELECT_AUDIT, &[&station, &seqs])?;
    Ok(rows
        .iter()
        .map(|r| ChainedAudit {
            seq: r.get(0),
            prev_hash: r.get(1),
            hash: r.get(2),
            row: AuditRow {
                uid: r.get(3),
                at: r.get(4),
                staff_id: r.get(5),
                action: r.get(6),
                entity: r.get(7),
                entity_id: r.get(8),
                detail: r.get(9),
            },
        })
        .collect())
}

/// (seq, prev_hash, hash) of a chain's rows at `seqs`.
pub fn hashes_at(
    tx: Tx,
    table: &str,
    station: i32,
    seqs: &[i64],
) -> Result<Vec<(i64, String, String)>, HqError> {
    let rows = tx.query(
        &format!(
            "SELECT seq, prev_hash, hash FROM {table} WHERE station_id = $1 AND seq = ANY($2) ORDER BY seq"
        ),
        &[&station, &seqs],
    )?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// Which of these global ids are taken already, and by which station and seq.
pub fn ids_taken(
    tx: Tx,
    table: &str,
    id_col: &str,
    ids: &[&str],
) -> Result<Vec<(String, i32, i64)>, HqError> {
    let rows = tx.query(
        &format!("SELECT {id_col}, station_id, seq FROM {table} WHERE {id_col} = ANY($1)"),
        &[&ids],
    )?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// Insert transfers; returns the ids inserted. One whose id is another
/// station's row (which this role may not see) is skipped, not an error:
/// the caller names it.
pub fn insert_transfers(
    tx: Tx,
    station: i32,
    rows: &[&ChainedTransfer],
) -> Result<Vec<String>, HqError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let col =
        |f: fn(&ChainedTransfer) -> Option<String>| rows.iter().map(|t| f(t)).collect::<Vec<_>>();
    let seq: Vec<i64> = rows.iter().map(|t| t.seq).collect();
    let amount: Vec<i64> = rows.iter().map(|t| t.row.amount).collect();
    let at: Vec<i64> = rows.iter().map(|t| t.row.at).collect();
    let done = tx.query(
        INSERT_TRANSFERS_INSERT_TRANSFERS,
        &[
            &station,
            &seq,
            &col(|t| Some(t.row.id.clone())),
            &col(|t| Some(t.row.kind.clone())),
            &amount,
            &col(|t| Some(t.row.debit.clone())),
            &col(|t| Some(t.row.credit.clone())),
            &col(|t| t.row.record_uid.clone()),
            &col(|t| t.row.source.clone()),
            &col(|t| t.row.reverses.clone()),
            &col(|t| t.row.idem_key.clone()),
            &col(|t| t.row.staff.clone()),
            &col(|t| t.row.approved_by.clone()),
            &at,
            &col(|t| t.row.memo.clone()),
            &col(|t| Some(t.prev_hash.clone())),
            &col(|t| Some(t.hash.clone())),
        ],
    )?;
    Ok(done.iter().map(|r| r.get(0)).collect())
}

/// Insert audit rows; returns the uids inserted (see [`insert_transfers`]).
pub fn insert_audit(tx: Tx, station: i32, rows: &[&ChainedAudit]) -> Result<Vec<String>, HqError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let col =
        |f: fn(&ChainedAudit) -> Option<String>| rows.iter().map(|a| f(a)).collect::<Vec<_>>();
    let seq: Vec<i64> = rows.iter().map(|a| a.seq).collect();
    let at: Vec<i64> = rows.iter().map(|a| a.row.at).collect();
    let staff: Vec<Option<i64>> = rows.iter().map(|a| a.row.staff_id).collect();
    let done = tx.query(
        INSERT_AUDIT_INSERT_AUDIT,
        &[
            &station,
            &seq,
            &col(|a| Some(a.row.uid.clone())),
            &at,
            &staff,
            &col(|a| Some(a.row.action.clone())),
            &col(|a| Some(a.row.entity.clone())),
            &col(|a| a.row.entity_id.clone()),
            &col(|a| Some(a.row.detail.clone())),
            &col(|a| Some(a.prev_hash.clone())),
            &col(|a| Some(a.hash.clone())),
        ],
    )?;
    Ok(done.iter().map(|r| r.get(0)).collect())
}

/// Records by uid, with the station each belongs to.
pub fn records(tx: Tx, uids: &[&str]) -> Result<Vec<(i32, RecordRow)>, HqError> {
    let rows = tx.query(RECORDS_SELECT_RECORDS, &[&uids])?;
    Ok(rows.iter().map(|r| (r.get(0), record_row(r, 1))).collect())
}

/// Insert records; returns the uids inserted (see [`insert_transfers`]).
pub fn insert_records(tx: Tx, station: i32, rows: &[&RecordRow]) -> Result<Vec<String>, HqError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let text = |f: fn(&RecordRow) -> String| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    let int = |f: fn(&RecordRow) -> i64| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    let minutes: Vec<i32> = rows.iter().map(|r| r.minutes as i32).collect();
    let rating: Vec<Option<i16>> = rows.iter().map(|r| r.rating.map(i16::from)).collect();
    let done = tx.query(
        INSERT_RECORDS_INSERT_RECORDS,
        &[
            &station,
            &text(|r| r.uid.clone()),
            &text(|r| r.provider.clone()),
            &text(|r| r.recipient.clone()),
            &text(|r| r.type_code.clone()),
            &int(|r| r.started_at),
            &int(|r| r.ended_at),
            &minutes,
            &int(|r| r.points),
            &text(|r| r.payer.clone()),
            &text(|r| r.confirm_method.clone()),
            &rating,
            &int(|r| r.entered_at),
        ],
    )?;
    Ok(done.iter().map(|r| r.get(0)).collect())
}

/// This station's versions of these uids.
pub fn member_versions(tx: Tx, station: i32, uids: &[&str]) -> Result<Vec<MemberRow>, HqError> {
    let rows = tx.query(MEMBER_VERSIONS_SELECT_MEMBER_VERSIONS, &[&station, &uids])?;
    Ok(rows.iter().map(|r| member_row(r, 1)).collect())
}

/// A member version from a row whose columns start at `i` in the order of
/// [`member_versions`].
pub fn member_row(r: &postgres::Row, i: usize) -> MemberRow {
    MemberRow {
        uid: r.get(i),
        number: r.get(i + 1),
        status: r.get(i + 2),
        level: r.get(i + 3),
        community: r.get(i + 4),
        submitted_at: r.get(i + 5),
        decided_at: r.get(i + 6),
        blacklisted_at: r.get(i + 7),
        updated_at: r.get(i + 8),
    }
}

pub fn insert_members(tx: Tx, station: i32, rows: &[&MemberRow]) -> Result<(), HqError> {
    if rows.is_empty() {
        return Ok(());
    }
    let text = |f: fn(&MemberRow) -> Option<String>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    let int = |f: fn(&MemberRow) -> Option<i64>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    tx.execute(
        INSERT_MEMBERS_INSERT_MEMBER_VERSIONS,
        &[
            &station,
            &text(|r| Some(r.uid.clone())),
            &int(|r| Some(r.updated_at)),
            &text(|r| r.number.clone()),
            &text(|r| Some(r.status.clone())),
            &text(|r| Some(r.level.clone())),
            &text(|r| Some(r.community.clone())),
            &int(|r| Some(r.submitted_at)),
            &int(|r| r.decided_at),
            &int(|r| r.blacklisted_at),
        ],
    )?;
    Ok(())
}

/// This station's versions of these uids.
pub fn request_versions(tx: Tx, station: i32, uids: &[&str]) -> Result<Vec<RequestRow>, HqError> {
    let rows = tx.query(REQUEST_VERSIONS_SELECT_REQUEST_VERSIONS, &[&station, &uids])?;
    Ok(rows.iter().map(|r| request_row(r, 1)).collect())
}

/// A record from a row whose columns start at `i` in the order of
/// [`records`].
pub fn record_row(r: &postgres::Row, i: usize) -> RecordRow {
    RecordRow {
        uid: r.get(i),
        provider: r.get(i + 1),
        recipient: r.get(i + 2),
        type_code: r.get(i + 3),
        started_at: r.get(i + 4),
        ended_at: r.get(i + 5),
        minutes: r.get::<_, i32>(i + 6) as u32,
        points: r.get(i + 7),
        payer: r.get(i + 8),
        confirm_method: r.get(i + 9),
        rating: r.get::<_, Option<i16>>(i + 10).map(|v| v as u8),
        entered_at: r.get(i + 11),
    }
}

/// A request version from a row whose columns start at `i` in the order of
/// [`request_versions`].
pub fn request_row(r: &postgres::Row, i: usize) -> RequestRow {
    RequestRow {
        uid: r.get(i),
        requester: r.get(i + 1),
        type_code: r.get(i + 2),
        urgent: r.get(i + 3),
        state: r.get(i + 4),
        helper: r.get(i + 5),
        created_at: r.get(i + 6),
        responded_at: r.get(i + 7),
        matched_at: r.get(i + 8),
        closed_at: r.get(i + 9),
        updated_at: r.get(i + 10),
    }
}

pub fn insert_requests(tx: Tx, station: i32, rows: &[&RequestRow]) -> Result<(), HqError> {
    if rows.is_empty() {
        return Ok(());
    }
    let text = |f: fn(&RequestRow) -> Option<String>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    let int = |f: fn(&RequestRow) -> Option<i64>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    let urgent: Vec<bool> = rows.iter().map(|r| r.urgent).collect();
    tx.execute(
        INSERT_REQUESTS_INSERT_REQUEST_VERSIONS,
        &[
            &station,
            &text(|r| Some(r.uid.clone())),
            &int(|r| Some(r.updated_at)),
            &text(|r| Some(r.requester.clone())),
            &text(|r| Some(r.type_code.clone())),
            &urgent,
            &text(|r| Some(r.state.clone())),
            &text(|r| r.helper.clone()),
            &int(|r| Some(r.created_at)),
            &int(|r| r.responded_at),
            &int(|r| r.matched_at),
            &int(|r| r.closed_at),
        ],
    )?;
    Ok(())
}

/// This station's versions of these uids.
pub fn dispute_versions(tx: Tx, station: i32, uids: &[&str]) -> Result<Vec<DisputeRow>, HqError> {
    let rows = tx.query(DISPUTE_VERSIONS_SELECT_DISPUTE_VERSIONS, &[&station, &uids])?;
    Ok(rows.iter().map(|r| dispute_row(r, 1)).collect())
}

/// A dispute version from a row whose columns start at `i` in the order of
/// [`dispute_versions`].
pub fn dispute_row(r: &postgres::Row, i: usize) -> DisputeRow {
    DisputeRow {
        uid: r.get(i),
        kind: r.get(i + 1),
        category: r.get(i + 2),
        party_a: r.get(i + 3),
        party_b: r.get(i + 4),
        opened_at: r.get(i + 5),
        decided_at: r.get(i + 6),
        outcome: r.get(i + 7),
        told_at: r.get(i + 8),
        updated_at: r.get(i + 9),
        merchant_ref: r.get(i + 10),
    }
}

pub fn insert_disputes(tx: Tx, station: i32, rows: &[&DisputeRow]) -> Result<(), HqError> {
    if rows.is_empty() {
        return Ok(());
    }
    let text = |f: fn(&DisputeRow) -> Option<String>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    let int = |f: fn(&DisputeRow) -> Option<i64>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
    tx.execute(
        INSERT_DISPUTES_INSERT_DISPUTE_VERSIONS,
        &[
            &station,
            &text(|r| Some(r.uid.clone())),
            &int(|r| Some(r.updated_at)),
            &text(|r| Some(r.kind.clone())),
            &text(|r| r.category.clone()),
            &text(|r| r.party_a.clone()),
            &text(|r| r.party_b.clone()),
            &int(|r| Some(r.opened_at)),
            &int(|r| r.decided_at),
            &text(|r| r.outcome.clone()),
            &int(|r| r.told_at),
            &text(|r| r.merchant_ref.clone()),
        ],
    )?;
    Ok(())
}

/// A summary row from columns (day, version, figures, ledger_seq,
/// ledger_head, audit_seq, audit_head) starting at `i`.
pub fn summary_row(r: &postgres::Row, i: usize) -> Result<SummaryRow, HqError> {
    Ok(SummaryRow {
        day: r.get(i),
        version: r.get::<_, i32>(i + 1) as u32,
        figures: serde_json::from_str(r.get::<_, &str>(i + 2))
            .map_err(|e| HqError::Server(format!("day_summaries.figures: {e}")))?,
        ledger_seq: r.get(i + 3),
        ledger_head: r.get(i + 4),
        audit_seq: r.get(i + 5),
        audit_head: r.get(i + 6),
    })
}

pub fn summaries(tx: Tx, station: i32, days: &[String]) -> Result<Vec<SummaryRow>, HqError> {
    tx.query(SUMMARIES_SELECT_DAY_SUMMARIES, &[&station, &days])?
        .iter()
        .map(|r| summary_row(r, 0))
        .collect()
}

pub fn insert_summary(tx: Tx, station: i32, s: &SummaryRow) -> Result<(), HqError> {
    let figures =
        serde_json::to_string(&s.figures).map_err(|e| HqError::Station(format!("figures: {e}")))?;
    tx.execute(
        INSERT_SUMMARY_INSERT_DAY_SUMMARIES,
        &[
            &station,
            &s.day,
            &(s.version as i32),
            &figures,
            &s.ledger_seq,
            &s.ledger_head,
            &s.audit_seq,
            &s.audit_head,
        ],
    )?;
    Ok(())
}
