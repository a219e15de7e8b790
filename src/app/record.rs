//! Pane 3 (服务登记): enter a finished service and post its points; today's
//! records; the weekly spot check; thank-you letters.

use super::action::Command;
use super::form::{Choice, Field, Form};
use super::pane::{FormKind, OpenForm, RestoreCtx};
use super::state::*;
use super::{App, Pending};
use crate::domain::entry::{parse_clock, parse_date, parse_minutes};
use crate::domain::record::{ConfirmMethod, Payer, RecordInput, is_late};
use crate::domain::time::{self, MINUTE_MS, Stamp};
use crate::msg;
use crate::msg::Refusal;
use crate::store::records::{RecordPosted, RecordRow, SpotCheck};
use crate::worker::{Data, DbCommand, Reply};
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Today,
    Spot,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordFormKind {
    Entry,
    ThankYou { record_id: i64 },
    SpotFail { record_id: i64 },
}

impl FormKind for RecordFormKind {
    fn draft_key(&self) -> Option<&'static str> {
        match self {
            RecordFormKind::Entry => Some("record.entry"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Req {
    List,
    Spot,
    Post,
    Form,
}

#[derive(Debug, Clone, Default)]
pub struct RecordPane {
    pub view: View,
    pub today: Vec<RecordRow>,
    pub spot: Vec<SpotCheck>,
    pub sel: usize,
    pub form: Option<OpenForm<RecordFormKind>>,
    pub last: Option<Box<RecordPosted>>,
    pub list_req: Option<u64>,
}

crate::pane_forms!(RecordPane);

impl RecordPane {
    fn restore_form(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool {
        if key != "record.entry" {
            return false;
        }
        let mut f = entry_form(&ctx.catalog, &ctx.today, "");
        f.restore_draft(data);
        self.form = Some(OpenForm::new(RecordFormKind::Entry, f));
        true
    }

    pub fn len(&self) -> usize {
        match self.view {
            View::Today => self.today.len(),
            View::Spot => self.spot.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The entry form. `uid` is fixed when the form opens and kept in its draft,
/// so a retry after a crash posts the same record, once.
pub fn entry_form(catalog: &[Choice], today: &str, uid: &str) -> Form {
    let methods = [
        ConfirmMethod::Desk,
        ConfirmMethod::Online,
        ConfirmMethod::HomeVisit,
    ]
    .into_iter()
    .map(|m| Choice::key(m.as_str(), m.label_key()))
    .collect();
    let payers = [Payer::Recipient, Payer::Pool]
        .into_iter()
        .map(|p| Choice::key(p.as_str(), p.label_key()))
        .collect();
    let mut f = Form::new(vec![
        Field::text("uid", crate::k!("record.uid"), 40).with_value(uid),
        Field::text("request", crate::k!("record.request"), 20),
        Field::member("provider", crate::k!("record.provider")),
        Field::member("recipient", crate::k!("record.recipient")),
        Field::choice("type", crate::k!("record.type"), catalog.to_vec()),
        Field::text("date", crate::k!("record.date"), 10)
            .with_value(today)
            .with_hint(crate::k!("record.date.hint")),
        Field::text("start", crate::k!("record.start"), 5)
            .with_hint(crate::k!("record.clock.hint")),
        Field::text("end", crate::k!("record.end"), 5).with_hint(crate::k!("record.clock.hint")),
        Field::text("minutes", crate::k!("record.minutes"), 8)
            .with_hint(crate::k!("record.minutes.hint")),
        Field::choice("payer", crate::k!("record.payer"), payers),
        Field::choice("method", crate::k!("record.method"), methods),
        Field::text("book_page", crate::k!("record.book_page"), 10),
        Field::text("photo_ref", crate::k!("record.photo_ref"), 30),
        Field::toggle("confirmed", crate::k!("record.confirmed")),
        Field::text("rating", crate::k!("record.rating"), 1)
            .with_hint(crate::k!("record.rating.hint")),
        Field::text("notes", crate::k!("record.notes"), 60),
        Field::text("late_reason", crate::k!("record.late_reason"), 60),
    ]);
    f.set_visible("uid", false);
    f.set_visible("request", false);
    f
}

/// Resolve what was typed into instants and minutes; everything the form
/// alone can tell is wrong, at its field. The store checks the rest.
pub fn parse_entry(f: &Form, now: Stamp, tz: chrono_tz::Tz) -> Result<RecordInput, Vec<Refusal>> {
    let mut errs = Vec::new();
    let provider = f.member("provider");
    if provider.is_none() {
        errs.push(Refusal::at("provider", msg!("record.provider_required")));
    }
    let recipient = f.member("recipient");
    if recipient.is_none() {
        errs.push(Refusal::at("recipient", msg!("record.recipient_required")));
    }
    let type_id: Option<i64> = f.value("type").parse().ok();
    if type_id.is_none() {
        errs.push(Refusal::at("type", msg!("record.type_unknown")));
    }
    let today = time::local_day(now, tz);
    let date = parse_date(f.value("date"), today);
    if date.is_none() {
        errs.push(Refusal::at("date", msg!("record.date_invalid")));
    }
    let start = parse_clock(f.value("start"));
    if start.is_none() {
        errs.push(Refusal::at("start", msg!("record.clock_invalid")));
    }
    let end_text = f.value("end").trim();
    let minutes_text = f.value("minutes").trim();
    let end = if end_text.is_empty() {
        None
    } else {
        let e = parse_clock(end_text);
        if e.is_none() {
            errs.push(Refusal::at("end", msg!("record.clock_invalid")));
        }
        e
    };
    let minutes = if minutes_text.is_empty() {
        None
    } else {
        let m = parse_minutes(minutes_text);
        if m.is_none() {
            errs.push(Refusal::at("minutes", msg!("record.minutes_invalid")));
        }
        m
    };
    if end_text.is_empty() && minutes_text.is_empty() {
        errs.push(Refusal::at("end", msg!("record.end_or_minutes")));
    }
    let rating = match f.value("rating").trim() {
        "" => None,
        r => match r.parse::<u8>() {
            Ok(n) if (1..=5).contains(&n) => Some(n),
            _ => {
                errs.push(Refusal::at("rating", msg!("record.rating_range")));
                None
            }
        },
    };
    let text = |name: &str| Some(f.value(name).trim().to_string()).filter(|s| !s.is_empty());
    let (Some(provider), Some(recipient), Some(type_id), Some(date), Some(start)) =
        (provider, recipient, type_id, date, start)
    else {
        return Err(errs);
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    let started_at = time::local_to_stamp(date, start, tz);
    let (ended_at, minutes) = match (end, minutes) {
        (Some(e), Some(m)) => (time::local_to_stamp(date, e, tz), m),
        (Some(e), None) => {
            let ended = time::local_to_stamp(date, e, tz);
            (ended, ((ended - started_at).max(0) / MINUTE_MS) as u32)
        }
        (None, Some(m)) => (started_at + i64::from(m) * MINUTE_MS, m),
        (None, None) => unreachable!("checked above"),
    };
    Ok(RecordInput {
        uid: f.value("uid").to_string(),
        request_id: f.value("request").parse().ok(),
        provider,
        recipient,
        type_id,
        started_at,
        ended_at,
        minutes,
        payer: Payer::parse(f.value("payer")).unwrap_or(Payer::Recipient),
        method: ConfirmMethod::parse(f.value("method")).unwrap_or(ConfirmMethod::Desk),
        book_page: text("book_page"),
        photo_ref: text("photo_ref"),
        recipient_confirmed: f.on("confirmed"),
        rating,
        notes: text("notes"),
        late_reason: text("late_reason"),
    })
}

/// Show only the fields the chosen confirmation method and timing need.
pub fn update_visibility(f: &mut Form, now: Stamp, tz: chrono_tz::Tz) {
    let method = ConfirmMethod::parse(f.value("method")).unwrap_or(ConfirmMethod::Desk);
    f.set_visible("book_page", method == ConfirmMethod::Desk);
    f.set_visible("photo_ref", method != ConfirmMethod::Desk);
    f.set_visible("confirmed", method == ConfirmMethod::Online);
    let late = parse_entry(f, now, tz).is_ok_and(|r| is_late(r.ended_at, now, 24));
    f.set_visible("late_reason", late || !f.value("late_reason").is_empty());
}

impl App {
    fn record(&mut self) -> Option<&mut RecordPane> {
        self.desk_mut().map(|d| &mut d.record)
    }

    fn tz(&self) -> chrono_tz::Tz {
        self.state.tz()
    }

    pub(super) fn today_text(&self) -> String {
        time::local_day(self.state.now, self.tz()).to_string()
    }

    pub(super) fn record_entered(&mut self) {
        let tz = self.tz();
        let (from, to) = time::day_range(time::local_day(self.state.now, tz), tz);
        let view = self.record().map(|p| p.view).unwrap_or_default();
        let (cmd, req) = match view {
            View::Today => (DbCommand::RecordsBetween { from, to }, Req::List),
            View::Spot => (DbCommand::SpotCheck { at: self.state.now }, Req::Spot),
        };
        let id = self.db(cmd, Pending::Record(req));
        if let Some(p) = self.record() {
            p.list_req = Some(id);
        }
    }

    /// Open the entry form, optionally prefilled (from a matched request).
    pub(super) fn open_record_form(&mut self, prefill: &[(&str, String)]) {
        let catalog = self.catalog_choices();
        let today = self.today_text();
        let uid = crate::store::new_uid(self.state.now);
        let mut f = entry_form(&catalog, &today, &uid);
        for (k, v) in prefill {
            f.set(k, v);
        }
        let tz = self.tz();
        update_visibility(&mut f, self.state.now, tz);
        f.focus = f
            .fields
            .iter()
            .position(|x| {
                x.visible
                    && x.picked().is_none()
                    && x.value().is_empty()
                    && x.input.value().is_empty()
            })
            .unwrap_or(2);
        if let Some(p) = self.record() {
            p.form = Some(OpenForm::new(RecordFormKind::Entry, f));
            p.last = None;
        }
    }

    pub(super) fn record_form_changed(&mut self) {
        let now = self.state.now;
        let tz = self.tz();
        if let Some(of) = self.record().and_then(|p| p.form.as_mut())
            && of.kind == RecordFormKind::Entry
        {
            update_visibility(&mut of.form, now, tz);
        }
    }

    pub(super) fn record_command(&mut self, cmd: Command) {
        let Some(p) = self.record() else { return };
        let len = p.len();
        match cmd {
            Command::Up => p.sel = p.sel.saturating_sub(1),
            Command::Down => p.sel = (p.sel + 1).min(len.saturating_sub(1)),
            Command::PageUp => p.sel = p.sel.saturating_sub(15),
            Command::PageDown => p.sel = (p.sel + 15).min(len.saturating_sub(1)),
            Command::Top => p.sel = 0,
            Command::Bottom => p.sel = len.saturating_sub(1),
            Command::New => self.open_record_form(&[]),
            Command::SwitchSection => {
                p.view = if p.view == View::Today {
                    View::Spot
                } else {
                    View::Today
                };
                p.sel = 0;
                self.record_entered();
            }
            Command::Refresh => self.record_entered(),
            Command::ThankYou => {
                let rec = match p.view {
                    View::Today => p.today.get(p.sel).map(|r| r.id),
                    View::Spot => p.spot.get(p.sel).map(|s| s.record_id),
                };
                if let Some(record_id) = rec {
                    let f = Form::new(vec![
                        Field::text("text", crate::k!("thanks.text"), 80),
                        Field::text("photo_ref", crate::k!("record.photo_ref"), 30),
                    ]);
                    p.form = Some(OpenForm::new(RecordFormKind::ThankYou { record_id }, f));
                }
            }
            Command::SpotPass | Command::SpotFail if p.view == View::Spot => {
                let Some(s) = p.spot.get(p.sel) else { return };
                if s.result.is_some() {
                    self.notify(NoticeKind::Error, msg!("spot.already"));
                    return;
                }
                let record_id = s.record_id;
                if cmd == Command::SpotFail {
                    let f = Form::new(vec![Field::text("note", crate::k!("spot.note"), 60)]);
                    p.form = Some(OpenForm::new(RecordFormKind::SpotFail { record_id }, f));
                } else {
                    let Some(by) = self.state.session().cloned() else {
                        return;
                    };
                    let at = self.state.now;
                    self.db(
                        DbCommand::SpotResult {
                            by,
                            record_id,
                            ok: true,
                            note: String::new(),
                            at,
                        },
                        Pending::Record(Req::Form),
                    );
                }
            }
            _ => {}
        }
    }

    pub(super) fn submit_record_form(&mut self) {
        let Some(by) = self.state.session().cloned() else {
            return;
        };
        let at = self.state.now;
        let tz = self.tz();
        let lang = self.state.tr.lang;
        let Some(of) = self.record().and_then(|p| p.form.as_mut()) else {
            return;
        };
        let (cmd, req) = match of.kind.clone() {
            RecordFormKind::Entry => match parse_entry(&of.form, at, tz) {
                Ok(input) => (
                    DbCommand::PostRecord {
                        by,
                        input: Box::new(input),
                        lang,
                        at,
                    },
                    Req::Post,
                ),
                Err(errs) => return of.form.show_refusals(&errs),
            },
            RecordFormKind::ThankYou { record_id } => {
                let text = of.form.value("text").to_string();
                if text.trim().is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("text", msg!("thanks.text_required"))]);
                }
                (
                    DbCommand::ThankYou {
                        by,
                        record_id,
                        text,
                        photo_ref: of.form.value("photo_ref").to_string(),
                        at,
                    },
                    Req::Form,
                )
            }
            RecordFormKind::SpotFail { record_id } => {
                let note = of.form.value("note").to_string();
                if note.trim().is_empty() {
                    return of
                        .form
                        .show_refusals(&[Refusal::at("note", msg!("spot.note_required"))]);
                }
                (
                    DbCommand::SpotResult {
                        by,
                        record_id,
                        ok: false,
                        note,
                        at,
                    },
                    Req::Form,
                )
            }
        };
        of.form.clear_errors();
        let id = self.db(cmd, Pending::Record(req));
        if let Some(of) = self.record().and_then(|p| p.form.as_mut()) {
            of.form.busy = Some(id);
        }
    }

    pub(super) fn record_reply(&mut self, req: Req, reply: Reply) {
        match (req, reply.result) {
            (Req::List, Ok(Data::Records(rows))) => {
                if let Some(p) = self.record()
                    && p.list_req == Some(reply.id)
                {
                    p.sel = p.sel.min(rows.len().saturating_sub(1));
                    p.today = rows;
                }
            }
            (Req::Spot, Ok(Data::Spot(rows))) => {
                if let Some(p) = self.record()
                    && p.list_req == Some(reply.id)
                {
                    p.sel = p.sel.min(rows.len().saturating_sub(1));
                    p.spot = rows;
                }
            }
            (Req::Post, Ok(Data::RecordPosted(posted))) => {
                let Some(p) = self.record() else { return };
                p.form = None;
                let note = if posted.existing {
                    msg!("record.already_posted", points = posted.points)
                } else {
                    msg!(
                        "record.posted",
                        points = posted.points,
                        transfer = &posted.transfer.row.id[..10]
                    )
                };
                p.last = Some(posted);
                if let Some(staff_id) = self.state.session().map(|s| s.staff_id) {
                    self.db(
                        DbCommand::DropDraft {
                            staff_id,
                            form: "record.entry".into(),
                        },
                        Pending::Quiet,
                    );
                }
                self.notify(NoticeKind::Ok, note);
                self.after_record_posted();
                self.record_entered();
            }
            (Req::Form, Ok(_)) => {
                if let Some(p) = self.record() {
                    p.form = None;
                }
                self.notify(NoticeKind::Ok, msg!("form.saved"));
                self.record_entered();
            }
            (Req::Post | Req::Form, Err(e)) => {
                if let Some(of) = self.record().and_then(|p| p.form.as_mut()) {
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

    /// Other panes that show points or requests learn of the new record.
    fn after_record_posted(&mut self) {
        self.refresh_header();
        let member = self.state.desk().and_then(|d| d.ledger.member);
        if let Some(m) = member {
            self.ledger_show(m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::form::Picked;
    use chrono_tz::Asia::Shanghai;

    const NOW: Stamp = crate::harness::T0;

    fn form() -> Form {
        let mut f = entry_form(&[Choice::text("1", "陪聊")], "2026-11-23", "u1");
        f.field_mut("provider").unwrap().pick(Picked {
            member_id: 1,
            label: "a".into(),
        });
        f.field_mut("recipient").unwrap().pick(Picked {
            member_id: 2,
            label: "b".into(),
        });
        f.set("start", "08:00");
        f
    }

    #[test]
    fn end_or_minutes() {
        let mut f = form();
        assert_eq!(
            parse_entry(&f, NOW, Shanghai).unwrap_err()[0].field,
            Some("end")
        );
        f.set("end", "09:30");
        let r = parse_entry(&f, NOW, Shanghai).unwrap();
        assert_eq!(r.minutes, 90);
        f.set("end", "");
        f.set("minutes", "1h");
        let r = parse_entry(&f, NOW, Shanghai).unwrap();
        assert_eq!(r.ended_at - r.started_at, 60 * MINUTE_MS);
    }

    #[test]
    fn bad_entries_point_at_their_fields() {
        let mut f = form();
        f.set("start", "8点");
        f.set("minutes", "0");
        f.set("rating", "7");
        let errs: Vec<_> = parse_entry(&f, NOW, Shanghai)
            .unwrap_err()
            .into_iter()
            .filter_map(|e| e.field)
            .collect();
        assert_eq!(errs, vec!["start", "minutes", "rating"]);
    }

    #[test]
    fn late_reason_appears_only_for_late_entries() {
        let mut f = form();
        f.set("end", "09:00");
        update_visibility(&mut f, NOW, Shanghai);
        assert!(!f.get("late_reason").unwrap().visible);
        f.set("date", "2026-11-20");
        update_visibility(&mut f, NOW, Shanghai);
        assert!(f.get("late_reason").unwrap().visible);
    }
}
