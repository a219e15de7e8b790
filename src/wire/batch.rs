//! What travels to headquarters: a batch of one station's rows, read by the
//! sync from the station's file or taken from a day bundle. The row types
//! are the day bundle's own, so a row reads the same by either road and
//! headquarters can compare the two exactly.

use crate::domain::day::DayFigures;
use crate::domain::time::Stamp;
use crate::wire::bundle::{
    Bundle, ChainedAudit, ChainedTransfer, DisputeRow, Link, MemberRow, RecordRow, RequestRow,
};

/// The station a batch comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationFacts {
    pub uid: String,
    /// street + community, e.g. `JS01`
    pub code: String,
    pub kind: String,
    pub tz: String,
    /// Not in a bundle's header; informational at headquarters.
    pub name: Option<String>,
    /// The station's public signing key (hex): the sync's own, or the key
    /// that signed a bundle; `None` for an unsigned bundle.
    pub public_key: Option<String>,
}

/// A station's day summary as stored at the close (each version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// YYYY-MM-DD, station time
    pub day: String,
    pub version: u32,
    pub figures: DayFigures,
    pub ledger_seq: i64,
    pub ledger_head: String,
    pub audit_seq: i64,
    pub audit_head: String,
}

/// Rows of one station, applied at headquarters in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub station: StationFacts,
    /// `sync`, or the bundle's file name: written with the acknowledgement.
    pub source: String,
    /// A station headquarters does not know yet may be registered by this
    /// batch (a sync; a bundle only when headquarters says so).
    pub register: bool,
    pub transfers: Vec<ChainedTransfer>,
    pub audit: Vec<ChainedAudit>,
    /// Chain positions a bundle names without their rows (see `bundle`).
    pub links: Vec<Link>,
    pub records: Vec<RecordRow>,
    pub members: Vec<MemberRow>,
    pub requests: Vec<RequestRow>,
    pub disputes: Vec<DisputeRow>,
    pub summaries: Vec<SummaryRow>,
}

/// How many rows of each kind (sent, or new at headquarters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub transfers: u64,
    pub audit: u64,
    pub records: u64,
    pub members: u64,
    pub requests: u64,
    pub disputes: u64,
    pub summaries: u64,
}

impl Counts {
    pub fn total(&self) -> u64 {
        self.transfers
            + self.audit
            + self.records
            + self.members
            + self.requests
            + self.disputes
            + self.summaries
    }

    pub fn add(&mut self, o: &Counts) {
        self.transfers += o.transfers;
        self.audit += o.audit;
        self.records += o.records;
        self.members += o.members;
        self.requests += o.requests;
        self.disputes += o.disputes;
        self.summaries += o.summaries;
    }
}

impl Batch {
    pub fn new(station: StationFacts, source: &str) -> Batch {
        Batch {
            station,
            source: source.to_string(),
            register: false,
            transfers: Vec::new(),
            audit: Vec::new(),
            links: Vec::new(),
            records: Vec::new(),
            members: Vec::new(),
            requests: Vec::new(),
            disputes: Vec::new(),
            summaries: Vec::new(),
        }
    }

    pub fn counts(&self) -> Counts {
        Counts {
            transfers: self.transfers.len() as u64,
            audit: self.audit.len() as u64,
            records: self.records.len() as u64,
            members: self.members.len() as u64,
            requests: self.requests.len() as u64,
            disputes: self.disputes.len() as u64,
            summaries: self.summaries.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts().total() == 0 && self.links.is_empty()
    }

    /// The latest audit time in the batch (headquarters' `mark` moves to it).
    pub fn max_audit_at(&self) -> Option<Stamp> {
        self.audit.iter().map(|a| a.row.at).max()
    }

    /// A day bundle as a batch. The bundle must have passed its own check
    /// (`Bundle::check`) first.
    pub fn from_bundle(b: &Bundle, source: &str) -> Result<Batch, String> {
        let h = b.header.as_ref().ok_or("no header")?;
        let s = b.summary.as_ref().ok_or("no summary line")?;
        let mut batch = Batch::new(
            StationFacts {
                uid: h.station_uid.clone(),
                code: h.station_code.clone(),
                kind: h.station_kind.clone(),
                tz: h.tz.clone(),
                name: None,
                public_key: b.signed_by.clone(),
            },
            source,
        );
        batch.transfers = b.transfers.clone();
        batch.audit = b.audit.clone();
        batch.links = b.links.clone();
        batch.records = b.records.clone();
        batch.members = b.members.clone();
        batch.requests = b.requests.clone();
        batch.disputes = b.disputes.clone();
        batch.summaries = vec![SummaryRow {
            day: h.day.clone(),
            version: s.version,
            figures: s.figures.clone(),
            ledger_seq: s.ledger_seq,
            ledger_head: s.ledger_head.clone(),
            audit_seq: s.audit_seq,
            audit_head: s.audit_head.clone(),
        }];
        Ok(batch)
    }
}
