//! Issue 16's "traps a new user fell into", each driven by keys at 80×24
//! in Chinese on a real SQLite file, and the newcomer's whole day.

use crate::common;
use common::*;
use shiguang::domain::staff::Session;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::Store;

/// The master's desk on a fresh station, at 80×24 in Chinese.
fn small_desk(db: &TestDb) -> Harness {
    let mut h = master_desk(db, Lang::Zh);
    h.resize(80, 24);
    h
}

#[test]
fn the_draft_offer_ignores_n_and_esc_and_discards_only_after_d_and_a_yes() {
    let db = temp_db();
    let mut h = small_desk(&db);
    h.press("9");
    h.press("a");
    h.type_str("赵敏");
    h.advance(1000); // the tick keeps the draft
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 1);
    drop(h);

    let mut h = Harness::open(&db.path, T0 + 5000, Lang::Zh);
    h.resize(80, 24);
    sign_in_by_keys(&mut h, "001", MASTER_PIN);
    h.assert_shows("未完成的表单");
    for key in ["n", "esc", "y", "q"] {
        h.press(key);
        h.assert_shows("未完成的表单");
    }
    h.press("d");
    h.assert_shows("丢弃这 1 张未完成的表单");
    h.press("n"); // no: back to the offer
    h.assert_shows("按 Enter 全部恢复");
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 1);
    h.press("d");
    h.press("y");
    h.assert_not_shows("未完成的表单");
    assert_eq!(count(&db.path, "SELECT count(*) FROM drafts"), 0);
}

#[test]
fn the_draft_offer_restores_on_enter() {
    let db = temp_db();
    let mut h = small_desk(&db);
    h.press("9");
    h.press("a");
    h.type_str("赵敏");
    h.advance(1000);
    drop(h);
    let mut h = Harness::open(&db.path, T0 + 5000, Lang::Zh);
    h.resize(80, 24);
    sign_in_by_keys(&mut h, "001", MASTER_PIN);
    h.press("enter");
    h.assert_shows("赵敏");
}

#[test]
fn the_match_pane_follows_the_queues_selection_and_names_its_request() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let a = approved_member(
        &mut s,
        &master,
        "李奶奶",
        1,
        T0 - 300 * shiguang::domain::time::DAY_MS,
    );
    let b = approved_member(
        &mut s,
        &master,
        "张大爷",
        2,
        T0 - 300 * shiguang::domain::time::DAY_MS,
    );
    approved_member(
        &mut s,
        &master,
        "王小二",
        3,
        T0 - 300 * shiguang::domain::time::DAY_MS,
    );
    s.create_request(&master, &request(a, false, T0 - 60_000), T0 - 60_000)
        .unwrap();
    s.create_request(&master, &request(b, false, T0 - 30_000), T0 - 30_000)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("1");
    h.press("2");
    let title = |h: &Harness| {
        h.screen()
            .into_iter()
            .find(|l| l.contains("需求匹配"))
            .unwrap_or_else(|| panic!("no title naming the request:\n{}", h.text()))
    };
    let first = title(&h);
    h.press("1");
    h.press("down");
    h.press("2");
    let second = title(&h);
    assert_ne!(first, second, "the second request is shown");
    let (one, other) = if first.contains("李奶奶") {
        ("李奶奶", "张大爷")
    } else {
        ("张大爷", "李奶奶")
    };
    assert!(
        first.contains(one) && second.contains(other),
        "{first} / {second}"
    );
    assert_cjk_clean(&h);
}

#[test]
fn n_is_in_the_80_column_key_bar_and_help_pages_from_the_panes_main_keys() {
    let db = temp_db();
    let mut h = small_desk(&db);
    for pane in ["1", "5", "6", "8"] {
        h.press(pane);
        let bar = h.screen().last().cloned().unwrap_or_default();
        assert!(bar.contains("n 新建"), "pane {pane}: {bar}");
    }
    h.press("1");
    h.press("?");
    let first_key = h
        .screen()
        .into_iter()
        .skip(2)
        .find(|l| l.contains("  n "))
        .expect("n in help");
    let screen = h.screen();
    let row_of = |needle: &str| screen.iter().position(|l| l.contains(needle));
    assert!(
        row_of(&first_key) < row_of("下移"),
        "the main key before the list's moves:\n{}",
        h.text()
    );
    let top = h.text();
    h.press("pagedown");
    assert_ne!(h.text(), top, "PgDn scrolls help");
    h.press("pageup");
    assert_eq!(h.text(), top, "PgUp back to the top");
    assert_cjk_clean(&h);
}

#[test]
fn typing_into_a_prefilled_date_or_minutes_field_replaces_it() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::Zh);
    h.resize(80, 24);
    h.press("1");
    h.press("n");
    h.type_str("lnn\n");
    h.press("tab");
    h.type_str("陪我去医院");
    h.press("tab"); // urgent
    h.press("tab");
    h.type_str("3栋");
    h.press("tab");
    h.type_str("11-24"); // tomorrow, over today's date
    h.press("tab");
    h.type_str("09:00");
    h.press("tab");
    h.type_str("11:00");
    h.press("tab");
    h.type_str("90"); // over the 60 put in
    h.press("ctrl-s");
    h.assert_shows("已登记需求");
    let s = store(&db.path);
    let (start, minutes): (i64, i64) = s
        .conn()
        .query_row("SELECT window_start, minutes FROM requests", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let day = shiguang::domain::time::fmt_local(start, chrono_tz::Asia::Shanghai, "%m-%d %H:%M");
    assert_eq!(day, "11-24 09:00", "saved for tomorrow, not today");
    assert_eq!(minutes, 90);
}

#[test]
fn a_form_opened_from_a_request_shows_its_cursor_on_the_first_field_to_fill() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let day = shiguang::domain::time::DAY_MS;
    let elder = approved_member(&mut s, &master, "李奶奶", 1, T0 - 300 * day);
    approved_member(&mut s, &master, "王小二", 2, T0 - 300 * day);
    s.create_request(&master, &request(elder, false, T0 - 60_000), T0 - 60_000)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("1");
    h.press("n");
    let (_, y) = h.cursor().expect("a cursor in the new request form");
    assert!(h.screen()[y as usize].contains("需求人"), "{}", h.text());
    h.press("esc");
    h.press("y");
    h.press("m");
    h.press("/");
    h.type_str("wxe\n");
    h.press("c");
    let (_, y) = h.cursor().expect("a cursor in the call form, on a choice");
    assert!(h.screen()[y as usize].contains("结果"), "{}", h.text());
    h.press("ctrl-s");
    h.assert_shows("已匹配给");
    h.press("e");
    let (_, y) = h.cursor().expect("a cursor in the record form");
    let row = &h.screen()[y as usize];
    assert!(
        row.contains("结束"),
        "on the end clock: {row}\n{}",
        h.text()
    );
}

#[test]
fn minutes_are_fenzhong_points_are_jifen_and_the_pool_is_named_in_words() {
    let (db, master, mut s, helper, elder) = two_members();
    serve_an_hour(&mut s, &master, helper, elder);
    s.create_request(&master, &request(elder, false, T0 - 60_000), T0 - 60_000)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("1");
    h.assert_shows("剩 59 分钟");
    h.press("4");
    h.press("/");
    h.type_str("zsf\n");
    h.assert_shows("社区公益池");
    h.press("r");
    h.press("ctrl-u");
    h.type_str("5");
    h.press("tab");
    h.type_str("多记了");
    h.press("ctrl-s");
    h.assert_shows("提交冲正 5 积分");
    h.assert_shows("退回给 社区公益池");
    h.assert_not_shows("pool");
    assert_cjk_clean(&h);
}

#[test]
fn the_dispute_list_shows_its_clock_whole_and_counts_a_closed_case_as_closed() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰", "李奶奶"], Lang::Zh);
    h.resize(80, 24);
    h.press("5");
    h.press("n");
    h.press("tab");
    h.press("tab");
    h.type_str("zsf\n");
    h.type_str("lnn\n");
    h.press("tab");
    h.type_str("说话太大声");
    h.press("tab");
    h.type_str("本人");
    h.press("ctrl-s");
    h.assert_shows("已登记纠纷");
    h.assert_shows("未结(1)");
    let row = h
        .screen()
        .into_iter()
        .find(|l| l.contains("#1"))
        .expect("the case listed");
    assert!(
        row.contains("剩 24 小时") || row.contains("剩 24 时"),
        "clock whole: {row}"
    );
    assert_cjk_clean(&h);
    // decided and told: still listed for printing, no longer counted open
    let s = store(&db.path);
    s.conn()
        .execute(
            "UPDATE disputes SET decided_at = ?1, told_at = ?1, outcome = 'dismissed' WHERE id = 1",
            [T0],
        )
        .unwrap();
    drop(s);
    h.press("ctrl-r");
    h.assert_shows("#1");
    h.assert_shows("未结(0)");
}

#[test]
fn pressing_through_the_opening_checklist_records_no_count() {
    let db = temp_db();
    let mut h = small_desk(&db);
    h.press("f2");
    for _ in 0..3 {
        h.press("space");
        h.press("tab");
    }
    h.press("ctrl-s");
    h.assert_shows("请填写清点的数");
    assert_eq!(count(&db.path, "SELECT count(*) FROM station_days"), 0);
    assert_cjk_clean(&h);
}

#[test]
fn desk_b_sees_what_desk_a_registered_without_ctrl_r() {
    let db = temp_db();
    let master = init_station(&db.path);
    let mut b = Harness::signed_in(&db.path, T0, Lang::Zh, master.clone());
    b.resize(80, 24);
    b.press("6");
    b.advance(1000);
    b.assert_not_shows("赵敏");
    // desk A, on the same file, registers and approves a member
    let mut a = store(&db.path);
    approved_member(&mut a, &master, "赵敏", 9, T0);
    drop(a);
    b.advance(1000);
    b.assert_shows("赵敏");
    // and search on desk B finds her
    b.press("/");
    b.type_str("zm");
    b.assert_shows("赵敏");
}

#[test]
fn staff_number_1_signs_in_as_001() {
    let db = temp_db();
    init_station(&db.path);
    let mut h = Harness::open(&db.path, T0, Lang::Zh);
    h.resize(80, 24);
    sign_in_by_keys(&mut h, "1", MASTER_PIN);
    h.assert_shows("001 王秀英");
}

#[test]
fn keys_typed_while_the_terminal_is_too_small_go_nowhere() {
    let db = temp_db();
    let mut h = small_desk(&db);
    h.resize(60, 20);
    h.press("6");
    h.press("n");
    h.type_str("赵敏");
    h.resize(80, 24);
    assert!(
        h.app.active_form().is_none(),
        "no form opened unseen:\n{}",
        h.text()
    );
    h.assert_shows("需求队列 · ");
}

#[test]
fn a_full_day_list_says_it_shows_only_the_latest() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let day = shiguang::domain::time::DAY_MS;
    let elder = approved_member(&mut s, &master, "李奶奶", 1, T0 - 300 * day);
    let helpers: Vec<i64> = (0..5)
        .map(|i| {
            approved_member(
                &mut s,
                &master,
                &format!("帮手{}", "甲乙丙丁戊".chars().nth(i).unwrap()),
                10 + i as u32,
                T0 - 300 * day,
            )
        })
        .collect();
    let pool = shiguang::domain::record::Payer::Pool;
    for i in 0..500i64 {
        let helper = helpers[(i % 5) as usize];
        let end = T0 - (i / 5) * 3 * 60_000;
        s.post_record(
            &master,
            &record(&format!("r{i}"), helper, elder, end, 3, pool),
            T0,
        )
        .unwrap();
    }
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("3");
    h.assert_shows("只显示最新 500 条");
}

#[test]
fn search_is_not_opened_over_f2_to_act_on_the_pane_behind() {
    let db = temp_db();
    let mut h = station_with(&db, &["张三丰"], Lang::Zh);
    h.resize(80, 24);
    h.press("6");
    h.press("f2");
    h.press("/");
    h.assert_shows("请先完成这一步");
    assert!(
        !matches!(
            h.app.state.overlay,
            Some(shiguang::app::state::Overlay::Search(_))
        ),
        "no search over the checklist"
    );
}

#[test]
fn a_pending_applicants_level_line_does_not_say_approved() {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    s.register_member(&master, &new_member("孙小美", 3), T0)
        .unwrap();
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("6");
    h.press("/");
    h.type_str("sxm\n");
    h.assert_shows("孙小美");
    h.assert_not_shows("已审核通过");
    assert_cjk_clean(&h);
}

#[test]
fn the_callback_list_shows_member_numbers_whole() {
    let (db, master, mut s, helper, elder) = two_members();
    serve_an_hour(&mut s, &master, helper, elder);
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("7");
    h.press("tab");
    h.press("d");
    h.assert_shows("李奶奶");
    h.assert_shows("JS01-0002");
    assert_cjk_clean(&h);
}

#[test]
fn registrations_service_ticks_mark_the_ones_scrolled_out_of_sight() {
    let db = temp_db();
    let mut h = small_desk(&db);
    h.press("6");
    h.press("n");
    for _ in 0..7 {
        h.press("tab");
    }
    let row = |h: &Harness| {
        h.screen()
            .into_iter()
            .find(|l| l.contains("[") && l.contains("可提供"))
            .unwrap_or_else(|| panic!("the offers row:\n{}", h.text()))
    };
    let first = row(&h);
    assert!(
        first.trim_end_matches([' ', '│']).ends_with('>'),
        "more to the right: {first}"
    );
    h.press("left"); // round to the last service
    let last = row(&h);
    assert!(
        last.contains("<[") || last.contains("< ["),
        "more to the left: {last}"
    );
    assert_cjk_clean(&h);
}

#[test]
fn a_service_dated_on_a_closed_day_is_refused_at_its_date() {
    let (db, master, mut s, helper, elder) = two_members();
    let day = shiguang::domain::time::DAY_MS;
    // yesterday was opened and closed
    let yesterday = T0 - day;
    s.open_day(&master, &ticked_checklist(&s), yesterday)
        .unwrap();
    let d = shiguang::domain::time::local_day(yesterday, chrono_tz::Asia::Shanghai);
    s.close_day(
        Some(&master),
        d,
        "平安无事",
        true,
        yesterday + 8 * 3_600_000,
    )
    .unwrap();
    let pool = shiguang::domain::record::Payer::Pool;
    let mut r = record("late", helper, elder, yesterday + 3_600_000, 60, pool);
    r.late_reason = Some("纸质补登".into());
    let e = s.post_record(&master, &r, T0).unwrap_err();
    let shiguang::store::StoreError::Refused(refusal) = e else {
        panic!("refused: {e:?}")
    };
    assert_eq!(
        (refusal.field, refusal.msg.key),
        (Some("date"), "record.day_closed")
    );
    assert_eq!(count(&db.path, "SELECT count(*) FROM service_records"), 0);
}

/// Issue 16: form help named ←/→ only on a choice and Space only on a
/// tick, and never how to pick a member suggestion.
#[test]
fn form_help_names_choices_ticks_and_how_to_pick_a_suggestion() {
    let db = temp_db();
    let mut h = small_desk(&db);
    h.press("1");
    h.press("n");
    // the focus on a text field: the ways of the other fields still named
    h.press("f1");
    h.assert_shows("怎样填表");
    h.assert_shows("←/→");
    h.assert_shows("换选项");
    h.assert_shows("Space");
    h.assert_shows("勾选/取消");
    h.assert_shows("↑/↓ Enter");
    h.assert_shows("选候选会员");
    assert_cjk_clean(&h);
}

/// Issue 16: a dialog opened again with its text pre-filled shows it once,
/// and typing goes after it, not after a second copy (the dispute's "told
/// how"; the cancel reason starts empty each time).
#[test]
fn prefilled_dialog_text_is_not_doubled_when_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let mut h = Harness::demo(&path, T0, Lang::Zh);
    h.resize(80, 24);
    for (pane, key) in [("5", "t"), ("1", "x")] {
        h.press(pane);
        h.press(key);
        let first = h.text();
        h.press("esc");
        h.press("esc");
        h.press(key);
        assert_eq!(h.text(), first, "{pane} {key} opened again");
        h.type_str("Q");
        assert_eq!(h.text().matches('Q').count(), 1, "{}", h.text());
        h.press("esc");
        h.press("enter");
    }
}

/// A desk key pressed while the member search is open (F2 here) is not
/// dropped without a word: the search stays, and the notice says how to
/// get out of it first.
#[test]
fn a_desk_key_in_the_member_search_says_to_pick_or_close_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let mut h = Harness::demo(&path, T0, Lang::Zh);
    h.resize(80, 24);
    h.press("/");
    h.assert_shows("查找会员");
    h.press("f2");
    h.assert_shows("查找会员");
    h.assert_shows("先选中(Enter)或按 Esc 关闭");
    h.press("esc");
    h.press("f2");
    h.assert_shows("开站");
    assert_cjk_clean(&h);
}

/// A station with 张三丰 (helper) and 李奶奶 (elder), members for 300 days.
fn two_members() -> (TestDb, Session, Store, i64, i64) {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let day = shiguang::domain::time::DAY_MS;
    let helper = approved_member(&mut s, &master, "张三丰", 1, T0 - 300 * day);
    let elder = approved_member(&mut s, &master, "李奶奶", 2, T0 - 300 * day);
    (db, master, s, helper, elder)
}

/// An hour's service an hour ago, paid by the pool.
fn serve_an_hour(s: &mut Store, master: &Session, helper: i64, elder: i64) {
    let pool = shiguang::domain::record::Payer::Pool;
    let r = record("r1", helper, elder, T0 - 3_600_000, 60, pool);
    s.post_record(master, &r, T0).unwrap();
}
