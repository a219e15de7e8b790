//! A small runner over `migrations/NNNN_name.sql`.
//!
//! Each file is embedded at build time, applied once, in order, inside one
//! transaction, and recorded with a checksum of its text. A released
//! migration must never be edited: a changed checksum refuses to open.

use rusqlite::{Connection, OptionalExtension, params};

pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
    /// Rust run after the SQL, in the same transaction (data the SQL alone
    /// cannot compute, such as hashes); given the time of the migration.
    pub after: Option<fn(&Connection, i64) -> rusqlite::Result<()>>,
}

macro_rules! migration {
    ($version:literal, $file:literal) => {
        migration!($version, $file, None)
    };
    ($version:literal, $file:literal, $after:expr) => {
        Migration {
            version: $version,
            name: $file,
            sql: include_str!(concat!("../../migrations/", $file, ".sql")),
            after: $after,
        }
    };
}

/// Every migration, in order. A test checks this list against the folder.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_foundation"),
    migration!(2, "0002_members"),
    migration!(3, "0003_ledger"),
    migration!(4, "0004_queue"),
    migration!(5, "0005_disputes"),
    migration!(6, "0006_days"),
    migration!(7, "0007_merchants"),
    migration!(8, "0008_speed"),
    migration!(9, "0009_corrections"),
    migration!(10, "0010_drafts_without_id_numbers"),
    migration!(11, "0011_covers", Some(super::covers::baseline)),
    migration!(12, "0012_complaints_owed_heirs"),
    migration!(13, "0013_hub"),
    migration!(14, "0014_settlement_rows"),
    migration!(15, "0015_tool_loans"),
    migration!(16, "0016_fund"),
    migration!(17, "0017_medals"),
    migration!(19, "0019_facts_not_words"),
    migration!(20, "0020_settlement_words"),
];

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

pub fn checksum(sql: &str) -> String {
    blake3::hash(sql.as_bytes()).to_hex()[..16].to_string()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// No schema at all: a new file.
    Empty,
    /// Known schema, `pending` migrations still to apply.
    Behind {
        pending: usize,
    },
    UpToDate,
    /// The file was written by a newer shiguang.
    Newer {
        found: u32,
    },
    /// A recorded migration's text differs from the one in this build.
    Edited {
        version: u32,
    },
}

const STATE_SELECT_SQLITE_MASTER: &str =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";

pub fn state(conn: &Connection) -> rusqlite::Result<MigrationState> {
    let has_table: bool = conn
        .query_row(STATE_SELECT_SQLITE_MASTER, [], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    if !has_table {
        return Ok(MigrationState::Empty);
    }
    let mut stmt =
        conn.prepare("SELECT version, checksum FROM schema_migrations ORDER BY version")?;
    let recorded: Vec<(u32, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    if let Some((v, _)) = recorded.last()
        && *v > latest_version()
    {
        return Ok(MigrationState::Newer { found: *v });
    }
    for (version, sum) in &recorded {
        match MIGRATIONS.iter().find(|m| m.version == *version) {
            Some(m) if checksum(m.sql) == *sum => {}
            _ => return Ok(MigrationState::Edited { version: *version }),
        }
    }
    let pending = MIGRATIONS.len() - recorded.len();
    Ok(if pending == 0 {
        MigrationState::UpToDate
    } else {
        MigrationState::Behind { pending }
    })
}

/// Apply every pending migration in one IMMEDIATE transaction.
pub fn apply(conn: &mut Connection, now: i64) -> rusqlite::Result<usize> {
    apply_until(conn, now, latest_version())
}

const APPLY_UNTIL_INSERT_SCHEMA_MIGRATIONS: &str =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)";

/// Apply the pending migrations up to version `last`.
fn apply_until(conn: &mut Connection, now: i64, last: u32) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let done: u32 = tx.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    let mut applied = 0;
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > done && m.version <= last)
    {
        tx.execute_batch(m.sql)?;
        if let Some(after) = m.after {
            after(&tx, now)?;
        }
        tx.execute(
            APPLY_UNTIL_INSERT_SCHEMA_MIGRATIONS,
            params![m.version, m.name, checksum(m.sql), now],
        )?;
        applied += 1;
    }
    tx.commit()?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_matches_the_migrations_folder() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{}.sql", m.name))
            .collect();
        assert_eq!(
            files, listed,
            "every file in migrations/ must be listed in MIGRATIONS, in order"
        );
        // numbers are handed out ahead to work done side by side, so one
        // may land before the numbers below it: increasing, and the file's
        // number, is what the runner needs
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.name[..4].parse::<u32>().unwrap(), m.version);
            assert!(
                i == 0 || MIGRATIONS[i - 1].version < m.version,
                "versions increase"
            );
        }
    }

    #[test]
    fn applies_once_and_records() {
        let mut c = Connection::open_in_memory().unwrap();
        assert_eq!(state(&c).unwrap(), MigrationState::Empty);
        assert_eq!(apply(&mut c, 1).unwrap(), MIGRATIONS.len());
        assert_eq!(state(&c).unwrap(), MigrationState::UpToDate);
        assert_eq!(apply(&mut c, 2).unwrap(), 0);
    }

    /// 0012 rebuilds the disputes and accounts tables: a file with cases,
    /// their contacts, accounts and transfers comes through whole, and a
    /// case may then name a merchant, an account belong to an heir.
    #[test]
    fn disputes_and_accounts_survive_the_rebuild_for_merchants_and_heirs() {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "foreign_keys", true).unwrap();
        apply_until(&mut c, 1, 11).unwrap();
        c.execute_batch(
            "INSERT INTO staff (id, uid, staff_no, name, role, pin_hash, created_at) VALUES (1, 's1', '001', '站长', 'master', 'x', 0);
             INSERT INTO members (id, uid, number, name, phone, id_kind, id_hash, id_masked, residence_proof, street,
                 community, building, emergency_name, emergency_phone, status, submitted_at, updated_at)
             VALUES (1, 'u1', 'JS01-0001', '张三', '13800000000', 'id_card', 'h1', '1101**', 'rent', 'JS', '01', '1栋',
                 '李四', '13900000000', 'approved', 0, 0),
                    (2, 'u2', 'JS01-0002', '王五', '13800000001', 'id_card', 'h2', '1101**', 'rent', 'JS', '01', '1栋',
                 '李四', '13900000000', 'approved', 0, 0);
             INSERT INTO accounts (id, kind, code, member_id, created_at) VALUES (2, 'member', 'm:JS01-0001', 1, 0);
             INSERT INTO transfers (seq, id, kind, amount, debit_account, credit_account, at, prev_hash, hash)
             VALUES (1, 't1', 'adjustment', 30, 1, 2, 5, 'g', 'h');
             INSERT INTO disputes (id, uid, kind, channel, category, party_a, party_b, subject, reported_by, opened_at,
                 opened_by, updated_at) VALUES (3, 'd3', 'dispute', 'desk', 'quality', 1, 2, '迟到', '本人', 5, 1, 5);
             INSERT INTO dispute_contacts (dispute_id, party, member_id, at, staff_id, how, said)
             VALUES (3, 'a', 1, 6, 1, 'phone', '确实迟到');",
        )
        .unwrap();
        assert_eq!(apply(&mut c, 2).unwrap(), MIGRATIONS.len() - 11);
        let fk: i64 = c
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk, 0);
        let kept: (i64, i64, String) = c
            .query_row(
                "SELECT (SELECT balance FROM accounts WHERE id = 2), (SELECT count(*) FROM dispute_contacts WHERE dispute_id = 3),
                        (SELECT subject FROM disputes WHERE id = 3)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, (30, 1, "迟到".to_string()));
        // a merchant instead of a second member, not both, not neither
        let case = |b: &str, merchant: &str| {
            c.execute(
                &format!(
                    "INSERT INTO disputes (uid, kind, channel, category, party_a, party_b, merchant_ref, subject, reported_by,
                         opened_at, opened_by, updated_at) VALUES (hex(randomblob(8)), 'dispute', 'desk', 'merchant', 1, {b}, {merchant}, 'x', 'x', 1, 1, 1)"
                ),
                [],
            )
        };
        assert!(case("NULL", "'S001'").is_ok());
        assert!(case("2", "'S001'").is_err());
        assert!(case("NULL", "NULL").is_err());
        assert!(
            c.execute(
                "INSERT INTO accounts (kind, code, created_at) VALUES ('heir', 'h:JS01-0001', 1)",
                []
            )
            .is_ok()
        );
    }

    /// A file as a version up to `until` left it (foreign keys checked if
    /// asked), holding member 1, 张三.
    fn file_with_a_member(until: u32, foreign_keys: bool) -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        c.pragma_update(None, "foreign_keys", foreign_keys).unwrap();
        apply_until(&mut c, 1, until).unwrap();
        c.execute_batch(
            "INSERT INTO members (id, uid, name, phone, id_kind, id_hash, id_masked, residence_proof, street,
                 community, building, emergency_name, emergency_phone, status, submitted_at, updated_at)
             VALUES (1, 'u1', '张三', '13800000000', 'id_card', 'h1', '1101**', 'rent', 'JS', '01', '1栋',
                 '李四', '13900000000', 'approved', 0, 0);",
        )
        .unwrap();
        c
    }

    fn assert_no_dangling_keys(c: &Connection) {
        let fk: Vec<String> = c
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(fk.is_empty(), "{fk:?}");
    }

    /// The requests table is rebuilt by 0007: a file with requests, their
    /// events and calls from before comes through whole.
    #[test]
    fn requests_survive_the_rebuild_for_merchants() {
        let mut c = file_with_a_member(6, true);
        c.execute_batch(
            "INSERT INTO requests (id, uid, requester_id, type_id, description, place, window_start, window_end,
                 minutes, channel, payer, state, created_at, updated_at)
             VALUES (7, 'r7', 1, 1, '陪聊', '1栋', 10, 20, 60, 'phone', 'recipient', 'new', 5, 5);
             INSERT INTO request_events (request_id, at, to_state) VALUES (7, 5, 'new');
             INSERT INTO contacts (request_id, helper_id, at, outcome) VALUES (7, 1, 6, 'no_answer');",
        )
        .unwrap();
        assert_eq!(apply(&mut c, 2).unwrap(), MIGRATIONS.len() - 6);
        assert_no_dangling_keys(&c);
        let (requester, merchant): (Option<i64>, Option<i64>) = c
            .query_row(
                "SELECT requester_id, merchant_id FROM requests WHERE id = 7",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((requester, merchant), (Some(1), None));
        // exactly one of member and merchant
        assert!(
            c.execute(
                "INSERT INTO requests (uid, type_id, description, place, window_start, window_end, minutes,
                     channel, payer, state, created_at, updated_at)
                 VALUES ('x', 1, 'x', 'x', 1, 2, 60, 'phone', 'pool', 'new', 1, 1)",
                [],
            )
            .is_err()
        );
    }

    /// A file from before covers: the migration's baseline audit row vouches
    /// for its rows as found, on the audit chain; a later edit is then found.
    #[test]
    fn the_covers_baseline_vouches_for_the_rows_found() {
        use crate::store::{audit, verify_covers};
        let mut c = file_with_a_member(10, false);
        apply(&mut c, 77).unwrap();
        let (action, at, detail): (String, i64, String) = c
            .query_row(
                "SELECT action, at, detail FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((action.as_str(), at), ("audit.baseline", 77));
        assert!(detail.contains(r#""rows":1"#), "{detail}");
        assert!(audit::verify_chain(&c).unwrap().problems.is_empty());
        assert!(verify_covers::check_rows(&c).unwrap().is_empty());
        c.execute("UPDATE members SET level = 'honor'", []).unwrap();
        assert_eq!(verify_covers::check_rows(&c).unwrap().len(), 1);
        // a new file has nothing to vouch for: no baseline row
        let mut fresh = Connection::open_in_memory().unwrap();
        apply(&mut fresh, 1).unwrap();
        let n: i64 = fresh
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn an_edited_migration_is_detected() {
        let mut c = Connection::open_in_memory().unwrap();
        apply(&mut c, 1).unwrap();
        c.execute(
            "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1",
            [],
        )
        .unwrap();
        assert_eq!(state(&c).unwrap(), MigrationState::Edited { version: 1 });
    }

    #[test]
    fn a_newer_file_is_detected() {
        let mut c = Connection::open_in_memory().unwrap();
        apply(&mut c, 1).unwrap();
        c.execute(
            "INSERT INTO schema_migrations VALUES (999, 'future', 'x', 0)",
            [],
        )
        .unwrap();
        assert_eq!(state(&c).unwrap(), MigrationState::Newer { found: 999 });
    }

    /// A file from before 0020 holds a settlement row and a service taken
    /// from it with the store's Chinese words: they come through blanked,
    /// the service numbered, a member's request as it was, and a member's
    /// request still needs its words.
    #[test]
    fn old_settlement_words_are_blanked() {
        let mut c = file_with_a_member(19, true);
        c.execute_batch(
            "INSERT INTO merchants (id, code, name, kind, address, distance_m, contact_name, contact_phone,
                 redeemer, community, agreement_from, agreement_to, created_at, updated_at)
             VALUES (3, 'S001', '惠民超市', 'supermarket', '1号', 100, '刘', '139', '刘', '01',
                 '2026-01-01', '2027-01-01', 0, 0);
             INSERT INTO settlement_runs (month, at) VALUES ('2026-10', 5);
             INSERT INTO settlements (month, merchant_id, redemptions, points, discounts_fen, minutes_owed, requests)
             VALUES ('2026-10', 3, 5, 50, 2500, 150, 2);
             INSERT INTO requests (id, uid, requester_id, type_id, description, place, window_start, window_end,
                 minutes, channel, payer, state, created_at, updated_at)
             VALUES (7, 'r7', 1, 1, '陪聊', '1栋', 10, 20, 60, 'phone', 'recipient', 'new', 5, 5);
             INSERT INTO requests (id, uid, merchant_id, type_id, description, place, window_start, window_end,
                 minutes, channel, payer, state, created_at, updated_at, settles, services_owed, services_left,
                 minutes_left)
             VALUES (8, 'r8', 3, 1, '为惠民超市服务(结算 2026-10,共 2 次,上月让利 25 元)', '1号', 10, 20, 30,
                 'settlement', 'merchant', 'new', 5, 6, '2026-10', 2, 1, 30);
             INSERT INTO requests (id, uid, merchant_id, type_id, description, place, window_start, window_end,
                 minutes, channel, payer, state, helper_id, created_at, updated_at, parent_id)
             VALUES (9, 'r9', 3, 1, '为惠民超市服务(结算 2026-10,第 1/2 次)', '1号', 10, 20, 120,
                 'settlement', 'merchant', 'matched', 1, 6, 6, 8);
             INSERT INTO request_events (request_id, at, to_state) VALUES (8, 5, 'new');",
        )
        .unwrap();
        assert_eq!(apply(&mut c, 2).unwrap(), 1);
        assert_no_dangling_keys(&c);
        let rows: Vec<(i64, String, Option<i64>, Option<i64>)> = c
            .prepare("SELECT id, description, service_no, services_left FROM requests ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (7, "陪聊".to_string(), None, None),
                (8, String::new(), None, Some(1)),
                (9, String::new(), Some(1), None),
            ]
        );
        // the queue reads the facts back, the discount joined
        let q = crate::store::queue::request(&c, 9).unwrap();
        let s = q.settles.unwrap();
        assert_eq!(
            (s.month.as_str(), s.owed, s.discounts_fen, s.service_no),
            ("2026-10", 2, 2500, Some(1))
        );
        // a member's request still needs its words; the shape trigger holds
        assert!(
            c.execute(
                "INSERT INTO requests (uid, requester_id, type_id, description, place, window_start, window_end,
                     minutes, channel, payer, state, created_at, updated_at)
                 VALUES ('x', 1, 1, ' ', 'x', 1, 2, 60, 'phone', 'pool', 'new', 1, 1)",
                [],
            )
            .is_err()
        );
        assert!(
            c.execute(
                "INSERT INTO requests (uid, merchant_id, type_id, description, place, window_start, window_end,
                     minutes, channel, payer, state, created_at, updated_at, settles, services_owed)
                 VALUES ('y', 3, 1, '', 'x', 1, 2, 60, 'settlement', 'merchant', 'new', 1, 1, '2026-11', 2)",
                [],
            )
            .is_err()
        );
    }
}
