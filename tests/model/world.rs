//! The store: a real station file driven through the public store API.

use crate::common::{self, *};
use crate::model::{BASIC, MMerchant, MOffer, Model, SPECIAL, WINDOW, community_of, rules};
use crate::ops::{Op, back, ix, other};
use shiguang::domain::queue::{Channel as ReqChannel, NewRequest};
use shiguang::domain::record::{ConfirmMethod, Payer, RecordInput};
use shiguang::domain::staff::Session;
use shiguang::domain::time::{MINUTE_MS, Stamp};
use shiguang::harness::T0;
use shiguang::i18n::{Lang, Tr};
use shiguang::store::disputes::{Channel as DisputeChannel, Decision, NewDispute};
use shiguang::store::merchants::{MerchantInput, OfferInput};
use shiguang::store::queue::Outcome as Contact;
use shiguang::store::redemptions::{MerchantService, Redemption};
use shiguang::store::{Store, StoreError};
use std::collections::{HashMap, HashSet};

pub struct World {
    _db: TestDb,
    pub s: Store,
    pub master: Session,
    /// A second station master: corrections take four eyes.
    pub deputy: Session,
    pub liaison: Session,
    pub uid: u64,
    pub last_record: Option<RecordInput>,
    pub last_redemption: Option<Redemption>,
}

impl World {
    pub fn fresh(&mut self, prefix: &str) -> String {
        self.uid += 1;
        format!("{prefix}-{}", self.uid)
    }

    pub fn by(&self, liaison: bool) -> &Session {
        if liaison { &self.liaison } else { &self.master }
    }
}

/// The merchants' monthly settlement as the desk runs it.
pub fn settle(w: &mut World, now: Stamp) -> Result<Option<i64>, StoreError> {
    let master = w.master.clone();
    let tr = Tr::new(Lang::Zh);
    shiguang::routines::settlement::settle_month(&mut w.s, &master, now, &tr).map(|_| None)
}

/// Every reversal the test makes goes through here: one place to adapt
/// when reversals become a four-eyes flow (propose, then approve).
/// A reversal with four eyes: entered by the master, approved by the deputy.
pub fn reverse(w: &mut World, transfer_id: &str, amount: i64, at: Stamp) -> Result<(), StoreError> {
    common::reverse(
        &mut w.s,
        &w.master,
        &w.deputy,
        transfer_id,
        amount,
        "更正",
        at,
    )
    .map(|_| ())
}

pub fn merchant_input(name: &str, community: &str) -> MerchantInput {
    MerchantInput {
        agreement_to: "2030-12-31".parse().unwrap(),
        ..shop_input(name, community)
    }
}

/// A station, a liaison, two merchants (communities 01 and 02) with one
/// offer each, level rules within reach, and `pph` points an hour.
pub fn setup(pph: u32) -> (World, Model) {
    let db = temp_db();
    let (master, mut s) = open_station(&db.path);
    let liaison = add_liaison(&mut s, &master);
    let deputy = second_master(&mut s, &master);
    s.set_setting(&master, "points_per_hour", serde_json::json!(pph), T0)
        .unwrap();
    s.set_setting(
        &master,
        "levels",
        serde_json::to_value(rules()).unwrap(),
        T0,
    )
    .unwrap();
    let mut merchants = Vec::new();
    let mut offers = Vec::new();
    for (k, (name, community, points, fen, cap)) in [
        ("惠民超市", "01", 10, 5_00, 15_00),
        ("便民药店", "02", 25, 10_00, 20_00),
    ]
    .into_iter()
    .enumerate()
    {
        let id = s
            .save_merchant(&master, None, &merchant_input(name, community), T0)
            .unwrap()
            .id;
        let offer = OfferInput {
            text: format!("{points}积分抵{}元", fen / 100),
            points,
            value_fen: fen,
            valid_from: "2026-01-01".parse().unwrap(),
            valid_to: "2030-12-31".parse().unwrap(),
            monthly_cap_fen: cap,
            not_combined: false,
            note: None,
        };
        s.save_offer(&master, id, None, &offer, T0).unwrap();
        let offer_id = s.merchant_detail(id, T0).unwrap().offers[0].id;
        merchants.push(MMerchant { id, community });
        offers.push(MOffer {
            id: offer_id,
            merchant: k,
            points,
            value_fen: fen,
            cap_fen: cap,
        });
    }
    let model = Model {
        now: T0,
        pph,
        rules: rules(),
        members: Vec::new(),
        persons: HashMap::new(),
        balances: HashMap::new(),
        transfers: Vec::new(),
        records: Vec::new(),
        requests: Vec::new(),
        disputes: Vec::new(),
        merchants,
        offers,
        used_fen: HashMap::new(),
        violations: Vec::new(),
        warnings: Vec::new(),
        bad_credit: Vec::new(),
        owed: HashMap::new(),
        owed_taken: HashMap::new(),
        level_runs: HashSet::new(),
        settlements: HashSet::new(),
    };
    let w = World {
        _db: db,
        s,
        master,
        deputy,
        liaison,
        uid: 0,
        last_record: None,
        last_redemption: None,
    };
    (w, model)
}

/// Run `op` on the store, with ids from the model as it was before the
/// operation; returns the id of what it created, if anything.
pub fn run(w: &mut World, m: &Model, op: &Op) -> Result<Option<i64>, StoreError> {
    let now = m.now;
    let n = m.members.len();
    let member = |i: u8| m.members[ix(i, n)].id;
    match *op {
        Op::Register { person } => {
            let mut nm = new_member(&format!("会员{person}"), u32::from(person) + 1);
            nm.community = community_of(person).into();
            let master = w.master.clone();
            w.s.register_member(&master, &nm, now).map(|r| Some(r.id))
        }
        Op::Approve { who, liaison } => {
            let by = w.by(liaison).clone();
            w.s.approve_member(&by, m.members[m.pick_pending(who)].id, "电话核实邻居", now)
                .map(|_| None)
        }
        Op::Reject { who } => {
            let master = w.master.clone();
            w.s.reject_member(&master, m.members[m.pick_pending(who)].id, "材料不全", now)
                .map(|_| None)
        }
        Op::Request {
            requester,
            special,
            minutes,
            pool_pays,
        } => {
            let r = NewRequest {
                requester: member(requester),
                type_id: if special { SPECIAL } else { BASIC },
                description: "上门帮忙".into(),
                place: "1栋".into(),
                window_start: now,
                window_end: now + WINDOW,
                minutes: u32::from(minutes),
                urgent: false,
                channel: ReqChannel::Phone,
                pool_pays,
            };
            let liaison = w.liaison.clone();
            w.s.create_request(&liaison, &r, now).map(|r| Some(r.id))
        }
        Op::Contact {
            req,
            helper,
            accepted,
        } => {
            let id = m.requests[back(req, m.requests.len())].id;
            let outcome = if accepted {
                Contact::Accepted
            } else {
                Contact::Declined
            };
            let liaison = w.liaison.clone();
            w.s.log_contact(&liaison, id, member(helper), outcome, "", now)
                .map(|_| None)
        }
        Op::Move { req, to } => {
            let id = m.requests[back(req, m.requests.len())].id;
            let liaison = w.liaison.clone();
            w.s.move_request(&liaison, id, to, Some("老人改期"), now)
                .map(|_| None)
        }
        Op::Record {
            provider,
            recipient,
            special,
            minutes,
            ago,
            pool,
            rating,
            late_reason,
            liaison,
        } => {
            let end = now - i64::from(ago) * MINUTE_MS;
            let mut r = record(
                &w.fresh("r"),
                member(provider),
                m.members[other(provider, recipient, n)].id,
                end,
                u32::from(minutes),
                if pool { Payer::Pool } else { Payer::Recipient },
            );
            r.type_id = if special { SPECIAL } else { BASIC };
            r.rating = rating;
            r.late_reason = late_reason.then(|| "补登".into());
            let by = w.by(liaison).clone();
            let posted = w.s.post_record(&by, &r, now)?;
            w.last_record = Some(r);
            Ok(Some(posted.record_id))
        }
        Op::RecordFromRequest { req, ago, rating } => {
            let rq = &m.requests[back(req, m.requests.len())];
            let end = now - i64::from(ago) * MINUTE_MS;
            let r = RecordInput {
                uid: w.fresh("q"),
                request_id: Some(rq.id),
                provider: m.members[rq.helper.expect("applicable")].id,
                recipient: m.members[rq.requester.expect("applicable")].id,
                type_id: if rq.special { SPECIAL } else { BASIC },
                started_at: end - i64::from(rq.minutes) * MINUTE_MS,
                ended_at: end,
                minutes: rq.minutes,
                payer: if rq.pool_pays {
                    Payer::Pool
                } else {
                    Payer::Recipient
                },
                method: ConfirmMethod::Desk,
                book_page: Some("3".into()),
                photo_ref: None,
                recipient_confirmed: false,
                rating,
                notes: None,
                late_reason: Some("补登".into()),
            };
            let master = w.master.clone();
            let posted = w.s.post_record(&master, &r, now)?;
            w.last_record = Some(r);
            Ok(Some(posted.record_id))
        }
        Op::Redeem {
            member: who,
            offer,
            count,
        } => {
            let r = Redemption {
                uid: w.fresh("x"),
                member_id: member(who),
                offer_id: m.offers[ix(offer, m.offers.len())].id,
                count: u32::from(count),
                redeemed_at: now,
            };
            let liaison = w.liaison.clone();
            w.s.redeem(&liaison, &r, now)?;
            w.last_redemption = Some(r);
            Ok(None)
        }
        Op::Violation {
            who,
            severity,
            liaison,
        } => {
            let by = w.by(liaison).clone();
            let severity = shiguang::domain::violation::Severity::parse(severity).unwrap();
            w.s.add_violation(&by, member(who), severity, "辱骂工作人员", now)
                .map(|_| None)
        }
        Op::Retry { record: true } => {
            let r = w.last_record.clone().expect("step checks");
            let master = w.master.clone();
            let again = w.s.post_record(&master, &r, now)?;
            assert!(again.existing, "a retried record was posted anew");
            Ok(None)
        }
        Op::Retry { record: false } => {
            let r = w.last_redemption.clone().expect("step checks");
            let liaison = w.liaison.clone();
            w.s.redeem(&liaison, &r, now).map(|_| None)
        }
        Op::OpenDispute { record } => {
            let rec = &m.records[back(record, m.records.len())];
            let d = NewDispute {
                suggestion: false,
                channel: DisputeChannel::Phone,
                category: Some(shiguang::domain::dispute::Category::Quality),
                party_a: Some(m.members[rec.recipient].id),
                party_b: Some(m.members[rec.provider].id),
                record_id: Some(rec.id),
                subject: "服务有争议".into(),
                reported_by: "本人".into(),
                merchant: None,
            };
            let liaison = w.liaison.clone();
            w.s.open_dispute(&liaison, &d, now).map(|d| Some(d.id))
        }
        Op::Decide {
            dispute,
            outcome,
            pct,
            severity,
            on_provider,
            liaison,
        } => {
            let case = &m.disputes[back(dispute, m.disputes.len())];
            let id = case.id;
            // the whole record over-reported: twice its points, as before the form asked
            let over =
                (severity == "moderate" && on_provider).then(|| m.records[case.record].minutes);
            let dec = Decision {
                outcome,
                split_pct: Some(pct),
                severity: Some(severity.into()),
                target: Some(if on_provider { "b" } else { "a" }.into()),
                reason: "核实".into(),
                over_minutes: over,
                pause_days: None,
                deposit_fen: None,
            };
            let by = w.by(liaison).clone();
            w.s.decide_dispute(&by, id, &dec, now).map(|_| None)
        }
        Op::Reverse { transfer, pct } => {
            let t = &m.transfers[back(transfer, m.transfers.len())];
            let amount = (t.amount * i64::from(pct) / 100).max(1);
            let id = t.id.clone();
            reverse(w, &id, amount, now).map(|_| None)
        }
        Op::Freeze { who, on, liaison } => {
            let by = w.by(liaison).clone();
            w.s.set_frozen(&by, member(who), on, "核查中", now)
                .map(|_| None)
        }
        Op::RegisterHeir { who } => {
            let master = w.master.clone();
            w.s.register_heir(&master, member(who), "张小明", "儿子", "13800000099", now)
                .map(|_| None)
        }
        Op::Estate { who, heir } => {
            let master = w.master.clone();
            w.s.settle_estate(&master, member(who), heir.map(member), "D-1", "K-1", now)
                .map(|_| None)
        }
        Op::MerchantService { req, minutes, ago } => {
            let list = m.merchant_requests();
            let rq = &m.requests[list[back(req, list.len())]];
            let end = now - i64::from(ago) * MINUTE_MS;
            let s = MerchantService {
                uid: w.fresh("ms"),
                request_id: rq.id,
                started_at: end - i64::from(minutes) * MINUTE_MS,
                ended_at: end,
                minutes: u32::from(minutes),
                confirmed_by: "刘小燕".into(),
            };
            let liaison = w.liaison.clone();
            w.s.post_merchant_service(&liaison, &s, now).map(|_| None)
        }
        Op::Settle => settle(w, now),
        Op::Advance { .. } => Ok(None),
        Op::NextMonth | Op::RunLevels => {
            // (the model has already moved its clock for NextMonth)
            unreachable!("run_levels is called with the new time")
        }
    }
}
