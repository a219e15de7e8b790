//! Each station's month at headquarters, recomputed from the rows: the
//! month's figures, the KPIs of docs/rules.md §11, and for every day whether the
//! station's own day summary equals headquarters' recomputation — with the
//! same function the station's close used, on the same rows, under the
//! deadlines the station's audit log says were set at that close.

use super::HqError;
use super::rows;
use crate::domain::day::{self, DayFigures};
use crate::domain::dispute::{self, Due, Progress};
use crate::domain::ledger::TransferRow;
use crate::domain::time::{self, DAY_MS, Stamp};
use crate::wire::bundle::{
    self, Bundle, ChainedTransfer, DisputeRow, MemberRow, RecordRow, RequestRow,
};
use crate::wire::rules::settings_from_changes;
use chrono::{Datelike, NaiveDate};
use postgres::Client;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

mod sql;
use sql::*;

/// One day of a station: its summary against headquarters' recomputation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCheck {
    pub day: String,
    /// The station's latest summary of the day (none: not closed, or not here yet).
    pub version: Option<u32>,
    pub station: Option<DayFigures>,
    pub hq: DayFigures,
}

impl DayCheck {
    pub fn equal(&self) -> Option<bool> {
        self.station.as_ref().map(|s| *s == self.hq)
    }
}

/// A station's month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StationMonth {
    pub code: String,
    pub name: String,
    pub kind: String,
    /// The month's figures: the sum of its days (as the day summaries count).
    pub figures: DayFigures,
    /// Service time by the day it was given (as the station's stats pane
    /// and the hours KPI count it).
    pub served_minutes: u64,
    pub served_services: u32,
    pub target_hours: u64,
    pub bonus_yuan: i64,
    pub satisfaction_pct: Option<u32>,
    pub callbacks_answered: u32,
    pub disputes: u32,
    pub disputes_late: u32,
    pub dispute_penalty_yuan: i64,
    pub days: Vec<DayCheck>,
}

impl StationMonth {
    pub fn summaries(&self) -> usize {
        self.days.iter().filter(|d| d.station.is_some()).count()
    }

    pub fn differing(&self) -> usize {
        self.days
            .iter()
            .filter(|d| d.equal() == Some(false))
            .count()
    }
}

/// Everything of one station the month needs (rows of the month widened
/// by a day each side, so any time zone's month is inside).
#[derive(Debug, Default)]
pub struct MonthRows {
    pub records: Vec<RecordRow>,
    pub transfers: Vec<ChainedTransfer>,
    pub requests: Vec<RequestRow>,
    pub disputes: Vec<DisputeRow>,
    pub members: Vec<MemberRow>,
    pub summaries: Vec<crate::wire::batch::SummaryRow>,
    /// `settings.set` audit rows, all: (seq, key, detail).
    pub settings: Vec<(i64, String, String)>,
    /// `stats.callback` rows: (seq, at, member, detail).
    pub callbacks: Vec<(i64, Stamp, String, String)>,
    /// `dispute.open` rows: (at, dispute).
    pub dispute_opened: Vec<(Stamp, String)>,
    /// `dispute.contact` rows: (at, dispute, detail).
    pub dispute_contacts: Vec<(Stamp, String, String)>,
}

/// The station's settings after its audit row `upto` (all when `None`).
fn settings_at(rows: &MonthRows, upto: Option<i64>) -> crate::domain::station::Settings {
    settings_from_changes(
        rows.settings
            .iter()
            .filter(|(seq, ..)| upto.is_none_or(|u| *seq <= u))
            .filter_map(|(_, key, detail)| {
                let v: serde_json::Value = serde_json::from_str(detail).ok()?;
                Some((key.clone(), v.get("new")?.clone()))
            }),
    )
}

/// A day's figures from headquarters' rows, with the bundle's own function.
fn figures_of(rows: &MonthRows, start: Stamp, end: Stamp, respond: u32, urgent: u32) -> DayFigures {
    let b = Bundle {
        header: Some(bundle::Header {
            format: bundle::FORMAT.into(),
            version: bundle::VERSION,
            station_uid: String::new(),
            station_code: String::new(),
            station_kind: String::new(),
            tz: String::new(),
            day: String::new(),
            start,
            end,
            respond_minutes: respond,
            urgent_respond_minutes: urgent,
        }),
        members: rows.members.clone(),
        requests: rows.requests.clone(),
        records: rows.records.clone(),
        transfers: rows.transfers.clone(),
        disputes: rows.disputes.clone(),
        ..Bundle::default()
    };
    bundle::recompute(&b)
}

/// A station's month from its rows (pure: the tests feed it by hand).
pub fn month(
    code: &str,
    name: &str,
    kind: &str,
    tz: chrono_tz::Tz,
    first: NaiveDate,
    rows: &MonthRows,
    now: Stamp,
) -> StationMonth {
    // Long because: one station's month folded from its rows step by step (days, callbacks, disputes) into one value; pure, and tested by hand-fed rows.
    let (m0, m1) = time::month_range(first, tz);
    let latest = settings_at(rows, None);
    let mut days = Vec::new();
    let mut figures = DayFigures::default();
    let summaries: BTreeMap<&str, &crate::wire::batch::SummaryRow> =
        rows.summaries.iter().map(|s| (s.day.as_str(), s)).collect();
    for d in first.iter_days().take_while(|d| d.month() == first.month()) {
        let (s, e) = time::day_range(d, tz);
        let key = d.to_string();
        let summary = summaries.get(key.as_str());
        let set = settings_at(rows, summary.map(|s| s.audit_seq));
        let hq = figures_of(rows, s, e, set.respond_minutes, set.urgent_respond_minutes);
        add(&mut figures, &hq);
        if summary.is_some() || hq != DayFigures::default() {
            days.push(DayCheck {
                day: key,
                version: summary.map(|s| s.version),
                station: summary.map(|s| s.figures.clone()),
                hq,
            });
        }
    }
    let served: Vec<&RecordRow> = rows
        .records
        .iter()
        .filter(|r| r.started_at >= m0 && r.started_at < m1)
        .collect();
    let served_minutes: u64 = served.iter().map(|r| u64::from(r.minutes)).sum();
    let (target_hours, bonus_yuan) = day::hours_bonus(served_minutes, kind == "main");
    // the callbacks answered this month: each member's last answer
    let mut answers: HashMap<&str, (i64, bool)> = HashMap::new();
    for (seq, at, member, detail) in &rows.callbacks {
        if *at < m0 || *at >= m1 {
            continue;
        }
        let satisfied = serde_json::from_str::<serde_json::Value>(detail)
            .ok()
            .and_then(|v| v.get("satisfied").and_then(|s| s.as_bool()))
            .unwrap_or(false);
        let e = answers.entry(member.as_str()).or_insert((*seq, satisfied));
        if *seq >= e.0 {
            *e = (*seq, satisfied);
        }
    }
    let answers: Vec<bool> = answers.values().map(|(_, s)| *s).collect();
    // disputes opened this month, and when both parties were first contacted
    let mut late = 0;
    let mut disputes = 0;
    for (opened, id) in rows
        .dispute_opened
        .iter()
        .filter(|(at, _)| *at >= m0 && *at < m1)
    {
        disputes += 1;
        let first = |party: &str| {
            rows.dispute_contacts
                .iter()
                .filter(|(at, d, detail)| {
                    d == id
                        && *at >= *opened
                        && serde_json::from_str::<serde_json::Value>(detail)
                            .ok()
                            .is_some_and(|v| v.get("party").and_then(|p| p.as_str()) == Some(party))
                })
                .map(|(at, ..)| *at)
                .min()
        };
        let both = match (first("a"), first("b")) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        let p = Progress {
            opened_at: *opened,
            both_contacted_at: both,
            ..Progress::default()
        };
        if dispute::missed(&p, &latest.disputes, now).contains(&Due::Contact) {
            late += 1;
        }
    }
    StationMonth {
        code: code.into(),
        name: name.into(),
        kind: kind.into(),
        figures,
        served_minutes,
        served_services: served.len() as u32,
        target_hours,
        bonus_yuan,
        satisfaction_pct: day::satisfaction(&answers),
        callbacks_answered: answers.len() as u32,
        disputes,
        disputes_late: late,
        dispute_penalty_yuan: day::dispute_penalty(late),
        days,
    }
}

fn add(sum: &mut DayFigures, d: &DayFigures) {
    sum.services += d.services;
    sum.minutes += d.minutes;
    sum.service_points += d.service_points;
    sum.points_issued += d.points_issued;
    sum.points_spent += d.points_spent;
    sum.transfers += d.transfers;
    sum.new_requests += d.new_requests;
    sum.responded_in_time += d.responded_in_time;
    sum.disputes_opened += d.disputes_opened;
    sum.disputes_decided += d.disputes_decided;
    sum.members_applied += d.members_applied;
    sum.members_approved += d.members_approved;
}

struct StationRow {
    id: i32,
    code: String,
    name: String,
    kind: String,
    tz: String,
}

/// The month report of every station (or of the one with `code`).
pub fn report(
    client: &mut Client,
    first: NaiveDate,
    code: Option<&str>,
    now: Stamp,
) -> Result<Vec<StationMonth>, HqError> {
    // Long because: one query per table into the stations' month rows, all in one read transaction; each loop is a few lines.
    super::migrate::check(client)?;
    let first = time::first_of_month(first);
    let stations: Vec<StationRow> = client
        .query(REPORT_SELECT_STATIONS, &[&code])?
        .iter()
        .map(|r| StationRow {
            id: r.get(0),
            code: r.get(1),
            name: r.get(2),
            kind: r.get(3),
            tz: r.get(4),
        })
        .collect();
    let ids: Vec<i32> = stations.iter().map(|s| s.id).collect();
    // the month in UTC, a day wider each side: every time zone's month is inside
    let lo = time::day_start(first, chrono_tz::UTC) - DAY_MS;
    let hi = time::day_start(time::next_month(first), chrono_tz::UTC) + DAY_MS;
    let mut by: HashMap<i32, MonthRows> = ids.iter().map(|i| (*i, MonthRows::default())).collect();
    let tx = &mut client.transaction()?;
    for r in tx.query(REPORT_SELECT_RECORDS, &[&ids, &lo, &hi])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.records.push(super::rows::record_row(&r, 1));
        }
    }
    for r in tx.query(REPORT_SELECT_TRANSFERS, &[&ids, &lo, &hi])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            // the figures read kind, amount, debit and time
            m.transfers.push(ChainedTransfer {
                seq: r.get(1),
                prev_hash: r.get(2),
                hash: r.get(3),
                row: TransferRow {
                    id: r.get(4),
                    kind: r.get(5),
                    amount: r.get(6),
                    debit: r.get(7),
                    credit: r.get(8),
                    record_uid: None,
                    source: None,
                    reverses: None,
                    idem_key: None,
                    staff: None,
                    approved_by: None,
                    at: r.get(9),
                    memo: None,
                },
            });
        }
    }
    for r in tx.query(REPORT_SELECT_REQUEST_VERSIONS, &[&ids, &lo, &hi])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.requests.push(rows::request_row(&r, 1));
        }
    }
    for r in tx.query(REPORT_SELECT_DISPUTE_VERSIONS, &[&ids, &lo, &hi])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.disputes.push(rows::dispute_row(&r, 1));
        }
    }
    for r in tx.query(REPORT_SELECT_MEMBER_VERSIONS, &[&ids, &lo, &hi])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.members.push(rows::member_row(&r, 1));
        }
    }
    let (d0, d1) = (first.to_string(), time::next_month(first).to_string());
    for r in tx.query(REPORT_SELECT_DAY_SUMMARIES, &[&ids, &d0, &d1])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.summaries.push(rows::summary_row(&r, 1)?);
        }
    }
    for r in tx.query(REPORT_SELECT_AUDIT, &[&ids])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.settings.push((r.get(1), r.get(2), r.get(3)));
        }
    }
    for r in tx.query(REPORT_SELECT_AUDIT_2, &[&ids, &lo, &hi])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.callbacks.push((r.get(1), r.get(2), r.get(3), r.get(4)));
        }
    }
    for r in tx.query(REPORT_SELECT_AUDIT_3, &[&ids, &lo, &hi])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.dispute_opened.push((r.get(1), r.get(2)));
        }
    }
    // contacts up to a week after the month: any later one is late anyway
    let contacts_until = hi + 7 * DAY_MS;
    for r in tx.query(REPORT_SELECT_AUDIT_4, &[&ids, &lo, &contacts_until])? {
        if let Some(m) = by.get_mut(&r.get(0)) {
            m.dispute_contacts.push((r.get(1), r.get(2), r.get(3)));
        }
    }
    let mut out = Vec::new();
    for s in &stations {
        let tz: chrono_tz::Tz = s.tz.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let rows = by.remove(&s.id).unwrap_or_default();
        out.push(month(&s.code, &s.name, &s.kind, tz, first, &rows, now));
    }
    Ok(out)
}
