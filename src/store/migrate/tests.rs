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
    assert_eq!(apply(&mut c, 2).unwrap(), MIGRATIONS.len() - 18);
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

/// A file at version 20 with two transfers (the second reversing the
/// first), a correction naming both, and two audit rows.
fn file_with_a_ledger() -> Connection {
    let c = file_with_a_member(20, true);
    c.execute_batch(
        "INSERT INTO staff (id, uid, staff_no, name, role, pin_hash, created_at) VALUES (1, 's1', '001', '站长', 'master', 'x', 0);
         INSERT INTO staff (id, uid, staff_no, name, role, pin_hash, created_at) VALUES (2, 's2', '002', '副站长', 'master', 'x', 0);
         INSERT INTO accounts (id, kind, code, member_id, created_at) VALUES (2, 'member', 'm:JS01-0001', 1, 0);
         INSERT INTO transfers (seq, id, kind, amount, debit_account, credit_account, at, prev_hash, hash)
         VALUES (1, 't1', 'adjustment', 30, 1, 2, 5, 'g', 'h1');
         INSERT INTO transfers (seq, id, kind, amount, debit_account, credit_account, reverses, at, prev_hash, hash)
         VALUES (2, 't2', 'reversal', 10, 2, 1, 't1', 6, 'h1', 'h2');
         INSERT INTO corrections (kind, transfer_id, amount, reason, proposed_by, proposed_at, outcome, decided_by,
             decided_at, posted_transfer) VALUES ('reversal', 't1', 10, '多记', 1, 6, 'approved', 2, 6, 't2');
         INSERT INTO audit_log (seq, uid, at, action, entity, detail, prev_hash, hash)
         VALUES (1, 'a1', 5, 'x', 'y', '{}', 'g', 'ah1'), (2, 'a2', 6, 'x', 'y', '{}', 'ah1', 'ah2');",
    )
    .unwrap();
    c
}

/// 0021 rebuilds the ledger and the audit log without the index of their
/// hashes: every row, balance, reference and append-only rule comes
/// through, and the balance trigger neither ran again nor stopped running.
#[test]
fn the_lean_rebuild_keeps_rows_balances_and_rules() {
    let mut c = file_with_a_ledger();
    let rows = |c: &Connection, sql: &str| -> Vec<String> {
        c.prepare(sql)
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let ledger = "SELECT seq || id || kind || amount || coalesce(reverses, '') || prev_hash || hash FROM transfers ORDER BY seq";
    let audit = "SELECT seq || uid || detail || prev_hash || hash FROM audit_log ORDER BY seq";
    let (ledger_before, audit_before) = (rows(&c, ledger), rows(&c, audit));
    assert_eq!(apply(&mut c, 2).unwrap(), 1);
    assert_no_dangling_keys(&c);
    assert_eq!(rows(&c, ledger), ledger_before);
    assert_eq!(rows(&c, audit), audit_before);
    let balance = |c: &Connection| -> i64 {
        c.query_row("SELECT balance FROM accounts WHERE id = 2", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    assert_eq!(balance(&c), 20);
    // no index of the hashes; every other index and trigger is back
    let objects = rows(
        &c,
        "SELECT type || ' ' || name FROM sqlite_master WHERE tbl_name IN ('transfers', 'audit_log') ORDER BY 1",
    );
    assert_eq!(
        objects,
        [
            "index audit_log_at",
            "index audit_log_entity",
            "index sqlite_autoindex_audit_log_1",
            "index sqlite_autoindex_transfers_1",
            "index sqlite_autoindex_transfers_2",
            "index transfers_at",
            "index transfers_credit",
            "index transfers_debit",
            "index transfers_record",
            "index transfers_reverses",
            "table audit_log",
            "table transfers",
            "trigger audit_log_no_delete",
            "trigger audit_log_no_update",
            "trigger transfers_balance",
            "trigger transfers_no_delete",
            "trigger transfers_no_negative",
            "trigger transfers_no_update",
        ]
    );
    for refused in [
        "UPDATE transfers SET amount = 1 WHERE seq = 1",
        "DELETE FROM transfers WHERE seq = 1",
        "UPDATE audit_log SET detail = '{}' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        // more than the member holds
        "INSERT INTO transfers (id, kind, amount, debit_account, credit_account, at, prev_hash, hash)
         VALUES ('t3', 'adjustment', 21, 2, 1, 7, 'h2', 'h3')",
        // an id already used, a reversal of nothing
        "INSERT INTO transfers (id, kind, amount, debit_account, credit_account, at, prev_hash, hash)
         VALUES ('t1', 'adjustment', 1, 1, 2, 7, 'h2', 'h3')",
        "INSERT INTO transfers (id, kind, amount, debit_account, credit_account, reverses, at, prev_hash, hash)
         VALUES ('t3', 'reversal', 1, 2, 1, 'nothing', 7, 'h2', 'h3')",
    ] {
        assert!(c.execute(refused, []).is_err(), "{refused}");
    }
    c.execute(
        "INSERT INTO transfers (id, kind, amount, debit_account, credit_account, at, prev_hash, hash)
         VALUES ('t3', 'adjustment', 5, 1, 2, 7, 'h2', 'h3')",
        [],
    )
    .unwrap();
    assert_eq!(balance(&c), 25);
}

/// Foreign keys are off while migrations run; a reference left dangling
/// (here one already broken in the file) refuses the whole update, and the
/// file stays as it was.
#[test]
fn a_dangling_reference_refuses_the_update() {
    let mut c = file_with_a_ledger();
    c.pragma_update(None, "foreign_keys", false).unwrap();
    c.execute(
        "INSERT INTO corrections (kind, transfer_id, amount, reason, proposed_by, proposed_at)
         VALUES ('reversal', 'gone', 1, '多记', 1, 7)",
        [],
    )
    .unwrap();
    c.pragma_update(None, "foreign_keys", true).unwrap();
    let err = apply(&mut c, 2).unwrap_err().to_string();
    assert!(err.contains("corrections → transfers"), "{err}");
    assert_eq!(state(&c).unwrap(), MigrationState::Behind { pending: 1 });
    let hash_index: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_transfers_3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hash_index, 1);
    // foreign keys are checked again afterwards
    let on: bool = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(on);
}

/// The rebuild of 0021 frees the old tables' pages; the update gives them
/// back once, and a file with little free space is left alone.
#[test]
fn space_freed_by_an_update_is_given_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Connection::open(dir.path().join("t.db")).unwrap();
    c.pragma_update(None, "foreign_keys", true).unwrap();
    apply_until(&mut c, 1, 20).unwrap();
    c.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
         INSERT INTO audit_log (seq, uid, at, action, entity, detail, prev_hash, hash)
         SELECT i, 'a' || i, i, 'x', 'y', json_object('pad', hex(zeroblob(200))), 'p' || i, 'h' || i FROM n;",
    )
    .unwrap();
    assert!(!give_back_freed(&c).unwrap());
    apply(&mut c, 2).unwrap();
    let free = |c: &Connection| -> i64 {
        c.query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .unwrap()
    };
    assert!(free(&c) > 0);
    assert!(give_back_freed(&c).unwrap());
    assert_eq!(free(&c), 0);
    let rows: i64 = c
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 3000);
    assert!(!give_back_freed(&c).unwrap());
}
