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

pub fn has_covers(conn: &Connection) -> StoreResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_covers'",
            [],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// A list of row keys with one kind of problem, said in one line.
fn say(spec: &Spec, what: &str, keys: &[String], n: u64, out: &mut Vec<String>) {
    if n == 0 {
        return;
    }
    let more = if n as usize > keys.len() {
        format!(" and {} more", n as usize - keys.len())
    } else {
        String::new()
    };
    out.push(format!("{} {}{more}: {what}", spec.table, keys.join(", ")));
}

/// Every covered row against the newest hash the audit log gave it.
pub fn check_rows(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    for spec in SPECS {
        check_table(conn, spec, &mut out)?;
    }
    Ok(out)
}

fn check_table(conn: &Connection, spec: &Spec, out: &mut Vec<String>) -> StoreResult<()> {
    let cols: Vec<String> = spec.cols().map(|c| format!("t.{c}")).collect();
    // `+(…)`: no affinity on the key, so the primary key of audit_covers
    // is searched as it is stored (integer or text)
    let sql = format!(
        "SELECT {key}, {cols}, (SELECT c.hash FROM audit_covers c WHERE c.entity = ?1 AND c.entity_id = +({key})
                                 ORDER BY c.seq DESC LIMIT 1)
         FROM {table} t",
        key = spec.key,
        cols = cols.join(", "),
        table = spec.table,
    );
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query([spec.entity])?;
    let (mut unvouched, mut changed) = ((Vec::new(), 0u64), (Vec::new(), 0u64));
    let mut vouched = 0u64;
    let last = spec.cols().count() + 1;
    while let Some(r) = rows.next()? {
        let key = || covers::key_text(&r.get::<_, Value>(0).unwrap_or(Value::Null));
        match r.get_ref(last)?.as_blob_or_null().ok().flatten() {
            None => {
                unvouched.1 += 1;
                if unvouched.0.len() < EXAMPLES {
                    unvouched.0.push(key());
                }
            }
            Some(h) => {
                vouched += 1;
                if covers::row_hash(spec, r, 1)?[..] != *h {
                    changed.1 += 1;
                    if changed.0.len() < EXAMPLES {
                        changed.0.push(key());
                    }
                }
            }
        }
    }
    say(
        spec,
        "no audit row vouches for it (added outside the app?)",
        &unvouched.0,
        unvouched.1,
        out,
    );
    say(
        spec,
        "differs from what its last audit row vouched for (changed outside the app)",
        &changed.0,
        changed.1,
        out,
    );
    // every row present has its cover: more covered keys than that are rows gone
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
        let gone: Vec<String> = st
            .query_map([spec.entity], |r| r.get::<_, Value>(0))?
            .map(|v| v.map(|v| covers::key_text(&v)))
            .collect::<Result<_, _>>()?;
        say(
            spec,
            "vouched for by the audit log but gone (deleted outside the app)",
            &gone,
            covered - vouched,
            out,
        );
    }
    Ok(())
}

/// Walks `audit_covers` in seq order beside the audit chain: each audit
/// row's list must give the digest its detail names.
pub struct CoverWalk {
    next: Option<StoredCover>,
}

/// One row of `audit_covers`: seq, entity, key, hash.
type StoredCover = (i64, String, Value, Vec<u8>);

impl CoverWalk {
    pub const SQL: &'static str =
        "SELECT seq, entity, entity_id, hash FROM audit_covers ORDER BY seq, entity, entity_id";
    pub const NONE: &'static str = "SELECT 0, '', 0, x'' WHERE 0";

    fn read(rows: &mut rusqlite::Rows<'_>) -> rusqlite::Result<Option<StoredCover>> {
        rows.next()?
            .map(|r| {
                // a hash stored as text by another program still compares (and fails)
                let hash = r
                    .get_ref(3)?
                    .as_bytes()
                    .map(<[u8]>::to_vec)
                    .unwrap_or_default();
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, hash))
            })
            .transpose()
    }

    pub fn start(rows: &mut rusqlite::Rows<'_>) -> rusqlite::Result<CoverWalk> {
        Ok(CoverWalk {
            next: Self::read(rows)?,
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
        let mut digest: Option<Digest> = None;
        while let Some((s, entity, key, hash)) = self.next.take() {
            if s > seq {
                self.next = Some((s, entity, key, hash));
                break;
            }
            if s < seq {
                problems.push(format!(
                    "audit seq {s}: covers written for an audit row that is not there"
                ));
            } else {
                digest
                    .get_or_insert_with(Digest::new)
                    .add(&entity, (&key).into(), &hash);
            }
            self.next = Self::read(rows)?;
        }
        let said = covers::digest_of_detail(detail);
        match (said, digest.map(|d| d.hex())) {
            (None, None) => {}
            (Some(d), Some(got)) if d == got => {}
            (Some(_), None) => problems.push(format!("audit seq {seq}: its covers are gone")),
            (None, Some(_)) => problems.push(format!(
                "audit seq {seq}: covers were added to it afterwards"
            )),
            (Some(_), Some(_)) => {
                problems.push(format!("audit seq {seq}: its covers were changed"))
            }
        }
        Ok(())
    }

    /// After the last audit row: covers beyond it mean a cut tail.
    pub fn finish(
        self,
        rows: &mut rusqlite::Rows<'_>,
        problems: &mut Vec<String>,
    ) -> rusqlite::Result<()> {
        let mut next = self.next;
        let mut first_beyond = None;
        let mut n = 0u64;
        while let Some((s, ..)) = next {
            first_beyond.get_or_insert(s);
            n += 1;
            next = Self::read(rows)?;
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
