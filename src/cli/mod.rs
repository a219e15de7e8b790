//! Command-line entry: the desk (no subcommand) and subcommands for scripts.
//! Subcommands call the same store and domain code as the screens.

/// `println!` for what a command prints: a closed pipe ends the program
/// quietly instead of a panic (see [`out`]).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::out::line(format_args!($($arg)*))
    };
}

mod bench;
mod bench_mem;
mod day;
mod desk;
mod export_ledger;
pub mod hq;
mod hq_bench;
mod init;
pub mod out;
mod print;
mod restore;
mod seed;
mod staff;
mod stress;
mod verify;

use crate::i18n::{Lang, Tr};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "shiguang",
    version,
    about = "时光驿站 station desk / the station desk of a community time bank"
)]
pub struct Cli {
    /// Database file (default: SHIGUANG_DB, else the platform data folder)
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Interface language: zh (default) or en
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// Open the demo station (its own file, rebuilt each new day)
    #[arg(long)]
    pub demo: bool,
    /// Colour theme: default, high-contrast, classic16, dusk, or a .toml file
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// No colours (also when NO_COLOR is set)
    #[arg(long)]
    pub no_color: bool,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create the station and its first station master without the screen
    Init(init::InitArgs),
    /// Check a database file: integrity, foreign keys, migrations, hash chains
    Verify(verify::VerifyArgs),
    /// Add synthetic members and history (adds to an existing station)
    Seed(seed::SeedArgs),
    /// Write the ledger as an hledger/ledger or Beancount journal
    ExportLedger(export_ledger::ExportLedgerArgs),
    /// Post records without end, printing each id after its commit (for the kill test)
    #[command(hide = true)]
    StressPost(stress::StressArgs),
    /// Close a station day: summary, backup and bundle (like F10)
    CloseDay(day::CloseDayArgs),
    /// Write a closed day's bundle for headquarters again
    ExportDay(day::ExportDayArgs),
    /// Re-compute a day bundle's totals and chains; exit 0 if they hold, 1 if not
    CheckBundle(day::CheckBundleArgs),
    /// Print the station's public key (64 hex digits), for headquarters' registration
    StationKey,
    /// Back up the database now into the backup folder
    Backup(day::BackupArgs),
    /// Replace a damaged database with the newest backup that passes verify
    /// (the damaged file is moved aside, never deleted)
    Restore(restore::RestoreArgs),
    /// Time the desk's operations on a large seeded station (built once, kept)
    Bench(bench::BenchArgs),
    /// Print the keymap as a Markdown table
    Keys,
    /// Write a blank form (application, commitment) into exports/ to print
    Print(print::PrintArgs),
    /// Send this station's rows to headquarters (PostgreSQL)
    Sync(hq::SyncArgs),
    /// Headquarters: create its schema, ingest bundles, the month report
    Hq(hq::HqArgs),
}

/// A failure worth one line and an exit code.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    pub fn failed(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

/// Open the database for a command; a damaged file is refused with the
/// newest backup that passes verify on offer.
pub fn open_store(
    path: &std::path::Path,
    mode: crate::store::OpenMode,
    now: i64,
    tr: &Tr,
) -> Result<crate::store::Store, Failure> {
    let store = open_unchecked(path, mode, now, tr)?;
    let offer = |why: &str| Failure::failed(tr.msg(&crate::store::recovery::offer(path, why)));
    // a command that writes checks the file first (the desk does it in the
    // background, with writes held): nothing is written into a damaged file
    if mode == crate::store::OpenMode::Desk && store.station().is_some() {
        store.startup_check().map_err(|why| {
            offer(&tr.msg(&crate::msg!(
                "db.error.damaged",
                path = path.display(),
                why = why
            )))
        })?;
    }
    Ok(store)
}

/// [`open_store`] without the check of the whole file (the desk's).
pub fn open_unchecked(
    path: &std::path::Path,
    mode: crate::store::OpenMode,
    now: i64,
    tr: &Tr,
) -> Result<crate::store::Store, Failure> {
    let offer = |why: &str| Failure::failed(tr.msg(&crate::store::recovery::offer(path, why)));
    let store = crate::store::Store::open(path, mode, now).map_err(|e| {
        if e.is_damage() {
            offer(&tr.msg(&e.msg()))
        } else {
            Failure::failed(tr.msg(&e.msg()))
        }
    })?;
    Ok(store)
}

/// The language of command-line messages: `--lang`, else `SHIGUANG_LANG`, else zh.
pub fn cli_lang(flag: Option<&str>) -> Result<Lang, Failure> {
    match flag.map(str::to_string).or_else(|| {
        std::env::var("SHIGUANG_LANG")
            .ok()
            .filter(|s| !s.is_empty())
    }) {
        None => Ok(Lang::Zh),
        Some(s) => Lang::parse(&s)
            .ok_or_else(|| Failure::usage(format!("--lang: unknown language {s:?} (zh or en)"))),
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // one line, not a page of usage
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("bad arguments")
                .trim_start_matches("error: ");
            out::err_line(format_args!("shiguang: {first}"));
            return ExitCode::from(2);
        }
    };
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            out::err_line(format_args!("shiguang: {}", f.message));
            ExitCode::from(f.code)
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Failure> {
    let lang = cli_lang(cli.lang.as_deref())?;
    let tr = Tr::new(lang);
    match cli.command {
        None => desk::open(&cli, lang),
        Some(Cmd::Init(args)) => init::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::Verify(args)) => verify::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::Seed(args)) => seed::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::ExportLedger(args)) => export_ledger::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::StressPost(args)) => stress::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::CloseDay(args)) => day::close(cli.db.as_deref(), &args, &tr),
        Some(Cmd::ExportDay(args)) => day::export(cli.db.as_deref(), &args, &tr),
        Some(Cmd::CheckBundle(args)) => day::check(cli.db.as_deref(), &args, &tr),
        Some(Cmd::StationKey) => day::station_key(cli.db.as_deref(), &tr),
        Some(Cmd::Backup(args)) => day::backup(cli.db.as_deref(), &args, &tr),
        Some(Cmd::Restore(args)) => restore::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::Bench(args)) => bench::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::Sync(args)) => hq::sync(cli.db.as_deref(), &args, &tr),
        Some(Cmd::Hq(args)) => hq::run(&args, &tr),
        Some(Cmd::Print(args)) => print::run(cli.db.as_deref(), &args, &tr),
        Some(Cmd::Keys) => {
            out::text(&keys_markdown(&tr));
            Ok(())
        }
    }
}

/// The keymap as a Markdown table (docs/keys.md is this output).
pub fn keys_markdown(tr: &Tr) -> String {
    use crate::app::keymap::{Context, Keymap};
    let km = Keymap::default_map();
    let mut out = String::new();
    for ctx in Context::ALL {
        let rows = km.bindings(ctx);
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n**{}**\n\n| {} | {} |\n|---|---|\n",
            tr.t(&format!("help.context.{}", ctx.name())),
            tr.t("keys.key"),
            tr.t("keys.does")
        ));
        for (cmd, keys) in rows {
            let keys = keys
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" ");
            out.push_str(&format!("| {keys} | {} |\n", tr.t(&cmd.describe_key())));
        }
    }
    out
}
