//! Pane 5: the dispute log, a case's clocks and its whole timeline.

use super::form::form_popup;
use super::queue::clock_text;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::disputes::{DisputeFormKind, DisputesPane};
use crate::domain::dispute;
use crate::domain::dispute::contact_how_key;
use crate::domain::time::{self, MINUTE_MS};
use crate::store::disputes::{ContactRow, DisputeRow};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Over 80 lines: the list with its column widths measured from the rows it shows, then
/// the timeline beside it; the widths tie the two halves together.
pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &DisputesPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let clocks = st.settings.disputes;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    // under "open", a case just closed stays listed to print its form, but
    // it is not counted as open
    let n = match p.filter {
        crate::app::panes::disputes::Filter::Open => {
            p.visible.iter().filter(|i| p.rows[**i].is_open()).count()
        }
        _ => p.visible.len(),
    };
    let mut title = tr.f(
        "dispute.title",
        &[("filter", &tr.t(p.filter.label_key())), ("n", &n)],
    );
    if let Some((_, who)) = &p.member {
        title = format!("{title} · {who}");
    }
    let block = panel(&title, p.form.is_none(), &st.theme);
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let w = inner.width as usize;
    let muted = st.theme.style(Meaning::Muted);
    let rows = inner.height as usize;
    let start = window_start(p.sel, p.visible.len(), rows);
    // the cells first: the kind and clock columns are as wide as their
    // widest entry on screen, so a clock is never cut ("联系双方 超时 23 时")
    let mut cells = Vec::new();
    for (i, idx) in p.visible.iter().enumerate().skip(start).take(rows) {
        let d = &p.rows[*idx];
        let base = if i == p.sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        let prog = d.progress();
        let overdue = dispute::overdue_now(&prog, &clocks, st.now);
        // the clock alone: with what is due before it, it was cut at 80
        // columns ("联系双方 剩 23 …"); what is due is in the timeline
        let clock = match dispute::next_due(&prog, &clocks) {
            Some((_, at)) => clock_text(tr, (at - st.now).div_euclid(MINUTE_MS)),
            None if d.told_at.is_none() && !d.suggestion => tr.t("dispute.to_tell").to_string(),
            None => tr.t("dispute.closed").to_string(),
        };
        let kind = match (d.suggestion, d.category) {
            (true, _) => tr.t("dispute.suggestion").to_string(),
            (false, Some(c)) => tr.t(c.label_key()).to_string(),
            _ => String::new(),
        };
        let cs = if overdue && i != p.sel {
            st.theme.style(Meaning::Overdue)
        } else {
            base
        };
        let ks = if d.category == Some(dispute::Category::Safety) && i != p.sel {
            st.theme.style(Meaning::Urgent)
        } else {
            base
        };
        cells.push((
            format!("#{}", d.id),
            kind,
            ks,
            clock,
            cs,
            d.subject.clone(),
            base,
        ));
    }
    let kind_w = cells
        .iter()
        .map(|c| text::width(&c.1))
        .max()
        .unwrap_or(0)
        .min(12);
    let clock_w = cells.iter().map(|c| text::width(&c.3)).max().unwrap_or(0);
    let clock_w = clock_w.min(w.saturating_sub(kind_w + 12));
    let subject_w = w.saturating_sub(4 + kind_w + clock_w + 3);
    let mut lines = Vec::new();
    for (id, kind, ks, clock, cs, subject, base) in cells {
        lines.push(columns(&[
            (id, 4, base),
            (kind, kind_w, ks),
            (clock, clock_w, cs),
            (subject, subject_w, base),
        ]));
    }
    if p.visible.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("dispute.empty"), muted)));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    let block = panel(tr.t("dispute.timeline"), false, &st.theme);
    let inner = block.inner(right);
    frame.render_widget(block, right);
    if let Some(detail) = p
        .detail
        .as_ref()
        .filter(|d| Some(d.0.id) == p.selected().map(|s| s.id))
    {
        let lines = timeline(app, &detail.0, &detail.1, tz);
        frame.render_widget(Paragraph::new(crate::text::wrap(lines, inner.width)), inner);
    }

    let of = p.form.as_ref()?;
    let title = match of.kind {
        DisputeFormKind::New => tr.t("dispute.new_title"),
        DisputeFormKind::Suggestion => tr.t("dispute.suggestion_title"),
        DisputeFormKind::Contact { .. } => tr.t("dispute.contact_title"),
        DisputeFormKind::Safety { review: false, .. } => tr.t("dispute.hq_title"),
        DisputeFormKind::Safety { review: true, .. } => tr.t("dispute.review_title"),
        DisputeFormKind::Decide { .. } => tr.t("dispute.decide_title"),
        DisputeFormKind::Tell { .. } => tr.t("dispute.tell_title"),
        DisputeFormKind::Reply { .. } => tr.t("dispute.reply_title"),
        DisputeFormKind::Serious { .. } => tr.t("dispute.serious_title"),
    };
    let rect = centered(area, 76, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}

/// Over 80 lines: one line per step of a case in the order they happen (opened, contacts,
/// HQ, decided, told, review), each short.
fn timeline(
    app: &App,
    d: &DisputeRow,
    contacts: &[ContactRow],
    tz: chrono_tz::Tz,
) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let t = |s: i64| time::fmt_local(s, tz, "%m-%d %H:%M");
    let label = st.theme.style(Meaning::Muted);
    let party = |p: &Option<(i64, String, String)>| {
        p.as_ref()
            .map(|(_, n, num)| format!("{num} {n}"))
            .unwrap_or_else(|| "—".into())
    };
    let mut out = vec![
        Line::from(Span::styled(
            d.subject.clone(),
            st.theme.style(Meaning::Title),
        )),
        Line::from(vec![
            Span::styled(format!("{} ", tr.t("dispute.party_a")), label),
            Span::raw(party(&d.party_a)),
        ]),
    ];
    if let Some((_, name, code)) = &d.merchant {
        out.push(Line::from(vec![
            Span::styled(format!("{} ", tr.t("dispute.merchant")), label),
            Span::raw(format!("{code} {name}")),
        ]));
        out.extend(merchant_count(app, d));
    } else if !d.suggestion {
        out.push(Line::from(vec![
            Span::styled(format!("{} ", tr.t("dispute.party_b")), label),
            Span::raw(party(&d.party_b)),
        ]));
        if let Some(r) = d.record_id {
            out.push(Line::from(vec![
                Span::styled(format!("{} ", tr.t("dispute.record")), label),
                Span::raw(format!("#{r}")),
            ]));
        }
    }
    if d.serious {
        out.push(Line::from(Span::styled(
            tr.t("dispute.serious_mark").to_string(),
            st.theme.style(Meaning::Warning),
        )));
    }
    // the clocks, met or not
    for (due, at, met) in dispute::deadlines(&d.progress(), &st.settings.disputes) {
        let (text, style) = match met {
            Some(m) if m <= at => (
                format!("{} + {}", tr.t(due.label_key()), t(m)),
                st.theme.style(Meaning::Ok),
            ),
            Some(m) => (
                format!(
                    "{} {} ({})",
                    tr.t(due.label_key()),
                    t(m),
                    tr.t("dispute.late")
                ),
                st.theme.style(Meaning::Warning),
            ),
            None if st.now > at => (
                format!(
                    "{} {} {}",
                    tr.t(due.label_key()),
                    tr.t("dispute.overdue_since"),
                    t(at)
                ),
                st.theme.style(Meaning::Overdue),
            ),
            None => (
                format!(
                    "{} {} {}",
                    tr.t(due.label_key()),
                    tr.t("dispute.due_by"),
                    t(at)
                ),
                label,
            ),
        };
        out.push(Line::from(Span::styled(text, style)));
    }
    out.push(Line::from(""));
    let mut events: Vec<(i64, String)> = vec![(
        d.opened_at,
        format!(
            "{} · {} · {}",
            tr.t("dispute.ev.opened"),
            tr.t(d.channel.label_key()),
            d.reported_by
        ),
    )];
    for c in contacts {
        let who = match c.party.as_str() {
            "a" => d.party_a.as_ref().map(|x| x.1.clone()).unwrap_or_default(),
            "b" => match &d.merchant {
                Some((_, merchant, _)) => merchant.clone(),
                None => d.party_b.as_ref().map(|x| x.1.clone()).unwrap_or_default(),
            },
            _ => tr.t("dispute.other_party").to_string(),
        };
        events.push((
            c.at,
            format!(
                "{} {who} ({}, {}): {}",
                tr.t("dispute.ev.contact"),
                tr.t(contact_how_key(&c.how)),
                c.staff,
                c.said
            ),
        ));
    }
    if let (Some(at), Some(to)) = (d.hq_reported_at, &d.hq_reported_to) {
        events.push((at, format!("{} {to}", tr.t("dispute.ev.hq"))));
    }
    if let (Some(at), Some(r)) = (d.reviewed_at, &d.review) {
        events.push((at, format!("{} {r}", tr.t("dispute.ev.review"))));
    }
    if let (Some(at), Some(o)) = (d.decided_at, d.outcome) {
        let reason = d
            .decision
            .as_deref()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .and_then(|v| v["reason"].as_str().map(str::to_string))
            .unwrap_or_default();
        events.push((
            at,
            format!(
                "{} {} {reason}",
                tr.t("dispute.ev.decided"),
                tr.t(o.label_key())
            ),
        ));
    }
    if let (Some(at), Some(how)) = (d.told_at, &d.told_how) {
        events.push((at, format!("{} {how}", tr.t("dispute.ev.told"))));
    }
    if let (Some(at), Some(r)) = (d.replied_at, &d.reply) {
        events.push((at, format!("{} {r}", tr.t("dispute.ev.replied"))));
    }
    events.sort_by_key(|e| e.0);
    for (at, e) in events {
        out.push(Line::from(vec![
            Span::styled(format!("{} ", t(at)), label),
            Span::raw(e),
        ]));
    }
    out
}

/// A decided merchant case: the verified complaints it made, and whether
/// it ended the merchant (from the decision's recorded effects).
fn merchant_count(app: &App, d: &DisputeRow) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let standing: Vec<String> = d
        .decision
        .as_deref()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        .and_then(|v| serde_json::from_value(v["effects"]["standing"].clone()).ok())
        .unwrap_or_default();
    let mut out = Vec::new();
    if let Some(n) = standing.iter().find_map(|s| s.strip_prefix("complaints:")) {
        let max = dispute::MERCHANT_COMPLAINTS_END;
        out.push(Line::from(Span::styled(
            tr.f("dispute.complaints", &[("n", &n), ("max", &max)]),
            st.theme.style(Meaning::Warning),
        )));
    }
    if standing.iter().any(|s| s == "merchant:ended") {
        out.push(Line::from(Span::styled(
            tr.t("dispute.merchant_ended").to_string(),
            st.theme.style(Meaning::Urgent),
        )));
    }
    out
}
