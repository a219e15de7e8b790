//! A member's death (docs/rules.md §4): an honor member's balance passes to
//! the heir registered while they lived — a member, or someone who is not,
//! for whom an account is opened in the same transaction — or to the pool
//! at the heir's written request; anyone else's is cleared to the pool.

use super::ledger::{NewTransfer, POOL, Posted, member_account, post};
use super::{Store, StoreResult, audit};
use crate::domain::estate::{self, EstateTo};
use crate::domain::ledger::TransferKind;
use crate::domain::level::Level;
use crate::domain::member::MemberStatus;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, params};
use serde_json::json;

/// What settling an estate is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstateInput {
    pub death_certificate: String,
    /// The heir, a member.
    pub heir_member: Option<i64>,
    /// The heir's name when they are not a member.
    pub heir_name: String,
    pub kinship_proof: String,
    /// The heir's written request that the points go to the pool.
    pub written_request: String,
}

/// Open the heir's own account (`h:<member number>`): they are not a member.
fn heir_account(conn: &Connection, number: &str, at: Stamp) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO accounts (kind, code, created_at) VALUES ('heir', ?1, ?2)",
        params![format!("h:{number}"), at],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Store {
    /// A member has died: an honor member's balance passes to the
    /// registered heir (a member), with the death certificate and kinship
    /// proof recorded; anyone else's balance is cleared to the station pool.
    pub fn settle_estate(
        &mut self,
        by: &Session,
        member_id: i64,
        heir_member: Option<i64>,
        death_certificate: &str,
        kinship_proof: &str,
        at: Stamp,
    ) -> StoreResult<Option<Posted>> {
        let e = EstateInput {
            death_certificate: death_certificate.into(),
            heir_member,
            kinship_proof: kinship_proof.into(),
            ..EstateInput::default()
        };
        self.settle_estate_with(by, member_id, &e, at)
    }

    /// Settle an estate every way the rules allow (see [`estate::route`]).
    pub fn settle_estate_with(
        &mut self,
        by: &Session,
        member_id: i64,
        e: &EstateInput,
        at: Stamp,
    ) -> StoreResult<Option<Posted>> {
        // Long because: every check and write of a settlement inside its one transaction, in the order the rules give them; split, the checks would pass the transaction and the heir around.
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        let death_certificate = e.death_certificate.trim();
        if death_certificate.is_empty() {
            return Err(
                Refusal::at("death_certificate", msg!("estate.certificate_required")).into(),
            );
        }
        let to = estate::route(e.heir_member, &e.heir_name, &e.written_request)?;
        let (heir_name, kinship) = (e.heir_name.trim(), e.kinship_proof.trim());
        self.write(|tx| {
            let row = super::members::member_row(tx, member_id)?;
            if row.status != MemberStatus::Approved {
                return Err(Refusal::general(msg!("estate.not_active")).into());
            }
            let (registered, relation): (Option<String>, Option<String>) = tx.query_row(
                "SELECT CASE WHEN heir_registered_at IS NOT NULL THEN heir_name END, heir_relation FROM members WHERE id = ?1",
                [member_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            estate::check_route(to, row.level == Level::Honor, registered.as_deref(), heir_name, kinship)?;
            if let EstateTo::HeirMember(heir) = to {
                if heir == member_id {
                    return Err(Refusal::at("heir", msg!("estate.heir_self")).into());
                }
                // the heir is a living, approved member: not a pending or
                // rejected application, not someone whose estate is settled
                let heir = super::members::member_row(tx, heir)
                    .map_err(|_| Refusal::at("heir", msg!("member.unknown")))?;
                if heir.status != MemberStatus::Approved {
                    return Err(Refusal::at("heir", msg!("estate.heir_not_member")).into());
                }
            }
            let kind = match to {
                EstateTo::HeirMember(_) | EstateTo::HeirAccount => TransferKind::Inheritance,
                EstateTo::Pool | EstateTo::HeirWaives => TransferKind::Clearance,
            };
            let acct = member_account(tx, member_id, at)?;
            let balance: i64 = tx.query_row("SELECT balance FROM accounts WHERE id = ?1", [acct], |r| r.get(0))?;
            let number = row.number.clone().unwrap_or_else(|| member_id.to_string());
            let to_account = match to {
                EstateTo::HeirMember(h) => member_account(tx, h, at)?,
                EstateTo::HeirAccount => heir_account(tx, &number, at)?,
                EstateTo::Pool | EstateTo::HeirWaives => POOL,
            };
            let posted = if balance > 0 {
                let mut t = NewTransfer::new(kind, balance, acct, to_account, Some(by.staff_id), at);
                t.source = Some(format!("estate:{member_id}"));
                t.idem_key = Some(format!("estate:{member_id}"));
                Some(post(tx, t)?)
            } else {
                None
            };
            let heir_member = match to {
                EstateTo::HeirMember(h) => Some(h),
                EstateTo::Pool | EstateTo::HeirAccount | EstateTo::HeirWaives => None,
            };
            tx.execute(
                "INSERT INTO estate_settlements (member_id, kind, heir_member_id, death_certificate, kinship_proof, transfer_id, at, by_staff)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    member_id,
                    kind.as_str(),
                    heir_member,
                    death_certificate,
                    Some(kinship).filter(|s| !s.is_empty()),
                    posted.as_ref().map(|p| p.row.id.clone()),
                    at,
                    by.staff_id
                ],
            )?;
            let estate_id = tx.last_insert_rowid();
            if matches!(to, EstateTo::HeirAccount | EstateTo::HeirWaives) {
                let request = Some(e.written_request.trim()).filter(|_| to == EstateTo::HeirWaives);
                tx.execute(
                    "INSERT INTO estate_heirs (estate_id, name, relation, kinship_proof, account_id, written_request) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        estate_id,
                        heir_name,
                        relation.unwrap_or_default(),
                        kinship,
                        (to == EstateTo::HeirAccount).then_some(to_account),
                        request
                    ],
                )?;
            }
            tx.execute("UPDATE members SET status = 'deceased', ended_at = ?1, updated_at = ?1 WHERE id = ?2", params![at, member_id])?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.estate",
                "member",
                member_id,
                json!({"kind": kind.as_str(), "heir": heir_member, "heir_name": Some(heir_name).filter(|n| !n.is_empty()),
                       "heir_account": (to == EstateTo::HeirAccount).then_some(to_account),
                       "written_request": to == EstateTo::HeirWaives, "amount": balance, "certificate": death_certificate}),
            )?;
            Ok(posted)
        })
    }

    /// The account opened for a deceased member's heir who is not a member:
    /// its code and balance (the statement shows it).
    pub fn heir_account_of(&self, member_id: i64) -> StoreResult<Option<(String, String, i64)>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT h.name, a.code, a.balance FROM estate_settlements s JOIN estate_heirs h ON h.estate_id = s.id
                 JOIN accounts a ON a.id = h.account_id WHERE s.member_id = ?1",
                [member_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }
}
