//! Pane 0 (驿站): the station as the community's hub. Its first view is the
//! activities: the week's and the month's, each with its plan, who signed
//! up and who came, and what they earned (points, or public-good hours).

mod forms;
pub mod fund;
mod fund_forms;
pub mod medals;
pub mod tools;
mod tools_forms;
mod update;

pub use forms::{attend_form, plan_form, signup_form};
pub use tools::{ToolForm, ToolsMsg, ToolsView};

use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::keymap::Context;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::time::DAY_MS;
use crate::store::StoreResult;
use crate::store::activities::{ActivityRow, AttendeeRow};
use crate::worker::hub::{ListActivities, PlanRegular, ReadAttendees};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HubFormKind {
    Plan,
    SignUp {
        activity_id: i64,
    },
    Attend {
        activity_id: i64,
    },
    /// The tool corner's lend, take-back and write-off.
    Tool(ToolForm),
    /// A medal the station master gives (the medals view).
    Award {
        kind: crate::domain::medal::MedalKind,
        period: String,
        holder_id: i64,
    },
    /// The fund's: money in, an expense proposed, a signature on one.
    Income,
    Expense,
    Sign {
        expense_id: i64,
    },
}

/// The hub's views, one at a time (Tab goes round them): the activities,
/// the tool corner, the fund and its notice board.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HubView {
    #[default]
    Activities,
    Tools,
    Fund,
}

const PLAN_DRAFT: &str = "hub.plan";

impl FormKind for HubFormKind {
    /// A plan takes a while to type: kept as a draft. A sign-up or an
    /// attendance is done with the person at the desk.
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            HubFormKind::Plan => Some(PLAN_DRAFT),
            HubFormKind::SignUp { .. }
            | HubFormKind::Attend { .. }
            | HubFormKind::Tool(_)
            | HubFormKind::Award { .. } => None,
            // money is typed with the payer or the signers at the desk
            HubFormKind::Income | HubFormKind::Expense | HubFormKind::Sign { .. } => None,
        }
    }
}

/// What comes back to the hub pane.
#[derive(Debug, Clone, PartialEq)]
pub enum HubMsg {
    /// The activities, read again.
    Listed(StoreResult<Vec<ActivityRow>>),
    /// The selected activity's participants.
    Attendees(StoreResult<Vec<AttendeeRow>>),
    /// A plan saved, or a sign-up.
    Saved(StoreResult<ActivityRow>),
    /// An attendance recorded, with the points it earned.
    Attended(StoreResult<(ActivityRow, i64)>),
    /// The week's regular activities added: how many.
    Regular(StoreResult<u32>),
    /// The tool corner's replies.
    Tools(ToolsMsg),
    /// What comes back to the medals view.
    Medals(medals::MedalsMsg),
    /// The fund view's replies.
    Fund(fund::FundMsg),
}

#[derive(Debug, Clone, Default)]
pub struct HubPane {
    pub activities: Vec<ActivityRow>,
    pub sel: usize,
    pub attendees: Vec<AttendeeRow>,
    pub form: Option<OpenForm<HubFormKind>>,
    pub view: HubView,
    pub tools: ToolsView,
    /// The medals view, while it is open (`y`), over either view.
    pub medals: Option<medals::MedalsView>,
    pub fund: fund::FundState,
}

crate::pane_forms!(HubPane);

impl HubPane {
    fn restore_form(&mut self, key: &str, data: &Value, _ctx: &RestoreCtx) -> bool {
        if key != PLAN_DRAFT {
            return false;
        }
        let mut f = plan_form();
        f.restore_draft(data);
        self.form = Some(OpenForm::new(HubFormKind::Plan, f));
        true
    }

    pub fn selected(&self) -> Option<&ActivityRow> {
        self.activities.get(self.sel)
    }

    /// The last week and the coming month.
    fn load(&mut self, cx: &mut Cx<'_, HubMsg>) {
        let today = crate::domain::time::day_start(cx.desk.today(), cx.desk.tz);
        let (from, to) = (today - 7 * DAY_MS, today + 31 * DAY_MS);
        cx.db_latest(
            "hub.activities",
            ListActivities { from, to },
            HubMsg::Listed,
        );
    }

    fn load_attendees(&mut self, cx: &mut Cx<'_, HubMsg>) {
        match self.selected().map(|a| a.id) {
            Some(activity_id) => {
                cx.db_latest(
                    "hub.attendees",
                    ReadAttendees { activity_id },
                    HubMsg::Attendees,
                );
            }
            None => self.attendees.clear(),
        }
    }

    /// Today's first activity (or the next one) is selected on arrival.
    fn select_current(&mut self, now: i64) {
        self.sel = self
            .activities
            .iter()
            .position(|a| a.ends_at > now)
            .unwrap_or(self.activities.len().saturating_sub(1));
    }
}

impl PaneComponent for HubPane {
    type Msg = HubMsg;

    fn contexts(&self) -> &'static [Context] {
        if self.medals.is_some() {
            return &[Context::Medals, Context::List];
        }
        match self.view {
            HubView::Activities | HubView::Tools => &[Context::Hub, Context::List],
            HubView::Fund => &[Context::Fund, Context::List],
        }
    }

    fn available(&self, cmd: Command) -> bool {
        if let Some(v) = &self.medals {
            return match cmd {
                Command::Award | Command::Select => v.selected().is_some(),
                // nothing is made new here: the activities' keys wait
                Command::New | Command::SignUp | Command::Attend | Command::PlanRegular => false,
                _ => true,
            };
        }
        if self.view == HubView::Fund {
            return fund::available(self, cmd);
        }
        if self.view == HubView::Tools {
            return match cmd {
                Command::SignUp | Command::Attend | Command::PlanRegular | Command::New => false,
                Command::Medals => true,
                _ => tools::available(&self.tools, cmd),
            };
        }
        match cmd {
            Command::Lend | Command::TakeBack | Command::WriteOff => false,
            Command::SignUp | Command::Attend | Command::Select => self.selected().is_some(),
            _ => true,
        }
    }

    fn entered(&mut self, cx: &mut Cx<'_, HubMsg>) {
        match self.view {
            HubView::Activities => self.load(cx),
            HubView::Tools => tools::load(cx),
            HubView::Fund => {
                self.fund.board = None;
                fund::load(cx);
            }
        }
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, HubMsg>) -> bool {
        if self.medals.is_some() {
            return medals::command(self, cmd, cx);
        }
        if cmd == Command::Medals && self.view != HubView::Fund {
            medals::open(self, cx);
            return true;
        }
        if cmd == Command::SwitchSection {
            self.view = match self.view {
                HubView::Activities => HubView::Tools,
                HubView::Tools => HubView::Fund,
                HubView::Fund => HubView::Activities,
            };
            self.entered(cx);
            return true;
        }
        if self.view == HubView::Fund {
            return fund::command(self, cmd, cx);
        }
        if self.view == HubView::Tools {
            return tools::command(self, cmd, cx);
        }
        let last = self.activities.len().saturating_sub(1);
        let before = self.sel;
        match cmd {
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, 10),
            Command::Refresh => self.load(cx),
            Command::New => self.form = Some(OpenForm::new(HubFormKind::Plan, plan_form())),
            Command::PlanRegular => {
                let (by, from, at) = (cx.desk.session.clone(), cx.desk.today(), cx.desk.now);
                cx.db(PlanRegular { by, from, at }, HubMsg::Regular);
            }
            Command::SignUp | Command::Select => {
                let Some(a) = self.selected() else {
                    return false;
                };
                let kind = HubFormKind::SignUp { activity_id: a.id };
                self.form = Some(OpenForm::new(kind, signup_form()));
            }
            Command::Attend => {
                let Some(a) = self.selected() else {
                    return false;
                };
                let kind = HubFormKind::Attend { activity_id: a.id };
                self.form = Some(OpenForm::new(kind, attend_form(a, None)));
            }
            _ => return false,
        }
        if self.sel != before {
            self.load_attendees(cx);
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, HubMsg>) {
        if fund::submit(self, cx) {
            return;
        }
        if let Some(HubFormKind::Tool(kind)) = self.form.as_ref().map(|f| f.kind.clone()) {
            return tools::submit(self, kind, cx);
        }
        update::submit(self, cx);
    }

    fn form_changed(&mut self, _cx: &mut Cx<'_, HubMsg>) {
        if let Some(of) = self.form.as_mut()
            && of.kind == HubFormKind::Plan
        {
            forms::kind_changed(&mut of.form);
        }
    }

    /// A card scanned (or a member found) at an activity: a member signed
    /// up is asked how long they came; anyone else is signed up.
    fn member_found(&mut self, member_id: i64, cx: &mut Cx<'_, HubMsg>) -> bool {
        // the medals view signs nobody up behind its back
        if self.medals.is_some() || self.view == HubView::Fund {
            return false;
        }
        if self.view == HubView::Tools {
            return tools::member_found(self, member_id, cx);
        }
        let Some(a) = self.selected().cloned() else {
            return false;
        };
        let label = cx.desk.member_label(member_id);
        if self.attendees.iter().any(|x| x.member_id == member_id) {
            let kind = HubFormKind::Attend { activity_id: a.id };
            self.form = Some(OpenForm::new(
                kind,
                attend_form(&a, Some((member_id, label))),
            ));
        } else {
            update::sign_up(a.id, member_id, cx);
        }
        true
    }

    fn update(&mut self, msg: HubMsg, cx: &mut Cx<'_, HubMsg>) {
        update::update(self, msg, cx);
    }
}

#[cfg(test)]
mod tests;
