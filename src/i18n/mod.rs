//! Every visible string, one catalog per language (`zh.toml`, `en.toml`).
//!
//! Code names a string by its key through one of three markers — `msg!("…")`,
//! `tr.t("…")` or `k!("…")` — so a test can find every key the code uses and
//! check that both catalogs have it.

use crate::msg::Msg;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Of a name kept in both languages (a service type's, a checklist
    /// item's), the one in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" | "cn" | "中文" => Some(Lang::Zh),
            "en" | "en-us" | "en_us" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// Marks a literal as a catalog key (for the completeness test); returns it.
#[macro_export]
macro_rules! k {
    ($key:literal) => {
        $key
    };
}

const ZH: &str = include_str!("zh.toml");
const EN: &str = include_str!("en.toml");

type Catalog = HashMap<String, String>;

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

pub fn parse_catalog(src: &str) -> Result<Catalog, String> {
    let table: toml::Table = src.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut out = Catalog::new();
    flatten("", &table, &mut out);
    Ok(out)
}

fn catalogs() -> &'static (Catalog, Catalog) {
    static CATALOGS: OnceLock<(Catalog, Catalog)> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        (
            parse_catalog(ZH).expect("zh catalog is valid TOML (checked by tests)"),
            parse_catalog(EN).expect("en catalog is valid TOML (checked by tests)"),
        )
    })
}

/// Words in one language.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    map: &'static Catalog,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tr({:?})", self.lang)
    }
}

impl PartialEq for Tr {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        let (zh, en) = catalogs();
        Tr {
            lang,
            map: if lang == Lang::Zh { zh } else { en },
        }
    }

    /// The text of `key`; the key itself if missing (tests keep that from happening).
    pub fn t<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        self.map.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text of `key` with `{name}` placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut s = self
            .map
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string());
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), &value.to_string());
        }
        s
    }

    /// A [`Msg`] in words; its arguments that are themselves catalog keys
    /// (e.g. a service type's name) are translated too.
    pub fn msg(&self, m: &Msg) -> String {
        let mut s = self.t(m.key).to_string();
        for (name, value) in &m.args {
            let v = self
                .map
                .get(value.as_str())
                .map(String::as_str)
                .unwrap_or(value);
            s = s.replace(&format!("{{{name}}}"), v);
        }
        for (name, zh, en) in &m.names {
            s = s.replace(&format!("{{{name}}}"), self.lang.pick(zh, en));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_catalogs_have_the_same_keys() {
        let zh = parse_catalog(ZH).unwrap();
        let en = parse_catalog(EN).unwrap();
        let zk: BTreeSet<_> = zh.keys().collect();
        let ek: BTreeSet<_> = en.keys().collect();
        let only_zh: Vec<_> = zk.difference(&ek).collect();
        let only_en: Vec<_> = ek.difference(&zk).collect();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "only in zh: {only_zh:?}\nonly in en: {only_en:?}"
        );
    }

    #[test]
    fn placeholders_agree_between_languages() {
        let zh = parse_catalog(ZH).unwrap();
        let en = parse_catalog(EN).unwrap();
        let holes = |s: &str| -> BTreeSet<String> {
            s.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(h, _)| h.to_string()))
                .collect()
        };
        for (k, z) in &zh {
            if let Some(e) = en.get(k) {
                assert_eq!(holes(z), holes(e), "placeholders differ for {k}");
            }
        }
    }

    /// The code of every source file under `src/`: not the test module at
    /// the bottom, not comment lines.
    fn source_code() -> Vec<(String, String)> {
        let mut out = Vec::new();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let full = std::fs::read_to_string(&path).unwrap();
                    let code = full.split("#[cfg(test)]").next().unwrap_or("");
                    let code: String = code
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    let name = path.file_name().unwrap().to_string_lossy().to_string();
                    out.push((name, code));
                }
            }
        }
        out
    }

    /// The string literal right after each `marker` (whitespace and line
    /// breaks between them allowed, as rustfmt writes a long `msg!`).
    fn literals_after(code: &str, marker: &str) -> Vec<String> {
        code.split(marker)
            .skip(1)
            .filter_map(|rest| {
                let rest = rest.trim_start().strip_prefix('"')?;
                Some(rest.split('"').next().unwrap_or("").to_string())
            })
            .collect()
    }

    /// Every message key the code can show: named through a marker
    /// (`msg!`, `k!`, `tr.t`, `tr.f`, `Msg::new`), or built from a family
    /// (`help.context.*`, `cmd.*`, `drafts.form.*`, `hq.report.kind.*`)
    /// from the values that fill it. Each must be in both catalogs, or
    /// staff see the raw key (`redeem.offer_expired` once slipped through
    /// because its `msg!(` was broken over two lines).
    #[test]
    fn every_key_used_in_code_exists_in_both_languages() {
        use crate::app::keymap::{Context, Keymap};
        let zh = parse_catalog(ZH).unwrap();
        let en = parse_catalog(EN).unwrap();
        let mut used: BTreeSet<(String, String)> = BTreeSet::new();
        let mut draft_forms = BTreeSet::new();
        for (file, code) in source_code() {
            for marker in ["msg!(", "k!(", ".t(", ".f(", "Msg::new("] {
                for key in literals_after(&code, marker) {
                    if !key.is_empty() && !key.contains([' ', '{']) {
                        used.insert((file.clone(), key));
                    }
                }
            }
            // the forms a draft is kept under are named by `drafts.form.*`:
            // in a `draft_key` body, or as a pane's `…_DRAFT` constant
            for body in code.split("fn draft_key(").skip(1) {
                let body = body.split("\n    }").next().unwrap_or("");
                draft_forms.extend(literals_after(body, "Some("));
            }
            draft_forms.extend(literals_after(&code, "_DRAFT: &str ="));
        }
        assert!(draft_forms.contains("record.entry"), "{draft_forms:?}");
        for f in draft_forms {
            used.insert(("drafts".into(), format!("drafts.form.{f}")));
        }
        let km = Keymap::default_map();
        for ctx in Context::ALL {
            used.insert(("keymap".into(), format!("help.context.{}", ctx.name())));
            for (cmd, _) in km.bindings(ctx) {
                used.insert(("keymap".into(), cmd.describe_key()));
            }
        }
        for kind in [
            crate::domain::station::StationKind::Main,
            crate::domain::station::StationKind::Micro,
        ] {
            used.insert((
                "hq report".into(),
                format!("hq.report.kind.{}", kind.as_str()),
            ));
        }
        let missing: Vec<String> = used
            .iter()
            .filter(|(_, k)| !zh.contains_key(k) || !en.contains_key(k))
            .map(|(f, k)| {
                let lang = match (zh.contains_key(k), en.contains_key(k)) {
                    (false, false) => "both",
                    (false, true) => "zh",
                    _ => "en",
                };
                format!("{f}: {k} (missing in {lang})")
            })
            .collect();
        assert!(
            missing.is_empty(),
            "keys used in code but missing from the catalogs:\n{}",
            missing.join("\n")
        );
        assert!(used.len() > 1000, "the scan found only {} keys", used.len());
    }

    #[test]
    fn msg_fills_arguments() {
        let tr = Tr::new(Lang::En);
        let m = crate::msg!("staff.pin.short", min = 4);
        assert!(tr.msg(&m).contains('4'));
        assert!(!tr.msg(&m).contains("{min}"));
    }

    #[test]
    fn a_name_kept_in_both_languages_is_worded_in_the_desks() {
        let m = crate::msg!("record.level_cannot_give", level = "level.ordinary")
            .names("service", "陪诊", "escort");
        let zh = Tr::new(Lang::Zh).msg(&m);
        let en = Tr::new(Lang::En).msg(&m);
        assert!(zh.contains("陪诊") && !zh.contains("escort"), "{zh}");
        assert!(en.contains("escort") && !en.contains("陪诊"), "{en}");
    }
}
