//! The screens before the desk: first-run setup, sign-in, and the idle lock.

use super::form::{form_height, render_form};
use super::theme::Meaning;
use super::widgets::{centered, panel};
use crate::app::form::Form;
use crate::app::state::{AppState, SetupScreen, SignInScreen};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

pub fn setup(frame: &mut Frame, area: Rect, st: &AppState, s: &SetupScreen) -> Option<Position> {
    let tr = &st.tr;
    let h = form_height(&s.form) + 6;
    let rect = centered(area, 76, h);
    let block = panel(tr.t("setup.title"), true, &st.theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    intro_over_form(
        frame,
        inner,
        Line::from(tr.t("setup.intro")),
        3,
        st,
        &s.form,
    )
}

/// A screen's intro (muted, wrapped to `intro_h` lines) over its form.
fn intro_over_form(
    frame: &mut Frame,
    inner: Rect,
    intro: Line<'_>,
    intro_h: u16,
    st: &AppState,
    form: &Form,
) -> Option<Position> {
    let intro_area = Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), intro_h);
    frame.render_widget(
        Paragraph::new(crate::text::wrap(intro, intro_area.width))
            .style(st.theme.style(Meaning::Muted)),
        intro_area,
    );
    let form_area = Rect::new(
        inner.x + 1,
        inner.y + 3,
        inner.width.saturating_sub(2),
        inner.height.saturating_sub(3),
    );
    render_form(frame, form_area, form, &st.tr, &st.theme)
}

pub fn signin(frame: &mut Frame, area: Rect, st: &AppState, s: &SignInScreen) -> Option<Position> {
    let tr = &st.tr;
    let rect = centered(area, 56, form_height(&s.form) + 6);
    let title = if s.locked_for.is_some() {
        tr.t("lock.title")
    } else {
        tr.t("signin.title")
    };
    let block = panel(title, true, &st.theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let station = st
        .station
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let intro = match &s.locked_for {
        Some(who) => tr.f("lock.intro", &[("name", &who.name)]),
        None => tr.f("signin.intro", &[("station", &station)]),
    };
    intro_over_form(frame, inner, Line::from(intro), 2, st, &s.form)
}
