//! Corrections with four eyes: a reversal or an adjustment is entered by
//! one staff member and waits, unposted, until a different station master
//! approves it. Only then is a transfer posted, naming both.

use super::ledger::{self, NewTransfer, POOL, Posted, Reversal};
use super::{Store, StoreResult, audit};
use crate::domain::correction::{self, CorrectionKind, Decision, Direction};
use crate::domain::ledger::TransferKind;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

mod sql;
use sql::*;

/// What a staff member asks to correct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// Undo `amount` of a posted transfer.
    Reversal { transfer_id: String, amount: i64 },
    /// Give a member points from the pool, or take them back to it.
    Adjustment {
        member_id: i64,
        direction: Direction,
        amount: i64,
    },
}

/// A correction as the desk shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRow {
    pub id: i64,
    pub kind: CorrectionKind,
    pub transfer_id: Option<String>,
    /// The member whose points move (for a reversal: the one who received
    /// the original transfer, if a member).
    pub member: Option<(String, String)>,
    /// From → to, as account codes, of the transfer that approval would post.
    pub from: String,
    pub to: String,
    pub amount: i64,
    pub reason: String,
    pub proposed_by: (i64, String, String),
    pub proposed_at: Stamp,
    pub outcome: Option<String>,
    pub decided_by: Option<String>,
    pub posted_transfer: Option<String>,
}

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<CorrectionRow> {
    let kind = CorrectionKind::parse(&r.get::<_, String>(1)?).unwrap_or(CorrectionKind::Reversal);
    let direction: Option<String> = r.get(12)?;
    let member_code: Option<String> = r.get(13)?;
    let member_name: Option<String> = r.get(14)?;
    let subject: String = r.get(15)?;
    let other: String = r.get(16)?;
    // a reversal moves points back: from whoever got them to whoever paid
    let (from, to) = match (kind, direction.as_deref()) {
        (CorrectionKind::Reversal, _) => (subject, other),
        (CorrectionKind::Adjustment, Some("debit")) => (subject, "pool".to_string()),
        (CorrectionKind::Adjustment, _) => ("pool".to_string(), subject),
    };
    Ok(CorrectionRow {
        id: r.get(0)?,
        kind,
        transfer_id: r.get(2)?,
        member: match (member_code, member_name) {
            (Some(c), Some(n)) if c.starts_with("m:") => Some((c[2..].to_string(), n)),
            _ => None,
        },
        from,
        to,
        amount: r.get(3)?,
        reason: r.get(4)?,
        proposed_by: (r.get(5)?, r.get(6)?, r.get(7)?),
        proposed_at: r.get(8)?,
        outcome: r.get(9)?,
        decided_by: r.get(10)?,
        posted_transfer: r.get(11)?,
    })
}

/// Points of a transfer already reversed or asked to be reversed by an open
/// correction, so two proposals cannot together undo more than it moved.
fn claimed(conn: &Connection, transfer_id: &str) -> StoreResult<i64> {
    let open: i64 = conn.query_row(CLAIMED_SELECT_CORRECTIONS, [transfer_id], |r| r.get(0))?;
    Ok(ledger::reversed_so_far(conn, transfer_id)? + open)
}

/// The checks a proposal must pass now (and, for the ledger's own rules,
/// again when it is approved): what to post, from which account to which.
fn check(conn: &Connection, p: &Proposal, at: Stamp) -> StoreResult<(i64, i64)> {
    match p {
        Proposal::Reversal {
            transfer_id,
            amount,
        } => {
            let orig: Option<(i64, i64, i64)> = conn
                .query_row(CHECK_SELECT_TRANSFERS, [transfer_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let (orig_amount, debit, credit) =
                orig.ok_or_else(|| Refusal::general(msg!("ledger.unknown_transfer")))?;
            crate::domain::ledger::check_reversal(
                orig_amount,
                claimed(conn, transfer_id)?,
                *amount,
            )?;
            let from = ledger::side(conn, credit, at)?;
            if from.is_member && from.balance < *amount {
                return Err(Refusal::at(
                    "amount",
                    msg!("ledger.short", have = from.balance, need = amount),
                )
                .into());
            }
            Ok((credit, debit))
        }
        Proposal::Adjustment {
            member_id,
            direction,
            amount,
        } => {
            if *amount <= 0 {
                return Err(Refusal::at("amount", msg!("ledger.amount_positive")).into());
            }
            let account = ledger::member_account(conn, *member_id, at)?;
            let (debit, credit) = match direction {
                Direction::Credit => (POOL, account),
                Direction::Debit => (account, POOL),
            };
            let payer = ledger::side(conn, debit, at)?;
            if payer.is_member && payer.balance < *amount {
                return Err(Refusal::at(
                    "amount",
                    msg!("ledger.short", have = payer.balance, need = amount),
                )
                .into());
            }
            Ok((debit, credit))
        }
    }
}

impl Store {
    /// Enter a correction. Nothing is posted until a different station
    /// master approves it. Returns the correction's id.
    pub fn propose_correction(
        &mut self,
        by: &Session,
        p: &Proposal,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<i64> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::at("reason", msg!("ledger.reason_required")).into());
        }
        self.write(|tx| {
            check(tx, p, at)?;
            let (kind, transfer_id, member_id, direction, amount) = match p {
                Proposal::Reversal {
                    transfer_id,
                    amount,
                } => (
                    CorrectionKind::Reversal,
                    Some(transfer_id.as_str()),
                    None,
                    None,
                    *amount,
                ),
                Proposal::Adjustment {
                    member_id,
                    direction,
                    amount,
                } => (
                    CorrectionKind::Adjustment,
                    None,
                    Some(*member_id),
                    Some(direction.as_str()),
                    *amount,
                ),
            };
            tx.execute(
                PROPOSE_CORRECTION_INSERT_CORRECTIONS,
                params![
                    kind.as_str(),
                    transfer_id,
                    member_id,
                    direction,
                    amount,
                    reason,
                    by.staff_id,
                    at
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "correction.propose",
                "correction",
                id,
                json!({"kind": kind.as_str(), "transfer": transfer_id, "member": member_id,
                       "direction": direction, "amount": amount, "reason": reason}),
            )?;
            Ok(id)
        })
    }

    /// Corrections waiting for a decision, oldest first.
    pub fn open_corrections(&self) -> StoreResult<Vec<CorrectionRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{ROW} WHERE c.outcome IS NULL ORDER BY c.proposed_at, c.id"
        ))?;
        let rows = stmt.query_map([], read)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn correction(&self, id: i64) -> StoreResult<Option<CorrectionRow>> {
        Ok(self
            .conn
            .query_row(&format!("{ROW} WHERE c.id = ?1"), [id], read)
            .optional()?)
    }

    /// Approve (posts the transfer), refuse (with a note) or withdraw (the
    /// author only). Returns the posted transfer on approval.
    pub fn decide_correction(
        &mut self,
        by: &Session,
        id: i64,
        decision: Decision,
        note: &str,
        at: Stamp,
    ) -> StoreResult<Option<Posted>> {
        let note = note.trim();
        if decision == Decision::Refuse && note.is_empty() {
            return Err(Refusal::at("reason", msg!("correction.refusal_reason")).into());
        }
        self.write(|tx| {
            let open = load(tx, id)?.ok_or_else(|| Refusal::general(msg!("correction.unknown")))?;
            if open.outcome.is_some() {
                return Err(Refusal::general(msg!("correction.already_decided")).into());
            }
            correction::check_decision(open.proposed_by, by, decision)?;
            let posted = if decision == Decision::Approve {
                let p = open.proposal.ok_or_else(|| {
                    super::StoreError::Other(format!("correction {id} is malformed"))
                })?;
                Some(
                    post(tx, &p, &open.reason, open.proposed_by, by.staff_id, at)
                        .map_err(spent_since)?,
                )
            } else {
                None
            };
            tx.execute(
                DECIDE_CORRECTION_UPDATE_CORRECTIONS,
                params![
                    id,
                    decision.outcome(),
                    by.staff_id,
                    at,
                    (!note.is_empty()).then_some(note),
                    posted.as_ref().map(|p| p.row.id.as_str())
                ],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                match decision {
                    Decision::Approve => "correction.approve",
                    Decision::Refuse => "correction.refuse",
                    Decision::Withdraw => "correction.withdraw",
                },
                "correction",
                id,
                json!({"note": note, "transfer": posted.as_ref().map(|p| p.row.id.clone())}),
            )?;
            Ok(posted)
        })
    }
}

/// The member spent the points after the correction was entered: say what
/// the approver can do instead of only that there are too few.
fn spent_since(e: super::StoreError) -> super::StoreError {
    match e {
        super::StoreError::Refused(r) if r.msg.key == "ledger.short" => {
            let arg = |k: &str| {
                r.msg
                    .args
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            Refusal::general(msg!(
                "correction.spent_since",
                have = arg("have"),
                need = arg("need")
            ))
            .into()
        }
        other => other,
    }
}

/// A correction as stored, for deciding it.
struct Stored {
    proposed_by: i64,
    /// None only if the row contradicts its own kind (the schema prevents it).
    proposal: Option<Proposal>,
    reason: String,
    outcome: Option<String>,
}

fn load(tx: &Connection, id: i64) -> StoreResult<Option<Stored>> {
    Ok(tx
        .query_row(LOAD_SELECT_CORRECTIONS, [id], |r| {
            let amount: i64 = r.get(5)?;
            let kind: String = r.get(1)?;
            let direction: Option<String> = r.get(4)?;
            let proposal = match (
                CorrectionKind::parse(&kind),
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
                direction.as_deref().and_then(Direction::parse),
            ) {
                (Some(CorrectionKind::Reversal), Some(transfer_id), _, _) => {
                    Some(Proposal::Reversal {
                        transfer_id,
                        amount,
                    })
                }
                (Some(CorrectionKind::Adjustment), _, Some(member_id), Some(direction)) => {
                    Some(Proposal::Adjustment {
                        member_id,
                        direction,
                        amount,
                    })
                }
                _ => None,
            };
            Ok(Stored {
                proposed_by: r.get(0)?,
                proposal,
                reason: r.get(6)?,
                outcome: r.get(7)?,
            })
        })
        .optional()?)
}

/// Post an approved correction: entered by `proposer`, approved by `approver`.
fn post(
    tx: &Connection,
    p: &Proposal,
    reason: &str,
    proposer: i64,
    approver: i64,
    at: Stamp,
) -> StoreResult<Posted> {
    // `reverse` and `post` apply the ledger's rules again: balances may
    // have moved since the correction was entered
    match p {
        Proposal::Reversal {
            transfer_id,
            amount,
        } => ledger::reverse(
            tx,
            Reversal {
                kind: TransferKind::Reversal,
                transfer_id,
                amount: *amount,
                reason,
                staff_id: Some(proposer),
                approved_by: Some(approver),
                source: None,
                at,
            },
        ),
        Proposal::Adjustment {
            member_id,
            direction,
            amount,
        } => {
            let account = ledger::member_account(tx, *member_id, at)?;
            let (debit, credit) = match direction {
                Direction::Credit => (POOL, account),
                Direction::Debit => (account, POOL),
            };
            let mut t = NewTransfer::new(
                TransferKind::Adjustment,
                *amount,
                debit,
                credit,
                Some(proposer),
                at,
            );
            t.approved_by = Some(approver);
            t.memo = Some(reason.to_string());
            ledger::post(tx, t)
        }
    }
}
