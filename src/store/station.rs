//! The station row, its settings, and the first-run setup.

use super::staff::{NewStaff, insert_staff};
use super::{Store, StoreError, StoreResult, audit, new_uid};
use crate::domain::staff::{Role, Session};
use crate::domain::station::{Settings, Station, StationKind};
use crate::domain::time::Stamp;
use crate::msg;
use crate::msg::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

mod sql;
use sql::*;

pub fn load_station(conn: &Connection) -> StoreResult<Option<Station>> {
    let row = conn
        .query_row(LOAD_STATION_SELECT_STATION, [], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .optional()?;
    let Some((uid, street, community, kind, name, tz)) = row else {
        return Ok(None);
    };
    Ok(Some(Station {
        uid,
        street,
        community,
        kind: StationKind::parse(&kind).unwrap_or(StationKind::Micro),
        name,
        tz: tz
            .parse()
            .map_err(|_| StoreError::Other(format!("unknown time zone {tz} in station row")))?,
    }))
}

pub fn load_settings(conn: &Connection) -> StoreResult<Settings> {
    let mut stmt = conn.prepare("SELECT key, value FROM settings")?;
    let mut map = serde_json::Map::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (k, v) = row?;
        map.insert(k, serde_json::from_str(&v)?);
    }
    // A value of the wrong type (hand-edited file) falls back to defaults
    // rather than locking the desk out.
    Ok(serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default())
}

/// What the first-run screen (or `shiguang init`) collects, already validated.
#[derive(Debug, Clone)]
pub struct NewStation {
    pub street: String,
    pub community: String,
    pub kind: StationKind,
    pub name: String,
    pub tz: chrono_tz::Tz,
}

impl Store {
    /// The station's time zone (Shanghai before the station exists).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.station()
            .map(|s| s.tz)
            .unwrap_or(chrono_tz::Asia::Shanghai)
    }

    /// Create the station and its first station master in one transaction.
    pub fn create_station(
        &mut self,
        st: &NewStation,
        master_name: &str,
        pin: &str,
        at: Stamp,
    ) -> StoreResult<Session> {
        if self.not_created {
            // the desk asked before making a new file; this is the moment
            let path = self.path().to_path_buf();
            *self = super::Store::open(&path, super::OpenMode::Desk, at)
                .map_err(|e| Refusal::general(e.msg()))?;
        }
        if self.station().is_some() {
            return Err(Refusal::general(msg!("setup.already_done")).into());
        }
        let new_master = NewStaff {
            name: master_name.to_string(),
            role: Role::Master,
            pin: pin.to_string(),
        };
        crate::domain::staff::check_pin("pin", pin)?;
        let pin_hash = self.hash_new_pin(pin)?;
        let session = self.write(|tx| {
            tx.execute(
                CREATE_STATION_INSERT_STATION,
                params![new_uid(at), st.street, st.community, st.kind.as_str(), st.name, st.tz.name(), at],
            )?;
            let session = insert_staff(tx, &new_master, &pin_hash, at)?;
            audit::log(
                tx,
                at,
                Some(session.staff_id),
                "station.create",
                "station",
                format!("{}{}", st.street, st.community),
                json!({"street": st.street, "community": st.community, "kind": st.kind.as_str(), "name": st.name, "tz": st.tz.name()}),
            )?;
            audit::log(
                tx,
                at,
                Some(session.staff_id),
                "staff.create",
                "staff",
                &session.staff_no,
                json!({"name": session.name, "role": "master"}),
            )?;
            Ok(session)
        })?;
        self.reload()?;
        Ok(session)
    }

    /// Change one setting (station master only), audited.
    pub fn set_setting(
        &mut self,
        by: &Session,
        key: &str,
        value: serde_json::Value,
        at: Stamp,
    ) -> StoreResult<()> {
        if !by.is_master() {
            return Err(Refusal::general(msg!("staff.master_only")).into());
        }
        // refuse values that would not load back; "trust.warning" sets one
        // field of the `trust` group, which is stored whole under `trust`
        let mut probe = serde_json::to_value(self.settings())?;
        let mut slot = Some(&mut probe);
        for part in key.split('.') {
            slot = slot
                .and_then(|v| v.as_object_mut())
                .and_then(|m| m.get_mut(part));
        }
        match slot {
            Some(slot) => *slot = value.clone(),
            None => return Err(Refusal::general(msg!("settings.unknown", key = key)).into()),
        }
        if serde_json::from_value::<Settings>(probe.clone()).is_err() {
            return Err(Refusal::at("value", msg!("settings.bad_value", key = key)).into());
        }
        let top = key.split('.').next().unwrap_or(key);
        let stored = probe.get(top).cloned().unwrap_or(serde_json::Value::Null);
        let (key, value) = (top, stored);
        self.write(|tx| {
            let old: Option<String> = tx
                .query_row(SET_SETTING_SELECT_SETTINGS, [key], |r| r.get(0))
                .optional()?;
            tx.execute(SET_SETTING_INSERT_SETTINGS, params![key, value.to_string()])?;
            audit::log(
                tx,
                at,
                Some(by.staff_id),
                "settings.set",
                "settings",
                key,
                json!({"old": old, "new": value}),
            )?;
            Ok(())
        })?;
        self.reload()
    }
}
