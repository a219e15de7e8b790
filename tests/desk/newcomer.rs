//! Issue 16's "done when": a newcomer's whole station day at 80×24 in
//! Chinese, by keys, on a real SQLite file — open, register three, take a
//! request, match it, record it, a reversal approved by a second master, a
//! dispute, the figures, the close — and no trap on the way.

use crate::common;
use common::*;
use shiguang::domain::time::HOUR_MS;
use shiguang::harness::Harness;
use shiguang::i18n::Lang;

/// Every screen on the way: no cut or hidden wide character, no raw code.
#[track_caller]
fn clean(h: &Harness) {
    assert_cjk_clean(h);
    let t = h.text();
    for raw in ["pool", "m:JS01", "x:JS01", "[a]", "[b]"] {
        assert!(!t.contains(raw), "raw code {raw:?} on screen:\n{t}");
    }
}

/// Register an applicant by keys on the members pane and approve them.
fn register(h: &mut Harness, name: &str, initials: &str, n: u32) {
    h.press("6");
    h.press("n");
    clean(h);
    h.type_str(name);
    h.press("tab");
    h.type_str(&format!("1381234{n:04}"));
    h.press("tab"); // id kind: ID card
    h.press("tab");
    h.type_str(&id_number(n));
    h.press("tab"); // residence proof: property
    h.press("tab"); // community: 01
    h.press("tab");
    h.type_str(&format!("{n}栋1单元"));
    h.press("tab");
    h.press("space"); // offers the first service
    h.press("tab");
    h.press("tab"); // needs nothing
    h.type_str("家属");
    h.press("tab");
    h.type_str(&format!("1390000{n:04}"));
    h.press("ctrl-s");
    clean(h);
    h.assert_shows(name);
    // approve: the master, without a recommender, with a note
    h.press("/");
    h.type_str(initials);
    h.press("enter");
    h.press("a");
    h.type_str("电话核实邻居");
    h.press("ctrl-s");
    clean(h);
}

#[test]
fn a_newcomers_day_runs_at_80x24_in_chinese_without_a_trap() {
    let db = temp_db();
    let mut h = master_desk(&db, Lang::Zh);
    h.resize(80, 24);
    clean(&h);

    // a second station master, for the reversal later
    h.press("9");
    h.press("a");
    h.type_str("周德明");
    h.press("tab");
    h.press("right"); // role: station master
    h.press("tab");
    h.type_str("3917");
    h.press("tab");
    h.type_str("3917");
    h.press("ctrl-s");
    clean(&h);
    h.assert_shows("周德明");

    // open the station: counts start empty, so each is typed
    h.press("f2");
    clean(&h);
    h.assert_shows("开站");
    for _ in 0..3 {
        h.press("space");
        h.press("tab");
    }
    for n in ["2", "20", "1", "1", "2"] {
        h.press("ctrl-u");
        h.type_str(n);
        h.press("tab");
    }
    h.press("ctrl-s");
    clean(&h);
    h.assert_shows("已开站");
    h.press("esc");

    for (n, (name, initials)) in [("王建国", "wjg"), ("李秀兰", "lxl"), ("赵大海", "zdh")]
        .into_iter()
        .enumerate()
    {
        register(&mut h, name, initials, n as u32 + 1);
    }
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM members WHERE status = 'approved'"
        ),
        3,
        "{}",
        h.text()
    );

    // 王建国 asks for a chat in two hours, by phone
    h.press("1");
    h.press("n");
    clean(&h);
    h.type_str("wjg\n");
    h.press("tab");
    h.type_str("陪老人聊天");
    h.press("tab");
    h.press("tab");
    h.type_str("1栋");
    h.press("tab"); // today
    h.press("tab");
    h.type_str("12:00");
    h.press("tab");
    h.type_str("13:00");
    h.press("ctrl-s");
    clean(&h);
    h.assert_shows("已登记需求");

    // match: the title says whose request; 李秀兰 is called and says yes
    h.press("m");
    clean(&h);
    h.assert_shows("为 王建国 的");
    h.press("/");
    h.type_str("lxl\n");
    h.press("c");
    clean(&h);
    h.press("ctrl-s");
    clean(&h);
    h.assert_shows("已匹配给");

    // the service is given; the record form opens from the match
    h.advance(3 * HOUR_MS);
    h.assert_shows("屏幕已锁定"); // idle for hours
    h.type_str(MASTER_PIN);
    h.press("enter");
    h.press("e");
    clean(&h);
    h.type_str("13:00");
    h.press("ctrl-s");
    h.assert_shows("请填写《服务记录册》页码");
    h.type_str("3");
    h.press("ctrl-s");
    clean(&h);
    h.assert_shows("已入账");

    // a mistake: the master enters a reversal of 5 points…
    h.press("4");
    clean(&h);
    h.press("/");
    h.type_str("lxl\n");
    h.press("r");
    h.press("ctrl-u");
    h.type_str("5");
    h.press("tab");
    h.type_str("多记了一刻钟");
    h.press("ctrl-s");
    h.press("y");
    clean(&h);
    h.assert_shows("待另一位站长批准");
    h.assert_shows("设置(9)");
    // …and the second master, at the same desk, approves it
    h.press("ctrl-l");
    h.press("backtab");
    h.type_str("002");
    h.press("tab");
    h.type_str("3917");
    h.press("enter");
    clean(&h);
    h.assert_shows("周德明");
    h.press("4");
    h.press("p");
    clean(&h);
    h.press("y");
    h.press("y");
    clean(&h);
    h.assert_shows("已批准并记账");

    // 王建国 complains about the chat: a member dispute (merchant parties
    // are another helper's part of issue 16)
    h.press("5");
    clean(&h);
    h.press("n");
    clean(&h);
    h.press("tab"); // category: service quality
    h.press("tab"); // channel: at the desk
    h.type_str("wjg\n");
    h.type_str("lxl\n");
    h.press("right"); // the service it is about
    h.press("tab");
    h.type_str("聊天时一直看手机");
    h.press("tab");
    h.type_str("本人");
    h.press("ctrl-s");
    clean(&h);
    h.assert_shows("已登记纠纷");

    // the day's figures
    h.press("7");
    clean(&h);

    // close: the story, the papers locked
    h.advance(5 * HOUR_MS);
    h.type_str("3917");
    h.press("enter");
    h.press("f10");
    clean(&h);
    h.assert_shows("闭站");
    h.type_str("李秀兰陪王建国聊了一个钟头");
    h.press("tab");
    h.press("space");
    h.press("ctrl-s");
    // asked once, naming what carries over
    h.assert_shows("转入明天");
    clean(&h);
    h.press("enter");
    clean(&h);
    h.assert_shows("闭站(汇总第 1 版)");
    assert_eq!(count(&db.path, "SELECT count(*) FROM day_summaries"), 1);
    assert!(h.store.verify().unwrap().problems.is_empty());
}
