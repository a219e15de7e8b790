//! Stations at headquarters: which PostgreSQL role may sync which station
//! code (headquarters assigns it, before the station's first sync), the
//! station's registration by that first sync (its uid under its code, with
//! the public half of its signing key), and re-keying, which only
//! headquarters does.
//!
//! The database enforces the same (row-level security, see
//! `hq_migrations/0002_station_access.sql`); the checks here come first so
//! that an honest station gets the alarm in words rather than PostgreSQL's
//! refusal.

use super::HqError;
use super::apply::Fail;
use super::problem::Problem;
use crate::wire::batch::Batch;
use crate::wire::bundle::Bundle;
use postgres::{Client, GenericClient, Transaction};

mod sql;
use sql::*;

/// A station code as headquarters assigns it: two capital letters (the
/// street) and two digits (the community), e.g. `JS01`.
pub fn parse_code(s: &str) -> Option<String> {
    let t = s.trim();
    let ok = t.len() == 4
        && t.is_ascii()
        && t[..2].chars().all(|c| c.is_ascii_uppercase())
        && t[2..].chars().all(|c| c.is_ascii_digit());
    ok.then(|| t.to_string())
}

/// The role in effect, and whether it is headquarters' own (the tables'
/// owner or a member of it, a superuser, or a role that bypasses row-level
/// security): it sees every station and may register any.
pub fn whoami(c: &mut impl GenericClient) -> Result<(String, bool), HqError> {
    let r = c.query_one(WHOAMI_SELECT_PG_CLASS, &[])?;
    Ok((r.get(0), r.get(1)))
}

/// The station's id at headquarters, after checking the batch's key against
/// the registered one; a station headquarters does not know is registered
/// when the batch may (a sync, or a bundle headquarters registers).
pub(super) fn station_id(tx: &mut Transaction<'_>, b: &Batch) -> Result<i32, Fail> {
    let st = &b.station;
    let key = st.public_key.as_deref().ok_or(Problem::Unsigned)?;
    if let Some(r) = tx.query_opt(
        "SELECT id, code, kind, tz, public_key FROM stations WHERE uid = $1",
        &[&st.uid],
    )? {
        let (code, kind, tz): (String, String, String) = (r.get(1), r.get(2), r.get(3));
        if (code.as_str(), kind.as_str(), tz.as_str())
            != (st.code.as_str(), st.kind.as_str(), st.tz.as_str())
        {
            return Err(Problem::Station {
                detail: format!(
                    "station {} is {code} ({kind}, {tz}) here, the batch says {} ({}, {})",
                    st.uid, st.code, st.kind, st.tz
                ),
            }
            .into());
        }
        return match r.get::<_, Option<String>>(4) {
            Some(k) if k == key => Ok(r.get(0)),
            Some(registered) => Err(Problem::Key {
                code,
                registered,
                got: key.to_string(),
            }
            .into()),
            None => Err(Problem::NoKey { code }.into()),
        };
    }
    if !b.register {
        return Err(Problem::Unregistered {
            code: st.code.clone(),
        }
        .into());
    }
    if let Some(r) = tx.query_opt("SELECT uid FROM stations WHERE code = $1", &[&st.code])? {
        let other: String = r.get(0);
        return Err(Problem::Station {
            detail: format!(
                "the code {} belongs to station {other}, not {}",
                st.code, st.uid
            ),
        }
        .into());
    }
    let (role, admin) = whoami(tx)?;
    let assigned = tx
        .query_opt(
            "SELECT 1 FROM station_roles WHERE code = $1 AND role = current_user",
            &[&st.code],
        )?
        .is_some();
    if !admin && !assigned {
        return Err(Problem::NotAssigned {
            code: st.code.clone(),
            role,
        }
        .into());
    }
    Ok(tx
        .query_one(
            STATION_ID_INSERT_STATIONS,
            &[&st.uid, &st.code, &st.kind, &st.tz, &st.name, &key],
        )?
        .get(0))
}

/// A code given to a role, and the role it had before (if another).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assigned {
    pub code: String,
    pub before: Option<String>,
}

/// Headquarters gives station codes to a role: that role's syncs may
/// register (and then write) those stations and no others. A code given to
/// another role before moves to this one. `codes` are checked with
/// [`parse_code`] by the caller.
pub fn assign(c: &mut Client, role: &str, codes: &[String]) -> Result<Vec<Assigned>, HqError> {
    let mut tx = c.transaction()?;
    let mut out = Vec::new();
    for code in codes {
        let before: Option<String> = tx
            .query_opt(
                "SELECT role::text FROM station_roles WHERE code = $1",
                &[code],
            )?
            .map(|r| r.get(0));
        tx.execute(ASSIGN_INSERT_STATION_ROLES, &[code, &role])?;
        out.push(Assigned {
            code: code.clone(),
            before: before.filter(|b| b != role),
        });
    }
    tx.commit()?;
    Ok(out)
}

/// What a re-key changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rekeyed {
    pub code: String,
    pub before: Option<String>,
    pub after: String,
}

/// Headquarters takes a station's key from one of its bundles (signed by
/// the station's new key, after its key file was replaced; or a station
/// registered before keys were). Written to `alarms` as kind `rekey`, so
/// every change of key stays on record.
pub fn rekey(c: &mut Client, code: &str, bundle: &Bundle) -> Result<Rekeyed, HqError> {
    let refused = |p: Problem| HqError::Refused(p);
    let h = bundle.header.as_ref().ok_or_else(|| {
        refused(Problem::Bundle {
            detail: "no header".into(),
        })
    })?;
    let key = bundle
        .signed_by
        .clone()
        .ok_or_else(|| refused(Problem::Unsigned))?;
    if h.station_code != code {
        return Err(refused(Problem::Bundle {
            detail: format!("the bundle is station {}'s, not {code}'s", h.station_code),
        }));
    }
    let mut tx = c.transaction()?;
    let Some(r) = tx.query_opt(
        "SELECT uid, public_key FROM stations WHERE code = $1 FOR UPDATE",
        &[&code],
    )?
    else {
        return Err(refused(Problem::Unregistered { code: code.into() }));
    };
    let (uid, before): (String, Option<String>) = (r.get(0), r.get(1));
    if uid != h.station_uid {
        return Err(refused(Problem::Station {
            detail: format!(
                "the code {code} belongs to station {uid}, the bundle is station {}'s",
                h.station_uid
            ),
        }));
    }
    tx.execute(
        "UPDATE stations SET public_key = $1 WHERE code = $2",
        &[&key, &code],
    )?;
    let detail = format!("key {} -> {key}", before.as_deref().unwrap_or("(none)"));
    tx.execute(REKEY_INSERT_ALARMS, &[&uid, &code, &detail])?;
    tx.commit()?;
    Ok(Rekeyed {
        code: code.into(),
        before,
        after: key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_two_letters_and_two_digits() {
        assert_eq!(parse_code(" JS01 "), Some("JS01".into()));
        for bad in ["js01", "JS1", "JS001", "J501", "", "JS0١", "ＪＳ01", "aé0"] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }
}
