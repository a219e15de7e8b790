//! The demo station: a real-looking station built deterministically, in its
//! own file, rebuilt each new day so that its clocks and queues look live.

use crate::domain::staff::{Role, Session};
use crate::domain::station::StationKind;
use crate::domain::time::{Stamp, local_day};
use crate::msg;
use crate::msg::Msg;
use crate::store::station::NewStation;
use crate::store::{OpenMode, Store};
use std::path::Path;

pub const MASTER_PIN: &str = "1234";
pub const LIAISON_PIN: &str = "5678";

/// Open the demo at `path`, building it first if it is missing or stale.
/// Refuses a file that is not a demo database.
pub fn open_or_build(path: &Path, now: Stamp) -> Result<(Store, Session), Msg> {
    if path.exists() {
        let store = Store::open(path, OpenMode::Desk, now).map_err(|e| e.msg())?;
        if store.station().is_some() && !store.settings().demo {
            return Err(msg!("demo.not_a_demo", path = path.display()));
        }
        let tz = store
            .station()
            .map(|s| s.tz)
            .unwrap_or(chrono_tz::Asia::Shanghai);
        if store.settings().demo_built_on == local_day(now, tz).to_string() {
            let session = master_session(&store)?;
            return Ok((store, session));
        }
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let p = format!("{}{}", path.display(), suffix);
            if Path::new(&p).exists() {
                std::fs::remove_file(&p).map_err(|e| msg!("db.error.sqlite", why = e))?;
            }
        }
    }
    let mut store = Store::open(path, OpenMode::Desk, now).map_err(|e| e.msg())?;
    build(&mut store, now).map_err(|e| e.msg())?;
    let session = master_session(&store)?;
    Ok((store, session))
}

fn master_session(store: &Store) -> Result<Session, Msg> {
    let staff = store.list_staff().map_err(|e| e.msg())?;
    let m = staff
        .into_iter()
        .find(|s| s.role == Role::Master && s.active)
        .ok_or(msg!("demo.no_master"))?;
    Ok(Session {
        staff_id: m.id,
        staff_no: m.staff_no,
        name: m.name,
        role: m.role,
    })
}

/// Fill an empty store with the demo station.
pub fn build(store: &mut Store, now: Stamp) -> Result<(), crate::store::StoreError> {
    let tz = chrono_tz::Asia::Shanghai;
    let station = NewStation {
        street: "JS".into(),
        community: "01".into(),
        kind: StationKind::Main,
        name: "金山街道时光驿站".into(),
        tz,
    };
    let master = store.create_station(&station, "王秀英", MASTER_PIN, now)?;
    store.add_staff(&master, "李建国", Role::Liaison, LIAISON_PIN, now)?;
    store.add_staff(&master, "陈晓燕", Role::Liaison, LIAISON_PIN, now)?;
    store.set_setting(&master, "demo", serde_json::json!(true), now)?;
    store.set_setting(
        &master,
        "demo_built_on",
        serde_json::json!(local_day(now, tz).to_string()),
        now,
    )?;
    Ok(())
}
