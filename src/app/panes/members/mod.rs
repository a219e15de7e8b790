//! Pane 6 (会员): register applicants, review them within 24 hours, issue
//! cards, see a member's standing; levels preview, the trust list and the
//! public blacklist notice.
//!
//! The list of all members is the desk's member index (`cx.desk.index`),
//! in number order; the other lists are read from the store when shown.

mod commands;
mod forms;
mod update;

use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::keymap::Context;
use crate::app::pane::{FormKind, OpenForm, PaneComponent, RestoreCtx};
use crate::domain::search::SearchIndex;
use crate::domain::trust::TrustRank;
use crate::output::Saved;
use crate::store::StoreResult;
use crate::store::members::{MemberDetail, MemberRow};
use crate::store::standing::{LevelView, NoticeEntry};
use crate::worker::members::{Blacklist, LevelPreview, ReadMember, ReviewList, TrustTop};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    All,
    Review,
    Levels,
    Trust,
    Notice,
}

impl View {
    pub const ALL: [View; 5] = [
        View::All,
        View::Review,
        View::Levels,
        View::Trust,
        View::Notice,
    ];

    pub fn title_key(self) -> &'static str {
        match self {
            View::All => crate::k!("members.view.all"),
            View::Review => crate::k!("members.view.review"),
            View::Levels => crate::k!("members.view.levels"),
            View::Trust => crate::k!("members.view.trust"),
            View::Notice => crate::k!("members.view.notice"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MembersFormKind {
    Register,
    Approve {
        id: i64,
        has_recommender: bool,
    },
    Reject {
        id: i64,
    },
    Notified {
        id: i64,
    },
    Card {
        id: i64,
    },
    Heir {
        id: i64,
    },
    Violation {
        id: i64,
    },
    /// What `p` prints: a member's papers, or (`None`) the blank forms.
    Print {
        id: Option<i64>,
    },
}

impl FormKind for MembersFormKind {
    /// Only a registration is long enough to be worth keeping.
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            MembersFormKind::Register => Some("members.register"),
            _ => None,
        }
    }
}

/// What comes back to the members pane.
#[derive(Debug, Clone, PartialEq)]
pub enum MembersMsg {
    /// The review list, read again.
    Review(StoreResult<Vec<MemberRow>>),
    /// The level preview, read again.
    Levels(StoreResult<Vec<LevelView>>),
    /// The trust list (rank, number, name), read again.
    Trust(StoreResult<Vec<(TrustRank, String, String)>>),
    /// The blacklist notice, read again.
    Notice(StoreResult<Vec<NoticeEntry>>),
    /// The selected member's standing, read again.
    Detail(StoreResult<Box<MemberDetail>>),
    /// An application registered, approved, rejected or its applicant
    /// told: the member as they now stand.
    Member(StoreResult<Box<MemberRow>>),
    /// A card issued, an heir registered, a violation recorded.
    Saved(StoreResult<()>),
    /// "Yes" to the monthly level run: run it.
    RunLevels,
    /// The level run done: how many levels changed.
    LevelsRun(StoreResult<u32>),
    /// A card sheet, the blacklist or the trust list written out.
    Exported(StoreResult<Saved>),
    /// A printed page saved, and opened or printed.
    Printed(StoreResult<crate::exports::deliver::Delivered>),
    /// The applicant's number for the open call dialog, in full.
    Number(StoreResult<crate::store::reveal::CallNumber>),
}

#[derive(Debug, Clone, Default)]
pub struct MembersPane {
    pub view: View,
    pub sel: usize,
    /// Index positions in list order (number, then pending by name).
    pub order: Vec<usize>,
    pub review: Vec<MemberRow>,
    pub levels: Vec<LevelView>,
    pub trust: Vec<(TrustRank, String, String)>,
    pub notice: Vec<NoticeEntry>,
    pub detail: Option<Box<MemberDetail>>,
    pub show_qr: bool,
    pub form: Option<OpenForm<MembersFormKind>>,
    /// Select this member when the review list arrives (after registering
    /// one).
    pub select_after_load: Option<i64>,
}

crate::pane_forms!(MembersPane);

impl MembersPane {
    pub fn len(&self) -> usize {
        match self.view {
            View::All => self.order.len(),
            View::Review => self.review.len(),
            View::Levels => self.levels.len(),
            View::Trust => self.trust.len(),
            View::Notice => self.notice.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The member under the cursor of the current view (the list of all
    /// members is the desk's `index`, in `order`).
    pub fn selected(&self, index: &SearchIndex) -> Option<i64> {
        match self.view {
            View::All => self.order.get(self.sel).map(|i| index.entry(*i).member_id),
            View::Review => self.review.get(self.sel).map(|m| m.id),
            View::Levels => self.levels.get(self.sel).map(|l| l.member_id),
            View::Trust => self.trust.get(self.sel).map(|t| t.0.member_id),
            View::Notice => self.notice.get(self.sel).map(|n| n.member_id),
        }
    }

    fn restore_form(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool {
        if key != "members.register" {
            return false;
        }
        let mut f = forms::register_form(&ctx.catalog, &ctx.community, ctx.main_station);
        f.restore_draft(data);
        self.form = Some(OpenForm::new(MembersFormKind::Register, f));
        true
    }

    /// The list order after the member index changed: members by number,
    /// applicants (no number yet) after them.
    fn reorder(&mut self, ix: &SearchIndex) {
        let mut order: Vec<usize> = (0..ix.len()).collect();
        order.sort_by(|a, b| {
            let (x, y) = (ix.entry(*a), ix.entry(*b));
            (x.number.is_empty(), x.number.len(), &x.number, x.member_id).cmp(&(
                y.number.is_empty(),
                y.number.len(),
                &y.number,
                y.member_id,
            ))
        });
        self.order = order;
        self.sel = self.sel.min(self.order.len().saturating_sub(1));
    }

    /// Read the list of the current view (all members need no read: they
    /// are the index). Latest wins across the views.
    fn load_view(&mut self, cx: &mut Cx<'_, MembersMsg>) {
        let at = cx.desk.now;
        let slot = "members.list";
        match self.view {
            View::All => {}
            View::Review => _ = cx.db_latest(slot, ReviewList, MembersMsg::Review),
            View::Levels => _ = cx.db_latest(slot, LevelPreview { at }, MembersMsg::Levels),
            View::Trust => _ = cx.db_latest(slot, TrustTop { at }, MembersMsg::Trust),
            View::Notice => _ = cx.db_latest(slot, Blacklist, MembersMsg::Notice),
        }
    }

    /// Read the selected member's standing (none selected: none shown).
    fn load_detail(&mut self, cx: &mut Cx<'_, MembersMsg>) {
        let Some(member_id) = self.selected(cx.desk.index) else {
            self.detail = None;
            return;
        };
        let read = ReadMember {
            member_id,
            at: cx.desk.now,
        };
        cx.db_latest("members.detail", read, |r| {
            MembersMsg::Detail(r.map(Box::new))
        });
    }
}

impl PaneComponent for MembersPane {
    type Msg = MembersMsg;

    fn contexts(&self) -> &'static [Context] {
        &[Context::Members, Context::List]
    }

    /// Enter on the list does nothing here; a phone is shown only with a
    /// member's detail.
    fn available(&self, cmd: Command) -> bool {
        match cmd {
            Command::Select | Command::Edit | Command::Filter | Command::FilterType => false,
            Command::AddStaff | Command::AddServiceType | Command::ResetPin => false,
            Command::RevealPhone => self.detail.is_some(),
            _ => true,
        }
    }

    fn entered(&mut self, cx: &mut Cx<'_, MembersMsg>) {
        self.load_view(cx);
        self.load_detail(cx);
    }

    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, MembersMsg>) -> bool {
        self.on_command(cmd, cx)
    }

    fn submit(&mut self, cx: &mut Cx<'_, MembersMsg>) {
        self.on_submit(cx);
    }

    /// The list of all members is the index: its order follows it, and a
    /// detail shown for a member no longer selected is read again.
    fn index_changed(&mut self, cx: &mut Cx<'_, MembersMsg>) {
        self.reorder(cx.desk.index);
        let shown = self.detail.as_ref().map(|d| d.row.id);
        if shown.is_some() && shown != self.selected(cx.desk.index) {
            self.load_detail(cx);
        }
    }

    /// A member found by search or a card: shown on the list of all.
    fn member_found(&mut self, member_id: i64, cx: &mut Cx<'_, MembersMsg>) -> bool {
        let ix = cx.desk.index;
        let pos = self
            .order
            .iter()
            .position(|i| ix.entry(*i).member_id == member_id);
        self.view = View::All;
        if let Some(pos) = pos {
            self.sel = pos;
        }
        self.load_detail(cx);
        true
    }

    fn update(&mut self, msg: MembersMsg, cx: &mut Cx<'_, MembersMsg>) {
        self.on_msg(msg, cx);
    }
}

#[cfg(test)]
mod tests;
