//! The hub's fund view: the balance, the expenses waiting for signatures,
//! the latest rows; or the week's notice board as generated.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::hub::{HubFormKind, HubPane};
use crate::domain::fund::SIGNATURES_NEEDED;
use crate::domain::merchant::yuan;
use crate::domain::time;
use crate::i18n::Tr;
use crate::print::{Block, Document};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The title of a fund form's pop-up (`None`: not a fund form).
pub fn form_title<'a>(tr: &Tr, kind: &HubFormKind) -> Option<&'a str>
where
    'static: 'a,
{
    match kind {
        HubFormKind::Income => Some(tr.t("fund.income_title")),
        HubFormKind::Expense => Some(tr.t("fund.expense_title")),
        HubFormKind::Sign { .. } => Some(tr.t("fund.sign_title")),
        HubFormKind::Plan
        | HubFormKind::SignUp { .. }
        | HubFormKind::Attend { .. }
        | HubFormKind::Tool(_)
        | HubFormKind::Award { .. } => None,
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let f = &p.fund;
    let pending_h = (f.view.pending.len() as u16 + 3).clamp(4, 8);
    let [head, pending_area, rows_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(pending_h),
        Constraint::Min(4),
    ])
    .areas(area);
    let head_line = Line::from(vec![
        Span::styled(
            tr.f("fund.balance", &[("v", &yuan(f.view.balance_fen))]),
            st.theme.style(Meaning::Title),
        ),
        Span::styled(
            format!("  {}", tr.t("fund.view_hint")),
            st.theme.style(Meaning::Muted),
        ),
    ]);
    frame.render_widget(Paragraph::new(head_line), head);
    match &f.board {
        Some(doc) => board(
            frame,
            pending_area.union(rows_area),
            app,
            doc,
            f.board_scroll,
        ),
        None => {
            pending(frame, pending_area, app, p);
            entries(frame, rows_area, app, p);
        }
    }
    let of = p.form.as_ref()?;
    let title = form_title(tr, &of.kind)?;
    let rect = centered(area, 70, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}

fn pending(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) {
    let st = &app.state;
    let tr = &st.tr;
    let f = &p.fund;
    let block = panel(tr.t("fund.pending"), p.form.is_none(), &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let muted = st.theme.style(Meaning::Muted);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if f.view.pending.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("fund.no_pending"), muted)));
    }
    let rows = inner.height as usize;
    let start = window_start(f.sel, f.view.pending.len(), rows);
    for (i, e) in f.view.pending.iter().enumerate().skip(start).take(rows) {
        let style = if i == f.sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        };
        let names: Vec<&str> = e.signatures.iter().map(|s| s.name.as_str()).collect();
        let signed = tr.f(
            "fund.signed_by",
            &[
                ("n", &e.signatures.len()),
                ("need", &SIGNATURES_NEEDED),
                ("names", &names.join("、")),
            ],
        );
        let what = (w.saturating_sub(24) / 2).max(20);
        lines.push(columns(&[
            (tr.t(e.kind.label_key()).into(), 10, style),
            (yuan(e.amount_fen), 10, style),
            (format!("{} · {}", e.party, e.purpose), what, style),
            (signed, w.saturating_sub(24 + what), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn entries(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let f = &p.fund;
    let block = panel(tr.t("fund.rows"), false, &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let muted = st.theme.style(Meaning::Muted);
    let w = inner.width as usize;
    let mut lines = vec![columns(&[
        (tr.t("fund.col.date").into(), 12, muted),
        (tr.t("fund.col.kind").into(), 10, muted),
        (tr.t("fund.col.amount").into(), 10, muted),
        (tr.t("fund.col.left").into(), 10, muted),
        (tr.t("fund.col.what").into(), w.saturating_sub(46), muted),
    ])];
    if f.view.entries.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("fund.no_rows"), muted)));
    }
    let text = st.theme.style(Meaning::Text);
    for e in f.view.entries.iter().take(inner.height as usize) {
        let amount = if e.amount_fen > 0 {
            format!("+{}", yuan(e.amount_fen))
        } else {
            yuan(e.amount_fen)
        };
        lines.push(columns(&[
            (time::fmt_local(e.at, tz, "%m-%d %H:%M"), 12, text),
            (tr.t(e.kind.label_key()).into(), 10, text),
            (amount, 10, text),
            (yuan(e.balance_fen), 10, text),
            (
                format!("{} · {}", e.party, e.purpose),
                w.saturating_sub(46),
                text,
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The notice board as text lines (the desk's preview of the page).
pub fn board_lines(doc: &Document) -> Vec<String> {
    let mut out = vec![doc.title.clone()];
    for b in &doc.blocks {
        match b {
            Block::Heading(t) => out.push(format!("【{t}】")),
            Block::Paragraph(t) => out.push(t.clone()),
            Block::Fields(pairs) => {
                out.extend(pairs.iter().map(|(k, v)| format!("{k}:{v}")));
            }
            Block::Table { headers, rows } => {
                out.push(headers.join(" | "));
                out.extend(rows.iter().map(|r| r.join(" | ")));
            }
            Block::Blank { label, .. } => out.push(format!("{label}:____")),
            Block::Signatures(labels) => {
                out.extend(labels.iter().map(|l| format!("{l}:____")));
            }
        }
    }
    out
}

fn board(frame: &mut Frame, area: Rect, app: &App, doc: &Document, scroll: u16) {
    let st = &app.state;
    let tr = &st.tr;
    let block = panel(tr.t("fund.board_preview"), true, &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines: Vec<Line> = board_lines(doc).into_iter().map(Line::from).collect();
    // wrapped by the width module: ratatui's own wrap can leave a wide
    // glyph one cell past the edge, over the border
    frame.render_widget(
        Paragraph::new(crate::text::wrap(lines, inner.width)).scroll((scroll, 0)),
        inner,
    );
}
