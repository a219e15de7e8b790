//! Pane 6: the member list (all, review, levels, trust list, blacklist) and
//! the selected member's detail.

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
use ratatui::widgets::{Paragraph, Wrap};

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

/// The selected member's standing.
///
/// Over 80 lines: one short block per line of the member's card (phone,
/// building, level and why, service, balance, violations, cards, …), in
/// the order the desk reads them out.
fn detail(frame: &mut Frame, area: Rect, app: &App, d: &MemberDetail) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let revealed = st.desk().and_then(|d| d.revealed.as_ref());
    let shown = |pick: fn(&Revealed) -> Option<&str>, stored: &str| {
        shown_phone(revealed, d.row.id, pick, stored)
    };
    let label = st.theme.style(Meaning::Muted);
    let kv = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("{} ", tr.t(k)), label),
            Span::raw(v),
        ])
    };
    let r = &d.row;
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", r.name), st.theme.style(Meaning::Title)),
        Span::raw(format!("{}  ", r.number.clone().unwrap_or_default())),
        Span::styled(
            tr.t(r.level.label_key()).to_string(),
            st.theme.style(Meaning::Accent),
        ),
        Span::raw(format!("  {}", tr.t(r.status.label_key()))),
    ])];
    if r.blacklisted {
        lines.push(Line::from(Span::styled(
            tr.f(
                "detail.blacklisted",
                &[("reason", &d.blacklist_reason.clone().unwrap_or_default())],
            ),
            st.theme.style(Meaning::Urgent),
        )));
    }
    if let Some(c) = &d.checked {
        let day = time::fmt_local(c.at, tz, "%m-%d %H:%M");
        lines.push(Line::from(Span::styled(
            tr.f("detail.checked", &[("day", &day), ("staff", &c.staff)]),
            st.theme.style(Meaning::Accent),
        )));
    }
    // a person applying again: the review sees each earlier rejection (the
    // newest is the decision itself while they stand rejected)
    let current = usize::from(r.status == MemberStatus::Rejected);
    for rj in d.rejections.iter().skip(current).take(2) {
        let key = if rj.false_identity {
            "detail.rejected_false_identity"
        } else {
            "detail.rejected_before"
        };
        let day = time::fmt_local(rj.at, tz, "%Y-%m-%d");
        lines.push(Line::from(Span::styled(
            tr.f(
                key,
                &[("day", &day), ("reason", &rj.reason), ("staff", &rj.staff)],
            ),
            st.theme.style(Meaning::Warning),
        )));
    }
    if d.frozen {
        lines.push(Line::from(Span::styled(
            tr.f(
                "detail.frozen",
                &[("reason", &d.frozen_reason.clone().unwrap_or_default())],
            ),
            st.theme.style(Meaning::Warning),
        )));
    }
    if let Some(u) = d.redeem_frozen_until {
        lines.push(Line::from(Span::styled(
            tr.f(
                "detail.redeem_frozen",
                &[("until", &time::fmt_local(u, tz, "%m-%d %H:%M"))],
            ),
            st.theme.style(Meaning::Warning),
        )));
    }
    let phone = shown(|r| Some(&r.phone), &r.phone);
    let both = format!("{}   {} {}", phone, tr.t("detail.id"), d.id_masked);
    // where the two do not fit on a line (80 columns), the masked ID number
    // gets its own rather than wrapping away from its label
    if text::width(tr.t("detail.phone")) + 1 + text::width(&both) <= area.width as usize {
        lines.push(kv("detail.phone", both));
    } else {
        lines.push(kv("detail.phone", phone));
        lines.push(kv("detail.id", d.id_masked.clone()));
    }
    lines.push(kv(
        "detail.building",
        format!(
            "{}  ({} {})",
            r.building,
            tr.t("reg.community"),
            r.community
        ),
    ));
    // an applicant not yet approved is not "已审核通过": their status says
    // where the review stands instead
    let approved = r.status == MemberStatus::Approved;
    let mut why = d
        .level
        .reasons
        .iter()
        .filter(|x| approved || !matches!(x, Reason::Approved))
        .map(|x| reason_text(tr, x, tz))
        .collect::<Vec<_>>();
    if !approved {
        why.insert(0, tr.t(r.status.label_key()).to_string());
    }
    let why = why.join(";");
    let next = if d.level.next != r.level {
        tr.f(
            "detail.next_level",
            &[("level", &tr.t(d.level.next.label_key()))],
        )
    } else {
        String::new()
    };
    lines.push(kv(
        "detail.level",
        format!("{}{}  {}", tr.t(r.level.label_key()), next, why),
    ));
    let rate = (d.positive * 100)
        .checked_div(d.ratings)
        .map(|r| format!("{r}%"))
        .unwrap_or_else(|| "—".into());
    lines.push(kv(
        "detail.served",
        tr.f(
            "detail.served_v",
            &[
                ("hours", &format_hours(d.minutes_served)),
                ("rate", &rate),
                ("n", &d.ratings),
            ],
        ),
    ));
    lines.push(kv(
        "detail.balance",
        tr.f(
            "detail.balance_v",
            &[("points", &d.balance), ("trust", &r.trust_score)],
        ),
    ));
    if d.level.owed > 0 {
        lines.push(Line::from(Span::styled(
            tr.f("owed.line", &[("points", &d.level.owed)]),
            st.theme.style(Meaning::Warning),
        )));
    }
    let violations = if d.violations.is_empty() {
        tr.t("detail.none").to_string()
    } else {
        d.violations
            .iter()
            .take(3)
            .map(|v| {
                let until = v
                    .active_until
                    .filter(|u| *u > st.now)
                    .map(|u| {
                        tr.f(
                            "detail.until",
                            &[("d", &time::fmt_local(u, tz, "%Y-%m-%d"))],
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "{}{} {}",
                    tr.t(v.severity.label_key()),
                    until,
                    text::truncate(&v.reason, 12)
                )
            })
            .collect::<Vec<_>>()
            .join(";")
    };
    lines.push(kv(
        "detail.standing",
        tr.f(
            "detail.standing_v",
            &[
                ("w", &d.warnings),
                ("s", &d.serious_complaints),
                ("v", &violations),
            ],
        ),
    ));
    if let Some(u) = d.upgrade_blocked_until {
        lines.push(kv("detail.wait", time::fmt_local(u, tz, "%Y-%m-%d")));
    }
    let card = d
        .cards
        .iter()
        .find(|c| c.voided_at.is_none())
        .map(|c| {
            format!(
                "{} ({})",
                c.serial,
                time::fmt_local(c.issued_at, tz, "%Y-%m-%d")
            )
        })
        .unwrap_or_else(|| tr.t("detail.no_card").to_string());
    lines.push(kv("detail.card", card));
    if let Some(rec) = &d.recommender {
        lines.push(kv("reg.recommender", rec.clone()));
    } else if r.status == MemberStatus::Pending || d.master_note.is_some() {
        lines.push(kv(
            "reg.recommender",
            format!(
                "{} {}",
                tr.t("review.no_recommender"),
                d.master_note.clone().unwrap_or_default()
            ),
        ));
    }
    let names = |ids: &[i64]| {
        ids.iter()
            .filter_map(|id| st.catalog.iter().find(|t| t.id == *id))
            .map(|t| t.name(tr.lang).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    lines.push(kv("reg.offers", names(&d.offers)));
    if !d.needs.is_empty() {
        lines.push(kv("reg.needs", names(&d.needs)));
    }
    lines.push(kv(
        "detail.emergency",
        format!(
            "{} {}",
            d.emergency_name,
            shown(|r| Some(&r.emergency_phone), &d.emergency_phone)
        ),
    ));
    if let Some((n, rel, p)) = &d.heir {
        lines.push(kv(
            "heir.title",
            format!("{n} ({rel}) {}", shown(|r| r.heir_phone.as_deref(), p)),
        ));
    }
    if r.status == MemberStatus::Pending {
        let (clk, over) = clock(
            tr,
            review_deadline(r.submitted_at, st.settings.review_hours),
            st.now,
        );
        lines.push(Line::from(Span::styled(
            format!("{} {clk}", tr.t("review.clock")),
            if over {
                st.theme.style(Meaning::Overdue)
            } else {
                label
            },
        )));
    }
    if !d.records.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("detail.recent"), label)));
        for rec in &d.records {
            let (role, other) = if rec.provider_id == r.id {
                ("→", &rec.recipient)
            } else {
                ("←", &rec.provider)
            };
            lines.push(Line::from(format!(
                " {} {role} {} {}{} {}",
                time::fmt_local(rec.ended_at, tz, "%m-%d"),
                text::truncate(other, 8),
                rec.minutes,
                tr.t("unit.min"),
                rec.rating.map(|x| format!("★{x}")).unwrap_or_default()
            )));
        }
    }
    for (at, t) in d.thanks.iter().take(2) {
        lines.push(Line::from(Span::styled(
            format!(
                " {} {} {}",
                tr.t("detail.thanks"),
                time::fmt_local(*at, tz, "%m-%d"),
                t
            ),
            st.theme.style(Meaning::Ok),
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
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
