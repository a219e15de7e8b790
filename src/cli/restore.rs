//! `shiguang restore`: put the newest backup that passes verify (or the one
//! named) in place of a damaged database. The damaged file is moved aside,
//! never deleted.

use super::Failure;
use crate::i18n::Tr;
use crate::store::recovery;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup to restore (default: the newest that passes verify)
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Do not ask before restoring
    #[arg(long)]
    pub yes: bool,
    /// Restore even though the current database passes verify (what was
    /// saved since that backup is then only in the file set aside)
    #[arg(long)]
    pub force: bool,
}

pub fn run(db: Option<&Path>, a: &RestoreArgs, tr: &Tr) -> Result<(), Failure> {
    let path = crate::paths::resolve_db(db);
    let healthy = path.exists() && recovery::passes_verify(&path).is_ok();
    if healthy && !a.force {
        return Err(Failure::failed(
            tr.f("restore.not_needed", &[("db", &path.display())]),
        ));
    }
    let from = match &a.from {
        Some(f) => f.clone(),
        None => recovery::newest_sound_backup(&path).ok_or_else(|| {
            Failure::failed(tr.msg(&crate::msg!(
                "restore.no_backup",
                why = tr.t("restore.asked"),
                db = path.display()
            )))
        })?,
    };
    outln!(
        "{}",
        tr.f(
            "restore.plan",
            &[("backup", &from.display()), ("db", &path.display())]
        )
    );
    if !a.yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure::usage(tr.t("restore.need_yes")));
        }
        super::out::text(&format!("{} ", tr.t("restore.ask")));
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            return Err(Failure::failed(tr.t("restore.cancelled")));
        }
    }
    let now = chrono::Utc::now().timestamp_millis();
    let done = recovery::restore(&path, &from, now).map_err(|m| Failure::failed(tr.msg(&m)))?;
    for p in &done.set_aside {
        outln!("{}", tr.f("restore.set_aside", &[("path", &p.display())]));
    }
    outln!(
        "{}",
        tr.f(
            "restore.done",
            &[("backup", &done.from.display()), ("db", &path.display())]
        )
    );
    Ok(())
}
