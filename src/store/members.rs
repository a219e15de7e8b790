//! Members: registration, review, member numbers, time cards, and the
//! queries behind the members pane and the search index.

use super::{Store, StoreError, StoreResult, audit, new_uid};
use crate::domain::level::Level;
use crate::domain::member::{self, IdKind, MemberNumber, MemberStatus, RecommenderFacts};
use crate::domain::search::SearchEntry;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

mod sql;
use sql::*;
mod cards;
mod detail;
pub use detail::MemberDetail;

/// A registration as the desk collected it, already checked field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub name: String,
    pub phone: String,
    pub id_kind: IdKind,
    /// The canonical identity number; hashed and masked here, never stored.
    pub id_number: String,
    pub residence_proof: String,
    pub community: String,
    pub building: String,
    pub emergency_name: String,
    pub emergency_phone: String,
    pub filled_by_family: bool,
    pub applicant_confirmed: bool,
    pub offers: Vec<i64>,
    pub needs: Vec<i64>,
    pub recommender: Option<i64>,
    pub recommender_signed: bool,
    pub note: Option<String>,
    pub online: bool,
}

/// A member as lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub id: i64,
    pub number: Option<String>,
    pub name: String,
    pub phone: String,
    pub status: MemberStatus,
    pub level: Level,
    pub community: String,
    pub building: String,
    pub submitted_at: Stamp,
    pub decided_at: Option<Stamp>,
    pub notified_at: Option<Stamp>,
    pub reject_reason: Option<String>,
    pub has_recommender: bool,
    pub online: bool,
    pub blacklisted: bool,
    pub trust_score: i64,
}

const ROW_COLS: &str = "m.id, m.number, m.name, m.phone, m.status, m.level, m.community, m.building, m.submitted_at, \
    m.decided_at, m.notified_at, m.reject_reason, m.recommender_id IS NOT NULL, m.channel = 'online', \
    m.blacklisted_at IS NOT NULL, m.trust_score";

fn row_of(r: &Row<'_>) -> rusqlite::Result<MemberRow> {
    Ok(MemberRow {
        id: r.get(0)?,
        number: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        status: MemberStatus::parse(&r.get::<_, String>(4)?).unwrap_or(MemberStatus::Pending),
        level: Level::parse(&r.get::<_, String>(5)?).unwrap_or(Level::Ordinary),
        community: r.get(6)?,
        building: r.get(7)?,
        submitted_at: r.get(8)?,
        decided_at: r.get(9)?,
        notified_at: r.get(10)?,
        reject_reason: r.get(11)?,
        has_recommender: r.get(12)?,
        online: r.get(13)?,
        blacklisted: r.get(14)?,
        trust_score: r.get(15)?,
    })
}

/// A time card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub serial: String,
    pub issued_at: Stamp,
    pub voided_at: Option<Stamp>,
    pub void_reason: Option<String>,
}

pub fn member_row(conn: &Connection, id: i64) -> StoreResult<MemberRow> {
    conn.query_row(
        &format!("SELECT {ROW_COLS} FROM members m WHERE m.id = ?1"),
        [id],
        row_of,
    )
    .optional()?
    .ok_or_else(|| Refusal::general(msg!("member.unknown")).into())
}

/// Facts for the recommender rule, read in the current transaction.
pub fn recommender_facts(
    conn: &Connection,
    id: i64,
    at: Stamp,
) -> StoreResult<Option<RecommenderFacts>> {
    // every violation still on record counts, minor ones included
    let mut stmt = conn.prepare_cached(RECOMMENDER_FACTS_SELECT_VIOLATIONS)?;
    let active_violation = stmt
        .query_map([id], |r| {
            Ok((r.get::<_, Stamp>(0)?, r.get::<_, Option<Stamp>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .any(|(v_at, until)| crate::domain::violation::on_record(v_at, until, at));
    Ok(conn
        .query_row(RECOMMENDER_FACTS_SELECT_MEMBERS, params![id], |r| {
            let status =
                MemberStatus::parse(&r.get::<_, String>(0)?).unwrap_or(MemberStatus::Pending);
            Ok(RecommenderFacts {
                member_id: id,
                status,
                approved_at: if status == MemberStatus::Approved {
                    r.get(1)?
                } else {
                    None
                },
                blacklisted: r.get(2)?,
                active_violation,
            })
        })
        .optional()?)
}

/// The services an application offers and needs, as its form listed them.
pub(super) fn insert_services(tx: &Connection, id: i64, m: &NewMember) -> StoreResult<()> {
    for (role, list) in [("offer", &m.offers), ("need", &m.needs)] {
        for t in list {
            tx.execute(REGISTER_MEMBER_INSERT_MEMBER_SERVICES, params![id, t, role])?;
        }
    }
    Ok(())
}

fn mask_for_audit(phone: &str) -> String {
    member::mask_phone(phone)
}

impl Store {
    /// The key that signs what the station sends to headquarters.
    pub fn signer(&self) -> StoreResult<crate::domain::signing::StationSigner> {
        self.secret_key()
            .map(|k| crate::domain::signing::StationSigner::from_secret(&k))
    }

    fn secret_key(&self) -> StoreResult<[u8; 32]> {
        self.secret.ok_or_else(|| {
            Refusal::general(msg!(
                "member.key_missing",
                path = super::secret::key_path(self.path()).display()
            ))
            .into()
        })
    }

    /// Take in an application (pending review). Refuses a person already
    /// registered (same identity number) and a recommender the rules exclude.
    pub fn register_member(
        &mut self,
        by: &Session,
        m: &NewMember,
        at: Stamp,
    ) -> StoreResult<MemberRow> {
        let key = self.secret_key()?;
        let station = self
            .station()
            .cloned()
            .ok_or_else(|| StoreError::Other("no station".into()))?;
        let id_hash = member::identity_hash(&key, m.id_kind, &m.id_number);
        let masked = member::mask_identity(&m.id_number);
        let tz = self.tz();
        self.write(|tx| {
            if let Some(rec) = m.recommender {
                let rec_hash: Option<String> =
                    tx.query_row(REGISTER_MEMBER_SELECT_MEMBERS, [rec], |r| r.get(0)).optional()?;
                if rec_hash.as_deref() == Some(id_hash.as_str()) {
                    return Err(Refusal::at("recommender", msg!("recommender.self")).into());
                }
                let facts = recommender_facts(tx, rec, at)?.ok_or_else(|| Refusal::at("recommender", msg!("member.unknown")))?;
                member::check_recommender(&facts, None, at, tz)?;
            }
            if let Some((earlier_id, earlier)) = super::applications::earlier(tx, &id_hash)? {
                member::may_apply_again(&earlier)?;
                return super::applications::apply_again(tx, by, earlier_id, m, &masked, at);
            }
            tx.execute(
                REGISTER_MEMBER_INSERT_MEMBERS,
                params![
                    new_uid(at),
                    m.name,
                    m.phone,
                    m.id_kind.as_str(),
                    id_hash,
                    masked,
                    m.residence_proof,
                    station.street,
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
                ],
            )?;
            let id = tx.last_insert_rowid();
            insert_services(tx, id, m)?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.register",
                "member",
                id,
                json!({"name": m.name, "phone": mask_for_audit(&m.phone), "id": masked, "community": m.community,
                       "recommender": m.recommender, "offers": m.offers, "needs": m.needs, "online": m.online}),
            )?;
            member_row(tx, id)
        })
    }

    /// Approve a pending application: assigns the next member number of the
    /// community in the same transaction. Without a recommender only a
    /// station master may approve, and must say how the applicant was checked.
    pub fn approve_member(
        &mut self,
        by: &Session,
        id: i64,
        note: &str,
        at: Stamp,
    ) -> StoreResult<MemberRow> {
        self.write(|tx| {
            let row = member_row(tx, id)?;
            if row.status != MemberStatus::Pending {
                return Err(Refusal::general(msg!("review.already_decided")).into());
            }
            let note = note.trim();
            if !row.has_recommender && by.is_master() && note.is_empty() {
                return Err(Refusal::at("note", msg!("review.note_required")).into());
            }
            if member::review_step(by.is_master(), row.has_recommender)?
                == member::ReviewStep::Checked
            {
                // the liaison's review: the application waits for the master
                return super::applications::record_check(tx, by, id, note, at);
            }
            let street: String = tx.query_row(APPROVE_MEMBER_SELECT_MEMBERS, [id], |r| r.get(0))?;
            let seq: u32 = tx.query_row(
                APPROVE_MEMBER_INSERT_MEMBER_SEQ,
                params![street, row.community],
                |r| r.get(0),
            )?;
            let number = MemberNumber {
                street,
                community: row.community.clone(),
                seq,
            }
            .to_string();
            tx.execute(
                APPROVE_MEMBER_UPDATE_MEMBERS,
                params![number, at, by.staff_id, note, id],
            )?;
            super::ledger::member_account(tx, id, at)?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.approve",
                "member",
                id,
                json!({"number": number, "note": note}),
            )?;
            member_row(tx, id)
        })
    }

    pub fn reject_member(
        &mut self,
        by: &Session,
        id: i64,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<MemberRow> {
        self.reject_application(by, id, reason, false, at)
    }

    /// Reject an application; `false_identity` refuses the person for ever
    /// (a plain rejection may apply again).
    pub fn reject_application(
        &mut self,
        by: &Session,
        id: i64,
        reason: &str,
        false_identity: bool,
        at: Stamp,
    ) -> StoreResult<MemberRow> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Refusal::at("reason", msg!("review.reason_required")).into());
        }
        self.write(|tx| {
            let row = member_row(tx, id)?;
            if row.status != MemberStatus::Pending {
                return Err(Refusal::general(msg!("review.already_decided")).into());
            }
            tx.execute(
                REJECT_APPLICATION_UPDATE_MEMBERS,
                params![at, by.staff_id, reason, id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.reject",
                "member",
                id,
                json!({"reason": reason, "false_identity": false_identity}),
            )?;
            member_row(tx, id)
        })
    }

    /// Record the phone call telling the applicant the decision.
    pub fn record_notification(
        &mut self,
        by: &Session,
        id: i64,
        note: &str,
        at: Stamp,
    ) -> StoreResult<MemberRow> {
        self.write(|tx| {
            let row = member_row(tx, id)?;
            if row.decided_at.is_none() {
                return Err(Refusal::general(msg!("review.not_decided")).into());
            }
            tx.execute(
                RECORD_NOTIFICATION_UPDATE_MEMBERS,
                params![at, by.staff_id, note.trim(), id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.notified",
                "member",
                id,
                json!({"note": note.trim()}),
            )?;
            member_row(tx, id)
        })
    }

    pub fn member(&self, id: i64) -> StoreResult<MemberRow> {
        member_row(&self.conn, id)
    }

    pub fn member_by_number(&self, number: &str) -> StoreResult<Option<MemberRow>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                MEMBER_BY_NUMBER_SELECT_MEMBERS,
                [number.trim().to_ascii_uppercase()],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| member_row(&self.conn, id)).transpose()
    }

    /// Applications waiting for a decision, oldest first (the review list),
    /// and decided ones whose applicant has not been told yet.
    pub fn review_list(&self) -> StoreResult<Vec<MemberRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ROW_COLS} FROM members m
             WHERE m.status = 'pending' OR (m.decided_at IS NOT NULL AND m.notified_at IS NULL AND m.status IN ('approved', 'rejected'))
             ORDER BY m.status != 'pending', m.submitted_at"
        ))?;
        let rows = stmt.query_map([], row_of)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Pending applications past the review deadline.
    pub fn overdue_applications(&self, at: Stamp) -> StoreResult<u32> {
        let limit = at - i64::from(self.settings().review_hours) * crate::domain::time::HOUR_MS;
        Ok(self
            .conn
            .query_row(OVERDUE_APPLICATIONS_SELECT_MEMBERS, [limit], |r| r.get(0))?)
    }

    /// Every member, for the in-memory search index.
    pub fn search_entries(&self) -> StoreResult<Vec<SearchEntry>> {
        let mut stmt = self.conn.prepare(SEARCH_ENTRIES_SELECT_MEMBERS)?;
        let rows = stmt
            .query_map([], |r| {
                let text = |i: usize| {
                    r.get_ref(i)
                        .ok()
                        .and_then(|v| v.as_str().ok())
                        .unwrap_or("")
                };
                Ok(SearchEntry {
                    member_id: r.get(0)?,
                    number: r.get(1)?,
                    name: r.get(2)?,
                    phone_tail: r.get(3)?,
                    building: r.get(4)?,
                    status: MemberStatus::parse(text(5)).unwrap_or(MemberStatus::Pending),
                    level: Level::parse(text(6)).unwrap_or(Level::Ordinary),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// One member's search entry (after a change).
    pub fn search_entry(&self, id: i64) -> StoreResult<SearchEntry> {
        let r = self.member(id)?;
        Ok(SearchEntry {
            member_id: r.id,
            number: r.number.unwrap_or_default(),
            name: r.name,
            phone_tail: r
                .phone
                .get(r.phone.len().saturating_sub(4)..)
                .unwrap_or("")
                .to_string(),
            building: r.building,
            status: r.status,
            level: r.level,
        })
    }

    /// Service types a member declared they offer / need.
    pub fn member_services(&self, id: i64) -> StoreResult<(Vec<i64>, Vec<i64>)> {
        let mut stmt = self.conn.prepare(MEMBER_SERVICES_SELECT_MEMBER_SERVICES)?;
        let mut offers = Vec::new();
        let mut needs = Vec::new();
        for row in stmt.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (t, role) = row?;
            if role == "offer" {
                offers.push(t)
            } else {
                needs.push(t)
            }
        }
        Ok((offers, needs))
    }

    /// Register the heir of an honor member (direct relative).
    pub fn register_heir(
        &mut self,
        by: &Session,
        id: i64,
        name: &str,
        relation: &str,
        phone: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        let name = crate::domain::staff::parse_person_name("heir_name", name)?;
        let relation = relation.trim();
        if relation.is_empty() {
            return Err(Refusal::at("relation", msg!("heir.relation_required")).into());
        }
        let phone = member::parse_phone("heir_phone", phone)?;
        self.write(|tx| {
            let row = member_row(tx, id)?;
            if row.status != MemberStatus::Approved || row.level != Level::Honor {
                return Err(Refusal::general(msg!("heir.honor_only")).into());
            }
            tx.execute(
                REGISTER_HEIR_UPDATE_MEMBERS,
                params![name, relation, phone, at, id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.heir",
                "member",
                id,
                json!({"heir": name, "relation": relation}),
            )?;
            Ok(())
        })
    }
}
