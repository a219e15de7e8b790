//! The fund (共管账户) and the weekly notice board on a real file: income,
//! an expense signed by three different staff members before it is
//! posted, the balance that never goes below zero, a merchant's deposit
//! deduction landing in the fund, a tampered row found by verify, and the
//! done-when of issue 17 by keys in Chinese at 80×24.

use crate::common;
use common::*;
use shiguang::domain::fund::Kind;
use shiguang::domain::merchant::Kind as ShopKind;
use shiguang::domain::staff::{Role, Session};
use shiguang::domain::time::{DAY_MS, HOUR_MS, MINUTE_MS};
use shiguang::domain::violation::Severity;
use shiguang::harness::{Harness, T0};
use shiguang::i18n::Lang;
use shiguang::store::fund::{ExpenseInput, IncomeInput};
use shiguang::store::merchants::MerchantInput;
use shiguang::store::{Store, StoreError};

struct W {
    db: TestDb,
    s: Store,
    master: Session,
    member: i64,
}

/// A station with its master (001), two liaisons (002, 003: PIN 3917 and
/// 6053) and a member.
fn w() -> W {
    let db = temp_db();
    let master = init_station(&db.path);
    let mut s = store(&db.path);
    for (name, pin) in [("李明", "3917"), ("赵强", "6053")] {
        s.add_staff(&master, name, Role::Liaison, pin, T0 - 100 * DAY_MS)
            .unwrap();
    }
    let member = approved_member(&mut s, &master, "张秀英", 1, T0 - 30 * DAY_MS);
    W {
        db,
        s,
        master,
        member,
    }
}

fn refused_at(e: StoreError) -> Vec<&'static str> {
    e.refusals().iter().filter_map(|r| r.field).collect()
}

fn fee(w: &mut W, fen: i64) {
    let input = IncomeInput {
        kind: Kind::Fee,
        amount_fen: fen,
        party: String::new(),
        purpose: "2026 年会员年费".into(),
        member_id: Some(w.member),
    };
    w.s.fund_income(&w.master, &input, T0).unwrap();
}

fn eggs(fen: i64) -> ExpenseInput {
    ExpenseInput {
        kind: Kind::TrustGift,
        amount_fen: fen,
        party: "华联超市".into(),
        purpose: "信任榜鸡蛋".into(),
        activity_id: None,
    }
}

#[test]
fn an_expense_is_posted_at_its_third_different_signature() {
    let mut w = w();
    fee(&mut w, 10_000);
    let e = w.s.propose_expense(&w.master, &eggs(3_250), T0).unwrap();
    assert_eq!(e.signatures.len(), 1, "the proposer signs first");
    // the same person again is refused, nothing written
    let again = w.s.sign_expense(&w.master, e.id, "001", MASTER_PIN, T0);
    assert_eq!(refused_at(again.unwrap_err()), vec!["staff_no"]);
    // a wrong PIN is refused at the PIN
    let wrong = w.s.sign_expense(&w.master, e.id, "002", "0000", T0);
    assert_eq!(refused_at(wrong.unwrap_err()), vec!["pin"]);
    let second =
        w.s.sign_expense(&w.master, e.id, "002", "3917", T0 + MINUTE_MS)
            .unwrap();
    assert!(second.posted.is_none());
    assert_eq!(
        w.s.fund_view(10).unwrap().balance_fen,
        10_000,
        "not posted at two"
    );
    assert_eq!(w.s.pending_expenses().unwrap().len(), 1);
    let third =
        w.s.sign_expense(&w.master, e.id, "003", "6053", T0 + 2 * MINUTE_MS)
            .unwrap();
    let row = third.posted.expect("posted at three");
    assert_eq!((row.amount_fen, row.balance_fen), (-3_250, 6_750));
    assert_eq!(row.signers, vec!["王秀英", "李明", "赵强"]);
    assert!(w.s.pending_expenses().unwrap().is_empty());
    // signed once posted: refused
    let late =
        w.s.sign_expense(&w.master, e.id, "002", "3917", T0 + 3 * MINUTE_MS);
    assert!(late.is_err());
    assert!(w.s.verify().unwrap().problems.is_empty());
}

#[test]
fn the_balance_never_goes_below_zero_and_bad_input_saves_nothing() {
    let mut w = w();
    fee(&mut w, 5_000);
    let over = w.s.propose_expense(&w.master, &eggs(5_001), T0);
    assert_eq!(refused_at(over.unwrap_err()), vec!["amount"]);
    let mut no_party = eggs(100);
    no_party.party = " ".into();
    assert_eq!(
        refused_at(w.s.propose_expense(&w.master, &no_party, T0).unwrap_err()),
        vec!["party"]
    );
    let no_member = IncomeInput {
        kind: Kind::Fee,
        amount_fen: 100,
        party: String::new(),
        purpose: "年费".into(),
        member_id: None,
    };
    assert_eq!(
        refused_at(w.s.fund_income(&w.master, &no_member, T0).unwrap_err()),
        vec!["member"]
    );
    let typed_deduction = IncomeInput {
        kind: Kind::Deduction,
        party: "某店".into(),
        ..no_member
    };
    assert_eq!(
        refused_at(
            w.s.fund_income(&w.master, &typed_deduction, T0)
                .unwrap_err()
        ),
        vec!["kind"]
    );
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM fund_entries"), 1);
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM fund_expenses"), 0);
    // two expenses each within the balance, together over it: the second
    // to be completed is refused at posting
    let a = w.s.propose_expense(&w.master, &eggs(3_000), T0).unwrap();
    let b = w.s.propose_expense(&w.master, &eggs(3_000), T0).unwrap();
    for id in [a.id, b.id] {
        w.s.sign_expense(&w.master, id, "002", "3917", T0).unwrap();
    }
    w.s.sign_expense(&w.master, a.id, "003", "6053", T0)
        .unwrap();
    let too_much = w.s.sign_expense(&w.master, b.id, "003", "6053", T0);
    assert_eq!(refused_at(too_much.unwrap_err()), vec!["amount"]);
    assert_eq!(w.s.fund_view(10).unwrap().balance_fen, 2_000);
    assert_eq!(w.s.pending_expenses().unwrap().len(), 1);
}

#[test]
fn a_merchant_deposit_deduction_lands_in_the_fund() {
    let mut w = w();
    let m =
        w.s.save_merchant(
            &w.master,
            None,
            &MerchantInput {
                name: "老王理发".into(),
                kind: ShopKind::Supermarket,
                address: "金山路 18 号".into(),
                distance_m: 300,
                contact_name: "王老板".into(),
                contact_phone: "13761234567".into(),
                redeemer: "王小燕".into(),
                community: "01".into(),
                agreement_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                agreement_to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            },
            T0 - DAY_MS,
        )
        .unwrap();
    w.s.merchant_deposit(&w.master, m.id, false, 50_000, "入驻保证金", T0 - DAY_MS)
        .unwrap();
    w.s.merchant_violation(
        &w.master,
        m.id,
        Severity::Moderate,
        "会员价高于进货价 5% 以上",
        T0,
    )
    .unwrap();
    let v = w.s.fund_view(10).unwrap();
    assert_eq!(v.balance_fen, 20_000, "the handbook's 200 yuan");
    assert_eq!(v.entries[0].kind, Kind::Deduction);
    assert_eq!(v.entries[0].party, "老王理发");
    assert!(w.s.verify().unwrap().problems.is_empty());
    let board =
        w.s.notice_board(shiguang::domain::time::local_day(T0, w.s.tz()))
            .unwrap();
    assert_eq!(board.closing_fen, 20_000);
    assert_eq!(board.deposits.len(), 1, "the deduction of the week");
    assert_eq!(board.violations.len(), 1);
}

#[test]
fn a_tampered_fund_row_is_found_by_verify() {
    let mut w = w();
    fee(&mut w, 10_000);
    let e = w.s.propose_expense(&w.master, &eggs(3_250), T0).unwrap();
    w.s.sign_expense(&w.master, e.id, "002", "3917", T0)
        .unwrap();
    w.s.sign_expense(&w.master, e.id, "003", "6053", T0)
        .unwrap();
    assert!(w.s.verify().unwrap().problems.is_empty());
    drop(w.s);
    // as an attacker would: the guard dropped, the expense made smaller
    let c = rusqlite::Connection::open(&w.db.path).unwrap();
    c.execute_batch(
        "DROP TRIGGER fund_entries_no_update;
         UPDATE fund_entries SET amount_fen = -250, balance_fen = 9750 WHERE seq = 2;",
    )
    .unwrap();
    drop(c);
    let problems = store(&w.db.path).verify().unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|p| p.contains("fund seq 2: hash does not match")),
        "{problems:?}"
    );
    // a signature removed is found too
    let c = rusqlite::Connection::open(&w.db.path).unwrap();
    c.execute_batch(
        "DROP TRIGGER fund_signatures_no_delete;
         DELETE FROM fund_signatures WHERE staff_id = (SELECT id FROM staff WHERE staff_no = '003');",
    )
    .unwrap();
    drop(c);
    let problems = store(&w.db.path).verify().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.contains("without 3 signatures")),
        "{problems:?}"
    );
}

/// Issue 17's done-when: a fee and a 3-signature expense show on the
/// week's notice board with the right balance, all by keys.
#[test]
fn by_keys_a_fee_and_a_3_signature_expense_show_on_the_weeks_notice_board() {
    let w = w();
    let (db, master) = (w.db, w.master);
    drop(w.s);
    let mut h = Harness::signed_in(&db.path, T0, Lang::Zh, master);
    h.resize(80, 24);
    h.press("0");
    // activities → tool corner → fund
    h.press("tab");
    h.press("tab");
    h.assert_shows("基金结余 0 元");
    h.assert_shows("还没有流水");
    assert_cjk_clean(&h);
    // a fee: a bad amount refused at its field, nothing saved
    h.press("i");
    h.assert_shows("记收入");
    h.press("tab");
    h.type_str("12.345");
    h.press("ctrl-s");
    h.assert_shows("金额不对");
    assert_eq!(count(&db.path, "SELECT count(*) FROM fund_entries"), 0);
    for _ in 0..6 {
        h.press("backspace");
    }
    h.type_str("100");
    h.press("tab");
    h.type_str("张秀英");
    // the suggestion picked with Enter; the payer is the member
    h.press("enter");
    h.assert_shows("JS01-0001 张秀英");
    h.press("tab");
    h.type_str("2026 年会员年费");
    h.press("ctrl-s");
    h.assert_shows("已记收入 100 元,结余 100 元");
    h.assert_shows("基金结余 100 元");
    // an expense over the balance: refused at the amount
    h.press("x");
    h.assert_shows("提支出");
    h.press("right");
    h.press("tab");
    h.type_str("150");
    h.press("tab");
    h.type_str("华联超市");
    h.press("tab");
    h.type_str("信任榜鸡蛋");
    h.press("ctrl-s");
    h.assert_shows("只剩 100 元");
    assert_eq!(count(&db.path, "SELECT count(*) FROM fund_expenses"), 0);
    h.press("shift-tab");
    h.press("shift-tab");
    for _ in 0..3 {
        h.press("backspace");
    }
    h.type_str("32.50");
    h.press("ctrl-s");
    h.assert_shows("签字 1/3");
    h.assert_shows("王秀英");
    // the proposer again: refused; then 002 and 003 with their PINs
    h.press("s");
    h.assert_shows("签字(本人工号 + PIN)");
    h.type_str("001");
    h.press("tab");
    h.type_str(MASTER_PIN);
    h.press("ctrl-s");
    h.assert_shows("此人已签过字");
    assert_eq!(count(&db.path, "SELECT count(*) FROM fund_signatures"), 1);
    h.press("esc");
    h.press("y");
    for (no, pin) in [("002", "3917"), ("003", "6053")] {
        h.press("s");
        h.type_str(no);
        h.press("tab");
        h.type_str(pin);
        h.press("ctrl-s");
    }
    h.assert_shows("支出 32.50 元已入账,结余 67.50 元");
    h.assert_shows("没有待签的支出");
    assert_cjk_clean(&h);
    // the week's notice board: saved and shown
    h.press("b");
    h.assert_shows("notice-board-");
    h.assert_shows("信任公示栏");
    assert_cjk_clean(&h);
    h.press("pagedown");
    h.assert_shows("信任榜");
    assert_cjk_clean(&h);
    let dir = db.path.parent().unwrap().join("exports");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("notice-board-"))
        .expect("the board's file");
    let html = std::fs::read_to_string(file).unwrap();
    for want in [
        "信任公示栏",
        "会员年费",
        "100 元",
        "信任榜礼品",
        "32.50 元",
        "67.50 元",
        "王秀英、李明、赵强",
        "华联超市",
        "张**",
    ] {
        assert!(html.contains(want), "missing {want}");
    }
    // a fee payer is masked in the fund's rows (the trust list names its members)
    assert!(html.contains("<td>张**</td>"), "{html}");
    assert!(!html.contains(&id_number(1)) && !html.contains("JS01-0001"));
    h.advance(HOUR_MS);
    assert!(store(&db.path).verify().unwrap().problems.is_empty());
}

/// Every week: Sunday's close (F10) makes the week's notice board by itself
/// and says where it is.
#[test]
fn sundays_close_makes_the_weeks_notice_board() {
    let mut w = w();
    fee(&mut w, 5_000);
    let (db, master) = (w.db, w.master);
    drop(w.s);
    // T0 is a Monday: the day before is Sunday 2026-11-22
    let mut h = Harness::signed_in(&db.path, T0 - DAY_MS, Lang::Zh, master);
    h.resize(80, 24);
    h.press("f2");
    fill_checklist(&mut h);
    h.press("ctrl-s");
    h.press("esc");
    h.press("f10");
    h.assert_shows("闭站 · 2026-11-22");
    h.type_str("张师傅帮邻居修好了水管");
    h.press("ctrl-s");
    // the story kept, the documents' tick asked for: ticked
    h.press("space");
    h.press("ctrl-s");
    h.press("enter");
    h.assert_shows("本周信任公示栏已存为");
    let file = db
        .path
        .parent()
        .unwrap()
        .join("exports")
        .join("notice-board-2026-11-16.html");
    let html = std::fs::read_to_string(&file).expect("the week's board");
    assert!(html.contains("信任公示栏 2026-11-16 至 2026-11-22"));
    assert!(html.contains("张师傅帮邻居修好了水管"), "the story wall");
}
