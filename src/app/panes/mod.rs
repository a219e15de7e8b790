//! The desk's panes: the registry ([`Pane`], [`Panes`], [`PaneMsg`],
//! [`route`]) and the one face the App sees of a pane component
//! ([`Component`]).
//!
//! A pane component is a folder here, `panes/<pane>/`: its state and its
//! [`PaneComponent`] impl, its forms with their parsers and tests, its
//! update. No pane imports another pane or the App: a move between panes
//! is a [`Goto`] the App carries out through [`route`]. Adding a pane: its
//! folder, a field in [`Panes`], a variant of [`PaneMsg`] with its `From`,
//! an arm in [`Panes::get`], [`Panes::get_mut`], [`Panes::all_forms_mut`]
//! and [`Panes::deliver`] (see `docs/architecture.md`).
//!
//! F2/F10 (`app/routine/`) is a component of the same shape kept here as
//! a layer, [`Panes::routine`], while it is open; its messages travel as
//! any pane's.

pub mod disputes;
pub mod hub;
pub mod ledger;
pub mod matching;
pub mod members;
pub mod merchants;
pub mod queue;
pub mod record;
pub mod settings;
pub mod stats;

use super::action::Command;
use super::cx::{Cx, Goto, Shared};
use super::keymap::Context;
use super::outbox::{Outbox, PaneOutlet};
use super::pane::{PaneComponent, PaneForms};
use super::routine;
use crate::domain::queue::State;
use crate::msg::Msg;

/// The panes of the desk, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Queue,
    Match,
    Record,
    Ledger,
    Disputes,
    Members,
    Stats,
    Merchants,
    Settings,
    Hub,
}

impl Pane {
    /// Panes that exist in this build, in tab order. Only real panes appear.
    pub const AVAILABLE: &'static [Pane] = &[
        Pane::Queue,
        Pane::Match,
        Pane::Record,
        Pane::Ledger,
        Pane::Disputes,
        Pane::Members,
        Pane::Stats,
        Pane::Merchants,
        Pane::Settings,
        Pane::Hub,
    ];

    pub fn number(self) -> u8 {
        match self {
            Pane::Queue => 1,
            Pane::Match => 2,
            Pane::Record => 3,
            Pane::Ledger => 4,
            Pane::Disputes => 5,
            Pane::Members => 6,
            Pane::Stats => 7,
            Pane::Merchants => 8,
            Pane::Settings => 9,
            Pane::Hub => 0,
        }
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Pane::Queue => crate::k!("pane.queue"),
            Pane::Match => crate::k!("pane.match"),
            Pane::Record => crate::k!("pane.record"),
            Pane::Ledger => crate::k!("pane.ledger"),
            Pane::Disputes => crate::k!("pane.disputes"),
            Pane::Members => crate::k!("pane.members"),
            Pane::Stats => crate::k!("pane.stats"),
            Pane::Merchants => crate::k!("pane.merchants"),
            Pane::Settings => crate::k!("pane.settings"),
            Pane::Hub => crate::k!("pane.hub"),
        }
    }

    pub fn is_available(self) -> bool {
        Pane::AVAILABLE.contains(&self)
    }
}

/// The states of the panes.
#[derive(Debug, Clone, Default)]
pub struct Panes {
    pub queue: queue::QueuePane,
    pub matching: matching::MatchPane,
    pub disputes: disputes::DisputesPane,
    pub merchants: merchants::MerchantsPane,
    pub settings: settings::SettingsPane,
    /// F2 / F10: in front of the panes while it is open (a layer, not a tab).
    pub routine: Option<routine::Routine>,
    pub record: record::RecordPane,
    pub ledger: ledger::LedgerPane,
    pub stats: stats::StatsPane,
    pub members: members::MembersPane,
    pub hub: hub::HubPane,
}

/// A message to one pane: a reply to what it asked, the "yes" of its
/// confirmation, an arrival from another pane. Boxed: a pane's message may
/// carry whole rows, this one only travels.
#[derive(Debug, Clone, PartialEq)]
pub enum PaneMsg {
    Queue(Box<queue::QueueMsg>),
    Match(Box<matching::MatchMsg>),
    Disputes(Box<disputes::DisputesMsg>),
    Merchants(Box<merchants::MerchantsMsg>),
    Settings(Box<settings::SettingsMsg>),
    Routine(Box<routine::RoutineMsg>),
    Record(Box<record::RecordMsg>),
    Ledger(Box<ledger::LedgerMsg>),
    Stats(Box<stats::StatsMsg>),
    Members(Box<members::MembersMsg>),
    Hub(Box<hub::HubMsg>),
}

impl From<queue::QueueMsg> for PaneMsg {
    fn from(m: queue::QueueMsg) -> Self {
        PaneMsg::Queue(Box::new(m))
    }
}

impl From<matching::MatchMsg> for PaneMsg {
    fn from(m: matching::MatchMsg) -> Self {
        PaneMsg::Match(Box::new(m))
    }
}

impl From<disputes::DisputesMsg> for PaneMsg {
    fn from(m: disputes::DisputesMsg) -> Self {
        PaneMsg::Disputes(Box::new(m))
    }
}

impl From<merchants::MerchantsMsg> for PaneMsg {
    fn from(m: merchants::MerchantsMsg) -> Self {
        PaneMsg::Merchants(Box::new(m))
    }
}

impl From<settings::SettingsMsg> for PaneMsg {
    fn from(m: settings::SettingsMsg) -> Self {
        PaneMsg::Settings(Box::new(m))
    }
}

impl From<routine::RoutineMsg> for PaneMsg {
    fn from(m: routine::RoutineMsg) -> Self {
        PaneMsg::Routine(Box::new(m))
    }
}

impl From<record::RecordMsg> for PaneMsg {
    fn from(m: record::RecordMsg) -> Self {
        PaneMsg::Record(Box::new(m))
    }
}

impl From<ledger::LedgerMsg> for PaneMsg {
    fn from(m: ledger::LedgerMsg) -> Self {
        PaneMsg::Ledger(Box::new(m))
    }
}

impl From<stats::StatsMsg> for PaneMsg {
    fn from(m: stats::StatsMsg) -> Self {
        PaneMsg::Stats(Box::new(m))
    }
}

impl From<members::MembersMsg> for PaneMsg {
    fn from(m: members::MembersMsg) -> Self {
        PaneMsg::Members(Box::new(m))
    }
}

impl From<hub::HubMsg> for PaneMsg {
    fn from(m: hub::HubMsg) -> Self {
        PaneMsg::Hub(Box::new(m))
    }
}

/// What the App asks of a pane: of the pane in front, but for
/// `IndexChanged`, which every pane hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Entered,
    Command(Command),
    Submit,
    FormChanged,
    Tick,
    IndexChanged,
    MemberFound(i64),
}

/// A pane component as the App sees it, whatever its message type.
pub trait Component: PaneForms {
    /// Carry out `call`; whether the pane had a use for it (see
    /// [`PaneComponent::command`], [`PaneComponent::member_found`]).
    fn call(&mut self, call: Call, desk: &Shared<'_>, out: &mut Outbox<PaneMsg>) -> bool;
    fn contexts(&self) -> &'static [Context];
    fn available(&self, cmd: Command) -> bool;
}

impl<P> Component for P
where
    P: PaneComponent,
    P::Msg: Into<PaneMsg>,
{
    fn call(&mut self, call: Call, desk: &Shared<'_>, out: &mut Outbox<PaneMsg>) -> bool {
        let mut outlet = PaneOutlet::new(out, Into::into);
        let cx = &mut Cx::new(desk, &mut outlet);
        match call {
            Call::Entered => self.entered(cx),
            Call::Command(cmd) => return self.command(cmd, cx),
            Call::Submit => self.submit(cx),
            Call::FormChanged => self.form_changed(cx),
            Call::Tick => self.tick(cx),
            Call::IndexChanged => self.index_changed(cx),
            Call::MemberFound(id) => return self.member_found(id, cx),
        }
        true
    }

    fn contexts(&self) -> &'static [Context] {
        PaneComponent::contexts(self)
    }

    fn available(&self, cmd: Command) -> bool {
        PaneComponent::available(self, cmd)
    }
}

/// Give `msg` to `pane`.
fn update<P>(pane: &mut P, msg: P::Msg, desk: &Shared<'_>, out: &mut Outbox<PaneMsg>)
where
    P: PaneComponent,
    P::Msg: Into<PaneMsg>,
{
    let mut outlet = PaneOutlet::new(out, Into::into);
    pane.update(msg, &mut Cx::new(desk, &mut outlet));
}

impl Panes {
    /// The component showing `pane`.
    pub fn get(&self, pane: Pane) -> &dyn Component {
        match pane {
            Pane::Queue => &self.queue,
            Pane::Match => &self.matching,
            Pane::Disputes => &self.disputes,
            Pane::Merchants => &self.merchants,
            Pane::Settings => &self.settings,
            Pane::Record => &self.record,
            Pane::Ledger => &self.ledger,
            Pane::Stats => &self.stats,
            Pane::Members => &self.members,
            Pane::Hub => &self.hub,
        }
    }

    pub fn get_mut(&mut self, pane: Pane) -> &mut dyn Component {
        match pane {
            Pane::Queue => &mut self.queue,
            Pane::Match => &mut self.matching,
            Pane::Disputes => &mut self.disputes,
            Pane::Merchants => &mut self.merchants,
            Pane::Settings => &mut self.settings,
            Pane::Record => &mut self.record,
            Pane::Ledger => &mut self.ledger,
            Pane::Stats => &mut self.stats,
            Pane::Members => &mut self.members,
            Pane::Hub => &mut self.hub,
        }
    }

    /// Every pane's forms, for drafts and the quit question.
    pub fn all_forms_mut(&mut self) -> [&mut dyn PaneForms; 10] {
        [
            &mut self.queue,
            &mut self.matching,
            &mut self.disputes,
            &mut self.members,
            &mut self.record,
            &mut self.ledger,
            &mut self.settings,
            &mut self.stats,
            &mut self.merchants,
            &mut self.hub,
        ]
    }

    /// A message reaches the pane it is for.
    pub fn deliver(&mut self, msg: PaneMsg, desk: &Shared<'_>, out: &mut Outbox<PaneMsg>) {
        match msg {
            PaneMsg::Queue(m) => update(&mut self.queue, *m, desk, out),
            PaneMsg::Match(m) => update(&mut self.matching, *m, desk, out),
            PaneMsg::Disputes(m) => update(&mut self.disputes, *m, desk, out),
            PaneMsg::Merchants(m) => update(&mut self.merchants, *m, desk, out),
            PaneMsg::Settings(m) => update(&mut self.settings, *m, desk, out),
            PaneMsg::Routine(m) => match self.routine.as_mut() {
                Some(r) => update(r, *m, desk, out),
                None => {
                    let mut outlet = PaneOutlet::new(out, Into::into);
                    routine::after_closed(*m, &mut Cx::new(desk, &mut outlet));
                }
            },
            PaneMsg::Record(m) => update(&mut self.record, *m, desk, out),
            PaneMsg::Ledger(m) => update(&mut self.ledger, *m, desk, out),
            PaneMsg::Stats(m) => update(&mut self.stats, *m, desk, out),
            PaneMsg::Members(m) => update(&mut self.members, *m, desk, out),
            PaneMsg::Hub(m) => update(&mut self.hub, *m, desk, out),
        }
    }
}

/// Where a move between panes lands.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// On `Pane`, which gets the message.
    To(Pane, PaneMsg),
    /// Not made, and why.
    Refused(Msg),
}

/// Where `to` lands: the one table of moves between panes.
pub fn route(to: Goto) -> Route {
    match to {
        Goto::Match { request_id } => {
            Route::To(Pane::Match, matching::MatchMsg::Open(request_id).into())
        }
        Goto::Carried { request_id } => {
            Route::To(Pane::Queue, queue::QueueMsg::ShowCarried(request_id).into())
        }
        Goto::RecordService(r) if !matches!(r.state, State::Matched | State::InService) => {
            Route::Refused(crate::msg!("request.not_matched"))
        }
        Goto::RecordService(r) if r.merchant_id.is_some() => {
            Route::To(Pane::Queue, queue::QueueMsg::MerchantService(r).into())
        }
        Goto::RecordService(r) => Route::To(Pane::Record, record::RecordMsg::Service(r).into()),
    }
}
