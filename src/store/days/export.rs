//! A day's bundle as text and as a new file: what close-day writes, again on demand.

use super::*;

impl Store {
    /// Write the bundle of a day again into a new file `out` (see
    /// [`crate::output`]: nothing existing is replaced).
    pub fn export_day(&self, day: NaiveDate, out: &std::path::Path) -> StoreResult<()> {
        let text = self.day_bundle_text(day)?;
        let code = self.station().map(|s| s.code()).unwrap_or_default();
        let own = (code.as_str(), &*day.to_string());
        super::super::files::write_for(self, out, Some(own), false, |w| {
            std::io::Write::write_all(w, text.as_bytes()).map_err(StoreError::from)
        })
        .map_err(|e| match e {
            crate::output::WriteError::Body(e) => e,
            e => Refusal::general(e.msg(out, StoreError::msg)).into(),
        })
    }

    /// The bundle of a closed day (for `export-day`), with its stored summary.
    pub fn day_bundle_text(&self, day: NaiveDate) -> StoreResult<String> {
        if !self.day_state(day)?.is_closed() {
            return Err(Refusal::at("date", msg!("day.not_closed")).into());
        }
        let mut b = self.day_bundle(day)?;
        let summary = self
            .conn
            .query_row(
                DAY_BUNDLE_TEXT_SELECT_DAY_SUMMARIES,
                [day.to_string()],
                |r| {
                    Ok((
                        r.get::<_, u32>(0)?,
                        r.get::<_, String>(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| Refusal::at("date", msg!("day.not_closed")))?;
        b.summary = Some(bundle::Summary {
            version: summary.0,
            figures: serde_json::from_str(&summary.1)?,
            snapshot: json!({}),
            ledger_seq: summary.2,
            ledger_head: summary.3,
            audit_seq: summary.4,
            audit_head: summary.5,
        });
        // rows of the day written after its summary version belong to a later version
        b.audit.retain(|a| a.seq <= summary.4);
        b.transfers.retain(|t| t.seq <= summary.2);
        add_links(&self.conn, &mut b, summary.2, summary.4)?;
        Ok(b.to_signed_text(&self.signer()?))
    }
}
