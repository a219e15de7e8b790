//! `seed` and `export-ledger` as processes; the journal's balances checked
//! by hledger when it is installed, and by our own reading of the file.

use crate::common;
use common::*;
use std::process::Command;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shiguang"))
        .args(args)
        .env_remove("SHIGUANG_DB")
        .env("SHIGUANG_STAFF", "001")
        .env("SHIGUANG_PIN", MASTER_PIN)
        .output()
        .unwrap()
}

fn hledger() -> Option<&'static str> {
    Command::new("hledger")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "hledger")
}

#[test]
fn seed_adds_to_a_station_and_verify_accepts_it() {
    let db = temp_db();
    let p = db.path.to_str().unwrap();
    let o = run(&[
        "seed",
        "--db",
        p,
        "--members",
        "200",
        "--days",
        "90",
        "--seed",
        "7",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 200);
    // run again: sequences continue, nothing is overwritten
    let o = run(&[
        "seed",
        "--db",
        p,
        "--members",
        "50",
        "--days",
        "30",
        "--seed",
        "8",
        "--lang",
        "en",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 250);
    let last: String = store(&db.path)
        .conn()
        .query_row("SELECT max(number) FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(last, "JS01-0250");
    let o = run(&["verify", "--db", p, "--lang", "en"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    // bad flags
    let o = run(&["seed", "--db", p, "--days", "0"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_journal_balances_equal_the_apps_in_both_formats() {
    let db = temp_db();
    let p = db.path.to_str().unwrap();
    assert!(
        run(&[
            "seed",
            "--db",
            p,
            "--members",
            "120",
            "--days",
            "60",
            "--lang",
            "en"
        ])
        .status
        .success()
    );
    // a reversal in the mix
    {
        let mut s = store(&db.path);
        let master = master_session();
        let (id, amount): (String, i64) = s
            .conn()
            .query_row(
                "SELECT id, amount FROM transfers ORDER BY seq LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let second = second_master(&mut s, &master);
        reverse(
            &mut s,
            &master,
            &second,
            &id,
            amount / 2 + 1,
            "更正",
            shiguang::harness::T0,
        )
        .unwrap();
    }
    for format in ["ledger", "beancount"] {
        let out = db.dir.path().join(format!("ledger.{format}"));
        let o = run(&[
            "export-ledger",
            "--db",
            p,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--lang",
            "en",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = std::fs::read_to_string(&out).unwrap();
        let (sums, asserted) = shiguang::journal::reparse(&text);
        assert!(!asserted.is_empty());
        for (account, balance) in &asserted {
            let sum = sums.get(account).copied().unwrap_or(0);
            assert_eq!(sum, *balance, "{format}: {account}");
        }
        let total: i64 = asserted.values().sum();
        assert_eq!(total, 0, "double entry: all accounts sum to zero");
    }
    let journal = db.dir.path().join("ledger.ledger");
    match hledger() {
        Some(h) => {
            let o = Command::new(h)
                .args(["-f", journal.to_str().unwrap(), "bal"])
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "hledger rejects the journal: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            // a changed balance is caught by hledger's own assertion check
            let text = std::fs::read_to_string(&journal).unwrap();
            let tampered = text.replacen("0 PT = ", "0 PT = 1", 1);
            std::fs::write(&journal, tampered).unwrap();
            let o = Command::new(h)
                .args(["-f", journal.to_str().unwrap(), "bal"])
                .output()
                .unwrap();
            assert!(!o.status.success());
        }
        None => {
            eprintln!("hledger is not installed: checked the journal with our own reading only")
        }
    }
}

#[test]
fn export_ledger_refuses_an_unknown_format() {
    let db = temp_db();
    init_station(&db.path);
    let o = run(&[
        "export-ledger",
        "--db",
        db.path.to_str().unwrap(),
        "--format",
        "csv",
        "--out",
        "/dev/null",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
