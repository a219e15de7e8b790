//! `/` anywhere: find a member by name, pinyin, initials, number, phone
//! tail or building; and cards scanned by a USB scanner (which types the
//! card's payload and Enter like a keyboard).

use super::action::Command;
use super::form::Picked;
use super::state::*;
use super::{App, Pending};
use crate::domain::member::parse_payload;
use crate::domain::search::Hit;
use crate::worker::{Data, DbCommand, Reply};
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

/// Results shown for a query.
pub const LIMIT: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct SearchBox {
    pub input: Input,
    pub hits: Vec<Hit>,
    pub sel: usize,
}

impl App {
    pub(super) fn open_search(&mut self) {
        if self.state.session().is_some() {
            self.state.overlay = Some(Overlay::Search(SearchBox::default()));
        }
    }

    pub(super) fn search_key(&mut self, ev: KeyEvent) {
        let Some(Overlay::Search(b)) = &mut self.state.overlay else {
            return;
        };
        if let Some(req) = to_input_request(&Event::Key(ev))
            && b.input.handle(req).is_some_and(|c| c.value)
        {
            b.hits = self.state.index.query(b.input.value(), LIMIT);
            b.sel = 0;
        }
    }

    pub(super) fn search_command(&mut self, cmd: Command) {
        let Some(Overlay::Search(b)) = &mut self.state.overlay else {
            return;
        };
        match cmd {
            Command::Up => b.sel = b.sel.saturating_sub(1),
            Command::Down => b.sel = (b.sel + 1).min(b.hits.len().saturating_sub(1)),
            Command::Cancel => self.state.overlay = None,
            Command::Select => {
                let hit = b.hits.get(b.sel).map(|h| h.index);
                if let Some(i) = hit {
                    let id = self.state.index.entry(i).member_id;
                    self.state.overlay = None;
                    self.member_chosen(id);
                } else {
                    // an exact member number typed but not in the list yet
                    let text = b.input.value().to_string();
                    if parse_payload(&text).is_some() {
                        self.state.overlay = None;
                        self.db(DbCommand::ResolvePayload { payload: text }, Pending::Scan);
                    }
                }
            }
            _ => {}
        }
    }

    /// "JS01-0001 张三丰" for a member in the index.
    pub fn member_label(&self, member_id: i64) -> String {
        super::cx::member_label(&self.state.index, member_id)
    }

    /// A member was found (search, scan): the open form takes them, else the
    /// pane in front shows them, else the members pane does.
    pub(super) fn member_chosen(&mut self, member_id: i64) {
        let label = self.member_label(member_id);
        let Some(d) = self.desk_mut() else { return };
        let pane = d.pane;
        if let Some(f) = d.forms_mut(pane).form_mut()
            && f.fill_member(Picked { member_id, label })
        {
            return;
        }
        let found = super::panes::Call::MemberFound(member_id);
        if !self.dispatch(pane, found) {
            if let Some(d) = self.desk_mut() {
                d.pane = Pane::Members;
            }
            self.dispatch(Pane::Members, found);
        }
    }

    // ---- scanning -------------------------------------------------------

    /// Outside text fields, an upper-case letter starts a card payload (no
    /// command is bound to one); Enter ends it.
    pub(super) fn scan_key(&mut self, ev: KeyEvent) -> bool {
        let signed_in = self.state.session().is_some();
        match (&mut self.state.scan, ev.code) {
            (None, KeyCode::Char(c)) if c.is_ascii_uppercase() && signed_in => {
                self.state.scan = Some(c.to_string());
                self.scan_ticks = 0;
                true
            }
            (Some(buf), KeyCode::Char(c)) if !c.is_control() => {
                buf.push(c);
                true
            }
            (Some(_), KeyCode::Enter) => {
                let payload = self.state.scan.take().unwrap_or_default();
                self.db(DbCommand::ResolvePayload { payload }, Pending::Scan);
                true
            }
            (Some(_), _) => {
                self.state.scan = None;
                true
            }
            _ => false,
        }
    }

    pub(super) fn scan_reply(&mut self, reply: Reply) {
        match reply.result {
            Ok(Data::Member(m)) => {
                self.state.index.upsert(crate::domain::search::SearchEntry {
                    member_id: m.id,
                    number: m.number.clone().unwrap_or_default(),
                    name: m.name.clone(),
                    phone_tail: m
                        .phone
                        .get(m.phone.len().saturating_sub(4)..)
                        .unwrap_or("")
                        .to_string(),
                    building: m.building.clone(),
                    status: m.status,
                    level: m.level,
                });
                self.member_chosen(m.id)
            }
            Ok(_) => {}
            Err(e) => self.notify(NoticeKind::Error, e.msg()),
        }
    }

    /// Members matching what was typed into the focused member field.
    pub(super) fn refresh_suggestions(&mut self) {
        let query = self
            .active_form_ref()
            .and_then(|f| f.member_query())
            .map(str::to_string);
        let Some(q) = query else {
            if let Some(f) = self.active_form() {
                f.suggest.clear();
            }
            return;
        };
        let hits = if q.trim().chars().count() >= 1 {
            self.state.index.query(&q, 6)
        } else {
            Vec::new()
        };
        let picks: Vec<Picked> = hits
            .iter()
            .map(|h| {
                let e = self.state.index.entry(h.index);
                let label = if e.number.is_empty() {
                    e.name.clone()
                } else {
                    format!("{} {}", e.number, e.name)
                };
                Picked {
                    member_id: e.member_id,
                    label,
                }
            })
            .collect();
        if let Some(f) = self.active_form() {
            f.suggest = picks;
            f.suggest_sel = 0;
        }
    }
}
