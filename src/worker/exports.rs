//! Requests for documents written into `exports/` beside the database, for
//! paper and notice boards: the printed pages (forms, reports, receipts:
//! `PrintPage`), the improvement list (pane 5), a member's card sheet, the blacklist notice and the trust
//! list (pane 6), a merchant's public notice (pane 8).
//!
//! They take the language the document is worded in: the wording is the
//! exporter's (`crate::exports`, above the store). Each answers with where
//! it was saved.

use super::DbRequest;
use crate::domain::time::Stamp;
use crate::exports;
use crate::exports::deliver::Delivered;
use crate::exports::printed::{self, Printable};
use crate::i18n::{Lang, Tr};
use crate::msg::{Msg, Refusal};
use crate::output::Saved;
use crate::print::Delivery;
use crate::store::{Store, StoreError, StoreResult};

/// A document that could not be made is refused with the reason.
fn written(path: Result<Saved, Msg>) -> StoreResult<Saved> {
    path.map_err(|m| StoreError::Refused(Refusal::general(m)))
}

/// A printed page (a form, a report, a receipt): saved into the exports
/// folder, then opened, printed or only kept as `how` says. The desk
/// decides `how` from the station's setting; the harness never opens.
#[derive(Debug)]
pub struct PrintPage {
    pub what: Printable,
    pub how: Delivery,
    pub lang: Lang,
    pub at: Stamp,
}

impl DbRequest for PrintPage {
    type Reply = Delivered;
    fn run(self, store: &mut Store) -> StoreResult<Delivered> {
        let tr = Tr::new(self.lang);
        let launch = crate::platform::open::spawn;
        printed::print(store, &tr, self.what, self.how, self.at, &launch)
            .map_err(|m| StoreError::Refused(Refusal::general(m)))
    }
}

/// The month's improvement list (信任改进清单): the suggestions and their
/// replies.
#[derive(Debug)]
pub struct ExportImprovements {
    pub lang: Lang,
    pub at: Stamp,
}

impl DbRequest for ExportImprovements {
    type Reply = Saved;
    fn run(self, store: &mut Store) -> StoreResult<Saved> {
        written(exports::improvements(store, &Tr::new(self.lang), self.at))
    }
}

/// The public notice of a merchant ended for a severe violation.
#[derive(Debug)]
pub struct ExportMerchantNotice {
    pub merchant_id: i64,
    pub lang: Lang,
    pub at: Stamp,
}

impl DbRequest for ExportMerchantNotice {
    type Reply = Saved;
    fn run(self, store: &mut Store) -> StoreResult<Saved> {
        let tr = Tr::new(self.lang);
        written(exports::merchant_notice(
            store,
            &tr,
            self.merchant_id,
            self.at,
        ))
    }
}

/// A member's card sheet: the card's face and its QR code, to print.
#[derive(Debug)]
pub struct ExportCard {
    pub member_id: i64,
    pub lang: Lang,
    pub at: Stamp,
}

impl DbRequest for ExportCard {
    type Reply = Saved;
    fn run(self, store: &mut Store) -> StoreResult<Saved> {
        let tr = Tr::new(self.lang);
        written(exports::card(store, &tr, self.member_id, self.at))
    }
}

/// The public blacklist notice, for the notice board.
#[derive(Debug)]
pub struct ExportBlacklist {
    pub lang: Lang,
    pub at: Stamp,
}

impl DbRequest for ExportBlacklist {
    type Reply = Saved;
    fn run(self, store: &mut Store) -> StoreResult<Saved> {
        written(exports::blacklist(store, &Tr::new(self.lang), self.at))
    }
}

/// This month's trust list (信任榜), for the notice board.
#[derive(Debug)]
pub struct ExportTrustTop {
    pub lang: Lang,
    pub at: Stamp,
}

impl DbRequest for ExportTrustTop {
    type Reply = Saved;
    fn run(self, store: &mut Store) -> StoreResult<Saved> {
        written(exports::trust_top(store, &Tr::new(self.lang), self.at))
    }
}
