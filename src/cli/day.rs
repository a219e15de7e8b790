//! `close-day`, `export-day`, `check-bundle` and `backup`: the day's close
//! and its bundle from the command line, with the desk's own code.

use super::Failure;
use super::staff::Need;
use crate::domain::close::{Closing, NotYet};
use crate::i18n::Tr;
use crate::routines::close_day;
use crate::store::days::Via;
use crate::store::{OpenMode, Store};
use crate::wire::bundle::Bundle;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct CloseDayArgs {
    /// The station day to close, YYYY-MM-DD (default: today, station time)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The story-wall line for the day
    #[arg(long, default_value = "")]
    pub story: String,
    /// The paper documents are locked away
    #[arg(long)]
    pub docs_locked: bool,
    #[command(flatten)]
    pub staff: super::staff::StaffArgs,
}

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub staff: super::staff::StaffArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExportDayArgs {
    /// The closed station day, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub date: String,
    /// The file to write (`-`: standard output). An existing file is
    /// replaced only with --force, and only by the same day's bundle; the
    /// station's own files never.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace FILE if it exists (an ordinary file, not another day's bundle)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckBundleArgs {
    /// A day bundle (.jsonl)
    pub file: PathBuf,
    /// The public key the bundle must be signed with (64 hex digits, as
    /// `shiguang station-key` prints it); default: this station's, when
    /// the station's file is found (`--db`, else the default one)
    #[arg(long, value_name = "HEX")]
    pub key: Option<String>,
}

fn parse_date(s: &str, tr: &Tr) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Failure::usage(tr.f("cli.date_invalid", &[("date", &s)])))
}

pub(super) fn open(db: Option<&Path>, mode: OpenMode, tr: &Tr) -> Result<Store, Failure> {
    let path = crate::config::paths::resolve_db(db);
    // a mistyped --db must not leave a new, empty database behind (a file
    // missing beside its key is damage: the open below says so)
    if !path.exists() && !crate::store::secret::key_path(&path).exists() {
        return Err(Failure::failed(tr.t("cli.no_station")));
    }
    let now = chrono::Utc::now().timestamp_millis();
    let store = super::open_store(&path, mode, now, tr)?;
    if store.station().is_none() {
        return Err(Failure::failed(tr.t("cli.no_station")));
    }
    Ok(store)
}

pub fn close(db: Option<&Path>, a: &CloseDayArgs, tr: &Tr) -> Result<(), Failure> {
    // the arguments first: a bad one is exit 2 whatever the database
    let date = a.date.as_deref().map(|d| parse_date(d, tr)).transpose()?;
    crate::domain::privacy::refuse_id_numbers("--story", &a.story)
        .map_err(|r| Failure::usage(format!("--story: {}", tr.msg(&r.msg))))?;
    let mut store = open(db, OpenMode::Desk, tr)?;
    let by = super::staff::sign_in(&mut store, &a.staff, "close-day", Need::AnyStaff, tr)?;
    let now = chrono::Utc::now().timestamp_millis();
    let tz = store.tz();
    let day = date.unwrap_or_else(|| crate::domain::time::local_day(now, tz));
    let closing = Closing {
        story: &a.story,
        docs_locked: a.docs_locked,
    };
    // the rule F10 goes by: what the closer can put right is exit 2, and
    // nothing is closed
    let verdict = close_day::check(&store, day, closing, now)
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    if let Err(why) = verdict
        && why.is_correctable()
    {
        return Err(Failure::usage(match why {
            NotYet::NoStory => tr.t("cli.close_story").to_string(),
            NotYet::DocsNotLocked => tr.t("cli.close_docs").to_string(),
            NotYet::EarlierOpen(e) => tr.f("cli.close_earlier", &[("day", &e)]),
            NotYet::Future | NotYet::NotOpen => tr.msg(&why.refusal(day).msg),
        }));
    }
    let c = close_day::close(&mut store, by.as_ref(), Via::CommandLine, day, closing, now)
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    let path = |p: &Option<PathBuf>| {
        p.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    let key = if c.already {
        "cli.close_already"
    } else {
        "cli.close_done"
    };
    outln!(
        "{}",
        tr.f(
            key,
            &[
                ("day", &day),
                ("v", &c.version),
                ("services", &c.figures.services),
                ("backup", &path(&c.backup)),
                ("bundle", &path(&c.bundle)),
            ],
        )
    );
    if let Some(board) = &c.board {
        outln!("{}", tr.f("cli.close_board", &[("path", &board.display())]));
    }
    // then headquarters, when the station has its address: never failing
    // the close (the day is closed and bundled whatever the network does)
    match close_day::sync(&store) {
        None => {}
        Some(Ok(r)) => outln!(
            "{}",
            tr.f(
                "hq.sync.done",
                &[
                    ("rows", &r.sent.total()),
                    ("new", &r.new.total()),
                    ("lseq", &r.ledger.seq),
                    ("aseq", &r.audit.seq),
                ],
            )
        ),
        Some(Err(crate::hq::HqError::Refused(p))) => outln!("{}", tr.msg(&p.msg())),
        Some(Err(e)) => outln!("{}", tr.f("hq.sync.later", &[("why", &e.reason())])),
    }
    Ok(())
}

pub fn export(db: Option<&Path>, a: &ExportDayArgs, tr: &Tr) -> Result<(), Failure> {
    let day = parse_date(&a.date, tr)?;
    let store = open(db, OpenMode::Inspect, tr)?;
    let text = store
        .day_bundle_text(day)
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    let code = store.station().map(|s| s.code()).unwrap_or_default();
    let day_s = day.to_string();
    super::out::write_out(&store, &a.out, Some((&code, &day_s)), a.force, tr, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| crate::store::StoreError::Other(e.to_string()))
    })?;
    if let super::out::Target::File(out) = super::out::Target::of(&a.out) {
        outln!(
            "{}",
            tr.f(
                "cli.export_day_done",
                &[("day", &day), ("path", &out.display())]
            )
        );
    }
    Ok(())
}

/// The key a bundle must be signed with: `--key`, else the station's own
/// when its file is found (`--db`, else the default station), else none
/// known (the signer is then only named).
fn expected_key(
    db: Option<&Path>,
    a: &CheckBundleArgs,
    tr: &Tr,
) -> Result<Option<String>, Failure> {
    if let Some(k) = &a.key {
        let k = k.trim().to_ascii_lowercase();
        if k.len() != 64 || !k.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Failure::usage(tr.f(
                "cli.key_invalid",
                &[("key", &a.key.as_deref().unwrap_or_default())],
            )));
        }
        return Ok(Some(k));
    }
    let path = crate::config::paths::resolve_db(db);
    if db.is_none() && !path.exists() {
        return Ok(None);
    }
    let store = open(Some(&path), OpenMode::Inspect, tr)?;
    let signer = store
        .signer()
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    Ok(Some(signer.public_hex()))
}

/// What is wrong with a bundle's signature: none, another key, or no key.
pub fn signature_problems(b: &Bundle, expected: Option<&str>) -> Vec<String> {
    match (&b.signed_by, expected) {
        (None, _) => {
            vec!["the bundle is not signed: headquarters refuses an unsigned bundle".into()]
        }
        (Some(by), Some(want)) if by != want => vec![format!(
            "the bundle is signed by the key {by}, not by this station's key {want}"
        )],
        _ => Vec::new(),
    }
}

pub fn check(db: Option<&Path>, a: &CheckBundleArgs, tr: &Tr) -> Result<(), Failure> {
    let expected = expected_key(db, a, tr)?;
    let text = std::fs::read_to_string(&a.file)
        .map_err(|e| Failure::failed(format!("{}: {e}", a.file.display())))?;
    let b = Bundle::parse(&text)
        .map_err(|e| Failure::failed(tr.f("cli.bundle_unreadable", &[("why", &e)])))?;
    let mut problems = signature_problems(&b, expected.as_deref());
    problems.extend(b.check());
    if problems.is_empty() {
        let day = b.header.as_ref().map(|h| h.day.clone()).unwrap_or_default();
        let f = b
            .summary
            .as_ref()
            .map(|s| s.figures.clone())
            .unwrap_or_default();
        outln!(
            "{}",
            tr.f(
                "cli.bundle_ok",
                &[
                    ("day", &day),
                    ("services", &f.services),
                    ("transfers", &b.transfers.len()),
                    ("audit", &b.audit.len()),
                ],
            )
        );
        let key = b.signed_by.as_deref().unwrap_or_default();
        let line = if expected.is_some() {
            "cli.bundle_signed"
        } else {
            "cli.bundle_signer_unchecked"
        };
        outln!("{}", tr.f(line, &[("key", &key)]));
        return Ok(());
    }
    for p in &problems {
        outln!("{p}");
    }
    Err(Failure::failed(
        tr.f("cli.bundle_bad", &[("n", &problems.len())]),
    ))
}

/// `station-key`: the station's public key, for headquarters' registration.
pub fn station_key(db: Option<&Path>, tr: &Tr) -> Result<(), Failure> {
    let store = open(db, OpenMode::Inspect, tr)?;
    let signer = store
        .signer()
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    outln!("{}", signer.public_hex());
    Ok(())
}

pub fn backup(db: Option<&Path>, a: &BackupArgs, tr: &Tr) -> Result<(), Failure> {
    let store = open(db, OpenMode::Inspect, tr)?;
    // a read-only file can still be backed up (that only reads it), but no
    // sign-in row can be written into it: the PIN is checked as `sync` does
    if crate::store::probe::read_only_part(store.path()).is_some() {
        super::staff::check(&store, &a.staff, "backup", Need::AnyStaff, tr)?;
    } else {
        super::staff::sign_in_at(store.path(), &a.staff, "backup", Need::AnyStaff, tr)?;
    }
    let now = chrono::Utc::now().timestamp_millis();
    let tz = store.tz();
    let label = crate::domain::time::fmt_local(now, tz, "%Y-%m-%d-%H%M");
    let p = store
        .backup_now(&label)
        .map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    outln!("{}", tr.f("cli.backup_done", &[("path", &p.display())]));
    Ok(())
}
