//! The operations: one step of a sequence, and the strategy that makes them.

use proptest::prelude::*;
use shiguang::domain::dispute::Outcome;
use shiguang::domain::queue::State;

/// One step. Indices (`u8`) pick among the members, requests, records,
/// disputes or transfers existing at that point (modulo their number), so a
/// shrunk sequence stays meaningful.
#[derive(Debug, Clone)]
pub enum Op {
    Register {
        person: u8,
    },
    Approve {
        who: u8,
        liaison: bool,
    },
    Reject {
        who: u8,
    },
    Request {
        requester: u8,
        special: bool,
        minutes: u16,
        pool_pays: bool,
    },
    /// A call to a helper: accepted (matched) or declined.
    Contact {
        req: u8,
        helper: u8,
        accepted: bool,
    },
    Move {
        req: u8,
        to: State,
    },
    Record {
        provider: u8,
        recipient: u8,
        special: bool,
        minutes: u16,
        /// Minutes between the end of the service and now.
        ago: i16,
        pool: bool,
        rating: Option<u8>,
        late_reason: bool,
        liaison: bool,
    },
    RecordFromRequest {
        req: u8,
        ago: i16,
        rating: Option<u8>,
    },
    Redeem {
        member: u8,
        offer: u8,
        count: u8,
    },
    OpenDispute {
        record: u8,
    },
    Decide {
        dispute: u8,
        outcome: Outcome,
        pct: u32,
        severity: &'static str,
        /// The violation is on the provider (else on the requester).
        on_provider: bool,
        liaison: bool,
    },
    Reverse {
        transfer: u8,
        pct: u8,
    },
    /// A violation recorded from the members pane (no service involved).
    Violation {
        who: u8,
        severity: &'static str,
        liaison: bool,
    },
    /// The last record or redemption posted again with the same id (a
    /// double key-press, a retry after a crash): nothing more is posted.
    Retry {
        record: bool,
    },
    Freeze {
        who: u8,
        on: bool,
        liaison: bool,
    },
    RegisterHeir {
        who: u8,
    },
    Estate {
        who: u8,
        heir: Option<u8>,
    },
    Advance {
        hours: u16,
    },
    /// Service given to a merchant for a settlement request: the
    /// merchant's points pay the helper.
    MerchantService {
        req: u8,
        minutes: u16,
        ago: i16,
    },
    /// The merchants' monthly settlement (once a month; again: the stored one).
    Settle,
    /// Jump to 09:00 on the 1st of next month: the monthly level run and
    /// the merchants' settlement of the month before.
    NextMonth,
    /// The monthly level run, whenever (refused when done this month).
    RunLevels,
}

pub fn op() -> impl Strategy<Value = Op> {
    let rating = prop_oneof![
        4 => Just(None),
        24 => (4u8..=5).prop_map(Some),
        8 => (1u8..=3).prop_map(Some),
        1 => prop::sample::select(vec![Some(0u8), Some(6)]),
    ];
    let minutes = prop_oneof![
        1 => 0u16..=5,
        8 => 15u16..=120,
        4 => Just(120u16),
        3 => 121u16..=260,
    ];
    // (negative: ends in the future; 1440 and 1441: the 24-hour line)
    let ago = prop_oneof![
        12 => 0i16..=600,
        3 => 0i16..=2_880,
        1 => prop::sample::select(vec![-30i16, 1_440, 1_441]),
    ];
    // mostly one of the first few members / the newest requests, records,
    // disputes and transfers, so that flows build up; sometimes anything
    let few = || prop_oneof![3 => 0u8..3, 1 => any::<u8>()];
    prop_oneof![
        2 => (0u8..12).prop_map(|person| Op::Register { person }),
        2 => (any::<u8>(), prop::bool::weighted(0.15)).prop_map(|(who, liaison)| Op::Approve { who, liaison }),
        1 => any::<u8>().prop_map(|who| Op::Reject { who }),
        4 => (any::<u8>(), prop::bool::weighted(0.3), prop::sample::select(vec![30u16, 60, 90, 120, 180, 240, 300]), any::<bool>())
            .prop_map(|(requester, special, minutes, pool_pays)| Op::Request { requester, special, minutes, pool_pays }),
        6 => (few(), prop_oneof![1 => 0u8..2, 1 => any::<u8>()], prop::bool::weighted(0.8))
            .prop_map(|(req, helper, accepted)| Op::Contact { req, helper, accepted }),
        1 => (few(), prop::sample::select(vec![State::Responded, State::InService, State::Cancelled]))
            .prop_map(|(req, to)| Op::Move { req, to }),
        16 => (prop_oneof![3 => 0u8..2, 1 => any::<u8>()], any::<u8>(), prop::bool::weighted(0.1), minutes, ago.clone(), prop::bool::weighted(0.75),
               rating.clone(), prop::bool::weighted(0.7), prop::bool::weighted(0.15))
            .prop_map(|(provider, recipient, special, minutes, ago, pool, rating, late_reason, liaison)| Op::Record {
                provider, recipient, special, minutes, ago, pool, rating, late_reason, liaison,
            }),
        4 => (few(), ago, rating).prop_map(|(req, ago, rating)| Op::RecordFromRequest { req, ago, rating }),
        4 => (few(), any::<u8>(), prop_oneof![1 => Just(0u8), 8 => 1u8..=3, 1 => Just(100u8)])
            .prop_map(|(member, offer, count)| Op::Redeem { member, offer, count }),
        2 => few().prop_map(|record| Op::OpenDispute { record }),
        3 => (few(), prop::sample::select(Outcome::choices(false)), prop_oneof![8 => 0u32..=100, 1 => 101u32..=150],
              prop::sample::select(vec!["minor", "moderate", "severe"]), any::<bool>(), prop::bool::weighted(0.15))
            .prop_map(|(dispute, outcome, pct, severity, on_provider, liaison)| Op::Decide {
                dispute, outcome, pct, severity, on_provider, liaison,
            }),
        3 => (few(), 1u8..=120).prop_map(|(transfer, pct)| Op::Reverse { transfer, pct }),
        1 => (few(), prop::sample::select(vec!["minor", "moderate", "severe"]), prop::bool::weighted(0.2))
            .prop_map(|(who, severity, liaison)| Op::Violation { who, severity, liaison }),
        2 => any::<bool>().prop_map(|record| Op::Retry { record }),
        2 => (any::<u8>(), any::<bool>(), prop::bool::weighted(0.15)).prop_map(|(who, on, liaison)| Op::Freeze { who, on, liaison }),
        2 => few().prop_map(|who| Op::RegisterHeir { who }),
        2 => (prop_oneof![1 => 0u8..2, 1 => any::<u8>()], prop::option::weighted(0.6, any::<u8>())).prop_map(|(who, heir)| Op::Estate { who, heir }),
        3 => (1u16..=96).prop_map(|hours| Op::Advance { hours }),
        3 => Just(Op::NextMonth),
        3 => (few(), prop_oneof![1 => Just(0u16), 8 => 15u16..=120], prop_oneof![8 => 0i16..=600, 1 => Just(-30i16)])
            .prop_map(|(req, minutes, ago)| Op::MerchantService { req, minutes, ago }),
        1 => Just(Op::Settle),
        1 => Just(Op::RunLevels),
    ]
}

pub fn ix(i: u8, n: usize) -> usize {
    i as usize % n
}

/// Counted from the newest: 0 is the last one.
pub fn back(i: u8, n: usize) -> usize {
    n - 1 - ix(i, n)
}

/// A member other than `ix(a, n)` (the same one only when `b` says so or
/// there is no other), for the second party of a service.
pub fn other(a: u8, b: u8, n: usize) -> usize {
    if b < 8 || n == 1 {
        ix(a, n)
    } else {
        (ix(a, n) + 1 + b as usize % (n - 1)) % n
    }
}
