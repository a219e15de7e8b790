//! Staff: roles, PINs and the sign-in lockout rule (docs/rules.md §13).

use crate::msg;
use crate::msg::Refusal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 联络员
    Liaison,
    /// 站长
    Master,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Liaison => "liaison",
            Role::Master => "master",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "liaison" => Some(Role::Liaison),
            "master" => Some(Role::Master),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Role::Liaison => "staff.role.liaison",
            Role::Master => "staff.role.master",
        }
    }
}

/// The staff member signed in at the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff_id: i64,
    pub staff_no: String,
    pub name: String,
    pub role: Role,
}

impl Session {
    pub fn is_master(&self) -> bool {
        self.role == Role::Master
    }
}

pub const PIN_MIN: usize = 4;
pub const PIN_MAX: usize = 8;

/// A PIN as a person may set it: 4–8 ASCII digits, not one of the PINs
/// everybody tries first ([`super::pin::weakness`]).
pub fn check_pin(field: &'static str, pin: &str) -> Result<(), Refusal> {
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(Refusal::at(field, msg!("staff.pin.digits")));
    }
    if pin.len() < PIN_MIN {
        return Err(Refusal::at(field, msg!("staff.pin.short", min = PIN_MIN)));
    }
    if pin.len() > PIN_MAX {
        return Err(Refusal::at(field, msg!("staff.pin.long", max = PIN_MAX)));
    }
    if super::pin::weakness(pin).is_some() {
        return Err(Refusal::at(field, msg!("staff.pin.trivial")));
    }
    Ok(())
}

/// A person's name as typed at the desk: trimmed, not empty, at most 20
/// characters, no control characters or emoji.
pub fn parse_person_name(field: &'static str, s: &str) -> Result<String, Refusal> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Refusal::at(field, msg!("person.name.empty")));
    }
    if crate::text::has_unprintable(t) {
        return Err(Refusal::at(field, msg!("person.name.bad_chars")));
    }
    if t.chars().count() > 20 {
        return Err(Refusal::at(field, msg!("person.name.long", max = 20)));
    }
    Ok(t.to_string())
}

/// Wrong PINs in a row before the staff member is locked out.
pub const LOCKOUT_AFTER: u32 = 5;
const LOCKOUT_BASE_MS: i64 = 5 * 60 * 1000;
const LOCKOUT_MAX_MS: i64 = 60 * 60 * 1000;

/// A staff number as typed, as stored: `1` and ` 01 ` are `001` (numbers
/// are given as three digits, and people type the short form).
pub fn normalize_staff_no(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty() && t.len() < 3 && t.bytes().all(|b| b.is_ascii_digit()) {
        format!("{t:0>3}")
    } else {
        t.to_string()
    }
}

/// How long a staff member stays locked after `failures` wrong PINs in a row:
/// none below 5; 5 minutes at the 5th; each further 5 wrong PINs double it, up
/// to an hour, so guessing a 4-digit PIN takes months rather than an evening.
pub fn lockout_ms(failures: u32) -> Option<i64> {
    if failures < LOCKOUT_AFTER || !failures.is_multiple_of(LOCKOUT_AFTER) {
        return None;
    }
    let round = failures / LOCKOUT_AFTER - 1;
    let ms = LOCKOUT_BASE_MS.saturating_mul(1i64 << round.min(20));
    Some(ms.min(LOCKOUT_MAX_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_staff_numbers_are_padded() {
        assert_eq!(normalize_staff_no("1"), "001");
        assert_eq!(normalize_staff_no(" 04 "), "004");
        assert_eq!(normalize_staff_no("001"), "001");
        assert_eq!(normalize_staff_no("1234"), "1234");
        assert_eq!(normalize_staff_no("a1"), "a1");
        assert_eq!(normalize_staff_no(""), "");
    }

    #[test]
    fn pins() {
        assert!(check_pin("pin", "4821").is_ok());
        assert!(check_pin("pin", "48210937").is_ok());
        for weak in ["1234", "0000", "2580", "1212", "13579"] {
            assert_eq!(
                check_pin("pin", weak).unwrap_err().msg.key,
                "staff.pin.trivial"
            );
        }
        assert_eq!(
            check_pin("pin", "123").unwrap_err().msg.key,
            "staff.pin.short"
        );
        assert_eq!(
            check_pin("pin", "123456789").unwrap_err().msg.key,
            "staff.pin.long"
        );
        assert_eq!(
            check_pin("pin", "12a4").unwrap_err().msg.key,
            "staff.pin.digits"
        );
        assert_eq!(
            check_pin("pin", "１２３４").unwrap_err().msg.key,
            "staff.pin.digits"
        );
    }

    #[test]
    fn names() {
        assert_eq!(parse_person_name("n", "  张三  ").unwrap(), "张三");
        assert!(parse_person_name("n", "   ").is_err());
        assert!(parse_person_name("n", "张😀").is_err());
        assert!(parse_person_name("n", "a\tb").is_err());
        assert!(parse_person_name("n", &"长".repeat(21)).is_err());
    }

    #[test]
    fn lockout_backs_off() {
        assert_eq!(lockout_ms(4), None);
        assert_eq!(lockout_ms(5), Some(5 * 60_000));
        assert_eq!(lockout_ms(6), None);
        assert_eq!(lockout_ms(10), Some(10 * 60_000));
        assert_eq!(lockout_ms(15), Some(20 * 60_000));
        assert_eq!(lockout_ms(100), Some(60 * 60_000));
    }
}
