//! The disputes pane's forms and what each one's fields say: the intake of
//! a dispute or a suggestion, a contact with a party, a safety report or
//! its review, the decision, telling the parties, the reply to a
//! suggestion. Pure: what the form alone can tell is refused at its line;
//! the store checks the rest.

use crate::app::form::{Choice, Field, Form};
use crate::domain::dispute::{self, Category, Outcome};
use crate::domain::time;
use crate::i18n::Tr;
use crate::msg;
use crate::msg::Refusal;
use crate::store::disputes::{Channel, Decision, DisputeRow, NewDispute};
use crate::store::records::RecordRow;
use crate::store::standing::Severity;

fn channels() -> Vec<Choice> {
    Channel::ALL
        .into_iter()
        .map(|c| Choice::key(c.as_str(), c.label_key()))
        .collect()
}

pub fn dispute_form() -> Form {
    let mut f = Form::new(vec![
        Field::choice(
            "category",
            crate::k!("dispute.category"),
            Category::ALL
                .into_iter()
                .map(|c| Choice::key(c.as_str(), c.label_key()))
                .collect(),
        ),
        Field::choice("channel", crate::k!("dispute.channel"), channels()),
        Field::member("party_a", crate::k!("dispute.party_a")),
        Field::choice(
            "merchant",
            crate::k!("dispute.merchant"),
            merchant_choices(&[]),
        )
        .with_hint(crate::k!("dispute.merchant.hint")),
        Field::member("party_b", crate::k!("dispute.party_b")),
        Field::choice(
            "record",
            crate::k!("dispute.record"),
            vec![Choice::key("", crate::k!("dispute.no_record"))],
        ),
        Field::text("subject", crate::k!("dispute.subject"), 80),
        Field::text("reported_by", crate::k!("dispute.reported_by"), 20)
            .with_hint(crate::k!("dispute.reported_by.hint")),
    ]);
    intake_visibility(&mut f);
    f
}

/// The merchants a complaint may name, after "(a member)"; each with its
/// verified complaints so far.
pub fn merchant_choices(merchants: &[(i64, String, u32)]) -> Vec<Choice> {
    let mut v = vec![Choice::key("", crate::k!("dispute.no_merchant"))];
    v.extend(merchants.iter().map(|(id, name, n)| {
        Choice::text(
            id.to_string(),
            format!("{name} ({n}/{})", dispute::MERCHANT_COMPLAINTS_END),
        )
    }));
    v
}

/// The merchant shows for a merchant complaint; a complaint against a
/// merchant names no second member and no service.
pub fn intake_visibility(f: &mut Form) {
    let category = f.value("category") == Category::Merchant.as_str();
    let merchant = category && !f.value("merchant").is_empty();
    f.set_visible("merchant", category);
    f.set_visible("party_b", !merchant);
    f.set_visible("record", !merchant);
}

pub fn suggestion_form() -> Form {
    Form::new(vec![
        Field::choice("channel", crate::k!("dispute.channel"), channels()),
        Field::member("party_a", crate::k!("dispute.suggested_by"))
            .with_hint(crate::k!("dispute.suggested_by.hint")),
        Field::text("subject", crate::k!("dispute.suggestion_text"), 80),
        Field::text("reported_by", crate::k!("dispute.reported_by"), 20),
    ])
}

/// A party's name as the case has it (empty if none).
fn name(p: &Option<(i64, String, String)>) -> String {
    p.as_ref().map(|x| x.1.clone()).unwrap_or_default()
}

/// The other side's name: the merchant of a merchant case, else party b.
fn other_side(d: &DisputeRow) -> String {
    match &d.merchant {
        Some((_, merchant, _)) => merchant.clone(),
        None => name(&d.party_b),
    }
}

/// A contact with party a, party b or someone else.
pub fn contact_form(d: &DisputeRow) -> Form {
    let parties = vec![
        Choice::text("a", name(&d.party_a)),
        Choice::text("b", other_side(d)),
        Choice::key("other", crate::k!("dispute.other_party")),
    ];
    let how = ["phone", "visit", "desk", "app"]
        .into_iter()
        .map(|h| Choice::key(h, crate::domain::dispute::contact_how_key(h)))
        .collect();
    Form::new(vec![
        Field::choice("party", crate::k!("dispute.party"), parties),
        Field::choice("how", crate::k!("dispute.how"), how),
        Field::text("said", crate::k!("dispute.said"), 80),
        // the chosen party's number, once it comes
        Field::shown("phone", crate::k!("call.phone"), "…"),
    ])
}

/// To whom at headquarters a safety case was reported, or its review.
pub fn safety_form(review: bool) -> Form {
    let label = if review {
        crate::k!("dispute.review")
    } else {
        crate::k!("dispute.hq_to")
    };
    Form::new(vec![Field::text("text", label, 80)])
}

pub fn decide_form(d: &DisputeRow) -> Form {
    let outcomes = Outcome::choices(d.merchant.is_some())
        .into_iter()
        .map(|o| Choice::key(o.as_str(), o.label_key()))
        .collect();
    let severities = [Severity::Minor, Severity::Moderate, Severity::Severe]
        .into_iter()
        .map(|s| Choice::key(s.as_str(), s.label_key()))
        .collect();
    let targets = vec![
        Choice::text("a", name(&d.party_a)),
        Choice::text("b", name(&d.party_b)),
    ];
    let mut f = Form::new(vec![
        Field::choice("outcome", crate::k!("dispute.outcome"), outcomes),
        Field::text("split", crate::k!("dispute.split"), 4)
            .with_value("50")
            .with_hint(crate::k!("dispute.split.hint")),
        Field::choice("severity", crate::k!("violation.severity"), severities),
        Field::choice("target", crate::k!("dispute.target"), targets),
        Field::text("over_minutes", crate::k!("dispute.over_minutes"), 4)
            .with_hint(crate::k!("dispute.over_minutes.hint")),
        Field::text("pause_days", crate::k!("dispute.pause_days"), 2).with_value("3"),
        Field::text("deposit", crate::k!("dispute.deposit"), 8).with_value("200"),
        Field::text("reason", crate::k!("dispute.reason"), 80),
    ]);
    decide_visibility(&mut f);
    f
}

/// The split shows for a mediation, severity and target for a violation,
/// the minutes over-reported for a moderate one; a suspension's days and
/// a deposit deduction's yuan for those merchant outcomes.
pub fn decide_visibility(f: &mut Form) {
    let o = Outcome::parse(f.value("outcome")).unwrap_or(Outcome::ProviderFault);
    f.set_visible("split", o == Outcome::Mediated);
    f.set_visible("severity", o == Outcome::Violation);
    f.set_visible("target", o == Outcome::Violation);
    let moderate = o == Outcome::Violation && f.value("severity") == "moderate";
    f.set_visible("over_minutes", moderate);
    f.set_visible("pause_days", o == Outcome::MerchantSuspension);
    f.set_visible("deposit", o == Outcome::MerchantDeposit);
}

/// Why a decided case is a verified serious complaint.
pub fn serious_form() -> Form {
    Form::new(vec![Field::text(
        "reason",
        crate::k!("dispute.serious_reason"),
        80,
    )])
}

/// How the parties were told; `told` is the usual way, in the UI language.
pub fn tell_form(told: &str) -> Form {
    Form::new(vec![
        Field::text("how", crate::k!("dispute.told_how"), 60).with_value(told),
    ])
}

pub fn reply_form() -> Form {
    Form::new(vec![Field::text("reply", crate::k!("dispute.reply"), 80)])
}

/// The services between the parties, newest first, to pick the one the
/// dispute is about (or none).
pub fn record_choices(tr: &Tr, rows: &[RecordRow], tz: chrono_tz::Tz) -> Vec<Choice> {
    let mut v = vec![Choice::key("", crate::k!("dispute.no_record"))];
    v.extend(rows.iter().map(|r| {
        Choice::text(
            r.id.to_string(),
            format!(
                "#{} {} {}→{} {}{}",
                r.id,
                time::fmt_local(r.started_at, tz, "%m-%d"),
                r.provider,
                r.recipient,
                r.minutes,
                tr.t("unit.min")
            ),
        )
    }));
    v
}

/// A dispute or a suggestion as taken in. A suggestion's "from" may be
/// empty, but a name typed and not picked would be dropped silently, so it
/// is refused.
pub fn parse_intake(f: &Form, suggestion: bool) -> Result<NewDispute, Vec<Refusal>> {
    if suggestion && f.typed_not_picked("party_a") {
        return Err(vec![Refusal::at("party_a", msg!("form.pick_member"))]);
    }
    let text = |name: &str| f.value(name).trim().to_string();
    let merchant: Option<i64> = if suggestion || f.value("category") != Category::Merchant.as_str()
    {
        None
    } else {
        f.value("merchant").parse().ok()
    };
    Ok(NewDispute {
        suggestion,
        channel: Channel::parse(f.value("channel")).unwrap_or(Channel::Desk),
        category: if suggestion {
            None
        } else {
            Category::parse(f.value("category"))
        },
        party_a: f.member("party_a"),
        party_b: if suggestion || merchant.is_some() {
            None
        } else {
            f.member("party_b")
        },
        record_id: if merchant.is_some() {
            None
        } else {
            f.value("record").parse().ok()
        },
        merchant,
        subject: text("subject"),
        reported_by: text("reported_by"),
    })
}

/// The decision. A mediation, and a violation above minor, are the station
/// master's (`master`): refused at the field that makes it so.
pub fn parse_decision(f: &Form, master: bool) -> Result<Decision, Vec<Refusal>> {
    let outcome = Outcome::parse(f.value("outcome")).unwrap_or(Outcome::Dismissed);
    let split = if outcome == Outcome::Mediated {
        Some(dispute::parse_split(f.value("split")).map_err(|e| vec![e])?)
    } else {
        None
    };
    let violation = outcome == Outcome::Violation;
    let over_minutes = match f.value("over_minutes").trim() {
        "" => None,
        typed if violation && f.value("severity") == "moderate" => {
            Some(dispute::parse_over_minutes(typed).map_err(|e| vec![e])?)
        }
        _ => None,
    };
    let pause_days = if outcome == Outcome::MerchantSuspension {
        Some(dispute::parse_pause_days(f.value("pause_days")).map_err(|e| vec![e])?)
    } else {
        None
    };
    let deposit_fen = if outcome == Outcome::MerchantDeposit {
        Some(dispute::parse_deposit(f.value("deposit")).map_err(|e| vec![e])?)
    } else {
        None
    };
    let needs_master = matches!(
        outcome,
        Outcome::Mediated | Outcome::MerchantSuspension | Outcome::MerchantDeposit
    ) || (violation && f.value("severity") != "minor");
    if needs_master && !master {
        let field = if violation { "severity" } else { "outcome" };
        return Err(vec![Refusal::at(
            field,
            msg!("dispute.master_only_outcome"),
        )]);
    }
    let text = |name: &str| f.value(name).trim().to_string();
    Ok(Decision {
        outcome,
        split_pct: split,
        severity: violation.then(|| text("severity")),
        target: violation.then(|| text("target")),
        reason: text("reason"),
        over_minutes,
        pause_days,
        deposit_fen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Command;
    use crate::app::form::Picked;

    fn pick(f: &mut Form, field: &str, member_id: i64) {
        let label = format!("#{member_id}");
        if let Some(x) = f.field_mut(field) {
            x.pick(Picked { member_id, label });
        }
    }

    fn key(errs: &[Refusal]) -> Vec<(Option<&str>, &str)> {
        errs.iter().map(|r| (r.field, r.msg.key)).collect()
    }

    #[test]
    fn a_dispute_taken_in_carries_both_parties_the_service_and_trimmed_text() {
        let mut f = dispute_form();
        pick(&mut f, "party_a", 1);
        pick(&mut f, "party_b", 2);
        f.set_choices("record", vec![Choice::text("7", "#7")]);
        f.set("subject", "  迟到半小时 ");
        f.set("reported_by", "本人");
        let d = parse_intake(&f, false).unwrap();
        assert_eq!(
            (d.party_a, d.party_b, d.record_id, d.category),
            (Some(1), Some(2), Some(7), Some(Category::ALL[0]))
        );
        assert_eq!(
            (d.subject.as_str(), d.channel),
            ("迟到半小时", Channel::ALL[0])
        );
    }

    #[test]
    fn a_merchant_complaint_names_the_merchant_instead_of_a_member() {
        let mut f = dispute_form();
        assert!(
            !f.get("merchant").unwrap().visible,
            "only for merchant complaints"
        );
        f.set("category", "merchant");
        intake_visibility(&mut f);
        assert!(f.get("merchant").unwrap().visible);
        let choices = merchant_choices(&[(5, "惠民超市".into(), 2)]);
        assert_eq!(choices[1], Choice::text("5", "惠民超市 (2/3)"));
        f.set_choices("merchant", choices);
        f.set("merchant", "5");
        intake_visibility(&mut f);
        assert!(!f.get("party_b").unwrap().visible && !f.get("record").unwrap().visible);
        pick(&mut f, "party_a", 1);
        pick(&mut f, "party_b", 2);
        f.set("subject", "会员价虚高");
        f.set("reported_by", "本人");
        let d = parse_intake(&f, false).unwrap();
        assert_eq!((d.merchant, d.party_b, d.record_id), (Some(5), None, None));
        // back to a quality case: the merchant picked before is not sent
        f.set("category", "quality");
        assert_eq!(parse_intake(&f, false).unwrap().merchant, None);
    }

    #[test]
    fn a_suggestion_from_a_name_typed_but_not_picked_is_refused_at_it() {
        let mut f = suggestion_form();
        f.set("party_a", "zsf");
        f.set("subject", "希望周末也开门");
        let errs = parse_intake(&f, true).unwrap_err();
        assert_eq!(key(&errs), [(Some("party_a"), "form.pick_member")]);
        f.set("party_a", "");
        let d = parse_intake(&f, true).unwrap();
        assert!(d.suggestion && d.party_a.is_none() && d.category.is_none());
    }

    /// The decide form with `outcome` chosen.
    fn decide(outcome: Outcome) -> Form {
        let mut f = decide_form(&crate::app::panes::disputes::tests::case(1, false));
        while f.value("outcome") != outcome.as_str() {
            f.focus_on("outcome");
            f.command(Command::ChoiceNext);
        }
        decide_visibility(&mut f);
        f
    }

    #[test]
    fn a_mediation_needs_a_split_of_at_most_a_hundred_and_a_station_master() {
        let mut f = decide(Outcome::Mediated);
        assert!(f.get("split").is_some_and(|x| x.visible));
        for bad in ["101", "half", "-5", ""] {
            f.set("split", bad);
            let errs = parse_decision(&f, true).unwrap_err();
            assert_eq!(
                key(&errs),
                [(Some("split"), "dispute.split_range")],
                "{bad}"
            );
        }
        f.set("split", "30%");
        let errs = parse_decision(&f, false).unwrap_err();
        assert_eq!(
            key(&errs),
            [(Some("outcome"), "dispute.master_only_outcome")]
        );
        assert_eq!(parse_decision(&f, true).unwrap().split_pct, Some(30));
    }

    #[test]
    fn a_violation_above_minor_is_the_masters_and_names_its_severity_and_target() {
        let mut f = decide(Outcome::Violation);
        assert!(f.get("target").is_some_and(|x| x.visible));
        assert!(!f.get("split").is_some_and(|x| x.visible));
        let d = parse_decision(&f, false).unwrap();
        assert_eq!(
            (d.severity.as_deref(), d.target.as_deref(), d.split_pct),
            (Some("minor"), Some("a"), None)
        );
        f.focus_on("severity");
        f.command(Command::ChoiceNext);
        let errs = parse_decision(&f, false).unwrap_err();
        assert_eq!(
            key(&errs),
            [(Some("severity"), "dispute.master_only_outcome")]
        );
        assert!(parse_decision(&f, true).is_ok());
    }

    #[test]
    fn record_choices_start_with_none_and_name_each_service_in_station_time() {
        let row = RecordRow {
            id: 7,
            uid: "r7".into(),
            provider_id: 1,
            provider: "张三丰".into(),
            recipient_id: 2,
            recipient: "李奶奶".into(),
            type_id: 1,
            // 2026-11-26 23:30 UTC is the 27th in Shanghai
            started_at: 1_795_735_800_000,
            ended_at: 1_795_739_400_000,
            minutes: 60,
            points: 60,
            payer: crate::domain::record::Payer::Recipient,
            method: crate::domain::record::ConfirmMethod::Desk,
            rating: None,
            reversed: 0,
        };
        let tr = Tr::new(crate::i18n::Lang::En);
        let c = record_choices(&tr, &[row], chrono_tz::Asia::Shanghai);
        assert_eq!(c[0], Choice::key("", "dispute.no_record"));
        let unit = tr.t("unit.min");
        assert_eq!(
            c[1],
            Choice::text("7", format!("#7 11-27 张三丰→李奶奶 60{unit}"))
        );
    }
}
