//! The daily routine: open with the checklist, midday duty, close with the
//! day's summary, the backup and the bundle; reopen (station master).

use super::day_rows::{add_links, collect_bundle, facts, write_summary};
use super::{Store, StoreError, StoreResult, audit};
use crate::domain::day::{Checked, DayFigures};
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::msg;
use crate::msg::Refusal;
use crate::wire::bundle::{self, Bundle};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::path::PathBuf;

mod sql;
use sql::*;
mod export;
mod seed;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    pub id: i64,
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub expected: Option<u32>,
    pub active: bool,
    /// How a counted item is lent at the tool corner (`None`: not lent).
    pub lend: crate::domain::tool::LendKind,
}

/// A checklist item as the station master typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistInput {
    pub kind: String,
    pub name_zh: String,
    pub name_en: String,
    pub expected: Option<u32>,
    pub active: bool,
    pub lend: crate::domain::tool::LendKind,
}

/// Where a day stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayState {
    pub day: String,
    pub opened_at: Option<Stamp>,
    pub opened_by: Option<String>,
    pub late: bool,
    pub midday: Option<String>,
    pub closed_at: Option<Stamp>,
    pub reopened_at: Option<Stamp>,
    pub summary: Option<(u32, DayFigures)>,
    pub backup_path: Option<String>,
    pub bundle_path: Option<String>,
}

impl DayState {
    pub fn is_open(&self) -> bool {
        self.opened_at.is_some() && self.closed_at.is_none()
    }

    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replenish {
    pub id: i64,
    /// The item's names, from the checklist.
    pub name_zh: String,
    pub name_en: String,
    pub missing: u32,
    pub day: String,
}

/// Where a day was closed from (the audit row says).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Desk,
    CommandLine,
}

impl Via {
    fn as_str(self) -> &'static str {
        match self {
            Via::Desk => "desk",
            Via::CommandLine => "command line",
        }
    }
}

/// What closing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub figures: DayFigures,
    pub version: u32,
    pub backup: Option<PathBuf>,
    pub bundle: Option<PathBuf>,
    /// The day was closed before: this is its stored summary.
    pub already: bool,
    /// The week's notice board (信任公示栏), written when a Sunday closes
    /// (by the close routine above the store; the store leaves it empty).
    pub board: Option<PathBuf>,
}

/// Writes on a closed day are refused (except signing in and the routine
/// itself), so a closed day's figures never change. Called by every audit
/// append, i.e. by every write.
pub fn refuse_if_closed(conn: &Connection, at: Stamp, action: &str) -> StoreResult<()> {
    if action.starts_with("signin.") || action.starts_with("day.") || action.starts_with("seed.") {
        return Ok(());
    }
    let closed: Option<String> = conn
        .query_row(REFUSE_IF_CLOSED_SELECT_STATION_DAYS, [at], |r| r.get(0))
        .optional()?;
    match closed {
        Some(day) => Err(Refusal::general(msg!("day.closed_no_writes", day = day)).into()),
        None => Ok(()),
    }
}

fn station_day(conn: &Connection, day: &str) -> StoreResult<DayState> {
    let row = conn
        .query_row(STATION_DAY_SELECT_STATION_DAYS, [day], |r| {
            Ok(DayState {
                day: day.to_string(),
                opened_at: r.get(0)?,
                opened_by: r.get(1)?,
                late: r.get(2)?,
                midday: r.get(3)?,
                closed_at: r.get(4)?,
                reopened_at: r.get(5)?,
                summary: None,
                backup_path: r.get(6)?,
                bundle_path: r.get(7)?,
            })
        })
        .optional()?;
    let mut s = row.unwrap_or(DayState {
        day: day.to_string(),
        ..DayState::default()
    });
    s.summary = conn
        .query_row(STATION_DAY_SELECT_DAY_SUMMARIES, [day], |r| {
            Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?
        .and_then(|(v, f)| serde_json::from_str(&f).ok().map(|f| (v, f)));
    Ok(s)
}

/// An item left unticked, named in both languages (the UI picks one).
fn unticked(conn: &Connection, item_id: i64) -> StoreResult<crate::msg::Msg> {
    if item_id == crate::domain::day::CARRIED_REVIEWED {
        return Ok(msg!("open.unticked", item = "open.carried_reviewed"));
    }
    let (zh, en): (String, String) = conn
        .query_row(CHECKLIST_NAMES_SELECT_CHECKLIST_ITEMS, [item_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| Refusal::general(msg!("checklist.unknown")))?;
    Ok(msg!("open.unticked").names("item", &zh, &en))
}

impl Store {
    pub fn checklist(&self) -> StoreResult<Vec<ChecklistItem>> {
        let mut stmt = self.conn.prepare(CHECKLIST_SELECT_CHECKLIST_ITEMS)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ChecklistItem {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    name_zh: r.get(2)?,
                    name_en: r.get(3)?,
                    expected: r.get(4)?,
                    active: r.get(5)?,
                    lend: crate::domain::tool::LendKind::parse(&r.get::<_, String>(6)?)
                        .unwrap_or(crate::domain::tool::LendKind::None),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Add (`id` none) or change a checklist item (station master).
    pub fn save_checklist_item(
        &mut self,
        by: &Session,
        id: Option<i64>,
        item: &ChecklistInput,
        at: Stamp,
    ) -> StoreResult<()> {
        let ChecklistInput {
            kind,
            name_zh,
            name_en,
            expected,
            active,
            lend,
        } = item;
        let (kind, expected, active) = (kind.as_str(), *expected, *active);
        // only counted items are lent
        let lend = if kind == "tool" {
            lend.as_str()
        } else {
            "none"
        };
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        for (field, name) in [("name_zh", name_zh), ("name_en", name_en)] {
            if name.trim().is_empty() || crate::text::has_unprintable(name) {
                return Err(Refusal::at(field, msg!("catalog.name.invalid")).into());
            }
        }
        if !matches!(kind, "clean" | "equipment" | "tool") {
            return Err(Refusal::at("kind", msg!("checklist.kind_unknown")).into());
        }
        if kind == "tool" && expected.is_none_or(|e| e == 0) {
            return Err(Refusal::at("expected", msg!("checklist.expected_required")).into());
        }
        // only tools are counted
        let expected = expected.filter(|_| kind == "tool");
        self.write(|tx| {
            match id {
                Some(id) => {
                    tx.execute(
                        SAVE_CHECKLIST_ITEM_UPDATE_CHECKLIST_ITEMS,
                        params![kind, name_zh.trim(), name_en.trim(), expected, active, lend, id],
                    )?;
                }
                None => {
                    tx.execute(
                        SAVE_CHECKLIST_ITEM_INSERT_CHECKLIST_ITEMS,
                        params![kind, name_zh.trim(), name_en.trim(), expected, lend],
                    )?;
                }
            }
            audit::log(tx, at, Some(by.staff_id), "checklist.save", "checklist_item", id.unwrap_or(0), json!({"kind": kind, "name": name_zh.trim(), "expected": expected, "active": active, "lend": lend}))?;
            Ok(())
        })
    }

    /// The latest day before `day` that was opened and not closed.
    pub fn unclosed_before(&self, day: NaiveDate) -> StoreResult<Option<NaiveDate>> {
        let d: Option<String> = self.conn.query_row(
            UNCLOSED_BEFORE_SELECT_STATION_DAYS,
            [day.to_string()],
            |r| r.get(0),
        )?;
        Ok(d.and_then(|d| d.parse().ok()))
    }

    pub fn day_state(&self, day: NaiveDate) -> StoreResult<DayState> {
        station_day(&self.conn, &day.to_string())
    }

    /// Open the day: the checklist as ticked, shortages to replenish. Opening
    /// twice is refused; opening after the setting's time is recorded as late.
    pub fn open_day(
        &mut self,
        by: &Session,
        checks: &[Checked],
        at: Stamp,
    ) -> StoreResult<DayState> {
        let tz = self.tz();
        let day = time::local_day(at, tz);
        let (start, end) = time::day_range(day, tz);
        let by_time = time::parse_hhmm(&self.settings().open_by).unwrap_or_default();
        let late = time::local(at, tz).time() > by_time;
        self.write(|tx| {
            if let Some(c) = checks.iter().find(|c| !c.done) {
                return Err(Refusal::general(unticked(tx, c.item_id)?).into());
            }
            let s = station_day(tx, &day.to_string())?;
            if s.opened_at.is_some() {
                return Err(Refusal::general(msg!(
                    "open.twice",
                    at = time::fmt_local(s.opened_at.unwrap_or(at), tz, "%H:%M")
                ))
                .into());
            }
            tx.execute(
                OPEN_DAY_INSERT_STATION_DAYS,
                params![
                    day.to_string(),
                    start,
                    end,
                    at,
                    by.staff_id,
                    late,
                    serde_json::to_string(checks)?
                ],
            )?;
            for c in checks.iter().filter(|c| c.missing() > 0) {
                tx.execute(
                    OPEN_DAY_INSERT_REPLENISH,
                    params![day.to_string(), c.item_id, c.missing(), at],
                )?;
            }
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "day.open",
                "station_day",
                day,
                json!({"late": late, "checklist": checks}),
            )?;
            station_day(tx, &day.to_string())
        })
    }

    /// Who is on duty over midday (12:00–14:00).
    pub fn midday_duty(&mut self, by: &Session, staff_id: i64, at: Stamp) -> StoreResult<DayState> {
        let day = time::local_day(at, self.tz()).to_string();
        self.write(|tx| {
            let n = tx.execute(MIDDAY_DUTY_UPDATE_STATION_DAYS, params![staff_id, at, day])?;
            if n == 0 {
                return Err(Refusal::general(msg!("open.not_yet")).into());
            }
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "day.midday",
                "station_day",
                &day,
                json!({"staff": staff_id}),
            )?;
            station_day(tx, &day)
        })
    }

    pub fn open_replenish(&self) -> StoreResult<Vec<Replenish>> {
        let mut stmt = self.conn.prepare(OPEN_REPLENISH_SELECT_REPLENISH)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Replenish {
                    id: r.get(0)?,
                    name_zh: r.get(1)?,
                    name_en: r.get(2)?,
                    missing: r.get(3)?,
                    day: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn replenished(&mut self, by: &Session, id: i64, at: Stamp) -> StoreResult<()> {
        self.write(|tx| {
            let n = tx.execute(REPLENISHED_UPDATE_REPLENISH, params![at, by.staff_id, id])?;
            if n == 0 {
                return Err(Refusal::general(msg!("replenish.unknown")).into());
            }
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "day.replenished",
                "replenish",
                id,
                json!({}),
            )?;
            Ok(())
        })
    }

    /// Every row of a day, with the chain ends and (if closed) the summary.
    pub fn day_bundle(&self, day: NaiveDate) -> StoreResult<Bundle> {
        collect_bundle(&self.conn, &facts(self)?, day)
    }

    /// The figures of a day as they stand (the close screen, before closing).
    pub fn day_figures(&self, day: NaiveDate) -> StoreResult<DayFigures> {
        Ok(bundle::recompute(&self.day_bundle(day)?))
    }

    /// Items past their deadline now (the close screen's warnings).
    pub fn overdue_now(&self, at: Stamp) -> StoreResult<(u32, u32, u32, u32)> {
        Ok((
            self.overdue_requests(at)?,
            self.overdue_disputes(at)?,
            self.overdue_applications(at)?,
            self.open_replenish()?.len() as u32,
        ))
    }

    /// Close a day at the desk (`by` is `None` only for a command line on a
    /// station without staff): see [`Store::close_day_via`].
    pub fn close_day(
        &mut self,
        by: Option<&Session>,
        day: NaiveDate,
        story: &str,
        docs_locked: bool,
        at: Stamp,
    ) -> StoreResult<Closed> {
        let via = if by.is_some() {
            Via::Desk
        } else {
            Via::CommandLine
        };
        self.close_day_via(by, via, day, story, docs_locked, at)
    }

    /// Close a day: back it up, write its summary and its bundle. Closing a
    /// closed day shows the stored summary. The backup comes first: if it
    /// fails, the day is not marked closed and nothing is half-written. The
    /// audit row names who closed it and from where.
    pub fn close_day_via(
        &mut self,
        by: Option<&Session>,
        via: Via,
        day: NaiveDate,
        story: &str,
        docs_locked: bool,
        at: Stamp,
    ) -> StoreResult<Closed> {
        // Long because: the close's steps in the order its safety needs (refusals, bundle verdict, backup, the one transaction, then placing the staged bundle and pruning).
        let by_id = by.map(|s| s.staff_id);
        let tz = self.tz();
        if day > time::local_day(at, tz) {
            return Err(Refusal::at("date", msg!("close.future")).into());
        }
        let s = self.day_state(day)?;
        if s.is_closed() {
            let (version, figures) = s.summary.clone().unwrap_or_default();
            return Ok(Closed {
                figures,
                version,
                backup: s.backup_path.map(PathBuf::from),
                bundle: s.bundle_path.map(PathBuf::from),
                already: true,
                board: None,
            });
        }
        if s.opened_at.is_none() {
            return Err(Refusal::general(msg!("close.not_open", day = day)).into());
        }
        let backup_dir = crate::store::backup::backup_dir(self);
        let bundle_dir = self
            .path()
            .parent()
            .map(|p| p.join("bundles"))
            .unwrap_or_else(|| PathBuf::from("bundles"));
        std::fs::create_dir_all(&bundle_dir)
            .map_err(|e| Refusal::general(msg!("close.bundle_failed", why = e)))?;
        let code = self.station().map(|s| s.code()).unwrap_or_default();
        let bundle_path = bundle_dir.join(format!("{code}-{day}.jsonl"));
        // before the backup, so a refusal leaves nothing behind
        let verdict = self.bundle_verdict(&bundle_path, &code, day)?;
        let backup = crate::store::backup::daily(self, &backup_dir, &day.to_string())?;
        let keep = self.settings().backup_keep;
        let overdue = self.overdue_now(at)?;
        let snapshot = json!({"requests_overdue": overdue.0, "disputes_overdue": overdue.1, "applications_overdue": overdue.2, "replenish_open": overdue.3});
        let story = story.trim().to_string();
        let f = facts(self)?;
        let signer = self.signer()?;
        let closed = self.write(|tx| {
            // the day's row first: the close's audit row covers it and the summary
            tx.execute(
                CLOSE_DAY_VIA_UPDATE_STATION_DAYS,
                params![
                    at,
                    by_id,
                    story,
                    docs_locked,
                    backup.display().to_string(),
                    bundle_path.display().to_string(),
                    day.to_string()
                ],
            )?;
            let close = audit::Entry {
                at,
                staff_id: by_id,
                action: "day.close",
                entity: "station_day",
                entity_id: Some(day.to_string()),
                detail: json!({"story": story, "docs_locked": docs_locked, "via": via.as_str()}),
            };
            let (mut b, summary) = write_summary(tx, &f, day, close, snapshot.clone())?;
            let (figures, version) = (summary.figures.clone(), summary.version);
            b.summary = Some(summary);
            let text = b.to_signed_text(&signer);
            let ((), staged) = crate::output::stage(&bundle_path, &verdict, |w| {
                std::io::Write::write_all(w, text.as_bytes())
            })
            .map_err(|e| {
                Refusal::general(e.msg(&bundle_path, |e| msg!("close.bundle_failed", why = e)))
            })?;
            Ok((
                Closed {
                    figures,
                    version,
                    backup: Some(backup.clone()),
                    bundle: Some(bundle_path.clone()),
                    already: false,
                    board: None,
                },
                staged,
            ))
        });
        // a failed close dropped its staged bundle: no temporary file stays
        let (c, staged) = closed?;
        staged.place::<std::io::Error>().map_err(|e| {
            Refusal::general(e.msg(&bundle_path, |e| msg!("close.bundle_failed", why = e)))
        })?;
        crate::store::backup::prune(&backup_dir, keep);
        Ok(c)
    }

    /// May the close write `day`'s bundle at `path`? The day's own bundle
    /// is replaced (a close after a reopen); nothing else there ever is.
    fn bundle_verdict(
        &self,
        path: &std::path::Path,
        code: &str,
        day: NaiveDate,
    ) -> StoreResult<crate::output::Verdict> {
        let guarded = super::files::guarded_for(self);
        let verdict = crate::output::look(path)
            .map(|place| {
                crate::output::judge(&place, &guarded, Some((code, &day.to_string())), true)
            })
            .map_err(|e| Refusal::general(msg!("close.bundle_failed", why = e)))?;
        match verdict {
            crate::output::Verdict::Refuse(r) => Err(Refusal::general(r.msg(path)).into()),
            v => Ok(v),
        }
    }

    /// Reopen a closed day (station master, with a reason); closing again
    /// adds a new version of its summary.
    pub fn reopen_day(
        &mut self,
        by: &Session,
        day: NaiveDate,
        reason: &str,
        at: Stamp,
    ) -> StoreResult<DayState> {
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        if reason.trim().is_empty() {
            return Err(Refusal::at("reason", msg!("day.reopen_reason")).into());
        }
        self.write(|tx| {
            let s = station_day(tx, &day.to_string())?;
            if !s.is_closed() {
                return Err(Refusal::general(msg!("day.not_closed")).into());
            }
            tx.execute(
                // the close is forgotten here, not in history: each close has
                // its summary version and its audit row
                REOPEN_DAY_UPDATE_STATION_DAYS,
                params![at, by.staff_id, reason.trim(), day.to_string()],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "day.reopen",
                "station_day",
                day,
                json!({"reason": reason.trim()}),
            )?;
            station_day(tx, &day.to_string())
        })
    }
}
