//! Pane 2 (匹配): the eligible helpers for a request, best first, with the
//! reason for each place; the calls made to them and their answers. An
//! accepted call matches the request.

mod forms;

use crate::app::action::Command;
use crate::app::cx::{Cx, Goto};
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::queue::State;
use crate::msg;
use crate::msg::Msg;
use crate::store::StoreResult;
use crate::store::queue::{ContactRow, HelperRow, RequestRow};
use crate::store::reveal::{CallNumber, CallPurpose};
use crate::worker::desk::NumberForCall;
use crate::worker::queue::{CheckHelper, ListContacts, ListHelpers, LogContact};
use forms::{contact_form, parse_contact};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchFormKind {
    Contact { helper: i64 },
}

impl FormKind for MatchFormKind {
    /// A call is logged at once or not at all: no draft.
    fn draft_key(&self) -> Option<&'static str> {
        None
    }
}

/// What comes back to the match pane.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchMsg {
    /// From the queue's `m`: the helpers for this request.
    Open(i64),
    /// The request as it stands, and its helpers best first.
    Helpers(StoreResult<(RequestRow, Vec<HelperRow>)>),
    /// The calls made for the request.
    Contacts(StoreResult<Vec<ContactRow>>),
    /// Whether a member found by search may help (`None`: they may).
    Checked {
        member_id: i64,
        why: StoreResult<Option<Msg>>,
    },
    /// A call logged; the request as it now stands.
    Logged(StoreResult<RequestRow>),
    /// A number the open call dialog dials, in full.
    Number(StoreResult<CallNumber>),
}

#[derive(Debug, Clone, Default)]
pub struct MatchPane {
    pub request: Option<RequestRow>,
    pub helpers: Vec<HelperRow>,
    pub contacts: Vec<ContactRow>,
    pub sel: usize,
    pub form: Option<OpenForm<MatchFormKind>>,
    pub loading: bool,
    /// A member found by search who may not help, and why.
    pub not_eligible: Option<(String, Msg)>,
}

crate::pane_forms!(MatchPane);

impl MatchPane {
    fn restore_form(&mut self, _key: &str, _data: &Value, _ctx: &RestoreCtx) -> bool {
        false
    }

    /// Read the helpers and the calls of a request (a reply to an earlier
    /// read is dropped).
    fn open(&mut self, request_id: i64, cx: &mut Cx<'_, MatchMsg>) {
        let at = cx.desk.now;
        cx.db_latest(
            "match.helpers",
            ListHelpers { request_id, at },
            MatchMsg::Helpers,
        );
        cx.db_latest(
            "match.contacts",
            ListContacts { request_id },
            MatchMsg::Contacts,
        );
        self.loading = true;
        self.not_eligible = None;
    }

    /// The contact form for a call to `helper`, with the numbers to dial
    /// asked for (in full for any staff member, logged): the helper's, and
    /// for an urgent request the requester's family.
    fn call(&mut self, helper: i64, cx: &mut Cx<'_, MatchMsg>) {
        let Some(r) = self.request.as_ref() else {
            return;
        };
        let (by, at, about) = (
            cx.desk.session.clone(),
            cx.desk.now,
            format!("request:{}", r.id),
        );
        let family = r.requester_id.filter(|_| r.urgent);
        self.form = Some(OpenForm::new(
            MatchFormKind::Contact { helper },
            contact_form(family.is_some()),
        ));
        let ask = |member_id, purpose| NumberForCall {
            by: by.clone(),
            member_id,
            purpose,
            about: about.clone(),
            at,
        };
        cx.db(ask(helper, CallPurpose::Helper), MatchMsg::Number);
        if let Some(requester) = family {
            cx.db(ask(requester, CallPurpose::Emergency), MatchMsg::Number);
        }
    }
}

impl PaneComponent for MatchPane {
    type Msg = MatchMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Match, Context::List]
    }

    /// Nothing is new here (requests come from the queue), and help does
    /// not offer Enter (`c` logs the call, as Enter also does).
    fn available(&self, cmd: Command) -> bool {
        !matches!(cmd, Command::New | Command::Select)
    }

    /// The request selected in the queue, else the one shown before: a
    /// pane still showing request A while the queue has moved on to B
    /// would log calls (and match) for the wrong request.
    fn entered(&mut self, cx: &mut Cx<'_, MatchMsg>) {
        let shown = self.request.as_ref().map(|r| r.id);
        let Some(id) = cx.desk.selected_request.or(shown) else {
            return;
        };
        if shown != Some(id) {
            self.request = None;
            self.helpers.clear();
            self.contacts.clear();
            self.sel = 0;
        }
        self.open(id, cx);
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, MatchMsg>) -> bool {
        let last = self.helpers.len().saturating_sub(1);
        match cmd {
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, 15),
            Command::Refresh => self.entered(cx),
            Command::LogContact | Command::Select => {
                let Some(helper) = self.helpers.get(self.sel).map(|h| h.candidate.member_id) else {
                    return true;
                };
                if self.request.as_ref().is_some_and(|r| r.state.is_open()) {
                    self.call(helper, cx);
                } else {
                    cx.notify(NoticeKind::Error, msg!("request.closed"));
                }
            }
            Command::EnterRecord => {
                if let Some(r) = self.request.clone() {
                    cx.go(Goto::RecordService(Box::new(r)));
                }
            }
            _ => return false,
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, MatchMsg>) {
        let Some(request_id) = self.request.as_ref().map(|r| r.id) else {
            return;
        };
        let Some(of) = self.form.as_mut() else { return };
        let MatchFormKind::Contact { helper } = of.kind;
        let (outcome, note) = parse_contact(&of.form);
        let (by, at) = (cx.desk.session.clone(), cx.desk.now);
        let call = LogContact {
            by,
            request_id,
            helper,
            outcome,
            note,
            at,
        };
        of.form.clear_errors();
        of.form.busy = Some(cx.db(call, MatchMsg::Logged));
    }

    /// A member found by search: selected if on the list, else checked
    /// (and said why not, or called anyway).
    fn member_found(&mut self, member_id: i64, cx: &mut Cx<'_, MatchMsg>) -> bool {
        if let Some(i) = self
            .helpers
            .iter()
            .position(|h| h.candidate.member_id == member_id)
        {
            self.sel = i;
            self.not_eligible = None;
        } else if let Some(request_id) = self.request.as_ref().map(|r| r.id) {
            let at = cx.desk.now;
            let check = CheckHelper {
                request_id,
                member_id,
                at,
            };
            cx.db(check, move |why| MatchMsg::Checked { member_id, why });
        }
        true
    }

    fn update(&mut self, msg: MatchMsg, cx: &mut Cx<'_, MatchMsg>) {
        match msg {
            MatchMsg::Open(id) => self.open(id, cx),
            MatchMsg::Helpers(Ok((row, helpers))) => {
                if self.request.as_ref().map(|r| r.id) != Some(row.id) {
                    self.sel = 0;
                }
                self.request = Some(row);
                self.sel = self.sel.min(helpers.len().saturating_sub(1));
                self.helpers = helpers;
                self.loading = false;
            }
            MatchMsg::Contacts(Ok(c)) => self.contacts = c,
            MatchMsg::Checked {
                member_id,
                why: Ok(Some(why)),
            } => self.not_eligible = Some((cx.desk.member_label(member_id), why)),
            // eligible but beyond the list shown: call them anyway
            MatchMsg::Checked {
                member_id,
                why: Ok(None),
            } => {
                self.not_eligible = None;
                self.call(member_id, cx);
            }
            MatchMsg::Number(Ok(n)) => {
                let line = match n.purpose {
                    CallPurpose::Emergency => "family",
                    CallPurpose::Helper
                    | CallPurpose::DisputeParty
                    | CallPurpose::Applicant
                    | CallPurpose::Callback => "phone",
                };
                // only into the dialog it was asked for
                if let Some(of) = self.form.as_mut() {
                    let MatchFormKind::Contact { helper } = of.kind;
                    if helper == n.member_id || line == "family" {
                        of.form.show(line, n.dial_line());
                    }
                }
            }
            MatchMsg::Logged(Ok(r)) => {
                self.form = None;
                let text = if r.state == State::Matched {
                    msg!("match.done", helper = r.helper.clone().unwrap_or_default())
                } else {
                    msg!("contact.logged")
                };
                cx.notify(NoticeKind::Ok, text);
                cx.refresh_header();
                self.open(r.id, cx);
            }
            MatchMsg::Logged(Err(e)) => {
                cx.failed(self.form.as_mut().map(|f| &mut f.form), e);
                // someone else may have matched it meanwhile: show the truth
                if let Some(id) = self.request.as_ref().map(|r| r.id) {
                    self.open(id, cx);
                }
            }
            MatchMsg::Helpers(Err(e))
            | MatchMsg::Contacts(Err(e))
            | MatchMsg::Number(Err(e))
            | MatchMsg::Checked { why: Err(e), .. } => cx.failed(None, e),
        }
    }
}

#[cfg(test)]
mod tests;
