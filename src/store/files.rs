//! The station's own files of an open store, for the output rules
//! ([`crate::output`]): which files no output may replace, and writing an
//! output judged against them.

use super::Store;
use crate::output::{self, Guarded};
use std::path::Path;

/// The station's files of an open store (its backup folder of the
/// settings, and `backups/` beside the database).
pub fn guarded_for(store: &Store) -> Vec<Guarded> {
    let mut dirs = vec![super::backup::backup_dir(store)];
    if let Some(beside) = store.path().parent().map(|p| p.join("backups"))
        && !dirs.contains(&beside)
    {
        dirs.push(beside);
    }
    output::guarded(store.path(), &dirs)
}

/// Judge `target` for `store` and write it (the commands' `--out FILE`).
pub fn write_for<T, E>(
    store: &Store,
    target: &Path,
    own_bundle: Option<(&str, &str)>,
    replace: bool,
    body: impl FnOnce(&mut dyn std::io::Write) -> Result<T, E>,
) -> Result<T, output::WriteError<E>> {
    let place = output::look(target).map_err(output::WriteError::Io)?;
    let verdict = output::judge(&place, &guarded_for(store), own_bundle, replace);
    output::write(target, &verdict, body)
}
