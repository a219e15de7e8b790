//! The audit log: who did what, when, to which record. One row per write, in
//! the same transaction as the write; append-only and hash-chained.

use super::{StoreResult, covers, new_uid};
use crate::domain::chain::GENESIS;
use crate::domain::time::Stamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

pub use crate::domain::audit::AuditRow;

/// One audit entry to append.
pub struct Entry<'a> {
    pub at: Stamp,
    pub staff_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub detail: Value,
}

/// The hash of the newest audit row (the chain head).
pub fn head(conn: &Connection) -> StoreResult<String> {
    Ok(head_seq(conn)?.1)
}

/// The newest audit row's seq and hash (0 and the genesis hash when empty).
pub fn head_seq(conn: &Connection) -> StoreResult<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or_else(|| (0, GENESIS.to_string())))
}

/// Append one entry; returns its sequence number.
pub fn append(conn: &Connection, e: Entry<'_>) -> StoreResult<i64> {
    append_covering(conn, e, &[])
}

/// Append one entry that also covers `explicit` rows (besides the covered
/// rows this transaction changed: see [`covers`]); returns its seq.
pub fn append_covering(
    conn: &Connection,
    e: Entry<'_>,
    explicit: &[covers::Cover],
) -> StoreResult<i64> {
    super::days::refuse_if_closed(conn, e.at, e.action)?;
    write_row(conn, e, explicit)
}

const WRITE_ROW_INSERT_AUDIT_LOG: &str = "INSERT INTO audit_log (seq, uid, at, staff_id, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

fn write_row(conn: &Connection, e: Entry<'_>, explicit: &[covers::Cover]) -> StoreResult<i64> {
    let (head, prev) = head_seq(conn)?;
    let seq = head + 1;
    let digest = covers::drain(conn, seq, explicit)?;
    let row = AuditRow {
        uid: new_uid(e.at),
        at: e.at,
        staff_id: e.staff_id,
        action: e.action.to_string(),
        entity: e.entity.to_string(),
        entity_id: e.entity_id,
        detail: covers::with_digest(&e.detail, digest.as_deref()),
    };
    let hash = row.hash(&prev);
    conn.execute(
        WRITE_ROW_INSERT_AUDIT_LOG,
        params![
            seq,
            row.uid,
            row.at,
            row.staff_id,
            row.action,
            row.entity,
            row.entity_id,
            row.detail,
            prev,
            hash
        ],
    )?;
    Ok(seq)
}

/// Before a commit: covered rows changed after the write's last audit row
/// get one more audit row (`audit.cover`), at that row's time and staff.
pub fn seal(conn: &Connection) -> StoreResult<()> {
    if !covers::pending(conn)? {
        return Ok(());
    }
    let (at, staff_id): (Stamp, Option<i64>) = conn
        .query_row(
            "SELECT at, staff_id FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, None));
    write_row(
        conn,
        Entry {
            at,
            staff_id,
            action: "audit.cover",
            entity: "audit",
            entity_id: None,
            detail: serde_json::json!({}),
        },
        &[],
    )?;
    Ok(())
}

/// Shorthand for the common case.
pub fn log(
    conn: &Connection,
    at: Stamp,
    staff_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    detail: Value,
) -> StoreResult<i64> {
    append(
        conn,
        Entry {
            at,
            staff_id,
            action,
            entity,
            entity_id: Some(entity_id.to_string()),
            detail,
        },
    )
}

/// Outcome of walking the whole audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: u64,
    pub head: String,
    pub problems: Vec<String>,
}

/// The columns audit rows are read with, in this order.
pub const COLUMNS: &str =
    "seq, uid, at, staff_id, action, entity, entity_id, detail, prev_hash, hash";

impl AuditRow {
    /// The row from a query over [`COLUMNS`].
    pub fn from_columns(r: &rusqlite::Row) -> rusqlite::Result<AuditRow> {
        Ok(AuditRow {
            uid: r.get(1)?,
            at: r.get(2)?,
            staff_id: r.get(3)?,
            action: r.get(4)?,
            entity: r.get(5)?,
            entity_id: r.get(6)?,
            detail: r.get(7)?,
        })
    }
}

/// Recompute every audit row's hash and link, oldest first, and the digest
/// of the rows each one covers (see [`covers`]).
pub fn verify_chain(conn: &Connection) -> StoreResult<ChainReport> {
    verify_chain_part(conn, (i64::MIN, i64::MAX))
}

/// The same for the rows with seq in `seqs` (both ends in): the first row's
/// link is checked against the stored hash of the row before it, so the
/// parts of a chain can be walked at once and their reports joined in
/// order. Covers past the last row are found by the part that ends at
/// `i64::MAX`.
pub fn verify_chain_part(conn: &Connection, (from, to): (i64, i64)) -> StoreResult<ChainReport> {
    use super::verify_covers::{CoverWalk, has_covers};
    let mut prev: String = conn
        .query_row(
            "SELECT hash FROM audit_log WHERE seq < ?1 ORDER BY seq DESC LIMIT 1",
            [from],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq"
    ))?;
    let mut rows = stmt.query([from, to])?;
    let mut cover_stmt = conn.prepare(if has_covers(conn)? {
        CoverWalk::SQL
    } else {
        CoverWalk::NONE
    })?;
    let mut cover_rows = cover_stmt.query([from, to])?;
    let mut walk = CoverWalk::start(&mut cover_rows)?;
    let mut count = 0u64;
    let mut problems = Vec::new();
    let mut hasher = crate::domain::chain::Hasher::new("");
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        // read in place; a column of the wrong type reads as empty, so its
        // row fails its hash instead of stopping the walk
        let text = |i: usize| {
            r.get_ref(i)
                .ok()
                .and_then(|v| v.as_str().ok())
                .unwrap_or("")
        };
        let row = crate::domain::audit::RowRef {
            uid: text(1),
            at: r.get(2)?,
            staff_id: r.get(3)?,
            action: text(4),
            entity: text(5),
            entity_id: r.get_ref(6)?.as_str_or_null().ok().flatten(),
            detail: text(7),
        };
        let stored_hash = text(9);
        if text(8) != prev {
            problems.push(format!(
                "audit seq {seq}: link to the previous row is broken"
            ));
        }
        if !row.hashes_to(&mut hasher, &prev, stored_hash) {
            problems.push(format!("audit seq {seq}: hash does not match its contents"));
        }
        walk.row(&mut cover_rows, seq, row.detail, &mut problems)?;
        prev.clear();
        prev.push_str(stored_hash);
        count += 1;
        if problems.len() > 20 {
            break;
        }
    }
    if problems.len() <= 20 && to == i64::MAX {
        walk.finish(&mut cover_rows, &mut problems)?;
    }
    Ok(ChainReport {
        rows: count,
        head: prev,
        problems,
    })
}
