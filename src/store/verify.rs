//! The whole-file check behind `shiguang verify` and the ledger pane's
//! chain status. Read only; reports every problem it finds.

use super::{Store, StoreResult, audit, ledger, migrate};
use crate::i18n::Tr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub problems: Vec<String>,
    pub audit_rows: u64,
    pub audit_head: String,
    pub staff: u64,
    pub members: u64,
    pub records: u64,
    pub transfers: u64,
    pub accounts: u64,
    pub ledger_head: String,
    pub schema_version: u32,
}

impl VerifyReport {
    pub fn summary_line(&self, tr: &Tr) -> String {
        tr.f(
            "verify.ok",
            &[
                ("version", &self.schema_version),
                ("staff", &self.staff),
                ("members", &self.members),
                ("records", &self.records),
                ("transfers", &self.transfers),
                ("accounts", &self.accounts),
                ("head", &&self.ledger_head[..12.min(self.ledger_head.len())]),
                ("audit", &self.audit_rows),
                (
                    "audit_head",
                    &&self.audit_head[..12.min(self.audit_head.len())],
                ),
            ],
        )
    }
}

fn count(c: &rusqlite::Connection, sql: &str) -> StoreResult<u64> {
    Ok(c.query_row(sql, [], |x| x.get::<_, i64>(0))? as u64)
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
        r.staff = count(c, "SELECT count(*) FROM staff")?;
        r.members = count(c, "SELECT count(*) FROM members")?;
        r.records = count(c, "SELECT count(*) FROM service_records")?;
        // no half-written record: each record has exactly one service transfer
        let orphans = count(
            c,
            "SELECT count(*) FROM service_records r
             WHERE (SELECT count(*) FROM transfers t WHERE t.record_id = r.id AND t.kind = 'service') != 1",
        )?;
        if orphans > 0 {
            r.problems.push(format!(
                "{orphans} service records without exactly one service transfer"
            ));
        }
        let unaudited = count(
            c,
            "SELECT count(*) FROM service_records r WHERE NOT EXISTS
               (SELECT 1 FROM audit_log a WHERE a.entity = 'service_record' AND a.entity_id = CAST(r.id AS TEXT))",
        )?;
        if unaudited > 0 {
            r.problems.push(format!(
                "{unaudited} service records without their audit row"
            ));
        }
        let stale = count(
            c,
            "SELECT count(*) FROM members m WHERE
                m.stat_ratings != (SELECT count(rating) FROM service_records WHERE provider_id = m.id)
             OR m.stat_positive != (SELECT coalesce(sum(rating >= 4), 0) FROM service_records WHERE provider_id = m.id)
             OR m.stat_minutes != (SELECT coalesce(sum(minutes), 0) FROM service_records WHERE provider_id = m.id)",
        )?;
        if stale > 0 {
            r.problems.push(format!(
                "{stale} members whose kept figures differ from their records"
            ));
        }
        let lr = ledger::verify_ledger(c)?;
        r.problems.extend(lr.problems);
        r.transfers = lr.transfers;
        r.accounts = lr.accounts;
        r.ledger_head = lr.head;
        let chain = audit::verify_chain(c)?;
        r.problems.extend(chain.problems);
        r.audit_rows = chain.rows;
        r.audit_head = chain.head;
        Ok(r)
    }
}
