//! Opening the desk: pick the database (real or demo), themes, keymap and
//! language, then hand over to the runtime.

use crate::app::Boot;
use crate::app::keymap::Keymap;
use crate::cli::{Cli, Failure};
use crate::i18n::{Lang, Tr};
use crate::msg;
use crate::store::OpenMode;
use crate::ui::theme::{BUILTIN, Theme};

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

/// Nothing at `path`, and no station key beside it (a key alone is a
/// station whose file is lost: the open says so). The desk asks before it
/// makes a new station file there — a mistyped `--db` creates nothing.
pub fn is_new_file(path: &std::path::Path) -> bool {
    std::fs::symlink_metadata(path).is_err()
        && std::fs::symlink_metadata(crate::store::secret::key_path(path)).is_err()
}

pub fn open(cli: &Cli, lang: Lang) -> Result<(), Failure> {
    let tr = Tr::new(lang);
    let now = chrono::Utc::now().timestamp_millis();
    let config = crate::paths::config_dir();
    let (mut themes, theme_errors) = load_themes(config.as_deref());
    let mut notes: Vec<crate::msg::Msg> = theme_errors
        .into_iter()
        .map(|e| msg!("theme.file_error", why = e))
        .collect();
    let mut theme_forced = None;
    if let Some(name) = &cli.theme {
        if themes.iter().any(|t| &t.name == name) {
            theme_forced = Some(name.clone());
        } else {
            match Theme::load(name, config.as_ref().map(|c| c.join("themes")).as_deref()) {
                Ok(t) => {
                    theme_forced = Some(t.name.clone());
                    themes.push(t);
                }
                Err(e) => {
                    // a clear message, and the default theme
                    eprintln!("shiguang: {}", tr.f("theme.fallback", &[("why", &e)]));
                    notes.push(msg!("theme.fallback", why = e));
                }
            }
        }
    }
    let keymap = match config
        .as_ref()
        .map(|c| c.join("keymap.toml"))
        .filter(|p| p.is_file())
    {
        None => Keymap::default_map(),
        Some(p) => {
            let loaded = std::fs::read_to_string(&p)
                .map_err(|e| e.to_string())
                .and_then(|s| Keymap::with_user(&s).map_err(|e| e.0));
            loaded.map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?
        }
    };

    let mut new_file = None;
    let (store, session) = if cli.demo {
        let path = crate::paths::resolve_demo_db(cli.db.as_deref());
        let (store, session) = crate::seed::demo::open_or_build(&path, now)
            .map_err(|e| Failure::failed(tr.msg(&e)))?;
        (store, Some(session))
    } else {
        let path = crate::paths::resolve_db(cli.db.as_deref());
        if is_new_file(&path) {
            new_file = Some(path.clone());
            let store = crate::store::Store::not_yet_created(&path)
                .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
            (store, None)
        } else {
            let store = crate::cli::open_unchecked(&path, OpenMode::Desk, now, &tr)?;
            (store, None)
        }
    };
    let boot = Boot {
        now,
        lang,
        lang_forced: cli.lang.is_some()
            || std::env::var("SHIGUANG_LANG").is_ok_and(|s| !s.is_empty()),
        themes,
        theme_forced,
        no_color: cli.no_color || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        demo: cli.demo,
        station: store.station().cloned(),
        settings: store.settings().clone(),
        session,
        keymap,
        size: (80, 24),
        startup_notes: notes,
        new_file,
    };
    crate::runtime::run(store, boot).map_err(|e| Failure::failed(e.to_string()))
}
