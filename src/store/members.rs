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
    let mut stmt =
        conn.prepare_cached("SELECT at, active_until FROM violations WHERE member_id = ?1")?;
    let active_violation = stmt
        .query_map([id], |r| {
            Ok((r.get::<_, Stamp>(0)?, r.get::<_, Option<Stamp>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .any(|(v_at, until)| crate::domain::violation::on_record(v_at, until, at));
    Ok(conn
        .query_row(
            "SELECT status, decided_at, blacklisted_at IS NOT NULL FROM members m WHERE id = ?1",
            params![id],
            |r| {
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
            },
        )
        .optional()?)
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
                    tx.query_row("SELECT id_hash FROM members WHERE id = ?1", [rec], |r| r.get(0)).optional()?;
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
                "INSERT INTO members (uid, name, phone, id_kind, id_hash, id_masked, residence_proof, street, community,
                    building, emergency_name, emergency_phone, filled_by_family, applicant_confirmed, recommender_id,
                    recommender_signed, master_note, channel, status, submitted_at, submitted_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 'pending', ?19, ?20, ?19)",
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
            for (role, list) in [("offer", &m.offers), ("need", &m.needs)] {
                for t in list {
                    tx.execute("INSERT OR IGNORE INTO member_services (member_id, type_id, role) VALUES (?1, ?2, ?3)", params![id, t, role])?;
                }
            }
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
            if member::review_step(by.is_master(), row.has_recommender)? == member::ReviewStep::Checked {
                // the liaison's review: the application waits for the master
                return super::applications::record_check(tx, by, id, note, at);
            }
            let street: String = tx.query_row("SELECT street FROM members WHERE id = ?1", [id], |r| r.get(0))?;
            let seq: u32 = tx.query_row(
                "INSERT INTO member_seq (street, community, last) VALUES (?1, ?2, 1)
                 ON CONFLICT(street, community) DO UPDATE SET last = last + 1 RETURNING last",
                params![street, row.community],
                |r| r.get(0),
            )?;
            let number = MemberNumber { street, community: row.community.clone(), seq }.to_string();
            tx.execute(
                "UPDATE members SET status = 'approved', number = ?1, decided_at = ?2, decided_by = ?3,
                    master_note = coalesce(nullif(?4, ''), master_note), level = 'ordinary', level_since = ?2, updated_at = ?2
                 WHERE id = ?5",
                params![number, at, by.staff_id, note, id],
            )?;
            super::ledger::member_account(tx, id, at)?;
            audit::log(tx, at, Some(by.staff_id), "member.approve", "member", id, json!({"number": number, "note": note}))?;
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
                "UPDATE members SET status = 'rejected', decided_at = ?1, decided_by = ?2, reject_reason = ?3, updated_at = ?1
                 WHERE id = ?4",
                params![at, by.staff_id, reason, id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "member.reject", "member", id, json!({"reason": reason, "false_identity": false_identity}))?;
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
                "UPDATE members SET notified_at = ?1, notified_by = ?2, notify_note = ?3, updated_at = ?1 WHERE id = ?4",
                params![at, by.staff_id, note.trim(), id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "member.notified", "member", id, json!({"note": note.trim()}))?;
            member_row(tx, id)
        })
    }

    /// Issue a time card. If the member holds a valid card, it is voided in
    /// the same transaction — which needs a reason (lost, damaged).
    pub fn issue_card(
        &mut self,
        by: &Session,
        id: i64,
        serial: &str,
        replace_reason: Option<&str>,
        at: Stamp,
    ) -> StoreResult<Card> {
        let serial = member::parse_card_serial(serial)?;
        self.write(|tx| {
            let row = member_row(tx, id)?;
            if row.status != MemberStatus::Approved {
                return Err(Refusal::general(msg!("card.not_approved")).into());
            }
            let taken: Option<i64> = tx.query_row("SELECT member_id FROM cards WHERE serial = ?1", [&serial], |r| r.get(0)).optional()?;
            if taken.is_some() {
                return Err(Refusal::at("serial", msg!("card.serial.taken")).into());
            }
            let current: Option<String> = tx
                .query_row("SELECT serial FROM cards WHERE member_id = ?1 AND voided_at IS NULL", [id], |r| r.get(0))
                .optional()?;
            if let Some(old) = &current {
                let reason = replace_reason.map(str::trim).filter(|r| !r.is_empty());
                let Some(reason) = reason else {
                    return Err(Refusal::at("reason", msg!("card.reason_required", serial = old)).into());
                };
                tx.execute("UPDATE cards SET voided_at = ?1, void_reason = ?2 WHERE serial = ?3", params![at, reason, old])?;
                audit::log(tx, at, Some(by.staff_id), "card.void", "card", old, json!({"member": id, "reason": reason}))?;
            }
            tx.execute(
                "INSERT INTO cards (member_id, serial, issued_at, issued_by) VALUES (?1, ?2, ?3, ?4)",
                params![id, serial, at, by.staff_id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "card.issue", "card", &serial, json!({"member": id, "number": row.number}))?;
            Ok(Card { serial: serial.clone(), issued_at: at, voided_at: None, void_reason: None })
        })
    }

    pub fn cards(&self, id: i64) -> StoreResult<Vec<Card>> {
        let mut stmt =
            self.conn.prepare("SELECT serial, issued_at, voided_at, void_reason FROM cards WHERE member_id = ?1 ORDER BY issued_at DESC, id DESC")?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(Card {
                    serial: r.get(0)?,
                    issued_at: r.get(1)?,
                    voided_at: r.get(2)?,
                    void_reason: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The member a scanned (or typed) payload names. A voided card is refused.
    pub fn resolve_payload(&self, payload: &str) -> StoreResult<MemberRow> {
        let (number, serial) = member::parse_payload(payload)
            .ok_or_else(|| Refusal::general(msg!("scan.unreadable", text = payload.trim())))?;
        let number = number.to_string();
        let id: i64 = self
            .conn
            .query_row("SELECT id FROM members WHERE number = ?1", [&number], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Refusal::general(msg!("member.number_unknown", number = &number)))?;
        if let Some(serial) = serial {
            let card: Option<(i64, Option<Stamp>)> = self
                .conn
                .query_row(
                    "SELECT member_id, voided_at FROM cards WHERE serial = ?1",
                    [&serial],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match card {
                None => return Err(Refusal::general(msg!("card.unknown", serial = serial)).into()),
                Some((owner, _)) if owner != id => {
                    return Err(Refusal::general(msg!("card.mismatch", serial = serial)).into());
                }
                Some((_, Some(_))) => {
                    return Err(Refusal::general(msg!(
                        "card.voided",
                        serial = serial,
                        number = number
                    ))
                    .into());
                }
                Some(_) => {}
            }
        }
        member_row(&self.conn, id)
    }

    pub fn member(&self, id: i64) -> StoreResult<MemberRow> {
        member_row(&self.conn, id)
    }

    pub fn member_by_number(&self, number: &str) -> StoreResult<Option<MemberRow>> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM members WHERE number = ?1",
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
        Ok(self.conn.query_row(
            "SELECT count(*) FROM members WHERE status = 'pending' AND submitted_at <= ?1",
            [limit],
            |r| r.get(0),
        )?)
    }

    /// Every member, for the in-memory search index.
    pub fn search_entries(&self) -> StoreResult<Vec<SearchEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, coalesce(number, ''), name, substr(phone, -4), building, status, level FROM members ORDER BY id",
        )?;
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
        let mut stmt = self.conn.prepare(
            "SELECT type_id, role FROM member_services WHERE member_id = ?1 ORDER BY type_id",
        )?;
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
                "UPDATE members SET heir_name = ?1, heir_relation = ?2, heir_phone = ?3, heir_registered_at = ?4, updated_at = ?4 WHERE id = ?5",
                params![name, relation, phone, at, id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "member.heir", "member", id, json!({"heir": name, "relation": relation}))?;
            Ok(())
        })
    }
}

/// Everything the member detail shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDetail {
    pub row: MemberRow,
    pub id_masked: String,
    pub id_kind: IdKind,
    pub emergency_name: String,
    pub emergency_phone: String,
    pub filled_by_family: bool,
    pub applicant_confirmed: bool,
    pub recommender: Option<String>,
    pub master_note: Option<String>,
    /// Earlier rejections of this person's applications, newest first.
    pub rejections: Vec<super::applications::Rejection>,
    /// A pending application's review by a liaison (waiting for the master).
    pub checked: Option<super::applications::Check>,
    pub offers: Vec<i64>,
    pub needs: Vec<i64>,
    pub cards: Vec<Card>,
    pub level: super::standing::LevelView,
    pub minutes_served: u64,
    pub ratings: u32,
    pub positive: u32,
    pub balance: i64,
    pub frozen: bool,
    pub frozen_reason: Option<String>,
    pub redeem_frozen_until: Option<Stamp>,
    pub upgrade_blocked_until: Option<Stamp>,
    pub warnings: u32,
    pub serious_complaints: u32,
    pub violations: Vec<super::standing::ViolationRow>,
    pub blacklist_reason: Option<String>,
    pub trust: Vec<super::standing::TrustLine>,
    pub records: Vec<super::records::RecordRow>,
    pub thanks: Vec<(Stamp, String)>,
    pub heir: Option<(String, String, String)>,
}

impl Store {
    pub fn member_detail(&self, id: i64, now: Stamp) -> StoreResult<MemberDetail> {
        let row = member_row(&self.conn, id)?;
        #[allow(clippy::type_complexity)]
        let extra: (String, String, String, String, bool, bool, Option<String>, Option<String>, bool, Option<String>, Option<Stamp>, Option<Stamp>, Option<String>, Option<String>, Option<String>, Option<String>) =
            self.conn.query_row(
                "SELECT m.id_masked, m.id_kind, m.emergency_name, m.emergency_phone, m.filled_by_family, m.applicant_confirmed,
                        (SELECT coalesce(r.number, '') || ' ' || r.name FROM members r WHERE r.id = m.recommender_id),
                        m.master_note, m.frozen, m.frozen_reason, m.redeem_frozen_until, m.upgrade_blocked_until,
                        m.blacklist_reason, m.heir_name, m.heir_relation, m.heir_phone
                 FROM members m WHERE m.id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?,
                        r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?, r.get(15)?,
                    ))
                },
            )?;
        let (offers, needs) = self.member_services(id)?;
        let (minutes_served, ratings, positive) = self.served(id)?;
        let (warnings, serious_complaints) = self.warnings_count(id)?;
        let mut stmt = self.conn.prepare(
            "SELECT at, text FROM thank_you_letters WHERE member_id = ?1 ORDER BY at DESC LIMIT 5",
        )?;
        let thanks = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let heir = match (extra.13, extra.14, extra.15) {
            (Some(n), Some(rel), Some(p)) => Some((n, rel, p)),
            _ => None,
        };
        Ok(MemberDetail {
            level: self.level_view(id, now)?,
            id_masked: extra.0,
            id_kind: IdKind::parse(&extra.1).unwrap_or(IdKind::IdCard),
            emergency_name: extra.2,
            emergency_phone: extra.3,
            filled_by_family: extra.4,
            applicant_confirmed: extra.5,
            recommender: extra.6,
            master_note: extra.7,
            rejections: super::applications::rejections(&self.conn, id)?,
            checked: super::applications::check_of(&self.conn, &row)?,
            offers,
            needs,
            cards: self.cards(id)?,
            minutes_served,
            ratings,
            positive,
            balance: self.balance_of_member(id)?,
            frozen: extra.8,
            frozen_reason: extra.9,
            redeem_frozen_until: extra.10.filter(|u| *u > now),
            upgrade_blocked_until: extra.11.filter(|u| *u > now),
            warnings,
            serious_complaints,
            violations: self.violations(id)?,
            blacklist_reason: extra.12,
            trust: self.trust_history(id, 5)?,
            records: self.member_records(id, 5)?,
            thanks,
            heir,
            row,
        })
    }
}
