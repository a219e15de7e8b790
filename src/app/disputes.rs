//! Pane 5 (纠纷): take in disputes and suggestions, contact both parties,
//! report safety incidents, decide, tell the parties, export the form.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm, RestoreCtx};
use super::state::*;
use super::{App, Pending};
use crate::domain::dispute::{self, Category, Outcome};
use crate::msg;
use crate::msg::Refusal;
use crate::store::disputes::{Channel, ContactRow, Decision, DisputeRow, NewDispute};
use crate::store::records::RecordRow;
use crate::store::standing::Severity;
use crate::worker::{Data, DbCommand, ExportWhat, Reply};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    Open,
    Overdue,
    Suggestions,
    Category(Category),
    All,
}

impl Filter {
    pub const CYCLE: [Filter; 10] = [
        Filter::Open,
        Filter::Overdue,
        Filter::Suggestions,
        Filter::Category(Category::Quality),
        Filter::Category(Category::Points),
        Filter::Category(Category::Malicious),
        Filter::Category(Category::Merchant),
        Filter::Category(Category::Safety),
        Filter::All,
        Filter::Open,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            Filter::Open => crate::k!("dispute.filter.open"),
            Filter::Overdue => crate::k!("dispute.filter.overdue"),
            Filter::Suggestions => crate::k!("dispute.filter.suggestions"),
            Filter::All => crate::k!("dispute.filter.all"),
            Filter::Category(c) => c.label_key(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisputeFormKind {
    New,
    Suggestion,
    Contact { id: i64 },
    Safety { id: i64, review: bool },
    Decide { id: i64 },
    Tell { id: i64 },
    Reply { id: i64 },
}

impl FormKind for DisputeFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            DisputeFormKind::New => Some("disputes.new"),
            DisputeFormKind::Suggestion => Some("disputes.suggestion"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    List,
    Detail,
    Write,
    Records,
    Export,
}

#[derive(Debug, Clone, Default)]
pub struct DisputesPane {
    pub rows: Vec<DisputeRow>,
    pub visible: Vec<usize>,
    pub sel: usize,
    pub filter: Filter,
    /// Only cases involving this member (found by search).
    pub member: Option<(i64, String)>,
    pub detail: Option<Box<(DisputeRow, Vec<ContactRow>)>>,
    pub form: Option<OpenForm<DisputeFormKind>>,
    pub list_req: Option<u64>,
    pub detail_req: Option<u64>,
    /// The parties the record choices were loaded for.
    pub records_for: Option<(i64, i64)>,
}

crate::pane_forms!(DisputesPane);

impl DisputesPane {
    fn restore_form(&mut self, key: &str, data: &Value, _ctx: &RestoreCtx) -> bool {
        let (kind, mut f) = match key {
            "disputes.new" => (DisputeFormKind::New, dispute_form()),
            "disputes.suggestion" => (DisputeFormKind::Suggestion, suggestion_form()),
            _ => return false,
        };
        f.restore_draft(data);
        self.form = Some(OpenForm::new(kind, f));
        true
    }

    pub fn selected(&self) -> Option<&DisputeRow> {
        self.visible.get(self.sel).and_then(|i| self.rows.get(*i))
    }
}

fn channels() -> Vec<Choice> {
    Channel::ALL
        .into_iter()
        .map(|c| Choice::key(c.as_str(), c.label_key()))
        .collect()
}

pub fn dispute_form() -> Form {
    Form::new(vec![
        Field::choice(
            "category",
            crate::k!("dispute.category"),
            Category::ALL
                .into_iter()
                .map(|c| Choice::key(c.as_str(), c.label_key()))
                .collect(),
        ),
        Field::choice("channel", crate::k!("dispute.channel"), channels()),
        Field::member("party_a", crate::k!("dispute.party_a")),
        Field::member("party_b", crate::k!("dispute.party_b")),
        Field::choice(
            "record",
            crate::k!("dispute.record"),
            vec![Choice::key("", crate::k!("dispute.no_record"))],
        ),
        Field::text("subject", crate::k!("dispute.subject"), 80),
        Field::text("reported_by", crate::k!("dispute.reported_by"), 20)
            .with_hint(crate::k!("dispute.reported_by.hint")),
    ])
}

pub fn suggestion_form() -> Form {
    Form::new(vec![
        Field::choice("channel", crate::k!("dispute.channel"), channels()),
        Field::member("party_a", crate::k!("dispute.suggested_by"))
            .with_hint(crate::k!("dispute.suggested_by.hint")),
        Field::text("subject", crate::k!("dispute.suggestion_text"), 80),
        Field::text("reported_by", crate::k!("dispute.reported_by"), 20),
    ])
}

fn decide_form(d: &DisputeRow) -> Form {
    let outcomes = Outcome::ALL
        .into_iter()
        .map(|o| Choice::key(o.as_str(), o.label_key()))
        .collect();
    let severities = [Severity::Minor, Severity::Moderate, Severity::Severe]
        .into_iter()
        .map(|s| Choice::key(s.as_str(), s.label_key()))
        .collect();
    let name =
        |p: &Option<(i64, String, String)>| p.as_ref().map(|x| x.1.clone()).unwrap_or_default();
    let targets = vec![
        Choice::text("a", name(&d.party_a)),
        Choice::text("b", name(&d.party_b)),
    ];
    let mut f = Form::new(vec![
        Field::choice("outcome", crate::k!("dispute.outcome"), outcomes),
        Field::text("split", crate::k!("dispute.split"), 4)
            .with_value("50")
            .with_hint(crate::k!("dispute.split.hint")),
        Field::choice("severity", crate::k!("violation.severity"), severities),
        Field::choice("target", crate::k!("dispute.target"), targets),
        Field::text("reason", crate::k!("dispute.reason"), 80),
    ]);
    decide_visibility(&mut f);
    f
}

fn decide_visibility(f: &mut Form) {
    let o = Outcome::parse(f.value("outcome")).unwrap_or(Outcome::ProviderFault);
    f.set_visible("split", o == Outcome::Mediated);
    f.set_visible("severity", o == Outcome::Violation);
    f.set_visible("target", o == Outcome::Violation);
}

fn record_choices(tr: &crate::i18n::Tr, rows: &[RecordRow], tz: chrono_tz::Tz) -> Vec<Choice> {
    let mut v = vec![Choice::key("", crate::k!("dispute.no_record"))];
    v.extend(rows.iter().map(|r| {
        Choice::text(
            r.id.to_string(),
            format!(
                "#{} {} {}→{} {}{}",
                r.id,
                crate::domain::time::fmt_local(r.started_at, tz, "%m-%d"),
                r.provider,
                r.recipient,
                r.minutes,
                tr.t("unit.min")
            ),
        )
    }));
    v
}

impl App {
    fn disputes(&mut self) -> Option<&mut DisputesPane> {
        self.desk_mut().map(|d| &mut d.disputes)
    }

    pub(super) fn disputes_entered(&mut self) {
        let since = self.state.now - 30 * crate::domain::time::DAY_MS;
        let id = self.db(DbCommand::Disputes { since }, Pending::Disputes(Req::List));
        if let Some(p) = self.disputes() {
            p.list_req = Some(id);
        }
    }

    fn disputes_load_detail(&mut self) {
        let Some(id) = self
            .state
            .desk()
            .and_then(|d| d.disputes.selected().map(|r| r.id))
        else {
            return;
        };
        let req = self.db(
            DbCommand::DisputeDetail { id },
            Pending::Disputes(Req::Detail),
        );
        if let Some(p) = self.disputes() {
            p.detail_req = Some(req);
        }
    }

    pub(super) fn disputes_refilter(&mut self) {
        let now = self.state.now;
        let clocks = self.state.settings.disputes;
        let Some(p) = self.disputes() else { return };
        let selected = p.selected().map(|d| d.id);
        p.visible = (0..p.rows.len())
            .filter(|i| {
                let d = &p.rows[*i];
                let by = match p.filter {
                    // just closed ones stay a while, to print their form
                    Filter::Open => {
                        d.is_open()
                            || d.told_at
                                .or(d.replied_at)
                                .is_some_and(|t| now - t < 12 * crate::domain::time::HOUR_MS)
                    }
                    Filter::Overdue => dispute::overdue_now(&d.progress(), &clocks, now),
                    Filter::Suggestions => d.suggestion,
                    Filter::Category(c) => d.category == Some(c),
                    Filter::All => true,
                };
                by && p.member.as_ref().is_none_or(|(m, _)| d.involves(*m))
            })
            .collect();
        p.sel = selected
            .and_then(|id| p.visible.iter().position(|i| p.rows[*i].id == id))
            .unwrap_or(0);
    }

    /// A member found by search: show only their cases (again: all cases).
    pub(super) fn disputes_member(&mut self, member_id: i64) {
        let label = self.member_label(member_id);
        if let Some(p) = self.disputes() {
            p.member = if p.member.as_ref().is_some_and(|(m, _)| *m == member_id) {
                None
            } else {
                Some((member_id, label))
            };
        }
        self.disputes_refilter();
        self.disputes_load_detail();
    }

    fn open_dispute_form(&mut self, kind: DisputeFormKind, form: Form) {
        if let Some(p) = self.disputes() {
            p.form = Some(OpenForm::new(kind, form));
            p.records_for = None;
        }
    }

    pub(super) fn disputes_command(&mut self, cmd: Command) {
        let Some(p) = self.disputes() else { return };
        let len = p.visible.len();
        let before = p.sel;
        let sel = p.selected().cloned();
        match cmd {
            Command::Up => p.sel = p.sel.saturating_sub(1),
            Command::Down => p.sel = (p.sel + 1).min(len.saturating_sub(1)),
            Command::PageUp => p.sel = p.sel.saturating_sub(15),
            Command::PageDown => p.sel = (p.sel + 15).min(len.saturating_sub(1)),
            Command::Top => p.sel = 0,
            Command::Bottom => p.sel = len.saturating_sub(1),
            Command::Filter => {
                let i = Filter::CYCLE
                    .iter()
                    .position(|f| *f == p.filter)
                    .unwrap_or(0);
                p.filter = Filter::CYCLE[(i + 1) % (Filter::CYCLE.len() - 1)];
                self.disputes_refilter();
                self.disputes_load_detail();
                return;
            }
            Command::Refresh => return self.disputes_entered(),
            Command::New => return self.open_dispute_form(DisputeFormKind::New, dispute_form()),
            Command::NewSuggestion => {
                return self.open_dispute_form(DisputeFormKind::Suggestion, suggestion_form());
            }
            _ => {}
        }
        if self.state.desk().is_some_and(|d| d.disputes.sel != before) {
            return self.disputes_load_detail();
        }
        let Some(d) = sel else { return };
        let form = |fields: Vec<Field>| Form::new(fields);
        match cmd {
            Command::LogContact if !d.suggestion => {
                let parties = vec![
                    Choice::text(
                        "a",
                        d.party_a.as_ref().map(|x| x.1.clone()).unwrap_or_default(),
                    ),
                    Choice::text(
                        "b",
                        d.party_b.as_ref().map(|x| x.1.clone()).unwrap_or_default(),
                    ),
                    Choice::key("other", crate::k!("dispute.other_party")),
                ];
                let how = ["phone", "visit", "desk", "app"]
                    .into_iter()
                    .map(|h| Choice::key(h, how_key(h)))
                    .collect();
                let f = form(vec![
                    Field::choice("party", crate::k!("dispute.party"), parties),
                    Field::choice("how", crate::k!("dispute.how"), how),
                    Field::text("said", crate::k!("dispute.said"), 80),
                ]);
                self.open_dispute_form(DisputeFormKind::Contact { id: d.id }, f);
            }
            Command::HqReport | Command::ReviewReport if d.category == Some(Category::Safety) => {
                let review = cmd == Command::ReviewReport;
                let label = if review {
                    crate::k!("dispute.review")
                } else {
                    crate::k!("dispute.hq_to")
                };
                self.open_dispute_form(
                    DisputeFormKind::Safety { id: d.id, review },
                    form(vec![Field::text("text", label, 80)]),
                );
            }
            Command::HqReport | Command::ReviewReport => {
                self.notify(NoticeKind::Error, msg!("dispute.not_safety"))
            }
            Command::Decide if !d.suggestion => {
                if d.decided_at.is_some() {
                    return self.notify(NoticeKind::Error, msg!("dispute.already_decided"));
                }
                self.open_dispute_form(DisputeFormKind::Decide { id: d.id }, decide_form(&d));
            }
            Command::Tell if !d.suggestion => {
                let f = form(vec![
                    Field::text("how", crate::k!("dispute.told_how"), 60)
                        .with_value(self.state.tr.t("dispute.told_default")),
                ]);
                self.open_dispute_form(DisputeFormKind::Tell { id: d.id }, f);
            }
            Command::ReplySuggestion if d.suggestion => {
                self.open_dispute_form(
                    DisputeFormKind::Reply { id: d.id },
                    form(vec![Field::text("reply", crate::k!("dispute.reply"), 80)]),
                );
            }
            Command::Export => {
                let (lang, at) = (self.state.tr.lang, self.state.now);
                let what = if d.suggestion {
                    ExportWhat::Improvements
                } else {
                    ExportWhat::DisputeForm { id: d.id }
                };
                self.db(
                    DbCommand::Export { what, lang, at },
                    Pending::Disputes(Req::Export),
                );
            }
            _ => {}
        }
    }

    /// Decide's fields follow the outcome; the record choices follow the parties.
    pub(super) fn disputes_form_changed(&mut self) {
        let Some(of) = self.state.desk().and_then(|d| d.disputes.form.as_ref()) else {
            return;
        };
        match of.kind {
            DisputeFormKind::Decide { .. } => {
                if let Some(of) = self.disputes().and_then(|p| p.form.as_mut()) {
                    decide_visibility(&mut of.form);
                }
            }
            DisputeFormKind::New => {
                let pair = of.form.member("party_a").zip(of.form.member("party_b"));
                let loaded = self.state.desk().and_then(|d| d.disputes.records_for);
                if let Some((a, b)) = pair
                    && loaded != Some((a, b))
                {
                    if let Some(p) = self.disputes() {
                        p.records_for = Some((a, b));
                    }
                    self.db(
                        DbCommand::PartyRecords { a, b },
                        Pending::Disputes(Req::Records),
                    );
                }
            }
            _ => {}
        }
    }

    pub(super) fn submit_disputes_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let Some(of) = self.disputes().and_then(|p| p.form.as_mut()) else {
            return;
        };
        let f = &mut of.form;
        let text = |name: &str| f.value(name).trim().to_string();
        let cmd = match of.kind.clone() {
            DisputeFormKind::New | DisputeFormKind::Suggestion => {
                let suggestion = of.kind == DisputeFormKind::Suggestion;
                // "from" is optional, but a name typed and not picked would
                // be dropped silently
                if suggestion && f.typed_not_picked("party_a") {
                    return f.show_refusals(&[Refusal::at("party_a", msg!("form.pick_member"))]);
                }
                let d = NewDispute {
                    suggestion,
                    channel: Channel::parse(f.value("channel")).unwrap_or(Channel::Desk),
                    category: if suggestion {
                        None
                    } else {
                        Category::parse(f.value("category"))
                    },
                    party_a: f.member("party_a"),
                    party_b: if suggestion {
                        None
                    } else {
                        f.member("party_b")
                    },
                    record_id: f.value("record").parse().ok(),
                    subject: text("subject"),
                    reported_by: text("reported_by"),
                };
                DbCommand::OpenDispute {
                    by,
                    dispute: Box::new(d),
                    at,
                }
            }
            DisputeFormKind::Contact { id } => DbCommand::DisputeContact {
                by,
                id,
                party: text("party"),
                how: text("how"),
                said: text("said"),
                at,
            },
            DisputeFormKind::Safety { id, review } => DbCommand::DisputeSafety {
                by,
                id,
                review,
                text: text("text"),
                at,
            },
            DisputeFormKind::Decide { id } => {
                let outcome = Outcome::parse(f.value("outcome")).unwrap_or(Outcome::Dismissed);
                let split = if outcome == Outcome::Mediated {
                    match dispute::parse_split(f.value("split")) {
                        Ok(p) => Some(p),
                        Err(e) => return f.show_refusals(&[e]),
                    }
                } else {
                    None
                };
                let violation = outcome == Outcome::Violation;
                let needs_master =
                    outcome == Outcome::Mediated || (violation && f.value("severity") != "minor");
                if needs_master && !by.is_master() {
                    let field = if outcome == Outcome::Mediated {
                        "outcome"
                    } else {
                        "severity"
                    };
                    return f
                        .show_refusals(&[Refusal::at(field, msg!("dispute.master_only_outcome"))]);
                }
                let dec = Decision {
                    outcome,
                    split_pct: split,
                    severity: violation.then(|| text("severity")),
                    target: violation.then(|| text("target")),
                    reason: text("reason"),
                };
                DbCommand::Decide {
                    by,
                    id,
                    decision: Box::new(dec),
                    at,
                }
            }
            DisputeFormKind::Tell { id } => DbCommand::Tell {
                by,
                id,
                how: text("how"),
                at,
            },
            DisputeFormKind::Reply { id } => DbCommand::ReplySuggestion {
                by,
                id,
                reply: text("reply"),
                at,
            },
        };
        f.clear_errors();
        let id = self.db(cmd, Pending::Disputes(Req::Write));
        if let Some(of) = self.disputes().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    pub(super) fn disputes_reply(&mut self, req: Req, reply: Reply) {
        let tz = self.state.tz();
        match (req, reply.result) {
            (Req::List, Ok(Data::Disputes(rows))) => {
                if let Some(p) = self.disputes()
                    && p.list_req == Some(reply.id)
                {
                    p.rows = rows;
                }
                self.disputes_refilter();
                self.disputes_load_detail();
            }
            (Req::Detail, Ok(Data::DisputeDetail(d))) => {
                if let Some(p) = self.disputes()
                    && p.detail_req == Some(reply.id)
                {
                    p.detail = Some(d);
                }
            }
            (Req::Records, Ok(Data::Records(rows))) => {
                let choices = record_choices(&self.state.tr, &rows, tz);
                if let Some(of) = self.disputes().and_then(|p| p.form.as_mut()) {
                    of.form.set_choices("record", choices);
                }
            }
            (Req::Write, Ok(Data::Dispute(d))) => {
                let Some(p) = self.disputes() else { return };
                let kind = p.form.take().map(|f| f.kind);
                if let Some(key) = kind.as_ref().and_then(|k| k.draft_key())
                    && let Some(staff_id) = self.state.session().map(|s| s.staff_id)
                {
                    self.db(
                        DbCommand::DropDraft {
                            staff_id,
                            form: key.into(),
                        },
                        Pending::Quiet,
                    );
                }
                let note = match kind {
                    Some(DisputeFormKind::New) => msg!("dispute.opened_ok", id = d.id),
                    Some(DisputeFormKind::Suggestion) => msg!("dispute.suggestion_ok"),
                    Some(DisputeFormKind::Decide { .. }) => msg!(
                        "dispute.decided_ok",
                        outcome = d.outcome.map(|o| o.label_key()).unwrap_or_default()
                    ),
                    _ => msg!("form.saved"),
                };
                self.notify(NoticeKind::Ok, note);
                self.refresh_header();
                self.disputes_entered();
            }
            (Req::Write, Err(e)) => {
                if let Some(of) = self.disputes().and_then(|p| p.form.as_mut()) {
                    of.form.busy = None;
                    of.form.show_refusals(&e.refusals());
                } else {
                    self.notify(NoticeKind::Error, e.msg());
                }
            }
            (Req::Export, Ok(Data::Exported(saved))) => self.notify(NoticeKind::Ok, saved.msg()),
            (_, Err(e)) => self.notify(NoticeKind::Error, e.msg()),
            _ => {}
        }
    }
}

pub fn how_key(h: &str) -> &'static str {
    match h {
        "phone" => crate::k!("dispute.how.phone"),
        "visit" => crate::k!("dispute.how.visit"),
        "desk" => crate::k!("dispute.how.desk"),
        _ => crate::k!("dispute.how.app"),
    }
}
