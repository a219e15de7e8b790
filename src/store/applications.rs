//! Applying again: a rejected applicant may (docs/rules.md §4), with the
//! earlier rejections kept and shown at the review; a rejection that found
//! the identity false, or a blacklisting, refuses the person for ever.
//!
//! The rejections are read from the audit log (`member.reject` rows of the
//! member: reason, staff, time, whether the identity was false): it is
//! append-only and chained, so "for ever" cannot be edited away, and the
//! member's own row is reused for the new application (one person, one row:
//! the identity hash is unique).

use super::members::{MemberRow, NewMember, insert_services, member_row};
use super::{StoreResult, audit};
use crate::domain::member::{self, Earlier, MemberStatus};
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// An earlier rejection of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub at: Stamp,
    /// The staff number of who rejected it.
    pub staff: String,
    pub reason: String,
    pub false_identity: bool,
}

/// Every rejection of this member's applications, newest first.
pub fn rejections(conn: &Connection, member_id: i64) -> StoreResult<Vec<Rejection>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.at, coalesce(s.staff_no, ''), coalesce(json_extract(a.detail, '$.reason'), ''),
                coalesce(json_extract(a.detail, '$.false_identity'), 0)
         FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
         WHERE a.entity = 'member' AND a.entity_id = ?1 AND a.action = 'member.reject'
         ORDER BY a.seq DESC",
    )?;
    let rows = stmt
        .query_map([member_id.to_string()], |r| {
            Ok(Rejection {
                at: r.get(0)?,
                staff: r.get(1)?,
                reason: r.get(2)?,
                false_identity: r.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The person with this identity hash, if on file, as the rule reads them.
pub(super) fn earlier(conn: &Connection, id_hash: &str) -> StoreResult<Option<(i64, Earlier)>> {
    let found: Option<(i64, Option<String>, String, bool)> = conn
        .query_row(
            "SELECT id, number, status, blacklisted_at IS NOT NULL FROM members WHERE id_hash = ?1",
            [id_hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, number, status, blacklisted)) = found else {
        return Ok(None);
    };
    let false_identity = rejections(conn, id)?.iter().any(|r| r.false_identity);
    let status = MemberStatus::parse(&status).unwrap_or(MemberStatus::Pending);
    Ok(Some((
        id,
        Earlier {
            number,
            status,
            blacklisted,
            false_identity,
        },
    )))
}

/// The rejected applicant's new application, on their own row: pending
/// again, the decision cleared (it stays in the audit log), the details and
/// services as given now.
pub(super) fn apply_again(
    tx: &Connection,
    by: &Session,
    id: i64,
    m: &NewMember,
    masked: &str,
    at: Stamp,
) -> StoreResult<MemberRow> {
    let before: (Option<Stamp>, Option<String>) = tx.query_row(
        "SELECT decided_at, reject_reason FROM members WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute(
        "UPDATE members SET name = ?1, phone = ?2, id_kind = ?3, id_masked = ?4, residence_proof = ?5, community = ?6,
            building = ?7, emergency_name = ?8, emergency_phone = ?9, filled_by_family = ?10, applicant_confirmed = ?11,
            recommender_id = ?12, recommender_signed = ?13, master_note = ?14, channel = ?15, status = 'pending',
            submitted_at = ?16, submitted_by = ?17, decided_at = NULL, decided_by = NULL, reject_reason = NULL,
            notified_at = NULL, notified_by = NULL, notify_note = NULL, updated_at = ?16
         WHERE id = ?18",
        params![
            m.name,
            m.phone,
            m.id_kind.as_str(),
            masked,
            m.residence_proof,
            m.community,
            m.building,
            m.emergency_name,
            m.emergency_phone,
            m.filled_by_family,
            m.applicant_confirmed,
            m.recommender,
            m.recommender_signed,
            m.note,
            if m.online { "online" } else { "desk" },
            at,
            by.staff_id,
            id,
        ],
    )?;
    tx.execute("DELETE FROM member_services WHERE member_id = ?1", [id])?;
    insert_services(tx, id, m)?;
    audit::log(
        tx,
        at,
        Some(by.staff_id),
        "member.reapply",
        "member",
        id,
        json!({"name": m.name, "phone": member::mask_phone(&m.phone), "id": masked, "community": m.community,
               "recommender": m.recommender, "offers": m.offers, "needs": m.needs, "online": m.online,
               "rejected_at": before.0, "rejected_for": before.1}),
    )?;
    member_row(tx, id)
}

/// A liaison's review of a pending application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub at: Stamp,
    pub staff: String,
    pub note: String,
}

/// The liaison's review of the application as it now stands (since its
/// submission), if any.
pub fn check_of(conn: &Connection, row: &MemberRow) -> StoreResult<Option<Check>> {
    if row.status != MemberStatus::Pending {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT a.at, coalesce(s.staff_no, ''), coalesce(json_extract(a.detail, '$.note'), '')
             FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
             WHERE a.entity = 'member' AND a.entity_id = ?1 AND a.action = 'member.review_check' AND a.at >= ?2
             ORDER BY a.seq DESC LIMIT 1",
            params![row.id.to_string(), row.submitted_at],
            |r| {
                Ok(Check {
                    at: r.get(0)?,
                    staff: r.get(1)?,
                    note: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Record a liaison's review (the handbook's 联络员 step); the station
/// master's approval then assigns the number. One review per application.
pub(super) fn record_check(
    tx: &Connection,
    by: &Session,
    id: i64,
    note: &str,
    at: Stamp,
) -> StoreResult<MemberRow> {
    let row = member_row(tx, id)?;
    if let Some(c) = check_of(tx, &row)? {
        return Err(crate::msg::Refusal::general(crate::msg!(
            "review.awaiting_master",
            staff = c.staff
        ))
        .into());
    }
    audit::log(
        tx,
        at,
        Some(by.staff_id),
        "member.review_check",
        "member",
        id,
        json!({"note": note}),
    )?;
    Ok(row)
}
