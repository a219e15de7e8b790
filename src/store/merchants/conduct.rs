//! How a merchant behaves: members' ratings, price checks, violations and
//! what they cost, and the deposit that answers for them.

use super::sql::*;
use super::{MerchantRow, PriceCheck, merchant_row, require_master};
use crate::domain::merchant;
use crate::domain::merchant::Status;
use crate::domain::staff::Session;
use crate::domain::time::{DAY_MS, HOUR_MS, Stamp};
use crate::domain::violation::Severity;
use crate::msg;
use crate::msg::Refusal;
use crate::store::{Store, StoreError, StoreResult, audit};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

impl Store {
    /// A member's rating of a merchant, 1–5.
    pub fn rate_merchant(
        &mut self,
        by: &Session,
        merchant_id: i64,
        member_id: i64,
        stars: u8,
        note: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        if !(1..=5).contains(&stars) {
            return Err(Refusal::at("stars", msg!("record.rating_range")).into());
        }
        self.write(|tx| {
            let approved: bool = tx
                .query_row(RATE_MERCHANT_SELECT_MEMBERS, [member_id], |r| r.get(0))
                .optional()?
                .unwrap_or(false);
            if !approved {
                return Err(Refusal::at("member", msg!("redeem.not_member")).into());
            }
            tx.execute(
                RATE_MERCHANT_INSERT_MERCHANT_RATINGS,
                params![
                    merchant_id,
                    member_id,
                    stars,
                    Some(note.trim()).filter(|n| !n.is_empty()),
                    at,
                    by.staff_id
                ],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "merchant.rating",
                "merchant",
                merchant_id,
                json!({"member": member_id, "stars": stars}),
            )?;
            Ok(())
        })
    }

    /// Record a price check; returns whether the item breaks the 5 % rule.
    pub fn price_check(
        &mut self,
        by: &Session,
        merchant_id: i64,
        p: &PriceCheck,
        at: Stamp,
    ) -> StoreResult<bool> {
        let mut errs = Vec::new();
        if p.item.trim().is_empty() {
            errs.push(Refusal::at("item", msg!("price.item_required")));
        }
        if p.invoice_ref.trim().is_empty() {
            errs.push(Refusal::at("invoice", msg!("price.invoice_required")));
        }
        if p.checked_by.trim().is_empty() {
            errs.push(Refusal::at("checked_by", msg!("price.checker_required")));
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let over = merchant::over_price_rule(p.purchase_fen, p.member_fen);
        self.write(|tx| {
            tx.execute(
                PRICE_CHECK_INSERT_PRICE_CHECKS,
                params![merchant_id, p.item.trim(), p.purchase_fen, p.member_fen, p.invoice_ref.trim(), p.checked_by.trim(), over, at, by.staff_id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "merchant.price_check", "merchant", merchant_id, json!({"item": p.item.trim(), "purchase_fen": p.purchase_fen, "member_fen": p.member_fen, "over_rule": over}))?;
            Ok(over)
        })
    }

    /// A merchant violation with the handbook's effects: minor — to fix
    /// within a day; moderate — orders paused 3 days and 200 yuan from the
    /// deposit; severe — ended, the deposit to the member dividend pool.
    /// Moderate and severe by the station master.
    pub fn merchant_violation(
        &mut self,
        by: &Session,
        merchant_id: i64,
        severity: Severity,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<MerchantRow> {
        if severity != Severity::Minor {
            require_master(by)?;
        }
        if reason.trim().is_empty() {
            return Err(Refusal::at("reason", msg!("merchant.reason_required")).into());
        }
        let fx = merchant::effects(severity);
        let lines = self.grade_lines();
        self.write(|tx| {
            let v = Violation {
                severity,
                effects: fx,
                reason: reason.trim(),
            };
            apply_violation(tx, by, merchant_id, &v, at, &lines)
        })
    }

    /// A minor violation was put right, or a moderate one's remediation
    /// check passed (its orders resume once its days are over too).
    pub fn resolve_merchant_violation(
        &mut self,
        by: &Session,
        violation_id: i64,
        at: Stamp,
    ) -> StoreResult<()> {
        self.stamp_once(
            by,
            RESOLVE_MERCHANT_VIOLATION_UPDATE_MERCHANT_VIOLATIONS,
            (
                "merchant.violation_resolved",
                "merchant_violation",
                violation_id,
            ),
            msg!("merchant.no_open_violation"),
            at,
        )
    }

    /// Money paid in as deposit (positive) or paid back (refund, positive
    /// amount taken out). Station master.
    pub fn merchant_deposit(
        &mut self,
        by: &Session,
        merchant_id: i64,
        refund: bool,
        amount_fen: i64,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        require_master(by)?;
        if amount_fen <= 0 {
            return Err(Refusal::at("amount", msg!("offer.yuan_invalid")).into());
        }
        if reason.trim().is_empty() {
            return Err(Refusal::at("reason", msg!("merchant.reason_required")).into());
        }
        self.write(|tx| {
            if refund {
                // never more back than is held: the deposit cannot go below zero by a refund
                let held: i64 = tx.query_row(
                    MERCHANT_DEPOSIT_SELECT_MERCHANT_DEPOSIT,
                    [merchant_id],
                    |r| r.get(0),
                )?;
                if amount_fen > held {
                    return Err(Refusal::at(
                        "amount",
                        msg!("deposit.refund_over", held = merchant::yuan(held.max(0))),
                    )
                    .into());
                }
            }
            let (kind, amount) = if refund {
                ("refund", -amount_fen)
            } else {
                ("paid", amount_fen)
            };
            tx.execute(
                MERCHANT_DEPOSIT_INSERT_MERCHANT_DEPOSIT,
                params![merchant_id, at, kind, amount, reason.trim(), by.staff_id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "merchant.deposit",
                "merchant",
                merchant_id,
                json!({"kind": kind, "amount_fen": amount}),
            )?;
            Ok(())
        })
    }
}

/// A merchant violation as it is recorded: how severe, its effects, why.
pub(in crate::store) struct Violation<'a> {
    pub severity: Severity,
    pub effects: merchant::Effects,
    pub reason: &'a str,
}

/// Record a merchant violation with its effects (a pause, the deposit
/// taken, the end with the rest of the deposit to the member dividend
/// pool) and its audit row, inside the caller's write.
pub(in crate::store) fn apply_violation(
    tx: &Connection,
    by: &Session,
    merchant_id: i64,
    v: &Violation<'_>,
    at: Stamp,
    lines: &merchant::GradeLines,
) -> StoreResult<MerchantRow> {
    let m = merchant_row(tx, merchant_id, lines)?;
    if m.status == Status::Ended {
        return Err(Refusal::general(msg!("merchant.ended_for_good")).into());
    }
    let fix_by = v.effects.fix_hours.map(|h| at + i64::from(h) * HOUR_MS);
    tx.execute(
        MERCHANT_VIOLATION_INSERT_MERCHANT_VIOLATIONS,
        params![
            merchant_id,
            v.severity.as_str(),
            v.reason,
            at,
            by.staff_id,
            fix_by
        ],
    )?;
    let vid = tx.last_insert_rowid();
    let deposit = |amount: i64, kind: &str| -> StoreResult<()> {
        if amount != 0 {
            tx.execute(
                MERCHANT_VIOLATION_INSERT_MERCHANT_DEPOSIT,
                params![merchant_id, at, kind, amount, v.reason, vid, by.staff_id],
            )?;
        }
        Ok(())
    };
    if let Some(days) = v.effects.pause_days {
        let until = at + i64::from(days) * DAY_MS;
        tx.execute(
            MERCHANT_VIOLATION_UPDATE_MERCHANTS,
            params![until, at, merchant_id],
        )?;
    }
    deposit(-v.effects.deposit_fen, "deduction")?;
    // the money taken lands in the fund (共管账户), as much as was held
    let taken = v.effects.deposit_fen.min(m.deposit_fen.max(0));
    if taken > 0 {
        crate::store::fund::post_entry(
            tx,
            &crate::store::fund::NewEntry {
                at,
                kind: crate::domain::fund::Kind::Deduction,
                amount_fen: taken,
                party: &m.name,
                purpose: v.reason,
                member_id: None,
                merchant_id: Some(merchant_id),
                activity_id: None,
                expense_id: None,
                staff_id: by.staff_id,
                signers: &[],
            },
        )?;
    }
    if v.effects.ends {
        tx.execute(
            MERCHANT_VIOLATION_UPDATE_MERCHANTS_2,
            params![v.reason, at, merchant_id],
        )?;
        // what is left after this violation's own deduction
        let left = m.deposit_fen - v.effects.deposit_fen;
        deposit(-left.max(0), "dividend_pool")?;
    }
    let detail = json!({"severity": v.severity.as_str(), "reason": v.reason, "deposit_fen": v.effects.deposit_fen, "ends": v.effects.ends});
    audit::log(
        tx,
        at,
        Some(by.staff_id),
        "merchant.violation",
        "merchant",
        merchant_id,
        detail,
    )?;
    merchant_row(tx, merchant_id, lines)
}
