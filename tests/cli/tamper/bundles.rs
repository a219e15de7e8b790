//! §2.3: a forged bundle, and a restore that goes back on purpose.

use super::*;
use std::path::{Path, PathBuf};

fn station_key(db: &Path) -> String {
    let o = shiguang(&["--db", db.to_str().unwrap(), "station-key"]);
    assert!(o.status.success(), "{}", out(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// §2.3, the adversary's recipe from the issue: a forged service record and
/// its transfer put in a bundle, the figures made to match, the end hash
/// computed again. Signed, unsigned, or signed again with another key: it
/// never checks out as this station's.
#[test]
fn a_forged_bundle_fails_check_bundle() {
    let db = history();
    let dbs = db.path.to_str().unwrap();
    let key = station_key(&db.path);
    assert_eq!(key.len(), 64);
    let path = db.dir.path().join("bundles/JS01-2026-11-24.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(&key),
        "the bundle names the key station-key prints"
    );
    // the forgery: one more service of 60 minutes, figures to match
    let mut b = shiguang::bundle::Bundle::parse(&text).unwrap();
    let mut rec = b.records[0].clone();
    rec.uid = "forged".into();
    b.records.push(rec);
    let figures = shiguang::bundle::recompute(&b);
    b.summary.as_mut().unwrap().figures = figures;
    let forged_unsigned = b.to_text();
    let forged_text_signed = {
        // the body changed, the end line's hash recomputed, the old
        // signature kept
        let (body, end) = forged_unsigned.trim_end().rsplit_once('\n').unwrap();
        let old_end = text.trim_end().rsplit_once('\n').unwrap().1;
        let mut end: serde_json::Value = serde_json::from_str(end).unwrap();
        let old: serde_json::Value = serde_json::from_str(old_end).unwrap();
        end["r"]["key"] = old["r"]["key"].clone();
        end["r"]["sig"] = old["r"]["sig"].clone();
        format!("{body}\n{end}\n")
    };
    let other = shiguang::domain::signing::StationSigner::from_secret(&[7; 32]);
    let forged_resigned = b.to_signed_text(&other);
    let bad = db.dir.path().join("forged.jsonl");
    let check = |text: &str, args: &[&str]| {
        std::fs::write(&bad, text).unwrap();
        let mut all = vec!["--lang", "en", "check-bundle"];
        all.extend_from_slice(args);
        all.push(bad.to_str().unwrap());
        shiguang(&all)
    };
    // the station's own signature no longer fits
    let o = check(&forged_text_signed, &["--db", dbs]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("signature does not match"), "{}", out(&o));
    // without a signature: refused, with or without a station to compare
    for args in [&["--db", dbs][..], &[][..]] {
        let o = check(&forged_unsigned, args);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        assert!(out(&o).contains("not signed"), "{}", out(&o));
    }
    // signed again with another key: not this station's, by --db or --key
    for args in [&["--db", dbs][..], &["--key", &key][..]] {
        let o = check(&forged_resigned, args);
        assert_eq!(o.status.code(), Some(1), "{}", out(&o));
        assert!(out(&o).contains(&other.public_hex()), "{}", out(&o));
        assert!(out(&o).contains("not by this station's key"), "{}", out(&o));
    }
    // the true bundle checks out against the key alone
    let o = shiguang(&[
        "--lang",
        "en",
        "check-bundle",
        "--key",
        &key,
        path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", out(&o));
    // and a malformed key is a usage error
    let o = shiguang(&[
        "--lang",
        "en",
        "check-bundle",
        "--key",
        "xyz",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
}

/// A restore goes back on purpose: what the backup does not reach (the
/// later bundle, headquarters' acknowledgement) is set aside, not left to
/// fail every later verify.
#[test]
fn a_restore_sets_aside_the_witnesses_it_gave_up() {
    let db = copy(&history());
    let p = db.path.to_str().unwrap();
    let backups: Vec<PathBuf> = shiguang::store::backup::list(&db.dir.path().join("backups"));
    assert_eq!(backups.len(), 2);
    let older = &backups[0];
    let o = shiguang(&[
        "--db",
        p,
        "--lang",
        "en",
        "restore",
        "--from",
        older.to_str().unwrap(),
        "--yes",
        "--force",
    ]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("JS01-2026-11-23.jsonl.ahead-of-restore-"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("JS01-2026-11-24.jsonl.ahead-of-restore-"),
        "{}",
        out(&o)
    );
    verify_ok(&db.path);
}

/// The newest bundle must be signed by the station, unless it was closed
/// before this version (before the covers' baseline): its heads still
/// count then, its missing signature does not.
#[test]
fn an_unsigned_bundle_counts_only_from_before_the_upgrade() {
    let db = copy(&history());
    let newest = db.dir.path().join("bundles/JS01-2026-11-24.jsonl");
    let b = shiguang::bundle::Bundle::parse(&std::fs::read_to_string(&newest).unwrap()).unwrap();
    std::fs::write(&newest, b.to_text()).unwrap();
    verify_finds(&db.path, "JS01-2026-11-24.jsonl: not signed");
    // as if the file had been upgraded after that close
    let c = rusqlite::Connection::open(&db.path).unwrap();
    shiguang::store::covers::baseline(&c, D1 + 20 * HOUR_MS).unwrap();
    drop(c);
    verify_ok(&db.path);
}

/// A backup copied back by hand beside the station's bundles is older than
/// the close the newest bundle signed: `verify` says so (`restore` would
/// have set that bundle aside).
#[test]
fn a_backup_put_back_by_hand_is_seen_to_be_older() {
    let db = copy(&history());
    // (the newest full copy: a day's delta is rebuilt by restore, not copied)
    let newest = shiguang::store::backup::list(&db.dir.path().join("backups"))
        .into_iter()
        .rfind(|p| p.extension().is_some_and(|e| e == "db"))
        .unwrap();
    for companion in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{companion}", db.path.display()));
    }
    std::fs::copy(&newest, &db.path).unwrap();
    // (that copy is a day older than the bundle: its chains end before
    // the heads the bundle names)
    verify_finds(&db.path, "JS01-2026-11-24.jsonl: it names the ledger head");
    // and the newest backup, that day's delta, is a witness by its header
    verify_finds(
        &db.path,
        "shiguang-2026-11-24.delta: it names the ledger head",
    );
}
