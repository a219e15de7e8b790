//! Staff PINs: peppered with the station key (kept beside the database,
//! never in it), the ones everybody tries first refused when set.

use crate::common;
use argon2::password_hash::{PasswordHasher, SaltString};
use common::*;
use shiguang::domain::staff::Role;
use shiguang::harness::T0;
use shiguang::store::{OpenMode, Store, StoreError};

fn key_of(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.msg.key,
        other => panic!("not a refusal: {other:?}"),
    }
}

fn stored_hash(s: &Store, staff_no: &str) -> String {
    s.conn()
        .query_row(
            "SELECT pin_hash FROM staff WHERE staff_no = ?1",
            [staff_no],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_stored_pin_hash_cannot_be_checked_without_the_station_key() {
    let db = temp_db();
    init_station(&db.path);
    let s = store(&db.path);
    let h = stored_hash(&s, "001");
    drop(s);
    assert!(h.starts_with("pepper1$"), "{h}");
    // argon2 alone, on what the file holds, has no output to compare with
    let bare = &h["pepper1$".len() + 64..];
    let phc = argon2::PasswordHash::new(bare).unwrap();
    assert!(phc.hash.is_none());

    // a copy of the file without its key: no PIN can be checked, and no
    // new key is made up for it
    let copy = tempfile::tempdir().unwrap();
    let copied = copy.path().join("station.db");
    std::fs::copy(&db.path, &copied).unwrap();
    let mut s = Store::open(&copied, OpenMode::Desk, T0).unwrap();
    assert!(!shiguang::store::secret::key_path(&copied).exists());
    assert_eq!(
        key_of(s.sign_in("001", MASTER_PIN, T0).unwrap_err()),
        "signin.key_missing"
    );
    // with the key back, the same PIN signs in
    std::fs::copy(
        shiguang::store::secret::key_path(&db.path),
        shiguang::store::secret::key_path(&copied),
    )
    .unwrap();
    let mut s = Store::open(&copied, OpenMode::Desk, T0).unwrap();
    assert!(s.sign_in("001", MASTER_PIN, T0).is_ok());
}

#[test]
fn pins_hashed_before_the_pepper_sign_in_and_are_peppered_when_the_file_is_opened() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    add_liaison(&mut s, &master);
    // the hashes as an older version wrote them: plain argon2id
    let salt = SaltString::encode_b64(&[9u8; 16]).unwrap();
    for (no, pin) in [("001", MASTER_PIN), ("002", "3917")] {
        let old = argon2::Argon2::default()
            .hash_password(pin.as_bytes(), &salt)
            .unwrap()
            .to_string();
        s.conn()
            .execute(
                "UPDATE staff SET pin_hash = ?1 WHERE staff_no = ?2",
                [&old, no],
            )
            .unwrap();
    }
    drop(s);
    // read-only inspection changes nothing
    let s = Store::open(&db.path, OpenMode::Inspect, T0).unwrap();
    assert!(stored_hash(&s, "001").starts_with("$argon2id$"));
    drop(s);
    // the next open with the key seals every one, no PIN needed
    let mut s = store(&db.path);
    for no in ["001", "002"] {
        assert!(stored_hash(&s, no).starts_with("pepper1$"), "{no}");
    }
    assert!(s.sign_in("001", MASTER_PIN, T0).is_ok());
    assert!(s.sign_in("002", "3917", T0).is_ok());
    assert_eq!(
        key_of(s.sign_in("002", "3918", T0).unwrap_err()),
        "signin.pin.wrong"
    );
}

#[test]
fn the_pins_everybody_tries_first_are_refused_wherever_a_pin_is_set() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    for weak in ["1234", "0000", "2580", "1212", "13579", "9876"] {
        assert_eq!(
            key_of(
                s.add_staff(&master, "李建国", Role::Liaison, weak, T0)
                    .unwrap_err()
            ),
            "staff.pin.trivial",
            "{weak}"
        );
    }
    let liaison = add_liaison(&mut s, &master);
    assert_eq!(
        key_of(
            s.reset_pin(&master, liaison.staff_id, "5555", T0)
                .unwrap_err()
        ),
        "staff.pin.trivial"
    );
    assert!(s.sign_in("002", "3917", T0).is_ok(), "the old PIN stays");

    let other = temp_db();
    let mut s = store(&other.path);
    let st = shiguang::store::station::NewStation {
        street: "JS".into(),
        community: "02".into(),
        kind: shiguang::domain::station::StationKind::Main,
        name: "金山社区驿站".into(),
        tz: chrono_tz::Asia::Shanghai,
    };
    assert_eq!(
        key_of(s.create_station(&st, "王秀英", "1234", T0).unwrap_err()),
        "staff.pin.trivial"
    );
    assert!(s.station().is_none());
}
