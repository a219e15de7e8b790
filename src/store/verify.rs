//! The whole-file check behind `shiguang verify` and the ledger pane's
//! chain status. Read only; reports every problem it finds.

use super::{Store, StoreError, StoreResult, audit, ledger, migrate, verify_covers};
// a million lookups by id: a fast hasher (the ids are the file's own)
use foldhash::{HashMap, HashMapExt};
use std::sync::atomic::{AtomicUsize, Ordering};

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

impl Store {
    /// Everything `shiguang verify` checks: the file (`quick_check`, or the
    /// slower `integrity_check` and the foreign keys when `full`), the
    /// migrations, the records' transfers and audit rows, the members' kept
    /// figures, both hash chains and every balance.
    pub fn verify(&self) -> StoreResult<VerifyReport> {
        self.verify_with(false)
    }

    pub fn verify_with(&self, full: bool) -> StoreResult<VerifyReport> {
        // the work in pieces, shared out between two connections on the
        // two cores as each comes free: the big pieces first, the records'
        // covers in small ones last, so both threads finish together
        let path = self.path.clone();
        let covers = matches!(
            migrate::state(&self.conn)?,
            migrate::MigrationState::UpToDate
        );
        let tasks = plan(&self.conn, covers)?;
        let next = AtomicUsize::new(0);
        let work = |c: &rusqlite::Connection| -> StoreResult<Vec<(usize, Done)>> {
            super::stream_whole_file(c)?;
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(task) = tasks.get(i) else {
                    return Ok(done);
                };
                done.push((i, task.run(c, full)?));
            }
        };
        let mut done = std::thread::scope(|scope| -> StoreResult<Vec<(usize, Done)>> {
            let other = scope.spawn(|| -> StoreResult<Vec<(usize, Done)>> {
                let c = rusqlite::Connection::open_with_flags(
                    &path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                super::configure(&c, super::OpenMode::Inspect)?;
                work(&c)
            });
            let mut done = work(&self.conn)?;
            done.extend(
                other
                    .join()
                    .map_err(|_| StoreError::Other("the verify thread failed".into()))??,
            );
            Ok(done)
        })?;
        done.sort_by_key(|d| d.0);
        Ok(assemble(done))
    }
}

/// The foreign keys (when `full`), the migrations, the counts and the
/// records' transfers.
fn rest(c: &rusqlite::Connection, full: bool) -> StoreResult<VerifyReport> {
    let mut r = VerifyReport::default();
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
    Ok(r)
}

/// The days' heads, the covered tables other than the records, the fund.
fn others(c: &rusqlite::Connection) -> StoreResult<Vec<String>> {
    let mut out = verify_covers::check_heads(c)?;
    verify_covers::check_others(c, &mut out)?;
    out.extend(super::fund::verify::verify_fund(c)?);
    Ok(out)
}

/// Members whose kept figures (ratings, good ratings, minutes given)
/// differ from their records. The records are summed in one read in the
/// order they are stored: grouped by provider in SQL, each record was
/// looked up from the provider index, a million reads out of order.
fn stale_members(c: &rusqlite::Connection) -> StoreResult<Vec<String>> {
    // provider → (ratings, ratings of 4 or 5, minutes), as count(rating),
    // sum(rating >= 4) and sum(minutes) would give them
    let mut sums: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    let mut st = c.prepare("SELECT provider_id, rating, minutes FROM service_records")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let Some(provider) = r.get::<_, Option<i64>>(0)? else {
            continue;
        };
        let rating: Option<i64> = r.get(1)?;
        let minutes: Option<i64> = r.get(2)?;
        let s = sums.entry(provider).or_default();
        s.0 += i64::from(rating.is_some());
        s.1 += i64::from(rating.is_some_and(|x| x >= 4));
        s.2 += minutes.unwrap_or(0);
    }
    let mut st = c.prepare("SELECT id, stat_ratings, stat_positive, stat_minutes FROM members")?;
    let mut rows = st.query([])?;
    let mut stale = 0u64;
    while let Some(r) = rows.next()? {
        let kept: (Option<i64>, Option<i64>, Option<i64>) = (r.get(1)?, r.get(2)?, r.get(3)?);
        let (n, pos, mins) = sums.get(&r.get(0)?).copied().unwrap_or_default();
        if kept != (Some(n), Some(pos), Some(mins)) {
            stale += 1;
        }
    }
    Ok(if stale > 0 {
        vec![format!(
            "{stale} members whose kept figures differ from their records"
        )]
    } else {
        Vec::new()
    })
}

/// One piece of `verify`'s work, on whichever connection comes free.
#[derive(Debug, Clone, Copy)]
enum Task {
    /// `quick_check` (or `integrity_check`)
    File,
    /// The audit chain, the rows with seq in this range
    Chain(i64, i64),
    /// The ledger chain and every balance
    Ledger,
    /// The foreign keys, the migrations, the counts, the records' transfers
    Rest,
    /// The members' kept figures against their records
    Stale,
    /// The days' heads, the other covered tables, the fund
    Others,
    /// Every service record against its newest cover, ids in this range
    /// (every record is vouched for by its audit row, or from before
    /// covers the baseline: a record without one is named)
    Records(i64, i64),
}

/// What a piece found.
enum Done {
    File(Vec<String>),
    Found(Vec<String>),
    Chain(audit::ChainReport),
    Ledger(ledger::LedgerReport),
    Rest(Box<VerifyReport>),
}

/// How many pieces the records' covers are checked in.
const RECORD_PIECES: i64 = 8;

/// The pieces, biggest first. The audit chain is walked in two halves
/// (each starts from the stored hash of the row before it).
fn plan(c: &rusqlite::Connection, covers: bool) -> StoreResult<Vec<Task>> {
    let last_seq = count(c, "SELECT coalesce(max(seq), 0) FROM audit_log")? as i64;
    let mut tasks = vec![
        Task::File,
        Task::Ledger,
        Task::Chain(i64::MIN, last_seq / 2),
        Task::Chain(last_seq / 2 + 1, i64::MAX),
        Task::Rest,
        Task::Stale,
    ];
    if covers {
        tasks.push(Task::Others);
        let last_id = verify_covers::records_last_id(c)?;
        let cut = |k: i64| last_id * k / RECORD_PIECES;
        tasks.extend((0..RECORD_PIECES).map(|k| {
            Task::Records(
                if k == 0 { i64::MIN } else { cut(k) + 1 },
                if k == RECORD_PIECES - 1 {
                    i64::MAX
                } else {
                    cut(k + 1)
                },
            )
        }));
    }
    Ok(tasks)
}

impl Task {
    fn run(self, c: &rusqlite::Connection, full: bool) -> StoreResult<Done> {
        Ok(match self {
            Task::File => Done::File(file_check(c, full)?),
            Task::Chain(from, to) => Done::Chain(audit::verify_chain_part(c, (from, to))?),
            Task::Ledger => Done::Ledger(ledger::verify_ledger(c)?),
            Task::Rest => Done::Rest(Box::new(rest(c, full)?)),
            Task::Stale => Done::Found(stale_members(c)?),
            Task::Others => Done::Found(others(c)?),
            Task::Records(from, to) => Done::Found(verify_covers::check_records(c, (from, to))?),
        })
    }
}

/// The pieces' findings (in the order of the plan) as one report: the
/// file's problems first, then the rest's, the records', the ledger's and
/// the audit chain's.
fn assemble(done: Vec<(usize, Done)>) -> VerifyReport {
    let (mut file, mut rest, mut records) = (Vec::new(), VerifyReport::default(), Vec::new());
    let mut ledger = ledger::LedgerReport::default();
    let mut chain = audit::ChainReport {
        rows: 0,
        head: String::new(),
        problems: Vec::new(),
    };
    for (_, d) in done {
        match d {
            Done::File(p) => file = p,
            Done::Rest(r) => rest = *r,
            Done::Found(p) => records.extend(p),
            Done::Ledger(l) => ledger = l,
            Done::Chain(c) => {
                chain.rows += c.rows;
                chain.head = c.head;
                chain.problems.extend(c.problems);
            }
        }
    }
    // as many as one walk of the whole chain names before it stops
    chain.problems.truncate(21);
    let mut problems = file;
    problems.append(&mut rest.problems);
    problems.extend(records);
    problems.extend(ledger.problems);
    problems.extend(chain.problems);
    VerifyReport {
        problems,
        audit_rows: chain.rows,
        audit_head: chain.head,
        transfers: ledger.transfers,
        accounts: ledger.accounts,
        ledger_head: ledger.head,
        ..rest
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
