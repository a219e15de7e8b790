//! The whole-file check behind `shiguang verify` and the ledger pane's
//! chain status. Read only; reports every problem it finds.

use super::{Store, StoreResult, audit, migrate};
use crate::i18n::Tr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub problems: Vec<String>,
    pub audit_rows: u64,
    pub audit_head: String,
    pub staff: u64,
    pub schema_version: u32,
}

impl VerifyReport {
    pub fn summary_line(&self, tr: &Tr) -> String {
        tr.f(
            "verify.ok",
            &[
                ("version", &self.schema_version),
                ("staff", &self.staff),
                ("audit", &self.audit_rows),
                ("head", &&self.audit_head[..12.min(self.audit_head.len())]),
            ],
        )
    }
}

impl Store {
    pub fn verify(&self) -> StoreResult<VerifyReport> {
        let mut r = VerifyReport::default();
        let c = &self.conn;
        let mut stmt = c.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |x| x.get(0))?
            .collect::<Result<_, _>>()?;
        if !(rows.len() == 1 && rows[0] == "ok") {
            r.problems
                .extend(rows.into_iter().map(|x| format!("integrity: {x}")));
        }
        let mut stmt = c.prepare("PRAGMA foreign_key_check")?;
        let fk: Vec<String> = stmt
            .query_map([], |x| {
                Ok(format!(
                    "foreign key: {} row {:?} → {}",
                    x.get::<_, String>(0)?,
                    x.get::<_, Option<i64>>(1)?,
                    x.get::<_, String>(2)?
                ))
            })?
            .collect::<Result<_, _>>()?;
        r.problems.extend(fk);
        match migrate::state(c)? {
            migrate::MigrationState::UpToDate => {}
            other => r.problems.push(format!("migrations: {other:?}")),
        }
        r.schema_version = c
            .query_row(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                [],
                |x| x.get(0),
            )
            .unwrap_or(0);
        r.staff = c.query_row("SELECT count(*) FROM staff", [], |x| x.get::<_, i64>(0))? as u64;
        let chain = audit::verify_chain(c)?;
        r.problems.extend(chain.problems);
        r.audit_rows = chain.rows;
        r.audit_head = chain.head;
        Ok(r)
    }
}
