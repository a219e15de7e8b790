//! Requests of the start-up check: the file checked while writes wait at
//! the store's gate, and, when it is damaged, the newest backup that
//! passes verify offered in its place. Both run off the desk's thread.

use super::{DbRequest, Lane};
use crate::msg::Msg;
use crate::store::gate::{Check, Gate};
use crate::store::{OpenMode, Store, StoreError, StoreResult};
use std::path::Path;

/// The start-up check (`quick_check`, both chains). On the desk it runs on
/// its own connection while writes wait for its verdict.
#[derive(Debug)]
pub struct IntegrityCheck;

impl DbRequest for IntegrityCheck {
    type Reply = ();

    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.startup_check().map_err(|why| {
            // writes on this store are refused from now on (the desk's
            // own store has the same gate, set by the check thread)
            let gate = Gate::new();
            gate.set(Check::Failed(why.clone()));
            store.set_gate(gate);
            StoreError::Damaged(why)
        })
    }

    fn lane(&self) -> Lane {
        Lane::Check
    }

    /// A file that does not even open is a damaged file.
    fn run_aside(self, path: &Path) -> StoreResult<()> {
        Store::open(path, OpenMode::Inspect, 0)
            .map_err(|e| StoreError::Damaged(e.to_string()))
            .and_then(|mut s| self.run(&mut s))
    }
}

/// The file is damaged (`why`): what to say, with the backup on offer.
#[derive(Debug)]
pub struct RecoveryOffer {
    pub why: String,
}

impl DbRequest for RecoveryOffer {
    type Reply = Msg;

    fn run(self, store: &mut Store) -> StoreResult<Msg> {
        Ok(crate::store::recovery::offer(store.path(), &self.why))
    }

    /// Verifying each backup can take a while: it must not hold up saving.
    fn lane(&self) -> Lane {
        Lane::Aside
    }

    /// The damaged file itself may not even open: only its path is used.
    fn run_aside(self, path: &Path) -> StoreResult<Msg> {
        Ok(crate::store::recovery::offer(path, &self.why))
    }
}
