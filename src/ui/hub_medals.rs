//! The hub's medals view: the proposals of the month's warm neighbours and
//! the year's honest merchants, the selected one's figures, and the year's
//! stories (the story wall and the thank-you letters).

use super::theme::Meaning;
use super::widgets::{columns, panel, window_start};
use crate::app::App;
use crate::app::panes::hub::medals::{MedalsView, Section, figures_text};
use crate::domain::time;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(frame: &mut Frame, area: Rect, app: &App, v: &MedalsView, focused: bool) {
    let st = &app.state;
    let tr = &st.tr;
    let title = Section::ALL
        .iter()
        .map(|s| {
            if *s == v.section {
                format!("[{}]", tr.t(s.label_key()))
            } else {
                tr.t(s.label_key()).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    if v.section == Section::Stories {
        let block = panel(&format!("{title} {}", v.year), focused, &st.theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        stories(frame, inner, app, v);
        return;
    }
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
    let block = panel(&title, focused, &st.theme);
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let muted = st.theme.style(Meaning::Muted);
    let shown = v.shown();
    let w = inner.width as usize;
    let mut lines = Vec::new();
    match shown.first() {
        Some(p) => lines.push(Line::from(Span::styled(
            tr.f("medal.proposed_for", &[("period", &p.period)]),
            muted,
        ))),
        None => lines.push(Line::from(Span::styled(tr.t("medal.none_proposed"), muted))),
    }
    let rows = (inner.height as usize).saturating_sub(1);
    let start = window_start(v.sel, shown.len(), rows);
    for (i, p) in shown.iter().enumerate().skip(start).take(rows) {
        let style = if i == v.sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        let mark = if p.awarded {
            tr.t("medal.awarded_mark").to_string()
        } else {
            String::new()
        };
        lines.push(columns(&[
            (format!("{}", i + 1), 2, style),
            (p.holder.code.clone(), 10, style),
            (p.holder.name.clone(), 8, style),
            (mark, 6, style),
            (figures_text(tr, &p.figures), w.saturating_sub(30), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let block = panel(tr.t("medal.rule_title"), false, &st.theme);
    let inner = block.inner(detail_area);
    frame.render_widget(block, detail_area);
    let rule = match v.section {
        Section::Neighbours => tr.t("medal.rule.neighbour"),
        Section::Merchants | Section::Stories => tr.t("medal.rule.merchant"),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(rule.to_string()),
            Line::from(Span::styled(tr.t("medal.award_hint"), muted)),
        ])
        .wrap(Wrap { trim: true }),
        inner,
    );
}

fn stories(frame: &mut Frame, area: Rect, app: &App, v: &MedalsView) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let muted = st.theme.style(Meaning::Muted);
    let text = st.theme.style(Meaning::Text);
    let Some(s) = &v.stories else {
        return;
    };
    // the story wall and the letters, in the order they were written
    let mut all: Vec<(i64, Line)> = Vec::new();
    for (day, story) in &s.days {
        all.push((
            time::day_start(*day, tz),
            columns(&[
                (day.format("%m-%d").to_string(), 5, muted),
                (
                    tr.t("stories.day_mark").to_string(),
                    6,
                    st.theme.style(Meaning::Title),
                ),
                (
                    story.clone(),
                    (area.width as usize).saturating_sub(13),
                    text,
                ),
            ]),
        ));
    }
    for (at, who, letter) in &s.letters {
        all.push((
            *at,
            columns(&[
                (time::fmt_local(*at, tz, "%m-%d"), 5, muted),
                (
                    tr.t("stories.letter_mark").to_string(),
                    6,
                    st.theme.style(Meaning::Ok),
                ),
                (
                    tr.f("stories.letter", &[("who", who), ("text", letter)]),
                    (area.width as usize).saturating_sub(13),
                    text,
                ),
            ]),
        ));
    }
    all.sort_by_key(|(at, _)| *at);
    let mut lines = vec![Line::from(Span::styled(
        tr.f(
            "stories.counts",
            &[
                ("days", &s.days.len()),
                ("letters", &s.letters.len()),
                ("medals", &s.medals.len()),
            ],
        ),
        muted,
    ))];
    if all.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("stories.none"), muted)));
    }
    let rows = (area.height as usize).saturating_sub(1);
    let start = window_start(v.sel, all.len(), rows);
    for (i, (_, l)) in all.into_iter().enumerate().skip(start).take(rows) {
        lines.push(if i == v.sel {
            l.style(st.theme.style(Meaning::Selected))
        } else {
            l
        });
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A holder's medals on one line (member and merchant detail), if any:
/// "荣誉 月度暖心邻居 2026-10 · …".
pub fn medal_line(app: &App, medals: &[crate::store::medals::MedalRow]) -> Option<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    if medals.is_empty() {
        return None;
    }
    let list = medals
        .iter()
        .map(|m| format!("{} {}", tr.t(m.kind.label_key()), m.period))
        .collect::<Vec<_>>()
        .join(" · ");
    Some(Line::from(vec![
        Span::styled(
            format!("{} ", tr.t("medal.held")),
            st.theme.style(Meaning::Muted),
        ),
        Span::styled(list, st.theme.style(Meaning::Ok)),
    ]))
}
