//! Staff records, PIN hashes and sign-in.

use super::{Store, StoreError, StoreResult, audit, new_uid};
use crate::domain::staff::{self, Role, Session};
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

mod sql;
use sql::*;

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

/// A row of the staff list (no PIN hash leaves the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub id: i64,
    pub staff_no: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub locked_until: Option<Stamp>,
}

/// Insert a staff row with the next staff number (001, 002, …).
pub(super) fn insert_staff(
    conn: &Connection,
    s: &NewStaff,
    pin_hash: &str,
    at: Stamp,
) -> StoreResult<Session> {
    let next: i64 = conn.query_row(
        "SELECT coalesce(max(CAST(staff_no AS INTEGER)), 0) + 1 FROM staff",
        [],
        |r| r.get(0),
    )?;
    let staff_no = format!("{next:03}");
    conn.execute(
        INSERT_STAFF_INSERT_STAFF,
        params![new_uid(at), staff_no, s.name, s.role.as_str(), pin_hash, at],
    )?;
    Ok(Session {
        staff_id: conn.last_insert_rowid(),
        staff_no,
        name: s.name.clone(),
        role: s.role,
    })
}

fn require_master(by: &Session) -> StoreResult<()> {
    if by.is_master() {
        Ok(())
    } else {
        Err(Refusal::general(msg!("staff.master_only")).into())
    }
}

impl Store {
    /// The hash of a PIN being set: peppered with the station key, so a
    /// station without its key file sets no PIN.
    pub(super) fn hash_new_pin(&self, pin: &str) -> StoreResult<String> {
        let key = self.secret.ok_or_else(|| {
            let path = super::secret::key_path(self.path());
            Refusal::at("pin", msg!("signin.key_missing", path = path.display()))
        })?;
        super::pin::hash(pin, &super::pin::pepper(&key)).map_err(StoreError::Other)
    }

    pub fn list_staff(&self) -> StoreResult<Vec<StaffRow>> {
        let mut stmt = self.conn.prepare(LIST_STAFF_SELECT_STAFF)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StaffRow {
                    id: r.get(0)?,
                    staff_no: r.get(1)?,
                    name: r.get(2)?,
                    role: Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Liaison),
                    active: r.get(4)?,
                    locked_until: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Add a staff member (station master only). Inputs are checked here too,
    /// so the CLI and the screen refuse the same things.
    pub fn add_staff(
        &mut self,
        by: &Session,
        name: &str,
        role: Role,
        pin: &str,
        at: Stamp,
    ) -> StoreResult<Session> {
        require_master(by)?;
        let name = staff::parse_person_name("name", name)?;
        staff::check_pin("pin", pin)?;
        let pin_hash = self.hash_new_pin(pin)?;
        self.write(|tx| {
            let s = insert_staff(
                tx,
                &NewStaff {
                    name: name.clone(),
                    role,
                    pin: String::new(),
                },
                &pin_hash,
                at,
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "staff.create",
                "staff",
                &s.staff_no,
                json!({"name": name, "role": role.as_str()}),
            )?;
            Ok(s)
        })
    }

    /// Set a new PIN for a staff member (station master only); clears a lockout.
    pub fn reset_pin(
        &mut self,
        by: &Session,
        staff_id: i64,
        pin: &str,
        at: Stamp,
    ) -> StoreResult<()> {
        require_master(by)?;
        staff::check_pin("pin", pin)?;
        let pin_hash = self.hash_new_pin(pin)?;
        self.write(|tx| {
            let no: String = tx
                .query_row(
                    "SELECT staff_no FROM staff WHERE id = ?1",
                    [staff_id],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| Refusal::general(msg!("staff.unknown")))?;
            tx.execute(RESET_PIN_UPDATE_STAFF, params![pin_hash, staff_id])?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "staff.reset_pin",
                "staff",
                no,
                json!({}),
            )?;
            Ok(())
        })
    }

    /// Activate or deactivate a staff member. The last active master stays.
    pub fn set_staff_active(
        &mut self,
        by: &Session,
        staff_id: i64,
        active: bool,
        at: Stamp,
    ) -> StoreResult<()> {
        require_master(by)?;
        self.write(|tx| {
            let (no, role): (String, String) = tx
                .query_row(
                    "SELECT staff_no, role FROM staff WHERE id = ?1",
                    [staff_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or_else(|| Refusal::general(msg!("staff.unknown")))?;
            if !active && role == "master" {
                let masters: i64 =
                    tx.query_row(SET_STAFF_ACTIVE_SELECT_STAFF, [staff_id], |r| r.get(0))?;
                if masters == 0 {
                    return Err(Refusal::general(msg!("staff.last_master")).into());
                }
            }
            tx.execute(
                "UPDATE staff SET active = ?1 WHERE id = ?2",
                params![active, staff_id],
            )?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                if active {
                    "staff.activate"
                } else {
                    "staff.deactivate"
                },
                "staff",
                no,
                json!({}),
            )?;
            Ok(())
        })
    }

    /// Check a staff number and PIN. Wrong PINs count towards a lockout;
    /// every outcome is audited. The failure counter is committed even though
    /// the sign-in is refused.
    pub fn sign_in(&mut self, staff_no: &str, pin: &str, at: Stamp) -> StoreResult<Session> {
        self.sign_in_for(staff_no, pin, at, None)
    }

    /// [`Store::sign_in`] for a command of the command line, named in the
    /// audit row (`None`: the desk).
    pub fn sign_in_for(
        &mut self,
        staff_no: &str,
        pin: &str,
        at: Stamp,
        command: Option<&str>,
    ) -> StoreResult<Session> {
        let row = self.staff_for_pin(staff_no, pin, at)?;
        let via = match command {
            Some(c) => json!({"via": "command line", "command": c}),
            None => json!({}),
        };
        if self.pin_matches(&row, pin)? {
            self.write(|tx| {
                tx.execute(
                    "UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = ?1",
                    [row.session.staff_id],
                )?;
                let (id, no) = (row.session.staff_id, &row.session.staff_no);
                audit::log(tx, at, Some(id), "signin.ok", "staff", no, via.clone())?;
                Ok(())
            })?;
            return Ok(row.session);
        }
        let failed = row.failed + 1;
        let lock = staff::lockout_ms(failed).map(|ms| at + ms);
        self.write(|tx| {
            tx.execute(
                "UPDATE staff SET failed_pins = ?1, locked_until = ?2 WHERE id = ?3",
                params![failed, lock, row.session.staff_id],
            )?;
            let mut detail = json!({"failed": failed, "locked": lock.is_some()});
            if let (Some(d), Some(v)) = (detail.as_object_mut(), via.as_object()) {
                d.extend(v.clone());
            }
            audit::log(
                tx,
                at,
                None,
                "signin.failed",
                "staff",
                &row.session.staff_no,
                detail,
            )?;
            Ok(())
        })?;
        Err(match lock {
            Some(until) => Refusal::at(
                "pin",
                msg!("signin.locked", minutes = (until - at + 59_999) / 60_000),
            ),
            None => Refusal::at(
                "pin",
                msg!(
                    "signin.pin.wrong",
                    left = staff::LOCKOUT_AFTER - failed % staff::LOCKOUT_AFTER
                ),
            ),
        }
        .into())
    }

    /// Check a staff number and PIN without writing anything: for a file
    /// that must not change (the backup `restore` is about to put in place).
    /// A lockout in force is respected; a wrong PIN is not counted.
    pub fn check_pin(&self, staff_no: &str, pin: &str, at: Stamp) -> StoreResult<Session> {
        let row = self.staff_for_pin(staff_no, pin, at)?;
        if self.pin_matches(&row, pin)? {
            Ok(row.session)
        } else {
            Err(Refusal::at("pin", msg!("signin.pin.wrong_here")).into())
        }
    }

    /// The staff member a sign-in is for, refused when the number is empty,
    /// unknown, disabled or locked out, or the PIN empty.
    fn staff_for_pin(&self, staff_no: &str, pin: &str, at: Stamp) -> StoreResult<PinRow> {
        let staff_no = &crate::domain::staff::normalize_staff_no(staff_no);
        if staff_no.is_empty() {
            return Err(Refusal::at("staff_no", msg!("signin.staff_no.empty")).into());
        }
        if pin.is_empty() {
            return Err(Refusal::at("pin", msg!("signin.pin.empty")).into());
        }
        let row = self
            .conn
            .query_row(STAFF_FOR_PIN_SELECT_STAFF, [staff_no], |r| {
                Ok((
                    PinRow {
                        session: Session {
                            staff_id: r.get(0)?,
                            staff_no: r.get(1)?,
                            name: r.get(2)?,
                            role: Role::parse(&r.get::<_, String>(3)?).unwrap_or(Role::Liaison),
                        },
                        pin_hash: r.get(4)?,
                        failed: r.get(6)?,
                    },
                    r.get::<_, bool>(5)?,
                    r.get::<_, Option<i64>>(7)?,
                ))
            })
            .optional()?;
        let Some((row, active, locked_until)) = row else {
            return Err(Refusal::at("staff_no", msg!("signin.staff_no.unknown")).into());
        };
        if !active {
            return Err(Refusal::at("staff_no", msg!("signin.inactive")).into());
        }
        if let Some(until) = locked_until.filter(|u| *u > at) {
            let minutes = (until - at + 59_999) / 60_000;
            return Err(Refusal::at("pin", msg!("signin.locked", minutes = minutes)).into());
        }
        Ok(row)
    }

    /// Whether `pin` is the staff member's; a peppered hash without the
    /// station key is refused with the key's path.
    fn pin_matches(&self, row: &PinRow, pin: &str) -> StoreResult<bool> {
        let pepper = self.secret.as_ref().map(super::pin::pepper);
        match super::pin::check(pin, &row.pin_hash, pepper.as_ref()) {
            super::pin::Check::Match => Ok(true),
            super::pin::Check::NoMatch => Ok(false),
            super::pin::Check::NeedsKey => {
                let path = super::secret::key_path(self.path());
                Err(Refusal::at("pin", msg!("signin.key_missing", path = path.display())).into())
            }
        }
    }
}

/// What a sign-in reads of a staff member.
struct PinRow {
    session: Session,
    pin_hash: String,
    failed: u32,
}
