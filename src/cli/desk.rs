//! Opening the desk (the command without a subcommand): pick the database
//! (real or demo), themes, keymap and language, then hand over to the
//! runtime.

use super::{Cli, Failure};
use crate::app::Boot;
use crate::app::keymap::Keymap;
use crate::config::theme::{Theme, load_themes};
use crate::i18n::{Lang, Tr};
use crate::msg;
use crate::store::OpenMode;

pub fn open(cli: &Cli, lang: Lang) -> Result<(), Failure> {
    let tr = Tr::new(lang);
    let now = chrono::Utc::now().timestamp_millis();
    let config = crate::config::paths::config_dir();
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
        let path = crate::config::paths::resolve_demo_db(cli.db.as_deref());
        let (store, session) = crate::seed::demo::open_or_build(&path, now)
            .map_err(|e| Failure::failed(tr.msg(&e)))?;
        (store, Some(session))
    } else {
        let path = crate::config::paths::resolve_db(cli.db.as_deref());
        if crate::desk::is_new_file(&path) {
            new_file = Some(path.clone());
            let store = crate::store::Store::not_yet_created(&path)
                .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
            (store, None)
        } else {
            let store = super::open_unchecked(&path, OpenMode::Desk, now, &tr)?;
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
        opens_programs: true,
    };
    crate::runtime::run(store, boot).map_err(|e| Failure::failed(e.to_string()))
}
