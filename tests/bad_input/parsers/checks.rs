//! What every parser of typed or imported text must hold, for any input:
//! it does not panic, and what it accepts comes back unchanged through its
//! canonical form. Shared by the property tests (`tests/bad_input/parsers.rs`) and the
//! fuzz targets (`fuzz/fuzz_targets/*.rs`), so both check the same thing.
//! Each function panics (fails) when a guarantee does not hold.

use chrono::{Datelike, NaiveDate};
use ratatui::style::{Color, Modifier};
use shiguang::bundle::Bundle;
use shiguang::domain::entry::{parse_clock, parse_date, parse_minutes};
use shiguang::domain::member::{
    IdKind, MemberNumber, card_payload, id_check_char, mask_identity, mask_phone, parse_building,
    parse_card_serial, parse_household_no, parse_id_card, parse_identity, parse_payload,
    parse_phone,
};
use shiguang::domain::merchant::{parse_log, parse_yuan, yuan};
use shiguang::ui::theme::{Meaning, Theme, uses_only_ansi16};

/// ID numbers, household numbers, phones, member numbers, card serials and
/// scanned card payloads.
pub fn member_ids(s: &str) {
    let _ = mask_identity(s);
    let _ = mask_phone(s);
    let _ = parse_building(s).map(|b| assert_eq!(parse_building(&b).as_ref(), Ok(&b)));

    if let Ok(id) = parse_id_card(s) {
        assert_eq!(id.len(), 18, "{s:?} gave {id:?}");
        assert_eq!(id_check_char(&id[..17]), id[17..].chars().next(), "{id}");
        assert_eq!(parse_id_card(&id).as_ref(), Ok(&id), "{s:?}");
        assert_eq!(parse_identity(IdKind::IdCard, &id).as_ref(), Ok(&id));
        assert_eq!(mask_identity(&id).chars().count(), 18);
    }
    if let Ok(h) = parse_household_no(s) {
        assert_eq!(parse_household_no(&h).as_ref(), Ok(&h), "{s:?}");
        assert_eq!(parse_identity(IdKind::Household, &h).as_ref(), Ok(&h));
    }
    if let Ok(p) = parse_phone("phone", s) {
        assert!(p.bytes().all(|b| b.is_ascii_digit()), "{s:?} gave {p:?}");
        assert_eq!(parse_phone("phone", &p).as_ref(), Ok(&p), "{s:?}");
        assert_eq!(mask_phone(&p).len(), p.len());
    }
    if let Some(n) = MemberNumber::parse(s) {
        let text = n.to_string();
        assert_eq!(MemberNumber::parse(&text).as_ref(), Some(&n), "{s:?}");
        assert_eq!(text, text.to_ascii_uppercase());
    }
    if let Ok(serial) = parse_card_serial(s) {
        assert_eq!(parse_card_serial(&serial).as_ref(), Ok(&serial), "{s:?}");
    }
    if let Some((n, serial)) = parse_payload(s) {
        let text = match &serial {
            Some(serial) => card_payload(&n.to_string(), serial),
            None => n.to_string(),
        };
        assert_eq!(parse_payload(&text), Some((n, serial)), "{s:?}");
    }
}

/// Dates, clock times and durations as typed into the forms.
pub fn entry(s: &str, today: NaiveDate) {
    if let Some(d) = parse_date(s, today) {
        if d.year() >= 1900 {
            let text = d.format("%Y-%m-%d").to_string();
            assert_eq!(parse_date(&text, today), Some(d), "{s:?} gave {text}");
        }
        if d.year() == today.year() {
            let text = d.format("%m-%d").to_string();
            assert_eq!(parse_date(&text, today), Some(d), "{s:?} gave {text}");
        }
    }
    if let Some(t) = parse_clock(s) {
        for text in [t.format("%H:%M").to_string(), t.format("%H%M").to_string()] {
            assert_eq!(parse_clock(&text), Some(t), "{s:?} gave {text}");
        }
    }
    if let Some(m) = parse_minutes(s) {
        minutes_round_trip(m);
    }
}

/// Every way the forms write a duration reads back as the same minutes.
pub fn minutes_round_trip(m: u32) {
    assert!((1..=24 * 60).contains(&m), "{m}");
    for text in [
        m.to_string(),
        format!("{m}分钟"),
        format!("{m}min"),
        format!("{}:{:02}", m / 60, m % 60),
        format!("{}h{}", m / 60, m % 60),
        format!("{}小时{}分", m / 60, m % 60),
    ] {
        assert_eq!(parse_minutes(&text), Some(m), "{text:?}");
    }
}

/// A yuan amount as typed, and fen as written back.
pub fn yuan_text(s: &str) {
    if let Some(fen) = parse_yuan(s) {
        assert!(fen > 0, "{s:?} gave {fen}");
        assert_eq!(parse_yuan(&yuan(fen)), Some(fen), "{s:?}");
    }
}

/// A merchant's redemption log: the good rows written back as plain CSV read
/// back as the same rows, with nothing bad.
pub fn merchant_log(s: &str) {
    let (rows, bad) = parse_log(s);
    let lines = s.lines().count();
    for r in &rows {
        assert!(r.line >= 1 && r.line <= lines, "line {} of {lines}", r.line);
        assert!((1..=99).contains(&r.count));
        assert!(parse_payload(&r.member_number).is_some());
    }
    assert!(bad.iter().all(|(l, _)| *l >= 1 && *l <= lines));
    let csv: String = rows
        .iter()
        .map(|r| {
            format!(
                "{},{},{},{}\n",
                r.member_number,
                r.offer_id,
                r.at.format("%Y-%m-%d %H:%M"),
                r.count
            )
        })
        .collect();
    let (again, bad) = parse_log(&csv);
    assert!(bad.is_empty(), "{csv:?}: {bad:?}");
    assert_eq!(again.len(), rows.len(), "{csv:?}");
    for (i, (a, r)) in again.iter().zip(&rows).enumerate() {
        assert_eq!(a.line, i + 1);
        assert_eq!(
            (&a.member_number, a.offer_id, a.at, a.count),
            (&r.member_number, r.offer_id, r.at, r.count),
            "{csv:?}"
        );
    }
}

/// A theme file: parsing is deterministic, and the theme written back as a
/// file (every meaning spelled out) parses to the same styles.
pub fn theme(s: &str) {
    let Ok(t) = Theme::parse("fuzz", s) else {
        return;
    };
    assert_eq!(Theme::parse("fuzz", s).as_ref(), Ok(&t));
    let _ = uses_only_ansi16(&t);
    let _ = t.without_color();
    let text = theme_text(&t);
    let again = Theme::parse("fuzz", &text).unwrap_or_else(|e| panic!("{text}\n{e}"));
    for m in Meaning::ALL {
        assert_eq!(again.style(m), t.style(m), "{} in\n{text}", m.name());
    }
}

/// A theme as a file, every meaning with its resolved style.
pub fn theme_text(t: &Theme) -> String {
    let mut out = String::new();
    for m in Meaning::ALL {
        let s = t.style(m);
        let mut attrs = Vec::new();
        for (attr, c) in [("fg", s.fg), ("bg", s.bg)] {
            if let Some(c) = c {
                attrs.push(format!("{attr} = \"{}\"", color_name(c)));
            }
        }
        for (attr, bit) in [
            ("bold", Modifier::BOLD),
            ("dim", Modifier::DIM),
            ("italic", Modifier::ITALIC),
            ("underline", Modifier::UNDERLINED),
            ("reversed", Modifier::REVERSED),
        ] {
            if s.add_modifier.contains(bit) {
                attrs.push(format!("{attr} = true"));
            }
        }
        out.push_str(&format!("{} = {{ {} }}\n", m.name(), attrs.join(", ")));
    }
    out
}

fn color_name(c: Color) -> String {
    match c {
        Color::Reset => "reset".into(),
        Color::Black => "black".into(),
        Color::Red => "red".into(),
        Color::Green => "green".into(),
        Color::Yellow => "yellow".into(),
        Color::Blue => "blue".into(),
        Color::Magenta => "magenta".into(),
        Color::Cyan => "cyan".into(),
        Color::Gray => "gray".into(),
        Color::DarkGray => "dark_gray".into(),
        Color::LightRed => "light_red".into(),
        Color::LightGreen => "light_green".into(),
        Color::LightYellow => "light_yellow".into(),
        Color::LightBlue => "light_blue".into(),
        Color::LightMagenta => "light_magenta".into(),
        Color::LightCyan => "light_cyan".into(),
        Color::White => "white".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
    }
}

/// A day bundle: read as it is (almost always refused: the end line's hash
/// must match), and read again with a correct end line over the same text,
/// so the rows behind the hash are read too. What is read is checked as
/// headquarters would, and written back reads as the same bundle.
pub fn bundle(s: &str) {
    if let Ok(b) = Bundle::parse(s) {
        bundle_read(&b);
    }
    if let Ok(b) = Bundle::parse(&sealed(s)) {
        bundle_read(&b);
    }
}

/// `text` with its `end` line (if any) replaced by one that matches it.
pub fn sealed(text: &str) -> String {
    let mut body: String = text
        .lines()
        .filter(|l| !l.starts_with(r#"{"t":"end""#))
        .map(|l| format!("{l}\n"))
        .collect();
    if body.is_empty() {
        body.push('\n');
    }
    let hash = blake3::hash(body.as_bytes()).to_hex().to_string();
    let n = body.lines().count();
    format!("{body}{{\"t\":\"end\",\"r\":{{\"lines\":{n},\"hash\":\"{hash}\"}}}}\n")
}

/// What is done with a bundle that was read: checked, its figures
/// recomputed, written back and read again.
pub fn bundle_read(b: &Bundle) {
    let _ = b.check();
    let _ = shiguang::bundle::recompute(b);
    let text = b.to_text();
    let again = Bundle::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(&again, b, "{text}");
    assert_eq!(again.to_text(), text);
}
