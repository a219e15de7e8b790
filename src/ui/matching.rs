//! Pane 2: ranked helpers with the reason for each place, and the calls.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::matching::{MatchFormKind, MatchPane};
use crate::domain::time;
use crate::i18n::Tr;
use crate::store::queue::HelperRow;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The "why" of a helper's place: each factor in the ranking's order.
pub fn why(tr: &Tr, h: &HelperRow) -> String {
    let c = &h.candidate;
    let mut parts = vec![tr.t(c.level.label_key()).to_string()];
    if c.skill {
        parts.push(tr.t("why.skill").to_string());
    }
    if c.same_building {
        parts.push(tr.t("why.same_building").to_string());
    } else if c.same_community {
        parts.push(tr.t("why.same_community").to_string());
    }
    parts.push(match (c.positive * 100).checked_div(c.ratings) {
        Some(r) => tr.f("why.rate", &[("rate", &r)]),
        None => tr.t("why.no_ratings").to_string(),
    });
    parts.push(tr.f("why.load", &[("n", &c.services_30d)]));
    if c.declined_recently {
        parts.push(tr.t("why.declined").to_string());
    }
    parts.join(" · ")
}

/// Over 80 lines: the request, the helpers with their reasons, the calls
/// and the call form, drawn top to bottom in one place.
pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &MatchPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let muted = st.theme.style(Meaning::Muted);
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(5),
        Constraint::Length(6),
    ])
    .areas(area);
    // the title names the request, so a stale one cannot pass unseen
    let title = match &p.request {
        Some(r) => {
            let what = st
                .catalog
                .iter()
                .find(|t| t.id == r.type_id)
                .map(|t| t.name(tr.lang).to_string())
                .unwrap_or_default();
            tr.f(
                "match.request_for",
                &[("who", &r.requester), ("what", &what)],
            )
        }
        None => tr.t("match.request").to_string(),
    };
    let block = panel(&title, false, &st.theme);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let Some(r) = &p.request else {
        frame.render_widget(
            Paragraph::new(Span::styled(tr.t("match.pick_request"), muted)),
            inner,
        );
        return None;
    };
    let type_name = st
        .catalog
        .iter()
        .find(|t| t.id == r.type_id)
        .map(|t| t.name(tr.lang).to_string())
        .unwrap_or_default();
    let state = match (&r.helper, r.services) {
        (Some(h), _) => format!("{} → {h}", tr.t(r.state.label_key())),
        // a settlement: each match takes one of the services left
        (None, Some(sv)) => format!(
            "{} · {}",
            tr.t(r.state.label_key()),
            tr.f("queue.services_left", &[("n", &sv.left)])
        ),
        (None, None) => tr.t(r.state.label_key()).to_string(),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(
                    format!("{} {} ", r.requester_number, r.requester),
                    st.theme.style(Meaning::Title),
                ),
                Span::raw(format!(
                    "{type_name} · {} {}-{} · {}{} · {state}",
                    time::fmt_local(r.window_start, tz, "%m-%d"),
                    time::fmt_local(r.window_start, tz, "%H:%M"),
                    time::fmt_local(r.window_end, tz, "%H:%M"),
                    r.minutes,
                    tr.t("unit.min")
                )),
            ]),
            Line::from(format!("{} · {}", r.place, r.what(tr))),
        ]),
        inner,
    );
    let block = panel(
        &tr.f("match.helpers", &[("n", &p.helpers.len())]),
        p.form.is_none(),
        &st.theme,
    );
    let inner = block.inner(middle);
    frame.render_widget(block, middle);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if let Some((who, reason)) = &p.not_eligible {
        lines.push(Line::from(Span::styled(
            format!("{who}: {}", tr.msg(reason)),
            st.theme.style(Meaning::Warning),
        )));
    }
    let rows = (inner.height as usize).saturating_sub(lines.len());
    let start = window_start(p.sel, p.helpers.len(), rows);
    for (i, h) in p.helpers.iter().enumerate().skip(start).take(rows) {
        let base = if i == p.sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        lines.push(columns(&[
            (format!("{:>2}", i + 1), 2, base),
            (h.number.clone(), 9, base),
            (h.name.clone(), 8, base),
            (why(tr, h), w.saturating_sub(22), base),
        ]));
    }
    if p.helpers.is_empty() {
        lines.push(Line::from(Span::styled(
            if p.loading {
                tr.t("members.loading")
            } else {
                tr.t("match.none")
            },
            muted,
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let block = panel(tr.t("match.contacts"), false, &st.theme);
    let inner = block.inner(bottom);
    frame.render_widget(block, bottom);
    let lines: Vec<Line> = if p.contacts.is_empty() {
        vec![Line::from(Span::styled(tr.t("match.no_contacts"), muted))]
    } else {
        p.contacts
            .iter()
            .take(inner.height as usize)
            .map(|c| {
                Line::from(format!(
                    "{} {} {} {} {}",
                    time::fmt_local(c.at, tz, "%H:%M"),
                    c.helper,
                    tr.t(c.outcome.label_key()),
                    c.staff,
                    c.note.clone().unwrap_or_default()
                ))
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
    let of = p.form.as_ref()?;
    let MatchFormKind::Contact { helper } = of.kind;
    let title = tr.f("match.call_title", &[("who", &app.member_label(helper))]);
    let rect = centered(area, 72, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, &title, &of.form, tr, &st.theme)
}
