//! The merchants pane's forms as they open: a merchant's details, an offer,
//! a redemption, a rating, a price check, a violation, a change of status,
//! the deposit, a merchant's log to import. What their fields say is read
//! in `parse.rs`.

use crate::app::form::{Choice, Field, Form};
use crate::domain::merchant::{self, Kind, Status};
use crate::domain::time;
use crate::domain::violation::Severity;
use crate::store::merchants::{MerchantDetail, MerchantRow, OfferInput};
use chrono::NaiveDate;

fn kinds() -> Vec<Choice> {
    Kind::ALL
        .into_iter()
        .map(|k| Choice::key(k.as_str(), k.label_key()))
        .collect()
}

/// A merchant's details: `m`'s to change, or blank with the station's
/// community and a year's agreement from today.
pub fn merchant_form(m: Option<&MerchantRow>, community: &str, today: &str) -> Form {
    let year_later = today
        .parse::<NaiveDate>()
        .map(|d| time::add_months(d, 12).to_string())
        .unwrap_or_default();
    let mut f = Form::new(vec![
        Field::text("name", crate::k!("merchant.name"), 30),
        Field::choice("kind", crate::k!("merchant.kind"), kinds()),
        Field::text("address", crate::k!("merchant.address"), 40),
        Field::text("distance", crate::k!("merchant.distance"), 6)
            .with_hint(crate::k!("merchant.distance.hint")),
        Field::text("contact_name", crate::k!("merchant.contact_name"), 20),
        Field::text("contact_phone", crate::k!("merchant.contact_phone"), 20),
        Field::text("redeemer", crate::k!("merchant.redeemer"), 20)
            .with_hint(crate::k!("merchant.redeemer.hint")),
        Field::text("community", crate::k!("merchant.community"), 2).with_value(community),
        Field::text("from", crate::k!("merchant.agreement_from"), 10).with_value(today),
        Field::text("to", crate::k!("merchant.agreement_to"), 10).with_value(&year_later),
    ]);
    if let Some(m) = m {
        for (k, v) in [
            ("name", m.name.clone()),
            ("kind", m.kind.as_str().to_string()),
            ("address", m.address.clone()),
            ("distance", m.distance_m.to_string()),
            ("contact_name", m.contact_name.clone()),
            ("contact_phone", m.contact_phone.clone()),
            ("redeemer", m.redeemer.clone()),
            ("community", m.community.clone()),
            ("from", m.agreement_from.to_string()),
            ("to", m.agreement_to.to_string()),
        ] {
            f.set(k, &v);
        }
        f.dirty = false;
    }
    f
}

/// An offer: `o` to change, or a new one valid for three months from today.
pub fn offer_form(o: Option<&OfferInput>, today: NaiveDate) -> Form {
    let mut f = Form::new(vec![
        Field::text("text", crate::k!("offer.text"), 40).with_hint(crate::k!("offer.text.hint")),
        Field::text("points", crate::k!("offer.points"), 5),
        Field::text("value", crate::k!("offer.value"), 8).with_hint(crate::k!("offer.value.hint")),
        Field::text("valid_from", crate::k!("offer.valid_from"), 10).with_value(&today.to_string()),
        Field::text("valid_to", crate::k!("offer.valid_to"), 10)
            .with_value(&time::add_months(today, 3).to_string()),
        Field::text("cap", crate::k!("offer.cap"), 9).with_hint(crate::k!("offer.cap.hint")),
        Field::toggle("not_combined", crate::k!("offer.not_combined")),
        Field::text("note", crate::k!("offer.note"), 40),
    ]);
    if let Some(o) = o {
        f.set("text", &o.text);
        f.set("points", &o.points.to_string());
        f.set("value", &merchant::yuan(o.value_fen));
        f.set("valid_from", &o.valid_from.to_string());
        f.set("valid_to", &o.valid_to.to_string());
        f.set("cap", &merchant::yuan(o.monthly_cap_fen));
        f.set("not_combined", if o.not_combined { "1" } else { "0" });
        f.set("note", o.note.as_deref().unwrap_or(""));
        f.dirty = false;
    }
    f
}

/// The merchant's offers that can be redeemed today.
pub fn current_offers(d: &MerchantDetail, today: NaiveDate) -> Vec<Choice> {
    d.offers
        .iter()
        .filter(|o| o.current(today))
        .map(|o| {
            Choice::text(
                o.id.to_string(),
                format!(
                    "#{} {} ({}→{})",
                    o.id,
                    o.offer.text,
                    o.offer.points,
                    merchant::yuan(o.offer.value_fen)
                ),
            )
        })
        .collect()
}

/// A redemption at the desk: who, which of the `offers`, how many.
pub fn redeem_form(offers: Vec<Choice>) -> Form {
    Form::new(vec![
        Field::member("member", crate::k!("redeem.member")),
        Field::choice("offer", crate::k!("redeem.offer"), offers),
        Field::text("count", crate::k!("redeem.count"), 2).with_value("1"),
    ])
}

/// A member's stars (five first) and a note.
pub fn rate_form() -> Form {
    let stars = (1..=5)
        .rev()
        .map(|n| Choice::text(n.to_string(), "★".repeat(n)))
        .collect();
    Form::new(vec![
        Field::member("member", crate::k!("redeem.member")),
        Field::choice("stars", crate::k!("rate.stars"), stars),
        Field::text("note", crate::k!("rate.note"), 60),
    ])
}

/// A price check; `me` (who is at the desk) checked it unless changed.
pub fn price_form(me: &str) -> Form {
    Form::new(vec![
        Field::text("item", crate::k!("price.item"), 30),
        Field::text("purchase", crate::k!("price.purchase"), 9),
        Field::text("member_price", crate::k!("price.member"), 9),
        Field::text("invoice", crate::k!("price.invoice"), 30)
            .with_hint(crate::k!("price.invoice.hint")),
        Field::text("checked_by", crate::k!("price.checked_by"), 20).with_value(me),
    ])
}

pub fn violation_form() -> Form {
    let severities = [Severity::Minor, Severity::Moderate, Severity::Severe]
        .into_iter()
        .map(|s| Choice::key(s.as_str(), merchant_severity_key(s)))
        .collect();
    Form::new(vec![
        Field::choice("severity", crate::k!("violation.severity"), severities),
        Field::text("reason", crate::k!("violation.reason"), 80),
    ])
}

/// A change of status: to any but the one it has (`now`), with the reason.
pub fn status_form(now: Status) -> Form {
    let statuses = Status::ALL
        .into_iter()
        .filter(|s| *s != now)
        .map(|s| Choice::key(s.as_str(), s.label_key()))
        .collect();
    Form::new(vec![
        Field::choice("status", crate::k!("merchant.status"), statuses),
        Field::text("reason", crate::k!("merchant.status_reason"), 80),
    ])
}

pub fn deposit_form() -> Form {
    let kinds = vec![
        Choice::key("paid", crate::k!("deposit.paid")),
        Choice::key("refund", crate::k!("deposit.refund")),
    ];
    Form::new(vec![
        Field::choice("kind", crate::k!("deposit.kind"), kinds),
        Field::text("amount", crate::k!("deposit.amount"), 9),
        Field::text("reason", crate::k!("deposit.reason"), 60),
    ])
}

/// A merchant's log file, and whether to post only its valid lines.
pub fn import_form() -> Form {
    Form::new(vec![
        Field::text("file", crate::k!("import.file"), 200).with_hint(crate::k!("import.file.hint")),
        Field::toggle("valid_only", crate::k!("import.valid_only")),
    ])
}

/// The merchant violations' names say what each does.
pub fn merchant_severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Minor => crate::k!("merchant.violation.minor"),
        Severity::Moderate => crate::k!("merchant.violation.moderate"),
        Severity::Severe => crate::k!("merchant.violation.severe"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_new_merchant_gets_the_stations_community_and_a_years_agreement() {
        let f = merchant_form(None, "07", "2026-11-20");
        assert_eq!(
            (f.value("community"), f.value("from"), f.value("to")),
            ("07", "2026-11-20", "2027-11-20")
        );
        assert!(!f.dirty);
    }

    #[test]
    fn an_offer_to_change_opens_with_its_values_in_yuan_and_unchanged() {
        let o = OfferInput {
            text: "20积分抵10元".into(),
            points: 20,
            value_fen: 10_00,
            valid_from: day("2026-11-01"),
            valid_to: day("2027-01-31"),
            monthly_cap_fen: 500_50,
            not_combined: true,
            note: None,
        };
        let f = offer_form(Some(&o), day("2026-11-20"));
        assert_eq!(
            (f.value("value"), f.value("cap"), f.on("not_combined")),
            ("10", "500.50", true)
        );
        assert!(!f.dirty, "nothing typed yet");
        let blank = offer_form(None, day("2026-11-30"));
        assert_eq!(blank.value("valid_to"), "2027-02-28");
    }

    #[test]
    fn a_status_is_changed_to_another_one_only() {
        let f = status_form(Status::Active);
        let Some(crate::app::form::FieldKind::Choice { options, .. }) =
            f.get("status").map(|x| &x.kind)
        else {
            panic!("a choice");
        };
        assert!(options.iter().all(|c| c.value != Status::Active.as_str()));
        assert_eq!(options.len(), Status::ALL.len() - 1);
    }
}
