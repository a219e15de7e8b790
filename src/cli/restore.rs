//! `shiguang restore`: put the newest backup that passes verify (or the one
//! named) in place of a damaged database. The damaged file is moved aside,
//! never deleted.

use super::Failure;
use super::staff::{self, Credentials, Need};
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
    #[command(flatten)]
    pub staff: super::staff::StaffArgs,
}

/// A station master of the station the restore replaces. A sound database
/// (`--force`) checks the PIN itself, as a sign-in (counted towards the
/// lockout, audited); a damaged one may not be readable, so the PIN is
/// checked against the backup being restored, read only: that backup is
/// the station from now on, and it must not change before it is checked.
/// `None`: neither has staff.
fn authorise(
    db: &Path,
    healthy: bool,
    from: &Path,
    a: &RestoreArgs,
    tr: &Tr,
) -> Result<Option<Credentials>, Failure> {
    use crate::store::{OpenMode, Store};
    let now = chrono::Utc::now().timestamp_millis();
    let unreadable = |p: &Path, e: crate::store::OpenError| {
        Failure::failed(tr.f(
            "restore.backup_bad",
            &[("backup", &p.display()), ("why", &tr.msg(&e.msg()))],
        ))
    };
    if healthy {
        let mut store = Store::open(db, OpenMode::Desk, now).map_err(|e| unreadable(db, e))?;
        if store
            .list_staff()
            .map_err(|e| staff::refused(e, tr))?
            .is_empty()
        {
            return Ok(None);
        }
        let c = staff::credentials(&a.staff, tr)?;
        staff::refuse_unless_allowed(&store, &c.staff_no, Need::Master, tr)?;
        store
            .sign_in_for(&c.staff_no, &c.pin, now, Some("restore"))
            .map_err(|e| staff::refused(e, tr))?;
        return Ok(Some(c));
    }
    let backup = Store::open(from, OpenMode::Inspect, now).map_err(|e| unreadable(from, e))?;
    if backup
        .list_staff()
        .map_err(|e| staff::refused(e, tr))?
        .is_empty()
    {
        return Ok(None);
    }
    let c = staff::credentials(&a.staff, tr)?;
    staff::refuse_unless_allowed(&backup, &c.staff_no, Need::Master, tr)?;
    backup
        .check_pin(&c.staff_no, &c.pin, now)
        .map_err(|e| staff::refused(e, tr))?;
    Ok(Some(c))
}

pub fn run(db: Option<&Path>, a: &RestoreArgs, tr: &Tr) -> Result<(), Failure> {
    let path = crate::config::paths::resolve_db(db);
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
    // a backup that will not do is refused before anyone signs in anywhere
    // (a delta is rebuilt once, here, and the rebuilt file used throughout)
    let built = recovery::prepare(&from).map_err(|m| Failure::failed(tr.msg(&m)))?;
    let who = authorise(&path, healthy, built.path(), a, tr)?;
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
    let done = recovery::restore_built(&path, &from, built.path(), now)
        .map_err(|m| Failure::failed(tr.msg(&m)))?;
    drop(built);
    for p in &done.set_aside {
        outln!("{}", tr.f("restore.set_aside", &[("path", &p.display())]));
    }
    for p in &done.witnesses {
        outln!(
            "{}",
            tr.f("restore.witness_aside", &[("path", &p.display())])
        );
    }
    // the restored station's audit log says who put it back (the PIN was
    // checked against this very file before it was copied)
    if let Some(c) = who {
        let mut store = crate::store::Store::open(&path, crate::store::OpenMode::Desk, now)
            .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
        store
            .sign_in_for(&c.staff_no, &c.pin, now, Some("restore"))
            .map_err(|e| staff::refused(e, tr))?;
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
