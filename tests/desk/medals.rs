//! The hub's medals view by keys on the demo at 80×24 in Chinese: the
//! month's proposals, a reason refused at its field with nothing saved,
//! the award, the member showing it, a liaison turned away, the year's
//! stories written out.

use crate::common;
use common::*;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;

#[test]
fn the_master_gives_the_months_warm_neighbour_by_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let mut h = Harness::demo(&path, T0, Lang::Zh);
    h.resize(80, 24);
    h.press("0");
    h.press("y");
    h.assert_shows("[月度暖心邻居]");
    h.assert_shows("按数据推荐(2026-10)");
    h.assert_shows("推荐规则");
    assert_cjk_clean(&h);
    let medals = |sql: &str| count(&path, sql);
    // a: the form; no reason: refused at its field, nothing saved
    h.press("a");
    h.assert_shows("颁发荣誉");
    h.press("ctrl-s");
    h.assert_shows("请写颁发理由。");
    assert_cjk_clean(&h);
    assert_eq!(medals("SELECT count(*) FROM medals"), 0);
    h.type_str("十月服务最多,老人们都夸");
    h.press("ctrl-s");
    h.assert_shows("已颁发月度暖心邻居");
    h.assert_shows("已颁发");
    assert_eq!(medals("SELECT count(*) FROM medals"), 1);
    assert_eq!(
        medals("SELECT count(*) FROM audit_log WHERE action = 'medal.award'"),
        1
    );
    // once a period: the same one again is said, not offered
    h.press("a");
    h.assert_not_shows("颁发理由");
    h.assert_shows("这一期已经颁给他了。");
    // the member shows it
    let holder: String = store(&path)
        .conn()
        .query_row(
            "SELECT m.name FROM medals d JOIN members m ON m.id = d.member_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    h.press("y");
    h.assert_shows("活动");
    h.press("6");
    h.press("/");
    h.type_str(&holder);
    h.press("enter");
    h.assert_shows("荣誉 月度暖心邻居 2026-10");
    assert_cjk_clean(&h);
    // the year's stories: read at the desk, p writes them out
    h.press("0");
    h.press("y");
    h.press("tab");
    h.press("tab");
    h.assert_shows("[年度信任故事集] 2026");
    h.assert_shows("故事");
    assert_cjk_clean(&h);
    h.press("p");
    h.assert_shows("stories-2026");
    let text = std::fs::read_to_string(dir.path().join("exports/stories-2026.html")).unwrap();
    assert!(
        text.contains("<h1>年度信任故事集 2026</h1>") && text.contains(&holder),
        "{text}"
    );
}

#[test]
fn a_liaison_sees_the_proposals_but_may_not_award() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let (mut s, _) = shiguang::seed::demo::open_or_build(&path, T0).unwrap();
    let liaison = s.sign_in("002", "3917", T0).unwrap();
    drop(s);
    let mut h = Harness::signed_in(&path, T0, Lang::Zh, liaison);
    h.resize(80, 24);
    h.press("0");
    h.press("y");
    h.assert_shows("按数据推荐(2026-10)");
    h.press("a");
    h.assert_not_shows("颁发理由");
    h.assert_shows("只有站长可以这样做。");
    assert_eq!(count(&path, "SELECT count(*) FROM medals"), 0);
}
