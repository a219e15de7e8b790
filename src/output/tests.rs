use super::*;
use crate::i18n::{Lang, Tr};

fn place(found: Found, holds: Holds) -> Place {
    Place {
        path: PathBuf::from("out.txt"),
        canonical: Some(PathBuf::from("/s/out.txt")),
        found,
        id: Some(FileId { dev: 1, ino: 9 }),
        holds,
    }
}

fn station_files() -> Vec<Guarded> {
    [
        ("/s/station.db", 1, Guard::Database),
        ("/s/station.db-wal", 2, Guard::Journal),
        ("/s/station.db.key", 3, Guard::Key),
        ("/b/shiguang-2026-11-22.db", 4, Guard::Backup),
    ]
    .into_iter()
    .map(|(p, ino, what)| Guarded {
        canonical: PathBuf::from(p),
        id: Some(FileId { dev: 1, ino }),
        what,
    })
    .collect()
}

#[test]
fn a_new_file_is_created_and_an_existing_one_replaced_only_when_asked() {
    let g = station_files();
    let new = place(Found::Nothing, Holds::Other);
    assert_eq!(judge(&new, &g, None, false), Verdict::Create);
    let old = place(Found::Regular, Holds::Other);
    assert_eq!(
        judge(&old, &g, None, false),
        Verdict::Refuse(Refused::Exists)
    );
    assert_eq!(judge(&old, &g, None, true), Verdict::Replace);
}

#[test]
fn the_stations_files_are_refused_by_path_or_by_identity_even_with_force() {
    let g = station_files();
    for (path, ino, what) in [
        ("/s/station.db", 77, Guard::Database),
        ("/s/station.db-wal", 77, Guard::Journal),
        ("/s/station.db.key", 77, Guard::Key),
        ("/b/shiguang-2026-11-22.db", 77, Guard::Backup),
        // a hard link elsewhere: another path, the same inode
        ("/tmp/innocent.txt", 1, Guard::Database),
        ("/tmp/k", 3, Guard::Key),
    ] {
        let p = Place {
            canonical: Some(PathBuf::from(path)),
            id: Some(FileId { dev: 1, ino }),
            ..place(Found::Regular, Holds::Other)
        };
        assert_eq!(
            judge(&p, &g, None, true),
            Verdict::Refuse(Refused::Guarded(what)),
            "{path}"
        );
    }
    // a symlink whose target is the database is named as the database
    let link = Place {
        canonical: Some(PathBuf::from("/s/station.db")),
        ..place(Found::Symlink, Holds::Other)
    };
    assert_eq!(
        judge(&link, &g, None, true),
        Verdict::Refuse(Refused::Guarded(Guard::Database))
    );
    // the same inode number on another device is another file
    let other_dev = Place {
        id: Some(FileId { dev: 2, ino: 1 }),
        ..place(Found::Regular, Holds::Other)
    };
    assert_eq!(judge(&other_dev, &g, None, true), Verdict::Replace);
}

#[test]
fn anything_but_an_ordinary_file_is_refused() {
    for found in [Found::Symlink, Found::Directory, Found::Special] {
        assert_eq!(
            judge(&place(found, Holds::Other), &[], None, true),
            Verdict::Refuse(Refused::NotRegular(found))
        );
    }
    let no_folder = Place {
        canonical: None,
        ..place(Found::Nothing, Holds::Other)
    };
    assert_eq!(
        judge(&no_folder, &[], None, true),
        Verdict::Refuse(Refused::NoFolder)
    );
}

#[test]
fn a_station_database_anywhere_and_another_days_bundle_are_refused() {
    assert_eq!(
        judge(&place(Found::Regular, Holds::StationDb), &[], None, true),
        Verdict::Refuse(Refused::StationDb)
    );
    let bundle = place(
        Found::Regular,
        Holds::Bundle {
            station: "JS01".into(),
            day: "2026-11-22".into(),
        },
    );
    let other = Verdict::Refuse(Refused::OtherBundle {
        day: "2026-11-22".into(),
    });
    assert_eq!(judge(&bundle, &[], None, true), other);
    assert_eq!(
        judge(&bundle, &[], Some(("JS01", "2026-11-23")), true),
        other
    );
    assert_eq!(
        judge(&bundle, &[], Some(("JS02", "2026-11-22")), true),
        other
    );
    // the same day's bundle again: replaced with leave, else refused
    assert_eq!(
        judge(&bundle, &[], Some(("JS01", "2026-11-22")), true),
        Verdict::Replace
    );
    assert_eq!(
        judge(&bundle, &[], Some(("JS01", "2026-11-22")), false),
        Verdict::Refuse(Refused::Exists)
    );
}

#[test]
fn every_refusal_names_the_file_in_both_languages() {
    let all = [
        Refused::Guarded(Guard::Database),
        Refused::Guarded(Guard::Journal),
        Refused::Guarded(Guard::Key),
        Refused::Guarded(Guard::Backup),
        Refused::StationDb,
        Refused::OtherBundle {
            day: "2026-11-22".into(),
        },
        Refused::NotRegular(Found::Directory),
        Refused::NotRegular(Found::Symlink),
        Refused::NotRegular(Found::Special),
        Refused::Exists,
        Refused::NoFolder,
    ];
    for lang in [Lang::Zh, Lang::En] {
        for r in &all {
            let text = Tr::new(lang).msg(&r.msg(Path::new("/x/名单.md")));
            assert!(text.contains("/x/名单.md"), "{r:?}: {text}");
            assert!(!text.contains('{'), "{r:?}: {text}");
        }
    }
}

#[test]
fn a_name_that_differs_only_in_case_is_the_same_file_where_the_disk_ignores_case() {
    let g = station_files();
    // the -wal need not exist yet, so only its name can tell
    let p = Place {
        canonical: Some(PathBuf::from("/s/STATION.DB-WAL")),
        id: None,
        ..place(Found::Nothing, Holds::Other)
    };
    let expected = if crate::platform::FOLDS_CASE {
        Verdict::Refuse(Refused::Guarded(Guard::Journal))
    } else {
        Verdict::Create
    };
    assert_eq!(judge(&p, &g, None, false), expected);
}

#[test]
fn a_file_another_program_holds_open_is_said_to_be_one() {
    // ERROR_SHARING_VIOLATION on Windows (Excel holding the last export);
    // on unix 32 is a broken pipe, worded by the system
    let e: WriteError<()> = WriteError::Io(std::io::Error::from_raw_os_error(32));
    let m = e.msg(Path::new("/x/名单.csv"), |_| unreachable!());
    let expected = match crate::platform::FAMILY {
        crate::platform::Family::Windows => "out.in_use",
        crate::platform::Family::Unix => "out.failed",
    };
    assert_eq!(m.key, expected);
    for lang in [Lang::Zh, Lang::En] {
        let text = Tr::new(lang).msg(&msg!("out.in_use", path = "/x/名单.csv"));
        assert!(
            text.contains("/x/名单.csv") && !text.contains('{'),
            "{text}"
        );
    }
}

#[test]
fn numbered_names_keep_the_extension() {
    assert_eq!(numbered("card-JS01-0001.txt", 2), "card-JS01-0001 (2).txt");
    assert_eq!(
        numbered("settlement-2026-11.md", 3),
        "settlement-2026-11 (3).md"
    );
    assert_eq!(numbered("notes", 2), "notes (2)");
    assert_eq!(numbered(".hidden", 2), ".hidden (2)");
}

// ---- on a real disk ---------------------------------------------------

// unix: symlinks need a privilege on Windows, and there are no device
// files there; the hard link's identity is tested in src/platform.rs
#[cfg(unix)]
#[test]
fn looking_finds_links_folders_devices_and_what_a_file_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("station.db");
    std::fs::write(&db, b"x").unwrap();
    let g = guarded(&db, &[]);
    // the same file by a relative path, a symlink and a hard link
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    let hard = dir.path().join("hard");
    std::fs::hard_link(&db, &hard).unwrap();
    let dotted = dir.path().join(".").join("station.db");
    for p in [&db, &link, &hard, &dotted] {
        let place = look(p).unwrap();
        assert_eq!(
            judge(&place, &g, None, true),
            Verdict::Refuse(Refused::Guarded(Guard::Database)),
            "{}",
            p.display()
        );
    }
    // the -wal not there yet is guarded by its path all the same
    let wal = look(&dir.path().join("station.db-wal")).unwrap();
    assert_eq!(
        judge(&wal, &g, None, true),
        Verdict::Refuse(Refused::Guarded(Guard::Journal))
    );
    assert_eq!(look(dir.path()).unwrap().found, Found::Directory);
    assert_eq!(look(Path::new("/dev/null")).unwrap().found, Found::Special);
    let elsewhere = dir.path().join("elsewhere");
    std::os::unix::fs::symlink("/tmp/nowhere-at-all", &elsewhere).unwrap();
    assert_eq!(look(&elsewhere).unwrap().found, Found::Symlink);
    assert_eq!(
        look(&dir.path().join("no/such/folder.txt"))
            .unwrap()
            .canonical,
        None
    );
    let bundle = dir.path().join("b.jsonl");
    std::fs::write(
        &bundle,
        "{\"format\":\"shiguang-day-bundle\",\"version\":1,\"station_code\":\"JS01\",\"day\":\"2026-11-22\"}\n{}\n",
    )
    .unwrap();
    assert_eq!(
        look(&bundle).unwrap().holds,
        Holds::Bundle {
            station: "JS01".into(),
            day: "2026-11-22".into()
        }
    );
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_failed_write_leaves_no_temporary_file_and_the_target_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.txt");
    std::fs::write(&target, "old").unwrap();
    let r: Result<(), WriteError<&str>> = write(&target, &Verdict::Replace, |w| {
        w.write_all(b"half").unwrap();
        Err("the body failed")
    });
    assert!(matches!(r, Err(WriteError::Body("the body failed"))));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
    assert_eq!(names(dir.path()), ["out.txt"]);
    // a refused verdict writes nothing at all
    let r: Result<(), WriteError<()>> =
        write(&target, &Verdict::Refuse(Refused::Exists), |_| Ok(()));
    assert!(matches!(r, Err(WriteError::Refused(Refused::Exists))));
    assert_eq!(names(dir.path()), ["out.txt"]);
}

#[test]
fn creating_never_replaces_a_file_that_appeared_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.txt");
    let r: Result<(), WriteError<()>> = write(&target, &Verdict::Create, |w| {
        std::fs::write(&target, "someone else's").unwrap();
        w.write_all(b"mine").unwrap();
        Ok(())
    });
    assert!(matches!(r, Err(WriteError::Refused(Refused::Exists))));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "someone else's");
    assert_eq!(names(dir.path()), ["out.txt"]);
    // and with leave to replace, the new text is whole in place
    write::<(), ()>(&target, &Verdict::Replace, |w| {
        w.write_all(b"mine").map_err(drop)
    })
    .unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
}

#[test]
fn the_exports_folder_numbers_a_taken_name_and_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let first = write_numbered(dir.path(), "card.txt", b"one").unwrap();
    assert_eq!(first.path, dir.path().join("card.txt"));
    assert_eq!(first.kept, None);
    let second = write_numbered(dir.path(), "card.txt", b"two").unwrap();
    assert_eq!(second.path, dir.path().join("card (2).txt"));
    assert_eq!(second.kept, Some(dir.path().join("card.txt")));
    assert_eq!(std::fs::read_to_string(&first.path).unwrap(), "one");
    assert_eq!(std::fs::read_to_string(&second.path).unwrap(), "two");
    // a folder of the name is passed over, not written into
    std::fs::create_dir(dir.path().join("list.md")).unwrap();
    let s = write_numbered(dir.path(), "list.md", b"x").unwrap();
    assert_eq!(s.path, dir.path().join("list (2).md"));
    // unix: symlinks need a privilege on Windows
    #[cfg(unix)]
    {
        // a symlink of the name (say, to the database) is not followed
        let db = dir.path().join("station.db");
        std::fs::write(&db, "precious").unwrap();
        std::os::unix::fs::symlink(&db, dir.path().join("notice.md")).unwrap();
        let s = write_numbered(dir.path(), "notice.md", b"x").unwrap();
        assert_eq!(s.path, dir.path().join("notice (2).md"));
        assert_eq!(std::fs::read_to_string(&db).unwrap(), "precious");
    }
    assert!(
        names(dir.path()).iter().all(|n| !n.ends_with(".tmp")),
        "{:?}",
        names(dir.path())
    );
}
