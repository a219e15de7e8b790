//! The parts of `verify` that read the covers (see [`super::covers`]) and
//! the heads each closed day stored: every covered row is what the audit
//! log last vouched for, and every chain still reaches every stored head.
//! Each table is streamed once; nothing is held but a few examples.

use super::StoreResult;
use super::covers::{self, Digest, SPECS, Spec};
use crate::domain::chain::GENESIS;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

/// How many rows of one kind of problem are named before counting the rest.
const EXAMPLES: usize = 5;

const HAS_COVERS_SELECT_SQLITE_MASTER: &str =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_covers'";

pub fn has_covers(conn: &Connection) -> StoreResult<bool> {
    Ok(conn
        .query_row(HAS_COVERS_SELECT_SQLITE_MASTER, [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Rows with each kind of problem: how many, and the first few keys.
#[derive(Default)]
struct Found {
    unvouched: (Vec<String>, u64),
    changed: (Vec<String>, u64),
    gone: (Vec<String>, u64),
}

fn note(list: &mut (Vec<String>, u64), key: impl FnOnce() -> String) {
    list.1 += 1;
    if list.0.len() < EXAMPLES {
        list.0.push(key());
    }
}

impl Found {
    /// Each kind of problem said in one line.
    fn say(self, spec: &Spec, out: &mut Vec<String>) {
        for ((keys, n), what) in [
            (
                self.unvouched,
                "no audit row vouches for it (added outside the app?)",
            ),
            (
                self.changed,
                "differs from what its last audit row vouched for (changed outside the app)",
            ),
            (
                self.gone,
                "vouched for by the audit log but gone (deleted outside the app)",
            ),
        ] {
            if n == 0 {
                continue;
            }
            let more = if n as usize > keys.len() {
                format!(" and {} more", n as usize - keys.len())
            } else {
                String::new()
            };
            out.push(format!("{} {}{more}: {what}", spec.table, keys.join(", ")));
        }
    }
}

/// Every covered row against the newest hash the audit log gave it, on
/// one thread (`verify` splits the same checks between its two).
#[cfg(test)]
pub fn check_rows(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    for spec in SPECS {
        check_spec(conn, spec, None, &mut out)?;
    }
    Ok(out)
}

/// The service records are most of the rows: `verify` checks them in
/// pieces of ids ([`records_last_id`]) shared between its two threads, and
/// the other tables apart.
pub const RECORDS: &str = "record";

/// The highest record id (0 when there are none).
pub fn records_last_id(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(id), 0) FROM service_records",
        [],
        |r| r.get(0),
    )?)
}

/// The records with ids in `ids`.
pub fn check_records(conn: &Connection, ids: (i64, i64)) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    let spec = covers::spec_of(RECORDS).expect("records are covered");
    check_spec(conn, spec, Some(ids), &mut out)?;
    Ok(out)
}

/// Every covered table but the records.
pub fn check_others(conn: &Connection, out: &mut Vec<String>) -> StoreResult<()> {
    for spec in SPECS.iter().filter(|s| s.entity != RECORDS) {
        check_spec(conn, spec, None, out)?;
    }
    Ok(())
}

fn check_spec(
    conn: &Connection,
    spec: &Spec,
    ids: Option<(i64, i64)>,
    out: &mut Vec<String>,
) -> StoreResult<()> {
    let found = if spec.key == "t.id" {
        merge(conn, spec, ids.unwrap_or((i64::MIN, i64::MAX)))?
    } else {
        lookup(conn, spec)?
    };
    found.say(spec, out);
    Ok(())
}

/// One table with integer ids in `ids`, read in id order beside its covers
/// in key order (both in the order they are stored: no lookups).
fn merge(conn: &Connection, spec: &Spec, (from, to): (i64, i64)) -> StoreResult<Found> {
    let cols: Vec<String> = spec.cols().map(|c| format!("t.{c}")).collect();
    let mut st = conn.prepare(&format!(
        "SELECT t.id, {} FROM {} t WHERE t.id BETWEEN ?1 AND ?2 ORDER BY t.id",
        cols.join(", "),
        spec.table
    ))?;
    let mut rows = st.query([from, to])?;
    let mut cst = conn.prepare(
        "SELECT entity_id, hash FROM audit_covers WHERE entity = ?1 AND entity_id BETWEEN ?2 AND ?3
         ORDER BY entity_id, seq",
    )?;
    let mut covers = Newest::start(cst.query(rusqlite::params![spec.entity, from, to])?)?;
    let mut found = Found::default();
    let (columns, domain) = (spec.cols().count(), spec.domain());
    let mut hasher = crate::domain::chain::Hasher::new(&domain);
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        while let Some(gone) = covers.key().filter(|k| *k < id) {
            note(&mut found.gone, || gone.to_string());
            covers.next()?;
        }
        if covers.key() == Some(id) {
            if covers::hash_row(&mut hasher, &domain, columns, r, 1)?[..] != covers.hash[..] {
                note(&mut found.changed, || id.to_string());
            }
            covers.next()?;
        } else {
            note(&mut found.unvouched, || id.to_string());
        }
    }
    while let Some(gone) = covers.key() {
        note(&mut found.gone, || gone.to_string());
        covers.next()?;
    }
    Ok(found)
}

/// The newest cover of each key, from covers read in (key, seq) order.
struct Newest<'s> {
    rows: rusqlite::Rows<'s>,
    /// The next row read ahead (a key's group ends where another begins).
    ahead: Option<(i64, Vec<u8>)>,
    key: Option<i64>,
    hash: Vec<u8>,
}

impl<'s> Newest<'s> {
    fn start(rows: rusqlite::Rows<'s>) -> rusqlite::Result<Newest<'s>> {
        let mut n = Newest {
            rows,
            ahead: None,
            key: None,
            hash: Vec::new(),
        };
        n.ahead = n.read()?;
        n.next()?;
        Ok(n)
    }

    fn read(&mut self) -> rusqlite::Result<Option<(i64, Vec<u8>)>> {
        let Some(r) = self.rows.next()? else {
            return Ok(None);
        };
        // a hash stored as text by another program still compares (and fails)
        let hash = r.get_ref(1)?.as_bytes().unwrap_or_default().to_vec();
        Ok(Some((r.get(0)?, hash)))
    }

    fn key(&self) -> Option<i64> {
        self.key
    }

    /// On to the next key, keeping its newest hash.
    fn next(&mut self) -> rusqlite::Result<()> {
        let Some((key, hash)) = self.ahead.take() else {
            self.key = None;
            return Ok(());
        };
        self.key = Some(key);
        self.hash = hash;
        loop {
            match self.read()? {
                Some((k, h)) if k == key => self.hash = h,
                other => {
                    self.ahead = other;
                    return Ok(());
                }
            }
        }
    }
}

/// A table with text keys (the days, their summaries: a few thousand
/// rows), each row's newest cover looked up by its key.
fn lookup(conn: &Connection, spec: &Spec) -> StoreResult<Found> {
    let cols: Vec<String> = spec.cols().map(|c| format!("t.{c}")).collect();
    // `+(…)`: no affinity on the key, so the primary key of audit_covers
    // is searched as it is stored
    let mut st = conn.prepare(&format!(
        "SELECT {key}, {cols}, (SELECT c.hash FROM audit_covers c WHERE c.entity = ?1 AND c.entity_id = +({key})
                                 ORDER BY c.seq DESC LIMIT 1)
         FROM {table} t",
        key = spec.key,
        cols = cols.join(", "),
        table = spec.table,
    ))?;
    let mut rows = st.query([spec.entity])?;
    let mut found = Found::default();
    let mut vouched = 0u64;
    let (columns, domain) = (spec.cols().count(), spec.domain());
    let mut hasher = crate::domain::chain::Hasher::new(&domain);
    while let Some(r) = rows.next()? {
        let key = || covers::key_text(&r.get::<_, Value>(0).unwrap_or(Value::Null));
        match r.get_ref(columns + 1)?.as_bytes_or_null().ok().flatten() {
            None => note(&mut found.unvouched, key),
            Some(h) => {
                vouched += 1;
                if covers::hash_row(&mut hasher, &domain, columns, r, 1)?[..] != *h {
                    note(&mut found.changed, key);
                }
            }
        }
    }
    // every row present has been counted: more covered keys are rows gone
    let covered: u64 = conn.query_row(
        "SELECT count(*) FROM (SELECT DISTINCT entity_id FROM audit_covers WHERE entity = ?1)",
        [spec.entity],
        |r| r.get::<_, i64>(0),
    )? as u64;
    if covered > vouched {
        let mut st = conn.prepare(&format!(
            "SELECT DISTINCT c.entity_id FROM audit_covers c WHERE c.entity = ?1
               AND NOT EXISTS (SELECT 1 FROM {} t WHERE {} = c.entity_id) LIMIT {EXAMPLES}",
            spec.table, spec.key
        ))?;
        found.gone.0 = st
            .query_map([spec.entity], |r| r.get::<_, Value>(0))?
            .map(|v| v.map(|v| covers::key_text(&v)))
            .collect::<Result<_, _>>()?;
        found.gone.1 = covered - vouched;
    }
    Ok(found)
}

/// Walks `audit_covers` in seq order beside the audit chain: each audit
/// row's list must give the digest its detail names. One cover is held at
/// a time, in buffers kept from row to row.
pub struct CoverWalk {
    next: Option<StoredCover>,
    digest: Digest,
}

/// One row of `audit_covers`: seq, entity, key, hash.
type StoredCover = (i64, String, Value, Vec<u8>);

impl CoverWalk {
    pub const SQL: &'static str =
        "SELECT seq, entity, entity_id, hash FROM audit_covers WHERE seq BETWEEN ?1 AND ?2
         ORDER BY seq, entity, entity_id";
    pub const NONE: &'static str = "SELECT 0, '', 0, x'' WHERE ?1 > ?2 AND 0";

    /// The next cover into `slot` (its buffers reused), or `None` at the end.
    fn read(rows: &mut rusqlite::Rows<'_>, slot: &mut Option<StoredCover>) -> rusqlite::Result<()> {
        let Some(r) = rows.next()? else {
            *slot = None;
            return Ok(());
        };
        let c = slot.get_or_insert_with(|| (0, String::new(), Value::Null, Vec::new()));
        c.0 = r.get(0)?;
        c.1.clear();
        c.1.push_str(r.get_ref(1)?.as_str().unwrap_or_default());
        c.2 = r.get(2)?;
        // a hash stored as text by another program still compares (and fails)
        c.3.clear();
        c.3.extend_from_slice(r.get_ref(3)?.as_bytes().unwrap_or_default());
        Ok(())
    }

    pub fn start(rows: &mut rusqlite::Rows<'_>) -> rusqlite::Result<CoverWalk> {
        let mut next = None;
        Self::read(rows, &mut next)?;
        Ok(CoverWalk {
            next,
            digest: Digest::new(),
        })
    }

    /// The audit row at `seq` with this `detail`: what is wrong with its covers.
    pub fn row(
        &mut self,
        rows: &mut rusqlite::Rows<'_>,
        seq: i64,
        detail: &str,
        problems: &mut Vec<String>,
    ) -> rusqlite::Result<()> {
        let mut any = false;
        self.digest.reset();
        while let Some((s, entity, key, hash)) = &self.next {
            if *s > seq {
                break;
            }
            if *s < seq {
                problems.push(format!(
                    "audit seq {s}: covers written for an audit row that is not there"
                ));
            } else {
                any = true;
                self.digest.add(entity, key.into(), hash);
            }
            Self::read(rows, &mut self.next)?;
        }
        match (covers::digest_of_detail(detail), any) {
            (None, false) => {}
            (Some(d), true) if self.digest.matches(d) => {}
            (Some(_), false) => problems.push(format!("audit seq {seq}: its covers are gone")),
            (None, true) => problems.push(format!(
                "audit seq {seq}: covers were added to it afterwards"
            )),
            (Some(_), true) => problems.push(format!("audit seq {seq}: its covers were changed")),
        }
        Ok(())
    }

    /// After the last audit row: covers beyond it mean a cut tail.
    pub fn finish(
        mut self,
        rows: &mut rusqlite::Rows<'_>,
        problems: &mut Vec<String>,
    ) -> rusqlite::Result<()> {
        let mut first_beyond = None;
        let mut n = 0u64;
        while let Some((s, ..)) = &self.next {
            first_beyond.get_or_insert(*s);
            n += 1;
            Self::read(rows, &mut self.next)?;
        }
        if let Some(s) = first_beyond {
            problems.push(format!(
                "{n} covers for audit rows from seq {s} on, past the end of the audit log: its tail was cut"
            ));
        }
        Ok(())
    }
}

/// Each day summary's heads are still on their chains; each closed day has
/// its summary, and each summary its day.
pub fn check_heads(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    let mut st = conn.prepare(
        "SELECT s.day, s.version, s.ledger_seq, s.ledger_head, s.audit_seq, s.audit_head,
                (SELECT hash FROM transfers WHERE seq = s.ledger_seq),
                (SELECT hash FROM audit_log WHERE seq = s.audit_seq),
                EXISTS (SELECT 1 FROM station_days d WHERE d.day = s.day)
         FROM day_summaries s ORDER BY s.day, s.version",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (day, version): (String, i64) = (r.get(0)?, r.get(1)?);
        for (chain, seq, want, have) in [
            (
                "ledger",
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(6)?,
            ),
            ("audit", r.get(4)?, r.get(5)?, r.get(7)?),
        ] {
            let have = if seq == 0 {
                Some(GENESIS.to_string())
            } else {
                have
            };
            match have {
                None => out.push(format!(
                    "day {day} (summary version {version}): the {chain} chain no longer reaches its head at seq {seq} (its tail was cut)"
                )),
                Some(h) if h != want => out.push(format!(
                    "day {day} (summary version {version}): the {chain} row at seq {seq} is not the head the day stored"
                )),
                Some(_) => {}
            }
        }
        if !r.get::<_, bool>(8)? {
            out.push(format!("day {day}: a summary without its station day"));
        }
    }
    let mut st = conn.prepare(
        "SELECT day FROM station_days d WHERE closed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM day_summaries s WHERE s.day = d.day) ORDER BY day",
    )?;
    for day in st.query_map([], |r| r.get::<_, String>(0))? {
        out.push(format!("day {}: closed, but its summary is gone", day?));
    }
    Ok(out)
}
