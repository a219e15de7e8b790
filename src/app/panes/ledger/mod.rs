//! Pane 4 (积分账本): a member's balance and statement, station totals,
//! corrections with four eyes (anyone enters a reversal or an adjustment,
//! a different station master approves it), freezing, estates, and the
//! chain status checked in the background.

mod forms;
mod update;

use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::keymap::Context;
use crate::app::notice::NoticeKind;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::msg;
use crate::store::StoreResult;
use crate::store::corrections::{CorrectionRow, Proposal};
use crate::store::ledger::{LedgerReport, Posted, StatementLine};
use crate::store::statement::{LedgerTotals, StatementView};
use crate::worker::ledger::{ReadStatement, ReadTotals, VerifyChain};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerFormKind {
    Reverse {
        transfer_id: String,
    },
    Adjust {
        member_id: i64,
    },
    /// Refuse a correction, or withdraw one's own.
    Refuse {
        id: i64,
        own: bool,
    },
    Freeze {
        member_id: i64,
        frozen: bool,
    },
    Estate {
        member_id: i64,
    },
}

impl FormKind for LedgerFormKind {
    /// Corrections, freezes and estates are entered at once or not at all.
    fn draft_key(&self) -> Option<&'static str> {
        None
    }
}

/// Whether the hash chains hold, as last checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ChainStatus {
    #[default]
    Unknown,
    Checking,
    Sound {
        transfers: u64,
        head: String,
    },
    Broken(Vec<String>),
}

/// What the lower half shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Statement,
    /// Corrections waiting for a second station master.
    Corrections,
}

/// What comes back to the ledger pane.
#[derive(Debug, Clone, PartialEq)]
pub enum LedgerMsg {
    /// The shown member's statement, read again.
    Statement(StoreResult<Box<StatementView>>),
    /// The station's totals and the open corrections, read again.
    Totals(StoreResult<Box<LedgerTotals>>),
    /// The whole-chain check's report.
    Chain(StoreResult<Box<LedgerReport>>),
    /// "Yes" to the reversal shown with both sides: enter it.
    ProposeReversal { proposal: Proposal, reason: String },
    /// "Yes" to approving this correction: post it.
    Approve(i64),
    /// A correction entered: its id.
    Proposed(StoreResult<i64>),
    /// A correction approved (the transfer posted), refused or withdrawn.
    Decided(StoreResult<Option<Box<Posted>>>),
    /// An account frozen or unfrozen, an estate settled.
    Saved(StoreResult<()>),
}

#[derive(Debug, Clone, Default)]
pub struct LedgerPane {
    pub view: View,
    /// The selected open correction.
    pub corr_sel: usize,
    pub member: Option<i64>,
    pub statement: Option<Box<StatementView>>,
    pub sel: usize,
    pub totals: Option<Box<LedgerTotals>>,
    pub chain: ChainStatus,
    pub form: Option<OpenForm<LedgerFormKind>>,
}

crate::pane_forms!(LedgerPane);

impl LedgerPane {
    fn restore_form(&mut self, _key: &str, _data: &Value, _ctx: &RestoreCtx) -> bool {
        false
    }

    fn form_mut(&mut self) -> Option<&mut crate::app::form::Form> {
        self.form.as_mut().map(|f| &mut f.form)
    }

    /// Show a member's statement (a reply to an earlier read is dropped).
    fn show(&mut self, member_id: i64, cx: &mut Cx<'_, LedgerMsg>) {
        let read = ReadStatement { member_id };
        cx.db_latest("ledger.statement", read, |r| {
            LedgerMsg::Statement(r.map(Box::new))
        });
        self.member = Some(member_id);
    }

    /// Read the totals, the member shown, and the chains again (in the
    /// background: a status from the last visit would count transfers
    /// posted since as checked).
    fn load(&mut self, cx: &mut Cx<'_, LedgerMsg>) {
        let at = cx.desk.now;
        cx.db_latest("ledger.totals", ReadTotals { at }, |r| {
            LedgerMsg::Totals(r.map(Box::new))
        });
        if self.chain != ChainStatus::Checking {
            self.check_chain(cx);
        }
        if let Some(m) = self.member {
            self.show(m, cx);
        }
    }

    fn check_chain(&mut self, cx: &mut Cx<'_, LedgerMsg>) {
        self.chain = ChainStatus::Checking;
        cx.db_latest("ledger.chain", VerifyChain, |r| {
            LedgerMsg::Chain(r.map(Box::new))
        });
    }

    fn selected_line(&self) -> Option<&StatementLine> {
        self.statement.as_ref()?.lines.get(self.sel)
    }

    fn selected_correction(&self) -> Option<&CorrectionRow> {
        self.totals.as_ref()?.corrections.get(self.corr_sel)
    }

    /// Keys of the statement (and what the corrections list left to it).
    fn statement_command(&mut self, cmd: Command, cx: &mut Cx<'_, LedgerMsg>) -> bool {
        let last = self
            .statement
            .as_ref()
            .map_or(0, |s| s.lines.len())
            .saturating_sub(1);
        match cmd {
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, 15),
            Command::Refresh => self.load(cx),
            Command::CheckChain => self.check_chain(cx),
            Command::Corrections => {
                self.view = View::Corrections;
                self.corr_sel = 0;
            }
            Command::Reverse => {
                if let Some(line) = self.selected_line() {
                    let kind = LedgerFormKind::Reverse {
                        transfer_id: line.id.clone(),
                    };
                    let form = forms::reverse_form(line.delta.abs());
                    self.form = Some(OpenForm::new(kind, form));
                }
            }
            Command::Adjust => match self.member {
                Some(member_id) => {
                    let kind = LedgerFormKind::Adjust { member_id };
                    self.form = Some(OpenForm::new(kind, forms::adjust_form()));
                }
                None => cx.notify(NoticeKind::Error, msg!("ledger.pick_member_first")),
            },
            Command::Freeze => {
                let Some(s) = self.statement.as_ref() else {
                    return true;
                };
                let (member_id, frozen) = (s.member.id, !s.frozen);
                if master(cx) {
                    let kind = LedgerFormKind::Freeze { member_id, frozen };
                    self.form = Some(OpenForm::new(kind, forms::freeze_form(frozen)));
                }
            }
            Command::Estate => {
                if let Some(member_id) = self.member
                    && master(cx)
                {
                    let kind = LedgerFormKind::Estate { member_id };
                    self.form = Some(OpenForm::new(kind, forms::estate_form()));
                }
            }
            _ => return false,
        }
        true
    }
}

/// Whether a station master is at the desk (if not, the desk says so).
fn master(cx: &mut Cx<'_, LedgerMsg>) -> bool {
    let ok = cx.desk.session.is_master();
    if !ok {
        cx.notify(NoticeKind::Error, msg!("staff.master_only"));
    }
    ok
}

impl PaneComponent for LedgerPane {
    type Msg = LedgerMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Ledger, Context::List]
    }

    /// Nothing is new or opened with Enter here; the corrections' keys on
    /// their list, the statement's on the statement.
    fn available(&self, cmd: Command) -> bool {
        match cmd {
            Command::Select | Command::New => false,
            Command::ApproveCorrection | Command::RefuseCorrection => {
                self.view == View::Corrections
            }
            Command::Reverse | Command::Adjust | Command::Freeze | Command::Estate => {
                self.view == View::Statement
            }
            _ => true,
        }
    }

    fn entered(&mut self, cx: &mut Cx<'_, LedgerMsg>) {
        self.load(cx);
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, LedgerMsg>) -> bool {
        if self.view == View::Corrections && update::corrections_command(self, cmd, cx) {
            return true;
        }
        self.statement_command(cmd, cx)
    }

    fn submit(&mut self, cx: &mut Cx<'_, LedgerMsg>) {
        update::submit(self, cx);
    }

    /// A member found by search: their statement.
    fn member_found(&mut self, member_id: i64, cx: &mut Cx<'_, LedgerMsg>) -> bool {
        self.show(member_id, cx);
        true
    }

    fn update(&mut self, msg: LedgerMsg, cx: &mut Cx<'_, LedgerMsg>) {
        update::update(self, msg, cx);
    }
}

/// A side of a correction in words: the pool, or the member (with their
/// number when `long`), or the account code for anything else.
pub fn party(c: &CorrectionRow, code: &str, tr: &crate::i18n::Tr, long: bool) -> String {
    match (&c.member, code) {
        (_, "pool") => tr.t("payer.pool").to_string(),
        (Some((no, name)), code) if code.strip_prefix("m:") == Some(no.as_str()) => {
            if long {
                format!("{no} {name}")
            } else {
                name.clone()
            }
        }
        (_, code) => code.trim_start_matches("m:").to_string(),
    }
}

#[cfg(test)]
mod tests;
