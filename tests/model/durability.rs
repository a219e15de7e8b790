//! What the file promises: the durability settings on every connection, a
//! full disk that loses nothing typed, and a clock that goes backwards.

use crate::common;
use common::*;
use shiguang::app::action::Action;
use shiguang::domain::record::{Payer, RecordInput};
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::StoreError;
use shiguang::store::{OpenMode, Store};

fn digest(db: &TestDb) -> String {
    // the committed content, whatever is still in the WAL
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let mut h = blake3::Hasher::new();
    for table in ["service_records", "transfers", "audit_log", "accounts"] {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                let v: rusqlite::types::Value = r.get(i).unwrap();
                h.update(format!("{v:?}|").as_bytes());
            }
        }
    }
    h.finalize().to_hex().to_string()
}

#[test]
fn a_full_disk_saves_nothing_keeps_the_form_and_works_once_room_is_made() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::Zh);
    let pages: i64 = h
        .store
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    // the disk is full: not one page more, and the room left inside the
    // pages used up by earlier services until one no longer fits
    h.store
        .conn()
        .pragma_update(None, "max_page_count", pages)
        .unwrap();
    let master = h.app.state.session().unwrap().clone();
    let mut filled = 0;
    for i in 0..400 {
        let r = record(
            &format!("fill{i}"),
            1,
            2,
            T0 - (i + 1) * DAY_MS,
            30,
            Payer::Pool,
        );
        let r = RecordInput {
            late_reason: Some("补登纸质记录".into()),
            ..r
        };
        match h.store.post_record(&master, &r, T0) {
            Ok(_) => filled += 1,
            Err(StoreError::DiskFull) => break,
            Err(e) => panic!("filling: {e:?}"),
        }
    }
    assert!(filled < 400, "the disk never filled up");
    let before = digest(&db);
    fill_record(&mut h);
    h.press("ctrl-s");
    h.assert_shows("磁盘已满");
    assert_eq!(digest(&db), before, "the database changed");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM service_records"),
        filled
    );
    // the form is still there with what was typed
    let f = h.app.active_form().expect("the form stays open");
    assert_eq!(f.value("start"), "08:00");
    assert_eq!(f.value("end"), "09:30");
    assert_eq!(f.value("book_page"), "12");
    // room is made: the same form saves, once
    h.store
        .conn()
        .pragma_update(None, "max_page_count", 1_073_741_823_i64)
        .unwrap();
    h.press("ctrl-s");
    h.assert_shows("积分 30 已入账");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM service_records"),
        filled + 1
    );
    assert!(h.store.verify().unwrap().problems.is_empty());
}

fn pragmas(c: &rusqlite::Connection) -> (String, i64, i64) {
    (
        c.query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap(),
        c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap(),
        c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap(),
    )
}

#[test]
fn every_connection_the_app_opens_is_wal_synchronous_full_with_foreign_keys() {
    let db = temp_db();
    init_station(&db.path);
    // the desk's own connection, a command's, and a check's (read-only)
    for mode in [OpenMode::Desk, OpenMode::Inspect] {
        let s = Store::open(&db.path, mode, T0).unwrap();
        let (journal, sync, fk) = pragmas(s.conn());
        assert_eq!(journal, "wal", "{mode:?}");
        assert_eq!(fk, 1, "{mode:?}");
        if mode == OpenMode::Desk {
            assert_eq!(sync, 2, "synchronous=FULL on the writing connection");
            let secure: i64 = s
                .conn()
                .query_row("PRAGMA secure_delete", [], |r| r.get(0))
                .unwrap();
            assert_eq!(
                secure, 1,
                "deleted rows are zeroed, not left in freed pages"
            );
        }
    }
    // the connections the background threads open go through the same
    // `configure`; read one back the same way
    let c = rusqlite::Connection::open_with_flags(
        &db.path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE,
    )
    .unwrap();
    shiguang::store::configure(&c, OpenMode::Desk).unwrap();
    assert_eq!(pragmas(&c), ("wal".to_string(), 2, 1));
}

#[test]
fn a_clock_that_goes_back_is_shown_and_logged_and_rejects_nothing() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::Zh);
    let master = h.app.state.session().unwrap().clone();
    h.advance(5 * 60_000);
    let first = h
        .store
        .post_record(
            &master,
            &record("r1", 1, 2, T0 - HOUR_MS, 60, Payer::Pool),
            T0 + 5 * 60_000,
        )
        .unwrap();
    // the clock is set back two hours
    let back = T0 - 2 * HOUR_MS;
    h.act(Action::Tick(back));
    h.assert_shows("时钟往回跳");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM audit_log WHERE action = 'clock.backwards'"
        ),
        1
    );
    // a service entered at the earlier clock is taken, and comes after the
    // first in the ledger: order is by sequence, not by clock
    let second = h
        .store
        .post_record(
            &master,
            &record("r2", 1, 2, back - HOUR_MS, 60, Payer::Pool),
            back,
        )
        .unwrap();
    assert!(second.transfer.seq > first.transfer.seq);
    let lines = h.store.statement_view(1, None).unwrap().lines;
    assert_eq!(
        lines[0].id, second.transfer.row.id,
        "newest by sequence on top"
    );
    assert!(h.store.verify().unwrap().problems.is_empty());
    // a small jitter is not a jump
    h.act(Action::Tick(back - 500));
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM audit_log WHERE action = 'clock.backwards'"
        ),
        1
    );
    // the idle lock still comes, counted from the new clock
    h.act(Action::Tick(back + 11 * 60_000));
    assert!(
        h.app.state.desk().unwrap().lock.is_some(),
        "idle lock after the jump"
    );
}

#[test]
fn a_retry_after_a_crash_with_the_drafts_id_posts_once() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::En);
    fill_record(&mut h);
    h.advance(1000); // the tick keeps the form as a draft, with its id
    let draft: String = h
        .store
        .conn()
        .query_row(
            "SELECT data FROM drafts WHERE form LIKE 'record%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    h.press("ctrl-s");
    h.assert_shows("30 points posted");
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 0);
    assert_eq!(count(&db.path, "SELECT count(*) FROM transfers"), 1);
    // the process dies after the commit, before the draft was dropped
    h.store
        .conn()
        .execute(
            "INSERT OR REPLACE INTO drafts (staff_id, form, data, saved_at) VALUES (1, 'record.entry', ?1, ?2)",
            rusqlite::params![draft, T0],
        )
        .unwrap();
    drop(h);
    // on the next start the draft comes back; saving it again posts nothing new
    let mut h = Harness::open(&db.path, T0 + 60_000, Lang::En);
    sign_in_by_keys(&mut h, "001", MASTER_PIN);
    h.assert_shows("Unfinished forms");
    h.press("enter");
    h.press("ctrl-s");
    h.assert_shows("already posted");
    assert_eq!(count(&db.path, "SELECT count(*) FROM transfers"), 1);
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 1);
    assert!(h.store.verify().unwrap().problems.is_empty());
}
