//! The command line: bad arguments exit 2 (or 1) with one line.

use crate::common::*;
// (common has a `shiguang` too: this one, as before the split)
use crate::support::shiguang;
use crate::support::*;
use shiguang::i18n::{Lang, Tr};

/// The first words of a catalog message in Chinese.
fn zh(m: &shiguang::msg::Msg) -> String {
    Tr::new(Lang::Zh).msg(m).chars().take(8).collect()
}

#[test]
fn init_refuses_each_bad_argument_in_the_chosen_language_and_creates_nothing() {
    use shiguang::msg;
    for (flag, bad, m) in [
        ("--street", "j5", msg!("station.street.invalid")),
        ("--community", "001", msg!("station.community.invalid")),
        ("--kind", "big", msg!("station.kind.invalid")),
        ("--name", " ", msg!("station.name.empty")),
        ("--name", "驿站😀", msg!("station.name.invalid")),
        (
            "--tz",
            "Mars/Olympus",
            msg!("station.tz.invalid", tz = "Mars/Olympus"),
        ),
        ("--master", "", msg!("person.name.empty")),
        ("--master", "王😀", msg!("person.name.bad_chars")),
        ("--pin", "12", msg!("staff.pin.short", min = 4)),
        ("--pin", "12x4", msg!("staff.pin.digits")),
        ("--pin", "1234", msg!("staff.pin.trivial")),
    ] {
        let db = temp_db();
        let mut args = init_args(db.path.to_str().unwrap(), "JS", "01", MASTER_PIN);
        let lang = args.iter().position(|a| *a == "--lang").unwrap();
        args[lang + 1] = "zh";
        args.extend(["--tz", "Asia/Shanghai"]);
        let at = args.iter().position(|a| *a == flag).unwrap();
        args[at + 1] = bad;
        one_line(&shiguang(&args), 2, &[flag, &zh(&m)]);
        assert!(!db.path.exists(), "{flag} {bad:?}: a file was made");
        assert!(!shiguang::store::secret::key_path(&db.path).exists());
    }
}

#[test]
fn day_commands_refuse_bad_dates_and_a_missing_database_without_making_one() {
    let db = temp_db();
    let p = db.path.to_str().unwrap();
    for date in ["2026-13-01", "23/11/2026", "tomorrow", ""] {
        let o = shiguang(&["--db", p, "--lang", "zh", "close-day", "--date", date]);
        one_line(&o, 2, &["2026-11-23"]);
        let o = shiguang(&["--db", p, "export-day", "--date", date, "--out", "x.jsonl"]);
        one_line(&o, 2, &["2026-11-23"]);
    }
    let no_station = Tr::new(Lang::Zh).t("cli.no_station").to_string();
    for args in [
        vec!["close-day"],
        vec!["close-day", "--date", "2026-11-23"],
        vec!["backup"],
        vec!["export-day", "--date", "2026-11-23", "--out", "x.jsonl"],
    ] {
        let mut all = vec!["--db", p, "--lang", "zh"];
        all.extend(args.iter().copied());
        one_line(&shiguang(&all), 1, &[&no_station]);
    }
    assert!(!db.path.exists(), "a mistyped --db made a database");
    assert!(!shiguang::store::secret::key_path(&db.path).exists());
}

#[test]
fn numbers_formats_and_files_on_the_command_line_are_checked() {
    let db = temp_db();
    init_station(&db.path);
    let p = db.path.to_str().unwrap();
    let before = rows(&db.path);
    for args in [
        vec!["seed", "--members", "abc"],
        vec!["seed", "--members", "-1"],
        vec!["seed", "--days", "0"],
        vec!["seed", "--records", "1.5"],
        vec!["bench", "--members", "10", "--transfers", "0"],
        vec!["bench", "--transfers", "x"],
        vec!["export-ledger", "--format", "csv", "--out", "x.journal"],
        vec!["verify", "--full", "yes"],
        vec!["keys", "extra"],
        vec!["check-bundle"],
    ] {
        let mut all = vec!["--db", p];
        all.extend(args.iter().copied());
        one_line(&shiguang(&all), 2, &[]);
    }
    assert_eq!(rows(&db.path), before);
    let out = db.dir.path().join("no-such-folder").join("x.journal");
    let o = shiguang(&["--db", p, "export-ledger", "--out", out.to_str().unwrap()]);
    one_line(&o, 1, &["no-such-folder"]);
    // a day bundle that is not there, not one, not text
    let missing = db.dir.path().join("missing.jsonl");
    let garbage = db.dir.path().join("garbage.jsonl");
    std::fs::write(&garbage, "这不是上报文件\n").unwrap();
    let binary = db.dir.path().join("binary.jsonl");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let unreadable = Tr::new(Lang::En).t("cli.bundle_unreadable").to_string();
    let head = unreadable.split('{').next().unwrap().to_string();
    for (f, words) in [
        (&missing, vec!["missing.jsonl"]),
        (&garbage, vec![head.as_str()]),
        (&binary, vec!["binary.jsonl"]),
    ] {
        let o = shiguang(&["--lang", "en", "check-bundle", f.to_str().unwrap()]);
        one_line(&o, 1, &words);
    }
}

#[test]
fn restore_refuses_a_file_that_is_no_backup_in_words_and_touches_nothing() {
    let db = temp_db();
    init_station(&db.path);
    let p = db.path.to_str().unwrap();
    let digest = || blake3::hash(&std::fs::read(&db.path).unwrap());
    let before = digest();
    let notes = db.dir.path().join("notes.db");
    std::fs::write(
        &notes,
        "这不是数据库 — just some notes, long enough to look",
    )
    .unwrap();
    let missing = db.dir.path().join("gone.db");
    for (from, inner) in [
        (
            &notes,
            Tr::new(Lang::Zh).msg(&shiguang::msg!(
                "db.error.not_sqlite",
                path = notes.display()
            )),
        ),
        (
            &missing,
            Tr::new(Lang::Zh).msg(&shiguang::msg!(
                "db.error.sqlite",
                why = format!("{}: no such file", missing.display())
            )),
        ),
    ] {
        let o = shiguang(&[
            "--db",
            p,
            "--lang",
            "zh",
            "restore",
            "--from",
            from.to_str().unwrap(),
            "--force",
            "--yes",
        ]);
        let head: String = inner.chars().take(10).collect();
        one_line(&o, 1, &[&head]);
    }
    assert_eq!(digest(), before, "the database was touched");
    let aside = std::fs::read_dir(db.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("damaged"))
        .count();
    assert_eq!(aside, 0, "nothing is set aside for a bad backup");
}
