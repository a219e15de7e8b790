//! The whole-file check behind `shiguang verify` and the ledger pane's
//! chain status. Read only; reports every problem it finds.

use super::{Store, StoreError, StoreResult, audit, ledger, migrate, verify_covers};

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

fn count(c: &rusqlite::Connection, sql: &str) -> StoreResult<u64> {
    Ok(c.query_row(sql, [], |x| x.get::<_, i64>(0))? as u64)
}

const VERIFY_REST_SELECT_SERVICE_RECORDS: &str = "SELECT count(*) FROM service_records r
             WHERE (SELECT count(*) FROM transfers t WHERE t.record_id = r.id AND t.kind = 'service') != 1";

const VERIFY_REST_SELECT_MEMBERS: &str = "SELECT count(*) FROM members m LEFT JOIN
                (SELECT provider_id, count(rating) AS n, coalesce(sum(rating >= 4), 0) AS pos, sum(minutes) AS mins
                 FROM service_records GROUP BY provider_id) s ON s.provider_id = m.id
             WHERE m.stat_ratings != coalesce(s.n, 0) OR m.stat_positive != coalesce(s.pos, 0)
                OR m.stat_minutes != coalesce(s.mins, 0)";

impl Store {
    /// Everything `shiguang verify` checks: the file (`quick_check`, or the
    /// slower `integrity_check` and the foreign keys when `full`), the
    /// migrations, the records' transfers and audit rows, the members' kept
    /// figures, both hash chains and every balance.
    pub fn verify(&self) -> StoreResult<VerifyReport> {
        self.verify_with(false)
    }

    pub fn verify_with(&self, full: bool) -> StoreResult<VerifyReport> {
        // two halves on the two cores: the file check, the audit chain and
        // the first half of the records' covers on a second (read-only)
        // connection, the rest here
        let path = self.path.clone();
        let covers = matches!(
            migrate::state(&self.conn)?,
            migrate::MigrationState::UpToDate
        );
        let split = if covers {
            verify_covers::records_split(&self.conn)?
        } else {
            0
        };
        std::thread::scope(|scope| {
            let other = scope.spawn(
                move || -> StoreResult<(Vec<String>, audit::ChainReport, Vec<String>)> {
                    let c = rusqlite::Connection::open_with_flags(
                        &path,
                        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                            | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    super::configure(&c, super::OpenMode::Inspect)?;
                    super::stream_whole_file(&c)?;
                    let records = if covers {
                        verify_covers::check_records(&c, (i64::MIN, split))?
                    } else {
                        Default::default()
                    };
                    Ok((file_check(&c, full)?, audit::verify_chain(&c)?, records))
                },
            );
            let mut r = self.verify_rest(full, covers.then_some(split))?;
            let (file, chain, mut records) = other
                .join()
                .map_err(|_| StoreError::Other("the verify thread failed".into()))??;
            let mut problems = file;
            problems.append(&mut r.problems);
            problems.append(&mut records);
            problems.extend(chain.problems);
            r.problems = problems;
            r.audit_rows = chain.rows;
            r.audit_head = chain.head;
            Ok(r)
        })
    }

    /// Everything but the file check, the audit chain and the first half
    /// of the records' covers (after `split`, the second half is here).
    fn verify_rest(&self, full: bool, split: Option<i64>) -> StoreResult<VerifyReport> {
        let mut r = VerifyReport::default();
        let c = &self.conn;
        super::stream_whole_file(c)?;
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
        let orphans = count(c, VERIFY_REST_SELECT_SERVICE_RECORDS)?;
        if orphans > 0 {
            r.problems.push(format!(
                "{orphans} service records without exactly one service transfer"
            ));
        }
        let stale = count(c, VERIFY_REST_SELECT_MEMBERS)?;
        if stale > 0 {
            r.problems.push(format!(
                "{stale} members whose kept figures differ from their records"
            ));
        }
        // every service record is vouched for by its audit row (or, from
        // before covers, the baseline): a record without one is named here
        if let Some(split) = split {
            r.problems.extend(verify_covers::check_heads(c)?);
            verify_covers::check_others(c, &mut r.problems)?;
            r.problems
                .extend(verify_covers::check_records(c, (split + 1, i64::MAX))?);
        }
        if split.is_some() {
            r.problems.extend(super::fund::verify::verify_fund(c)?);
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
