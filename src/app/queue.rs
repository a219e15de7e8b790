//! Pane 1 (需求队列): take in requests in a few keystrokes, watch their
//! clocks, move them on, and open the record form from a matched one.

use super::action::{Command, Effect};
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm, RestoreCtx};
use super::state::*;
use super::{App, Pending};
use crate::domain::entry::{parse_clock, parse_date, parse_minutes};
use crate::domain::queue::{self, Channel, NewRequest, State};
use crate::domain::time::{self, Stamp};
use crate::msg;
use crate::msg::Refusal;
use crate::store::queue::RequestRow;
use crate::worker::{Data, DbCommand, Reply};
use serde_json::Value;

/// Which requests the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    Open,
    Today,
    Carried,
    Overdue,
    State(State),
    All,
}

impl Filter {
    pub const CYCLE: [Filter; 11] = [
        Filter::Open,
        Filter::Today,
        Filter::Carried,
        Filter::Overdue,
        Filter::State(State::New),
        Filter::State(State::Responded),
        Filter::State(State::Matched),
        Filter::State(State::InService),
        Filter::State(State::Done),
        Filter::State(State::Cancelled),
        Filter::All,
    ];

    pub fn label_key(self) -> &'static str {
        match self {
            Filter::Open => crate::k!("queue.filter.open"),
            Filter::Today => crate::k!("queue.filter.today"),
            Filter::Carried => crate::k!("queue.filter.carried"),
            Filter::Overdue => crate::k!("queue.filter.overdue"),
            Filter::All => crate::k!("queue.filter.all"),
            Filter::State(s) => s.label_key(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueFormKind {
    New,
    Cancel {
        id: i64,
    },
    /// The service a member gave a merchant (a settlement request).
    MerchantService {
        id: i64,
        uid: String,
    },
}

impl FormKind for QueueFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            QueueFormKind::New => Some("queue.new"),
            QueueFormKind::Cancel { .. } | QueueFormKind::MerchantService { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    List,
    Write,
    Create,
}

#[derive(Debug, Clone, Default)]
pub struct QueuePane {
    /// Everything loaded; `visible` is what the filters let through, in queue order.
    pub rows: Vec<RequestRow>,
    pub visible: Vec<usize>,
    pub sel: usize,
    pub filter: Filter,
    pub type_filter: Option<i64>,
    pub form: Option<OpenForm<QueueFormKind>>,
    pub list_req: Option<u64>,
    /// Select this request once the list has loaded (picked at F2).
    pub pending_select: Option<i64>,
}

crate::pane_forms!(QueuePane);

impl QueuePane {
    fn restore_form(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool {
        if key != "queue.new" {
            return false;
        }
        let mut f = intake_form(&ctx.catalog, &ctx.today);
        f.restore_draft(data);
        self.form = Some(OpenForm::new(QueueFormKind::New, f));
        true
    }

    pub fn selected(&self) -> Option<&RequestRow> {
        self.visible.get(self.sel).and_then(|i| self.rows.get(*i))
    }
}

/// Carried over: still open, and taken in before today (station time).
pub fn is_carried(r: &RequestRow, today_start: Stamp) -> bool {
    r.is_carried(today_start)
}

pub fn intake_form(catalog: &[Choice], today: &str) -> Form {
    let channels = Channel::INTAKE
        .into_iter()
        .map(|c| Choice::key(c.as_str(), c.label_key()))
        .collect();
    let payers = vec![
        Choice::key("recipient", crate::k!("payer.recipient")),
        Choice::key("pool", crate::k!("payer.pool")),
    ];
    Form::new(vec![
        Field::member("requester", crate::k!("request.requester")),
        Field::choice("type", crate::k!("record.type"), catalog.to_vec()),
        Field::text("description", crate::k!("request.description"), 60),
        Field::toggle("urgent", crate::k!("request.urgent")),
        Field::text("place", crate::k!("request.place"), 30)
            .with_hint(crate::k!("request.place.hint")),
        Field::text("date", crate::k!("record.date"), 10)
            .with_value(today)
            .with_hint(crate::k!("record.date.hint")),
        Field::text("from", crate::k!("request.from"), 5).with_hint(crate::k!("record.clock.hint")),
        Field::text("to", crate::k!("request.to"), 5).with_hint(crate::k!("record.clock.hint")),
        Field::text("minutes", crate::k!("request.minutes"), 8).with_value("60"),
        Field::choice("channel", crate::k!("request.channel"), channels),
        Field::choice("payer", crate::k!("record.payer"), payers),
    ])
}

/// What the intake form alone can tell; the store checks the requester.
pub fn parse_intake(f: &Form, now: Stamp, tz: chrono_tz::Tz) -> Result<NewRequest, Vec<Refusal>> {
    let mut errs = Vec::new();
    let requester = f.member("requester");
    if requester.is_none() {
        errs.push(Refusal::at("requester", msg!("request.requester_required")));
    }
    let type_id: Option<i64> = f.value("type").parse().ok();
    if type_id.is_none() {
        errs.push(Refusal::at("type", msg!("record.type_unknown")));
    }
    let today = time::local_day(now, tz);
    let date = parse_date(f.value("date"), today);
    match date {
        None => errs.push(Refusal::at("date", msg!("record.date_invalid"))),
        // a day gone by: said at the date, not as a window ending before it starts
        Some(d) if d < today => errs.push(Refusal::at("date", msg!("request.window_past"))),
        Some(_) => {}
    }
    let mut clock = |name: &'static str| {
        let v = f.value(name).trim();
        if v.is_empty() {
            return None;
        }
        let c = parse_clock(v);
        if c.is_none() {
            errs.push(Refusal::at(name, msg!("record.clock_invalid")));
        }
        c
    };
    let from = clock("from");
    let to = clock("to");
    let minutes = parse_minutes(f.value("minutes"));
    if minutes.is_none() {
        errs.push(Refusal::at(
            "minutes",
            msg!("request.minutes_range", max = 240),
        ));
    }
    let (Some(requester), Some(type_id), Some(date), Some(minutes), true) = (
        requester,
        type_id,
        date,
        minutes,
        date.is_none_or(|d| d >= today),
    ) else {
        return Err(errs);
    };
    // no window given: from now (or the day's start) for the whole day
    let start = match from {
        Some(t) => time::local_to_stamp(date, t, tz),
        None => time::day_start(date, tz).max(now),
    };
    let end = match to {
        Some(t) => time::local_to_stamp(date, t, tz),
        None => time::day_range(date, tz).1,
    };
    let r = NewRequest {
        requester,
        type_id,
        description: f.value("description").trim().to_string(),
        place: f.value("place").trim().to_string(),
        window_start: start,
        window_end: end,
        minutes,
        urgent: f.on("urgent"),
        channel: Channel::parse(f.value("channel")).unwrap_or(Channel::WalkIn),
        pool_pays: f.value("payer") == "pool",
    };
    errs.extend(queue::check_window(&r, now));
    if errs.is_empty() { Ok(r) } else { Err(errs) }
}

impl App {
    pub(super) fn queue(&mut self) -> Option<&mut QueuePane> {
        self.desk_mut().map(|d| &mut d.queue)
    }

    pub(super) fn queue_entered(&mut self) {
        let tz = self.state.tz();
        let since = time::day_start(time::local_day(self.state.now, tz), tz);
        let id = self.db(DbCommand::Queue { since }, Pending::Queue(Req::List));
        if let Some(p) = self.queue() {
            p.list_req = Some(id);
        }
    }

    /// Apply the filters and the queue order (the clocks move, so on every tick).
    pub(super) fn queue_refilter(&mut self) {
        let now = self.state.now;
        let clocks = self.state.settings.clocks();
        let tz = self.state.tz();
        let today = time::day_start(time::local_day(now, tz), tz);
        let Some(p) = self.queue() else { return };
        let selected = p.pending_select.take().or(p.selected().map(|r| r.id));
        let mut v: Vec<usize> = (0..p.rows.len())
            .filter(|i| {
                let r = &p.rows[*i];
                let by_state = match p.filter {
                    Filter::Open => r.state.is_open(),
                    Filter::Today => r.created_at >= today,
                    Filter::Carried => is_carried(r, today),
                    Filter::Overdue => queue::is_overdue(&r.timing(), &clocks, now),
                    Filter::State(s) => r.state == s,
                    Filter::All => true,
                };
                by_state && p.type_filter.is_none_or(|t| t == r.type_id)
            })
            .collect();
        v.sort_by_key(|i| {
            (
                queue::order_key(&p.rows[*i].timing(), &clocks),
                p.rows[*i].id,
            )
        });
        p.visible = v;
        p.sel = selected
            .and_then(|id| p.visible.iter().position(|i| p.rows[*i].id == id))
            .unwrap_or(p.sel.min(p.visible.len().saturating_sub(1)));
    }

    pub(super) fn queue_command(&mut self, cmd: Command) {
        let by = self.state.session().cloned();
        let at = self.state.now;
        let catalog: Vec<i64> = self.state.catalog.iter().map(|t| t.id).collect();
        let Some(p) = self.queue() else { return };
        let len = p.visible.len();
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
                p.filter = Filter::CYCLE[(i + 1) % Filter::CYCLE.len()];
                p.sel = 0;
                self.queue_refilter();
            }
            Command::FilterType => {
                p.type_filter = match p.type_filter {
                    None => catalog.first().copied(),
                    Some(t) => catalog
                        .iter()
                        .position(|x| *x == t)
                        .and_then(|i| catalog.get(i + 1))
                        .copied(),
                };
                p.sel = 0;
                self.queue_refilter();
            }
            Command::New => {
                let catalog = self.catalog_choices();
                let today = self.today_text();
                if let Some(p) = self.queue() {
                    p.form = Some(OpenForm::new(
                        QueueFormKind::New,
                        intake_form(&catalog, &today),
                    ));
                }
            }
            Command::Refresh => self.queue_entered(),
            Command::Respond | Command::StartService => {
                let (Some(r), Some(by)) = (sel, by) else {
                    return;
                };
                let to = if cmd == Command::Respond {
                    State::Responded
                } else {
                    State::InService
                };
                self.db(
                    DbCommand::MoveRequest {
                        by,
                        id: r.id,
                        to,
                        note: None,
                        at,
                    },
                    Pending::Queue(Req::Write),
                );
            }
            Command::CancelRequest => {
                let Some(r) = sel else { return };
                if !r.state.is_open() {
                    self.notify(NoticeKind::Error, msg!("request.closed"));
                    return;
                }
                let f = Form::new(vec![Field::text(
                    "reason",
                    crate::k!("request.cancel_reason_label"),
                    60,
                )]);
                if let Some(p) = self.queue() {
                    p.form = Some(OpenForm::new(QueueFormKind::Cancel { id: r.id }, f));
                }
            }
            Command::Match => {
                let Some(r) = sel else { return };
                if let Some(d) = self.desk_mut() {
                    d.pane = Pane::Match;
                }
                self.matching_open(r.id);
            }
            Command::EnterRecord => {
                let Some(r) = sel else { return };
                self.record_from_request(&r);
            }
            _ => {}
        }
    }

    /// The record form, prefilled from a matched request.
    pub(super) fn record_from_request(&mut self, r: &RequestRow) {
        if !matches!(r.state, State::Matched | State::InService) {
            self.notify(NoticeKind::Error, msg!("request.not_matched"));
            return;
        }
        if r.merchant_id.is_some() {
            return self.open_merchant_service_form(r);
        }
        let tz = self.state.tz();
        let helper = r.helper_id.unwrap_or_default();
        let prefill = vec![
            ("request", r.id.to_string()),
            (
                "provider",
                format!("{helper}\t{}", self.member_label(helper)),
            ),
            (
                "recipient",
                format!(
                    "{}\t{} {}",
                    r.requester_id.unwrap_or_default(),
                    r.requester_number,
                    r.requester
                ),
            ),
            ("type", r.type_id.to_string()),
            ("date", time::fmt_local(r.window_start, tz, "%Y-%m-%d")),
            ("start", time::fmt_local(r.window_start, tz, "%H:%M")),
            ("minutes", r.minutes.to_string()),
            (
                "payer",
                if r.pool_pays {
                    "pool".into()
                } else {
                    "recipient".into()
                },
            ),
        ];
        let prefill: Vec<(&str, String)> = prefill.into_iter().collect();
        if let Some(d) = self.desk_mut() {
            d.pane = Pane::Record;
        }
        self.open_record_form(&prefill);
    }

    pub(super) fn submit_queue_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let tz = self.state.tz();
        let Some(of) = self.queue().and_then(|p| p.form.as_mut()) else {
            return;
        };
        let (cmd, req) = match of.kind.clone() {
            QueueFormKind::New => match parse_intake(&of.form, at, tz) {
                Ok(r) => (
                    DbCommand::NewRequest {
                        by,
                        request: Box::new(r),
                        at,
                    },
                    Req::Create,
                ),
                Err(errs) => return of.form.show_refusals(&errs),
            },
            QueueFormKind::MerchantService { id, uid } => {
                match parse_merchant_service(&of.form, id, uid, at, tz) {
                    Ok(service) => (
                        DbCommand::MerchantService {
                            by,
                            service: Box::new(service),
                            at,
                        },
                        Req::Write,
                    ),
                    Err(errs) => return of.form.show_refusals(&errs),
                }
            }
            QueueFormKind::Cancel { id } => {
                let reason = of.form.value("reason").trim().to_string();
                if reason.is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("reason", msg!("request.cancel_reason"))]);
                }
                (
                    DbCommand::MoveRequest {
                        by,
                        id,
                        to: State::Cancelled,
                        note: Some(reason),
                        at,
                    },
                    Req::Write,
                )
            }
        };
        of.form.clear_errors();
        let id = self.db(cmd, Pending::Queue(req));
        if let Some(of) = self.queue().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    /// The requester's building is the usual place: fill it when picked.
    pub(super) fn queue_form_changed(&mut self) {
        let Some(of) = self.state.desk().and_then(|d| d.queue.form.as_ref()) else {
            return;
        };
        let Some(member) = of.form.member("requester") else {
            return;
        };
        if !of.form.value("place").is_empty() {
            return;
        }
        let building = self
            .state
            .index
            .find_member(member)
            .map(|e| e.building.clone())
            .unwrap_or_default();
        if let Some(of) = self.queue().and_then(|p| p.form.as_mut()) {
            of.form.set("place", &building);
        }
    }

    pub(super) fn queue_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::List, Ok(Data::Requests(rows))) => {
                if let Some(p) = self.queue()
                    && p.list_req == Some(reply.id)
                {
                    p.rows = rows;
                }
                self.queue_refilter();
            }
            (Req::Create | Req::Write, Ok(Data::Request(r))) => {
                if let Some(p) = self.queue() {
                    p.form = None;
                }
                if req == Req::Create {
                    if let Some(staff_id) = self.state.session().map(|s| s.staff_id) {
                        self.db(
                            DbCommand::DropDraft {
                                staff_id,
                                form: "queue.new".into(),
                            },
                            Pending::Quiet,
                        );
                    }
                    if r.urgent && !self.state.settings.bell_muted {
                        self.effects.push(Effect::Bell);
                    }
                    self.notify(
                        if r.urgent {
                            NoticeKind::Error
                        } else {
                            NoticeKind::Ok
                        },
                        if r.urgent {
                            msg!("request.urgent_logged")
                        } else {
                            msg!("request.logged")
                        },
                    );
                } else {
                    self.notify(
                        NoticeKind::Ok,
                        msg!("request.moved", state = r.state.label_key()),
                    );
                }
                self.refresh_header();
                self.queue_entered();
            }
            (Req::Create | Req::Write, Err(e)) => {
                if let Some(of) = self.queue().and_then(|p| p.form.as_mut()) {
                    of.form.busy = None;
                    of.form.show_refusals(&e.refusals());
                } else {
                    self.notify(NoticeKind::Error, e.msg());
                }
            }
            (_, Err(e)) => self.notify(NoticeKind::Error, e.msg()),
            _ => {}
        }
    }
}

impl App {
    /// The form for service given to a merchant: when, how long, and who
    /// at the merchant confirmed it. The merchant's points pay the helper.
    pub(super) fn open_merchant_service_form(&mut self, r: &RequestRow) {
        let tz = self.state.tz();
        let now = self.state.now;
        let form = Form::new(vec![
            Field::text("date", crate::k!("record.date"), 10)
                .with_value(&time::fmt_local(now, tz, "%Y-%m-%d")),
            Field::text("start", crate::k!("record.start"), 5),
            Field::text("minutes", crate::k!("record.minutes"), 8)
                .with_value(&r.minutes.to_string())
                .with_hint(crate::k!("record.minutes.hint")),
            Field::text(
                "confirmed_by",
                crate::k!("merchant_service.confirmed_by"),
                20,
            )
            .with_hint(crate::k!("merchant_service.confirmed_by.hint")),
        ]);
        let uid = crate::store::new_uid(now);
        if let Some(d) = self.desk_mut() {
            d.pane = Pane::Queue;
            d.queue.form = Some(OpenForm::new(
                QueueFormKind::MerchantService { id: r.id, uid },
                form,
            ));
        }
    }
}

/// The merchant-service form's fields, each checked at its line.
fn parse_merchant_service(
    f: &Form,
    request_id: i64,
    uid: String,
    now: Stamp,
    tz: chrono_tz::Tz,
) -> Result<crate::store::redemptions::MerchantService, Vec<Refusal>> {
    let mut errs = Vec::new();
    let date = parse_date(f.value("date"), time::local_day(now, tz));
    if date.is_none() {
        errs.push(Refusal::at("date", msg!("record.date_invalid")));
    }
    let start = parse_clock(f.value("start"));
    if start.is_none() {
        errs.push(Refusal::at("start", msg!("record.clock_invalid")));
    }
    let minutes = parse_minutes(f.value("minutes"));
    if minutes.is_none() {
        errs.push(Refusal::at("minutes", msg!("record.minutes_invalid")));
    }
    let confirmed_by = f.value("confirmed_by").trim().to_string();
    if confirmed_by.is_empty() {
        errs.push(Refusal::at(
            "confirmed_by",
            msg!("merchant_service.confirmer_required"),
        ));
    }
    let (Some(date), Some(start), Some(minutes)) = (date, start, minutes) else {
        return Err(errs);
    };
    let started_at = time::local_to_stamp(date, start, tz);
    let ended_at = started_at + i64::from(minutes) * time::MINUTE_MS;
    if ended_at > now {
        errs.push(Refusal::at("start", msg!("record.end_future")));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(crate::store::redemptions::MerchantService {
        uid,
        request_id,
        started_at,
        ended_at,
        minutes,
        confirmed_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::form::Picked;
    use chrono_tz::Asia::Shanghai;

    const NOW: Stamp = crate::harness::T0; // 10:00 Shanghai

    fn form() -> Form {
        let mut f = intake_form(&[Choice::text("1", "陪聊")], "2026-11-23");
        f.field_mut("requester").unwrap().pick(Picked {
            member_id: 1,
            label: "x".into(),
        });
        f.set("description", "陪老人聊天");
        f
    }

    #[test]
    fn no_window_means_the_rest_of_the_day() {
        let r = parse_intake(&form(), NOW, Shanghai).unwrap();
        assert_eq!(r.window_start, NOW);
        assert_eq!(r.window_end - NOW, 14 * time::HOUR_MS);
    }

    #[test]
    fn window_checks() {
        let mut f = form();
        f.set("from", "15:00");
        f.set("to", "14:00");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].msg.key,
            "request.window_backwards"
        );
        f.set("from", "08:00");
        f.set("to", "09:00");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].msg.key,
            "request.window_past"
        );
        f.set("to", "11:00");
        f.set("minutes", "0");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("minutes")
        );
        f.set("minutes", "5h");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("minutes")
        );
    }

    #[test]
    fn a_past_day_is_refused_at_the_date() {
        let mut f = form();
        f.set("date", "2026-11-20");
        let errs = parse_intake(&f, NOW, Shanghai).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field, Some("date"));
        assert_eq!(errs[0].msg.key, "request.window_past");
    }

    #[test]
    fn a_requester_is_needed() {
        let mut f = intake_form(&[Choice::text("1", "陪聊")], "2026-11-23");
        f.set("description", "x");
        assert_eq!(
            parse_intake(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("requester")
        );
    }
}
