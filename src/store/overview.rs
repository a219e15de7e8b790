//! The figures the desk shows on every screen and at the day's open and
//! close: read models assembled from several tables (no writes here).

use super::staff::StaffRow;
use super::{Store, StoreError};
use crate::domain::time::Stamp;

/// Figures the header shows on every screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderCounts {
    /// Everything past its deadline: applications, requests, disputes, items.
    pub overdue: u32,
    pub applications_overdue: u32,
    pub requests_overdue: u32,
    pub disputes_overdue: u32,
    /// Tool-corner loans past their due date (issue 17).
    pub loans_overdue: u32,
    /// Today: opened at (and late), closed, items to replenish.
    pub opened_at: Option<Stamp>,
    pub opened_late: bool,
    pub closed: bool,
    pub replenish: u32,
}

/// Everything the open and close screens show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayInfo {
    pub day: chrono::NaiveDate,
    pub state: crate::store::days::DayState,
    pub checklist: Vec<crate::store::days::ChecklistItem>,
    pub carried: Vec<crate::store::queue::RequestRow>,
    pub replenish: Vec<crate::store::days::Replenish>,
    pub figures: crate::domain::day::DayFigures,
    /// Overdue requests, disputes, applications; items to replenish.
    pub open_items: (u32, u32, u32, u32),
    pub staff: Vec<StaffRow>,
    /// The latest earlier day that was opened and never closed.
    pub unclosed: Option<chrono::NaiveDate>,
    /// The day's activities (the close lists them).
    pub activities: Vec<crate::store::activities::ActivityRow>,
    /// What a close leaves for tomorrow, whether overdue or not.
    pub carry: Vec<CarryItem>,
    /// Checklist items out on loan now, by item (the opening count
    /// expects only what is not lent).
    pub on_loan: std::collections::BTreeMap<i64, u32>,
}

/// What a close carries over to the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarryKind {
    Request,
    Correction,
    Application,
}

/// One thing still open when the day closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryItem {
    pub kind: CarryKind,
    pub id: i64,
    pub since: Stamp,
    /// Who it is for: the requester, the member the points move for, the
    /// applicant.
    pub who: String,
    /// What it is: the request, the correction's kind and amount key, the
    /// applicant's building.
    pub what: String,
    /// The correction's points; a settlement request's services left (0
    /// for the others).
    pub amount: i64,
    /// A settlement request: the facts the desk words it by (`what` is
    /// empty).
    pub settles: Option<crate::store::queue::Settles>,
}

impl DayInfo {
    /// How many of `kind` carry over.
    pub fn carrying(&self, kind: CarryKind) -> usize {
        self.carry.iter().filter(|c| c.kind == kind).count()
    }
}

impl Store {
    /// SQLite's `data_version`: it changes when another connection (a
    /// second desk on the same file) commits, never for this one's writes.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn header_counts(&self, at: Stamp) -> Result<HeaderCounts, StoreError> {
        let applications = self.overdue_applications(at)?;
        let requests = self.overdue_requests(at)?;
        let disputes = self.overdue_disputes(at)?;
        let loans = self.overdue_loan_count(at)?;
        let tz = self.tz();
        let day = self.day_state(crate::domain::time::local_day(at, tz))?;
        Ok(HeaderCounts {
            overdue: applications + requests + disputes + loans,
            disputes_overdue: disputes,
            loans_overdue: loans,
            applications_overdue: applications,
            requests_overdue: requests,
            opened_at: day.opened_at,
            opened_late: day.late,
            closed: day.is_closed(),
            replenish: self.open_replenish()?.len() as u32,
        })
    }

    /// The open and close screens' data for the day of `at` (or `day`).
    pub fn day_info(
        &self,
        at: Stamp,
        day: Option<chrono::NaiveDate>,
    ) -> Result<DayInfo, StoreError> {
        let tz = self.tz();
        let today = crate::domain::time::local_day(at, tz);
        let day = day.unwrap_or(today);
        let start = crate::domain::time::day_start(today, tz);
        let carried = self
            .queue(start)?
            .into_iter()
            .filter(|r| r.is_carried(start))
            .collect();
        Ok(DayInfo {
            day,
            state: self.day_state(day)?,
            checklist: self.checklist()?,
            carried,
            replenish: self.open_replenish()?,
            figures: self.day_figures(day)?,
            open_items: self.overdue_now(at)?,
            staff: self.list_staff()?,
            unclosed: self.unclosed_before(today)?,
            activities: {
                let (d0, d1) = crate::domain::time::day_range(day, tz);
                self.activities(d0, d1)?
            },
            carry: self.carry_over()?,
            on_loan: self.on_loan_by_item()?,
        })
    }

    /// Every open request, pending correction and pending application, in
    /// that order, each oldest first.
    pub fn carry_over(&self) -> Result<Vec<CarryItem>, StoreError> {
        let mut out: Vec<CarryItem> = self
            .queue(i64::MAX)?
            .into_iter()
            .filter(|r| r.state.is_open())
            .map(|r| CarryItem {
                kind: CarryKind::Request,
                id: r.id,
                since: r.created_at,
                who: r.requester,
                what: r.description,
                // a settlement's one row: the services it still owes
                amount: r.services.map_or(0, |sv| i64::from(sv.left)),
                settles: r.settles,
            })
            .collect();
        out.sort_by_key(|c| (c.since, c.id));
        out.extend(self.open_corrections()?.into_iter().map(|c| CarryItem {
            kind: CarryKind::Correction,
            id: c.id,
            since: c.proposed_at,
            who: c.member.map(|m| m.1).unwrap_or_default(),
            what: c.kind.label_key().to_string(),
            amount: c.amount,
            settles: None,
        }));
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(submitted_at, 0), name, coalesce(building, '') FROM members
             WHERE status = 'pending' ORDER BY submitted_at, id",
        )?;
        let apps = stmt.query_map([], |r| {
            Ok(CarryItem {
                kind: CarryKind::Application,
                id: r.get(0)?,
                since: r.get(1)?,
                who: r.get(2)?,
                what: r.get(3)?,
                amount: 0,
                settles: None,
            })
        })?;
        for a in apps {
            out.push(a?);
        }
        Ok(out)
    }
}
