//! The members pane's forms and the parsers that read them: every wrong
//! field refused at its line, every problem at once, nothing sent.

use crate::app::form::{Choice, Field, Form};
use crate::domain::member::{self, IdKind};
use crate::domain::staff;
use crate::exports::printed::Printable;
use crate::msg;
use crate::msg::Refusal;
use crate::store::members::NewMember;
use crate::store::standing::Severity;

/// The registration form. `catalog` gives the service options; the
/// community is asked only at a main station (a micro station's members
/// are all its own community's).
pub fn register_form(catalog: &[Choice], community: &str, main_station: bool) -> Form {
    let mut f = Form::new(vec![
        Field::text("name", crate::k!("reg.name"), 20),
        Field::text("phone", crate::k!("reg.phone"), 15),
        Field::choice(
            "id_kind",
            crate::k!("reg.id_kind"),
            vec![
                Choice::key("id_card", crate::k!("reg.id_kind.id_card")),
                Choice::key("household", crate::k!("reg.id_kind.household")),
            ],
        ),
        Field::identity("id_number", crate::k!("reg.id_number"), 20)
            .with_hint(crate::k!("reg.id_number.hint")),
        Field::choice(
            "residence",
            crate::k!("reg.residence"),
            vec![
                Choice::key("property", crate::k!("reg.residence.property")),
                Choice::key("rent", crate::k!("reg.residence.rent")),
                Choice::key("other", crate::k!("reg.residence.other")),
            ],
        ),
        Field::text("community", crate::k!("reg.community"), 2).with_value(community),
        Field::text("building", crate::k!("reg.building"), 30)
            .with_hint(crate::k!("reg.building.hint")),
        Field::multi("offers", crate::k!("reg.offers"), catalog.to_vec()),
        Field::multi("needs", crate::k!("reg.needs"), catalog.to_vec()),
        Field::text("emergency_name", crate::k!("reg.emergency_name"), 20),
        Field::text("emergency_phone", crate::k!("reg.emergency_phone"), 15),
        Field::toggle("family", crate::k!("reg.family")),
        Field::toggle("confirmed", crate::k!("reg.confirmed")),
        Field::member("recommender", crate::k!("reg.recommender"))
            .with_hint(crate::k!("reg.recommender.hint")),
        Field::toggle("recommender_signed", crate::k!("reg.recommender_signed")),
        Field::text("note", crate::k!("reg.note"), 60),
    ]);
    f.set_visible("community", main_station);
    f
}

/// Check the registration form field by field; every problem at once.
///
/// Over 80 lines: one step per field of the paper form, in its order, so
/// each refusal lands at its line; splitting it would only scatter them.
pub fn validate_register(f: &Form) -> Result<NewMember, Vec<Refusal>> {
    let mut errs = Vec::new();
    let name = staff::parse_person_name("name", f.value("name"))
        .map_err(|e| errs.push(e))
        .ok();
    let phone = member::parse_phone("phone", f.value("phone"))
        .map_err(|e| errs.push(e))
        .ok();
    let id_kind = IdKind::parse(f.value("id_kind")).unwrap_or(IdKind::IdCard);
    let id_number = member::parse_identity(id_kind, f.value("id_number"))
        .map_err(|e| errs.push(e))
        .ok();
    let community = crate::domain::station::parse_community_code(f.value("community"))
        .map_err(|e| errs.push(Refusal::at("community", e.msg)))
        .ok();
    let building = member::parse_building(f.value("building"))
        .map_err(|e| errs.push(e))
        .ok();
    let emergency_name = staff::parse_person_name("emergency_name", f.value("emergency_name"))
        .map_err(|e| errs.push(e))
        .ok();
    let emergency_phone = member::parse_phone("emergency_phone", f.value("emergency_phone"))
        .map_err(|e| errs.push(e))
        .ok();
    if phone.is_some() && phone == emergency_phone {
        errs.push(Refusal::at(
            "emergency_phone",
            msg!("reg.emergency_same_phone"),
        ));
    }
    let family = f.on("family");
    let confirmed = f.on("confirmed");
    if family && !confirmed {
        errs.push(Refusal::at("confirmed", msg!("reg.family_needs_confirm")));
    }
    let recommender = f.member("recommender");
    let typed_but_not_picked = recommender.is_none()
        && !f
            .get("recommender")
            .map(|x| x.input.value().trim().is_empty())
            .unwrap_or(true);
    if typed_but_not_picked {
        errs.push(Refusal::at("recommender", msg!("reg.recommender_pick")));
    }
    let signed = f.on("recommender_signed");
    if recommender.is_some() && !signed {
        errs.push(Refusal::at(
            "recommender_signed",
            msg!("reg.recommender_must_sign"),
        ));
    }
    let ids = |name: &str| -> Vec<i64> {
        f.get(name)
            .map(|x| x.ticked().iter().filter_map(|v| v.parse().ok()).collect())
            .unwrap_or_default()
    };
    let offers = ids("offers");
    let needs = ids("needs");
    if offers.is_empty() && needs.is_empty() {
        errs.push(Refusal::at("offers", msg!("reg.intent_required")));
    }
    let note = Some(f.value("note").trim().to_string()).filter(|s| !s.is_empty());
    match (
        name,
        phone,
        id_number,
        community,
        building,
        emergency_name,
        emergency_phone,
    ) {
        (
            Some(name),
            Some(phone),
            Some(id_number),
            Some(community),
            Some(building),
            Some(en),
            Some(ep),
        ) if errs.is_empty() => Ok(NewMember {
            name,
            phone,
            id_kind,
            id_number,
            residence_proof: f.value("residence").to_string(),
            community,
            building,
            emergency_name: en,
            emergency_phone: ep,
            filled_by_family: family,
            applicant_confirmed: confirmed,
            offers,
            needs,
            recommender,
            recommender_signed: signed,
            note,
            online: false,
        }),
        _ => Err(errs),
    }
}

/// Approving an application: the note says how it was checked (required
/// when no member recommends the applicant).
pub fn approve_form(has_recommender: bool) -> Form {
    let hint = if has_recommender {
        crate::k!("review.note.hint")
    } else {
        crate::k!("review.note.no_recommender")
    };
    Form::new(vec![
        Field::text("note", crate::k!("review.note"), 60).with_hint(hint),
    ])
}

/// The note of an approval, trimmed.
pub fn parse_approve(f: &Form, has_recommender: bool) -> Result<String, Vec<Refusal>> {
    let note = f.value("note").trim().to_string();
    if !has_recommender && note.is_empty() {
        return Err(vec![Refusal::at("note", msg!("review.note_required"))]);
    }
    Ok(note)
}

/// Rejecting an application: the reason the applicant is told, and whether
/// the identity was found false (then the person may never apply again; a
/// plain rejection may).
pub fn reject_form() -> Form {
    Form::new(vec![
        Field::text("reason", crate::k!("review.reason"), 60),
        Field::toggle("false_identity", crate::k!("review.false_identity"))
            .with_hint(crate::k!("review.false_identity.hint")),
    ])
}

/// The reason of a rejection, trimmed (it may not be empty), and whether
/// the identity was false.
pub fn parse_reject(f: &Form) -> Result<(String, bool), Vec<Refusal>> {
    let reason = f.value("reason").trim().to_string();
    if reason.is_empty() {
        return Err(vec![Refusal::at("reason", msg!("review.reason_required"))]);
    }
    Ok((reason, f.on("false_identity")))
}

/// The applicant told the decision: a note, prefilled with the usual one
/// (`default`, in the desk's language).
pub fn call_form(default: &str) -> Form {
    Form::new(vec![
        Field::text("note", crate::k!("review.call_note"), 60).with_value(default),
        // the applicant's number, once it comes
        Field::shown("phone", crate::k!("call.phone"), "…"),
    ])
}

/// A time card: its serial, and the reason a valid card held is replaced
/// (asked only when there is one).
pub fn card_form(replaces: bool) -> Form {
    let mut f = Form::new(vec![
        Field::text("serial", crate::k!("card.serial"), 20)
            .with_hint(crate::k!("card.serial.hint")),
        Field::text("reason", crate::k!("card.replace_reason"), 40),
    ]);
    f.set_visible("reason", replaces);
    f
}

/// The card's serial, and the replacement reason if one was given.
pub fn parse_card(f: &Form) -> Result<(String, Option<String>), Vec<Refusal>> {
    let serial = member::parse_card_serial(f.value("serial")).map_err(|e| vec![e])?;
    let reason = Some(f.value("reason").trim().to_string()).filter(|r| !r.is_empty());
    Ok((serial, reason))
}

/// An honor member's heir: name, relation, phone (checked by the store,
/// which knows the member).
pub fn heir_form() -> Form {
    Form::new(vec![
        Field::text("heir_name", crate::k!("heir.name"), 20),
        Field::text("relation", crate::k!("heir.relation"), 10),
        Field::text("heir_phone", crate::k!("heir.phone"), 15),
    ])
}

/// A violation: how severe, and why.
pub fn violation_form() -> Form {
    let sev = vec![
        Choice::key("minor", Severity::Minor.label_key()),
        Choice::key("moderate", Severity::Moderate.label_key()),
        Choice::key("severe", Severity::Severe.label_key()),
    ];
    Form::new(vec![
        Field::choice("severity", crate::k!("violation.severity"), sev),
        Field::text("reason", crate::k!("violation.reason"), 60),
    ])
}

/// The severity and reason of a violation; only a station master records
/// more than a minor one.
pub fn parse_violation(f: &Form, master: bool) -> Result<(Severity, String), Vec<Refusal>> {
    let mut errs = Vec::new();
    let severity = Severity::parse(f.value("severity")).unwrap_or(Severity::Minor);
    let reason = f.value("reason").trim().to_string();
    if reason.is_empty() {
        errs.push(Refusal::at("reason", msg!("violation.reason_required")));
    }
    if severity != Severity::Minor && !master {
        errs.push(Refusal::at("severity", msg!("violation.master_only")));
    }
    if errs.is_empty() {
        Ok((severity, reason))
    } else {
        Err(errs)
    }
}

/// What `p` prints for a member (`member`: who, else only the blank
/// forms): the application and commitment filled from the registration,
/// the service record page, the statement in large type, the card sheet.
pub fn print_form(member: Option<i64>) -> Form {
    let blanks = [
        (
            "blank_application",
            crate::k!("print.what.blank_application"),
        ),
        ("blank_commitment", crate::k!("print.what.blank_commitment")),
    ];
    let filled = [
        ("application", crate::k!("print.what.application")),
        ("commitment", crate::k!("print.what.commitment")),
        ("records", crate::k!("print.what.records")),
        ("statement", crate::k!("print.what.statement")),
        ("card", crate::k!("print.what.card")),
    ];
    let choices = filled
        .iter()
        .filter(|_| member.is_some())
        .chain(blanks.iter())
        .map(|(v, k)| Choice::key(v, k))
        .collect();
    Form::new(vec![Field::choice(
        "what",
        crate::k!("print.what"),
        choices,
    )])
}

/// What the print form asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberPrint {
    Page(Printable),
    /// The card sheet (text with its QR code), as before.
    Card(i64),
}

/// Read the print form for `member` (none: the blank forms only).
pub fn parse_print(f: &Form, member: Option<i64>) -> Result<MemberPrint, Vec<Refusal>> {
    let page = |p| Ok(MemberPrint::Page(p));
    match (f.value("what"), member) {
        ("blank_application", _) => page(Printable::BlankApplication),
        ("blank_commitment", _) => page(Printable::BlankCommitment),
        ("application", Some(member_id)) => page(Printable::Application { member_id }),
        ("commitment", Some(member_id)) => page(Printable::Commitment { member_id }),
        ("records", Some(member_id)) => page(Printable::ServiceRecords { member_id }),
        ("statement", Some(member_id)) => page(Printable::Statement { member_id }),
        ("card", Some(member_id)) => Ok(MemberPrint::Card(member_id)),
        _ => Err(vec![Refusal::at("what", msg!("print.nothing_selected"))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_print_form_offers_a_members_papers_only_for_a_member() {
        let f = print_form(Some(7));
        assert_eq!(f.value("what"), "application");
        assert_eq!(
            parse_print(&f, Some(7)),
            Ok(MemberPrint::Page(Printable::Application { member_id: 7 }))
        );
        let mut f = print_form(None);
        assert_eq!(f.value("what"), "blank_application");
        assert_eq!(
            parse_print(&f, None),
            Ok(MemberPrint::Page(Printable::BlankApplication))
        );
        // the blank form has no member's papers to choose
        f.set("what", "statement");
        assert_eq!(f.value("what"), "blank_application");
        // a member's paper with no member: refused at its line
        let mut f = print_form(Some(7));
        f.set("what", "statement");
        assert_eq!(
            parse_print(&f, Some(7)),
            Ok(MemberPrint::Page(Printable::Statement { member_id: 7 }))
        );
        let e = parse_print(&f, None).unwrap_err();
        assert_eq!(e[0].field, Some("what"));
    }

    fn filled() -> Form {
        let choices = vec![Choice::text("1", "陪聊"), Choice::text("2", "代购")];
        let mut f = register_form(&choices, "01", false);
        for (k, v) in [
            ("name", "张三"),
            ("phone", "13812345678"),
            ("id_number", "11010519491231002X"),
            ("building", "3栋2单元"),
            ("emergency_name", "张小三"),
            ("emergency_phone", "13900001111"),
            ("offers", "1"),
        ] {
            f.set(k, v);
        }
        f
    }

    fn fields(errs: &[Refusal]) -> Vec<&'static str> {
        errs.iter().filter_map(|e| e.field).collect()
    }

    #[test]
    fn a_good_registration_passes() {
        let m = validate_register(&filled()).unwrap();
        assert_eq!(m.offers, vec![1]);
        assert_eq!(m.community, "01");
        assert_eq!(m.recommender, None);
    }

    #[test]
    fn bad_fields_are_all_reported() {
        let mut f = filled();
        f.set("name", "  ");
        f.set("phone", "12345");
        f.set("id_number", "110105194912310021");
        f.set("family", "1");
        f.set("offers", "");
        let errs = validate_register(&f).unwrap_err();
        assert_eq!(
            fields(&errs),
            vec!["name", "phone", "id_number", "confirmed", "offers"]
        );
    }

    #[test]
    fn a_typed_recommender_must_be_picked() {
        let mut f = filled();
        f.set("recommender", "张");
        let errs = validate_register(&f).unwrap_err();
        assert_eq!(errs[0].field, Some("recommender"));
    }

    #[test]
    fn the_emergency_contact_needs_a_phone_of_their_own() {
        let mut f = filled();
        f.set("emergency_phone", "13812345678");
        let errs = validate_register(&f).unwrap_err();
        assert_eq!(fields(&errs), ["emergency_phone"]);
        assert_eq!(errs[0].msg.key, "reg.emergency_same_phone");
    }

    #[test]
    fn an_approval_without_a_recommender_needs_a_note() {
        let f = approve_form(false);
        let errs = parse_approve(&f, false).unwrap_err();
        assert_eq!(errs[0].field, Some("note"));
        assert_eq!(errs[0].msg.key, "review.note_required");
        assert_eq!(parse_approve(&f, true).unwrap(), "");
        let mut f = approve_form(false);
        f.set("note", "  电话核实邻居 ");
        assert_eq!(parse_approve(&f, false).unwrap(), "电话核实邻居");
    }

    #[test]
    fn a_rejection_says_why() {
        let mut f = reject_form();
        f.set("reason", "   ");
        let errs = parse_reject(&f).unwrap_err();
        assert_eq!(errs[0].msg.key, "review.reason_required");
        f.set("reason", " 材料不全 ");
        assert_eq!(parse_reject(&f).unwrap(), ("材料不全".into(), false));
        f.set("false_identity", "1");
        assert_eq!(parse_reject(&f).unwrap(), ("材料不全".into(), true));
    }

    #[test]
    fn a_card_needs_a_serial_the_reason_is_optional() {
        let mut f = card_form(true);
        let errs = parse_card(&f).unwrap_err();
        assert_eq!(errs[0].field, Some("serial"));
        f.set("serial", "  ");
        assert!(parse_card(&f).is_err());
        f.set("serial", "C0001");
        let (serial, reason) = parse_card(&f).unwrap();
        assert_eq!((serial.as_str(), reason), ("C0001", None));
        f.set("reason", " 丢失 ");
        assert_eq!(parse_card(&f).unwrap().1.as_deref(), Some("丢失"));
        assert!(!card_form(false).get("reason").unwrap().visible);
    }

    #[test]
    fn a_violation_needs_a_reason_and_more_than_minor_a_master() {
        let mut f = violation_form();
        let errs = parse_violation(&f, true).unwrap_err();
        assert_eq!(fields(&errs), ["reason"]);
        f.set("severity", "severe");
        let errs = parse_violation(&f, false).unwrap_err();
        assert_eq!(fields(&errs), ["reason", "severity"]);
        assert_eq!(errs[1].msg.key, "violation.master_only");
        f.set("reason", " 辱骂工作人员 ");
        assert_eq!(
            parse_violation(&f, true).unwrap(),
            (Severity::Severe, "辱骂工作人员".to_string())
        );
        f.set("severity", "minor");
        assert_eq!(parse_violation(&f, false).unwrap().0, Severity::Minor);
    }
}
