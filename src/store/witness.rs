//! Witnesses, outside the database file, of how far its two chains had come:
//! the newest signed day bundle in `bundles/`, the newest backup, and the
//! heads headquarters last acknowledged (kept by each sync in
//! `<database>.hq-ack`).
//!
//! Inside the file every head a closed day stored is checked by `verify`
//! (see `verify_covers`), and the covers show a cut audit tail. But someone
//! who cuts both chains back together with every row, summary, day and
//! cover written after the cut leaves a file that is whole — only older.
//! What was written elsewhere in the meantime says otherwise: a bundle
//! signed with the station key, a backup, headquarters' acknowledgement all
//! name heads that the chains must still reach (same hash at the same
//! position). Each is only as safe as the place it is kept: a bundle cannot
//! be forged without the key file, a backup on another drive or
//! headquarters' own copy cannot be reached from the station's file at all.
//!
//! A restore from a backup legitimately goes back: it sets aside (renames,
//! never deletes) the witnesses the restored file no longer reaches.

use super::{OpenMode, Store, StoreResult, backup, recovery};
use crate::domain::chain::GENESIS;
use crate::wire::bundle::Bundle;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The two chains' heads, as a witness saw them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heads {
    pub ledger_seq: i64,
    pub ledger_head: String,
    pub audit_seq: i64,
    pub audit_head: String,
}

/// Why `conn`'s chains do not reach `h` (`None`: they do).
pub fn reach(conn: &Connection, h: &Heads) -> StoreResult<Option<String>> {
    for (chain, table, seq, want) in [
        ("ledger", "transfers", h.ledger_seq, &h.ledger_head),
        ("audit", "audit_log", h.audit_seq, &h.audit_head),
    ] {
        if seq == 0 {
            continue;
        }
        let have: Option<String> = conn
            .query_row(
                &format!("SELECT hash FROM {table} WHERE seq = ?1"),
                [seq],
                |r| r.get(0),
            )
            .optional()?;
        match have {
            None => {
                let end: i64 = conn.query_row(
                    &format!("SELECT coalesce(max(seq), 0) FROM {table}"),
                    [],
                    |r| r.get(0),
                )?;
                return Ok(Some(format!(
                    "it names the {chain} head at seq {seq}, but this file's {chain} ends at seq {end} (rows were cut, or the file is an older copy)"
                )));
            }
            Some(have) if have != *want => {
                return Ok(Some(format!(
                    "it names another {chain} row at seq {seq} than this file has (the chain was rewritten from there)"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(None)
}

/// The heads of the file at `conn` now.
pub fn heads_of(conn: &Connection) -> rusqlite::Result<Heads> {
    let head = |table: &str| -> rusqlite::Result<(i64, String)> {
        Ok(conn
            .query_row(
                &format!("SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or_else(|| (0, GENESIS.to_string())))
    };
    let (ledger_seq, ledger_head) = head("transfers")?;
    let (audit_seq, audit_head) = head("audit_log")?;
    Ok(Heads {
        ledger_seq,
        ledger_head,
        audit_seq,
        audit_head,
    })
}

pub use crate::output::station::hq_ack_path;
use crate::output::station::with_suffix;

/// What headquarters acknowledged, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HqAck {
    pub station_uid: String,
    pub hq: String,
    pub at: i64,
    #[serde(flatten)]
    pub heads: Heads,
}

/// Keep headquarters' acknowledged heads beside the database (written
/// whole under a temporary name, then renamed).
pub fn remember_hq(db: &Path, ack: &HqAck) -> std::io::Result<()> {
    let path = hq_ack_path(db);
    let tmp = with_suffix(&path, ".tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(ack).unwrap_or_default())?;
    std::fs::rename(&tmp, &path)
}

/// The station's bundles, newest day first.
fn bundles(db: &Path, code: &str) -> Vec<PathBuf> {
    let dir = db
        .parent()
        .map(|p| p.join("bundles"))
        .unwrap_or_else(|| PathBuf::from("bundles"));
    let prefix = format!("{code}-");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".jsonl"))
                })
                .collect()
        })
        .unwrap_or_default();
    // `CODE-YYYY-MM-DD.jsonl`: the name orders the days
    v.sort();
    v.reverse();
    v
}

/// A backup's station and heads (`None`: it cannot be read). A delta
/// carries them in its header: it is a witness without being rebuilt.
fn backup_heads(p: &Path) -> Option<(String, Heads)> {
    if super::backup_delta::is_delta(p) {
        let h = super::backup_delta::read_header(p).ok()?;
        return Some((h.station_uid, h.heads));
    }
    let c = Connection::open_with_flags(
        p,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    let uid: String = c
        .query_row("SELECT uid FROM station", [], |r| r.get(0))
        .ok()?;
    Some((uid, heads_of(&c).ok()?))
}

/// The station's backups, newest first.
fn backups(db: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = recovery::backup_dirs(db)
        .iter()
        .flat_map(|d| backup::list(d))
        .collect();
    all.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    all.reverse();
    all
}

const CHECK_BUNDLE_WITNESS_SELECT_DAY_SUMMARIES: &str = "SELECT figures, ledger_seq, ledger_head, audit_seq, audit_head FROM day_summaries WHERE day = ?1 AND version = ?2";

impl Store {
    /// `verify`'s look outside the file: the newest bundle (signed by this
    /// station, its summary still in the file, its heads reached), the
    /// newest backup's heads and headquarters' acknowledged heads reached.
    pub fn verify_witnesses(&self) -> StoreResult<Vec<String>> {
        let mut out = Vec::new();
        let Some(station) = self.station().cloned() else {
            return Ok(out);
        };
        if let Some(p) = bundles(self.path(), &station.code()).into_iter().next() {
            self.check_bundle_witness(&p, &station.uid, &mut out)?;
        }
        if let Some(p) = backups(self.path()).into_iter().next()
            && let Some((uid, heads)) = backup_heads(&p)
            && uid == station.uid
            && let Some(why) = reach(&self.conn, &heads)?
        {
            out.push(format!("the backup {}: {why}", p.display()));
        }
        let ack_path = hq_ack_path(self.path());
        if let Ok(text) = std::fs::read_to_string(&ack_path) {
            match serde_json::from_str::<HqAck>(&text) {
                Ok(ack) if ack.station_uid != station.uid => {}
                Ok(ack) => {
                    if let Some(why) = reach(&self.conn, &ack.heads)? {
                        out.push(format!(
                            "headquarters' acknowledgement ({}): {why}",
                            ack_path.display()
                        ));
                    }
                }
                Err(e) => out.push(format!("{}: unreadable ({e})", ack_path.display())),
            }
        }
        Ok(out)
    }

    fn check_bundle_witness(&self, p: &Path, uid: &str, out: &mut Vec<String>) -> StoreResult<()> {
        // Long because: the bundle's checks in order (read, signature, header, heads reached, stored summary), each returning the first finding.
        let say = |why: String| format!("the bundle {}: {why}", p.display());
        let b = match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| Bundle::parse(&t))
        {
            Ok(b) => b,
            Err(e) => {
                out.push(say(format!("unreadable ({e})")));
                return Ok(());
            }
        };
        // a bundle closed before this version (before its covers baseline)
        // was written unsigned: its heads still count, its signature cannot
        let unsigned_before = b.summary.as_ref().is_some_and(|s| {
            self.conn
                .query_row(
                    "SELECT 1 FROM audit_log WHERE action = 'audit.baseline' AND seq > ?1",
                    [s.audit_seq],
                    |_| Ok(()),
                )
                .optional()
                .ok()
                .flatten()
                .is_some()
        });
        match (&b.signed_by, self.signer()) {
            (None, _) if unsigned_before => {}
            (None, _) => out.push(say("not signed".into())),
            (Some(by), Ok(s)) if *by != s.public_hex() => out.push(say(format!(
                "signed by the key {by}, not by this station's"
            ))),
            (Some(_), Ok(_)) => {}
            (Some(_), Err(_)) => out.push(say(
                "its signature cannot be checked: the station key is missing".into(),
            )),
        }
        let (Some(h), Some(s)) = (&b.header, &b.summary) else {
            out.push(say("no header or summary".into()));
            return Ok(());
        };
        if h.station_uid != uid {
            out.push(say(format!("of another station ({})", h.station_code)));
            return Ok(());
        }
        let heads = Heads {
            ledger_seq: s.ledger_seq,
            ledger_head: s.ledger_head.clone(),
            audit_seq: s.audit_seq,
            audit_head: s.audit_head.clone(),
        };
        if let Some(why) = reach(&self.conn, &heads)? {
            out.push(say(why));
        }
        let stored: Option<(String, i64, String, i64, String)> = self
            .conn
            .query_row(
                CHECK_BUNDLE_WITNESS_SELECT_DAY_SUMMARIES,
                rusqlite::params![h.day, s.version],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let same = stored.is_some_and(|(figures, ls, lh, as_, ah)| {
            serde_json::from_str::<crate::domain::day::DayFigures>(&figures)
                .ok()
                .as_ref()
                == Some(&s.figures)
                && (ls, lh, as_, ah)
                    == (
                        heads.ledger_seq,
                        heads.ledger_head.clone(),
                        heads.audit_seq,
                        heads.audit_head.clone(),
                    )
        });
        if !same {
            out.push(say(format!(
                "the summary of {} (version {}) is gone from this file or differs from the bundle's",
                h.day, s.version
            )));
        }
        Ok(())
    }
}

/// After a restore: the bundles, backups and acknowledgement that name heads
/// the restored file does not reach are renamed `<name>.ahead-of-restore-<stamp>`
/// (they hold what the restore gave up). Returns the new names.
pub fn set_aside_ahead(db: &Path, stamp: &str) -> Vec<PathBuf> {
    let Ok(store) = Store::open(db, OpenMode::Inspect, 0) else {
        return Vec::new();
    };
    let Some(station) = store.station().cloned() else {
        return Vec::new();
    };
    let ahead = |h: &Heads| reach(store.conn(), h).ok().flatten().is_some();
    let mut moved = Vec::new();
    let mut aside = |p: &Path| {
        let to = with_suffix(p, &format!(".ahead-of-restore-{stamp}"));
        if std::fs::rename(p, &to).is_ok() {
            moved.push(to);
        }
    };
    for p in bundles(db, &station.code()) {
        let heads = std::fs::read_to_string(&p)
            .ok()
            .and_then(|t| Bundle::parse(&t).ok())
            .and_then(|b| b.summary)
            .map(|s| Heads {
                ledger_seq: s.ledger_seq,
                ledger_head: s.ledger_head,
                audit_seq: s.audit_seq,
                audit_head: s.audit_head,
            });
        match heads {
            Some(h) if ahead(&h) => aside(&p),
            // the newest one the file reaches: the older ones are behind it
            _ => break,
        }
    }
    // (a damaged backup may sit between them: every one is looked at)
    for p in backups(db) {
        if let Some((uid, h)) = backup_heads(&p)
            && uid == station.uid
            && ahead(&h)
        {
            let key = super::secret::key_path(&p);
            aside(&p);
            if key.exists() {
                aside(&key);
            }
        }
    }
    let ack = hq_ack_path(db);
    if let Some(a) = std::fs::read_to_string(&ack)
        .ok()
        .and_then(|t| serde_json::from_str::<HqAck>(&t).ok())
        && a.station_uid == station.uid
        && ahead(&a.heads)
    {
        aside(&ack);
    }
    moved
}
