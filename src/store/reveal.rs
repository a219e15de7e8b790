//! Full phone numbers: masked on every screen, shown in full only to a
//! station master who asks, and every asking is in the audit log.

use super::{Store, StoreResult, audit};
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::OptionalExtension;
use serde_json::json;

/// One member's phone numbers, in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revealed {
    pub member_id: i64,
    pub phone: String,
    pub emergency_phone: String,
    pub heir_phone: Option<String>,
}

impl Store {
    /// The full numbers of one member, for a station master; logged.
    pub fn reveal_phones(
        &mut self,
        by: &Session,
        member_id: i64,
        at: Stamp,
    ) -> StoreResult<Revealed> {
        if !by.is_master() {
            return Err(Refusal::general(msg!("reveal.master_only")).into());
        }
        self.write(|tx| {
            let r = tx
                .query_row(
                    "SELECT phone, emergency_phone, heir_phone FROM members WHERE id = ?1",
                    [member_id],
                    |r| {
                        Ok(Revealed {
                            member_id,
                            phone: r.get(0)?,
                            emergency_phone: r.get(1)?,
                            heir_phone: r.get(2)?,
                        })
                    },
                )
                .optional()?
                .ok_or_else(|| Refusal::general(msg!("member.unknown")))?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.reveal_phone",
                "member",
                member_id,
                json!({}),
            )?;
            Ok(r)
        })
    }
}
