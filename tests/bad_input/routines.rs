//! 7 Stats and the routines: callbacks, the opening checklist, reopening.

use crate::common::*;
use crate::support::*;
use shiguang::domain::record::Payer;
use shiguang::domain::time::{DAY_MS, HOUR_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

#[test]
fn a_callback_needs_its_result_and_a_reason_when_unsatisfied() {
    let db = temp_db();
    let (h, master) = station(&db, &["张三丰", "李奶奶", "王大爷"], Lang::Zh);
    drop(h);
    let mut s = store(&db.path);
    for (i, elder) in [2, 3].into_iter().enumerate() {
        let end = T0 - (i as i64 + 1) * DAY_MS;
        let r = record(&format!("r{i}"), 1, elder, end, 60, Payer::Pool);
        s.post_record(&master, &r, end).unwrap();
    }
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.press("7");
    h.press("tab");
    h.press("d");
    // the month's list is kept when drawn
    let before = rows(&db.path);
    h.press("c");
    h.press("ctrl-s");
    refused_at(&mut h, "satisfied", "stats.cb.result_required");
    choose(&mut h, "satisfied", "no");
    put(&mut h, "note", "  ");
    h.press("ctrl-s");
    refused_at(&mut h, "note", "stats.cb.note_required");
    // the dialog showed the member's number: logged, nothing else
    assert_eq!(rows(&db.path), plus_number_views(before, 1));
    put(&mut h, "note", "迟到了");
    h.press("ctrl-s");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM callbacks WHERE satisfied = 0"
        ),
        1
    );
}

#[test]
fn the_opening_checklist_refuses_unticked_items_and_counts_that_are_not_numbers() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    approved_member(&mut s, &master, "李奶奶", 1, T0 - 200 * DAY_MS);
    // a request still open from yesterday: its review is ticked too
    let r = shiguang::domain::queue::NewRequest {
        requester: 1,
        type_id: 1,
        description: "陪聊".into(),
        place: "3栋".into(),
        window_start: T0 - DAY_MS,
        window_end: T0 + 6 * HOUR_MS,
        minutes: 60,
        urgent: false,
        channel: shiguang::domain::queue::Channel::Phone,
        pool_pays: true,
    };
    s.create_request(&master, &r, T0 - DAY_MS).unwrap();
    let items: Vec<(i64, Option<i64>)> = {
        let mut q = s
            .conn()
            .prepare("SELECT id, expected FROM checklist_items WHERE active = 1 ORDER BY position")
            .unwrap();
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, master.clone());
    h.press("f2");
    for (id, expected) in &items {
        let name = format!("item_{id}");
        match expected {
            Some(e) => put(&mut h, &name, &e.to_string()),
            None => tick(&mut h, &name, true),
        }
    }
    tick(&mut h, "carried", true);
    let tool = items.iter().find(|(_, e)| e.is_some()).unwrap();
    let tool_field = format!("item_{}", tool.0);
    let cases: Vec<Case> = ["", "x", "-1", "1.5", "三"]
        .into_iter()
        .map(|bad| case(&tool_field, bad, "open.count_invalid"))
        .collect();
    run_cases(&mut h, &db.path, &cases);
    let before = rows(&db.path);
    let plain = format!(
        "item_{}",
        items.iter().find(|(_, e)| e.is_none()).unwrap().0
    );
    tick(&mut h, &plain, false);
    h.press("ctrl-s");
    refused_at(&mut h, &plain, "open.tick");
    tick(&mut h, &plain, true);
    tick(&mut h, "carried", false);
    h.press("ctrl-s");
    refused_at(&mut h, "carried", "open.tick");
    tick(&mut h, "carried", true);
    assert_eq!(rows(&db.path), before);
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM station_days"), 1);
    h.press("esc");

    // closed, then reopened by the master: with a reason
    drop(h);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    store(&db.path)
        .close_day(Some(&master), day, "平安的一天", true, T0 + HOUR_MS)
        .unwrap();
    let mut h = Harness::signed_in(&db.path, T0 + 2 * HOUR_MS, Lang::En, master);
    h.press("f10");
    h.press("o");
    let before = rows(&db.path);
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "day.reopen_reason");
    put(&mut h, "reason", "   ");
    h.press("ctrl-s");
    refused_at(&mut h, "reason", "day.reopen_reason");
    assert_eq!(rows(&db.path), before);
}
