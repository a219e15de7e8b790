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
    let balance: i64 = conn.query_row(
        "SELECT coalesce((SELECT balance FROM accounts WHERE member_id = ?1), 0)",
        [member],
        |r| r.get(0),
    )?;
    let (taken, short) = dispute::take_what_there_is(balance, due);
    if taken > 0 {
        let p = mk(taken)?;
        fx.transfers.push((p.row.id, p.row.kind, taken));
    }
    if short > 0 {
        conn.execute(
            "INSERT INTO owed (member_id, amount, reason, source, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![member, short, reason, source, at],
        )?;
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
                    .query_row("SELECT provider_id, recipient_id FROM service_records WHERE id = ?1", [rec], |r| Ok((r.get(0)?, r.get(1)?)))
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
                "INSERT INTO disputes (uid, kind, channel, category, party_a, party_b, record_id, subject, reported_by, opened_at, opened_by, updated_at, merchant_ref)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?12)",
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
                "INSERT INTO dispute_contacts (dispute_id, party, member_id, at, staff_id, how, said) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, party, member, at, by.staff_id, how, said.trim()],
            )?;
            tx.execute("UPDATE disputes SET updated_at = ?1 WHERE id = ?2", params![at, id])?;
            audit::log(tx, at, Some(by.staff_id), "dispute.contact", "dispute", id, json!({"party": party, "how": how, "said": said.trim()}))?;
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
                "UPDATE disputes SET reviewed_at = ?1, review = ?2, updated_at = ?1 WHERE id = ?3"
            } else {
                "UPDATE disputes SET hq_reported_at = ?1, hq_reported_to = ?2, updated_at = ?1 WHERE id = ?3"
            };
            tx.execute(sql, params![at, text.trim(), id])?;
            audit::log(tx, at, Some(by.staff_id), if review { "dispute.review" } else { "dispute.hq_report" }, "dispute", id, json!({"text": text.trim()}))?;
            dispute(tx, id)
        })
    }

    /// Decide a dispute: the outcome and every effect in one transaction.
    pub fn decide_dispute(
        &mut self,
        by: &Session,
        id: i64,
        dec: &Decision,
        at: Stamp,
    ) -> StoreResult<(DisputeRow, Effects)> {
        let settings = self.settings().clone();
        let tz = self.tz();
        let reason = dec.reason.trim().to_string();
        let severity = dec.severity.as_deref().and_then(Severity::parse);
        match dec.outcome {
            Outcome::Mediated if !by.is_master() => {
                return Err(Refusal::at("outcome", msg!("dispute.master_mediates")).into());
            }
            Outcome::Violation if severity != Some(Severity::Minor) && !by.is_master() => {
                return Err(Refusal::at("severity", msg!("violation.master_only")).into());
            }
            Outcome::Violation if severity.is_none() => {
                return Err(Refusal::at("severity", msg!("dispute.severity_required")).into());
            }
            Outcome::Dismissed | Outcome::Violation if reason.is_empty() => {
                return Err(Refusal::at("reason", msg!("dispute.reason_required")).into());
            }
            Outcome::MerchantSuspension | Outcome::MerchantDeposit if !by.is_master() => {
                return Err(Refusal::at("outcome", msg!("dispute.master_only_outcome")).into());
            }
            _ => {}
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
            let c = Ctx { by, settings: &settings, tz, at };
            let source = format!("dispute:{id}");
            let mut fx = Effects::default();
            // the service in question: its provider, requester, transfer
            let service = match d.record_id {
                Some(rec) => Some(tx.query_row(
                    "SELECT r.provider_id, r.recipient_id, r.minutes, t.id, t.amount
                     FROM service_records r JOIN transfers t ON t.record_id = r.id AND t.kind = 'service' WHERE r.id = ?1",
                    [rec],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, u32>(2)?, r.get::<_, String>(3)?, r.get::<_, i64>(4)?)),
                )?),
                None => None,
            };
            let needs_record = matches!(dec.outcome, Outcome::ProviderFault | Outcome::RequesterFault | Outcome::Mediated);
            if needs_record && service.is_none() {
                return Err(Refusal::at("outcome", msg!("dispute.needs_record")).into());
            }
            let reverse_part = |tx: &Connection, amount: i64, kind: TransferKind, fx: &mut Effects| -> StoreResult<()> {
                let (provider, _, _, tid, orig) = service.clone().expect("checked above");
                let left = orig - ledger::reversed_so_far(tx, &tid)?;
                let due = amount.min(left);
                take(
                    tx,
                    provider,
                    due,
                    |n| ledger::reverse(tx, Reversal { kind, transfer_id: &tid, amount: n, reason: &reason, staff_id: Some(by.staff_id), approved_by: None, source: Some(source.clone()), at }),
                    Why { reason: &reason, source: &source, at },
                    fx,
                )
            };
            match dec.outcome {
                Outcome::ProviderFault => {
                    let (provider, ..) = service.clone().expect("checked");
                    reverse_part(tx, i64::MAX, TransferKind::Reversal, &mut fx)?;
                    standing::record_warning(c, tx, provider, false, if reason.is_empty() { "服务者责任" } else { &reason }, Some(&source))?;
                    fx.standing.push("warning".into());
                }
                Outcome::RequesterFault => {
                    let (_, requester, ..) = service.clone().expect("checked");
                    standing::record_bad_credit(c, tx, requester, if reason.is_empty() { "恶意投诉" } else { &reason }, Some(&source))?;
                    fx.standing.push("bad_credit".into());
                }
                Outcome::Mediated => {
                    let (.., tid, orig) = service.clone().expect("checked");
                    let left = orig - ledger::reversed_so_far(tx, &tid)?;
                    let pct = dec.split_pct.unwrap_or(50);
                    reverse_part(tx, dispute::split_points(left, pct), TransferKind::DisputeSplit, &mut fx)?;
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
                        (true, None) => return Err(Refusal::at("over_minutes", msg!("dispute.over_required")).into()),
                        (false, Some(m)) if m > 0 => return Err(Refusal::at("over_minutes", msg!("dispute.over_not_provider")).into()),
                        (true, Some(m)) => m,
                        (false, _) => 0,
                    };
                    let due = match &service {
                        Some((_, _, minutes, ..)) => dispute::double_deduction(over, *minutes, settings.points_per_hour)?,
                        None => 0,
                    };
                    if due > 0 {
                        let acct = ledger::member_account(tx, target, at)?;
                        take(
                            tx,
                            target,
                            due,
                            |n| {
                                let mut t = NewTransfer::new(TransferKind::Penalty, n, acct, POOL, Some(by.staff_id), at);
                                t.source = Some(source.clone());
                                t.memo = Some(reason.clone());
                                ledger::post(tx, t)
                            },
                            Why { reason: &reason, source: &source, at },
                            &mut fx,
                        )?;
                    }
                }
                Outcome::Dismissed => {}
                Outcome::MerchantWarning | Outcome::MerchantSuspension | Outcome::MerchantDeposit => {
                    super::complaints::merchant_outcome(tx, by, &d, dec, &reason, &settings, at, &mut fx)?;
                }
            }
            let mut detail = serde_json::to_value(dec)?;
            detail["effects"] = serde_json::to_value(&fx)?;
            tx.execute(
                "UPDATE disputes SET decided_at = ?1, decided_by = ?2, outcome = ?3, decision = ?4, updated_at = ?1 WHERE id = ?5",
                params![at, by.staff_id, dec.outcome.as_str(), detail.to_string(), id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "dispute.decide", "dispute", id, detail)?;
            Ok((dispute(tx, id)?, fx))
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
            tx.execute("UPDATE disputes SET told_at = ?1, told_how = ?2, told_by = ?3, updated_at = ?1 WHERE id = ?4", params![at, how.trim(), by.staff_id, id])?;
            audit::log(tx, at, Some(by.staff_id), "dispute.told", "dispute", id, json!({"how": how.trim()}))?;
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
                "UPDATE disputes SET reply = ?1, replied_at = ?2, updated_at = ?2 WHERE id = ?3",
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
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.party, c.at, coalesce(s.staff_no, ''), c.how, c.said FROM dispute_contacts c LEFT JOIN staff s ON s.id = c.staff_id
             WHERE c.dispute_id = ?1 ORDER BY c.at, c.id",
        )?;
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
