//! Where files live: the database, the demo beside it, user themes and keymap.

use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "shiguang.db";
pub const DEMO_FILE: &str = "shiguang-demo.db";

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "shiguang")
}

/// Which of the platform's data folders holds the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFolder {
    /// The machine's own: `%LOCALAPPDATA%\shiguang\data` on Windows.
    Local,
    /// Windows' roaming folder, `%APPDATA%\shiguang\data`, where builds
    /// before this one put the database.
    Roaming,
}

/// The local folder, unless only the roaming one holds a database (a
/// station set up by an earlier build, which keeps working where it is).
/// A roaming profile copies `%APPDATA%` to the domain's server at every
/// logon and logoff — a gigabyte database each time, and a copy that can
/// come back older — so the database belongs in the local one. On Linux
/// and macOS the two are the same folder.
pub fn choose_data_folder(local_has_db: bool, roaming_has_db: bool) -> DataFolder {
    if roaming_has_db && !local_has_db {
        DataFolder::Roaming
    } else {
        DataFolder::Local
    }
}

/// The platform data folder's database: `~/.local/share/shiguang/shiguang.db`
/// on Linux, `%LOCALAPPDATA%\shiguang\data\shiguang.db` on Windows (see
/// [`choose_data_folder`]). Outside the program's folder, so replacing that
/// folder with a newer version leaves the station's data alone.
pub fn default_db() -> PathBuf {
    let Some(d) = dirs() else {
        return PathBuf::from(DB_FILE);
    };
    let local = d.data_local_dir().join(DB_FILE);
    let roaming = d.data_dir().join(DB_FILE);
    match choose_data_folder(local.exists(), roaming.exists()) {
        DataFolder::Local => local,
        DataFolder::Roaming => roaming,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_station_stays_where_an_earlier_build_put_it_and_new_ones_go_local() {
        assert_eq!(choose_data_folder(false, false), DataFolder::Local);
        assert_eq!(choose_data_folder(true, false), DataFolder::Local);
        assert_eq!(choose_data_folder(false, true), DataFolder::Roaming);
        // both: the local one is the station's (the roaming one is a stray copy)
        assert_eq!(choose_data_folder(true, true), DataFolder::Local);
    }
}
