//! One batch, one PostgreSQL transaction: the station, both chains from
//! headquarters' head, every row inserted if absent by its global id and
//! compared when present, the day summaries' chain heads, and the
//! acknowledgement. Any problem and the transaction is rolled back —
//! nothing of the batch applied — and the alarm is written on its own.

use super::HqError;
use super::rows;
use crate::domain::time::Stamp;
use crate::wire::batch::{Batch, Counts, StationFacts};
use crate::wire::rules::{self, Chain, Head, Problem, Versioned};
use postgres::{Client, GenericClient, Transaction};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What headquarters holds of a station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HqState {
    pub station_id: Option<i32>,
    pub ledger: Head,
    pub audit: Head,
    /// The latest audit time received: changed rows up to it are here.
    pub mark: Option<Stamp>,
    /// The day summaries it has: (day, version).
    pub summaries: HashSet<(String, u32)>,
}

/// What a batch did at headquarters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Rows that were new (the rest were there already, the same).
    pub new: Counts,
    pub ledger: Head,
    pub audit: Head,
    pub mark: Option<Stamp>,
}

const STATE_SELECT_SYNC_ACKS: &str =
    "SELECT ledger_seq, ledger_head, audit_seq, audit_head, mark FROM sync_acks
         WHERE station_id = $1 ORDER BY id DESC LIMIT 1";

/// The acknowledged heads and mark of a station (genesis when never synced).
pub fn state(c: &mut impl GenericClient, station_uid: &str) -> Result<HqState, HqError> {
    let id: Option<i32> = c
        .query_opt("SELECT id FROM stations WHERE uid = $1", &[&station_uid])?
        .map(|r| r.get(0));
    let mut s = HqState {
        station_id: id,
        ledger: Head::genesis(),
        audit: Head::genesis(),
        mark: None,
        summaries: HashSet::new(),
    };
    let Some(id) = id else {
        return Ok(s);
    };
    if let Some(r) = c.query_opt(STATE_SELECT_SYNC_ACKS, &[&id])? {
        s.ledger = Head {
            seq: r.get(0),
            hash: r.get(1),
        };
        s.audit = Head {
            seq: r.get(2),
            hash: r.get(3),
        };
        s.mark = r.get(4);
    }
    for r in c.query(
        "SELECT day::text, version FROM day_summaries WHERE station_id = $1",
        &[&id],
    )? {
        s.summaries.insert((r.get(0), r.get::<_, i32>(1) as u32));
    }
    Ok(s)
}

/// Why a batch stops: an alarm, or an error of the connection or server.
pub(super) enum Fail {
    Problem(Problem),
    Hq(HqError),
}

impl From<HqError> for Fail {
    fn from(e: HqError) -> Self {
        Fail::Hq(e)
    }
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Self {
        Fail::Hq(e.into())
    }
}

impl From<Problem> for Fail {
    fn from(p: Problem) -> Self {
        Fail::Problem(p)
    }
}

/// Whether a batch is stored, or only compared with what headquarters has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Store,
    Compare,
}

/// Apply one batch. `pause` holds the transaction open before it commits
/// (for the tests that cut a sync in the middle of a batch).
pub fn apply(
    client: &mut Client,
    batch: &Batch,
    pause: Option<std::time::Duration>,
) -> Result<Applied, HqError> {
    run(client, batch, pause, Mode::Store)
}

/// Compare a batch of rows headquarters has already with its rows: any
/// difference is an alarm; nothing is written but the alarm. Rows it does
/// not have are left for the sync to send.
pub fn compare(client: &mut Client, batch: &Batch) -> Result<(), HqError> {
    run(client, batch, None, Mode::Compare).map(|_| ())
}

fn run(
    client: &mut Client,
    batch: &Batch,
    pause: Option<std::time::Duration>,
    mode: Mode,
) -> Result<Applied, HqError> {
    let mut b = batch.clone();
    let checked = rules::normalize_transfers(&mut b.transfers)
        .and_then(|_| rules::normalize_audit(&mut b.audit))
        .and_then(|_| rules::check_hashes(&b.transfers, &b.audit));
    if let Err(p) = checked {
        return Err(refuse(client, &b.station, &b.source, p));
    }
    let mut tx = client.transaction()?;
    match apply_in(&mut tx, &b, mode) {
        Ok(applied) => {
            if let Some(p) = pause {
                std::thread::sleep(p);
            }
            if mode == Mode::Store {
                tx.commit()?;
            }
            Ok(applied)
        }
        Err(Fail::Problem(p)) | Err(Fail::Hq(HqError::Refused(p))) => {
            drop(tx);
            Err(refuse(client, &b.station, &b.source, p))
        }
        // PostgreSQL refused a row: the alarm it means
        Err(Fail::Hq(HqError::Rejected(r))) => {
            drop(tx);
            let p = r.problem(&b.station.code);
            Err(refuse(client, &b.station, &b.source, p))
        }
        Err(Fail::Hq(e)) => Err(e),
    }
}

const REFUSE_INSERT_ALARMS: &str = "INSERT INTO alarms (station_uid, station_code, source, kind, detail) VALUES ($1, $2, $3, $4, $5)";

/// Record the alarm (in its own transaction: the batch's was rolled back).
/// If even that fails, the refusal is still reported to the caller.
pub fn refuse(client: &mut Client, st: &StationFacts, source: &str, p: Problem) -> HqError {
    let _ = client.execute(
        REFUSE_INSERT_ALARMS,
        &[&st.uid, &st.code, &source, &p.kind(), &p.to_string()],
    );
    HqError::Refused(p)
}

/// The first field in which two rows differ (by their serialized form).
fn first_difference<T: Serialize>(a: &T, b: &T) -> String {
    let (a, b) = (serde_json::to_value(a), serde_json::to_value(b));
    if let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) = (a, b) {
        for (k, v) in &a {
            if b.get(k) != Some(v) {
                return k.clone();
            }
        }
    }
    "content".into()
}

fn lock_key(uid: &str) -> i64 {
    let h = blake3::hash(uid.as_bytes());
    i64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or_default())
}

const APPLY_IN_INSERT_SYNC_ACKS: &str = "INSERT INTO sync_acks (station_id, source, ledger_seq, ledger_head, audit_seq, audit_head, mark, rows_in)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// The batch in its transaction. Over 80 lines: one step per table, in the
/// order the rows depend on each other, each short; split, they would pass
/// the same half-dozen values around.
fn apply_in(tx: &mut Transaction<'_>, b: &Batch, mode: Mode) -> Result<Applied, Fail> {
    let store = mode == Mode::Store;
    // one batch of a station at a time (a second sync waits here)
    tx.execute(
        "SELECT pg_advisory_xact_lock($1)",
        &[&lock_key(&b.station.uid)],
    )?;
    let station = super::register::station_id(tx, b)?;
    let before = state(tx, &b.station.uid)?;
    let mut new = Counts::default();

    // the ledger
    let pos = rules::positions(
        Chain::Ledger,
        b.transfers
            .iter()
            .map(|t| (t.seq, t.prev_hash.as_str(), t.hash.as_str())),
        &b.links,
    );
    let ledger = rules::plan_chain(Chain::Ledger, &before.ledger, &pos)?;
    beyond_head(tx, "transfers", Chain::Ledger, station, &ledger.new)?;
    let by_seq: HashMap<i64, &crate::wire::bundle::ChainedTransfer> =
        b.transfers.iter().map(|t| (t.seq, t)).collect();
    for have in rows::transfers_at(tx, station, &ledger.known)? {
        if let Some(t) = by_seq.get(&have.seq)
            && **t != have
        {
            return Err(Problem::Conflict {
                table: "transfers",
                id: have.row.id.clone(),
                field: first_difference(&have, *t),
            }
            .into());
        }
    }
    check_links(
        tx,
        "transfers",
        Chain::Ledger,
        station,
        &ledger.known_links,
        b,
    )?;
    let fresh: Vec<&crate::wire::bundle::ChainedTransfer> = ledger
        .new
        .iter()
        .filter_map(|s| by_seq.get(s).copied())
        .collect();
    let ids: Vec<&str> = fresh.iter().map(|t| t.row.id.as_str()).collect();
    if let Some((id, _, _)) = rows::ids_taken(tx, "transfers", "id", &ids)?
        .into_iter()
        .next()
    {
        return Err(Problem::Conflict {
            table: "transfers",
            id,
            field: "station or seq (the id is another row's)".into(),
        }
        .into());
    }
    if store {
        let done = rows::insert_transfers(tx, station, &fresh)?;
        all_in("transfers", fresh.iter().map(|t| t.row.id.as_str()), &done)?;
    }
    new.transfers = fresh.len() as u64;

    // the audit log
    let pos = rules::positions(
        Chain::Audit,
        b.audit
            .iter()
            .map(|a| (a.seq, a.prev_hash.as_str(), a.hash.as_str())),
        &b.links,
    );
    let audit = rules::plan_chain(Chain::Audit, &before.audit, &pos)?;
    beyond_head(tx, "audit", Chain::Audit, station, &audit.new)?;
    let by_seq: HashMap<i64, &crate::wire::bundle::ChainedAudit> =
        b.audit.iter().map(|a| (a.seq, a)).collect();
    for have in rows::audit_at(tx, station, &audit.known)? {
        if let Some(a) = by_seq.get(&have.seq)
            && **a != have
        {
            return Err(Problem::Conflict {
                table: "audit",
                id: have.row.uid.clone(),
                field: first_difference(&have, *a),
            }
            .into());
        }
    }
    check_links(tx, "audit", Chain::Audit, station, &audit.known_links, b)?;
    let fresh: Vec<&crate::wire::bundle::ChainedAudit> = audit
        .new
        .iter()
        .filter_map(|s| by_seq.get(s).copied())
        .collect();
    let ids: Vec<&str> = fresh.iter().map(|a| a.row.uid.as_str()).collect();
    if let Some((id, _, _)) = rows::ids_taken(tx, "audit", "uid", &ids)?
        .into_iter()
        .next()
    {
        return Err(Problem::Conflict {
            table: "audit",
            id,
            field: "station or seq (the id is another row's)".into(),
        }
        .into());
    }
    if store {
        let done = rows::insert_audit(tx, station, &fresh)?;
        all_in("audit", fresh.iter().map(|a| a.row.uid.as_str()), &done)?;
    }
    new.audit = fresh.len() as u64;

    // service records: immutable
    let mut records: Vec<&crate::wire::bundle::RecordRow> = b.records.iter().collect();
    records.sort_by(|a, b| a.uid.cmp(&b.uid));
    records.dedup();
    let uids: Vec<&str> = records.iter().map(|r| r.uid.as_str()).collect();
    let have: HashMap<String, (i32, crate::wire::bundle::RecordRow)> = rows::records(tx, &uids)?
        .into_iter()
        .map(|(s, r)| (r.uid.clone(), (s, r)))
        .collect();
    let mut fresh = Vec::new();
    for r in records {
        match have.get(&r.uid) {
            None => fresh.push(r),
            Some((s, h)) if *s == station && h == r => {}
            Some((s, h)) => {
                return Err(Problem::Conflict {
                    table: "records",
                    id: r.uid.clone(),
                    field: if *s != station {
                        "station".into()
                    } else {
                        first_difference(h, r)
                    },
                }
                .into());
            }
        }
    }
    if store {
        let done = rows::insert_records(tx, station, &fresh)?;
        all_in("records", fresh.iter().map(|r| r.uid.as_str()), &done)?;
    }
    new.records = fresh.len() as u64;

    // rows that change: versions
    let fresh = new_versions(&b.members, |u| rows::member_versions(tx, station, u))?;
    if store {
        rows::insert_members(tx, station, &fresh)?;
    }
    new.members = fresh.len() as u64;
    let fresh = new_versions(&b.requests, |u| rows::request_versions(tx, station, u))?;
    if store {
        rows::insert_requests(tx, station, &fresh)?;
    }
    new.requests = fresh.len() as u64;
    let fresh = new_versions(&b.disputes, |u| rows::dispute_versions(tx, station, u))?;
    if store {
        rows::insert_disputes(tx, station, &fresh)?;
    }
    new.disputes = fresh.len() as u64;

    // day summaries: immutable, and their heads must be headquarters' rows
    let days: Vec<String> = b.summaries.iter().map(|s| s.day.clone()).collect();
    let have = rows::summaries(tx, station, &days)?;
    for s in &b.summaries {
        match have
            .iter()
            .find(|h| h.day == s.day && h.version == s.version)
        {
            Some(h) if h == s => {}
            Some(h) => {
                return Err(Problem::Conflict {
                    table: "day_summaries",
                    id: format!("{} v{}", s.day, s.version),
                    field: first_difference(&h.figures, &s.figures),
                }
                .into());
            }
            // compared only: a summary headquarters lacks is the sync's to send
            None if !store => {}
            None => {
                let heads_ok = head_is(tx, "transfers", station, s.ledger_seq, &s.ledger_head)?
                    && head_is(tx, "audit", station, s.audit_seq, &s.audit_head)?;
                if !heads_ok {
                    return Err(Problem::Summary {
                        day: s.day.clone(),
                        version: s.version,
                    }
                    .into());
                }
                rows::insert_summary(tx, station, s)?;
                new.summaries += 1;
            }
        }
    }

    let mark = match (before.mark, b.max_audit_at()) {
        (Some(m), Some(a)) => Some(m.max(a)),
        (m, a) => m.or(a),
    };
    let moved = ledger.head != before.ledger || audit.head != before.audit || mark != before.mark;
    if store && (new.total() > 0 || moved) {
        tx.execute(
            APPLY_IN_INSERT_SYNC_ACKS,
            &[
                &station,
                &b.source,
                &ledger.head.seq,
                &ledger.head.hash,
                &audit.head.seq,
                &audit.head.hash,
                &mark,
                &(new.total().min(i32::MAX as u64) as i32),
            ],
        )?;
    }
    Ok(Applied {
        new,
        ledger: ledger.head,
        audit: audit.head,
        mark,
    })
}

/// Every row meant to go in went in: one the insert skipped has an id
/// headquarters holds as a row this role cannot see (another station's).
fn all_in<'a>(
    table: &str,
    mut meant: impl Iterator<Item = &'a str>,
    done: &[String],
) -> Result<(), Fail> {
    let done: HashSet<&str> = done.iter().map(String::as_str).collect();
    match meant.find(|id| !done.contains(id)) {
        Some(id) => Err(Problem::Taken {
            table: table.into(),
            id: id.into(),
        }
        .into()),
        None => Ok(()),
    }
}

/// No row may be here yet past the acknowledged head: one is a row put in
/// outside a sync (the station's own role can insert), which the chain
/// being sent does not continue.
fn beyond_head(
    tx: &mut Transaction<'_>,
    table: &str,
    chain: Chain,
    station: i32,
    seqs: &[i64],
) -> Result<(), Fail> {
    if seqs.is_empty() {
        return Ok(());
    }
    match rows::hashes_at(tx, table, station, seqs)?.first() {
        Some((seq, ..)) => Err(Problem::Fork { chain, seq: *seq }.into()),
        None => Ok(()),
    }
}

/// A bundle's links to rows headquarters has must name the same hashes.
fn check_links(
    tx: &mut Transaction<'_>,
    table: &str,
    chain: Chain,
    station: i32,
    seqs: &[i64],
    b: &Batch,
) -> Result<(), Fail> {
    if seqs.is_empty() {
        return Ok(());
    }
    for (seq, prev, hash) in rows::hashes_at(tx, table, station, seqs)? {
        let named = b
            .links
            .iter()
            .find(|l| l.chain == chain.as_str() && l.seq == seq);
        if named.is_some_and(|l| l.prev_hash != prev || l.hash != hash) {
            return Err(Problem::Fork { chain, seq }.into());
        }
    }
    Ok(())
}

/// Headquarters' row at `seq` of a chain has `hash` (seq 0: the genesis).
fn head_is(
    tx: &mut Transaction<'_>,
    table: &str,
    station: i32,
    seq: i64,
    hash: &str,
) -> Result<bool, Fail> {
    if seq == 0 {
        return Ok(hash == crate::domain::chain::GENESIS);
    }
    Ok(rows::hashes_at(tx, table, station, &[seq])?
        .first()
        .is_some_and(|(_, _, h)| h == hash))
}

/// The versions of a batch that headquarters does not have yet (of this
/// station's rows: another station's row of the same uid is its own); one
/// that rewrites history is a problem.
fn new_versions<'r, T: Versioned + Clone>(
    incoming: &'r [T],
    read: impl FnOnce(&[&str]) -> Result<Vec<T>, HqError>,
) -> Result<Vec<&'r T>, Fail> {
    if incoming.is_empty() {
        return Ok(Vec::new());
    }
    let uids: Vec<&str> = incoming.iter().map(|r| r.uid()).collect();
    let mut have: HashMap<String, Vec<T>> = HashMap::new();
    for row in read(&uids)? {
        have.entry(row.uid().to_string()).or_default().push(row);
    }
    let mut fresh: Vec<&'r T> = Vec::new();
    for r in incoming {
        let mut known = have.get(r.uid()).cloned().unwrap_or_default();
        // the same row twice in one batch counts once
        known.extend(
            fresh
                .iter()
                .filter(|f| f.uid() == r.uid())
                .map(|f| (*f).clone()),
        );
        if rules::version_is_new(r, &known)? {
            fresh.push(r);
        }
    }
    Ok(fresh)
}
