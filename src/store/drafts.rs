//! Half-typed forms kept across crashes (scratch data, not audited).

use super::{Store, StoreResult};
use crate::domain::time::Stamp;
use rusqlite::params;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub form: String,
    pub data: String,
    pub saved_at: Stamp,
}

impl Store {
    pub fn save_draft(
        &mut self,
        staff_id: i64,
        form: &str,
        data: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        self.conn.execute(
            "INSERT INTO drafts (staff_id, form, data, saved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(staff_id, form) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
            params![staff_id, form, data, at],
        )?;
        Ok(())
    }

    pub fn drop_draft(&mut self, staff_id: i64, form: &str) -> StoreResult<()> {
        self.conn.execute(
            "DELETE FROM drafts WHERE staff_id = ?1 AND form = ?2",
            params![staff_id, form],
        )?;
        Ok(())
    }

    pub fn drafts(&self, staff_id: i64) -> StoreResult<Vec<Draft>> {
        let mut stmt = self.conn.prepare(
            "SELECT form, data, saved_at FROM drafts WHERE staff_id = ?1 ORDER BY saved_at DESC",
        )?;
        let rows = stmt
            .query_map([staff_id], |r| {
                Ok(Draft {
                    form: r.get(0)?,
                    data: r.get(1)?,
                    saved_at: r.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}
