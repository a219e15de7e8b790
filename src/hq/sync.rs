//! A station's sync: ask headquarters for its acknowledged heads, check
//! that the station's rows at those heads are still the ones sent, then
//! send everything after them in batches, each applied in one transaction.
//! An interrupted sync loses nothing: what was applied is acknowledged,
//! and the next run starts from headquarters' heads again.

use super::apply::{self, Applied};
use super::connect::Hq;
use super::{HqError, migrate};
use crate::store::Store;
use crate::store::outbox::Cursor;
use crate::wire::batch::Counts;
use crate::wire::rules::{Chain, Head, Problem, change_window};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Rows of each chain per batch.
    pub batch_size: usize,
    /// Send everything again from the first row, so that headquarters
    /// compares every row it has with the station's.
    pub recheck: bool,
    /// Hold each batch's transaction open this long before committing
    /// (tests cut a sync in the middle of a batch with it).
    pub pause: Option<Duration>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            batch_size: 2000,
            recheck: false,
            pause: None,
        }
    }
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Where headquarters is (`host:port/db`).
    pub place: String,
    pub station: String,
    pub batches: u32,
    /// Rows sent, and of them the rows headquarters did not have.
    pub sent: Counts,
    pub new: Counts,
    /// Rows headquarters had already, compared before sending (the days
    /// this sync works on).
    pub compared: u64,
    /// Headquarters' acknowledged heads at the end.
    pub ledger: Head,
    pub audit: Head,
}

impl SyncReport {
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "hq": self.place,
            "station": self.station,
            "batches": self.batches,
            "sent": self.sent,
            "new": self.new,
            "compared": self.compared,
            "ledger": {"seq": self.ledger.seq, "head": self.ledger.hash},
            "audit": {"seq": self.audit.seq, "head": self.audit.hash},
        })
    }
}

/// The station's row at headquarters' head must be the one headquarters
/// has, unchanged: else the station was restored from an older copy, its
/// chain rewritten, or a row edited after it was sent.
fn check_head(store: &Store, chain: Chain, head: &Head) -> Result<(), Problem> {
    if head.seq == 0 {
        return Ok(());
    }
    let end = store.chain_end(chain).unwrap_or(0);
    let row = store.chain_row(chain, head.seq).ok().flatten();
    let Some(row) = row.filter(|_| end >= head.seq) else {
        return Err(Problem::Behind {
            chain,
            station: end,
            hq: head.seq,
        });
    };
    if row.stored_hash != head.hash {
        return Err(Problem::Fork {
            chain,
            seq: head.seq,
        });
    }
    if row.content_hash != row.stored_hash {
        return Err(Problem::Conflict {
            table: match chain {
                Chain::Ledger => "transfers",
                Chain::Audit => "audit",
            },
            id: row.id,
            field: "content (changed at the station after it was sent)".into(),
        });
    }
    Ok(())
}

/// Sync `store` with headquarters. `progress` is called after each batch.
/// On failure the report says what was done before it.
pub fn sync(
    store: &Store,
    hq: &mut Hq,
    opts: &SyncOptions,
    progress: &mut dyn FnMut(&SyncReport),
) -> Result<SyncReport, Box<(SyncReport, HqError)>> {
    let station = store
        .hq_station()
        .map_err(|e| Box::new((empty(hq, ""), e.into())))?;
    let mut report = empty(hq, &station.code);
    let fail = |r: &SyncReport, e: HqError| Box::new((r.clone(), e));
    migrate::check(&mut hq.client).map_err(|e| fail(&report, e))?;
    let at_hq = apply::state(&mut hq.client, &station.uid).map_err(|e| fail(&report, e))?;
    report.ledger = at_hq.ledger.clone();
    report.audit = at_hq.audit.clone();
    for (chain, head) in [(Chain::Ledger, &at_hq.ledger), (Chain::Audit, &at_hq.audit)] {
        if let Err(p) = check_head(store, chain, head) {
            let e = apply::refuse(&mut hq.client, &station, "sync", p);
            return Err(fail(&report, e));
        }
    }
    // the rows headquarters has of the days this sync works on must still
    // be the station's (a record edited in the file after it was sent)
    let acked = Cursor {
        ledger_seq: at_hq.ledger.seq,
        audit_seq: at_hq.audit.seq,
        mark: at_hq.mark,
    };
    if at_hq.station_id.is_some() && !opts.recheck {
        let spans = store
            .days_to_compare(&acked, &at_hq.summaries)
            .map_err(|e| fail(&report, e.into()))?;
        let check = store
            .acknowledged(&acked, &spans)
            .map_err(|e| fail(&report, e.into()))?;
        apply::compare(&mut hq.client, &check).map_err(|e| fail(&report, e))?;
        report.compared = check.counts().total();
    }
    let (mut cursor, mut sent) = if opts.recheck {
        (Cursor::default(), Default::default())
    } else {
        (acked, at_hq.summaries.clone())
    };
    loop {
        let batch = store
            .outbox(&cursor, opts.batch_size, &sent)
            .map_err(|e| fail(&report, e.into()))?;
        if batch.is_empty() {
            break;
        }
        let Applied {
            new, ledger, audit, ..
        } = apply::apply(&mut hq.client, &batch, opts.pause).map_err(|e| fail(&report, e))?;
        report.batches += 1;
        report.sent.add(&batch.counts());
        report.new.add(&new);
        report.ledger = ledger;
        report.audit = audit;
        cursor.ledger_seq = batch.transfers.last().map_or(cursor.ledger_seq, |t| t.seq);
        cursor.audit_seq = batch.audit.last().map_or(cursor.audit_seq, |a| a.seq);
        cursor.mark = Some(change_window(cursor.mark, batch.audit.iter().map(|a| a.row.at)).1)
            .filter(|m| *m != crate::domain::time::Stamp::MIN);
        sent.extend(batch.summaries.iter().map(|s| (s.day.clone(), s.version)));
        progress(&report);
    }
    remember(store, &station.uid, &report);
    Ok(report)
}

/// Keep headquarters' acknowledged heads beside the station's file, a
/// witness `verify` checks the chains against. A sync that worked is not
/// failed for it (a read-only folder): the next one writes it again.
fn remember(store: &Store, uid: &str, r: &SyncReport) {
    use crate::store::witness::{Heads, HqAck, remember_hq};
    let ack = HqAck {
        station_uid: uid.to_string(),
        hq: r.place.clone(),
        at: chrono::Utc::now().timestamp_millis(),
        heads: Heads {
            ledger_seq: r.ledger.seq,
            ledger_head: r.ledger.hash.clone(),
            audit_seq: r.audit.seq,
            audit_head: r.audit.hash.clone(),
        },
    };
    let _ = remember_hq(store.path(), &ack);
}

fn empty(hq: &Hq, station: &str) -> SyncReport {
    SyncReport {
        place: hq.place.clone(),
        station: station.to_string(),
        batches: 0,
        sent: Counts::default(),
        new: Counts::default(),
        compared: 0,
        ledger: Head::genesis(),
        audit: Head::genesis(),
    }
}

/// After a close: sync with headquarters when the station has its address
/// in its settings (`None` when it has none). The caller never fails the
/// close on an error here: an unreachable headquarters is synced later.
pub fn after_close(store: &Store) -> Option<Result<SyncReport, HqError>> {
    let target = super::connect::from_settings(store.settings())?;
    Some(target.and_then(|t| {
        let mut hq = super::connect::connect(&t)?;
        sync(store, &mut hq, &SyncOptions::default(), &mut |_| {}).map_err(|b| b.1)
    }))
}
