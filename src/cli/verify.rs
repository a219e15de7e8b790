//! `shiguang verify`: is this file whole and honest?

use super::Failure;
use crate::i18n::Tr;
use crate::store::OpenMode;
use crate::store::verify::VerifyReport;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Also SQLite's full integrity_check (every index against its table)
    /// and the foreign keys: slower on a large file
    #[arg(long)]
    pub full: bool,
}

pub fn run(db: Option<&Path>, a: &VerifyArgs, tr: &Tr) -> Result<(), Failure> {
    let path = crate::config::paths::resolve_db(db);
    let now = chrono::Utc::now().timestamp_millis();
    let store = super::open_store(&path, OpenMode::Inspect, now, tr)?;
    let mut report = store
        .verify_with(a.full)
        .and_then(|mut r| {
            // and what was written outside the file: bundles, backups, headquarters
            r.problems.extend(store.verify_witnesses()?);
            Ok(r)
        })
        .map_err(|e| {
            let why = tr.msg(&e.msg());
            Failure::failed(tr.msg(&crate::store::recovery::offer(&path, &why)))
        })?;
    report.problems.dedup();
    if report.problems.is_empty() {
        outln!("{}", summary_line(&report, tr));
        Ok(())
    } else {
        for p in &report.problems {
            outln!("{p}");
        }
        let why = tr.f("verify.failed", &[("n", &report.problems.len())]);
        drop(store);
        Err(Failure::failed(
            tr.msg(&crate::store::recovery::offer(&path, &why)),
        ))
    }
}

/// The report of a file found whole, in words.
fn summary_line(report: &VerifyReport, tr: &Tr) -> String {
    tr.f(
        "verify.ok",
        &[
            ("version", &report.schema_version),
            ("staff", &report.staff),
            ("members", &report.members),
            ("records", &report.records),
            ("transfers", &report.transfers),
            ("accounts", &report.accounts),
            (
                "head",
                &&report.ledger_head[..12.min(report.ledger_head.len())],
            ),
            ("audit", &report.audit_rows),
            (
                "audit_head",
                &&report.audit_head[..12.min(report.audit_head.len())],
            ),
        ],
    )
}
