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

/// Clear `area` for something drawn over the screen (a pop-up, a list of
/// suggestions). A wide character that starts one cell left of `area`, or
/// on its last column, covers a cell on the other side of the edge too: a
/// terminal keeps it painted over the pop-up's border, because the screen
/// diff never sends the cell a wide character covers. Such a character is
/// blanked: half a glyph cannot be shown, and the border must be.
pub fn clear_over(frame: &mut Frame, area: Rect) {
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    for y in area.top()..area.bottom() {
        if area.left() > buf.area.left() && text::width(buf[(area.left() - 1, y)].symbol()) > 1 {
            buf[(area.left() - 1, y)].set_symbol(" ");
        }
        let last = area.right() - 1;
        if last + 1 < buf.area.right() && text::width(buf[(last, y)].symbol()) > 1 {
            buf[(last + 1, y)].set_symbol(" ");
        }
    }
    frame.render_widget(Clear, area);
}

/// Clear `area` and draw a bordered popup there; returns its inner area.
pub fn popup(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    clear_over(frame, area);
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

    /// Chinese labels at both parities under a pop-up: whichever way they
    /// fall, no glyph straddles the pop-up's left or right edge.
    #[test]
    fn a_pop_up_blanks_wide_glyphs_across_its_edges() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let theme = Theme::builtin_default();
        for offset in [0u16, 1] {
            let mut t = Terminal::new(TestBackend::new(30, 6)).unwrap();
            t.draw(|f| {
                let buf = f.buffer_mut();
                for y in 0..6 {
                    buf.set_string(
                        offset,
                        y,
                        "驿站设置员工登记服务类型驿站",
                        ratatui::style::Style::default(),
                    );
                }
                popup(f, Rect::new(5, 1, 16, 4), "确认", &theme);
            })
            .unwrap();
            let buf = t.backend().buffer();
            for y in 1..5 {
                assert_eq!(
                    text::width(buf[(4, y)].symbol()),
                    1,
                    "left of the pop-up, row {y}"
                );
                let left = buf[(5, y)].symbol();
                assert!(
                    ["┌", "│", "└"].contains(&left),
                    "left border {left:?}, row {y}"
                );
                let right = buf[(20, y)].symbol();
                assert!(
                    ["┐", "│", "┘"].contains(&right),
                    "right border {right:?}, row {y}"
                );
                let beyond = buf[(21, y)].symbol();
                assert!(
                    beyond == " " || text::width(beyond) == 2,
                    "right of the pop-up {beyond:?}, row {y}"
                );
            }
            // rows the pop-up does not reach keep their text
            assert_ne!(buf[(offset + 4, 0)].symbol(), " ");
        }
    }
}
