//! The medals view driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::app::pane::PaneComponent;
use crate::domain::medal::NeighbourFigures;
use crate::domain::staff::Role;
use crate::store::StoreError;
use crate::store::medals::Holder;

fn proposal(id: i64, kind: MedalKind, awarded: bool) -> Proposal {
    Proposal {
        kind,
        period: "2026-10".into(),
        holder: Holder {
            id,
            code: format!("JS01-{id:04}"),
            name: "李建国".into(),
        },
        figures: Figures::Neighbour(NeighbourFigures {
            member_id: id,
            services: 4,
            ..NeighbourFigures::default()
        }),
        awarded,
    }
}

/// The pane with the medals view open and two neighbours proposed.
fn open_view() -> HubPane {
    let mut p = HubPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::Medals, cx));
    });
    assert_eq!(out.job_names(), ["ListProposals", "ReadStories"]);
    assert_eq!(p.contexts(), &[Context::Medals, Context::List]);
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(
            HubMsg::Medals(MedalsMsg::Proposals(Ok(vec![
                proposal(3, MedalKind::WarmNeighbour, false),
                proposal(5, MedalKind::WarmNeighbour, true),
            ]))),
            cx,
        );
    });
    p
}

use crate::app::keymap::Context;

#[test]
fn the_view_opens_over_the_activities_and_tab_moves_through_its_lists() {
    let mut p = open_view();
    let v = p.medals.as_ref().unwrap();
    assert_eq!(v.shown().len(), 2);
    assert_eq!(v.year, 2026);
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SwitchSection, cx);
    });
    let v = p.medals.as_ref().unwrap();
    assert_eq!((v.section, v.shown().len()), (Section::Merchants, 0));
    assert!(!p.available(Command::Award), "nothing to award here");
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SwitchSection, cx);
        p.command(Command::SwitchSection, cx);
    });
    assert_eq!(p.medals.as_ref().unwrap().section, Section::Neighbours);
    // y (or Esc) goes back to the activities
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Medals, cx);
    });
    assert!(p.medals.is_none());
    assert_eq!(p.contexts(), &[Context::Hub, Context::List]);
}

#[test]
fn the_master_awards_with_a_reason_refused_at_its_field_when_empty() {
    let mut p = open_view();
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Award, cx);
    });
    let of = p.form.as_ref().unwrap();
    assert_eq!(
        of.kind,
        HubFormKind::Award {
            kind: MedalKind::WarmNeighbour,
            period: "2026-10".into(),
            holder_id: 3
        }
    );
    // no reason: refused at its field, nothing sent
    let out = call(&mut p, &Desk::default(), |p, cx| p.submit(cx));
    assert!(out.jobs.is_empty());
    let err = p
        .form
        .as_ref()
        .unwrap()
        .form
        .get("reason")
        .and_then(|f| f.error.as_ref())
        .map(|m| m.key);
    assert_eq!(err, Some("medal.reason_required"));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.form
            .as_mut()
            .unwrap()
            .form
            .set("reason", "本月服务 4 次,老人们都夸");
        p.submit(cx);
    });
    assert_eq!(out.job_names(), ["AwardMedal"]);
    // a refusal from the store comes back to the form
    let refused = StoreError::Invalid(vec![Refusal::at("holder", msg!("medal.already"))]);
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(HubMsg::Medals(MedalsMsg::Awarded(Err(refused))), cx);
    });
    let of = p.form.as_ref().unwrap();
    assert_eq!(of.form.busy, None);
}

#[test]
fn a_liaison_or_an_awarded_one_gets_no_form_and_is_told_why() {
    let mut p = open_view();
    let liaison = Desk {
        session: crate::domain::staff::Session {
            role: Role::Liaison,
            ..Desk::default().session
        },
        ..Desk::default()
    };
    let out = call(&mut p, &liaison, |p, cx| {
        p.command(Command::Award, cx);
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("staff.master_only"))]
    );
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Down, cx);
        p.command(Command::Award, cx);
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("medal.already"))]
    );
}

#[test]
fn p_writes_the_years_stories_and_a_card_scan_signs_nobody_up() {
    let mut p = open_view();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Export, cx);
    });
    assert_eq!(out.job_names(), ["PrintPage"]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(!p.member_found(7, cx));
    });
    assert!(out.jobs.is_empty());
}

#[test]
fn the_reason_parser_takes_words_and_refuses_blank_or_long() {
    let p = proposal(3, MedalKind::WarmNeighbour, false);
    let tr = crate::i18n::Tr::new(crate::i18n::Lang::Zh);
    let mut f = award_form(&p, &tr);
    assert_eq!(
        parse_award(&f)
            .unwrap_err()
            .iter()
            .map(|r| r.field)
            .collect::<Vec<_>>(),
        [Some("reason")]
    );
    f.set("reason", &"好".repeat(61));
    assert_eq!(parse_award(&f).unwrap_err()[0].msg.key, "medal.reason_long");
    f.set("reason", " 热心 ");
    assert_eq!(parse_award(&f).unwrap(), "热心");
}
