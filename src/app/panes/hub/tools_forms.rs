//! The tool corner's forms: lend one to a member (until when), take one
//! back (how it came), write one off (lost or broken). Pure: each wrong
//! field is refused at its line; the store checks the rest (who may
//! borrow, one left, one walker each).

use crate::app::form::{Choice, Field, Form, Picked};
use crate::domain::entry;
use crate::domain::tool::{self, Condition, Loss};
use crate::msg;
use crate::msg::Refusal;
use crate::store::tools::ToolItem;
use chrono::NaiveDate;

/// Lend: the member (card or search) and the due date, the item's default
/// period filled in.
pub fn lend_form(item: &ToolItem, today: NaiveDate, member: Option<Picked>) -> Form {
    let due = tool::default_due(today, item.kind);
    let mut f = Form::new(vec![
        Field::member("member", crate::k!("tool.member")).with_hint(crate::k!("tool.member.hint")),
        Field::text("due", crate::k!("tool.due"), 12)
            .with_value(&due.to_string())
            .with_hint(crate::k!("tool.due.hint")),
    ]);
    if let Some(p) = member {
        f.fill_member(p);
        f.focus_on("due");
    }
    f
}

/// Take back: how it came, and a note (needed when damaged).
pub fn return_form() -> Form {
    let conds = Condition::ALL
        .into_iter()
        .map(|c| Choice::key(c.as_str(), c.label_key()))
        .collect();
    Form::new(vec![
        Field::choice("condition", crate::k!("tool.condition"), conds),
        Field::text("note", crate::k!("tool.note"), 60).with_hint(crate::k!("tool.note.hint")),
    ])
}

/// Write off: lost or broken, and what happened.
pub fn write_off_form() -> Form {
    let losses = Loss::ALL
        .into_iter()
        .map(|l| Choice::key(l.as_str(), l.label_key()))
        .collect();
    Form::new(vec![
        Field::choice("loss", crate::k!("tool.loss"), losses),
        Field::text("note", crate::k!("tool.note"), 60).with_hint(crate::k!("tool.loss_note.hint")),
    ])
}

/// The member picked and the due date.
pub fn parse_lend(f: &Form, today: NaiveDate) -> Result<(i64, NaiveDate), Vec<Refusal>> {
    let mut errs = Vec::new();
    let member = f.member("member");
    if member.is_none() {
        errs.push(Refusal::at("member", msg!("form.pick_member")));
    }
    let typed = f.value("due").trim();
    let due = if typed.is_empty() {
        None
    } else {
        entry::parse_date(typed, today)
    };
    match due {
        None => errs.push(Refusal::at("due", msg!("tool.due_invalid"))),
        Some(d) => {
            if let Err(r) = tool::check_due(d, today) {
                errs.push(r);
            }
        }
    }
    match (member, due) {
        (Some(m), Some(d)) if errs.is_empty() => Ok((m, d)),
        _ => Err(errs),
    }
}

/// The condition and its note.
pub fn parse_return(f: &Form) -> Result<(Condition, String), Vec<Refusal>> {
    let cond = Condition::parse(f.value("condition")).unwrap_or(Condition::Good);
    let note = f.value("note").trim().to_string();
    tool::check_note(&note, cond == Condition::Damaged).map_err(|r| vec![r])?;
    Ok((cond, note))
}

/// Lost or broken, and what happened.
pub fn parse_write_off(f: &Form) -> Result<(Loss, String), Vec<Refusal>> {
    let loss = Loss::parse(f.value("loss")).unwrap_or(Loss::Lost);
    let note = f.value("note").trim().to_string();
    tool::check_note(&note, true).map_err(|r| vec![r])?;
    Ok((loss, note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tool::LendKind;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    fn walker() -> ToolItem {
        ToolItem {
            id: 8,
            name_zh: "助行器".into(),
            name_en: "walkers".into(),
            kind: LendKind::Walker,
            count: 2,
            on_loan: 0,
            overdue: 0,
        }
    }

    fn fields<T: std::fmt::Debug>(r: Result<T, Vec<Refusal>>) -> Vec<&'static str> {
        r.unwrap_err().iter().filter_map(|e| e.field).collect()
    }

    fn picked() -> Option<Picked> {
        Some(Picked {
            member_id: 7,
            label: "王芳".into(),
        })
    }

    #[test]
    fn a_walker_is_lent_for_thirty_days_unless_told() {
        let f = lend_form(&walker(), today(), picked());
        assert_eq!(f.value("due"), "2027-01-03");
        assert_eq!(
            parse_lend(&f, today()).unwrap(),
            (7, NaiveDate::from_ymd_opt(2027, 1, 3).unwrap())
        );
    }

    #[test]
    fn bad_lending_is_refused_at_its_field() {
        let mut f = lend_form(&walker(), today(), None);
        f.set("due", "下个月");
        assert_eq!(fields(parse_lend(&f, today())), ["member", "due"]);
        let mut f = lend_form(&walker(), today(), picked());
        f.set("due", "2026-12-01");
        assert_eq!(fields(parse_lend(&f, today())), ["due"]);
        f.set("due", "2027-12-01");
        assert_eq!(fields(parse_lend(&f, today())), ["due"]);
        f.set("due", " ");
        assert_eq!(fields(parse_lend(&f, today())), ["due"]);
    }

    #[test]
    fn a_damaged_return_and_a_loss_need_a_note() {
        let mut f = return_form();
        assert_eq!(parse_return(&f).unwrap(), (Condition::Good, String::new()));
        f.set("condition", "damaged");
        assert_eq!(fields(parse_return(&f)), ["note"]);
        f.set("note", " 刹车松了 ");
        assert_eq!(
            parse_return(&f).unwrap(),
            (Condition::Damaged, "刹车松了".into())
        );
        let mut f = write_off_form();
        f.set("loss", "broken");
        assert_eq!(fields(parse_write_off(&f)), ["note"]);
        f.set("note", "摔断了");
        assert_eq!(
            parse_write_off(&f).unwrap(),
            (Loss::Broken, "摔断了".into())
        );
    }
}
