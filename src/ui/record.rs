//! Pane 3: the entry form, today's records, the weekly spot check.

use super::form::{form_popup, render_form};
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::record::{LIST_LIMIT, RecordFormKind, RecordPane, View};
use crate::domain::time;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Over 80 lines: the records pane's three views (list, spot check, detail) share one
/// layout and its selection; each part is short.
pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &RecordPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    if let Some(of) = &p.form
        && of.kind == RecordFormKind::Entry
    {
        {
            let block = panel(tr.t("record.title"), true, &st.theme);
            let inner = block.inner(area);
            frame.render_widget(block, area);
            return render_form(
                frame,
                Rect::new(
                    inner.x + 1,
                    inner.y,
                    inner.width.saturating_sub(2),
                    inner.height,
                ),
                &of.form,
                tr,
                &st.theme,
            );
        }
    }
    let title = match p.view {
        View::Today if p.today.len() >= LIST_LIMIT => {
            tr.f("record.today_capped", &[("n", &LIST_LIMIT)])
        }
        View::Today => tr.t("record.today").to_string(),
        View::Spot => tr.t("record.spot").to_string(),
    };
    let block = panel(&title, true, &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = Vec::new();
    if let Some(last) = &p.last {
        lines.push(Line::from(Span::styled(
            tr.f(
                "record.last",
                &[
                    ("points", &last.points),
                    ("transfer", &last.transfer.row.id),
                ],
            ),
            st.theme.style(Meaning::Ok),
        )));
    }
    let muted = st.theme.style(Meaning::Muted);
    let rows = (inner.height as usize).saturating_sub(lines.len() + 1);
    let w = inner.width as usize;
    match p.view {
        View::Today => {
            lines.push(columns(&[
                (tr.t("record.col.time").into(), 11, muted),
                (tr.t("record.provider").into(), 8, muted),
                (tr.t("record.recipient").into(), 8, muted),
                (tr.t("record.type").into(), 8, muted),
                (tr.t("record.col.minutes").into(), 5, muted),
                (tr.t("record.col.points").into(), 5, muted),
                (tr.t("record.method").into(), w.saturating_sub(50), muted),
            ]));
            let start = window_start(p.sel, p.today.len(), rows);
            for (i, r) in p.today.iter().enumerate().skip(start).take(rows) {
                let base = if i == p.sel {
                    st.theme.style(Meaning::Selected)
                } else {
                    st.theme.style(Meaning::Text)
                };
                let ty = st
                    .catalog
                    .iter()
                    .find(|t| t.id == r.type_id)
                    .map(|t| t.name(tr.lang).to_string())
                    .unwrap_or_default();
                let pts = if r.reversed > 0 {
                    format!("{}-{}", r.points, r.reversed)
                } else {
                    r.points.to_string()
                };
                lines.push(columns(&[
                    (
                        format!(
                            "{}-{}",
                            time::fmt_local(r.started_at, tz, "%H:%M"),
                            time::fmt_local(r.ended_at, tz, "%H:%M")
                        ),
                        11,
                        base,
                    ),
                    (r.provider.clone(), 8, base),
                    (r.recipient.clone(), 8, base),
                    (ty, 8, base),
                    (r.minutes.to_string(), 5, base),
                    (pts, 5, base),
                    (
                        tr.t(r.method.label_key()).into(),
                        w.saturating_sub(50),
                        base,
                    ),
                ]));
            }
            if p.today.is_empty() {
                lines.push(Line::from(Span::styled(tr.t("record.none_today"), muted)));
            }
        }
        View::Spot => {
            lines.push(Line::from(Span::styled(tr.t("record.spot_intro"), muted)));
            let start = window_start(p.sel, p.spot.len(), rows.saturating_sub(1));
            for (i, s) in p
                .spot
                .iter()
                .enumerate()
                .skip(start)
                .take(rows.saturating_sub(1))
            {
                let base = if i == p.sel {
                    st.theme.style(Meaning::Selected)
                } else {
                    st.theme.style(Meaning::Text)
                };
                let (res, rs) = match s.result.as_deref() {
                    Some("verified") => (tr.t("spot.verified"), st.theme.style(Meaning::Ok)),
                    Some(_) => (tr.t("spot.failed"), st.theme.style(Meaning::Overdue)),
                    None => (tr.t("spot.open"), st.theme.style(Meaning::Warning)),
                };
                lines.push(columns(&[
                    (time::fmt_local(s.ended_at, tz, "%m-%d %H:%M"), 11, base),
                    (s.provider.clone(), 8, base),
                    (s.recipient.clone(), 8, base),
                    (format!("{}{}", s.minutes, tr.t("unit.min")), 7, base),
                    (s.photo_ref.clone().unwrap_or_default(), 14, base),
                    (
                        res.to_string(),
                        w.saturating_sub(52),
                        if i == p.sel { base } else { rs },
                    ),
                ]));
            }
            if p.spot.is_empty() {
                lines.push(Line::from(Span::styled(tr.t("record.spot_none"), muted)));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let of = p.form.as_ref()?;
    let title = match of.kind {
        RecordFormKind::ThankYou { .. } => tr.t("thanks.title"),
        _ => tr.t("spot.fail_title"),
    };
    let rect = centered(area, 72, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}
