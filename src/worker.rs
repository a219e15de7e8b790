//! The db worker: one thread owns the [`Store`]; the app sends it typed
//! commands with a request id and gets typed replies back as events, so the
//! screen never waits on the disk. The test harness calls [`execute`]
//! directly, in order, which is the same code without the thread.

use crate::domain::record::RecordInput;
use crate::domain::search::{SearchEntry, SearchIndex};
use crate::domain::staff::{Role, Session};
use crate::domain::station::{Settings, Station};
use crate::domain::time::Stamp;
use crate::domain::trust::TrustRank;
use crate::i18n::{Lang, Tr};
use crate::store::catalog::ServiceType;
use crate::store::drafts::Draft;
use crate::store::ledger::{LedgerReport, Posted, StatementLine, Totals};
use crate::store::members::{MemberDetail, MemberRow, NewMember};
use crate::store::records::{RecordPosted, RecordRow, SpotCheck};
use crate::store::staff::StaffRow;
use crate::store::standing::{LevelView, NoticeEntry, Severity};
use crate::store::station::NewStation;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone)]
pub enum DbCommand {
    CreateStation {
        station: NewStation,
        master: String,
        pin: String,
        at: Stamp,
    },
    SignIn {
        staff_no: String,
        pin: String,
        at: Stamp,
    },
    ListStaff,
    AddStaff {
        by: Session,
        name: String,
        role: Role,
        pin: String,
        at: Stamp,
    },
    ResetPin {
        by: Session,
        staff_id: i64,
        pin: String,
        at: Stamp,
    },
    SetStaffActive {
        by: Session,
        staff_id: i64,
        active: bool,
        at: Stamp,
    },
    SetSetting {
        by: Session,
        key: String,
        value: serde_json::Value,
        at: Stamp,
    },
    AddServiceType {
        by: Session,
        name_zh: String,
        name_en: String,
        tier: crate::domain::level::Tier,
        at: Stamp,
    },
    SaveDraft {
        staff_id: i64,
        form: String,
        data: String,
        at: Stamp,
    },
    DropDraft {
        staff_id: i64,
        form: String,
    },
    LoadDrafts {
        staff_id: i64,
    },
    Header {
        at: Stamp,
    },
    // members
    LoadIndex,
    LoadIndexEntry {
        member_id: i64,
    },
    LoadCatalog,
    ResolvePayload {
        payload: String,
    },
    ReviewList,
    LevelPreview {
        at: Stamp,
    },
    TrustTop {
        at: Stamp,
    },
    Blacklist,
    MemberDetail {
        member_id: i64,
        at: Stamp,
    },
    Register {
        by: Session,
        member: Box<NewMember>,
        at: Stamp,
    },
    Approve {
        by: Session,
        member_id: i64,
        note: String,
        at: Stamp,
    },
    Reject {
        by: Session,
        member_id: i64,
        reason: String,
        at: Stamp,
    },
    Notified {
        by: Session,
        member_id: i64,
        note: String,
        at: Stamp,
    },
    IssueCard {
        by: Session,
        member_id: i64,
        serial: String,
        reason: Option<String>,
        at: Stamp,
    },
    RegisterHeir {
        by: Session,
        member_id: i64,
        name: String,
        relation: String,
        phone: String,
        at: Stamp,
    },
    AddViolation {
        by: Session,
        member_id: i64,
        severity: Severity,
        reason: String,
        at: Stamp,
    },
    RunLevels {
        by: Session,
        at: Stamp,
    },
    /// The monthly level run, if this month's is still to do (at sign-in).
    RunLevelsIfDue {
        at: Stamp,
    },
    Export {
        what: ExportWhat,
        lang: Lang,
        at: Stamp,
    },
    // records
    PostRecord {
        by: Session,
        input: Box<RecordInput>,
        lang: Lang,
        at: Stamp,
    },
    RecordsBetween {
        from: Stamp,
        to: Stamp,
    },
    SpotCheck {
        at: Stamp,
    },
    SpotResult {
        by: Session,
        record_id: i64,
        ok: bool,
        note: String,
        at: Stamp,
    },
    ThankYou {
        by: Session,
        record_id: i64,
        text: String,
        photo_ref: String,
        at: Stamp,
    },
    // queue and matching
    Queue {
        since: Stamp,
    },
    NewRequest {
        by: Session,
        request: Box<crate::domain::queue::NewRequest>,
        at: Stamp,
    },
    MoveRequest {
        by: Session,
        id: i64,
        to: crate::domain::queue::State,
        note: Option<String>,
        at: Stamp,
    },
    Helpers {
        id: i64,
        at: Stamp,
    },
    HelperCheck {
        id: i64,
        member_id: i64,
        at: Stamp,
    },
    LogContact {
        by: Session,
        id: i64,
        helper: i64,
        outcome: crate::store::queue::Outcome,
        note: String,
        at: Stamp,
    },
    Contacts {
        id: i64,
    },
    // disputes
    Disputes {
        since: Stamp,
    },
    DisputeDetail {
        id: i64,
    },
    OpenDispute {
        by: Session,
        dispute: Box<crate::store::disputes::NewDispute>,
        at: Stamp,
    },
    DisputeContact {
        by: Session,
        id: i64,
        party: String,
        how: String,
        said: String,
        at: Stamp,
    },
    DisputeSafety {
        by: Session,
        id: i64,
        review: bool,
        text: String,
        at: Stamp,
    },
    Decide {
        by: Session,
        id: i64,
        decision: Box<crate::store::disputes::Decision>,
        at: Stamp,
    },
    Tell {
        by: Session,
        id: i64,
        how: String,
        at: Stamp,
    },
    ReplySuggestion {
        by: Session,
        id: i64,
        reply: String,
        at: Stamp,
    },
    PartyRecords {
        a: i64,
        b: i64,
    },
    // the day
    /// The routine's data: of the day of `at`, or of `day` (an earlier day
    /// left open).
    Day {
        at: Stamp,
        day: Option<chrono::NaiveDate>,
    },
    OpenDay {
        by: Session,
        checks: Vec<crate::domain::day::Checked>,
        at: Stamp,
    },
    Midday {
        by: Session,
        staff_id: i64,
        at: Stamp,
    },
    Replenished {
        by: Session,
        id: i64,
        at: Stamp,
    },
    CloseDay {
        by: Session,
        day: chrono::NaiveDate,
        story: String,
        docs_locked: bool,
        at: Stamp,
    },
    ReopenDay {
        by: Session,
        day: chrono::NaiveDate,
        reason: String,
        at: Stamp,
    },
    SaveChecklistItem {
        by: Session,
        id: Option<i64>,
        item: crate::store::days::ChecklistInput,
        at: Stamp,
    },
    Stats {
        at: Stamp,
    },
    DrawCallbacks {
        by: Session,
        at: Stamp,
    },
    Callbacks {
        at: Stamp,
    },
    MerchantService {
        by: Session,
        service: Box<crate::store::redemptions::MerchantService>,
        at: Stamp,
    },
    // merchants
    Merchants,
    MerchantDetail {
        id: i64,
        at: Stamp,
    },
    Merchant {
        by: Session,
        id: i64,
        change: MerchantChange,
        at: Stamp,
    },
    Redeem {
        by: Session,
        redemption: crate::store::redemptions::Redemption,
        at: Stamp,
    },
    ImportRedemptions {
        by: Session,
        merchant_id: i64,
        path: std::path::PathBuf,
        valid_only: bool,
        at: Stamp,
    },
    Settle {
        by: Session,
        lang: Lang,
        at: Stamp,
    },
    Checklist,
    AnswerCallback {
        by: Session,
        member_id: i64,
        satisfied: bool,
        note: String,
        at: Stamp,
    },
    // ledger
    Statement {
        member_id: i64,
        before: Option<i64>,
    },
    LedgerTotals {
        at: Stamp,
    },
    VerifyChain,
    /// After a close: send the station's rows to headquarters (when the
    /// station has its address). Runs on its own read-only connection: the
    /// network never holds up saving.
    SyncHq,
    /// The start-up check (`quick_check`, both chains); in the desk it runs
    /// on its own connection while writes wait.
    IntegrityCheck,
    /// The wall clock went backwards: into the audit log.
    ClockBackwards {
        by: Option<i64>,
        from: Stamp,
        to: Stamp,
    },
    /// The file is damaged: find the newest backup that passes verify.
    RecoveryOffer {
        why: String,
    },
    /// Fill the in-memory helper pool while the desk is idle after start.
    WarmHelpers,
    /// Enter a reversal or an adjustment; it waits for a second master.
    /// A station master asks for a member's full phone numbers (logged).
    RevealPhones {
        by: Session,
        member_id: i64,
        at: Stamp,
    },
    ProposeCorrection {
        by: Session,
        proposal: crate::store::corrections::Proposal,
        reason: String,
        at: Stamp,
    },
    DecideCorrection {
        by: Session,
        id: i64,
        decision: crate::domain::correction::Decision,
        note: String,
        at: Stamp,
    },
    Freeze {
        by: Session,
        member_id: i64,
        frozen: bool,
        reason: String,
        at: Stamp,
    },
    Estate {
        by: Session,
        member_id: i64,
        heir: Option<i64>,
        certificate: String,
        kinship: String,
        at: Stamp,
    },
}

/// Documents the members pane exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    Card { member_id: i64 },
    Blacklist,
    TrustTop,
    DisputeForm { id: i64 },
    Improvements,
    MerchantNotice { id: i64 },
}

/// Figures the header shows on every screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderCounts {
    /// Everything past its deadline: applications, requests, disputes, items.
    pub overdue: u32,
    pub applications_overdue: u32,
    pub requests_overdue: u32,
    pub disputes_overdue: u32,
    /// Today: opened at (and late), closed, items to replenish.
    pub opened_at: Option<Stamp>,
    pub opened_late: bool,
    pub closed: bool,
    pub replenish: u32,
}

/// Everything the open and close screens show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayInfo {
    pub day: chrono::NaiveDate,
    pub state: crate::store::days::DayState,
    pub checklist: Vec<crate::store::days::ChecklistItem>,
    pub carried: Vec<crate::store::queue::RequestRow>,
    pub replenish: Vec<crate::store::days::Replenish>,
    pub figures: crate::domain::day::DayFigures,
    /// Overdue requests, disputes, applications; items to replenish.
    pub open_items: (u32, u32, u32, u32),
    pub staff: Vec<StaffRow>,
    /// The latest earlier day that was opened and never closed.
    pub unclosed: Option<chrono::NaiveDate>,
}

/// A change to a merchant, its offers or its record (one command, so the
/// pane always gets the merchant back as it now stands).
#[derive(Debug, Clone)]
pub enum MerchantChange {
    /// `id` 0: a new merchant.
    Save(Box<crate::store::merchants::MerchantInput>),
    Status {
        status: crate::domain::merchant::Status,
        reason: String,
    },
    Offer {
        offer_id: Option<i64>,
        offer: Box<crate::store::merchants::OfferInput>,
    },
    Withdraw {
        offer_id: i64,
    },
    Rate {
        member_id: i64,
        stars: u8,
        note: String,
    },
    Price(Box<crate::store::merchants::PriceCheck>),
    Violation {
        severity: crate::domain::violation::Severity,
        reason: String,
    },
    Resolve {
        violation_id: i64,
    },
    Deposit {
        refund: bool,
        amount_fen: i64,
        reason: String,
    },
}

impl MerchantChange {
    /// Carry the change out; the merchant's id (a new one's, too).
    fn apply(self, store: &mut Store, by: &Session, id: i64, at: Stamp) -> Result<i64, StoreError> {
        match self {
            MerchantChange::Save(m) => {
                Ok(store.save_merchant(by, (id != 0).then_some(id), &m, at)?.id)
            }
            MerchantChange::Status { status, reason } => {
                store.set_merchant_status(by, id, status, &reason, at)?;
                Ok(id)
            }
            MerchantChange::Offer { offer_id, offer } => {
                store.save_offer(by, id, offer_id, &offer, at)?;
                Ok(id)
            }
            MerchantChange::Withdraw { offer_id } => {
                store.withdraw_offer(by, offer_id, at)?;
                Ok(id)
            }
            MerchantChange::Rate {
                member_id,
                stars,
                note,
            } => {
                store.rate_merchant(by, id, member_id, stars, &note, at)?;
                Ok(id)
            }
            MerchantChange::Price(p) => {
                store.price_check(by, id, &p, at)?;
                Ok(id)
            }
            MerchantChange::Violation { severity, reason } => {
                store.merchant_violation(by, id, severity, &reason, at)?;
                Ok(id)
            }
            MerchantChange::Resolve { violation_id } => {
                store.resolve_merchant_violation(by, violation_id, at)?;
                Ok(id)
            }
            MerchantChange::Deposit {
                refund,
                amount_fen,
                reason,
            } => {
                store.merchant_deposit(by, id, refund, amount_fen, &reason, at)?;
                Ok(id)
            }
        }
    }
}

/// A member's statement with the account's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementView {
    pub member: MemberRow,
    pub account: Option<i64>,
    pub balance: i64,
    pub frozen: bool,
    pub lines: Vec<StatementLine>,
}

/// Station totals for the ledger pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerTotals {
    pub today: Totals,
    pub month: Totals,
    pub pool_balance: i64,
    pub members_total: i64,
    /// Corrections waiting for a second station master.
    pub corrections: Vec<crate::store::corrections::CorrectionRow>,
}

#[derive(Debug, Clone)]
pub enum Data {
    Done,
    Station {
        station: Station,
        settings: Settings,
        session: Session,
    },
    Session(Session),
    Settings(Settings),
    Staff(Vec<StaffRow>),
    Drafts(Vec<Draft>),
    Header(HeaderCounts),
    Index(Box<SearchIndex>),
    IndexEntry(SearchEntry),
    Catalog(Vec<ServiceType>),
    Member(Box<MemberRow>),
    Members(Vec<MemberRow>),
    Levels(Vec<LevelView>),
    Trust(Vec<(TrustRank, String, String)>),
    Notice(Vec<NoticeEntry>),
    Detail(Box<MemberDetail>),
    Count(u32),
    Exported(crate::output::Saved),
    RecordPosted(Box<RecordPosted>),
    Records(Vec<RecordRow>),
    Spot(Vec<SpotCheck>),
    Statement(Box<StatementView>),
    Totals(Box<LedgerTotals>),
    Verified(Box<LedgerReport>),
    Transfer(Box<Posted>),
    CorrectionProposed(i64),
    /// What to say about a damaged file, with the backup on offer.
    Offer(crate::msg::Msg),
    Revealed(crate::store::reveal::Revealed),
    Requests(Vec<crate::store::queue::RequestRow>),
    Request(Box<crate::store::queue::RequestRow>),
    Helpers(
        Box<(
            crate::store::queue::RequestRow,
            Vec<crate::store::queue::HelperRow>,
        )>,
    ),
    Check(Option<crate::msg::Msg>),
    Contacts(Vec<crate::store::queue::ContactRow>),
    Disputes(Vec<crate::store::disputes::DisputeRow>),
    Day(Box<DayInfo>),
    Closed(Box<crate::store::days::Closed>),
    /// What the sync after a close did (`None`: no headquarters address).
    HqSync(Box<Option<Result<crate::hq::sync::SyncReport, crate::hq::HqError>>>),
    Stats(Box<crate::store::stats::Stats>),
    Callbacks(Vec<crate::store::stats::Callback>),
    Checklist(Vec<crate::store::days::ChecklistItem>),
    Merchants(Vec<crate::store::merchants::MerchantRow>),
    MerchantDetail(Box<crate::store::merchants::MerchantDetail>),
    Redeemed(crate::domain::merchant::Cost),
    Imported(Box<crate::store::redemptions::ImportReport>),
    Settled(Box<crate::store::redemptions::Settlement>),
    Dispute(Box<crate::store::disputes::DisputeRow>),
    DisputeDetail(
        Box<(
            crate::store::disputes::DisputeRow,
            Vec<crate::store::disputes::ContactRow>,
        )>,
    ),
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub id: u64,
    pub result: Result<Data, StoreError>,
}

fn done<T>(r: Result<T, StoreError>) -> Result<Data, StoreError> {
    r.map(|_| Data::Done)
}

fn member(r: Result<MemberRow, StoreError>) -> Result<Data, StoreError> {
    r.map(|m| Data::Member(Box::new(m)))
}

/// Run one command against the store.
pub fn execute(store: &mut Store, cmd: DbCommand) -> Result<Data, StoreError> {
    use DbCommand as C;
    match cmd {
        C::CreateStation {
            station,
            master,
            pin,
            at,
        } => {
            let session = store.create_station(&station, &master, &pin, at)?;
            let station = store
                .station()
                .cloned()
                .ok_or_else(|| StoreError::Other("station row missing".into()))?;
            Ok(Data::Station {
                station,
                settings: store.settings().clone(),
                session,
            })
        }
        C::SignIn { staff_no, pin, at } => store.sign_in(&staff_no, &pin, at).map(Data::Session),
        C::ListStaff => store.list_staff().map(Data::Staff),
        C::AddStaff {
            by,
            name,
            role,
            pin,
            at,
        } => store
            .add_staff(&by, &name, role, &pin, at)
            .map(Data::Session),
        C::ResetPin {
            by,
            staff_id,
            pin,
            at,
        } => done(store.reset_pin(&by, staff_id, &pin, at)),
        C::SetStaffActive {
            by,
            staff_id,
            active,
            at,
        } => done(store.set_staff_active(&by, staff_id, active, at)),
        C::SetSetting { by, key, value, at } => {
            store.set_setting(&by, &key, value, at)?;
            Ok(Data::Settings(store.settings().clone()))
        }
        C::AddServiceType {
            by,
            name_zh,
            name_en,
            tier,
            at,
        } => {
            store.add_service_type(&by, &name_zh, &name_en, tier, at)?;
            store.service_types().map(Data::Catalog)
        }
        C::SaveDraft {
            staff_id,
            form,
            data,
            at,
        } => done(store.save_draft(staff_id, &form, &data, at)),
        C::DropDraft { staff_id, form } => done(store.drop_draft(staff_id, &form)),
        C::LoadDrafts { staff_id } => store.drafts(staff_id).map(Data::Drafts),
        C::Header { at } => store.header_counts(at).map(Data::Header),
        C::LoadIndex => Ok(Data::Index(Box::new(SearchIndex::build(
            store.search_entries()?,
        )))),
        C::LoadIndexEntry { member_id } => store.search_entry(member_id).map(Data::IndexEntry),
        C::LoadCatalog => store.service_types().map(Data::Catalog),
        C::ResolvePayload { payload } => member(store.resolve_payload(&payload)),
        C::ReviewList => store.review_list().map(Data::Members),
        C::LevelPreview { at } => store.level_preview(at, false).map(Data::Levels),
        C::TrustTop { at } => {
            let tz = store.tz();
            store
                .trust_top(crate::domain::time::local_day(at, tz), 10)
                .map(Data::Trust)
        }
        C::Blacklist => store.blacklist().map(Data::Notice),
        C::MemberDetail { member_id, at } => store
            .member_detail(member_id, at)
            .map(|d| Data::Detail(Box::new(d))),
        C::Register { by, member: m, at } => member(store.register_member(&by, &m, at)),
        C::Approve {
            by,
            member_id,
            note,
            at,
        } => member(store.approve_member(&by, member_id, &note, at)),
        C::Reject {
            by,
            member_id,
            reason,
            at,
        } => member(store.reject_member(&by, member_id, &reason, at)),
        C::Notified {
            by,
            member_id,
            note,
            at,
        } => member(store.record_notification(&by, member_id, &note, at)),
        C::IssueCard {
            by,
            member_id,
            serial,
            reason,
            at,
        } => done(store.issue_card(&by, member_id, &serial, reason.as_deref(), at)),
        C::RegisterHeir {
            by,
            member_id,
            name,
            relation,
            phone,
            at,
        } => done(store.register_heir(&by, member_id, &name, &relation, &phone, at)),
        C::AddViolation {
            by,
            member_id,
            severity,
            reason,
            at,
        } => done(store.add_violation(&by, member_id, severity, &reason, at)),
        C::RunLevels { by, at } => store.run_monthly_levels(Some(&by), at).map(Data::Count),
        C::RunLevelsIfDue { at } => match store.level_run_due(at)? {
            Some(_) => store.run_monthly_levels(None, at).map(Data::Count),
            None => Ok(Data::Count(0)),
        },
        C::Export { what, lang, at } => {
            let tr = Tr::new(lang);
            let path = match what {
                ExportWhat::Card { member_id } => crate::exports::card(store, &tr, member_id, at),
                ExportWhat::Blacklist => crate::exports::blacklist(store, &tr, at),
                ExportWhat::TrustTop => crate::exports::trust_top(store, &tr, at),
                ExportWhat::DisputeForm { id } => crate::exports::dispute_form(store, &tr, id, at),
                ExportWhat::Improvements => crate::exports::improvements(store, &tr, at),
                ExportWhat::MerchantNotice { id } => {
                    crate::exports::merchant_notice(store, &tr, id, at)
                }
            };
            path.map(Data::Exported)
                .map_err(|m| StoreError::Refused(crate::msg::Refusal::general(m)))
        }
        C::PostRecord {
            by,
            input,
            lang,
            at,
        } => store
            .post_record(&by, &input, lang == Lang::Zh, at)
            .map(|p| Data::RecordPosted(Box::new(p))),
        C::RecordsBetween { from, to } => store.records_between(from, to, 500).map(Data::Records),
        C::SpotCheck { at } => {
            let tz = store.tz();
            store
                .spot_check(crate::domain::time::local_day(at, tz), at)
                .map(Data::Spot)
        }
        C::SpotResult {
            by,
            record_id,
            ok,
            note,
            at,
        } => done(store.spot_check_result(&by, record_id, ok, &note, at)),
        C::ThankYou {
            by,
            record_id,
            text,
            photo_ref,
            at,
        } => done(store.add_thank_you(&by, record_id, &text, &photo_ref, at)),
        C::Queue { since } => store.queue(since).map(Data::Requests),
        C::NewRequest { by, request, at } => store
            .create_request(&by, &request, at)
            .map(|r| Data::Request(Box::new(r))),
        C::MoveRequest {
            by,
            id,
            to,
            note,
            at,
        } => store
            .move_request(&by, id, to, note.as_deref(), at)
            .map(|r| Data::Request(Box::new(r))),
        C::Helpers { id, at } => store.helpers(id, at).map(|h| Data::Helpers(Box::new(h))),
        C::HelperCheck { id, member_id, at } => {
            store.helper_check(id, member_id, at).map(Data::Check)
        }
        C::LogContact {
            by,
            id,
            helper,
            outcome,
            note,
            at,
        } => store
            .log_contact(&by, id, helper, outcome, &note, at)
            .map(|r| Data::Request(Box::new(r))),
        C::Contacts { id } => store.contacts(id).map(Data::Contacts),
        C::Disputes { since } => store.disputes(since).map(Data::Disputes),
        C::DisputeDetail { id } => {
            let d = store.dispute(id)?;
            Ok(Data::DisputeDetail(Box::new((
                d,
                store.dispute_contacts(id)?,
            ))))
        }
        C::OpenDispute { by, dispute, at } => store
            .open_dispute(&by, &dispute, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::DisputeContact {
            by,
            id,
            party,
            how,
            said,
            at,
        } => store
            .dispute_contact(&by, id, &party, &how, &said, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::DisputeSafety {
            by,
            id,
            review,
            text,
            at,
        } => store
            .dispute_safety(&by, id, review, &text, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::Decide {
            by,
            id,
            decision,
            at,
        } => store
            .decide_dispute(&by, id, &decision, at)
            .map(|(d, _)| Data::Dispute(Box::new(d))),
        C::Tell { by, id, how, at } => store
            .tell_parties(&by, id, &how, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::ReplySuggestion { by, id, reply, at } => store
            .reply_suggestion(&by, id, &reply, at)
            .map(|d| Data::Dispute(Box::new(d))),
        C::PartyRecords { a, b } => store.records_of_pair(a, b, 10).map(Data::Records),
        C::Day { at, day } => store.day_info(at, day).map(|d| Data::Day(Box::new(d))),
        C::OpenDay { by, checks, at } => {
            store.open_day(&by, &checks, at)?;
            store.day_info(at, None).map(|d| Data::Day(Box::new(d)))
        }
        C::Midday { by, staff_id, at } => {
            store.midday_duty(&by, staff_id, at)?;
            store.day_info(at, None).map(|d| Data::Day(Box::new(d)))
        }
        C::Replenished { by, id, at } => {
            store.replenished(&by, id, at)?;
            store.day_info(at, None).map(|d| Data::Day(Box::new(d)))
        }
        C::CloseDay {
            by,
            day,
            story,
            docs_locked,
            at,
        } => store
            .close_day(Some(&by), day, &story, docs_locked, at)
            .map(|c| Data::Closed(Box::new(c))),
        C::ReopenDay {
            by,
            day,
            reason,
            at,
        } => {
            store.reopen_day(&by, day, &reason, at)?;
            store
                .day_info(at, Some(day))
                .map(|d| Data::Day(Box::new(d)))
        }
        C::SaveChecklistItem { by, id, item, at } => {
            store.save_checklist_item(&by, id, &item, at)?;
            store.checklist().map(Data::Checklist)
        }
        C::Stats { at } => store.stats(at).map(|s| Data::Stats(Box::new(s))),
        C::DrawCallbacks { by, at } => store.draw_callbacks(&by, at).map(Data::Callbacks),
        C::Checklist => store.checklist().map(Data::Checklist),
        C::Merchants => store.merchants().map(Data::Merchants),
        C::MerchantDetail { id, at } => store
            .merchant_detail(id, at)
            .map(|d| Data::MerchantDetail(Box::new(d))),
        C::Merchant { by, id, change, at } => {
            let id = change.apply(store, &by, id, at)?;
            store
                .merchant_detail(id, at)
                .map(|d| Data::MerchantDetail(Box::new(d)))
        }
        C::Redeem { by, redemption, at } => store.redeem(&by, &redemption, at).map(Data::Redeemed),
        C::ImportRedemptions {
            by,
            merchant_id,
            path,
            valid_only,
            at,
        } => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                StoreError::Refused(crate::msg::Refusal::at(
                    "file",
                    crate::msg!("import.unreadable", path = path.display(), why = e),
                ))
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            store
                .import_redemptions(&by, merchant_id, &name, &text, valid_only, at)
                .map(|r| Data::Imported(Box::new(r)))
        }
        C::Settle { by, lang, at } => store
            .settle_month(&by, at, &Tr::new(lang))
            .map(|s| Data::Settled(Box::new(s))),
        C::MerchantService { by, service, at } => {
            store.post_merchant_service(&by, &service, at)?;
            crate::store::queue::request(store.conn(), service.request_id)
                .map(|r| Data::Request(Box::new(r)))
        }
        C::Callbacks { at } => {
            let tz = store.tz();
            store
                .callbacks(crate::domain::time::local_day(at, tz))
                .map(Data::Callbacks)
        }
        C::AnswerCallback {
            by,
            member_id,
            satisfied,
            note,
            at,
        } => {
            store.answer_callback(&by, member_id, satisfied, &note, at)?;
            let tz = store.tz();
            store
                .callbacks(crate::domain::time::local_day(at, tz))
                .map(Data::Callbacks)
        }
        C::Statement { member_id, before } => store
            .statement_view(member_id, before)
            .map(|s| Data::Statement(Box::new(s))),
        C::LedgerTotals { at } => store.ledger_totals(at).map(|t| Data::Totals(Box::new(t))),
        C::WarmHelpers => store.warm_helpers().map(|()| Data::Count(0)),
        C::IntegrityCheck => match store.startup_check() {
            Ok(()) => Ok(Data::Count(0)),
            Err(why) => {
                // writes on this store are refused from now on (the desk's
                // own store has the same gate, set by the check thread)
                let gate = crate::store::gate::Gate::new();
                gate.set(crate::store::gate::Check::Failed(why.clone()));
                store.set_gate(gate);
                Err(StoreError::Damaged(why))
            }
        },
        C::ClockBackwards { by, from, to } => store
            .write(|tx| {
                crate::store::audit::log(
                    tx,
                    to,
                    by,
                    "clock.backwards",
                    "station",
                    1,
                    serde_json::json!({"from": from, "to": to, "back_ms": from - to}),
                )
            })
            .map(|_| Data::Done),
        C::RecoveryOffer { why } => Ok(Data::Offer(crate::store::recovery::offer(
            store.path(),
            &why,
        ))),
        C::SyncHq => Ok(Data::HqSync(Box::new(crate::hq::sync::after_close(store)))),
        C::VerifyChain => {
            // read-only, on its own connection when run by the worker thread
            let mut r = crate::store::ledger::verify_ledger(store.conn())?;
            let audit = crate::store::audit::verify_chain(store.conn())?;
            r.problems.extend(audit.problems);
            Ok(Data::Verified(Box::new(r)))
        }
        C::RevealPhones { by, member_id, at } => {
            store.reveal_phones(&by, member_id, at).map(Data::Revealed)
        }
        C::ProposeCorrection {
            by,
            proposal,
            reason,
            at,
        } => store
            .propose_correction(&by, &proposal, &reason, at)
            .map(Data::CorrectionProposed),
        C::DecideCorrection {
            by,
            id,
            decision,
            note,
            at,
        } => store
            .decide_correction(&by, id, decision, &note, at)
            .map(|p| p.map_or(Data::Done, |p| Data::Transfer(Box::new(p)))),
        C::Freeze {
            by,
            member_id,
            frozen,
            reason,
            at,
        } => done(store.set_frozen(&by, member_id, frozen, &reason, at)),
        C::Estate {
            by,
            member_id,
            heir,
            certificate,
            kinship,
            at,
        } => done(store.settle_estate(&by, member_id, heir, &certificate, &kinship, at)),
    }
}

impl Store {
    pub fn header_counts(&self, at: Stamp) -> Result<HeaderCounts, StoreError> {
        let applications = self.overdue_applications(at)?;
        let requests = self.overdue_requests(at)?;
        let disputes = self.overdue_disputes(at)?;
        let tz = self.tz();
        let day = self.day_state(crate::domain::time::local_day(at, tz))?;
        Ok(HeaderCounts {
            overdue: applications + requests + disputes,
            disputes_overdue: disputes,
            applications_overdue: applications,
            requests_overdue: requests,
            opened_at: day.opened_at,
            opened_late: day.late,
            closed: day.is_closed(),
            replenish: self.open_replenish()?.len() as u32,
        })
    }

    /// The open and close screens' data for the day of `at` (or `day`).
    pub fn day_info(
        &self,
        at: Stamp,
        day: Option<chrono::NaiveDate>,
    ) -> Result<DayInfo, StoreError> {
        let tz = self.tz();
        let today = crate::domain::time::local_day(at, tz);
        let day = day.unwrap_or(today);
        let start = crate::domain::time::day_start(today, tz);
        let carried = self
            .queue(start)?
            .into_iter()
            .filter(|r| r.is_carried(start))
            .collect();
        Ok(DayInfo {
            day,
            state: self.day_state(day)?,
            checklist: self.checklist()?,
            carried,
            replenish: self.open_replenish()?,
            figures: self.day_figures(day)?,
            open_items: self.overdue_now(at)?,
            staff: self.list_staff()?,
            unclosed: self.unclosed_before(today)?,
        })
    }

    pub fn statement_view(
        &self,
        member_id: i64,
        before: Option<i64>,
    ) -> Result<StatementView, StoreError> {
        use rusqlite::OptionalExtension;
        let member = self.member(member_id)?;
        let account: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM accounts WHERE member_id = ?1",
                [member_id],
                |r| r.get(0),
            )
            .optional()?;
        let lines = match account {
            Some(a) => self.statement(a, 100, before)?,
            None => Vec::new(),
        };
        let frozen: bool = self.conn().query_row(
            "SELECT frozen FROM members WHERE id = ?1",
            [member_id],
            |r| r.get(0),
        )?;
        Ok(StatementView {
            balance: self.balance_of_member(member_id)?,
            frozen,
            account,
            lines,
            member,
        })
    }

    pub fn ledger_totals(&self, at: Stamp) -> Result<LedgerTotals, StoreError> {
        let tz = self.tz();
        let day = crate::domain::time::local_day(at, tz);
        let (d0, d1) = crate::domain::time::day_range(day, tz);
        let (m0, m1) = crate::domain::time::month_range(day, tz);
        let members_total: i64 = self.conn().query_row(
            "SELECT coalesce(sum(balance), 0) FROM accounts WHERE kind = 'member'",
            [],
            |r| r.get(0),
        )?;
        Ok(LedgerTotals {
            today: self.totals(d0, d1)?,
            month: self.totals(m0, m1)?,
            pool_balance: self.pool_balance()?,
            members_total,
            corrections: self.open_corrections()?,
        })
    }
}

/// Start the worker thread. Replies go to `reply`; the thread ends when the
/// command channel closes. The whole-chain check runs on a second, read-only
/// connection in its own thread, so a long check never holds up saving.
pub fn spawn(
    mut store: Store,
    reply: impl Fn(Reply) + Send + Sync + 'static,
) -> (
    std::sync::mpsc::Sender<(u64, DbCommand)>,
    std::thread::JoinHandle<()>,
) {
    let (tx, rx) = std::sync::mpsc::channel::<(u64, DbCommand)>();
    let reply = std::sync::Arc::new(reply);
    let handle = std::thread::Builder::new()
        .name("shiguang-db".into())
        .spawn(move || {
            while let Ok((id, cmd)) = rx.recv() {
                if matches!(cmd, DbCommand::IntegrityCheck) {
                    let gate = crate::store::gate::Gate::new();
                    store.set_gate(gate.clone());
                    let path = store.path().to_path_buf();
                    let reply = reply.clone();
                    let _ = std::thread::Builder::new()
                        .name("shiguang-check".into())
                        .spawn(move || {
                            let result = Store::open(&path, crate::store::OpenMode::Inspect, 0)
                                .map_err(|e| StoreError::Damaged(e.to_string()))
                                .and_then(|mut s| execute(&mut s, DbCommand::IntegrityCheck));
                            gate.set(match &result {
                                Ok(_) => crate::store::gate::Check::Passed,
                                Err(e) => crate::store::gate::Check::Failed(e.to_string()),
                            });
                            reply(Reply { id, result });
                        });
                    continue;
                }
                if matches!(cmd, DbCommand::SyncHq) {
                    let path = store.path().to_path_buf();
                    let reply = reply.clone();
                    let _ = std::thread::Builder::new()
                        .name("shiguang-hq".into())
                        .spawn(move || {
                            let result = Store::open(&path, crate::store::OpenMode::Inspect, 0)
                                .map_err(|e| StoreError::Other(e.to_string()))
                                .and_then(|mut s| execute(&mut s, DbCommand::SyncHq));
                            reply(Reply { id, result });
                        });
                    continue;
                }
                if matches!(cmd, DbCommand::VerifyChain) {
                    let path = store.path().to_path_buf();
                    let reply = reply.clone();
                    let _ = std::thread::Builder::new()
                        .name("shiguang-verify".into())
                        .spawn(move || {
                            let result = Store::open(&path, crate::store::OpenMode::Inspect, 0)
                                .map_err(|e| StoreError::Other(e.to_string()))
                                .and_then(|mut s| execute(&mut s, DbCommand::VerifyChain));
                            reply(Reply { id, result });
                        });
                    continue;
                }
                if let DbCommand::RecoveryOffer { why } = cmd {
                    // verifying each backup can take a while: not on the
                    // thread the desk's reads wait for
                    let path = store.path().to_path_buf();
                    let reply = reply.clone();
                    let _ = std::thread::Builder::new()
                        .name("shiguang-offer".into())
                        .spawn(move || {
                            let offer = crate::store::recovery::offer(&path, &why);
                            reply(Reply {
                                id,
                                result: Ok(Data::Offer(offer)),
                            });
                        });
                    continue;
                }
                let result = execute(&mut store, cmd);
                reply(Reply { id, result });
            }
        })
        .expect("spawn db worker thread");
    (tx, handle)
}
