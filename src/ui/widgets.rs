//! Small shared pieces: bordered panels, centred popups, windowed lists.

use super::theme::{Meaning, Theme};
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

/// A bordered block with a title, its border brighter when focused.
pub fn panel<'a>(title: &str, focused: bool, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(if focused {
            Meaning::BorderFocus
        } else {
            Meaning::Border
        }))
        .title(Span::styled(
            format!(" {title} "),
            theme.style(Meaning::Title),
        ))
        .style(theme.style(Meaning::Text))
}

/// A rectangle of `w`×`h` cells centred in `area` (clamped to it).
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Clear `area` and draw a bordered popup there; returns its inner area.
pub fn popup(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    let block = panel(title, true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The first row to show so that `selected` stays visible in `rows` lines.
pub fn window_start(selected: usize, len: usize, rows: usize) -> usize {
    if rows == 0 || len <= rows {
        return 0;
    }
    selected.saturating_sub(rows / 2).min(len - rows)
}

/// A line of fixed-width columns; each cell is padded/truncated to its width.
pub fn columns<'a>(cells: &[(String, usize, ratatui::style::Style)]) -> Line<'a> {
    let mut spans = Vec::with_capacity(cells.len() * 2);
    for (i, (s, w, style)) in cells.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(text::pad_right(s, *w), *style));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_keep_the_selection_visible() {
        assert_eq!(window_start(0, 100, 10), 0);
        assert_eq!(window_start(50, 100, 10), 45);
        assert_eq!(window_start(99, 100, 10), 90);
        assert_eq!(window_start(3, 5, 10), 0);
    }
}
