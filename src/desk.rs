//! Where the desk starts: the themes it offers and whether a database
//! path is a new file. Opening the desk from the command line (the
//! database, themes, keymap, language, then the runtime) is
//! `crate::cli::desk`.

/// The themes, by their old place (`crate::config::theme`).
pub use crate::config::theme::load_themes;

/// Nothing at `path`, and no station key beside it (a key alone is a
/// station whose file is lost: the open says so). The desk asks before it
/// makes a new station file there — a mistyped `--db` creates nothing.
pub fn is_new_file(path: &std::path::Path) -> bool {
    std::fs::symlink_metadata(path).is_err()
        && std::fs::symlink_metadata(crate::store::secret::key_path(path)).is_err()
}
