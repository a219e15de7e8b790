//! Pane 6: the member list (all, review, levels, trust list, blacklist) and
//! the selected member's detail.

mod detail;
use detail::detail;

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::members::{MembersFormKind, MembersPane, View};
use crate::app::reveal::shown_phone;
use crate::domain::level::Reason;
use crate::domain::member::{MemberStatus, card_payload, review_deadline};
use crate::domain::time::{self, HOUR_MS, MINUTE_MS, Stamp};
use crate::domain::units::format_hours;
use crate::i18n::Tr;
use crate::store::members::MemberDetail;
use crate::store::reveal::Revealed;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// "剩 5 时" / "超时 3 时" for a deadline.
pub fn clock(tr: &Tr, deadline: Stamp, now: Stamp) -> (String, bool) {
    let left = deadline - now;
    let fmt = |ms: i64| {
        if ms >= HOUR_MS {
            tr.f("clock.hours", &[("n", &(ms / HOUR_MS))])
        } else {
            tr.f("clock.minutes", &[("n", &(ms / MINUTE_MS).max(0))])
        }
    };
    if left >= 0 {
        (tr.f("clock.left", &[("t", &fmt(left))]), false)
    } else {
        (tr.f("clock.over", &[("t", &fmt(-left))]), true)
    }
}

pub fn reason_text(tr: &Tr, r: &Reason, tz: chrono_tz::Tz) -> String {
    let h = |t: u64| format!("{}.{}", t / 10, t % 10);
    match r {
        Reason::Approved => tr.t("why.approved").to_string(),
        Reason::MetStar { hours_tenths, rate } => tr.f(
            "why.met_star",
            &[("hours", &h(*hours_tenths)), ("rate", rate)],
        ),
        Reason::MetHonor { hours_tenths, rate } => tr.f(
            "why.met_honor",
            &[("hours", &h(*hours_tenths)), ("rate", rate)],
        ),
        Reason::FewHours {
            have_tenths,
            need_hours,
        } => tr.f(
            "why.few_hours",
            &[("have", &h(*have_tenths)), ("need", need_hours)],
        ),
        Reason::FewRatings { have, need } => {
            tr.f("why.few_ratings", &[("have", have), ("need", need)])
        }
        Reason::LowRate { have, need } => tr.f("why.low_rate", &[("have", have), ("need", need)]),
        Reason::ActiveRecord => tr.t("why.active_record").to_string(),
        Reason::RecentViolation => tr.t("why.recent_violation").to_string(),
        Reason::Waiting { until } => tr.f(
            "why.waiting",
            &[("until", &time::fmt_local(*until, tz, "%Y-%m-%d"))],
        ),
        Reason::Blacklisted => tr.t("why.blacklisted").to_string(),
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &MembersPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Percentage(52)]).areas(area);
    let title = View::ALL
        .iter()
        .map(|v| {
            if *v == p.view {
                format!("[{}]", tr.t(v.title_key()))
            } else {
                tr.t(v.title_key()).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let block = panel(&title, true, &st.theme);
    let inner = block.inner(left);
    frame.render_widget(block, left);
    list(frame, inner, app, p);
    let block = panel(tr.t("members.detail"), false, &st.theme);
    let inner = block.inner(right);
    frame.render_widget(block, right);
    match &p.detail {
        Some(d) if p.selected(&st.index) == Some(d.row.id) => {
            if p.show_qr {
                qr(frame, inner, app, d);
            } else {
                detail(frame, inner, app, d);
            }
        }
        _ => {
            let hint = if p.is_empty() {
                tr.t("members.empty")
            } else {
                tr.t("members.loading")
            };
            frame.render_widget(
                Paragraph::new(Span::styled(hint, st.theme.style(Meaning::Muted))),
                inner,
            );
        }
    }
    let of = p.form.as_ref()?;
    let title = match &of.kind {
        MembersFormKind::Register => tr.t("reg.title"),
        MembersFormKind::Approve { .. } => tr.t("review.approve_title"),
        MembersFormKind::Reject { .. } => tr.t("review.reject_title"),
        MembersFormKind::Notified { .. } => tr.t("review.call_title"),
        MembersFormKind::Card { .. } => tr.t("card.title"),
        MembersFormKind::Heir { .. } => tr.t("heir.title"),
        MembersFormKind::Violation { .. } => tr.t("violation.title"),
        MembersFormKind::Print { .. } => tr.t("print.title"),
    };
    let h = (super::form::form_height(&of.form) + 2).min(area.height);
    let rect = if of.kind == MembersFormKind::Register {
        area
    } else {
        centered(area, 72, h)
    };
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}

/// The list of the view in front.
///
/// Over 80 lines: one arm per view (all, review, levels, trust list,
/// blacklist), each a few columns over the same window and styles.
fn list(frame: &mut Frame, area: Rect, app: &App, p: &MembersPane) {
    let st = &app.state;
    let tr = &st.tr;
    let rows = area.height as usize;
    let start = window_start(p.sel, p.len(), rows);
    let w = area.width as usize;
    let muted = st.theme.style(Meaning::Muted);
    let mut lines: Vec<Line> = Vec::new();
    let style_for = |i: usize| {
        if i == p.sel {
            st.theme.style(Meaning::Selected)
        } else {
            st.theme.style(Meaning::Text)
        }
    };
    match p.view {
        View::All => {
            for (i, ix) in p.order.iter().enumerate().skip(start).take(rows) {
                let e = st.index.entry(*ix);
                let base = style_for(i);
                let status = if e.status == MemberStatus::Approved {
                    tr.t(e.level.label_key())
                } else {
                    tr.t(e.status.label_key())
                };
                let status_style = if i == p.sel || e.status == MemberStatus::Approved {
                    base
                } else {
                    muted
                };
                let mut l = columns(&[
                    (e.number.clone(), 9, base),
                    (e.name.clone(), 10, base),
                    (status.to_string(), 6, status_style),
                    (e.building.clone(), w.saturating_sub(28), base),
                ]);
                if i == p.sel {
                    l = l.style(base);
                }
                lines.push(l);
            }
            if p.order.is_empty() {
                lines.push(Line::from(Span::styled(
                    if st.index_loaded {
                        tr.t("members.none")
                    } else {
                        tr.t("search.loading")
                    },
                    muted,
                )));
            }
        }
        View::Review => {
            for (i, m) in p.review.iter().enumerate().skip(start).take(rows) {
                let base = style_for(i);
                let (clk, over) = if m.status == MemberStatus::Pending {
                    clock(
                        tr,
                        review_deadline(m.submitted_at, st.settings.review_hours),
                        st.now,
                    )
                } else {
                    (tr.t("review.to_notify").to_string(), false)
                };
                let clk_style = if over && i != p.sel {
                    st.theme.style(Meaning::Overdue)
                } else {
                    base
                };
                let tag = if m.online {
                    tr.t("review.online")
                } else if !m.has_recommender {
                    tr.t("review.no_recommender")
                } else {
                    ""
                };
                lines.push(columns(&[
                    (m.name.clone(), 10, base),
                    (tr.t(m.status.label_key()).to_string(), 7, base),
                    (clk, 12, clk_style),
                    (
                        tag.to_string(),
                        w.saturating_sub(32),
                        if i == p.sel {
                            base
                        } else {
                            st.theme.style(Meaning::Warning)
                        },
                    ),
                ]));
            }
            if p.review.is_empty() {
                lines.push(Line::from(Span::styled(tr.t("review.empty"), muted)));
            }
        }
        View::Levels => {
            let tz = st.tz();
            for (i, l) in p.levels.iter().enumerate().skip(start).take(rows) {
                let base = style_for(i);
                let change = if l.current == l.next {
                    tr.t(l.next.label_key()).to_string()
                } else {
                    format!(
                        "{}→{}",
                        tr.t(l.current.label_key()),
                        tr.t(l.next.label_key())
                    )
                };
                let mut why = l
                    .reasons
                    .last()
                    .map(|r| reason_text(tr, r, tz))
                    .unwrap_or_default();
                if l.owed > 0 {
                    why = format!("{} {why}", tr.f("owed.short", &[("points", &l.owed)]));
                }
                let cs = if l.current != l.next && i != p.sel {
                    st.theme.style(Meaning::Accent)
                } else {
                    base
                };
                lines.push(columns(&[
                    (l.number.clone(), 9, base),
                    (l.name.clone(), 8, base),
                    (change, 9, cs),
                    (why, w.saturating_sub(29), base),
                ]));
            }
        }
        View::Trust => {
            for (i, (r, number, name)) in p.trust.iter().enumerate().skip(start).take(rows) {
                let base = style_for(i);
                lines.push(columns(&[
                    (format!("{:>2}", i + 1), 2, base),
                    (number.clone(), 9, base),
                    (name.clone(), 10, base),
                    (r.score.to_string(), 4, base),
                    (
                        format!("{:+}", r.gained_this_month),
                        w.saturating_sub(29),
                        base,
                    ),
                ]));
            }
        }
        View::Notice => {
            let tz = st.tz();
            for (i, n) in p.notice.iter().enumerate().skip(start).take(rows) {
                let base = style_for(i);
                lines.push(columns(&[
                    (n.number.clone(), 9, base),
                    (n.name.clone(), 8, base),
                    (time::fmt_local(n.at, tz, "%Y-%m-%d"), 10, base),
                    (n.reason.clone(), w.saturating_sub(30), base),
                ]));
            }
            if p.notice.is_empty() {
                lines.push(Line::from(Span::styled(
                    tr.t("members.notice_empty"),
                    muted,
                )));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The card's QR code, dark on light whatever the theme, for a phone to scan.
fn qr(frame: &mut Frame, area: Rect, app: &App, d: &MemberDetail) {
    let st = &app.state;
    let Some(card) = d.cards.iter().find(|c| c.voided_at.is_none()) else {
        frame.render_widget(
            Paragraph::new(Span::styled(
                st.tr.t("export.no_card"),
                st.theme.style(Meaning::Warning),
            )),
            area,
        );
        return;
    };
    let payload = card_payload(&d.row.number.clone().unwrap_or_default(), &card.serial);
    let lines = crate::qr::modules(&payload)
        .map(|g| crate::qr::half_block_lines(&g))
        .unwrap_or_default();
    let qr_style = Style::default().fg(Color::Black).bg(Color::White);
    let mut out: Vec<Line> = lines
        .iter()
        .map(|l| Line::from(Span::styled(l.clone(), qr_style)))
        .collect();
    out.push(Line::from(format!("{payload}  {}", d.row.name)));
    frame.render_widget(Paragraph::new(out), area);
}
