//! The stats pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::msg::Refusal;
use crate::store::StoreError;

/// A member on the callback list, not called yet.
pub(super) fn callback(member_id: i64) -> Callback {
    Callback {
        member_id,
        number: format!("JS01-{member_id:04}"),
        name: "李奶奶".into(),
        phone: "13800001234".into(),
        called_at: None,
        satisfied: None,
        note: None,
    }
}

/// The pane on the callback list of members 3 and 5.
fn on_callbacks() -> StatsPane {
    let mut p = StatsPane::default();
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(StatsMsg::Callbacks(Ok(vec![callback(3), callback(5)])), cx);
        p.command(Command::SwitchSection, cx);
    });
    p
}

#[test]
fn entering_reads_the_figures_and_the_callbacks_each_latest_wins() {
    let mut p = StatsPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        out.jobs,
        [
            ("ReadStats".to_string(), Some("stats.figures")),
            ("ListCallbacks".to_string(), Some("stats.callbacks")),
            // the tool corner's overdue loans head the list: borrowers to call
            ("OverdueLoans".to_string(), Some("stats.overdue_loans")),
        ]
    );
    assert!(!p.callbacks_loaded);
}

#[test]
fn the_list_is_drawn_once_a_month() {
    let mut p = StatsPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::DrawCallbacks, cx);
    });
    assert_eq!(p.view, View::Callbacks);
    assert_eq!(out.job_names(), ["DrawCallbacks"]);
    let mut p = on_callbacks();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::DrawCallbacks, cx);
    });
    assert!(out.jobs.is_empty());
    assert_eq!(
        out.asks,
        [Ask::Notify(
            NoticeKind::Info,
            msg!("stats.cb.already_drawn")
        )]
    );
}

#[test]
fn o_asks_the_desk_for_the_selected_members_numbers() {
    let mut p = on_callbacks();
    assert!(p.available(Command::RevealPhone));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Down, cx);
        p.command(Command::RevealPhone, cx);
    });
    assert_eq!(out.asks, [Ask::RevealPhones(5)]);
    assert!(out.jobs.is_empty(), "the desk asks the store, not the pane");
    let figures = StatsPane::default();
    assert!(!figures.available(Command::RevealPhone));
    assert!(!figures.available(Command::AnswerCallback));
    // back on the figures, the callback still selected is not on screen:
    // o pressed there reveals nothing
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::SwitchSection, cx);
        p.command(Command::RevealPhone, cx);
    });
    assert!(out.asks.is_empty(), "{:?}", out.asks);
}

#[test]
fn an_answer_is_written_and_the_kpis_read_again() {
    let mut p = on_callbacks();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::Select, cx), "Enter answers too");
        p.submit(cx);
    });
    // only the number to dial is asked: satisfied or not must be chosen
    assert_eq!(out.job_names(), ["NumberForCall"]);
    let of = p.form.as_mut().expect("the answer form");
    assert_eq!(of.kind, StatsFormKind::Answer { member_id: 3 });
    assert!(
        of.form
            .get("satisfied")
            .and_then(|f| f.error.as_ref())
            .is_some()
    );
    of.form.set("satisfied", "yes");
    let out = call(&mut p, &Desk::default(), |p, cx| p.submit(cx));
    assert_eq!(out.job_names(), ["AnswerCallback"]);
    assert!(p.form.as_ref().unwrap().form.busy.is_some());
    let answered = Callback {
        satisfied: Some(true),
        ..callback(3)
    };
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(StatsMsg::Answered(Ok(vec![answered, callback(5)])), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(p.callbacks[0].satisfied, Some(true));
    assert_eq!(out.asks, [Ask::Notify(NoticeKind::Ok, msg!("form.saved"))]);
    assert_eq!(out.jobs, [("ReadStats".to_string(), Some("stats.figures"))]);
}

#[test]
fn a_refused_answer_stays_at_its_form_and_an_empty_list_says_so() {
    let mut p = on_callbacks();
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::AnswerCallback, cx);
    });
    p.form.as_mut().unwrap().form.busy = Some(1);
    let refused = StoreError::Refused(Refusal::at("note", msg!("stats.cb.note_required")));
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(StatsMsg::Answered(Err(refused)), cx)
    });
    assert!(out.asks.is_empty());
    let f = &p.form.as_ref().unwrap().form;
    assert_eq!(f.busy, None);
    assert!(f.get("note").and_then(|x| x.error.as_ref()).is_some());
    let mut p = StatsPane {
        view: View::Callbacks,
        ..StatsPane::default()
    };
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::AnswerCallback, cx);
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Info, msg!("stats.cb.none"))]
    );
}
