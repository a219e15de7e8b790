//! Pane 9: staff and station settings.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::settings::{ITEMS, Section, SettingsFormKind, SettingsPane, setting_value};
use crate::domain::time;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &SettingsPane) -> Option<Position> {
    // Long because: the pane's boxes (staff, settings, catalog or checklist) and its form popup drawn top to bottom, each a short block sharing the state, the translations and the layout.
    let st = &app.state;
    let tr = &st.tr;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    // the lower box grows while it is the one being worked in
    let lower = if matches!(p.section, Section::Catalog | Section::Checklist) {
        (left.height * 2 / 3).max(9)
    } else {
        9
    };
    let [left, catalog_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(lower)]).areas(left);
    if p.section == Section::Checklist {
        checklist(frame, catalog_area, app, p);
    } else {
        catalog(frame, catalog_area, app, p);
    }

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
    let tz = st.tz();
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
    let value_of = |key: &str| {
        let value = setting_value(&st.settings, key);
        if key == "language" {
            let lang = if value == "en" { "lang.en" } else { "lang.zh" };
            return tr.t(lang).to_string();
        }
        if key == "print" {
            let how = crate::print::Delivery::from_setting(&value);
            return tr.t(how.label_key()).to_string();
        }
        value
    };
    // the labels take what the widest value leaves, so that at 80 columns
    // "入会审核时限(小时)" is not cut for values of a few characters
    let value_w = ITEMS
        .iter()
        .map(|i| text::width(&value_of(i.key)))
        .max()
        .unwrap_or(0);
    let label_w = ITEMS
        .iter()
        .map(|i| text::width(tr.t(i.label)))
        .max()
        .unwrap_or(10)
        .min((inner.width as usize).saturating_sub(value_w + 1))
        .max(inner.width as usize / 2);
    let mut lines = Vec::new();
    // the notes below the list keep their lines; the list scrolls
    let rows = (inner.height as usize).saturating_sub(4).max(3);
    let start = window_start(p.item_sel, ITEMS.len(), rows);
    for (i, item) in ITEMS.iter().enumerate().skip(start).take(rows) {
        let selected = i == p.item_sel && p.section == Section::Station;
        let style = if selected {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        let value = value_of(item.key);
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
        SettingsFormKind::ChecklistItem { .. } => tr.t("checklist.edit_title").to_string(),
    };
    let h = super::form::form_height(&sf.form) + 2;
    let rect = centered(area, 66, h);
    form_popup(frame, rect, &title, &sf.form, tr, &st.theme)
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

/// The opening checklist (F2): what is checked, and how many tools there should be.
fn checklist(frame: &mut Frame, area: Rect, app: &App, p: &SettingsPane) {
    let st = &app.state;
    let tr = &st.tr;
    let block = panel(tr.t("checklist.title"), true, &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let start = window_start(p.checklist_sel, p.checklist.len(), rows);
    let w = inner.width as usize;
    let lines: Vec<Line> = p
        .checklist
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, c)| {
            let style = if i == p.checklist_sel {
                st.theme.style(Meaning::Selected)
            } else if c.active {
                st.theme.style(Meaning::Text)
            } else {
                st.theme.style(Meaning::Muted)
            };
            let kind = match c.kind.as_str() {
                "tool" => tr.t("checklist.kind.tool_short"),
                "equipment" => tr.t("checklist.kind.equipment"),
                _ => tr.t("checklist.kind.clean"),
            };
            let count = c.expected.map(|e| e.to_string()).unwrap_or_default();
            let state = if c.active { "" } else { tr.t("checklist.off") };
            columns(&[
                (c.name_zh.clone(), 10, style),
                (
                    c.name_en.clone(),
                    w.saturating_sub(10 + 8 + 4 + 6 + 4).max(6),
                    style,
                ),
                (kind.to_string(), 8, style),
                (count, 4, style),
                (state.to_string(), 6, style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
