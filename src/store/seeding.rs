//! What `shiguang seed` must not touch: a station's real members (it adds
//! synthetic ones beside them only when told to) and its closed days.

use super::{Store, StoreResult};
use crate::domain::time::Stamp;
use rusqlite::OptionalExtension;

impl Store {
    /// Members registered by a person at the desk (the seeder adds its own
    /// without a registration), read from the audit log.
    pub fn members_registered_by_people(&self) -> StoreResult<i64> {
        Ok(self.conn.query_row(
            "SELECT count(DISTINCT entity_id) FROM audit_log
              WHERE entity = 'member' AND action = 'member.register'",
            [],
            |r| r.get(0),
        )?)
    }

    /// The latest closed station day ending after `from`: its date and end.
    pub fn closed_day_after(&self, from: Stamp) -> StoreResult<Option<(String, Stamp)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT day, day_end FROM station_days
                  WHERE closed_at IS NOT NULL AND day_end > ?1
                  ORDER BY day_end DESC LIMIT 1",
                [from],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
