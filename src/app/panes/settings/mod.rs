//! Pane 9 (设置): the staff (add, reset a PIN, take in or out of use), the
//! station's settings, the service catalog and the opening checklist.
//! Anyone may look; only a station master may change anything.

mod forms;
mod items;
mod update;

pub use forms::{NewServiceType, NewStaff, item_form, parse_add_staff, parse_item};
pub use items::{ITEMS, SettingItem, SettingKind, parse_setting, setting_form, setting_value};

use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::staff::Session;
use crate::domain::station::Settings;
use crate::msg;
use crate::store::StoreResult;
use crate::store::catalog::ServiceType;
use crate::store::days::{ChecklistInput, ChecklistItem};
use crate::store::staff::StaffRow;
use crate::worker::settings::{ListChecklist, ListStaff, SaveChecklistItem};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Staff,
    Station,
    Catalog,
    Checklist,
}

impl Section {
    fn next(self) -> Section {
        match self {
            Section::Staff => Section::Station,
            Section::Station => Section::Catalog,
            Section::Catalog => Section::Checklist,
            Section::Checklist => Section::Staff,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsFormKind {
    AddStaff,
    ResetPin { staff_id: i64 },
    Edit { key: &'static str },
    AddServiceType,
    ChecklistItem { id: Option<i64> },
}

/// The draft slot of the add-staff form (the only one worth keeping).
const ADD_STAFF_DRAFT: &str = "settings.add_staff";

impl FormKind for SettingsFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            SettingsFormKind::AddStaff => Some(ADD_STAFF_DRAFT),
            _ => None,
        }
    }
}

pub type SettingsForm = OpenForm<SettingsFormKind>;

/// What comes back to the settings pane.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingsMsg {
    /// The staff list, read again.
    Staff(StoreResult<Vec<StaffRow>>),
    /// The opening checklist, read again or after an item was taken into
    /// or out of use.
    Checklist(StoreResult<Vec<ChecklistItem>>),
    /// The add form's staff member, with their staff number.
    StaffAdded(StoreResult<Session>),
    PinReset(StoreResult<()>),
    /// A setting saved: the station's settings as they now stand.
    SettingSaved(StoreResult<Box<Settings>>),
    /// A service type added: the catalog as it now stands.
    TypeAdded(StoreResult<Vec<ServiceType>>),
    /// A checklist item saved by its form: the checklist as it now stands.
    ItemSaved(StoreResult<Vec<ChecklistItem>>),
    /// "Yes" to taking a staff member into (`active`) or out of use.
    SetActive {
        staff_id: i64,
        active: bool,
    },
    /// Taken into or out of use.
    ActiveSet(StoreResult<()>),
}

#[derive(Debug, Clone, Default)]
pub struct SettingsPane {
    pub section: Section,
    pub staff: Vec<StaffRow>,
    pub staff_sel: usize,
    pub item_sel: usize,
    pub catalog_sel: usize,
    pub checklist: Vec<ChecklistItem>,
    pub checklist_sel: usize,
    pub form: Option<SettingsForm>,
}

crate::pane_forms!(SettingsPane);

/// Whoever is at the desk may change things only as a station master;
/// anyone else is told so.
fn master_only(cx: &mut Cx<'_, SettingsMsg>) -> bool {
    let master = cx.desk.session.is_master();
    if !master {
        cx.notify(NoticeKind::Error, msg!("staff.master_only"));
    }
    master
}

impl SettingsPane {
    pub fn selected_staff(&self) -> Option<&StaffRow> {
        self.staff.get(self.staff_sel)
    }

    fn restore_form(&mut self, key: &str, data: &Value, _ctx: &RestoreCtx) -> bool {
        if key != ADD_STAFF_DRAFT {
            return false;
        }
        let mut f = forms::add_staff_form();
        f.restore_draft(data);
        self.section = Section::Staff;
        self.form = Some(SettingsForm::new(SettingsFormKind::AddStaff, f));
        true
    }

    fn form_mut(&mut self) -> Option<&mut crate::app::form::Form> {
        self.form.as_mut().map(|f| &mut f.form)
    }

    fn open(&mut self, kind: SettingsFormKind, form: crate::app::form::Form) {
        self.form = Some(SettingsForm::new(kind, form));
    }

    /// Read the staff and the checklist again (a reply to an earlier read
    /// is dropped).
    fn load(&mut self, cx: &mut Cx<'_, SettingsMsg>) {
        cx.db_latest("settings.staff", ListStaff, SettingsMsg::Staff);
        cx.db_latest("settings.checklist", ListChecklist, SettingsMsg::Checklist);
    }

    /// The checklist section: add, edit, take in or out of use. Whether
    /// the command was one of these.
    fn checklist_command(&mut self, cmd: Command, cx: &mut Cx<'_, SettingsMsg>) -> bool {
        let selected = self.checklist.get(self.checklist_sel).cloned();
        match cmd {
            // `n`, and the letters that add in the other sections
            Command::New | Command::AddStaff | Command::AddServiceType => {
                if master_only(cx) {
                    let kind = SettingsFormKind::ChecklistItem { id: None };
                    self.open(kind, item_form(None));
                }
            }
            Command::Edit | Command::Select => {
                if let Some(item) = selected
                    && master_only(cx)
                {
                    let kind = SettingsFormKind::ChecklistItem { id: Some(item.id) };
                    self.open(kind, item_form(Some(&item)));
                }
            }
            Command::ToggleActive => {
                if let Some(i) = selected
                    && master_only(cx)
                {
                    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
                    let item = ChecklistInput {
                        kind: i.kind,
                        name_zh: i.name_zh,
                        name_en: i.name_en,
                        expected: i.expected,
                        active: !i.active,
                        lend: i.lend,
                    };
                    let id = Some(i.id);
                    let save = SaveChecklistItem { by, id, item, at };
                    cx.db(save, SettingsMsg::Checklist);
                }
            }
            _ => return false,
        }
        true
    }

    /// The selection of the section in front, and how long its list is.
    fn selection(&mut self, catalog_len: usize) -> (usize, &mut usize) {
        match self.section {
            Section::Staff => (self.staff.len(), &mut self.staff_sel),
            Section::Station => (ITEMS.len(), &mut self.item_sel),
            Section::Catalog => (catalog_len, &mut self.catalog_sel),
            Section::Checklist => (self.checklist.len(), &mut self.checklist_sel),
        }
    }

    /// A staff member taken into or out of use, once confirmed.
    fn ask_toggle_staff(&mut self, cx: &mut Cx<'_, SettingsMsg>) {
        let target = (self.section == Section::Staff)
            .then(|| self.selected_staff().cloned())
            .flatten();
        if let Some(s) = target
            && master_only(cx)
        {
            let text = if s.active {
                msg!("staff.confirm_deactivate", name = &s.name)
            } else {
                msg!("staff.confirm_activate", name = &s.name)
            };
            let yes = SettingsMsg::SetActive {
                staff_id: s.id,
                active: !s.active,
            };
            cx.confirm(text, yes);
        }
    }
}

impl PaneComponent for SettingsPane {
    type Msg = SettingsMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Settings, Context::List]
    }

    /// `n` adds only to the checklist; the letters that add staff or a
    /// service type (or reset a PIN) do not work there.
    fn available(&self, cmd: Command) -> bool {
        let checklist = self.section == Section::Checklist;
        match cmd {
            Command::New => checklist,
            Command::AddStaff | Command::AddServiceType | Command::ResetPin => !checklist,
            _ => true,
        }
    }

    fn entered(&mut self, cx: &mut Cx<'_, SettingsMsg>) {
        self.load(cx);
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, SettingsMsg>) -> bool {
        let in_checklist = self.section == Section::Checklist;
        let (len, sel) = self.selection(cx.desk.catalog.len());
        let last = len.saturating_sub(1);
        match cmd {
            Command::New
            | Command::Edit
            | Command::Select
            | Command::ToggleActive
            | Command::AddStaff
            | Command::AddServiceType
                if in_checklist =>
            {
                return self.checklist_command(cmd, cx);
            }
            Command::Up => *sel = sel.saturating_sub(1),
            Command::Down => *sel = (*sel + 1).min(last),
            Command::PageUp => *sel = sel.saturating_sub(10),
            Command::PageDown => *sel = (*sel + 10).min(last),
            Command::Top => *sel = 0,
            Command::Bottom => *sel = last,
            Command::SwitchSection => self.section = self.section.next(),
            Command::Refresh => self.load(cx),
            Command::AddServiceType => {
                if master_only(cx) {
                    self.section = Section::Catalog;
                    self.open(SettingsFormKind::AddServiceType, forms::service_type_form());
                }
            }
            Command::AddStaff => {
                if master_only(cx) {
                    self.section = Section::Staff;
                    self.open(SettingsFormKind::AddStaff, forms::add_staff_form());
                }
            }
            Command::ResetPin => {
                if let Some(staff_id) = self.selected_staff().map(|s| s.id)
                    && master_only(cx)
                {
                    self.section = Section::Staff;
                    let kind = SettingsFormKind::ResetPin { staff_id };
                    self.open(kind, forms::reset_pin_form());
                }
            }
            Command::ToggleActive => self.ask_toggle_staff(cx),
            Command::Edit => {
                let item = (self.section == Section::Station).then(|| ITEMS[self.item_sel]);
                if let Some(item) = item
                    && master_only(cx)
                {
                    let form = setting_form(&item, cx.desk.settings, cx.desk.theme_names);
                    self.open(SettingsFormKind::Edit { key: item.key }, form);
                }
            }
            _ => return false,
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, SettingsMsg>) {
        update::submit(self, cx);
    }

    /// The count field of a checklist item shows for tools alone.
    fn form_changed(&mut self, _cx: &mut Cx<'_, SettingsMsg>) {
        if let Some(sf) = self.form.as_mut()
            && matches!(sf.kind, SettingsFormKind::ChecklistItem { .. })
        {
            forms::item_form_changed(&mut sf.form);
        }
    }

    fn update(&mut self, msg: SettingsMsg, cx: &mut Cx<'_, SettingsMsg>) {
        update::update(self, msg, cx);
    }
}

#[cfg(test)]
mod tests;
