//! The hub pane's forms: an activity's plan (驿站活动策划表), a sign-up,
//! an attendance. Pure: each wrong field is refused at its line; the
//! store checks the rest (the member, the activity's time).

use crate::app::form::{Choice, Field, Form};
use crate::domain::activity::{self, Kind, Plan};
use crate::domain::entry;
use crate::domain::merchant::parse_yuan;
use crate::msg;
use crate::msg::Refusal;
use crate::store::activities::ActivityRow;
use chrono::NaiveDate;

pub fn plan_form() -> Form {
    let kinds = Kind::ALL
        .into_iter()
        .map(|k| Choice::key(k.as_str(), k.label_key()))
        .collect();
    let (from, to) = Kind::Market.usual_hours();
    Form::new(vec![
        Field::choice("kind", crate::k!("activity.kind"), kinds),
        Field::text("title", crate::k!("activity.title"), 30)
            .with_hint(crate::k!("activity.title.hint")),
        Field::text("day", crate::k!("activity.day"), 12),
        Field::text("from", crate::k!("activity.from"), 5)
            .with_value(&from.format("%H:%M").to_string()),
        Field::text("to", crate::k!("activity.to"), 5).with_value(&to.format("%H:%M").to_string()),
        Field::text("place", crate::k!("activity.place"), 30),
        Field::text("aim", crate::k!("activity.aim"), 60),
        Field::text("leads", crate::k!("activity.leads"), 30),
        Field::text("materials", crate::k!("activity.materials"), 60),
        Field::text("cost", crate::k!("activity.cost"), 10)
            .with_hint(crate::k!("activity.cost.hint")),
        Field::text("merchants", crate::k!("activity.merchants"), 60)
            .with_hint(crate::k!("activity.merchants.hint")),
        Field::text("points", crate::k!("activity.points"), 3)
            .with_value("0")
            .with_hint(crate::k!("activity.points.hint")),
    ])
}

/// The usual hours follow the kind chosen while the times are untouched.
pub fn kind_changed(f: &mut Form) {
    let Some(kind) = Kind::parse(f.value("kind")) else {
        return;
    };
    let usual = |t: chrono::NaiveTime| t.format("%H:%M").to_string();
    let untouched = Kind::ALL.into_iter().any(|k| {
        let (a, b) = k.usual_hours();
        f.value("from") == usual(a) && f.value("to") == usual(b)
    });
    if untouched {
        let (a, b) = kind.usual_hours();
        f.set("from", &usual(a));
        f.set("to", &usual(b));
    }
}

pub fn signup_form() -> Form {
    Form::new(vec![
        Field::member("member", crate::k!("activity.member"))
            .with_hint(crate::k!("activity.member.hint")),
    ])
}

/// Who came and for how long (the whole activity unless told otherwise).
pub fn attend_form(a: &ActivityRow, member: Option<(i64, String)>) -> Form {
    let mut f = Form::new(vec![
        Field::member("member", crate::k!("activity.member"))
            .with_hint(crate::k!("activity.member.hint")),
        Field::text("minutes", crate::k!("activity.minutes"), 8)
            .with_value(&a.minutes().to_string()),
    ]);
    if let Some((member_id, label)) = member {
        f.fill_member(crate::app::form::Picked { member_id, label });
    }
    f
}

/// A plan as typed. The dates, times, yuan and points are read here; the
/// rest of the rules are [`activity::check_plan`]'s.
pub fn parse_plan(f: &Form, today: NaiveDate) -> Result<Plan, Vec<Refusal>> {
    let mut errs = Vec::new();
    let text = |name: &str| f.value(name).trim().to_string();
    let kind = Kind::parse(f.value("kind")).unwrap_or(Kind::Other);
    let day = match entry::parse_date(f.value("day"), today) {
        Some(d) => d,
        None => {
            errs.push(Refusal::at("day", msg!("activity.day_invalid")));
            today
        }
    };
    let mut time = |name: &'static str| match entry::parse_clock(f.value(name)) {
        Some(t) => t,
        None => {
            errs.push(Refusal::at(name, msg!("activity.time_invalid")));
            chrono::NaiveTime::MIN
        }
    };
    let (from, to) = (time("from"), time("to"));
    let cost_fen = if f.value("cost").trim().is_empty() {
        0
    } else {
        parse_yuan(f.value("cost")).unwrap_or_else(|| {
            errs.push(Refusal::at("cost", msg!("activity.cost_invalid")));
            0
        })
    };
    let points_per_hour = f.value("points").trim().parse::<u32>().unwrap_or_else(|_| {
        errs.push(Refusal::at("points", msg!("activity.points_invalid")));
        0
    });
    let plan = Plan {
        kind,
        title: text("title"),
        day,
        from,
        to,
        place: text("place"),
        aim: text("aim"),
        leads: text("leads"),
        materials: text("materials"),
        cost_fen,
        merchants: activity::split_merchants(f.value("merchants")),
        points_per_hour,
    };
    if let Err(more) = activity::check_plan(&plan, today) {
        // a field refused here already is not refused twice
        let seen: Vec<_> = errs.iter().map(|e| e.field).collect();
        errs.extend(more.into_iter().filter(|r| !seen.contains(&r.field)));
    }
    if errs.is_empty() { Ok(plan) } else { Err(errs) }
}

/// The member picked (a name typed and not picked is refused).
pub fn parse_member(f: &Form) -> Result<i64, Vec<Refusal>> {
    f.member("member")
        .ok_or_else(|| vec![Refusal::at("member", msg!("form.pick_member"))])
}

/// The member and the minutes of an attendance.
pub fn parse_attend(f: &Form, a: &ActivityRow) -> Result<(i64, u32), Vec<Refusal>> {
    let member = parse_member(f);
    let minutes = entry::parse_minutes(f.value("minutes"))
        .ok_or_else(|| Refusal::at("minutes", msg!("activity.minutes_invalid")))
        .and_then(|m| activity::check_minutes(m, a.minutes()).map(|()| m));
    match (member, minutes) {
        (Ok(m), Ok(min)) => Ok((m, min)),
        (member, minutes) => {
            let mut errs = member.err().unwrap_or_default();
            errs.extend(minutes.err());
            Err(errs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    fn good() -> Form {
        let mut f = plan_form();
        f.set("kind", "intergen");
        f.set("day", "2026-12-12");
        f.set("place", "驿站活动室");
        f.set("leads", "王芳、李明");
        f.set("materials", "投影仪、手机支架");
        f.set("cost", "35.50");
        f.set("points", "10");
        f
    }

    fn fields(r: Result<Plan, Vec<Refusal>>) -> Vec<&'static str> {
        r.unwrap_err().iter().filter_map(|e| e.field).collect()
    }

    #[test]
    fn a_plan_is_read_in_fen_and_points() {
        let p = parse_plan(&good(), today()).unwrap();
        assert_eq!(p.cost_fen, 3550);
        assert_eq!(p.points_per_hour, 10);
        assert_eq!(p.minutes(), 120);
        assert_eq!(p.kind, Kind::Intergen);
    }

    #[test]
    fn bad_input_is_refused_at_its_field() {
        let mut f = good();
        f.set("day", "明年");
        f.set("from", "25:00");
        f.set("cost", "-3");
        f.set("points", "很多");
        assert_eq!(
            fields(parse_plan(&f, today())),
            vec!["day", "from", "cost", "points"]
        );
        let mut f = good();
        f.set("to", "08:00");
        f.set("place", " ");
        assert_eq!(fields(parse_plan(&f, today())), vec!["to", "place"]);
        let mut f = good();
        f.set("kind", "other");
        assert_eq!(fields(parse_plan(&f, today())), vec!["title"]);
        let mut f = good();
        f.set("kind", "merchant_week");
        f.set("merchants", "老王理发");
        assert_eq!(fields(parse_plan(&f, today())), vec!["merchants"]);
        let mut f = good();
        f.set("points", "40");
        assert_eq!(fields(parse_plan(&f, today())), vec!["points"]);
    }

    #[test]
    fn the_hours_follow_the_kind_until_typed() {
        let mut f = plan_form();
        f.set("kind", "tea");
        kind_changed(&mut f);
        assert_eq!((f.value("from"), f.value("to")), ("15:00", "16:00"));
        f.set("to", "16:30");
        f.set("kind", "market");
        kind_changed(&mut f);
        assert_eq!(f.value("to"), "16:30");
    }

    #[test]
    fn an_attendance_needs_a_member_and_fitting_minutes() {
        let a = super::super::tests::tea(1, 0);
        let mut f = attend_form(&a, None);
        assert_eq!(f.value("minutes"), "60");
        f.set("minutes", "90");
        let errs = parse_attend(&f, &a).unwrap_err();
        let at: Vec<_> = errs.iter().filter_map(|e| e.field).collect();
        assert_eq!(at, vec!["member", "minutes"]);
        let mut f = attend_form(&a, Some((7, "王芳".into())));
        f.set("minutes", "45");
        assert_eq!(parse_attend(&f, &a).unwrap(), (7, 45));
    }
}
