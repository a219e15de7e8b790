//! The merchant registry: merchants, their offers, ratings, price checks,
//! violations and the deposit. Redemptions and the settlement are in
//! `redemptions.rs`.

use super::{Store, StoreError, StoreResult, audit};
use crate::domain::merchant::{self, Grade, Kind, Status};
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::domain::violation::Severity;
use crate::msg;
use crate::msg::Refusal;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

pub(super) mod conduct;
mod sql;
use sql::*;
mod detail;

/// A merchant as typed into its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantInput {
    pub name: String,
    pub kind: Kind,
    pub address: String,
    pub distance_m: u32,
    pub contact_name: String,
    pub contact_phone: String,
    pub redeemer: String,
    pub community: String,
    pub agreement_from: NaiveDate,
    pub agreement_to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: Kind,
    pub address: String,
    pub distance_m: u32,
    pub contact_name: String,
    pub contact_phone: String,
    pub redeemer: String,
    pub community: String,
    pub agreement_from: NaiveDate,
    pub agreement_to: NaiveDate,
    pub status: Status,
    pub status_reason: Option<String>,
    pub paused_until: Option<Stamp>,
    pub deposit_fen: i64,
    pub rating_sum: u32,
    pub rating_count: u32,
    pub grade: Grade,
    /// The points the merchant holds (redemptions in, settlement services out).
    pub points: i64,
    pub open_violations: u32,
    pub flagged_prices: u32,
    /// Moderate violations whose remediation check has not passed yet:
    /// orders stay paused until it has.
    pub awaiting_check: u32,
}

impl MerchantRow {
    pub fn average_x100(&self) -> Option<u32> {
        merchant::average_x100(self.rating_sum, self.rating_count)
    }

    /// Orders are paused now (a moderate violation: its days, and until its
    /// remediation check has passed).
    pub fn paused_at(&self, now: Stamp) -> bool {
        self.status == Status::Paused
            || merchant::orders_paused(self.paused_until, self.awaiting_check > 0, now)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferInput {
    pub text: String,
    pub points: i64,
    pub value_fen: i64,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub monthly_cap_fen: i64,
    pub not_combined: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRow {
    pub id: i64,
    pub merchant_id: i64,
    pub offer: OfferInput,
    pub withdrawn_at: Option<Stamp>,
    /// Used of the cap this month (station time).
    pub used_fen: i64,
}

impl OfferRow {
    pub fn current(&self, day: NaiveDate) -> bool {
        self.withdrawn_at.is_none() && day >= self.offer.valid_from && day <= self.offer.valid_to
    }

    pub fn rule(&self) -> merchant::Offer {
        merchant::Offer {
            points: self.offer.points,
            value_fen: self.offer.value_fen,
            valid_from: self.offer.valid_from,
            valid_to: self.offer.valid_to,
            monthly_cap_fen: self.offer.monthly_cap_fen,
            withdrawn: self.withdrawn_at.is_some(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionRow {
    pub id: i64,
    pub redeemed_at: Stamp,
    pub member_number: String,
    pub member_name: String,
    pub offer_id: i64,
    pub count: u32,
    pub points: i64,
    pub value_fen: i64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceCheck {
    pub item: String,
    pub purchase_fen: i64,
    pub member_fen: i64,
    pub invoice_ref: String,
    pub checked_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceCheckRow {
    pub check: PriceCheck,
    pub over_rule: bool,
    pub at: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationRow {
    pub id: i64,
    pub severity: Severity,
    pub reason: String,
    pub at: Stamp,
    pub fix_by: Option<Stamp>,
    pub resolved_at: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositRow {
    pub at: Stamp,
    pub kind: String,
    pub amount_fen: i64,
    pub reason: String,
}

/// A merchant with everything the detail side of the pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantDetail {
    pub merchant: MerchantRow,
    pub offers: Vec<OfferRow>,
    pub redemptions: Vec<RedemptionRow>,
    pub prices: Vec<PriceCheckRow>,
    pub violations: Vec<ViolationRow>,
    pub deposit: Vec<DepositRow>,
    /// Medals given (年度诚信商家), newest first.
    pub medals: Vec<super::medals::MedalRow>,
}

const COLS: &str = "x.id, x.code, x.name, x.kind, x.address, x.distance_m, x.contact_name, x.contact_phone, x.redeemer,
    x.community, x.agreement_from, x.agreement_to, x.status, x.status_reason, x.paused_until,
    (SELECT coalesce(sum(amount_fen), 0) FROM merchant_deposit d WHERE d.merchant_id = x.id),
    (SELECT coalesce(sum(stars), 0) FROM merchant_ratings g WHERE g.merchant_id = x.id),
    (SELECT count(*) FROM merchant_ratings g WHERE g.merchant_id = x.id),
    coalesce((SELECT balance FROM accounts a WHERE a.merchant_id = x.id), 0),
    (SELECT count(*) FROM merchant_violations v WHERE v.merchant_id = x.id AND v.resolved_at IS NULL AND v.severity = 'minor'),
    (SELECT count(*) FROM price_checks p WHERE p.merchant_id = x.id AND p.over_rule = 1),
    (SELECT count(*) FROM merchant_violations v WHERE v.merchant_id = x.id AND v.resolved_at IS NULL AND v.severity = 'moderate')";

fn date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = r.get(i)?;
    Ok(s.parse().unwrap_or_default())
}

fn merchant_of(r: &Row<'_>, lines: &merchant::GradeLines) -> rusqlite::Result<MerchantRow> {
    let (sum, count): (u32, u32) = (r.get(16)?, r.get(17)?);
    Ok(MerchantRow {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        kind: Kind::parse(&r.get::<_, String>(3)?).unwrap_or(Kind::Other),
        address: r.get(4)?,
        distance_m: r.get(5)?,
        contact_name: r.get(6)?,
        contact_phone: r.get(7)?,
        redeemer: r.get(8)?,
        community: r.get(9)?,
        agreement_from: date(r, 10)?,
        agreement_to: date(r, 11)?,
        status: Status::parse(&r.get::<_, String>(12)?).unwrap_or(Status::Active),
        status_reason: r.get(13)?,
        paused_until: r.get(14)?,
        deposit_fen: r.get(15)?,
        rating_sum: sum,
        rating_count: count,
        grade: merchant::grade(sum, count, lines),
        points: r.get(18)?,
        open_violations: r.get(19)?,
        flagged_prices: r.get(20)?,
        awaiting_check: r.get(21)?,
    })
}

pub(super) fn merchant_row(
    conn: &Connection,
    id: i64,
    lines: &merchant::GradeLines,
) -> StoreResult<MerchantRow> {
    conn.query_row(
        &format!("SELECT {COLS} FROM merchants x WHERE x.id = ?1"),
        [id],
        |r| merchant_of(r, lines),
    )
    .optional()?
    .ok_or_else(|| Refusal::general(msg!("merchant.unknown")).into())
}

pub(super) fn offer_row(
    conn: &Connection,
    id: i64,
    month: (Stamp, Stamp),
) -> StoreResult<OfferRow> {
    conn.query_row(
        &format!("{OFFER_SELECT} WHERE o.id = ?3"),
        params![month.0, month.1, id],
        offer_of,
    )
    .optional()?
    .ok_or_else(|| Refusal::at("offer", msg!("offer.unknown")).into())
}

fn offer_of(r: &Row<'_>) -> rusqlite::Result<OfferRow> {
    Ok(OfferRow {
        id: r.get(0)?,
        merchant_id: r.get(1)?,
        offer: OfferInput {
            text: r.get(2)?,
            points: r.get(3)?,
            value_fen: r.get(4)?,
            valid_from: date(r, 5)?,
            valid_to: date(r, 6)?,
            monthly_cap_fen: r.get(7)?,
            not_combined: r.get(8)?,
            note: r.get(9)?,
        },
        withdrawn_at: r.get(10)?,
        used_fen: r.get(11)?,
    })
}

fn require_master(by: &Session) -> StoreResult<()> {
    if by.is_master() {
        Ok(())
    } else {
        Err(Refusal::general(msg!("staff.master_only")).into())
    }
}

/// The checks of a merchant's form, each at its field.
pub fn check_merchant(m: &MerchantInput) -> Result<(), Vec<Refusal>> {
    let mut errs = Vec::new();
    for (field, v) in [
        ("name", &m.name),
        ("address", &m.address),
        ("contact_name", &m.contact_name),
        ("redeemer", &m.redeemer),
    ] {
        if v.trim().is_empty() {
            errs.push(Refusal::at(field, msg!("merchant.required")));
        }
    }
    if let Err(e) = crate::domain::member::parse_phone("contact_phone", &m.contact_phone) {
        errs.push(e);
    }
    if let Err(e) = crate::domain::station::parse_community_code(&m.community) {
        errs.push(Refusal {
            field: Some("community"),
            ..e
        });
    }
    if m.agreement_to < m.agreement_from {
        // at the form's field, `to`, like every refusal here
        errs.push(Refusal::at("to", msg!("merchant.dates_order")));
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

pub fn check_offer(o: &OfferInput) -> Result<(), Vec<Refusal>> {
    let mut errs = Vec::new();
    if o.text.trim().is_empty() {
        errs.push(Refusal::at("text", msg!("offer.text_required")));
    }
    if o.points <= 0 {
        errs.push(Refusal::at("points", msg!("offer.points_invalid")));
    }
    if o.value_fen <= 0 {
        errs.push(Refusal::at("value", msg!("offer.yuan_invalid")));
    }
    if o.monthly_cap_fen < o.value_fen {
        errs.push(Refusal::at("cap", msg!("offer.cap_below_value")));
    }
    if o.valid_to < o.valid_from {
        errs.push(Refusal::at("valid_to", msg!("merchant.dates_order")));
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

impl Store {
    fn grade_lines(&self) -> merchant::GradeLines {
        self.settings().merchant_grades
    }

    /// Every merchant, the best rated first (the order offers are shown to
    /// members in), ended ones last.
    pub fn merchants(&self) -> StoreResult<Vec<MerchantRow>> {
        let lines = self.grade_lines();
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLS} FROM merchants x"))?;
        let mut rows: Vec<MerchantRow> = stmt
            .query_map([], |r| merchant_of(r, &lines))?
            .collect::<Result<_, _>>()?;
        rows.sort_by(|a, b| {
            (a.status == Status::Ended)
                .cmp(&(b.status == Status::Ended))
                .then(b.grade.cmp(&a.grade))
                .then(b.average_x100().cmp(&a.average_x100()))
                .then(a.name.cmp(&b.name))
        });
        Ok(rows)
    }

    /// Add a merchant (`id` none; it gets the next code and a ledger
    /// account) or change one.
    pub fn save_merchant(
        &mut self,
        by: &Session,
        id: Option<i64>,
        m: &MerchantInput,
        at: Stamp,
    ) -> StoreResult<MerchantRow> {
        check_merchant(m).map_err(StoreError::Invalid)?;
        let station = self.station().map(|s| s.code()).unwrap_or_default();
        let lines = self.grade_lines();
        self.write(|tx| {
            let taken: Option<i64> = tx
                .query_row(
                    SAVE_MERCHANT_SELECT_MERCHANTS,
                    params![m.name.trim(), id],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Err(Refusal::at("name", msg!("merchant.name_taken")).into());
            }
            let vals = params![
                m.name.trim(),
                m.kind.as_str(),
                m.address.trim(),
                m.distance_m,
                m.contact_name.trim(),
                m.contact_phone.trim(),
                m.redeemer.trim(),
                m.community.trim(),
                m.agreement_from.to_string(),
                m.agreement_to.to_string(),
                at
            ];
            let id = match id {
                Some(id) => {
                    tx.execute(
                        SAVE_MERCHANT_UPDATE_MERCHANTS,
                        rusqlite::params_from_iter(
                            vals.iter().copied().chain([&id as &dyn rusqlite::ToSql]),
                        ),
                    )?;
                    id
                }
                None => {
                    let n: i64 =
                        tx.query_row(SAVE_MERCHANT_SELECT_MERCHANTS_2, [], |r| r.get(0))?;
                    let code = format!("S{n:03}");
                    tx.execute(
                        SAVE_MERCHANT_INSERT_MERCHANTS,
                        rusqlite::params_from_iter(
                            vals.iter().copied().chain([&code as &dyn rusqlite::ToSql]),
                        ),
                    )?;
                    let id = tx.last_insert_rowid();
                    tx.execute(
                        SAVE_MERCHANT_INSERT_ACCOUNTS,
                        params![format!("x:{station}-{code}"), id, at],
                    )?;
                    id
                }
            };
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "merchant.save",
                "merchant",
                id,
                json!({"name": m.name.trim(), "kind": m.kind.as_str()}),
            )?;
            merchant_row(tx, id, &lines)
        })
    }

    /// Pause, end or reactivate a merchant (station master, with a reason).
    pub fn set_merchant_status(
        &mut self,
        by: &Session,
        id: i64,
        status: Status,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<MerchantRow> {
        require_master(by)?;
        if reason.trim().is_empty() {
            return Err(Refusal::at("reason", msg!("merchant.reason_required")).into());
        }
        let lines = self.grade_lines();
        self.write(|tx| {
            let before = merchant_row(tx, id, &lines)?;
            if before.status == Status::Ended {
                return Err(Refusal::general(msg!("merchant.ended_for_good")).into());
            }
            tx.execute(
                SET_MERCHANT_STATUS_UPDATE_MERCHANTS,
                params![status.as_str(), reason.trim(), at, id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "merchant.status", "merchant", id, json!({"from": before.status.as_str(), "to": status.as_str(), "reason": reason.trim()}))?;
            merchant_row(tx, id, &lines)
        })
    }

    /// Add an offer (`offer_id` none) or change one; `withdraw` ends it now.
    pub fn save_offer(
        &mut self,
        by: &Session,
        merchant_id: i64,
        offer_id: Option<i64>,
        o: &OfferInput,
        at: Stamp,
    ) -> StoreResult<()> {
        check_offer(o).map_err(StoreError::Invalid)?;
        self.write(|tx| {
            let vals = params![
                o.text.trim(),
                o.points,
                o.value_fen,
                o.valid_from.to_string(),
                o.valid_to.to_string(),
                o.monthly_cap_fen,
                o.not_combined,
                o.note.as_deref().map(str::trim).filter(|n| !n.is_empty())
            ];
            let id = match offer_id {
                Some(id) => {
                    let n = tx.execute(
                        SAVE_OFFER_UPDATE_MERCHANT_OFFERS,
                        rusqlite::params_from_iter(vals.iter().copied().chain([&id as &dyn rusqlite::ToSql, &merchant_id])),
                    )?;
                    if n == 0 {
                        return Err(Refusal::general(msg!("offer.unknown")).into());
                    }
                    id
                }
                None => {
                    tx.execute(
                        SAVE_OFFER_INSERT_MERCHANT_OFFERS,
                        rusqlite::params_from_iter(vals.iter().copied().chain([&merchant_id as &dyn rusqlite::ToSql, &at])),
                    )?;
                    tx.last_insert_rowid()
                }
            };
            audit::log(tx, at, Some(by.staff_id), "offer.save", "offer", id, json!({"merchant": merchant_id, "points": o.points, "value_fen": o.value_fen, "cap_fen": o.monthly_cap_fen}))?;
            Ok(())
        })
    }

    pub fn withdraw_offer(&mut self, by: &Session, offer_id: i64, at: Stamp) -> StoreResult<()> {
        self.stamp_once(
            by,
            WITHDRAW_OFFER_UPDATE_MERCHANT_OFFERS,
            ("offer.withdraw", "offer", offer_id),
            msg!("offer.unknown"),
            at,
        )
    }

    /// Set a "done at" time that is set once (`sql` with ?1 the time, ?2
    /// the row), with its audit row; `none` when there was nothing to set.
    fn stamp_once(
        &mut self,
        by: &Session,
        sql: &str,
        (action, entity, id): (&str, &str, i64),
        none: crate::msg::Msg,
        at: Stamp,
    ) -> StoreResult<()> {
        self.write(|tx| {
            if tx.execute(sql, params![at, id])? == 0 {
                return Err(Refusal::general(none).into());
            }
            audit::log(tx, at, Some(by.staff_id), action, entity, id, json!({}))?;
            Ok(())
        })
    }
}
