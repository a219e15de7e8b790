//! A merchant's monthly settlement in the queue: one row per merchant and
//! month that owes a count of services. A match takes one service as a
//! request of its own (matched to the helper, recorded as any merchant
//! request); the row keeps the rest and is done when none are left. A
//! taken service whose match is cancelled is given back to the row.

use super::{RequestRow, Services, move_event, request};
use crate::domain::level::Level;
use crate::domain::merchant;
use crate::domain::queue::State;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use crate::store::{StoreResult, audit, new_uid};
use rusqlite::{Connection, params};
use serde_json::json;

// no words: the desk words the service from its settlement row's facts and
// its number among them (issue 18)
const INSERT_SERVICE: &str = "INSERT INTO requests (uid, merchant_id, type_id, description, place, window_start, window_end, minutes,
        urgent, channel, payer, state, helper_id, created_at, created_by, matched_at, parent_id, updated_at, service_no)
    SELECT ?1, merchant_id, type_id, '', place, window_start, window_end, ?2, urgent, channel, payer, 'matched', ?3, ?4, ?5, ?4, id, ?4, ?6
    FROM requests WHERE id = ?7";

const UPDATE_LEFT: &str = "UPDATE requests SET services_left = ?1, minutes_left = ?2, minutes = ?3, updated_at = ?4 WHERE id = ?5";

/// Take one service from the settlement row `row` for `helper` (inside the
/// match's transaction): the new request's id.
pub(super) fn take_service(
    conn: &Connection,
    row: &RequestRow,
    sv: Services,
    helper: i64,
    by: &Session,
    at: Stamp,
) -> StoreResult<i64> {
    let longest = Level::Ordinary.max_minutes();
    let Some(minutes) = merchant::next_service(sv.minutes_left, sv.left, longest) else {
        return Err(Refusal::general(msg!("request.closed")).into());
    };
    let month: String = conn.query_row(
        "SELECT coalesce(settles, '') FROM requests WHERE id = ?1",
        [row.id],
        |r| r.get(0),
    )?;
    let n = sv.owed - sv.left + 1;
    conn.execute(
        INSERT_SERVICE,
        params![new_uid(at), minutes, helper, at, by.staff_id, n, row.id],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO request_events (request_id, at, staff_id, to_state, note) VALUES (?1, ?2, ?3, 'matched', ?4)",
        params![id, at, by.staff_id, format!("settlement {month} {n}/{}", sv.owed)],
    )?;
    audit::log(
        conn,
        at,
        Some(by.staff_id),
        "request.matched",
        "request",
        id,
        json!({"settlement": row.id, "helper": helper, "minutes": minutes}),
    )?;
    let left = Services {
        left: sv.left - 1,
        minutes_left: sv.minutes_left - minutes,
        ..sv
    };
    set_left(conn, row, left, at)?;
    audit::log(
        conn,
        at,
        Some(by.staff_id),
        "request.service_taken",
        "request",
        row.id,
        json!({"service": id, "left": left.left}),
    )?;
    if left.left == 0 {
        // every service is taken: the row leaves the open queue
        conn.execute(
            "UPDATE requests SET state = 'done', closed_at = ?1 WHERE id = ?2",
            params![at, row.id],
        )?;
        move_event(
            conn,
            row.id,
            row.state,
            State::Done,
            by,
            Some("settlement: none left"),
            at,
        )?;
    }
    Ok(id)
}

/// A taken service whose match was cancelled goes back to its settlement
/// row (reopened if it was done for want of services; a cancelled row
/// stays cancelled).
pub(super) fn give_back(
    conn: &Connection,
    parent: i64,
    minutes: u32,
    by: &Session,
    at: Stamp,
) -> StoreResult<()> {
    let row = request(conn, parent)?;
    let Some(sv) = row.services else {
        return Ok(());
    };
    if row.state == State::Cancelled || sv.left >= sv.owed {
        return Ok(());
    }
    let back = Services {
        left: sv.left + 1,
        minutes_left: sv.minutes_left + minutes,
        ..sv
    };
    set_left(conn, &row, back, at)?;
    if row.state == State::Done {
        conn.execute(
            "UPDATE requests SET state = 'new', closed_at = NULL WHERE id = ?1",
            [row.id],
        )?;
        move_event(
            conn,
            row.id,
            State::Done,
            State::New,
            by,
            Some("settlement: service given back"),
            at,
        )?;
    }
    audit::log(
        conn,
        at,
        Some(by.staff_id),
        "request.service_given_back",
        "request",
        row.id,
        json!({"left": back.left, "minutes": minutes}),
    )?;
    Ok(())
}

fn set_left(conn: &Connection, row: &RequestRow, sv: Services, at: Stamp) -> StoreResult<()> {
    let longest = Level::Ordinary.max_minutes();
    // the row's minutes are the next service's; the last one's stay shown
    let next = merchant::next_service(sv.minutes_left, sv.left, longest).unwrap_or(row.minutes);
    conn.execute(
        UPDATE_LEFT,
        params![sv.left, sv.minutes_left, next, at, row.id],
    )?;
    Ok(())
}
