//! The monthly settlement with the merchants: a station master's. The
//! store settles the month in one transaction; the statement is written
//! after the commit (in the language asked for), and where it went is
//! kept. A failed write is said, and the stored settlement stays.

use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::i18n::Tr;
use crate::msg;
use crate::msg::Refusal;
use crate::store::redemptions::Settlement;
use crate::store::{Store, StoreError, StoreResult};

/// Last month's settlement (see [`Store::settle_month`]) and its statement,
/// worded by `tr`. Refused, with nothing written, unless `by` is a station
/// master.
pub fn settle_month(
    store: &mut Store,
    by: &Session,
    now: Stamp,
    tr: &Tr,
) -> StoreResult<Settlement> {
    if !by.is_master() {
        return Err(StoreError::Refused(Refusal::general(msg!(
            "staff.master_only"
        ))));
    }
    let s = store.settle_month(by, now)?;
    if s.already {
        return Ok(s);
    }
    let file = crate::exports::settlement(store, tr, &s)
        .map_err(|m| StoreError::Refused(Refusal::general(m)))?;
    store.settlement_written(&s.month, &file.path)?;
    Ok(Settlement {
        file: Some(file.path.display().to_string()),
        ..s
    })
}
