//! Requests of the settings pane (pane 9): the staff, the station's
//! settings, the service catalog and the opening checklist.

use super::DbRequest;
use crate::domain::level::Tier;
use crate::domain::staff::{Role, Session};
use crate::domain::station::Settings;
use crate::domain::time::Stamp;
use crate::store::catalog::ServiceType;
use crate::store::days::{ChecklistInput, ChecklistItem};
use crate::store::staff::StaffRow;
use crate::store::{Store, StoreResult};

/// Everyone who works at the desk, by staff number.
#[derive(Debug)]
pub struct ListStaff;

impl DbRequest for ListStaff {
    type Reply = Vec<StaffRow>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<StaffRow>> {
        store.list_staff()
    }
}

/// A new staff member (a station master adds them); their session, with
/// the staff number given.
#[derive(Debug)]
pub struct AddStaff {
    pub by: Session,
    pub name: String,
    pub role: Role,
    pub pin: String,
    pub at: Stamp,
}

impl DbRequest for AddStaff {
    type Reply = Session;
    fn run(self, store: &mut Store) -> StoreResult<Session> {
        store.add_staff(&self.by, &self.name, self.role, &self.pin, self.at)
    }
}

/// A staff member's new PIN, set by a station master.
#[derive(Debug)]
pub struct ResetPin {
    pub by: Session,
    pub staff_id: i64,
    pub pin: String,
    pub at: Stamp,
}

impl DbRequest for ResetPin {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.reset_pin(&self.by, self.staff_id, &self.pin, self.at)
    }
}

/// A staff member taken into or out of use.
#[derive(Debug)]
pub struct SetStaffActive {
    pub by: Session,
    pub staff_id: i64,
    pub active: bool,
    pub at: Stamp,
}

impl DbRequest for SetStaffActive {
    type Reply = ();
    fn run(self, store: &mut Store) -> StoreResult<()> {
        store.set_staff_active(&self.by, self.staff_id, self.active, self.at)
    }
}

/// One setting changed; the station's settings as they now stand.
#[derive(Debug)]
pub struct SetSetting {
    pub by: Session,
    pub key: String,
    pub value: serde_json::Value,
    pub at: Stamp,
}

impl DbRequest for SetSetting {
    type Reply = Settings;
    fn run(self, store: &mut Store) -> StoreResult<Settings> {
        store.set_setting(&self.by, &self.key, self.value, self.at)?;
        Ok(store.settings().clone())
    }
}

/// A service type added to the catalog; the catalog as it now stands.
#[derive(Debug)]
pub struct AddServiceType {
    pub by: Session,
    pub name_zh: String,
    pub name_en: String,
    pub tier: Tier,
    pub at: Stamp,
}

impl DbRequest for AddServiceType {
    type Reply = Vec<ServiceType>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<ServiceType>> {
        store.add_service_type(&self.by, &self.name_zh, &self.name_en, self.tier, self.at)?;
        store.service_types()
    }
}

/// The opening checklist, every item (in use or not).
#[derive(Debug)]
pub struct ListChecklist;

impl DbRequest for ListChecklist {
    type Reply = Vec<ChecklistItem>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<ChecklistItem>> {
        store.checklist()
    }
}

/// A checklist item added (`id: None`) or changed; the checklist as it
/// now stands.
#[derive(Debug)]
pub struct SaveChecklistItem {
    pub by: Session,
    pub id: Option<i64>,
    pub item: ChecklistInput,
    pub at: Stamp,
}

impl DbRequest for SaveChecklistItem {
    type Reply = Vec<ChecklistItem>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<ChecklistItem>> {
        store.save_checklist_item(&self.by, self.id, &self.item, self.at)?;
        store.checklist()
    }
}
