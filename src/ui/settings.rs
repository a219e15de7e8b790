//! Pane 9: staff and station settings.

use super::form::render_form;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, popup, window_start};
use crate::app::App;
use crate::app::settings::{ITEMS, Section, SettingsFormKind, SettingsPane, setting_value};
use crate::domain::time;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &SettingsPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let [left, catalog_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(9)]).areas(left);
    catalog(frame, catalog_area, app, p);

    // staff
    let block = panel(
        tr.t("settings.staff"),
        p.section == Section::Staff,
        &st.theme,
    );
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let widths = [5usize, 12, 8, 18];
    let head = columns(&[
        (
            tr.t("staff.no").to_string(),
            widths[0],
            st.theme.style(Meaning::Muted),
        ),
        (
            tr.t("staff.name").to_string(),
            widths[1],
            st.theme.style(Meaning::Muted),
        ),
        (
            tr.t("staff.role").to_string(),
            widths[2],
            st.theme.style(Meaning::Muted),
        ),
        (
            tr.t("staff.state").to_string(),
            widths[3],
            st.theme.style(Meaning::Muted),
        ),
    ]);
    let mut lines = vec![head];
    let rows = inner.height.saturating_sub(1) as usize;
    let start = window_start(p.staff_sel, p.staff.len(), rows);
    let tz = st
        .station
        .as_ref()
        .map(|s| s.tz)
        .unwrap_or(chrono_tz::Asia::Shanghai);
    for (i, s) in p.staff.iter().enumerate().skip(start).take(rows) {
        let state = if !s.active {
            (
                tr.t("staff.inactive").to_string(),
                st.theme.style(Meaning::Muted),
            )
        } else if let Some(until) = s.locked_until.filter(|u| *u > st.now) {
            (
                tr.f(
                    "staff.locked_until",
                    &[("time", &time::fmt_local(until, tz, "%H:%M"))],
                ),
                st.theme.style(Meaning::Warning),
            )
        } else {
            (
                tr.t("staff.active").to_string(),
                st.theme.style(Meaning::Ok),
            )
        };
        let selected = i == p.staff_sel && p.section == Section::Staff;
        let base = if selected {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        let mut line = columns(&[
            (s.staff_no.clone(), widths[0], base),
            (s.name.clone(), widths[1], base),
            (tr.t(s.role.label_key()).to_string(), widths[2], base),
            (state.0, widths[3], if selected { base } else { state.1 }),
        ]);
        if selected {
            line = line.style(base);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);

    // settings
    let block = panel(
        tr.t("settings.station"),
        p.section == Section::Station,
        &st.theme,
    );
    let inner = block.inner(right);
    frame.render_widget(block, right);
    let label_w = ITEMS
        .iter()
        .map(|i| text::width(tr.t(i.label)))
        .max()
        .unwrap_or(10)
        .min(inner.width as usize / 2);
    let mut lines = Vec::new();
    for (i, item) in ITEMS.iter().enumerate() {
        let selected = i == p.item_sel && p.section == Section::Station;
        let style = if selected {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        let mut value = setting_value(&st.settings, item.key);
        if item.key == "language" {
            value = tr
                .t(if value == "en" { "lang.en" } else { "lang.zh" })
                .to_string();
        }
        lines.push(Line::from(vec![
            Span::styled(text::pad_right(tr.t(item.label), label_w), style),
            Span::styled(" ", style),
            Span::styled(
                text::pad_right(&value, (inner.width as usize).saturating_sub(label_w + 1)),
                style,
            ),
        ]));
    }
    if !st.session().is_some_and(|s| s.is_master()) {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            tr.t("settings.view_only"),
            st.theme.style(Meaning::Muted),
        )));
    }
    if let Some(station) = &st.station {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(
                "{} {} · {}",
                tr.t("settings.code"),
                station.code(),
                station.tz.name()
            ),
            st.theme.style(Meaning::Muted),
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    // the open form, as a popup
    let sf = p.form.as_ref()?;
    let title = match &sf.kind {
        SettingsFormKind::AddServiceType => tr.t("catalog.title").to_string(),
        SettingsFormKind::AddStaff => tr.t("staff.add_title").to_string(),
        SettingsFormKind::ResetPin { staff_id } => {
            let name = p
                .staff
                .iter()
                .find(|s| s.id == *staff_id)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            tr.f("staff.reset_title", &[("name", &name)])
        }
        SettingsFormKind::Edit { .. } => tr.t("setting.edit_title").to_string(),
    };
    let h = super::form::form_height(&sf.form) + 2;
    let rect = centered(area, 66, h);
    let inner = popup(frame, rect, &title, &st.theme);
    let form_area = Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    render_form(frame, form_area, &sf.form, tr, &st.theme)
}

/// The service catalog: basic and special types, in both languages.
fn catalog(frame: &mut Frame, area: Rect, app: &App, p: &SettingsPane) {
    let st = &app.state;
    let tr = &st.tr;
    let block = panel(
        tr.t("catalog.title"),
        p.section == Section::Catalog,
        &st.theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let start = window_start(p.catalog_sel, st.catalog.len(), rows);
    let lines: Vec<Line> = st
        .catalog
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, t)| {
            let style = if i == p.catalog_sel && p.section == Section::Catalog {
                st.theme.style(Meaning::Selected)
            } else {
                st.theme.style(Meaning::Text)
            };
            columns(&[
                (t.name_zh.clone(), 10, style),
                (t.name_en.clone(), 18, style),
                (
                    tr.t(t.tier.label_key()).to_string(),
                    (inner.width as usize).saturating_sub(30),
                    style,
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
