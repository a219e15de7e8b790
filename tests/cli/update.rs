//! An update keeps the station: the first start of a version that changes
//! the database's structure copies the file first (checked, with its key)
//! into `backups/` beside it, and changes nothing when that copy cannot be
//! made (docs/install.md, "Updating").

use shiguang::store::migrate::{self, MIGRATIONS, MigrationState};
use shiguang::store::{APPLICATION_ID, OpenError, OpenMode, Store};
use std::path::{Path, PathBuf};

const T0: i64 = 1_790_000_000_000;
const KEY: &str = "8f3c2a1b9d7e6f5a4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a29180f1e2d3c";

/// A station file as the version before the last migration left it.
fn previous_version(dir: &Path) -> PathBuf {
    previous_version_with(dir, "")
}

/// The same, holding `rows` written as the older version wrote them,
/// before the covers came (migration 0011 vouches for them as found).
fn previous_version_with(dir: &Path, rows: &str) -> PathBuf {
    let path = dir.join("station.db");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at INTEGER NOT NULL
         )",
    )
    .unwrap();
    for m in &MIGRATIONS[..MIGRATIONS.len() - 1] {
        if m.name == "0011_covers" {
            c.execute_batch(rows).unwrap();
        }
        c.execute_batch(m.sql).unwrap();
        if let Some(after) = m.after {
            after(&c, 1).unwrap();
        }
        c.execute(
            "INSERT INTO schema_migrations VALUES (?1, ?2, ?3, 1)",
            rusqlite::params![m.version, m.name, migrate::checksum(m.sql)],
        )
        .unwrap();
    }
    c.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    std::fs::write(shiguang::store::secret::key_path(&path), KEY).unwrap();
    path
}

fn migration_state(path: &Path) -> MigrationState {
    let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    migrate::state(&c).unwrap()
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("backups"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn the_first_start_of_a_new_version_copies_the_station_before_changing_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = previous_version(dir.path());
    assert_eq!(migration_state(&db), MigrationState::Behind { pending: 1 });

    let s = Store::open(&db, OpenMode::Desk, T0).unwrap();
    drop(s);
    assert_eq!(migration_state(&db), MigrationState::UpToDate);

    let copies = backups(dir.path());
    let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().to_string();
    let copy = copies
        .iter()
        .find(|p| name(p).ends_with(".db"))
        .unwrap_or_else(|| panic!("no copy in {copies:?}"));
    let prefix = format!("shiguang-before-{}-", env!("CARGO_PKG_VERSION"));
    assert!(name(copy).starts_with(&prefix), "{}", name(copy));
    // the copy is the file as it was, whole, with its key
    assert_eq!(migration_state(copy), MigrationState::Behind { pending: 1 });
    let key = std::fs::read_to_string(shiguang::store::secret::key_path(copy)).unwrap();
    assert_eq!(key, KEY);
    // it is one of the station's backups (restore finds it, the close rotates it)
    assert!(shiguang::store::backup::list(&dir.path().join("backups")).contains(copy));

    // a start of the same version changes nothing and copies nothing again
    let listed = shiguang::store::backup::list(&dir.path().join("backups"));
    drop(Store::open(&db, OpenMode::Desk, T0 + 1).unwrap());
    assert_eq!(
        shiguang::store::backup::list(&dir.path().join("backups")),
        listed
    );
    assert_eq!(listed.len(), 1);
}

#[test]
fn a_copy_that_cannot_be_made_leaves_the_station_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = previous_version(dir.path());
    // a file where the backups folder would be
    std::fs::write(dir.path().join("backups"), "not a folder").unwrap();

    let e = match Store::open(&db, OpenMode::Desk, T0) {
        Err(e) => e,
        Ok(_) => panic!("opened without its copy"),
    };
    assert!(matches!(e, OpenError::UpdateBackup { .. }), "{e:?}");
    for lang in [shiguang::i18n::Lang::Zh, shiguang::i18n::Lang::En] {
        let text = shiguang::i18n::Tr::new(lang).msg(&e.msg());
        assert!(text.contains("backups") && !text.contains('{'), "{text}");
    }
    assert_eq!(migration_state(&db), MigrationState::Behind { pending: 1 });

    // once the copy can be made, the update goes through
    std::fs::remove_file(dir.path().join("backups")).unwrap();
    drop(Store::open(&db, OpenMode::Desk, T0).unwrap());
    assert_eq!(migration_state(&db), MigrationState::UpToDate);
}

#[test]
fn a_new_station_needs_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("station.db");
    drop(Store::open(&db, OpenMode::Desk, T0).unwrap());
    assert_eq!(migration_state(&db), MigrationState::UpToDate);
    assert!(backups(dir.path()).is_empty());
}

/// Migration 0019: an item to replenish named in the desk's language at
/// the opening is named from its checklist item (both languages) after
/// the update; one whose item is gone keeps its words in an item of its
/// own, out of use; the day's covered row is left as written, and the file
/// still verifies.
#[test]
fn items_to_replenish_are_named_from_the_checklist_after_the_update() {
    let dir = tempfile::tempdir().unwrap();
    let old_day = r#"[{"item_id":8,"name":"助行器","done":true,"count":1,"expected":2}]"#;
    let db = previous_version_with(
        dir.path(),
        &format!(
            "INSERT INTO station_days (day, day_start, day_end, opened_at, late, checklist)
             VALUES ('2026-09-20', 1, 2, 1, 0, '{old_day}');
             INSERT INTO replenish (day, item_id, name, missing, created_at)
             VALUES ('2026-09-20', 8, '助行器', 1, 1), ('2026-09-20', NULL, '老花镜', 2, 1);"
        ),
    );
    let s = Store::open(&db, OpenMode::Desk, T0).unwrap();
    let named: Vec<(String, String, u32)> = s
        .open_replenish()
        .unwrap()
        .into_iter()
        .map(|r| (r.name_zh, r.name_en, r.missing))
        .collect();
    assert_eq!(
        named,
        [
            ("助行器".to_string(), "walkers".to_string(), 1),
            ("老花镜".to_string(), "老花镜".to_string(), 2)
        ]
    );
    let kept = s.checklist().unwrap();
    let own = kept.iter().find(|c| c.name_zh == "老花镜").unwrap();
    assert!(!own.active, "kept for its name, not put on the list");
    drop(s);
    let c = rusqlite::Connection::open(&db).unwrap();
    let day: String = c
        .query_row("SELECT checklist FROM station_days", [], |r| r.get(0))
        .unwrap();
    assert_eq!(day, old_day, "the covered row is left as written");
    let s = Store::open(&db, OpenMode::Desk, T0 + 1).unwrap();
    let report = s.verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
