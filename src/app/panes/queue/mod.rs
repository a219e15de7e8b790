//! Pane 1 (需求队列): take in requests in a few keystrokes, watch their
//! clocks, move them on, and hand a matched one on to pane 2 or to the
//! record form.

mod forms;
mod update;

pub use forms::{intake_form, parse_intake};

use crate::app::action::Command;
use crate::app::cx::{Cx, Goto, Shared};
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::queue::{self, State};
use crate::domain::time::Stamp;
use crate::store::StoreResult;
use crate::store::queue::RequestRow;
use crate::worker::queue::{ListQueue, MoveRequest};
use serde_json::Value;

/// Which requests the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    Open,
    Today,
    Carried,
    Overdue,
    State(State),
    All,
}

impl Filter {
    pub const CYCLE: [Filter; 11] = [
        Filter::Open,
        Filter::Today,
        Filter::Carried,
        Filter::Overdue,
        Filter::State(State::New),
        Filter::State(State::Responded),
        Filter::State(State::Matched),
        Filter::State(State::InService),
        Filter::State(State::Done),
        Filter::State(State::Cancelled),
        Filter::All,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            Filter::Open => crate::k!("queue.filter.open"),
            Filter::Today => crate::k!("queue.filter.today"),
            Filter::Carried => crate::k!("queue.filter.carried"),
            Filter::Overdue => crate::k!("queue.filter.overdue"),
            Filter::All => crate::k!("queue.filter.all"),
            Filter::State(s) => s.label_key(),
        }
    }

    fn next(self) -> Filter {
        let i = Filter::CYCLE.iter().position(|f| *f == self).unwrap_or(0);
        Filter::CYCLE[(i + 1) % Filter::CYCLE.len()]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueFormKind {
    New,
    Cancel {
        id: i64,
    },
    /// The service a member gave a merchant (a settlement request).
    MerchantService {
        id: i64,
        uid: String,
    },
}

impl FormKind for QueueFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            QueueFormKind::New => Some(INTAKE_DRAFT),
            QueueFormKind::Cancel { .. } | QueueFormKind::MerchantService { .. } => None,
        }
    }
}

/// The draft slot of the intake form.
const INTAKE_DRAFT: &str = "queue.new";

/// What comes back to the queue.
#[derive(Debug, Clone, PartialEq)]
pub enum QueueMsg {
    /// The list, read again.
    Listed(StoreResult<Vec<RequestRow>>),
    /// A request taken in by the intake form.
    Created(StoreResult<RequestRow>),
    /// A request moved on or cancelled, or its merchant service recorded.
    Moved(StoreResult<RequestRow>),
    /// From F2's list: the requests carried over, this one selected.
    ShowCarried(i64),
    /// Record the service a member gave the merchant of this request.
    MerchantService(Box<RequestRow>),
}

#[derive(Debug, Clone, Default)]
pub struct QueuePane {
    /// Everything loaded; `visible` is what the filters let through, in queue order.
    pub rows: Vec<RequestRow>,
    pub visible: Vec<usize>,
    pub sel: usize,
    pub filter: Filter,
    pub type_filter: Option<i64>,
    pub form: Option<OpenForm<QueueFormKind>>,
    /// Select this request once the list has loaded (picked at F2).
    pending_select: Option<i64>,
}

crate::pane_forms!(QueuePane);

/// Carried over: still open, and taken in before today (station time).
pub fn is_carried(r: &RequestRow, today_start: Stamp) -> bool {
    r.is_carried(today_start)
}

impl QueuePane {
    fn restore_form(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool {
        if key != INTAKE_DRAFT {
            return false;
        }
        let mut f = intake_form(&ctx.catalog, &ctx.today);
        f.restore_draft(data);
        self.form = Some(OpenForm::new(QueueFormKind::New, f));
        true
    }

    pub fn selected(&self) -> Option<&RequestRow> {
        self.visible.get(self.sel).and_then(|i| self.rows.get(*i))
    }

    fn form_mut(&mut self) -> Option<&mut crate::app::form::Form> {
        self.form.as_mut().map(|f| &mut f.form)
    }

    /// Read the queue again (a reply to an earlier read is dropped).
    fn load(&mut self, cx: &mut Cx<'_, QueueMsg>) {
        let since = cx.desk.day_start();
        cx.db_latest("queue.list", ListQueue { since }, QueueMsg::Listed);
    }

    /// Apply the filters and the queue order (the clocks move, so on every tick).
    fn refilter(&mut self, desk: &Shared<'_>) {
        let now = desk.now;
        let clocks = desk.settings.clocks();
        let today = desk.day_start();
        let selected = self.pending_select.take().or(self.selected().map(|r| r.id));
        let (rows, filter, type_filter) = (&self.rows, self.filter, self.type_filter);
        let mut v: Vec<usize> = (0..rows.len())
            .filter(|i| {
                let r = &rows[*i];
                let by_state = match filter {
                    Filter::Open => r.state.is_open(),
                    Filter::Today => r.created_at >= today,
                    Filter::Carried => is_carried(r, today),
                    Filter::Overdue => queue::is_overdue(&r.timing(), &clocks, now),
                    Filter::State(s) => r.state == s,
                    Filter::All => true,
                };
                by_state && type_filter.is_none_or(|t| t == r.type_id)
            })
            .collect();
        v.sort_by_key(|i| (queue::order_key(&rows[*i].timing(), &clocks), rows[*i].id));
        self.visible = v;
        self.sel = selected
            .and_then(|id| self.visible.iter().position(|i| self.rows[*i].id == id))
            .unwrap_or(self.sel.min(self.visible.len().saturating_sub(1)));
    }

    /// The next service type to filter by (after the last: none).
    fn next_type(&self, desk: &Shared<'_>) -> Option<i64> {
        let ids: Vec<i64> = desk.catalog.iter().map(|t| t.id).collect();
        match self.type_filter {
            None => ids.first().copied(),
            Some(t) => ids
                .iter()
                .position(|x| *x == t)
                .and_then(|i| ids.get(i + 1))
                .copied(),
        }
    }
}

impl PaneComponent for QueuePane {
    type Msg = QueueMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Queue, Context::List]
    }

    /// Enter does nothing on the list: the queue acts by its letter keys.
    fn available(&self, cmd: Command) -> bool {
        cmd != Command::Select
    }

    fn entered(&mut self, cx: &mut Cx<'_, QueueMsg>) {
        self.load(cx);
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, QueueMsg>) -> bool {
        let last = self.visible.len().saturating_sub(1);
        let sel = self.selected().cloned();
        match cmd {
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, 15),
            Command::Filter => {
                self.filter = self.filter.next();
                self.sel = 0;
                self.refilter(cx.desk);
            }
            Command::FilterType => {
                self.type_filter = self.next_type(cx.desk);
                self.sel = 0;
                self.refilter(cx.desk);
            }
            Command::New => {
                let form = intake_form(&cx.desk.catalog_choices(), &cx.desk.today().to_string());
                self.form = Some(OpenForm::new(QueueFormKind::New, form));
            }
            Command::Refresh => self.load(cx),
            Command::Respond | Command::StartService => {
                let Some(r) = sel else { return true };
                let to = if cmd == Command::Respond {
                    State::Responded
                } else {
                    State::InService
                };
                let (by, at) = (cx.desk.session.clone(), cx.desk.now);
                let request = MoveRequest {
                    by,
                    id: r.id,
                    to,
                    note: None,
                    at,
                };
                cx.db(request, QueueMsg::Moved);
            }
            Command::CancelRequest => {
                let Some(r) = sel else { return true };
                if !r.state.is_open() {
                    cx.notify(NoticeKind::Error, crate::msg!("request.closed"));
                    return true;
                }
                let kind = QueueFormKind::Cancel { id: r.id };
                self.form = Some(OpenForm::new(kind, forms::cancel_form()));
            }
            Command::Match => {
                if let Some(r) = sel {
                    cx.go(Goto::Match { request_id: r.id });
                }
            }
            Command::EnterRecord => {
                if let Some(r) = sel {
                    cx.go(Goto::RecordService(Box::new(r)));
                }
            }
            _ => return false,
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, QueueMsg>) {
        update::submit(self, cx);
    }

    /// The requester's building is the usual place: filled in when picked.
    fn form_changed(&mut self, cx: &mut Cx<'_, QueueMsg>) {
        let Some(of) = self.form.as_mut() else { return };
        let Some(member) = of.form.member("requester") else {
            return;
        };
        if !of.form.value("place").is_empty() {
            return;
        }
        let building = cx
            .desk
            .index
            .find_member(member)
            .map(|e| e.building.clone())
            .unwrap_or_default();
        of.form.set("place", &building);
    }

    fn tick(&mut self, cx: &mut Cx<'_, QueueMsg>) {
        self.refilter(cx.desk);
    }

    fn update(&mut self, msg: QueueMsg, cx: &mut Cx<'_, QueueMsg>) {
        update::update(self, msg, cx);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::app::cx::Ask;
    use crate::app::cx::testing::{Desk, call};
    use crate::msg::Refusal;
    use crate::store::StoreError;

    #[test]
    fn an_urgent_request_taken_in_rings_closes_its_form_and_reads_the_queue_again() {
        let desk = Desk::default();
        let mut p = QueuePane::default();
        call(&mut p, &desk, |p, cx| {
            p.command(Command::New, cx);
        });
        assert!(p.form.is_some());
        let urgent = RequestRow {
            urgent: true,
            ..row(3)
        };
        let out = call(&mut p, &desk, |p, cx| {
            p.update(QueueMsg::Created(Ok(urgent)), cx)
        });
        assert!(p.form.is_none());
        assert_eq!(
            out.asks,
            [
                Ask::DropDraft("queue.new"),
                Ask::Bell,
                Ask::Notify(NoticeKind::Error, crate::msg!("request.urgent_logged")),
                Ask::RefreshHeader,
            ]
        );
        assert_eq!(out.jobs, [("ListQueue".to_string(), Some("queue.list"))]);
    }

    #[test]
    fn a_refused_cancellation_is_shown_at_its_field_and_nothing_else_happens() {
        let desk = Desk::default();
        let mut p = QueuePane::default();
        let out = call(&mut p, &desk, |p, cx| {
            p.update(QueueMsg::Listed(Ok(vec![row(5)])), cx);
            p.command(Command::CancelRequest, cx);
            p.form.as_mut().unwrap().form.set("reason", "病了");
            p.submit(cx);
        });
        assert_eq!(out.job_names(), ["MoveRequest"]);
        assert!(p.form.as_ref().unwrap().form.busy.is_some());
        let refused = StoreError::Refused(Refusal::at("reason", crate::msg!("request.closed")));
        let out = call(&mut p, &desk, |p, cx| {
            p.update(QueueMsg::Moved(Err(refused)), cx)
        });
        let form = &p.form.as_ref().unwrap().form;
        assert_eq!(form.busy, None);
        assert_eq!(
            form.get("reason")
                .and_then(|f| f.error.as_ref())
                .map(|m| m.key),
            Some("request.closed")
        );
        assert!(out.asks.is_empty() && out.jobs.is_empty());
    }

    #[test]
    fn a_request_picked_at_f2_is_selected_among_the_carried_over() {
        let desk = Desk::default();
        let mut p = QueuePane::default();
        let out = call(&mut p, &desk, |p, cx| {
            p.update(QueueMsg::ShowCarried(8), cx)
        });
        assert_eq!(p.filter, Filter::Carried);
        assert_eq!(out.job_names(), ["ListQueue"]);
        let old = |id| RequestRow {
            created_at: crate::harness::T0 - 86_400_000,
            ..row(id)
        };
        call(&mut p, &desk, |p, cx| {
            p.update(QueueMsg::Listed(Ok(vec![old(7), row(9), old(8)])), cx)
        });
        assert_eq!(p.visible.len(), 2, "today's request is not carried over");
        assert_eq!(p.selected().map(|r| r.id), Some(8));
    }

    #[test]
    fn m_and_e_hand_the_selected_request_on_without_knowing_the_other_panes() {
        let desk = Desk::default();
        let mut p = QueuePane::default();
        let out = call(&mut p, &desk, |p, cx| {
            p.update(QueueMsg::Listed(Ok(vec![row(4)])), cx);
            p.command(Command::Match, cx);
            p.command(Command::EnterRecord, cx);
        });
        assert_eq!(
            out.asks,
            [
                Ask::Go(Goto::Match { request_id: 4 }),
                Ask::Go(Goto::RecordService(Box::new(row(4)))),
            ]
        );
        let out = call(&mut p, &desk, |p, cx| {
            assert!(!p.command(Command::Select, cx), "Enter has no use here");
        });
        assert!(out.asks.is_empty() && out.jobs.is_empty());
    }

    /// A new request as the store gives it back.
    pub(in crate::app::panes::queue) fn row(id: i64) -> RequestRow {
        crate::app::cx::testing::request_row(id, State::New)
    }
}
