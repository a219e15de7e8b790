//! Pane 6 (会员): register applicants, review them within 24 hours, issue
//! cards, see a member's standing; levels preview, the trust list and the
//! public blacklist notice.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm};
use super::state::*;
use super::{App, Pending};
use crate::domain::member::{self, IdKind, MemberStatus};
use crate::domain::staff;
use crate::domain::trust::TrustRank;
use crate::msg;
use crate::msg::Refusal;
use crate::store::members::{MemberDetail, MemberRow, NewMember};
use crate::store::standing::{LevelView, NoticeEntry, Severity};
use crate::worker::{Data, DbCommand, ExportWhat, Reply};
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
    Approve { id: i64, has_recommender: bool },
    Reject { id: i64 },
    Notified { id: i64 },
    Card { id: i64 },
    Heir { id: i64 },
    Violation { id: i64 },
}

impl FormKind for MembersFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            MembersFormKind::Register => Some("members.register"),
            _ => None,
        }
    }
}

/// What a reply to the members pane is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    List,
    Detail,
    Form,
    Levels,
    Export,
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
    pub list_req: Option<u64>,
    pub detail_req: Option<u64>,
    pub level_run_due: bool,
    /// Select this member when the list arrives (after registering one).
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

    fn restore_form(&mut self, key: &str, data: &Value, ctx: &super::pane::RestoreCtx) -> bool {
        if key != "members.register" {
            return false;
        }
        let mut f = register_form(&ctx.catalog, &ctx.community, ctx.main_station);
        f.restore_draft(data);
        self.form = Some(OpenForm::new(MembersFormKind::Register, f));
        true
    }
}

/// The registration form. `catalog` gives the service options.
pub fn register_form(catalog: &[Choice], community: &str, main_station: bool) -> Form {
    let mut f = Form::new(vec![
        Field::text("name", crate::k!("reg.name"), 20),
        Field::text("phone", crate::k!("reg.phone"), 15),
        Field::choice(
            "id_kind",
            crate::k!("reg.id_kind"),
            vec![
                Choice::key("id_card", crate::k!("reg.id_kind.id_card")),
                Choice::key("household", crate::k!("reg.id_kind.household")),
            ],
        ),
        Field::identity("id_number", crate::k!("reg.id_number"), 20)
            .with_hint(crate::k!("reg.id_number.hint")),
        Field::choice(
            "residence",
            crate::k!("reg.residence"),
            vec![
                Choice::key("property", crate::k!("reg.residence.property")),
                Choice::key("rent", crate::k!("reg.residence.rent")),
                Choice::key("other", crate::k!("reg.residence.other")),
            ],
        ),
        Field::text("community", crate::k!("reg.community"), 2).with_value(community),
        Field::text("building", crate::k!("reg.building"), 30)
            .with_hint(crate::k!("reg.building.hint")),
        Field::multi("offers", crate::k!("reg.offers"), catalog.to_vec()),
        Field::multi("needs", crate::k!("reg.needs"), catalog.to_vec()),
        Field::text("emergency_name", crate::k!("reg.emergency_name"), 20),
        Field::text("emergency_phone", crate::k!("reg.emergency_phone"), 15),
        Field::toggle("family", crate::k!("reg.family")),
        Field::toggle("confirmed", crate::k!("reg.confirmed")),
        Field::member("recommender", crate::k!("reg.recommender"))
            .with_hint(crate::k!("reg.recommender.hint")),
        Field::toggle("recommender_signed", crate::k!("reg.recommender_signed")),
        Field::text("note", crate::k!("reg.note"), 60),
    ]);
    f.set_visible("community", main_station);
    f
}

/// Check the registration form field by field; every problem at once.
pub fn validate_register(f: &Form) -> Result<NewMember, Vec<Refusal>> {
    let mut errs = Vec::new();
    let name = staff::parse_person_name("name", f.value("name"))
        .map_err(|e| errs.push(e))
        .ok();
    let phone = member::parse_phone("phone", f.value("phone"))
        .map_err(|e| errs.push(e))
        .ok();
    let id_kind = IdKind::parse(f.value("id_kind")).unwrap_or(IdKind::IdCard);
    let id_number = member::parse_identity(id_kind, f.value("id_number"))
        .map_err(|e| errs.push(e))
        .ok();
    let community = crate::domain::station::parse_community_code(f.value("community"))
        .map_err(|e| errs.push(Refusal::at("community", e.msg)))
        .ok();
    let building = member::parse_building(f.value("building"))
        .map_err(|e| errs.push(e))
        .ok();
    let emergency_name = staff::parse_person_name("emergency_name", f.value("emergency_name"))
        .map_err(|e| errs.push(e))
        .ok();
    let emergency_phone = member::parse_phone("emergency_phone", f.value("emergency_phone"))
        .map_err(|e| errs.push(e))
        .ok();
    if phone.is_some() && phone == emergency_phone {
        errs.push(Refusal::at(
            "emergency_phone",
            msg!("reg.emergency_same_phone"),
        ));
    }
    let family = f.on("family");
    let confirmed = f.on("confirmed");
    if family && !confirmed {
        errs.push(Refusal::at("confirmed", msg!("reg.family_needs_confirm")));
    }
    let recommender = f.member("recommender");
    let typed_but_not_picked = recommender.is_none()
        && !f
            .get("recommender")
            .map(|x| x.input.value().trim().is_empty())
            .unwrap_or(true);
    if typed_but_not_picked {
        errs.push(Refusal::at("recommender", msg!("reg.recommender_pick")));
    }
    let signed = f.on("recommender_signed");
    if recommender.is_some() && !signed {
        errs.push(Refusal::at(
            "recommender_signed",
            msg!("reg.recommender_must_sign"),
        ));
    }
    let ids = |name: &str| -> Vec<i64> {
        f.get(name)
            .map(|x| x.ticked().iter().filter_map(|v| v.parse().ok()).collect())
            .unwrap_or_default()
    };
    let offers = ids("offers");
    let needs = ids("needs");
    if offers.is_empty() && needs.is_empty() {
        errs.push(Refusal::at("offers", msg!("reg.intent_required")));
    }
    let note = Some(f.value("note").trim().to_string()).filter(|s| !s.is_empty());
    match (
        name,
        phone,
        id_number,
        community,
        building,
        emergency_name,
        emergency_phone,
    ) {
        (
            Some(name),
            Some(phone),
            Some(id_number),
            Some(community),
            Some(building),
            Some(en),
            Some(ep),
        ) if errs.is_empty() => Ok(NewMember {
            name,
            phone,
            id_kind,
            id_number,
            residence_proof: f.value("residence").to_string(),
            community,
            building,
            emergency_name: en,
            emergency_phone: ep,
            filled_by_family: family,
            applicant_confirmed: confirmed,
            offers,
            needs,
            recommender,
            recommender_signed: signed,
            note,
            online: false,
        }),
        _ => Err(errs),
    }
}

fn one_text(name: &'static str, label: &'static str, max: usize) -> Form {
    Form::new(vec![Field::text(name, label, max)])
}

impl App {
    fn members(&mut self) -> Option<&mut MembersPane> {
        self.desk_mut().map(|d| &mut d.members)
    }

    /// Catalog choices for forms: value = type id.
    pub(super) fn catalog_choices(&self) -> Vec<Choice> {
        let lang = self.state.tr.lang;
        self.state
            .catalog
            .iter()
            .filter(|t| t.active)
            .map(|t| Choice::text(t.id.to_string(), t.name(lang).to_string()))
            .collect()
    }

    /// Rebuild the list order after the index changed.
    pub(super) fn members_reorder(&mut self) {
        let ix = &self.state.index;
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
        if let Some(p) = self.members() {
            p.order = order;
            p.sel = p.sel.min(p.order.len().saturating_sub(1));
        }
    }

    /// The member under the cursor of the current view.
    pub fn members_selected(&self) -> Option<i64> {
        let p = &self.state.desk()?.members;
        match p.view {
            View::All => p
                .order
                .get(p.sel)
                .map(|i| self.state.index.entry(*i).member_id),
            View::Review => p.review.get(p.sel).map(|m| m.id),
            View::Levels => p.levels.get(p.sel).map(|l| l.member_id),
            View::Trust => p.trust.get(p.sel).map(|t| t.0.member_id),
            View::Notice => p.notice.get(p.sel).map(|n| n.member_id),
        }
    }

    pub(super) fn members_entered(&mut self) {
        self.members_load_view();
        self.members_load_detail();
    }

    fn members_load_view(&mut self) {
        let at = self.state.now;
        let Some(view) = self.members().map(|p| p.view) else {
            return;
        };
        let cmd = match view {
            View::All => return,
            View::Review => DbCommand::ReviewList,
            View::Levels => DbCommand::LevelPreview { at },
            View::Trust => DbCommand::TrustTop { at },
            View::Notice => DbCommand::Blacklist,
        };
        let id = self.db(cmd, Pending::Members(Req::List));
        if let Some(p) = self.members() {
            p.list_req = Some(id);
        }
    }

    pub(super) fn members_load_detail(&mut self) {
        let Some(member_id) = self.members_selected() else {
            if let Some(p) = self.members() {
                p.detail = None;
            }
            return;
        };
        let at = self.state.now;
        let id = self.db(
            DbCommand::MemberDetail { member_id, at },
            Pending::Members(Req::Detail),
        );
        if let Some(p) = self.members() {
            p.detail_req = Some(id);
        }
    }

    /// Show one member (found by search or a scanned card).
    pub(super) fn members_show(&mut self, member_id: i64) {
        let pos = {
            let ix = &self.state.index;
            self.state.desk().and_then(|d| {
                d.members
                    .order
                    .iter()
                    .position(|i| ix.entry(*i).member_id == member_id)
            })
        };
        if let Some(p) = self.members() {
            p.view = View::All;
            if let Some(pos) = pos {
                p.sel = pos;
            }
        }
        self.members_load_detail();
    }

    fn master_or_say(&mut self) -> bool {
        let ok = self.state.session().is_some_and(|s| s.is_master());
        if !ok {
            self.notify(NoticeKind::Error, msg!("staff.master_only"));
        }
        ok
    }

    fn open_members_form(&mut self, kind: MembersFormKind, form: Form) {
        if let Some(p) = self.members() {
            p.form = Some(OpenForm::new(kind, form));
        }
    }

    pub(super) fn members_command(&mut self, cmd: Command) {
        let Some(p) = self.members() else { return };
        let len = p.len();
        let before = p.sel;
        match cmd {
            Command::Up => p.sel = p.sel.saturating_sub(1),
            Command::Down => p.sel = (p.sel + 1).min(len.saturating_sub(1)),
            Command::PageUp => p.sel = p.sel.saturating_sub(15),
            Command::PageDown => p.sel = (p.sel + 15).min(len.saturating_sub(1)),
            Command::Top => p.sel = 0,
            Command::Bottom => p.sel = len.saturating_sub(1),
            Command::SwitchSection => {
                let i = View::ALL.iter().position(|v| *v == p.view).unwrap_or(0);
                p.view = View::ALL[(i + 1) % View::ALL.len()];
                p.sel = 0;
                self.members_entered();
                return;
            }
            Command::RevealPhone => {
                if let Some(id) = p.detail.as_ref().map(|d| d.row.id) {
                    self.reveal_phone(id);
                }
                return;
            }
            Command::Refresh => {
                self.db(DbCommand::LoadIndex, Pending::Index);
                self.members_entered();
                return;
            }
            Command::New => {
                let choices = self.catalog_choices();
                let (community, main) = self
                    .state
                    .station
                    .as_ref()
                    .map(|s| {
                        (
                            s.community.clone(),
                            s.kind == crate::domain::station::StationKind::Main,
                        )
                    })
                    .unwrap_or(("01".into(), false));
                self.open_members_form(
                    MembersFormKind::Register,
                    register_form(&choices, &community, main),
                );
                return;
            }
            Command::ToggleQr => p.show_qr = !p.show_qr,
            _ => {}
        }
        let moved = self.members().is_some_and(|p| p.sel != before);
        if moved {
            self.members_load_detail();
            return;
        }
        let Some(sel) = self.members_selected() else {
            return;
        };
        let detail = self
            .state
            .desk()
            .and_then(|d| d.members.detail.as_ref())
            .filter(|d| d.row.id == sel)
            .map(|d| d.row.clone());
        let Some(row) = detail else { return };
        let pending = row.status == MemberStatus::Pending;
        match cmd {
            Command::Approve if pending => {
                let hint = if row.has_recommender {
                    crate::k!("review.note.hint")
                } else {
                    crate::k!("review.note.no_recommender")
                };
                let f = Form::new(vec![
                    Field::text("note", crate::k!("review.note"), 60).with_hint(hint),
                ]);
                self.open_members_form(
                    MembersFormKind::Approve {
                        id: sel,
                        has_recommender: row.has_recommender,
                    },
                    f,
                );
            }
            Command::Reject if pending => self.open_members_form(
                MembersFormKind::Reject { id: sel },
                one_text("reason", crate::k!("review.reason"), 60),
            ),
            Command::Approve | Command::Reject => {
                self.notify(NoticeKind::Error, msg!("review.already_decided"))
            }
            Command::RecordCall => {
                if row.decided_at.is_none() {
                    self.notify(NoticeKind::Error, msg!("review.not_decided"));
                } else {
                    let f = Form::new(vec![
                        Field::text("note", crate::k!("review.call_note"), 60)
                            .with_value(self.state.tr.t("review.call_default")),
                    ]);
                    self.open_members_form(MembersFormKind::Notified { id: sel }, f);
                }
            }
            Command::Card => {
                if row.status != MemberStatus::Approved {
                    self.notify(NoticeKind::Error, msg!("card.not_approved"));
                    return;
                }
                let has = self
                    .state
                    .desk()
                    .and_then(|d| d.members.detail.as_ref())
                    .is_some_and(|d| d.cards.iter().any(|c| c.voided_at.is_none()));
                let mut f = Form::new(vec![
                    Field::text("serial", crate::k!("card.serial"), 20)
                        .with_hint(crate::k!("card.serial.hint")),
                    Field::text("reason", crate::k!("card.replace_reason"), 40),
                ]);
                f.set_visible("reason", has);
                self.open_members_form(MembersFormKind::Card { id: sel }, f);
            }
            Command::Export => {
                let lang = self.state.tr.lang;
                let at = self.state.now;
                let view = self
                    .state
                    .desk()
                    .map(|d| d.members.view)
                    .unwrap_or_default();
                let what = match view {
                    View::Trust => ExportWhat::TrustTop,
                    View::Notice => ExportWhat::Blacklist,
                    _ => ExportWhat::Card { member_id: sel },
                };
                self.db(
                    DbCommand::Export { what, lang, at },
                    Pending::Members(Req::Export),
                );
            }
            Command::Heir => {
                if row.level != crate::domain::level::Level::Honor
                    || row.status != MemberStatus::Approved
                {
                    self.notify(NoticeKind::Error, msg!("heir.honor_only"));
                    return;
                }
                let f = Form::new(vec![
                    Field::text("heir_name", crate::k!("heir.name"), 20),
                    Field::text("relation", crate::k!("heir.relation"), 10),
                    Field::text("heir_phone", crate::k!("heir.phone"), 15),
                ]);
                self.open_members_form(MembersFormKind::Heir { id: sel }, f);
            }
            Command::Violation => {
                let sev = vec![
                    Choice::key("minor", Severity::Minor.label_key()),
                    Choice::key("moderate", Severity::Moderate.label_key()),
                    Choice::key("severe", Severity::Severe.label_key()),
                ];
                let f = Form::new(vec![
                    Field::choice("severity", crate::k!("violation.severity"), sev),
                    Field::text("reason", crate::k!("violation.reason"), 60),
                ]);
                self.open_members_form(MembersFormKind::Violation { id: sel }, f);
            }
            Command::RunLevels if self.master_or_say() => {
                self.state.overlay = Some(Overlay::Confirm(Confirm {
                    text: msg!("level.run_confirm"),
                    on_yes: ConfirmAction::RunLevels,
                }));
            }
            _ => {}
        }
    }

    pub(super) fn run_levels(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        self.db(
            DbCommand::RunLevels { by, at },
            Pending::Members(Req::Levels),
        );
    }

    pub(super) fn submit_members_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let Some(p) = self.members() else { return };
        let Some(of) = p.form.as_mut() else { return };
        let f = &mut of.form;
        let mut errs = Vec::new();
        let cmd = match of.kind.clone() {
            MembersFormKind::Register => match validate_register(f) {
                Ok(m) => Some(DbCommand::Register {
                    by,
                    member: Box::new(m),
                    at,
                }),
                Err(e) => {
                    errs = e;
                    None
                }
            },
            MembersFormKind::Approve {
                id,
                has_recommender,
            } => {
                let note = f.value("note").trim().to_string();
                if !has_recommender && note.is_empty() {
                    errs.push(Refusal::at("note", msg!("review.note_required")));
                }
                Some(DbCommand::Approve {
                    by,
                    member_id: id,
                    note,
                    at,
                })
            }
            MembersFormKind::Reject { id } => {
                let reason = f.value("reason").trim().to_string();
                if reason.is_empty() {
                    errs.push(Refusal::at("reason", msg!("review.reason_required")));
                }
                Some(DbCommand::Reject {
                    by,
                    member_id: id,
                    reason,
                    at,
                })
            }
            MembersFormKind::Notified { id } => Some(DbCommand::Notified {
                by,
                member_id: id,
                note: f.value("note").to_string(),
                at,
            }),
            MembersFormKind::Card { id } => {
                let serial = member::parse_card_serial(f.value("serial"))
                    .map_err(|e| errs.push(e))
                    .ok();
                let reason = Some(f.value("reason").trim().to_string()).filter(|r| !r.is_empty());
                serial.map(|serial| DbCommand::IssueCard {
                    by,
                    member_id: id,
                    serial,
                    reason,
                    at,
                })
            }
            MembersFormKind::Heir { id } => Some(DbCommand::RegisterHeir {
                by,
                member_id: id,
                name: f.value("heir_name").to_string(),
                relation: f.value("relation").to_string(),
                phone: f.value("heir_phone").to_string(),
                at,
            }),
            MembersFormKind::Violation { id } => {
                let severity = Severity::parse(f.value("severity")).unwrap_or(Severity::Minor);
                let reason = f.value("reason").trim().to_string();
                if reason.is_empty() {
                    errs.push(Refusal::at("reason", msg!("violation.reason_required")));
                }
                if severity != Severity::Minor && !by.is_master() {
                    errs.push(Refusal::at("severity", msg!("violation.master_only")));
                }
                Some(DbCommand::AddViolation {
                    by,
                    member_id: id,
                    severity,
                    reason,
                    at,
                })
            }
        };
        if !errs.is_empty() {
            f.show_refusals(&errs);
            return;
        }
        let Some(cmd) = cmd else { return };
        f.clear_errors();
        let id = self.db(cmd, Pending::Members(Req::Form));
        if let Some(f) = self.members().and_then(|p| p.form.as_mut()) {
            f.form.busy = Some(id);
        }
    }

    pub(super) fn members_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::List, Ok(data)) => {
                let Some(p) = self.members() else { return };
                if p.list_req != Some(reply.id) {
                    return;
                }
                match data {
                    Data::Members(rows) => p.review = rows,
                    Data::Levels(rows) => p.levels = rows,
                    Data::Trust(rows) => p.trust = rows,
                    Data::Notice(rows) => p.notice = rows,
                    _ => {}
                }
                p.sel = p.sel.min(p.len().saturating_sub(1));
                if let Some(want) = p.select_after_load.take()
                    && let Some(i) = p.review.iter().position(|m| m.id == want)
                {
                    p.sel = i;
                }
                self.members_load_detail();
            }
            (Req::Detail, Ok(Data::Detail(d))) => {
                if let Some(p) = self.members()
                    && p.detail_req == Some(reply.id)
                {
                    p.detail = Some(d);
                }
            }
            (Req::Form, Ok(data)) => {
                let Some(p) = self.members() else { return };
                let Some(of) = p.form.take() else { return };
                let note = match (&of.kind, &data) {
                    (MembersFormKind::Register, Data::Member(m)) => {
                        msg!("reg.done", name = &m.name)
                    }
                    (MembersFormKind::Approve { .. }, Data::Member(m)) => {
                        msg!(
                            "review.approved",
                            name = &m.name,
                            number = m.number.clone().unwrap_or_default()
                        )
                    }
                    (MembersFormKind::Reject { .. }, _) => msg!("review.rejected"),
                    (MembersFormKind::Notified { .. }, _) => msg!("review.notified"),
                    (MembersFormKind::Card { .. }, _) => msg!("card.issued_ok"),
                    (MembersFormKind::Heir { .. }, _) => msg!("heir.saved"),
                    (MembersFormKind::Violation { .. }, _) => msg!("violation.saved"),
                    _ => msg!("form.saved"),
                };
                if of.kind == MembersFormKind::Register
                    && let Some(staff_id) = self.state.session().map(|s| s.staff_id)
                {
                    self.db(
                        DbCommand::DropDraft {
                            staff_id,
                            form: "members.register".into(),
                        },
                        Pending::Quiet,
                    );
                }
                if let (MembersFormKind::Register, Data::Member(m)) = (&of.kind, &data)
                    && let Some(p) = self.members()
                {
                    // the new application goes to the review list, selected
                    p.view = View::Review;
                    p.select_after_load = Some(m.id);
                }
                if let Data::Member(m) = &data {
                    self.db(
                        DbCommand::LoadIndexEntry { member_id: m.id },
                        Pending::IndexEntry,
                    );
                } else if let Some(id) = self.members_selected() {
                    self.db(
                        DbCommand::LoadIndexEntry { member_id: id },
                        Pending::IndexEntry,
                    );
                }
                self.notify(NoticeKind::Ok, note);
                self.refresh_header();
                self.members_entered();
            }
            (Req::Form, Err(e)) => {
                if let Some(of) = self.members().and_then(|p| p.form.as_mut()) {
                    of.form.busy = None;
                    of.form.show_refusals(&[Refusal {
                        field: e.field(),
                        msg: e.msg(),
                    }]);
                }
            }
            (Req::Levels, Ok(Data::Count(n))) => {
                self.notify(NoticeKind::Ok, msg!("level.run_ok", n = n));
                self.db(DbCommand::LoadIndex, Pending::Index);
                if let Some(p) = self.members() {
                    p.level_run_due = false;
                }
                self.members_entered();
            }
            (Req::Export, Ok(Data::Exported(saved))) => self.notify(NoticeKind::Ok, saved.msg()),
            (_, Err(e)) => self.notify(NoticeKind::Error, e.msg()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> Form {
        let choices = vec![Choice::text("1", "陪聊"), Choice::text("2", "代购")];
        let mut f = register_form(&choices, "01", false);
        for (k, v) in [
            ("name", "张三"),
            ("phone", "13812345678"),
            ("id_number", "11010519491231002X"),
            ("building", "3栋2单元"),
            ("emergency_name", "张小三"),
            ("emergency_phone", "13900001111"),
            ("offers", "1"),
        ] {
            f.set(k, v);
        }
        f
    }

    #[test]
    fn a_good_registration_passes() {
        let m = validate_register(&filled()).unwrap();
        assert_eq!(m.offers, vec![1]);
        assert_eq!(m.community, "01");
        assert_eq!(m.recommender, None);
    }

    #[test]
    fn bad_fields_are_all_reported() {
        let mut f = filled();
        f.set("name", "  ");
        f.set("phone", "12345");
        f.set("id_number", "110105194912310021");
        f.set("family", "1");
        f.set("offers", "");
        let errs = validate_register(&f).unwrap_err();
        let fields: Vec<_> = errs.iter().filter_map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["name", "phone", "id_number", "confirmed", "offers"]
        );
    }

    #[test]
    fn a_typed_recommender_must_be_picked() {
        let mut f = filled();
        f.set("recommender", "张");
        let errs = validate_register(&f).unwrap_err();
        assert_eq!(errs[0].field, Some("recommender"));
    }
}
