//! Half-typed forms kept across crashes (scratch data, not audited).
//! Forms never hand a whole ID number to a draft (`app::form::draft`); a
//! draft written by an older version is cut down when the file is opened.

use super::{Store, StoreResult};
use crate::domain::time::Stamp;
use rusqlite::{Connection, params};

mod sql;
use sql::*;

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
        self.conn
            .execute(SAVE_DRAFT_INSERT_DRAFTS, params![staff_id, form, data, at])?;
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
        let mut stmt = self.conn.prepare(DRAFTS_SELECT_DRAFTS)?;
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

/// Mask every ID-number-shaped text in every draft (drafts written before
/// drafts left them out). Cheap: a station has a handful of drafts.
pub(super) fn scrub_id_numbers(conn: &Connection) -> rusqlite::Result<usize> {
    let rows: Vec<(i64, String, String)> = {
        let mut stmt = conn.prepare("SELECT staff_id, form, data FROM drafts")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut scrubbed = 0;
    for (staff_id, form, data) in rows {
        if let std::borrow::Cow::Owned(clean) = crate::domain::privacy::redact_id_numbers(&data) {
            conn.execute(
                "UPDATE drafts SET data = ?1 WHERE staff_id = ?2 AND form = ?3",
                params![clean, staff_id, form],
            )?;
            scrubbed += 1;
        }
    }
    Ok(scrubbed)
}

/// Work a migration left for outside its transaction: a VACUUM, when the
/// file may hold ID numbers in freed pages (drafts were kept, or members
/// registered at the desk); it rewrites the file without them. The task is
/// crossed off after it is done, so a VACUUM cut short runs again.
pub(super) fn run_maintenance(conn: &Connection) -> rusqlite::Result<()> {
    let due: bool = conn.query_row(RUN_MAINTENANCE_SELECT_MAINTENANCE_DUE, [], |r| r.get(0))?;
    if !due {
        return Ok(());
    }
    let typed: bool = conn.query_row(RUN_MAINTENANCE_SELECT_DRAFTS, [], |r| r.get(0))?;
    if typed {
        // the main file keeps its old pages until a checkpoint copies the
        // new ones over them: at once, not at the next thousand pages
        conn.execute_batch("VACUUM")?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    conn.execute(
        "DELETE FROM maintenance_due WHERE task = 'vacuum_if_ids_were_typed'",
        [],
    )?;
    Ok(())
}
