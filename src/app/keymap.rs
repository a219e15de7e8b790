//! The one table that maps keys to commands, per context.
//!
//! The default lives in `keymap.toml` (embedded); a user file of the same
//! shape may rebind commands. Help and the status line are generated from
//! this table, so they cannot disagree with what the keys do.

use super::action::Command;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::fmt;

const DEFAULT: &str = include_str!("keymap.toml");

/// Where the staff member is: decides which bindings apply. Lookups go from
/// the most specific context outwards, ending at `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    List,
    Form,
    Dialog,
    Drafts,
    Help,
    Search,
    Suggest,
    Settings,
    Members,
    Record,
    Ledger,
    Queue,
    Match,
    Disputes,
    Routine,
    /// The close form, with the list of what carries over beside it.
    Carry,
    Stats,
    Merchants,
    Hub,
    /// The hub's medals view.
    Medals,
    /// The hub's fund view.
    Fund,
}

impl Context {
    pub const ALL: [Context; 22] = [
        Context::Global,
        Context::Routine,
        Context::Carry,
        Context::Stats,
        Context::Merchants,
        Context::Medals,
        Context::Hub,
        Context::Fund,
        Context::Disputes,
        Context::Queue,
        Context::Match,
        Context::Members,
        Context::Record,
        Context::Ledger,
        Context::Settings,
        Context::List,
        Context::Form,
        Context::Suggest,
        Context::Search,
        Context::Dialog,
        Context::Drafts,
        Context::Help,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Form => "form",
            Context::Dialog => "dialog",
            Context::Drafts => "drafts",
            Context::Help => "help",
            Context::Search => "search",
            Context::Suggest => "suggest",
            Context::Settings => "settings",
            Context::Members => "members",
            Context::Record => "record",
            Context::Ledger => "ledger",
            Context::Queue => "queue",
            Context::Match => "match",
            Context::Disputes => "disputes",
            Context::Routine => "routine",
            Context::Carry => "carry",
            Context::Stats => "stats",
            Context::Merchants => "merchants",
            Context::Hub => "hub",
            Context::Medals => "medals",
            Context::Fund => "fund",
        }
    }

    fn parse(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == s)
    }
}

/// A key with its modifiers, normalised so that `Shift+a` and `A` are one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn from_event(ev: &KeyEvent) -> Chord {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                // terminals disagree on whether Shift is reported with the
                // shifted character; the character alone decides
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Chord { code, mods }
    }

    pub fn parse(s: &str) -> Result<Chord, String> {
        let lower = s.trim();
        if lower.is_empty() {
            return Err("empty key".into());
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = lower;
        loop {
            let l = rest.to_ascii_lowercase();
            if l.starts_with("ctrl-") && rest.len() > 5 {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[5..];
            } else if l.starts_with("alt-") && rest.len() > 4 {
                mods |= KeyModifiers::ALT;
                rest = &rest[4..];
            } else if l.starts_with("shift-") && rest.len() > 6 {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[6..];
            } else {
                break;
            }
        }
        let named = rest.to_ascii_lowercase();
        let code = match named.as_str() {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            f if f.starts_with('f')
                && f.len() > 1
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                let n: u8 = f[1..].parse().map_err(|_| format!("unknown key {s}"))?;
                if !(1..=12).contains(&n) {
                    return Err(format!("unknown key {s}"));
                }
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        if mods.contains(KeyModifiers::SHIFT) {
                            mods.remove(KeyModifiers::SHIFT);
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else if mods.contains(KeyModifiers::CONTROL) {
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => return Err(format!("unknown key {s}")),
                }
            }
        };
        if code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT);
        }
        Ok(Chord { code, mods })
    }

    /// A plain printable character: what a text field takes.
    pub fn printable(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if self.mods.is_empty() => Some(c),
            _ => None,
        }
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            write!(f, "Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            write!(f, "Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            write!(f, "Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => write!(f, "Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => write!(f, "Enter"),
            KeyCode::Esc => write!(f, "Esc"),
            KeyCode::Tab => write!(f, "Tab"),
            KeyCode::BackTab => write!(f, "Shift-Tab"),
            KeyCode::Backspace => write!(f, "Backspace"),
            KeyCode::Delete => write!(f, "Del"),
            KeyCode::Up => write!(f, "↑"),
            KeyCode::Down => write!(f, "↓"),
            KeyCode::Left => write!(f, "←"),
            KeyCode::Right => write!(f, "→"),
            KeyCode::PageUp => write!(f, "PgUp"),
            KeyCode::PageDown => write!(f, "PgDn"),
            KeyCode::Home => write!(f, "Home"),
            KeyCode::End => write!(f, "End"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Context → chord → command, plus the reverse (in file order) for help.
#[derive(Debug, Clone)]
pub struct Keymap {
    table: HashMap<Context, HashMap<Chord, Command>>,
    order: HashMap<Context, Vec<(Command, Vec<Chord>)>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError(pub String);

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Keymap {
    pub fn default_map() -> Keymap {
        Keymap::from_toml(DEFAULT, None).expect("the embedded keymap is valid (checked by tests)")
    }

    /// The default keymap with `user` (same format) rebinding commands on top.
    pub fn with_user(user: &str) -> Result<Keymap, KeymapError> {
        Keymap::from_toml(DEFAULT, Some(user))
    }

    fn from_toml(base: &str, user: Option<&str>) -> Result<Keymap, KeymapError> {
        let mut spec = parse_spec(base)?;
        if let Some(user) = user {
            for (ctx, bindings) in parse_spec(user)? {
                let entry = match spec.iter_mut().position(|(c, _)| *c == ctx) {
                    Some(i) => &mut spec[i].1,
                    None => {
                        spec.push((ctx, Vec::new()));
                        &mut spec.last_mut().expect("just pushed").1
                    }
                };
                for (cmd, chords) in bindings {
                    match entry.iter_mut().find(|(c, _)| *c == cmd) {
                        Some(slot) => slot.1 = chords,
                        None => entry.push((cmd, chords)),
                    }
                }
            }
        }
        let mut table: HashMap<Context, HashMap<Chord, Command>> = HashMap::new();
        for (ctx, bindings) in &spec {
            let map = table.entry(*ctx).or_default();
            for (cmd, chords) in bindings {
                for chord in chords {
                    if let Some(prev) = map.insert(*chord, *cmd)
                        && prev != *cmd
                    {
                        return Err(KeymapError(format!(
                            "[{}] key {chord} is bound to both {} and {}",
                            ctx.name(),
                            prev.name(),
                            cmd.name()
                        )));
                    }
                }
            }
        }
        Ok(Keymap {
            table,
            order: spec.into_iter().collect(),
        })
    }

    /// The command for `chord`, trying `contexts` in order then `Global`.
    pub fn lookup(&self, contexts: &[Context], chord: Chord) -> Option<Command> {
        contexts
            .iter()
            .chain(std::iter::once(&Context::Global))
            .find_map(|ctx| self.table.get(ctx).and_then(|m| m.get(&chord)).copied())
    }

    /// Bindings of one context, in file order.
    pub fn bindings(&self, ctx: Context) -> &[(Command, Vec<Chord>)] {
        self.order.get(&ctx).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first key bound to `cmd` in the given contexts (or global).
    pub fn key_for(&self, contexts: &[Context], cmd: Command) -> Option<Chord> {
        contexts
            .iter()
            .chain(std::iter::once(&Context::Global))
            .find_map(|ctx| {
                self.bindings(*ctx)
                    .iter()
                    .find(|(c, _)| *c == cmd)
                    .and_then(|(_, ks)| ks.first().copied())
            })
    }
}

type Spec = Vec<(Context, Vec<(Command, Vec<Chord>)>)>;

fn parse_spec(src: &str) -> Result<Spec, KeymapError> {
    let table: toml::Table = src.parse().map_err(|e: toml::de::Error| {
        // one line (the desk exits with it): the message and its line,
        // not the drawn multi-line report
        let line = e
            .span()
            .and_then(|s| src.get(..s.start))
            .map(|before| before.matches('\n').count() + 1);
        KeymapError(match line {
            Some(l) => format!("keymap: line {l}: {}", e.message()),
            None => format!("keymap: {}", e.message()),
        })
    })?;
    let mut out: Spec = Vec::new();
    for (ctx_name, value) in table {
        let ctx = Context::parse(&ctx_name)
            .ok_or_else(|| KeymapError(format!("keymap: unknown context [{ctx_name}]")))?;
        let toml::Value::Table(bindings) = value else {
            return Err(KeymapError(format!("keymap: [{ctx_name}] must be a table")));
        };
        let mut list = Vec::new();
        for (cmd_name, keys) in bindings {
            let cmd: Command = serde_json::from_value(serde_json::Value::String(cmd_name.clone()))
                .map_err(|_| {
                    KeymapError(format!("keymap: [{ctx_name}] unknown command {cmd_name}"))
                })?;
            let keys = match keys {
                toml::Value::String(s) => vec![s],
                toml::Value::Array(a) => a
                    .into_iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        KeymapError(format!(
                            "keymap: [{ctx_name}] {cmd_name}: keys must be strings"
                        ))
                    })?,
                _ => {
                    return Err(KeymapError(format!(
                        "keymap: [{ctx_name}] {cmd_name}: keys must be strings"
                    )));
                }
            };
            let chords = keys
                .iter()
                .map(|k| {
                    Chord::parse(k)
                        .map_err(|e| KeymapError(format!("keymap: [{ctx_name}] {cmd_name}: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            list.push((cmd, chords));
        }
        out.push((ctx, list));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> Chord {
        Chord::from_event(&KeyEvent::new(code, mods))
    }

    #[test]
    fn default_map_loads() {
        let km = Keymap::default_map();
        assert_eq!(
            km.lookup(&[], key(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(
            km.lookup(&[], key(KeyCode::Char('9'), KeyModifiers::NONE)),
            Some(Command::GoSettings)
        );
    }

    #[test]
    fn every_f_key_has_a_ctrl_alternative() {
        let km = Keymap::default_map();
        for ctx in Context::ALL {
            for (cmd, chords) in km.bindings(ctx) {
                if chords.iter().any(|c| matches!(c.code, KeyCode::F(_))) {
                    assert!(
                        chords
                            .iter()
                            .any(|c| c.mods.contains(KeyModifiers::CONTROL)),
                        "{} in [{}] has an F-key but no Ctrl alternative",
                        cmd.name(),
                        ctx.name()
                    );
                }
            }
        }
    }

    #[test]
    fn every_bound_command_is_described_in_both_languages() {
        let km = Keymap::default_map();
        for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
            let tr = crate::i18n::Tr::new(lang);
            for ctx in Context::ALL {
                for (cmd, _) in km.bindings(ctx) {
                    let k = cmd.describe_key();
                    assert_ne!(tr.t(&k), k.as_str(), "{k} missing in {lang:?}");
                }
            }
        }
    }

    #[test]
    fn no_upper_case_letter_is_bound_so_scans_get_through() {
        let km = Keymap::default_map();
        for ctx in Context::ALL {
            for (cmd, chords) in km.bindings(ctx) {
                for c in chords {
                    if let KeyCode::Char(ch) = c.code {
                        assert!(
                            !(ch.is_ascii_uppercase() && c.mods.is_empty()),
                            "{} in [{}]",
                            cmd.name(),
                            ctx.name()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn shift_and_case_are_one_key() {
        let a = key(KeyCode::Char('A'), KeyModifiers::SHIFT);
        assert_eq!(a, Chord::parse("A").unwrap());
        assert_eq!(a, Chord::parse("shift-a").unwrap());
        assert_eq!(
            key(KeyCode::BackTab, KeyModifiers::SHIFT),
            Chord::parse("backtab").unwrap()
        );
    }

    #[test]
    fn user_file_rebinds_and_conflicts_are_errors() {
        let km = Keymap::with_user("[global]\nquit = [\"ctrl-w\"]\n").unwrap();
        assert_eq!(
            km.lookup(&[], Chord::parse("ctrl-w").unwrap()),
            Some(Command::Quit)
        );
        assert_eq!(km.lookup(&[], Chord::parse("ctrl-q").unwrap()), None);
        let err = Keymap::with_user("[global]\nhelp = [\"ctrl-l\"]\n").unwrap_err();
        assert!(err.0.contains("bound to both"), "{err}");
        assert!(
            Keymap::with_user("[global]\nfly = [\"x\"]\n")
                .unwrap_err()
                .0
                .contains("unknown command")
        );
        assert!(
            Keymap::with_user("[nowhere]\nquit = [\"x\"]\n")
                .unwrap_err()
                .0
                .contains("unknown context")
        );
        assert!(Keymap::with_user("[global]\nquit = [\"ctrl-\"]\n").is_err());
        let e = Keymap::with_user("[global]\nquit = [\"x\"\n").unwrap_err();
        assert_eq!(e.0.lines().count(), 1, "{e}");
        assert!(e.0.contains("line 2"), "{e}");
        assert!(Keymap::with_user("[global]\nquit = [\"f13\"]\n").is_err());
    }

    #[test]
    fn chords_display_readably() {
        assert_eq!(Chord::parse("ctrl-q").unwrap().to_string(), "Ctrl-Q");
        assert_eq!(Chord::parse("f10").unwrap().to_string(), "F10");
        assert_eq!(Chord::parse("space").unwrap().to_string(), "Space");
    }
}
