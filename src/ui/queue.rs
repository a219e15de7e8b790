//! Pane 1: the demand queue with its clocks.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::queue::{QueueFormKind, QueuePane, is_carried};
use crate::domain::queue;
use crate::domain::time;
use crate::i18n::Tr;
use crate::store::queue::RequestRow;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// "剩 23 分" / "超时 5 分" (hours past 90 minutes).
pub fn clock_text(tr: &Tr, minutes: i64) -> String {
    let amount = |m: i64| {
        if m >= 90 {
            tr.f("clock.hours", &[("n", &(m / 60))])
        } else {
            tr.f("clock.minutes", &[("n", &m)])
        }
    };
    if minutes >= 0 {
        tr.f("clock.left", &[("t", &amount(minutes))])
    } else {
        tr.f("clock.over", &[("t", &amount(-minutes))])
    }
}

/// Over 80 lines: the queue's columns measured from the rows shown, then the rows; the
/// widths tie the two together.
pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &QueuePane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let clocks = st.settings.clocks();
    let today = time::day_start(time::local_day(st.now, tz), tz);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(5)]).areas(area);
    let type_name = |id: i64| {
        st.catalog
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name(tr.lang).to_string())
            .unwrap_or_default()
    };
    let filter = match p.type_filter {
        Some(t) => format!("{} · {}", tr.t(p.filter.label_key()), type_name(t)),
        None => tr.t(p.filter.label_key()).to_string(),
    };
    let title = tr.f(
        "queue.title",
        &[("filter", &filter), ("n", &p.visible.len())],
    );
    let block = panel(&title, p.form.is_none(), &st.theme);
    let inner = block.inner(list_area);
    frame.render_widget(block, list_area);
    let w = inner.width as usize;
    let muted = st.theme.style(Meaning::Muted);
    let mut lines = vec![columns(&[
        (tr.t("queue.col.clock").into(), 12, muted),
        (tr.t("queue.col.state").into(), 7, muted),
        (tr.t("request.requester").into(), 8, muted),
        (tr.t("record.type").into(), 8, muted),
        (tr.t("queue.col.window").into(), 11, muted),
        (tr.t("queue.col.helper").into(), 8, muted),
        (
            tr.t("request.description").into(),
            w.saturating_sub(61),
            muted,
        ),
    ])];
    let rows = (inner.height as usize).saturating_sub(1);
    let start = window_start(p.sel, p.visible.len(), rows);
    let flash = (st.now / 1000) % 2 == 0;
    for (i, idx) in p.visible.iter().enumerate().skip(start).take(rows) {
        let r = &p.rows[*idx];
        let t = r.timing();
        let overdue = queue::is_overdue(&t, &clocks, st.now);
        let base = if i == p.sel {
            st.theme.style(Meaning::Selected)
        } else if r.urgent && r.state.is_open() {
            if flash {
                st.theme.style(Meaning::Urgent)
            } else {
                st.theme.style(Meaning::Warning)
            }
        } else if !r.state.is_open() {
            muted
        } else {
            st.theme.style(Meaning::Text)
        };
        let clock = match queue::minutes_left(&t, &clocks, st.now) {
            Some(m) => clock_text(tr, m),
            None if r.state.is_open() => "—".to_string(),
            None => time::fmt_local(r.closed_at.unwrap_or(r.created_at), tz, "%H:%M"),
        };
        let clock_style = if overdue && i != p.sel {
            st.theme.style(Meaning::Overdue)
        } else {
            base
        };
        let mut state = tr.t(r.state.label_key()).to_string();
        if r.urgent && r.state.is_open() {
            state = format!("!{state}");
        }
        let mut desc = r.what(tr);
        if is_carried(r, today) {
            desc = format!("[{}] {desc}", tr.t("queue.carried"));
        }
        lines.push(columns(&[
            (clock, 12, clock_style),
            (state, 7, base),
            (r.requester.clone(), 8, base),
            (type_name(r.type_id), 8, base),
            (
                format!(
                    "{}-{}",
                    time::fmt_local(r.window_start, tz, "%H:%M"),
                    time::fmt_local(r.window_end, tz, "%H:%M")
                ),
                11,
                base,
            ),
            (
                match (&r.helper, r.services) {
                    (Some(h), _) => h.clone(),
                    (None, Some(sv)) => tr.f("queue.services_left", &[("n", &sv.left)]),
                    (None, None) => String::new(),
                },
                8,
                base,
            ),
            (desc, w.saturating_sub(61), base),
        ]));
    }
    if p.visible.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("queue.empty"), muted)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let block = panel(tr.t("queue.detail"), false, &st.theme);
    let inner = block.inner(detail_area);
    frame.render_widget(block, detail_area);
    if let Some(r) = p.selected() {
        frame.render_widget(
            Paragraph::new(crate::text::wrap(detail(tr, r, tz), inner.width)),
            inner,
        );
    }
    let of = p.form.as_ref()?;
    let title = match of.kind {
        QueueFormKind::New => tr.t("queue.new_title"),
        QueueFormKind::Cancel { .. } => tr.t("queue.cancel_title"),
        QueueFormKind::MerchantService { .. } => tr.t("merchant_service.title"),
    };
    let rect = if of.kind == QueueFormKind::New {
        area
    } else {
        centered(area, 72, super::form::form_height(&of.form) + 2)
    };
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}

fn detail(tr: &Tr, r: &RequestRow, tz: chrono_tz::Tz) -> Vec<Line<'static>> {
    let payer = if r.pool_pays {
        tr.t("payer.pool")
    } else {
        tr.t("payer.recipient")
    };
    vec![
        Line::from(format!(
            "{} {} · {} · {} · {} {}{}",
            r.requester_number,
            r.requester,
            tr.t(r.channel.label_key()),
            payer,
            r.minutes,
            tr.t("unit.min"),
            if r.urgent {
                format!(" · {}", tr.t("request.urgent"))
            } else {
                String::new()
            }
        )),
        Line::from(format!(
            "{} · {}{}",
            r.place,
            r.what(tr),
            r.services
                .map(|sv| format!(
                    " · {}",
                    tr.f(
                        "queue.services_owed",
                        &[("owed", &sv.owed), ("left", &sv.left)]
                    )
                ))
                .unwrap_or_default()
        )),
        Line::from(format!(
            "{} {}{}{}",
            tr.t("queue.taken_in"),
            time::fmt_local(r.created_at, tz, "%m-%d %H:%M"),
            r.matched_at
                .map(|m| format!(
                    " · {} {}",
                    tr.t("queue.matched_in"),
                    (m - r.created_at) / 60_000
                ))
                .map(|s| format!("{s} {}", tr.t("unit.min")))
                .unwrap_or_default(),
            r.cancel_reason
                .as_ref()
                .map(|c| format!(" · {c}"))
                .unwrap_or_default()
        )),
    ]
}
