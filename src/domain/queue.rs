//! The demand queue (需求队列, docs/rules.md §5): request states, response and match
//! deadlines, the queue's order, and the intake checks.

use super::level::{Level, Tier};
use super::time::{MINUTE_MS, Stamp};
use crate::msg;
use crate::msg::Refusal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    New,
    Responded,
    Matched,
    InService,
    Done,
    Cancelled,
}

impl State {
    pub const ALL: [State; 6] = [
        State::New,
        State::Responded,
        State::Matched,
        State::InService,
        State::Done,
        State::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::New => "new",
            State::Responded => "responded",
            State::Matched => "matched",
            State::InService => "in_service",
            State::Done => "done",
            State::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            State::New => crate::k!("request.state.new"),
            State::Responded => crate::k!("request.state.responded"),
            State::Matched => crate::k!("request.state.matched"),
            State::InService => crate::k!("request.state.in_service"),
            State::Done => crate::k!("request.state.done"),
            State::Cancelled => crate::k!("request.state.cancelled"),
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, State::Done | State::Cancelled)
    }

    /// May a request move from `self` to `to`? Forward only, one step at a
    /// time (a match may skip the response), or cancelled while open.
    pub fn can_go(self, to: State) -> bool {
        use State::*;
        matches!(
            (self, to),
            (New, Responded)
                | (New, Matched)
                | (Responded, Matched)
                | (Matched, InService)
                | (Matched, Done)
                | (InService, Done)
        ) || (to == Cancelled && self.is_open())
            || (self == Matched && to == Responded) // the helper withdrew: match again
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    WalkIn,
    Phone,
    App,
    /// 时光信箱
    Mailbox,
    /// Made by the monthly merchant settlement, not taken in.
    Settlement,
}

impl Channel {
    /// The ways a request is taken in (what the intake form offers).
    pub const INTAKE: [Channel; 4] = [
        Channel::WalkIn,
        Channel::Phone,
        Channel::App,
        Channel::Mailbox,
    ];
    pub const ALL: [Channel; 5] = [
        Channel::WalkIn,
        Channel::Phone,
        Channel::App,
        Channel::Mailbox,
        Channel::Settlement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::WalkIn => "walk_in",
            Channel::Phone => "phone",
            Channel::App => "app",
            Channel::Mailbox => "mailbox",
            Channel::Settlement => "settlement",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Channel::WalkIn => crate::k!("channel.walk_in"),
            Channel::Phone => crate::k!("channel.phone"),
            Channel::App => crate::k!("channel.app"),
            Channel::Mailbox => crate::k!("channel.mailbox"),
            Channel::Settlement => crate::k!("channel.settlement"),
        }
    }
}

/// The deadlines of the queue (settings, docs/rules.md §5 defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub respond_minutes: u32,
    /// An urgent request is answered at once: this is the grace.
    pub urgent_respond_minutes: u32,
    pub match_minutes: u32,
}

impl Default for Clocks {
    fn default() -> Self {
        Clocks {
            respond_minutes: 60,
            urgent_respond_minutes: 5,
            match_minutes: 12 * 60,
        }
    }
}

/// What the clocks need to know of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub created_at: Stamp,
    pub urgent: bool,
    pub state: State,
    /// Work for a merchant (the monthly settlement) has one date to be
    /// done by instead of the response and match clocks.
    pub due: Option<Stamp>,
}

/// The deadline the request is racing now, if any: the response while it
/// is new, then the match.
pub fn next_deadline(t: &Timing, c: &Clocks) -> Option<Stamp> {
    if let Some(due) = t.due {
        return t.state.is_open().then_some(due);
    }
    let respond = if t.urgent {
        c.urgent_respond_minutes
    } else {
        c.respond_minutes
    };
    match t.state {
        State::New => Some(t.created_at + i64::from(respond) * MINUTE_MS),
        State::Responded => Some(t.created_at + i64::from(c.match_minutes) * MINUTE_MS),
        _ => None,
    }
}

/// Past its deadline at `now` (a request exactly at its deadline is not late).
pub fn is_overdue(t: &Timing, c: &Clocks, now: Stamp) -> bool {
    if let Some(due) = t.due {
        return t.state.is_open() && now > due;
    }
    let respond = if t.urgent {
        c.urgent_respond_minutes
    } else {
        c.respond_minutes
    };
    match t.state {
        State::New => {
            now > t.created_at + i64::from(respond) * MINUTE_MS
                || now > t.created_at + i64::from(c.match_minutes) * MINUTE_MS
        }
        State::Responded => now > t.created_at + i64::from(c.match_minutes) * MINUTE_MS,
        _ => false,
    }
}

/// Whole minutes left (positive) or over (negative) to the next deadline.
pub fn minutes_left(t: &Timing, c: &Clocks, now: Stamp) -> Option<i64> {
    next_deadline(t, c).map(|d| {
        let ms = d - now;
        if ms >= 0 {
            ms / MINUTE_MS
        } else {
            -((-ms + MINUTE_MS - 1) / MINUTE_MS)
        }
    })
}

/// Queue order: open urgent requests first, then the nearest deadline, then
/// the oldest; closed ones last, newest first.
pub fn order_key(t: &Timing, c: &Clocks) -> (u8, i64) {
    match (t.state.is_open(), t.urgent) {
        (true, true) => (0, next_deadline(t, c).unwrap_or(t.created_at)),
        (true, false) => (1, next_deadline(t, c).unwrap_or(i64::MAX / 2)),
        (false, _) => (2, -t.created_at),
    }
}

/// A request as the intake form gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRequest {
    pub requester: i64,
    pub type_id: i64,
    pub description: String,
    pub place: String,
    pub window_start: Stamp,
    pub window_end: Stamp,
    pub minutes: u32,
    pub urgent: bool,
    pub channel: Channel,
    pub pool_pays: bool,
}

/// The requester as the intake checks see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requester {
    pub approved: bool,
    pub blacklisted: bool,
    pub level: Level,
}

/// Intake checks that need the requester and the service's tier.
pub fn check_request(
    r: &NewRequest,
    who: &Requester,
    tier: Tier,
    now: Stamp,
) -> Result<(), Vec<Refusal>> {
    let mut errs = Vec::new();
    if !who.approved {
        errs.push(Refusal::at(
            "requester",
            msg!("request.requester_not_approved"),
        ));
    } else if who.blacklisted {
        errs.push(Refusal::at(
            "requester",
            msg!("request.requester_blacklisted"),
        ));
    }
    errs.extend(recipient_refusals(who.level, tier, r.minutes));
    errs.extend(check_window(r, now));
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

/// What the recipient's level lets them receive (§4): the service's tier
/// and at most the level's single-service cap. Intake refuses at the field;
/// matching refuses the same request if the requester no longer may.
pub fn recipient_refusals(level: Level, tier: Tier, minutes: u32) -> Vec<Refusal> {
    let mut errs = Vec::new();
    if !level.allows(tier) {
        errs.push(Refusal::at(
            "type",
            msg!("request.level_cannot_receive", level = level.label_key()),
        ));
    }
    // beyond the longest any level may have, `check_window` says the range
    if minutes > level.max_minutes() && minutes <= Level::Honor.max_minutes() {
        errs.push(Refusal::at(
            "minutes",
            msg!(
                "request.over_recipient_cap",
                level = level.label_key(),
                hours = level.max_minutes() / 60
            ),
        ));
    }
    errs
}

/// The parts of intake that need nothing but the form.
pub fn check_window(r: &NewRequest, now: Stamp) -> Vec<Refusal> {
    let mut errs = Vec::new();
    if r.description.trim().is_empty() {
        errs.push(Refusal::at(
            "description",
            msg!("request.description_required"),
        ));
    }
    if r.minutes == 0 || r.minutes > Level::Honor.max_minutes() {
        errs.push(Refusal::at(
            "minutes",
            msg!("request.minutes_range", max = Level::Honor.max_minutes()),
        ));
    }
    if r.window_end <= r.window_start {
        errs.push(Refusal::at("to", msg!("request.window_backwards")));
    } else if r.window_end <= now {
        errs.push(Refusal::at("to", msg!("request.window_past")));
    } else if i64::from(r.minutes) * MINUTE_MS > r.window_end - r.window_start {
        errs.push(Refusal::at(
            "minutes",
            msg!("request.minutes_exceed_window"),
        ));
    }
    errs
}

#[cfg(test)]
mod tests;
