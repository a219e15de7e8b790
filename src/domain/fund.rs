//! The fund (共管账户): the station's money in yuan fen, kept apart from the
//! points. Member annual fees, subsidies and gifts come in; a merchant's
//! deposit deduction lands here too; activity materials, the trust list's
//! gifts and subsidies paid out go out, each only once three or more
//! different staff members have signed it (handbook: "共管账户的每一笔支出
//! …都有3人以上签字"). The balance never goes below zero.
//!
//! Signers are staff members signing at the desk with their own PIN, not
//! named witnesses: a witness's name typed by the person spending proves
//! nothing, and the handbook's worst case is the team itself misusing the
//! money ("运营团队挪用资金"), so each signature must be one only its owner
//! can give.

use super::chain::{self, Field};
use super::time::Stamp;
use crate::msg;
use crate::msg::Refusal;

/// Signatures an expense needs before it is posted.
pub const SIGNATURES_NEEDED: usize = 3;

/// The largest single amount the desk takes (one million yuan): a typo
/// with extra zeros is refused rather than posted.
pub const MAX_FEN: i64 = 100_000_000;

/// What a fund row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 会员年费.
    Fee,
    /// 补贴 received (from the street, headquarters).
    SubsidyIn,
    /// A gift of money (a donation, e.g. for the trust list's gifts).
    GiftIn,
    /// Taken from a merchant's deposit for a violation or a complaint:
    /// posted by the store with the deduction, never typed at the desk.
    Deduction,
    /// 活动物料.
    Materials,
    /// 信任榜 gifts (eggs, washing liquid).
    TrustGift,
    /// A subsidy paid out (a merchant's, a family's fee).
    SubsidyOut,
    /// Any other expense, its purpose written out.
    OtherOut,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Fee,
        Kind::SubsidyIn,
        Kind::GiftIn,
        Kind::Deduction,
        Kind::Materials,
        Kind::TrustGift,
        Kind::SubsidyOut,
        Kind::OtherOut,
    ];
    /// What the desk records as income (a deduction comes from the merchants).
    pub const DESK_INCOME: [Kind; 3] = [Kind::Fee, Kind::SubsidyIn, Kind::GiftIn];
    pub const EXPENSES: [Kind; 4] = [
        Kind::Materials,
        Kind::TrustGift,
        Kind::SubsidyOut,
        Kind::OtherOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Fee => "fee",
            Kind::SubsidyIn => "subsidy_in",
            Kind::GiftIn => "gift_in",
            Kind::Deduction => "deduction",
            Kind::Materials => "materials",
            Kind::TrustGift => "trust_gift",
            Kind::SubsidyOut => "subsidy_out",
            Kind::OtherOut => "other_out",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Kind::Fee => crate::k!("fund.kind.fee"),
            Kind::SubsidyIn => crate::k!("fund.kind.subsidy_in"),
            Kind::GiftIn => crate::k!("fund.kind.gift_in"),
            Kind::Deduction => crate::k!("fund.kind.deduction"),
            Kind::Materials => crate::k!("fund.kind.materials"),
            Kind::TrustGift => crate::k!("fund.kind.trust_gift"),
            Kind::SubsidyOut => crate::k!("fund.kind.subsidy_out"),
            Kind::OtherOut => crate::k!("fund.kind.other_out"),
        }
    }

    pub fn is_income(self) -> bool {
        matches!(
            self,
            Kind::Fee | Kind::SubsidyIn | Kind::GiftIn | Kind::Deduction
        )
    }
}

/// An amount typed in yuan ("12.50", "5", "￥8") as fen; refused at the
/// amount field when it is not one, not above zero or absurdly large.
pub fn parse_amount(text: &str) -> Result<i64, Refusal> {
    match super::merchant::parse_yuan(text) {
        Some(fen) if fen <= MAX_FEN => Ok(fen),
        Some(_) => Err(Refusal::at(
            "amount",
            msg!(
                "fund.amount_too_large",
                max = super::merchant::yuan(MAX_FEN)
            ),
        )),
        None => Err(Refusal::at("amount", msg!("fund.amount_invalid"))),
    }
}

/// The balance after a row of `kind` and `amount_fen` (always positive as
/// typed): an expense larger than the balance is refused at the amount.
pub fn post(balance_fen: i64, kind: Kind, amount_fen: i64) -> Result<i64, Refusal> {
    if amount_fen <= 0 {
        return Err(Refusal::at("amount", msg!("fund.amount_invalid")));
    }
    if kind.is_income() {
        return balance_fen
            .checked_add(amount_fen)
            .ok_or_else(|| Refusal::at("amount", msg!("fund.amount_invalid")));
    }
    if amount_fen > balance_fen {
        return Err(Refusal::at(
            "amount",
            msg!(
                "fund.over_balance",
                left = super::merchant::yuan(balance_fen.max(0))
            ),
        ));
    }
    Ok(balance_fen - amount_fen)
}

/// The signed amount a row of `kind` moves (expenses negative).
pub fn signed(kind: Kind, amount_fen: i64) -> i64 {
    if kind.is_income() {
        amount_fen
    } else {
        -amount_fen
    }
}

/// Whether an expense is complete once `signer` signs, given who has
/// signed so far; the same person twice is refused.
pub fn sign(signed_by: &[i64], signer: i64) -> Result<bool, Refusal> {
    if signed_by.contains(&signer) {
        return Err(Refusal::at("staff_no", msg!("fund.signed_twice")));
    }
    Ok(signed_by.len() + 1 >= SIGNATURES_NEEDED)
}

/// The fields of one fund row as they are chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields<'a> {
    pub seq: i64,
    pub at: Stamp,
    pub kind: &'a str,
    pub amount_fen: i64,
    pub balance_fen: i64,
    pub party: &'a str,
    pub purpose: &'a str,
    pub member_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub expense_id: Option<i64>,
    /// The staff number who wrote it.
    pub staff: &'a str,
    /// An expense's signers' staff numbers, in signing order, comma-joined.
    pub signers: &'a str,
}

/// A fund row's hash over its fields and the previous row's hash.
pub fn entry_hash(prev: &str, f: &EntryFields<'_>) -> String {
    chain::row_hash(
        "fund/v1",
        prev,
        &[
            Field::Int(f.seq),
            Field::Int(f.at),
            Field::Text(f.kind),
            Field::Int(f.amount_fen),
            Field::Int(f.balance_fen),
            Field::Text(f.party),
            Field::Text(f.purpose),
            f.member_id.into(),
            f.merchant_id.into(),
            f.activity_id.into(),
            f.expense_id.into(),
            Field::Text(f.staff),
            Field::Text(f.signers),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_in_yuan_become_fen() {
        assert_eq!(parse_amount("12.50"), Ok(1250));
        assert_eq!(parse_amount(" 5 "), Ok(500));
        assert_eq!(parse_amount("￥8.5"), Ok(850));
        assert_eq!(parse_amount("0.01"), Ok(1));
        for bad in ["", "0", "-3", "12.345", "abc", "1,000", "12.5.0", "1e3"] {
            let e = parse_amount(bad).unwrap_err();
            assert_eq!(e.field, Some("amount"), "{bad}");
            assert_eq!(e.msg.key, "fund.amount_invalid", "{bad}");
        }
        let e = parse_amount("2000000").unwrap_err();
        assert_eq!(e.msg.key, "fund.amount_too_large");
    }

    #[test]
    fn an_expense_never_takes_the_balance_below_zero() {
        assert_eq!(post(1000, Kind::Materials, 1000), Ok(0));
        let e = post(1000, Kind::Materials, 1001).unwrap_err();
        assert_eq!((e.field, e.msg.key), (Some("amount"), "fund.over_balance"));
        assert_eq!(post(0, Kind::Fee, 5000), Ok(5000));
        assert_eq!(post(0, Kind::Deduction, 20000), Ok(20000));
        assert!(post(10, Kind::Fee, 0).is_err());
    }

    #[test]
    fn three_different_signers_post_an_expense() {
        assert_eq!(sign(&[], 1), Ok(false));
        assert_eq!(sign(&[1], 2), Ok(false));
        assert_eq!(sign(&[1, 2], 3), Ok(true));
        let e = sign(&[1, 2], 2).unwrap_err();
        assert_eq!(e.msg.key, "fund.signed_twice");
        assert_eq!(e.field, Some("staff_no"));
    }

    #[test]
    fn kinds_round_trip_and_income_is_known() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert!(Kind::DESK_INCOME.iter().all(|k| k.is_income()));
        assert!(Kind::EXPENSES.iter().all(|k| !k.is_income()));
        assert_eq!(signed(Kind::TrustGift, 300), -300);
        assert_eq!(signed(Kind::Fee, 300), 300);
    }

    #[test]
    fn the_hash_covers_every_field() {
        let f = EntryFields {
            seq: 1,
            at: 5,
            kind: "fee",
            amount_fen: 5000,
            balance_fen: 5000,
            party: "王秀英",
            purpose: "2026 年费",
            member_id: Some(3),
            merchant_id: None,
            activity_id: None,
            expense_id: None,
            staff: "001",
            signers: "",
        };
        let h = entry_hash(chain::GENESIS, &f);
        let mut g = f.clone();
        g.amount_fen = 500;
        assert_ne!(entry_hash(chain::GENESIS, &g), h);
        let mut g = f.clone();
        g.signers = "001,002,003";
        assert_ne!(entry_hash(chain::GENESIS, &g), h);
        assert_ne!(entry_hash(&h, &f), h);
    }

    proptest! {
        /// Whatever rows are tried in whatever order, the balance is the sum
        /// of the rows taken and never below zero; a refused row changes nothing.
        #[test]
        fn the_balance_is_the_sum_of_what_was_posted(
            rows in proptest::collection::vec((0usize..8, 1i64..100_000), 0..60)
        ) {
            let mut balance = 0i64;
            let mut sum = 0i64;
            for (k, amount) in rows {
                let kind = Kind::ALL[k];
                match post(balance, kind, amount) {
                    Ok(b) => {
                        sum += signed(kind, amount);
                        balance = b;
                    }
                    Err(e) => prop_assert!(!kind.is_income() && amount > balance, "{e:?}"),
                }
                prop_assert!(balance >= 0);
                prop_assert_eq!(balance, sum);
            }
        }

        /// Any yuan amount with up to two decimals is read back to its fen.
        #[test]
        fn typed_yuan_read_back(fen in 1i64..MAX_FEN) {
            let text = format!("{}.{:02}", fen / 100, fen % 100);
            prop_assert_eq!(parse_amount(&text), Ok(fen));
            prop_assert_eq!(parse_amount(&super::super::merchant::yuan(fen)), Ok(fen));
        }

        /// An expense is posted exactly when its third different signer signs.
        #[test]
        fn posted_at_the_third_distinct_signer(signers in proptest::collection::vec(1i64..6, 1..10)) {
            let mut got: Vec<i64> = Vec::new();
            for s in signers {
                match sign(&got, s) {
                    Ok(done) => {
                        got.push(s);
                        prop_assert_eq!(done, got.len() >= SIGNATURES_NEEDED);
                    }
                    Err(_) => prop_assert!(got.contains(&s)),
                }
                if got.len() >= SIGNATURES_NEEDED {
                    break;
                }
            }
        }
    }
}
