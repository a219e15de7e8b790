//! The points ledger's rules (docs/rules.md §8): kinds of transfer, who may pay,
//! reversal bounds, and the canonical hash of a transfer.

use super::chain::{self, Field};
use super::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    Service,
    Redemption,
    MerchantRedemption,
    Settlement,
    Penalty,
    DisputeSplit,
    Inheritance,
    Clearance,
    Reversal,
    Adjustment,
}

impl TransferKind {
    pub const ALL: [TransferKind; 10] = [
        TransferKind::Service,
        TransferKind::Redemption,
        TransferKind::MerchantRedemption,
        TransferKind::Settlement,
        TransferKind::Penalty,
        TransferKind::DisputeSplit,
        TransferKind::Inheritance,
        TransferKind::Clearance,
        TransferKind::Reversal,
        TransferKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Service => "service",
            TransferKind::Redemption => "redemption",
            TransferKind::MerchantRedemption => "merchant_redemption",
            TransferKind::Settlement => "settlement",
            TransferKind::Penalty => "penalty",
            TransferKind::DisputeSplit => "dispute_split",
            TransferKind::Inheritance => "inheritance",
            TransferKind::Clearance => "clearance",
            TransferKind::Reversal => "reversal",
            TransferKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(s: &str) -> Option<TransferKind> {
        TransferKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            TransferKind::Service => crate::k!("transfer.service"),
            TransferKind::Redemption => crate::k!("transfer.redemption"),
            TransferKind::MerchantRedemption => crate::k!("transfer.merchant_redemption"),
            TransferKind::Settlement => crate::k!("transfer.settlement"),
            TransferKind::Penalty => crate::k!("transfer.penalty"),
            TransferKind::DisputeSplit => crate::k!("transfer.dispute_split"),
            TransferKind::Inheritance => crate::k!("transfer.inheritance"),
            TransferKind::Clearance => crate::k!("transfer.clearance"),
            TransferKind::Reversal => crate::k!("transfer.reversal"),
            TransferKind::Adjustment => crate::k!("transfer.adjustment"),
        }
    }

    /// The member on the debit side chose to spend: a frozen member may not.
    /// (Penalties, reversals, clearance take points whatever the standing.)
    pub fn is_spending(self) -> bool {
        matches!(
            self,
            TransferKind::Service | TransferKind::Redemption | TransferKind::MerchantRedemption
        )
    }

    /// The member on the credit side earns: a blacklisted member may not.
    pub fn is_earning(self) -> bool {
        matches!(self, TransferKind::Service | TransferKind::Settlement)
    }
}

/// What the posting rule needs to know about one side of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Side {
    pub is_member: bool,
    pub balance: i64,
    /// Manually frozen, or redemption frozen (moderate violation, 1 week).
    pub frozen: bool,
    pub blacklisted: bool,
}

/// May `amount` points move from `debit` to `credit` as `kind`?
pub fn check_transfer(
    kind: TransferKind,
    amount: i64,
    debit: &Side,
    credit: &Side,
) -> Result<(), Refusal> {
    if amount <= 0 {
        return Err(Refusal::at("amount", msg!("ledger.amount_positive")));
    }
    if debit.is_member && kind.is_spending() && debit.blacklisted {
        return Err(Refusal::general(msg!("ledger.payer_blacklisted")));
    }
    if debit.is_member && kind.is_spending() && debit.frozen {
        return Err(Refusal::general(msg!("ledger.payer_frozen")));
    }
    if credit.is_member && kind.is_earning() && credit.blacklisted {
        return Err(Refusal::general(msg!("ledger.payee_blacklisted")));
    }
    if debit.is_member && debit.balance < amount {
        return Err(Refusal::at(
            "amount",
            msg!("ledger.short", have = debit.balance, need = amount),
        ));
    }
    Ok(())
}

/// A reversal of `amount` of a transfer of `original`, of which
/// `already_reversed` was undone before: never more than the original in total.
pub fn check_reversal(original: i64, already_reversed: i64, amount: i64) -> Result<(), Refusal> {
    if amount <= 0 {
        return Err(Refusal::at("amount", msg!("ledger.amount_positive")));
    }
    let left = original - already_reversed;
    if amount > left {
        return Err(Refusal::at(
            "amount",
            msg!(
                "ledger.reversal_too_much",
                left = left.max(0),
                original = original
            ),
        ));
    }
    Ok(())
}

/// A transfer as stored, with account codes (stable across stations) so
/// that headquarters can recheck the chain from exported rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRow {
    pub id: String,
    pub kind: String,
    pub amount: i64,
    pub debit: String,
    pub credit: String,
    pub record_uid: Option<String>,
    pub source: Option<String>,
    pub reverses: Option<String>,
    pub idem_key: Option<String>,
    pub staff: Option<String>,
    pub approved_by: Option<String>,
    pub at: Stamp,
    pub memo: Option<String>,
}

const DOMAIN: &str = "ledger/v1";

impl TransferRow {
    pub fn hash(&self, prev: &str) -> String {
        transfer_hash(
            prev,
            &TransferFields {
                id: &self.id,
                kind: &self.kind,
                amount: self.amount,
                debit: &self.debit,
                credit: &self.credit,
                record_uid: self.record_uid.as_deref(),
                source: self.source.as_deref(),
                reverses: self.reverses.as_deref(),
                idem_key: self.idem_key.as_deref(),
                staff: self.staff.as_deref(),
                approved_by: self.approved_by.as_deref(),
                at: self.at,
                memo: self.memo.as_deref(),
            },
        )
    }
}

/// A transfer's hashed fields, borrowed (the chain check reads a million
/// of them straight from the rows, without copying).
pub struct TransferFields<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub amount: i64,
    pub debit: &'a str,
    pub credit: &'a str,
    pub record_uid: Option<&'a str>,
    pub source: Option<&'a str>,
    pub reverses: Option<&'a str>,
    pub idem_key: Option<&'a str>,
    pub staff: Option<&'a str>,
    pub approved_by: Option<&'a str>,
    pub at: i64,
    pub memo: Option<&'a str>,
}

pub fn transfer_hash(prev: &str, t: &TransferFields<'_>) -> String {
    chain::row_hash(
        DOMAIN,
        prev,
        &[
            Field::Text(t.id),
            Field::Text(t.kind),
            Field::Int(t.amount),
            Field::Text(t.debit),
            Field::Text(t.credit),
            t.record_uid.into(),
            t.source.into(),
            t.reverses.into(),
            t.idem_key.into(),
            t.staff.into(),
            t.approved_by.into(),
            Field::Int(t.at),
            t.memo.into(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(balance: i64) -> Side {
        Side {
            is_member: true,
            balance,
            ..Side::default()
        }
    }

    const POOL: Side = Side {
        is_member: false,
        balance: -500,
        frozen: false,
        blacklisted: false,
    };

    #[test]
    fn members_never_go_negative_the_pool_may() {
        assert!(check_transfer(TransferKind::Service, 30, &member(30), &member(0)).is_ok());
        let e = check_transfer(TransferKind::Service, 31, &member(30), &member(0)).unwrap_err();
        assert_eq!(e.msg.key, "ledger.short");
        assert!(check_transfer(TransferKind::Service, 1000, &POOL, &member(0)).is_ok());
    }

    #[test]
    fn frozen_members_earn_but_do_not_spend() {
        let frozen = Side {
            frozen: true,
            ..member(100)
        };
        assert!(check_transfer(TransferKind::Service, 10, &POOL, &frozen).is_ok());
        assert_eq!(
            check_transfer(TransferKind::Service, 10, &frozen, &member(0))
                .unwrap_err()
                .msg
                .key,
            "ledger.payer_frozen"
        );
        // a penalty still takes points from a frozen member
        assert!(check_transfer(TransferKind::Penalty, 10, &frozen, &POOL).is_ok());
    }

    #[test]
    fn blacklisted_members_neither_earn_nor_spend() {
        let black = Side {
            blacklisted: true,
            ..member(100)
        };
        assert!(check_transfer(TransferKind::Service, 10, &POOL, &black).is_err());
        assert!(check_transfer(TransferKind::Redemption, 10, &black, &POOL).is_err());
        assert!(check_transfer(TransferKind::Clearance, 10, &black, &POOL).is_ok());
    }

    #[test]
    fn reversals_stay_within_the_original() {
        assert!(check_reversal(20, 0, 20).is_ok());
        assert!(check_reversal(20, 10, 10).is_ok());
        assert_eq!(
            check_reversal(20, 10, 11).unwrap_err().msg.key,
            "ledger.reversal_too_much"
        );
        assert!(check_reversal(20, 0, 0).is_err());
    }

    #[test]
    fn every_field_is_in_the_hash() {
        let t = TransferRow {
            id: "01J".into(),
            kind: "service".into(),
            amount: 20,
            debit: "pool".into(),
            credit: "m:JS01-0001".into(),
            record_uid: Some("r1".into()),
            source: None,
            reverses: None,
            idem_key: Some("record:r1".into()),
            staff: Some("001".into()),
            approved_by: None,
            at: 5,
            memo: None,
        };
        let h = t.hash("p");
        for changed in [
            TransferRow {
                amount: 21,
                ..t.clone()
            },
            TransferRow {
                credit: "m:JS01-0002".into(),
                ..t.clone()
            },
            TransferRow { at: 6, ..t.clone() },
            TransferRow {
                memo: Some(String::new()),
                ..t.clone()
            },
            TransferRow {
                staff: None,
                ..t.clone()
            },
        ] {
            assert_ne!(changed.hash("p"), h);
        }
        assert_ne!(t.hash("q"), h);
    }
}
