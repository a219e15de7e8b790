//! Day bundles carried by hand (a USB stick from a station that cannot get
//! online) go through the same checks as a sync: the bundle's own check
//! first (its end line, its figures against its rows, its chains), then
//! the batch check at headquarters. A bundle already in is a no-op.
//!
//! A bundle must be signed with the key headquarters holds for its station
//! (registered by the station's first sync). A station that never syncs is
//! registered from a bundle by headquarters itself (`register`): after it
//! has made sure the bundle came from the station, its signer's key becomes
//! the station's.

use super::apply::{self, Applied};
use super::{HqError, migrate};
use crate::wire::batch::{Batch, Counts, StationFacts};
use crate::wire::bundle::Bundle;
use crate::wire::rules::{Head, Problem};
use postgres::Client;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub station: String,
    pub day: String,
    pub new: Counts,
    pub ledger: Head,
    pub audit: Head,
}

impl Ingested {
    /// Everything in the bundle was at headquarters already.
    pub fn already(&self) -> bool {
        self.new.total() == 0
    }
}

/// Take one bundle file into headquarters (`register`: a station
/// headquarters does not know yet is registered with the bundle's key).
pub fn ingest(client: &mut Client, path: &Path, register: bool) -> Result<Ingested, HqError> {
    migrate::check(client)?;
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    let unknown = StationFacts {
        uid: "?".into(),
        code: "?".into(),
        kind: String::new(),
        tz: String::new(),
        name: None,
        public_key: None,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| HqError::Station(format!("{}: {e}", path.display())))?;
    let b = match Bundle::parse(&text) {
        Ok(b) => b,
        Err(why) => {
            return Err(apply::refuse(
                client,
                &unknown,
                &source,
                Problem::Bundle { detail: why },
            ));
        }
    };
    let problems = b.check();
    let batch = if problems.is_empty() {
        Batch::from_bundle(&b, &source).map_err(|detail| Problem::Bundle { detail })
    } else {
        Err(Problem::Bundle {
            detail: problems.join("; "),
        })
    };
    let batch = batch.and_then(|batch| match batch.station.public_key {
        Some(_) => Ok(batch),
        None => Err(Problem::Unsigned),
    });
    let mut batch = match batch {
        Ok(batch) => batch,
        Err(p) => {
            let st = b
                .header
                .as_ref()
                .map(|h| StationFacts {
                    uid: h.station_uid.clone(),
                    code: h.station_code.clone(),
                    ..unknown.clone()
                })
                .unwrap_or(unknown);
            return Err(apply::refuse(client, &st, &source, p));
        }
    };
    batch.register = register;
    let Applied {
        new, ledger, audit, ..
    } = apply::apply(client, &batch, None)?;
    Ok(Ingested {
        station: batch.station.code.clone(),
        day: batch
            .summaries
            .first()
            .map(|s| s.day.clone())
            .unwrap_or_default(),
        new,
        ledger,
        audit,
    })
}
