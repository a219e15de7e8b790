//! A model-based test of the whole domain. Random sequences of operations
//! — register, approve, reject; request, call helpers (match or decline),
//! move a request on or cancel it; record a service, ad hoc (any minutes,
//! end times, payer, rating, late or not, by a liaison or the master) or
//! from a matched request; retry a record or redemption with the same id;
//! redeem at a merchant offer (monthly cap, own community); open a dispute
//! and decide it (provider at fault, requester at fault, mediated split,
//! violation, dismissed); record a violation; reverse (part of) any
//! transfer; freeze and unfreeze; register an heir; settle an estate
//! (inheritance or clearance); advance the clock; roll over the month (the
//! level run and the merchants' settlement) and serve a merchant's
//! settlement request — are applied both to a real station file, through
//! the public store API, and to a small model made of plain vectors and
//! maps.
//!
//! After every operation:
//! - the store and the model agree on whether it was allowed (and, when
//!   refused, on at least one reason);
//! - the transfers the store wrote are exactly those the model expected
//!   (kind, amount, accounts, what they reverse); a refused operation wrote
//!   no transfer and made no request;
//! - every balance (members, pool, merchants) equals the model's and the
//!   sum of the account's transfers, no member is below zero, all accounts
//!   together are zero;
//! - each member's status, number, level, freeze, redemption freeze and
//!   blacklist agree with the model, whose levels come from the domain's
//!   rules (`level::evaluate` at each monthly run, `level::downgrade_due`
//!   after ratings and warnings) applied to the model's own history; the
//!   level preview equals `level::evaluate` on that history now; owed
//!   points and every request's state and helper agree;
//! - `Store::verify` (what `shiguang verify` runs: both hash chains, every
//!   balance, the kept figures) finds no problem.
//!
//! Not modelled: trust scores, spot checks, merchant status, violations and
//! log imports, cards, recommenders, confirmation methods other than the
//! record book, the day's open and close.
//!
//! `PROPTEST_CASES` sets the number of cases (default 40); `MODEL_TRACE=1`
//! prints each step's verdict (`-- --nocapture`), to see what a run covers.

#[path = "../common/mod.rs"]
mod common;

mod apply;
mod checks;
mod model;
mod ops;
mod world;

// The store's capabilities one by one, each on a real file (the model
// above checks them together).
mod corrections;
mod disputes;
mod durability;
mod fund;
mod hub;
mod ledger;
mod members;
mod merchants;
mod pins;
mod print;
mod queue;
mod tools;

use checks::{check, step};
use common::*;
use model::TZ;
use ops::{Op, op};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use shiguang::domain::level::Level;
use shiguang::domain::record::Payer;
use shiguang::domain::time::{self, HOUR_MS};
use shiguang::store::StoreError;
use world::setup;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 2_000,
        // saved cases beside this file, in main.proptest-regressions (by
        // default proptest takes the directory holding main.rs for a crate
        // root and would look in tests/proptest-regressions/main.txt)
        failure_persistence: Some(Box::new(
            FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        .. ProptestConfig::default()
    })]

    /// The store and the model agree on every step of any sequence.
    #[test]
    fn the_store_follows_the_model(
        pph in prop::sample::select(vec![10u32, 20, 30, 45]),
        initial in 3u8..=6,
        warm in any::<bool>(),
        ops in prop::collection::vec(op(), 1..60),
    ) {
        let (mut w, mut m) = setup(pph);
        // a few members to start with, approved like any others
        let mut start: Vec<Op> = (0..initial)
            .flat_map(|p| [Op::Register { person: p }, Op::Approve { who: p, liaison: false }])
            .collect();
        if warm {
            // member 0 serves enough to become honor at the next level
            // run, member 1 enough for star
            let serve = |provider, recipient, minutes, ago| Op::Record {
                provider, recipient, special: false, minutes, ago, pool: true,
                rating: Some(5), late_reason: false, liaison: false,
            };
            start.extend([
                serve(0, 8, 120, 600),
                serve(0, 8, 120, 300),
                serve(1, 9, 60, 150),
                serve(1, 9, 60, 30),
                Op::NextMonth,
            ]);
        }
        for op in start.iter().chain(&ops) {
            step(&mut w, &mut m, op)?;
            check(&w, &m)?;
        }
    }
}

/// Found by the model: an honor member's points could be "inherited" by a
/// member who has died (their estate already settled, so the points were
/// stranded for good) or by an application still pending (accepted when
/// the balance was zero, refused with an unrelated message otherwise).
#[test]
fn an_heir_must_be_an_approved_member() {
    let (mut w, mut m) = setup(20);
    let ops = [
        Op::Register { person: 0 },
        Op::Approve {
            who: 0,
            liaison: false,
        },
        Op::Register { person: 1 },
        Op::Approve {
            who: 0,
            liaison: false,
        },
        Op::Register { person: 2 },
        Op::Approve {
            who: 0,
            liaison: false,
        },
        Op::Register { person: 3 }, // stays pending
    ];
    for op in &ops {
        step(&mut w, &mut m, op).unwrap();
    }
    let [honor, heir, other, pending] = [0, 1, 2, 3].map(|i| m.members[i].id);
    let master = w.master.clone();
    let at = m.now;
    for (i, end) in [(0, at - 10 * HOUR_MS), (1, at - 5 * HOUR_MS)] {
        let r = record(&format!("h{i}"), honor, other, end, 120, Payer::Pool);
        w.s.post_record(&master, &r, at).unwrap();
    }
    let next_month = time::day_start(time::next_month(time::local_day(at, TZ)), TZ) + HOUR_MS;
    w.s.run_monthly_levels(Some(&master), next_month).unwrap();
    assert_eq!(w.s.member(honor).unwrap().level, Level::Honor);
    w.s.register_heir(&master, honor, "张小明", "儿子", "13800000099", next_month)
        .unwrap();
    // the heir dies first
    w.s.settle_estate(&master, heir, None, "D-0", "", next_month)
        .unwrap();
    let key = |e: StoreError| e.refusals()[0].msg.key;
    for who in [heir, pending] {
        assert_eq!(
            key(w
                .s
                .settle_estate(&master, honor, Some(who), "D-1", "K-1", next_month)
                .unwrap_err()),
            "estate.heir_not_member"
        );
    }
    assert_eq!(w.s.balance_of_member(honor).unwrap(), 80);
}
