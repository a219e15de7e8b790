//! Scans: a card or member number that names nobody, or a wrong card.

use crate::common::*;
use crate::support::*;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

#[track_caller]
fn shows_msg(h: &Harness, m: &shiguang::msg::Msg) {
    let words = h.app.state.tr.msg(m);
    assert_ne!(words, m.key);
    let head: String = words.chars().take(14).collect();
    h.assert_shows(&head);
}

#[test]
fn a_scan_that_names_no_member_or_a_wrong_card_is_refused() {
    use shiguang::msg;
    let db = temp_db();
    let (h, master) = station(&db, &["张三丰", "李奶奶"], Lang::Zh);
    drop(h);
    store(&db.path)
        .issue_card(&master, 1, "SG0001", None, T0)
        .unwrap();
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.press("1");
    let before = rows(&db.path);
    for (scan, m) in [
        ("JSX-1/?", msg!("scan.unreadable", text = "JSX-1/?")),
        (
            "JS01-0099",
            msg!("member.number_unknown", number = "JS01-0099"),
        ),
        ("JS01-0001/ZZ9999", msg!("card.unknown", serial = "ZZ9999")),
        ("JS01-0002/SG0001", msg!("card.mismatch", serial = "SG0001")),
    ] {
        h.type_str(&format!("{scan}\n"));
        shows_msg(&h, &m);
    }
    assert_eq!(rows(&db.path), before);
}
