use super::*;

const T: Stamp = 1_800_000_000_000;

fn timing(state: State, urgent: bool) -> Timing {
    Timing {
        created_at: T,
        urgent,
        state,
        due: None,
    }
}

#[test]
fn merchant_work_has_only_its_due_date() {
    let c = Clocks::default();
    let t = Timing {
        due: Some(T + 30 * 24 * 60 * MINUTE_MS),
        ..timing(State::New, false)
    };
    assert!(!is_overdue(&t, &c, T + 29 * 24 * 60 * MINUTE_MS));
    assert!(is_overdue(&t, &c, T + 31 * 24 * 60 * MINUTE_MS));
    let done = Timing {
        state: State::Done,
        ..t
    };
    assert!(!is_overdue(&done, &c, T + 31 * 24 * 60 * MINUTE_MS));
    assert_eq!(next_deadline(&t, &c), t.due);
}

#[test]
fn respond_within_the_hour() {
    let c = Clocks::default();
    let t = timing(State::New, false);
    assert!(!is_overdue(&t, &c, T + 59 * MINUTE_MS));
    assert!(!is_overdue(&t, &c, T + 60 * MINUTE_MS));
    assert!(is_overdue(&t, &c, T + 61 * MINUTE_MS));
    assert_eq!(minutes_left(&t, &c, T + 37 * MINUTE_MS), Some(23));
    assert_eq!(minutes_left(&t, &c, T + 65 * MINUTE_MS), Some(-5));
}

#[test]
fn matched_within_twelve_hours() {
    let c = Clocks::default();
    let t = timing(State::Responded, false);
    assert!(!is_overdue(&t, &c, T + 12 * 60 * MINUTE_MS));
    assert!(is_overdue(&t, &c, T + 12 * 60 * MINUTE_MS + 1));
    assert!(!is_overdue(
        &timing(State::Matched, false),
        &c,
        T + 100 * 60 * MINUTE_MS
    ));
}

#[test]
fn urgent_is_answered_at_once() {
    let c = Clocks::default();
    assert!(is_overdue(&timing(State::New, true), &c, T + 6 * MINUTE_MS));
    assert!(!is_overdue(
        &timing(State::New, false),
        &c,
        T + 6 * MINUTE_MS
    ));
}

#[test]
fn urgent_first_then_nearest_deadline() {
    let c = Clocks::default();
    let mut v = [
        (
            Timing {
                created_at: T,
                urgent: false,
                state: State::New,
                due: None,
            },
            "old normal",
        ),
        (
            Timing {
                created_at: T + 30 * MINUTE_MS,
                urgent: true,
                state: State::New,
                due: None,
            },
            "urgent",
        ),
        (
            Timing {
                created_at: T - 60 * MINUTE_MS,
                urgent: false,
                state: State::Responded,
                due: None,
            },
            "responded",
        ),
        (
            Timing {
                created_at: T - 600 * MINUTE_MS,
                urgent: false,
                state: State::Done,
                due: None,
            },
            "done",
        ),
        (
            Timing {
                created_at: T + 10 * MINUTE_MS,
                urgent: false,
                state: State::New,
                due: None,
            },
            "new normal",
        ),
    ];
    v.sort_by_key(|(t, _)| order_key(t, &c));
    let names: Vec<_> = v.iter().map(|(_, n)| *n).collect();
    assert_eq!(
        names,
        vec!["urgent", "old normal", "new normal", "responded", "done"]
    );
}

#[test]
fn state_moves() {
    assert!(State::New.can_go(State::Responded));
    assert!(State::New.can_go(State::Matched));
    assert!(State::Matched.can_go(State::Done));
    assert!(!State::Done.can_go(State::Cancelled));
    assert!(!State::Cancelled.can_go(State::Matched));
    assert!(!State::Done.can_go(State::Matched));
    assert!(State::InService.can_go(State::Cancelled));
}

fn req() -> NewRequest {
    NewRequest {
        requester: 1,
        type_id: 1,
        description: "买菜".into(),
        place: "3栋".into(),
        window_start: T + 60 * MINUTE_MS,
        window_end: T + 180 * MINUTE_MS,
        minutes: 60,
        urgent: false,
        channel: Channel::Phone,
        pool_pays: false,
    }
}

#[test]
fn the_recipients_level_caps_what_they_may_request() {
    let cap = |level, tier, minutes| {
        recipient_refusals(level, tier, minutes)
            .into_iter()
            .map(|r| (r.field, r.msg.key))
            .collect::<Vec<_>>()
    };
    assert!(cap(Level::Ordinary, Tier::Basic, 120).is_empty());
    assert_eq!(
        cap(Level::Ordinary, Tier::Basic, 121),
        vec![(Some("minutes"), "request.over_recipient_cap")]
    );
    assert_eq!(
        cap(Level::Ordinary, Tier::Basic, 180),
        vec![(Some("minutes"), "request.over_recipient_cap")]
    );
    assert_eq!(
        cap(Level::Ordinary, Tier::Special, 60),
        vec![(Some("type"), "request.level_cannot_receive")]
    );
    for level in [Level::Star, Level::Honor] {
        assert!(cap(level, Tier::Special, 240).is_empty());
        assert!(cap(level, Tier::Basic, 121).is_empty());
    }
    // past every level's cap is the form's range, said once
    assert!(cap(Level::Ordinary, Tier::Basic, 241).is_empty());
}

proptest::proptest! {
    #[test]
    fn a_request_within_the_recipients_cap_is_never_refused_for_it(
        minutes in 1u32..=240,
        star in proptest::bool::ANY,
    ) {
        let level = if star { Level::Star } else { Level::Ordinary };
        let refused = !recipient_refusals(level, Tier::Basic, minutes).is_empty();
        proptest::prop_assert_eq!(refused, minutes > level.max_minutes());
    }
}

#[test]
fn intake_checks() {
    // Long because: one assertion per intake rule, read as the rule table.
    let who = Requester {
        approved: true,
        blacklisted: false,
        level: Level::Ordinary,
    };
    assert!(check_request(&req(), &who, Tier::Basic, T).is_ok());
    let field =
        |r: &NewRequest, w: &Requester, tier| check_request(r, w, tier, T).unwrap_err()[0].clone();
    assert_eq!(
        field(
            &req(),
            &Requester {
                blacklisted: true,
                ..who
            },
            Tier::Basic
        )
        .msg
        .key,
        "request.requester_blacklisted"
    );
    assert_eq!(field(&req(), &who, Tier::Special).field, Some("type"));
    let three_hours = NewRequest {
        minutes: 180,
        window_end: T + 300 * MINUTE_MS,
        ..req()
    };
    assert_eq!(
        field(&three_hours, &who, Tier::Basic).msg.key,
        "request.over_recipient_cap"
    );
    let star = Requester {
        level: Level::Star,
        ..who
    };
    assert!(check_request(&three_hours, &star, Tier::Basic, T).is_ok());
    for minutes in [0, 241] {
        let r = NewRequest { minutes, ..req() };
        assert_eq!(
            field(&r, &who, Tier::Basic).field,
            Some("minutes"),
            "{minutes}"
        );
    }
    assert_eq!(
        field(
            &NewRequest {
                window_end: T,
                window_start: T + 1,
                ..req()
            },
            &who,
            Tier::Basic
        )
        .msg
        .key,
        "request.window_backwards"
    );
    assert_eq!(
        field(
            &NewRequest {
                window_end: T - 1,
                window_start: T - 100,
                ..req()
            },
            &who,
            Tier::Basic
        )
        .msg
        .key,
        "request.window_past"
    );
    assert_eq!(
        field(
            &NewRequest {
                description: "  ".into(),
                ..req()
            },
            &who,
            Tier::Basic
        )
        .field,
        Some("description")
    );
}
