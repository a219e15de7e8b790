//! The settings pane's forms and what each parses into: a staff member, a
//! new PIN, a service type, an item of the opening checklist. Every wrong
//! field is refused at its line.

use crate::app::form::{Choice, Field, Form};
use crate::domain::level::Tier;
use crate::domain::staff::{self, PIN_MAX, Role};
use crate::msg;
use crate::msg::Refusal;
use crate::store::days::{ChecklistInput, ChecklistItem};

/// A staff member as the add form gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

/// A service type as its form gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewServiceType {
    pub name_zh: String,
    pub name_en: String,
    pub tier: Tier,
}

fn role_choices() -> Vec<Choice> {
    vec![
        Choice::key("liaison", Role::Liaison.label_key()),
        Choice::key("master", Role::Master.label_key()),
    ]
}

pub fn add_staff_form() -> Form {
    Form::new(vec![
        Field::text("name", crate::k!("staff.name"), 20),
        Field::choice("role", crate::k!("staff.role"), role_choices()),
        Field::secret("pin", crate::k!("staff.pin"), PIN_MAX + 4)
            .with_hint(crate::k!("setup.pin.hint")),
        Field::secret("pin2", crate::k!("setup.pin2"), PIN_MAX + 4),
    ])
}

pub fn reset_pin_form() -> Form {
    Form::new(vec![
        Field::secret("pin", crate::k!("staff.new_pin"), PIN_MAX + 4)
            .with_hint(crate::k!("setup.pin.hint")),
        Field::secret("pin2", crate::k!("setup.pin2"), PIN_MAX + 4),
    ])
}

pub fn service_type_form() -> Form {
    let tiers = vec![
        Choice::key("basic", Tier::Basic.label_key()),
        Choice::key("special", Tier::Special.label_key()),
    ];
    Form::new(vec![
        Field::text("name_zh", crate::k!("catalog.name_zh"), 12),
        Field::text("name_en", crate::k!("catalog.name_en"), 30),
        Field::choice("tier", crate::k!("catalog.tier"), tiers),
    ])
}

/// The PIN typed twice: a good PIN, the same both times.
fn check_new_pin(f: &Form, errs: &mut Vec<Refusal>) {
    if let Err(e) = staff::check_pin("pin", f.value("pin")) {
        errs.push(e);
    } else if f.value("pin") != f.value("pin2") {
        errs.push(Refusal::at("pin2", msg!("staff.pin.mismatch")));
    }
}

pub fn parse_add_staff(f: &Form) -> Result<NewStaff, Vec<Refusal>> {
    let mut errs = Vec::new();
    let name = staff::parse_person_name("name", f.value("name"))
        .map_err(|e| errs.push(e))
        .ok();
    let role = Role::parse(f.value("role")).unwrap_or(Role::Liaison);
    check_new_pin(f, &mut errs);
    match name {
        Some(name) if errs.is_empty() => Ok(NewStaff {
            name,
            role,
            pin: f.value("pin").to_string(),
        }),
        _ => Err(errs),
    }
}

/// The new PIN.
pub fn parse_reset_pin(f: &Form) -> Result<String, Vec<Refusal>> {
    let mut errs = Vec::new();
    check_new_pin(f, &mut errs);
    if errs.is_empty() {
        Ok(f.value("pin").to_string())
    } else {
        Err(errs)
    }
}

pub fn parse_service_type(f: &Form) -> Result<NewServiceType, Vec<Refusal>> {
    let name_zh = f.value("name_zh").trim().to_string();
    let name_en = f.value("name_en").trim().to_string();
    let mut errs = Vec::new();
    if name_zh.is_empty() {
        errs.push(Refusal::at("name_zh", msg!("catalog.name.invalid")));
    }
    if name_en.is_empty() {
        errs.push(Refusal::at("name_en", msg!("catalog.name.invalid")));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let tier = Tier::parse(f.value("tier")).unwrap_or(Tier::Basic);
    Ok(NewServiceType {
        name_zh,
        name_en,
        tier,
    })
}

/// An item of the opening checklist, new or as it is.
pub fn item_form(item: Option<&ChecklistItem>) -> Form {
    let kinds = vec![
        Choice::key("clean", crate::k!("checklist.kind.clean")),
        Choice::key("equipment", crate::k!("checklist.kind.equipment")),
        Choice::key("tool", crate::k!("checklist.kind.tool")),
    ];
    let mut f = Form::new(vec![
        Field::choice("kind", crate::k!("checklist.kind"), kinds),
        Field::text("name_zh", crate::k!("checklist.name_zh"), 12),
        Field::text("name_en", crate::k!("checklist.name_en"), 30),
        Field::text("expected", crate::k!("checklist.expected"), 3)
            .with_hint(crate::k!("checklist.expected.hint")),
        Field::choice("lend", crate::k!("checklist.lend"), lend_choices())
            .with_hint(crate::k!("checklist.lend.hint")),
        Field::toggle("active", crate::k!("checklist.active")).with_value("1"),
    ]);
    if let Some(i) = item {
        f.set("kind", &i.kind);
        f.set("name_zh", &i.name_zh);
        f.set("name_en", &i.name_en);
        f.set(
            "expected",
            &i.expected.map(|e| e.to_string()).unwrap_or_default(),
        );
        f.set("active", if i.active { "1" } else { "0" });
        f.set("lend", i.lend.as_str());
    }
    item_form_changed(&mut f);
    f
}

/// Only tools are counted: the count field shows for them alone.
pub fn item_form_changed(f: &mut Form) {
    let tool = f.value("kind") == "tool";
    f.set_visible("expected", tool);
    f.set_visible("lend", tool);
}

/// How a counted item is lent: its default loan period follows.
fn lend_choices() -> Vec<Choice> {
    crate::domain::tool::LendKind::ALL
        .into_iter()
        .map(|k| Choice::key(k.as_str(), k.label_key()))
        .collect()
}

pub fn parse_item(f: &Form) -> Result<ChecklistInput, Vec<Refusal>> {
    let mut errs = Vec::new();
    let kind = f.value("kind").to_string();
    let name_zh = f.value("name_zh").trim().to_string();
    let name_en = f.value("name_en").trim().to_string();
    // the message promises no emoji: names are shown on the F2 checklist
    if name_zh.is_empty() || crate::text::has_unprintable(&name_zh) {
        errs.push(Refusal::at("name_zh", msg!("catalog.name.invalid")));
    }
    if name_en.is_empty() || crate::text::has_unprintable(&name_en) {
        errs.push(Refusal::at("name_en", msg!("catalog.name.invalid")));
    }
    let expected = if kind == "tool" {
        match f.value("expected").trim().parse::<u32>() {
            Ok(n) if (1..=999).contains(&n) => Some(n),
            _ => {
                errs.push(Refusal::at("expected", msg!("checklist.expected_invalid")));
                None
            }
        }
    } else {
        None
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(ChecklistInput {
        kind,
        name_zh,
        name_en,
        expected,
        active: f.on("active"),
        lend: crate::domain::tool::LendKind::parse(f.value("lend"))
            .filter(|_| f.value("kind") == "tool")
            .unwrap_or(crate::domain::tool::LendKind::None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errs: &[Refusal]) -> Vec<&'static str> {
        errs.iter().filter_map(|r| r.field).collect()
    }

    fn staff(name: &str, pin: &str, pin2: &str) -> Form {
        let mut f = add_staff_form();
        f.set("name", name);
        f.set("pin", pin);
        f.set("pin2", pin2);
        f
    }

    #[test]
    fn a_staff_member_needs_a_name_and_the_same_good_pin_twice() {
        let ok = parse_add_staff(&staff(" 李梅 ", "4721", "4721")).unwrap();
        assert_eq!(ok.name, "李梅");
        assert_eq!(ok.role, Role::Liaison, "the first choice");
        assert_eq!(ok.pin, "4721");
        let e = parse_add_staff(&staff("李梅", "2468", "2468")).unwrap_err();
        assert_eq!(fields(&e), ["pin"], "a PIN everybody tries first");
        let e = parse_add_staff(&staff("", "12", "12")).unwrap_err();
        assert_eq!(fields(&e), ["name", "pin"], "every wrong field at once");
        let e = parse_add_staff(&staff("李梅", "24ab", "24ab")).unwrap_err();
        assert_eq!(fields(&e), ["pin"]);
        let e = parse_add_staff(&staff("李梅", "4721", "4722")).unwrap_err();
        assert_eq!(fields(&e), ["pin2"]);
        assert_eq!(e[0].msg.key, "staff.pin.mismatch");
    }

    #[test]
    fn a_new_pin_is_checked_as_a_first_one() {
        let mut f = reset_pin_form();
        f.set("pin", "38152");
        f.set("pin2", "38152");
        assert_eq!(parse_reset_pin(&f).unwrap(), "38152");
        for (pin, pin2, field) in [
            ("", "", "pin"),
            ("123", "123", "pin"),
            ("123456789", "123456789", "pin"),
            ("13579", "13579", "pin"),
            ("3815", "3816", "pin2"),
        ] {
            f.set("pin", pin);
            f.set("pin2", pin2);
            assert_eq!(
                fields(&parse_reset_pin(&f).unwrap_err()),
                [field],
                "{pin:?}"
            );
        }
    }

    #[test]
    fn a_service_type_needs_both_names() {
        let mut f = service_type_form();
        f.set("name_zh", " 理发 ");
        f.set("name_en", "haircut");
        let ok = parse_service_type(&f).unwrap();
        assert_eq!((ok.name_zh.as_str(), ok.tier), ("理发", Tier::Basic));
        f.set("name_zh", "  ");
        f.set("name_en", "");
        assert_eq!(
            fields(&parse_service_type(&f).unwrap_err()),
            ["name_zh", "name_en"]
        );
    }

    fn filled(kind: &str, zh: &str, en: &str, expected: &str) -> Form {
        let mut f = item_form(None);
        f.set("kind", kind);
        f.set("name_zh", zh);
        f.set("name_en", en);
        f.set("expected", expected);
        item_form_changed(&mut f);
        f
    }

    #[test]
    fn a_tool_needs_a_count() {
        let ok = parse_item(&filled("tool", "轮椅", "wheelchair", "2")).unwrap();
        assert_eq!(ok.expected, Some(2));
        assert!(ok.active);
        for bad in ["", "0", "1000", "two", "-1"] {
            let e = parse_item(&filled("tool", "轮椅", "wheelchair", bad)).unwrap_err();
            assert_eq!(e[0].field, Some("expected"), "{bad:?}");
        }
    }

    #[test]
    fn other_items_are_not_counted() {
        let ok = parse_item(&filled("clean", "擦桌子", "wipe tables", "5")).unwrap();
        assert_eq!(ok.expected, None);
        assert!(!filled("clean", "", "", "").get("expected").unwrap().visible);
    }

    #[test]
    fn both_names_are_needed() {
        let e = parse_item(&filled("equipment", " ", "", "")).unwrap_err();
        assert_eq!(fields(&e), ["name_zh", "name_en"]);
        let e = parse_item(&filled("equipment", "电脑😀", "pc 😀", "")).unwrap_err();
        assert_eq!(fields(&e), ["name_zh", "name_en"]);
    }

    #[test]
    fn an_item_opens_as_it_is() {
        let item = ChecklistItem {
            id: 3,
            kind: "tool".into(),
            name_zh: "轮椅".into(),
            name_en: "wheelchair".into(),
            expected: Some(2),
            active: false,
            lend: crate::domain::tool::LendKind::Walker,
        };
        let f = item_form(Some(&item));
        assert_eq!(f.value("expected"), "2");
        assert!(f.get("expected").unwrap().visible);
        assert!(!f.on("active"));
        // a wheelchair lent like a walker, for a month by default
        assert_eq!(f.value("lend"), "walker");
        assert!(f.get("lend").unwrap().visible);
        let back = parse_item(&f).unwrap();
        assert_eq!(back.lend, crate::domain::tool::LendKind::Walker);
    }

    #[test]
    fn only_counted_items_are_lent() {
        let mut f = filled("clean", "擦桌子", "wipe tables", "");
        assert!(!f.get("lend").unwrap().visible);
        f.set("lend", "tool");
        let ok = parse_item(&f).unwrap();
        assert_eq!(ok.lend, crate::domain::tool::LendKind::None);
    }
}
