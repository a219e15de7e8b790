//! Where files live: the database, the demo beside it, user themes and keymap.

use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "shiguang.db";
pub const DEMO_FILE: &str = "shiguang-demo.db";

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "shiguang")
}

/// The platform data folder's database: `~/.local/share/shiguang/shiguang.db`
/// on Linux, `%APPDATA%\shiguang\data\shiguang.db` on Windows.
pub fn default_db() -> PathBuf {
    dirs()
        .map(|d| d.data_dir().join(DB_FILE))
        .unwrap_or_else(|| PathBuf::from(DB_FILE))
}

/// The real database: `--db`, else `SHIGUANG_DB`, else the data folder.
pub fn resolve_db(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    match std::env::var_os("SHIGUANG_DB") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => default_db(),
    }
}

/// The demo database: `--db` if given, else beside the real one.
pub fn resolve_demo_db(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    let real = resolve_db(None);
    real.parent()
        .map(|d| d.join(DEMO_FILE))
        .unwrap_or_else(|| PathBuf::from(DEMO_FILE))
}

/// User configuration: `themes/*.toml` and `keymap.toml`.
pub fn config_dir() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().to_path_buf())
}
