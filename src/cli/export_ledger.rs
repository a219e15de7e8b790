//! `shiguang export-ledger`: the ledger for HQ's accountants.

use super::Failure;
use crate::i18n::Tr;
use crate::journal::{self, Format};
use crate::store::OpenMode;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ExportLedgerArgs {
    /// ledger (hledger, ledger-cli) or beancount
    #[arg(long, default_value = "ledger")]
    pub format: String,
    /// The file to write (`-`: standard output). An existing file is
    /// replaced only with --force; the station's own files never.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Replace FILE if it exists (an ordinary file only)
    #[arg(long)]
    pub force: bool,
}

pub fn run(db: Option<&Path>, a: &ExportLedgerArgs, tr: &Tr) -> Result<(), Failure> {
    let f = Format::parse(&a.format)
        .ok_or_else(|| Failure::usage(format!("--format: {} (ledger or beancount)", a.format)))?;
    let path = crate::config::paths::resolve_db(db);
    let store = super::open_store(&path, OpenMode::Inspect, 0, tr)?;
    let n = super::out::write_out(&store, &a.out, None, a.force, tr, |mut w| {
        journal::write(&store, f, &mut w)
    })?;
    if let super::out::Target::File(out) = super::out::Target::of(&a.out) {
        outln!(
            "{}",
            tr.f("export_ledger.done", &[("n", &n), ("path", &out.display())])
        );
    }
    Ok(())
}
