//! The dispute log: intake, contacts, safety reports, decisions with their
//! effects on the ledger and on standing, telling the parties, suggestions.

use super::ledger::{self, NewTransfer, POOL, Reversal};
use super::standing::{self, Ctx, Severity};
use super::{Store, StoreError, StoreResult, audit, new_uid};
use crate::domain::dispute::{self, Category, Outcome, Progress};
use crate::domain::ledger::TransferKind;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

mod sql;
use sql::*;
mod decide;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Desk,
    Phone,
    App,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Desk, Channel::Phone, Channel::App];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Desk => "desk",
            Channel::Phone => "phone",
            Channel::App => "app",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Channel::Desk => crate::k!("dispute.channel.desk"),
            Channel::Phone => crate::k!("dispute.channel.phone"),
            Channel::App => crate::k!("dispute.channel.app"),
        }
    }
}

/// A dispute or suggestion as taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispute {
    pub suggestion: bool,
    pub channel: Channel,
    pub category: Option<Category>,
    pub party_a: Option<i64>,
    pub party_b: Option<i64>,
    pub record_id: Option<i64>,
    pub subject: String,
    pub reported_by: String,
    /// A complaint against a merchant (its id) instead of a second member.
    pub merchant: Option<i64>,
}

/// What the staff decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    /// Mediated: share of the points given back, in per cent.
    pub split_pct: Option<u32>,
    /// Violation: how severe, and on whom ('a' or 'b').
    pub severity: Option<String>,
    pub target: Option<String>,
    pub reason: String,
    /// A moderate violation on the provider: the minutes reported falsely
    /// (deducted double).
    #[serde(default)]
    pub over_minutes: Option<u32>,
    /// A merchant's suspension: days orders are paused.
    #[serde(default)]
    pub pause_days: Option<u32>,
    /// A merchant's deposit deduction, in fen.
    #[serde(default)]
    pub deposit_fen: Option<i64>,
}

/// A dispute as lists and the detail show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeRow {
    pub id: i64,
    pub uid: String,
    pub suggestion: bool,
    pub channel: Channel,
    pub category: Option<Category>,
    pub party_a: Option<(i64, String, String)>,
    pub party_b: Option<(i64, String, String)>,
    pub record_id: Option<i64>,
    pub subject: String,
    pub reported_by: String,
    pub opened_at: Stamp,
    pub both_contacted_at: Option<Stamp>,
    pub hq_reported_at: Option<Stamp>,
    pub hq_reported_to: Option<String>,
    pub reviewed_at: Option<Stamp>,
    pub review: Option<String>,
    pub decided_at: Option<Stamp>,
    pub outcome: Option<Outcome>,
    pub decision: Option<String>,
    pub told_at: Option<Stamp>,
    pub told_how: Option<String>,
    pub reply: Option<String>,
    pub replied_at: Option<Stamp>,
    /// The merchant complained about: id, name, code.
    pub merchant: Option<(i64, String, String)>,
    /// Marked a verified serious complaint (the provider downgraded).
    pub serious: bool,
    /// The merchant's contact number: a business line, shown in full in
    /// the contact dialog (no member's privacy rule covers it).
    pub merchant_phone: Option<String>,
}

impl DisputeRow {
    pub fn progress(&self) -> Progress {
        Progress {
            suggestion: self.suggestion,
            category: self.category,
            opened_at: self.opened_at,
            both_contacted_at: self.both_contacted_at,
            decided_at: self.decided_at,
            hq_reported_at: self.hq_reported_at,
            reviewed_at: self.reviewed_at,
            replied_at: self.replied_at,
        }
    }

    pub fn is_open(&self) -> bool {
        if self.suggestion {
            self.replied_at.is_none()
        } else {
            self.decided_at.is_none() || self.told_at.is_none()
        }
    }

    pub fn involves(&self, member: i64) -> bool {
        self.party_a.as_ref().is_some_and(|p| p.0 == member)
            || self.party_b.as_ref().is_some_and(|p| p.0 == member)
    }
}

const COLS: &str = "d.id, d.uid, d.kind = 'suggestion', d.channel, d.category, d.party_a, a.name, coalesce(a.number, ''),
    d.party_b, b.name, coalesce(b.number, ''), d.record_id, d.subject, d.reported_by, d.opened_at,
    (SELECT max(first) FROM (SELECT min(at) AS first FROM dispute_contacts c WHERE c.dispute_id = d.id AND c.party = 'a'
                             UNION ALL SELECT min(at) FROM dispute_contacts c WHERE c.dispute_id = d.id AND c.party = 'b')
     WHERE (SELECT count(DISTINCT party) FROM dispute_contacts c WHERE c.dispute_id = d.id AND c.party IN ('a', 'b')) = 2),
    d.hq_reported_at, d.hq_reported_to, d.reviewed_at, d.review, d.decided_at, d.outcome, d.decision, d.told_at, d.told_how,
    d.reply, d.replied_at, x.id, x.name, x.code,
    EXISTS (SELECT 1 FROM warnings w WHERE w.kind = 'serious_complaint' AND w.source = 'dispute:' || d.id),
    x.contact_phone";

const FROM: &str =
    "disputes d LEFT JOIN members a ON a.id = d.party_a LEFT JOIN members b ON b.id = d.party_b
    LEFT JOIN merchants x ON x.code = d.merchant_ref";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<DisputeRow> {
    let party = |id: Option<i64>, name: Option<String>, number: String| {
        id.map(|id| (id, name.unwrap_or_default(), number))
    };
    Ok(DisputeRow {
        id: r.get(0)?,
        uid: r.get(1)?,
        suggestion: r.get(2)?,
        channel: Channel::parse(&r.get::<_, String>(3)?).unwrap_or(Channel::Desk),
        category: r
            .get::<_, Option<String>>(4)?
            .and_then(|c| Category::parse(&c)),
        party_a: party(r.get(5)?, r.get(6)?, r.get(7)?),
        party_b: party(r.get(8)?, r.get(9)?, r.get(10)?),
        record_id: r.get(11)?,
        subject: r.get(12)?,
        reported_by: r.get(13)?,
        opened_at: r.get(14)?,
        both_contacted_at: r.get(15)?,
        hq_reported_at: r.get(16)?,
        hq_reported_to: r.get(17)?,
        reviewed_at: r.get(18)?,
        review: r.get(19)?,
        decided_at: r.get(20)?,
        outcome: r
            .get::<_, Option<String>>(21)?
            .and_then(|o| Outcome::parse(&o)),
        decision: r.get(22)?,
        told_at: r.get(23)?,
        told_how: r.get(24)?,
        reply: r.get(25)?,
        replied_at: r.get(26)?,
        merchant: match r.get::<_, Option<i64>>(27)? {
            Some(id) => Some((id, r.get(28)?, r.get(29)?)),
            None => None,
        },
        serious: r.get(30)?,
        merchant_phone: r.get(31)?,
    })
}

pub fn dispute(conn: &Connection, id: i64) -> StoreResult<DisputeRow> {
    conn.query_row(
        &format!("SELECT {COLS} FROM {FROM} WHERE d.id = ?1"),
        [id],
        row_of,
    )
    .optional()?
    .ok_or_else(|| Refusal::general(msg!("dispute.unknown")).into())
}

/// A contact with a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub party: String,
    pub at: Stamp,
    pub staff: String,
    pub how: String,
    pub said: String,
}

/// What a decision did, for the handling form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Effects {
    pub transfers: Vec<(String, String, i64)>,
    pub owed: Vec<(i64, i64)>,
    pub standing: Vec<String>,
}

/// Take `due` points from a member (reversal, split or penalty): what there
/// is, the rest recorded as owed. Returns the transfer if anything moved.
/// Why points are taken, for the owed record.
struct Why<'a> {
    reason: &'a str,
    source: &'a str,
    at: Stamp,
}

fn take(
    conn: &Connection,
    member: i64,
    due: i64,
    mk: impl FnOnce(i64) -> StoreResult<ledger::Posted>,
    why: Why<'_>,
    fx: &mut Effects,
) -> StoreResult<()> {
    let Why { reason, source, at } = why;
    if due <= 0 {
        return Ok(());
    }
    let balance: i64 = conn.query_row(TAKE_SELECT_ACCOUNTS, [member], |r| r.get(0))?;
    let (taken, short) = dispute::take_what_there_is(balance, due);
    if taken > 0 {
        let p = mk(taken)?;
        fx.transfers.push((p.row.id, p.row.kind, taken));
    }
    if short > 0 {
        conn.execute(TAKE_INSERT_OWED, params![member, short, reason, source, at])?;
        fx.owed.push((member, short));
    }
    Ok(())
}

impl Store {
    pub fn open_dispute(
        &mut self,
        by: &Session,
        d: &NewDispute,
        at: Stamp,
    ) -> StoreResult<DisputeRow> {
        let mut errs = Vec::new();
        if d.subject.trim().is_empty() {
            errs.push(Refusal::at("subject", msg!("dispute.subject_required")));
        }
        if d.reported_by.trim().is_empty() {
            errs.push(Refusal::at(
                "reported_by",
                msg!("dispute.reporter_required"),
            ));
        }
        if !d.suggestion {
            if d.category.is_none() {
                errs.push(Refusal::at("category", msg!("dispute.category_required")));
            }
            if d.party_a.is_none() {
                errs.push(Refusal::at("party_a", msg!("dispute.party_required")));
            }
            match (d.party_b, d.merchant) {
                (None, None) => errs.push(Refusal::at("party_b", msg!("dispute.party_required"))),
                (Some(_), Some(_)) => {
                    errs.push(Refusal::at("merchant", msg!("dispute.merchant_or_member")))
                }
                (Some(_), None) | (None, Some(_)) => {}
            }
            if d.merchant.is_some() && d.record_id.is_some() {
                errs.push(Refusal::at("record", msg!("dispute.record_not_theirs")));
            }
            if d.party_a.is_some() && d.party_a == d.party_b {
                errs.push(Refusal::at("party_b", msg!("dispute.same_member")));
            }
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        self.write(|tx| {
            if let Some(rec) = d.record_id {
                let (p, q): (i64, i64) = tx
                    .query_row(OPEN_DISPUTE_SELECT_SERVICE_RECORDS, [rec], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?
                    .ok_or_else(|| Refusal::at("record", msg!("record.unknown")))?;
                let parties = [d.party_a, d.party_b];
                if !(parties.contains(&Some(p)) && parties.contains(&Some(q))) {
                    return Err(Refusal::at("record", msg!("dispute.record_not_theirs")).into());
                }
            }
            let merchant_ref = match d.merchant.filter(|_| !d.suggestion) {
                Some(m) => Some(super::complaints::merchant_to_complain_of(tx, m)?),
                None => None,
            };
            tx.execute(
                OPEN_DISPUTE_INSERT_DISPUTES,
                params![
                    new_uid(at),
                    if d.suggestion { "suggestion" } else { "dispute" },
                    d.channel.as_str(),
                    d.category.map(|c| c.as_str()),
                    d.party_a,
                    d.party_b,
                    d.record_id,
                    d.subject.trim(),
                    d.reported_by.trim(),
                    at,
                    by.staff_id,
                    merchant_ref
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::log(tx, at, Some(by.staff_id), if d.suggestion { "suggestion.open" } else { "dispute.open" }, "dispute", id,
                json!({"category": d.category.map(|c| c.as_str()), "a": d.party_a, "b": d.party_b, "merchant": merchant_ref, "record": d.record_id, "subject": d.subject.trim()}))?;
            dispute(tx, id)
        })
    }

    pub fn dispute_contact(
        &mut self,
        by: &Session,
        id: i64,
        party: &str,
        how: &str,
        said: &str,
        at: Stamp,
    ) -> StoreResult<DisputeRow> {
        if said.trim().is_empty() {
            return Err(Refusal::at("said", msg!("dispute.said_required")).into());
        }
        self.write(|tx| {
            let d = dispute(tx, id)?;
            let member = match party {
                "a" => d.party_a.as_ref().map(|p| p.0),
                "b" => d.party_b.as_ref().map(|p| p.0),
                _ => None,
            };
            tx.execute(
                DISPUTE_CONTACT_INSERT_DISPUTE_CONTACTS,
                params![id, party, member, at, by.staff_id, how, said.trim()],
            )?;
            tx.execute(DISPUTE_CONTACT_UPDATE_DISPUTES, params![at, id])?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "dispute.contact",
                "dispute",
                id,
                json!({"party": party, "how": how, "said": said.trim()}),
            )?;
            dispute(tx, id)
        })
    }

    /// A safety incident reported to HQ (to whom), or its review report.
    pub fn dispute_safety(
        &mut self,
        by: &Session,
        id: i64,
        review: bool,
        text: &str,
        at: Stamp,
    ) -> StoreResult<DisputeRow> {
        if text.trim().is_empty() {
            return Err(Refusal::at("text", msg!("dispute.text_required")).into());
        }
        self.write(|tx| {
            let d = dispute(tx, id)?;
            if d.category != Some(Category::Safety) {
                return Err(Refusal::general(msg!("dispute.not_safety")).into());
            }
            let sql = if review {
                DISPUTE_SAFETY_UPDATE_DISPUTES
            } else {
                DISPUTE_SAFETY_UPDATE_DISPUTES_2
            };
            tx.execute(sql, params![at, text.trim(), id])?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                if review {
                    "dispute.review"
                } else {
                    "dispute.hq_report"
                },
                "dispute",
                id,
                json!({"text": text.trim()}),
            )?;
            dispute(tx, id)
        })
    }

    /// Record how and when both parties were told the result.
    pub fn tell_parties(
        &mut self,
        by: &Session,
        id: i64,
        how: &str,
        at: Stamp,
    ) -> StoreResult<DisputeRow> {
        if how.trim().is_empty() {
            return Err(Refusal::at("how", msg!("dispute.how_required")).into());
        }
        self.write(|tx| {
            let d = dispute(tx, id)?;
            if d.decided_at.is_none() {
                return Err(Refusal::general(msg!("dispute.not_decided")).into());
            }
            tx.execute(
                TELL_PARTIES_UPDATE_DISPUTES,
                params![at, how.trim(), by.staff_id, id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "dispute.told",
                "dispute",
                id,
                json!({"how": how.trim()}),
            )?;
            dispute(tx, id)
        })
    }

    /// Reply to a suggestion (even "not now, because…").
    pub fn reply_suggestion(
        &mut self,
        by: &Session,
        id: i64,
        reply: &str,
        at: Stamp,
    ) -> StoreResult<DisputeRow> {
        if reply.trim().is_empty() {
            return Err(Refusal::at("reply", msg!("dispute.reply_required")).into());
        }
        self.write(|tx| {
            let d = dispute(tx, id)?;
            if !d.suggestion {
                return Err(Refusal::general(msg!("dispute.not_suggestion")).into());
            }
            tx.execute(
                REPLY_SUGGESTION_UPDATE_DISPUTES,
                params![reply.trim(), at, id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "suggestion.reply",
                "dispute",
                id,
                json!({"reply": reply.trim()}),
            )?;
            dispute(tx, id)
        })
    }

    /// Open cases and suggestions, and those closed since `since`.
    pub fn disputes(&self, since: Stamp) -> StoreResult<Vec<DisputeRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLS} FROM {FROM}
             WHERE (d.kind = 'dispute' AND (d.decided_at IS NULL OR d.told_at IS NULL)) OR (d.kind = 'suggestion' AND d.replied_at IS NULL)
                OR d.updated_at >= ?1
             ORDER BY d.opened_at DESC"
        ))?;
        let rows = stmt.query_map([since], row_of)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn dispute(&self, id: i64) -> StoreResult<DisputeRow> {
        dispute(&self.conn, id)
    }

    pub fn dispute_contacts(&self, id: i64) -> StoreResult<Vec<ContactRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(DISPUTE_CONTACTS_SELECT_DISPUTE_CONTACTS)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(ContactRow {
                    party: r.get(0)?,
                    at: r.get(1)?,
                    staff: r.get(2)?,
                    how: r.get(3)?,
                    said: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Cases past a deadline with the step still undone (the header's count).
    pub fn overdue_disputes(&self, now: Stamp) -> StoreResult<u32> {
        let c = self.settings().disputes;
        Ok(self
            .disputes(now)?
            .iter()
            .filter(|d| dispute::overdue_now(&d.progress(), &c, now))
            .count() as u32)
    }

    /// Disputes whose first contact with both parties took longer than the
    /// limit (or still has not happened), among those opened in [from, to).
    pub fn late_first_contacts(
        &self,
        from: Stamp,
        to: Stamp,
        now: Stamp,
    ) -> StoreResult<(u32, u32)> {
        let c = self.settings().disputes;
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {COLS} FROM {FROM} WHERE d.kind = 'dispute' AND d.opened_at >= ?1 AND d.opened_at < ?2"))?;
        let rows: Vec<DisputeRow> = stmt
            .query_map(params![from, to], row_of)?
            .collect::<Result<_, _>>()?;
        let late = rows
            .iter()
            .filter(|d| dispute::missed(&d.progress(), &c, now).contains(&dispute::Due::Contact))
            .count() as u32;
        Ok((rows.len() as u32, late))
    }
}
