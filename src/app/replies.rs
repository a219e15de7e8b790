//! Replies from the db thread. A pane's goes back to it as its own message
//! (through the outbox); what the App itself asked — for what every pane
//! shares, for sign-in, search and the start-up check — comes back as an
//! [`AppMsg`], matched here exhaustively and handed to the module that
//! asked.

use super::App;
use super::signin::SignInMsg;
use crate::domain::search::{SearchEntry, SearchIndex};
use crate::msg::Msg;
use crate::store::StoreResult;
use crate::store::catalog::ServiceType;
use crate::store::drafts::Draft;
use crate::store::members::MemberRow;
use crate::store::overview::HeaderCounts;
use crate::store::reveal::Revealed;
use crate::worker::{DbRequest, Done, Job};

use super::action::Effect;
use super::state::NoticeKind;

/// Opens a finished job of the App's as its message.
pub(super) type Then = Box<dyn FnOnce(Done) -> AppMsg>;

/// The reply to a request the App made itself (a pane's replies are the
/// pane's own messages).
#[derive(Debug)]
pub(super) enum AppMsg {
    /// The station set up, or someone signed in.
    SignIn(SignInMsg),
    Header(StoreResult<HeaderCounts>),
    /// The drafts the staff member left, offered back.
    Drafts(StoreResult<Vec<Draft>>),
    Index(StoreResult<Box<SearchIndex>>),
    IndexEntry(StoreResult<SearchEntry>),
    Catalog(StoreResult<Vec<ServiceType>>),
    /// The monthly level run due at sign-in: how many levels changed.
    LevelRun(StoreResult<u32>),
    /// The member a scanned card or a typed number names.
    Found(StoreResult<MemberRow>),
    /// The same, scanned or typed into the member field in focus.
    FoundForField(StoreResult<MemberRow>),
    /// The start-up check's verdict.
    Checked(StoreResult<()>),
    /// What to say about the damaged file, with the backup on offer.
    Offer(StoreResult<Msg>),
    /// A member's full phone numbers, for a station master.
    Revealed(StoreResult<Revealed>),
    /// The file's data version: changed means another desk wrote.
    DataVersion(StoreResult<i64>),
    /// Done in the background (a draft kept or dropped, the clock going
    /// back logged, the helper pool warmed): only a failure is said.
    Background(StoreResult<()>),
}

impl App {
    /// Send a request of the App's own; its reply comes back as
    /// `then(reply)`. The id marks the form waiting for it.
    pub(super) fn ask<R: DbRequest>(
        &mut self,
        request: R,
        then: impl FnOnce(StoreResult<R::Reply>) -> AppMsg + 'static,
    ) -> u64 {
        let id = self.outbox.next_id();
        let (job, ticket) = Job::new(id, request);
        self.asked
            .insert(id, Box::new(move |done| then(ticket.open(done))));
        self.outbox.push(Effect::Db(job));
        id
    }

    /// A request whose reply only matters if it failed.
    pub(super) fn ask_quietly<R: DbRequest<Reply = ()>>(&mut self, request: R) {
        self.ask(request, AppMsg::Background);
    }

    pub(super) fn on_reply(&mut self, done: Done) {
        match self.asked.remove(&done.id) {
            Some(then) => self.on_app_msg(then(done)),
            None => {
                if let Some(msg) = self.outbox.answer(done) {
                    self.deliver(msg);
                }
            }
        }
    }

    fn on_app_msg(&mut self, msg: AppMsg) {
        match msg {
            AppMsg::SignIn(m) => self.on_signin(m),
            AppMsg::Header(r) => self.header_read(r),
            AppMsg::Drafts(r) => self.drafts_read(r),
            AppMsg::Index(r) => self.index_read(r),
            AppMsg::IndexEntry(r) => self.index_entry_read(r),
            AppMsg::Catalog(r) => self.catalog_read(r),
            AppMsg::LevelRun(r) => self.level_run_done(r),
            AppMsg::Found(r) => self.scanned(r),
            AppMsg::FoundForField(r) => self.scanned_into_field(r),
            AppMsg::Checked(r) => self.checked(r),
            AppMsg::Offer(r) => self.offered(r),
            AppMsg::Revealed(r) => self.revealed(r),
            AppMsg::DataVersion(r) => self.data_version_read(r),
            AppMsg::Background(Ok(())) => {}
            AppMsg::Background(Err(e)) => self.notify(NoticeKind::Error, e.msg()),
        }
    }
}
