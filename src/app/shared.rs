//! What the desk shares with every pane (`cx::Shared`), kept by the App:
//! the header's counts, the member index and the service catalog, read
//! when someone gets to the desk and again when a pane says they changed;
//! and the monthly level run that is due at sign-in.

use super::App;
use super::panes::Call;
use super::replies::AppMsg;
use super::state::*;
use crate::domain::search::{SearchEntry, SearchIndex};
use crate::domain::staff::Session;
use crate::store::StoreResult;
use crate::store::catalog::ServiceType;
use crate::store::overview::HeaderCounts;
use crate::worker::desk::{
    LoadCatalog, LoadIndex, LoadIndexEntry, ReadHeader, RunLevelsIfDue, WarmHelpers,
};
use crate::worker::session::LoadDrafts;

impl App {
    /// Someone just got to the desk (sign-in, unlock as someone else, demo).
    pub(super) fn entered_desk(&mut self, session: &Session) {
        let staff_id = session.staff_id;
        let at = self.state.now;
        self.reload_index();
        self.ask(LoadCatalog, AppMsg::Catalog);
        self.ask(RunLevelsIfDue { at }, AppMsg::LevelRun);
        self.ask(LoadDrafts { staff_id }, AppMsg::Drafts);
        self.ask_quietly(WarmHelpers);
        self.refresh_header();
        let pane = self.state.desk().map(|d| d.pane);
        if let Some(p) = pane {
            self.pane_entered(p);
        }
    }

    pub(super) fn refresh_header(&mut self) {
        self.last_header_at = self.state.now;
        let at = self.state.now;
        self.ask(ReadHeader { at }, AppMsg::Header);
    }

    /// A member's entry in the index, read again (their standing changed).
    pub(super) fn reload_index_entry(&mut self, member_id: i64) {
        self.ask(LoadIndexEntry { member_id }, AppMsg::IndexEntry);
    }

    /// Every member's entry, read again.
    pub(super) fn reload_index(&mut self) {
        self.ask(LoadIndex, |r| AppMsg::Index(r.map(Box::new)));
    }

    /// "JS01-0001 张三丰" for a member in the index.
    pub fn member_label(&self, member_id: i64) -> String {
        super::cx::member_label(&self.state.index, member_id)
    }

    pub(super) fn header_read(&mut self, counts: StoreResult<HeaderCounts>) {
        if let Some(h) = unsaid(counts) {
            self.state.header = h;
        }
    }

    pub(super) fn index_read(&mut self, index: StoreResult<Box<SearchIndex>>) {
        if let Some(ix) = unsaid(index) {
            self.state.index = *ix;
            self.state.index_loaded = true;
            self.index_changed();
        }
    }

    pub(super) fn index_entry_read(&mut self, entry: StoreResult<SearchEntry>) {
        if let Some(e) = unsaid(entry) {
            self.state.index.upsert(e);
            self.index_changed();
        }
    }

    pub(super) fn catalog_read(&mut self, catalog: StoreResult<Vec<ServiceType>>) {
        if let Some(c) = unsaid(catalog) {
            self.state.catalog = c;
        }
    }

    /// The member index changed: every pane hears it.
    fn index_changed(&mut self) {
        for pane in Pane::AVAILABLE {
            self.dispatch(*pane, Call::IndexChanged);
        }
    }

    /// The level run due at sign-in is done: said if levels changed, and
    /// the index read again.
    pub(super) fn level_run_done(&mut self, changed: StoreResult<u32>) {
        match changed {
            Ok(0) => {}
            Ok(n) => {
                self.notify(NoticeKind::Info, crate::msg!("level.run_ok", n = n));
                self.reload_index();
            }
            Err(e) => self.notify(NoticeKind::Error, e.msg()),
        }
    }
}

/// A read of what the desk shares that failed is not said: it was not
/// before issue 18's move, which changes no behaviour (listed for issue
/// 16). The desk goes on with what it had: the header is read again
/// within half a minute; the member list and search say "loading" until
/// the index comes.
fn unsaid<T>(read: StoreResult<T>) -> Option<T> {
    read.ok()
}
