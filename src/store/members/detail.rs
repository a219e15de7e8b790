//! The member detail: everything the detail pane shows about one member, read in one go.

use super::*;

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
    pub rejections: Vec<super::super::applications::Rejection>,
    /// A pending application's review by a liaison (waiting for the master).
    pub checked: Option<super::super::applications::Check>,
    pub offers: Vec<i64>,
    pub needs: Vec<i64>,
    pub cards: Vec<Card>,
    pub level: super::super::standing::LevelView,
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
    pub violations: Vec<super::super::standing::ViolationRow>,
    pub blacklist_reason: Option<String>,
    pub trust: Vec<super::super::standing::TrustLine>,
    pub records: Vec<super::super::records::RecordRow>,
    pub thanks: Vec<(Stamp, String)>,
    /// Medals given (月度暖心邻居), newest first.
    pub medals: Vec<super::super::medals::MedalRow>,
    pub heir: Option<(String, String, String)>,
}

impl Store {
    pub fn member_detail(&self, id: i64, now: Stamp) -> StoreResult<MemberDetail> {
        // Long because: one field of the detail per line, after the single wide query whose tuple is unpacked here.
        let row = member_row(&self.conn, id)?;
        #[allow(clippy::type_complexity)]
        let extra: (
            String,
            String,
            String,
            String,
            bool,
            bool,
            Option<String>,
            Option<String>,
            bool,
            Option<String>,
            Option<Stamp>,
            Option<Stamp>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        ) = self
            .conn
            .query_row(MEMBER_DETAIL_SELECT_MEMBERS, [id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                    r.get(15)?,
                ))
            })?;
        let (offers, needs) = self.member_services(id)?;
        let (minutes_served, ratings, positive) = self.served(id)?;
        let (warnings, serious_complaints) = self.warnings_count(id)?;
        let mut stmt = self.conn.prepare(MEMBER_DETAIL_SELECT_THANK_YOU_LETTERS)?;
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
            rejections: super::super::applications::rejections(&self.conn, id)?,
            checked: super::super::applications::check_of(&self.conn, &row)?,
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
            medals: self.member_medals(id)?,
            heir,
            row,
        })
    }
}
