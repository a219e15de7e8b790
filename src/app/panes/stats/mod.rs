//! Pane 7 (统计): the period figures, the 30-day charts, the month's KPIs,
//! and this month's satisfaction callbacks (the number in full inside the
//! call's dialog for any staff member; on the list to a station master who
//! asks).

mod forms;

use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::msg;
use crate::store::StoreResult;
use crate::store::reveal::{CallNumber, CallPurpose};
use crate::store::stats::{Callback, Stats};
use crate::worker::desk::NumberForCall;
use crate::worker::stats::{AnswerCallback, DrawCallbacks, ListCallbacks, ReadStats};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Figures,
    Callbacks,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatsFormKind {
    Answer { member_id: i64 },
}

impl FormKind for StatsFormKind {
    /// An answer is written down during the call: no draft.
    fn draft_key(&self) -> Option<&'static str> {
        None
    }
}

/// What comes back to the stats pane.
#[derive(Debug, Clone, PartialEq)]
pub enum StatsMsg {
    /// The figures, read again.
    Figures(StoreResult<Box<Stats>>),
    /// This month's callback list, read or drawn.
    Callbacks(StoreResult<Vec<Callback>>),
    /// An answer written down; the list as it now stands.
    Answered(StoreResult<Vec<Callback>>),
    /// The member's number for the open call dialog, in full.
    Number(StoreResult<CallNumber>),
    /// Tool-corner loans past due: borrowers to call.
    OverdueLoans(StoreResult<Vec<crate::store::tools::LoanRow>>),
}

#[derive(Debug, Clone, Default)]
pub struct StatsPane {
    pub view: View,
    pub stats: Option<Box<Stats>>,
    pub callbacks: Vec<Callback>,
    /// The callback list was asked for this month (empty means none drawn yet).
    pub callbacks_loaded: bool,
    pub sel: usize,
    pub form: Option<OpenForm<StatsFormKind>>,
    /// Tool-corner loans past due, shown above the callback list.
    pub overdue_loans: Vec<crate::store::tools::LoanRow>,
}

crate::pane_forms!(StatsPane);

impl StatsPane {
    fn restore_form(&mut self, _key: &str, _data: &Value, _ctx: &RestoreCtx) -> bool {
        false
    }

    pub fn selected(&self) -> Option<&Callback> {
        self.callbacks.get(self.sel)
    }

    /// Read the figures again (a reply to an earlier read is dropped).
    fn load_figures(&mut self, cx: &mut Cx<'_, StatsMsg>) {
        let at = cx.desk.now;
        cx.db_latest("stats.figures", ReadStats { at }, |r| {
            StatsMsg::Figures(r.map(Box::new))
        });
    }

    fn show_callbacks(&mut self, list: Vec<Callback>) {
        self.sel = self.sel.min(list.len().saturating_sub(1));
        self.callbacks = list;
        self.callbacks_loaded = true;
    }

    /// The answer form for the selected member (holding what they said
    /// before, if called already).
    fn answer(&mut self, cx: &mut Cx<'_, StatsMsg>) {
        let Some(c) = self.selected() else {
            return cx.notify(NoticeKind::Info, msg!("stats.cb.none"));
        };
        let member_id = c.member_id;
        let kind = StatsFormKind::Answer { member_id };
        self.form = Some(OpenForm::new(kind, forms::answer_form(c)));
        // the number to dial, in full for whoever calls (logged)
        let ask = NumberForCall {
            by: cx.desk.session.clone(),
            member_id,
            purpose: CallPurpose::Callback,
            about: format!("callback:{}", cx.desk.today().format("%Y-%m")),
            at: cx.desk.now,
        };
        cx.db(ask, StatsMsg::Number);
    }
}

impl PaneComponent for StatsPane {
    type Msg = StatsMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Stats, Context::List]
    }

    /// Nothing is new here; a callback is answered (`c`, also Enter) and a
    /// phone shown only on the callback list.
    fn available(&self, cmd: Command) -> bool {
        match cmd {
            Command::Select | Command::New => false,
            Command::AnswerCallback | Command::RevealPhone => self.view == View::Callbacks,
            _ => true,
        }
    }

    fn entered(&mut self, cx: &mut Cx<'_, StatsMsg>) {
        self.load_figures(cx);
        let at = cx.desk.now;
        cx.db_latest("stats.callbacks", ListCallbacks { at }, StatsMsg::Callbacks);
        cx.db_latest(
            "stats.overdue_loans",
            crate::worker::tools::OverdueLoans { at },
            StatsMsg::OverdueLoans,
        );
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, StatsMsg>) -> bool {
        let last = self.callbacks.len().saturating_sub(1);
        match cmd {
            Command::SwitchSection => {
                self.view = match self.view {
                    View::Figures => View::Callbacks,
                    View::Callbacks => View::Figures,
                }
            }
            Command::Refresh => self.entered(cx),
            // only over the callback list: in the figures view the selected
            // callback is not on screen, and its number would show unasked
            Command::RevealPhone if self.view == View::Callbacks => {
                if let Some(c) = self.selected() {
                    cx.reveal_phones(c.member_id);
                }
            }
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, 10),
            Command::DrawCallbacks => {
                self.view = View::Callbacks;
                if self.callbacks.is_empty() {
                    let (by, at) = (cx.desk.session.clone(), cx.desk.now);
                    cx.db(DrawCallbacks { by, at }, StatsMsg::Callbacks);
                } else {
                    cx.notify(NoticeKind::Info, msg!("stats.cb.already_drawn"));
                }
            }
            Command::AnswerCallback | Command::Select if self.view == View::Callbacks => {
                self.answer(cx);
            }
            _ => return false,
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, StatsMsg>) {
        let Some(of) = self.form.as_mut() else { return };
        let StatsFormKind::Answer { member_id } = of.kind;
        match forms::parse_answer(&of.form) {
            Ok((satisfied, note)) => {
                let (by, at) = (cx.desk.session.clone(), cx.desk.now);
                let answer = AnswerCallback {
                    by,
                    member_id,
                    satisfied,
                    note,
                    at,
                };
                of.form.clear_errors();
                of.form.busy = Some(cx.db(answer, StatsMsg::Answered));
            }
            Err(errs) => of.form.show_refusals(&errs),
        }
    }

    fn update(&mut self, msg: StatsMsg, cx: &mut Cx<'_, StatsMsg>) {
        match msg {
            StatsMsg::Figures(Ok(s)) => self.stats = Some(s),
            StatsMsg::Callbacks(Ok(list)) => self.show_callbacks(list),
            StatsMsg::OverdueLoans(Ok(list)) => self.overdue_loans = list,
            StatsMsg::Answered(Ok(list)) => {
                self.show_callbacks(list);
                self.form = None;
                cx.notify(NoticeKind::Ok, msg!("form.saved"));
                // the month's KPIs count the answers
                self.load_figures(cx);
            }
            StatsMsg::Number(Ok(n)) => {
                if let Some(of) = self.form.as_mut()
                    && of.kind
                        == (StatsFormKind::Answer {
                            member_id: n.member_id,
                        })
                {
                    of.form.show("phone", n.dial_line());
                }
            }
            StatsMsg::Figures(Err(e)) | StatsMsg::Callbacks(Err(e)) | StatsMsg::Number(Err(e)) => {
                cx.failed(None, e)
            }
            StatsMsg::OverdueLoans(Err(e)) => cx.failed(None, e),
            StatsMsg::Answered(Err(e)) => cx.failed(self.form.as_mut().map(|f| &mut f.form), e),
        }
    }
}

#[cfg(test)]
mod tests;
