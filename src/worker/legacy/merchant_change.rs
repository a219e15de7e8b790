//! LEGACY — a change to a merchant as one command (the merchants pane's
//! path until it moves to typed requests).

use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::store::{Store, StoreError};

/// A change to a merchant, its offers or its record (one command, so the
/// pane always gets the merchant back as it now stands).
#[derive(Debug, Clone)]
pub enum MerchantChange {
    /// `id` 0: a new merchant.
    Save(Box<crate::store::merchants::MerchantInput>),
    Status {
        status: crate::domain::merchant::Status,
        reason: String,
    },
    Offer {
        offer_id: Option<i64>,
        offer: Box<crate::store::merchants::OfferInput>,
    },
    Withdraw {
        offer_id: i64,
    },
    Rate {
        member_id: i64,
        stars: u8,
        note: String,
    },
    Price(Box<crate::store::merchants::PriceCheck>),
    Violation {
        severity: crate::domain::violation::Severity,
        reason: String,
    },
    Resolve {
        violation_id: i64,
    },
    Deposit {
        refund: bool,
        amount_fen: i64,
        reason: String,
    },
}

impl MerchantChange {
    /// Carry the change out; the merchant's id (a new one's, too).
    pub(super) fn apply(
        self,
        store: &mut Store,
        by: &Session,
        id: i64,
        at: Stamp,
    ) -> Result<i64, StoreError> {
        match self {
            MerchantChange::Save(m) => {
                Ok(store.save_merchant(by, (id != 0).then_some(id), &m, at)?.id)
            }
            MerchantChange::Status { status, reason } => {
                store.set_merchant_status(by, id, status, &reason, at)?;
                Ok(id)
            }
            MerchantChange::Offer { offer_id, offer } => {
                store.save_offer(by, id, offer_id, &offer, at)?;
                Ok(id)
            }
            MerchantChange::Withdraw { offer_id } => {
                store.withdraw_offer(by, offer_id, at)?;
                Ok(id)
            }
            MerchantChange::Rate {
                member_id,
                stars,
                note,
            } => {
                store.rate_merchant(by, id, member_id, stars, &note, at)?;
                Ok(id)
            }
            MerchantChange::Price(p) => {
                store.price_check(by, id, &p, at)?;
                Ok(id)
            }
            MerchantChange::Violation { severity, reason } => {
                store.merchant_violation(by, id, severity, &reason, at)?;
                Ok(id)
            }
            MerchantChange::Resolve { violation_id } => {
                store.resolve_merchant_violation(by, violation_id, at)?;
                Ok(id)
            }
            MerchantChange::Deposit {
                refund,
                amount_fen,
                reason,
            } => {
                store.merchant_deposit(by, id, refund, amount_fen, &reason, at)?;
                Ok(id)
            }
        }
    }
}
