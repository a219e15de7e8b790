//! The demo's merchants: four shops with offers, deposits, ratings, price
//! checks (one over the rule), a minor violation to put right, redemptions
//! last month and this, and last month's settlement with its requests.

use crate::domain::merchant::Kind;
use crate::domain::staff::Session;
use crate::domain::time::{self, DAY_MS, HOUR_MS, Stamp};
use crate::domain::violation::Severity;
use crate::store::merchants::{MerchantInput, OfferInput, PriceCheck};
use crate::store::redemptions::Redemption;
use crate::store::{Store, StoreError};
use chrono::NaiveDate;

struct Shop {
    name: &'static str,
    kind: Kind,
    address: &'static str,
    distance_m: u32,
    contact: (&'static str, &'static str),
    redeemer: &'static str,
    offers: &'static [(&'static str, i64, i64, i64)],
    deposit: i64,
    stars: &'static [u8],
}

const SHOPS: [Shop; 4] = [
    Shop {
        name: "惠民超市",
        kind: Kind::Supermarket,
        address: "金山路 18 号",
        distance_m: 300,
        contact: ("刘老板", "13761234567"),
        redeemer: "刘小燕",
        offers: &[
            ("10积分抵5元,无门槛", 10, 5_00, 1000_00),
            ("米面油满50元减10元", 20, 10_00, 500_00),
        ],
        deposit: 2000_00,
        stars: &[5, 5, 4, 5, 5, 4, 5],
    },
    Shop {
        name: "老王理发店",
        kind: Kind::Barber,
        address: "金山路 42 号",
        distance_m: 450,
        contact: ("王师傅", "13917654321"),
        redeemer: "王师傅",
        offers: &[("20积分理发减10元", 20, 10_00, 300_00)],
        deposit: 1000_00,
        stars: &[5, 4, 4, 5, 3, 4],
    },
    Shop {
        name: "仁心大药房",
        kind: Kind::Pharmacy,
        address: "枫林街 7 号",
        distance_m: 800,
        contact: ("赵药师", "13611112222"),
        redeemer: "赵药师",
        offers: &[("免费测血压+10积分抵5元", 10, 5_00, 400_00)],
        deposit: 1500_00,
        stars: &[4, 3, 3, 4, 2],
    },
    Shop {
        name: "巧手家政",
        kind: Kind::Housekeeping,
        address: "金山苑 3 栋底商",
        distance_m: 200,
        contact: ("孙经理", "13500001111"),
        redeemer: "孙经理",
        offers: &[("30积分抵15元保洁", 30, 15_00, 600_00)],
        deposit: 1000_00,
        stars: &[5, 5],
    },
];

/// Approved members of the station's community with points to spend.
fn spenders(store: &Store, n: usize) -> Result<Vec<i64>, StoreError> {
    let mut st = store.conn().prepare(
        "SELECT m.id FROM members m JOIN accounts a ON a.member_id = m.id
         WHERE m.status = 'approved' AND m.community = '01' AND m.frozen = 0 AND m.blacklisted_at IS NULL AND a.balance >= 80
         ORDER BY a.balance DESC, m.id LIMIT ?1",
    )?;
    let ids = st
        .query_map([n as i64], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(ids)
}

pub fn build(store: &mut Store, master: &Session, now: Stamp) -> Result<(), StoreError> {
    // Long because: the demo's merchant story told top to bottom (shops, offers, redemptions, price checks, a violation, a settlement).
    let tz = store.tz();
    let today = time::local_day(now, tz);
    let last_month = time::prev_month(today);
    let start = now - 200 * DAY_MS;
    let members = spenders(store, 12)?;
    let mut shops = Vec::new();
    for (i, s) in SHOPS.iter().enumerate() {
        let m = store.save_merchant(
            master,
            None,
            &MerchantInput {
                name: s.name.into(),
                kind: s.kind,
                address: s.address.into(),
                distance_m: s.distance_m,
                contact_name: s.contact.0.into(),
                contact_phone: s.contact.1.into(),
                redeemer: s.redeemer.into(),
                community: "01".into(),
                agreement_from: time::local_day(start, tz),
                agreement_to: time::add_months(today, 8),
            },
            start + i as i64 * HOUR_MS,
        )?;
        store.merchant_deposit(master, m.id, false, s.deposit, "签约缴纳", start + DAY_MS)?;
        for (text, points, value, cap) in s.offers {
            store.save_offer(
                master,
                m.id,
                None,
                &OfferInput {
                    text: (*text).into(),
                    points: *points,
                    value_fen: *value,
                    valid_from: last_month - chrono::Duration::days(40),
                    valid_to: time::add_months(today, 2),
                    monthly_cap_fen: *cap,
                    not_combined: i == 0,
                    note: (i == 0).then(|| "不与店内其他活动同享".into()),
                },
                start + DAY_MS,
            )?;
        }
        for (k, stars) in s.stars.iter().enumerate() {
            if let Some(member) = members.get(k) {
                store.rate_merchant(
                    master,
                    m.id,
                    *member,
                    *stars,
                    "",
                    now - (20 + k as i64) * DAY_MS,
                )?;
            }
        }
        shops.push(m.id);
    }
    redemptions(store, master, &shops, &members, last_month, now)?;

    // the pharmacy's member price is over the rule; the barber forgot to
    // update an invoice (a minor violation, still to put right)
    let checks = [
        (shops[0], "金龙鱼食用油 5L", 68_00, 69_90),
        (shops[2], "血压计(欧姆龙)", 199_00, 229_00),
        (shops[1], "洗发水", 25_00, 26_00),
    ];
    for (shop, item, purchase, member) in checks {
        store.price_check(
            master,
            shop,
            &PriceCheck {
                item: item.into(),
                purchase_fen: purchase,
                member_fen: member,
                invoice_ref: format!("INV-{}", purchase / 100),
                checked_by: "王秀英".into(),
            },
            now - 6 * DAY_MS,
        )?;
    }
    store.merchant_violation(
        master,
        shops[1],
        Severity::Minor,
        "进货单未及时更新",
        now - 10 * HOUR_MS,
    )?;
    // last month's settlement: a request for members to serve each shop
    let tr = crate::i18n::Tr::new(crate::i18n::Lang::Zh);
    let settled =
        (time::day_start(time::first_of_month(today), tz) + 9 * HOUR_MS).max(now - 2 * DAY_MS);
    crate::routines::settlement::settle_month(store, master, settled.min(now), &tr)?;
    Ok(())
}

/// Redemptions spread over last month and this one, within the caps.
fn redemptions(
    store: &mut Store,
    master: &Session,
    shops: &[i64],
    members: &[i64],
    last_month: NaiveDate,
    now: Stamp,
) -> Result<(), StoreError> {
    let tz = store.tz();
    let (m0, _) = time::month_range(last_month, tz);
    let this_month = time::day_start(time::next_month(last_month), tz);
    let mut n = 0u64;
    for (k, member) in members.iter().enumerate() {
        for (j, shop) in shops.iter().enumerate().take(3) {
            let offers = store.merchant_detail(*shop, now)?.offers;
            let Some(offer) = offers.first() else {
                continue;
            };
            for when in [
                m0 + (3 + k as i64 * 2 + j as i64) * DAY_MS + 10 * HOUR_MS,
                this_month + (k as i64 % 20) * HOUR_MS * 7,
            ] {
                if when >= now - HOUR_MS {
                    continue;
                }
                n += 1;
                let r = Redemption {
                    uid: format!("demo-redeem-{n}"),
                    member_id: *member,
                    offer_id: offer.id,
                    count: 1 + (k as u32 % 2),
                    redeemed_at: when,
                };
                // a member short of points or a full cap is simply skipped
                let _ = store.redeem(master, &r, when);
            }
        }
    }
    Ok(())
}
