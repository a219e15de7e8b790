//! Covers written by honest writes, refused for edits from outside, and
//! bound into the audit chain.

use super::*;
use crate::store::station::NewStation;
use crate::store::{OpenMode, Store, audit, verify_covers};

/// A fresh station file in `dir` with its first master (PIN 4821), at 0.
pub(in crate::store) fn station(dir: &std::path::Path) -> Store {
    let mut s = Store::open(&dir.join("station.db"), OpenMode::Desk, 0).unwrap();
    let st = NewStation {
        street: "JS".into(),
        community: "01".into(),
        kind: crate::domain::station::StationKind::Main,
        name: "测试驿站".into(),
        tz: chrono_tz::Asia::Shanghai,
    };
    s.create_station(&st, "王秀英", "4821", 0).unwrap();
    s
}

fn add_member(s: &mut Store, uid: &str) -> i64 {
    s.write(|tx| {
        tx.execute(
            "INSERT INTO members (uid, name, phone, id_kind, id_hash, id_masked, residence_proof, street, community,
                 building, emergency_name, emergency_phone, status, submitted_at, updated_at)
             VALUES (?1, '张三', '13800000000', 'id_card', ?1, '1101**', 'rent', 'JS', '01', '1栋', '李四',
                 '13900000000', 'pending', 0, 0)",
            [uid],
        )?;
        let id = tx.last_insert_rowid();
        audit::log(tx, 0, Some(1), "member.register", "member", id, serde_json::json!({}))?;
        Ok(id)
    })
    .unwrap()
}

#[test]
fn the_digest_is_the_details_first_key() {
    let d = "a".repeat(64);
    let with = with_digest(&serde_json::json!({"x": 1}), Some(&d));
    assert_eq!(with, format!(r#"{{"covers":"{d}","x":1}}"#));
    assert_eq!(digest_of_detail(&with), Some(d.as_str()));
    let empty = with_digest(&serde_json::json!({}), Some(&d));
    assert_eq!(digest_of_detail(&empty), Some(d.as_str()));
    let odd = with_digest(&serde_json::json!([1]), Some(&d));
    assert!(serde_json::from_str::<serde_json::Value>(&odd).is_ok());
    assert_eq!(digest_of_detail(&odd), Some(d.as_str()));
    // a key of that name further in, or a shorter value, is no digest
    assert_eq!(digest_of_detail(r#"{"a":1,"covers":"x"}"#), None);
    assert_eq!(digest_of_detail(r#"{"covers":"abc"}"#), None);
    assert_eq!(
        with_digest(&serde_json::json!({"x": 1}), None),
        r#"{"x":1}"#
    );
}

#[test]
fn a_write_covers_what_it_changed_and_verify_agrees() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = station(tmp.path());
    let id = add_member(&mut s, "u1");
    let (seq, hash) = newest(s.conn(), "member", &Value::Integer(id))
        .unwrap()
        .unwrap();
    assert_eq!(seq, audit::head_seq(s.conn()).unwrap().0);
    let spec = spec_of("member").unwrap();
    assert_eq!(
        Some(hash.as_slice()),
        content_now(s.conn(), spec, &Value::Integer(id))
            .unwrap()
            .as_ref()
            .map(|h| &h[..])
    );
    assert!(verify_covers::check_rows(s.conn()).unwrap().is_empty());
    assert!(audit::verify_chain(s.conn()).unwrap().problems.is_empty());
    // a change after the write's last audit row gets its own at the commit
    s.write(|tx| {
        audit::log(
            tx,
            5,
            Some(1),
            "member.note",
            "member",
            id,
            serde_json::json!({}),
        )?;
        tx.execute("UPDATE members SET level = 'star' WHERE id = ?1", [id])?;
        Ok(())
    })
    .unwrap();
    let last: String = s
        .conn()
        .query_row(
            "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "audit.cover");
    assert!(verify_covers::check_rows(s.conn()).unwrap().is_empty());
    assert!(audit::verify_chain(s.conn()).unwrap().problems.is_empty());
}

/// A row changed by another program is not vouched for by the next
/// honest write that touches it: the write is refused.
#[test]
fn an_edit_from_outside_is_refused_not_vouched_for() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = station(tmp.path());
    let id = add_member(&mut s, "u1");
    let other = rusqlite::Connection::open(tmp.path().join("station.db")).unwrap();
    other
        .execute("UPDATE members SET status = 'approved' WHERE id = ?1", [id])
        .unwrap();
    drop(other);
    let e = s
        .write(|tx| {
            tx.execute(
                "UPDATE members SET frozen = 1, frozen_reason = 'x' WHERE id = ?1",
                [id],
            )?;
            audit::log(
                tx,
                5,
                Some(1),
                "member.freeze",
                "member",
                id,
                serde_json::json!({}),
            )?;
            Ok(())
        })
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Damaged(ref why) if why.contains("changed or added outside the app")),
        "{e:?}"
    );
    let frozen: bool = s
        .conn()
        .query_row("SELECT frozen FROM members WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!frozen, "nothing of the refused write was kept");
    // and the edit itself is what verify names
    let problems = verify_covers::check_rows(s.conn()).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!("members {id}:")),
        "{problems:?}"
    );
}

#[test]
fn edited_or_moved_covers_break_the_audit_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = station(tmp.path());
    add_member(&mut s, "u1");
    add_member(&mut s, "u2");
    let path = tmp.path().join("station.db");
    let edit = |sql: &str| {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS audit_covers_no_update; DROP TRIGGER IF EXISTS audit_covers_no_delete; {sql}"
        ))
        .unwrap();
    };
    let problems = || audit::verify_chain(s.conn()).unwrap().problems;
    edit("UPDATE audit_covers SET hash = zeroblob(32) WHERE entity_id = 1");
    assert!(
        problems()
            .iter()
            .any(|p| p.ends_with("its covers were changed")),
        "{:?}",
        problems()
    );
    edit("DELETE FROM audit_covers WHERE entity_id = 1");
    assert!(
        problems()
            .iter()
            .any(|p| p.ends_with("its covers are gone")),
        "{:?}",
        problems()
    );
    edit("INSERT INTO audit_covers VALUES ('member', 1, 1, zeroblob(32))");
    assert!(
        problems()
            .iter()
            .any(|p| p.ends_with("covers were added to it afterwards")),
        "{:?}",
        problems()
    );
}
