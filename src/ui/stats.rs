//! Pane 7: today / this week / this month, the month's KPIs against their
//! targets, the 30-day charts, and this month's callback list.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::stats::{StatsPane, View};
use crate::app::reveal::shown_phone;
use crate::domain::time;
use crate::domain::units::format_hours;
use crate::store::stats::{Period, Stats};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Paragraph, Sparkline};

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &StatsPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    match (p.view, p.stats.as_deref()) {
        (View::Callbacks, _) => callbacks(frame, area, app, p),
        (View::Figures, Some(s)) => figures(frame, area, app, s),
        (View::Figures, None) => {
            let block = panel(tr.t("pane.stats"), true, &st.theme);
            let inner = block.inner(area);
            frame.render_widget(block, area);
            frame.render_widget(
                Paragraph::new(tr.t("routine.loading")).style(st.theme.style(Meaning::Muted)),
                inner,
            );
        }
    }
    let of = p.form.as_ref()?;
    let rect = centered(area, 64, super::form::form_height(&of.form) + 2);
    form_popup(
        frame,
        rect,
        tr.t("cmd.answer_callback"),
        &of.form,
        tr,
        &st.theme,
    )
}

fn share(part: u32, whole: u32) -> String {
    match (part * 100).checked_div(whole) {
        Some(p) => format!("{p}%"),
        None => "—".into(),
    }
}

/// How many lines `s` takes when wrapped at spaces into `width` cells, as
/// the paragraph wraps it.
fn word_rows(s: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in s.split(' ') {
        let w = text::width(word);
        if used > 0 && used + 1 + w > width {
            rows += 1;
            used = w;
        } else {
            used += w + usize::from(used > 0);
        }
    }
    rows
}

fn median(m: Option<i64>, tr: &crate::i18n::Tr) -> String {
    m.map(|x| tr.f("stats.minutes", &[("n", &x)]))
        .unwrap_or_else(|| "—".into())
}

/// Over 80 lines: the figures table: one row per measure, today/week/month side by side;
/// read as the table it draws.
fn figures(frame: &mut Frame, area: Rect, app: &App, s: &Stats) {
    let st = &app.state;
    let tr = &st.tr;
    let halves = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]);
    // the legend under the table takes the lines it needs (up to three, at
    // 80 columns) rather than being cut
    let [probe, _] = halves.areas(area);
    let inner_w = probe.width.saturating_sub(2).max(1) as usize;
    let legend_rows = word_rows(tr.t("stats.note"), inner_w).clamp(1, 3) as u16;
    let [top, chart] =
        Layout::vertical([Constraint::Length(10 + legend_rows), Constraint::Min(5)]).areas(area);
    let [table, kpi] = halves.areas(top);

    // the periods, side by side
    let block = panel(tr.t("stats.periods"), true, &st.theme);
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let w = inner.width as usize;
    let lw = 10.min(w / 4);
    let cw = (w.saturating_sub(lw) / 3).saturating_sub(1);
    let muted = st.theme.style(Meaning::Muted);
    let text_s = st.theme.style(Meaning::Text);
    let periods: [&Period; 3] = [&s.today, &s.week, &s.month];
    let row = |label: &str, f: &dyn Fn(&Period) -> String| {
        let mut cells = vec![(tr.t(label).to_string(), lw, muted)];
        cells.extend(periods.iter().map(|p| (f(p), cw, text_s)));
        columns(&cells)
    };
    let head = {
        let mut cells = vec![(String::new(), lw, muted)];
        for k in ["stats.today", "stats.week", "stats.month"] {
            cells.push((tr.t(k).to_string(), cw, st.theme.style(Meaning::Title)));
        }
        columns(&cells)
    };
    let lines = vec![
        head,
        row("stats.services", &|p| p.services.to_string()),
        row("stats.hours", &|p| format_hours(p.minutes)),
        row("stats.points", &|p| p.points.to_string()),
        row("stats.requests", &|p| p.requests.to_string()),
        row("stats.respond", &|p| {
            format!(
                "{} {}",
                median(p.median_respond_min, tr),
                share(p.responded_in_time, p.requests)
            )
        }),
        row("stats.match", &|p| {
            format!(
                "{} {}",
                median(p.median_match_min, tr),
                share(p.matched_in_time, p.requests)
            )
        }),
        row("stats.disputes", &|p| {
            format!(
                "{} {}",
                p.disputes,
                share(p.disputes_contacted_in_time, p.disputes)
            )
        }),
        Line::from(Span::styled(tr.t("stats.note"), muted)),
    ];
    frame.render_widget(Paragraph::new(crate::text::wrap(lines, inner.width)), inner);

    // the month's KPIs against their targets
    let block = panel(tr.t("stats.kpi"), false, &st.theme);
    let inner = block.inner(kpi);
    frame.render_widget(block, kpi);
    let hours = s.kpi_minutes / 60;
    let met = |ok: bool| {
        st.theme
            .style(if ok { Meaning::Ok } else { Meaning::Warning })
    };
    let mut lines = vec![
        Line::from(Span::styled(
            tr.f(
                "stats.kpi.hours",
                &[
                    ("h", &format_hours(s.kpi_minutes)),
                    ("target", &s.target_hours),
                ],
            ),
            met(hours >= s.target_hours),
        )),
        Line::from(Span::styled(
            if s.bonus > 0 {
                tr.f("stats.kpi.bonus", &[("yuan", &s.bonus)])
            } else {
                tr.f(
                    "stats.kpi.to_go",
                    &[("h", &s.target_hours.saturating_sub(hours))],
                )
            },
            muted,
        )),
        Line::from(Span::styled(
            match s.satisfaction {
                Some(p) => tr.f(
                    "stats.kpi.satisfaction",
                    &[("p", &p), ("n", &s.callbacks_answered)],
                ),
                None => tr.t("stats.kpi.satisfaction_none").to_string(),
            },
            met(s.satisfaction.is_some_and(|p| p >= 90)),
        )),
        Line::from(Span::styled(
            if s.disputes_late == 0 {
                tr.t("stats.kpi.disputes_ok").to_string()
            } else {
                tr.f(
                    "stats.kpi.disputes_late",
                    &[("n", &s.disputes_late), ("yuan", &s.dispute_penalty.abs())],
                )
            },
            met(s.disputes_late == 0),
        )),
    ];
    lines.push(Line::from(Span::styled(
        tr.f(
            "stats.kpi.activities",
            &[
                ("n", &s.activities.activities),
                ("people", &s.activities.participants),
                (
                    "h",
                    &format_hours(s.activities.public_good_minutes.max(0) as u64),
                ),
            ],
        ),
        muted,
    )));
    lines.push(Line::from(Span::styled(tr.t("stats.requests_30d"), muted)));
    let [txt, spark] =
        Layout::vertical([Constraint::Length(lines.len() as u16), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), txt);
    let tail = s.requests_30d.len().saturating_sub(spark.width as usize);
    frame.render_widget(
        Sparkline::default()
            .data(&s.requests_30d[tail..])
            .style(st.theme.style(Meaning::Chart)),
        spark,
    );

    // 30 days of service hours
    let top_minutes = s.hours_30d.iter().map(|(_, m)| *m).max().unwrap_or(0);
    let block = panel(
        &tr.f("stats.hours_30d", &[("max", &format_hours(top_minutes))]),
        false,
        &st.theme,
    );
    let inner = block.inner(chart);
    frame.render_widget(block, chart);
    let [bars_area, axis] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let n = s.hours_30d.len().max(1) as u16;
    let gap = u16::from(inner.width >= n * 2);
    let bw = (inner.width.saturating_sub(gap * (n - 1)) / n).max(1);
    let bars: Vec<Bar> = s
        .hours_30d
        .iter()
        .map(|(_, m)| Bar::default().value(*m).text_value(String::new()))
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(ratatui::widgets::BarGroup::default().bars(&bars))
            .bar_width(bw)
            .bar_gap(gap)
            .bar_style(st.theme.style(Meaning::Chart))
            .max(top_minutes.max(60)),
        bars_area,
    );
    // first and last day under the bars
    if let (Some((first, _)), Some((last, _))) = (s.hours_30d.first(), s.hours_30d.last()) {
        let a = first.format("%m-%d").to_string();
        let b = last.format("%m-%d").to_string();
        let used = (bw + gap) * n - gap;
        let pad = (used as usize).saturating_sub(text::width(&a) + text::width(&b));
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!("{a}{}{b}", " ".repeat(pad)),
                muted,
            ))),
            axis,
        );
    }
}

/// Over 80 lines: the callback list's columns measured from the rows shown, then the
/// rows; the widths tie the two together.
fn callbacks(frame: &mut Frame, area: Rect, app: &App, p: &StatsPane) {
    let area = match super::hub_tools::overdue_calls(frame, area, app, &p.overdue_loans) {
        Some(rest) => rest,
        None => area,
    };
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let answered: Vec<bool> = p.callbacks.iter().filter_map(|c| c.satisfied).collect();
    let title = tr.f(
        "stats.cb.title",
        &[
            ("done", &answered.len()),
            ("n", &p.callbacks.len()),
            (
                "p",
                &crate::domain::day::satisfaction(&answered)
                    .map(|x| format!("{x}%"))
                    .unwrap_or_else(|| "—".into()),
            ),
        ],
    );
    let block = panel(&title, p.form.is_none(), &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let muted = st.theme.style(Meaning::Muted);
    if p.callbacks.is_empty() {
        let msg = if p.callbacks_loaded {
            tr.t("stats.cb.none")
        } else {
            tr.t("routine.loading")
        };
        frame.render_widget(Paragraph::new(msg).style(muted), inner);
        return;
    }
    let w = inner.width as usize;
    let rows = inner.height as usize;
    let start = window_start(p.sel, p.callbacks.len(), rows);
    let mut lines = Vec::new();
    // the member number whole, however many digits the community has used
    let nw = p
        .callbacks
        .iter()
        .map(|c| crate::text::width(&c.number))
        .max()
        .unwrap_or(9);
    for (i, c) in p.callbacks.iter().enumerate().skip(start).take(rows) {
        let base = if i == p.sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        let (result, rs) = match c.satisfied {
            Some(true) => (tr.t("stats.cb.satisfied"), st.theme.style(Meaning::Ok)),
            Some(false) => (
                tr.t("stats.cb.unsatisfied"),
                st.theme.style(Meaning::Warning),
            ),
            None => (tr.t("stats.cb.pending"), muted),
        };
        let when = c
            .called_at
            .map(|t| time::fmt_local(t, tz, "%m-%d %H:%M"))
            .unwrap_or_default();
        let phone = shown_phone(
            st.desk().and_then(|d| d.revealed.as_ref()),
            c.member_id,
            |r| Some(&r.phone),
            &c.phone,
        );
        lines.push(columns(&[
            (c.number.clone(), nw, base),
            (c.name.clone(), 8, base),
            (phone, 11, base),
            (result.to_string(), 8, if i == p.sel { base } else { rs }),
            (when, 11, muted),
            (
                c.note.clone().unwrap_or_default(),
                w.saturating_sub(43 + nw),
                base,
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
