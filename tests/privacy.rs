//! Personal data on screen: ID numbers never, phone numbers masked until a
//! station master asks (and the asking is logged).

mod common;
use common::*;
use shiguang::domain::staff::{Role, Session};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

/// A run of 17 digits and a digit or X: an 18-character ID number.
fn id_numbers_in(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 18 <= chars.len() {
        let run = &chars[i..i + 18];
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        if before_ok
            && run[..17].iter().all(char::is_ascii_digit)
            && (run[17].is_ascii_digit() || run[17] == 'X' || run[17] == 'x')
        {
            found.push(run.iter().collect());
            i += 18;
        } else {
            i += 1;
        }
    }
    found
}

#[test]
fn the_id_pattern_finder_finds_what_it_must() {
    assert_eq!(
        id_numbers_in("号 11010519491231002X 张"),
        vec!["11010519491231002X"]
    );
    assert!(id_numbers_in("110***********002X 13812345678").is_empty());
}

struct Walk {
    screens: usize,
}

impl Walk {
    #[track_caller]
    fn look(&mut self, h: &Harness, at: &str) {
        self.screens += 1;
        let text = h.text();
        let ids = id_numbers_in(&text);
        assert!(
            ids.is_empty(),
            "{at}: an ID number is on screen: {ids:?}\n{text}"
        );
    }

    fn press(&mut self, h: &mut Harness, key: &str, at: &str) {
        h.press(key);
        self.look(h, &format!("{at} after {key}"));
    }
}

/// Every pane, every section, a member's detail with phones revealed,
/// help, both routines, the lock — at two sizes.
fn walk_everything(h: &mut Harness, w: &mut Walk) {
    w.look(h, "start");
    for pane in ["1", "2", "3", "4", "5", "6", "7", "8", "9"] {
        w.press(h, pane, "pane");
        for _ in 0..5 {
            w.press(h, "down", pane);
        }
        w.press(h, "enter", pane);
        w.press(h, "esc", pane);
        for _ in 0..4 {
            w.press(h, "tab", pane);
            w.press(h, "down", pane);
            w.press(h, "enter", pane);
            w.press(h, "esc", pane);
        }
    }
    // a member's whole file, phones revealed
    for who in ["zsf", "zyp", "oynn", "sztf", "lgy"] {
        w.press(h, "6", "members");
        w.press(h, "/", "search");
        h.type_str(who);
        w.look(h, who);
        w.press(h, "enter", who);
        w.press(h, "o", who);
        w.press(h, "k", who); // the card
        w.press(h, "esc", who);
    }
    w.press(h, "7", "stats");
    w.press(h, "tab", "callbacks");
    w.press(h, "d", "callbacks");
    w.press(h, "o", "callbacks");
    w.press(h, "?", "help");
    for _ in 0..30 {
        w.press(h, "down", "help");
    }
    w.press(h, "esc", "help");
    w.press(h, "f2", "open routine");
    w.press(h, "esc", "open routine");
    w.press(h, "f10", "close routine");
    w.press(h, "esc", "close routine");
    w.press(h, "ctrl-l", "locked");
}

#[test]
fn no_screen_of_the_demo_shows_an_id_number() {
    let db = temp_db();
    let mut w = Walk { screens: 0 };
    for (lang, size) in [(Lang::Zh, (120, 30)), (Lang::En, (80, 24))] {
        let mut h = Harness::demo(&db.path, T0, lang);
        h.resize(size.0, size.1);
        walk_everything(&mut h, &mut w);
    }
    assert!(w.screens > 300, "only {} screens looked at", w.screens);
}

fn phone_of(h: &Harness, name: &str) -> String {
    h.store
        .conn()
        .query_row("SELECT phone FROM members WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
}

fn reveals(h: &Harness) -> i64 {
    h.store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'member.reveal_phone'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn open_member(h: &mut Harness, who: &str) {
    h.press("6");
    h.press("/");
    h.type_str(who);
    h.press("enter");
}

#[test]
fn phones_stay_masked_until_a_master_reveals_them_and_that_is_logged() {
    let db = temp_db();
    // the master: masked too until asked
    let mut h = Harness::demo(&db.path, T0, Lang::En);
    let phone = phone_of(&h, "张三丰");
    let masked = shiguang::domain::member::mask_phone(&phone);
    open_member(&mut h, "zsf");
    h.assert_shows(&masked);
    h.assert_not_shows(&phone);
    h.press("o");
    h.assert_shows(&phone);
    h.assert_shows("audit log");
    assert_eq!(reveals(&h), 1);
    // leaving the pane hides it again
    h.press("1");
    h.press("6");
    h.assert_not_shows(&phone);
    open_member(&mut h, "zsf");
    h.assert_not_shows(&phone);
    // so does the lock
    h.press("o");
    h.assert_shows(&phone);
    h.press("ctrl-l");
    h.assert_not_shows(&phone);
    drop(h);

    // a liaison cannot reveal, and nothing is logged
    let liaison = Session {
        staff_id: 2,
        staff_no: "002".into(),
        name: "李建国".into(),
        role: Role::Liaison,
    };
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    open_member(&mut h, "zsf");
    h.assert_shows(&masked);
    h.press("o");
    h.assert_shows("Only the station master");
    h.assert_not_shows(&phone);
    assert_eq!(
        reveals(&h),
        2,
        "the two reveals by the master, none by the liaison"
    );
}

/// The first member on this month's callback list, and their phone.
fn first_callback(h: &Harness) -> (String, String) {
    h.store
        .conn()
        .query_row(
            "SELECT m.name, m.phone FROM callbacks c JOIN members m ON m.id = c.member_id
             ORDER BY m.number LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

#[test]
fn the_callback_list_reveals_a_number_to_a_master_only_and_hides_it_on_leaving() {
    let db = temp_db();
    let mut h = Harness::demo(&db.path, T0, Lang::En);
    h.press("7");
    h.press("d");
    let (name, phone) = first_callback(&h);
    h.assert_shows(&name);
    h.assert_shows(&shiguang::domain::member::mask_phone(&phone));
    h.assert_not_shows(&phone);
    h.press("o");
    h.assert_shows(&phone);
    assert_eq!(reveals(&h), 1);
    h.press("1");
    h.press("7");
    h.assert_not_shows(&phone);
    drop(h);

    let liaison = Session {
        staff_id: 2,
        staff_no: "002".into(),
        name: "李建国".into(),
        role: Role::Liaison,
    };
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    h.press("7");
    h.press("tab");
    h.press("o");
    h.assert_shows("Only the station master");
    h.assert_not_shows(&phone);
    assert_eq!(reveals(&h), 1, "nothing logged for the liaison");
}
