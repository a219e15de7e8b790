//! The fund view's forms: income, an expense proposed, a signature. Pure:
//! each wrong field is refused at its line; the store checks the rest (the
//! balance, the PIN, the same person twice).

use crate::app::form::{Choice, Field, Form};
use crate::domain::fund::{self, Kind};
use crate::domain::privacy::refuse_id_numbers;
use crate::msg;
use crate::msg::Refusal;
use crate::store::fund::{ExpenseInput, IncomeInput};

fn kinds(list: &[Kind]) -> Vec<Choice> {
    list.iter()
        .map(|k| Choice::key(k.as_str(), k.label_key()))
        .collect()
}

pub fn income_form() -> Form {
    Form::new(vec![
        Field::choice("kind", crate::k!("fund.kind"), kinds(&Kind::DESK_INCOME)),
        Field::text("amount", crate::k!("fund.amount"), 12)
            .with_hint(crate::k!("fund.amount.hint")),
        Field::member("member", crate::k!("fund.member")).with_hint(crate::k!("fund.member.hint")),
        Field::text("party", crate::k!("fund.party_in"), 30)
            .with_hint(crate::k!("fund.party_in.hint")),
        Field::text("purpose", crate::k!("fund.purpose"), 40),
    ])
}

pub fn expense_form() -> Form {
    Form::new(vec![
        Field::choice("kind", crate::k!("fund.kind"), kinds(&Kind::EXPENSES)),
        Field::text("amount", crate::k!("fund.amount"), 12)
            .with_hint(crate::k!("fund.amount.hint")),
        Field::text("party", crate::k!("fund.party_out"), 30),
        Field::text("purpose", crate::k!("fund.purpose"), 40)
            .with_hint(crate::k!("fund.purpose.hint")),
    ])
}

pub fn sign_form() -> Form {
    Form::new(vec![
        Field::text("staff_no", crate::k!("fund.signer"), 8)
            .with_hint(crate::k!("fund.signer.hint")),
        Field::secret("pin", crate::k!("fund.pin"), 8),
    ])
}

/// A free-text field: not empty, no ID number.
fn text(f: &Form, name: &'static str, errs: &mut Vec<Refusal>) -> String {
    let t = f.value(name).trim().to_string();
    if t.is_empty() {
        errs.push(Refusal::at(name, msg!("fund.text_required")));
    } else if let Err(e) = refuse_id_numbers(name, &t) {
        errs.push(e);
    }
    t
}

fn amount(f: &Form, errs: &mut Vec<Refusal>) -> i64 {
    fund::parse_amount(f.value("amount")).unwrap_or_else(|e| {
        errs.push(e);
        0
    })
}

pub fn parse_income(f: &Form) -> Result<IncomeInput, Vec<Refusal>> {
    let mut errs = Vec::new();
    let kind = Kind::parse(f.value("kind")).unwrap_or(Kind::Fee);
    let amount_fen = amount(f, &mut errs);
    let member_id = f.member("member");
    let party = if kind == Kind::Fee {
        if member_id.is_none() {
            errs.push(Refusal::at("member", msg!("fund.fee_member")));
        }
        String::new()
    } else {
        text(f, "party", &mut errs)
    };
    let purpose = text(f, "purpose", &mut errs);
    if errs.is_empty() {
        Ok(IncomeInput {
            kind,
            amount_fen,
            party,
            purpose,
            member_id: member_id.filter(|_| kind == Kind::Fee),
        })
    } else {
        Err(errs)
    }
}

pub fn parse_expense(f: &Form) -> Result<ExpenseInput, Vec<Refusal>> {
    let mut errs = Vec::new();
    let kind = Kind::parse(f.value("kind")).unwrap_or(Kind::Materials);
    let amount_fen = amount(f, &mut errs);
    let party = text(f, "party", &mut errs);
    let purpose = text(f, "purpose", &mut errs);
    if errs.is_empty() {
        Ok(ExpenseInput {
            kind,
            amount_fen,
            party,
            purpose,
            activity_id: None,
        })
    } else {
        Err(errs)
    }
}

/// The signer's staff number and PIN, both needed.
pub fn parse_sign(f: &Form) -> Result<(String, String), Vec<Refusal>> {
    let mut errs = Vec::new();
    let no = f.value("staff_no").trim().to_string();
    if no.is_empty() {
        errs.push(Refusal::at("staff_no", msg!("signin.staff_no.empty")));
    }
    let pin = f.value("pin").to_string();
    if pin.is_empty() {
        errs.push(Refusal::at("pin", msg!("signin.pin.empty")));
    }
    if errs.is_empty() {
        Ok((no, pin))
    } else {
        Err(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(r: Vec<Refusal>) -> Vec<(&'static str, &'static str)> {
        r.iter()
            .map(|e| (e.field.unwrap_or(""), e.msg.key))
            .collect()
    }

    #[test]
    fn an_income_is_read_in_fen() {
        let mut f = income_form();
        f.set("kind", "subsidy_in");
        f.set("amount", "1200.50");
        f.set("party", "街道办");
        f.set("purpose", "12 月活动补贴");
        let i = parse_income(&f).unwrap();
        assert_eq!((i.kind, i.amount_fen), (Kind::SubsidyIn, 120050));
        assert_eq!(i.member_id, None);
    }

    #[test]
    fn bad_income_is_refused_at_its_field() {
        let mut f = income_form();
        f.set("amount", "12.345");
        f.set("purpose", " ");
        assert_eq!(
            at(parse_income(&f).unwrap_err()),
            vec![
                ("amount", "fund.amount_invalid"),
                ("member", "fund.fee_member"),
                ("purpose", "fund.text_required")
            ]
        );
        let mut f = income_form();
        f.set("kind", "gift_in");
        f.set("amount", "50");
        f.set("party", "110101199003071234");
        f.set("purpose", "礼品");
        assert_eq!(
            at(parse_income(&f).unwrap_err()),
            vec![("party", "form.id_number_elsewhere")]
        );
    }

    #[test]
    fn bad_expense_and_signature_are_refused_at_their_fields() {
        let mut f = expense_form();
        f.set("amount", "abc");
        assert_eq!(
            at(parse_expense(&f).unwrap_err()),
            vec![
                ("amount", "fund.amount_invalid"),
                ("party", "fund.text_required"),
                ("purpose", "fund.text_required")
            ]
        );
        f.set("amount", "86");
        f.set("party", "超市");
        f.set("purpose", "信任榜鸡蛋");
        assert_eq!(parse_expense(&f).unwrap().amount_fen, 8600);
        let f = sign_form();
        assert_eq!(
            at(parse_sign(&f).unwrap_err()),
            vec![
                ("staff_no", "signin.staff_no.empty"),
                ("pin", "signin.pin.empty")
            ]
        );
    }
}
