//! Drawing a [`Form`]: one line per field — label, value, and the message
//! for that field right beside it. The focused text field places the real
//! cursor (the IME draws its composition there).

use super::theme::{Meaning, Theme};
use crate::app::form::{Field, FieldKind, Form, Label};
use crate::i18n::Tr;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn label_text(tr: &Tr, l: &Label) -> String {
    match l {
        Label::Key(k) => tr.t(k).to_string(),
        Label::Text(s) => s.clone(),
    }
}

/// Cells the value box of a field takes.
fn box_width(field: &Field, avail: usize) -> usize {
    let want = match &field.kind {
        FieldKind::Text { max_chars } => (max_chars * 2).clamp(6, 40) + 1,
        FieldKind::Secret { max_chars } => (*max_chars).clamp(6, 40) + 1,
        FieldKind::Choice { .. } => 24,
        FieldKind::Toggle { .. } => 3,
        FieldKind::Member { .. } => 30,
        FieldKind::Multi { .. } => 60,
    };
    want.min(avail)
}

/// Draw `form` into `area`; returns where the cursor belongs, if anywhere.
///
/// Over 80 lines: one pass over the form's lines, each kind of field (text, choice,
/// ticks, shown) drawn where the one before ended, with the cursor and scroll marks kept
/// in step; split, every part would carry the row, width and cursor.
pub fn render_form(
    frame: &mut Frame,
    area: Rect,
    form: &Form,
    tr: &Tr,
    theme: &Theme,
) -> Option<Position> {
    if area.height == 0 || area.width < 10 {
        return None;
    }
    let visible: Vec<(usize, &Field)> = form
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.visible)
        .collect();
    let label_w = visible
        .iter()
        .map(|(_, f)| text::width(tr.t(f.label)))
        .max()
        .unwrap_or(0)
        .min(area.width as usize / 3)
        + 1;
    // the last line is for the focused field's full message
    let rows = area.height.saturating_sub(1) as usize;
    let focus_pos = visible
        .iter()
        .position(|(i, _)| *i == form.focus)
        .unwrap_or(0);
    let start = if visible.len() <= rows {
        0
    } else {
        focus_pos
            .saturating_sub(rows.saturating_sub(1) / 2)
            .min(visible.len() - rows)
    };
    let mut cursor = None;
    for (row, (i, field)) in visible
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(r, x)| (r - start, x))
    {
        let y = area.y + row as u16;
        let focused = *i == form.focus;
        let label_style = if focused {
            theme.style(Meaning::Focus)
        } else {
            theme.style(Meaning::Text)
        };
        let mut spans = vec![
            Span::styled(text::pad_left(tr.t(field.label), label_w), label_style),
            Span::raw(" "),
        ];
        let avail = (area.width as usize).saturating_sub(label_w + 1);
        let bw = box_width(field, avail);
        let input_style = if focused {
            theme.style(Meaning::Selected)
        } else {
            theme.style(Meaning::Input)
        };
        match &field.kind {
            FieldKind::Text { .. } | FieldKind::Secret { .. } | FieldKind::Member { .. } => {
                let inner = bw.saturating_sub(1);
                let shown: String = if matches!(field.kind, FieldKind::Secret { .. }) {
                    "*".repeat(field.input.value().chars().count())
                } else {
                    field.input.value().to_string()
                };
                let scroll = field.input.visual_scroll(inner);
                let tail = skip_cells(&shown, scroll);
                spans.push(Span::styled(text::pad_right(&tail, bw), input_style));
                if focused {
                    let cx = area.x as usize
                        + label_w
                        + 1
                        + field.input.visual_cursor().saturating_sub(scroll);
                    cursor = Some(Position::new(
                        cx.min((area.x + area.width - 1) as usize) as u16,
                        y,
                    ));
                }
            }
            FieldKind::Choice { options, selected } => {
                let l = options
                    .get(*selected)
                    .map(|c| label_text(tr, &c.label))
                    .unwrap_or_default();
                // one option is a line to read (a number to dial), not a choice
                let s = if options.len() == 1 {
                    text::truncate(&l, bw)
                } else {
                    format!("< {} >", text::truncate(&l, bw.saturating_sub(4)))
                };
                spans.push(Span::styled(text::pad_right(&s, bw), input_style));
            }
            FieldKind::Toggle { on } => {
                spans.push(Span::styled(if *on { "[x]" } else { "[ ]" }, input_style));
            }
            FieldKind::Multi {
                options,
                on,
                cursor,
            } => {
                // a cell each side for "<" / ">" (ASCII: one cell in every locale):
                // ticks scrolled out of sight are marked, not silently hidden
                let room = bw.saturating_sub(2);
                let start = multi_start(options, *cursor, room, tr);
                let mark = theme.style(Meaning::Muted);
                spans.push(Span::styled(if start > 0 { "<" } else { " " }, mark));
                let mut used = 1;
                let mut more = false;
                for (i, (c, o)) in options.iter().zip(on).enumerate().skip(start) {
                    let item = format!(
                        "[{}]{}",
                        if *o { "x" } else { " " },
                        label_text(tr, &c.label)
                    );
                    let w = text::width(&item) + 1;
                    if used + w > room + 1 {
                        more = true;
                        break;
                    }
                    let st = if focused && i == *cursor {
                        theme.style(Meaning::Selected)
                    } else {
                        theme.style(Meaning::Input)
                    };
                    spans.push(Span::styled(item, st));
                    spans.push(Span::raw(" "));
                    used += w;
                }
                spans.push(Span::raw(" ".repeat((room + 1).saturating_sub(used))));
                spans.push(Span::styled(if more { ">" } else { " " }, mark));
            }
        }
        // a choice or a tick shows the terminal's cursor too, at its box:
        // on a form that opens there, the cursor is the only sign of where
        // typing and ←/→ go in a terminal without colours
        if focused && cursor.is_none() && !field.takes_text() {
            let cx = area.x as usize + label_w + 1;
            cursor = Some(Position::new(
                cx.min((area.x + area.width - 1) as usize) as u16,
                y,
            ));
        }
        let used = label_w + 1 + bw;
        let room = (area.width as usize).saturating_sub(used + 1);
        if room > 2 {
            if let Some(err) = &field.error {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    text::truncate(&format!("! {}", tr.msg(err)), room),
                    theme.style(Meaning::Error),
                ));
            } else if let (true, Some(h)) = (focused, field.hint) {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    text::truncate(tr.t(h), room),
                    theme.style(Meaning::Muted),
                ));
            }
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect::new(area.x, y, area.width, 1),
        );
    }
    if !form.suggest.is_empty()
        && let Some(row) = visible
            .iter()
            .skip(start)
            .take(rows)
            .position(|(i, _)| *i == form.focus)
    {
        let x = area.x + label_w as u16 + 1;
        let w = (area.width.saturating_sub(label_w as u16 + 1)).min(40);
        let n = form.suggest.len().min(6) as u16;
        let below = area.y + row as u16 + 1;
        let y = if below + n <= area.y + area.height {
            below
        } else {
            (area.y + row as u16).saturating_sub(n)
        };
        let rect = Rect::new(x, y, w, n);
        super::widgets::clear_over(frame, rect);
        for (i, p) in form.suggest.iter().take(n as usize).enumerate() {
            let st = if i == form.suggest_sel {
                theme.style(Meaning::Selected)
            } else {
                theme.style(Meaning::Accent)
            };
            frame.render_widget(
                Paragraph::new(Span::styled(text::pad_right(&p.label, w as usize), st)),
                Rect::new(x, y + i as u16, w, 1),
            );
        }
    }
    // the bottom line: the form's own message, else the focused field's in full
    let bottom = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    let line = if let Some(e) = &form.error {
        Some(Span::styled(
            text::truncate(&tr.msg(e), area.width as usize),
            theme.style(Meaning::Error),
        ))
    } else if form.busy.is_some() {
        Some(Span::styled(
            tr.t("form.saving").to_string(),
            theme.style(Meaning::Muted),
        ))
    } else {
        form.fields
            .get(form.focus)
            .and_then(|f| f.error.as_ref())
            .map(|e| {
                Span::styled(
                    text::truncate(&tr.msg(e), area.width as usize),
                    theme.style(Meaning::Error),
                )
            })
    };
    if let Some(span) = line {
        frame.render_widget(Paragraph::new(Line::from(span)), bottom);
    }
    cursor
}

/// The first option to draw so that the cursor's option is on screen.
fn multi_start(
    options: &[crate::app::form::Choice],
    cursor: usize,
    width: usize,
    tr: &Tr,
) -> usize {
    let mut start = 0;
    loop {
        let used: usize = options[start..=cursor.min(options.len().saturating_sub(1))]
            .iter()
            .map(|c| text::width(&label_text(tr, &c.label)) + 4)
            .sum();
        if used <= width || start >= cursor {
            return start;
        }
        start += 1;
    }
}

/// Drop the first `cells` cells of `s` (whole characters only).
fn skip_cells(s: &str, cells: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in s.chars() {
        if used >= cells {
            out.push(c);
        } else {
            used += text::width(c.encode_utf8(&mut [0; 4]));
        }
    }
    out
}

/// Lines a form needs: one per visible field and one for the message.
pub fn form_height(form: &Form) -> u16 {
    form.fields.iter().filter(|f| f.visible).count() as u16 + 1
}

/// A form in a popup at `rect` (cleared, bordered, titled), one cell in
/// from the sides; returns where the cursor goes.
pub fn form_popup(
    frame: &mut Frame,
    rect: Rect,
    title: &str,
    form: &Form,
    tr: &Tr,
    theme: &Theme,
) -> Option<Position> {
    let inner = super::widgets::popup(frame, rect, title, theme);
    let area = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    render_form(frame, area, form, tr, theme)
}
