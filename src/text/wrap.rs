//! Word wrap that never makes a line wider than asked. ratatui's own wrap
//! can emit a line one cell too wide when a wide character does not fit
//! (ratatui#2679), covering a border; every wrapped paragraph that can hold
//! Chinese is wrapped here and drawn without ratatui's wrap.

use super::{char_width, width};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};

/// `text` broken into lines of at most `cells` cells. Latin words move
/// whole to the next line (a word longer than a line is cut), Han text
/// breaks between any two characters, the spaces a line breaks at are
/// dropped. Each line keeps its style and alignment, each piece its span's
/// style. A wide character cannot be drawn in one cell: at `cells` 1 it is
/// left out.
pub fn wrap<'a>(text: impl Into<Text<'a>>, cells: u16) -> Text<'static> {
    let text = text.into();
    let cells = usize::from(cells);
    let mut out = Text::default().style(text.style);
    out.alignment = text.alignment;
    for line in &text.lines {
        out.lines.extend(wrap_line(line, cells));
    }
    out
}

type Cell = (char, Style);

fn wrap_line(line: &Line<'_>, cells: usize) -> Vec<Line<'static>> {
    let chars: Vec<Cell> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .filter(|(c, _)| !c.is_control())
        .collect();
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut cur: Vec<Cell> = Vec::new();
    for (c, style) in chars {
        let w = char_width(c);
        if w > cells {
            continue;
        }
        if used(&cur) + w > cells {
            if c.is_whitespace() {
                rows.push(trim_end(std::mem::take(&mut cur)));
                continue;
            }
            let rest = match last_break(&cur, c) {
                Some(at) => cur.split_off(at),
                None => Vec::new(),
            };
            rows.push(trim_end(std::mem::take(&mut cur)));
            cur = rest
                .into_iter()
                .skip_while(|(c, _)| c.is_whitespace())
                .collect();
        }
        if cur.is_empty() && c.is_whitespace() && !rows.is_empty() {
            continue;
        }
        cur.push((c, style));
    }
    rows.push(cur);
    settle_zero_width(&mut rows, cells);
    rows.into_iter()
        .map(|row| {
            let mut l = Line::from(spans(row)).style(line.style);
            l.alignment = line.alignment;
            l
        })
        .collect()
}

fn text_of(row: &[Cell]) -> String {
    row.iter().map(|(c, _)| *c).collect()
}

fn used(row: &[Cell]) -> usize {
    width(&text_of(row))
}

/// Where the row may be broken last, leaving something on it, when `next`
/// does not fit after it: after a space, or before or after a wide
/// character, but never before closing punctuation (a line does not begin
/// with "，" or "。").
fn last_break(row: &[Cell], next: char) -> Option<usize> {
    (1..=row.len()).rev().find(|&i| {
        let (before, after) = (row[i - 1].0, row.get(i).map_or(next, |x| x.0));
        !CLOSING.contains(after)
            && (before.is_whitespace() || char_width(before) > 1 || char_width(after) > 1)
    })
}

/// Punctuation that closes what stands before it.
const CLOSING: &str = "，。、；：！？）》」』】,.;:!?)";

fn trim_end(mut row: Vec<Cell>) -> Vec<Cell> {
    while row.last().is_some_and(|(c, _)| c.is_whitespace()) {
        row.pop();
    }
    row
}

/// A zero-width character can widen what it follows (U+FE0F makes `0` a
/// two-cell emoji): a row the string's own width finds too wide gives its
/// last characters to the next row.
fn settle_zero_width(rows: &mut Vec<Vec<Cell>>, cells: usize) {
    let mut i = 0;
    while i < rows.len() {
        let mut moved = Vec::new();
        while used(&rows[i]) > cells {
            match rows[i].pop() {
                Some(c) => moved.insert(0, c),
                None => break,
            }
        }
        if !moved.is_empty() {
            match rows.get_mut(i + 1) {
                Some(next) => {
                    moved.append(next);
                    *next = moved;
                }
                None => rows.push(moved),
            }
        }
        i += 1;
    }
}

fn spans(row: Vec<Cell>) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    for (c, style) in row {
        match out.last_mut() {
            Some(s) if s.style == style => s.content.to_mut().push(c),
            Some(_) | None => out.push(Span::styled(c.to_string(), style)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Stylize};

    fn plain(t: &Text<'_>) -> Vec<String> {
        t.lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn han_text_breaks_anywhere_and_latin_at_spaces() {
        assert_eq!(
            plain(&wrap("张奶奶学会了视频通话", 7)),
            ["张奶奶", "学会了", "视频通", "话"]
        );
        assert_eq!(
            plain(&wrap("the day's story here", 10)),
            ["the day's", "story here"]
        );
        assert_eq!(plain(&wrap("abcdefghij", 4)), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_wide_character_that_does_not_fit_goes_to_the_next_line() {
        // ratatui#2679: "ab" then 陪 at width 3 drew four cells
        assert_eq!(plain(&wrap("ab陪聊", 3)), ["ab", "陪", "聊"]);
        assert_eq!(plain(&wrap("陪聊", 1)), [""]);
    }

    #[test]
    fn no_line_begins_with_closing_punctuation() {
        assert_eq!(plain(&wrap("不足50时；评分", 9)), ["不足50", "时；评分"]);
    }

    #[test]
    fn styles_lines_and_empty_lines_are_kept() {
        let t = Text::from(vec![
            Line::from(vec!["状态:".red(), "已解决 resolved".into()]),
            Line::from(""),
        ]);
        let w = wrap(t, 8);
        assert_eq!(plain(&w), ["状态:已", "解决", "resolved", ""]);
        assert_eq!(w.lines[0].spans[0].style.fg, Some(Color::Red));
        assert_eq!(w.lines[0].spans[1].style.fg, None);
    }

    proptest! {
        #[test]
        fn no_line_is_wider_than_asked_and_nothing_drawable_is_lost(
            s in "[a-z 张奶学会了视频通话,。:0-9\u{FE0F}]{0,60}",
            cells in 2u16..30,
        ) {
            let t = wrap(s.as_str(), cells);
            for l in plain(&t) {
                prop_assert!(width(&l) <= usize::from(cells), "{l:?} wider than {cells}");
            }
            let kept: String = plain(&t).concat().chars().filter(|c| !c.is_whitespace()).collect();
            let given: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(kept, given);
        }
    }
}
