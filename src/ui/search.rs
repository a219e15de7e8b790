//! The member search overlay: a query line and ranked results with the
//! matched characters highlighted.

use super::theme::Meaning;
use super::widgets::{centered, popup};
use crate::app::App;
use crate::app::overlays::search::SearchBox;
use crate::app::state::AppState;
use crate::domain::search::{Hit, MatchField};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Spans of `s` padded to `width`, with the characters at `marks` in `hi`.
pub fn marked(
    s: &str,
    marks: &[usize],
    width: usize,
    base: Style,
    hi: Style,
) -> Vec<Span<'static>> {
    let cut = text::truncate(s, width);
    let mut spans = Vec::new();
    for (i, c) in cut.chars().enumerate() {
        let st = if marks.contains(&i) { hi } else { base };
        spans.push(Span::styled(c.to_string(), st));
    }
    spans.push(Span::styled(
        " ".repeat(width.saturating_sub(text::width(&cut))),
        base,
    ));
    spans
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, b: &SearchBox) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let rect = centered(area, 76, area.height.saturating_sub(2).min(22));
    let inner = popup(frame, rect, tr.t("search.title"), &st.theme);
    let prompt = format!("{} ", tr.t("search.prompt"));
    let pw = text::width(&prompt) as u16;
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, st.theme.style(Meaning::Title)),
            Span::styled(b.input.value().to_string(), st.theme.style(Meaning::Input)),
        ])),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let cursor = Position::new(inner.x + pw + b.input.visual_cursor() as u16, inner.y);
    let rows = inner.height.saturating_sub(3) as usize;
    let start = super::widgets::window_start(b.sel, b.hits.len(), rows);
    let mut lines = Vec::new();
    let hint = if !st.index_loaded {
        tr.t("search.loading").to_string()
    } else if b.input.value().trim().is_empty() {
        tr.t("search.hint").to_string()
    } else if b.hits.is_empty() {
        tr.t("search.none").to_string()
    } else {
        tr.f("search.count", &[("n", &b.hits.len())])
    };
    lines.push(Line::from(Span::styled(
        hint,
        st.theme.style(Meaning::Muted),
    )));
    for (i, h) in b.hits.iter().enumerate().skip(start).take(rows) {
        lines.push(hit_line(st, h, i == b.sel, inner.width as usize));
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(
            inner.x,
            inner.y + 1,
            inner.width,
            inner.height.saturating_sub(1),
        ),
    );
    Some(cursor)
}

/// One member found: number (or status), name, level, phone tail and
/// building, the matched characters marked.
fn hit_line(st: &AppState, h: &Hit, sel: bool, width: usize) -> Line<'static> {
    let tr = &st.tr;
    let e = st.index.entry(h.index);
    let base = if sel {
        st.theme.style(Meaning::Selected)
    } else {
        st.theme.style(Meaning::Text)
    };
    let hi = if sel {
        base
    } else {
        st.theme.style(Meaning::Highlight)
    };
    let pos = |f: MatchField| {
        if h.field == f {
            h.positions.as_slice()
        } else {
            &[]
        }
    };
    let mut spans = Vec::new();
    let number = if e.number.is_empty() {
        tr.t(e.status.label_key()).to_string()
    } else {
        e.number.clone()
    };
    spans.extend(marked(&number, pos(MatchField::Number), 11, base, hi));
    spans.push(Span::styled(" ", base));
    spans.extend(marked(&e.name, pos(MatchField::Name), 10, base, hi));
    spans.push(Span::styled(" ", base));
    spans.push(Span::styled(
        text::pad_right(tr.t(e.level.label_key()), 5),
        base,
    ));
    spans.extend(marked(
        &format!("…{}", e.phone_tail),
        &pos(MatchField::Phone)
            .iter()
            .map(|p| p + 1)
            .collect::<Vec<_>>(),
        7,
        base,
        hi,
    ));
    spans.push(Span::styled(" ", base));
    let rest = width.saturating_sub(11 + 1 + 10 + 1 + 5 + 7 + 1);
    spans.extend(marked(
        &e.building,
        pos(MatchField::Building),
        rest,
        base,
        hi,
    ));
    Line::from(spans)
}
