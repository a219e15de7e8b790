//! Showing a member's full phone numbers: station master only, one member
//! at a time, logged, and hidden again on leaving the pane or locking.
//!
//! Shared by two panes, so the desk keeps it: a component asks with
//! `cx.reveal_phones` (the members pane, the stats pane's callback list).

use super::App;
use super::replies::AppMsg;
use super::state::NoticeKind;
use crate::msg;
use crate::store::StoreResult;
use crate::store::reveal::Revealed;
use crate::worker::desk::RevealPhones;

impl App {
    /// Ask the store for one member's full numbers (it writes the audit row).
    pub(super) fn reveal_phone(&mut self, member_id: i64) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        if !by.is_master() {
            return self.notify(NoticeKind::Error, msg!("reveal.master_only"));
        }
        let at = self.state.now;
        self.ask(RevealPhones { by, member_id, at }, AppMsg::Revealed);
    }

    pub(super) fn revealed(&mut self, numbers: StoreResult<Revealed>) {
        match numbers {
            Ok(r) => {
                if let Some(d) = self.desk_mut() {
                    d.revealed = Some(r);
                }
                self.notify(NoticeKind::Info, msg!("reveal.shown"));
            }
            Err(e) => self.notify(NoticeKind::Error, e.msg()),
        }
    }

    /// Hide revealed numbers again (pane change, lock, another member).
    pub(super) fn hide_revealed(&mut self) {
        if let Some(d) = self.desk_mut() {
            d.revealed = None;
        }
    }
}

/// The number to show: in full when revealed for this member, else masked.
pub fn shown_phone(
    revealed: Option<&Revealed>,
    member_id: i64,
    pick: fn(&Revealed) -> Option<&str>,
    stored: &str,
) -> String {
    match revealed.filter(|r| r.member_id == member_id).and_then(pick) {
        Some(full) => full.to_string(),
        None => crate::domain::member::mask_phone(stored),
    }
}
