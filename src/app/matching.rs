//! Pane 2 (匹配): the eligible helpers for the selected request, best first,
//! with the reason for each place; the calls made and their answers.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm, RestoreCtx};
use super::state::*;
use super::{App, Pending};
use crate::msg;
use crate::store::queue::{ContactRow, HelperRow, Outcome, RequestRow};
use crate::worker::{Data, DbCommand, Reply};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchFormKind {
    Contact { helper: i64 },
}

impl FormKind for MatchFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    Helpers,
    Contacts,
    Check,
    Contact,
}

#[derive(Debug, Clone, Default)]
pub struct MatchPane {
    pub request: Option<RequestRow>,
    pub helpers: Vec<HelperRow>,
    pub contacts: Vec<ContactRow>,
    pub sel: usize,
    pub form: Option<OpenForm<MatchFormKind>>,
    pub helpers_req: Option<u64>,
    pub loading: bool,
    /// A member found by search who may not help, and why.
    pub not_eligible: Option<(String, crate::msg::Msg)>,
}

crate::pane_forms!(MatchPane);

impl MatchPane {
    fn restore_form(&mut self, _key: &str, _data: &Value, _ctx: &RestoreCtx) -> bool {
        false
    }
}

fn contact_form() -> Form {
    let outcomes = [Outcome::Accepted, Outcome::Declined, Outcome::NoAnswer]
        .into_iter()
        .map(|o| Choice::key(o.as_str(), o.label_key()))
        .collect();
    Form::new(vec![
        Field::choice("outcome", crate::k!("contact.outcome"), outcomes),
        Field::text("note", crate::k!("contact.note"), 60),
    ])
}

impl App {
    fn matching(&mut self) -> Option<&mut MatchPane> {
        self.desk_mut().map(|d| &mut d.matching)
    }

    /// Show the helpers for a request.
    pub(super) fn matching_open(&mut self, request_id: i64) {
        let at = self.state.now;
        let id = self.db(
            DbCommand::Helpers { id: request_id, at },
            Pending::Matching(Req::Helpers),
        );
        self.db(
            DbCommand::Contacts { id: request_id },
            Pending::Matching(Req::Contacts),
        );
        if let Some(p) = self.matching() {
            p.helpers_req = Some(id);
            p.loading = true;
            p.not_eligible = None;
        }
    }

    pub(super) fn matching_entered(&mut self) {
        // the request selected in the queue, else the one shown before
        let queued = self
            .state
            .desk()
            .and_then(|d| d.panes.queue.selected().map(|r| r.id));
        let shown = self
            .state
            .desk()
            .and_then(|d| d.matching.request.as_ref().map(|r| r.id));
        if let Some(id) = shown.or(queued) {
            self.matching_open(id);
        }
    }

    pub(super) fn matching_command(&mut self, cmd: Command) {
        let Some(p) = self.matching() else { return };
        let len = p.helpers.len();
        match cmd {
            Command::Up => p.sel = p.sel.saturating_sub(1),
            Command::Down => p.sel = (p.sel + 1).min(len.saturating_sub(1)),
            Command::PageUp => p.sel = p.sel.saturating_sub(15),
            Command::PageDown => p.sel = (p.sel + 15).min(len.saturating_sub(1)),
            Command::Top => p.sel = 0,
            Command::Bottom => p.sel = len.saturating_sub(1),
            Command::Refresh => self.matching_entered(),
            Command::LogContact | Command::Select => {
                let Some(helper) = p.helpers.get(p.sel).map(|h| h.candidate.member_id) else {
                    return;
                };
                let open = p.request.as_ref().is_some_and(|r| r.state.is_open());
                if !open {
                    self.notify(NoticeKind::Error, msg!("request.closed"));
                    return;
                }
                p.form = Some(OpenForm::new(
                    MatchFormKind::Contact { helper },
                    contact_form(),
                ));
            }
            Command::EnterRecord => {
                if let Some(r) = p.request.clone() {
                    self.go_to(super::cx::Goto::RecordService(Box::new(r)));
                }
            }
            _ => {}
        }
    }

    /// A member found by search while matching: select them if eligible,
    /// else say why not.
    pub(super) fn matching_member(&mut self, member_id: i64) {
        let Some(p) = self.matching() else { return };
        if let Some(i) = p
            .helpers
            .iter()
            .position(|h| h.candidate.member_id == member_id)
        {
            p.sel = i;
            p.not_eligible = None;
            return;
        }
        let Some(request) = p.request.as_ref().map(|r| r.id) else {
            return;
        };
        let at = self.state.now;
        self.pending_check_member = Some(member_id);
        self.db(
            DbCommand::HelperCheck {
                id: request,
                member_id,
                at,
            },
            Pending::Matching(Req::Check),
        );
    }

    pub(super) fn submit_matching_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let Some(p) = self.matching() else { return };
        let Some(request) = p.request.as_ref().map(|r| r.id) else {
            return;
        };
        let Some(of) = p.form.as_mut() else { return };
        let MatchFormKind::Contact { helper } = of.kind;
        let outcome = Outcome::parse(of.form.value("outcome")).unwrap_or(Outcome::NoAnswer);
        let note = of.form.value("note").to_string();
        of.form.clear_errors();
        let id = self.db(
            DbCommand::LogContact {
                by,
                id: request,
                helper,
                outcome,
                note,
                at,
            },
            Pending::Matching(Req::Contact),
        );
        if let Some(of) = self.matching().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    pub(super) fn matching_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::Helpers, Ok(Data::Helpers(h))) => {
                if let Some(p) = self.matching()
                    && p.helpers_req == Some(reply.id)
                {
                    let (row, helpers) = *h;
                    if p.request.as_ref().map(|r| r.id) != Some(row.id) {
                        p.sel = 0;
                    }
                    p.request = Some(row);
                    p.sel = p.sel.min(helpers.len().saturating_sub(1));
                    p.helpers = helpers;
                    p.loading = false;
                }
            }
            (Req::Contacts, Ok(Data::Contacts(c))) => {
                if let Some(p) = self.matching() {
                    p.contacts = c;
                }
            }
            (Req::Check, Ok(Data::Check(why))) => {
                let Some(member_id) = self.pending_check_member.take() else {
                    return;
                };
                let label = self.member_label(member_id);
                match why {
                    Some(why) => {
                        if let Some(p) = self.matching() {
                            p.not_eligible = Some((label, why));
                        }
                    }
                    None => {
                        // eligible but beyond the list shown: call them anyway
                        if let Some(p) = self.matching() {
                            p.not_eligible = None;
                            p.form = Some(OpenForm::new(
                                MatchFormKind::Contact { helper: member_id },
                                contact_form(),
                            ));
                        }
                    }
                }
            }
            (Req::Contact, Ok(Data::Request(r))) => {
                let matched = r.state == crate::domain::queue::State::Matched;
                let helper = r.helper.clone().unwrap_or_default();
                if let Some(p) = self.matching() {
                    p.form = None;
                }
                self.notify(
                    NoticeKind::Ok,
                    if matched {
                        msg!("match.done", helper = helper)
                    } else {
                        msg!("contact.logged")
                    },
                );
                self.matching_open(r.id);
                self.dispatch(Pane::Queue, super::panes::Call::Entered);
                self.refresh_header();
            }
            (Req::Contact, Err(e)) => {
                if let Some(of) = self.matching().and_then(|p| p.form.as_mut()) {
                    of.form.busy = None;
                    of.form.show_refusals(&e.refusals());
                }
                // someone else may have matched it meanwhile: show the truth
                let id = self
                    .state
                    .desk()
                    .and_then(|d| d.matching.request.as_ref().map(|r| r.id));
                if let Some(id) = id {
                    self.matching_open(id);
                }
            }
            (_, Err(e)) => self.notify(NoticeKind::Error, e.msg()),
            _ => {}
        }
    }
}
