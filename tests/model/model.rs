//! The model: the station in plain vectors and maps, and the helpers its
//! rules are built from.

use crate::ops::ix;
use shiguang::domain::ledger::TransferKind;
use shiguang::domain::level::{self, History, Level, LevelRules, Standing};
use shiguang::domain::member::months_after;
use shiguang::domain::queue::State;
use shiguang::domain::time::{self, DAY_MS, HOUR_MS, Stamp};
use std::collections::{HashMap, HashSet};

pub const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;
pub const BASIC: i64 = 1; // 陪聊
pub const SPECIAL: i64 = 4; // 接送儿童
pub const LATE_AFTER: Stamp = 24 * HOUR_MS;
pub const WINDOW: Stamp = 6 * HOUR_MS;

/// Level rules small enough to reach star and honor in a few dozen steps.
pub fn rules() -> LevelRules {
    LevelRules {
        star_minutes: 90,
        honor_minutes: 240,
        min_ratings: 2,
        ..LevelRules::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Acct {
    Pool,
    Member(usize),
    Merchant(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pending,
    Approved,
    Rejected,
    Deceased,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Deceased => "deceased",
        }
    }
}

#[derive(Debug, Clone)]
pub struct MMember {
    pub id: i64,
    pub community: &'static str,
    pub status: Status,
    /// Was approved once: has a member number and an account.
    pub numbered: bool,
    pub level: Level,
    pub level_since: Stamp,
    pub upgrade_blocked_until: Option<Stamp>,
    pub frozen: bool,
    pub redeem_frozen_until: Option<Stamp>,
    pub blacklisted: bool,
    pub heir: bool,
}

impl MMember {
    pub fn cannot_spend(&self, now: Stamp) -> bool {
        self.frozen || self.redeem_frozen_until.is_some_and(|u| u > now)
    }
}

#[derive(Debug, Clone)]
pub struct MTransfer {
    pub id: String,
    pub kind: TransferKind,
    pub amount: i64,
    pub debit: Acct,
    pub credit: Acct,
    pub reverses: Option<usize>,
    /// Sum of the transfers that reverse this one.
    pub reversed: i64,
}

#[derive(Debug, Clone)]
pub struct MRecord {
    pub id: i64,
    pub provider: usize,
    pub recipient: usize,
    pub started: Stamp,
    pub ended: Stamp,
    pub minutes: u32,
    pub points: i64,
    pub rating: Option<u8>,
    pub transfer: usize,
}

#[derive(Debug, Clone)]
pub struct MRequest {
    pub id: i64,
    /// The member asking, or none for a merchant's settlement request.
    pub requester: Option<usize>,
    pub merchant: Option<usize>,
    pub special: bool,
    pub minutes: u32,
    pub pool_pays: bool,
    pub start: Stamp,
    pub end: Stamp,
    pub state: State,
    pub helper: Option<usize>,
    /// A merchant's settlement row: (services owed, left, minutes left).
    pub services: Option<(u32, u32, u32)>,
    /// The settlement row a matched service was taken from.
    pub parent: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct MDispute {
    pub id: i64,
    pub record: usize,
    pub decided: bool,
}

#[derive(Debug, Clone)]
pub struct MMerchant {
    pub id: i64,
    pub community: &'static str,
}

#[derive(Debug, Clone)]
pub struct MOffer {
    pub id: i64,
    pub merchant: usize,
    pub points: i64,
    pub value_fen: i64,
    pub cap_fen: i64,
}

#[derive(Debug, Clone)]
pub struct MViolation {
    pub member: usize,
    pub minor: bool,
    pub at: Stamp,
    pub until: Option<Stamp>,
}

#[derive(Debug, Clone)]
pub struct Model {
    pub now: Stamp,
    pub pph: u32,
    pub rules: LevelRules,
    pub members: Vec<MMember>,
    /// Each person registered → their member (a rejected one applies again there).
    pub persons: HashMap<u8, usize>,
    pub balances: HashMap<Acct, i64>,
    pub transfers: Vec<MTransfer>,
    pub records: Vec<MRecord>,
    pub requests: Vec<MRequest>,
    pub disputes: Vec<MDispute>,
    pub merchants: Vec<MMerchant>,
    pub offers: Vec<MOffer>,
    /// (offer, first instant of the month) → yuan fen redeemed
    pub used_fen: HashMap<(usize, Stamp), i64>,
    pub violations: Vec<MViolation>,
    pub warnings: Vec<(usize, Stamp)>,
    pub bad_credit: Vec<(usize, Stamp, Stamp)>,
    pub owed: HashMap<usize, i64>,
    /// Of what was owed, what later earnings took back.
    pub owed_taken: HashMap<usize, i64>,
    pub level_runs: HashSet<String>,
    pub settlements: HashSet<String>,
}

pub type Refused = Vec<&'static str>;

pub fn refuse<T>(keys: Refused) -> Result<T, Refused> {
    Err(keys)
}

pub fn points_for(minutes: u32, pph: u32) -> i64 {
    ((u64::from(minutes) * u64::from(pph) + 30) / 60) as i64
}

pub fn community_of(person: u8) -> &'static str {
    if person % 3 == 2 { "02" } else { "01" }
}

impl Model {
    pub fn balance(&self, a: Acct) -> i64 {
        self.balances.get(&a).copied().unwrap_or(0)
    }

    pub fn post(
        &mut self,
        kind: TransferKind,
        amount: i64,
        debit: Acct,
        credit: Acct,
        reverses: Option<usize>,
    ) {
        assert!(amount > 0, "model: a transfer of {amount}");
        *self.balances.entry(debit).or_insert(0) -= amount;
        *self.balances.entry(credit).or_insert(0) += amount;
        if let Acct::Member(m) = debit {
            assert!(self.balance(debit) >= 0, "model: member {m} below zero");
        }
        if let Some(r) = reverses {
            self.transfers[r].reversed += amount;
        }
        self.transfers.push(MTransfer {
            id: String::new(),
            kind,
            amount,
            debit,
            credit,
            reverses,
            reversed: 0,
        });
    }

    /// All of `t` stands reversed: its reversals, less what reversing those
    /// gave back (a reversal undone restores the service).
    pub fn fully_reversed(&self, t: usize) -> bool {
        let undone: i64 = self
            .transfers
            .iter()
            .filter(|x| {
                x.reverses
                    .is_some_and(|r| self.transfers[r].reverses == Some(t))
            })
            .map(|x| x.amount)
            .sum();
        self.transfers[t].reversed - undone >= self.transfers[t].amount
    }

    /// The history the level rules look at, as of `at`, from the model's
    /// own records: services ended before `at` whose points were not all
    /// given back, ratings, records blocking upgrades, the last violation.
    pub fn history(&self, i: usize, at: Stamp) -> History {
        let mut h = History::default();
        for r in &self.records {
            if r.provider == i && r.ended < at && !self.fully_reversed(r.transfer) {
                h.minutes_served += u64::from(r.minutes);
                if let Some(x) = r.rating {
                    h.ratings += 1;
                    h.positive += u32::from(x >= 4);
                }
            }
        }
        let serious = |v: &&MViolation| v.member == i && !v.minor && v.at < at;
        h.upgrade_blocked_by_record = self
            .violations
            .iter()
            .filter(serious)
            .any(|v| v.until.is_none_or(|u| u > at))
            || self
                .bad_credit
                .iter()
                .any(|(m, from, until)| *m == i && *from < at && *until > at);
        h.last_violation_at = self.violations.iter().filter(serious).map(|v| v.at).max();
        h.clean_since = months_after(at, -(self.rules.honor_clean_months as i32), TZ);
        h.upgrade_blocked_until = self.members[i].upgrade_blocked_until;
        h.blacklisted = self.members[i].blacklisted;
        h
    }

    /// A star or honor member meeting a downgrade rule goes to ordinary now.
    pub fn downgrade_if_due(&mut self, i: usize, at: Stamp) {
        let m = &self.members[i];
        let mine = self.records.iter().filter(|r| r.provider == i);
        let s = Standing {
            ratings: mine.clone().filter(|r| r.rating.is_some()).count() as u32,
            positive: mine.filter(|r| r.rating.is_some_and(|x| x >= 4)).count() as u32,
            serious_complaints: 0,
            warnings: self
                .warnings
                .iter()
                .filter(|(w, t)| *w == i && *t >= m.level_since)
                .count() as u32,
        };
        if level::downgrade_due(m.level, &s, &self.rules).is_some() {
            let wait = months_after(at, self.rules.reupgrade_wait_months as i32, TZ);
            let m = &mut self.members[i];
            m.level = Level::Ordinary;
            m.level_since = at;
            m.upgrade_blocked_until = Some(wait);
        }
    }

    /// What a member owes comes out of what they just earned.
    pub fn take_back_owed(&mut self, i: usize, earned: i64) {
        let outstanding =
            self.owed.get(&i).copied().unwrap_or(0) - self.owed_taken.get(&i).copied().unwrap_or(0);
        let t = outstanding.max(0).min(earned.max(0));
        if t > 0 {
            self.post(TransferKind::Penalty, t, Acct::Member(i), Acct::Pool, None);
            *self.owed_taken.entry(i).or_insert(0) += t;
        }
    }

    /// Take `due` points from a member by `post_it`: what there is, the rest owed.
    pub fn take(&mut self, i: usize, due: i64, post_it: impl FnOnce(&mut Model, i64)) {
        if due <= 0 {
            return;
        }
        let taken = due.min(self.balance(Acct::Member(i)).max(0));
        if taken > 0 {
            post_it(self, taken);
        }
        if due > taken {
            *self.owed.entry(i).or_insert(0) += due - taken;
        }
    }

    /// Give back up to `amount` of record `r`'s service transfer, from the provider.
    pub fn reverse_part(&mut self, r: usize, amount: i64, kind: TransferKind) {
        let (provider, t) = (self.records[r].provider, self.records[r].transfer);
        let left = self.transfers[t].amount - self.transfers[t].reversed;
        let (debit, credit) = (self.transfers[t].credit, self.transfers[t].debit);
        self.take(provider, amount.min(left), |m, n| {
            m.post(kind, n, debit, credit, Some(t))
        });
    }

    #[allow(clippy::too_many_arguments)]
    pub fn check_record(
        &self,
        p: usize,
        q: usize,
        special: bool,
        minutes: u32,
        (start, end): (Stamp, Stamp),
        pool: bool,
        late_reason: bool,
        master: bool,
        rating: Option<u8>,
    ) -> Result<i64, Refused> {
        let now = self.now;
        let mut errs = Vec::new();
        if p == q {
            errs.push("record.same_person");
        }
        if minutes == 0 {
            // (the window is empty too)
            errs.extend(["record.end_before_start", "record.minutes_positive"]);
        }
        if end > now {
            errs.push("record.end_future");
        }
        if rating.is_some_and(|x| !(1..=5).contains(&x)) {
            errs.push("record.rating_range");
        }
        for i in [p, q] {
            let m = &self.members[i];
            if m.status != Status::Approved {
                errs.push("record.not_approved");
            } else if m.blacklisted {
                errs.push("record.blacklisted");
            }
        }
        let (pl, ql) = (self.members[p].level, self.members[q].level);
        let star = |l: Level| l != Level::Ordinary;
        if special && !star(pl) {
            errs.push("record.level_cannot_give");
        } else if special && !star(ql) {
            errs.push("record.level_cannot_receive");
        }
        let cap = |l: Level| if star(l) { 240 } else { 120 };
        if minutes > cap(pl).min(cap(ql)) {
            errs.push("record.minutes_cap");
        }
        if now - end > LATE_AFTER {
            if !master {
                errs.push("record.late_needs_master");
            } else if !late_reason {
                errs.push("record.late_reason_required");
            }
        }
        if self
            .records
            .iter()
            .any(|r| r.provider == p && r.started < end && r.ended > start)
        {
            errs.push("record.overlap");
        }
        let points = points_for(minutes, self.pph);
        if minutes > 0 && points < 1 {
            errs.push("record.too_short");
        }
        if !pool {
            if self.members[q].cannot_spend(now) {
                errs.push("record.recipient_frozen");
            } else if self.members[q].level == Level::Ordinary
                && self.members[q].community != self.members[p].community
            {
                errs.push("record.other_community");
            } else if self.balance(Acct::Member(q)) < points {
                errs.push("record.recipient_short");
            }
        }
        if errs.is_empty() {
            Ok(points)
        } else {
            Err(errs)
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn add_record(
        &mut self,
        p: usize,
        q: usize,
        minutes: u32,
        (start, end): (Stamp, Stamp),
        points: i64,
        pool: bool,
        rating: Option<u8>,
    ) {
        let payer = if pool { Acct::Pool } else { Acct::Member(q) };
        self.post(TransferKind::Service, points, payer, Acct::Member(p), None);
        self.take_back_owed(p, points);
        self.records.push(MRecord {
            id: 0,
            provider: p,
            recipient: q,
            started: start,
            ended: end,
            minutes,
            points,
            rating,
            transfer: self.transfers.len() - 1,
        });
        if rating.is_some() {
            self.downgrade_if_due(p, self.now);
        }
    }

    /// Whether `h` may be matched to request `r` now (the matching rules).
    /// The requester's level no longer lets them receive the request.
    pub fn recipient_cannot(&self, r: usize) -> Option<&'static str> {
        let req = &self.requests[r];
        let q = &self.members[req.requester?];
        if q.level != Level::Ordinary {
            None
        } else if req.special {
            Some("request.level_cannot_receive")
        } else if req.minutes > 120 {
            Some("request.over_recipient_cap")
        } else {
            None
        }
    }

    pub fn ineligible(&self, r: usize, h: usize) -> Option<&'static str> {
        let req = &self.requests[r];
        let m = &self.members[h];
        if req.requester == Some(h) {
            return Some("match.is_requester");
        }
        if m.status != Status::Approved {
            return Some("match.not_approved");
        }
        if m.blacklisted {
            return Some("match.blacklisted");
        }
        if m.cannot_spend(self.now) {
            return Some("match.frozen");
        }
        if req.special && m.level == Level::Ordinary {
            return Some("match.level_cannot_give");
        }
        if req.minutes > if m.level == Level::Ordinary { 120 } else { 240 } {
            return Some("match.too_long");
        }
        let booked = self.requests.iter().enumerate().any(|(k, o)| {
            k != r
                && o.helper == Some(h)
                && matches!(o.state, State::Matched | State::InService)
                && o.start < req.end
                && o.end > req.start
        }) || self
            .records
            .iter()
            .any(|x| x.provider == h && x.ended > req.start && x.started < req.end);
        booked.then_some("match.booked")
    }

    pub fn month_start(&self, at: Stamp) -> Stamp {
        time::day_start(time::first_of_month(time::local_day(at, TZ)), TZ)
    }

    pub fn run_levels(&mut self) -> Result<(), Refused> {
        let month = time::local_day(self.now, TZ).format("%Y-%m").to_string();
        if !self.level_runs.insert(month) {
            return refuse(vec!["level.run_done"]);
        }
        let cutoff = self.month_start(self.now);
        for i in 0..self.members.len() {
            if self.members[i].status != Status::Approved {
                continue;
            }
            let d = level::evaluate(&self.history(i, cutoff), &self.rules, cutoff);
            if d.level != self.members[i].level {
                self.members[i].level = d.level;
                self.members[i].level_since = self.now;
            }
        }
        Ok(())
    }

    /// A violation and its effects on standing (docs/rules.md §4).
    pub fn violate(&mut self, i: usize, severity: &str) -> Result<(), Refused> {
        let now = self.now;
        let m = &mut self.members[i];
        if m.status != Status::Approved {
            return refuse(vec!["violation.not_member"]);
        }
        match severity {
            "moderate" => {
                let until = now + 7 * DAY_MS;
                m.redeem_frozen_until = Some(m.redeem_frozen_until.unwrap_or(0).max(until));
            }
            "severe" => {
                if m.blacklisted {
                    return refuse(vec!["violation.already_blacklisted"]);
                }
                m.blacklisted = true;
                m.level = Level::Ordinary;
                m.level_since = now;
            }
            _ => {}
        }
        self.violations.push(MViolation {
            member: i,
            minor: severity == "minor",
            at: now,
            until: (severity == "moderate").then(|| months_after(now, 3, TZ)),
        });
        Ok(())
    }

    /// Mostly a pending member (when there is one), sometimes anyone.
    pub fn pick_pending(&self, who: u8) -> usize {
        let pending: Vec<usize> = (0..self.members.len())
            .filter(|i| self.members[*i].status == Status::Pending)
            .collect();
        if who < 224 && !pending.is_empty() {
            pending[ix(who, pending.len())]
        } else {
            ix(who, self.members.len())
        }
    }

    /// A match on a settlement row takes one service: a request of its
    /// own, matched; the row is done when none are left.
    pub fn take_service(
        &mut self,
        r: usize,
        (owed, left, minutes_left): (u32, u32, u32),
        h: usize,
    ) {
        let take = if left == 1 {
            minutes_left
        } else {
            minutes_left.min(120)
        };
        let row = self.requests[r].clone();
        self.requests.push(MRequest {
            id: 0,
            minutes: take,
            state: State::Matched,
            helper: Some(h),
            services: None,
            parent: Some(r),
            ..row
        });
        let (left, minutes_left) = (left - 1, minutes_left - take);
        let parent = &mut self.requests[r];
        parent.services = Some((owed, left, minutes_left));
        if left == 0 {
            parent.state = State::Done;
        } else {
            parent.minutes = if left == 1 {
                minutes_left
            } else {
                minutes_left.min(120)
            };
        }
    }

    /// A taken service whose match was cancelled goes back to its row.
    pub fn give_back(&mut self, p: usize, minutes: u32) {
        let parent = &mut self.requests[p];
        let Some((owed, left, minutes_left)) = parent.services else {
            return;
        };
        if parent.state == State::Cancelled || left >= owed {
            return;
        }
        let (left, minutes_left) = (left + 1, minutes_left + minutes);
        parent.services = Some((owed, left, minutes_left));
        parent.minutes = if left == 1 {
            minutes_left
        } else {
            minutes_left.min(120)
        };
        if parent.state == State::Done {
            parent.state = State::New;
        }
    }

    /// The requests made by the merchants' settlement.
    pub fn merchant_requests(&self) -> Vec<usize> {
        (0..self.requests.len())
            .filter(|r| self.requests[*r].merchant.is_some())
            .collect()
    }

    /// Last month's discounts per merchant → hours of service owed (10
    /// yuan an hour) → requests of at most 2 hours, open to the month's end.
    pub fn settle(&mut self) {
        let today = time::local_day(self.now, TZ);
        let last = time::prev_month(today);
        if !self.settlements.insert(last.format("%Y-%m").to_string()) {
            return;
        }
        let from = time::day_start(last, TZ);
        let due = time::day_start(time::next_month(today), TZ) - 1;
        for k in 0..self.merchants.len() {
            let fen: i64 = self
                .used_fen
                .iter()
                .filter(|((o, month), _)| self.offers[*o].merchant == k && *month == from)
                .map(|(_, f)| f)
                .sum();
            if fen == 0 {
                continue;
            }
            let owed = shiguang::domain::merchant::minutes_owed(fen, 10);
            // one row per merchant and month, owing its services
            let parts = shiguang::domain::merchant::split_into_requests(owed, 120);
            let Some(first) = parts.first() else {
                continue;
            };
            let n = parts.len() as u32;
            self.requests.push(MRequest {
                id: 0,
                requester: None,
                merchant: Some(k),
                special: false,
                minutes: *first,
                pool_pays: false,
                start: self.now,
                end: due,
                state: State::New,
                helper: None,
                services: Some((n, n, owed)),
                parent: None,
            });
        }
    }
}
