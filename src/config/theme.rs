//! Colour themes as files, keyed by meaning rather than by widget.
//!
//! `themes/*.toml` are embedded; a file of the same shape in the user's
//! config folder, or a path given to `--theme`, is read at start. A broken
//! theme is a clear message and the default theme, never a crash.

use ratatui::style::{Color, Modifier, Style};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Meaning {
    Text,
    Muted,
    Title,
    Border,
    BorderFocus,
    Header,
    Demo,
    Tab,
    TabActive,
    Selected,
    Focus,
    Input,
    Key,
    Ok,
    Warning,
    Overdue,
    Urgent,
    Error,
    Accent,
    Highlight,
    Chart,
}

impl Meaning {
    pub const ALL: [Meaning; 21] = [
        Meaning::Text,
        Meaning::Muted,
        Meaning::Title,
        Meaning::Border,
        Meaning::BorderFocus,
        Meaning::Header,
        Meaning::Demo,
        Meaning::Tab,
        Meaning::TabActive,
        Meaning::Selected,
        Meaning::Focus,
        Meaning::Input,
        Meaning::Key,
        Meaning::Ok,
        Meaning::Warning,
        Meaning::Overdue,
        Meaning::Urgent,
        Meaning::Error,
        Meaning::Accent,
        Meaning::Highlight,
        Meaning::Chart,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Meaning::Text => "text",
            Meaning::Muted => "muted",
            Meaning::Title => "title",
            Meaning::Border => "border",
            Meaning::BorderFocus => "border_focus",
            Meaning::Header => "header",
            Meaning::Demo => "demo",
            Meaning::Tab => "tab",
            Meaning::TabActive => "tab_active",
            Meaning::Selected => "selected",
            Meaning::Focus => "focus",
            Meaning::Input => "input",
            Meaning::Key => "key",
            Meaning::Ok => "ok",
            Meaning::Warning => "warning",
            Meaning::Overdue => "overdue",
            Meaning::Urgent => "urgent",
            Meaning::Error => "error",
            Meaning::Accent => "accent",
            Meaning::Highlight => "highlight",
            Meaning::Chart => "chart",
        }
    }

    /// Used when a theme file leaves a meaning out.
    fn fallback(self) -> Option<Meaning> {
        match self {
            Meaning::Text => None,
            Meaning::BorderFocus => Some(Meaning::Focus),
            Meaning::TabActive | Meaning::Focus => Some(Meaning::Selected),
            Meaning::Overdue | Meaning::Urgent => Some(Meaning::Error),
            Meaning::Highlight | Meaning::Chart | Meaning::Key => Some(Meaning::Accent),
            Meaning::Demo => Some(Meaning::Warning),
            _ => Some(Meaning::Text),
        }
    }
}

pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("classic16", include_str!("../../themes/classic16.toml")),
    ("dusk", include_str!("../../themes/dusk.toml")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    styles: HashMap<Meaning, Style>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThemeError {
    NotFound(String),
    Invalid { name: String, why: String },
}

impl std::fmt::Display for ThemeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ThemeError::NotFound(n) => write!(f, "theme {n:?} not found"),
            ThemeError::Invalid { name, why } => write!(f, "theme {name:?}: {why}"),
        }
    }
}

impl Theme {
    pub fn style(&self, m: Meaning) -> Style {
        let mut cur = Some(m);
        while let Some(c) = cur {
            if let Some(s) = self.styles.get(&c) {
                return *s;
            }
            cur = c.fallback();
        }
        Style::default()
    }

    pub fn builtin_default() -> Theme {
        Theme::parse("default", BUILTIN[0].1)
            .expect("built-in default theme is valid (checked by tests)")
    }

    /// A theme by built-in name, by name in `user_dir`, or by file path.
    pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        if let Some((n, src)) = BUILTIN.iter().find(|(n, _)| *n == name) {
            return Theme::parse(n, src);
        }
        let candidates = [
            user_dir.map(|d| d.join(format!("{name}.toml"))),
            Some(Path::new(name).to_path_buf())
                .filter(|p| p.extension().is_some_and(|e| e == "toml")),
        ];
        for path in candidates.into_iter().flatten() {
            if path.is_file() {
                let src = std::fs::read_to_string(&path).map_err(|e| ThemeError::Invalid {
                    name: name.to_string(),
                    why: e.to_string(),
                })?;
                return Theme::parse(name, &src);
            }
        }
        Err(ThemeError::NotFound(name.to_string()))
    }

    pub fn parse(name: &str, src: &str) -> Result<Theme, ThemeError> {
        let bad = |why: String| ThemeError::Invalid {
            name: name.to_string(),
            why,
        };
        let table: toml::Table = src
            .parse()
            .map_err(|e: toml::de::Error| bad(e.message().to_string()))?;
        let mut styles = HashMap::new();
        for (key, value) in &table {
            if key == "name" || key == "description" {
                continue;
            }
            let meaning = Meaning::ALL
                .into_iter()
                .find(|m| m.name() == key)
                .ok_or_else(|| bad(format!("unknown meaning `{key}`")))?;
            let toml::Value::Table(spec) = value else {
                return Err(bad(format!(
                    "`{key}` must be a table like {{ fg = \"red\" }}"
                )));
            };
            styles.insert(meaning, parse_style(key, spec).map_err(bad)?);
        }
        if !styles.contains_key(&Meaning::Text) {
            return Err(bad("`text` is required".into()));
        }
        Ok(Theme {
            name: name.to_string(),
            styles,
        })
    }

    /// The same theme with every colour removed (the `NO_COLOR` convention):
    /// meaning is carried by bold, underline and reverse video alone.
    pub fn without_color(&self) -> Theme {
        let mut styles: HashMap<Meaning, Style> = Meaning::ALL
            .into_iter()
            .map(|m| {
                let s = self.style(m);
                (
                    m,
                    Style::default()
                        .add_modifier(s.add_modifier)
                        .remove_modifier(s.sub_modifier),
                )
            })
            .collect();
        for m in [Meaning::Selected, Meaning::TabActive, Meaning::Focus] {
            styles.insert(
                m,
                Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            );
        }
        for m in [Meaning::Overdue, Meaning::Urgent, Meaning::Error] {
            styles.insert(
                m,
                Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            );
        }
        Theme {
            name: format!("{} (no colour)", self.name),
            styles,
        }
    }
}

fn parse_style(key: &str, spec: &toml::Table) -> Result<Style, String> {
    let mut style = Style::default();
    for (attr, v) in spec {
        match attr.as_str() {
            "fg" | "bg" => {
                let s = v
                    .as_str()
                    .ok_or_else(|| format!("`{key}.{attr}` must be a string"))?;
                let c = parse_color(s)
                    .ok_or_else(|| format!("`{key}.{attr}`: unknown colour `{s}`"))?;
                style = if attr == "fg" {
                    style.fg(c)
                } else {
                    style.bg(c)
                };
            }
            "bold" | "dim" | "italic" | "underline" | "reversed" => {
                let on = v
                    .as_bool()
                    .ok_or_else(|| format!("`{key}.{attr}` must be true or false"))?;
                let m = match attr.as_str() {
                    "bold" => Modifier::BOLD,
                    "dim" => Modifier::DIM,
                    "italic" => Modifier::ITALIC,
                    "underline" => Modifier::UNDERLINED,
                    _ => Modifier::REVERSED,
                };
                if on {
                    style = style.add_modifier(m);
                }
            }
            other => return Err(format!("`{key}`: unknown attribute `{other}`")),
        }
    }
    Ok(style)
}

fn parse_color(s: &str) -> Option<Color> {
    let named = match s.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark_gray" | "dark_grey" => Color::DarkGray,
        "light_red" => Color::LightRed,
        "light_green" => Color::LightGreen,
        "light_yellow" => Color::LightYellow,
        "light_blue" => Color::LightBlue,
        "light_magenta" => Color::LightMagenta,
        "light_cyan" => Color::LightCyan,
        "white" => Color::White,
        _ => {
            if let Some(hex) = s.strip_prefix('#') {
                if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    let v = u32::from_str_radix(hex, 16).ok()?;
                    return Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
                }
                return None;
            }
            return s.parse::<u8>().ok().map(Color::Indexed);
        }
    };
    Some(named)
}

/// Whether a theme keeps to the 16 ANSI colours (old consoles).
pub fn uses_only_ansi16(t: &Theme) -> bool {
    Meaning::ALL.into_iter().all(|m| {
        let s = t.style(m);
        [s.fg, s.bg]
            .into_iter()
            .flatten()
            .all(|c| !matches!(c, Color::Rgb(..) | Color::Indexed(_)))
    })
}

/// Built-in themes plus any `*.toml` in the user's themes folder that parse.
/// A file that does not parse is reported, not fatal.
pub fn load_themes(user_dir: Option<&std::path::Path>) -> (Vec<Theme>, Vec<String>) {
    let mut themes: Vec<Theme> = BUILTIN
        .iter()
        .map(|(n, s)| Theme::parse(n, s).expect("built-in themes are valid (checked by tests)"))
        .collect();
    let mut errors = Vec::new();
    if let Some(dir) = user_dir.map(|d| d.join("themes"))
        && let Ok(entries) = std::fs::read_dir(&dir)
    {
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            match std::fs::read_to_string(&p)
                .map_err(|e| e.to_string())
                .and_then(|src| Theme::parse(&name, &src).map_err(|e| e.to_string()))
            {
                Ok(t) => {
                    themes.retain(|x| x.name != t.name);
                    themes.push(t);
                }
                Err(e) => errors.push(e),
            }
        }
    }
    (themes, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses_and_defines_the_essentials() {
        for (name, src) in BUILTIN {
            let t = Theme::parse(name, src).unwrap_or_else(|e| panic!("{e}"));
            for m in [
                Meaning::Selected,
                Meaning::Overdue,
                Meaning::Urgent,
                Meaning::Header,
            ] {
                assert_ne!(
                    t.style(m),
                    Style::default(),
                    "{name} leaves {} plain",
                    m.name()
                );
            }
        }
    }

    #[test]
    fn default_and_classic_use_only_16_colours() {
        for name in ["default", "high-contrast", "classic16"] {
            let t = Theme::load(name, None).unwrap();
            assert!(uses_only_ansi16(&t), "{name}");
        }
        assert!(!uses_only_ansi16(&Theme::load("dusk", None).unwrap()));
    }

    #[test]
    fn bad_themes_say_what_is_wrong() {
        let e = Theme::parse("x", "text = { fg = \"chartreuse\" }").unwrap_err();
        assert!(e.to_string().contains("chartreuse"), "{e}");
        let e =
            Theme::parse("x", "text = { fg = \"red\" }\nsparkle = { fg = \"red\" }").unwrap_err();
        assert!(e.to_string().contains("sparkle"));
        let e = Theme::parse("x", "muted = { fg = \"red\" }").unwrap_err();
        assert!(e.to_string().contains("text"));
        assert!(Theme::parse("x", "text = {").is_err());
        assert!(Theme::parse("x", "text = { bold = \"yes\" }").is_err());
        assert_eq!(
            Theme::load("no-such-theme", None).unwrap_err(),
            ThemeError::NotFound("no-such-theme".into())
        );
    }

    #[test]
    fn fallbacks_fill_missing_meanings() {
        let t = Theme::parse(
            "x",
            "text = { fg = \"white\" }\nerror = { fg = \"red\" }\nselected = { bg = \"blue\" }",
        )
        .unwrap();
        assert_eq!(t.style(Meaning::Overdue), t.style(Meaning::Error));
        assert_eq!(t.style(Meaning::TabActive), t.style(Meaning::Selected));
    }

    #[test]
    fn no_color_keeps_meaning_without_colour() {
        let t = Theme::builtin_default().without_color();
        for m in Meaning::ALL {
            let s = t.style(m);
            assert!(s.fg.is_none() && s.bg.is_none(), "{}", m.name());
        }
        assert!(
            t.style(Meaning::Selected)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
    }
}
