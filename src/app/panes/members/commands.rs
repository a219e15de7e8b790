//! The members pane's keys: moving on the lists, and what is done to the
//! selected member (each opens its form, or says why not).

use super::forms;
use super::{MembersFormKind, MembersMsg, MembersPane, View};
use crate::app::action::Command;
use crate::app::cx::Cx;
use crate::app::form::Form;
use crate::app::notice::NoticeKind;
use crate::app::pane::OpenForm;
use crate::domain::level::Level;
use crate::domain::member::MemberStatus;
use crate::i18n::Tr;
use crate::msg;
use crate::store::members::MemberRow;
use crate::store::reveal::CallPurpose;
use crate::worker::desk::NumberForCall;
use crate::worker::exports::{ExportBlacklist, ExportTrustTop};

/// Rows a page key moves.
const PAGE: usize = 15;

impl MembersPane {
    fn open(&mut self, kind: MembersFormKind, form: Form) {
        self.form = Some(OpenForm::new(kind, form));
    }

    /// A key on the list; whether the pane had a use for it.
    pub(super) fn on_command(&mut self, cmd: Command, cx: &mut Cx<'_, MembersMsg>) -> bool {
        let last = self.len().saturating_sub(1);
        let before = self.sel;
        match cmd {
            c if c.moves_in_list() => self.sel = c.moved(self.sel, last, PAGE),
            Command::SwitchSection => {
                let i = View::ALL.iter().position(|v| *v == self.view).unwrap_or(0);
                self.view = View::ALL[(i + 1) % View::ALL.len()];
                self.sel = 0;
                self.load_view(cx);
                self.load_detail(cx);
                return true;
            }
            Command::RevealPhone => {
                if let Some(id) = self.detail.as_ref().map(|d| d.row.id) {
                    cx.reveal_phones(id);
                }
                return true;
            }
            Command::Refresh => {
                // the list of all members is the index: read it again too
                cx.reload_index();
                self.load_view(cx);
                self.load_detail(cx);
                return true;
            }
            Command::New => {
                let choices = cx.desk.catalog_choices();
                let f = forms::register_form(&choices, cx.desk.community, cx.desk.main_station);
                self.open(MembersFormKind::Register, f);
                return true;
            }
            Command::ToggleQr => {
                self.show_qr = !self.show_qr;
                return true;
            }
            _ => return self.on_member(cmd, cx),
        }
        if self.sel != before {
            self.load_detail(cx);
        }
        true
    }

    /// A key for the selected member, once their detail is shown (before,
    /// the key does nothing: what it may do depends on their standing).
    fn on_member(&mut self, cmd: Command, cx: &mut Cx<'_, MembersMsg>) -> bool {
        // the level run and the lists' exports are for the station, not for
        // the member selected: they work on an empty list too
        if cmd == Command::RunLevels {
            if cx.desk.session.is_master() {
                cx.confirm(msg!("level.run_confirm"), MembersMsg::RunLevels);
            } else {
                cx.notify(NoticeKind::Error, msg!("staff.master_only"));
            }
            return true;
        }
        if cmd == Command::Export && self.export_list(cx) {
            return true;
        }
        let sel = self.selected(cx.desk.index);
        let shown = self
            .detail
            .as_ref()
            .filter(|d| Some(d.row.id) == sel)
            .map(|d| d.row.clone());
        // p prints: the member's papers once their detail shows, the
        // blank forms with no one selected
        if cmd == Command::Export {
            let id = shown.as_ref().map(|r| r.id);
            self.open(MembersFormKind::Print { id }, forms::print_form(id));
            return true;
        }
        let (Some(sel), Some(row)) = (sel, shown) else {
            return false;
        };
        let pending = row.status == MemberStatus::Pending;
        match cmd {
            Command::Approve if pending => {
                let kind = MembersFormKind::Approve {
                    id: sel,
                    has_recommender: row.has_recommender,
                };
                self.open(kind, forms::approve_form(row.has_recommender));
            }
            Command::Reject if pending => {
                self.open(MembersFormKind::Reject { id: sel }, forms::reject_form());
            }
            Command::Approve | Command::Reject => {
                cx.notify(NoticeKind::Error, msg!("review.already_decided"));
            }
            Command::RecordCall if row.decided_at.is_none() => {
                cx.notify(NoticeKind::Error, msg!("review.not_decided"));
            }
            Command::RecordCall => {
                let default = Tr::new(cx.desk.lang).t("review.call_default").to_string();
                self.open(
                    MembersFormKind::Notified { id: sel },
                    forms::call_form(&default),
                );
                // the applicant's number, in full for whoever calls (logged)
                let ask = NumberForCall {
                    by: cx.desk.session.clone(),
                    member_id: sel,
                    purpose: CallPurpose::Applicant,
                    about: format!("application:{sel}"),
                    at: cx.desk.now,
                };
                cx.db(ask, MembersMsg::Number);
            }
            Command::Card => self.card(&row, cx),
            Command::Heir if row.level != Level::Honor || row.status != MemberStatus::Approved => {
                cx.notify(NoticeKind::Error, msg!("heir.honor_only"));
            }
            Command::Heir => self.open(MembersFormKind::Heir { id: sel }, forms::heir_form()),
            Command::Violation => {
                let kind = MembersFormKind::Violation { id: sel };
                self.open(kind, forms::violation_form());
            }
            _ => return false,
        }
        true
    }

    /// A card for an approved member (replacing a valid one asks why).
    fn card(&mut self, row: &MemberRow, cx: &mut Cx<'_, MembersMsg>) {
        if row.status != MemberStatus::Approved {
            return cx.notify(NoticeKind::Error, msg!("card.not_approved"));
        }
        let replaces = self
            .detail
            .as_ref()
            .is_some_and(|d| d.cards.iter().any(|c| c.voided_at.is_none()));
        self.open(
            MembersFormKind::Card { id: row.id },
            forms::card_form(replaces),
        );
    }

    /// The trust list or the blacklist notice, when one is shown; false on
    /// the views where `p` opens the print form.
    fn export_list(&mut self, cx: &mut Cx<'_, MembersMsg>) -> bool {
        let (lang, at) = (cx.desk.lang, cx.desk.now);
        let then = MembersMsg::Exported;
        match self.view {
            View::Trust => cx.db(ExportTrustTop { lang, at }, then),
            View::Notice => cx.db(ExportBlacklist { lang, at }, then),
            View::All | View::Review | View::Levels => return false,
        };
        true
    }
}
