//! Activities: plans, the regular ones from the handbook, sign-up and
//! attendance with what it earns. Every write is one transaction with its
//! audit row; both tables are covered (see [`super::covers`]).

use super::ledger::{self, NewTransfer, POOL};
use super::{Store, StoreResult, audit};
use crate::domain::activity::{self, Kind, Plan};
use crate::domain::ledger::TransferKind;
use crate::domain::member::MemberStatus;
use crate::domain::staff::Session;
use crate::domain::time::{self, DAY_MS, Stamp};
use crate::msg;
use crate::msg::Refusal;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

/// An activity as the hub lists it, with its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: i64,
    pub kind: Kind,
    /// Empty for a regular one: the kind's name is its title.
    pub title: String,
    pub starts_at: Stamp,
    pub ends_at: Stamp,
    pub place: String,
    pub aim: String,
    pub leads: String,
    pub materials: String,
    pub cost_fen: i64,
    pub merchants: Vec<String>,
    pub points_per_hour: u32,
    pub signed: u32,
    pub attended: u32,
}

impl ActivityRow {
    pub fn minutes(&self) -> u32 {
        ((self.ends_at - self.starts_at) / 60_000).max(0) as u32
    }
}

/// One participant of an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeRow {
    pub member_id: i64,
    pub name: String,
    pub number: Option<String>,
    pub signed_at: Stamp,
    pub attended_at: Option<Stamp>,
    pub minutes: u32,
    pub points: i64,
}

/// Activities and their participants in a span (stats, the close).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActivityCounts {
    pub activities: u32,
    pub participants: u32,
    /// Minutes attended, all of them: hours served for the KPIs.
    pub minutes: i64,
    pub public_good_minutes: i64,
}

const COLS: &str = "a.id, a.kind, a.title, a.starts_at, a.ends_at, a.place, a.aim, a.leads, a.materials,
     a.cost_fen, a.merchants, a.points_per_hour,
     (SELECT count(*) FROM activity_attendance x WHERE x.activity_id = a.id),
     (SELECT count(*) FROM activity_attendance x WHERE x.activity_id = a.id AND x.attended_at IS NOT NULL)";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<ActivityRow> {
    Ok(ActivityRow {
        id: r.get(0)?,
        kind: Kind::parse(&r.get::<_, String>(1)?).unwrap_or(Kind::Other),
        title: r.get(2)?,
        starts_at: r.get(3)?,
        ends_at: r.get(4)?,
        place: r.get(5)?,
        aim: r.get(6)?,
        leads: r.get(7)?,
        materials: r.get(8)?,
        cost_fen: r.get(9)?,
        merchants: r
            .get::<_, String>(10)?
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        points_per_hour: r.get(11)?,
        signed: r.get(12)?,
        attended: r.get(13)?,
    })
}

fn activity(conn: &Connection, id: i64) -> StoreResult<ActivityRow> {
    conn.query_row(
        &format!("SELECT {COLS} FROM activities a WHERE a.id = ?1"),
        [id],
        row_of,
    )
    .optional()?
    .ok_or_else(|| Refusal::general(msg!("activity.unknown")).into())
}

/// A member who may take part: approved and not blacklisted.
fn check_member(conn: &Connection, member_id: i64) -> StoreResult<()> {
    let (status, blacklisted): (String, bool) = conn
        .query_row(
            "SELECT status, blacklisted_at IS NOT NULL FROM members WHERE id = ?1",
            [member_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| Refusal::at("member", msg!("member.unknown")))?;
    if MemberStatus::parse(&status) != Some(MemberStatus::Approved) {
        return Err(Refusal::at("member", msg!("activity.member_not_approved")).into());
    }
    if blacklisted {
        return Err(Refusal::at("member", msg!("activity.member_blacklisted")).into());
    }
    Ok(())
}

fn insert(
    conn: &Connection,
    by: &Session,
    p: &Plan,
    tz: chrono_tz::Tz,
    at: Stamp,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO activities (kind, title, starts_at, ends_at, place, aim, leads, materials, cost_fen,
            merchants, points_per_hour, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            p.kind.as_str(),
            p.title.trim(),
            time::local_to_stamp(p.day, p.from, tz),
            time::local_to_stamp(p.day, p.to, tz),
            p.place.trim(),
            p.aim.trim(),
            p.leads.trim(),
            p.materials.trim(),
            p.cost_fen,
            p.merchants.join("\n"),
            p.points_per_hour,
            at,
            by.staff_id
        ],
    )?;
    let id = conn.last_insert_rowid();
    audit::log(
        conn,
        at,
        Some(by.staff_id),
        "activity.plan",
        "activity",
        id,
        json!({"kind": p.kind.as_str(), "day": p.day.to_string(), "points_per_hour": p.points_per_hour,
               "cost_fen": p.cost_fen}),
    )?;
    Ok(id)
}

impl Store {
    /// Save a plan (驿站活动策划表), checked by the rules first.
    pub fn plan_activity(&mut self, by: &Session, p: &Plan, at: Stamp) -> StoreResult<ActivityRow> {
        let tz = self.tz();
        activity::check_plan(p, time::local_day(at, tz)).map_err(super::StoreError::Invalid)?;
        self.write(|tx| {
            let id = insert(tx, by, p, tz, at)?;
            activity(tx, id)
        })
    }

    /// The handbook's regular activities of the `days` days from `from`
    /// that are not planned yet (a regular one of that kind that day);
    /// how many were added. Regular ones are public good until planned
    /// otherwise.
    pub fn plan_regular(
        &mut self,
        by: &Session,
        from: NaiveDate,
        days: u32,
        at: Stamp,
    ) -> StoreResult<u32> {
        let tz = self.tz();
        self.write(|tx| {
            let mut added = 0;
            for day in from.iter_days().take(days as usize) {
                for kind in activity::regular_on(day) {
                    let start = time::day_start(day, tz);
                    let exists: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM activities WHERE kind = ?1 AND starts_at >= ?2 AND starts_at < ?3)",
                        params![kind.as_str(), start, start + DAY_MS],
                        |r| r.get(0),
                    )?;
                    if exists {
                        continue;
                    }
                    let (from, to) = kind.usual_hours();
                    let plan = Plan {
                        kind,
                        title: String::new(),
                        day,
                        from,
                        to,
                        place: String::new(),
                        aim: String::new(),
                        leads: String::new(),
                        materials: String::new(),
                        cost_fen: 0,
                        merchants: vec![],
                        points_per_hour: 0,
                    };
                    insert(tx, by, &plan, tz, at)?;
                    added += 1;
                }
            }
            Ok(added)
        })
    }

    /// Activities starting in `[from, to)`, soonest first.
    pub fn activities(&self, from: Stamp, to: Stamp) -> StoreResult<Vec<ActivityRow>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLS} FROM activities a WHERE a.starts_at >= ?1 AND a.starts_at < ?2 ORDER BY a.starts_at, a.id"
        ))?;
        let rows = st.query_map(params![from, to], row_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn activity(&self, id: i64) -> StoreResult<ActivityRow> {
        activity(&self.conn, id)
    }

    /// Who signed up for an activity, in the order they did.
    pub fn attendees(&self, activity_id: i64) -> StoreResult<Vec<AttendeeRow>> {
        let mut st = self.conn.prepare(
            "SELECT x.member_id, m.name, m.number, x.signed_at, x.attended_at, x.minutes, x.points
             FROM activity_attendance x JOIN members m ON m.id = x.member_id
             WHERE x.activity_id = ?1 ORDER BY x.signed_at, x.id",
        )?;
        let rows = st.query_map([activity_id], |r| {
            Ok(AttendeeRow {
                member_id: r.get(0)?,
                name: r.get(1)?,
                number: r.get(2)?,
                signed_at: r.get(3)?,
                attended_at: r.get(4)?,
                minutes: r.get(5)?,
                points: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Sign a member up. Refused once the activity is over or if they are
    /// signed up already.
    pub fn sign_up(
        &mut self,
        by: &Session,
        activity_id: i64,
        member_id: i64,
        at: Stamp,
    ) -> StoreResult<ActivityRow> {
        self.write(|tx| {
            let a = activity(tx, activity_id)?;
            if at >= a.ends_at {
                return Err(Refusal::general(msg!("activity.over")).into());
            }
            check_member(tx, member_id)?;
            let n = tx.execute(
                "INSERT INTO activity_attendance (activity_id, member_id, signed_at, signed_by)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (activity_id, member_id) DO NOTHING",
                params![activity_id, member_id, at, by.staff_id],
            )?;
            if n == 0 {
                return Err(Refusal::at("member", msg!("activity.already_signed")).into());
            }
            let id = tx.last_insert_rowid();
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "activity.sign_up",
                "activity_attendance",
                id,
                json!({"activity": activity_id, "member": member_id}),
            )?;
            activity(tx, activity_id)
        })
    }

    /// A participant came: `minutes` credited and what they earn by the
    /// activity's rule (none for a public-good one: a record with no
    /// transfer). A walk-in is signed up at the same time. Refused before
    /// the activity starts and a second time.
    pub fn attend(
        &mut self,
        by: &Session,
        activity_id: i64,
        member_id: i64,
        minutes: u32,
        at: Stamp,
    ) -> StoreResult<(ActivityRow, i64)> {
        self.write(|tx| {
            let a = activity(tx, activity_id)?;
            if at < a.starts_at {
                return Err(Refusal::general(msg!("activity.not_started")).into());
            }
            activity::check_minutes(minutes, a.minutes())?;
            check_member(tx, member_id)?;
            let row: Option<(i64, Option<Stamp>)> = tx
                .query_row(
                    "SELECT id, attended_at FROM activity_attendance WHERE activity_id = ?1 AND member_id = ?2",
                    params![activity_id, member_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let id = match row {
                Some((_, Some(_))) => {
                    return Err(Refusal::at("member", msg!("activity.already_attended")).into());
                }
                Some((id, None)) => id,
                None => {
                    tx.execute(
                        "INSERT INTO activity_attendance (activity_id, member_id, signed_at, signed_by)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![activity_id, member_id, at, by.staff_id],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            let points = activity::earned(a.points_per_hour, minutes);
            let transfer = if points > 0 {
                let acct = ledger::member_account(tx, member_id, at)?;
                let mut t = NewTransfer::new(TransferKind::Service, points, POOL, acct, Some(by.staff_id), at);
                t.source = Some(format!("activity:{activity_id}"));
                t.idem_key = Some(format!("activity:{activity_id}:{member_id}"));
                Some(ledger::post(tx, t)?.row.id)
            } else {
                None
            };
            tx.execute(
                "UPDATE activity_attendance SET attended_at = ?1, attended_by = ?2, minutes = ?3, points = ?4, transfer_id = ?5
                 WHERE id = ?6",
                params![at, by.staff_id, minutes, points, transfer, id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "activity.attend",
                "activity_attendance",
                id,
                json!({"activity": activity_id, "member": member_id, "minutes": minutes, "points": points,
                       "transfer": transfer}),
            )?;
            Ok((activity(tx, activity_id)?, points))
        })
    }

    /// Activities held in `[from, to)` and the people who came.
    pub fn activity_counts(&self, from: Stamp, to: Stamp) -> StoreResult<ActivityCounts> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM activities WHERE starts_at >= ?1 AND starts_at < ?2),
                    count(x.id), coalesce(sum(x.minutes), 0),
                    coalesce(sum(CASE WHEN x.points = 0 THEN x.minutes END), 0)
             FROM activity_attendance x JOIN activities a ON a.id = x.activity_id
             WHERE x.attended_at IS NOT NULL AND a.starts_at >= ?1 AND a.starts_at < ?2",
            params![from, to],
            |r| {
                Ok(ActivityCounts {
                    activities: r.get(0)?,
                    participants: r.get(1)?,
                    minutes: r.get(2)?,
                    public_good_minutes: r.get(3)?,
                })
            },
        )?)
    }
}

/// Minutes a member attended activities that ended before `at`: hours
/// served for the levels (public good included, as the handbook says).
pub(crate) const ACTIVITY_MINUTES: &str =
    "(SELECT coalesce(sum(x.minutes), 0) FROM activity_attendance x
     JOIN activities a ON a.id = x.activity_id
     WHERE x.member_id = ?1 AND x.attended_at IS NOT NULL AND a.ends_at < ?2)";
