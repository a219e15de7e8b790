//! The settings pane's forms sent, and what comes back.

use super::forms::{parse_add_staff, parse_item, parse_reset_pin, parse_service_type};
use super::items::{ITEMS, parse_setting};
use super::{SettingsFormKind, SettingsMsg, SettingsPane};
use crate::app::cx::Cx;
use crate::app::notice::NoticeKind;
use crate::app::pane::FormKind;
use crate::msg;
use crate::msg::Msg;
use crate::worker::settings::{
    AddServiceType, AddStaff, ResetPin, SaveChecklistItem, SetSetting, SetStaffActive,
};

/// Send the open form, or show why not at its fields.
pub(super) fn submit(p: &mut SettingsPane, cx: &mut Cx<'_, SettingsMsg>) {
    let Some(sf) = p.form.as_mut() else { return };
    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
    let f = &sf.form;
    let sent = match sf.kind.clone() {
        SettingsFormKind::AddStaff => parse_add_staff(f).map(|s| {
            let (name, role, pin) = (s.name, s.role, s.pin);
            let add = AddStaff {
                by,
                name,
                role,
                pin,
                at,
            };
            cx.db(add, SettingsMsg::StaffAdded)
        }),
        SettingsFormKind::ResetPin { staff_id } => parse_reset_pin(f).map(|pin| {
            let reset = ResetPin {
                by,
                staff_id,
                pin,
                at,
            };
            cx.db(reset, SettingsMsg::PinReset)
        }),
        SettingsFormKind::AddServiceType => parse_service_type(f).map(|t| {
            let add = AddServiceType {
                by,
                name_zh: t.name_zh,
                name_en: t.name_en,
                tier: t.tier,
                at,
            };
            cx.db(add, SettingsMsg::TypeAdded)
        }),
        SettingsFormKind::ChecklistItem { id } => parse_item(f).map(|item| {
            let save = SaveChecklistItem { by, id, item, at };
            cx.db(save, SettingsMsg::ItemSaved)
        }),
        SettingsFormKind::Edit { key } => {
            let Some(item) = ITEMS.iter().find(|i| i.key == key) else {
                return;
            };
            parse_setting(item, f.value("value"), cx.desk.theme_names)
                .map_err(|e| vec![e])
                .map(|value| {
                    let key = key.to_string();
                    let set = SetSetting { by, key, value, at };
                    cx.db(set, |r| SettingsMsg::SettingSaved(r.map(Box::new)))
                })
        }
    };
    match sent {
        Ok(id) => {
            sf.form.clear_errors();
            sf.form.busy = Some(id);
        }
        Err(errs) => sf.form.show_refusals(&errs),
    }
}

pub(super) fn update(p: &mut SettingsPane, msg: SettingsMsg, cx: &mut Cx<'_, SettingsMsg>) {
    match msg {
        SettingsMsg::Staff(Ok(rows)) => {
            p.staff_sel = p.staff_sel.min(rows.len().saturating_sub(1));
            p.staff = rows;
        }
        SettingsMsg::Checklist(Ok(items)) => show_checklist(p, items),
        SettingsMsg::StaffAdded(Ok(s)) => {
            let note = msg!("staff.added", name = &s.name, staff_no = &s.staff_no);
            saved(p, note, cx);
        }
        SettingsMsg::PinReset(Ok(())) => saved(p, msg!("staff.pin_reset"), cx),
        SettingsMsg::SettingSaved(Ok(settings)) => {
            cx.settings_saved(settings);
            saved(p, msg!("setting.saved"), cx);
        }
        SettingsMsg::TypeAdded(Ok(catalog)) => {
            cx.catalog_saved(catalog);
            saved(p, msg!("catalog.added"), cx);
        }
        SettingsMsg::ItemSaved(Ok(items)) => {
            show_checklist(p, items);
            saved(p, msg!("checklist.saved"), cx);
        }
        SettingsMsg::SetActive { staff_id, active } => {
            let (by, at) = (cx.desk.session.clone(), cx.desk.now);
            let set = SetStaffActive {
                by,
                staff_id,
                active,
                at,
            };
            cx.db(set, SettingsMsg::ActiveSet);
        }
        SettingsMsg::ActiveSet(Ok(())) => {
            cx.notify(NoticeKind::Ok, msg!("staff.updated"));
            p.load(cx);
        }
        SettingsMsg::StaffAdded(Err(e))
        | SettingsMsg::PinReset(Err(e))
        | SettingsMsg::SettingSaved(Err(e))
        | SettingsMsg::TypeAdded(Err(e))
        | SettingsMsg::ItemSaved(Err(e)) => cx.failed(p.form_mut(), e),
        SettingsMsg::Staff(Err(e))
        | SettingsMsg::Checklist(Err(e))
        | SettingsMsg::ActiveSet(Err(e)) => cx.failed(None, e),
    }
}

fn show_checklist(p: &mut SettingsPane, items: Vec<crate::store::days::ChecklistItem>) {
    p.checklist_sel = p.checklist_sel.min(items.len().saturating_sub(1));
    p.checklist = items;
}

/// The open form was saved: it closes (its draft goes), the desk says so,
/// and the lists are read again.
fn saved(p: &mut SettingsPane, note: Msg, cx: &mut Cx<'_, SettingsMsg>) {
    if let Some(slot) = p.form.take().and_then(|f| f.kind.draft_key()) {
        cx.drop_draft(slot);
    }
    cx.notify(NoticeKind::Ok, note);
    p.load(cx);
}
