//! Requests of the desk's sessions: the first-run setup of a station and
//! its first master, signing in (and unlocking), and each staff member's
//! drafts of half-filled forms.

use super::DbRequest;
use crate::domain::staff::Session;
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::store::drafts::Draft;
use crate::store::station::NewStation;
use crate::store::{Store, StoreError, StoreResult};

/// The station set up: what the desk starts from.
#[derive(Debug, Clone)]
pub struct StationSetUp {
    pub station: Station,
    pub settings: Settings,
    /// The first master, signed in.
    pub session: Session,
}

/// Set up the station and its first station master (first run).
#[derive(Debug)]
pub struct CreateStation {
    pub station: NewStation,
    pub master: String,
    pub pin: String,
    pub at: Stamp,
}

impl DbRequest for CreateStation {
    type Reply = StationSetUp;
    fn run(self, store: &mut Store) -> StoreResult<StationSetUp> {
        let session = store.create_station(&self.station, &self.master, &self.pin, self.at)?;
        let station = store
            .station()
            .cloned()
            .ok_or_else(|| StoreError::Other("station row missing".into()))?;
        Ok(StationSetUp {
            station,
            settings: store.settings().clone(),
            session,
        })
    }
}

/// A staff member signs in (or unlocks the desk) with their PIN.
#[derive(Debug)]
pub struct SignIn {
    pub staff_no: String,
    pub pin: String,
    pub at: Stamp,
}

impl DbRequest for SignIn {
    type Reply = Session;
    fn run(self, store: &mut Store) -> StoreResult<Session> {
        store.sign_in(&self.staff_no, &self.pin, self.at)
    }
}

/// A half-filled form kept, in its draft slot.
#[derive(Debug)]
pub struct SaveDraft {
    pub staff_id: i64,
    pub form: String,
    pub data: String,
    pub at: Stamp,
}

impl DbRequest for SaveDraft {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.save_draft(self.staff_id, &self.form, &self.data, self.at)
    }
}

/// A draft done with (its form saved, discarded, or not restored).
#[derive(Debug)]
pub struct DropDraft {
    pub staff_id: i64,
    pub form: String,
}

impl DbRequest for DropDraft {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.drop_draft(self.staff_id, &self.form)
    }
}

/// The drafts a staff member left, offered back at sign-in.
#[derive(Debug)]
pub struct LoadDrafts {
    pub staff_id: i64,
}

impl DbRequest for LoadDrafts {
    type Reply = Vec<Draft>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<Draft>> {
        store.drafts(self.staff_id)
    }
}
