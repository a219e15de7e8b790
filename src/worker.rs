//! The db worker: one thread owns the [`Store`]; the app sends it typed
//! commands with a request id and gets typed replies back as events, so the
//! screen never waits on the disk. The test harness calls [`execute`]
//! directly, in order, which is the same code without the thread.

use crate::domain::staff::{Role, Session};
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::store::drafts::Draft;
use crate::store::staff::StaffRow;
use crate::store::station::NewStation;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone)]
pub enum DbCommand {
    CreateStation {
        station: NewStation,
        master: String,
        pin: String,
        at: Stamp,
    },
    SignIn {
        staff_no: String,
        pin: String,
        at: Stamp,
    },
    ListStaff,
    AddStaff {
        by: Session,
        name: String,
        role: Role,
        pin: String,
        at: Stamp,
    },
    ResetPin {
        by: Session,
        staff_id: i64,
        pin: String,
        at: Stamp,
    },
    SetStaffActive {
        by: Session,
        staff_id: i64,
        active: bool,
        at: Stamp,
    },
    SetSetting {
        by: Session,
        key: String,
        value: serde_json::Value,
        at: Stamp,
    },
    SaveDraft {
        staff_id: i64,
        form: String,
        data: String,
        at: Stamp,
    },
    DropDraft {
        staff_id: i64,
        form: String,
    },
    LoadDrafts {
        staff_id: i64,
    },
    Header {
        at: Stamp,
    },
}

/// Figures the header shows on every screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderCounts {
    /// Everything past its deadline: applications, requests, disputes, items.
    pub overdue: u32,
}

#[derive(Debug, Clone)]
pub enum Data {
    Done,
    Station {
        station: Station,
        settings: Settings,
        session: Session,
    },
    Session(Session),
    Settings(Settings),
    Staff(Vec<StaffRow>),
    Drafts(Vec<Draft>),
    Header(HeaderCounts),
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub id: u64,
    pub result: Result<Data, StoreError>,
}

/// Run one command against the store.
pub fn execute(store: &mut Store, cmd: DbCommand) -> Result<Data, StoreError> {
    match cmd {
        DbCommand::CreateStation {
            station,
            master,
            pin,
            at,
        } => {
            let session = store.create_station(&station, &master, &pin, at)?;
            let station = store
                .station()
                .cloned()
                .ok_or_else(|| StoreError::Other("station row missing".into()))?;
            Ok(Data::Station {
                station,
                settings: store.settings().clone(),
                session,
            })
        }
        DbCommand::SignIn { staff_no, pin, at } => {
            store.sign_in(&staff_no, &pin, at).map(Data::Session)
        }
        DbCommand::ListStaff => store.list_staff().map(Data::Staff),
        DbCommand::AddStaff {
            by,
            name,
            role,
            pin,
            at,
        } => store
            .add_staff(&by, &name, role, &pin, at)
            .map(Data::Session),
        DbCommand::ResetPin {
            by,
            staff_id,
            pin,
            at,
        } => store.reset_pin(&by, staff_id, &pin, at).map(|_| Data::Done),
        DbCommand::SetStaffActive {
            by,
            staff_id,
            active,
            at,
        } => store
            .set_staff_active(&by, staff_id, active, at)
            .map(|_| Data::Done),
        DbCommand::SetSetting { by, key, value, at } => {
            store.set_setting(&by, &key, value, at)?;
            Ok(Data::Settings(store.settings().clone()))
        }
        DbCommand::SaveDraft {
            staff_id,
            form,
            data,
            at,
        } => store
            .save_draft(staff_id, &form, &data, at)
            .map(|_| Data::Done),
        DbCommand::DropDraft { staff_id, form } => {
            store.drop_draft(staff_id, &form).map(|_| Data::Done)
        }
        DbCommand::LoadDrafts { staff_id } => store.drafts(staff_id).map(Data::Drafts),
        DbCommand::Header { at } => store.header_counts(at).map(Data::Header),
    }
}

impl Store {
    pub fn header_counts(&self, _at: Stamp) -> Result<HeaderCounts, StoreError> {
        Ok(HeaderCounts::default())
    }
}

/// Start the worker thread. Replies go to `reply`; the thread ends when the
/// command channel closes.
pub fn spawn(
    mut store: Store,
    reply: impl Fn(Reply) + Send + 'static,
) -> (
    std::sync::mpsc::Sender<(u64, DbCommand)>,
    std::thread::JoinHandle<()>,
) {
    let (tx, rx) = std::sync::mpsc::channel::<(u64, DbCommand)>();
    let handle = std::thread::Builder::new()
        .name("shiguang-db".into())
        .spawn(move || {
            while let Ok((id, cmd)) = rx.recv() {
                let result = execute(&mut store, cmd);
                reply(Reply { id, result });
            }
        })
        .expect("spawn db worker thread");
    (tx, handle)
}
