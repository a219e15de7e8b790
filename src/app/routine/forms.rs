//! The routine's forms and what each parses into: the opening checklist,
//! the midday duty, the close, the reason to reopen a closed day.
//!
//! The close form refuses a close without the day's story or the paper
//! documents ticked as locked away at those fields; the rule itself is
//! `crate::domain::close`, applied to every close (F10 and
//! `shiguang close-day`) by `crate::routines::close_day`.

use crate::app::form::{Choice, Field, Form};
use crate::domain::day::{CARRIED_REVIEWED, Checked};
use crate::i18n::{Lang, Tr};
use crate::msg;
use crate::msg::Refusal;
use crate::store::overview::DayInfo;
use crate::store::staff::StaffRow;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// Field names for checklist items (`item_7`), made once and kept: forms
/// name their fields with static strings.
pub fn intern(s: String) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let set = NAMES.get_or_init(Default::default);
    let mut set = set.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(x) = set.get(s.as_str()) {
        return x;
    }
    let leaked: &'static str = Box::leak(s.into_boxed_str());
    set.insert(leaked);
    leaked
}

fn item_name(id: i64) -> &'static str {
    intern(format!("item_{id}"))
}

/// How many of an item are out on loan (the tool corner).
fn on_loan(info: &DayInfo, item_id: i64) -> u32 {
    info.on_loan.get(&item_id).copied().unwrap_or(0)
}

/// A counted item's label, and the hint under it: what is lent out is
/// said beside it (short: the label column is narrow), and the hint says
/// how many the count expects on the shelf.
fn count_label(
    c: &crate::store::days::ChecklistItem,
    info: &DayInfo,
    lang: Lang,
) -> (String, Option<String>) {
    let name = lang.pick(&c.name_zh, &c.name_en).to_string();
    match (on_loan(info, c.id), c.expected) {
        (0, _) | (_, None) => (name, None),
        (n, Some(e)) => {
            let tr = Tr::new(lang);
            let shelf = crate::domain::tool::expected_on_shelf(e, n);
            (
                tr.f("tool.open_label", &[("item", &name), ("n", &n)]),
                Some(tr.f("tool.open_hint", &[("shelf", &shelf)])),
            )
        }
    }
}

/// The opening checklist: a tick per item in use, a count per tool (empty:
/// a count put in beforehand let a hurried opening record nothing short),
/// and a tick for the requests carried over when there are any.
pub fn checklist_form(info: &DayInfo, lang: Lang) -> Form {
    let mut fields: Vec<Field> = info
        .checklist
        .iter()
        .filter(|c| c.active)
        .map(|c| {
            let name = item_name(c.id);
            let (label, hint) = count_label(c, info, lang);
            let label = intern(label);
            match c.expected {
                Some(_) => Field::text(name, label, 4).with_hint(match hint {
                    Some(h) => intern(h),
                    None => crate::k!("open.count_hint"),
                }),
                None => Field::toggle(name, label),
            }
        })
        .collect();
    if !info.carried.is_empty() {
        fields.push(Field::toggle("carried", crate::k!("open.carried_reviewed")));
    }
    Form::new(fields)
}

/// Who is on duty over midday: the staff in use.
pub fn midday_form(staff: &[StaffRow]) -> Form {
    let staff = staff
        .iter()
        .filter(|s| s.active)
        .map(|s| Choice::text(s.id.to_string(), format!("{} {}", s.staff_no, s.name)))
        .collect();
    Form::new(vec![Field::choice(
        "staff",
        crate::k!("open.midday_staff"),
        staff,
    )])
}

pub fn close_form() -> Form {
    Form::new(vec![
        Field::text("story", crate::k!("close.story"), 80).with_hint(crate::k!("close.story.hint")),
        Field::toggle("docs_locked", crate::k!("close.docs_locked")),
    ])
}

pub fn reopen_form() -> Form {
    Form::new(vec![Field::text(
        "reason",
        crate::k!("close.reopen_reason"),
        60,
    )])
}

/// The checklist as ticked and counted. Every item must be ticked, every
/// count a whole number, the carried-over requests reviewed. Each item is
/// kept by its id: the day's row holds no words.
pub fn parse_checklist(f: &Form, info: &DayInfo) -> Result<Vec<Checked>, Vec<Refusal>> {
    let mut checks = Vec::new();
    let mut errs = Vec::new();
    for c in info.checklist.iter().filter(|c| c.active) {
        let name = item_name(c.id);
        match c.expected {
            Some(e) => match f.value(name).trim().parse::<u32>() {
                Ok(n) => checks.push(Checked {
                    item_id: c.id,
                    done: true,
                    count: Some(n),
                    // a walker on loan is not missing from the shelf
                    expected: Some(crate::domain::tool::expected_on_shelf(
                        e,
                        on_loan(info, c.id),
                    )),
                }),
                Err(_) => errs.push(Refusal::at(name, msg!("open.count_invalid"))),
            },
            None => {
                if !f.on(name) {
                    errs.push(Refusal::at(name, msg!("open.tick")));
                }
                checks.push(Checked {
                    item_id: c.id,
                    done: f.on(name),
                    count: None,
                    expected: None,
                });
            }
        }
    }
    if !info.carried.is_empty() {
        let done = f.on("carried");
        if !done {
            errs.push(Refusal::at("carried", msg!("open.tick")));
        }
        checks.push(Checked {
            item_id: CARRIED_REVIEWED,
            done,
            count: Some(info.carried.len() as u32),
            expected: None,
        });
    }
    if errs.is_empty() {
        Ok(checks)
    } else {
        Err(errs)
    }
}

/// The midday duty's staff member (`None`: no one to choose).
pub fn parse_midday(f: &Form) -> Option<i64> {
    f.value("staff").parse().ok()
}

/// The day's story. UI-only rules of the close: a story, and the paper
/// documents locked away (the first missing one is said).
pub fn parse_close(f: &Form) -> Result<String, Vec<Refusal>> {
    let story = f.value("story").trim().to_string();
    if story.is_empty() {
        return Err(vec![Refusal::at("story", msg!("close.story_required"))]);
    }
    if !f.on("docs_locked") {
        return Err(vec![Refusal::at(
            "docs_locked",
            msg!("close.docs_required"),
        )]);
    }
    Ok(story)
}

/// Why a closed day is reopened.
pub fn parse_reopen(f: &Form) -> Result<String, Vec<Refusal>> {
    let reason = f.value("reason").trim().to_string();
    if reason.is_empty() {
        return Err(vec![Refusal::at("reason", msg!("day.reopen_reason"))]);
    }
    Ok(reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::days::ChecklistItem;

    fn day(carried: usize) -> DayInfo {
        let item = |id, expected: Option<u32>, active| ChecklistItem {
            id,
            kind: if expected.is_some() { "tool" } else { "clean" }.into(),
            name_zh: format!("物品{id}"),
            name_en: format!("item {id}"),
            expected,
            active,
            lend: crate::domain::tool::LendKind::None,
        };
        DayInfo {
            checklist: vec![
                item(1, None, true),
                item(2, Some(3), true),
                item(3, None, false),
            ],
            carried: (0..carried as i64)
                .map(|id| {
                    crate::app::cx::testing::request_row(id, crate::domain::queue::State::New)
                })
                .collect(),
            ..DayInfo::default()
        }
    }

    fn fields(errs: &[Refusal]) -> Vec<&'static str> {
        errs.iter().filter_map(|r| r.field).collect()
    }

    #[test]
    fn the_checklist_holds_the_items_in_use_and_the_carried_over() {
        let f = checklist_form(&day(2), Lang::Zh);
        let names: Vec<_> = f.fields.iter().map(|x| x.name).collect();
        assert_eq!(names, ["item_1", "item_2", "carried"]);
        assert_eq!(
            f.value("item_2"),
            "",
            "the count starts empty, to be counted"
        );
        let f = checklist_form(&day(0), Lang::En);
        assert!(
            f.get("carried").is_none(),
            "nothing carried, nothing to review"
        );
    }

    #[test]
    fn every_item_must_be_ticked_and_every_count_a_number() {
        let info = day(1);
        let mut f = checklist_form(&info, Lang::Zh);
        f.set("item_2", "两");
        let e = parse_checklist(&f, &info).unwrap_err();
        assert_eq!(fields(&e), ["item_1", "item_2", "carried"]);
        assert_eq!(e[1].msg.key, "open.count_invalid");
        f.set("item_1", "1");
        f.set("item_2", " 2 ");
        f.set("carried", "1");
        let checks = parse_checklist(&f, &info).unwrap();
        assert_eq!(checks.len(), 3);
        assert_eq!((checks[0].item_id, checks[0].done), (1, true));
        assert_eq!(checks[1].missing(), 1, "one tool short");
        assert_eq!(
            (checks[2].item_id, checks[2].count),
            (CARRIED_REVIEWED, Some(1))
        );
        let row = serde_json::to_string(&checks).unwrap();
        assert!(
            !row.contains("物品") && !row.contains("item 1"),
            "the day's row keeps ids, not words: {row}"
        );
    }

    #[test]
    fn what_is_on_loan_is_not_expected_on_the_shelf() {
        let mut info = day(0);
        info.on_loan.insert(2, 2);
        let mut f = checklist_form(&info, Lang::Zh);
        let field = f.get("item_2").unwrap();
        assert_eq!(field.label, "物品2 借出2");
        assert_eq!(field.hint, Some("应在架 1"));
        f.set("item_1", "1");
        f.set("item_2", "1");
        let checks = parse_checklist(&f, &info).unwrap();
        assert_eq!(checks[1].expected, Some(1));
        assert_eq!(checks[1].missing(), 0, "the two lent are not missing");
        assert_eq!(checks[1].item_id, 2, "the day's row keeps the item's id");
        f.set("item_2", "0");
        let checks = parse_checklist(&f, &info).unwrap();
        assert_eq!(checks[1].missing(), 1, "one not on loan and not there");
    }

    #[test]
    fn the_close_needs_a_story_then_the_documents_locked() {
        let mut f = close_form();
        f.set("story", "   ");
        f.set("docs_locked", "1");
        assert_eq!(fields(&parse_close(&f).unwrap_err()), ["story"]);
        f.set("story", " 张奶奶学会了视频通话 ");
        f.set("docs_locked", "0");
        let e = parse_close(&f).unwrap_err();
        assert_eq!(fields(&e), ["docs_locked"]);
        assert_eq!(e[0].msg.key, "close.docs_required");
        f.set("docs_locked", "1");
        assert_eq!(parse_close(&f).unwrap(), "张奶奶学会了视频通话");
    }

    #[test]
    fn a_day_is_reopened_only_with_a_reason() {
        let mut f = reopen_form();
        f.set("reason", " ");
        assert_eq!(fields(&parse_reopen(&f).unwrap_err()), ["reason"]);
        f.set("reason", "漏记一条服务");
        assert_eq!(parse_reopen(&f).unwrap(), "漏记一条服务");
    }

    #[test]
    fn the_midday_duty_is_chosen_among_the_staff_in_use() {
        let row = |id, active| StaffRow {
            id,
            staff_no: format!("{id:03}"),
            name: "王秀英".into(),
            role: crate::domain::staff::Role::Master,
            active,
            locked_until: None,
        };
        let f = midday_form(&[row(4, false), row(5, true)]);
        assert_eq!(parse_midday(&f), Some(5));
        assert_eq!(parse_midday(&midday_form(&[])), None);
    }
}
