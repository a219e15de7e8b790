//! The merchants pane driven through a recording outlet: no store, no App.

use super::*;
use crate::app::cx::Ask;
use crate::app::cx::testing::{Desk, call};
use crate::domain::merchant::{Grade, Kind, Status};
use crate::domain::staff::Role;
use crate::harness::T0;
use crate::msg::Refusal;
use crate::store::StoreError;
use crate::store::merchants::{OfferInput, OfferRow, PriceCheck, PriceCheckRow};
use crate::store::redemptions::SettlementLine;
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn merchant(id: i64) -> MerchantRow {
    MerchantRow {
        id,
        code: format!("JS01-M{id:02}"),
        name: "惠民超市".into(),
        kind: Kind::Other,
        address: "金山路 1 号".into(),
        distance_m: 300,
        contact_name: "王经理".into(),
        contact_phone: "13761234567".into(),
        redeemer: "王小明".into(),
        community: "01".into(),
        agreement_from: day("2026-01-01"),
        agreement_to: day("2027-12-31"),
        status: Status::Active,
        status_reason: None,
        paused_until: None,
        deposit_fen: 1000_00,
        rating_sum: 0,
        rating_count: 0,
        grade: Grade::Unrated,
        points: 0,
        open_violations: 0,
        flagged_prices: 0,
        awaiting_check: 0,
    }
}

/// An offer of merchant `m`, valid for all of 2026 (withdrawn if so).
fn offer(id: i64, m: i64, withdrawn: bool) -> OfferRow {
    OfferRow {
        id,
        merchant_id: m,
        offer: OfferInput {
            text: "20积分抵10元".into(),
            points: 20,
            value_fen: 10_00,
            valid_from: day("2026-01-01"),
            valid_to: day("2026-12-31"),
            monthly_cap_fen: 500_00,
            not_combined: false,
            note: None,
        },
        withdrawn_at: withdrawn.then_some(T0),
        used_fen: 0,
    }
}

fn detail(m: i64, offers: Vec<OfferRow>) -> MerchantDetail {
    MerchantDetail {
        merchant: merchant(m),
        offers,
        redemptions: Vec::new(),
        prices: Vec::new(),
        violations: Vec::new(),
        deposit: Vec::new(),
        medals: Vec::new(),
    }
}

/// The pane with merchants 1 and 2, merchant 1 in front with `offers`.
fn showing(offers: Vec<OfferRow>) -> MerchantsPane {
    let mut p = MerchantsPane::default();
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Listed(Ok(vec![merchant(1), merchant(2)])), cx);
        p.update(MerchantsMsg::Detail(Ok(detail(1, offers))), cx);
    });
    p
}

fn liaison() -> Desk {
    let mut desk = Desk::default();
    desk.session.role = Role::Liaison;
    desk
}

#[test]
fn entering_reads_the_registry_and_the_registry_reads_the_merchant_selected() {
    let mut p = MerchantsPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| p.entered(cx));
    assert_eq!(
        out.jobs,
        [("ListMerchants".to_string(), Some("merchants.list"))]
    );
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Listed(Ok(vec![merchant(1)])), cx)
    });
    assert_eq!(
        out.jobs,
        [("ReadMerchant".to_string(), Some("merchants.detail"))]
    );
}

#[test]
fn up_and_down_walk_the_offers_first_then_the_merchants() {
    let mut p = showing(vec![offer(1, 1, false), offer(2, 1, false)]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Down, cx);
    });
    assert_eq!((p.sel, p.offer_sel), (0, 1));
    assert!(out.jobs.is_empty());
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Down, cx);
    });
    assert_eq!((p.sel, p.offer_sel), (1, 0), "past the last offer");
    assert_eq!(out.job_names(), ["ReadMerchant"]);
    assert!(p.detail().is_none(), "merchant 2 is not read yet");
}

#[test]
fn with_no_merchant_a_command_on_one_says_so_and_a_new_one_needs_none() {
    let mut p = MerchantsPane::default();
    let out = call(&mut p, &Desk::default(), |p, cx| {
        assert!(p.command(Command::Rate, cx));
        assert!(p.command(Command::New, cx));
    });
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Info, msg!("merchant.none"))]
    );
    let kind = p.form.as_ref().map(|f| f.kind.clone());
    assert_eq!(kind, Some(MerchantFormKind::Merchant { id: 0 }));
    assert_eq!(p.form.as_ref().unwrap().form.value("community"), "01");
}

#[test]
fn a_redemption_needs_a_current_offer_and_withdrawing_one_not_yet_withdrawn() {
    let mut p = showing(vec![offer(4, 1, true)]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Redeem, cx);
        p.command(Command::WithdrawOffer, cx);
    });
    assert!(p.form.is_none());
    assert!(out.jobs.is_empty());
    assert_eq!(
        out.asks,
        [
            Ask::Notify(NoticeKind::Error, msg!("redeem.no_offers")),
            Ask::Notify(NoticeKind::Info, msg!("offer.choose")),
        ]
    );
    let mut p = showing(vec![offer(5, 1, false)]);
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::WithdrawOffer, cx);
        p.command(Command::Redeem, cx);
    });
    assert_eq!(out.job_names(), ["WithdrawOffer"]);
    let Some(MerchantFormKind::Redeem { uid }) = p.form.as_ref().map(|f| f.kind.clone()) else {
        panic!("the redemption form");
    };
    assert!(!uid.is_empty(), "fixed when the form opened");
}

#[test]
fn the_status_the_deposit_and_the_settlement_are_the_station_masters() {
    let mut p = showing(Vec::new());
    let out = call(&mut p, &liaison(), |p, cx| {
        p.command(Command::MerchantStatus, cx);
        p.command(Command::Deposit, cx);
        p.command(Command::Settle, cx);
    });
    assert!(p.form.is_none());
    let refused = Ask::Notify(NoticeKind::Error, msg!("staff.master_only"));
    assert_eq!(out.asks, [refused.clone(), refused.clone(), refused]);
}

#[test]
fn the_settlement_is_asked_first_and_run_on_yes() {
    let mut p = showing(Vec::new());
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Settle, cx);
    });
    // T0 is in November 2026: the month to settle is October
    assert_eq!(
        out.asks,
        [Ask::Confirm {
            text: msg!("settle.confirm", month = "2026-10"),
            on_yes: MerchantsMsg::Settle
        }]
    );
    assert!(out.jobs.is_empty(), "nothing runs before yes");
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Settle, cx)
    });
    assert_eq!(out.job_names(), ["SettleMonth"]);
    let s = Settlement {
        month: "2026-10".into(),
        at: T0,
        lines: vec![SettlementLine {
            merchant_id: 1,
            merchant: "惠民超市".into(),
            redemptions: 2,
            points: 40,
            discounts_fen: 20_00,
            minutes_owed: 30,
            requests: 1,
        }],
        file: None,
        already: false,
    };
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Settled(Ok(s)), cx)
    });
    let done = msg!("settle.done", month = "2026-10", n = 1, requests = 1);
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Ok, done), Ask::RefreshHeader]
    );
    assert!(p.settlement.is_some());
}

#[test]
fn a_new_merchant_saved_drops_its_draft_says_its_code_and_stays_in_front() {
    let mut p = showing(Vec::new());
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::New, cx);
    });
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Changed(Ok(detail(3, Vec::new()))), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(
        out.asks,
        [
            Ask::DropDraft("merchants.new"),
            Ask::Notify(NoticeKind::Ok, msg!("merchant.added", code = "JS01-M03")),
        ]
    );
    assert_eq!(out.job_names(), ["ListMerchants"]);
    let rows = vec![merchant(1), merchant(2), merchant(3)];
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Listed(Ok(rows)), cx)
    });
    assert_eq!(p.selected().map(|m| m.id), Some(3));
}

#[test]
fn a_price_over_the_rule_is_saved_and_said_as_a_warning() {
    let mut p = showing(Vec::new());
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::PriceCheck, cx);
    });
    assert_eq!(p.form.as_ref().unwrap().form.value("checked_by"), "王秀英");
    let mut d = detail(1, Vec::new());
    d.prices.push(PriceCheckRow {
        check: PriceCheck {
            item: "食用油".into(),
            purchase_fen: 100_00,
            member_fen: 120_00,
            invoice_ref: "INV-1".into(),
            checked_by: "王秀英".into(),
        },
        over_rule: true,
        at: T0,
    });
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Changed(Ok(d)), cx)
    });
    assert_eq!(
        out.asks,
        [Ask::Notify(NoticeKind::Error, msg!("price.over_rule"))]
    );
}

#[test]
fn a_form_refused_by_the_store_shows_it_at_the_field_and_an_import_lands_on_its_report() {
    let mut p = showing(Vec::new());
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Import, cx);
        p.form.as_mut().unwrap().form.set("file", "/no/such.csv");
        p.submit(cx);
    });
    assert_eq!(out.job_names(), ["ImportRedemptions"]);
    let unreadable = msg!("import.unreadable", path = "/no/such.csv", why = "gone");
    let refused = StoreError::Refused(Refusal::at("file", unreadable));
    call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Imported(Err(refused)), cx)
    });
    let f = &p.form.as_ref().expect("still open").form;
    assert_eq!(f.busy, None);
    assert_eq!(
        f.get("file").and_then(|x| x.error.as_ref()).map(|m| m.key),
        Some("import.unreadable")
    );
    let report = ImportReport {
        bad: vec![(3, msg!("import.columns"))],
        ..ImportReport::default()
    };
    let out = call(&mut p, &Desk::default(), |p, cx| {
        p.update(MerchantsMsg::Imported(Ok(report)), cx)
    });
    assert!(p.form.is_none());
    assert_eq!(p.view, View::Redemptions, "the report shows there");
    assert_eq!(
        out.asks,
        [Ask::Notify(
            NoticeKind::Error,
            msg!("import.nothing_posted", n = 1)
        )]
    );
}

#[test]
fn with_the_merchant_gone_from_the_list_its_form_sends_nothing() {
    let mut p = showing(Vec::new());
    call(&mut p, &Desk::default(), |p, cx| {
        p.command(Command::Violation, cx);
        p.form.as_mut().unwrap().form.set("reason", "缺斤少两");
        p.update(MerchantsMsg::Listed(Ok(Vec::new())), cx);
    });
    let out = call(&mut p, &Desk::default(), |p, cx| p.submit(cx));
    assert!(out.jobs.is_empty() && out.asks.is_empty());
    assert_eq!(p.form.as_ref().and_then(|f| f.form.busy), None);
}

#[test]
fn enter_to_change_an_offer_is_in_help_where_it_works() {
    let mut p = MerchantsPane::default();
    assert!(p.available(Command::Select), "offers: Enter changes one");
    p.view = View::Redemptions;
    assert!(!p.available(Command::Select));
}
