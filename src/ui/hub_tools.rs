//! Pane 0's tool corner (工具角): the items with their counts, then the
//! loans out, overdue ones first in the warning colour; the borrower's
//! phone masked unless a station master revealed it.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::hub::{HubFormKind, HubPane, ToolForm};
use crate::domain::time;
use crate::domain::tool;
use crate::i18n::{Lang, Tr};
use crate::store::tools::{LoanRow, ToolItem};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn item_name(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The item column: the longest name shown, whole where it fits.
fn name_width(app: &App, p: &HubPane) -> usize {
    let lang = app.state.tr.lang;
    let items = p
        .tools
        .items
        .iter()
        .map(|i| item_name(lang, &i.name_zh, &i.name_en));
    let loans = p
        .tools
        .loans
        .iter()
        .map(|l| item_name(lang, &l.item_zh, &l.item_en));
    items
        .chain(loans)
        .map(|n| crate::text::width(&n))
        .max()
        .unwrap_or(8)
        .clamp(8, 22)
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let v = &p.tools;
    let items_h = (v.items.len() as u16 + 3).clamp(4, area.height / 2);
    let [items_area, loans_area] =
        Layout::vertical([Constraint::Length(items_h), Constraint::Min(4)]).areas(area);
    items(frame, items_area, app, p);
    loans(frame, loans_area, app, p);
    let of = p.form.as_ref()?;
    let HubFormKind::Tool(kind) = &of.kind else {
        return None;
    };
    let title = form_title(tr, st.tr.lang, p, kind);
    let rect = centered(area, 70, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, &title, &of.form, tr, &st.theme)
}

/// The form's title names the item and, for a loan, who has it.
fn form_title(tr: &Tr, lang: Lang, p: &HubPane, kind: &ToolForm) -> String {
    let item = |id: i64| {
        p.tools
            .items
            .iter()
            .find(|i| i.id == id)
            .map(|i| item_name(lang, &i.name_zh, &i.name_en))
            .unwrap_or_default()
    };
    let loan = |id: i64| p.tools.loans.iter().find(|l| l.id == id);
    match kind {
        ToolForm::Lend { item_id } => tr.f("tool.lend_title", &[("item", &item(*item_id))]),
        ToolForm::TakeBack { loan_id } => {
            let (what, who) = loan(*loan_id)
                .map(|l| {
                    (
                        item_name(lang, &l.item_zh, &l.item_en),
                        l.member_name.clone(),
                    )
                })
                .unwrap_or_default();
            tr.f("tool.back_title", &[("item", &what), ("who", &who)])
        }
        ToolForm::WriteOff { item_id, loan_id } => match loan_id.and_then(loan) {
            Some(l) => tr.f(
                "tool.write_off_loan_title",
                &[("item", &item(*item_id)), ("who", &l.member_name)],
            ),
            None => tr.f("tool.write_off_title", &[("item", &item(*item_id))]),
        },
    }
}

fn items(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) {
    let st = &app.state;
    let tr = &st.tr;
    let v = &p.tools;
    let block = panel(tr.t("tool.title"), p.form.is_none(), &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let muted = st.theme.style(Meaning::Muted);
    let w = inner.width as usize;
    let nw = name_width(app, p);
    let rest = w.saturating_sub(nw + 32);
    let mut lines = vec![columns(&[
        (tr.t("tool.col.item").into(), nw, muted),
        (tr.t("tool.col.kind").into(), 10, muted),
        (tr.t("tool.col.count").into(), 6, muted),
        (tr.t("tool.col.shelf").into(), 6, muted),
        (tr.t("tool.col.out").into(), 6, muted),
        (tr.t("tool.col.overdue").into(), rest, muted),
    ])];
    if v.items.is_empty() {
        let msg = if v.loaded {
            tr.t("tool.no_items")
        } else {
            tr.t("routine.loading")
        };
        lines.push(Line::from(Span::styled(msg, muted)));
    }
    let rows = (inner.height as usize).saturating_sub(1);
    let sel = (v.sel < v.items.len()).then_some(v.sel);
    let start = window_start(sel.unwrap_or(0), v.items.len(), rows);
    for (i, it) in v.items.iter().enumerate().skip(start).take(rows) {
        lines.push(item_line(app, it, sel == Some(i), (nw, rest)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn item_line(
    app: &App,
    it: &ToolItem,
    selected: bool,
    (nw, rest): (usize, usize),
) -> Line<'static> {
    let st = &app.state;
    let tr = &st.tr;
    let base = if selected {
        st.theme.style(Meaning::Selected)
    } else if it.kind.lendable() {
        st.theme.style(Meaning::Text)
    } else {
        st.theme.style(Meaning::Muted)
    };
    let late = if it.overdue > 0 && !selected {
        st.theme.style(Meaning::Warning)
    } else {
        base
    };
    let or_dash = |n: u32| {
        if n == 0 {
            "—".to_string()
        } else {
            n.to_string()
        }
    };
    columns(&[
        (item_name(st.tr.lang, &it.name_zh, &it.name_en), nw, base),
        (tr.t(it.kind.label_key()).into(), 10, base),
        (it.count.to_string(), 6, base),
        (
            tool::expected_on_shelf(it.count, it.on_loan).to_string(),
            6,
            base,
        ),
        (or_dash(it.on_loan), 6, base),
        (or_dash(it.overdue), rest, late),
    ])
}

fn loans(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) {
    let st = &app.state;
    let tr = &st.tr;
    let v = &p.tools;
    let title = tr.f("tool.loans_title", &[("n", &v.loans.len())]);
    let block = panel(&title, false, &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let muted = st.theme.style(Meaning::Muted);
    if v.loans.is_empty() {
        let msg = if v.loaded {
            tr.t("tool.no_loans")
        } else {
            tr.t("routine.loading")
        };
        frame.render_widget(Paragraph::new(msg).style(muted), inner);
        return;
    }
    let w = inner.width as usize;
    let nw = name_width(app, p);
    let rows = inner.height as usize;
    let sel = v.sel.checked_sub(v.items.len());
    let start = window_start(sel.unwrap_or(0), v.loans.len(), rows);
    let lines: Vec<Line> = v
        .loans
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(i, l)| loan_line(app, l, sel == Some(i), (nw, w)))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// When a loan is due, or how late it is.
pub fn due_words(tr: &Tr, l: &LoanRow, today: chrono::NaiveDate) -> (String, bool) {
    if l.overdue_on(today) {
        let n = tool::days_overdue(l.due, today);
        (tr.f("tool.overdue_days", &[("n", &n)]), true)
    } else {
        let due = l.due.format("%m-%d").to_string();
        (tr.f("tool.due_on", &[("due", &due)]), false)
    }
}

fn loan_line(app: &App, l: &LoanRow, selected: bool, (nw, w): (usize, usize)) -> Line<'static> {
    let st = &app.state;
    let tr = &st.tr;
    let today = time::local_day(st.now, st.tz());
    let (due, late) = due_words(tr, l, today);
    let base = if selected {
        st.theme.style(Meaning::Selected)
    } else {
        st.theme.style(Meaning::Text)
    };
    let due_style = if late && !selected {
        st.theme.style(Meaning::Warning)
    } else {
        base
    };
    let phone = crate::app::reveal::shown_phone(
        st.desk().and_then(|d| d.revealed.as_ref()),
        l.member_id,
        |r| Some(&r.phone),
        &l.phone,
    );
    let lent = time::fmt_local(l.lent_at, st.tz(), "%m-%d");
    columns(&[
        (item_name(st.tr.lang, &l.item_zh, &l.item_en), nw, base),
        (l.member_number.clone(), 9, base),
        (l.member_name.clone(), 8, base),
        (phone, 11, base),
        (tr.f("tool.lent_on", &[("at", &lent)]), 10, base),
        (due, w.saturating_sub(nw + 43), due_style),
    ])
}

/// Over the callback list: the borrowers of overdue loans to call, each
/// phone masked per the call rules (a station master reveals it). The
/// area left for the callback list; `None` when nothing is overdue.
pub fn overdue_calls(frame: &mut Frame, area: Rect, app: &App, list: &[LoanRow]) -> Option<Rect> {
    if list.is_empty() {
        return None;
    }
    let st = &app.state;
    let tr = &st.tr;
    let h = (list.len() as u16 + 2).min(area.height / 3).max(3);
    let [top, rest] = Layout::vertical([Constraint::Length(h), Constraint::Min(3)]).areas(area);
    let title = tr.f("tool.callback_title", &[("n", &list.len())]);
    let block = panel(&title, false, &st.theme);
    let inner = block.inner(top);
    frame.render_widget(block, top);
    let today = time::local_day(st.now, st.tz());
    let w = inner.width as usize;
    let text = st.theme.style(Meaning::Text);
    let warn = st.theme.style(Meaning::Warning);
    let lines: Vec<Line> = list
        .iter()
        .take(inner.height as usize)
        .map(|l| {
            let phone = crate::app::reveal::shown_phone(
                st.desk().and_then(|d| d.revealed.as_ref()),
                l.member_id,
                |r| Some(&r.phone),
                &l.phone,
            );
            columns(&[
                (l.member_number.clone(), 9, text),
                (l.member_name.clone(), 8, text),
                (phone, 11, text),
                (item_name(st.tr.lang, &l.item_zh, &l.item_en), 20, text),
                (due_words(tr, l, today).0, w.saturating_sub(52), warn),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    Some(rest)
}
