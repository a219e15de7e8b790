//! Pane 3 (服务登记): enter a finished service and post its points; today's
//! records; the weekly spot check; thank-you letters. A matched request
//! lands here from the queue or the match pane (`Goto::RecordService`).

mod forms;
mod update;

pub use forms::{entry_form, parse_entry, update_visibility};

use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::time;
use crate::exports::printed::Printable;
use crate::msg;
use crate::store::StoreResult;
use crate::store::queue::RequestRow;
use crate::store::records::{RecordPosted, RecordRow, SpotCheck};

use crate::worker::records::{ListRecords, ListSpotChecks, RecordSpotResult};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Today,
    Spot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordFormKind {
    Entry,
    ThankYou { record_id: i64 },
    SpotFail { record_id: i64 },
}

impl FormKind for RecordFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            RecordFormKind::Entry => Some(ENTRY_DRAFT),
            RecordFormKind::ThankYou { .. } | RecordFormKind::SpotFail { .. } => None,
        }
    }
}

/// The draft slot of the entry form.
const ENTRY_DRAFT: &str = "record.entry";
/// How many of the day's records the list holds at most (the screen says
/// so when it is full, not silently).
pub const LIST_LIMIT: usize = 500;
/// Today's records and the spot check share the list: the latest read of
/// either wins.
const LIST_SLOT: &str = "record.list";

/// What comes back to the record pane.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordMsg {
    /// From the queue or the match pane: the entry form for the service
    /// given for this request (the move checked it is matched).
    Service(Box<RequestRow>),
    /// Today's records, read again.
    Listed(StoreResult<Vec<RecordRow>>),
    /// This week's spot check, read again.
    Spot(StoreResult<Vec<SpotCheck>>),
    /// A service posted (or found posted already, on a retry).
    Posted(StoreResult<Box<RecordPosted>>),
    /// A thank-you letter or a spot-check result saved.
    Saved(StoreResult<()>),
    /// A receipt saved, and opened or printed.
    Printed(StoreResult<crate::exports::deliver::Delivered>),
    /// The entry form's recipient's balance, for the default payer.
    Balance {
        member_id: i64,
        balance: StoreResult<i64>,
    },
}

#[derive(Debug, Clone, Default)]
pub struct RecordPane {
    pub view: View,
    pub today: Vec<RecordRow>,
    pub spot: Vec<SpotCheck>,
    pub sel: usize,
    pub form: Option<OpenForm<RecordFormKind>>,
    /// The last service posted from here, shown until the next entry.
    pub last: Option<Box<RecordPosted>>,
    /// The entry form's recipient whose balance was asked for, and the
    /// payer as the form had it then: a payer changed by hand since is
    /// left alone.
    pub payer_check: Option<(i64, String)>,
}

crate::pane_forms!(RecordPane);

impl RecordPane {
    fn restore_form(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool {
        if key != ENTRY_DRAFT {
            return false;
        }
        let mut f = entry_form(&ctx.catalog, &ctx.today, "");
        f.restore_draft(data);
        self.form = Some(OpenForm::new(RecordFormKind::Entry, f));
        true
    }

    pub fn len(&self) -> usize {
        match self.view {
            View::Today => self.today.len(),
            View::Spot => self.spot.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn form_mut(&mut self) -> Option<&mut crate::app::form::Form> {
        self.form.as_mut().map(|f| &mut f.form)
    }

    /// Read what the list shows again (a reply to an earlier read is
    /// dropped).
    fn load(&mut self, cx: &mut Cx<'_, RecordMsg>) {
        match self.view {
            View::Today => {
                let (from, to) = time::day_range(cx.desk.today(), cx.desk.tz);
                let limit = LIST_LIMIT;
                let list = ListRecords { from, to, limit };
                cx.db_latest(LIST_SLOT, list, RecordMsg::Listed);
            }
            View::Spot => {
                let at = cx.desk.now;
                cx.db_latest(LIST_SLOT, ListSpotChecks { at }, RecordMsg::Spot);
            }
        }
    }

    /// The record selected, in either list.
    fn selected_record(&self) -> Option<i64> {
        match self.view {
            View::Today => self.today.get(self.sel).map(|r| r.id),
            View::Spot => self.spot.get(self.sel).map(|s| s.record_id),
        }
    }

    /// `p`: the receipt of the record selected, else of the one just
    /// posted from here; with neither, says what to do.
    fn print_receipt(&mut self, cx: &mut Cx<'_, RecordMsg>) {
        let chosen = self
            .selected_record()
            .or(self.last.as_ref().map(|l| l.record_id));
        let Some(record_id) = chosen else {
            return cx.notify(NoticeKind::Error, msg!("print.nothing_selected"));
        };
        let what = Printable::RecordReceipt { record_id };
        cx.print(what, RecordMsg::Printed);
    }

    /// `v` passes the selected record of the spot check; `f` opens the form
    /// for why it fails. A record is checked once.
    fn spot_result(&mut self, pass: bool, cx: &mut Cx<'_, RecordMsg>) {
        let Some(s) = self.spot.get(self.sel) else {
            return;
        };
        if s.result.is_some() {
            return cx.notify(NoticeKind::Error, msg!("spot.already"));
        }
        let record_id = s.record_id;
        if !pass {
            let kind = RecordFormKind::SpotFail { record_id };
            self.form = Some(OpenForm::new(kind, forms::spot_fail_form()));
            return;
        }
        let (by, at) = (cx.desk.session.clone(), cx.desk.now);
        let result = RecordSpotResult {
            by,
            record_id,
            ok: true,
            note: String::new(),
            at,
        };
        cx.db(result, RecordMsg::Saved);
    }
}

impl PaneComponent for RecordPane {
    type Msg = RecordMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Record, Context::List]
    }

    /// Enter does nothing on the lists; `v`/`f` only on the spot check.
    fn available(&self, cmd: Command) -> bool {
        match cmd {
            Command::Select => false,
            Command::SpotPass | Command::SpotFail => self.view == View::Spot,
            _ => true,
        }
    }

    fn entered(&mut self, cx: &mut Cx<'_, RecordMsg>) {
        self.load(cx);
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, RecordMsg>) -> bool {
        let last = self.len().saturating_sub(1);
        match cmd {
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, 15),
            Command::New => update::open_entry(self, &[], cx),
            Command::SwitchSection => {
                self.view = match self.view {
                    View::Today => View::Spot,
                    View::Spot => View::Today,
                };
                self.sel = 0;
                self.load(cx);
            }
            Command::Refresh => self.load(cx),
            Command::ThankYou => {
                if let Some(record_id) = self.selected_record() {
                    let kind = RecordFormKind::ThankYou { record_id };
                    self.form = Some(OpenForm::new(kind, forms::thank_you_form()));
                }
            }
            Command::SpotPass | Command::SpotFail if self.view == View::Spot => {
                self.spot_result(cmd == Command::SpotPass, cx);
            }
            Command::Print => self.print_receipt(cx),
            _ => return false,
        }
        true
    }

    fn submit(&mut self, cx: &mut Cx<'_, RecordMsg>) {
        update::submit(self, cx);
    }

    /// The entry form shows only the fields its method and timing need.
    fn form_changed(&mut self, cx: &mut Cx<'_, RecordMsg>) {
        if let Some(of) = self.form.as_mut()
            && of.kind == RecordFormKind::Entry
        {
            update_visibility(&mut of.form, cx.desk.now, cx.desk.tz);
        }
        update::check_payer(self, cx);
    }

    fn update(&mut self, msg: RecordMsg, cx: &mut Cx<'_, RecordMsg>) {
        update::update(self, msg, cx);
    }
}

#[cfg(test)]
mod tests;
