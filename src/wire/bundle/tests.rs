use super::*;

fn link(chain: &str, seq: i64, prev: &str, hash: &str) -> Link {
    Link {
        chain: chain.into(),
        seq,
        prev_hash: prev.into(),
        hash: hash.into(),
    }
}

fn summary(ledger_seq: i64, audit_seq: i64) -> Summary {
    Summary {
        version: VERSION,
        figures: DayFigures::default(),
        snapshot: serde_json::Value::Null,
        ledger_seq,
        ledger_head: "h".into(),
        audit_seq,
        audit_head: String::new(),
    }
}

fn small_bundle() -> Bundle {
    Bundle {
        header: Some(Header {
            format: FORMAT.into(),
            version: VERSION,
            station_uid: "u".into(),
            station_code: "JS01".into(),
            station_kind: "main".into(),
            tz: "Asia/Shanghai".into(),
            day: "2026-12-01".into(),
            start: 0,
            end: 86_400_000,
            respond_minutes: 60,
            urgent_respond_minutes: 5,
        }),
        links: vec![link("ledger", 1, "", "a")],
        summary: Some(summary(1, 0)),
        ..Bundle::default()
    }
}

#[test]
fn a_signed_bundle_names_its_signer() {
    let signer = StationSigner::from_secret(&[4; 32]);
    let read = Bundle::parse(&small_bundle().to_signed_text(&signer)).unwrap();
    assert_eq!(read.signed_by, Some(signer.public_hex()));
    assert_eq!(
        Bundle::parse(&small_bundle().to_text()).unwrap().signed_by,
        None
    );
}

/// A forger who changes a row and recomputes the end hash cannot make
/// the station's signature fit: the file is refused as it is read.
#[test]
fn a_forged_row_with_a_recomputed_hash_fails_the_signature() {
    let signer = StationSigner::from_secret(&[4; 32]);
    let text = small_bundle().to_signed_text(&signer);
    let (body, end) = text.trim_end().rsplit_once('\n').unwrap();
    let forged_body = format!("{}\n", body.replace("JS01", "JS02"));
    let hash = blake3::hash(forged_body.as_bytes()).to_hex().to_string();
    let mut end: serde_json::Value = serde_json::from_str(end).unwrap();
    end["r"]["hash"] = hash.into();
    let forged = format!("{forged_body}{end}\n");
    let err = Bundle::parse(&forged).unwrap_err();
    assert!(err.contains("signature"), "{err}");
    // signed again with another key it reads, but names that other key
    let other = StationSigner::from_secret(&[5; 32]);
    let mut b = Bundle::parse(&text).unwrap();
    b.header.as_mut().unwrap().station_code = "JS02".into();
    let resigned = Bundle::parse(&b.to_signed_text(&other)).unwrap();
    assert_eq!(resigned.signed_by, Some(other.public_hex()));
    assert_ne!(resigned.signed_by, Some(signer.public_hex()));
}

#[test]
fn a_key_without_a_signature_is_refused() {
    let signer = StationSigner::from_secret(&[4; 32]);
    let text = small_bundle().to_signed_text(&signer);
    let cut = text.replacen(",\"sig\":", ",\"gis\":", 1);
    assert!(Bundle::parse(&cut).unwrap_err().contains("half signed"));
}

/// Found with the bundle fuzz target (`fuzz/corpus/bundle/seed-far-head`):
/// `check` stepped through every number from the first row to the head
/// the summary names, so a bundle naming its head at i64::MAX collected
/// "missing" lines until memory ran out. Gaps are now one line each.
#[test]
fn a_head_far_away_is_one_gap_not_a_loop() {
    let b = Bundle {
        links: vec![link("ledger", 1, "", "a"), link("audit", i64::MIN, "", "b")],
        summary: Some(summary(i64::MAX, i64::MAX)),
        ..Bundle::default()
    };
    let problems = b.check();
    assert!(
        problems.contains(&format!(
            "ledger seq 2 to {}: missing from the run",
            i64::MAX
        )),
        "{problems:?}"
    );
    assert!(
        problems.contains(&format!(
            "audit seq {} to {}: missing from the run",
            i64::MIN + 1,
            i64::MAX
        )),
        "{problems:?}"
    );
}

#[test]
fn gaps_and_breaks_in_a_run() {
    let b = Bundle {
        links: vec![
            link("ledger", 3, "x", "a"),
            link("ledger", 4, "a", "b"),
            link("ledger", 6, "b", "c"),
            link("ledger", 7, "zz", "d"),
            link("ledger", 8, "d", "e"),
        ],
        summary: Some(summary(10, 0)),
        ..Bundle::default()
    };
    assert_eq!(
        b.check(),
        [
            "ledger seq 5: missing from the run",
            "ledger seq 7: not linked to seq 6",
            "ledger seq 9 to 10: missing from the run",
        ]
    );
}

fn merchant_case(merchant_ref: Option<&str>) -> DisputeRow {
    DisputeRow {
        uid: "d1".into(),
        kind: "dispute".into(),
        category: Some("merchant".into()),
        party_a: Some("m-a".into()),
        party_b: None,
        merchant_ref: merchant_ref.map(str::to_string),
        opened_at: 10,
        decided_at: None,
        outcome: None,
        told_at: None,
        updated_at: 10,
    }
}

/// A merchant case carries its merchant; a bundle written before it was
/// carried still reads, its case without one.
#[test]
fn a_merchant_case_carries_its_merchant_and_old_bundles_still_read() {
    let signer = StationSigner::from_secret(&[4; 32]);
    let b = Bundle {
        disputes: vec![merchant_case(Some("JS01-S001"))],
        ..small_bundle()
    };
    let text = b.to_signed_text(&signer);
    assert!(text.contains(r#""merchant_ref":"JS01-S001""#), "{text}");
    let read = Bundle::parse(&text).unwrap();
    assert_eq!(read.disputes[0].merchant_ref.as_deref(), Some("JS01-S001"));
    // as an older station wrote it: no such field at all
    let old = Bundle {
        disputes: vec![merchant_case(None)],
        ..small_bundle()
    };
    let text = old.to_signed_text(&signer);
    assert!(!text.contains("merchant_ref"), "{text}");
    let read = Bundle::parse(&text).unwrap();
    assert_eq!(read.disputes, [merchant_case(None)]);
}
