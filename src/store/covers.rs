//! Covers: the audit chain vouches for the content of every row that changes
//! points or standing.
//!
//! The ledger's transfers are hash-chained themselves; the rows around them
//! are not (a service record's minutes, a member's status or level, a
//! warning, a dispute's outcome, a closed day's summary…). So each audit row
//! written with such a change also writes, in `audit_covers`, the content
//! hash of every covered row the write changed — the row as it is after the
//! write, in the encoding of [`crate::domain::chain`] — and the digest of that
//! list goes into the audit row's `detail` as its first key
//! (`{"covers":"<64 hex>",…}`), inside the audit row's chained hash. Nothing
//! changes in the audit row's format or hash: headquarters and the day
//! bundles check the audit chain exactly as before.
//!
//! `verify` then checks, for every covered table, that each row's content
//! now equals the hash of the newest audit row that covered it (a row edited
//! outside the app does not; a row added outside the app has none), that no
//! covered row is gone, and — while walking the audit chain — that each audit
//! row's list still gives its digest (a list edited, shortened or lengthened
//! does not; covers beyond the end of the chain mean a cut tail).
//!
//! Which rows a write changed is noted by temporary triggers on the desk's
//! own connection ([`install`]): a change made by another program with the
//! file open is never noted, so it can never be vouched for by the next
//! honest write. Before a covered row's new hash is written, its content
//! before the write (kept by the trigger) must equal its newest hash, so an
//! edit made outside the app is refused at the next write instead of being
//! vouched for. A write whose covered changes come after its last audit row
//! gets one more audit row (`audit.cover`) at the commit ([`super::audit::seal`]).
//!
//! Files from before covers get one `audit.baseline` audit row from the
//! migration, covering every covered row as it was then: it vouches for the
//! rows as found at the upgrade (verify the file before upgrading it).

use super::{StoreError, StoreResult};
use crate::domain::chain::{Field, Hasher};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, params};

mod sql;
use sql::*;

/// A table whose rows are covered, and how they are read.
pub struct Spec {
    /// The name in `audit_covers` (short: it is stored once per cover).
    pub entity: &'static str,
    pub table: &'static str,
    /// The row's key, as an SQL expression over the alias `t`.
    pub key: &'static str,
    /// The covered columns, in the order they are hashed.
    pub columns: &'static str,
    /// Whether the temporary triggers note its changes (the day summary
    /// is covered by its own close instead: see `days`).
    pub noted: bool,
}

const fn spec(
    entity: &'static str,
    table: &'static str,
    key: &'static str,
    columns: &'static str,
) -> Spec {
    Spec {
        entity,
        table,
        key,
        columns,
        noted: true,
    }
}

/// Every covered table. A member is covered for their standing only: the
/// running figures kept with each record (`stat_*`, `rev`, `updated_at`) and
/// the contact details are not standing.
pub const SPECS: &[Spec] = &[
    spec(
        "record",
        "service_records",
        "t.id",
        "id, uid, content_hash, request_id, provider_id, recipient_id, type_id, started_at, ended_at, minutes, payer, points, confirm_method, book_page, photo_ref, rating, notes, late_reason, entered_at, entered_by",
    ),
    spec(
        "member",
        "members",
        "t.id",
        "id, uid, number, status, street, community, recommender_id, submitted_at, decided_at, decided_by, reject_reason, level, level_since, upgrade_blocked_until, frozen, frozen_reason, redeem_frozen_until, blacklisted_at, blacklist_reason, trust_score, heir_name, heir_relation, heir_registered_at, ended_at",
    ),
    spec(
        "correction",
        "corrections",
        "t.id",
        "id, kind, transfer_id, member_id, direction, amount, reason, proposed_by, proposed_at, outcome, decided_by, decided_at, decision_note, posted_transfer",
    ),
    spec(
        "dispute",
        "disputes",
        "t.id",
        "id, uid, kind, channel, category, party_a, party_b, record_id, merchant_ref, subject, reported_by, opened_at, opened_by, hq_reported_at, hq_reported_to, reviewed_at, review, decided_at, decided_by, outcome, decision, told_at, told_how, told_by, reply, replied_at",
    ),
    spec(
        "warning",
        "warnings",
        "t.id",
        "id, member_id, kind, at, by_staff, reason, source",
    ),
    spec(
        "violation",
        "violations",
        "t.id",
        "id, member_id, severity, at, active_until, by_staff, reason, source",
    ),
    spec(
        "bad_credit",
        "bad_credit",
        "t.id",
        "id, member_id, at, active_until, by_staff, reason, source",
    ),
    spec(
        "level_change",
        "level_history",
        "t.id",
        "id, member_id, at, old_level, new_level, kind, month, reason",
    ),
    spec(
        "estate",
        "estate_settlements",
        "t.id",
        "id, member_id, kind, heir_member_id, death_certificate, kinship_proof, transfer_id, at, by_staff",
    ),
    spec(
        "owed",
        "owed",
        "t.id",
        "id, member_id, amount, reason, source, at",
    ),
    spec(
        "owed_taken",
        "owed_taken",
        "t.id",
        "id, member_id, amount, transfer_id, at",
    ),
    spec(
        "estate_heir",
        "estate_heirs",
        "t.id",
        "id, estate_id, name, relation, kinship_proof, account_id, written_request",
    ),
    spec(
        "redemption",
        "redemptions",
        "t.id",
        "id, uid, merchant_id, offer_id, member_id, count, points, value_fen, redeemed_at, at, staff_id, transfer_id, source",
    ),
    spec(
        "merchant_service",
        "merchant_services",
        "t.id",
        "id, uid, request_id, merchant_id, provider_id, started_at, ended_at, minutes, points, confirmed_by, at, staff_id, transfer_id",
    ),
    spec(
        "activity",
        "activities",
        "t.id",
        "id, kind, title, starts_at, ends_at, place, aim, leads, materials, cost_fen, merchants, points_per_hour, created_at, created_by",
    ),
    spec(
        "attendance",
        "activity_attendance",
        "t.id",
        "id, activity_id, member_id, signed_at, signed_by, attended_at, attended_by, minutes, points, transfer_id",
    ),
    spec(
        "tool_loan",
        "tool_loans",
        "t.id",
        "id, item_id, member_id, lent_at, lent_by, due_day, closed_at, closed_by, outcome, note",
    ),
    spec(
        "tool_writeoff",
        "tool_writeoffs",
        "t.id",
        "id, item_id, loan_id, kind, note, count_from, count_to, at, by_staff",
    ),
    spec(
        "medal",
        "medals",
        "t.id",
        "id, kind, period, member_id, merchant_id, reason, figures, awarded_at, awarded_by",
    ),
    spec(
        "fund_expense",
        "fund_expenses",
        "t.id",
        "id, kind, amount_fen, party, purpose, activity_id, proposed_at, proposed_by, posted_seq",
    ),
    spec(
        "fund_signature",
        "fund_signatures",
        "t.id",
        "id, expense_id, staff_id, signed_at",
    ),
    spec(
        "fund_entry",
        "fund_entries",
        "t.seq",
        "seq, at, kind, amount_fen, balance_fen, party, purpose, member_id, merchant_id, activity_id, expense_id, staff_id, prev_hash, hash",
    ),
    spec(
        "station_day",
        "station_days",
        "t.day",
        "day, day_start, day_end, opened_at, opened_by, late, checklist, midday_staff, midday_at, closed_at, closed_by, story, docs_locked, backup_path, bundle_path, reopened_at, reopened_by, reopen_reason",
    ),
    // the summary's own audit head is left out: it is the hash of the very
    // audit row that covers the summary (verify checks it against the chain)
    Spec {
        entity: "day_summary",
        table: "day_summaries",
        key: "t.day || '/' || t.version",
        columns: "day, version, at, by_staff, figures, ledger_seq, ledger_head, audit_seq",
        noted: false,
    },
];

impl Spec {
    pub fn cols(&self) -> impl Iterator<Item = &'static str> {
        self.columns.split(',').map(str::trim)
    }

    /// What keeps one table's content hashes apart from another's.
    pub fn domain(&self) -> String {
        format!("content/v1/{}", self.entity)
    }
}

pub fn spec_of(entity: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.entity == entity)
}

/// One row's content hash, to be written for the audit row at `seq`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    pub entity: &'static str,
    pub key: Value,
    pub hash: [u8; 32],
}

/// One stored value into a hash, as its type says.
fn put(h: &mut Hasher, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => h.field(&Field::Null),
        ValueRef::Integer(i) => h.field(&Field::Int(i)),
        // no covered column holds a real; one put there still hashes
        ValueRef::Real(f) => h.field(&Field::Text(&f.to_string())),
        ValueRef::Text(t) => h.field(&Field::Text(&String::from_utf8_lossy(t))),
        ValueRef::Blob(b) => h.field(&Field::Bytes(b)),
    }
}

fn hasher(spec: &Spec) -> Hasher {
    Hasher::new(&spec.domain())
}

/// The content hash of the row read by a query over [`select`], whose
/// covered columns start at `offset`.
pub fn row_hash(spec: &Spec, r: &rusqlite::Row<'_>, offset: usize) -> rusqlite::Result<[u8; 32]> {
    let mut h = hasher(spec);
    hash_row(&mut h, &spec.domain(), spec.cols().count(), r, offset)
}

/// [`row_hash`] with the hasher, the domain and the column count given,
/// for a loop over a whole table.
pub fn hash_row(
    h: &mut Hasher,
    domain: &str,
    columns: usize,
    r: &rusqlite::Row<'_>,
    offset: usize,
) -> rusqlite::Result<[u8; 32]> {
    h.reset(domain);
    for i in 0..columns {
        put(h, r.get_ref(offset + i)?);
    }
    Ok(h.bytes())
}

/// The content hash of a row given as its field values (a day summary,
/// hashed before its row is written).
pub fn values_hash(spec: &Spec, fields: &[Field<'_>]) -> [u8; 32] {
    let mut h = hasher(spec);
    for f in fields {
        h.field(f);
    }
    h.bytes()
}

/// `key, col1, col2, … FROM table t`, for a query to finish.
fn select(spec: &Spec) -> String {
    let cols: Vec<String> = spec.cols().map(|c| format!("t.{c}")).collect();
    format!(
        "{} AS k, {} FROM {} t",
        spec.key,
        cols.join(", "),
        spec.table
    )
}

/// The row's content hash as it is now (`None`: no such row).
pub fn content_now(
    conn: &Connection,
    spec: &Spec,
    key: &Value,
) -> rusqlite::Result<Option<[u8; 32]>> {
    let mut st =
        conn.prepare_cached(&format!("SELECT {} WHERE {} = ?1", select(spec), spec.key))?;
    st.query_row([key], |r| row_hash(spec, r, 1)).optional()
}

/// The hash the newest audit row gave this row, and that row's seq.
pub fn newest(
    conn: &Connection,
    entity: &str,
    key: &Value,
) -> rusqlite::Result<Option<(i64, Vec<u8>)>> {
    let mut st = conn.prepare_cached(NEWEST_SELECT_AUDIT_COVERS)?;
    st.query_row(params![entity, key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

const DIGEST_DOMAIN: &str = "covers/v1";

/// The digest of a list of covers, fed in the order `audit_covers_seq`
/// gives them (entity, then key).
pub struct Digest(Hasher);

impl Digest {
    pub fn new() -> Digest {
        Digest(Hasher::new(DIGEST_DOMAIN))
    }

    pub fn add(&mut self, entity: &str, key: ValueRef<'_>, hash: &[u8]) {
        self.0.text(entity);
        put(&mut self.0, key);
        self.0.field(&Field::Bytes(hash));
    }

    /// Start a new list.
    pub fn reset(&mut self) {
        self.0.reset(DIGEST_DOMAIN);
    }

    pub fn hex(&mut self) -> String {
        self.0.hex()
    }

    /// Whether the list gives the digest `hex` (without making a string).
    pub fn matches(&mut self, hex: &str) -> bool {
        self.0.matches_hex(hex)
    }
}

impl Default for Digest {
    fn default() -> Self {
        Digest::new()
    }
}

/// The digest of the covers written for the audit row at `seq`.
fn digest_at(conn: &Connection, seq: i64) -> rusqlite::Result<String> {
    let mut st = conn.prepare_cached(DIGEST_AT_SELECT_AUDIT_COVERS)?;
    let mut rows = st.query([seq])?;
    let mut d = Digest::new();
    while let Some(r) = rows.next()? {
        d.add(
            r.get_ref(0)?.as_str()?,
            r.get_ref(1)?,
            r.get_ref(2)?.as_blob()?,
        );
    }
    Ok(d.hex())
}

/// The audit row's detail with the digest as its first key.
pub fn with_digest(detail: &serde_json::Value, digest: Option<&str>) -> String {
    let Some(d) = digest else {
        return detail.to_string();
    };
    match detail {
        serde_json::Value::Object(m) if m.is_empty() => format!(r#"{{"covers":"{d}"}}"#),
        serde_json::Value::Object(_) => {
            let rest = detail.to_string();
            format!(r#"{{"covers":"{d}",{}"#, &rest[1..])
        }
        other => format!(r#"{{"covers":"{d}","detail":{other}}}"#),
    }
}

/// The digest an audit row's detail carries, if any.
pub fn digest_of_detail(detail: &str) -> Option<&str> {
    let rest = detail.strip_prefix(r#"{"covers":""#)?;
    let d = rest.get(..64)?;
    rest[64..].starts_with('"').then_some(d)
}

/// The temporary table and triggers that note, on this connection only,
/// which covered rows a write changes (with their content before it).
pub fn install(conn: &Connection) -> rusqlite::Result<()> {
    // the noted rows live only as long as a write: in memory, never in a
    // temporary file of their own (created, journalled, removed per write)
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS cover_pending (
             entity TEXT NOT NULL, entity_id NOT NULL, old TEXT,
             PRIMARY KEY (entity, entity_id)) WITHOUT ROWID;\n",
    );
    for s in SPECS.iter().filter(|s| s.noted) {
        let key = |row: &str| s.key.replace("t.", &format!("{row}."));
        let old: Vec<String> = s.cols().map(|c| format!("OLD.{c}")).collect();
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS cover_{e}_insert AFTER INSERT ON main.{t}
             BEGIN INSERT OR IGNORE INTO temp.cover_pending VALUES ('{e}', {new}, NULL); END;
             CREATE TEMP TRIGGER IF NOT EXISTS cover_{e}_update AFTER UPDATE OF {cols} ON main.{t}
             BEGIN INSERT OR IGNORE INTO temp.cover_pending VALUES ('{e}', {oldkey}, json_array({old})); END;\n",
            e = s.entity,
            t = s.table,
            new = key("NEW"),
            oldkey = key("OLD"),
            cols = s.columns,
            old = old.join(", "),
        ));
    }
    conn.execute_batch(&sql)
}

/// Whether this transaction changed covered rows not yet covered.
pub fn pending(conn: &Connection) -> rusqlite::Result<bool> {
    // a connection without the temporary table (read-only) has none
    let mut st = match conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM temp.cover_pending)") {
        Ok(st) => st,
        Err(_) => return Ok(false),
    };
    st.query_row([], |r| r.get(0))
}

/// The content a covered row had before this write, from its trigger's
/// `json_array`, hashed as the row itself would be.
fn old_hash(spec: &Spec, old: &str) -> Option<[u8; 32]> {
    let values: Vec<serde_json::Value> = serde_json::from_str(old).ok()?;
    let mut h = hasher(spec);
    for v in &values {
        match v {
            serde_json::Value::Null => h.field(&Field::Null),
            serde_json::Value::String(s) => h.field(&Field::Text(s)),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => h.field(&Field::Int(i)),
                None => h.field(&Field::Text(&n.to_string())),
            },
            _ => return None,
        }
    }
    Some(h.bytes())
}

/// Write the covers of the audit row at `seq`: every covered row this
/// transaction changed since the last audit row, and `explicit` ones.
/// Returns the digest for the row's detail (`None`: it covers nothing).
///
/// A row whose content before this write is not what its newest audit row
/// vouched for was changed outside the app: the write is refused rather
/// than vouch for the change.
pub fn drain(conn: &Connection, seq: i64, explicit: &[Cover]) -> StoreResult<Option<String>> {
    let noted: Vec<(String, Value, Option<String>)> =
        match conn.prepare_cached("SELECT entity, entity_id, old FROM temp.cover_pending") {
            Ok(mut st) => st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?,
            Err(_) => Vec::new(),
        };
    let mut covers: Vec<Cover> = explicit.to_vec();
    let any_noted = !noted.is_empty();
    for (entity, key, old) in noted {
        let spec =
            spec_of(&entity).ok_or_else(|| StoreError::Other(format!("covers: {entity}?")))?;
        if let Some(old) = old {
            let before = old_hash(spec, &old);
            let vouched = newest(conn, spec.entity, &key)?.map(|(_, h)| h);
            if before.is_none() || vouched.as_deref() != before.as_ref().map(|b| &b[..]) {
                return Err(StoreError::Damaged(format!(
                    "{} {}: not what its last audit row vouched for, changed or added outside the app (run shiguang verify)",
                    spec.table,
                    key_text(&key)
                )));
            }
        }
        if let Some(hash) = content_now(conn, spec, &key)? {
            covers.push(Cover {
                entity: spec.entity,
                key,
                hash,
            });
        }
    }
    if any_noted {
        conn.execute("DELETE FROM temp.cover_pending", [])?;
    }
    if covers.is_empty() {
        return Ok(None);
    }
    let mut ins = conn.prepare_cached(DRAIN_INSERT_AUDIT_COVERS)?;
    for c in &covers {
        ins.execute(params![c.entity, c.key, seq, &c.hash[..]])?;
    }
    Ok(Some(digest_at(conn, seq)?))
}

pub fn key_text(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

/// The migration's baseline: one audit row covering every covered row as
/// it is, on a file that has any (a new file needs none).
pub fn baseline(conn: &Connection, now: i64) -> rusqlite::Result<()> {
    let (head_seq, prev): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, crate::domain::chain::GENESIS.to_string()));
    let seq = head_seq + 1;
    let mut n = 0u64;
    {
        let mut ins = conn.prepare(DRAIN_INSERT_AUDIT_COVERS)?;
        for spec in SPECS {
            // a table a later migration creates has no rows to vouch for yet
            let exists: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                [spec.table],
                |r| r.get(0),
            )?;
            if !exists {
                continue;
            }
            let mut st = conn.prepare(&format!("SELECT {}", select(spec)))?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let hash = row_hash(spec, r, 1)?;
                ins.execute(params![spec.entity, r.get::<_, Value>(0)?, seq, &hash[..]])?;
                n += 1;
            }
        }
    }
    if n == 0 {
        return Ok(());
    }
    let digest = digest_at(conn, seq)?;
    let row = super::audit::AuditRow {
        uid: super::new_uid(now),
        at: now,
        staff_id: None,
        action: "audit.baseline".into(),
        entity: "audit".into(),
        entity_id: None,
        detail: with_digest(
            &serde_json::json!({"rows": n, "why": "rows written before covers: vouched for as found at the upgrade"}),
            Some(&digest),
        ),
    };
    let hash = row.hash(&prev);
    conn.execute(
        BASELINE_INSERT_AUDIT_LOG,
        params![
            seq, row.uid, row.at, row.action, row.entity, row.detail, prev, hash
        ],
    )?;
    Ok(())
}

#[cfg(test)]
pub(super) mod tests;
