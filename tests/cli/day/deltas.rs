//! The close's backups over several days: a full copy, then each day's
//! changes beside it; `restore` rebuilds any kept day in one command, the
//! chains verify after it, and a damaged day's file is refused, saying so.

use super::*;

fn shiguang(args: &[&str]) -> std::process::Output {
    common::shiguang(&[&["--lang", "en"], args].concat())
}

fn said(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `days` days from 2026-11-23, each opened, one service recorded, and
/// closed: each close's backup, and the transfers the file held then.
fn close_days(w: &mut World, days: i64) -> Vec<(std::path::PathBuf, i64)> {
    let mut out = Vec::new();
    for n in 0..days {
        let d0 = D0 + n * DAY_MS;
        w.s.open_day(
            &w.master,
            &ticked_checklist(&w.s),
            d0 + 8 * HOUR_MS + 40 * MINUTE_MS,
        )
        .unwrap();
        let at = d0 + 10 * HOUR_MS;
        w.s.post_record(
            &w.master,
            &record(&format!("day{n}"), w.m[0], w.m[1], at, 60, Payer::Pool),
            at + MINUTE_MS,
        )
        .unwrap();
        let date = day("2026-11-23") + chrono::Days::new(n as u64);
        let closed =
            w.s.close_day(Some(&w.master), date, "", true, d0 + 23 * HOUR_MS)
                .unwrap();
        let transfers: i64 =
            w.s.conn()
                .query_row("SELECT count(*) FROM transfers", [], |r| r.get(0))
                .unwrap();
        out.push((closed.backup.unwrap(), transfers));
        // modification times order the backups
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    out
}

/// The station's file made unreadable, the store closed first.
fn damage(w: World) -> TestDb {
    let db = w.db;
    drop(w.s);
    std::fs::write(&db.path, b"this is not a database any more").unwrap();
    db
}

fn name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn the_close_keeps_a_full_copy_then_the_days_changes_and_restore_rebuilds_any_day() {
    let mut w = world();
    let backups = close_days(&mut w, 4);
    assert_eq!(name(&backups[0].0), "shiguang-2026-11-23.db");
    for (b, _) in &backups[1..] {
        assert!(name(b).ends_with(".delta"), "{}", b.display());
        // a day's changes are a small part of the file
        let (full, delta) = (
            std::fs::metadata(&backups[0].0).unwrap().len(),
            std::fs::metadata(b).unwrap().len(),
        );
        assert!(delta * 4 < full, "{delta} bytes against {full}");
    }
    // the newest backup, a delta, is a witness: the sound file verifies
    let o = shiguang(&["--db", w.db.path.to_str().unwrap(), "verify"]);
    assert!(o.status.success(), "{}", said(&o));

    let db = damage(w);
    let path = db.path.to_str().unwrap();
    let (third, transfers) = &backups[2];
    let o = shiguang(&[
        "restore",
        "--db",
        path,
        "--from",
        third.to_str().unwrap(),
        "--yes",
    ]);
    assert!(o.status.success(), "{}", said(&o));
    // the rebuilt day: both chains verify and it holds that day's transfers
    let o = shiguang(&["--db", path, "verify"]);
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM transfers"),
        *transfers
    );
    // no rebuilt copy is left in the backup folder
    let dir = db.dir.path().join("backups");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rebuilt") || n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_damaged_days_backup_is_refused_with_a_clear_message_and_nothing_moves() {
    let mut w = world();
    let backups = close_days(&mut w, 2);
    let delta = backups[1].0.clone();
    let db = damage(w);
    let path = db.path.to_str().unwrap();
    // one byte changed in the compressed pages
    let mut bytes = std::fs::read(&delta).unwrap();
    let at = bytes.len() - 40;
    bytes[at] ^= 0x5a;
    std::fs::write(&delta, &bytes).unwrap();
    let restore = || {
        shiguang(&[
            "restore",
            "--db",
            path,
            "--from",
            delta.to_str().unwrap(),
            "--yes",
        ])
    };
    let o = restore();
    assert!(!o.status.success());
    let text = said(&o);
    assert!(text.contains("is damaged"), "{text}");
    assert!(text.contains("was not used"), "{text}");
    // the damaged station file is where it was, as it was
    assert_eq!(
        std::fs::read(&db.path).unwrap(),
        b"this is not a database any more"
    );
    // a day whose full copy is gone is refused too, naming the copy
    std::fs::remove_file(&backups[0].0).unwrap();
    let o = restore();
    assert!(!o.status.success());
    let text = said(&o);
    assert!(text.contains("full copy it builds on"), "{text}");
    assert!(text.contains("shiguang-2026-11-23.db"), "{text}");
}

#[test]
fn pruning_keeps_the_full_copy_the_kept_days_are_built_on() {
    let mut w = world();
    w.s.set_setting(&w.master, "backup_keep", serde_json::json!(2), T0)
        .unwrap();
    let backups = close_days(&mut w, 4);
    let names: Vec<String> = shiguang::store::backup::list(&w.db.dir.path().join("backups"))
        .iter()
        .map(|p| name(p))
        .collect();
    assert_eq!(
        names,
        [
            "shiguang-2026-11-23.db",
            "shiguang-2026-11-25.delta",
            "shiguang-2026-11-26.delta"
        ]
    );
    assert_eq!(name(&backups[3].0), "shiguang-2026-11-26.delta");
}
