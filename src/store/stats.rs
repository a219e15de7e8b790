//! The stats pane's figures: a period's services and clocks, the 30-day
//! charts, the month's KPIs, and the satisfaction callbacks.

use super::{Store, StoreResult, audit};
use crate::domain::day;
use crate::domain::staff::Session;
use crate::domain::time::{self, MINUTE_MS, Stamp};
use crate::msg;
use crate::msg::Refusal;
use chrono::{Datelike, NaiveDate};
use rusqlite::params;
use serde_json::json;

mod sql;
use sql::*;

/// Figures of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Period {
    pub services: u32,
    pub minutes: u64,
    pub points: i64,
    pub requests: u32,
    pub median_respond_min: Option<i64>,
    pub median_match_min: Option<i64>,
    pub responded_in_time: u32,
    pub matched_in_time: u32,
    pub disputes: u32,
    pub disputes_contacted_in_time: u32,
}

/// Everything the stats pane shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub today: Period,
    pub week: Period,
    pub month: Period,
    /// Minutes of service per day, the last 30 days (oldest first), by the day served.
    pub hours_30d: Vec<(NaiveDate, u64)>,
    /// Requests taken in per day, the last 30 days.
    pub requests_30d: Vec<u64>,
    pub target_hours: u64,
    pub bonus: i64,
    pub satisfaction: Option<u32>,
    pub callbacks_answered: u32,
    pub disputes_late: u32,
    pub dispute_penalty: i64,
    /// The month's activities and who came (issue 17).
    pub activities: super::activities::ActivityCounts,
    /// The month's hours for the KPI: services and activities attended
    /// (public good included, as the handbook says).
    pub kpi_minutes: u64,
}

/// A member to call back this month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    pub member_id: i64,
    pub number: String,
    pub name: String,
    pub phone: String,
    pub called_at: Option<Stamp>,
    pub satisfied: Option<bool>,
    pub note: Option<String>,
}

impl Store {
    fn period(&self, from: Stamp, to: Stamp, now: Stamp) -> StoreResult<Period> {
        let c = self.settings().clocks();
        let (services, minutes, points): (u32, i64, i64) =
            self.conn
                .query_row(PERIOD_SELECT_SERVICE_RECORDS, params![from, to], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        let mut stmt = self.conn.prepare_cached(PERIOD_SELECT_REQUESTS)?;
        let mut respond = Vec::new();
        let mut matched = Vec::new();
        let (mut r_ok, mut m_ok, mut n) = (0, 0, 0);
        for row in stmt.query_map(params![from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })? {
            let (created, responded, m, urgent) = row?;
            n += 1;
            let first = match (responded, m) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let limit = i64::from(if urgent {
                c.urgent_respond_minutes
            } else {
                c.respond_minutes
            }) * MINUTE_MS;
            if let Some(f) = first {
                respond.push((f - created) / MINUTE_MS);
                if f - created <= limit {
                    r_ok += 1;
                }
            }
            if let Some(m) = m {
                matched.push((m - created) / MINUTE_MS);
                if m - created <= i64::from(c.match_minutes) * MINUTE_MS {
                    m_ok += 1;
                }
            }
        }
        let (disputes, late) = self.late_first_contacts(from, to, now)?;
        Ok(Period {
            services,
            minutes: minutes.max(0) as u64,
            points,
            requests: n,
            median_respond_min: day::median(respond),
            median_match_min: day::median(matched),
            responded_in_time: r_ok,
            matched_in_time: m_ok,
            disputes,
            disputes_contacted_in_time: disputes - late,
        })
    }

    /// The stats pane at `now` (station time).
    pub fn stats(&self, now: Stamp) -> StoreResult<Stats> {
        let tz = self.tz();
        let main = self
            .station()
            .is_some_and(|s| s.kind == crate::domain::station::StationKind::Main);
        let today = time::local_day(now, tz);
        let (d0, d1) = time::day_range(today, tz);
        let monday =
            today - chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let (w0, _) = time::day_range(monday, tz);
        let (m0, m1) = time::month_range(today, tz);
        let month = self.period(m0, m1, now)?;
        let first = today - chrono::Duration::days(29);
        let (c0, _) = time::day_range(first, tz);
        let mut hours = vec![0u64; 30];
        let mut reqs = vec![0u64; 30];
        let idx = |t: Stamp| (time::local_day(t, tz) - first).num_days();
        let mut stmt = self.conn.prepare_cached(STATS_SELECT_SERVICE_RECORDS)?;
        for row in stmt.query_map(params![c0, d1], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })? {
            let (t, m) = row?;
            if let Some(slot) = usize::try_from(idx(t)).ok().and_then(|i| hours.get_mut(i)) {
                *slot += m.max(0) as u64;
            }
        }
        let mut stmt = self.conn.prepare_cached(STATS_SELECT_REQUESTS)?;
        for row in stmt.query_map(params![c0, d1], |r| r.get::<_, i64>(0))? {
            if let Some(slot) = usize::try_from(idx(row?))
                .ok()
                .and_then(|i| reqs.get_mut(i))
            {
                *slot += 1;
            }
        }
        let activities = self.activity_counts(m0, m1)?;
        let kpi_minutes = month.minutes + activities.minutes.max(0) as u64;
        let (target, bonus) = day::hours_bonus(kpi_minutes, main);
        let callbacks = self.callbacks(today)?;
        let answers: Vec<bool> = callbacks.iter().filter_map(|c| c.satisfied).collect();
        let late = month.disputes - month.disputes_contacted_in_time;
        Ok(Stats {
            today: self.period(d0, d1, now)?,
            week: self.period(w0, d1, now)?,
            hours_30d: (0..30)
                .map(|i| (first + chrono::Duration::days(i), hours[i as usize]))
                .collect(),
            requests_30d: reqs,
            target_hours: target,
            bonus,
            satisfaction: day::satisfaction(&answers),
            callbacks_answered: answers.len() as u32,
            disputes_late: late,
            dispute_penalty: day::dispute_penalty(late),
            activities,
            kpi_minutes,
            month,
        })
    }

    /// This month's callback list: 20 members served this month, drawn
    /// reproducibly (seeded by the month) the first time it is asked for.
    pub fn draw_callbacks(&mut self, by: &Session, now: Stamp) -> StoreResult<Vec<Callback>> {
        let tz = self.tz();
        let today = time::local_day(now, tz);
        let month = today.format("%Y-%m").to_string();
        let (m0, m1) = time::month_range(today, tz);
        self.write(|tx| {
            let have: i64 =
                tx.query_row(DRAW_CALLBACKS_SELECT_CALLBACKS, [&month], |r| r.get(0))?;
            if have == 0 {
                let mut stmt = tx.prepare(DRAW_CALLBACKS_SELECT_SERVICE_RECORDS)?;
                let served: Vec<i64> = stmt
                    .query_map(params![m0, m1], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                if served.is_empty() {
                    return Err(Refusal::general(msg!("stats.nobody_served")).into());
                }
                let drawn = crate::domain::spot::draw(&served, 20, &format!("callbacks-{month}"));
                for id in &drawn {
                    tx.execute(DRAW_CALLBACKS_INSERT_CALLBACKS, params![month, id, now])?;
                }
                audit::log(
                    tx,
                    now,
                    Some(by.staff_id),
                    "stats.callbacks_drawn",
                    "callbacks",
                    &month,
                    json!({"drawn": drawn.len(), "served": served.len()}),
                )?;
            }
            Ok(())
        })?;
        self.callbacks(today)
    }

    pub fn callbacks(&self, day_in_month: NaiveDate) -> StoreResult<Vec<Callback>> {
        let month = day_in_month.format("%Y-%m").to_string();
        let mut stmt = self.conn.prepare_cached(CALLBACKS_SELECT_CALLBACKS)?;
        let rows = stmt
            .query_map([month], |r| {
                Ok(Callback {
                    member_id: r.get(0)?,
                    number: r.get(1)?,
                    name: r.get(2)?,
                    phone: r.get(3)?,
                    called_at: r.get(4)?,
                    satisfied: r.get(5)?,
                    note: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn answer_callback(
        &mut self,
        by: &Session,
        member_id: i64,
        satisfied: bool,
        note: &str,
        now: Stamp,
    ) -> StoreResult<()> {
        let tz = self.tz();
        let month = time::local_day(now, tz).format("%Y-%m").to_string();
        self.write(|tx| {
            let n = tx.execute(
                ANSWER_CALLBACK_UPDATE_CALLBACKS,
                params![
                    now,
                    by.staff_id,
                    satisfied,
                    Some(note.trim()).filter(|n| !n.is_empty()),
                    month,
                    member_id
                ],
            )?;
            if n == 0 {
                return Err(Refusal::general(msg!("stats.not_on_list")).into());
            }
            audit::log(
                tx,
                now,
                Some(by.staff_id),
                "stats.callback",
                "member",
                member_id,
                json!({"satisfied": satisfied, "note": note.trim()}),
            )?;
            Ok(())
        })
    }
}
