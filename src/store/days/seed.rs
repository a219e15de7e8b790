//! The demo's history: past days seeded as opened, staffed and closed.

use super::*;

impl Store {
    /// A past day of the demo's history: opened, staffed at midday and
    /// closed with its summary (no backup or bundle files).
    pub fn seed_closed_day(
        &mut self,
        by: &Session,
        day: NaiveDate,
        opened_at: Stamp,
        late: bool,
        closed_at: Stamp,
        story: &str,
    ) -> StoreResult<()> {
        let f = facts(self)?;
        let (start, end) = time::day_range(day, f.station.tz);
        self.write(|tx| {
            tx.execute(
                SEED_CLOSED_DAY_INSERT_STATION_DAYS,
                params![
                    day.to_string(),
                    start,
                    end,
                    opened_at,
                    by.staff_id,
                    late,
                    closed_at,
                    story
                ],
            )?;
            let close = audit::Entry {
                at: closed_at,
                staff_id: Some(by.staff_id),
                action: "seed.day_closed",
                entity: "station_day",
                entity_id: Some(day.to_string()),
                detail: json!({}),
            };
            write_summary(tx, &f, day, close, json!({}))?;
            Ok(())
        })
    }
}
