//! F2 (开站) and F10 (闭站): the day's routine, in front of the panes while
//! it is open. F2 opens the day with its checklist (and the carried-over
//! requests reviewed), names the midday duty and marks short items back;
//! F10 closes it with its figures, a story and the documents locked away,
//! syncs with headquarters after, and lets a station master reopen it.
//!
//! A component of the same shape as a pane ([`PaneComponent`]): the App
//! holds it as a layer over the panes (`Panes::routine`), not as a tab. It
//! does not close itself: Esc on its lists, or leaving its own form, is
//! the App's (the layer is the App's, as an overlay is). Its messages still
//! come when it was closed meanwhile: [`after_closed`] says what of them
//! still matters.

mod forms;
mod update;

pub use update::after_closed;

use crate::app::action::Command;
use crate::app::cx::{Cx, Goto};
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::exports::printed::Printable;
use crate::hq::HqError;
use crate::hq::sync::SyncReport;
use crate::msg;
use crate::store::StoreResult;
use crate::store::days::Closed;
use crate::store::overview::DayInfo;
use crate::worker::day::{MarkReplenished, ReadDay};

use serde_json::Value;

/// Rows PgUp/PgDn move the carry-over list by (it shows about this many at
/// 80×24).
const CARRY_PAGE: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineKind {
    Open,
    Close,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoutineFormKind {
    Checklist,
    Close,
    Midday,
    Reopen,
}

impl RoutineFormKind {
    /// Leaving this form leaves the routine (it is the routine's own step).
    pub fn closes_routine(&self) -> bool {
        matches!(self, RoutineFormKind::Checklist | RoutineFormKind::Close)
    }
}

impl FormKind for RoutineFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            RoutineFormKind::Close => Some("routine.close"),
            _ => None,
        }
    }
}

/// What comes back to the routine.
#[derive(Debug, Clone, PartialEq)]
pub enum RoutineMsg {
    /// The day read: today, or an earlier day left open.
    Day(StoreResult<Box<DayInfo>>),
    /// A step saved (the day opened, the midday duty, an item back, the
    /// day reopened): the day as it now stands.
    Saved(StoreResult<Box<DayInfo>>),
    /// The day closed, or found closed already.
    Closed(StoreResult<Box<Closed>>),
    /// What the sync with headquarters after the close did (`None`: the
    /// station has no headquarters address).
    Synced(StoreResult<Option<Result<SyncReport, HqError>>>),
    /// "Close with N carrying over?" answered yes: close with this story.
    CloseConfirmed(String),
    /// The close report saved, and opened or printed.
    Printed(StoreResult<crate::exports::deliver::Delivered>),
}

#[derive(Debug, Clone)]
pub struct Routine {
    pub kind: RoutineKind,
    pub info: Option<Box<DayInfo>>,
    pub form: Option<OpenForm<RoutineFormKind>>,
    /// Selection in the status lists: replenish items, then carried requests.
    pub sel: usize,
    pub closed: Option<Box<Closed>>,
    /// The first row shown of what carries over (F10).
    pub carry_top: usize,
    /// Whoever opened it is a station master (may reopen a closed day).
    master: bool,
}

crate::pane_forms!(Routine);

impl Routine {
    /// F2 (`Open`) or F10 (`Close`), its day still to read.
    pub fn new(kind: RoutineKind) -> Routine {
        Routine {
            kind,
            info: None,
            form: None,
            sel: 0,
            closed: None,
            carry_top: 0,
            master: false,
        }
    }

    /// Its forms are never kept as drafts.
    fn restore_form(&mut self, _key: &str, _data: &Value, _ctx: &RestoreCtx) -> bool {
        false
    }

    /// F10 with its close form open.
    pub fn closing(&self) -> bool {
        self.form
            .as_ref()
            .is_some_and(|f| f.kind == RoutineFormKind::Close)
    }

    /// Scroll what carries over by a page, never past its last row.
    fn scroll_carry(&mut self, down: bool) {
        let len = self.info.as_deref().map_or(0, |i| i.carry.len());
        self.carry_top = if down {
            (self.carry_top + CARRY_PAGE).min(len.saturating_sub(1))
        } else {
            self.carry_top.saturating_sub(CARRY_PAGE)
        };
    }

    /// Close the open form; whether that leaves the routine (the checklist
    /// and the close are its own steps).
    pub fn drop_form(&mut self) -> bool {
        self.form.take().is_some_and(|f| f.kind.closes_routine())
    }

    fn form_mut(&mut self) -> Option<&mut crate::app::form::Form> {
        self.form.as_mut().map(|f| &mut f.form)
    }

    /// Read the routine's day: today, or `day` (an earlier day left open).
    /// A reply to an earlier read is dropped.
    fn load(&mut self, day: Option<chrono::NaiveDate>, cx: &mut Cx<'_, RoutineMsg>) {
        let at = cx.desk.now;
        cx.db_latest("routine.day", ReadDay { at, day }, |r| {
            RoutineMsg::Day(r.map(Box::new))
        });
    }
}

impl PaneComponent for Routine {
    type Msg = RoutineMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Routine, Context::List]
    }

    /// Midday duty once the day is open (F2), items to mark back when
    /// some are short, reopening a closed day for a station master (F10);
    /// nothing is new here and nothing to read again.
    fn available(&self, cmd: Command) -> bool {
        let info = self.info.as_deref();
        match cmd {
            Command::Midday => {
                self.kind == RoutineKind::Open && info.is_some_and(|i| i.state.is_open())
            }
            Command::MarkReplenished => info.is_some_and(|i| !i.replenish.is_empty()),
            Command::ReopenDay => {
                self.kind == RoutineKind::Close
                    && self.master
                    && info.is_some_and(|i| i.state.is_closed())
            }
            Command::PageUp | Command::PageDown => {
                self.kind == RoutineKind::Close && info.is_some_and(|i| !i.carry.is_empty())
            }
            Command::Print => self.kind == RoutineKind::Close,
            Command::New | Command::Refresh => false,
            _ => true,
        }
    }

    /// It was opened: read today.
    fn entered(&mut self, cx: &mut Cx<'_, RoutineMsg>) {
        self.master = cx.desk.session.is_master();
        self.load(None, cx);
    }

    /// Keys on its lists (its day read). Esc is the App's.
    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, RoutineMsg>) -> bool {
        let Some(info) = self.info.as_deref() else {
            return false;
        };
        let lists = info.replenish.len() + info.carried.len();
        match cmd {
            Command::PageUp | Command::PageDown if self.kind == RoutineKind::Close => {
                self.scroll_carry(cmd == Command::PageDown);
            }
            Command::Up => self.sel = self.sel.saturating_sub(1),
            Command::Down => self.sel = (self.sel + 1).min(lists.saturating_sub(1)),
            // opened and not yet closed: a closed day takes no midday duty
            Command::Midday if self.kind == RoutineKind::Open && info.state.is_open() => {
                let form = forms::midday_form(&info.staff);
                self.form = Some(OpenForm::new(RoutineFormKind::Midday, form));
            }
            Command::MarkReplenished => {
                let Some(id) = info.replenish.get(self.sel).map(|i| i.id) else {
                    return true;
                };
                let (by, at) = (cx.desk.session.clone(), cx.desk.now);
                cx.db(MarkReplenished { by, id, at }, |r| {
                    RoutineMsg::Saved(r.map(Box::new))
                });
            }
            Command::Select => {
                let carried = self.sel.checked_sub(info.replenish.len());
                if let Some(q) = carried.and_then(|i| info.carried.get(i)) {
                    cx.go(Goto::Carried { request_id: q.id });
                }
            }
            Command::ReopenDay if self.kind == RoutineKind::Close && info.state.is_closed() => {
                if !cx.desk.session.is_master() {
                    cx.notify(NoticeKind::Error, msg!("staff.master_only"));
                    return true;
                }
                let form = forms::reopen_form();
                self.form = Some(OpenForm::new(RoutineFormKind::Reopen, form));
            }
            // the close report of the day shown (F10; its close form takes
            // the letters while open, so this is before or after closing)
            Command::Print if self.kind == RoutineKind::Close => {
                let what = Printable::CloseReport { day: info.day };
                cx.print(what, RoutineMsg::Printed);
            }
            _ => return false,
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, RoutineMsg>) {
        update::submit(self, cx);
    }

    fn update(&mut self, msg: RoutineMsg, cx: &mut Cx<'_, RoutineMsg>) {
        update::update(self, msg, cx);
    }
}

#[cfg(test)]
mod tests;
