//! The start-up check of the database file: writes wait for its verdict;
//! a damaged file is said at once, with the newest backup that passes
//! verify offered in its place (`shiguang restore`).

use super::App;
use super::replies::AppMsg;
use super::state::*;
use crate::msg::Msg;
use crate::store::{StoreError, StoreResult};
use crate::worker::check::{IntegrityCheck, RecoveryOffer};

impl App {
    /// Check the file at start (a station not set up yet has none).
    pub(super) fn check_file(&mut self) {
        if self.state.station.is_some() {
            self.ask(IntegrityCheck, AppMsg::Checked);
        } else {
            self.state.integrity = Integrity::Passed;
        }
    }

    pub(super) fn checked(&mut self, verdict: StoreResult<()>) {
        let Err(e) = verdict else {
            self.state.integrity = Integrity::Passed;
            return;
        };
        let m = e.msg();
        self.state.integrity = Integrity::Failed(m.clone());
        self.notify(NoticeKind::Error, m);
        let why = match e {
            StoreError::Damaged(w) => w,
            other => other.to_string(),
        };
        self.ask(RecoveryOffer { why }, AppMsg::Offer);
    }

    pub(super) fn offered(&mut self, offer: StoreResult<Msg>) {
        match offer {
            Ok(m) => self.state.integrity = Integrity::Failed(m),
            // the search for a backup cannot fail (it says so in its
            // message); if it ever did, the check's message stays
            Err(e) => self.notify(NoticeKind::Error, e.msg()),
        }
    }
}
