//! Complaints that reach a merchant or a member's level (issue 16): a
//! dispute against a merchant and its outcomes (warning, suspension,
//! deposit deduction; the third verified complaint ends the merchant), and
//! marking a decided case a verified serious complaint (the provider goes
//! to ordinary at once).

use super::disputes::{Decision, DisputeRow, Effects, dispute};
use super::merchants::conduct::{Violation, apply_violation};
use super::standing::{self, Ctx};
use super::{Store, StoreResult, audit};
use crate::domain::dispute;
use crate::domain::merchant::Status;
use crate::domain::staff::Session;
use crate::domain::station::Settings;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// The code a dispute names its merchant by; a merchant already ended
/// cannot be complained about any more (nothing is left to decide).
pub(super) fn merchant_to_complain_of(conn: &Connection, merchant_id: i64) -> StoreResult<String> {
    let (code, status): (String, String) = conn
        .query_row(
            "SELECT code, status FROM merchants WHERE id = ?1",
            [merchant_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| Refusal::at("merchant", msg!("merchant.unknown")))?;
    if Status::parse(&status) == Some(Status::Ended) {
        return Err(Refusal::at("merchant", msg!("merchant.ended_for_good")).into());
    }
    Ok(code)
}

/// Verified complaints against the merchant with this code: its cases
/// decided with a merchant outcome.
pub(super) fn verified_complaints(conn: &Connection, code: &str) -> StoreResult<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM disputes WHERE merchant_ref = ?1
         AND outcome IN ('merchant_warning', 'merchant_suspension', 'merchant_deposit')",
        [code],
        |r| r.get(0),
    )?)
}

/// A merchant case decided against the merchant: its violation with the
/// outcome's effects; the third verified complaint ends the merchant (the
/// station master's to decide).
#[allow(clippy::too_many_arguments)]
pub(super) fn merchant_outcome(
    tx: &Connection,
    by: &Session,
    d: &DisputeRow,
    dec: &Decision,
    reason: &str,
    settings: &Settings,
    at: Stamp,
    fx: &mut Effects,
) -> StoreResult<()> {
    let Some((merchant_id, _, code)) = &d.merchant else {
        return Err(Refusal::at("outcome", msg!("dispute.outcome_for_members")).into());
    };
    if reason.is_empty() {
        return Err(Refusal::at("reason", msg!("dispute.reason_required")).into());
    }
    let before = verified_complaints(tx, code)?;
    let pause = dec.pause_days.unwrap_or(3);
    let deposit = dec.deposit_fen.unwrap_or(0);
    if dec.outcome == dispute::Outcome::MerchantDeposit && deposit <= 0 {
        return Err(Refusal::at("deposit", msg!("dispute.deposit_invalid")).into());
    }
    let p = dispute::merchant_penalty(dec.outcome, pause, deposit, before)
        .ok_or_else(|| Refusal::at("outcome", msg!("dispute.outcome_for_members")))?;
    if p.effects.ends && !by.is_master() {
        return Err(Refusal::at("outcome", msg!("dispute.merchant_end_master")).into());
    }
    let why = if p.effects.ends {
        format!(
            "{reason} ({}/{})",
            p.verified,
            dispute::MERCHANT_COMPLAINTS_END
        )
    } else {
        reason.to_string()
    };
    let v = Violation {
        severity: p.severity,
        effects: p.effects,
        reason: &why,
    };
    apply_violation(tx, by, *merchant_id, &v, at, &settings.merchant_grades)?;
    fx.standing
        .push(format!("merchant:{}", dec.outcome.as_str()));
    fx.standing.push(format!("complaints:{}", p.verified));
    if p.effects.ends {
        fx.standing.push("merchant:ended".into());
    }
    Ok(())
}

impl Store {
    /// Verified complaints against a merchant so far (the 清退 count).
    pub fn merchant_complaints(&self, merchant_id: i64) -> StoreResult<u32> {
        let code: Option<String> = self
            .conn
            .query_row(
                "SELECT code FROM merchants WHERE id = ?1",
                [merchant_id],
                |r| r.get(0),
            )
            .optional()?;
        match code {
            Some(c) => verified_complaints(&self.conn, &c),
            None => Ok(0),
        }
    }

    /// Mark a case decided with the provider at fault as a verified serious
    /// complaint: a serious-complaint record on the provider, who, if star
    /// or honor, goes to ordinary at once. The station master's.
    pub fn mark_serious(
        &mut self,
        by: &Session,
        id: i64,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<DisputeRow> {
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return Err(Refusal::at("reason", msg!("dispute.reason_required")).into());
        }
        let settings = self.settings().clone();
        let tz = self.tz();
        self.write(|tx| {
            let d = dispute(tx, id)?;
            dispute::check_serious(d.outcome, d.serious)?;
            let record = d
                .record_id
                .ok_or_else(|| Refusal::general(msg!("dispute.needs_record")))?;
            let provider: i64 = tx.query_row(
                "SELECT provider_id FROM service_records WHERE id = ?1",
                [record],
                |r| r.get(0),
            )?;
            let c = Ctx { by, settings: &settings, tz, at };
            let source = format!("dispute:{id}");
            let cause = standing::record_warning(c, tx, provider, true, &reason, Some(&source))?;
            tx.execute("UPDATE disputes SET updated_at = ?1 WHERE id = ?2", params![at, id])?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "dispute.serious",
                "dispute",
                id,
                json!({"provider": provider, "reason": reason, "downgraded": cause.map(|c| c.as_str())}),
            )?;
            dispute(tx, id)
        })
    }
}
