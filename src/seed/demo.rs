//! The demo station: a real-looking station built deterministically, in its
//! own file, rebuilt each new day so that its clocks and queues look live.
//! It grows with every pane: each adds the data that pane shows.

use super::bulk::Seeder;
use crate::domain::level::Level;
use crate::domain::member::IdKind;
use crate::domain::record::{ConfirmMethod, Payer, RecordInput};
use crate::domain::staff::{Role, Session};
use crate::domain::station::StationKind;
use crate::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS, Stamp, local_day};
use crate::msg;
use crate::msg::Msg;
use crate::store::members::NewMember;
use crate::store::standing::Severity;
use crate::store::station::NewStation;
use crate::store::{OpenMode, Store, StoreError, new_uid};
use rusqlite::OptionalExtension;
use std::path::Path;

mod disputes;
mod history;
use disputes::disputes;

pub const MASTER_PIN: &str = super::SYNTHETIC_MASTER_PIN;
pub const LIAISON_PIN: &str = "3917";
/// The deputy station master, who approves the others' corrections.
pub const DEPUTY_PIN: &str = "6053";
const SEED: u64 = 2026;

/// Open the demo at `path`, building it first if it is missing or stale.
/// Refuses a file that is not a demo database.
pub fn open_or_build(path: &Path, now: Stamp) -> Result<(Store, Session), Msg> {
    if path.exists() {
        let store = Store::open(path, OpenMode::Desk, now).map_err(|e| e.msg())?;
        if store.station().is_some() && !store.settings().demo {
            return Err(msg!("demo.not_a_demo", path = path.display()));
        }
        let tz = store.tz();
        if store.settings().demo_built_on == local_day(now, tz).to_string() {
            let session = master_session(&store)?;
            return Ok((store, session));
        }
        drop(store);
        for suffix in ["", "-wal", "-shm", ".key"] {
            let p = format!("{}{}", path.display(), suffix);
            if Path::new(&p).exists() {
                std::fs::remove_file(&p).map_err(|e| msg!("db.error.sqlite", why = e))?;
            }
        }
    }
    let mut store = Store::open(path, OpenMode::Desk, now).map_err(|e| e.msg())?;
    build(&mut store, now).map_err(|e| e.msg())?;
    let session = master_session(&store)?;
    Ok((store, session))
}

fn master_session(store: &Store) -> Result<Session, Msg> {
    let staff = store.list_staff().map_err(|e| e.msg())?;
    let m = staff
        .into_iter()
        .find(|s| s.role == Role::Master && s.active)
        .ok_or(msg!("demo.no_master"))?;
    Ok(Session {
        staff_id: m.id,
        staff_no: m.staff_no,
        name: m.name,
        role: m.role,
    })
}

/// A member registered and approved through the desk's own functions.
fn person(
    store: &mut Store,
    by: &Session,
    name: &str,
    n: u64,
    at: Stamp,
    recommender: Option<i64>,
) -> Result<i64, StoreError> {
    let m = applicant(name, n, recommender);
    let row = store.register_member(by, &m, at - 3 * HOUR_MS)?;
    store.approve_member(by, row.id, "电话核实邻居", at)?;
    store.record_notification(by, row.id, "已电话告知本人", at + HOUR_MS)?;
    Ok(row.id)
}

fn applicant(name: &str, n: u64, recommender: Option<i64>) -> NewMember {
    NewMember {
        name: name.into(),
        phone: super::names::phone(900_000 + n),
        id_kind: IdKind::IdCard,
        id_number: super::names::id_number(900_000 + n),
        residence_proof: "property".into(),
        community: "01".into(),
        building: format!("{}栋{}单元{}01", n % 12 + 1, n % 3 + 1, n % 9 + 1),
        emergency_name: "家属".into(),
        emergency_phone: super::names::phone(950_000 + n),
        filled_by_family: n.is_multiple_of(4),
        applicant_confirmed: true,
        offers: vec![1 + (n % 3) as i64],
        needs: vec![1],
        recommender,
        recommender_signed: recommender.is_some(),
        note: None,
        online: n.is_multiple_of(5),
    }
}

/// Fill an empty store with the demo station.
///
/// Over 80 lines: the demo station told top to bottom — staff, members, merchants,
/// history, today — in the order its seeded draws are made; reordering or splitting would
/// change the demo every snapshot is taken from.
pub fn build(store: &mut Store, now: Stamp) -> Result<(), StoreError> {
    // the same ids for the same day: the demo's screens are reproducible
    let _ids = crate::store::seeded_uids(SEED);
    let tz = chrono_tz::Asia::Shanghai;
    let station = NewStation {
        street: "JS".into(),
        community: "01".into(),
        kind: StationKind::Main,
        name: "金山街道时光驿站".into(),
        tz,
    };
    let long_ago = now - 420 * DAY_MS;
    let master = store.create_station(&station, "王秀英", MASTER_PIN, long_ago)?;
    let liaison = store.add_staff(&master, "李建国", Role::Liaison, LIAISON_PIN, long_ago)?;
    store.add_staff(&master, "陈晓燕", Role::Liaison, LIAISON_PIN, long_ago)?;
    store.add_staff(&master, "周德明", Role::Master, DEPUTY_PIN, long_ago)?;
    // a throwaway file: no fsync per commit while building it
    store.conn.pragma_update(None, "synchronous", "OFF")?;

    // members the demo tells stories about (search: zsf, zyp / cyp, oynn)
    let zhang = person(store, &master, "张三丰", 1, now - 400 * DAY_MS, None)?;
    let zeng = person(store, &master, "曾艳平", 2, now - 390 * DAY_MS, None)?;
    let ouyang = person(store, &master, "欧阳娜娜", 3, now - 380 * DAY_MS, None)?;
    let shan = person(store, &master, "单田芳", 4, now - 300 * DAY_MS, None)?;
    let li = person(store, &master, "李桂英", 5, now - 200 * DAY_MS, None)?;
    let wang = person(store, &master, "王建国", 6, now - 150 * DAY_MS, None)?;
    let fake = person(store, &master, "赵有才", 7, now - 120 * DAY_MS, None)?;

    // a year of services among them and sixty neighbours
    {
        let mut seed = Seeder::new(store, SEED, master.staff_id)?;
        for (who, pct) in [(zhang, 99), (zeng, 98), (ouyang, 97), (shan, 96), (li, 93)] {
            seed.set_quality(who, pct);
        }
        seed.add_members(60, now - 400 * DAY_MS, now - 20 * DAY_MS)?;
        // honor and star helpers: many long services
        seed.add_records_by(
            Some(&[zhang, zeng]),
            &[120],
            230,
            now - 360 * DAY_MS,
            now - 35 * DAY_MS,
        )?;
        seed.add_records_by(
            Some(&[ouyang, shan, li]),
            &[90, 120],
            120,
            now - 300 * DAY_MS,
            now - 30 * DAY_MS,
        )?;
        seed.add_records(900, now - 365 * DAY_MS, now - 2 * DAY_MS)?;
    }
    // this month's level review (data up to the end of last month)
    store.run_monthly_levels(None, now)?;

    // cards for everyone approved, one of them lost and replaced
    let ids: Vec<i64> = {
        let mut stmt = store
            .conn
            .prepare("SELECT id FROM members WHERE status = 'approved' ORDER BY id")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    for (i, id) in ids.iter().enumerate() {
        store.issue_card(
            &master,
            *id,
            &format!("SG{:06}", 1000 + i),
            None,
            now - 19 * DAY_MS,
        )?;
    }
    store.issue_card(&master, zeng, "SG900001", Some("遗失"), now - 5 * DAY_MS)?;

    // a correction waiting for a second station master: hours the paper
    // book has and the desk missed
    store.propose_correction(
        &liaison,
        &crate::store::corrections::Proposal::Adjustment {
            member_id: shan,
            direction: crate::domain::correction::Direction::Credit,
            amount: 10,
        },
        "纸质记录册有一次陪诊漏登(第 12 页)",
        now - 2 * HOUR_MS,
    )?;

    // standing: an heir, warnings, violations, a blacklisted member, a freeze
    if store.member(zhang)?.level == Level::Honor {
        store.register_heir(
            &master,
            zhang,
            "张小宝",
            "儿子",
            "13912345678",
            now - 10 * DAY_MS,
        )?;
    }
    store.add_violation(
        &liaison,
        wang,
        Severity::Minor,
        "忘记在记录册签字",
        now - 40 * DAY_MS,
    )?;
    store.add_violation(
        &master,
        li,
        Severity::Moderate,
        "虚报服务时长 1 小时",
        now - 3 * DAY_MS,
    )?;
    store.add_violation(
        &master,
        fake,
        Severity::Severe,
        "伪造受助人签名、虚报服务",
        now - 15 * DAY_MS,
    )?;
    let settings = store.settings().clone();
    store.write(|tx| {
        let c = crate::store::standing::Ctx {
            by: &master,
            settings: &settings,
            tz,
            at: now - 8 * DAY_MS,
        };
        crate::store::standing::record_warning(c, tx, shan, false, "服务迟到半小时", Some("demo"))?;
        Ok(())
    })?;
    let frozen = ids[12];
    store.set_frozen(&master, frozen, true, "积分异常,核查中", now - 2 * DAY_MS)?;

    // today's desk: services recorded this morning
    let today = |h: i64, m: i64| {
        crate::domain::time::day_start(local_day(now, tz), tz) + h * HOUR_MS + m * MINUTE_MS
    };
    let helpers = [zhang, zeng, ouyang, ids[20], ids[21]];
    let elders = [ids[30], ids[31], ids[32], ids[33], ids[34]];
    let mut posted = Vec::new();
    for (i, (p, r)) in helpers.iter().zip(elders).enumerate() {
        let start = (today(8, 0) + i as i64 * 50 * MINUTE_MS).min(now - 2 * HOUR_MS);
        let minutes = [60, 90, 45, 60, 30][i];
        let online = i % 2 == 1;
        let input = RecordInput {
            uid: new_uid(start),
            request_id: None,
            provider: *p,
            recipient: r,
            type_id: 1 + (i as i64 % 3),
            started_at: start,
            ended_at: start + minutes * MINUTE_MS,
            minutes: minutes as u32,
            payer: if i % 3 == 0 {
                Payer::Pool
            } else {
                Payer::Recipient
            },
            method: if online {
                ConfirmMethod::Online
            } else {
                ConfirmMethod::Desk
            },
            book_page: (!online).then(|| format!("{}", 210 + i)),
            photo_ref: online.then(|| format!("IMG_20{}", 4410 + i)),
            recipient_confirmed: online,
            rating: Some(if i == 3 { 4 } else { 5 }),
            notes: None,
            late_reason: None,
        };
        let at = input.ended_at + 20 * MINUTE_MS;
        match store.post_record(&master, &input, at.min(now)) {
            Ok(p) => posted.push(p),
            // a recipient short of points pays from the pool instead
            Err(_) => {
                let input = RecordInput {
                    payer: Payer::Pool,
                    ..input
                };
                posted.push(store.post_record(&master, &input, at.min(now))?);
            }
        }
    }
    if let Some(first) = posted.first() {
        store.add_thank_you(
            &master,
            first.record_id,
            "张师傅陪我聊了一上午,还帮我修好了收音机,谢谢!",
            "IMG_2044",
            now - HOUR_MS,
        )?;
    }
    disputes(store, &master, &liaison, now, &posted)?;

    // the review list: fresh, overdue, online, with a recommender
    let pending = [
        ("孙玉梅", 11, now - 30 * HOUR_MS, None),
        ("周德明", 12, now - 26 * HOUR_MS, Some(zhang)),
        ("吴婷婷", 13, now - 5 * HOUR_MS, Some(zeng)),
        ("郑浩然", 15, now - 40 * MINUTE_MS, None),
    ];
    for (name, n, at, rec) in pending {
        store.register_member(&liaison, &applicant(name, n, rec), at)?;
    }
    let told = store.register_member(
        &liaison,
        &applicant("冯秀珍", 16, Some(ouyang)),
        now - 20 * HOUR_MS,
    )?;
    store.approve_member(&master, told.id, "", now - 2 * HOUR_MS)?;

    queue(store, &master, &liaison, now, [zeng, ouyang, shan], &ids)?;
    store.spot_check(local_day(now, tz), now)?;
    super::demo_merchants::build(store, &master, now)?;
    super::demo_hub::build(store, &master, now, [zeng, ouyang], [shan, li])?;
    super::demo_tools::build(store, &master, now, shan, zeng)?;
    super::demo_fund::build(store, &master, now, [zeng, ouyang, li])?;
    history::history(store, [&master, &liaison], now)?;
    store.conn.pragma_update(None, "synchronous", "FULL")?;
    store.set_setting(&master, "demo", serde_json::json!(true), now)?;
    store.set_setting(
        &master,
        "demo_built_on",
        serde_json::json!(local_day(now, tz).to_string()),
        now,
    )?;
    Ok(())
}

/// A live queue: carried over from yesterday, overdue, urgent, matched
/// (ready for its record), done and cancelled.
///
/// Over 80 lines: today's requests one by one, each a small story the desk guide shows;
/// read as a list.
fn queue(
    store: &mut Store,
    master: &Session,
    liaison: &Session,
    now: Stamp,
    stars: [i64; 3],
    ids: &[i64],
) -> Result<(), StoreError> {
    use crate::domain::queue::{Channel, NewRequest, State};
    use crate::store::queue::Outcome;
    let req = |requester: i64,
               type_id: i64,
               what: &str,
               from: Stamp,
               hours: i64,
               minutes: u32,
               urgent: bool,
               channel: Channel| NewRequest {
        requester,
        type_id,
        description: what.into(),
        place: String::new(),
        window_start: from,
        window_end: from + hours * HOUR_MS,
        minutes,
        urgent,
        channel,
        pool_pays: urgent || type_id == 5,
    };
    let place = |store: &Store, id: i64| store.member(id).map(|m| m.building).unwrap_or_default();
    let make = |store: &mut Store, r: NewRequest, at: Stamp| -> Result<i64, StoreError> {
        let r = NewRequest {
            place: place(store, r.requester),
            ..r
        };
        Ok(store.create_request(liaison, &r, at)?.id)
    };
    // carried over from yesterday afternoon, called round but not matched
    let carried = make(
        store,
        req(
            ids[40],
            2,
            "帮忙去超市买米和油",
            now - 18 * HOUR_MS,
            30,
            60,
            false,
            Channel::Phone,
        ),
        now - 18 * HOUR_MS,
    )?;
    store.log_contact(
        liaison,
        carried,
        ids[41],
        Outcome::NoAnswer,
        "",
        now - 17 * HOUR_MS,
    )?;
    // this morning: one overdue for a response, one still within the hour
    make(
        store,
        req(
            ids[42],
            1,
            "老伴住院,想找人说说话",
            now - 75 * MINUTE_MS,
            8,
            60,
            false,
            Channel::WalkIn,
        ),
        now - 75 * MINUTE_MS,
    )?;
    make(
        store,
        req(
            ids[43],
            3,
            "打扫厨房油烟机",
            now - 37 * MINUTE_MS,
            6,
            90,
            false,
            Channel::Mailbox,
        ),
        now - 37 * MINUTE_MS,
    )?;
    // a medical escort asked by a star member, matched to another star
    let escort = make(
        store,
        req(
            stars[2],
            5,
            "陪同去区医院复查",
            now + HOUR_MS,
            4,
            180,
            false,
            Channel::Phone,
        ),
        now - 3 * HOUR_MS,
    )?;
    store.log_contact(
        liaison,
        escort,
        stars[1],
        Outcome::Declined,
        "那天要带孙子",
        now - 2 * HOUR_MS - 30 * MINUTE_MS,
    )?;
    store.log_contact(
        liaison,
        escort,
        stars[0],
        Outcome::Accepted,
        "",
        now - 2 * HOUR_MS,
    )?;
    // this morning's chat, matched and done: its record closes it
    let chat = make(
        store,
        req(
            ids[44],
            1,
            "陪聊半小时",
            now - 5 * HOUR_MS,
            3,
            30,
            false,
            Channel::WalkIn,
        ),
        now - 5 * HOUR_MS - 10 * MINUTE_MS,
    )?;
    store.log_contact(
        liaison,
        chat,
        ids[45],
        Outcome::Accepted,
        "",
        now - 5 * HOUR_MS,
    )?;
    let start = now - 4 * HOUR_MS;
    let input = RecordInput {
        uid: new_uid(start),
        request_id: Some(chat),
        provider: ids[45],
        recipient: ids[44],
        type_id: 1,
        started_at: start,
        ended_at: start + 30 * MINUTE_MS,
        minutes: 30,
        payer: Payer::Pool,
        method: ConfirmMethod::Desk,
        book_page: Some("231".into()),
        photo_ref: None,
        recipient_confirmed: false,
        rating: Some(5),
        notes: None,
        late_reason: None,
    };
    store.post_record(master, &input, start + HOUR_MS)?;
    // a request withdrawn by the family
    let gone = make(
        store,
        req(
            ids[46],
            2,
            "代买降压药",
            now - 6 * HOUR_MS,
            4,
            30,
            false,
            Channel::App,
        ),
        now - 6 * HOUR_MS,
    )?;
    store.move_request(
        liaison,
        gone,
        State::Cancelled,
        Some("家属已经买到"),
        now - 5 * HOUR_MS,
    )?;
    // and just now: an elderly member has fallen at home
    make(
        store,
        req(
            ids[47],
            1,
            "老人在家摔倒,需要人马上过去看看",
            now - 2 * MINUTE_MS,
            2,
            60,
            true,
            Channel::Phone,
        ),
        now - 2 * MINUTE_MS,
    )?;
    Ok(())
}
