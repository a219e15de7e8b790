//! The model's rules: whether an operation can be tried, and what it
//! does (or why it is refused).

use crate::model::{
    Acct, MDispute, MMember, MRequest, Model, Refused, Status, TZ, WINDOW, community_of,
    points_for, refuse,
};
use crate::ops::{Op, back, ix, other};
use shiguang::domain::dispute::Outcome;
use shiguang::domain::ledger::TransferKind;
use shiguang::domain::level::Level;
use shiguang::domain::member::months_after;
use shiguang::domain::queue::State;
use shiguang::domain::time::{self, HOUR_MS, MINUTE_MS};

impl Model {
    /// Whether `op` can be tried at all (it names something that exists).
    pub fn applicable(&self, op: &Op) -> bool {
        let (m, q, r, d, t) = (
            self.members.len(),
            self.requests.len(),
            self.records.len(),
            self.disputes.len(),
            self.transfers.len(),
        );
        match op {
            Op::Register { .. }
            | Op::Advance { .. }
            | Op::NextMonth
            | Op::RunLevels
            | Op::Retry { .. } => true,
            Op::Redeem { .. }
            | Op::Approve { .. }
            | Op::Reject { .. }
            | Op::Request { .. }
            | Op::Freeze { .. }
            | Op::Violation { .. }
            | Op::RegisterHeir { .. }
            | Op::Estate { .. }
            | Op::Record { .. } => m > 0,
            Op::Contact { .. } => q > 0 && m > 0,
            Op::Move { .. } => q > 0,
            Op::RecordFromRequest { req, .. } => {
                q > 0 && {
                    let r = &self.requests[back(*req, q)];
                    r.helper.is_some() && r.requester.is_some()
                }
            }
            Op::MerchantService { .. } => !self.merchant_requests().is_empty(),
            Op::Settle => true,
            Op::OpenDispute { .. } => r > 0,
            Op::Decide { .. } => d > 0,
            Op::Reverse { .. } => t > 0,
        }
    }

    /// Apply `op` to the model: what the rules say, or the reasons it is
    /// refused (and then nothing changed — the caller drops this copy).
    pub fn apply(&mut self, op: &Op) -> Result<(), Refused> {
        let now = self.now;
        let n = self.members.len();
        match *op {
            Op::Register { person } => {
                if let Some(&i) = self.persons.get(&person) {
                    // a rejected applicant applies again on their own row
                    let m = &mut self.members[i];
                    if m.blacklisted {
                        return refuse(vec!["member.id.blacklisted"]);
                    }
                    if m.status != Status::Rejected {
                        return refuse(vec!["member.id.duplicate"]);
                    }
                    m.status = Status::Pending;
                    return Ok(());
                }
                self.persons.insert(person, self.members.len());
                self.members.push(MMember {
                    id: 0,
                    community: community_of(person),
                    status: Status::Pending,
                    numbered: false,
                    level: Level::Ordinary,
                    level_since: now,
                    upgrade_blocked_until: None,
                    frozen: false,
                    redeem_frozen_until: None,
                    blacklisted: false,
                    heir: false,
                });
            }
            Op::Approve { who, liaison } => {
                let i = self.pick_pending(who);
                let m = &mut self.members[i];
                if m.status != Status::Pending {
                    return refuse(vec!["review.already_decided"]);
                }
                if liaison {
                    return refuse(vec!["review.no_recommender_master"]);
                }
                m.status = Status::Approved;
                m.numbered = true;
                m.level = Level::Ordinary;
                m.level_since = now;
            }
            Op::Reject { who } => {
                let i = self.pick_pending(who);
                let m = &mut self.members[i];
                if m.status != Status::Pending {
                    return refuse(vec!["review.already_decided"]);
                }
                m.status = Status::Rejected;
            }
            Op::Request {
                requester,
                special,
                minutes,
                pool_pays,
            } => {
                let i = ix(requester, n);
                let m = &self.members[i];
                let mut errs = Vec::new();
                if m.status != Status::Approved {
                    errs.push("request.requester_not_approved");
                } else if m.blacklisted {
                    errs.push("request.requester_blacklisted");
                }
                if special && m.level == Level::Ordinary {
                    errs.push("request.level_cannot_receive");
                }
                if m.level == Level::Ordinary && (121..=240).contains(&minutes) {
                    errs.push("request.over_recipient_cap");
                }
                if minutes > 240 {
                    errs.push("request.minutes_range");
                }
                if !errs.is_empty() {
                    return refuse(errs);
                }
                self.requests.push(MRequest {
                    id: 0,
                    requester: Some(i),
                    merchant: None,
                    special,
                    minutes: u32::from(minutes),
                    pool_pays,
                    start: now,
                    end: now + WINDOW,
                    state: State::New,
                    helper: None,
                    services: None,
                    parent: None,
                });
            }
            Op::Contact {
                req,
                helper,
                accepted,
            } => {
                let r = back(req, self.requests.len());
                let h = ix(helper, n);
                let state = self.requests[r].state;
                if matches!(state, State::Done | State::Cancelled) {
                    return refuse(vec!["request.closed"]);
                }
                if accepted {
                    if matches!(state, State::Matched | State::InService) {
                        return refuse(vec!["request.already_matched"]);
                    }
                    if let Some(why) = self.ineligible(r, h) {
                        return refuse(vec![why]);
                    }
                    if let Some(why) = self.recipient_cannot(r) {
                        return refuse(vec![why]);
                    }
                    if let Some(sv) = self.requests[r].services {
                        self.take_service(r, sv, h);
                        return Ok(());
                    }
                    self.requests[r].helper = Some(h);
                    self.requests[r].state = State::Matched;
                } else if state == State::New {
                    self.requests[r].state = State::Responded;
                }
            }
            Op::Move { req, to } => {
                let r = back(req, self.requests.len());
                let from = self.requests[r].state;
                let open = !matches!(from, State::Done | State::Cancelled);
                let ok = match to {
                    State::Cancelled => open,
                    State::Responded => matches!(from, State::New | State::Matched),
                    State::InService => from == State::Matched,
                    _ => false,
                };
                if !ok {
                    return refuse(vec!["request.cannot_move"]);
                }
                self.requests[r].state = to;
                if let (State::Cancelled, Some(p)) = (to, self.requests[r].parent) {
                    let minutes = self.requests[r].minutes;
                    self.give_back(p, minutes);
                }
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
                let (p, q) = (ix(provider, n), other(provider, recipient, n));
                let end = now - i64::from(ago) * MINUTE_MS;
                let span = (end - i64::from(minutes) * MINUTE_MS, end);
                let minutes = u32::from(minutes);
                let points = self.check_record(
                    p,
                    q,
                    special,
                    minutes,
                    span,
                    pool,
                    late_reason,
                    !liaison,
                    rating,
                )?;
                self.add_record(p, q, minutes, span, points, pool, rating);
            }
            Op::RecordFromRequest { req, ago, rating } => {
                let r = back(req, self.requests.len());
                let rq = self.requests[r].clone();
                let p = rq.helper.expect("applicable");
                let q = rq.requester.expect("applicable");
                let end = now - i64::from(ago) * MINUTE_MS;
                let span = (end - i64::from(rq.minutes) * MINUTE_MS, end);
                let points = self.check_record(
                    p,
                    q,
                    rq.special,
                    rq.minutes,
                    span,
                    rq.pool_pays,
                    true,
                    true,
                    rating,
                )?;
                if !matches!(rq.state, State::Matched | State::InService) {
                    return refuse(vec!["request.not_matched"]);
                }
                self.add_record(p, q, rq.minutes, span, points, rq.pool_pays, rating);
                self.requests[r].state = State::Done;
            }
            Op::Redeem {
                member,
                offer,
                count,
            } => {
                let i = ix(member, n);
                let o = ix(offer, self.offers.len());
                let of = self.offers[o].clone();
                let m = &self.members[i];
                let mut errs = Vec::new();
                if count == 0 || count > 99 {
                    errs.push("redeem.count_range");
                }
                let count = i64::from(count.clamp(1, 99));
                let (points, fen) = (of.points * count, of.value_fen * count);
                let month = self.month_start(now);
                let used = self.used_fen.get(&(o, month)).copied().unwrap_or(0);
                if fen > of.cap_fen - used {
                    errs.push("redeem.over_cap");
                }
                if m.status != Status::Approved {
                    errs.push("redeem.not_member");
                } else if m.blacklisted {
                    errs.push("ledger.payer_blacklisted");
                } else if m.cannot_spend(now) {
                    errs.push("ledger.payer_frozen");
                } else if m.level == Level::Ordinary
                    && m.community != self.merchants[of.merchant].community
                {
                    errs.push("redeem.other_community");
                } else if self.balance(Acct::Member(i)) < points {
                    errs.push("ledger.short");
                }
                if !errs.is_empty() {
                    return refuse(errs);
                }
                self.post(
                    TransferKind::MerchantRedemption,
                    points,
                    Acct::Member(i),
                    Acct::Merchant(of.merchant),
                    None,
                );
                *self.used_fen.entry((o, month)).or_insert(0) += fen;
            }
            Op::OpenDispute { record } => {
                let r = back(record, self.records.len());
                self.disputes.push(MDispute {
                    id: 0,
                    record: r,
                    decided: false,
                });
            }
            Op::Decide {
                dispute,
                outcome,
                pct,
                severity,
                on_provider,
                liaison,
            } => {
                let d = back(dispute, self.disputes.len());
                let r = self.disputes[d].record;
                let rec = self.records[r].clone();
                let mut errs = Vec::new();
                if outcome == Outcome::Mediated && liaison {
                    errs.push("dispute.master_mediates");
                }
                if outcome == Outcome::Violation && severity != "minor" && liaison {
                    errs.push("violation.master_only");
                }
                if pct > 100 {
                    errs.push("dispute.split_range");
                }
                if self.disputes[d].decided {
                    errs.push("dispute.already_decided");
                }
                if !errs.is_empty() {
                    return refuse(errs);
                }
                match outcome {
                    Outcome::ProviderFault => {
                        self.reverse_part(r, i64::MAX, TransferKind::Reversal);
                        self.warnings.push((rec.provider, now));
                        self.downgrade_if_due(rec.provider, now);
                    }
                    Outcome::RequesterFault => {
                        self.bad_credit
                            .push((rec.recipient, now, months_after(now, 3, TZ)));
                    }
                    Outcome::Mediated => {
                        let t = &self.transfers[rec.transfer];
                        let left = t.amount - t.reversed;
                        let share = (left * i64::from(pct) + 50) / 100;
                        self.reverse_part(r, share, TransferKind::DisputeSplit);
                    }
                    Outcome::Violation => {
                        let target = if on_provider {
                            rec.provider
                        } else {
                            rec.recipient
                        };
                        self.violate(target, severity)?;
                        // falsely reported time is deducted double
                        if severity == "moderate" && on_provider {
                            self.take(target, 2 * rec.points, |m, k| {
                                m.post(
                                    TransferKind::Penalty,
                                    k,
                                    Acct::Member(target),
                                    Acct::Pool,
                                    None,
                                )
                            });
                        }
                    }
                    Outcome::Dismissed => {}
                    // the model's cases are between members (ops draw member outcomes)
                    Outcome::MerchantWarning
                    | Outcome::MerchantSuspension
                    | Outcome::MerchantDeposit => {
                        unreachable!("a merchant outcome on a member case")
                    }
                }
                self.disputes[d].decided = true;
            }
            Op::Reverse { transfer, pct } => {
                let t = back(transfer, self.transfers.len());
                let x = self.transfers[t].clone();
                let amount = (x.amount * i64::from(pct) / 100).max(1);
                if amount > x.amount - x.reversed {
                    return refuse(vec!["ledger.reversal_too_much"]);
                }
                if matches!(x.credit, Acct::Member(_)) && self.balance(x.credit) < amount {
                    return refuse(vec!["ledger.short"]);
                }
                self.post(TransferKind::Reversal, amount, x.credit, x.debit, Some(t));
            }
            Op::Violation {
                who,
                severity,
                liaison,
            } => {
                if liaison && severity != "minor" {
                    return refuse(vec!["violation.master_only"]);
                }
                self.violate(ix(who, n), severity)?;
            }
            Op::Retry { .. } => {}
            Op::Freeze { who, on, liaison } => {
                if liaison {
                    return refuse(vec!["staff.master_only"]);
                }
                self.members[ix(who, n)].frozen = on;
            }
            Op::RegisterHeir { who } => {
                let m = &mut self.members[ix(who, n)];
                if m.status != Status::Approved || m.level != Level::Honor {
                    return refuse(vec!["heir.honor_only"]);
                }
                m.heir = true;
            }
            Op::Estate { who, heir } => {
                let i = ix(who, n);
                let heir = heir.map(|h| ix(h, n));
                let m = &self.members[i];
                if m.status != Status::Approved {
                    return refuse(vec!["estate.not_active"]);
                }
                let inherit = m.level == Level::Honor && heir.is_some();
                let mut errs = Vec::new();
                if inherit {
                    let h = heir.expect("inherit");
                    if !m.heir {
                        errs.push("estate.no_heir_registered");
                    }
                    if h == i {
                        errs.push("estate.heir_self");
                    } else if self.members[h].status != Status::Approved {
                        errs.push("estate.heir_not_member");
                    }
                } else if heir.is_some() {
                    errs.push("estate.not_honor");
                } else if m.level == Level::Honor && m.heir {
                    // the registered heir inherits, or asks in writing for the pool
                    errs.push("estate.heir_decides");
                }
                if !errs.is_empty() {
                    return refuse(errs);
                }
                let balance = self.balance(Acct::Member(i));
                if balance > 0 {
                    match heir {
                        Some(h) if inherit => self.post(
                            TransferKind::Inheritance,
                            balance,
                            Acct::Member(i),
                            Acct::Member(h),
                            None,
                        ),
                        _ => self.post(
                            TransferKind::Clearance,
                            balance,
                            Acct::Member(i),
                            Acct::Pool,
                            None,
                        ),
                    }
                }
                self.members[i].status = Status::Deceased;
            }
            Op::Advance { hours } => self.now += i64::from(hours) * HOUR_MS,
            Op::MerchantService { req, minutes, ago } => {
                let list = self.merchant_requests();
                let r = list[back(req, list.len())];
                let mut errs = Vec::new();
                if minutes == 0 {
                    errs.extend(["record.minutes_positive", "record.end_before_start"]);
                }
                if ago < 0 {
                    errs.push("record.end_future");
                }
                if !errs.is_empty() {
                    return refuse(errs);
                }
                let rq = &self.requests[r];
                let (Some(k), Some(h)) = (rq.merchant, rq.helper) else {
                    return refuse(vec!["request.not_matched"]);
                };
                if !matches!(rq.state, State::Matched | State::InService) {
                    return refuse(vec!["request.not_matched"]);
                }
                if self.members[h].blacklisted {
                    return refuse(vec!["ledger.payee_blacklisted"]);
                }
                let points = points_for(u32::from(minutes), self.pph).max(1);
                self.post(
                    TransferKind::Settlement,
                    points,
                    Acct::Merchant(k),
                    Acct::Member(h),
                    None,
                );
                self.take_back_owed(h, points);
                self.requests[r].state = State::Done;
            }
            Op::Settle => self.settle(),
            Op::NextMonth => {
                let next = time::next_month(time::local_day(now, TZ));
                self.now = time::day_start(next, TZ) + 9 * HOUR_MS;
                self.run_levels()?;
                self.settle();
            }
            Op::RunLevels => self.run_levels()?,
        }
        Ok(())
    }
}
