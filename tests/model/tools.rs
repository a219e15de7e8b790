//! The tool corner (pane 0, 驿站, its tools view): walkers, tools and
//! first-aid items lent, returned, lost or broken on a real file; who may
//! borrow; overdue loans in the header; and by keys in Chinese at 80×24,
//! the issue's "a walker is lent and returned and the next opening count
//! is right".

use crate::common;
use common::*;
use shiguang::domain::staff::Session;
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use shiguang::domain::tool::{Condition, LendKind, Loss};
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::{Store, StoreError};

/// T0 is Monday 2026-11-23, 10:00 station time.
fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

struct W {
    db: TestDb,
    s: Store,
    master: Session,
    elder: i64,
    neighbour: i64,
}

fn w() -> W {
    let db = temp_db();
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    let elder = approved_member(&mut s, &master, "李奶奶", 1, T0 - 30 * DAY_MS);
    let neighbour = approved_member(&mut s, &master, "张小明", 2, T0 - 30 * DAY_MS);
    W {
        db,
        s,
        master,
        elder,
        neighbour,
    }
}

fn item(s: &Store, kind: LendKind) -> shiguang::store::tools::ToolItem {
    s.tool_items(T0)
        .unwrap()
        .into_iter()
        .find(|i| i.kind == kind)
        .unwrap()
}

fn field(e: StoreError) -> Option<&'static str> {
    match e {
        StoreError::Invalid(r) => r[0].field,
        other => panic!("not a refusal: {other:?}"),
    }
}

fn loans(w: &W) -> i64 {
    count(&w.db.path, "SELECT count(*) FROM tool_loans")
}

#[test]
fn the_catalogue_is_the_checklists_counted_items() {
    let w = w();
    let items = w.s.tool_items(T0).unwrap();
    let names: Vec<_> = items
        .iter()
        .map(|i| (i.name_zh.as_str(), i.kind, i.count))
        .collect();
    assert_eq!(
        names,
        [
            ("螺丝刀", LendKind::Tool, 2),
            ("创可贴", LendKind::None, 20),
            ("急救包", LendKind::FirstAid, 1),
            ("血压计", LendKind::FirstAid, 1),
            ("助行器", LendKind::Walker, 2),
        ]
    );
}

#[test]
fn a_walker_lent_is_out_then_back_and_verify_holds() {
    let mut w = w();
    let walker = item(&w.s, LendKind::Walker);
    let l =
        w.s.lend_tool(&w.master, walker.id, w.elder, day(30), T0)
            .unwrap();
    assert_eq!((l.member_name.as_str(), l.due), ("李奶奶", day(30)));
    let now = item(&w.s, LendKind::Walker);
    assert_eq!((now.count, now.on_loan, now.available()), (2, 1, 1));
    assert_eq!(w.s.on_loan_by_item().unwrap().get(&walker.id), Some(&1));
    let back =
        w.s.return_tool(&w.master, l.id, Condition::Good, "", T0 + HOUR_MS)
            .unwrap();
    assert_eq!(back.outcome.as_deref(), Some("good"));
    assert_eq!(item(&w.s, LendKind::Walker).on_loan, 0);
    let audit = count(
        &w.db.path,
        "SELECT count(*) FROM audit_log WHERE action IN ('tool.lend', 'tool.return')",
    );
    assert_eq!(audit, 2, "every write its audit row");
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn who_may_borrow_is_the_rules_and_a_refusal_saves_nothing() {
    let mut w = w();
    let walker = item(&w.s, LendKind::Walker);
    let plasters = item(&w.s, LendKind::None);
    // a due date before today, or too far
    let e =
        w.s.lend_tool(&w.master, walker.id, w.elder, day(22), T0)
            .unwrap_err();
    assert_eq!(field(e), Some("due"));
    let far = day(23) + chrono::Duration::days(91);
    let e =
        w.s.lend_tool(&w.master, walker.id, w.elder, far, T0)
            .unwrap_err();
    assert_eq!(field(e), Some("due"));
    // plasters are used up, not lent
    let e =
        w.s.lend_tool(&w.master, plasters.id, w.elder, day(30), T0)
            .unwrap_err();
    assert_eq!(field(e), Some("item"));
    assert_eq!(loans(&w), 0);
    // one walker per member
    w.s.lend_tool(&w.master, walker.id, w.elder, day(30), T0)
        .unwrap();
    let e =
        w.s.lend_tool(&w.master, walker.id, w.elder, day(30), T0)
            .unwrap_err();
    assert_eq!(e.msg().key, "tool.one_walker");
    // the last walker, then none left
    w.s.lend_tool(&w.master, walker.id, w.neighbour, day(30), T0)
        .unwrap();
    let third = approved_member(&mut w.s, &w.master, "王大爷", 3, T0 - DAY_MS);
    let e =
        w.s.lend_tool(&w.master, walker.id, third, day(30), T0)
            .unwrap_err();
    assert_eq!(e.msg().key, "tool.none_left");
    // a frozen member borrows nothing
    w.s.set_frozen(&w.master, third, true, "纠纷处理中", T0)
        .unwrap();
    let tool = item(&w.s, LendKind::Tool);
    let e =
        w.s.lend_tool(&w.master, tool.id, third, day(30), T0)
            .unwrap_err();
    assert_eq!(e.msg().key, "tool.member_frozen");
    // nor a blacklisted one (a severe violation)
    let fourth = approved_member(&mut w.s, &w.master, "赵某", 4, T0 - DAY_MS);
    w.s.add_violation(
        &w.master,
        fourth,
        shiguang::store::standing::Severity::Severe,
        "伪造签名",
        T0,
    )
    .unwrap();
    let e =
        w.s.lend_tool(&w.master, tool.id, fourth, day(30), T0)
            .unwrap_err();
    assert_eq!(e.msg().key, "tool.member_blacklisted");
    assert_eq!(loans(&w), 2);
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn overdue_loans_show_in_the_header_and_block_more_borrowing() {
    let mut w = w();
    let tool = item(&w.s, LendKind::Tool);
    let first_aid = item(&w.s, LendKind::FirstAid);
    w.s.lend_tool(&w.master, tool.id, w.neighbour, day(24), T0)
        .unwrap();
    assert_eq!(w.s.header_counts(T0).unwrap().loans_overdue, 0);
    // due the 24th: still fine that day, overdue the 25th
    assert_eq!(w.s.header_counts(T0 + DAY_MS).unwrap().loans_overdue, 0);
    let later = T0 + 2 * DAY_MS;
    let h = w.s.header_counts(later).unwrap();
    assert_eq!(h.loans_overdue, 1);
    assert!(h.overdue >= 1, "counted with the header's overdue");
    let due = w.s.overdue_loans(later).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].member_name, "张小明");
    let e =
        w.s.lend_tool(&w.master, first_aid.id, w.neighbour, day(27), later)
            .unwrap_err();
    assert_eq!(e.msg().key, "tool.member_overdue");
}

#[test]
fn damaged_needs_a_note_and_a_loss_takes_one_off_the_count() {
    let mut w = w();
    let walker = item(&w.s, LendKind::Walker);
    let l =
        w.s.lend_tool(&w.master, walker.id, w.elder, day(30), T0)
            .unwrap();
    let e =
        w.s.return_tool(&w.master, l.id, Condition::Damaged, " ", T0)
            .unwrap_err();
    assert_eq!(field(e), Some("note"));
    assert!(
        w.s.open_loans().unwrap().iter().any(|x| x.id == l.id),
        "nothing saved"
    );
    // lost on loan: the loan closes, the count goes down with the note
    let left =
        w.s.write_off_tool(
            &w.master,
            walker.id,
            Some(l.id),
            Loss::Lost,
            "公交车上丢了",
            T0,
        )
        .unwrap();
    assert_eq!(left, 1);
    let now = item(&w.s, LendKind::Walker);
    assert_eq!((now.count, now.on_loan), (1, 0));
    let e =
        w.s.return_tool(&w.master, l.id, Condition::Good, "", T0)
            .unwrap_err();
    assert_eq!(e.msg().key, "tool.already_back");
    // a loss needs its note; the last one broken takes the item off the list
    let e =
        w.s.write_off_tool(&w.master, walker.id, None, Loss::Broken, "", T0)
            .unwrap_err();
    assert_eq!(field(e), Some("note"));
    let left =
        w.s.write_off_tool(&w.master, walker.id, None, Loss::Broken, "轮子断了", T0)
            .unwrap();
    assert_eq!(left, 0);
    assert!(
        w.s.tool_items(T0)
            .unwrap()
            .iter()
            .all(|i| i.id != walker.id)
    );
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM tool_writeoffs"), 2);
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn every_item_out_is_written_off_on_its_loan() {
    let mut w = w();
    let kit = item(&w.s, LendKind::FirstAid);
    w.s.lend_tool(&w.master, kit.id, w.elder, day(25), T0)
        .unwrap();
    let e =
        w.s.write_off_tool(&w.master, kit.id, None, Loss::Lost, "找不到了", T0)
            .unwrap_err();
    assert_eq!(e.msg().key, "tool.all_out");
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM tool_writeoffs"), 0);
}

/// A loan's due date or a write-off edited outside the app is found by
/// verify: both tables are covered by the audit chain.
#[test]
fn an_edited_loan_is_found_by_verify() {
    let mut w = w();
    let walker = item(&w.s, LendKind::Walker);
    w.s.lend_tool(&w.master, walker.id, w.elder, day(30), T0)
        .unwrap();
    drop(w.s);
    let c = rusqlite::Connection::open(&w.db.path).unwrap();
    c.execute_batch(
        "DROP TRIGGER tool_loans_closed_once;
         UPDATE tool_loans SET due_day = '2027-06-30';",
    )
    .unwrap();
    drop(c);
    let report = store(&w.db.path).verify().unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains("tool_loans")),
        "{report:?}"
    );
}

/// The desk locked itself overnight: the master signs in again.
fn unlock(h: &mut Harness) {
    h.assert_shows("已锁定");
    h.type_str(MASTER_PIN);
    h.press("enter");
}

fn walker_shortage(db: &TestDb) -> i64 {
    count(
        &db.path,
        "SELECT coalesce(sum(r.missing), 0) FROM replenish r JOIN checklist_items c ON c.id = r.item_id
         WHERE c.name_zh = '助行器' AND r.done_at IS NULL",
    )
}

/// Issue 17's done-when, by keys in Chinese at 80×24: a walker is lent
/// (a card scanned at the tool corner) and returned, and the next opening
/// count is right — while it is out the opening expects one walker on the
/// shelf, once back two.
#[test]
fn a_walker_is_lent_and_returned_and_the_next_opening_count_is_right() {
    let db = temp_db();
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    let elder = approved_member(&mut s, &master, "李奶奶", 1, T0 - 30 * DAY_MS);
    let number = card_number(&s, elder);
    drop(s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("0");
    h.press("tab");
    h.assert_shows("工具角");
    h.assert_shows("助行器");
    h.assert_shows("没有借出的物品");
    assert_cjk_clean(&h);
    // the walkers are the last item; the card scanned lends one
    h.press("end");
    h.type_str(&format!("{number}\n"));
    h.assert_shows("借出:助行器");
    h.assert_shows("2026-12-23");
    // a due date in the past is refused at its field, nothing saved
    for _ in 0..10 {
        h.press("backspace");
    }
    h.type_str("2026-11-01");
    h.press("ctrl-s");
    h.assert_shows("归还日期不能早于今天");
    assert_eq!(count(&db.path, "SELECT count(*) FROM tool_loans"), 0);
    for _ in 0..10 {
        h.press("backspace");
    }
    h.type_str("2026-12-23");
    h.press("ctrl-s");
    h.assert_shows("已借给 李奶奶");
    h.assert_shows("借出中(1)");
    h.assert_shows("12-23 到期");
    assert_cjk_clean(&h);

    // the next morning: the opening expects one walker on the shelf
    h.advance(23 * HOUR_MS - 2 * HOUR_MS);
    unlock(&mut h);
    h.press("f2");
    h.assert_shows("助行器 借出1");
    fill_checklist(&mut h); // one walker counted
    h.assert_shows("应在架 1");
    h.press("ctrl-s");
    h.assert_shows("已开站");
    assert_eq!(walker_shortage(&db), 0, "the walker on loan is not missing");
    h.press("esc");

    // it comes back
    h.press("end");
    h.press("b");
    h.assert_shows("归还:助行器(李奶奶)");
    h.press("ctrl-s");
    h.assert_shows("李奶奶 已归还,完好");
    h.assert_shows("没有借出的物品");
    assert_cjk_clean(&h);
    assert_eq!(
        count(
            &db.path,
            "SELECT count(*) FROM tool_loans WHERE outcome = 'good'"
        ),
        1
    );

    // the morning after: both walkers are expected again, one counted is
    // one short
    h.advance(DAY_MS);
    unlock(&mut h);
    h.press("f2");
    h.assert_not_shows("借出1");
    fill_checklist(&mut h);
    h.press("ctrl-s");
    h.assert_shows("已开站");
    assert_eq!(walker_shortage(&db), 1);
    h.advance(MINUTE_MS);
    assert!(store(&db.path).verify().unwrap().problems.is_empty());
}
