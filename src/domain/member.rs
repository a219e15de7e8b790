//! Members: identity numbers, phones, member numbers, card serials, and the
//! recommender rule (docs/rules.md §4). Parsing here is what every screen and the
//! CLI use, so they all refuse the same things with the same words.

use super::time::{Stamp, add_months, local, local_day};
use crate::msg;
use crate::msg::Refusal;
use chrono::TimeZone;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 居民身份证, 18 characters (GB 11643)
    IdCard,
    /// 户口本 number, given instead of an ID card
    Household,
}

impl IdKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::IdCard => "id_card",
            IdKind::Household => "household",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "id_card" => Some(IdKind::IdCard),
            "household" => Some(IdKind::Household),
            _ => None,
        }
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The GB 11643 check character of the first 17 digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize])
}

/// An 18-character ID number: 17 digits, a check character (a lower-case x
/// is taken as X), a real birth date, a region code that is not zeros.
/// Returns the canonical form.
pub fn parse_id_card(s: &str) -> Result<String, Refusal> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let bad = |key| Err(Refusal::at("id_number", key));
    if t.chars().count() != 18 {
        return bad(msg!("member.id.length", n = t.chars().count()));
    }
    if !t.is_ascii() {
        return bad(msg!("member.id.chars"));
    }
    let (body, last) = t.split_at(17);
    if !body.bytes().all(|b| b.is_ascii_digit())
        || !(last == "X" || last.bytes().all(|b| b.is_ascii_digit()))
    {
        return bad(msg!("member.id.chars"));
    }
    if &body[..6] == "000000" {
        return bad(msg!("member.id.region"));
    }
    let (y, m, d) = (&body[6..10], &body[10..12], &body[12..14]);
    let date = chrono::NaiveDate::from_ymd_opt(
        y.parse().unwrap_or(0),
        m.parse().unwrap_or(0),
        d.parse().unwrap_or(0),
    );
    match date {
        Some(dt) if chrono::Datelike::year(&dt) >= 1900 => {}
        _ => return bad(msg!("member.id.birth_date")),
    }
    if Some(last.chars().next().unwrap_or(' ')) != id_check_char(body) {
        return bad(msg!("member.id.check_digit"));
    }
    Ok(t)
}

/// A household-register number: 6–20 letters or digits.
pub fn parse_household_no(s: &str) -> Result<String, Refusal> {
    let t = s.trim().to_ascii_uppercase();
    if (6..=20).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(t)
    } else {
        Err(Refusal::at("id_number", msg!("member.household.invalid")))
    }
}

pub fn parse_identity(kind: IdKind, s: &str) -> Result<String, Refusal> {
    match kind {
        IdKind::IdCard => parse_id_card(s),
        IdKind::Household => parse_household_no(s),
    }
}

/// First 3 and last 4 characters, the rest as `*`: what screens show.
pub fn mask_identity(canonical: &str) -> String {
    mask_middle(canonical)
}

/// First 3 and last 4 characters, the rest as `*`; all `*` up to 7. By
/// characters, so any text (not only digits) is masked without a panic.
fn mask_middle(canonical: &str) -> String {
    let chars: Vec<char> = canonical.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str(&"*".repeat(chars.len() - 7));
    out.extend(&chars[chars.len() - 4..]);
    out
}

/// The keyed hash of an identity number, for finding the same person twice
/// without storing the number. Keyed with the station secret (kept outside
/// the database file), so the hash cannot be reversed by trying every
/// possible number without that secret.
pub fn identity_hash(secret: &[u8; 32], kind: IdKind, canonical: &str) -> String {
    let mut h = blake3::Hasher::new_keyed(secret);
    h.update(kind.as_str().as_bytes());
    h.update(b":");
    h.update(canonical.as_bytes());
    h.finalize().to_hex().to_string()
}

/// A phone number: an 11-digit mobile (1[3-9]…) or a landline with its area
/// code (0 + 2–3 digits, then 7–8 digits). Spaces and dashes are dropped.
pub fn parse_phone(field: &'static str, s: &str) -> Result<String, Refusal> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if t.is_empty() {
        return Err(Refusal::at(field, msg!("member.phone.empty")));
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::at(field, msg!("member.phone.digits")));
    }
    let mobile = t.len() == 11 && t.starts_with('1') && matches!(t.as_bytes()[1], b'3'..=b'9');
    let landline = t.starts_with('0') && (10..=12).contains(&t.len());
    if mobile || landline {
        Ok(t)
    } else {
        Err(Refusal::at(field, msg!("member.phone.length", n = t.len())))
    }
}

/// `138****5678`: what liaison staff see.
pub fn mask_phone(p: &str) -> String {
    mask_middle(p)
}

/// A member number `JS01-0001`: street, community, sequence (≥ 4 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberNumber {
    pub street: String,
    pub community: String,
    pub seq: u32,
}

impl MemberNumber {
    pub fn parse(s: &str) -> Option<MemberNumber> {
        let t = s.trim().to_ascii_uppercase();
        let (code, seq) = t.split_once('-')?;
        if !t.is_ascii() || code.len() != 4 || !seq.len().ge(&4) || seq.len() > 9 {
            return None;
        }
        let (street, community) = code.split_at(2);
        if !street.bytes().all(|b| b.is_ascii_uppercase())
            || !community.bytes().all(|b| b.is_ascii_digit())
            || !seq.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let seq: u32 = seq.parse().ok()?;
        if seq == 0 {
            return None;
        }
        Some(MemberNumber {
            street: street.to_string(),
            community: community.to_string(),
            seq,
        })
    }
}

impl std::fmt::Display for MemberNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}-{:04}", self.street, self.community, self.seq)
    }
}

/// A time-card serial as printed on the card: 4–20 letters or digits.
pub fn parse_card_serial(s: &str) -> Result<String, Refusal> {
    let t = s.trim().to_ascii_uppercase();
    if (4..=20).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(t)
    } else {
        Err(Refusal::at("serial", msg!("card.serial.invalid")))
    }
}

/// What a card's QR code holds: the member number, then the card serial so
/// that a lost (voided) card can be told from its replacement.
pub fn card_payload(number: &str, serial: &str) -> String {
    format!("{number}/{serial}")
}

/// A scanned or typed payload: a member number, with the card serial if it
/// came from a card.
pub fn parse_payload(s: &str) -> Option<(MemberNumber, Option<String>)> {
    let t = s.trim();
    match t.split_once('/') {
        Some((n, serial)) => {
            let serial = parse_card_serial(serial).ok()?;
            Some((MemberNumber::parse(n)?, Some(serial)))
        }
        None => Some((MemberNumber::parse(t)?, None)),
    }
}

/// Building / unit / room as typed, e.g. `3栋2单元501`.
pub fn parse_building(s: &str) -> Result<String, Refusal> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Refusal::at("building", msg!("member.building.empty")));
    }
    if crate::text::has_unprintable(t) || t.chars().count() > 30 {
        return Err(Refusal::at("building", msg!("member.building.invalid")));
    }
    Ok(t.to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Pending,
    Approved,
    Rejected,
    /// Passed away; the account was settled (inheritance or clearance).
    Deceased,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Pending => "pending",
            MemberStatus::Approved => "approved",
            MemberStatus::Rejected => "rejected",
            MemberStatus::Deceased => "deceased",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(MemberStatus::Pending),
            "approved" => Some(MemberStatus::Approved),
            "rejected" => Some(MemberStatus::Rejected),
            "deceased" => Some(MemberStatus::Deceased),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            MemberStatus::Pending => crate::k!("member.status.pending"),
            MemberStatus::Approved => crate::k!("member.status.approved"),
            MemberStatus::Rejected => crate::k!("member.status.rejected"),
            MemberStatus::Deceased => crate::k!("member.status.deceased"),
        }
    }
}

/// What the recommender rule needs to know about a would-be recommender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommenderFacts {
    pub member_id: i64,
    pub status: MemberStatus,
    pub approved_at: Option<Stamp>,
    pub blacklisted: bool,
    pub active_violation: bool,
}

/// docs/rules.md §4: registered ≥ 3 months (calendar months in station time),
/// approved and active, not blacklisted, no violation on record.
pub fn check_recommender(
    r: &RecommenderFacts,
    applicant_id: Option<i64>,
    now: Stamp,
    tz: Tz,
) -> Result<(), Refusal> {
    let no = |m| Err(Refusal::at("recommender", m));
    if applicant_id == Some(r.member_id) {
        return no(msg!("recommender.self"));
    }
    if r.status != MemberStatus::Approved {
        return no(msg!("recommender.not_approved"));
    }
    if r.blacklisted {
        return no(msg!("recommender.blacklisted"));
    }
    if r.active_violation {
        return no(msg!("recommender.violation"));
    }
    match r.approved_at {
        Some(at) if months_after(at, 3, tz) <= now => Ok(()),
        Some(at) => no(msg!("recommender.too_new", since = local_day(at, tz))),
        None => no(msg!("recommender.not_approved")),
    }
}

/// The instant `months` calendar months after `at`, in station time.
pub fn months_after(at: Stamp, months: i32, tz: Tz) -> Stamp {
    let l = local(at, tz);
    let day = add_months(l.date_naive(), months);
    tz.from_local_datetime(&day.and_time(l.time()))
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or(at + i64::from(months) * 30 * super::time::DAY_MS)
}

/// The same person (same identity number) found on file when they apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earlier {
    pub number: Option<String>,
    pub status: MemberStatus,
    pub blacklisted: bool,
    /// A rejection of theirs found the identity false.
    pub false_identity: bool,
}

/// docs/rules.md §4: one person is a member once; a rejected applicant may
/// apply again, but a false identity or a blacklisting refuses for ever.
pub fn may_apply_again(e: &Earlier) -> Result<(), Refusal> {
    let no = |m| Err(Refusal::at("id_number", m));
    if e.false_identity {
        return no(msg!("member.id.false_identity"));
    }
    if e.blacklisted {
        return no(msg!("member.id.blacklisted"));
    }
    match e.status {
        MemberStatus::Rejected => Ok(()),
        MemberStatus::Pending | MemberStatus::Approved | MemberStatus::Deceased => {
            let who = e
                .number
                .clone()
                .unwrap_or_else(|| e.status.as_str().to_string());
            no(msg!("member.id.duplicate", who = who))
        }
    }
}

/// What an approval by this staff member does to a pending application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStep {
    /// A liaison's review: recorded; the application waits for the master.
    Checked,
    /// The station master's approval: the member number is assigned.
    Approved,
}

/// The handbook's review (审核: 驿站联络员+站长): a liaison checks, the
/// station master approves — a liaison alone never approves; without a
/// recommender only the master may act at all (§4, with a note).
pub fn review_step(master: bool, has_recommender: bool) -> Result<ReviewStep, Refusal> {
    match (master, has_recommender) {
        (true, _) => Ok(ReviewStep::Approved),
        (false, true) => Ok(ReviewStep::Checked),
        (false, false) => Err(Refusal::general(msg!("review.no_recommender_master"))),
    }
}

/// Pending applications are decided within this many hours (a setting).
pub fn review_deadline(submitted_at: Stamp, review_hours: u32) -> Stamp {
    submitted_at + i64::from(review_hours) * super::time::HOUR_MS
}

#[cfg(test)]
mod tests;
