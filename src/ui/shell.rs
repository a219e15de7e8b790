//! Header, tab bar, status line, and the "terminal too small" notice.

use super::theme::Meaning;
use super::{MIN_HEIGHT, MIN_WIDTH};
use crate::app::App;
use crate::app::state::{AppState, NoticeKind, Pane, Screen};
use crate::domain::time;
use crate::text;
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn too_small(frame: &mut Frame, area: Rect, st: &AppState) {
    let msg = st.tr.f(
        "shell.too_small",
        &[
            ("w", &area.width),
            ("h", &area.height),
            ("min_w", &MIN_WIDTH),
            ("min_h", &MIN_HEIGHT),
        ],
    );
    frame.render_widget(
        Paragraph::new(crate::text::wrap(msg, area.width)).style(st.theme.style(Meaning::Warning)),
        area,
    );
}

pub(super) fn weekday_key(n: u32) -> &'static str {
    match n {
        0 => crate::k!("weekday.0"),
        1 => crate::k!("weekday.1"),
        2 => crate::k!("weekday.2"),
        3 => crate::k!("weekday.3"),
        4 => crate::k!("weekday.4"),
        5 => crate::k!("weekday.5"),
        _ => crate::k!("weekday.6"),
    }
}

/// Over 80 lines: the header's items left to right (station, clock, day state, counts,
/// staff), each dropped in turn when the width runs out; split, each would carry the
/// remaining width.
pub fn header(frame: &mut Frame, area: Rect, st: &AppState) {
    let tr = &st.tr;
    let hs = st.theme.style(Meaning::Header);
    let tz = st.tz();
    let local = time::local(st.now, tz);
    let weekday = tr.t(weekday_key(local.weekday().num_days_from_monday()));
    let mut right = vec![];
    match &st.integrity {
        crate::app::state::Integrity::Checking => {
            right.push(Span::styled(
                tr.t("header.checking"),
                st.theme.style(Meaning::Muted),
            ));
            right.push(Span::styled(" ", hs));
        }
        crate::app::state::Integrity::Failed(_) => {
            right.push(Span::styled(
                tr.t("header.damaged"),
                st.theme.style(Meaning::Error),
            ));
            right.push(Span::styled(" ", hs));
        }
        crate::app::state::Integrity::Passed => {}
    }
    if let Screen::Desk(d) = &st.screen {
        let h = &st.header;
        let (day, meaning) = match h.opened_at {
            _ if h.closed => (tr.t("header.closed").to_string(), Meaning::Header),
            None => (tr.t("header.not_open").to_string(), Meaning::Warning),
            Some(at) if h.opened_late => (
                tr.f(
                    "header.opened_late",
                    &[("at", &time::fmt_local(at, tz, "%H:%M"))],
                ),
                Meaning::Warning,
            ),
            Some(at) => (
                tr.f(
                    "header.opened",
                    &[("at", &time::fmt_local(at, tz, "%H:%M"))],
                ),
                Meaning::Header,
            ),
        };
        right.push(Span::styled(day, st.theme.style(meaning)));
        right.push(Span::styled(" ", hs));
        if h.replenish > 0 {
            right.push(Span::styled(
                tr.f("header.replenish", &[("n", &h.replenish)]),
                st.theme.style(Meaning::Warning),
            ));
            right.push(Span::styled(" ", hs));
        }
        if st.header.overdue > 0 {
            right.push(Span::styled(
                tr.f("header.overdue", &[("n", &st.header.overdue)]),
                st.theme.style(Meaning::Urgent),
            ));
            right.push(Span::styled(" ", hs));
        }
        if d.lock.is_some() {
            right.push(Span::styled(format!("{} ", tr.t("header.locked")), hs));
        } else {
            right.push(Span::styled(
                format!(
                    "{} {}({}) ",
                    d.session.staff_no,
                    d.session.name,
                    tr.t(d.session.role.label_key())
                ),
                hs,
            ));
        }
    }
    let w = area.width as usize;
    let rw: usize = right.iter().map(|s| text::width(&s.content)).sum();
    let demo = if st.demo { " DEMO " } else { "" };
    // the fullest header that fits: drop the app's name, the station kind,
    // then the year and seconds, before anything is cut
    let station_variants: Vec<String> = match &st.station {
        Some(s) => vec![
            format!(
                " {} {} · {} ",
                tr.t("app.name"),
                s.name,
                tr.t(s.kind.label_key())
            ),
            format!(" {} · {} ", s.name, tr.t(s.kind.label_key())),
            format!(" {} ", s.name),
        ],
        None => vec![format!(" {} ", tr.t("app.name"))],
    };
    let clocks = [
        format!("{} {weekday} ", local.format("%Y-%m-%d %H:%M:%S")),
        format!("{} {weekday} ", local.format("%m-%d %H:%M:%S")),
        format!("{} ", local.format("%m-%d %H:%M")),
    ];
    let mut chosen = (
        station_variants.last().cloned().unwrap_or_default(),
        clocks[2].clone(),
    );
    'pick: for c in &clocks {
        for s in &station_variants {
            if text::width(demo) + text::width(s) + text::width(c) + rw <= w {
                chosen = (s.clone(), c.clone());
                break 'pick;
            }
        }
    }
    let (station, clock) = chosen;
    let mut spans = vec![];
    if st.demo {
        spans.push(Span::styled(demo, st.theme.style(Meaning::Demo)));
    }
    let lw = text::width(demo) + text::width(&station);
    spans.push(Span::styled(station, hs));
    let cw = text::width(&clock);
    if lw + cw + rw <= w {
        // the clock in the middle when there is room
        let gap_total = w - lw - cw - rw;
        let before = (w / 2)
            .saturating_sub(cw / 2)
            .saturating_sub(lw)
            .min(gap_total);
        spans.push(Span::styled(" ".repeat(before), hs));
        spans.push(Span::styled(clock, hs));
        spans.push(Span::styled(" ".repeat(gap_total - before), hs));
    } else {
        spans.push(Span::styled(
            text::pad_right(&clock, w.saturating_sub(lw + rw)),
            hs,
        ));
    }
    spans.extend(right);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(hs), area);
}

/// The tab bar, as roomy as the width allows: every pane's number and name
/// stay visible down to 80 columns, in either language.
/// How wide each pane's name may be when the names do not all fit: the
/// longest names give way one cell at a time (the pane in front keeps its
/// whole name), so most stay whole and none shrinks below 4 cells.
fn tab_caps(st: &AppState, active: Pane, width: usize) -> std::collections::HashMap<u8, usize> {
    let mut caps: std::collections::HashMap<u8, usize> = Pane::AVAILABLE
        .iter()
        .map(|p| (p.number(), text::width(st.tr.t(p.title_key()))))
        .collect();
    // the digit and the space after each tab
    let fixed = Pane::AVAILABLE.len() * 2;
    while fixed + caps.values().sum::<usize>() > width {
        let longest = Pane::AVAILABLE
            .iter()
            .filter(|p| **p != active)
            .map(|p| p.number())
            .max_by_key(|n| caps[n]);
        match longest {
            Some(n) if caps[&n] > 4 => {
                if let Some(c) = caps.get_mut(&n) {
                    *c -= 1;
                }
            }
            Some(_) | None => break,
        }
    }
    caps
}

pub fn tabs(frame: &mut Frame, area: Rect, st: &AppState, active: Pane) {
    let caps = tab_caps(st, active, area.width as usize);
    let label = |p: &Pane, roomy: u8| {
        let name = st.tr.t(p.title_key());
        match roomy {
            3 => format!(" {} {name} ", p.number()),
            2 => format!("{} {name}", p.number()),
            1 => format!("{}{name}", p.number()),
            _ if *p == active => format!("{}{name}", p.number()),
            _ => {
                let cap = caps.get(&p.number()).copied().unwrap_or(4);
                format!("{}{}", p.number(), text::truncate(name, cap))
            }
        }
    };
    let fits = |roomy: u8| {
        Pane::AVAILABLE
            .iter()
            .map(|p| text::width(&label(p, roomy)) + 1)
            .sum::<usize>()
            <= area.width as usize
    };
    let roomy = [3, 2, 1].into_iter().find(|r| fits(*r)).unwrap_or(0);
    let mut spans = Vec::new();
    for p in Pane::AVAILABLE {
        let style = if *p == active {
            st.theme.style(Meaning::TabActive)
        } else {
            st.theme.style(Meaning::Tab)
        };
        spans.push(Span::styled(label(p, roomy), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The status line: a notice if there is one, else the most useful keys of
/// where the staff member is, taken from the keymap.
pub fn status(frame: &mut Frame, area: Rect, app: &App) {
    let st = &app.state;
    if let Some(n) = &st.notice {
        let style = match n.kind {
            NoticeKind::Error => st.theme.style(Meaning::Error),
            NoticeKind::Ok => st.theme.style(Meaning::Ok),
            NoticeKind::Info => st.theme.style(Meaning::Text),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::truncate(&st.tr.msg(&n.text), area.width as usize),
                style,
            )),
            area,
        );
        return;
    }
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0usize;
    let width = area.width as usize;
    let help = app
        .keymap
        .bindings(crate::app::keymap::Context::Global)
        .iter()
        .find(|(c, _)| *c == crate::app::action::Command::Help)
        .and_then(|(_, ks)| {
            app.usable_keys(crate::app::keymap::Context::Global, ks)
                .first()
                .copied()
        });
    let help_text = help
        .map(|k| format!("{k} {}", st.tr.t("cmd.help")))
        .unwrap_or_default();
    let reserve = text::width(&help_text) + 2;
    let mut contexts = app.contexts();
    contexts.push(crate::app::keymap::Context::Global);
    let mut seen = std::collections::HashSet::new();
    let mut shown = Vec::new();
    for ctx in contexts {
        for (cmd, keys) in app.keymap.bindings(ctx) {
            if *cmd == crate::app::action::Command::Help
                || !cmd.in_status()
                || !app.command_available(*cmd)
                || !seen.insert(*cmd)
            {
                continue;
            }
            if let Some(key) = app.usable_keys(ctx, keys).first().copied() {
                shown.push((*cmd, key));
            }
        }
    }
    // a pane's main keys first: at 80 columns the bar cannot hold them all,
    // and "n" (new) came after the pane's own keys and was cut
    shown.sort_by_key(|(cmd, _)| !cmd.is_main());
    for (cmd, key) in shown {
        let k = key.to_string();
        let d = st.tr.t(&cmd.describe_key()).to_string();
        let w = text::width(&k) + 1 + text::width(&d) + 2;
        if used + w + reserve > width {
            break;
        }
        spans.push(Span::styled(k, st.theme.style(Meaning::Key)));
        spans.push(Span::styled(
            format!(" {d}  "),
            st.theme.style(Meaning::Muted),
        ));
        used += w;
    }
    if let Some(k) = help {
        spans.push(Span::styled(k.to_string(), st.theme.style(Meaning::Key)));
        spans.push(Span::styled(
            format!(" {}", st.tr.t("cmd.help")),
            st.theme.style(Meaning::Muted),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// "Enter/y Yes  Esc/n No" for the given commands, from the keymap.
pub fn key_hints<'a>(
    app: &App,
    ctx: crate::app::keymap::Context,
    cmds: &[crate::app::action::Command],
) -> Line<'a> {
    let st = &app.state;
    let mut spans = Vec::new();
    for cmd in cmds {
        let keys: Vec<String> = app
            .keymap
            .bindings(ctx)
            .iter()
            .find(|(c, _)| c == cmd)
            .map(|(_, ks)| ks.iter().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        if keys.is_empty() {
            continue;
        }
        spans.push(Span::styled(keys.join("/"), st.theme.style(Meaning::Key)));
        spans.push(Span::styled(
            format!(" {}   ", st.tr.t(&cmd.describe_key())),
            st.theme.style(Meaning::Text),
        ));
    }
    Line::from(spans)
}

/// A damaged database: said at the foot of every screen, with the backup
/// on offer, until the desk is closed. Nothing can be saved meanwhile.
pub fn damaged(frame: &mut Frame, body: Rect, st: &AppState, m: &crate::msg::Msg) {
    let text = st.tr.msg(m);
    let inner_width = body.width.saturating_sub(2).max(1) as usize;
    let rows: usize = text
        .lines()
        .map(|l| crate::text::width(l).div_ceil(inner_width).max(1))
        .sum();
    let height = (rows as u16 + 2).min(body.height);
    let area = Rect {
        y: body.y + body.height - height,
        height,
        ..body
    };
    super::widgets::clear_over(frame, area);
    let block = super::widgets::panel(st.tr.t("header.damaged"), true, &st.theme)
        .border_style(st.theme.style(Meaning::Error));
    frame.render_widget(
        Paragraph::new(crate::text::wrap(text, block.inner(area).width))
            .style(st.theme.style(Meaning::Error))
            .block(block),
        area,
    );
}
