//! The demo's tool corner: a walker lent five weeks ago and not back (so
//! overdue: the header counts it, the callback list asks to call), and a
//! screwdriver lent two days ago.

use crate::domain::staff::Session;
use crate::domain::time::{self, DAY_MS, Stamp};
use crate::domain::tool::{self, LendKind};
use crate::store::{Store, StoreError};

/// `elder` has the walker, `neighbour` the screwdriver.
pub fn build(
    store: &mut Store,
    master: &Session,
    now: Stamp,
    elder: i64,
    neighbour: i64,
) -> Result<(), StoreError> {
    let tz = store.tz();
    let items = store.tool_items(now)?;
    let find = |k: LendKind| items.iter().find(|i| i.kind == k).map(|i| i.id);
    if let Some(walker) = find(LendKind::Walker) {
        let at = now - 35 * DAY_MS;
        let due = tool::default_due(time::local_day(at, tz), LendKind::Walker);
        store.lend_tool(master, walker, elder, due, at)?;
    }
    if let Some(screwdriver) = find(LendKind::Tool) {
        let at = now - 2 * DAY_MS;
        let due = tool::default_due(time::local_day(at, tz), LendKind::Tool);
        store.lend_tool(master, screwdriver, neighbour, due, at)?;
    }
    Ok(())
}
