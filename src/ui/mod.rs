//! Drawing: a pure function of the app's state. Nothing here reads the disk
//! or the clock; "now" is in the state.

mod disputes;
pub mod form;
mod hub;
mod hub_fund;
pub mod hub_medals;
mod hub_tools;
mod ledger;
mod matching;
mod members;
mod merchants;
mod overlay;
mod queue;
mod record;
mod routine;
mod screens;
mod search;
mod settings;
mod shell;
mod stats;
/// The themes, by their place in drawing (loading them is `crate::config`'s).
pub use crate::config::theme;
pub mod widgets;
mod words;

use crate::app::App;
use crate::app::state::{Pane, Screen};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use theme::Meaning;

/// The smallest terminal the desk is laid out for (the app's, which also
/// refuses keys below it).
pub use crate::app::state::{MIN_HEIGHT, MIN_WIDTH};

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let st = &app.state;
    frame.render_widget(
        ratatui::widgets::Block::default().style(st.theme.style(Meaning::Text)),
        area,
    );
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        shell::too_small(frame, area, st);
        return;
    }
    let [header, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    shell::header(frame, header, st);
    let cursor = match &st.screen {
        Screen::Setup(s) => screens::setup(frame, body, st, s),
        Screen::SignIn(s) => screens::signin(frame, body, st, s),
        Screen::Desk(d) => {
            if let Some(lock) = &d.lock {
                screens::signin(frame, body, st, lock)
            } else {
                shell::tabs(frame, tabs, st, d.pane);
                if let Some(r) = &d.panes.routine {
                    routine::render(frame, body, app, r)
                } else {
                    match d.pane {
                        Pane::Settings => settings::render(frame, body, app, &d.panes.settings),
                        Pane::Members => members::render(frame, body, app, &d.panes.members),
                        Pane::Record => record::render(frame, body, app, &d.panes.record),
                        Pane::Ledger => ledger::render(frame, body, app, &d.panes.ledger),
                        Pane::Queue => queue::render(frame, body, app, &d.panes.queue),
                        Pane::Match => matching::render(frame, body, app, &d.panes.matching),
                        Pane::Disputes => disputes::render(frame, body, app, &d.panes.disputes),
                        Pane::Stats => stats::render(frame, body, app, &d.panes.stats),
                        Pane::Merchants => merchants::render(frame, body, app, &d.panes.merchants),
                        Pane::Hub => hub::render(frame, body, app, &d.panes.hub),
                    }
                }
            }
        }
    };
    shell::status(frame, status, app);
    if let crate::app::state::Integrity::Failed(m) = &st.integrity {
        shell::damaged(frame, body, st, m);
    }
    let cursor = match &st.overlay {
        Some(crate::app::state::Overlay::Search(b)) => search::render(frame, body, app, b),
        Some(o) => {
            overlay::render(frame, body, app, o);
            None
        }
        None => cursor,
    };
    if let Some(pos) = cursor {
        frame.set_cursor_position(pos);
    }
}
