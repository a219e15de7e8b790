//! Pop-ups keep their borders over Chinese labels: a wide character just
//! left of a pop-up (or straddling its right edge) must not cover a border
//! cell, or a terminal keeps painting the glyph over it. Every pop-up the
//! snapshots reach is drawn over the Chinese demo at 80 and 82 columns (a
//! centred pop-up moves by one cell, the labels under it do not), so
//! the labels under its edges fall at both parities.

use super::snapshots::{Case, FORMS, OTHERS, demo_copy, demo_template, drawn_and_shown, drive};
use crate::common;
use common::*;
use ratatui::buffer::Buffer;
use shiguang::harness::{Harness, T0, wide_char_problems};
use shiguang::i18n::Lang;

/// Cells drawn but not shown: the screen diff never sends a cell that a
/// wide character to its left covers, so a border drawn there stays
/// hidden on a terminal (and in the test backend, which applies the same
/// diff). Returns the problems and the number of border cells looked at.
fn hidden_cells(drawn: &Buffer, shown: &Buffer) -> (Vec<String>, usize) {
    let mut bad = Vec::new();
    let mut borders = 0;
    for y in 0..drawn.area.height {
        let mut covered = 0;
        for x in 0..drawn.area.width {
            let sym = drawn[(x, y)].symbol();
            if ["│", "┌", "└", "┐", "┘"].contains(&sym) {
                borders += 1;
            }
            if covered == 0 && sym != shown[(x, y)].symbol() {
                bad.push(format!(
                    "row {y} col {x}: {sym:?} drawn, {:?} shown",
                    shown[(x, y)].symbol()
                ));
            }
            covered = covered
                .max(unicode_width::UnicodeWidthStr::width(sym))
                .saturating_sub(1);
        }
    }
    (bad, borders)
}

fn check(h: &Harness, what: &str) {
    let (drawn, shown) = drawn_and_shown(h);
    let (mut problems, borders) = hidden_cells(&drawn, &shown);
    // a border drawn under a wide glyph: the glyph stays on the terminal
    problems.extend(wide_char_problems(&drawn));
    assert!(borders > 0, "{what}: no border drawn\n{}", h.text());
    assert!(problems.is_empty(), "{what}: {problems:?}\n{}", h.text());
}

#[test]
fn every_pop_up_keeps_its_borders_over_chinese_labels() {
    let db = temp_db();
    let template = demo_template(db.dir.path(), Lang::Zh);
    let cases: Vec<&Case> = FORMS.iter().chain(OTHERS).collect();
    for width in [80, 82] {
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
