//! F2, F10 and the stats pane driven by keys at 80×24, on a real file.

use crate::common;
use common::*;
use shiguang::domain::record::{ConfirmMethod, Payer, RecordInput};
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

fn desk(db: &TestDb, lang: Lang) -> Harness {
    let mut h = master_desk(db, lang);
    h.resize(80, 24);
    h
}

#[test]
fn f2_opens_the_day_with_the_checklist_late_and_with_a_shortage() {
    let db = temp_db();
    let mut h = desk(&db, Lang::Zh);
    h.assert_shows("未开站");
    h.press("f2");
    h.assert_shows("开站 · 2026-11-23");
    h.assert_shows("打扫卫生");
    h.assert_shows("助行器");
    assert_cjk_clean(&h);
    // nothing ticked: refused at the first item, nothing saved
    h.press("ctrl-s");
    h.assert_shows("这一项还没检查");
    assert_eq!(count(&db.path, "SELECT count(*) FROM station_days"), 0);
    // a count that is not a number
    for _ in 0..3 {
        h.press("tab");
    }
    h.press("backspace");
    h.type_str("x");
    h.press("ctrl-s");
    h.assert_shows("请填写清点的数");
    // the focus went back to the first item; fix the count
    for _ in 0..3 {
        h.press("tab");
    }
    h.press("backspace"); // empty again: counted below
    for _ in 0..3 {
        h.press("backtab");
    }
    fill_checklist(&mut h);
    h.press("ctrl-s");
    // T0 is 10:00, after the 09:00 setting
    h.assert_shows("已开站(晚于规定时间");
    h.assert_shows("开站 10:00(迟)");
    h.assert_shows("补货 1");
    h.assert_shows("助行器");
    h.assert_shows("缺 1");
    assert_cjk_clean(&h);
    assert_eq!(count(&db.path, "SELECT late FROM station_days"), 1);

    // the walker is back
    h.press("r");
    h.assert_shows("没有待补货的物品");
    h.assert_not_shows("补货 1");
    // midday duty
    h.press("m");
    h.assert_shows("午间值守人");
    h.press("ctrl-s");
    h.assert_shows("午间值守 王秀英");
    // opening twice is refused
    h.press("esc");
    h.press("f2");
    h.assert_not_shows("打扫卫生 [");
    h.assert_shows("开站 10:00 王秀英");
    h.press("esc");
    h.assert_shows("需求队列 · ");
}

#[test]
fn f10_before_opening_says_so_and_offers_no_close() {
    let db = temp_db();
    let mut h = desk(&db, Lang::En);
    h.press("f10");
    h.assert_shows("the station was not opened");
    h.assert_not_shows("Today's story");
    h.press("ctrl-s");
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 0);
    assert_cjk_clean(&h);
}

#[test]
fn f10_closes_the_day_with_its_story_and_the_master_can_reopen_it() {
    let db = temp_db();
    let mut h = desk(&db, Lang::Zh);
    h.press("f2");
    fill_checklist(&mut h);
    h.press("ctrl-s");
    h.press("esc");
    // the desk locked itself over the day
    h.advance(8 * HOUR_MS);
    h.assert_shows("已锁定");
    h.type_str(MASTER_PIN);
    h.press("enter");
    h.press("f10");
    h.assert_shows("闭站 · 2026-11-23");
    h.assert_shows("服务");
    h.assert_shows("今日故事");
    h.assert_shows("待补货 1 项");
    assert_cjk_clean(&h);
    h.press("ctrl-s");
    h.assert_shows("请写下今天的故事");
    h.type_str("张师傅帮邻居修好了水管");
    h.press("ctrl-s");
    h.assert_shows("请先把纸质材料锁好");
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 0);
    h.press("space");
    h.press("ctrl-s");
    h.assert_shows("有 0 项转入明天");
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 0);
    h.press("enter");
    h.assert_shows("已于 18:00 闭站(汇总第 1 版)");
    h.assert_shows("已闭站");
    assert_cjk_clean(&h);
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 1);
    assert!(db.dir.path().join("backups").read_dir().unwrap().count() >= 1);
    assert_eq!(db.dir.path().join("bundles").read_dir().unwrap().count(), 1);
    let story: String = store(&db.path)
        .conn()
        .query_row("SELECT story FROM station_days", [], |r| r.get(0))
        .unwrap();
    assert_eq!(story, "张师傅帮邻居修好了水管");

    // F10 again shows the stored summary
    h.press("esc");
    h.press("f10");
    h.assert_shows("汇总第 1 版");
    h.assert_not_shows("今日故事");
    // reopening needs a reason
    h.press("o");
    h.assert_shows("重新开站原因");
    h.press("ctrl-s");
    h.assert_shows("重新开站须填写原因");
    h.type_str("漏登一条服务");
    h.press("ctrl-s");
    h.assert_shows("已重新开站");
    h.assert_shows("今日故事");
    h.assert_shows("开站 10:00");
}

#[test]
fn a_liaison_cannot_reopen_a_closed_day() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let liaison = s
        .add_staff(
            &master,
            "李联络",
            shiguang::domain::staff::Role::Liaison,
            "3917",
            T0,
        )
        .unwrap();
    let checks = ticked_checklist(&s);
    s.open_day(&liaison, &checks, T0).unwrap();
    s.close_day(
        Some(&liaison),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        "",
        true,
        T0 + HOUR_MS,
    )
    .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0 + 2 * HOUR_MS, Lang::Zh, liaison);
    h.resize(80, 24);
    h.press("f10");
    h.assert_shows("汇总第 1 版");
    h.press("o");
    h.assert_not_shows("重新开站原因");
    // and the closed day takes no new request
    h.press("esc");
    h.press("1");
    h.press("n");
    h.assert_shows("登记需求");
}

fn served_this_month(db: &TestDb) {
    let (master, mut s) = open_station(&db.path);
    let helper = approved_member(&mut s, &master, "张三丰", 1, T0 - 300 * DAY_MS);
    for (i, name) in ["李奶奶", "王大爷", "赵阿姨"].iter().enumerate() {
        let elder = approved_member(&mut s, &master, name, 2 + i as u32, T0 - 300 * DAY_MS);
        let end = T0 - (i as i64 + 1) * DAY_MS;
        let r = RecordInput {
            uid: format!("r{i}"),
            request_id: None,
            provider: helper,
            recipient: elder,
            type_id: 1,
            started_at: end - 90 * MINUTE_MS,
            ended_at: end,
            minutes: 90,
            payer: Payer::Pool,
            method: ConfirmMethod::Desk,
            book_page: Some("3".into()),
            photo_ref: None,
            recipient_confirmed: false,
            rating: Some(5),
            notes: None,
            late_reason: None,
        };
        s.post_record(&master, &r, end).unwrap();
    }
}

#[test]
fn the_stats_pane_shows_periods_kpis_and_charts_and_records_callbacks() {
    let db = temp_db();
    served_this_month(&db);
    let session = store(&db.path).sign_in("001", MASTER_PIN, T0).unwrap();
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, session);
    h.resize(80, 24);
    h.press("7");
    h.assert_shows("服务概况");
    h.assert_shows("本月考核");
    h.assert_shows("服务 4.5 小时 / 目标 300 小时");
    h.assert_shows("距目标还差 296 小时");
    h.assert_shows("近 30 天服务小时");
    assert_cjk_clean(&h);
    // the chart has bars
    assert!(h.text().contains('█'), "{}", h.text());

    h.press("tab");
    h.assert_shows("本月还没有回访名单");
    h.press("d");
    h.assert_shows("李奶奶");
    h.assert_shows("王大爷");
    h.assert_shows("未回访");
    h.press("c");
    h.assert_shows("回访结果");
    h.press("ctrl-s");
    h.assert_shows("请选择回访结果");
    h.press("right");
    h.press("right");
    h.press("ctrl-s");
    h.assert_shows("不满意时请写明原因");
    h.press("backtab");
    h.press("left");
    h.press("ctrl-s");
    h.assert_shows("已访 1/3");
    h.assert_shows("满意 100%");
    assert_cjk_clean(&h);
    h.press("tab");
    h.assert_shows("满意度 100%(回访 1 人,目标 90%)");
}

#[test]
fn the_stats_pane_fits_80_columns_in_english() {
    let db = temp_db();
    served_this_month(&db);
    let session = store(&db.path).sign_in("001", MASTER_PIN, T0).unwrap();
    let mut h = Harness::signed_in(&db.path, T0, Lang::En, session);
    h.resize(80, 24);
    h.press("7");
    // the whole screen, tabs to key bar (CONTRIBUTING.md: snapshots)
    crate::snapshots::assert_screen(&h, "en80-stats-fits");
}

#[test]
fn the_master_edits_the_checklist_and_f2_follows_it() {
    let db = temp_db();
    let mut h = settings_desk(&db, Lang::Zh);
    h.resize(80, 24);
    for _ in 0..3 {
        h.press("tab");
    }
    h.assert_shows("开站检查项");
    h.assert_shows("助行器");
    h.press("n");
    h.assert_not_shows("应有数量");
    // a tool: the count field appears and is needed
    h.press("right");
    h.press("right");
    h.assert_shows("应有数量");
    h.press("tab");
    h.type_str("轮椅");
    h.press("tab");
    h.type_str("wheelchairs");
    h.press("ctrl-s");
    h.assert_shows("应有数量须为 1 到 999");
    assert_eq!(count(&db.path, "SELECT count(*) FROM checklist_items"), 8);
    h.type_str("2");
    h.press("ctrl-s");
    h.assert_shows("检查项已保存");
    h.assert_shows("轮椅");
    assert_cjk_clean(&h);
    // the cleaning item is taken out of use
    h.press("home");
    h.press("d");
    h.assert_shows("停用");
    h.press("f2");
    h.assert_shows("轮椅");
    h.assert_not_shows("打扫卫生");
}

#[test]
fn a_day_left_open_is_closed_by_f10_the_next_morning() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let checks = ticked_checklist(&s);
    s.open_day(&master, &checks, T0).unwrap();
    drop(s);
    let next_morning = T0 + DAY_MS - HOUR_MS;
    let mut h = Harness::signed_in(&db.path, next_morning, Lang::Zh, master);
    h.resize(80, 24);
    h.press("f2");
    h.assert_shows("2026-11-23 开了站还没有闭站");
    h.press("esc");
    h.press("f10");
    h.assert_shows("闭站 · 2026-11-23(补闭)");
    h.type_str("昨天忘了闭站");
    h.press("tab");
    h.press("space");
    h.press("ctrl-s");
    h.press("enter");
    // then today, which is not open yet
    h.assert_shows("2026-11-24 没有开站");
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM station_days WHERE closed_at IS NOT NULL"
        ),
        1
    );
    assert!(db.dir.path().join("bundles/JS01-2026-11-23.jsonl").exists());
}

const CLOSED_TODAY: &str =
    "SELECT count(*) FROM station_days WHERE day = '2026-11-23' AND closed_at IS NOT NULL";

/// Issue 16: the close listed only what was overdue. It lists every open
/// request, pending correction and pending application, scrolls them at
/// 80×24, and asks once, naming how many carry over, before closing.
#[test]
fn f10_lists_everything_that_carries_over_and_asks_once_before_closing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    {
        // a busy day's intake, so the list is longer than the screen
        let (mut s, master) = shiguang::seed::demo::open_or_build(&path, T0).unwrap();
        let members: Vec<i64> = {
            let mut st = s
                .conn()
                .prepare("SELECT id FROM members WHERE status = 'approved' ORDER BY id LIMIT 6")
                .unwrap();
            st.query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        for (i, m) in members.into_iter().enumerate() {
            let at = T0 - 3 * HOUR_MS + i as i64 * MINUTE_MS;
            s.create_request(&master, &request(m, false, at), at)
                .unwrap();
        }
    }
    let mut h = Harness::demo(&path, T0, Lang::Zh);
    h.resize(80, 24);
    let n = |sql: &str| count(&path, sql) as usize;
    // a merchant's settlement is one row, with the services it still owes
    let settlement_rows =
        n("SELECT count(*) FROM requests WHERE services_owed IS NOT NULL AND state = 'new'");
    assert_eq!(
        settlement_rows,
        n("SELECT count(DISTINCT merchant_id) FROM requests WHERE services_owed IS NOT NULL")
    );
    let requests = n("SELECT count(*) FROM requests
         WHERE state IN ('new', 'responded', 'matched', 'in_service')");
    let corrections = n("SELECT count(*) FROM corrections WHERE outcome IS NULL");
    let applications = n("SELECT count(*) FROM members WHERE status = 'pending'");
    let total = requests + corrections + applications;
    assert!(requests > 0 && corrections > 0 && applications > 0);
    assert!(total > 16, "more than the screen holds: {total}");

    h.press("f10");
    h.assert_shows(&format!("转入明天({total})"));
    h.assert_shows(&format!(
        "转入明天:需求 {requests},更正 {corrections},入会申请 {applications}"
    ));
    h.assert_shows("PgDn 看更多");
    h.assert_shows("剩 5 次");
    assert_cjk_clean(&h);
    let first = h.screen();
    // the list scrolls beside the close form, to its end and back
    for _ in 0..total {
        h.press("pagedown");
    }
    h.assert_not_shows("PgDn 看更多");
    h.assert_shows("入会");
    assert_ne!(h.screen(), first);
    assert_cjk_clean(&h);
    for _ in 0..total {
        h.press("pageup");
    }
    assert_eq!(h.screen(), first);

    // a good close is asked about once; "no" leaves the day open
    h.type_str("邻里互助");
    h.press("tab");
    h.press("space");
    h.press("ctrl-s");
    h.assert_shows(&format!("有 {total} 项转入明天"));
    assert_cjk_clean(&h);
    h.press("esc");
    h.assert_not_shows(&format!("有 {total} 项转入明天"));
    assert_eq!(count(&path, CLOSED_TODAY), 0);
    // Enter on the last field sends it too, asked the same way; yes closes
    h.press("enter");
    h.assert_shows(&format!("有 {total} 项转入明天"));
    h.press("enter");
    h.assert_shows("汇总第 1 版");
    assert_eq!(count(&path, CLOSED_TODAY), 1);
}
