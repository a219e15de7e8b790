//! Personal data on screen: ID numbers never, phone numbers masked until a
//! station master asks (and the asking is logged).

use crate::common;
use common::*;
use shiguang::domain::staff::Role;
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
    let liaison = liaison_session();
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

/// Every ID number in a file's bytes: the typed ones, and any run of 17
/// ASCII digits and a digit or X (not inside a longer run of digits) that
/// is a valid GB 11643 number. The validity check keeps the 64-digit hex
/// hashes in the file (which by chance hold 18 decimal digits in a row now
/// and then) from being taken for one.
fn id_numbers_in_file(path: &std::path::Path, typed: &[String]) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut found: Vec<String> = typed
        .iter()
        .filter(|id| text.contains(id.as_str()))
        .cloned()
        .collect();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    for i in 0..bytes.len().saturating_sub(17) {
        let run = &bytes[i..i + 18];
        if (i > 0 && digit(i - 1)) || digit(i + 18) {
            continue;
        }
        if run[..17].iter().all(u8::is_ascii_digit)
            && (run[17].is_ascii_digit() || run[17] == b'X' || run[17] == b'x')
        {
            let s = String::from_utf8_lossy(run).to_string();
            if shiguang::domain::member::parse_id_card(&s).is_ok() {
                found.push(s);
            }
        }
    }
    found
}

fn companions(db: &std::path::Path) -> Vec<std::path::PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|s| std::path::PathBuf::from(format!("{}{s}", db.display())))
        .collect()
}

fn put(h: &mut Harness, field: &str, value: &str) {
    h.app.active_form().unwrap().focus_on(field);
    h.press("ctrl-u");
    h.type_str(value);
}

fn fill_registration(h: &mut Harness, id: &str) {
    for (field, v) in [
        ("name", "李小花"),
        ("phone", "13812340000"),
        ("id_number", id),
        ("building", "3栋1单元201"),
        ("emergency_name", "李大花"),
        ("emergency_phone", "13900000001"),
        ("note", "证件已核"),
    ] {
        put(h, field, v);
    }
    h.app.active_form().unwrap().focus_on("offers");
    h.press("space");
}

#[test]
fn a_registration_drafted_abandoned_and_restored_leaves_no_id_number_in_the_file_or_a_backup() {
    let db = temp_db();
    let id = id_number(77);
    let other = id_number(78);
    let mut h = master_desk(&db, Lang::En);
    h.press("6");
    h.press("n");
    fill_registration(&mut h, &id);
    // the wrong number first, then the right one: both pass through drafts
    put(&mut h, "id_number", &other);
    h.advance(1000);
    put(&mut h, "id_number", &id);
    h.advance(1000); // the tick keeps the form as a draft
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 1);
    drop(h); // abandoned: the desk killed, the draft left behind

    let mut h = Harness::open(&db.path, T0 + 60_000, Lang::En);
    sign_in_by_keys(&mut h, "001", MASTER_PIN);
    h.assert_shows("Unfinished forms");
    h.press("enter");
    // the form comes back without the number, and says so at its field
    h.assert_shows("李小花");
    h.assert_shows("Type the ID number again");
    h.assert_shows(&id[14..]);
    assert_eq!(h.app.active_form().unwrap().value("id_number"), "");
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 0);
    put(&mut h, "id_number", &id);
    h.press("ctrl-s");
    assert_eq!(
        count(&db.path, "SELECT count(*) FROM members"),
        1,
        "{}",
        h.text()
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 0);

    let backup = shiguang(&["backup", "--db", db.path.to_str().unwrap()]);
    assert!(backup.status.success(), "{backup:?}");
    let backups: Vec<_> = std::fs::read_dir(db.dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
        .collect();
    assert_eq!(backups.len(), 1);
    let typed = [id.clone(), other.clone()];
    let mut files = companions(&db.path);
    files.push(backups[0].clone());
    assert!(db.path.with_file_name("station.db-wal").exists());
    for f in &files {
        let found = id_numbers_in_file(f, &typed);
        assert!(found.is_empty(), "{}: {found:?}", f.display());
    }
    drop(h);
    for f in companions(&db.path) {
        assert!(id_numbers_in_file(&f, &typed).is_empty(), "{}", f.display());
    }
}

#[test]
fn an_id_number_typed_into_another_field_is_refused_there() {
    let db = temp_db();
    let id = id_number(79);
    let mut h = master_desk(&db, Lang::Zh);
    h.press("6");
    h.press("n");
    fill_registration(&mut h, &id);
    put(&mut h, "note", &format!("身份证 {id}"));
    h.press("ctrl-s");
    h.assert_shows("这里不能填身份证号");
    assert_eq!(h.app.active_form().unwrap().focused_name(), "note");
    assert_eq!(count(&db.path, "SELECT count(*) FROM members"), 0);
    h.advance(1000);
    drop(h);
    for f in companions(&db.path) {
        assert!(
            id_numbers_in_file(&f, std::slice::from_ref(&id)).is_empty(),
            "{}",
            f.display()
        );
    }
}

#[test]
fn drafts_from_before_lose_their_id_numbers_when_the_file_is_opened() {
    let db = temp_db();
    let session = init_station(&db.path);
    let (id, other) = (id_number(81), id_number(82));
    {
        // the file as an older version left it: the migration not yet run,
        // drafts holding whole numbers, one of them deleted (freed space)
        let c = rusqlite::Connection::open(&db.path).unwrap();
        c.execute_batch(
            "PRAGMA secure_delete = OFF;
             DELETE FROM schema_migrations WHERE name LIKE '%drafts_without_id_numbers' OR name LIKE '%covers'
                 OR name LIKE '%complaints_owed_heirs' OR name LIKE '%hub' OR name LIKE '%settlement_rows'
                 OR name LIKE '%tool_loans' OR name LIKE '%fund' OR name LIKE '%medals'
                 OR name LIKE '%facts_not_words' OR name LIKE '%settlement_words' OR name LIKE '%lean_file';
             DROP INDEX members_search;
             ALTER TABLE replenish ADD COLUMN name TEXT NOT NULL DEFAULT '';
             DROP TABLE tool_writeoffs;
             DROP TABLE tool_loans;
             ALTER TABLE checklist_items DROP COLUMN lend;
             DROP TABLE fund_entries;
             DROP TABLE fund_signatures;
             DROP TABLE fund_expenses;
             DROP TABLE medals;
             DROP TABLE requests;
             CREATE TABLE requests (
                 id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE,
                 requester_id INTEGER REFERENCES members(id), merchant_id INTEGER REFERENCES merchants(id),
                 type_id INTEGER NOT NULL REFERENCES service_types(id),
                 description TEXT NOT NULL CHECK (length(trim(description)) > 0),
                 place TEXT NOT NULL, window_start INTEGER NOT NULL, window_end INTEGER NOT NULL,
                 minutes INTEGER NOT NULL CHECK (minutes > 0),
                 urgent INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
                 channel TEXT NOT NULL, payer TEXT NOT NULL, state TEXT NOT NULL,
                 helper_id INTEGER REFERENCES members(id), created_at INTEGER NOT NULL,
                 created_by INTEGER REFERENCES staff(id), responded_at INTEGER, matched_at INTEGER,
                 started_at INTEGER, closed_at INTEGER, record_id INTEGER REFERENCES service_records(id),
                 cancel_reason TEXT, updated_at INTEGER NOT NULL,
                 CHECK (window_end > window_start),
                 CHECK ((requester_id IS NULL) != (merchant_id IS NULL)));
             CREATE INDEX requests_open ON requests(state, created_at);
             CREATE INDEX requests_created ON requests(created_at);
             CREATE INDEX requests_helper ON requests(helper_id, window_start);
             CREATE INDEX requests_updated ON requests(updated_at);
             CREATE INDEX requests_merchant ON requests(merchant_id);
             DROP TABLE maintenance_due;
             DROP TABLE audit_covers;
             DROP TABLE owed_taken;
             DROP TABLE estate_heirs;
             DROP TABLE activity_attendance;
             DROP TABLE activities;",
        )
        .unwrap();
        for (form, data) in [
            (
                "members.register",
                format!(r#"{{"name":"李小花","id_number":"{id}","note":""}}"#),
            ),
            (
                "record.entry",
                format!(r#"{{"notes":"证件 {other} 已核"}}"#),
            ),
            ("queue.new", format!(r#"{{"description":"{other}"}}"#)),
        ] {
            c.execute(
                "INSERT INTO drafts (staff_id, form, data, saved_at) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![session.staff_id, form, data, T0],
            )
            .unwrap();
        }
        c.execute("DELETE FROM drafts WHERE form = 'queue.new'", [])
            .unwrap();
        let (n, s): (i64, String) = c
            .query_row(
                "SELECT 1, data FROM drafts WHERE form = 'members.register'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(n, 1);
        assert!(s.contains(&id));
    }
    let typed = [id.clone(), other.clone()];
    assert!(!id_numbers_in_file(&db.path, &typed).is_empty());

    let s = store(&db.path);
    let drafts = s.drafts(session.staff_id).unwrap();
    let reg = drafts
        .iter()
        .find(|d| d.form == "members.register")
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&reg.data).unwrap();
    assert_eq!(v["name"], "李小花");
    assert_eq!(v["id_number#tail"], &id[14..]);
    assert!(v.get("id_number").is_none());
    for f in companions(&db.path) {
        let found = id_numbers_in_file(&f, &typed);
        assert!(found.is_empty(), "{}: {found:?}", f.display());
    }
    let maintenance: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM maintenance_due", [], |r| r.get(0))
        .unwrap();
    assert_eq!(maintenance, 0, "the VACUUM is done once");
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

    let liaison = liaison_session();
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, liaison);
    h.press("7");
    h.press("tab");
    h.press("o");
    h.assert_shows("Only the station master");
    h.assert_not_shows(&phone);
    assert_eq!(reveals(&h), 1, "nothing logged for the liaison");
    // but the call itself shows the liaison the number to dial, logged
    h.press("c");
    h.assert_shows(&format!("{name}  {phone}"));
    h.press("esc");
    h.assert_not_shows(&phone);
    assert_eq!(calls_shown(&h, "callback"), ["002"]);
}

fn calls_shown(h: &Harness, purpose: &str) -> Vec<String> {
    let mut st = h
        .store
        .conn()
        .prepare(
            "SELECT json_extract(detail, '$.seen_by') FROM audit_log
             WHERE action = 'member.phone_for_call' AND json_extract(detail, '$.purpose') = ?1",
        )
        .unwrap();
    st.query_map([purpose], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn a_liaison_sees_the_number_in_full_inside_each_call_dialog_and_that_is_logged() {
    use shiguang::domain::dispute::Category;
    use shiguang::domain::queue::{Channel, NewRequest};
    use shiguang::domain::time::{DAY_MS, HOUR_MS};
    use shiguang::store::disputes::{Channel as DChannel, NewDispute};
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let elder = approved_member(&mut s, &master, "李奶奶", 1, T0 - 300 * DAY_MS);
    let helper = approved_member(&mut s, &master, "张三丰", 2, T0 - 300 * DAY_MS);
    let applicant = s
        .register_member(&master, &new_member("赵六", 3), T0 - DAY_MS)
        .unwrap()
        .id;
    s.reject_member(&master, applicant, "材料不全", T0 - HOUR_MS)
        .unwrap();
    let liaison = s
        .add_staff(&master, "李建国", Role::Liaison, "3917", T0 - DAY_MS)
        .unwrap();
    // an elderly member has fallen: an urgent request
    let r = NewRequest {
        requester: elder,
        type_id: 1,
        description: "老人摔倒了".into(),
        place: "1栋".into(),
        window_start: T0,
        window_end: T0 + 2 * HOUR_MS,
        minutes: 60,
        urgent: true,
        channel: Channel::Phone,
        pool_pays: true,
    };
    s.create_request(&master, &r, T0).unwrap();
    let d = NewDispute {
        suggestion: false,
        channel: DChannel::Phone,
        category: Some(Category::Quality),
        party_a: Some(elder),
        party_b: Some(helper),
        record_id: None,
        subject: "服务迟到".into(),
        reported_by: "本人".into(),
        merchant: None,
    };
    s.open_dispute(&master, &d, T0).unwrap();
    drop(s);
    let phone = |n: u32| format!("138{n:08}");
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, liaison);

    // match `c`: the helper's number, and the fallen member's family
    h.press("1");
    h.press("m");
    h.assert_not_shows(&phone(2));
    h.press("c");
    h.assert_shows(&format!("张三丰  {}", phone(2)));
    h.assert_shows("家属  13900000000");
    h.press("esc");
    h.assert_not_shows(&phone(2));
    assert_eq!(calls_shown(&h, "helper"), ["002"]);
    assert_eq!(calls_shown(&h, "emergency"), ["002"]);

    // dispute `c`: the chosen party's number
    h.press("5");
    h.assert_not_shows(&phone(1));
    h.press("c");
    h.assert_shows(&format!("李奶奶  {}", phone(1)));
    h.press("right");
    h.assert_shows(&format!("张三丰  {}", phone(2)));
    h.press("esc");
    h.assert_shows("放弃这张表");
    h.press("y");
    h.assert_not_shows(&phone(2));
    assert_eq!(calls_shown(&h, "dispute_party"), ["002", "002"]);

    // members `c`: telling the applicant the decision
    h.press("6");
    h.press("/");
    h.type_str("zl");
    h.press("enter");
    h.assert_shows(&shiguang::domain::member::mask_phone(&phone(3)));
    h.assert_not_shows(&phone(3));
    h.press("c");
    h.assert_shows(&format!("赵六  {}", phone(3)));
    h.press("esc");
    assert_eq!(calls_shown(&h, "applicant"), ["002"]);
    // the master's `o` on a detail is still the master's alone
    h.press("o");
    h.assert_not_shows(&phone(3));
    assert_eq!(reveals(&h), 0);
}
