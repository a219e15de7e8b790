//! Pane 9 (设置): staff (add, reset PIN, activate) and the station's settings.
//! Anyone may look; only a station master may change anything.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm};
use super::state::*;
use super::{App, Pending};
use crate::domain::staff::{self, PIN_MAX, Role};
use crate::domain::station::Settings;
use crate::i18n::Lang;
use crate::msg;
use crate::msg::{Msg, Refusal};
use crate::store::staff::StaffRow;
use crate::worker::{Data, DbCommand, Reply};
use serde_json::{Value, json};

/// What a reply to the settings pane is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    StaffList,
    Form,
    StaffActive,
    Checklist,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    Staff,
    Station,
    Catalog,
    Checklist,
}

/// How a setting is typed and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    Number {
        min: i64,
        max: i64,
    },
    Bool,
    Language,
    Theme,
    /// A time of day, HH:MM (station time).
    Clock,
    /// A folder; empty means the default beside the database.
    Folder,
}

#[derive(Debug, Clone, Copy)]
pub struct SettingItem {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: SettingKind,
}

/// The settings staff can change here, in display order. Each is used by the
/// app; a setting appears here once something reads it.
const fn num(key: &'static str, label: &'static str, min: i64, max: i64) -> SettingItem {
    SettingItem {
        key,
        label,
        kind: SettingKind::Number { min, max },
    }
}

pub const ITEMS: &[SettingItem] = &[
    SettingItem {
        key: "language",
        label: crate::k!("setting.language"),
        kind: SettingKind::Language,
    },
    SettingItem {
        key: "theme",
        label: crate::k!("setting.theme"),
        kind: SettingKind::Theme,
    },
    num(
        "idle_lock_minutes",
        crate::k!("setting.idle_lock_minutes"),
        1,
        120,
    ),
    num(
        "points_per_hour",
        crate::k!("setting.points_per_hour"),
        1,
        200,
    ),
    num("review_hours", crate::k!("setting.review_hours"), 1, 168),
    num(
        "levels.min_ratings",
        crate::k!("setting.min_ratings"),
        1,
        50,
    ),
    num(
        "bad_credit_months",
        crate::k!("setting.bad_credit_months"),
        1,
        24,
    ),
    num(
        "trust.good_service",
        crate::k!("setting.trust.good_service"),
        -100,
        100,
    ),
    num(
        "trust.thank_you",
        crate::k!("setting.trust.thank_you"),
        -100,
        100,
    ),
    num(
        "trust.warning",
        crate::k!("setting.trust.warning"),
        -100,
        100,
    ),
    num(
        "trust.bad_credit",
        crate::k!("setting.trust.bad_credit"),
        -100,
        100,
    ),
    num("trust.minor", crate::k!("setting.trust.minor"), -100, 100),
    num(
        "trust.moderate",
        crate::k!("setting.trust.moderate"),
        -100,
        100,
    ),
    num("trust.severe", crate::k!("setting.trust.severe"), -100, 100),
    num(
        "respond_minutes",
        crate::k!("setting.respond_minutes"),
        5,
        24 * 60,
    ),
    num(
        "urgent_respond_minutes",
        crate::k!("setting.urgent_respond_minutes"),
        1,
        60,
    ),
    num(
        "match_minutes",
        crate::k!("setting.match_minutes"),
        10,
        7 * 24 * 60,
    ),
    clock("open_from", crate::k!("setting.open_from")),
    clock("open_by", crate::k!("setting.open_by")),
    clock("close_from", crate::k!("setting.close_from")),
    clock("close_by", crate::k!("setting.close_by")),
    SettingItem {
        key: "backup_dir",
        label: crate::k!("setting.backup_dir"),
        kind: SettingKind::Folder,
    },
    num("backup_keep", crate::k!("setting.backup_keep"), 1, 365),
    num(
        "merchant_yuan_per_hour",
        crate::k!("setting.merchant_yuan_per_hour"),
        1,
        1000,
    ),
    num(
        "merchant_grades.min_ratings",
        crate::k!("setting.merchant_min_ratings"),
        1,
        100,
    ),
    // a file holding the connection string (it has a password): never the string itself
    SettingItem {
        key: "hq_url_file",
        label: crate::k!("setting.hq_url_file"),
        kind: SettingKind::Folder,
    },
];

const fn clock(key: &'static str, label: &'static str) -> SettingItem {
    SettingItem {
        key,
        label,
        kind: SettingKind::Clock,
    }
}

/// The current value of a setting, as text for the list.
pub fn setting_value(s: &Settings, key: &str) -> String {
    let mut v = serde_json::to_value(s).ok();
    for part in key.split('.') {
        v = v.and_then(|x| x.get(part).cloned());
    }
    match v {
        Some(Value::String(s)) => s,
        Some(Value::Bool(b)) => if b { "1" } else { "0" }.to_string(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// Parse what was typed for a setting into the JSON value to store.
pub fn parse_setting(item: &SettingItem, text: &str, themes: &[String]) -> Result<Value, Refusal> {
    let t = text.trim();
    match item.kind {
        SettingKind::Number { min, max } => match t.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(json!(n)),
            _ => Err(Refusal::at(
                "value",
                msg!("setting.number_range", min = min, max = max),
            )),
        },
        SettingKind::Bool => Ok(json!(t == "1")),
        SettingKind::Clock => crate::domain::time::parse_hhmm(t)
            .map(|c| json!(c.format("%H:%M").to_string()))
            .ok_or_else(|| Refusal::at("value", msg!("setting.clock_invalid"))),
        SettingKind::Folder => {
            let p = std::path::Path::new(t);
            if t.is_empty() || (p.is_absolute() && !crate::text::has_unprintable(t)) {
                Ok(json!(t))
            } else {
                Err(Refusal::at("value", msg!("setting.folder_invalid")))
            }
        }
        SettingKind::Language => Lang::parse(t)
            .map(|l| json!(l.code()))
            .ok_or_else(|| Refusal::at("value", msg!("setting.language_unknown"))),
        SettingKind::Theme => {
            if themes.iter().any(|n| n == t) {
                Ok(json!(t))
            } else {
                Err(Refusal::at(
                    "value",
                    msg!("setting.theme_unknown", name = t),
                ))
            }
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

impl FormKind for SettingsFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            SettingsFormKind::AddStaff => Some("settings.add_staff"),
            _ => None,
        }
    }
}

pub type SettingsForm = OpenForm<SettingsFormKind>;

#[derive(Debug, Clone, Default)]
pub struct SettingsPane {
    pub section: Section,
    pub staff: Vec<StaffRow>,
    pub staff_sel: usize,
    pub item_sel: usize,
    pub catalog_sel: usize,
    pub checklist: Vec<crate::store::days::ChecklistItem>,
    pub checklist_sel: usize,
    pub form: Option<SettingsForm>,
    pub loading: Option<u64>,
}

impl SettingsPane {
    pub fn selected_staff(&self) -> Option<&StaffRow> {
        self.staff.get(self.staff_sel)
    }

    fn restore_form(
        &mut self,
        form_key: &str,
        data: &Value,
        _ctx: &super::pane::RestoreCtx,
    ) -> bool {
        if form_key != "settings.add_staff" {
            return false;
        }
        let mut f = add_staff_form();
        f.restore_draft(data);
        self.section = Section::Staff;
        self.form = Some(SettingsForm::new(SettingsFormKind::AddStaff, f));
        true
    }
}

crate::pane_forms!(SettingsPane);

fn role_choices() -> Vec<Choice> {
    vec![
        Choice::key("liaison", Role::Liaison.label_key()),
        Choice::key("master", Role::Master.label_key()),
    ]
}

fn add_staff_form() -> Form {
    Form::new(vec![
        Field::text("name", crate::k!("staff.name"), 20),
        Field::choice("role", crate::k!("staff.role"), role_choices()),
        Field::secret("pin", crate::k!("staff.pin"), PIN_MAX + 4)
            .with_hint(crate::k!("setup.pin.hint")),
        Field::secret("pin2", crate::k!("setup.pin2"), PIN_MAX + 4),
    ])
}

fn reset_pin_form() -> Form {
    Form::new(vec![
        Field::secret("pin", crate::k!("staff.new_pin"), PIN_MAX + 4)
            .with_hint(crate::k!("setup.pin.hint")),
        Field::secret("pin2", crate::k!("setup.pin2"), PIN_MAX + 4),
    ])
}

fn check_new_pin(f: &Form, errs: &mut Vec<Refusal>) {
    if let Err(e) = staff::check_pin("pin", f.value("pin")) {
        errs.push(e);
    } else if f.value("pin") != f.value("pin2") {
        errs.push(Refusal::at("pin2", msg!("staff.pin.mismatch")));
    }
}

impl App {
    fn settings_pane(&mut self) -> Option<&mut SettingsPane> {
        self.desk_mut().map(|d| &mut d.settings)
    }

    pub(super) fn load_staff(&mut self) {
        let id = self.db(DbCommand::ListStaff, Pending::Settings(Req::StaffList));
        if let Some(p) = self.settings_pane() {
            p.loading = Some(id);
        }
        self.db(DbCommand::Checklist, Pending::Settings(Req::Checklist));
    }

    pub(super) fn settings_form_changed(&mut self) {
        if let Some(sf) = self.settings_pane().and_then(|p| p.form.as_mut())
            && matches!(sf.kind, SettingsFormKind::ChecklistItem { .. })
        {
            super::checklist::item_form_changed(&mut sf.form);
        }
    }

    /// The checklist section: add, edit, take in or out of use.
    fn checklist_command(&mut self, cmd: Command) {
        let Some(p) = self.settings_pane() else {
            return;
        };
        let selected = p.checklist.get(p.checklist_sel).cloned();
        match cmd {
            Command::New | Command::AddServiceType | Command::AddStaff => {
                if self.master_only()
                    && let Some(p) = self.settings_pane()
                {
                    p.form = Some(SettingsForm::new(
                        SettingsFormKind::ChecklistItem { id: None },
                        super::checklist::item_form(None),
                    ));
                }
            }
            Command::Edit | Command::Select => {
                if let Some(item) = selected
                    && self.master_only()
                    && let Some(p) = self.settings_pane()
                {
                    p.form = Some(SettingsForm::new(
                        SettingsFormKind::ChecklistItem { id: Some(item.id) },
                        super::checklist::item_form(Some(&item)),
                    ));
                }
            }
            Command::ToggleActive => {
                if let Some(i) = selected
                    && self.master_only()
                    && let Some(by) = self.state.session().cloned()
                {
                    let at = self.state.now;
                    self.db(
                        DbCommand::SaveChecklistItem {
                            by,
                            id: Some(i.id),
                            item: crate::store::days::ChecklistInput {
                                kind: i.kind,
                                name_zh: i.name_zh,
                                name_en: i.name_en,
                                expected: i.expected,
                                active: !i.active,
                            },
                            at,
                        },
                        Pending::Settings(Req::Checklist),
                    );
                }
            }
            _ => {}
        }
    }

    fn master_only(&mut self) -> bool {
        let master = self.state.session().is_some_and(|s| s.is_master());
        if !master {
            self.notify(NoticeKind::Error, msg!("staff.master_only"));
        }
        master
    }

    pub(super) fn settings_command(&mut self, cmd: Command) {
        let catalog_len = self.state.catalog.len();
        let Some(p) = self.settings_pane() else {
            return;
        };
        let checklist_section = p.section == Section::Checklist;
        let (len, sel) = match p.section {
            Section::Staff => (p.staff.len(), &mut p.staff_sel),
            Section::Station => (ITEMS.len(), &mut p.item_sel),
            Section::Catalog => (catalog_len, &mut p.catalog_sel),
            Section::Checklist => (p.checklist.len(), &mut p.checklist_sel),
        };
        match cmd {
            Command::SwitchSection => {
                p.section = match p.section {
                    Section::Staff => Section::Station,
                    Section::Station => Section::Catalog,
                    Section::Catalog => Section::Checklist,
                    Section::Checklist => Section::Staff,
                };
            }
            Command::New
            | Command::Edit
            | Command::Select
            | Command::ToggleActive
            | Command::AddStaff
            | Command::AddServiceType
                if checklist_section =>
            {
                self.checklist_command(cmd)
            }
            Command::AddServiceType => {
                if self.master_only()
                    && let Some(p) = self.settings_pane()
                {
                    p.section = Section::Catalog;
                    let tiers = vec![
                        Choice::key("basic", crate::domain::level::Tier::Basic.label_key()),
                        Choice::key("special", crate::domain::level::Tier::Special.label_key()),
                    ];
                    p.form = Some(SettingsForm::new(
                        SettingsFormKind::AddServiceType,
                        Form::new(vec![
                            Field::text("name_zh", crate::k!("catalog.name_zh"), 12),
                            Field::text("name_en", crate::k!("catalog.name_en"), 30),
                            Field::choice("tier", crate::k!("catalog.tier"), tiers),
                        ]),
                    ));
                }
            }
            Command::Up => *sel = sel.saturating_sub(1),
            Command::Down => *sel = (*sel + 1).min(len.saturating_sub(1)),
            Command::PageUp => *sel = sel.saturating_sub(10),
            Command::PageDown => *sel = (*sel + 10).min(len.saturating_sub(1)),
            Command::Top => *sel = 0,
            Command::Bottom => *sel = len.saturating_sub(1),
            Command::Refresh => self.load_staff(),
            Command::AddStaff => {
                if self.master_only()
                    && let Some(p) = self.settings_pane()
                {
                    p.section = Section::Staff;
                    p.form = Some(SettingsForm::new(
                        SettingsFormKind::AddStaff,
                        add_staff_form(),
                    ));
                }
            }
            Command::ResetPin => {
                let target = self
                    .settings_pane()
                    .and_then(|p| p.selected_staff().map(|s| s.id));
                if let Some(staff_id) = target
                    && self.master_only()
                    && let Some(p) = self.settings_pane()
                {
                    p.section = Section::Staff;
                    p.form = Some(SettingsForm::new(
                        SettingsFormKind::ResetPin { staff_id },
                        reset_pin_form(),
                    ));
                }
            }
            Command::ToggleActive => {
                let target = self.settings_pane().and_then(|p| {
                    (p.section == Section::Staff)
                        .then(|| p.selected_staff().cloned())
                        .flatten()
                });
                if let Some(s) = target
                    && self.master_only()
                {
                    let text = if s.active {
                        msg!("staff.confirm_deactivate", name = &s.name)
                    } else {
                        msg!("staff.confirm_activate", name = &s.name)
                    };
                    self.state.overlay = Some(Overlay::Confirm(Confirm {
                        text,
                        on_yes: ConfirmAction::SetStaffActive {
                            staff_id: s.id,
                            active: !s.active,
                        },
                    }));
                }
            }
            Command::Edit => {
                let item = self
                    .settings_pane()
                    .and_then(|p| (p.section == Section::Station).then(|| ITEMS[p.item_sel]));
                if let Some(item) = item
                    && self.master_only()
                {
                    let form = self.setting_form(&item);
                    if let Some(p) = self.settings_pane() {
                        p.form = Some(SettingsForm::new(
                            SettingsFormKind::Edit { key: item.key },
                            form,
                        ));
                    }
                }
            }
            _ => {}
        }
    }

    fn setting_form(&self, item: &SettingItem) -> Form {
        let current = setting_value(&self.state.settings, item.key);
        let field = match item.kind {
            SettingKind::Number { .. } => Field::text("value", item.label, 6),
            SettingKind::Clock => Field::text("value", item.label, 5),
            SettingKind::Folder => Field::text("value", item.label, 200)
                .with_hint(crate::k!("setting.backup_dir.hint")),
            SettingKind::Bool => Field::toggle("value", item.label),
            SettingKind::Language => Field::choice(
                "value",
                item.label,
                vec![
                    Choice::key("zh", crate::k!("lang.zh")),
                    Choice::key("en", crate::k!("lang.en")),
                ],
            ),
            SettingKind::Theme => Field::choice(
                "value",
                item.label,
                self.theme_names()
                    .into_iter()
                    .map(|n| Choice::text(n.clone(), n))
                    .collect(),
            ),
        };
        Form::new(vec![field.with_value(&current)])
    }

    pub(super) fn submit_settings_form(&mut self) {
        let by = match self.state.session() {
            Some(s) => s.clone(),
            None => return,
        };
        let at = self.state.now;
        let themes = self.theme_names();
        let Some(p) = self.settings_pane() else {
            return;
        };
        let Some(sf) = p.form.as_mut() else { return };
        let mut errs = Vec::new();
        let cmd = match sf.kind.clone() {
            SettingsFormKind::AddStaff => {
                let name = staff::parse_person_name("name", sf.form.value("name"))
                    .map_err(|e| errs.push(e))
                    .ok();
                let role = Role::parse(sf.form.value("role")).unwrap_or(Role::Liaison);
                check_new_pin(&sf.form, &mut errs);
                name.map(|name| DbCommand::AddStaff {
                    by,
                    name,
                    role,
                    pin: sf.form.value("pin").to_string(),
                    at,
                })
            }
            SettingsFormKind::ResetPin { staff_id } => {
                check_new_pin(&sf.form, &mut errs);
                Some(DbCommand::ResetPin {
                    by,
                    staff_id,
                    pin: sf.form.value("pin").to_string(),
                    at,
                })
            }
            SettingsFormKind::AddServiceType => {
                let zh = sf.form.value("name_zh").trim().to_string();
                let en = sf.form.value("name_en").trim().to_string();
                if zh.is_empty() {
                    errs.push(Refusal::at("name_zh", msg!("catalog.name.invalid")));
                }
                if en.is_empty() {
                    errs.push(Refusal::at("name_en", msg!("catalog.name.invalid")));
                }
                let tier = crate::domain::level::Tier::parse(sf.form.value("tier"))
                    .unwrap_or(crate::domain::level::Tier::Basic);
                Some(DbCommand::AddServiceType {
                    by,
                    name_zh: zh,
                    name_en: en,
                    tier,
                    at,
                })
            }
            SettingsFormKind::ChecklistItem { id } => {
                match super::checklist::parse_item(&sf.form) {
                    Ok(item) => Some(DbCommand::SaveChecklistItem { by, id, item, at }),
                    Err(e) => {
                        errs = e;
                        None
                    }
                }
            }
            SettingsFormKind::Edit { key } => {
                let item = ITEMS.iter().find(|i| i.key == key).copied();
                item.and_then(|item| {
                    parse_setting(&item, sf.form.value("value"), &themes)
                        .map_err(|e| errs.push(e))
                        .ok()
                        .map(|value| DbCommand::SetSetting {
                            by,
                            key: key.to_string(),
                            value,
                            at,
                        })
                })
            }
        };
        if !errs.is_empty() {
            sf.form.show_refusals(&errs);
            return;
        }
        let Some(cmd) = cmd else { return };
        sf.form.clear_errors();
        let id = self.db(cmd, Pending::Settings(Req::Form));
        if let Some(sf) = self.settings_pane().and_then(|p| p.form.as_mut()) {
            sf.form.busy = Some(id);
        }
    }

    pub(super) fn set_staff_active(&mut self, staff_id: i64, active: bool) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        self.db(
            DbCommand::SetStaffActive {
                by,
                staff_id,
                active,
                at,
            },
            Pending::Settings(Req::StaffActive),
        );
    }

    pub(super) fn settings_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::StaffList, Ok(Data::Staff(rows))) => {
                if let Some(p) = self.settings_pane()
                    && p.loading == Some(reply.id)
                {
                    p.loading = None;
                    p.staff_sel = p.staff_sel.min(rows.len().saturating_sub(1));
                    p.staff = rows;
                }
            }
            (Req::Form, Ok(data)) => {
                let Some(p) = self.settings_pane() else {
                    return;
                };
                let Some(sf) = p.form.take() else { return };
                let draft = sf.kind.draft_key();
                let note: Msg = match (&sf.kind, &data) {
                    (SettingsFormKind::AddStaff, Data::Session(s)) => {
                        msg!("staff.added", name = &s.name, staff_no = &s.staff_no)
                    }
                    (SettingsFormKind::ResetPin { .. }, _) => msg!("staff.pin_reset"),
                    (SettingsFormKind::AddServiceType, _) => msg!("catalog.added"),
                    (SettingsFormKind::ChecklistItem { .. }, _) => msg!("checklist.saved"),
                    _ => msg!("setting.saved"),
                };
                match data {
                    Data::Settings(s) => self.apply_settings(s),
                    Data::Catalog(c) => self.state.catalog = c,
                    Data::Checklist(c) => {
                        if let Some(p) = self.settings_pane() {
                            p.checklist_sel = p.checklist_sel.min(c.len().saturating_sub(1));
                            p.checklist = c;
                        }
                    }
                    _ => {}
                }
                if let (Some(form), Some(staff_id)) =
                    (draft, self.state.session().map(|s| s.staff_id))
                {
                    self.db(
                        DbCommand::DropDraft {
                            staff_id,
                            form: form.to_string(),
                        },
                        Pending::Quiet,
                    );
                }
                self.notify(NoticeKind::Ok, note);
                self.load_staff();
            }
            (Req::Form, Err(e)) => {
                if let Some(sf) = self.settings_pane().and_then(|p| p.form.as_mut()) {
                    sf.form.busy = None;
                    sf.form.show_refusals(&[Refusal {
                        field: e.field(),
                        msg: e.msg(),
                    }]);
                }
            }
            (Req::Checklist, Ok(Data::Checklist(c))) => {
                if let Some(p) = self.settings_pane() {
                    p.checklist_sel = p.checklist_sel.min(c.len().saturating_sub(1));
                    p.checklist = c;
                }
            }
            (Req::StaffActive, Ok(_)) => {
                self.notify(NoticeKind::Ok, msg!("staff.updated"));
                self.load_staff();
            }
            (_, Err(e)) => self.notify(NoticeKind::Error, e.msg()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_must_be_in_range() {
        let item = ITEMS.iter().find(|i| i.key == "idle_lock_minutes").unwrap();
        assert_eq!(parse_setting(item, "15", &[]).unwrap(), json!(15));
        assert!(parse_setting(item, "0", &[]).is_err());
        assert!(parse_setting(item, "121", &[]).is_err());
        assert!(parse_setting(item, "ten", &[]).is_err());
    }

    #[test]
    fn clocks_and_folders_are_checked() {
        let open_by = ITEMS.iter().find(|i| i.key == "open_by").unwrap();
        assert_eq!(
            parse_setting(open_by, " 9:05 ", &[]).unwrap(),
            json!("09:05")
        );
        for bad in ["25:00", "9点", "", "09:60"] {
            assert!(parse_setting(open_by, bad, &[]).is_err(), "{bad:?}");
        }
        let dir = ITEMS.iter().find(|i| i.key == "backup_dir").unwrap();
        assert_eq!(parse_setting(dir, "", &[]).unwrap(), json!(""));
        assert!(parse_setting(dir, "/media/usb/备份", &[]).is_ok());
        for bad in ["backups", "./x", "/media/\u{7}"] {
            assert!(parse_setting(dir, bad, &[]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn themes_must_exist() {
        let item = ITEMS.iter().find(|i| i.key == "theme").unwrap();
        let names = vec!["default".to_string()];
        assert!(parse_setting(item, "default", &names).is_ok());
        assert!(parse_setting(item, "neon", &names).is_err());
    }

    #[test]
    fn every_item_is_a_real_setting() {
        let s = Settings::default();
        let v = serde_json::to_value(&s).unwrap();
        for item in ITEMS {
            let found = item.key.split('.').try_fold(&v, |x, part| x.get(part));
            assert!(found.is_some(), "{} is not a field of Settings", item.key);
        }
    }
}
