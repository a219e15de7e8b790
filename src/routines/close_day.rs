//! Closing a station day: the close rule on the day's facts, then the
//! store's close (summary, backup and bundle, all or nothing), then the
//! sync with headquarters when the station has its address.

use crate::domain::close::{self, Closing, DayFacts, NotYet};
use crate::domain::staff::Session;
use crate::domain::time::{self, Stamp};
use crate::hq::HqError;
use crate::hq::sync::SyncReport;
use crate::store::days::{Closed, Via};
use crate::store::{Store, StoreError, StoreResult};
use chrono::{Datelike, NaiveDate};

/// The day's facts the close rule needs, as the store has them at `at`.
pub fn facts(store: &Store, day: NaiveDate, at: Stamp) -> StoreResult<DayFacts> {
    let state = store.day_state(day)?;
    Ok(DayFacts {
        day,
        today: time::local_day(at, store.tz()),
        opened: state.opened_at.is_some(),
        closed: state.is_closed(),
        earlier_open: store.unclosed_before(day)?,
    })
}

/// May `day` be closed now as `closing` says? `Ok(Err(_))`: why not yet.
pub fn check(
    store: &Store,
    day: NaiveDate,
    closing: Closing<'_>,
    at: Stamp,
) -> StoreResult<Result<close::CloseVerdict, NotYet>> {
    Ok(close::may_close(&facts(store, day, at)?, closing))
}

/// Close `day`: refused by the close rule with nothing written, else the
/// store's close (a closed day: its stored summary).
pub fn close(
    store: &mut Store,
    by: Option<&Session>,
    via: Via,
    day: NaiveDate,
    closing: Closing<'_>,
    at: Stamp,
) -> StoreResult<Closed> {
    if let Err(why) = check(store, day, closing, at)? {
        return Err(StoreError::Refused(why.refusal(day)));
    }
    let mut closed = store.close_day_via(by, via, day, closing.story, closing.docs_locked, at)?;
    // the week ends with Sunday's close: its notice board (信任公示栏) is
    // made then, as the handbook asks every week. The day is closed
    // whatever happens to the file; the desk can make it again with `b`.
    if !closed.already && day.weekday() == chrono::Weekday::Sun {
        closed.board = crate::exports::notice_board::write_week(store, day)
            .ok()
            .map(|(saved, _)| saved.path);
    }
    Ok(closed)
}

/// After a close: the station's rows to headquarters, when the station has
/// its address (`None`: it has none). Never fails the close: the day is
/// closed and bundled whatever the network does.
pub fn sync(store: &Store) -> Option<Result<SyncReport, HqError>> {
    crate::hq::sync::after_close(store)
}
