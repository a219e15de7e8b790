//! Pane 7 (统计): the period figures, the 30-day charts, the month's KPIs,
//! and this month's satisfaction callbacks.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm, RestoreCtx};
use super::state::*;
use super::{App, Pending};
use crate::msg;
use crate::msg::Refusal;
use crate::store::stats::{Callback, Stats};
use crate::worker::{Data, DbCommand, Reply};
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
    fn draft_key(&self) -> Option<&'static str> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    Stats,
    Callbacks,
    Write,
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
    pub req: Option<u64>,
}

crate::pane_forms!(StatsPane);

impl StatsPane {
    fn restore_form(&mut self, _key: &str, _data: &Value, _ctx: &RestoreCtx) -> bool {
        false
    }

    pub fn selected(&self) -> Option<&Callback> {
        self.callbacks.get(self.sel)
    }
}

fn answer_form() -> Form {
    Form::new(vec![
        Field::choice(
            "satisfied",
            crate::k!("stats.cb.result"),
            vec![
                Choice::key("", crate::k!("stats.cb.choose")),
                Choice::key("yes", crate::k!("stats.cb.satisfied")),
                Choice::key("no", crate::k!("stats.cb.unsatisfied")),
            ],
        ),
        Field::text("note", crate::k!("stats.cb.note"), 80)
            .with_hint(crate::k!("stats.cb.note.hint")),
    ])
}

impl App {
    fn stats_pane(&mut self) -> Option<&mut StatsPane> {
        self.desk_mut().map(|d| &mut d.stats)
    }

    pub(super) fn stats_entered(&mut self) {
        let at = self.state.now;
        let id = self.db(DbCommand::Stats { at }, Pending::Stats(Req::Stats));
        if let Some(p) = self.stats_pane() {
            p.req = Some(id);
        }
        self.db(DbCommand::Callbacks { at }, Pending::Stats(Req::Callbacks));
    }

    pub(super) fn stats_command(&mut self, cmd: Command) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let Some(p) = self.stats_pane() else { return };
        match cmd {
            Command::SwitchSection => {
                p.view = match p.view {
                    View::Figures => View::Callbacks,
                    View::Callbacks => View::Figures,
                }
            }
            Command::Refresh => self.stats_entered(),
            Command::RevealPhone => {
                if let Some(id) = p.callbacks.get(p.sel).map(|c| c.member_id) {
                    self.reveal_phone(id);
                }
            }
            Command::Up => p.sel = p.sel.saturating_sub(1),
            Command::Down => p.sel = (p.sel + 1).min(p.callbacks.len().saturating_sub(1)),
            Command::Top => p.sel = 0,
            Command::Bottom => p.sel = p.callbacks.len().saturating_sub(1),
            Command::PageUp => p.sel = p.sel.saturating_sub(10),
            Command::PageDown => p.sel = (p.sel + 10).min(p.callbacks.len().saturating_sub(1)),
            Command::DrawCallbacks => {
                p.view = View::Callbacks;
                if !p.callbacks.is_empty() {
                    return self.notify(NoticeKind::Info, msg!("stats.cb.already_drawn"));
                }
                self.db(
                    DbCommand::DrawCallbacks { by, at },
                    Pending::Stats(Req::Callbacks),
                );
            }
            Command::AnswerCallback | Command::Select if p.view == View::Callbacks => {
                let Some(c) = p.selected() else {
                    return self.notify(NoticeKind::Info, msg!("stats.cb.none"));
                };
                let member_id = c.member_id;
                let mut f = answer_form();
                if let Some(s) = c.satisfied {
                    f.set("satisfied", if s { "yes" } else { "no" });
                }
                if let Some(n) = &c.note {
                    f.set("note", n);
                }
                p.form = Some(OpenForm::new(StatsFormKind::Answer { member_id }, f));
            }
            _ => {}
        }
    }

    pub(super) fn submit_stats_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let Some(of) = self.stats_pane().and_then(|p| p.form.as_mut()) else {
            return;
        };
        let StatsFormKind::Answer { member_id } = of.kind;
        let satisfied = match of.form.value("satisfied") {
            "yes" => true,
            "no" => false,
            _ => {
                return of
                    .form
                    .show_refusals(&[Refusal::at("satisfied", msg!("stats.cb.result_required"))]);
            }
        };
        let note = of.form.value("note").trim().to_string();
        if !satisfied && note.is_empty() {
            return of
                .form
                .show_refusals(&[Refusal::at("note", msg!("stats.cb.note_required"))]);
        }
        of.form.clear_errors();
        let id = self.db(
            DbCommand::AnswerCallback {
                by,
                member_id,
                satisfied,
                note,
                at,
            },
            Pending::Stats(Req::Write),
        );
        if let Some(of) = self.stats_pane().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    pub(super) fn stats_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::Stats, Ok(Data::Stats(s))) => {
                if let Some(p) = self.stats_pane()
                    && p.req == Some(reply.id)
                {
                    p.stats = Some(s);
                }
            }
            (Req::Callbacks | Req::Write, Ok(Data::Callbacks(list))) => {
                let wrote = req == Req::Write;
                if let Some(p) = self.stats_pane() {
                    p.sel = p.sel.min(list.len().saturating_sub(1));
                    p.callbacks = list;
                    p.callbacks_loaded = true;
                    if wrote {
                        p.form = None;
                    }
                }
                if wrote {
                    self.notify(NoticeKind::Ok, msg!("form.saved"));
                    let at = self.state.now;
                    let id = self.db(DbCommand::Stats { at }, Pending::Stats(Req::Stats));
                    if let Some(p) = self.stats_pane() {
                        p.req = Some(id);
                    }
                }
            }
            (_, Err(e)) => {
                if let Some(of) = self.stats_pane().and_then(|p| p.form.as_mut()) {
                    of.form.busy = None;
                    of.form.show_refusals(&e.refusals());
                } else {
                    self.notify(NoticeKind::Error, e.msg());
                }
            }
            _ => {}
        }
    }
}
