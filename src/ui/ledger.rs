//! Pane 4: station totals, chain status, and a member's statement.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::ledger::{ChainStatus, LedgerFormKind, LedgerPane, View, party};
use crate::domain::time;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Over 80 lines: the ledger pane's views (transfers, statement, corrections) share one
/// layout and selection; each part is short.
pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &LedgerPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let [top, bottom] = Layout::vertical([Constraint::Length(6), Constraint::Min(3)]).areas(area);
    let block = panel(tr.t("ledger.totals"), false, &st.theme);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let muted = st.theme.style(Meaning::Muted);
    let mut lines = Vec::new();
    match &p.totals {
        Some(t) => {
            lines.push(Line::from(tr.f(
                "ledger.totals_today",
                &[
                    ("issued", &t.today.issued),
                    ("spent", &t.today.spent),
                    ("service", &t.today.service_points),
                    ("n", &t.today.transfers),
                ],
            )));
            lines.push(Line::from(tr.f(
                "ledger.totals_month",
                &[
                    ("issued", &t.month.issued),
                    ("spent", &t.month.spent),
                    ("service", &t.month.service_points),
                    ("n", &t.month.transfers),
                ],
            )));
            lines.push(Line::from(tr.f(
                "ledger.pool",
                &[("pool", &t.pool_balance), ("members", &t.members_total)],
            )));
        }
        None => lines.push(Line::from(Span::styled(tr.t("members.loading"), muted))),
    }
    let chain = match &p.chain {
        ChainStatus::Unknown => Span::styled(tr.t("ledger.chain_unknown"), muted),
        ChainStatus::Checking => Span::styled(
            tr.t("ledger.chain_checking"),
            st.theme.style(Meaning::Warning),
        ),
        ChainStatus::Sound { transfers, head } => Span::styled(
            tr.f(
                "ledger.chain_ok",
                &[("n", transfers), ("head", &&head[..12.min(head.len())])],
            ),
            st.theme.style(Meaning::Ok),
        ),
        ChainStatus::Broken(problems) => Span::styled(
            tr.f(
                "ledger.chain_broken",
                &[
                    ("n", &problems.len()),
                    ("first", &problems.first().cloned().unwrap_or_default()),
                ],
            ),
            st.theme.style(Meaning::Urgent),
        ),
    };
    let mut chain_line = vec![chain];
    let waiting = p.totals.as_ref().map_or(0, |t| t.corrections.len());
    if waiting > 0 {
        chain_line.push(Span::raw(" · "));
        chain_line.push(Span::styled(
            tr.f("correction.pending", &[("n", &waiting)]),
            st.theme.style(Meaning::Warning),
        ));
    }
    lines.push(Line::from(chain_line));
    frame.render_widget(Paragraph::new(lines), inner);
    if p.view == View::Corrections {
        render_corrections(frame, bottom, app, p);
    } else {
        render_statement(frame, bottom, app, p);
    }

    let of = p.form.as_ref()?;
    let title = match of.kind {
        LedgerFormKind::Reverse { .. } => tr.t("ledger.reverse_title"),
        LedgerFormKind::Adjust { .. } => tr.t("correction.adjust_title"),
        LedgerFormKind::Refuse { own: false, .. } => tr.t("correction.refuse_title"),
        LedgerFormKind::Refuse { own: true, .. } => tr.t("correction.withdraw_title"),
        LedgerFormKind::Freeze { frozen: true, .. } => tr.t("ledger.freeze_title"),
        LedgerFormKind::Freeze { .. } => tr.t("ledger.unfreeze_title"),
        LedgerFormKind::Estate { .. } => tr.t("estate.title"),
    };
    let rect = centered(area, 72, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}

/// Corrections waiting for a second station master, oldest first.
fn render_corrections(frame: &mut Frame, area: Rect, app: &App, p: &LedgerPane) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let muted = st.theme.style(Meaning::Muted);
    let block = panel(tr.t("correction.title"), true, &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let list = p
        .totals
        .as_ref()
        .map(|t| t.corrections.as_slice())
        .unwrap_or(&[]);
    // the kind and the move as wide as the widest shown ("adjustment",
    // "community pool → 单田芳"), within bounds; the reason takes the rest
    let moves: Vec<String> = list
        .iter()
        .map(|c| {
            let who = |code: &str| party(c, code, tr, false);
            format!("{} → {}", who(&c.from), who(&c.to))
        })
        .collect();
    let kind_w = list
        .iter()
        .map(|c| text::width(tr.t(c.kind.label_key())))
        .chain([text::width(tr.t("correction.col.kind")), 6])
        .max()
        .unwrap_or(6)
        .min(12);
    let move_w = moves
        .iter()
        .map(|m| text::width(m))
        .chain([20])
        .max()
        .unwrap_or(20)
        .min(32);
    let reason_w = w.saturating_sub(5 + kind_w + 5 + move_w + 10 + 11 + 6);
    let mut lines = vec![Line::from(Span::styled(tr.t("correction.hint"), muted))];
    lines.push(columns(&[
        (tr.t("correction.col.id").into(), 5, muted),
        (tr.t("correction.col.kind").into(), kind_w, muted),
        (tr.t("correction.col.amount").into(), 5, muted),
        (tr.t("correction.col.move").into(), move_w, muted),
        (tr.t("correction.col.by").into(), 10, muted),
        (tr.t("correction.col.at").into(), 11, muted),
        (tr.t("correction.col.reason").into(), reason_w, muted),
    ]));
    if list.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("correction.none"), muted)));
    }
    let rows = (inner.height as usize).saturating_sub(lines.len());
    let start = window_start(p.corr_sel, list.len(), rows);
    for (i, c) in list.iter().enumerate().skip(start).take(rows) {
        let style = if i == p.corr_sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        lines.push(columns(&[
            (format!("#{}", c.id), 5, style),
            (tr.t(c.kind.label_key()).into(), kind_w, style),
            (c.amount.to_string(), 5, style),
            (moves[i].clone(), move_w, style),
            (
                format!("{} {}", c.proposed_by.1, c.proposed_by.2),
                10,
                style,
            ),
            (time::fmt_local(c.proposed_at, tz, "%m-%d %H:%M"), 11, style),
            (c.reason.clone(), reason_w, style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A member's statement, newest first.
///
/// Over 80 lines: the statement's head lines (balance, owed, heir account) and its
/// columns measured from the lines it shows; read as the page it draws.
fn render_statement(frame: &mut Frame, bottom: Rect, app: &App, p: &LedgerPane) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let muted = st.theme.style(Meaning::Muted);

    let title = match &p.statement {
        Some(s) => tr.f(
            "ledger.statement_of",
            &[
                (
                    "who",
                    &format!(
                        "{} {}",
                        s.member.number.clone().unwrap_or_default(),
                        s.member.name
                    ),
                ),
                ("balance", &s.balance),
            ],
        ),
        None => tr.t("ledger.statement").to_string(),
    };
    let block = panel(&title, true, &st.theme);
    let inner = block.inner(bottom);
    frame.render_widget(block, bottom);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    match &p.statement {
        None => lines.push(Line::from(Span::styled(tr.t("ledger.pick_member"), muted))),
        Some(s) => {
            if s.frozen {
                lines.push(Line::from(Span::styled(
                    tr.t("ledger.frozen"),
                    st.theme.style(Meaning::Warning),
                )));
            }
            if let Some((name, code, balance)) = &s.heir_account {
                lines.push(Line::from(Span::styled(
                    tr.f(
                        "estate.heir_account",
                        &[("name", name), ("code", code), ("balance", balance)],
                    ),
                    st.theme.style(Meaning::Accent),
                )));
            }
            if s.owed > 0 {
                lines.push(Line::from(Span::styled(
                    tr.f("owed.line", &[("points", &s.owed)]),
                    st.theme.style(Meaning::Warning),
                )));
            }
            // the kind as wide as the widest shown ("merchant redemption"
            // in English) within bounds; the memo takes what is left
            let kind_w = s
                .lines
                .iter()
                .map(|l| text::width(tr.t(l.kind.label_key())))
                .chain([8])
                .max()
                .unwrap_or(8)
                .min(20);
            let balance_w = text::width(tr.t("ledger.col.balance")).max(6);
            let memo_w = w.saturating_sub(11 + kind_w + 6 + balance_w + 16 + 7 + 6);
            lines.push(columns(&[
                (tr.t("ledger.col.time").into(), 11, muted),
                (tr.t("ledger.col.kind").into(), kind_w, muted),
                (tr.t("ledger.col.delta").into(), 6, muted),
                (tr.t("ledger.col.balance").into(), balance_w, muted),
                (tr.t("ledger.col.counterpart").into(), 16, muted),
                (tr.t("ledger.col.staff").into(), 7, muted),
                (tr.t("ledger.col.memo").into(), memo_w, muted),
            ]));
            let rows = (inner.height as usize).saturating_sub(lines.len());
            let start = window_start(p.sel, s.lines.len(), rows);
            for (i, l) in s.lines.iter().enumerate().skip(start).take(rows) {
                let base = if i == p.sel {
                    st.theme.style(Meaning::Selected)
                } else {
                    st.theme.style(Meaning::Text)
                };
                let ds = if i == p.sel {
                    base
                } else if l.delta < 0 {
                    st.theme.style(Meaning::Warning)
                } else {
                    st.theme.style(Meaning::Ok)
                };
                // a merchant by its name alone: its account code
                // ("x:JS01-S001") means nothing at the desk
                let counterpart = match &l.counterpart_name {
                    Some(n) if l.counterpart.starts_with("x:") => n.clone(),
                    Some(n) => format!("{} {}", l.counterpart.trim_start_matches("m:"), n),
                    None if l.counterpart == "pool" => tr.t("payer.pool").to_string(),
                    None => l.counterpart.clone(),
                };
                let memo = match (&l.reverses, &l.memo) {
                    (Some(r), m) => format!(
                        "↩{} {}",
                        &r[..8.min(r.len())],
                        m.clone().unwrap_or_default()
                    ),
                    (None, Some(m)) if m == crate::store::owed::OWED_MEMO => {
                        tr.t("owed.taken_memo").to_string()
                    }
                    (None, Some(m)) => m.clone(),
                    _ => l.record_id.map(|r| format!("#{r}")).unwrap_or_default(),
                };
                lines.push(columns(&[
                    (time::fmt_local(l.at, tz, "%m-%d %H:%M"), 11, base),
                    (tr.t(l.kind.label_key()).into(), kind_w, base),
                    (format!("{:+}", l.delta), 6, ds),
                    (l.balance_after.to_string(), balance_w, base),
                    (counterpart, 16, base),
                    (l.staff.clone().unwrap_or_default(), 7, base),
                    (memo, memo_w, base),
                ]));
            }
            if s.lines.is_empty() {
                lines.push(Line::from(Span::styled(tr.t("ledger.no_lines"), muted)));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
