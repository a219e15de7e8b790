//! The settings pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::domain::staff::Role;
use crate::msg::Refusal;
use crate::store::StoreError;

fn liaison() -> Desk {
    let mut desk = Desk::default();
    desk.session.role = Role::Liaison;
    desk
}

fn staff_row(id: i64, active: bool) -> StaffRow {
    StaffRow {
        id,
        staff_no: format!("{id:03}"),
        name: "李梅".into(),
        role: Role::Liaison,
        active,
        locked_until: None,
    }
}

fn item(id: i64, active: bool) -> ChecklistItem {
    ChecklistItem {
        id,
        kind: "clean".into(),
        name_zh: "扫地".into(),
        name_en: "sweep".into(),
        expected: None,
        active,
        lend: crate::domain::tool::LendKind::None,
    }
}

#[test]
fn entering_reads_the_staff_and_the_checklist_latest_wins() {
    let mut p = SettingsPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        out.jobs,
        [
            ("ListStaff".to_string(), Some("settings.staff")),
            ("ListChecklist".to_string(), Some("settings.checklist")),
        ]
    );
}

#[test]
fn a_liaison_may_look_but_changes_nothing() {
    let desk = liaison();
    let mut p = SettingsPane::default();
    let out = call(&mut p, &desk, |p, cx| {
        p.update(SettingsMsg::Staff(Ok(vec![staff_row(2, true)])), cx);
        for cmd in [
            Command::AddStaff,
            Command::ResetPin,
            Command::ToggleActive,
            Command::AddServiceType,
        ] {
            assert!(p.command(cmd, cx));
        }
    });
    assert!(p.form.is_none());
    let refused = Ask::Notify(NoticeKind::Error, msg!("staff.master_only"));
    assert_eq!(out.asks, vec![refused; 4]);
    assert!(out.jobs.is_empty());
}

#[test]
fn taking_a_staff_member_out_of_use_asks_first_and_then_reads_the_list_again() {
    let mut p = SettingsPane::default();
    let desk = Desk::default();
    let out = call(&mut p, &desk, |p, cx| {
        p.update(SettingsMsg::Staff(Ok(vec![staff_row(2, true)])), cx);
        p.command(Command::ToggleActive, cx);
    });
    let yes = SettingsMsg::SetActive {
        staff_id: 2,
        active: false,
    };
    assert_eq!(
        out.asks,
        [Ask::Confirm {
            text: msg!("staff.confirm_deactivate", name = "李梅"),
            on_yes: yes.clone(),
        }]
    );
    assert!(out.jobs.is_empty(), "nothing before yes");
    let out = call(&mut p, &desk, |p, cx| p.update(yes, cx));
    assert_eq!(out.job_names(), ["SetStaffActive"]);
    let out = call(&mut p, &desk, |p, cx| {
        p.update(SettingsMsg::ActiveSet(Ok(())), cx)
    });
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Ok, msg!("staff.updated"))]
    );
    assert_eq!(out.job_names(), ["ListStaff", "ListChecklist"]);
}

#[test]
fn a_saved_setting_goes_to_the_desk_and_closes_its_form() {
    let mut p = SettingsPane::default();
    let desk = Desk::default();
    let out = call(&mut p, &desk, |p, cx| {
        p.command(Command::SwitchSection, cx);
        p.command(Command::Edit, cx);
        let f = &mut p.form.as_mut().expect("the language form").form;
        f.set("value", "en");
        p.submit(cx);
    });
    assert_eq!(p.section, Section::Station);
    assert_eq!(out.job_names(), ["SetSetting"]);
    assert!(p.form.as_ref().unwrap().form.busy.is_some());
    let saved = Box::new(Settings {
        language: "en".into(),
        ..Settings::default()
    });
    let out = call(&mut p, &desk, |p, cx| {
        p.update(SettingsMsg::SettingSaved(Ok(saved.clone())), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [
            Ask::SettingsSaved(saved),
            Ask::Notify(NoticeKind::Ok, msg!("setting.saved")),
        ]
    );
    assert_eq!(out.job_names(), ["ListStaff", "ListChecklist"]);
}

#[test]
fn a_bad_value_is_refused_at_its_field_and_nothing_is_sent() {
    let mut p = SettingsPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SwitchSection, cx);
        p.command(Command::Down, cx);
        p.command(Command::Down, cx);
        p.command(Command::Edit, cx);
        p.form.as_mut().unwrap().form.set("value", "0");
        p.submit(cx);
    });
    assert!(out.jobs.is_empty());
    let f = &p.form.as_ref().unwrap().form;
    assert_eq!(
        f.get("value").and_then(|x| x.error.as_ref()).map(|m| m.key),
        Some("setting.number_range")
    );
}

#[test]
fn an_added_staff_member_drops_the_draft_and_a_refusal_stays_at_the_form() {
    let mut p = SettingsPane::default();
    let desk = Desk::default();
    let out = call(&mut p, &desk, |p, cx| {
        p.command(Command::AddStaff, cx);
        let f = &mut p.form.as_mut().unwrap().form;
        for (k, v) in [("name", "李梅"), ("pin", "4721"), ("pin2", "4721")] {
            f.set(k, v);
        }
        p.submit(cx);
    });
    assert_eq!(out.job_names(), ["AddStaff"]);
    let full = StoreError::Refused(Refusal::at("name", msg!("person.name.empty")));
    call(&mut p, &desk, |p, cx| {
        p.update(SettingsMsg::StaffAdded(Err(full)), cx)
    });
    let f = &p.form.as_ref().expect("still open").form;
    assert_eq!(f.busy, None, "it takes keys again");
    assert!(f.get("name").unwrap().error.is_some());
    let added = Session {
        staff_id: 4,
        staff_no: "004".into(),
        name: "李梅".into(),
        role: Role::Liaison,
    };
    let out = call(&mut p, &desk, |p, cx| {
        p.update(SettingsMsg::StaffAdded(Ok(added)), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [
            Ask::DropDraft("settings.add_staff"),
            Ask::Notify(
                NoticeKind::Ok,
                msg!("staff.added", name = "李梅", staff_no = "004")
            ),
        ]
    );
}

#[test]
fn in_the_checklist_n_adds_an_item_and_d_takes_one_out_of_use_at_once() {
    let mut p = SettingsPane {
        section: Section::Checklist,
        ..SettingsPane::default()
    };
    assert!(p.available(Command::New));
    assert!(!p.available(Command::AddStaff));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(SettingsMsg::Checklist(Ok(vec![item(1, true)])), cx);
        p.command(Command::ToggleActive, cx);
        p.command(Command::AddStaff, cx);
    });
    assert_eq!(out.job_names(), ["SaveChecklistItem"]);
    assert!(out.asks.is_empty(), "no question for an item");
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(kind, Some(SettingsFormKind::ChecklistItem { id: None }));
}

#[test]
fn a_list_that_failed_to_load_is_a_notice() {
    let mut p = SettingsPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(SettingsMsg::Staff(Err(StoreError::Busy)), cx);
        assert!(!p.command(Command::Respond, cx), "not a key of this pane");
    });
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("db.error.busy"))]
    );
}
