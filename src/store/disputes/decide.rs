//! Deciding a dispute: the outcome and every effect on accounts, standing and records, in one transaction.

use super::*;

impl Store {
    /// Decide a dispute: the outcome and every effect in one transaction.
    pub fn decide_dispute(
        &mut self,
        by: &Session,
        id: i64,
        dec: &Decision,
        at: Stamp,
    ) -> StoreResult<(DisputeRow, Effects)> {
        // Long because: one arm per outcome, each posting its effects in the one transaction through the shared `reverse_part` closure over the service row; split, every arm would take the service, source, reason and effects as arguments.
        let settings = self.settings().clone();
        let tz = self.tz();
        let reason = dec.reason.trim().to_string();
        let severity = dec.severity.as_deref().and_then(Severity::parse);
        let refused = match dec.outcome {
            Outcome::Mediated if !by.is_master() => {
                Some(Refusal::at("outcome", msg!("dispute.master_mediates")))
            }
            Outcome::Violation if severity != Some(Severity::Minor) && !by.is_master() => {
                Some(Refusal::at("severity", msg!("violation.master_only")))
            }
            Outcome::Violation if severity.is_none() => {
                Some(Refusal::at("severity", msg!("dispute.severity_required")))
            }
            Outcome::Dismissed | Outcome::Violation if reason.is_empty() => {
                Some(Refusal::at("reason", msg!("dispute.reason_required")))
            }
            Outcome::MerchantSuspension | Outcome::MerchantDeposit if !by.is_master() => {
                Some(Refusal::at("outcome", msg!("dispute.master_only_outcome")))
            }
            _ => None,
        };
        if let Some(r) = refused {
            return Err(r.into());
        }
        if let Some(p) = dec.split_pct
            && p > 100
        {
            return Err(Refusal::at("split", msg!("dispute.split_range")).into());
        }
        self.write(|tx| {
            let d = dispute(tx, id)?;
            if d.suggestion {
                return Err(Refusal::general(msg!("dispute.is_suggestion")).into());
            }
            if d.decided_at.is_some() {
                return Err(Refusal::general(msg!("dispute.already_decided")).into());
            }
            dec.outcome.check_fits(d.merchant.is_some())?;
            let c = Ctx {
                by,
                settings: &settings,
                tz,
                at,
            };
            let source = format!("dispute:{id}");
            let mut fx = Effects::default();
            // the service in question: its provider, requester, transfer
            let service = match d.record_id {
                Some(rec) => {
                    Some(
                        tx.query_row(DECIDE_DISPUTE_SELECT_SERVICE_RECORDS, [rec], |r| {
                            Ok((
                                r.get::<_, i64>(0)?,
                                r.get::<_, i64>(1)?,
                                r.get::<_, u32>(2)?,
                                r.get::<_, String>(3)?,
                                r.get::<_, i64>(4)?,
                            ))
                        })?,
                    )
                }
                None => None,
            };
            let needs_record = matches!(
                dec.outcome,
                Outcome::ProviderFault | Outcome::RequesterFault | Outcome::Mediated
            );
            if needs_record && service.is_none() {
                return Err(Refusal::at("outcome", msg!("dispute.needs_record")).into());
            }
            let reverse_part = |tx: &Connection,
                                amount: i64,
                                kind: TransferKind,
                                fx: &mut Effects|
             -> StoreResult<()> {
                let (provider, _, _, tid, orig) = service.clone().expect("checked above");
                let left = orig - ledger::reversed_so_far(tx, &tid)?;
                let due = amount.min(left);
                take(
                    tx,
                    provider,
                    due,
                    |n| {
                        ledger::reverse(
                            tx,
                            Reversal {
                                kind,
                                transfer_id: &tid,
                                amount: n,
                                reason: &reason,
                                staff_id: Some(by.staff_id),
                                approved_by: None,
                                source: Some(source.clone()),
                                at,
                            },
                        )
                    },
                    Why {
                        reason: &reason,
                        source: &source,
                        at,
                    },
                    fx,
                )
            };
            match dec.outcome {
                Outcome::ProviderFault => {
                    let (provider, ..) = service.clone().expect("checked");
                    reverse_part(tx, i64::MAX, TransferKind::Reversal, &mut fx)?;
                    standing::record_warning(
                        c,
                        tx,
                        provider,
                        false,
                        if reason.is_empty() {
                            "服务者责任"
                        } else {
                            &reason
                        },
                        Some(&source),
                    )?;
                    fx.standing.push("warning".into());
                }
                Outcome::RequesterFault => {
                    let (_, requester, ..) = service.clone().expect("checked");
                    standing::record_bad_credit(
                        c,
                        tx,
                        requester,
                        if reason.is_empty() {
                            "恶意投诉"
                        } else {
                            &reason
                        },
                        Some(&source),
                    )?;
                    fx.standing.push("bad_credit".into());
                }
                Outcome::Mediated => {
                    let (.., tid, orig) = service.clone().expect("checked");
                    let left = orig - ledger::reversed_so_far(tx, &tid)?;
                    let pct = dec.split_pct.unwrap_or(50);
                    reverse_part(
                        tx,
                        dispute::split_points(left, pct),
                        TransferKind::DisputeSplit,
                        &mut fx,
                    )?;
                }
                Outcome::Violation => {
                    let target = match dec.target.as_deref() {
                        Some("a") => d.party_a.as_ref().map(|p| p.0),
                        Some("b") => d.party_b.as_ref().map(|p| p.0),
                        _ => None,
                    }
                    .ok_or_else(|| Refusal::at("target", msg!("dispute.target_required")))?;
                    let severity = severity.expect("checked");
                    standing::record_violation(c, tx, target, severity, &reason, Some(&source))?;
                    fx.standing.push(format!("violation:{}", severity.as_str()));
                    // falsely reported time is deducted double: twice the
                    // over-reported part, asked for on the form
                    let on_provider = severity == Severity::Moderate
                        && service.as_ref().is_some_and(|s| s.0 == target);
                    let over = match (on_provider, dec.over_minutes) {
                        (true, None) => {
                            return Err(
                                Refusal::at("over_minutes", msg!("dispute.over_required")).into()
                            );
                        }
                        (false, Some(m)) if m > 0 => {
                            return Err(Refusal::at(
                                "over_minutes",
                                msg!("dispute.over_not_provider"),
                            )
                            .into());
                        }
                        (true, Some(m)) => m,
                        (false, _) => 0,
                    };
                    let due = match &service {
                        Some((_, _, minutes, ..)) => {
                            dispute::double_deduction(over, *minutes, settings.points_per_hour)?
                        }
                        None => 0,
                    };
                    if due > 0 {
                        let acct = ledger::member_account(tx, target, at)?;
                        take(
                            tx,
                            target,
                            due,
                            |n| {
                                let mut t = NewTransfer::new(
                                    TransferKind::Penalty,
                                    n,
                                    acct,
                                    POOL,
                                    Some(by.staff_id),
                                    at,
                                );
                                t.source = Some(source.clone());
                                t.memo = Some(reason.clone());
                                ledger::post(tx, t)
                            },
                            Why {
                                reason: &reason,
                                source: &source,
                                at,
                            },
                            &mut fx,
                        )?;
                    }
                }
                Outcome::Dismissed => {}
                Outcome::MerchantWarning
                | Outcome::MerchantSuspension
                | Outcome::MerchantDeposit => {
                    super::super::complaints::merchant_outcome(
                        tx, by, &d, dec, &reason, &settings, at, &mut fx,
                    )?;
                }
            }
            let mut detail = serde_json::to_value(dec)?;
            detail["effects"] = serde_json::to_value(&fx)?;
            tx.execute(
                DECIDE_DISPUTE_UPDATE_DISPUTES,
                params![
                    at,
                    by.staff_id,
                    dec.outcome.as_str(),
                    detail.to_string(),
                    id
                ],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "dispute.decide",
                "dispute",
                id,
                detail,
            )?;
            Ok((dispute(tx, id)?, fx))
        })
    }
}
