//! A member's standing: levels (monthly run, preview, immediate downgrade),
//! warnings, violations, bad credit, the blacklist and the trust score.

use super::members::member_row;
use super::{Store, StoreResult, audit};
use crate::domain::level::{self, DowngradeCause, History, Level, LevelRules, Reason, Standing};
use crate::domain::member::{MemberStatus, months_after};
use crate::domain::staff::Session;
use crate::domain::station::Settings;
use crate::domain::time::{self, Stamp};
use crate::domain::trust::{self, TrustEvent, TrustRank};
use crate::msg;
use crate::msg::Refusal;
use chrono::NaiveDate;
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

pub use crate::domain::violation::Severity;

mod penalties;
pub use penalties::{record_bad_credit, record_violation, record_warning};

/// Who writes, under which rules, when: what every standing change needs.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub by: &'a Session,
    pub settings: &'a Settings,
    pub tz: Tz,
    pub at: Stamp,
}

/// How much of transfer `t` stands reversed: its reversals, less what was
/// given back by reversing those (a reversal undone restores the service).
pub(crate) const NET_REVERSED: &str =
    "(SELECT coalesce(sum(x.amount - (SELECT coalesce(sum(y.amount), 0)
        FROM transfers y WHERE y.reverses = x.id)), 0) FROM transfers x WHERE x.reverses = t.id)";

/// A member's history as of `at`: what the level rules look at. Only
/// services that ended before `at` count; a service whose points were fully
/// reversed (provider at fault) does not count.
pub fn history(
    conn: &Connection,
    member_id: i64,
    at: Stamp,
    rules: &LevelRules,
    tz: Tz,
) -> StoreResult<History> {
    let (minutes, ratings, positive): (i64, i64, i64) = conn.query_row(
        &format!(
            "SELECT coalesce(sum(r.minutes), 0) + {ACTIVITY_MINUTES}, count(r.rating), coalesce(sum(r.rating >= 4), 0)
         FROM service_records r
         WHERE r.provider_id = ?1 AND r.ended_at < ?2
           AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.record_id = r.id AND t.kind = 'service'
                           AND {NET_REVERSED} >= t.amount)",
            ACTIVITY_MINUTES = super::activities::ACTIVITY_MINUTES
        ),
        params![member_id, at],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (blocked_until, blacklisted): (Option<Stamp>, bool) = conn.query_row(
        "SELECT upgrade_blocked_until, blacklisted_at IS NOT NULL FROM members WHERE id = ?1",
        [member_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let record_active: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM violations WHERE member_id = ?1 AND severity != 'minor' AND at < ?2
                        AND (active_until IS NULL OR active_until > ?2))
             OR EXISTS (SELECT 1 FROM bad_credit WHERE member_id = ?1 AND at < ?2 AND active_until > ?2)",
        params![member_id, at],
        |r| r.get(0),
    )?;
    let last_violation: Option<Stamp> = conn.query_row(
        "SELECT max(at) FROM violations WHERE member_id = ?1 AND severity != 'minor' AND at < ?2",
        params![member_id, at],
        |r| r.get(0),
    )?;
    Ok(History {
        minutes_served: minutes.max(0) as u64,
        ratings: ratings as u32,
        positive: positive as u32,
        upgrade_blocked_by_record: record_active,
        last_violation_at: last_violation,
        clean_since: months_after(at, -(rules.honor_clean_months as i32), tz),
        upgrade_blocked_until: blocked_until,
        blacklisted,
    })
}

/// A level with its reasons, as the detail pane and the preview show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelView {
    pub member_id: i64,
    pub number: String,
    pub name: String,
    pub current: Level,
    pub next: Level,
    pub reasons: Vec<Reason>,
    /// Points still owed after a penalty (taken from the next earnings).
    pub owed: i64,
}

/// The month a level run is for, as `YYYY-MM`.
pub fn month_key(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// Warnings and serious complaints since the member's level was last set.
pub fn standing(conn: &Connection, member_id: i64) -> StoreResult<Standing> {
    Ok(conn.query_row(
        "SELECT (SELECT count(rating) FROM service_records WHERE provider_id = m.id),
                (SELECT coalesce(sum(rating >= 4), 0) FROM service_records WHERE provider_id = m.id),
                (SELECT count(*) FROM warnings w WHERE w.member_id = m.id AND w.kind = 'serious_complaint'
                    AND w.at >= coalesce(m.level_since, 0)),
                (SELECT count(*) FROM warnings w WHERE w.member_id = m.id AND w.kind = 'warning'
                    AND w.at >= coalesce(m.level_since, 0))
         FROM members m WHERE m.id = ?1",
        [member_id],
        |r| Ok(Standing { ratings: r.get(0)?, positive: r.get(1)?, serious_complaints: r.get(2)?, warnings: r.get(3)? }),
    )?)
}

/// If a star or honor member now meets a downgrade rule, send them to
/// ordinary at once, with the 3-month wait. Call inside the write that
/// changed their standing.
pub fn apply_downgrade_if_due(
    conn: &Connection,
    member_id: i64,
    settings: &Settings,
    tz: Tz,
    at: Stamp,
) -> StoreResult<Option<DowngradeCause>> {
    let current: String = conn.query_row(
        "SELECT level FROM members WHERE id = ?1",
        [member_id],
        |r| r.get(0),
    )?;
    let current = Level::parse(&current).unwrap_or(Level::Ordinary);
    let Some(cause) = level::downgrade_due(current, &standing(conn, member_id)?, &settings.levels)
    else {
        return Ok(None);
    };
    let until = months_after(at, settings.levels.reupgrade_wait_months as i32, tz);
    conn.execute(
        "UPDATE members SET level = 'ordinary', level_since = ?1, upgrade_blocked_until = ?2, updated_at = ?1 WHERE id = ?3",
        params![at, until, member_id],
    )?;
    conn.execute(
        "INSERT INTO level_history (member_id, at, old_level, new_level, kind, reason) VALUES (?1, ?2, ?3, 'ordinary', 'downgrade', ?4)",
        params![member_id, at, current.as_str(), cause.as_str()],
    )?;
    audit::log(
        conn,
        at,
        None,
        "level.downgrade",
        "member",
        member_id,
        json!({"from": current.as_str(), "cause": cause.as_str(), "wait_until": until}),
    )?;
    Ok(Some(cause))
}

/// Add a trust event and move the cached score.
pub fn add_trust(
    conn: &Connection,
    member_id: i64,
    ev: TrustEvent,
    w: &trust::TrustWeights,
    note: Option<&str>,
    source: Option<&str>,
    at: Stamp,
) -> StoreResult<()> {
    let delta = ev.delta(w);
    conn.execute(
        "INSERT INTO trust_events (member_id, at, kind, delta, note, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![member_id, at, ev.as_str(), delta, note, source],
    )?;
    conn.execute(
        "UPDATE members SET trust_score = trust_score + ?1 WHERE id = ?2",
        params![delta, member_id],
    )?;
    Ok(())
}

/// A violation as the detail pane shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationRow {
    pub severity: Severity,
    pub at: Stamp,
    pub active_until: Option<Stamp>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustLine {
    pub at: Stamp,
    pub kind: String,
    pub delta: i64,
    pub note: Option<String>,
}

/// A blacklisted member on the public notice list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeEntry {
    pub member_id: i64,
    pub number: String,
    pub name: String,
    pub at: Stamp,
    pub reason: String,
}

impl Store {
    /// The level each approved member would get if the run were at `at`,
    /// with the reasons; only those whose level would change when `changes_only`.
    pub fn level_preview(&self, at: Stamp, changes_only: bool) -> StoreResult<Vec<LevelView>> {
        let tz = self.tz();
        let rules = self.settings().levels;
        let mut stmt = self.conn.prepare("SELECT id, coalesce(number, ''), name, level FROM members WHERE status = 'approved' ORDER BY number")?;
        let rows: Vec<(i64, String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for (id, number, name, current) in rows {
            let h = history(&self.conn, id, at, &rules, tz)?;
            let d = level::evaluate(&h, &rules, at);
            let current = Level::parse(&current).unwrap_or(Level::Ordinary);
            if !changes_only || d.level != current {
                out.push(LevelView {
                    member_id: id,
                    number,
                    name,
                    current,
                    next: d.level,
                    reasons: d.reasons,
                    owed: super::owed::outstanding(&self.conn, id)?,
                });
            }
        }
        Ok(out)
    }

    /// One member's level decision as of `at` (the detail pane's "why").
    pub fn level_view(&self, member_id: i64, at: Stamp) -> StoreResult<LevelView> {
        let tz = self.tz();
        let rules = self.settings().levels;
        let row = member_row(&self.conn, member_id)?;
        let h = history(&self.conn, member_id, at, &rules, tz)?;
        let d = level::evaluate(&h, &rules, at);
        Ok(LevelView {
            member_id,
            number: row.number.unwrap_or_default(),
            name: row.name,
            current: row.level,
            next: d.level,
            reasons: d.reasons,
            owed: super::owed::outstanding(&self.conn, member_id)?,
        })
    }

    /// Whether this month's level run is still to do.
    pub fn level_run_due(&self, now: Stamp) -> StoreResult<Option<String>> {
        let month = month_key(time::local_day(now, self.tz()));
        let done: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM level_runs WHERE month = ?1)",
            [&month],
            |r| r.get(0),
        )?;
        Ok((!done).then_some(month))
    }

    /// The monthly level run (on or after the 1st, station time): every
    /// approved member's level from their history up to the end of last
    /// month; a history row for each change. Done once per month.
    pub fn run_monthly_levels(&mut self, by: Option<&Session>, now: Stamp) -> StoreResult<u32> {
        let tz = self.tz();
        let month_start_day = time::first_of_month(time::local_day(now, tz));
        let month = month_key(month_start_day);
        let cutoff = time::day_start(month_start_day, tz);
        let rules = self.settings().levels;
        self.write(|tx| {
            let done: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM level_runs WHERE month = ?1)", [&month], |r| r.get(0))?;
            if done {
                return Err(Refusal::general(msg!("level.run_done", month = &month)).into());
            }
            let mut stmt = tx.prepare("SELECT id, level FROM members WHERE status = 'approved'")?;
            let rows: Vec<(i64, String)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
            let mut changed = 0u32;
            for (id, current) in rows {
                let current = Level::parse(&current).unwrap_or(Level::Ordinary);
                let h = history(tx, id, cutoff, &rules, tz)?;
                let d = level::evaluate(&h, &rules, cutoff);
                if d.level != current {
                    tx.execute("UPDATE members SET level = ?1, level_since = ?2, updated_at = ?2 WHERE id = ?3", params![d.level.as_str(), now, id])?;
                    tx.execute(
                        "INSERT INTO level_history (member_id, at, old_level, new_level, kind, month, reason) VALUES (?1, ?2, ?3, ?4, 'monthly', ?5, ?6)",
                        params![id, now, current.as_str(), d.level.as_str(), month, format!("{:?}", d.reasons)],
                    )?;
                    changed += 1;
                }
            }
            tx.execute("INSERT INTO level_runs (month, run_at, run_by, changed) VALUES (?1, ?2, ?3, ?4)", params![month, now, by.map(|b| b.staff_id), changed])?;
            audit::log(tx, now, by.map(|b| b.staff_id), "level.monthly_run", "level_run", &month, json!({"changed": changed, "cutoff": cutoff}))?;
            Ok(changed)
        })
    }

    pub fn violations(&self, member_id: i64) -> StoreResult<Vec<ViolationRow>> {
        let mut stmt = self.conn.prepare("SELECT severity, at, active_until, reason FROM violations WHERE member_id = ?1 ORDER BY at DESC")?;
        let rows = stmt
            .query_map([member_id], |r| {
                Ok(ViolationRow {
                    severity: Severity::parse(&r.get::<_, String>(0)?).unwrap_or(Severity::Minor),
                    at: r.get(1)?,
                    active_until: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn warnings_count(&self, member_id: i64) -> StoreResult<(u32, u32)> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(kind = 'warning'), 0), coalesce(sum(kind = 'serious_complaint'), 0) FROM warnings WHERE member_id = ?1",
            [member_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    pub fn trust_history(&self, member_id: i64, limit: usize) -> StoreResult<Vec<TrustLine>> {
        let mut stmt = self.conn.prepare("SELECT at, kind, delta, note FROM trust_events WHERE member_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2")?;
        let rows = stmt
            .query_map(params![member_id, limit as i64], |r| {
                Ok(TrustLine {
                    at: r.get(0)?,
                    kind: r.get(1)?,
                    delta: r.get(2)?,
                    note: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The monthly trust list (信任榜): approved, not blacklisted members.
    pub fn trust_top(
        &self,
        month_day: NaiveDate,
        n: usize,
    ) -> StoreResult<Vec<(TrustRank, String, String)>> {
        let (from, to) = time::month_range(month_day, self.tz());
        let mut stmt = self.conn.prepare(
            "SELECT m.id, m.trust_score, coalesce((SELECT sum(delta) FROM trust_events e WHERE e.member_id = m.id AND e.at >= ?1 AND e.at < ?2), 0),
                    coalesce(m.number, ''), m.name
             FROM members m WHERE m.status = 'approved' AND m.blacklisted_at IS NULL",
        )?;
        let mut names = std::collections::HashMap::new();
        let ranks: Vec<TrustRank> = stmt
            .query_map(params![from, to], |r| {
                Ok((
                    TrustRank {
                        member_id: r.get(0)?,
                        score: r.get(1)?,
                        gained_this_month: r.get(2)?,
                    },
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .map(|x| {
                x.map(|(rank, number, name)| {
                    names.insert(rank.member_id, (number, name));
                    rank
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(trust::top(ranks, n)
            .into_iter()
            .map(|r| {
                let (number, name) = names.remove(&r.member_id).unwrap_or_default();
                (r, number, name)
            })
            .collect())
    }

    /// The public notice list of blacklisted members (reason published).
    pub fn blacklist(&self) -> StoreResult<Vec<NoticeEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, coalesce(number, ''), name, blacklisted_at, coalesce(blacklist_reason, '') FROM members WHERE blacklisted_at IS NOT NULL ORDER BY blacklisted_at DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(NoticeEntry {
                    member_id: r.get(0)?,
                    number: r.get(1)?,
                    name: r.get(2)?,
                    at: r.get(3)?,
                    reason: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Record a violation from the members pane (abuse of staff, or a case
    /// found outside a dispute).
    pub fn add_violation(
        &mut self,
        by: &Session,
        member_id: i64,
        severity: Severity,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        let settings = self.settings().clone();
        let tz = self.tz();
        self.write(|tx| {
            record_violation(
                Ctx {
                    by,
                    settings: &settings,
                    tz,
                    at,
                },
                tx,
                member_id,
                severity,
                reason,
                None,
            )
        })
    }

    /// A thank-you letter for the provider of a service record.
    pub fn add_thank_you(
        &mut self,
        by: &Session,
        record_id: i64,
        text: &str,
        photo_ref: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Refusal::at("text", msg!("thanks.text_required")).into());
        }
        let settings = self.settings().clone();
        self.write(|tx| {
            let provider: i64 = tx
                .query_row("SELECT provider_id FROM service_records WHERE id = ?1", [record_id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Refusal::at("record", msg!("record.unknown")))?;
            let photo = Some(photo_ref.trim()).filter(|p| !p.is_empty());
            tx.execute(
                "INSERT INTO thank_you_letters (record_id, member_id, text, photo_ref, at, by_staff) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![record_id, provider, text, photo, at, by.staff_id],
            )?;
            add_trust(tx, provider, TrustEvent::ThankYou, &settings.trust, Some(text), Some(&format!("record:{record_id}")), at)?;
            audit::log(tx, at, Some(by.staff_id), "member.thank_you", "member", provider, json!({"record": record_id, "text": text}))?;
            Ok(())
        })
    }
}
