//! Requests of the merchants pane (pane 8): the registry and one merchant
//! in full; changes to a merchant, its offers and its record; redemptions
//! at the desk and from a merchant's log; the monthly settlement.
//!
//! A change answers with the merchant as it now stands, so the pane shows
//! what was saved without a second trip.

use super::DbRequest;
use crate::domain::merchant::{Cost, Status};
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::domain::violation::Severity;
use crate::i18n::{Lang, Tr};
use crate::msg;
use crate::msg::Refusal;
use crate::store::merchants::{MerchantDetail, MerchantInput, MerchantRow, OfferInput, PriceCheck};
use crate::store::redemptions::{ImportReport, Redemption, Settlement};
use crate::store::{Store, StoreError, StoreResult};
use std::path::PathBuf;

/// Every merchant, best rated first.
#[derive(Debug)]
pub struct ListMerchants;

impl DbRequest for ListMerchants {
    type Reply = Vec<MerchantRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<MerchantRow>> {
        store.merchants()
    }
}

/// One merchant with its offers (and what is left of each cap this
/// month), redemptions, price checks, violations and deposit.
#[derive(Debug)]
pub struct ReadMerchant {
    pub id: i64,
    pub at: Stamp,
}

impl DbRequest for ReadMerchant {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        store.merchant_detail(self.id, self.at)
    }
}

/// Sign a new merchant (`id` none) or change one's details.
#[derive(Debug)]
pub struct SaveMerchant {
    pub by: Session,
    pub id: Option<i64>,
    pub merchant: Box<MerchantInput>,
    pub at: Stamp,
}

impl DbRequest for SaveMerchant {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        let saved = store.save_merchant(&self.by, self.id, &self.merchant, self.at)?;
        store.merchant_detail(saved.id, self.at)
    }
}

/// Pause, end or resume a merchant (the station master's), with the reason.
#[derive(Debug)]
pub struct SetMerchantStatus {
    pub by: Session,
    pub merchant_id: i64,
    pub status: Status,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for SetMerchantStatus {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        let (by, id) = (&self.by, self.merchant_id);
        store.set_merchant_status(by, id, self.status, &self.reason, self.at)?;
        store.merchant_detail(id, self.at)
    }
}

/// A new offer of a merchant (`offer_id` none), or a change to one.
#[derive(Debug)]
pub struct SaveOffer {
    pub by: Session,
    pub merchant_id: i64,
    pub offer_id: Option<i64>,
    pub offer: Box<OfferInput>,
    pub at: Stamp,
}

impl DbRequest for SaveOffer {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        let id = self.merchant_id;
        store.save_offer(&self.by, id, self.offer_id, &self.offer, self.at)?;
        store.merchant_detail(id, self.at)
    }
}

/// An offer no longer given.
#[derive(Debug)]
pub struct WithdrawOffer {
    pub by: Session,
    pub merchant_id: i64,
    pub offer_id: i64,
    pub at: Stamp,
}

impl DbRequest for WithdrawOffer {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        store.withdraw_offer(&self.by, self.offer_id, self.at)?;
        store.merchant_detail(self.merchant_id, self.at)
    }
}

/// A member's stars for a merchant.
#[derive(Debug)]
pub struct RateMerchant {
    pub by: Session,
    pub merchant_id: i64,
    pub member_id: i64,
    pub stars: u8,
    pub note: String,
    pub at: Stamp,
}

impl DbRequest for RateMerchant {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        let (id, member) = (self.merchant_id, self.member_id);
        store.rate_merchant(&self.by, id, member, self.stars, &self.note, self.at)?;
        store.merchant_detail(id, self.at)
    }
}

/// A member price checked against the purchase price on an invoice.
#[derive(Debug)]
pub struct CheckPrice {
    pub by: Session,
    pub merchant_id: i64,
    pub check: Box<PriceCheck>,
    pub at: Stamp,
}

impl DbRequest for CheckPrice {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        store.price_check(&self.by, self.merchant_id, &self.check, self.at)?;
        store.merchant_detail(self.merchant_id, self.at)
    }
}

/// A merchant's violation, with what it does by its severity.
#[derive(Debug)]
pub struct MerchantViolation {
    pub by: Session,
    pub merchant_id: i64,
    pub severity: Severity,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for MerchantViolation {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        let id = self.merchant_id;
        store.merchant_violation(&self.by, id, self.severity, &self.reason, self.at)?;
        store.merchant_detail(id, self.at)
    }
}

/// A merchant's minor violation put right.
#[derive(Debug)]
pub struct ResolveViolation {
    pub by: Session,
    pub merchant_id: i64,
    pub violation_id: i64,
    pub at: Stamp,
}

impl DbRequest for ResolveViolation {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        store.resolve_merchant_violation(&self.by, self.violation_id, self.at)?;
        store.merchant_detail(self.merchant_id, self.at)
    }
}

/// Deposit paid in, or paid back (`refund`), with the reason.
#[derive(Debug)]
pub struct MerchantDeposit {
    pub by: Session,
    pub merchant_id: i64,
    pub refund: bool,
    pub amount_fen: i64,
    pub reason: String,
    pub at: Stamp,
}

impl DbRequest for MerchantDeposit {
    type Reply = MerchantDetail;
    fn run(self, store: &mut Store) -> StoreResult<MerchantDetail> {
        let (id, fen) = (self.merchant_id, self.amount_fen);
        store.merchant_deposit(&self.by, id, self.refund, fen, &self.reason, self.at)?;
        store.merchant_detail(id, self.at)
    }
}

/// A redemption at the desk: what it cost the member.
#[derive(Debug)]
pub struct Redeem {
    pub by: Session,
    pub redemption: Redemption,
    pub at: Stamp,
}

impl DbRequest for Redeem {
    type Reply = Cost;
    fn run(self, store: &mut Store) -> StoreResult<Cost> {
        store.redeem(&self.by, &self.redemption, self.at)
    }
}

/// A merchant's redemption log read from `path`: posted (all or, with
/// `valid_only`, the valid lines), or each bad line said by its number.
#[derive(Debug)]
pub struct ImportRedemptions {
    pub by: Session,
    pub merchant_id: i64,
    pub path: PathBuf,
    pub valid_only: bool,
    pub at: Stamp,
}

impl DbRequest for ImportRedemptions {
    type Reply = ImportReport;
    fn run(self, store: &mut Store) -> StoreResult<ImportReport> {
        let path = &self.path;
        let text = std::fs::read_to_string(path).map_err(|e| {
            StoreError::Refused(Refusal::at(
                "file",
                msg!("import.unreadable", path = path.display(), why = e),
            ))
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (by, id) = (&self.by, self.merchant_id);
        store.import_redemptions(by, id, &name, &text, self.valid_only, self.at)
    }
}

/// Last month's settlement with the merchants (run once; again: the one
/// stored), a station master's; its statement worded in `lang`
/// (`crate::routines::settlement`).
#[derive(Debug)]
pub struct SettleMonth {
    pub by: Session,
    pub lang: Lang,
    pub at: Stamp,
}

impl DbRequest for SettleMonth {
    type Reply = Settlement;
    fn run(self, store: &mut Store) -> StoreResult<Settlement> {
        crate::routines::settlement::settle_month(store, &self.by, self.at, &Tr::new(self.lang))
    }
}
