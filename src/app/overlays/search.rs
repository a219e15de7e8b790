//! `/` anywhere: find a member by name, pinyin, initials, number, phone
//! tail or building; and cards scanned by a USB scanner (which types the
//! card's payload and Enter like a keyboard).

use crate::app::App;
use crate::app::action::Command;
use crate::app::form::Picked;
use crate::app::panes::Call;
use crate::app::replies::AppMsg;
use crate::app::state::*;
use crate::domain::member::parse_payload;
use crate::domain::search::{Hit, SearchEntry};
use crate::msg::Refusal;
use crate::store::StoreResult;
use crate::store::members::MemberRow;
use crate::worker::desk::ResolvePayload;
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
    pub(in crate::app) fn open_search(&mut self) {
        if self.state.session().is_some() {
            self.state.overlay = Some(Overlay::Search(SearchBox::default()));
        }
    }

    pub(in crate::app) fn search_key(&mut self, ev: KeyEvent) {
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

    pub(in crate::app) fn search_command(&mut self, cmd: Command) {
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
                        self.ask(ResolvePayload { payload: text }, AppMsg::Found);
                    }
                }
            }
            // the desk's other keys (help, F2, the lock, …) wait until the
            // search is closed with Esc; typing went to `search_key`
            _ => self.notify(NoticeKind::Info, crate::msg!("search.close_first")),
        }
    }

    /// A member was found (search, scan): the open form takes them, else the
    /// pane in front shows them, else the members pane does.
    pub(in crate::app) fn member_chosen(&mut self, member_id: i64) {
        let label = self.member_label(member_id);
        let Some(d) = self.desk_mut() else { return };
        let pane = d.pane;
        if let Some(f) = d.forms_mut(pane).form_mut()
            && f.fill_member(Picked { member_id, label })
        {
            return;
        }
        let found = Call::MemberFound(member_id);
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
    pub(in crate::app) fn scan_key(&mut self, ev: KeyEvent) -> bool {
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
                self.ask(ResolvePayload { payload }, AppMsg::Found);
                true
            }
            (Some(_), _) => {
                self.state.scan = None;
                true
            }
            _ => false,
        }
    }

    /// The member a card or a typed number names: their entry in the index
    /// as they now stand, and the open form or a pane takes them.
    pub(in crate::app) fn scanned(&mut self, found: StoreResult<MemberRow>) {
        match found {
            Ok(m) => {
                self.state.index.upsert(SearchEntry {
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
            Err(e) => self.notify(NoticeKind::Error, e.msg()),
        }
    }

    /// A card scanned (or a member number typed) into a member field:
    /// Enter there asks who it names.
    pub(in crate::app) fn scan_into_field(&mut self, payload: String) {
        self.ask(ResolvePayload { payload }, AppMsg::FoundForField);
    }

    /// The member a card in a member field names fills that field (and the
    /// focus moves on); a card naming no one is refused there.
    pub(in crate::app) fn scanned_into_field(&mut self, found: StoreResult<MemberRow>) {
        // the form was closed meanwhile: there is nothing to fill
        let Some(f) = self.active_form() else { return };
        match found {
            Ok(m) => {
                let label = format!("{} {}", m.number.clone().unwrap_or_default(), m.name);
                f.fill_member(Picked {
                    member_id: m.id,
                    label,
                });
                f.command(Command::NextField);
            }
            Err(e) => {
                let name = f.focused_name();
                f.show_refusals(&[Refusal::at(name, e.msg())]);
            }
        }
    }

    /// Members matching what was typed into the focused member field.
    pub(in crate::app) fn refresh_suggestions(&mut self) {
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
