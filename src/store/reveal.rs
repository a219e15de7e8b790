//! Full phone numbers: masked in lists and details, shown in full to a
//! station master who asks, and to any signed-in staff member inside the
//! dialog of a call to make; every showing is in the audit log.

use super::{Store, StoreResult, audit};
use crate::domain::privacy::{PhonePlace, phone_in_full};
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
        if !phone_in_full(PhonePlace::Listed, by.is_master(), true) {
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

/// The call a dialog is for: why a number is shown in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallPurpose {
    /// A helper called for a request (match `c`).
    Helper,
    /// A party of a dispute (dispute `c`).
    DisputeParty,
    /// An applicant told the decision (members `c`).
    Applicant,
    /// A member called back for the month's satisfaction (stats `c`).
    Callback,
    /// The family of the member an urgent request is for.
    Emergency,
}

impl CallPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            CallPurpose::Helper => "helper",
            CallPurpose::DisputeParty => "dispute_party",
            CallPurpose::Applicant => "applicant",
            CallPurpose::Callback => "callback",
            CallPurpose::Emergency => "emergency",
        }
    }
}

/// A number to call, in full, with whom it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallNumber {
    pub member_id: i64,
    pub purpose: CallPurpose,
    /// The member, or for an emergency their contact (family).
    pub who: String,
    pub phone: String,
}

impl CallNumber {
    /// "张三丰  13812345678": the line the dialog shows.
    pub fn dial_line(&self) -> String {
        format!("{}  {}", self.who, self.phone)
    }
}

impl Store {
    /// The number a call dialog dials, in full, for any signed-in staff
    /// member; the audit row says who saw it, for which call (`about`: the
    /// request, dispute or month the call belongs to).
    pub fn number_for_call(
        &mut self,
        by: &Session,
        member_id: i64,
        purpose: CallPurpose,
        about: &str,
        at: Stamp,
    ) -> StoreResult<CallNumber> {
        self.write(|tx| {
            let (name, phone, e_name, e_phone): (String, String, String, String) = tx
                .query_row(
                    "SELECT name, phone, emergency_name, emergency_phone FROM members WHERE id = ?1",
                    [member_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?
                .ok_or_else(|| Refusal::general(msg!("member.unknown")))?;
            let (who, phone) = match purpose {
                CallPurpose::Emergency => (e_name, e_phone),
                CallPurpose::Helper
                | CallPurpose::DisputeParty
                | CallPurpose::Applicant
                | CallPurpose::Callback => (name, phone),
            };
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "member.phone_for_call",
                "member",
                member_id,
                json!({"purpose": purpose.as_str(), "about": about, "seen_by": by.staff_no}),
            )?;
            Ok(CallNumber {
                member_id,
                purpose,
                who,
                phone,
            })
        })
    }
}
