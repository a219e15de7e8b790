//! What the merchants pane's forms say. Pure: each field the form alone can
//! judge is refused at its line, all at once; the store checks the rest
//! (a name taken, a member's points, the station master's rights).

use crate::app::form::Form;
use crate::domain::entry::parse_date;
use crate::domain::merchant::{Kind, Status, parse_yuan};
use crate::domain::time::Stamp;
use crate::domain::violation::Severity;
use crate::msg;
use crate::msg::Refusal;
use crate::store::merchants::{MerchantInput, OfferInput, PriceCheck, check_merchant, check_offer};
use crate::store::redemptions::Redemption;
use chrono::NaiveDate;
use std::path::PathBuf;

type Parsed<T> = Result<T, Vec<Refusal>>;

/// A field's text, trimmed.
fn text(f: &Form, name: &str) -> String {
    f.value(name).trim().to_string()
}

pub fn parse_merchant(f: &Form, today: NaiveDate) -> Parsed<MerchantInput> {
    let mut errs = Vec::new();
    let distance = f.value("distance").trim().parse::<u32>();
    if distance.is_err() {
        errs.push(Refusal::at("distance", msg!("merchant.distance_invalid")));
    }
    let from = parse_date(f.value("from"), today);
    if from.is_none() {
        errs.push(Refusal::at("from", msg!("record.date_invalid")));
    }
    let to = parse_date(f.value("to"), today);
    if to.is_none() {
        errs.push(Refusal::at("to", msg!("record.date_invalid")));
    }
    let (Ok(distance_m), Some(from), Some(to)) = (distance, from, to) else {
        return Err(errs);
    };
    let m = MerchantInput {
        name: text(f, "name"),
        kind: Kind::parse(f.value("kind")).unwrap_or(Kind::Other),
        address: text(f, "address"),
        distance_m,
        contact_name: text(f, "contact_name"),
        contact_phone: text(f, "contact_phone"),
        redeemer: text(f, "redeemer"),
        community: text(f, "community"),
        agreement_from: from,
        agreement_to: to,
    };
    check_merchant(&m)?;
    Ok(m)
}

pub fn parse_offer(f: &Form, today: NaiveDate) -> Parsed<OfferInput> {
    let mut errs = Vec::new();
    let points = f
        .value("points")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p > 0);
    if points.is_none() {
        errs.push(Refusal::at("points", msg!("offer.points_invalid")));
    }
    let value = parse_yuan(f.value("value"));
    if value.is_none() {
        errs.push(Refusal::at("value", msg!("offer.yuan_invalid")));
    }
    let cap = parse_yuan(f.value("cap"));
    if cap.is_none() {
        errs.push(Refusal::at("cap", msg!("offer.yuan_invalid")));
    }
    let from = parse_date(f.value("valid_from"), today);
    if from.is_none() {
        errs.push(Refusal::at("valid_from", msg!("record.date_invalid")));
    }
    let to = parse_date(f.value("valid_to"), today);
    if to.is_none() {
        errs.push(Refusal::at("valid_to", msg!("record.date_invalid")));
    }
    let (Some(points), Some(value_fen), Some(cap), Some(from), Some(to)) =
        (points, value, cap, from, to)
    else {
        return Err(errs);
    };
    let o = OfferInput {
        text: text(f, "text"),
        points,
        value_fen,
        valid_from: from,
        valid_to: to,
        monthly_cap_fen: cap,
        not_combined: f.on("not_combined"),
        note: Some(text(f, "note")).filter(|n| !n.is_empty()),
    };
    check_offer(&o)?;
    Ok(o)
}

/// A redemption at the desk, redeemed `at`; `uid` was fixed when the form
/// opened, so a retry posts once.
pub fn parse_redemption(f: &Form, uid: String, at: Stamp) -> Parsed<Redemption> {
    let mut errs = Vec::new();
    let member = f.member("member");
    if member.is_none() {
        errs.push(Refusal::at("member", msg!("redeem.member_required")));
    }
    let count = f
        .value("count")
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|c| (1..=99).contains(c));
    if count.is_none() {
        errs.push(Refusal::at("count", msg!("redeem.count_range")));
    }
    let offer_id = f.value("offer").parse::<i64>().ok();
    let (Some(member_id), Some(count), Some(offer_id)) = (member, count, offer_id) else {
        return Err(errs);
    };
    Ok(Redemption {
        uid,
        member_id,
        offer_id,
        count,
        redeemed_at: at,
    })
}

/// A rating: the member picked, their stars, a note.
pub fn parse_rating(f: &Form) -> Parsed<(i64, u8, String)> {
    let Some(member_id) = f.member("member") else {
        return Err(vec![Refusal::at("member", msg!("redeem.member_required"))]);
    };
    let stars = f.value("stars").parse().unwrap_or(5);
    Ok((member_id, stars, text(f, "note")))
}

pub fn parse_price(f: &Form) -> Parsed<PriceCheck> {
    let mut errs = Vec::new();
    let purchase = parse_yuan(f.value("purchase"));
    if purchase.is_none() {
        errs.push(Refusal::at("purchase", msg!("offer.yuan_invalid")));
    }
    let member_price = parse_yuan(f.value("member_price"));
    if member_price.is_none() {
        errs.push(Refusal::at("member_price", msg!("offer.yuan_invalid")));
    }
    if text(f, "item").is_empty() {
        errs.push(Refusal::at("item", msg!("price.item_required")));
    }
    if text(f, "invoice").is_empty() {
        errs.push(Refusal::at("invoice", msg!("price.invoice_required")));
    }
    if text(f, "checked_by").is_empty() {
        errs.push(Refusal::at("checked_by", msg!("price.checker_required")));
    }
    let (Some(purchase_fen), Some(member_fen), true) = (purchase, member_price, errs.is_empty())
    else {
        return Err(errs);
    };
    Ok(PriceCheck {
        item: text(f, "item"),
        purchase_fen,
        member_fen,
        invoice_ref: text(f, "invoice"),
        checked_by: text(f, "checked_by"),
    })
}

/// The reason a violation or a change of status needs.
fn reason(f: &Form) -> Parsed<String> {
    let reason = text(f, "reason");
    if reason.is_empty() {
        return Err(vec![Refusal::at(
            "reason",
            msg!("merchant.reason_required"),
        )]);
    }
    Ok(reason)
}

pub fn parse_violation(f: &Form) -> Parsed<(Severity, String)> {
    let reason = reason(f)?;
    let severity = Severity::parse(f.value("severity")).unwrap_or(Severity::Minor);
    Ok((severity, reason))
}

pub fn parse_status(f: &Form) -> Parsed<(Status, String)> {
    let reason = reason(f)?;
    let status = Status::parse(f.value("status")).unwrap_or(Status::Active);
    Ok((status, reason))
}

/// Deposit paid in or back (`true`: back), in fen, with the reason.
pub fn parse_deposit(f: &Form) -> Parsed<(bool, i64, String)> {
    let mut errs = Vec::new();
    let amount = parse_yuan(f.value("amount"));
    if amount.is_none() {
        errs.push(Refusal::at("amount", msg!("offer.yuan_invalid")));
    }
    let reason = text(f, "reason");
    if reason.is_empty() {
        errs.push(Refusal::at("reason", msg!("merchant.reason_required")));
    }
    let (Some(amount_fen), true) = (amount, errs.is_empty()) else {
        return Err(errs);
    };
    Ok((f.value("kind") == "refund", amount_fen, reason))
}

/// The log file to import, and whether to post only its valid lines.
pub fn parse_import(f: &Form) -> Parsed<(PathBuf, bool)> {
    let file = text(f, "file");
    if file.is_empty() {
        return Err(vec![Refusal::at("file", msg!("import.file_required"))]);
    }
    Ok((file.into(), f.on("valid_only")))
}

#[cfg(test)]
mod tests {
    use super::super::forms;
    use super::*;
    use crate::app::action::Command;
    use crate::app::form::Picked;

    fn today() -> NaiveDate {
        "2026-11-20".parse().unwrap()
    }

    fn refused(errs: Vec<Refusal>) -> Vec<(&'static str, &'static str)> {
        errs.iter()
            .map(|r| (r.field.unwrap_or(""), r.msg.key))
            .collect()
    }

    fn filled(mut f: Form, values: &[(&str, &str)]) -> Form {
        for (k, v) in values {
            f.set(k, v);
        }
        f
    }

    #[test]
    fn a_merchant_with_bad_distance_and_dates_is_refused_at_each_at_once() {
        let f = filled(
            forms::merchant_form(None, "01", "2026-11-20"),
            &[("distance", "三百"), ("from", "2026-13-01"), ("to", "soon")],
        );
        assert_eq!(
            refused(parse_merchant(&f, today()).unwrap_err()),
            [
                ("distance", "merchant.distance_invalid"),
                ("from", "record.date_invalid"),
                ("to", "record.date_invalid"),
            ]
        );
    }

    #[test]
    fn an_offer_with_every_number_wrong_is_refused_at_each() {
        let f = filled(
            forms::offer_form(None, today()),
            &[
                ("points", "0"),
                ("value", "5.555"),
                ("cap", ""),
                ("valid_from", "2026-02-30"),
                ("valid_to", "later"),
            ],
        );
        assert_eq!(
            refused(parse_offer(&f, today()).unwrap_err()),
            [
                ("points", "offer.points_invalid"),
                ("value", "offer.yuan_invalid"),
                ("cap", "offer.yuan_invalid"),
                ("valid_from", "record.date_invalid"),
                ("valid_to", "record.date_invalid"),
            ]
        );
        let good = filled(
            forms::offer_form(None, today()),
            &[
                ("text", "20积分抵10元"),
                ("points", "20"),
                ("value", "10"),
                ("cap", "500"),
            ],
        );
        let o = parse_offer(&good, today()).unwrap();
        assert_eq!(
            (o.value_fen, o.monthly_cap_fen, o.note),
            (10_00, 500_00, None)
        );
    }

    #[test]
    fn a_redemption_needs_a_member_picked_and_a_count_from_one_to_ninety_nine() {
        let offers = vec![crate::app::form::Choice::text("3", "#3")];
        let mut f = forms::redeem_form(offers);
        for bad in ["", "0", "100", "x", "-1"] {
            f.set("count", bad);
            assert_eq!(
                refused(parse_redemption(&f, "u".into(), 0).unwrap_err()),
                [
                    ("member", "redeem.member_required"),
                    ("count", "redeem.count_range")
                ],
                "{bad}"
            );
        }
        f.set("count", "2");
        let label = "JS01-0001 张三丰".to_string();
        let picked = Picked {
            member_id: 1,
            label,
        };
        f.fill_member(picked);
        let r = parse_redemption(&f, "u1".into(), 7).unwrap();
        assert_eq!(
            (r.member_id, r.offer_id, r.count, r.redeemed_at),
            (1, 3, 2, 7)
        );
    }

    #[test]
    fn a_rating_is_by_a_member_picked_five_stars_unless_chosen_otherwise() {
        let mut f = forms::rate_form();
        assert_eq!(
            refused(parse_rating(&f).unwrap_err()),
            [("member", "redeem.member_required")]
        );
        let label = "#2".to_string();
        f.fill_member(Picked {
            member_id: 2,
            label,
        });
        assert_eq!(parse_rating(&f).unwrap(), (2, 5, String::new()));
        f.focus_on("stars");
        f.command(Command::ChoiceNext);
        assert_eq!(parse_rating(&f).unwrap().1, 4);
    }

    #[test]
    fn a_price_check_needs_both_prices_the_item_the_invoice_and_who_checked() {
        let f = filled(
            forms::price_form("  "),
            &[("purchase", "一百"), ("member_price", "-99")],
        );
        assert_eq!(
            refused(parse_price(&f).unwrap_err()),
            [
                ("purchase", "offer.yuan_invalid"),
                ("member_price", "offer.yuan_invalid"),
                ("item", "price.item_required"),
                ("invoice", "price.invoice_required"),
                ("checked_by", "price.checker_required"),
            ]
        );
        let f = filled(
            forms::price_form("王秀英"),
            &[
                ("item", "食用油"),
                ("purchase", "100"),
                ("member_price", "99.5"),
                ("invoice", "INV-1"),
            ],
        );
        let p = parse_price(&f).unwrap();
        assert_eq!((p.purchase_fen, p.member_fen), (100_00, 99_50));
        assert_eq!(p.checked_by, "王秀英");
    }

    #[test]
    fn a_violation_a_status_and_a_deposit_each_need_their_reason() {
        let blank = [("reason", "  ")];
        let want = [("reason", "merchant.reason_required")];
        let v = filled(forms::violation_form(), &blank);
        assert_eq!(refused(parse_violation(&v).unwrap_err()), want);
        let s = filled(forms::status_form(Status::Active), &blank);
        assert_eq!(refused(parse_status(&s).unwrap_err()), want);
        let d = filled(forms::deposit_form(), &[("amount", "0"), ("reason", "")]);
        assert_eq!(
            refused(parse_deposit(&d).unwrap_err()),
            [
                ("amount", "offer.yuan_invalid"),
                ("reason", "merchant.reason_required")
            ]
        );
        let v = filled(forms::violation_form(), &[("reason", "缺斤少两")]);
        assert_eq!(
            parse_violation(&v).unwrap(),
            (Severity::Minor, "缺斤少两".into())
        );
        let mut d = filled(
            forms::deposit_form(),
            &[("amount", "100"), ("reason", "解约")],
        );
        d.focus_on("kind");
        d.command(Command::ChoiceNext);
        assert_eq!(parse_deposit(&d).unwrap(), (true, 100_00, "解约".into()));
    }

    #[test]
    fn an_import_needs_a_file_named() {
        let mut f = forms::import_form();
        assert_eq!(
            refused(parse_import(&f).unwrap_err()),
            [("file", "import.file_required")]
        );
        f.set("file", " /tmp/log.csv ");
        assert_eq!(
            parse_import(&f).unwrap(),
            (PathBuf::from("/tmp/log.csv"), false)
        );
    }
}
