//! The whole-file check behind `shiguang verify` and the ledger pane's
//! chain status. Read only; reports every problem it finds.

use super::{Store, StoreError, StoreResult, audit, ledger, migrate};
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
    /// Everything `shiguang verify` checks: the file (`quick_check`, or the
    /// slower `integrity_check` and the foreign keys when `full`), the
    /// migrations, the records' transfers and audit rows, the members' kept
    /// figures, both hash chains and every balance.
    pub fn verify(&self) -> StoreResult<VerifyReport> {
        self.verify_with(false)
    }

    pub fn verify_with(&self, full: bool) -> StoreResult<VerifyReport> {
        // two halves on the two cores: the file check and the audit chain
        // on a second (read-only) connection, the rest here
        let path = self.path.clone();
        std::thread::scope(|scope| {
            let other = scope.spawn(
                move || -> StoreResult<(Vec<String>, audit::ChainReport, u64)> {
                    let c = rusqlite::Connection::open_with_flags(
                        &path,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    super::configure(&c, super::OpenMode::Inspect)?;
                    super::map_whole_file(&c)?;
                    Ok((
                        file_check(&c, full)?,
                        audit::verify_chain(&c)?,
                        unaudited(&c)?,
                    ))
                },
            );
            let mut r = self.verify_rest(full)?;
            let (file, chain, unaudited) = other
                .join()
                .map_err(|_| StoreError::Other("the verify thread failed".into()))??;
            let mut problems = file;
            problems.append(&mut r.problems);
            if unaudited > 0 {
                problems.push(format!(
                    "{unaudited} service records without their audit row"
                ));
            }
            problems.extend(chain.problems);
            r.problems = problems;
            r.audit_rows = chain.rows;
            r.audit_head = chain.head;
            Ok(r)
        })
    }

    /// Everything but the file check and the audit chain.
    fn verify_rest(&self, full: bool) -> StoreResult<VerifyReport> {
        let mut r = VerifyReport::default();
        let c = &self.conn;
        super::map_whole_file(c)?;
        let mut stmt = c.prepare(if full {
            "PRAGMA foreign_key_check"
        } else {
            // (every write runs with foreign keys on; a full check also
            // looks for rows a foreign program left dangling)
            "SELECT 'none', NULL, 'none' WHERE 0"
        })?;
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
        let stale = count(
            c,
            "SELECT count(*) FROM members m LEFT JOIN
                (SELECT provider_id, count(rating) AS n, coalesce(sum(rating >= 4), 0) AS pos, sum(minutes) AS mins
                 FROM service_records GROUP BY provider_id) s ON s.provider_id = m.id
             WHERE m.stat_ratings != coalesce(s.n, 0) OR m.stat_positive != coalesce(s.pos, 0)
                OR m.stat_minutes != coalesce(s.mins, 0)",
        )?;
        if stale > 0 {
            r.problems.push(format!(
                "{stale} members whose kept figures differ from their records"
            ));
        }
        if matches!(migrate::state(c)?, migrate::MigrationState::UpToDate) {
            r.problems.extend(super::verify_covers::check_heads(c)?);
            r.problems.extend(super::verify_covers::check_rows(c)?);
        }
        let lr = ledger::verify_ledger(c)?;
        r.problems.extend(lr.problems);
        r.transfers = lr.transfers;
        r.accounts = lr.accounts;
        r.ledger_head = lr.head;
        Ok(r)
    }
}

/// `quick_check` (or `integrity_check` when `full`): what is wrong, if anything.
fn file_check(c: &rusqlite::Connection, full: bool) -> StoreResult<Vec<String>> {
    let check = if full {
        "PRAGMA integrity_check"
    } else {
        "PRAGMA quick_check"
    };
    let mut stmt = c.prepare(check)?;
    let rows: Vec<String> = stmt
        .query_map([], |x| x.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" {
        Vec::new()
    } else {
        rows.into_iter()
            .map(|x| format!("integrity: {x}"))
            .collect()
    })
}

/// Service records without their audit row.
fn unaudited(c: &rusqlite::Connection) -> StoreResult<u64> {
    count(
        c,
        "SELECT count(*) FROM service_records r WHERE NOT EXISTS
           (SELECT 1 FROM audit_log a WHERE a.entity = 'service_record' AND a.entity_id = CAST(r.id AS TEXT))",
    )
}
