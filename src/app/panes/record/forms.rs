//! The record pane's forms and the parsers that read them: the service
//! entry, a thank-you letter, a failed spot check.

use crate::app::form::{Choice, Field, Form};
use crate::domain::entry::{parse_clock, parse_date, parse_minutes};
use crate::domain::record::{ConfirmMethod, Payer, RecordInput, is_late};
use crate::domain::time::{self, MINUTE_MS, Stamp};
use crate::msg;
use crate::msg::Refusal;
use crate::store::queue::RequestRow;

/// The entry form. `uid` is fixed when the form opens and kept in its draft,
/// so a retry after a crash posts the same record, once.
pub fn entry_form(catalog: &[Choice], today: &str, uid: &str) -> Form {
    let methods = [
        ConfirmMethod::Desk,
        ConfirmMethod::Online,
        ConfirmMethod::HomeVisit,
    ]
    .into_iter()
    .map(|m| Choice::key(m.as_str(), m.label_key()))
    .collect();
    let payers = [Payer::Recipient, Payer::Pool]
        .into_iter()
        .map(|p| Choice::key(p.as_str(), p.label_key()))
        .collect();
    let mut f = Form::new(vec![
        Field::text("uid", crate::k!("record.uid"), 40).with_value(uid),
        Field::text("request", crate::k!("record.request"), 20),
        Field::member("provider", crate::k!("record.provider")),
        Field::member("recipient", crate::k!("record.recipient")),
        Field::choice("type", crate::k!("record.type"), catalog.to_vec()),
        Field::text("date", crate::k!("record.date"), 10)
            .with_value(today)
            .with_hint(crate::k!("record.date.hint")),
        Field::text("start", crate::k!("record.start"), 5)
            .with_hint(crate::k!("record.clock.hint")),
        Field::text("end", crate::k!("record.end"), 5).with_hint(crate::k!("record.clock.hint")),
        Field::text("minutes", crate::k!("record.minutes"), 8)
            .with_hint(crate::k!("record.minutes.hint")),
        Field::choice("payer", crate::k!("record.payer"), payers),
        Field::choice("method", crate::k!("record.method"), methods),
        Field::text("book_page", crate::k!("record.book_page"), 10),
        Field::text("photo_ref", crate::k!("record.photo_ref"), 30),
        Field::toggle("confirmed", crate::k!("record.confirmed")),
        Field::text("rating", crate::k!("record.rating"), 1)
            .with_hint(crate::k!("record.rating.hint")),
        Field::text("notes", crate::k!("record.notes"), 60),
        Field::text("late_reason", crate::k!("record.late_reason"), 60),
    ]);
    f.set_visible("uid", false);
    f.set_visible("request", false);
    f
}

/// What the entry form starts with for a matched request: the request, its
/// helper (`helper_label`: as the desk shows them), its requester, the
/// service type, the agreed time and who pays.
pub fn service_prefill(
    r: &RequestRow,
    helper_label: &str,
    tz: chrono_tz::Tz,
) -> Vec<(&'static str, String)> {
    let helper = r.helper_id.unwrap_or_default();
    let payer = if r.pool_pays {
        Payer::Pool
    } else {
        Payer::Recipient
    };
    vec![
        ("request", r.id.to_string()),
        ("provider", format!("{helper}\t{helper_label}")),
        (
            "recipient",
            format!(
                "{}\t{} {}",
                r.requester_id.unwrap_or_default(),
                r.requester_number,
                r.requester
            ),
        ),
        ("type", r.type_id.to_string()),
        ("date", time::fmt_local(r.window_start, tz, "%Y-%m-%d")),
        ("start", time::fmt_local(r.window_start, tz, "%H:%M")),
        ("minutes", r.minutes.to_string()),
        ("payer", payer.as_str().to_string()),
    ]
}

/// Resolve what was typed into instants and minutes; everything the form
/// alone can tell is wrong, at its field. The store checks the rest.
pub fn parse_entry(f: &Form, now: Stamp, tz: chrono_tz::Tz) -> Result<RecordInput, Vec<Refusal>> {
    let mut errs = Vec::new();
    let provider = f.member("provider");
    if provider.is_none() {
        errs.push(Refusal::at("provider", msg!("record.provider_required")));
    }
    let recipient = f.member("recipient");
    if recipient.is_none() {
        errs.push(Refusal::at("recipient", msg!("record.recipient_required")));
    }
    let type_id: Option<i64> = f.value("type").parse().ok();
    if type_id.is_none() {
        errs.push(Refusal::at("type", msg!("record.type_unknown")));
    }
    let today = time::local_day(now, tz);
    let date = parse_date(f.value("date"), today);
    if date.is_none() {
        errs.push(Refusal::at("date", msg!("record.date_invalid")));
    }
    let start = parse_clock(f.value("start"));
    if start.is_none() {
        errs.push(Refusal::at("start", msg!("record.clock_invalid")));
    }
    let (end, minutes) = end_and_minutes(f, &mut errs);
    let rating = match f.value("rating").trim() {
        "" => None,
        r => match r.parse::<u8>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => {
                errs.push(Refusal::at("rating", msg!("record.rating_range")));
                None
            }
        },
    };
    let text = |name: &str| Some(f.value(name).trim().to_string()).filter(|s| !s.is_empty());
    let (Some(provider), Some(recipient), Some(type_id), Some(date), Some(start)) =
        (provider, recipient, type_id, date, start)
    else {
        return Err(errs);
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    let started_at = time::local_to_stamp(date, start, tz);
    let (ended_at, minutes) = match (end, minutes) {
        (Some(e), Some(m)) => (time::local_to_stamp(date, e, tz), m),
        (Some(e), None) => {
            let ended = time::local_to_stamp(date, e, tz);
            (ended, ((ended - started_at).max(0) / MINUTE_MS) as u32)
        }
        (None, Some(m)) => (started_at + i64::from(m) * MINUTE_MS, m),
        (None, None) => unreachable!("end_and_minutes refuses neither"),
    };
    Ok(RecordInput {
        uid: f.value("uid").to_string(),
        request_id: f.value("request").parse().ok(),
        provider,
        recipient,
        type_id,
        started_at,
        ended_at,
        minutes,
        payer: Payer::parse(f.value("payer")).unwrap_or(Payer::Recipient),
        method: ConfirmMethod::parse(f.value("method")).unwrap_or(ConfirmMethod::Desk),
        book_page: text("book_page"),
        photo_ref: text("photo_ref"),
        recipient_confirmed: f.on("confirmed"),
        rating,
        notes: text("notes"),
        late_reason: text("late_reason"),
    })
}

/// The end clock and the minutes as typed: either may be left empty, not
/// both (refused at "end" then), and what is typed must read.
fn end_and_minutes(f: &Form, errs: &mut Vec<Refusal>) -> (Option<chrono::NaiveTime>, Option<u32>) {
    let end_text = f.value("end").trim();
    let minutes_text = f.value("minutes").trim();
    let end = if end_text.is_empty() {
        None
    } else {
        let e = parse_clock(end_text);
        if e.is_none() {
            errs.push(Refusal::at("end", msg!("record.clock_invalid")));
        }
        e
    };
    let minutes = if minutes_text.is_empty() {
        None
    } else {
        let m = parse_minutes(minutes_text);
        if m.is_none() {
            errs.push(Refusal::at("minutes", msg!("record.minutes_invalid")));
        }
        m
    };
    if end_text.is_empty() && minutes_text.is_empty() {
        errs.push(Refusal::at("end", msg!("record.end_or_minutes")));
    }
    (end, minutes)
}

/// Show only the fields the chosen confirmation method and timing need.
pub fn update_visibility(f: &mut Form, now: Stamp, tz: chrono_tz::Tz) {
    let method = ConfirmMethod::parse(f.value("method")).unwrap_or(ConfirmMethod::Desk);
    f.set_visible("book_page", method == ConfirmMethod::Desk);
    f.set_visible("photo_ref", method != ConfirmMethod::Desk);
    f.set_visible("confirmed", method == ConfirmMethod::Online);
    let late = parse_entry(f, now, tz).is_ok_and(|r| is_late(r.ended_at, now, 24));
    f.set_visible("late_reason", late || !f.value("late_reason").is_empty());
}

/// The first field still to fill in (what was prefilled is skipped).
pub fn first_empty_field(f: &Form) -> usize {
    f.fields
        .iter()
        .position(|x| {
            x.visible && x.picked().is_none() && x.value().is_empty() && x.input.value().is_empty()
        })
        .unwrap_or(2)
}

pub fn thank_you_form() -> Form {
    Form::new(vec![
        Field::text("text", crate::k!("thanks.text"), 80),
        Field::text("photo_ref", crate::k!("record.photo_ref"), 30),
    ])
}

/// The letter's text (required) and its photo reference.
pub fn parse_thank_you(f: &Form) -> Result<(String, String), Vec<Refusal>> {
    let text = f.value("text").to_string();
    if text.trim().is_empty() {
        return Err(vec![Refusal::at("text", msg!("thanks.text_required"))]);
    }
    Ok((text, f.value("photo_ref").to_string()))
}

pub fn spot_fail_form() -> Form {
    Form::new(vec![Field::text("note", crate::k!("spot.note"), 60)])
}

/// What was found wrong: a failed check says why.
pub fn parse_spot_fail(f: &Form) -> Result<String, Vec<Refusal>> {
    let note = f.value("note").to_string();
    if note.trim().is_empty() {
        return Err(vec![Refusal::at("note", msg!("spot.note_required"))]);
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::cx::testing::request_row;
    use crate::app::form::Picked;
    use crate::domain::queue::State;
    use chrono_tz::Asia::Shanghai;

    const NOW: Stamp = crate::harness::T0;

    fn form() -> Form {
        let mut f = entry_form(&[Choice::text("1", "陪聊")], "2026-11-23", "u1");
        f.field_mut("provider").unwrap().pick(Picked {
            member_id: 1,
            label: "a".into(),
        });
        f.field_mut("recipient").unwrap().pick(Picked {
            member_id: 2,
            label: "b".into(),
        });
        f.set("start", "08:00");
        f
    }

    fn fields(errs: Vec<Refusal>) -> Vec<&'static str> {
        errs.into_iter().filter_map(|e| e.field).collect()
    }

    #[test]
    fn end_or_minutes() {
        let mut f = form();
        assert_eq!(
            parse_entry(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("end")
        );
        f.set("end", "09:30");
        let r = parse_entry(&f, NOW, Shanghai).unwrap();
        assert_eq!(r.minutes, 90);
        f.set("end", "");
        f.set("minutes", "1h");
        let r = parse_entry(&f, NOW, Shanghai).unwrap();
        assert_eq!(r.ended_at - r.started_at, 60 * MINUTE_MS);
    }

    #[test]
    fn bad_entries_point_at_their_fields() {
        let mut f = form();
        f.set("start", "8点");
        f.set("minutes", "0");
        f.set("rating", "7");
        let errs = fields(parse_entry(&f, NOW, Shanghai).unwrap_err());
        assert_eq!(errs, vec!["start", "minutes", "rating"]);
    }

    #[test]
    fn an_empty_entry_names_every_missing_field() {
        let mut f = entry_form(&[], "", "u1");
        f.set("date", "13-45");
        let errs = fields(parse_entry(&f, NOW, Shanghai).unwrap_err());
        assert_eq!(
            errs,
            vec!["provider", "recipient", "type", "date", "start", "end"]
        );
    }

    #[test]
    fn an_unreadable_end_clock_is_refused_at_end() {
        let mut f = form();
        f.set("end", "25:00");
        let errs = fields(parse_entry(&f, NOW, Shanghai).unwrap_err());
        assert_eq!(errs, vec!["end"]);
    }

    #[test]
    fn late_reason_appears_only_for_late_entries() {
        let mut f = form();
        f.set("end", "09:00");
        update_visibility(&mut f, NOW, Shanghai);
        assert!(!f.get("late_reason").unwrap().visible);
        f.set("date", "2026-11-20");
        update_visibility(&mut f, NOW, Shanghai);
        assert!(f.get("late_reason").unwrap().visible);
    }

    #[test]
    fn a_matched_request_fills_the_form_up_to_the_end_of_the_service() {
        let mut r = request_row(4, State::Matched);
        r.helper_id = Some(9);
        r.pool_pays = true;
        let mut f = entry_form(&[Choice::text("1", "陪聊")], "2026-11-23", "u1");
        for (k, v) in service_prefill(&r, "JS01-0009 张三丰", Shanghai) {
            f.set(k, &v);
        }
        assert_eq!(f.member("provider"), Some(9));
        assert_eq!(f.member("recipient"), Some(1));
        assert_eq!(f.value("request"), "4");
        assert_eq!(f.value("payer"), "pool");
        assert_eq!(f.value("minutes"), "60");
        let input = parse_entry(&f, NOW, Shanghai).expect("a whole record");
        assert_eq!(input.started_at, r.window_start);
        assert_eq!(f.fields[first_empty_field(&f)].name, "end");
    }

    #[test]
    fn a_letter_needs_its_text_and_a_failed_check_its_reason() {
        let mut f = thank_you_form();
        f.set("text", "  ");
        assert_eq!(fields(parse_thank_you(&f).unwrap_err()), vec!["text"]);
        f.set("text", "谢谢张师傅");
        f.set("photo_ref", "P-7");
        assert_eq!(
            parse_thank_you(&f).unwrap(),
            ("谢谢张师傅".to_string(), "P-7".to_string())
        );
        let mut f = spot_fail_form();
        assert_eq!(fields(parse_spot_fail(&f).unwrap_err()), vec!["note"]);
        f.set("note", "时长不符");
        assert_eq!(parse_spot_fail(&f).unwrap(), "时长不符");
    }
}
