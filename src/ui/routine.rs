//! F2 and F10 in front of the panes: the opening checklist with the
//! carried-over requests, and the close with the day's figures.

use super::form::{form_popup, render_form};
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::routine::{Routine, RoutineFormKind, RoutineKind};
use crate::domain::day::DayFigures;
use crate::domain::time;
use crate::domain::units::format_hours;
use crate::store::overview::{CarryItem, CarryKind, DayInfo};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Over 80 lines: F2/F10's steps drawn as one checklist top to bottom, each step short.
pub fn render(frame: &mut Frame, area: Rect, app: &App, r: &Routine) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let title = match r.kind {
        RoutineKind::Open => tr.t("routine.open_title"),
        RoutineKind::Close => tr.t("routine.close_title"),
    };
    let Some(info) = r.info.as_deref() else {
        let block = panel(title, true, &st.theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Paragraph::new(tr.t("routine.loading")).style(st.theme.style(Meaning::Muted)),
            inner,
        );
        return None;
    };
    let today = time::local_day(st.now, app.state.tz());
    let title = if info.day < today {
        format!(
            "{title} · {}({})",
            info.day,
            tr.t("routine.closing_earlier")
        )
    } else {
        format!("{title} · {}", info.day)
    };
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let main_form = r
        .form
        .as_ref()
        .filter(|f| matches!(f.kind, RoutineFormKind::Checklist | RoutineFormKind::Close));
    let block = panel(&title, true, &st.theme);
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let mut cursor = None;
    match (r.kind, main_form) {
        (RoutineKind::Open, Some(of)) => {
            let mut hint = vec![Line::from(Span::styled(
                tr.f(
                    "routine.open_window",
                    &[
                        ("from", &st.settings.open_from),
                        ("by", &st.settings.open_by),
                    ],
                ),
                st.theme.style(Meaning::Muted),
            ))];
            hint.extend(unclosed_line(app, info));
            let high = 3 + 2 * hint.len().saturating_sub(1) as u16;
            let [h, f] =
                Layout::vertical([Constraint::Length(high), Constraint::Min(1)]).areas(inner);
            frame.render_widget(Paragraph::new(crate::text::wrap(hint, h.width)), h);
            cursor = render_form(frame, f, &of.form, tr, &st.theme);
        }
        (RoutineKind::Open, None) => {
            frame.render_widget(
                Paragraph::new(crate::text::wrap(open_status(app, info), inner.width)),
                inner,
            );
        }
        (RoutineKind::Close, _) if info.state.opened_at.is_none() => {
            frame.render_widget(
                Paragraph::new(crate::text::wrap(close_lines(app, info), inner.width)),
                inner,
            );
        }
        (RoutineKind::Close, _) => {
            let lines = close_lines(app, info);
            let need = lines.len() as u16;
            match main_form {
                Some(of) => {
                    let fh = super::form::form_height(&of.form);
                    let [top, _, f, _] = Layout::vertical([
                        Constraint::Length(need),
                        Constraint::Length(1),
                        Constraint::Length(fh),
                        Constraint::Min(0),
                    ])
                    .areas(inner);
                    frame.render_widget(Paragraph::new(lines), top);
                    cursor = render_form(frame, f, &of.form, tr, &st.theme);
                }
                None => {
                    let [top, rest] = Layout::vertical([
                        Constraint::Length(need.min(inner.height)),
                        Constraint::Min(0),
                    ])
                    .areas(inner);
                    frame.render_widget(Paragraph::new(lines), top);
                    frame.render_widget(
                        Paragraph::new(crate::text::wrap(closed_lines(app, info, r), rest.width)),
                        rest,
                    );
                }
            }
        }
    }
    lists(frame, right, app, info, r);

    // the small forms (midday duty, reopen reason) pop up over the routine
    let of = r
        .form
        .as_ref()
        .filter(|f| main_form.is_none() && !f.kind.closes_routine())?;
    let title = match of.kind {
        RoutineFormKind::Midday => tr.t("cmd.midday"),
        _ => tr.t("cmd.reopen_day"),
    };
    let rect = centered(area, 60, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, title, &of.form, tr, &st.theme).or(cursor)
}

/// After opening: when, by whom, late or not, the midday duty.
fn open_status(app: &App, info: &DayInfo) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = app.state.tz();
    let label = st.theme.style(Meaning::Muted);
    let s = &info.state;
    let mut out = unclosed_line(app, info);
    if let Some(at) = s.opened_at {
        let mut spans = vec![
            Span::styled(format!("{} ", tr.t("routine.opened_at")), label),
            Span::raw(format!(
                "{} {}",
                time::fmt_local(at, tz, "%H:%M"),
                s.opened_by.clone().unwrap_or_default()
            )),
        ];
        if s.late {
            spans.push(Span::styled(
                format!(" {}", tr.t("routine.late")),
                st.theme.style(Meaning::Warning),
            ));
        }
        out.push(Line::from(spans));
    }
    out.push(Line::from(vec![
        Span::styled(format!("{} ", tr.t("routine.midday")), label),
        match &s.midday {
            Some(n) => Span::raw(n.clone()),
            None => Span::styled(
                tr.t("routine.midday_none").to_string(),
                st.theme.style(Meaning::Warning),
            ),
        },
    ]));
    if s.is_closed() {
        out.push(Line::from(Span::styled(
            tr.t("routine.closed_today").to_string(),
            st.theme.style(Meaning::Warning),
        )));
    }
    out.push(Line::from(""));
    out.push(Line::from(Span::styled(
        tr.t("routine.today_so_far").to_string(),
        st.theme.style(Meaning::Title),
    )));
    out.extend(figure_lines(app, &info.figures));
    out
}

/// A warning when an earlier day was opened and never closed.
fn unclosed_line(app: &App, info: &DayInfo) -> Vec<Line<'static>> {
    let st = &app.state;
    info.unclosed
        .filter(|d| *d < info.day)
        .map(|d| {
            Line::from(Span::styled(
                st.tr.f("routine.unclosed", &[("day", &d)]),
                st.theme.style(Meaning::Warning),
            ))
        })
        .into_iter()
        .collect()
}

/// The day's figures, one per line (the close screen and the open status).
pub fn figure_lines(app: &App, f: &DayFigures) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let label = st.theme.style(Meaning::Muted);
    let row = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(crate::text::pad_right(tr.t(k), 12), label),
            Span::raw(v),
        ])
    };
    let share = f
        .responded_share()
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default();
    vec![
        row(
            "day.fig.services",
            tr.f(
                "day.fig.services_v",
                &[("n", &f.services), ("h", &format_hours(f.minutes))],
            ),
        ),
        row(
            "day.fig.points",
            tr.f(
                "day.fig.points_v",
                &[("issued", &f.points_issued), ("spent", &f.points_spent)],
            ),
        ),
        row(
            "day.fig.requests",
            tr.f(
                "day.fig.requests_v",
                &[
                    ("n", &f.new_requests),
                    ("ok", &f.responded_in_time),
                    ("share", &share),
                ],
            ),
        ),
        row(
            "day.fig.disputes",
            tr.f(
                "day.fig.disputes_v",
                &[
                    ("opened", &f.disputes_opened),
                    ("decided", &f.disputes_decided),
                ],
            ),
        ),
        row(
            "day.fig.members",
            tr.f(
                "day.fig.members_v",
                &[
                    ("applied", &f.members_applied),
                    ("approved", &f.members_approved),
                ],
            ),
        ),
    ]
}

/// The close screen's top: figures and what is still open.
fn close_lines(app: &App, info: &DayInfo) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    if info.state.opened_at.is_none() {
        return vec![Line::from(Span::styled(
            tr.f("close.not_open", &[("day", &info.day)]),
            st.theme.style(Meaning::Warning),
        ))];
    }
    let figures = match &info.state.summary {
        Some((_, f)) if info.state.is_closed() => f,
        _ => &info.figures,
    };
    let mut out = Vec::new();
    if info.state.reopened_at.is_some() && !info.state.is_closed() {
        out.push(Line::from(Span::styled(
            tr.t("routine.reopened").to_string(),
            st.theme.style(Meaning::Warning),
        )));
    }
    out.extend(figure_lines(app, figures));
    out.extend(super::hub::day_activity_lines(app, &info.activities));
    if !info.carry.is_empty() {
        out.push(Line::from(Span::styled(
            tr.f(
                "routine.carry_counts",
                &[
                    ("req", &info.carrying(CarryKind::Request)),
                    ("corr", &info.carrying(CarryKind::Correction)),
                    ("apps", &info.carrying(CarryKind::Application)),
                ],
            ),
            st.theme.style(Meaning::Warning),
        )));
    }
    let (req, disp, apps, repl) = info.open_items;
    if req + disp + apps + repl > 0 {
        out.push(Line::from(Span::styled(
            tr.t("day.fig.open_items").to_string(),
            st.theme.style(Meaning::Title),
        )));
        for (k, n) in [
            ("day.fig.open_requests", req),
            ("day.fig.open_disputes", disp),
            ("day.fig.open_applications", apps),
            ("day.fig.open_replenish", repl),
        ] {
            if n > 0 {
                out.push(Line::from(Span::styled(
                    format!("  {}", tr.f(k, &[("n", &n)])),
                    st.theme.style(Meaning::Overdue),
                )));
            }
        }
    } else {
        out.push(Line::from(Span::styled(
            tr.t("day.fig.nothing_open").to_string(),
            st.theme.style(Meaning::Ok),
        )));
    }
    out
}

/// After closing: when, the summary version, where the backup and bundle are.
fn closed_lines(app: &App, info: &DayInfo, r: &Routine) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = app.state.tz();
    let label = st.theme.style(Meaning::Muted);
    let s = &info.state;
    let mut out = vec![Line::from("")];
    if let Some(at) = s.closed_at.filter(|_| s.is_closed()) {
        let version = s.summary.as_ref().map(|x| x.0).unwrap_or(1);
        out.push(Line::from(Span::styled(
            tr.f(
                "routine.closed_at",
                &[("at", &time::fmt_local(at, tz, "%H:%M")), ("v", &version)],
            ),
            st.theme.style(Meaning::Ok),
        )));
        let backup = r
            .closed
            .as_ref()
            .and_then(|c| c.backup.as_ref().map(|p| p.display().to_string()))
            .or(s.backup_path.clone());
        let bundle = r
            .closed
            .as_ref()
            .and_then(|c| c.bundle.as_ref().map(|p| p.display().to_string()))
            .or(s.bundle_path.clone());
        for (k, v) in [("routine.backup", backup), ("routine.bundle", bundle)] {
            out.push(Line::from(vec![
                Span::styled(format!("{} ", tr.t(k)), label),
                Span::raw(v.unwrap_or_else(|| "—".into())),
            ]));
        }
    }
    out
}

/// Right side: items to replenish, then carried-over requests; one selection
/// runs through both.
fn lists(frame: &mut Frame, area: Rect, app: &App, info: &DayInfo, r: &Routine) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = app.state.tz();
    let muted = st.theme.style(Meaning::Muted);
    let focused = r.form.is_none();
    let repl_h = (info.replenish.len() as u16 + 2).clamp(3, area.height / 3);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(repl_h), Constraint::Min(3)]).areas(area);

    let block = panel(
        &tr.f("routine.replenish", &[("n", &info.replenish.len())]),
        focused && r.sel < info.replenish.len(),
        &st.theme,
    );
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let rows = inner.height as usize;
    let mut lines = Vec::new();
    let start = window_start(r.sel.min(info.replenish.len()), info.replenish.len(), rows);
    for (i, item) in info.replenish.iter().enumerate().skip(start).take(rows) {
        let style = if focused && i == r.sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Warning)
        };
        lines.push(columns(&[
            (item.name(tr.lang).to_string(), 16, style),
            (tr.f("routine.missing", &[("n", &item.missing)]), 10, style),
            (item.day.clone(), 10, muted),
        ]));
    }
    if info.replenish.is_empty() {
        lines.push(Line::from(Span::styled(
            tr.t("routine.replenish_none"),
            muted,
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if r.kind == RoutineKind::Close {
        return carry_list(frame, bottom, app, info, r.carry_top);
    }

    let block = panel(
        &tr.f("routine.carried", &[("n", &info.carried.len())]),
        focused && r.sel >= info.replenish.len(),
        &st.theme,
    );
    let inner = block.inner(bottom);
    frame.render_widget(block, bottom);
    let w = inner.width as usize;
    let rows = inner.height as usize;
    let sel = r.sel.checked_sub(info.replenish.len());
    let start = window_start(sel.unwrap_or(0), info.carried.len(), rows);
    let mut lines = Vec::new();
    for (i, q) in info.carried.iter().enumerate().skip(start).take(rows) {
        let style = if focused && sel == Some(i) {
            st.theme.style(Meaning::Selected)
        } else if q.urgent {
            st.theme.style(Meaning::Urgent)
        } else {
            st.theme.style(Meaning::Text)
        };
        lines.push(columns(&[
            (time::fmt_local(q.created_at, tz, "%m-%d"), 5, muted),
            (tr.t(q.state.label_key()).to_string(), 6, style),
            (q.requester.clone(), 8, style),
            (q.what(tr), w.saturating_sub(22), style),
        ]));
    }
    if info.carried.is_empty() {
        lines.push(Line::from(Span::styled(
            tr.t("routine.carried_none"),
            muted,
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// F10's right side below the items: everything that carries over to
/// tomorrow, windowed from `top` (PgUp/PgDn), with a mark when more is
/// below.
fn carry_list(frame: &mut Frame, area: Rect, app: &App, info: &DayInfo, top: usize) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = app.state.tz();
    let muted = st.theme.style(Meaning::Muted);
    let block = panel(
        &tr.f("routine.carry", &[("n", &info.carry.len())]),
        false,
        &st.theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let rows = inner.height as usize;
    let start = top.min(info.carry.len().saturating_sub(rows.max(1)));
    let more = info.carry.len() > start + rows;
    // the last row says there is more rather than hiding it
    let shown = if more { rows.saturating_sub(1) } else { rows };
    // the kind column as wide as its longest word in this language
    let kind_w = [
        "routine.carry.request",
        "routine.carry.correction",
        "routine.carry.application",
    ]
    .iter()
    .map(|k| crate::text::width(tr.t(k)))
    .max()
    .unwrap_or(4);
    let mut lines: Vec<Line<'static>> = info
        .carry
        .iter()
        .skip(start)
        .take(shown)
        .map(|c| carry_line(app, c, (w, kind_w), tz))
        .collect();
    if more {
        lines.push(Line::from(Span::styled(
            format!(
                "↓ {} · {}",
                info.carry.len() - start - shown,
                tr.t("routine.carry_more")
            ),
            muted,
        )));
    }
    if info.carry.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("routine.carry_none"), muted)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn carry_line(
    app: &App,
    c: &CarryItem,
    (w, kind_w): (usize, usize),
    tz: chrono_tz::Tz,
) -> Line<'static> {
    let st = &app.state;
    let tr = &st.tr;
    let muted = st.theme.style(Meaning::Muted);
    let text = st.theme.style(Meaning::Text);
    let asked = || match &c.settles {
        Some(s) => s.words(tr, &c.who),
        None => c.what.clone(),
    };
    let (kind, what) = match c.kind {
        CarryKind::Request if c.amount > 0 => (
            tr.t("routine.carry.request"),
            format!(
                "{} {}",
                tr.f("queue.services_left", &[("n", &c.amount)]),
                asked()
            ),
        ),
        CarryKind::Request => (tr.t("routine.carry.request"), asked()),
        CarryKind::Correction => (
            tr.t("routine.carry.correction"),
            format!(
                "{} {}",
                tr.t(&c.what),
                tr.f("routine.carry.points", &[("n", &c.amount)])
            ),
        ),
        CarryKind::Application => (tr.t("routine.carry.application"), c.what.clone()),
    };
    columns(&[
        (time::fmt_local(c.since, tz, "%m-%d"), 5, muted),
        (kind.to_string(), kind_w, st.theme.style(Meaning::Warning)),
        (c.who.clone(), 8, text),
        (what, w.saturating_sub(16 + kind_w), text),
    ])
}
