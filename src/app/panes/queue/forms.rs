//! The queue's forms and what each one's fields say: the intake of a
//! request, the reason for a cancellation, and the service a member gave a
//! merchant. Pure: each field is checked at its line, nothing is sent.

use crate::app::form::{Choice, Field, Form};
use crate::domain::entry::{parse_clock, parse_date, parse_minutes};
use crate::domain::queue::{self, Channel, NewRequest};
use crate::domain::time::{self, Stamp};
use crate::msg;
use crate::msg::Refusal;
use crate::store::queue::RequestRow;
use crate::store::redemptions::MerchantService;

pub fn intake_form(catalog: &[Choice], today: &str) -> Form {
    let channels = Channel::INTAKE
        .into_iter()
        .map(|c| Choice::key(c.as_str(), c.label_key()))
        .collect();
    let payers = vec![
        Choice::key("recipient", crate::k!("payer.recipient")),
        Choice::key("pool", crate::k!("payer.pool")),
    ];
    Form::new(vec![
        Field::member("requester", crate::k!("request.requester")),
        Field::choice("type", crate::k!("record.type"), catalog.to_vec()),
        Field::text("description", crate::k!("request.description"), 60),
        Field::toggle("urgent", crate::k!("request.urgent")),
        Field::text("place", crate::k!("request.place"), 30)
            .with_hint(crate::k!("request.place.hint")),
        Field::text("date", crate::k!("record.date"), 10)
            .with_value(today)
            .with_hint(crate::k!("record.date.hint")),
        Field::text("from", crate::k!("request.from"), 5).with_hint(crate::k!("record.clock.hint")),
        Field::text("to", crate::k!("request.to"), 5).with_hint(crate::k!("record.clock.hint")),
        Field::text("minutes", crate::k!("request.minutes"), 8).with_value("60"),
        Field::choice("channel", crate::k!("request.channel"), channels),
        Field::choice("payer", crate::k!("record.payer"), payers),
    ])
}

/// What the intake form alone can tell; the store checks the requester.
pub fn parse_intake(f: &Form, now: Stamp, tz: chrono_tz::Tz) -> Result<NewRequest, Vec<Refusal>> {
    let mut errs = Vec::new();
    let requester = f.member("requester");
    if requester.is_none() {
        errs.push(Refusal::at("requester", msg!("request.requester_required")));
    }
    let type_id: Option<i64> = f.value("type").parse().ok();
    if type_id.is_none() {
        errs.push(Refusal::at("type", msg!("record.type_unknown")));
    }
    let today = time::local_day(now, tz);
    let date = parse_date(f.value("date"), today);
    let date_wrong = match date {
        None => Some(msg!("record.date_invalid")),
        // a day gone by: said at the date, not as a window ending before it starts
        Some(d) if d < today => Some(msg!("request.window_past")),
        Some(_) => None,
    };
    errs.extend(date_wrong.map(|m| Refusal::at("date", m)));
    let mut clock = |name: &'static str| {
        let v = f.value(name).trim();
        if v.is_empty() {
            return None;
        }
        let c = parse_clock(v);
        if c.is_none() {
            errs.push(Refusal::at(name, msg!("record.clock_invalid")));
        }
        c
    };
    let from = clock("from");
    let to = clock("to");
    let minutes = parse_minutes(f.value("minutes"));
    if minutes.is_none() {
        errs.push(Refusal::at(
            "minutes",
            msg!("request.minutes_range", max = 240),
        ));
    }
    let (Some(requester), Some(type_id), Some(date), Some(minutes), true) = (
        requester,
        type_id,
        date,
        minutes,
        date.is_none_or(|d| d >= today),
    ) else {
        return Err(errs);
    };
    // no window given: from now (or the day's start) for the whole day
    let start = match from {
        Some(t) => time::local_to_stamp(date, t, tz),
        None => time::day_start(date, tz).max(now),
    };
    let end = match to {
        Some(t) => time::local_to_stamp(date, t, tz),
        None => time::day_range(date, tz).1,
    };
    let r = NewRequest {
        requester,
        type_id,
        description: f.value("description").trim().to_string(),
        place: f.value("place").trim().to_string(),
        window_start: start,
        window_end: end,
        minutes,
        urgent: f.on("urgent"),
        channel: Channel::parse(f.value("channel")).unwrap_or(Channel::WalkIn),
        pool_pays: f.value("payer") == "pool",
    };
    errs.extend(queue::check_window(&r, now));
    if errs.is_empty() { Ok(r) } else { Err(errs) }
}

pub fn cancel_form() -> Form {
    Form::new(vec![Field::text(
        "reason",
        crate::k!("request.cancel_reason_label"),
        60,
    )])
}

/// Why the request is cancelled: said, not empty.
pub fn parse_cancel(f: &Form) -> Result<String, Vec<Refusal>> {
    let reason = f.value("reason").trim().to_string();
    if reason.is_empty() {
        return Err(vec![Refusal::at("reason", msg!("request.cancel_reason"))]);
    }
    Ok(reason)
}

/// The form for service given to a merchant: when, how long, and who at the
/// merchant confirmed it. The merchant's points pay the helper.
pub fn merchant_service_form(r: &RequestRow, today: &str) -> Form {
    Form::new(vec![
        Field::text("date", crate::k!("record.date"), 10).with_value(today),
        Field::text("start", crate::k!("record.start"), 5),
        Field::text("minutes", crate::k!("record.minutes"), 8)
            .with_value(&r.minutes.to_string())
            .with_hint(crate::k!("record.minutes.hint")),
        Field::text(
            "confirmed_by",
            crate::k!("merchant_service.confirmed_by"),
            20,
        )
        .with_hint(crate::k!("merchant_service.confirmed_by.hint")),
    ])
}

/// The merchant-service form's fields, each checked at its line.
pub fn parse_merchant_service(
    f: &Form,
    request_id: i64,
    uid: String,
    now: Stamp,
    tz: chrono_tz::Tz,
) -> Result<MerchantService, Vec<Refusal>> {
    let mut errs = Vec::new();
    let date = parse_date(f.value("date"), time::local_day(now, tz));
    if date.is_none() {
        errs.push(Refusal::at("date", msg!("record.date_invalid")));
    }
    let start = parse_clock(f.value("start"));
    if start.is_none() {
        errs.push(Refusal::at("start", msg!("record.clock_invalid")));
    }
    let minutes = parse_minutes(f.value("minutes"));
    if minutes.is_none() {
        errs.push(Refusal::at("minutes", msg!("record.minutes_invalid")));
    }
    let confirmed_by = f.value("confirmed_by").trim().to_string();
    if confirmed_by.is_empty() {
        errs.push(Refusal::at(
            "confirmed_by",
            msg!("merchant_service.confirmer_required"),
        ));
    }
    let (Some(date), Some(start), Some(minutes)) = (date, start, minutes) else {
        return Err(errs);
    };
    let started_at = time::local_to_stamp(date, start, tz);
    let ended_at = started_at + i64::from(minutes) * time::MINUTE_MS;
    if ended_at > now {
        errs.push(Refusal::at("start", msg!("record.end_future")));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(MerchantService {
        uid,
        request_id,
        started_at,
        ended_at,
        minutes,
        confirmed_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::form::Picked;
    use chrono_tz::Asia::Shanghai;

    const NOW: Stamp = crate::harness::T0; // 10:00 Shanghai

    fn form() -> Form {
        let mut f = intake_form(&[Choice::text("1", "陪聊")], "2026-11-23");
        f.field_mut("requester").unwrap().pick(Picked {
            member_id: 1,
            label: "x".into(),
        });
        f.set("description", "陪老人聊天");
        f
    }

    #[test]
    fn no_window_means_the_rest_of_the_day() {
        let r = parse_intake(&form(), NOW, Shanghai).unwrap();
        assert_eq!(r.window_start, NOW);
        assert_eq!(r.window_end - NOW, 14 * time::HOUR_MS);
    }

    #[test]
    fn window_checks() {
        let mut f = form();
        f.set("from", "15:00");
        f.set("to", "14:00");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].msg.key,
            "request.window_backwards"
        );
        f.set("from", "08:00");
        f.set("to", "09:00");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].msg.key,
            "request.window_past"
        );
        f.set("to", "11:00");
        f.set("minutes", "0");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("minutes")
        );
        f.set("minutes", "5h");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("minutes")
        );
    }

    #[test]
    fn a_past_day_is_refused_at_the_date() {
        let mut f = form();
        f.set("date", "2026-11-20");
        let errs = parse_intake(&f, NOW, Shanghai).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, Some("date"));
        assert_eq!(errs[0].msg.key, "request.window_past");
    }

    #[test]
    fn a_requester_is_needed() {
        let mut f = intake_form(&[Choice::text("1", "陪聊")], "2026-11-23");
        f.set("description", "x");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("requester")
        );
    }

    #[test]
    fn a_cancellation_needs_its_reason() {
        let mut f = cancel_form();
        f.set("reason", "   ");
        let errs = parse_cancel(&f).unwrap_err();
        assert_eq!(errs[0].field, Some("reason"));
        assert_eq!(errs[0].msg.key, "request.cancel_reason");
        f.set("reason", " 老人住院了 ");
        assert_eq!(parse_cancel(&f).unwrap(), "老人住院了");
    }

    fn merchant_form(minutes: u32) -> Form {
        let mut r = crate::app::panes::queue::tests::row(9);
        r.minutes = minutes;
        merchant_service_form(&r, "2026-11-23")
    }

    #[test]
    fn a_merchant_service_that_ended_is_read_in_station_time() {
        let mut f = merchant_form(90);
        f.set("start", "8:00");
        f.set("confirmed_by", " 刘店长 ");
        let s = parse_merchant_service(&f, 9, "u1".into(), NOW, Shanghai).unwrap();
        assert_eq!(s.started_at, NOW - 2 * time::HOUR_MS);
        assert_eq!(s.ended_at - s.started_at, 90 * time::MINUTE_MS);
        assert_eq!((s.request_id, s.minutes), (9, 90));
        assert_eq!(s.confirmed_by, "刘店长");
    }

    #[test]
    fn a_bad_merchant_service_is_refused_at_every_wrong_field() {
        let mut f = merchant_form(60);
        f.set("date", "11月");
        f.set("start", "25:00");
        f.set("minutes", "a while");
        let errs = parse_merchant_service(&f, 9, "u1".into(), NOW, Shanghai).unwrap_err();
        let fields: Vec<_> = errs.iter().filter_map(|e| e.field).collect();
        assert_eq!(fields, ["date", "start", "minutes", "confirmed_by"]);
        assert_eq!(errs[3].msg.key, "merchant_service.confirmer_required");
    }

    #[test]
    fn a_merchant_service_not_over_yet_is_refused_at_its_start() {
        let mut f = merchant_form(60);
        f.set("start", "9:30");
        f.set("confirmed_by", "刘店长");
        let errs = parse_merchant_service(&f, 9, "u1".into(), NOW, Shanghai).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, Some("start"));
        assert_eq!(errs[0].msg.key, "record.end_future");
    }
}
