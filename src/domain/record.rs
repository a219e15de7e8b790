//! Service records (服务登记, docs/rules.md §7): every check a record must pass
//! before its points are posted, each with its own message at its field.

use super::level::{Level, Tier};
use super::member::MemberStatus;
use super::time::{HOUR_MS, MINUTE_MS, Stamp};
use super::units::{Minutes, points_for};
use crate::msg;
use crate::msg::Refusal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmMethod {
    /// Both at the desk, signed in the record book (page number).
    Desk,
    /// Online, with a photo reference and the recipient's confirmation.
    Online,
    /// A staff home visit for elderly who cannot confirm (photo archived).
    HomeVisit,
}

impl ConfirmMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmMethod::Desk => "desk",
            ConfirmMethod::Online => "online",
            ConfirmMethod::HomeVisit => "home_visit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "desk" => Some(ConfirmMethod::Desk),
            "online" => Some(ConfirmMethod::Online),
            "home_visit" => Some(ConfirmMethod::HomeVisit),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ConfirmMethod::Desk => crate::k!("record.method.desk"),
            ConfirmMethod::Online => crate::k!("record.method.online"),
            ConfirmMethod::HomeVisit => crate::k!("record.method.home_visit"),
        }
    }
}

/// Who pays for a service: the recipient's points, or the community pool
/// (welfare services).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    Recipient,
    Pool,
}

impl Payer {
    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Recipient => "recipient",
            Payer::Pool => "pool",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "recipient" => Some(Payer::Recipient),
            "pool" => Some(Payer::Pool),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Payer::Recipient => crate::k!("payer.recipient"),
            Payer::Pool => crate::k!("payer.pool"),
        }
    }
}

/// A record as entered, times already resolved to instants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordInput {
    pub uid: String,
    pub request_id: Option<i64>,
    pub provider: i64,
    pub recipient: i64,
    pub type_id: i64,
    pub started_at: Stamp,
    pub ended_at: Stamp,
    pub minutes: u32,
    pub payer: Payer,
    pub method: ConfirmMethod,
    pub book_page: Option<String>,
    pub photo_ref: Option<String>,
    pub recipient_confirmed: bool,
    pub rating: Option<u8>,
    pub notes: Option<String>,
    pub late_reason: Option<String>,
}

impl RecordInput {
    /// A digest of everything entered: the same uid with different content
    /// is a different record and must be refused, not silently deduplicated.
    pub fn content_hash(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        blake3::hash(json.as_bytes()).to_hex()[..32].to_string()
    }
}

/// What the checks need to know about each party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub status: MemberStatus,
    pub level: Level,
    pub blacklisted: bool,
    /// Cannot spend (frozen, or redemption frozen by a moderate violation).
    pub frozen: bool,
    pub balance: i64,
    /// Their community code (an ordinary member's points pay only there).
    pub community: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts {
    pub provider: Party,
    pub recipient: Party,
    pub tier: Tier,
    /// The service type's name in both languages, for a refusal to name
    /// it (the UI picks the language).
    pub type_zh: String,
    pub type_en: String,
    /// The provider's other records overlapping this one in time.
    pub overlaps: u32,
    pub now: Stamp,
    pub is_master: bool,
    pub points_per_hour: u32,
    /// Records are entered within this many hours of the service end.
    pub late_after_hours: u32,
}

/// Whether a record is late (entered more than the limit after the end).
pub fn is_late(ended_at: Stamp, now: Stamp, late_after_hours: u32) -> bool {
    now - ended_at > i64::from(late_after_hours) * HOUR_MS
}

/// §4: an ordinary member's points pay only for services in their own
/// community (given by a member of it); a star's or honor's across streets.
pub fn points_usable_with(payer: &Party, provider: &Party) -> bool {
    payer.level >= Level::Star || payer.community == provider.community
}

/// Every check of docs/rules.md §7; all failures at once, each at its field.
/// Returns the points the service earns.
/// Who pays by default once the recipient is known: the recipient when
/// their balance covers the service (`minutes`, when typed; else at least
/// one point), else the pool, so a new member's first service is not
/// refused for the 0 points they start with.
pub fn default_payer(balance: i64, minutes: Option<u32>, points_per_hour: u32) -> Payer {
    let need = minutes
        .map(|m| points_for(Minutes(m), points_per_hour).0)
        .unwrap_or(0)
        .max(1);
    if balance >= need {
        Payer::Recipient
    } else {
        Payer::Pool
    }
}

/// Over 80 lines: one check per rule of §7 in the order of the form's fields, every
/// refusal at its field; read as the rule list.
pub fn check_record(r: &RecordInput, f: &RecordFacts) -> Result<i64, Vec<Refusal>> {
    let mut errs = Vec::new();
    let mut at = |field: &'static str, m| errs.push(Refusal::at(field, m));
    if r.provider == r.recipient {
        at("recipient", msg!("record.same_person"));
    }
    for (field, p) in [("provider", &f.provider), ("recipient", &f.recipient)] {
        if p.status != MemberStatus::Approved {
            at(field, msg!("record.not_approved"));
        } else if p.blacklisted {
            at(field, msg!("record.blacklisted"));
        }
    }
    if !f.provider.level.allows(f.tier) {
        at(
            "type",
            msg!(
                "record.level_cannot_give",
                level = f.provider.level.label_key()
            )
            .names("service", &f.type_zh, &f.type_en),
        );
    } else if !f.recipient.level.allows(f.tier) {
        at(
            "type",
            msg!(
                "record.level_cannot_receive",
                level = f.recipient.level.label_key()
            )
            .names("service", &f.type_zh, &f.type_en),
        );
    }
    let cap = f
        .provider
        .level
        .max_minutes()
        .min(f.recipient.level.max_minutes());
    if r.ended_at <= r.started_at {
        at("end", msg!("record.end_before_start"));
    } else if r.minutes == 0 {
        at("minutes", msg!("record.minutes_positive"));
    } else if r.minutes > cap {
        at(
            "minutes",
            msg!("record.minutes_cap", cap = cap / 60, minutes = r.minutes),
        );
    } else if i64::from(r.minutes) * MINUTE_MS > r.ended_at - r.started_at {
        at("minutes", msg!("record.minutes_longer_than_window"));
    }
    if r.ended_at > f.now {
        at("end", msg!("record.end_future"));
    }
    if is_late(r.ended_at, f.now, f.late_after_hours) {
        if !f.is_master {
            at(
                "late_reason",
                msg!("record.late_needs_master", hours = f.late_after_hours),
            );
        } else if r.late_reason.as_deref().is_none_or(|s| s.trim().is_empty()) {
            at("late_reason", msg!("record.late_reason_required"));
        }
    }
    if f.overlaps > 0 {
        at("start", msg!("record.overlap", n = f.overlaps));
    }
    match r.method {
        ConfirmMethod::Desk if r.book_page.as_deref().is_none_or(|s| s.trim().is_empty()) => {
            at("book_page", msg!("record.book_page_required"));
        }
        ConfirmMethod::Online => {
            if r.photo_ref.as_deref().is_none_or(|s| s.trim().is_empty()) {
                at("photo_ref", msg!("record.photo_required"));
            }
            if !r.recipient_confirmed {
                at("confirmed", msg!("record.recipient_must_confirm"));
            }
        }
        ConfirmMethod::HomeVisit => {
            if !f.is_master {
                at("method", msg!("record.home_visit_master"));
            }
            if r.photo_ref.as_deref().is_none_or(|s| s.trim().is_empty()) {
                at("photo_ref", msg!("record.photo_required"));
            }
        }
        _ => {}
    }
    if let Some(rating) = r.rating
        && !(1..=5).contains(&rating)
    {
        at("rating", msg!("record.rating_range"));
    }
    let points = points_for(Minutes(r.minutes), f.points_per_hour).0;
    if r.minutes > 0 && points < 1 {
        at("minutes", msg!("record.too_short"));
    }
    if r.payer == Payer::Recipient {
        if f.recipient.frozen {
            at("payer", msg!("record.recipient_frozen"));
        } else if !points_usable_with(&f.recipient, &f.provider) {
            at("payer", msg!("record.other_community"));
        } else if f.recipient.balance < points {
            at(
                "payer",
                msg!(
                    "record.recipient_short",
                    have = f.recipient.balance,
                    need = points
                ),
            );
        }
    }
    if errs.is_empty() {
        Ok(points)
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_pays_by_default_when_the_recipient_cannot() {
        assert_eq!(default_payer(0, None, 20), Payer::Pool);
        assert_eq!(default_payer(0, Some(60), 20), Payer::Pool);
        assert_eq!(default_payer(19, Some(60), 20), Payer::Pool);
        assert_eq!(default_payer(20, Some(60), 20), Payer::Recipient);
        assert_eq!(default_payer(1, None, 20), Payer::Recipient);
    }

    const NOW: Stamp = 1_800_000_000_000;

    fn party(level: Level) -> Party {
        Party {
            status: MemberStatus::Approved,
            level,
            blacklisted: false,
            frozen: false,
            balance: 100,
            community: "01".into(),
        }
    }

    #[test]
    fn an_ordinary_members_points_pay_only_in_their_own_community() {
        let elsewhere = Party {
            community: "02".into(),
            ..party(Level::Ordinary)
        };
        assert!(points_usable_with(
            &party(Level::Ordinary),
            &party(Level::Ordinary)
        ));
        assert!(!points_usable_with(&party(Level::Ordinary), &elsewhere));
        assert!(!points_usable_with(&elsewhere, &party(Level::Star)));
        for level in [Level::Star, Level::Honor] {
            assert!(
                points_usable_with(&party(level), &elsewhere),
                "across streets"
            );
        }
    }

    fn input() -> RecordInput {
        RecordInput {
            uid: "r1".into(),
            request_id: None,
            provider: 1,
            recipient: 2,
            type_id: 1,
            started_at: NOW - 3 * HOUR_MS,
            ended_at: NOW - 2 * HOUR_MS,
            minutes: 60,
            payer: Payer::Recipient,
            method: ConfirmMethod::Desk,
            book_page: Some("12".into()),
            photo_ref: None,
            recipient_confirmed: false,
            rating: Some(5),
            notes: None,
            late_reason: None,
        }
    }

    fn facts() -> RecordFacts {
        RecordFacts {
            provider: party(Level::Ordinary),
            recipient: party(Level::Ordinary),
            tier: Tier::Basic,
            type_zh: "陪聊".into(),
            type_en: "chat".into(),
            overlaps: 0,
            now: NOW,
            is_master: false,
            points_per_hour: 20,
            late_after_hours: 24,
        }
    }

    fn fields(r: &RecordInput, f: &RecordFacts) -> Vec<(&'static str, &'static str)> {
        check_record(r, f)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field.unwrap(), e.msg.key))
            .collect()
    }

    #[test]
    fn a_good_record_earns_its_points() {
        assert_eq!(check_record(&input(), &facts()), Ok(20));
    }

    #[test]
    fn caps_by_level() {
        let r = RecordInput {
            minutes: 121,
            started_at: NOW - 5 * HOUR_MS,
            ..input()
        };
        assert_eq!(
            fields(&r, &facts()),
            vec![("minutes", "record.minutes_cap")]
        );
        let mut f = facts();
        f.provider.level = Level::Star;
        f.recipient.level = Level::Star;
        assert!(check_record(&r, &f).is_ok());
        let r = RecordInput {
            minutes: 241,
            started_at: NOW - 6 * HOUR_MS,
            ..input()
        };
        assert_eq!(fields(&r, &f), vec![("minutes", "record.minutes_cap")]);
    }

    #[test]
    fn special_services_need_star() {
        let mut f = facts();
        f.tier = Tier::Special;
        assert_eq!(
            fields(&input(), &f),
            vec![("type", "record.level_cannot_give")]
        );
        f.provider.level = Level::Star;
        assert_eq!(
            fields(&input(), &f),
            vec![("type", "record.level_cannot_receive")]
        );
        // the service is named in both languages: the desk words it
        let why = check_record(&input(), &f).unwrap_err();
        assert_eq!(
            why[0].msg.names,
            [("service", "陪聊".to_string(), "chat".to_string())]
        );
    }

    #[test]
    fn times() {
        let r = RecordInput {
            ended_at: NOW - 3 * HOUR_MS - 1,
            ..input()
        };
        assert!(fields(&r, &facts()).contains(&("end", "record.end_before_start")));
        let r = RecordInput {
            ended_at: NOW + 1,
            started_at: NOW - HOUR_MS + 1,
            ..input()
        };
        assert!(fields(&r, &facts()).contains(&("end", "record.end_future")));
        let r = RecordInput {
            minutes: 0,
            ..input()
        };
        assert!(fields(&r, &facts()).contains(&("minutes", "record.minutes_positive")));
        let r = RecordInput {
            minutes: 1,
            ..input()
        };
        assert!(fields(&r, &facts()).contains(&("minutes", "record.too_short")));
    }

    #[test]
    fn late_entries_need_the_master_and_a_reason() {
        let r = RecordInput {
            started_at: NOW - 26 * HOUR_MS,
            ended_at: NOW - 25 * HOUR_MS,
            ..input()
        };
        assert_eq!(
            fields(&r, &facts()),
            vec![("late_reason", "record.late_needs_master")]
        );
        let mut f = facts();
        f.is_master = true;
        assert_eq!(
            fields(&r, &f),
            vec![("late_reason", "record.late_reason_required")]
        );
        let r = RecordInput {
            late_reason: Some("老人住院".into()),
            ..r
        };
        assert!(check_record(&r, &f).is_ok());
        // exactly 24 h is still on time
        let r = RecordInput {
            started_at: NOW - 25 * HOUR_MS,
            ended_at: NOW - 24 * HOUR_MS,
            ..input()
        };
        assert!(check_record(&r, &facts()).is_ok());
    }

    #[test]
    fn parties() {
        let r = RecordInput {
            recipient: 1,
            ..input()
        };
        assert!(fields(&r, &facts()).contains(&("recipient", "record.same_person")));
        let mut f = facts();
        f.provider.blacklisted = true;
        f.recipient.status = MemberStatus::Pending;
        let got = fields(&input(), &f);
        assert!(got.contains(&("provider", "record.blacklisted")));
        assert!(got.contains(&("recipient", "record.not_approved")));
    }

    #[test]
    fn paying_recipients() {
        let mut f = facts();
        f.recipient.balance = 19;
        assert_eq!(
            fields(&input(), &f),
            vec![("payer", "record.recipient_short")]
        );
        let r = RecordInput {
            payer: Payer::Pool,
            ..input()
        };
        assert!(check_record(&r, &f).is_ok());
        f.recipient.balance = 100;
        f.recipient.frozen = true;
        assert_eq!(
            fields(&input(), &f),
            vec![("payer", "record.recipient_frozen")]
        );
    }

    #[test]
    fn confirmation_methods() {
        let r = RecordInput {
            book_page: None,
            ..input()
        };
        assert_eq!(
            fields(&r, &facts()),
            vec![("book_page", "record.book_page_required")]
        );
        let r = RecordInput {
            method: ConfirmMethod::Online,
            ..input()
        };
        assert_eq!(
            fields(&r, &facts()),
            vec![
                ("photo_ref", "record.photo_required"),
                ("confirmed", "record.recipient_must_confirm")
            ]
        );
        let r = RecordInput {
            method: ConfirmMethod::HomeVisit,
            photo_ref: Some("IMG_1".into()),
            ..input()
        };
        assert_eq!(
            fields(&r, &facts()),
            vec![("method", "record.home_visit_master")]
        );
        let mut f = facts();
        f.is_master = true;
        assert!(check_record(&r, &f).is_ok());
    }

    #[test]
    fn overlap_and_rating() {
        let mut f = facts();
        f.overlaps = 1;
        let r = RecordInput {
            rating: Some(6),
            ..input()
        };
        assert_eq!(
            fields(&r, &f),
            vec![
                ("start", "record.overlap"),
                ("rating", "record.rating_range")
            ]
        );
    }

    #[test]
    fn content_hash_sees_every_field() {
        let a = input();
        let b = RecordInput {
            notes: Some("x".into()),
            ..input()
        };
        assert_ne!(a.content_hash(), b.content_hash());
        assert_eq!(a.content_hash(), input().content_hash());
    }
}
