//! The station itself: its codes, kind, time zone and settings.

use crate::msg;
use crate::msg::Refusal;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StationKind {
    /// 主驿站, street level
    Main,
    /// 微驿站, community level
    Micro,
}

impl StationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StationKind::Main => "main",
            StationKind::Micro => "micro",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "main" => Some(StationKind::Main),
            "micro" => Some(StationKind::Micro),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            StationKind::Main => "station.kind.main",
            StationKind::Micro => "station.kind.micro",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    pub uid: String,
    pub street: String,
    pub community: String,
    pub kind: StationKind,
    pub name: String,
    pub tz: Tz,
}

impl Station {
    /// `JS01`: the prefix of every member number of this community.
    pub fn code(&self) -> String {
        format!("{}{}", self.street, self.community)
    }
}

/// Street code: exactly two ASCII letters, kept in capitals (`js` is `JS`).
pub fn parse_street_code(s: &str) -> Result<String, Refusal> {
    let t = s.trim().to_ascii_uppercase();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(t)
    } else {
        Err(Refusal::at("street", msg!("station.street.invalid")))
    }
}

/// Community code: exactly two ASCII digits.
pub fn parse_community_code(s: &str) -> Result<String, Refusal> {
    let t = s.trim();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_digit()) {
        Ok(t.to_string())
    } else {
        Err(Refusal::at("community", msg!("station.community.invalid")))
    }
}

pub fn parse_station_name(s: &str) -> Result<String, Refusal> {
    let t = s.trim();
    if t.is_empty() {
        return Err(Refusal::at("name", msg!("station.name.empty")));
    }
    if crate::text::has_unprintable(t) || t.chars().count() > 40 {
        return Err(Refusal::at("name", msg!("station.name.invalid")));
    }
    Ok(t.to_string())
}

pub fn parse_time_zone(s: &str) -> Result<Tz, Refusal> {
    let t = s.trim();
    let t = if t.is_empty() { DEFAULT_TZ } else { t };
    t.parse::<Tz>()
        .map_err(|_| Refusal::at("tz", msg!("station.tz.invalid", tz = t)))
}

pub const DEFAULT_TZ: &str = "Asia/Shanghai";

/// Every rule's number that docs/rules.md marks as "a setting with the given default".
/// Stored in the `settings` table as one JSON value per key; missing keys take
/// these defaults, so a new setting never needs a data migration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub points_per_hour: u32,
    pub idle_lock_minutes: u32,
    pub theme: String,
    pub language: String,
    pub review_hours: u32,
    pub respond_minutes: u32,
    pub match_minutes: u32,
    pub urgent_respond_minutes: u32,
    pub bell_muted: bool,
    pub open_from: String,
    pub open_by: String,
    pub close_from: String,
    pub close_by: String,
    pub backup_dir: String,
    pub backup_keep: u32,
    /// Headquarters' connection string: the name of the environment
    /// variable holding it …
    pub hq_url_env: String,
    /// … or a file holding it (takes precedence). Either set: the close
    /// syncs with headquarters.
    pub hq_url_file: String,
    /// Set on demo databases only: the desk refuses to treat a real station
    /// as a demo (and so never rebuilds one).
    pub demo: bool,
    pub demo_built_on: String,
    /// Set on `shiguang bench` databases only: what they were built for.
    pub bench_key: String,
    pub levels: super::level::LevelRules,
    pub trust: super::trust::TrustWeights,
    pub disputes: super::dispute::Clocks,
    /// How long a bad-credit record (requester at fault) blocks upgrades.
    pub bad_credit_months: u32,
    /// Merchant settlement: this many yuan of discounts buy an hour of service.
    pub merchant_yuan_per_hour: u32,
    pub merchant_grades: super::merchant::GradeLines,
    /// What printing a page does: `open` it in the system's program,
    /// send it to the default `print`er, or `save` it only.
    pub print: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            points_per_hour: 20,
            idle_lock_minutes: 10,
            theme: "default".into(),
            language: "zh".into(),
            review_hours: 24,
            respond_minutes: 60,
            match_minutes: 12 * 60,
            urgent_respond_minutes: 5,
            bell_muted: false,
            open_from: "08:30".into(),
            open_by: "09:00".into(),
            close_from: "18:00".into(),
            close_by: "18:30".into(),
            backup_dir: String::new(),
            backup_keep: 30,
            hq_url_env: String::new(),
            hq_url_file: String::new(),
            demo: false,
            demo_built_on: String::new(),
            bench_key: String::new(),
            levels: Default::default(),
            trust: Default::default(),
            disputes: Default::default(),
            bad_credit_months: 3,
            merchant_yuan_per_hour: 10,
            merchant_grades: Default::default(),
            print: "open".into(),
        }
    }
}

impl Settings {
    /// The queue's deadlines.
    pub fn clocks(&self) -> super::queue::Clocks {
        super::queue::Clocks {
            respond_minutes: self.respond_minutes,
            urgent_respond_minutes: self.urgent_respond_minutes,
            match_minutes: self.match_minutes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn street_codes() {
        assert_eq!(parse_street_code("JS").unwrap(), "JS");
        assert_eq!(parse_street_code(" JS ").unwrap(), "JS");
        assert_eq!(parse_street_code("js").unwrap(), "JS");
        for bad in ["J", "JSX", "J1", "", "中文"] {
            let e = parse_street_code(bad).unwrap_err();
            assert_eq!(e.field, Some("street"), "{bad}");
        }
    }

    #[test]
    fn community_codes() {
        assert_eq!(parse_community_code("01").unwrap(), "01");
        for bad in ["1", "001", "0a", "", "０１"] {
            assert!(parse_community_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_zone_defaults_to_shanghai() {
        assert_eq!(parse_time_zone("").unwrap(), chrono_tz::Asia::Shanghai);
        assert!(parse_time_zone("Mars/Olympus").is_err());
    }

    #[test]
    fn settings_fill_missing_keys_with_defaults() {
        let s: Settings = serde_json::from_str(r#"{"points_per_hour": 30}"#).unwrap();
        assert_eq!(s.points_per_hour, 30);
        assert_eq!(s.idle_lock_minutes, 10);
    }
}
