#![allow(dead_code)]
//! Shared helpers for the integration tests: one module, included by each
//! test crate's `main.rs`; `hq` holds those for a PostgreSQL headquarters.

pub mod hq;

use shiguang::domain::staff::Session;
use shiguang::domain::station::StationKind;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::station::NewStation;
use shiguang::store::{OpenMode, Store};
use std::path::{Path, PathBuf};

pub struct TestDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn temp_db() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.db");
    TestDb { dir, path }
}

pub const MASTER_PIN: &str = "4821";

/// A station JS01 with master 001 (PIN 4821); returns the master's session.
pub fn init_station(path: &Path) -> Session {
    let mut s = Store::open(path, OpenMode::Desk, T0).unwrap();
    s.create_station(
        &NewStation {
            street: "JS".into(),
            community: "01".into(),
            kind: StationKind::Main,
            name: "金山社区驿站".into(),
            tz: chrono_tz::Asia::Shanghai,
        },
        "王秀英",
        MASTER_PIN,
        T0,
    )
    .unwrap()
}

pub fn store(path: &Path) -> Store {
    Store::open(path, OpenMode::Desk, T0).unwrap()
}

/// A new station JS01 on `path` and the store open on it: the master's
/// session and the store.
pub fn open_station(path: &Path) -> (Session, Store) {
    let master = init_station(path);
    (master, store(path))
}

/// A liaison, 李建国 (PIN 3917), added by the master.
pub fn add_liaison(s: &mut Store, master: &Session) -> Session {
    s.add_staff(
        master,
        "李建国",
        shiguang::domain::staff::Role::Liaison,
        "3917",
        T0,
    )
    .unwrap()
}

/// The app signed in as the station master of a fresh station.
pub fn master_desk(db: &TestDb, lang: Lang) -> Harness {
    let s = init_station(&db.path);
    Harness::signed_in(&db.path, T0, lang, s)
}

pub fn count(path: &Path, sql: &str) -> i64 {
    let s = store(path);
    s.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Fail if any drawn screen cuts a wide character or hides text under one.
#[track_caller]
pub fn assert_cjk_clean(h: &Harness) {
    let problems = shiguang::harness::wide_char_problems(&h.buffer());
    assert!(problems.is_empty(), "{problems:?}\n{}", h.text());
}

/// A valid 18-character ID number, different for each `n`.
pub fn id_number(n: u32) -> String {
    // region 110105, born 1950-01-01..28, sequence n % 1000
    let body = format!("110105{}{:03}", 19_500_101 + (n % 28), n % 1000);
    let check = shiguang::domain::member::id_check_char(&body).unwrap();
    format!("{body}{check}")
}

pub fn new_member(name: &str, n: u32) -> shiguang::store::members::NewMember {
    shiguang::store::members::NewMember {
        name: name.into(),
        phone: format!("138{:08}", n),
        id_kind: shiguang::domain::member::IdKind::IdCard,
        id_number: id_number(n),
        residence_proof: "property".into(),
        community: "01".into(),
        building: format!("{}栋1单元", n % 9 + 1),
        emergency_name: "家属".into(),
        emergency_phone: "13900000000".into(),
        filled_by_family: false,
        applicant_confirmed: false,
        offers: vec![1],
        needs: vec![],
        recommender: None,
        recommender_signed: false,
        note: None,
        online: false,
    }
}

/// Register and approve (as master, with a note) — returns the member id.
pub fn approved_member(
    s: &mut Store,
    master: &Session,
    name: &str,
    n: u32,
    at: shiguang::domain::time::Stamp,
) -> i64 {
    let row = s.register_member(master, &new_member(name, n), at).unwrap();
    s.approve_member(master, row.id, "电话核实邻居", at)
        .unwrap();
    row.id
}

/// The member number on the member's card: what a scan types at the desk.
pub fn card_number(s: &Store, member: i64) -> String {
    s.member(member).unwrap().number.unwrap()
}

/// Sign in at the desk's sign-in screen by keys.
pub fn sign_in_by_keys(h: &mut Harness, staff_no: &str, pin: &str) {
    h.type_str(staff_no);
    h.press("tab");
    h.type_str(pin);
    h.press("enter");
}

/// The first-run form filled in for 金山社区驿站 (JS01) and saved by keys:
/// the desk opens signed in as its first master, 王秀英.
pub fn set_up_by_keys(h: &mut Harness) {
    fill_setup(h, "JS", "01", MASTER_PIN, MASTER_PIN);
    h.press("ctrl-s");
    assert!(
        matches!(h.app.state.screen, shiguang::app::state::Screen::Desk(_)),
        "{}",
        h.text()
    );
    h.assert_shows("001 王秀英(站长)");
}

/// The master's desk on the settings pane (9).
pub fn settings_desk(db: &TestDb, lang: Lang) -> Harness {
    let mut h = master_desk(db, lang);
    h.press("9");
    h
}

/// Every active checklist item ticked, tools counted as expected.
pub fn ticked_checklist(s: &Store) -> Vec<shiguang::domain::day::Checked> {
    s.checklist()
        .unwrap()
        .into_iter()
        .filter(|c| c.active)
        .map(|c| shiguang::domain::day::Checked {
            item_id: c.id,
            done: true,
            count: c.expected,
            expected: c.expected,
        })
        .collect()
}

/// A service paid by `payer`, entered at the desk with a record-book page.
pub fn record(
    uid: &str,
    provider: i64,
    recipient: i64,
    end: i64,
    minutes: u32,
    payer: shiguang::domain::record::Payer,
) -> shiguang::domain::record::RecordInput {
    shiguang::domain::record::RecordInput {
        uid: uid.into(),
        request_id: None,
        provider,
        recipient,
        type_id: 1,
        started_at: end - i64::from(minutes) * 60_000,
        ended_at: end,
        minutes,
        payer,
        method: shiguang::domain::record::ConfirmMethod::Desk,
        book_page: Some("7".into()),
        photo_ref: None,
        recipient_confirmed: false,
        rating: Some(5),
        notes: None,
        late_reason: None,
    }
}

/// A second station master (PIN 1357), to approve corrections.
pub fn second_master(s: &mut Store, master: &Session) -> Session {
    s.add_staff(
        master,
        "周德明",
        shiguang::domain::staff::Role::Master,
        "3917",
        T0 - 100 * shiguang::domain::time::DAY_MS,
    )
    .unwrap()
}

/// Enter a correction as `by` and have `approver` approve it at once.
pub fn correct(
    s: &mut Store,
    by: &Session,
    approver: &Session,
    p: shiguang::store::corrections::Proposal,
    reason: &str,
    at: shiguang::domain::time::Stamp,
) -> Result<shiguang::store::ledger::Posted, shiguang::store::StoreError> {
    let id = s.propose_correction(by, &p, reason, at)?;
    let posted = s.decide_correction(
        approver,
        id,
        shiguang::domain::correction::Decision::Approve,
        "",
        at,
    )?;
    Ok(posted.expect("an approved correction posts a transfer"))
}

/// Reverse `amount` of a transfer with four eyes.
pub fn reverse(
    s: &mut Store,
    by: &Session,
    approver: &Session,
    transfer_id: &str,
    amount: i64,
    reason: &str,
    at: shiguang::domain::time::Stamp,
) -> Result<shiguang::store::ledger::Posted, shiguang::store::StoreError> {
    let p = shiguang::store::corrections::Proposal::Reversal {
        transfer_id: transfer_id.to_string(),
        amount,
    };
    correct(s, by, approver, p, reason, at)
}

/// The liaison of [`add_liaison`] (the station's second staff), as a session.
pub fn liaison_session() -> Session {
    Session {
        staff_id: 2,
        staff_no: "002".into(),
        name: "李建国".into(),
        role: shiguang::domain::staff::Role::Liaison,
    }
}

/// The first station master of [`init_station`], as a session.
pub fn master_session() -> Session {
    Session {
        staff_id: 1,
        staff_no: "001".into(),
        name: "王秀英".into(),
        role: shiguang::domain::staff::Role::Master,
    }
}

/// A station with these members approved (numbers 1, 2, …), the app
/// signed in as its master.
pub fn station_with(db: &TestDb, names: &[&str], lang: Lang) -> Harness {
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    for (i, n) in names.iter().enumerate() {
        approved_member(
            &mut s,
            &master,
            n,
            i as u32 + 1,
            T0 - 200 * shiguang::domain::time::DAY_MS,
        );
    }
    drop(s);
    Harness::signed_in(&db.path, T0, lang, master)
}

/// The binary, run with these arguments and no database or language from
/// the environment, as the station master 001 (a command that writes asks
/// for the staff member; `--staff` on the command line comes first).
pub fn shiguang(args: &[&str]) -> std::process::Output {
    shiguang_as(args, Some(("001", MASTER_PIN)))
}

/// The binary run as this staff member (`SHIGUANG_STAFF`, `SHIGUANG_PIN`),
/// or as nobody.
pub fn shiguang_as(args: &[&str], staff: Option<(&str, &str)>) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_shiguang"));
    c.args(args)
        .env_remove("SHIGUANG_DB")
        .env_remove("SHIGUANG_LANG")
        .env_remove("SHIGUANG_STAFF")
        .env_remove("SHIGUANG_PIN");
    if let Some((no, pin)) = staff {
        c.env("SHIGUANG_STAFF", no).env("SHIGUANG_PIN", pin);
    }
    c.output().expect("run shiguang")
}

/// A request for an errand in an hour's time, by phone, paid by the requester.
pub fn request(
    requester: i64,
    urgent: bool,
    at: shiguang::domain::time::Stamp,
) -> shiguang::domain::queue::NewRequest {
    use shiguang::domain::time::HOUR_MS;
    shiguang::domain::queue::NewRequest {
        requester,
        type_id: 1,
        description: "帮忙买菜".into(),
        place: "3栋".into(),
        window_start: at + HOUR_MS,
        window_end: at + 3 * HOUR_MS,
        minutes: 60,
        urgent,
        channel: shiguang::domain::queue::Channel::Phone,
        pool_pays: false,
    }
}

/// In the opening checklist (F2): tick the first three items, count the
/// four tools as expected, and one walker short.
pub fn fill_checklist(h: &mut Harness) {
    for _ in 0..3 {
        h.press("space");
        h.press("tab");
    }
    for n in ["2", "20", "1", "1"] {
        h.type_str(n);
        h.press("tab");
    }
    h.type_str("1");
}

/// A supermarket in `community` with its agreement for 2026.
pub fn shop_input(name: &str, community: &str) -> shiguang::store::merchants::MerchantInput {
    shiguang::store::merchants::MerchantInput {
        name: name.into(),
        kind: shiguang::domain::merchant::Kind::Supermarket,
        address: "金山路 18 号".into(),
        distance_m: 300,
        contact_name: "刘老板".into(),
        contact_phone: "13761234567".into(),
        redeemer: "刘小燕".into(),
        community: community.into(),
        agreement_from: "2026-01-01".parse().unwrap(),
        agreement_to: "2026-12-31".parse().unwrap(),
    }
}

/// The shop's offer: 10 points for `value_fen` off, this autumn and winter,
/// at most `cap_fen` a month.
pub fn offer_input(value_fen: i64, cap_fen: i64) -> shiguang::store::merchants::OfferInput {
    shiguang::store::merchants::OfferInput {
        text: "10积分抵5元".into(),
        points: 10,
        value_fen,
        valid_from: "2026-10-01".parse().unwrap(),
        valid_to: "2026-12-31".parse().unwrap(),
        monthly_cap_fen: cap_fen,
        not_combined: false,
        note: None,
    }
}

/// 惠民超市 (community 01) with its one offer of 5 yuan for 10 points, both
/// saved 60 days before T0: the shop's id and the offer's.
pub fn shop_with_offer(s: &mut Store, master: &Session, cap_fen: i64) -> (i64, i64) {
    let at = T0 - 60 * shiguang::domain::time::DAY_MS;
    let shop = s
        .save_merchant(master, None, &shop_input("惠民超市", "01"), at)
        .unwrap()
        .id;
    s.save_offer(master, shop, None, &offer_input(5_00, cap_fen), at)
        .unwrap();
    let offer = s.merchant_detail(shop, T0).unwrap().offers[0].id;
    (shop, offer)
}

/// The catalog key of the first refusal in a store error.
pub fn refusal_key(e: shiguang::store::StoreError) -> &'static str {
    e.refusals()
        .first()
        .map(|r| r.msg.key)
        .unwrap_or("(not a refusal)")
}

/// Fill the record form for 张三丰 serving 李奶奶 08:00–09:30, paid by the
/// pool (book page 12, rated 5); not sent.
pub fn fill_record(h: &mut Harness) {
    h.press("3");
    h.press("n");
    h.type_str("zsf");
    h.press("enter");
    h.type_str("lnn");
    h.press("enter");
    h.press("tab"); // type: chat
    h.press("tab"); // date: today
    h.type_str("08:00");
    h.press("tab");
    h.type_str("09:30");
    h.press("tab");
    h.press("tab");
    // the pool pays by default: 李奶奶 has no points
    h.press("tab");
    h.press("tab");
    h.type_str("12");
    h.press("tab");
    h.type_str("5");
}

/// The first-run form filled: a main station 金山社区驿站 in `street` and
/// `community`, master 王秀英 with `pin` typed twice (`pin2` the second).
pub fn fill_setup(h: &mut Harness, street: &str, community: &str, pin: &str, pin2: &str) {
    h.type_str(street);
    h.press("tab");
    h.type_str(community);
    h.press("tab");
    h.press("tab"); // kind: main
    h.type_str("金山社区驿站");
    h.press("tab");
    h.press("tab"); // time zone: default
    h.type_str("王秀英");
    h.press("tab");
    h.type_str(pin);
    h.press("tab");
    h.type_str(pin2);
}

/// `shiguang init` for a main station 金山社区驿站, master 王秀英, in English.
pub fn init_args<'a>(
    db: &'a str,
    street: &'a str,
    community: &'a str,
    pin: &'a str,
) -> Vec<&'a str> {
    vec![
        "init",
        "--db",
        db,
        "--street",
        street,
        "--community",
        community,
        "--kind",
        "main",
        "--name",
        "金山社区驿站",
        "--master",
        "王秀英",
        "--pin",
        pin,
        "--lang",
        "en",
    ]
}

/// A dispute over a service's quality, opened at the desk by member `a`
/// (reported by 会员1) against member `b`.
pub fn quality_dispute(a: i64, b: i64) -> shiguang::store::disputes::NewDispute {
    shiguang::store::disputes::NewDispute {
        suggestion: false,
        channel: shiguang::store::disputes::Channel::Desk,
        category: Some(shiguang::domain::dispute::Category::Quality),
        party_a: Some(a),
        party_b: Some(b),
        record_id: None,
        subject: "服务时间有出入".into(),
        reported_by: "会员1".into(),
        merchant: None,
    }
}

/// Members 会员0, 会员1, … (numbers from 1), approved at `at`.
pub fn approved_members(s: &mut Store, master: &Session, n: u32, at: i64) -> Vec<i64> {
    (0..n)
        .map(|i| approved_member(s, master, &format!("会员{i}"), i + 1, at))
        .collect()
}
