//! The ledger pane's forms and the parsers that read them: a reversal, an
//! adjustment, a correction refused or withdrawn, a freeze or unfreeze, an
//! estate.

use crate::app::form::{Choice, Field, Form};
use crate::domain::correction::{self, Direction};
use crate::domain::estate;
use crate::msg;
use crate::msg::Refusal;
use crate::store::estates::EstateInput;

/// Reverse a line of the statement: `amount` (all of it) can be lowered.
pub fn reverse_form(amount: i64) -> Form {
    Form::new(vec![
        Field::text("amount", crate::k!("ledger.amount"), 8).with_value(&amount.to_string()),
        Field::text("reason", crate::k!("ledger.reason"), 60),
    ])
}

pub fn adjust_form() -> Form {
    let directions = [Direction::Credit, Direction::Debit]
        .into_iter()
        .map(|d| Choice::key(d.as_str(), d.label_key()))
        .collect();
    Form::new(vec![
        Field::choice("direction", crate::k!("correction.direction"), directions),
        Field::text("amount", crate::k!("ledger.amount"), 8),
        Field::text("reason", crate::k!("ledger.reason"), 60),
    ])
}

pub fn refuse_form() -> Form {
    Form::new(vec![Field::text(
        "reason",
        crate::k!("correction.note"),
        60,
    )])
}

/// Freezing asks why; unfreezing asks to tick that one is sure.
pub fn freeze_form(frozen: bool) -> Form {
    if frozen {
        Form::new(vec![Field::text("reason", crate::k!("ledger.reason"), 60)])
    } else {
        Form::new(vec![Field::toggle(
            "sure",
            crate::k!("ledger.unfreeze_sure"),
        )])
    }
}

pub fn estate_form() -> Form {
    Form::new(vec![
        Field::text("death_certificate", crate::k!("estate.certificate"), 30),
        Field::member("heir", crate::k!("estate.heir")).with_hint(crate::k!("estate.heir.hint")),
        Field::text("heir_name", crate::k!("estate.heir_name"), 20)
            .with_hint(crate::k!("estate.heir_name.hint")),
        Field::text("kinship_proof", crate::k!("estate.kinship"), 30),
        Field::text("written_request", crate::k!("estate.request"), 30)
            .with_hint(crate::k!("estate.request.hint")),
    ])
}

/// The points and the reason of a correction form, each refused at its field.
pub fn amount_and_reason(f: &Form) -> Result<(i64, String), Vec<Refusal>> {
    let amount = correction::parse_amount(f.value("amount"));
    let reason = f.value("reason").trim().to_string();
    let mut errs = Vec::new();
    if amount.is_none() {
        errs.push(Refusal::at("amount", msg!("ledger.amount_positive")));
    }
    if reason.is_empty() {
        errs.push(Refusal::at("reason", msg!("ledger.reason_required")));
    }
    match amount {
        Some(a) if errs.is_empty() => Ok((a, reason)),
        _ => Err(errs),
    }
}

/// An adjustment: which way, how many points, why.
pub fn parse_adjust(f: &Form) -> Result<(Direction, i64, String), Vec<Refusal>> {
    let (amount, reason) = amount_and_reason(f)?;
    let direction = Direction::parse(f.value("direction")).unwrap_or(Direction::Credit);
    Ok((direction, amount, reason))
}

/// The note of a refusal (required) or of a withdrawal (`own`: optional).
pub fn parse_refusal(f: &Form, own: bool) -> Result<String, Vec<Refusal>> {
    let note = f.value("reason").trim().to_string();
    if !own && note.is_empty() {
        return Err(vec![Refusal::at(
            "reason",
            msg!("correction.refusal_reason"),
        )]);
    }
    Ok(note)
}

/// The reason of a freeze (required), or the tick that unfreezes.
pub fn parse_freeze(f: &Form, frozen: bool) -> Result<String, Vec<Refusal>> {
    let reason = f.value("reason").trim().to_string();
    if frozen && reason.is_empty() {
        return Err(vec![Refusal::at("reason", msg!("ledger.freeze_reason"))]);
    }
    if !frozen && !f.on("sure") {
        return Err(vec![Refusal::at("sure", msg!("ledger.unfreeze_tick"))]);
    }
    Ok(reason)
}

pub fn parse_estate(f: &Form) -> Result<EstateInput, Vec<Refusal>> {
    // a name typed for the heir but not picked would clear the balance to
    // the pool instead
    if f.typed_not_picked("heir") {
        return Err(vec![Refusal::at("heir", msg!("form.pick_member"))]);
    }
    let certificate = f.value("death_certificate").trim().to_string();
    if certificate.is_empty() {
        return Err(vec![Refusal::at(
            "death_certificate",
            msg!("estate.certificate_required"),
        )]);
    }
    let e = EstateInput {
        heir_member: f.member("heir"),
        death_certificate: certificate,
        heir_name: f.value("heir_name").trim().to_string(),
        kinship_proof: f.value("kinship_proof").trim().to_string(),
        written_request: f.value("written_request").trim().to_string(),
    };
    // a member picked and a name typed, or a request with no name: refused
    // at the field before anything is sent
    estate::route(e.heir_member, &e.heir_name, &e.written_request).map_err(|r| vec![r])?;
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::form::Picked;

    fn fields<T: std::fmt::Debug>(r: Result<T, Vec<Refusal>>) -> Vec<&'static str> {
        r.unwrap_err().into_iter().filter_map(|e| e.field).collect()
    }

    #[test]
    fn a_correction_needs_whole_points_above_zero_and_a_reason() {
        let mut f = reverse_form(30);
        assert_eq!(fields(amount_and_reason(&f)), ["reason"]);
        for bad in ["0", "-5", "1.5", "三十", ""] {
            f.set("amount", bad);
            assert_eq!(fields(amount_and_reason(&f)), ["amount", "reason"], "{bad}");
        }
        f.set("amount", " 12 ");
        f.set("reason", " 录错时长 ");
        assert_eq!(amount_and_reason(&f).unwrap(), (12, "录错时长".to_string()));
    }

    #[test]
    fn an_adjustment_goes_the_way_chosen() {
        let mut f = adjust_form();
        f.set("amount", "5");
        assert_eq!(fields(parse_adjust(&f)), ["reason"]);
        f.set("reason", "补录");
        assert_eq!(
            parse_adjust(&f).unwrap(),
            (Direction::Credit, 5, "补录".to_string())
        );
        f.set("direction", Direction::Debit.as_str());
        assert_eq!(parse_adjust(&f).unwrap().0, Direction::Debit);
    }

    #[test]
    fn refusing_says_why_withdrawing_need_not() {
        let f = refuse_form();
        assert_eq!(fields(parse_refusal(&f, false)), ["reason"]);
        assert_eq!(parse_refusal(&f, true).unwrap(), "");
    }

    #[test]
    fn a_freeze_says_why_and_an_unfreeze_is_ticked() {
        let mut f = freeze_form(true);
        f.set("reason", "   ");
        assert_eq!(fields(parse_freeze(&f, true)), ["reason"]);
        f.set("reason", "争议处理中");
        assert_eq!(parse_freeze(&f, true).unwrap(), "争议处理中");
        let mut f = freeze_form(false);
        assert_eq!(fields(parse_freeze(&f, false)), ["sure"]);
        f.set("sure", "1");
        assert_eq!(parse_freeze(&f, false).unwrap(), "");
    }

    #[test]
    fn an_estate_needs_the_certificate_and_a_picked_heir_or_none() {
        let mut f = estate_form();
        assert_eq!(fields(parse_estate(&f)), ["death_certificate"]);
        f.set("heir", "张");
        f.set("death_certificate", "D-2026-17");
        assert_eq!(fields(parse_estate(&f)), ["heir"], "typed, not picked");
        f.field_mut("heir").unwrap().pick(Picked {
            member_id: 4,
            label: "JS01-0004 张小明".into(),
        });
        f.set("kinship_proof", "户口本");
        let e = parse_estate(&f).unwrap();
        assert_eq!(
            e,
            EstateInput {
                heir_member: Some(4),
                death_certificate: "D-2026-17".into(),
                kinship_proof: "户口本".into(),
                ..EstateInput::default()
            }
        );
        f.set("heir_name", "张小明");
        assert_eq!(
            fields(parse_estate(&f)),
            ["heir_name"],
            "a member or a name"
        );
        let mut f = estate_form();
        f.set("death_certificate", "D-1");
        assert_eq!(parse_estate(&f).unwrap().heir_member, None, "to the pool");
        f.set("written_request", "申请书");
        assert_eq!(fields(parse_estate(&f)), ["heir_name"], "whose request?");
        f.set("heir_name", " 张小明 ");
        let e = parse_estate(&f).unwrap();
        assert_eq!(
            (e.heir_name.as_str(), e.written_request.as_str()),
            ("张小明", "申请书")
        );
    }
}
