//! What a pane component gets on every call: [`Cx`], read access to what
//! the desk shares ([`Shared`]) and an outbox for what the pane asks.
//!
//! A pane asks the db thread through typed requests whose replies come back
//! as the pane's own messages, and asks the App (through [`Ask`]) for what
//! is not its own: a notice, the bell, a confirmation whose "yes" is a
//! message back to it, a move to another pane ([`Goto`]), the header read
//! again, a draft dropped. The App carries the asks out after the pane
//! returns, in order.

use super::form::{Choice, Form};
use super::notice::NoticeKind;
use crate::domain::search::SearchIndex;
use crate::domain::staff::Session;
use crate::domain::station::Settings;
use crate::domain::time::{self, Stamp};
use crate::i18n::Lang;
use crate::msg::Msg;
use crate::store::catalog::ServiceType;
use crate::store::queue::RequestRow;
use crate::store::{StoreError, StoreResult};
use crate::worker::{DbRequest, Done, Job};

/// What every pane may read: borrowed from the App for one call.
#[derive(Debug, Clone, Copy)]
pub struct Shared<'a> {
    /// Who is at the desk.
    pub session: &'a Session,
    pub now: Stamp,
    /// The station's time zone: every day and clock on screen is in it.
    pub tz: chrono_tz::Tz,
    pub lang: Lang,
    pub settings: &'a Settings,
    /// The service catalog.
    pub catalog: &'a [ServiceType],
    /// Every member, for search, labels and suggestions.
    pub index: &'a SearchIndex,
    /// The request selected in the queue: what pane 2 shows when it has
    /// none of its own.
    pub selected_request: Option<i64>,
    /// The station's community code (a new merchant's or member's, unless
    /// changed).
    pub community: &'a str,
    /// A main station registers members of other communities too.
    pub main_station: bool,
    /// The themes a station may choose.
    pub theme_names: &'a [String],
    /// Printing may start the system's programs (the desk, not a test).
    pub opens_programs: bool,
}

impl Shared<'_> {
    /// What printing a page does here: the station's setting, or only
    /// saving where no program may be started.
    pub fn print_how(&self) -> crate::print::Delivery {
        if self.opens_programs {
            crate::print::Delivery::from_setting(&self.settings.print)
        } else {
            crate::print::Delivery::Save
        }
    }

    /// Today in station time.
    pub fn today(&self) -> chrono::NaiveDate {
        time::local_day(self.now, self.tz)
    }

    /// When today began, in station time.
    pub fn day_start(&self) -> Stamp {
        time::day_start(self.today(), self.tz)
    }

    /// "JS01-0001 张三丰" for a member in the index.
    pub fn member_label(&self, member_id: i64) -> String {
        member_label(self.index, member_id)
    }

    /// The catalog's service types in use, as form choices (value: the id).
    pub fn catalog_choices(&self) -> Vec<Choice> {
        catalog_choices(self.catalog, self.lang)
    }
}

/// The service types in use, as form choices (value: the id).
pub fn catalog_choices(catalog: &[ServiceType], lang: Lang) -> Vec<Choice> {
    catalog
        .iter()
        .filter(|t| t.active)
        .map(|t| {
            Choice::text(
                t.id.to_string(),
                lang.pick(&t.name_zh, &t.name_en).to_string(),
            )
        })
        .collect()
}

/// "JS01-0001 张三丰" (a member without a number yet: the name; not in the
/// index: `#id`).
pub fn member_label(index: &SearchIndex, member_id: i64) -> String {
    match index.find_member(member_id) {
        Some(e) if !e.number.is_empty() => format!("{} {}", e.number, e.name),
        Some(e) => e.name.clone(),
        None => format!("#{member_id}"),
    }
}

/// A move to another pane, said in the time bank's words: the App knows
/// which pane it lands on (`app/panes/mod.rs`), the pane that asks does not.
#[derive(Debug, Clone, PartialEq)]
pub enum Goto {
    /// Pane 2, with the helpers for this request.
    Match { request_id: i64 },
    /// Pane 1, showing the requests carried over, this one selected (from
    /// F2's list).
    Carried { request_id: i64 },
    /// Record the service given for a request: the record form prefilled,
    /// or for a merchant's request the merchant-service form. Refused
    /// unless the request is matched or in service.
    RecordService(Box<RequestRow>),
}

/// What a pane asks of the App (carried out after the pane returns).
#[derive(Debug, Clone, PartialEq)]
pub enum Ask<M> {
    Notify(NoticeKind, Msg),
    Bell,
    /// A yes/no question; "yes" sends `on_yes` back to the pane.
    Confirm {
        text: Msg,
        on_yes: M,
    },
    Go(Goto),
    RefreshHeader,
    /// The form kept in this draft slot is done with.
    DropDraft(&'static str),
    /// The station's settings as now saved: the desk goes by them (its
    /// language and theme too).
    SettingsSaved(Box<Settings>),
    /// The service catalog as now saved.
    CatalogSaved(Vec<ServiceType>),
    /// This member's entry in the member index is read again (their
    /// standing changed).
    MemberChanged(i64),
    /// Every member's entry in the index is read again (after the monthly
    /// level run, or asked for on the members pane).
    ReloadIndex,
    /// Show this member's full phone numbers (a station master only;
    /// logged; hidden again on leaving the pane or locking).
    RevealPhones(i64),
}

impl<M> Ask<M> {
    /// The same ask, its message wrapped for the App.
    pub fn map<N>(self, wrap: impl FnOnce(M) -> N) -> Ask<N> {
        match self {
            Ask::Notify(kind, text) => Ask::Notify(kind, text),
            Ask::Bell => Ask::Bell,
            Ask::Confirm { text, on_yes } => Ask::Confirm {
                text,
                on_yes: wrap(on_yes),
            },
            Ask::Go(to) => Ask::Go(to),
            Ask::RefreshHeader => Ask::RefreshHeader,
            Ask::DropDraft(slot) => Ask::DropDraft(slot),
            Ask::SettingsSaved(s) => Ask::SettingsSaved(s),
            Ask::CatalogSaved(c) => Ask::CatalogSaved(c),
            Ask::MemberChanged(id) => Ask::MemberChanged(id),
            Ask::ReloadIndex => Ask::ReloadIndex,
            Ask::RevealPhones(id) => Ask::RevealPhones(id),
        }
    }
}

/// Where a pane's jobs and asks go: the App's outbox, seen by one pane
/// (its messages wrapped on the way; see `app/outbox.rs`).
pub trait Outlet<M> {
    fn next_id(&mut self) -> u64;
    /// Send `job`; `then` turns its result into the pane's message. With a
    /// `slot`, only the latest job of that slot is answered.
    fn send(&mut self, job: Job, slot: Option<&'static str>, then: Box<dyn FnOnce(Done) -> M>);
    fn ask(&mut self, ask: Ask<M>);
}

/// The context of one call to a pane: what it may read, and its outbox.
pub struct Cx<'a, M> {
    pub desk: &'a Shared<'a>,
    out: &'a mut dyn Outlet<M>,
}

impl<'a, M: 'static> Cx<'a, M> {
    pub fn new(desk: &'a Shared<'a>, out: &'a mut dyn Outlet<M>) -> Self {
        Cx { desk, out }
    }

    /// Send a request to the db thread; its reply comes back as
    /// `then(reply)`. The id marks the form waiting for it (`Form::busy`).
    pub fn db<R: DbRequest>(
        &mut self,
        request: R,
        then: impl FnOnce(StoreResult<R::Reply>) -> M + 'static,
    ) -> u64 {
        self.send(None, request, then)
    }

    /// Print `what` as the station's printing setting says (saved, opened
    /// or sent to the printer), in the desk's language; the reply tells
    /// where it went.
    pub fn print(
        &mut self,
        what: crate::exports::printed::Printable,
        then: impl FnOnce(StoreResult<crate::exports::deliver::Delivered>) -> M + 'static,
    ) -> u64 {
        let request = crate::worker::exports::PrintPage {
            what,
            how: self.desk.print_how(),
            lang: self.desk.lang,
            at: self.desk.now,
        };
        self.db(request, then)
    }

    /// As [`Cx::db`], but latest wins: the reply of an earlier request of
    /// the same `slot` still pending is dropped when it comes (a list read
    /// again before the last read was back), so no pane keeps request ids.
    pub fn db_latest<R: DbRequest>(
        &mut self,
        slot: &'static str,
        request: R,
        then: impl FnOnce(StoreResult<R::Reply>) -> M + 'static,
    ) -> u64 {
        self.send(Some(slot), request, then)
    }

    fn send<R: DbRequest>(
        &mut self,
        slot: Option<&'static str>,
        request: R,
        then: impl FnOnce(StoreResult<R::Reply>) -> M + 'static,
    ) -> u64 {
        let id = self.out.next_id();
        let (job, ticket) = Job::new(id, request);
        self.out
            .send(job, slot, Box::new(move |done| then(ticket.open(done))));
        id
    }

    /// THE handler of a request that failed: its refusals at the fields of
    /// the form that sent it (which takes keys again), or without a form a
    /// notice. No pane words an error itself.
    pub fn failed(&mut self, form: Option<&mut Form>, err: StoreError) {
        match form {
            Some(f) => {
                f.busy = None;
                f.show_refusals(&err.refusals());
            }
            None => self.notify(NoticeKind::Error, err.msg()),
        }
    }

    pub fn notify(&mut self, kind: NoticeKind, text: Msg) {
        self.out.ask(Ask::Notify(kind, text));
    }

    /// Ring the terminal's bell, unless the station muted it.
    pub fn bell(&mut self) {
        if !self.desk.settings.bell_muted {
            self.out.ask(Ask::Bell);
        }
    }

    /// Ask yes or no; "yes" comes back to the pane as `on_yes`.
    pub fn confirm(&mut self, text: Msg, on_yes: M) {
        self.out.ask(Ask::Confirm { text, on_yes });
    }

    /// Move to another pane once this call returns.
    pub fn go(&mut self, to: Goto) {
        self.out.ask(Ask::Go(to));
    }

    /// Read the header's figures again (something they count changed).
    pub fn refresh_header(&mut self) {
        self.out.ask(Ask::RefreshHeader);
    }

    /// The form kept in `slot` was saved: its draft goes.
    pub fn drop_draft(&mut self, slot: &'static str) {
        self.out.ask(Ask::DropDraft(slot));
    }

    /// The station's settings were saved (by the settings pane, which owns
    /// them): the desk goes by these from now on.
    pub fn settings_saved(&mut self, settings: Box<Settings>) {
        self.out.ask(Ask::SettingsSaved(settings));
    }

    /// The service catalog was saved: the desk offers these types from now on.
    pub fn catalog_saved(&mut self, catalog: Vec<ServiceType>) {
        self.out.ask(Ask::CatalogSaved(catalog));
    }

    /// A member's standing changed (frozen, a balance moved): their entry
    /// in the member index, which every pane reads, is read again.
    pub fn member_changed(&mut self, member_id: i64) {
        self.out.ask(Ask::MemberChanged(member_id));
    }

    /// Many members' standing changed (the level run): the whole member
    /// index is read again.
    pub fn reload_index(&mut self) {
        self.out.ask(Ask::ReloadIndex);
    }

    /// Show a member's full phone numbers, for a call the desk must make:
    /// the desk checks that a station master asks, logs it, and hides them
    /// again on leaving the pane or locking (one member at a time, whichever
    /// pane asked).
    pub fn reveal_phones(&mut self, member_id: i64) {
        self.out.ask(Ask::RevealPhones(member_id));
    }
}

/// For a pane's unit tests: a desk to read, and an outlet that keeps what
/// the pane sends and asks (no store, no App).
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::domain::staff::Role;

    /// The jobs a pane sent (name and slot) and what it asked, in order.
    pub struct Recorder<M> {
        next: u64,
        pub jobs: Vec<(String, Option<&'static str>)>,
        pub asks: Vec<Ask<M>>,
    }

    impl<M> Default for Recorder<M> {
        fn default() -> Self {
            Recorder {
                next: 0,
                jobs: Vec::new(),
                asks: Vec::new(),
            }
        }
    }

    impl<M> Recorder<M> {
        pub fn job_names(&self) -> Vec<&str> {
            self.jobs.iter().map(|(n, _)| n.as_str()).collect()
        }
    }

    impl<M> Outlet<M> for Recorder<M> {
        fn next_id(&mut self) -> u64 {
            self.next += 1;
            self.next
        }
        fn send(&mut self, job: Job, slot: Option<&'static str>, _: Box<dyn FnOnce(Done) -> M>) {
            self.jobs.push((job.name, slot));
        }
        fn ask(&mut self, ask: Ask<M>) {
            self.asks.push(ask);
        }
    }

    /// Station master 001 at the desk at `harness::T0` (Shanghai), default
    /// settings, an empty catalog and index, community 01 (a micro
    /// station), one theme ("default").
    pub struct Desk {
        pub session: Session,
        pub settings: Settings,
        pub index: SearchIndex,
        pub catalog: Vec<ServiceType>,
        pub selected_request: Option<i64>,
        pub community: String,
        pub main_station: bool,
        pub theme_names: Vec<String>,
    }

    impl Default for Desk {
        fn default() -> Self {
            Desk {
                session: Session {
                    staff_id: 1,
                    staff_no: "001".into(),
                    name: "王秀英".into(),
                    role: Role::Master,
                },
                settings: Settings::default(),
                index: SearchIndex::default(),
                catalog: Vec::new(),
                selected_request: None,
                community: "01".into(),
                main_station: false,
                theme_names: vec!["default".into()],
            }
        }
    }

    impl Desk {
        pub fn shared(&self) -> Shared<'_> {
            Shared {
                session: &self.session,
                now: crate::harness::T0,
                tz: chrono_tz::Asia::Shanghai,
                lang: Lang::Zh,
                settings: &self.settings,
                catalog: &self.catalog,
                index: &self.index,
                selected_request: self.selected_request,
                community: &self.community,
                main_station: self.main_station,
                theme_names: &self.theme_names,
                opens_programs: false,
            }
        }
    }

    /// Run `f` on a pane with a [`Cx`] over `desk` and a recording
    /// outlet; what the pane sent and asked.
    pub fn call<P, M: 'static>(
        pane: &mut P,
        desk: &Desk,
        f: impl FnOnce(&mut P, &mut Cx<'_, M>),
    ) -> Recorder<M> {
        let mut out = Recorder::default();
        let shared = desk.shared();
        f(pane, &mut Cx::new(&shared, &mut out));
        out
    }

    /// A request as the store gives it back: taken in at `T0`, for the
    /// next hour, in `state`.
    pub fn request_row(id: i64, state: crate::domain::queue::State) -> RequestRow {
        RequestRow {
            id,
            uid: format!("u{id}"),
            requester_id: Some(1),
            merchant_id: None,
            requester: "李奶奶".into(),
            requester_number: "JS01-0001".into(),
            type_id: 1,
            description: "陪聊".into(),
            place: "1栋".into(),
            window_start: crate::harness::T0,
            window_end: crate::harness::T0 + time::HOUR_MS,
            minutes: 60,
            urgent: false,
            channel: crate::domain::queue::Channel::Phone,
            pool_pays: false,
            state,
            helper_id: None,
            helper: None,
            created_at: crate::harness::T0,
            responded_at: None,
            matched_at: None,
            closed_at: None,
            record_id: None,
            cancel_reason: None,
            services: None,
            parent_id: None,
            settles: None,
        }
    }
}
