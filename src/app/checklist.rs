//! The opening checklist as the station master edits it (settings pane):
//! the form for one item and what it parses into.

use super::form::{Choice, Field, Form};
use crate::msg;
use crate::msg::Refusal;
use crate::store::days::{ChecklistInput, ChecklistItem};

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
    }
    item_form_changed(&mut f);
    f
}

/// Only tools are counted: the count field shows for them alone.
pub fn item_form_changed(f: &mut Form) {
    let tool = f.value("kind") == "tool";
    f.set_visible("expected", tool);
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let fields: Vec<_> = e.iter().filter_map(|r| r.field).collect();
        assert_eq!(fields, vec!["name_zh", "name_en"]);
        let e = parse_item(&filled("equipment", "电脑😀", "pc 😀", "")).unwrap_err();
        let fields: Vec<_> = e.iter().filter_map(|r| r.field).collect();
        assert_eq!(fields, vec!["name_zh", "name_en"]);
    }
}
