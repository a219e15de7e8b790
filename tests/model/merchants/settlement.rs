//! The monthly settlement with the merchants: one request per merchant and
//! month owing a count of services; each match takes one, down to none.

use super::*;
use shiguang::domain::merchant;

/// The settlement rows: (merchant, minutes of the next service, owed,
/// left, minutes left), in the order made.
fn rows(w: &W) -> Vec<(i64, u32, u32, u32, u32)> {
    let st = store(&w.db.path);
    let mut q = st
        .conn()
        .prepare(
            "SELECT merchant_id, minutes, services_owed, services_left, minutes_left FROM requests
             WHERE services_owed IS NOT NULL ORDER BY id",
        )
        .unwrap();
    q.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn settlement_row(w: &W, merchant: i64) -> i64 {
    store(&w.db.path)
        .conn()
        .query_row(
            "SELECT id FROM requests WHERE merchant_id = ?1 AND services_owed IS NOT NULL",
            [merchant],
            |r| r.get(0),
        )
        .unwrap()
}

/// October's redemptions at the supermarket: `n` × 5 yuan.
fn october(w: &mut W, n: usize) {
    let rich = w.rich.clone();
    for i in 0..n {
        let at = T0 - 30 * DAY_MS + i as i64 * HOUR_MS;
        redeem(w, &format!("s{i}"), rich[i % 4], 1, at).unwrap();
    }
}

#[test]
fn the_settlement_turns_last_months_discounts_into_service_requests() {
    let mut w = w(1000_00);
    let rich = w.rich.clone();
    let other =
        w.s.save_merchant(
            &w.master,
            None,
            &shop_input("老王理发店", "01"),
            T0 - 60 * DAY_MS,
        )
        .unwrap()
        .id;
    w.s.save_offer(
        &w.master,
        other,
        None,
        &OfferInput {
            value_fen: 12_50,
            ..offer_input(0, 500_00)
        },
        T0 - 60 * DAY_MS,
    )
    .unwrap();
    let other_offer = w.s.merchant_detail(other, T0).unwrap().offers[0].id;
    let quiet =
        w.s.save_merchant(
            &w.master,
            None,
            &shop_input("仁心大药房", "01"),
            T0 - 60 * DAY_MS,
        )
        .unwrap()
        .id;
    // October: 17 × 5 yuan at the supermarket = 85 yuan → 8.5 h = 510 minutes;
    // 2 × 12.50 at the barber = 25 yuan → 2.5 h = 150 minutes
    let oct = T0 - 30 * DAY_MS;
    for i in 0..17 {
        redeem(
            &mut w,
            &format!("s{i}"),
            rich[i % 4],
            1,
            oct + i as i64 * HOUR_MS,
        )
        .unwrap();
    }
    for i in 0..2 {
        let r = Redemption {
            uid: format!("b{i}"),
            member_id: w.rich[i],
            offer_id: other_offer,
            count: 1,
            redeemed_at: oct + i as i64 * HOUR_MS,
        };
        w.s.redeem(&w.master, &r, oct + i as i64 * HOUR_MS).unwrap();
    }
    // November's redemptions belong to next month's settlement
    redeem(&mut w, "nov", rich[0], 1, T0).unwrap();
    let tr = Tr::new(Lang::Zh);
    let s = settle_month(&mut w.s, &w.master, T0 + HOUR_MS, &tr).unwrap();
    assert_eq!(s.month, "2026-10");
    assert!(!s.already);
    let lines: Vec<(i64, u32, i64, i64, u32, u32)> = s
        .lines
        .iter()
        .map(|l| {
            (
                l.merchant_id,
                l.redemptions,
                l.points,
                l.discounts_fen,
                l.minutes_owed,
                l.requests,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (w.shop, 17, 170, 85_00, 510, 5),
            (other, 2, 20, 25_00, 150, 2)
        ]
    );
    assert!(!lines.iter().any(|l| l.0 == quiet));
    // one row per merchant and month, owing its services
    assert_eq!(
        rows(&w),
        [(w.shop, 120, 5, 5, 510), (other, 120, 2, 2, 150)]
    );
    let file = s.file.clone().unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("惠民超市") && text.contains("| 85 |") && text.contains("8.5"),
        "{text}"
    );
    // once a month: the second run is the stored one, and makes nothing new
    let again = settle_month(&mut w.s, &w.master, T0 + 2 * HOUR_MS, &tr).unwrap();
    assert!(again.already);
    assert_eq!(again.lines, s.lines);
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM requests"), 2);

    // a member serves the supermarket: its points pay the helper
    let row = settlement_row(&w, w.shop);
    let helper = w.rich[3];
    let (_, helpers) = w.s.helpers(row, T0 + 2 * HOUR_MS).unwrap();
    assert!(
        helpers.iter().any(|h| h.candidate.member_id == helper),
        "any approved member may serve a merchant"
    );
    // the match takes one service: a request of its own, matched
    let taken =
        w.s.log_contact(
            &w.master,
            row,
            helper,
            Outcome::Accepted,
            "",
            T0 + 2 * HOUR_MS,
        )
        .unwrap();
    assert_eq!(
        (taken.state, taken.helper_id, taken.parent_id),
        (State::Matched, Some(helper), Some(row))
    );
    assert_eq!(taken.minutes, 120);
    // no words kept: the desk words the service from the facts
    assert_eq!(taken.description, "");
    assert_eq!(taken.what(&tr), "为惠民超市服务(结算 2026-10,第 1/5 次)");
    let req = taken.id;
    let before = w.s.balance_of_member(helper).unwrap();
    let service = MerchantService {
        uid: "ms1".into(),
        request_id: req,
        started_at: T0 + 3 * HOUR_MS,
        ended_at: T0 + 3 * HOUR_MS + 30 * MINUTE_MS,
        minutes: 30,
        confirmed_by: "刘小燕".into(),
    };
    let bad = MerchantService {
        confirmed_by: " ".into(),
        ..service.clone()
    };
    assert_eq!(
        keys(
            w.s.post_merchant_service(&w.master, &bad, T0 + 4 * HOUR_MS)
                .unwrap_err()
        ),
        ["merchant_service.confirmer_required"]
    );
    w.s.post_merchant_service(&w.master, &service, T0 + 4 * HOUR_MS)
        .unwrap();
    w.s.post_merchant_service(&w.master, &service, T0 + 4 * HOUR_MS)
        .unwrap();
    assert_eq!(w.s.balance_of_member(helper).unwrap(), before + 10);
    assert_eq!(
        shiguang::store::queue::request(w.s.conn(), req)
            .unwrap()
            .state,
        State::Done
    );
    assert_eq!(
        w.s.merchant_detail(w.shop, T0 + 5 * HOUR_MS)
            .unwrap()
            .merchant
            .points,
        180 - 10
    );
    let report = w.s.verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn matching_takes_the_services_one_by_one_down_to_none() {
    let mut w = w(1000_00);
    // 5 × 5 yuan = 25 yuan → 150 minutes → two services: 120 and 30
    october(&mut w, 5);
    let tr = Tr::new(Lang::Zh);
    settle_month(&mut w.s, &w.master, T0 + HOUR_MS, &tr).unwrap();
    let row = settlement_row(&w, w.shop);
    assert_eq!(rows(&w), [(w.shop, 120, 2, 2, 150)]);
    let at = T0 + 2 * HOUR_MS;
    let first =
        w.s.log_contact(&w.master, row, w.rich[0], Outcome::Accepted, "", at)
            .unwrap();
    assert_eq!((first.minutes, first.parent_id), (120, Some(row)));
    // the row stays in the queue with one service left, its next one 30 minutes
    let parent = w.s.request(row).unwrap();
    assert_eq!(parent.state, State::New);
    assert_eq!(
        parent.services.map(|s| (s.owed, s.left, s.minutes_left)),
        Some((2, 1, 30))
    );
    assert_eq!(parent.minutes, 30);
    assert!(
        w.s.queue(T0)
            .unwrap()
            .iter()
            .any(|r| r.id == row && r.state.is_open())
    );
    let second =
        w.s.log_contact(&w.master, row, w.rich[1], Outcome::Accepted, "", at + 1)
            .unwrap();
    assert_eq!(second.minutes, 30);
    assert_eq!(second.description, "");
    assert!(
        second.what(&tr).contains("第 2/2 次"),
        "{}",
        second.what(&tr)
    );
    // none left: the row is done, and a third match is refused
    let parent = w.s.request(row).unwrap();
    assert_eq!(parent.state, State::Done);
    assert_eq!(parent.services.map(|s| s.left), Some(0));
    let third =
        w.s.log_contact(&w.master, row, w.rich[2], Outcome::Accepted, "", at + 2);
    assert_eq!(keys(third.unwrap_err()), ["request.closed"]);
    // a taken service whose match is cancelled goes back to the row
    w.s.move_request(
        &w.master,
        first.id,
        State::Cancelled,
        Some("帮手病了"),
        at + 3,
    )
    .unwrap();
    let parent = w.s.request(row).unwrap();
    assert_eq!(parent.state, State::New);
    assert_eq!(
        parent.services.map(|s| (s.left, s.minutes_left)),
        Some((1, 120))
    );
    assert_eq!(parent.minutes, 120);
    // the close carries the one row over, with what it still owes
    let carry: Vec<_> =
        w.s.carry_over()
            .unwrap()
            .into_iter()
            .filter(|c| c.settles.is_some() && c.who == "惠民超市")
            .map(|c| (c.id, c.amount))
            .collect();
    assert_eq!(carry, [(row, 1), (second.id, 0)]);
    let report = w.s.verify().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn the_same_month_settles_once_and_its_counts_match_the_figures() {
    let mut w = w(1000_00);
    // 13 × 5 yuan = 65 yuan → 390 minutes → 4 services
    october(&mut w, 13);
    let tr = Tr::new(Lang::Zh);
    let s = settle_month(&mut w.s, &w.master, T0 + HOUR_MS, &tr).unwrap();
    let owed = merchant::minutes_owed(65_00, 10);
    assert_eq!(owed, 390);
    assert_eq!(s.lines[0].requests, merchant::services_owed(owed, 120));
    assert_eq!(rows(&w), [(w.shop, 120, 4, 4, 390)]);
    // again in the same month, and on the month's last day: nothing new
    for at in [T0 + 2 * HOUR_MS, T0 + 6 * DAY_MS] {
        let again = settle_month(&mut w.s, &w.master, at, &tr).unwrap();
        assert!(again.already);
        assert_eq!(again.lines, s.lines);
        assert_eq!(rows(&w), [(w.shop, 120, 4, 4, 390)]);
    }
    assert_eq!(count(&w.db.path, "SELECT count(*) FROM requests"), 1);
    // a second row for the same merchant and month is refused by the file
    let dup = store(&w.db.path).conn().execute(
        "INSERT INTO requests (uid, merchant_id, type_id, description, place, window_start, window_end, minutes,
            channel, payer, state, created_at, updated_at, settles, services_owed, services_left, minutes_left)
         SELECT 'dup', merchant_id, type_id, description, place, window_start, window_end, minutes,
            channel, payer, state, created_at, updated_at, settles, services_owed, services_left, minutes_left
         FROM requests",
        [],
    );
    assert!(dup.is_err());
}

/// The store keeps no words for a settlement (issue 18): its row's
/// description is empty, and the queue's row carries the facts the desk
/// words in its own language, the month's discount read with it.
#[test]
fn a_settlement_row_keeps_facts_and_the_queue_words_them() {
    let mut w = w(1000_00);
    // 5 × 5 yuan = 25 yuan → 150 minutes → two services
    october(&mut w, 5);
    let zh = Tr::new(Lang::Zh);
    settle_month(&mut w.s, &w.master, T0 + HOUR_MS, &zh).unwrap();
    let row = settlement_row(&w, w.shop);
    let stored: String = store(&w.db.path)
        .conn()
        .query_row(
            "SELECT description FROM requests WHERE id = ?1",
            [row],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !stored
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{stored}"
    );
    assert_eq!(stored, "");
    let listed = w.s.queue(T0).unwrap();
    let q = listed.iter().find(|r| r.id == row).unwrap();
    assert_eq!(
        q.settles
            .as_ref()
            .map(|s| (s.month.as_str(), s.owed, s.discounts_fen, s.service_no)),
        Some(("2026-10", 2, 25_00, None))
    );
    assert_eq!(
        q.what(&zh),
        "为惠民超市服务(结算 2026-10,共 2 次,上月让利 25 元)"
    );
    assert_eq!(
        q.what(&Tr::new(Lang::En)),
        "Service for 惠民超市 (settlement 2026-10, 2 in all, last month's discounts ¥25)"
    );
    // F10's carry-over list words it from the same facts
    let carry = w.s.carry_over().unwrap();
    let c = carry.iter().find(|c| c.id == row).unwrap();
    assert_eq!(c.what, "");
    assert_eq!(
        c.settles.as_ref().map(|s| s.words(&zh, &c.who)),
        Some(q.what(&zh))
    );
}
