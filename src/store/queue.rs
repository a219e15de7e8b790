//! The demand queue and helper matching: requests, their state changes,
//! the contact log, and the candidates for a request.

use super::{Store, StoreError, StoreResult, audit, new_uid};
use crate::domain::level::{Level, Tier};
use crate::domain::matching::{self, Candidate, Need};
use crate::domain::queue::{self, Channel, NewRequest, Requester, State};
use crate::domain::record::RecordInput;
use crate::domain::staff::Session;
use crate::domain::time::{DAY_MS, Stamp};
use crate::msg;
use crate::msg::{Msg, Refusal};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::collections::{HashMap, HashSet};

mod sql;
use sql::*;
mod helpers;
mod settlement;

/// A request as the queue shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    pub id: i64,
    pub uid: String,
    /// The member asking, or none when a merchant is (see `merchant_id`).
    pub requester_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub requester: String,
    pub requester_number: String,
    pub type_id: i64,
    pub description: String,
    pub place: String,
    pub window_start: Stamp,
    pub window_end: Stamp,
    pub minutes: u32,
    pub urgent: bool,
    pub channel: Channel,
    pub pool_pays: bool,
    pub state: State,
    pub helper_id: Option<i64>,
    pub helper: Option<String>,
    pub created_at: Stamp,
    pub responded_at: Option<Stamp>,
    pub matched_at: Option<Stamp>,
    pub closed_at: Option<Stamp>,
    pub record_id: Option<i64>,
    pub cancel_reason: Option<String>,
    /// A merchant's monthly settlement: the services owed and left.
    pub services: Option<Services>,
    /// The settlement row a service was taken from by a match.
    pub parent_id: Option<i64>,
    /// A settlement row, or a service taken from one: the facts the desk
    /// words it by (its stored description is empty).
    pub settles: Option<Settles>,
}

/// A merchant's monthly settlement as facts, for the desk to word: read
/// with the row (its own or its settlement row's, and the month's
/// discount from `settlements`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settles {
    /// `YYYY-MM`, the month settled.
    pub month: String,
    /// The services the merchant owes for it.
    pub owed: u32,
    /// The merchant's discounts that month, in fen.
    pub discounts_fen: i64,
    /// A service taken from the row: its number among them.
    pub service_no: Option<u32>,
}

/// What a settlement row still owes: `left` of `owed` services not yet
/// taken by a match, `minutes_left` between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Services {
    pub owed: u32,
    pub left: u32,
    pub minutes_left: u32,
}

impl RequestRow {
    /// Still open from an earlier day. Work for a merchant runs to its due
    /// date and is never "carried over".
    pub fn is_carried(&self, today_start: Stamp) -> bool {
        self.state.is_open() && self.created_at < today_start && self.merchant_id.is_none()
    }

    pub fn timing(&self) -> queue::Timing {
        queue::Timing {
            created_at: self.created_at,
            urgent: self.urgent,
            state: self.state,
            due: self.merchant_id.map(|_| self.window_end),
        }
    }
}

const REQ_COLS: &str = "q.id, q.uid, q.requester_id, q.merchant_id, coalesce(r.name, x.name), coalesce(r.number, x.code, ''),
    q.type_id, q.description, q.place,
    q.window_start, q.window_end, q.minutes, q.urgent, q.channel, q.payer = 'pool', q.state, q.helper_id, h.name,
    q.created_at, q.responded_at, q.matched_at, q.closed_at, q.record_id, q.cancel_reason,
    q.services_owed, q.services_left, q.minutes_left, q.parent_id,
    coalesce(q.settles, p.settles), coalesce(q.services_owed, p.services_owed), coalesce(s.discounts_fen, 0), q.service_no";

const REQ_FROM: &str = "requests q LEFT JOIN members r ON r.id = q.requester_id
    LEFT JOIN merchants x ON x.id = q.merchant_id LEFT JOIN members h ON h.id = q.helper_id
    LEFT JOIN requests p ON p.id = q.parent_id
    LEFT JOIN settlements s ON s.merchant_id = q.merchant_id AND s.month = coalesce(q.settles, p.settles)";

fn req_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<RequestRow> {
    Ok(RequestRow {
        id: r.get(0)?,
        uid: r.get(1)?,
        requester_id: r.get(2)?,
        merchant_id: r.get(3)?,
        requester: r.get(4)?,
        requester_number: r.get(5)?,
        type_id: r.get(6)?,
        description: r.get(7)?,
        place: r.get(8)?,
        window_start: r.get(9)?,
        window_end: r.get(10)?,
        minutes: r.get(11)?,
        urgent: r.get(12)?,
        channel: Channel::parse(&r.get::<_, String>(13)?).unwrap_or(Channel::WalkIn),
        pool_pays: r.get(14)?,
        state: State::parse(&r.get::<_, String>(15)?).unwrap_or(State::New),
        helper_id: r.get(16)?,
        helper: r.get(17)?,
        created_at: r.get(18)?,
        responded_at: r.get(19)?,
        matched_at: r.get(20)?,
        closed_at: r.get(21)?,
        record_id: r.get(22)?,
        cancel_reason: r.get(23)?,
        services: match (r.get(24)?, r.get(25)?, r.get(26)?) {
            (Some(owed), Some(left), Some(minutes_left)) => Some(Services {
                owed,
                left,
                minutes_left,
            }),
            _ => None,
        },
        parent_id: r.get(27)?,
        settles: match (
            r.get::<_, Option<String>>(28)?,
            r.get::<_, Option<u32>>(29)?,
        ) {
            (Some(month), Some(owed)) => Some(Settles {
                month,
                owed,
                discounts_fen: r.get(30)?,
                service_no: r.get(31)?,
            }),
            _ => None,
        },
    })
}

pub fn request(conn: &Connection, id: i64) -> StoreResult<RequestRow> {
    // cached: the helper ranking reads its request each time, and the
    // join takes longer to prepare than to run
    conn.prepare_cached(&format!(
        "SELECT {REQ_COLS} FROM {REQ_FROM} WHERE q.id = ?1"
    ))?
    .query_row([id], req_of)
    .optional()?
    .ok_or_else(|| Refusal::general(msg!("request.unknown")).into())
}

fn move_state(
    conn: &Connection,
    row: &RequestRow,
    to: State,
    by: &Session,
    note: Option<&str>,
    at: Stamp,
) -> StoreResult<()> {
    if !row.state.can_go(to) {
        return Err(Refusal::general(msg!(
            "request.cannot_move",
            from = row.state.label_key(),
            to = to.label_key()
        ))
        .into());
    }
    let col = match to {
        State::Responded => Some("responded_at"),
        State::Matched => Some("matched_at"),
        State::InService => Some("started_at"),
        State::Done | State::Cancelled => Some("closed_at"),
        State::New => None,
    };
    if let Some(col) = col {
        conn.execute(
            &format!("UPDATE requests SET state = ?1, {col} = coalesce({col}, ?2), updated_at = ?2 WHERE id = ?3"),
            params![to.as_str(), at, row.id],
        )?;
    }
    move_event(conn, row.id, row.state, to, by, note, at)
}

/// The event and audit rows of a state change (the change itself is the
/// caller's).
fn move_event(
    conn: &Connection,
    id: i64,
    from: State,
    to: State,
    by: &Session,
    note: Option<&str>,
    at: Stamp,
) -> StoreResult<()> {
    conn.execute(
        MOVE_STATE_INSERT_REQUEST_EVENTS,
        params![id, at, by.staff_id, from.as_str(), to.as_str(), note],
    )?;
    audit::log(
        conn,
        at,
        Some(by.staff_id),
        &format!("request.{}", to.as_str()),
        "request",
        id,
        json!({"from": from.as_str(), "note": note}),
    )?;
    Ok(())
}

/// Close a request whose service was recorded elsewhere (a merchant's).
pub(super) fn finish(
    conn: &Connection,
    row: &RequestRow,
    by: &Session,
    at: Stamp,
) -> StoreResult<()> {
    move_state(conn, row, State::Done, by, None, at)
}

/// A record saved from a request closes it (inside the record's transaction).
pub fn close_with_record(
    conn: &Connection,
    id: i64,
    record_id: i64,
    r: &RecordInput,
    by: &Session,
    at: Stamp,
) -> StoreResult<()> {
    let row = request(conn, id)?;
    if !matches!(row.state, State::Matched | State::InService) {
        return Err(Refusal::at("request", msg!("request.not_matched")).into());
    }
    if row.helper_id != Some(r.provider) || row.requester_id != Some(r.recipient) {
        return Err(Refusal::at("provider", msg!("request.record_parties")).into());
    }
    conn.execute(
        "UPDATE requests SET record_id = ?1 WHERE id = ?2",
        params![record_id, id],
    )?;
    move_state(conn, &row, State::Done, by, None, at)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Declined,
    NoAnswer,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Declined => "declined",
            Outcome::NoAnswer => "no_answer",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "accepted" => Some(Outcome::Accepted),
            "declined" => Some(Outcome::Declined),
            "no_answer" => Some(Outcome::NoAnswer),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::Accepted => crate::k!("contact.accepted"),
            Outcome::Declined => crate::k!("contact.declined"),
            Outcome::NoAnswer => crate::k!("contact.no_answer"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub helper_id: i64,
    pub helper: String,
    pub at: Stamp,
    pub staff: String,
    pub outcome: Outcome,
    pub note: Option<String>,
}

/// A ranked helper with the names to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperRow {
    pub candidate: Candidate,
    pub rank: matching::Rank,
    pub number: String,
    pub name: String,
    pub building: String,
}

/// How many helpers the matching pane lists.
pub const HELPERS_SHOWN: usize = 40;

/// A service type's tier and its names (zh, en), for a refusal to name it.
fn tier_of(conn: &Connection, type_id: i64) -> StoreResult<(Tier, String, String)> {
    conn.prepare_cached("SELECT tier, name_zh, name_en FROM service_types WHERE id = ?1")?
        .query_row([type_id], |r| {
            let tier = Tier::parse(&r.get::<_, String>(0)?).unwrap_or(Tier::Special);
            Ok((tier, r.get(1)?, r.get(2)?))
        })
        .optional()?
        .ok_or_else(|| Refusal::at("type", msg!("record.type_unknown")).into())
}

/// The requester's level still lets them receive this request (it may have
/// been taken before the cap held at intake, or the requester was
/// downgraded since): matching refuses it otherwise. A merchant's request
/// has no member to cap.
fn recipient_may_receive(conn: &Connection, row: &RequestRow) -> StoreResult<()> {
    let Some(requester) = row.requester_id else {
        return Ok(());
    };
    let level: String = conn.query_row(
        "SELECT level FROM members WHERE id = ?1",
        [requester],
        |r| r.get(0),
    )?;
    let level = Level::parse(&level).unwrap_or(Level::Ordinary);
    let (tier, ..) = tier_of(conn, row.type_id)?;
    match queue::recipient_refusals(level, tier, row.minutes)
        .into_iter()
        .next()
    {
        Some(r) => Err(Refusal::general(r.msg).into()),
        None => Ok(()),
    }
}

/// A helper's member number, name and building, for the list.
fn label(conn: &Connection, id: i64) -> StoreResult<(String, String, String)> {
    // cached: the helper list asks it for each of the 40 shown
    Ok(conn
        .prepare_cached(LABEL_SELECT_MEMBERS)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// Where the service is asked from: the requester's building and
/// community (a merchant has no building; its community still counts).
fn requester_place(conn: &Connection, row: &RequestRow) -> StoreResult<(String, String)> {
    Ok(match (row.requester_id, row.merchant_id) {
        (Some(id), _) => conn
            .prepare_cached("SELECT building, community FROM members WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?,
        (None, Some(id)) => conn.query_row(
            "SELECT '', community FROM merchants WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        (None, None) => (String::new(), String::new()),
    })
}

/// Facts of one member as a possible helper for `row`.
fn candidates_where(
    conn: &Connection,
    row: &RequestRow,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
    now: Stamp,
) -> StoreResult<Vec<(Candidate, String, String, String)>> {
    let (building, community) = requester_place(conn, row)?;
    let sql = format!(
        "SELECT m.id, m.status = 'approved', m.blacklisted_at IS NOT NULL,
                m.frozen = 1 OR coalesce(m.redeem_frozen_until, 0) > ?1, m.level,
                EXISTS (SELECT 1 FROM member_services s WHERE s.member_id = m.id AND s.type_id = ?2 AND s.role = 'offer'),
                m.building = ?3, m.community = ?4, m.stat_ratings, m.stat_positive, coalesce(m.number, ''), m.name, m.building
         FROM members m WHERE {filter}"
    );
    let mut all: Vec<&dyn rusqlite::ToSql> = vec![&now, &row.type_id, &building, &community];
    all.extend_from_slice(args);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(all.as_slice(), |r| {
            Ok((
                Candidate {
                    member_id: r.get(0)?,
                    approved: r.get(1)?,
                    blacklisted: r.get(2)?,
                    frozen: r.get(3)?,
                    level: Level::parse(&r.get::<_, String>(4)?).unwrap_or(Level::Ordinary),
                    skill: r.get(5)?,
                    same_building: r.get(6)?,
                    same_community: r.get(7)?,
                    ratings: r.get(8)?,
                    positive: r.get(9)?,
                    services_30d: 0,
                    declined_recently: false,
                    booked: false,
                },
                r.get::<_, String>(10)?,
                r.get::<_, String>(11)?,
                r.get::<_, String>(12)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The time-dependent facts of helpers: services in the last 30 days,
/// who declined lately, who is booked at the request's time. Few rows.
struct Recent {
    load: HashMap<i64, u32>,
    declined: HashSet<i64>,
    booked: HashSet<i64>,
}

fn recent(conn: &Connection, row: &RequestRow, now: Stamp) -> StoreResult<Recent> {
    let mut load: HashMap<i64, u32> = HashMap::new();
    // (the last 30 days by their end: a short range of one index, not a
    // walk over every provider's records)
    let mut stmt = conn.prepare_cached(RECENT_SELECT_SERVICE_RECORDS)?;
    for r in stmt.query_map([now - 30 * DAY_MS], |r| r.get::<_, i64>(0))? {
        *load.entry(r?).or_insert(0) += 1;
    }
    let mut declined = HashSet::new();
    let mut stmt = conn.prepare_cached(RECENT_SELECT_CONTACTS)?;
    for r in stmt.query_map(params![row.id, now - 7 * DAY_MS], |r| r.get::<_, i64>(0))? {
        declined.insert(r?);
    }
    let mut booked = HashSet::new();
    let mut stmt = conn.prepare_cached(RECENT_SELECT_REQUESTS)?;
    for r in stmt.query_map(params![row.id, row.window_start, row.window_end], |r| {
        r.get::<_, i64>(0)
    })? {
        booked.insert(r?);
    }
    Ok(Recent {
        load,
        declined,
        booked,
    })
}

/// Fill in the time-dependent facts of a few candidates.
fn add_times(
    conn: &Connection,
    row: &RequestRow,
    cands: &mut [(Candidate, String, String, String)],
    now: Stamp,
) -> StoreResult<()> {
    let r = recent(conn, row, now)?;
    for (c, ..) in cands.iter_mut() {
        c.services_30d = r.load.get(&c.member_id).copied().unwrap_or(0);
        c.declined_recently = r.declined.contains(&c.member_id);
        c.booked = r.booked.contains(&c.member_id);
    }
    Ok(())
}

impl Store {
    pub fn create_request(
        &mut self,
        by: &Session,
        r: &NewRequest,
        at: Stamp,
    ) -> StoreResult<RequestRow> {
        self.write(|tx| {
            let who = tx
                .query_row(CREATE_REQUEST_SELECT_MEMBERS, [r.requester], |x| {
                    Ok(Requester { approved: x.get(0)?, blacklisted: x.get(1)?, level: Level::parse(&x.get::<_, String>(2)?).unwrap_or(Level::Ordinary) })
                })
                .optional()?
                .ok_or_else(|| Refusal::at("requester", msg!("member.unknown")))?;
            let (tier, ..) = tier_of(tx, r.type_id)?;
            queue::check_request(r, &who, tier, at).map_err(StoreError::Invalid)?;
            tx.execute(
                CREATE_REQUEST_INSERT_REQUESTS,
                params![
                    new_uid(at),
                    r.requester,
                    r.type_id,
                    r.description.trim(),
                    r.place.trim(),
                    r.window_start,
                    r.window_end,
                    r.minutes,
                    r.urgent,
                    r.channel.as_str(),
                    if r.pool_pays { "pool" } else { "recipient" },
                    at,
                    by.staff_id
                ],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                CREATE_REQUEST_INSERT_REQUEST_EVENTS,
                params![id, at, by.staff_id],
            )?;
            audit::log(tx, at, Some(by.staff_id), "request.new", "request", id, json!({"requester": r.requester, "type": r.type_id, "urgent": r.urgent, "channel": r.channel.as_str()}))?;
            request(tx, id)
        })
    }

    /// Move a request on (respond, start the service) or cancel it (with a reason).
    pub fn move_request(
        &mut self,
        by: &Session,
        id: i64,
        to: State,
        note: Option<&str>,
        at: Stamp,
    ) -> StoreResult<RequestRow> {
        if to == State::Cancelled && note.is_none_or(|n| n.trim().is_empty()) {
            return Err(Refusal::at("reason", msg!("request.cancel_reason")).into());
        }
        self.write(|tx| {
            let row = request(tx, id)?;
            if to == State::Cancelled {
                tx.execute(
                    "UPDATE requests SET cancel_reason = ?1 WHERE id = ?2",
                    params![note.map(str::trim), id],
                )?;
            }
            move_state(tx, &row, to, by, note, at)?;
            if let (State::Cancelled, Some(parent)) = (to, row.parent_id) {
                settlement::give_back(tx, parent, row.minutes, by, at)?;
            }
            request(tx, id)
        })
    }

    /// The queue: every open request and those closed in [since, ∞).
    pub fn queue(&self, since: Stamp) -> StoreResult<Vec<RequestRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {REQ_COLS} FROM {REQ_FROM}
             WHERE q.state IN ('new', 'responded', 'matched', 'in_service')
             UNION ALL
             SELECT {REQ_COLS} FROM {REQ_FROM} WHERE q.state IN ('done', 'cancelled') AND q.closed_at >= ?1"
        ))?;
        let rows = stmt.query_map([since], req_of)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn request(&self, id: i64) -> StoreResult<RequestRow> {
        request(&self.conn, id)
    }

    /// Open requests past their deadline (the header's count).
    pub fn overdue_requests(&self, now: Stamp) -> StoreResult<u32> {
        let c = self.settings().clocks();
        let mut stmt = self.conn.prepare_cached(OVERDUE_REQUESTS_SELECT_REQUESTS)?;
        let mut n = 0;
        for r in stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })? {
            let (created_at, urgent, state, due) = r?;
            let t = queue::Timing {
                created_at,
                urgent,
                state: State::parse(&state).unwrap_or(State::New),
                due,
            };
            if queue::is_overdue(&t, &c, now) {
                n += 1;
            }
        }
        Ok(n)
    }
}
