//! The station's settings as pane 9 lists them: which exist, how each is
//! typed and checked, its value as text, and the form that edits one.

use crate::app::form::{Choice, Field, Form};
use crate::domain::station::Settings;
use crate::i18n::Lang;
use crate::msg;
use crate::msg::Refusal;
use serde_json::{Value, json};

/// How a setting is typed and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    Number {
        min: i64,
        max: i64,
    },
    Bool,
    Language,
    Theme,
    /// A time of day, HH:MM (station time).
    Clock,
    /// A folder; empty means the default beside the database.
    Folder,
    /// What printing a page does: open, print or save only.
    PrintMode,
}

#[derive(Debug, Clone, Copy)]
pub struct SettingItem {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: SettingKind,
}

/// The settings staff can change here, in display order. Each is used by the
/// app; a setting appears here once something reads it.
const fn num(key: &'static str, label: &'static str, min: i64, max: i64) -> SettingItem {
    SettingItem {
        key,
        label,
        kind: SettingKind::Number { min, max },
    }
}

pub const ITEMS: &[SettingItem] = &[
    SettingItem {
        key: "language",
        label: crate::k!("setting.language"),
        kind: SettingKind::Language,
    },
    SettingItem {
        key: "theme",
        label: crate::k!("setting.theme"),
        kind: SettingKind::Theme,
    },
    num(
        "idle_lock_minutes",
        crate::k!("setting.idle_lock_minutes"),
        1,
        120,
    ),
    num(
        "points_per_hour",
        crate::k!("setting.points_per_hour"),
        1,
        200,
    ),
    num("review_hours", crate::k!("setting.review_hours"), 1, 168),
    num(
        "levels.min_ratings",
        crate::k!("setting.min_ratings"),
        1,
        50,
    ),
    num(
        "bad_credit_months",
        crate::k!("setting.bad_credit_months"),
        1,
        24,
    ),
    num(
        "trust.good_service",
        crate::k!("setting.trust.good_service"),
        -100,
        100,
    ),
    num(
        "trust.thank_you",
        crate::k!("setting.trust.thank_you"),
        -100,
        100,
    ),
    num(
        "trust.warning",
        crate::k!("setting.trust.warning"),
        -100,
        100,
    ),
    num(
        "trust.bad_credit",
        crate::k!("setting.trust.bad_credit"),
        -100,
        100,
    ),
    num("trust.minor", crate::k!("setting.trust.minor"), -100, 100),
    num(
        "trust.moderate",
        crate::k!("setting.trust.moderate"),
        -100,
        100,
    ),
    num("trust.severe", crate::k!("setting.trust.severe"), -100, 100),
    num(
        "respond_minutes",
        crate::k!("setting.respond_minutes"),
        5,
        24 * 60,
    ),
    num(
        "urgent_respond_minutes",
        crate::k!("setting.urgent_respond_minutes"),
        1,
        60,
    ),
    num(
        "match_minutes",
        crate::k!("setting.match_minutes"),
        10,
        7 * 24 * 60,
    ),
    clock("open_from", crate::k!("setting.open_from")),
    clock("open_by", crate::k!("setting.open_by")),
    clock("close_from", crate::k!("setting.close_from")),
    clock("close_by", crate::k!("setting.close_by")),
    SettingItem {
        key: "print",
        label: crate::k!("setting.print"),
        kind: SettingKind::PrintMode,
    },
    SettingItem {
        key: "backup_dir",
        label: crate::k!("setting.backup_dir"),
        kind: SettingKind::Folder,
    },
    num("backup_keep", crate::k!("setting.backup_keep"), 1, 365),
    num(
        "merchant_yuan_per_hour",
        crate::k!("setting.merchant_yuan_per_hour"),
        1,
        1000,
    ),
    num(
        "merchant_grades.min_ratings",
        crate::k!("setting.merchant_min_ratings"),
        1,
        100,
    ),
    // a file holding the connection string (it has a password): never the string itself
    SettingItem {
        key: "hq_url_file",
        label: crate::k!("setting.hq_url_file"),
        kind: SettingKind::Folder,
    },
];

const fn clock(key: &'static str, label: &'static str) -> SettingItem {
    SettingItem {
        key,
        label,
        kind: SettingKind::Clock,
    }
}

/// The current value of a setting, as text for the list.
pub fn setting_value(s: &Settings, key: &str) -> String {
    let mut v = serde_json::to_value(s).ok();
    for part in key.split('.') {
        v = v.and_then(|x| x.get(part).cloned());
    }
    match v {
        Some(Value::String(s)) => s,
        Some(Value::Bool(b)) => if b { "1" } else { "0" }.to_string(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// Parse what was typed for a setting into the JSON value to store.
pub fn parse_setting(item: &SettingItem, text: &str, themes: &[String]) -> Result<Value, Refusal> {
    let t = text.trim();
    match item.kind {
        SettingKind::Number { min, max } => match t.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(json!(n)),
            _ => Err(Refusal::at(
                "value",
                msg!("setting.number_range", min = min, max = max),
            )),
        },
        SettingKind::Bool => Ok(json!(t == "1")),
        SettingKind::Clock => crate::domain::time::parse_hhmm(t)
            .map(|c| json!(c.format("%H:%M").to_string()))
            .ok_or_else(|| Refusal::at("value", msg!("setting.clock_invalid"))),
        SettingKind::Folder => {
            let p = std::path::Path::new(t);
            if t.is_empty() || (p.is_absolute() && !crate::text::has_unprintable(t)) {
                Ok(json!(t))
            } else {
                Err(Refusal::at("value", msg!("setting.folder_invalid")))
            }
        }
        SettingKind::Language => Lang::parse(t)
            .map(|l| json!(l.code()))
            .ok_or_else(|| Refusal::at("value", msg!("setting.language_unknown"))),
        SettingKind::PrintMode => crate::print::Delivery::parse(t)
            .map(|d| json!(d.code()))
            .ok_or_else(|| Refusal::at("value", msg!("setting.print_unknown"))),
        SettingKind::Theme => {
            if themes.iter().any(|n| n == t) {
                Ok(json!(t))
            } else {
                Err(Refusal::at(
                    "value",
                    msg!("setting.theme_unknown", name = t),
                ))
            }
        }
    }
}

/// The form that edits `item`, holding its value now; a theme is chosen
/// from `themes`.
pub fn setting_form(item: &SettingItem, settings: &Settings, themes: &[String]) -> Form {
    let current = setting_value(settings, item.key);
    let field = match item.kind {
        SettingKind::Number { .. } => Field::text("value", item.label, 6),
        SettingKind::Clock => Field::text("value", item.label, 5),
        SettingKind::Folder => {
            Field::text("value", item.label, 200).with_hint(crate::k!("setting.backup_dir.hint"))
        }
        SettingKind::Bool => Field::toggle("value", item.label),
        SettingKind::Language => Field::choice(
            "value",
            item.label,
            vec![
                Choice::key("zh", crate::k!("lang.zh")),
                Choice::key("en", crate::k!("lang.en")),
            ],
        ),
        SettingKind::PrintMode => Field::choice(
            "value",
            item.label,
            crate::print::Delivery::ALL
                .iter()
                .map(|d| Choice::key(d.code(), d.label_key()))
                .collect(),
        ),
        SettingKind::Theme => Field::choice(
            "value",
            item.label,
            themes
                .iter()
                .map(|n| Choice::text(n.clone(), n.clone()))
                .collect(),
        ),
    };
    Form::new(vec![field.with_value(&current)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_must_be_in_range() {
        let item = ITEMS.iter().find(|i| i.key == "idle_lock_minutes").unwrap();
        assert_eq!(parse_setting(item, "15", &[]).unwrap(), json!(15));
        assert!(parse_setting(item, "0", &[]).is_err());
        assert!(parse_setting(item, "121", &[]).is_err());
        assert!(parse_setting(item, "ten", &[]).is_err());
    }

    #[test]
    fn clocks_and_folders_are_checked() {
        let open_by = ITEMS.iter().find(|i| i.key == "open_by").unwrap();
        assert_eq!(
            parse_setting(open_by, " 9:05 ", &[]).unwrap(),
            json!("09:05")
        );
        for bad in ["25:00", "9点", "", "09:60"] {
            assert!(parse_setting(open_by, bad, &[]).is_err(), "{bad:?}");
        }
        let dir = ITEMS.iter().find(|i| i.key == "backup_dir").unwrap();
        assert_eq!(parse_setting(dir, "", &[]).unwrap(), json!(""));
        assert!(parse_setting(dir, "/media/usb/备份", &[]).is_ok());
        for bad in ["backups", "./x", "/media/\u{7}"] {
            assert!(parse_setting(dir, bad, &[]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn themes_must_exist() {
        let item = ITEMS.iter().find(|i| i.key == "theme").unwrap();
        let names = vec!["default".to_string()];
        assert!(parse_setting(item, "default", &names).is_ok());
        assert!(parse_setting(item, "neon", &names).is_err());
    }

    #[test]
    fn printing_is_open_print_or_save() {
        let item = ITEMS.iter().find(|i| i.key == "print").unwrap();
        for ok in ["open", "print", "save"] {
            assert_eq!(parse_setting(item, ok, &[]).unwrap(), json!(ok));
        }
        for bad in ["", "fax", "打印"] {
            let e = parse_setting(item, bad, &[]).unwrap_err();
            assert_eq!(e.field, Some("value"), "{bad:?}");
        }
        let f = setting_form(item, &Settings::default(), &[]);
        assert_eq!(f.value("value"), "open");
    }

    #[test]
    fn only_the_two_languages_are_taken() {
        let item = ITEMS.iter().find(|i| i.key == "language").unwrap();
        assert_eq!(parse_setting(item, "en", &[]).unwrap(), json!("en"));
        assert_eq!(parse_setting(item, "中文", &[]).unwrap(), json!("zh"));
        for bad in ["", "fr", "日本語"] {
            let e = parse_setting(item, bad, &[]).unwrap_err();
            assert_eq!(e.field, Some("value"), "{bad:?}");
        }
    }

    #[test]
    fn the_form_opens_on_the_value_now() {
        let s = Settings {
            idle_lock_minutes: 7,
            ..Settings::default()
        };
        let item = ITEMS.iter().find(|i| i.key == "idle_lock_minutes").unwrap();
        assert_eq!(setting_form(item, &s, &[]).value("value"), "7");
        let theme = ITEMS.iter().find(|i| i.key == "theme").unwrap();
        let names = ["default".to_string(), "high-contrast".to_string()];
        let f = setting_form(theme, &s, &names);
        assert_eq!(f.value("value"), s.theme);
    }

    #[test]
    fn every_item_is_a_real_setting() {
        let s = Settings::default();
        let v = serde_json::to_value(&s).unwrap();
        for item in ITEMS {
            let found = item.key.split('.').try_fold(&v, |x, part| x.get(part));
            assert!(found.is_some(), "{} is not a field of Settings", item.key);
        }
    }
}
