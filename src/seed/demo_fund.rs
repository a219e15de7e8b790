//! The demo's fund (共管账户): this week's annual fees and a street
//! subsidy, the tea party's fruit signed by three staff members and
//! posted, and the trust list's eggs waiting for two more signatures.

use crate::domain::fund::Kind;
use crate::domain::staff::Session;
use crate::domain::time::{HOUR_MS, Stamp};
use crate::store::fund::{ExpenseInput, IncomeInput};
use crate::store::{Store, StoreError};

pub fn build(
    store: &mut Store,
    master: &Session,
    now: Stamp,
    payers: [i64; 3],
) -> Result<(), StoreError> {
    let start = now - 3 * HOUR_MS;
    for (i, m) in payers.into_iter().enumerate() {
        let fee = IncomeInput {
            kind: Kind::Fee,
            amount_fen: 5_000,
            party: String::new(),
            purpose: "2026 年会员年费".into(),
            member_id: Some(m),
        };
        store.fund_income(master, &fee, start + i as i64 * 600_000)?;
    }
    let subsidy = IncomeInput {
        kind: Kind::SubsidyIn,
        amount_fen: 30_000,
        party: "金山街道办".into(),
        purpose: "12 月社区活动补贴".into(),
        member_id: None,
    };
    store.fund_income(master, &subsidy, start + HOUR_MS)?;
    let fruit = ExpenseInput {
        kind: Kind::Materials,
        amount_fen: 8_650,
        party: "便民超市".into(),
        purpose: "时光茶话会水果茶点".into(),
        activity_id: None,
    };
    let e = store.propose_expense(master, &fruit, start + 2 * HOUR_MS)?;
    store.sign_expense(
        master,
        e.id,
        "002",
        super::demo::LIAISON_PIN,
        start + 2 * HOUR_MS + 60_000,
    )?;
    store.sign_expense(
        master,
        e.id,
        "004",
        super::demo::DEPUTY_PIN,
        start + 2 * HOUR_MS + 120_000,
    )?;
    let eggs = ExpenseInput {
        kind: Kind::TrustGift,
        amount_fen: 12_000,
        party: "便民超市".into(),
        purpose: "本月信任榜前 10 名鸡蛋".into(),
        activity_id: None,
    };
    store.propose_expense(master, &eggs, now - HOUR_MS)?;
    Ok(())
}
