//! Medals: the figures each proposal reads, the proposals, the station
//! master's award (one transaction with its audit row; the table is
//! covered, see [`super::covers`]), the medals a member or merchant holds,
//! and the year's stories (年度信任故事集) gathered from the story wall and
//! the thank-you letters.

use super::{Store, StoreError, StoreResult, audit};
use crate::domain::medal::{self, MedalKind, MerchantFigures, NeighbourFigures};
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::msg;
use crate::msg::Refusal;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

mod sql;
use sql::*;

/// Who a medal is for: a member or a merchant, with how people know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: i64,
    /// The member number or the merchant's code.
    pub code: String,
    pub name: String,
}

/// The figures a proposal read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    Neighbour(NeighbourFigures),
    Merchant(MerchantFigures),
}

/// One proposed holder, best first; `awarded` once the master gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub kind: MedalKind,
    pub period: String,
    pub holder: Holder,
    pub figures: Figures,
    pub awarded: bool,
}

/// A medal given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MedalRow {
    pub id: i64,
    pub kind: MedalKind,
    pub period: String,
    pub holder: Holder,
    pub reason: String,
    pub awarded_at: Stamp,
    /// The staff number of the master who gave it.
    pub awarded_by: String,
}

/// The award the station master makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedal {
    pub kind: MedalKind,
    pub period: String,
    /// The member or the merchant, as the kind says.
    pub holder_id: i64,
    pub reason: String,
}

/// The year's stories: each day's story from the story wall and each
/// thank-you letter, in time order, with the year's medals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearStories {
    pub year: i32,
    /// (day, the story written at its close)
    pub days: Vec<(NaiveDate, String)>,
    /// (when, who was thanked, the letter)
    pub letters: Vec<(Stamp, String, String)>,
    pub medals: Vec<MedalRow>,
}

impl YearStories {
    pub fn is_empty(&self) -> bool {
        self.days.is_empty() && self.letters.is_empty() && self.medals.is_empty()
    }
}

fn year_range(year: i32, tz: chrono_tz::Tz) -> (Stamp, Stamp) {
    let start = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    (
        time::day_start(start(year), tz),
        time::day_start(start(year + 1), tz),
    )
}

/// The span a medal's period names, in station time.
fn period_range(kind: MedalKind, period: &str, tz: chrono_tz::Tz) -> Option<(Stamp, Stamp)> {
    match kind {
        MedalKind::WarmNeighbour => {
            let d = NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").ok()?;
            (period.len() == 7).then(|| time::month_range(d, tz))
        }
        MedalKind::HonestMerchant => {
            let y: i32 = period.parse().ok().filter(|_| period.len() == 4)?;
            Some(year_range(y, tz))
        }
    }
}

fn medal_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<MedalRow> {
    Ok(MedalRow {
        id: r.get(0)?,
        kind: MedalKind::parse(&r.get::<_, String>(1)?).unwrap_or(MedalKind::WarmNeighbour),
        period: r.get(2)?,
        holder: Holder {
            id: r.get(3)?,
            code: r.get(4)?,
            name: r.get(5)?,
        },
        reason: r.get(6)?,
        awarded_at: r.get(7)?,
        awarded_by: r.get(8)?,
    })
}

/// The figures a kind of proposal reads: its query (the window and an
/// optional holder; the holder's id, code and name first) and its row.
trait FigureRow: Sized {
    const SQL: &'static str;
    fn of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
    fn holder_id(&self) -> i64;
    fn proposed(self) -> Figures;
}

impl FigureRow for NeighbourFigures {
    const SQL: &'static str = NEIGHBOUR_FIGURES;
    fn holder_id(&self) -> i64 {
        self.member_id
    }
    fn proposed(self) -> Figures {
        Figures::Neighbour(self)
    }
    fn of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(NeighbourFigures {
            member_id: r.get(0)?,
            trust_score: r.get(3)?,
            blacklisted: r.get(4)?,
            services: r.get(5)?,
            minutes: r.get(6)?,
            ratings: r.get(7)?,
            rating_sum: r.get(8)?,
            thank_yous: r.get(9)?,
            violations: r.get(10)?,
        })
    }
}

impl FigureRow for MerchantFigures {
    const SQL: &'static str = MERCHANT_FIGURES;
    fn holder_id(&self) -> i64 {
        self.merchant_id
    }
    fn proposed(self) -> Figures {
        Figures::Merchant(self)
    }
    fn of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(MerchantFigures {
            merchant_id: r.get(0)?,
            ended: r.get(3)?,
            redemptions: r.get(4)?,
            ratings: r.get(5)?,
            rating_sum: r.get(6)?,
            violations: r.get(7)?,
            complaints: r.get(8)?,
            price_flags: r.get(9)?,
        })
    }
}

fn figure_rows<F: FigureRow>(
    conn: &Connection,
    (from, to): (Stamp, Stamp),
    only: Option<i64>,
) -> StoreResult<Vec<(F, Holder)>> {
    let mut st = conn.prepare_cached(F::SQL)?;
    let rows = st
        .query_map(params![from, to, only], |r| {
            let holder = Holder {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
            };
            Ok((F::of(r)?, holder))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// The chosen figures as proposals, each with its holder as the figures
/// named them (not yet marked awarded).
fn proposals<F: FigureRow>(
    kind: MedalKind,
    period: &str,
    all: &[(F, Holder)],
    chosen: Vec<F>,
) -> Vec<Proposal> {
    chosen
        .into_iter()
        .map(|f| {
            let id = f.holder_id();
            let holder = all
                .iter()
                .find(|(g, _)| g.holder_id() == id)
                .map(|(_, h)| h.clone())
                .unwrap_or_else(|| Holder {
                    id,
                    code: String::new(),
                    name: String::new(),
                });
            Proposal {
                kind,
                period: period.to_string(),
                holder,
                figures: f.proposed(),
                awarded: false,
            }
        })
        .collect()
}

fn awarded(conn: &Connection, kind: MedalKind, period: &str, holder: i64) -> StoreResult<bool> {
    Ok(conn
        .query_row(AWARDED, params![kind.as_str(), period, holder], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Store {
    /// The proposals for a medal given on `day` (its period: last month,
    /// or the year), best first, each marked once awarded.
    pub fn medal_proposals(&self, kind: MedalKind, day: NaiveDate) -> StoreResult<Vec<Proposal>> {
        let period = kind.period(day);
        let tz = self.tz();
        let span = period_range(kind, &period, tz).unwrap_or_default();
        let mut out = match kind {
            MedalKind::WarmNeighbour => {
                let all = figure_rows::<NeighbourFigures>(&self.conn, span, None)?;
                let figures: Vec<NeighbourFigures> = all.iter().map(|(f, _)| *f).collect();
                proposals(kind, &period, &all, medal::propose_neighbours(&figures))
            }
            MedalKind::HonestMerchant => {
                let lines = self.settings().merchant_grades;
                let all = figure_rows::<MerchantFigures>(&self.conn, span, None)?;
                let figures: Vec<MerchantFigures> = all.iter().map(|(f, _)| *f).collect();
                proposals(
                    kind,
                    &period,
                    &all,
                    medal::propose_merchants(&figures, &lines),
                )
            }
        };
        for p in &mut out {
            p.awarded = awarded(&self.conn, kind, &p.period, p.holder.id)?;
        }
        Ok(out)
    }

    /// The station master awards a medal: the reason is required, the
    /// holder must still qualify on the period's figures (which are kept
    /// with the medal), and each holder gets a kind once per period.
    pub fn award_medal(&mut self, by: &Session, m: &NewMedal, at: Stamp) -> StoreResult<MedalRow> {
        if !by.is_master() {
            return Err(StoreError::Refused(Refusal::general(msg!(
                "staff.master_only"
            ))));
        }
        let reason = medal::check_reason(&m.reason).map_err(|k| {
            StoreError::Invalid(vec![Refusal::at("reason", crate::msg::Msg::new(k))])
        })?;
        let tz = self.tz();
        let span = period_range(m.kind, &m.period, tz).ok_or_else(|| {
            StoreError::Invalid(vec![Refusal::at("period", msg!("medal.period_bad"))])
        })?;
        let lines = self.settings().merchant_grades;
        self.write(|tx| {
            let figures = match m.kind {
                MedalKind::WarmNeighbour => {
                    let (f, _) = figure_rows::<NeighbourFigures>(tx, span, Some(m.holder_id))?.pop().ok_or_else(|| Refusal::at("holder", msg!("member.unknown")))?;
                    if let Some(why) = medal::neighbour_blocked(&f) {
                        return Err(Refusal::at("holder", crate::msg::Msg::new(why)).into());
                    }
                    json!({"services": f.services, "minutes": f.minutes, "ratings": f.ratings, "rating_sum": f.rating_sum, "thank_yous": f.thank_yous, "trust_score": f.trust_score})
                }
                MedalKind::HonestMerchant => {
                    let (f, _) = figure_rows::<MerchantFigures>(tx, span, Some(m.holder_id))?.pop().ok_or_else(|| Refusal::at("holder", msg!("merchant.unknown")))?;
                    if let Some(why) = medal::merchant_blocked(&f, &lines) {
                        return Err(Refusal::at("holder", crate::msg::Msg::new(why)).into());
                    }
                    json!({"redemptions": f.redemptions, "ratings": f.ratings, "rating_sum": f.rating_sum})
                }
            };
            if awarded(tx, m.kind, &m.period, m.holder_id)? {
                return Err(Refusal::at("holder", msg!("medal.already")).into());
            }
            let (member, merchant) = match m.kind {
                MedalKind::WarmNeighbour => (Some(m.holder_id), None),
                MedalKind::HonestMerchant => (None, Some(m.holder_id)),
            };
            tx.execute(INSERT_MEDAL, params![m.kind.as_str(), m.period, member, merchant, reason, figures.to_string(), at, by.staff_id])?;
            let id = tx.last_insert_rowid();
            audit::log(tx, at, Some(by.staff_id), "medal.award", "medal", id, json!({"kind": m.kind.as_str(), "period": m.period, "member": member, "merchant": merchant, "reason": reason}))?;
            Ok(tx.query_row(&format!("{MEDALS} WHERE d.id = ?1"), [id], medal_of)?)
        })
    }

    /// A member's medals, newest first.
    pub fn member_medals(&self, member_id: i64) -> StoreResult<Vec<MedalRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "{MEDALS} WHERE d.member_id = ?1 ORDER BY d.period DESC, d.id DESC"
        ))?;
        Ok(st
            .query_map([member_id], medal_of)?
            .collect::<Result<_, _>>()?)
    }

    /// A merchant's medals, newest first.
    pub fn merchant_medals(&self, merchant_id: i64) -> StoreResult<Vec<MedalRow>> {
        let mut st = self.conn.prepare_cached(&format!(
            "{MEDALS} WHERE d.merchant_id = ?1 ORDER BY d.period DESC, d.id DESC"
        ))?;
        Ok(st
            .query_map([merchant_id], medal_of)?
            .collect::<Result<_, _>>()?)
    }

    /// The year's stories (年度信任故事集): the story wall's day stories,
    /// the thank-you letters, and the medals given for the year's periods.
    pub fn year_stories(&self, year: i32) -> StoreResult<YearStories> {
        let (from, to) = year_range(year, self.tz());
        let mut st = self.conn.prepare_cached(YEAR_DAY_STORIES)?;
        let days = st
            .query_map(params![from, to], |r| {
                let day: String = r.get(0)?;
                Ok((
                    NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default(),
                    r.get(1)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let mut st = self.conn.prepare_cached(YEAR_LETTERS)?;
        let letters = st
            .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut st = self.conn.prepare_cached(&format!(
            "{MEDALS} WHERE substr(d.period, 1, 4) = ?1 ORDER BY d.period, d.kind, d.id"
        ))?;
        let medals = st
            .query_map([format!("{year:04}")], medal_of)?
            .collect::<Result<_, _>>()?;
        Ok(YearStories {
            year,
            days,
            letters,
            medals,
        })
    }
}

/// The year a story collection made on `day` is for: the year before in
/// its first month, else this year.
pub fn stories_year(day: NaiveDate) -> i32 {
    if day.month() == 1 {
        day.year() - 1
    } else {
        day.year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_names_its_span_or_nothing() {
        let tz = chrono_tz::Asia::Shanghai;
        let (a, b) = period_range(MedalKind::WarmNeighbour, "2026-10", tz).unwrap();
        assert_eq!(b - a, 31 * time::DAY_MS);
        let (a, b) = period_range(MedalKind::HonestMerchant, "2026", tz).unwrap();
        assert_eq!(b - a, 365 * time::DAY_MS);
        assert_eq!(period_range(MedalKind::WarmNeighbour, "2026", tz), None);
        assert_eq!(period_range(MedalKind::HonestMerchant, "2026-10", tz), None);
        assert_eq!(period_range(MedalKind::HonestMerchant, "abcd", tz), None);
    }

    #[test]
    fn the_story_year_turns_after_january() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(stories_year(d("2027-01-10")), 2026);
        assert_eq!(stories_year(d("2026-12-24")), 2026);
    }
}
