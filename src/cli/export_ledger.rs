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
    /// The file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

pub fn run(db: Option<&Path>, a: &ExportLedgerArgs, tr: &Tr) -> Result<(), Failure> {
    let f = Format::parse(&a.format)
        .ok_or_else(|| Failure::usage(format!("--format: {} (ledger or beancount)", a.format)))?;
    let path = crate::paths::resolve_db(db);
    let store = super::open_store(&path, OpenMode::Inspect, 0, tr)?;
    let tmp = a.out.with_extension("tmp");
    let file = std::fs::File::create(&tmp)
        .map_err(|e| Failure::failed(format!("{}: {e}", a.out.display())))?;
    let mut w = std::io::BufWriter::new(file);
    let n = journal::write(&store, f, &mut w).map_err(|e| Failure::failed(tr.msg(&e.msg())))?;
    use std::io::Write;
    w.flush().map_err(|e| Failure::failed(e.to_string()))?;
    drop(w);
    std::fs::rename(&tmp, &a.out).map_err(|e| Failure::failed(e.to_string()))?;
    println!(
        "{}",
        tr.f(
            "export_ledger.done",
            &[("n", &n), ("path", &a.out.display())]
        )
    );
    Ok(())
}
