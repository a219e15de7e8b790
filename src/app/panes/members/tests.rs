//! The members pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::app::notice::NoticeKind;
use crate::domain::level::Level;
use crate::domain::member::{IdKind, MemberStatus};
use crate::domain::search::SearchEntry;
use crate::domain::staff::Role;
use crate::msg;
use crate::msg::Refusal;
use crate::store::StoreError;

fn entry(member_id: i64, number: &str, name: &str) -> SearchEntry {
    SearchEntry {
        member_id,
        number: number.into(),
        name: name.into(),
        phone_tail: "1234".into(),
        building: "3栋".into(),
        status: if number.is_empty() {
            MemberStatus::Pending
        } else {
            MemberStatus::Approved
        },
        level: Level::Ordinary,
    }
}

/// A desk whose index holds an applicant (7) and members 0002 (5) and
/// 0001 (3), in that order.
fn desk() -> Desk {
    Desk {
        index: SearchIndex::build(vec![
            entry(7, "", "赵六"),
            entry(5, "JS01-0002", "李四"),
            entry(3, "JS01-0001", "张三"),
        ]),
        ..Desk::default()
    }
}

fn row(id: i64, status: MemberStatus) -> MemberRow {
    MemberRow {
        id,
        number: (status == MemberStatus::Approved).then(|| format!("JS01-{id:04}")),
        name: "张三".into(),
        phone: "13800001234".into(),
        status,
        level: Level::Ordinary,
        community: "01".into(),
        building: "3栋".into(),
        submitted_at: crate::harness::T0,
        decided_at: None,
        notified_at: None,
        reject_reason: None,
        has_recommender: false,
        online: false,
        blacklisted: false,
        trust_score: 0,
    }
}

fn detail(row: MemberRow) -> Box<MemberDetail> {
    Box::new(MemberDetail {
        level: LevelView {
            member_id: row.id,
            number: row.number.clone().unwrap_or_default(),
            name: row.name.clone(),
            current: row.level,
            next: row.level,
            reasons: Vec::new(),
            owed: 0,
        },
        row,
        id_masked: "1101**********002X".into(),
        id_kind: IdKind::IdCard,
        emergency_name: "张小三".into(),
        emergency_phone: "13900001111".into(),
        filled_by_family: false,
        applicant_confirmed: true,
        recommender: None,
        master_note: None,
        rejections: Vec::new(),
        checked: None,
        offers: vec![1],
        needs: Vec::new(),
        cards: Vec::new(),
        minutes_served: 0,
        ratings: 0,
        positive: 0,
        balance: 0,
        frozen: false,
        frozen_reason: None,
        redeem_frozen_until: None,
        upgrade_blocked_until: None,
        warnings: 0,
        serious_complaints: 0,
        violations: Vec::new(),
        blacklist_reason: None,
        trust: Vec::new(),
        records: Vec::new(),
        thanks: Vec::new(),
        medals: Vec::new(),
        heir: None,
    })
}

/// The pane on the list of all members, member `id`'s detail shown.
fn showing(d: &Desk, status: MemberStatus, id: i64) -> MembersPane {
    let mut p = MembersPane::default();
    call(&mut p, d, |p, cx| {
        p.index_changed(cx);
        p.member_found(id, cx);
        p.update(MembersMsg::Detail(Ok(detail(row(id, status)))), cx);
    });
    p
}

#[test]
fn the_list_of_all_is_the_index_by_number_applicants_last() {
    let d = desk();
    let mut p = MembersPane::default();
    let out = call(&mut p, &d, |p, cx| p.index_changed(cx));
    assert!(out.jobs.is_empty(), "no detail shown yet: none read");
    let order: Vec<_> = p
        .order
        .iter()
        .map(|i| d.index.entry(*i).member_id)
        .collect();
    assert_eq!(order, [3, 5, 7]);
    assert_eq!(p.selected(&d.index), Some(3));
}

#[test]
fn entering_reads_the_selected_members_detail_and_the_views_list() {
    let d = desk();
    let mut p = MembersPane::default();
    let out = call(&mut p, &d, |p, cx| p.entered(cx));
    assert!(out.jobs.is_empty(), "nobody to show before the index");
    assert_eq!(p.detail, None);
    let out = call(&mut p, &d, |p, cx| {
        p.index_changed(cx);
        p.entered(cx);
    });
    assert_eq!(
        out.jobs,
        [("ReadMember".to_string(), Some("members.detail"))]
    );
    p.view = View::Notice;
    let out = call(&mut p, &d, |p, cx| p.entered(cx));
    assert_eq!(out.jobs, [("Blacklist".to_string(), Some("members.list"))]);
}

#[test]
fn tab_goes_round_the_views_each_read_latest_wins() {
    let mut p = MembersPane::default();
    let mut names = Vec::new();
    for _ in View::ALL {
        let out = call(&mut p, &desk(), |p, cx| {
            assert!(p.command(Command::SwitchSection, cx));
        });
        names.extend(out.jobs);
    }
    assert_eq!(p.view, View::All);
    let slot = Some("members.list");
    assert_eq!(
        names,
        [
            ("ReviewList".to_string(), slot),
            ("LevelPreview".to_string(), slot),
            ("TrustTop".to_string(), slot),
            ("Blacklist".to_string(), slot),
        ]
    );
}

#[test]
fn a_reordered_index_reads_the_detail_of_whoever_is_now_selected() {
    let d = desk();
    let mut p = showing(&d, MemberStatus::Approved, 3);
    let out = call(&mut p, &d, |p, cx| p.index_changed(cx));
    assert!(out.jobs.is_empty(), "the same member stays selected");
    // member 3 leaves the index's first place: someone else is selected
    let moved = Desk {
        index: SearchIndex::build(vec![
            entry(3, "JS01-0009", "张三"),
            entry(5, "JS01-0002", "李四"),
        ]),
        ..Desk::default()
    };
    let out = call(&mut p, &moved, |p, cx| p.index_changed(cx));
    assert_eq!(p.selected(&moved.index), Some(5));
    assert_eq!(out.job_names(), ["ReadMember"]);
}

#[test]
fn an_application_is_approved_or_rejected_only_while_pending() {
    let d = desk();
    let mut p = showing(&d, MemberStatus::Pending, 3);
    call(&mut p, &d, |p, cx| assert!(p.command(Command::Approve, cx)));
    assert_eq!(
        p.form.as_ref().map(|f| f.kind.clone()),
        Some(MembersFormKind::Approve {
            id: 3,
            has_recommender: false
        })
    );
    let mut p = showing(&d, MemberStatus::Approved, 3);
    let out = call(&mut p, &d, |p, cx| assert!(p.command(Command::Reject, cx)));
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [Ask::Notify(
            NoticeKind::Error,
            msg!("review.already_decided")
        )]
    );
}

#[test]
fn a_member_key_before_their_detail_arrives_does_nothing() {
    let d = desk();
    let mut p = MembersPane::default();
    let out = call(&mut p, &d, |p, cx| {
        p.index_changed(cx);
        assert!(!p.command(Command::Approve, cx));
        assert!(!p.command(Command::Select, cx));
    });
    assert!(out.asks.is_empty() && p.form.is_none());
}

#[test]
fn an_approval_without_a_recommender_needs_a_note_and_sends_nothing_without() {
    let d = desk();
    let mut p = showing(&d, MemberStatus::Pending, 3);
    let out = call(&mut p, &d, |p, cx| {
        p.command(Command::Approve, cx);
        p.submit(cx);
    });
    assert!(out.jobs.is_empty());
    let f = &p.form.as_ref().unwrap().form;
    let err = f.get("note").and_then(|x| x.error.as_ref()).map(|m| m.key);
    assert_eq!(err, Some("review.note_required"));
    let out = call(&mut p, &d, |p, cx| {
        p.form.as_mut().unwrap().form.set("note", "电话核实邻居");
        p.submit(cx);
    });
    assert_eq!(out.job_names(), ["Approve"]);
    assert_eq!(p.form.as_ref().unwrap().form.busy, Some(1));
}

#[test]
fn a_refused_save_lands_at_the_field_of_the_open_form() {
    let d = desk();
    let mut p = showing(&d, MemberStatus::Approved, 3);
    call(&mut p, &d, |p, cx| assert!(p.command(Command::Card, cx)));
    let refused = StoreError::Refused(Refusal::at("serial", msg!("card.serial.taken")));
    let out = call(&mut p, &d, |p, cx| {
        p.update(MembersMsg::Saved(Err(refused)), cx);
    });
    assert!(out.asks.is_empty());
    let f = &p.form.as_ref().unwrap().form;
    let err = f
        .get("serial")
        .and_then(|x| x.error.as_ref())
        .map(|m| m.key);
    assert_eq!(err, Some("card.serial.taken"));
}

#[test]
fn a_registration_saved_goes_to_the_review_list_with_the_applicant_selected() {
    let d = desk();
    let mut p = MembersPane::default();
    call(&mut p, &d, |p, cx| assert!(p.command(Command::New, cx)));
    assert_eq!(
        p.form.as_ref().map(|f| f.kind.clone()),
        Some(MembersFormKind::Register)
    );
    let out = call(&mut p, &d, |p, cx| {
        p.update(
            MembersMsg::Member(Ok(Box::new(row(9, MemberStatus::Pending)))),
            cx,
        );
    });
    assert!(p.form.is_none());
    assert_eq!(p.view, View::Review);
    assert_eq!(out.job_names(), ["ReviewList"]);
    assert_eq!(
        out.asks,
        [
            Ask::DropDraft("members.register"),
            Ask::MemberChanged(9),
            Ask::Notify(NoticeKind::Ok, msg!("reg.done", name = "张三")),
            Ask::RefreshHeader,
        ]
    );
    let rows = vec![row(4, MemberStatus::Pending), row(9, MemberStatus::Pending)];
    let out = call(&mut p, &d, |p, cx| {
        p.update(MembersMsg::Review(Ok(rows)), cx)
    });
    assert_eq!(p.selected(&d.index), Some(9));
    assert_eq!(out.job_names(), ["ReadMember"]);
}

#[test]
fn the_level_run_is_a_masters_asked_first_then_the_index_is_read_again() {
    let d = desk();
    let mut p = showing(&d, MemberStatus::Approved, 3);
    let liaison = Desk {
        session: crate::domain::staff::Session {
            role: Role::Liaison,
            ..Desk::default().session
        },
        ..desk()
    };
    let out = call(&mut p, &liaison, |p, cx| {
        assert!(p.command(Command::RunLevels, cx))
    });
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("staff.master_only"))]
    );
    let out = call(&mut p, &d, |p, cx| {
        assert!(p.command(Command::RunLevels, cx))
    });
    assert_eq!(
        out.asks,
        [Ask::Confirm {
            text: msg!("level.run_confirm"),
            on_yes: MembersMsg::RunLevels
        }]
    );
    let out = call(&mut p, &d, |p, cx| p.update(MembersMsg::RunLevels, cx));
    assert_eq!(out.job_names(), ["RunLevels"]);
    let out = call(&mut p, &d, |p, cx| {
        p.update(MembersMsg::LevelsRun(Ok(4)), cx)
    });
    assert_eq!(
        out.asks,
        [
            Ask::Notify(NoticeKind::Ok, msg!("level.run_ok", n = 4)),
            Ask::ReloadIndex
        ]
    );
}

#[test]
fn export_writes_what_the_view_shows() {
    let d = desk();
    let mut p = showing(&d, MemberStatus::Approved, 3);
    // on a member, p asks what to print first
    let out = call(&mut p, &d, |p, cx| assert!(p.command(Command::Export, cx)));
    assert!(out.job_names().is_empty());
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(kind, Some(MembersFormKind::Print { id: Some(3) }));
    p.form.as_mut().unwrap().form.set("what", "statement");
    let out = call(&mut p, &d, |p, cx| p.submit(cx));
    assert_eq!(out.job_names(), ["PrintPage"]);
    // the card sheet, as before, is one of the choices
    p.form = None;
    call(&mut p, &d, |p, cx| assert!(p.command(Command::Export, cx)));
    p.form.as_mut().unwrap().form.set("what", "card");
    let out = call(&mut p, &d, |p, cx| p.submit(cx));
    assert_eq!(out.job_names(), ["ExportCard"]);
    p.form = None;
    for (view, name) in [
        (View::Trust, "ExportTrustTop"),
        (View::Notice, "ExportBlacklist"),
    ] {
        p.view = view;
        p.trust = vec![(
            crate::domain::trust::TrustRank {
                member_id: 3,
                score: 80,
                gained_this_month: 2,
            },
            "JS01-0003".into(),
            "张三".into(),
        )];
        p.notice = vec![NoticeEntry {
            member_id: 3,
            number: "JS01-0003".into(),
            name: "张三".into(),
            at: crate::harness::T0,
            reason: "x".into(),
        }];
        p.sel = 0;
        let out = call(&mut p, &d, |p, cx| assert!(p.command(Command::Export, cx)));
        assert_eq!(out.job_names(), [name]);
        // an empty list (nobody selected) is exported too, and l runs
        p.trust.clear();
        p.notice.clear();
        let out = call(&mut p, &d, |p, cx| {
            assert!(p.command(Command::Export, cx));
            assert!(p.command(Command::RunLevels, cx));
        });
        assert_eq!(out.job_names(), [name]);
        assert_eq!(
            out.asks.len(),
            1,
            "the level run asked first: {:?}",
            out.asks
        );
    }
}

#[test]
fn o_refresh_and_a_found_member_are_the_desks_to_carry_out() {
    let d = desk();
    let mut p = showing(&d, MemberStatus::Approved, 5);
    assert_eq!(p.selected(&d.index), Some(5));
    assert!(p.available(Command::RevealPhone));
    let out = call(&mut p, &d, |p, cx| {
        p.command(Command::RevealPhone, cx);
        p.command(Command::Refresh, cx);
    });
    assert_eq!(out.asks, [Ask::RevealPhones(5), Ask::ReloadIndex]);
    assert!(!MembersPane::default().available(Command::RevealPhone));
    p.view = View::Review;
    let out = call(&mut p, &d, |p, cx| assert!(p.member_found(7, cx)));
    assert_eq!((p.view, p.selected(&d.index)), (View::All, Some(7)));
    assert_eq!(out.job_names(), ["ReadMember"]);
}
