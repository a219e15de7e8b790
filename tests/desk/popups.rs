//! Pop-ups keep their borders over Chinese labels: a wide character just
//! left of a pop-up (or straddling its right edge) must not cover a border
//! cell, or a terminal keeps painting the glyph over it. Every pop-up the
//! snapshots reach is drawn over the Chinese demo at 80 and 81 columns, so
//! the labels under its edges fall at both parities.

use super::snapshots::{Case, FORMS, OTHERS, demo_copy, demo_template, drive};
use crate::common;
use common::*;
use ratatui::buffer::Buffer;
use shiguang::harness::{Harness, T0, wide_char_problems};
use shiguang::i18n::Lang;

/// Box-drawing cells whose left neighbour is a wide glyph (it covers them),
/// and the number of vertical border cells looked at.
fn covered_borders(b: &Buffer) -> (Vec<String>, usize) {
    let w = b.area.width;
    let mut bad = Vec::new();
    let mut seen = 0;
    for y in 0..b.area.height {
        for x in 0..w {
            let sym = b[(x, y)].symbol();
            if !["│", "┌", "└", "┐", "┘"].contains(&sym) {
                continue;
            }
            seen += 1;
            if x > 0 && unicode_width::UnicodeWidthStr::width(b[(x - 1, y)].symbol()) > 1 {
                bad.push(format!("row {y} col {x}: {sym:?} under a wide glyph"));
            }
        }
    }
    (bad, seen)
}

fn check(h: &Harness, what: &str) {
    let buf = h.buffer();
    let (bad, seen) = covered_borders(&buf);
    let mut problems = wide_char_problems(&buf);
    problems.extend(bad);
    assert!(seen > 0, "{what}: no border drawn\n{}", h.text());
    assert!(problems.is_empty(), "{what}: {problems:?}\n{}", h.text());
}

#[test]
fn every_pop_up_keeps_its_borders_over_chinese_labels() {
    let db = temp_db();
    let template = demo_template(db.dir.path(), Lang::Zh);
    let cases: Vec<&Case> = FORMS.iter().chain(OTHERS).collect();
    for width in [80, 81] {
        for (name, keys) in &cases {
            let copy = demo_copy(&template);
            let mut h = Harness::demo(&copy.path, T0, Lang::Zh);
            h.resize(width, 24);
            drive(&mut h, keys);
            check(&h, &format!("{name} at {width}×24"));
        }
        // first-run setup's Esc, over the setup form
        let fresh = db.dir.path().join(format!("new-{width}.db"));
        let mut h = Harness::open(&fresh, T0, Lang::Zh);
        h.resize(width, 24);
        h.type_str("JS");
        h.press("esc");
        check(&h, &format!("setup Esc at {width}×24"));
    }
}
