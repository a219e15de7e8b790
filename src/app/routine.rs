//! F2 (开站) and F10 (闭站): the day's opening checklist and its close.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm};
use super::state::*;
use super::{App, Pending};
use crate::domain::day::Checked;
use crate::msg;
use crate::msg::Refusal;
use crate::store::days::Closed;
use crate::store::overview::DayInfo;
use crate::worker::{Data, DbCommand, Reply};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    Load,
    Write,
    Close,
    /// The sync with headquarters after a close.
    HqSync,
}

#[derive(Debug, Clone)]
pub struct Routine {
    pub kind: RoutineKind,
    pub info: Option<Box<DayInfo>>,
    pub form: Option<OpenForm<RoutineFormKind>>,
    /// Selection in the status lists: replenish items, then carried requests.
    pub sel: usize,
    pub closed: Option<Box<Closed>>,
    pub req: Option<u64>,
}

/// Field names for checklist items (`item_7`), made once and kept: forms
/// name their fields with static strings.
pub fn intern(s: String) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let set = NAMES.get_or_init(Default::default);
    let mut set = set.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(x) = set.get(s.as_str()) {
        return x;
    }
    let leaked: &'static str = Box::leak(s.into_boxed_str());
    set.insert(leaked);
    leaked
}

fn checklist_form(info: &DayInfo, lang: crate::i18n::Lang) -> Form {
    let mut fields: Vec<Field> = info
        .checklist
        .iter()
        .filter(|c| c.active)
        .map(|c| {
            let name = intern(format!("item_{}", c.id));
            let label = intern(match lang {
                crate::i18n::Lang::Zh => c.name_zh.clone(),
                crate::i18n::Lang::En => c.name_en.clone(),
            });
            match c.expected {
                Some(e) => Field::text(name, label, 4)
                    .with_value(&e.to_string())
                    .with_hint(crate::k!("open.count_hint")),
                None => Field::toggle(name, label),
            }
        })
        .collect();
    if !info.carried.is_empty() {
        fields.push(Field::toggle("carried", crate::k!("open.carried_reviewed")));
    }
    Form::new(fields)
}

impl App {
    fn routine(&mut self) -> Option<&mut Routine> {
        self.desk_mut().and_then(|d| d.routine.as_mut())
    }

    pub(super) fn open_routine(&mut self, kind: RoutineKind) {
        let Some(d) = self.desk_mut() else { return };
        d.routine = Some(Routine {
            kind,
            info: None,
            form: None,
            sel: 0,
            closed: None,
            req: None,
        });
        self.routine_load(None);
    }

    /// Read the routine's day: today, or `day` (an earlier day left open).
    fn routine_load(&mut self, day: Option<chrono::NaiveDate>) {
        let at = self.state.now;
        let id = self.db(DbCommand::Day { at, day }, Pending::Routine(Req::Load));
        if let Some(r) = self.routine() {
            r.req = Some(id);
        }
    }

    pub(super) fn routine_command_available(&self, cmd: Command) -> bool {
        let master = self.state.session().is_some_and(|s| s.is_master());
        let Some(r) = self.state.desk().and_then(|d| d.routine.as_ref()) else {
            return false;
        };
        let Some(info) = r.info.as_ref() else {
            return false;
        };
        match cmd {
            Command::Midday => r.kind == RoutineKind::Open && info.state.is_open(),
            Command::MarkReplenished => !info.replenish.is_empty(),
            Command::ReopenDay => r.kind == RoutineKind::Close && info.state.is_closed() && master,
            _ => false,
        }
    }

    pub(super) fn routine_command(&mut self, cmd: Command) {
        let master = self.state.session().is_some_and(|s| s.is_master());
        let Some(r) = self.routine() else { return };
        let Some(info) = r.info.clone() else { return };
        let lists = info.replenish.len() + info.carried.len();
        match cmd {
            Command::Cancel => {
                if let Some(d) = self.desk_mut() {
                    d.routine = None;
                }
            }
            Command::Up => r.sel = r.sel.saturating_sub(1),
            Command::Down => r.sel = (r.sel + 1).min(lists.saturating_sub(1)),
            Command::Midday if r.kind == RoutineKind::Open && info.state.opened_at.is_some() => {
                let staff = info
                    .staff
                    .iter()
                    .filter(|s| s.active)
                    .map(|s| Choice::text(s.id.to_string(), format!("{} {}", s.staff_no, s.name)))
                    .collect();
                r.form = Some(OpenForm::new(
                    RoutineFormKind::Midday,
                    Form::new(vec![Field::choice(
                        "staff",
                        crate::k!("open.midday_staff"),
                        staff,
                    )]),
                ));
            }
            Command::MarkReplenished => {
                let Some(item) = info.replenish.get(r.sel) else {
                    return;
                };
                let (Some(by), at) = (self.state.session().cloned(), self.state.now) else {
                    return;
                };
                self.db(
                    DbCommand::Replenished {
                        by,
                        id: item.id,
                        at,
                    },
                    Pending::Routine(Req::Write),
                );
            }
            Command::Select => {
                let Some(req) = r
                    .sel
                    .checked_sub(info.replenish.len())
                    .and_then(|i| info.carried.get(i))
                    .map(|q| q.id)
                else {
                    return;
                };
                self.go_to(super::cx::Goto::Carried { request_id: req });
            }
            Command::ReopenDay if r.kind == RoutineKind::Close && info.state.is_closed() => {
                if !master {
                    return self.notify(NoticeKind::Error, msg!("staff.master_only"));
                }
                if let Some(r) = self.routine() {
                    r.form = Some(OpenForm::new(
                        RoutineFormKind::Reopen,
                        Form::new(vec![Field::text(
                            "reason",
                            crate::k!("close.reopen_reason"),
                            60,
                        )]),
                    ));
                }
            }
            _ => {}
        }
    }

    pub(super) fn submit_routine_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let zh = self.state.tr.lang == crate::i18n::Lang::Zh;
        let carried_name = self.state.tr.t("open.carried_reviewed").to_string();
        let Some(r) = self.routine() else { return };
        let Some(info) = r.info.clone() else { return };
        let Some(of) = r.form.as_mut() else { return };
        let (cmd, req) = match of.kind {
            RoutineFormKind::Checklist => {
                let mut checks = Vec::new();
                let mut errs = Vec::new();
                for c in info.checklist.iter().filter(|c| c.active) {
                    let name = intern(format!("item_{}", c.id));
                    let label = if zh {
                        c.name_zh.clone()
                    } else {
                        c.name_en.clone()
                    };
                    match c.expected {
                        Some(e) => match of.form.value(name).trim().parse::<u32>() {
                            Ok(n) => checks.push(Checked {
                                item_id: c.id,
                                name: label,
                                done: true,
                                count: Some(n),
                                expected: Some(e),
                            }),
                            Err(_) => errs.push(Refusal::at(name, msg!("open.count_invalid"))),
                        },
                        None => {
                            if !of.form.on(name) {
                                errs.push(Refusal::at(name, msg!("open.tick")));
                            }
                            checks.push(Checked {
                                item_id: c.id,
                                name: label,
                                done: of.form.on(name),
                                count: None,
                                expected: None,
                            });
                        }
                    }
                }
                if !info.carried.is_empty() {
                    let done = of.form.on("carried");
                    if !done {
                        errs.push(Refusal::at("carried", msg!("open.tick")));
                    }
                    checks.push(Checked {
                        item_id: 0,
                        name: carried_name,
                        done,
                        count: Some(info.carried.len() as u32),
                        expected: None,
                    });
                }
                if !errs.is_empty() {
                    return of.form.show_refusals(&errs);
                }
                (DbCommand::OpenDay { by, checks, at }, Req::Write)
            }
            RoutineFormKind::Midday => {
                let Ok(staff_id) = of.form.value("staff").parse() else {
                    return;
                };
                (DbCommand::Midday { by, staff_id, at }, Req::Write)
            }
            RoutineFormKind::Reopen => {
                let reason = of.form.value("reason").trim().to_string();
                if reason.is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("reason", msg!("day.reopen_reason"))]);
                }
                (
                    DbCommand::ReopenDay {
                        by,
                        day: info.day,
                        reason,
                        at,
                    },
                    Req::Write,
                )
            }
            RoutineFormKind::Close => {
                let story = of.form.value("story").trim().to_string();
                if story.is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("story", msg!("close.story_required"))]);
                }
                if !of.form.on("docs_locked") {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("docs_locked", msg!("close.docs_required"))]);
                }
                (
                    DbCommand::CloseDay {
                        by,
                        day: info.day,
                        story,
                        docs_locked: true,
                        at,
                    },
                    Req::Close,
                )
            }
        };
        of.form.clear_errors();
        let id = self.db(cmd, Pending::Routine(req));
        if let Some(of) = self.routine().and_then(|r| r.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    pub(super) fn routine_reply(&mut self, req: Req, reply: Reply) {
        let lang = self.state.tr.lang;
        match (req, reply.result) {
            (Req::Load | Req::Write, Ok(Data::Day(info))) => {
                let write = req == Req::Write;
                let Some(r) = self.routine() else { return };
                if req == Req::Load && r.req != Some(reply.id) {
                    return;
                }
                // today is not open but an earlier day was left open: F10
                // closes that one first
                if r.kind == RoutineKind::Close
                    && info.state.opened_at.is_none()
                    && let Some(d) = info.unclosed.filter(|d| *d < info.day)
                {
                    return self.routine_load(Some(d));
                }
                let had_form = r.form.as_ref().map(|f| f.kind.clone());
                r.form = None;
                r.sel = r
                    .sel
                    .min((info.replenish.len() + info.carried.len()).saturating_sub(1));
                match r.kind {
                    RoutineKind::Open if info.state.opened_at.is_none() => {
                        r.form = Some(OpenForm::new(
                            RoutineFormKind::Checklist,
                            checklist_form(&info, lang),
                        ));
                    }
                    RoutineKind::Close
                        if info.state.opened_at.is_some() && !info.state.is_closed() =>
                    {
                        r.form = Some(OpenForm::new(
                            RoutineFormKind::Close,
                            Form::new(vec![
                                Field::text("story", crate::k!("close.story"), 80)
                                    .with_hint(crate::k!("close.story.hint")),
                                Field::toggle("docs_locked", crate::k!("close.docs_locked")),
                            ]),
                        ));
                    }
                    _ => {}
                }
                let opened_now = write && had_form == Some(RoutineFormKind::Checklist);
                r.info = Some(info);
                if opened_now {
                    let late = self
                        .state
                        .desk()
                        .and_then(|d| d.routine.as_ref())
                        .and_then(|r| r.info.as_ref())
                        .is_some_and(|i| i.state.late);
                    self.notify(
                        if late {
                            NoticeKind::Info
                        } else {
                            NoticeKind::Ok
                        },
                        if late {
                            msg!("open.done_late")
                        } else {
                            msg!("open.done")
                        },
                    );
                } else if write {
                    self.notify(NoticeKind::Ok, msg!("form.saved"));
                }
                self.refresh_header();
            }
            (Req::Close, Ok(Data::Closed(c))) => {
                let note = if c.already {
                    msg!("close.already")
                } else {
                    msg!("close.done")
                };
                if let Some(r) = self.routine() {
                    r.form = None;
                    r.closed = Some(c);
                }
                self.notify(NoticeKind::Ok, note);
                self.refresh_header();
                self.routine_load(None);
                let s = &self.state.settings;
                if !s.hq_url_file.trim().is_empty() || !s.hq_url_env.trim().is_empty() {
                    self.notify(NoticeKind::Info, msg!("hq.sync.running"));
                    self.db(DbCommand::SyncHq, Pending::Routine(Req::HqSync));
                }
            }
            (Req::HqSync, Ok(Data::HqSync(outcome))) => match *outcome {
                None => {}
                Some(Ok(r)) => self.notify(
                    NoticeKind::Ok,
                    msg!(
                        "hq.sync.done",
                        rows = r.sent.total(),
                        new = r.new.total(),
                        lseq = r.ledger.seq,
                        aseq = r.audit.seq
                    ),
                ),
                // an alarm is for a person to look at; anything else is "later"
                Some(Err(crate::hq::HqError::Refused(p))) => {
                    self.notify(NoticeKind::Error, p.msg())
                }
                Some(Err(e)) => {
                    self.notify(NoticeKind::Info, msg!("hq.sync.later", why = e.reason()))
                }
            },
            (_, Err(e)) => {
                if let Some(of) = self.routine().and_then(|r| r.form.as_mut()) {
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
