//! Pane 8: merchants in order of their members' ratings, and the one in
//! front — its offers with what is left of each cap this month, its
//! redemptions, its price checks, violations and deposit.

use super::form::form_popup;
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::merchants::{MerchantFormKind, MerchantsPane, View, merchant_severity_key};
use crate::domain::merchant::{self, Grade, Status, stars, yuan};
use crate::domain::time;
use crate::domain::violation::Severity;
use crate::store::merchants::{MerchantDetail, MerchantRow};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &MerchantsPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(area);
    list(frame, left, app, p);
    let title = p
        .selected()
        .map(|m| format!("{} {}", m.code, m.name))
        .unwrap_or_else(|| tr.t("pane.merchants").to_string());
    let block = panel(&title, false, &st.theme);
    let inner = block.inner(right);
    frame.render_widget(block, right);
    if let Some(d) = p.detail() {
        let mut head = head_lines(app, &d.merchant);
        head.extend(super::hub_medals::medal_line(app, &d.medals));
        let [h, body] = Layout::vertical([
            Constraint::Length(head.len() as u16 + 1),
            Constraint::Min(1),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(head), h);
        let lines = match p.view {
            View::Offers => offer_lines(app, d, p.offer_sel, p.form.is_none(), body.width as usize),
            View::Redemptions => redemption_lines(app, d, p),
            View::Record => record_lines(app, d),
        };
        let sel = if p.view == View::Offers {
            p.offer_sel + 1
        } else {
            0
        };
        let start = window_start(sel, lines.len(), body.height as usize);
        frame.render_widget(
            Paragraph::new(lines.into_iter().skip(start).collect::<Vec<_>>()),
            body,
        );
    } else if p.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(crate::text::wrap(tr.t("merchant.empty"), inner.width))
                .style(st.theme.style(Meaning::Muted)),
            inner,
        );
    }
    let of = p.form.as_ref()?;
    let title = match of.kind {
        MerchantFormKind::Merchant { id: 0 } => tr.t("merchant.new_title"),
        MerchantFormKind::Merchant { .. } => tr.t("merchant.edit_title"),
        MerchantFormKind::Offer { .. } => tr.t("cmd.new_offer"),
        MerchantFormKind::Redeem { .. } => tr.t("cmd.redeem"),
        MerchantFormKind::Rate => tr.t("cmd.rate"),
        MerchantFormKind::Price => tr.t("cmd.price_check"),
        MerchantFormKind::Violation => tr.t("cmd.violation"),
        MerchantFormKind::Status => tr.t("cmd.merchant_status"),
        MerchantFormKind::Deposit => tr.t("cmd.deposit"),
        MerchantFormKind::Import => tr.t("cmd.import"),
    };
    let rect = centered(area, 76, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}

fn grade_style(app: &App, g: Grade) -> ratatui::style::Style {
    let t = &app.state.theme;
    match g {
        Grade::Gold | Grade::Silver => t.style(Meaning::Ok),
        Grade::Watch => t.style(Meaning::Warning),
        _ => t.style(Meaning::Muted),
    }
}

fn list(frame: &mut Frame, area: Rect, app: &App, p: &MerchantsPane) {
    let st = &app.state;
    let tr = &st.tr;
    let block = panel(
        &tr.f("merchant.title", &[("n", &p.rows.len())]),
        p.form.is_none(),
        &st.theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let settle_h = u16::from(p.settlement.is_some()) * 2;
    let [rows_area, settle] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(settle_h)]).areas(inner);
    let w = rows_area.width as usize;
    let rows = rows_area.height as usize;
    let start = window_start(p.sel, p.rows.len(), rows);
    let mut lines = Vec::new();
    for (i, m) in p.rows.iter().enumerate().skip(start).take(rows) {
        let base = if i == p.sel {
            st.theme.style(Meaning::Selected)
        } else if m.status == Status::Ended {
            st.theme.style(Meaning::Muted)
        } else {
            st.theme.style(Meaning::Text)
        };
        let mark = if m.status == Status::Ended {
            tr.t("merchant.status.ended").to_string()
        } else if m.paused_at(st.now) {
            tr.t("merchant.status.paused").to_string()
        } else if m.flagged_prices + m.open_violations > 0 {
            "!".into()
        } else {
            String::new()
        };
        let gs = if i == p.sel {
            base
        } else {
            grade_style(app, m.grade)
        };
        lines.push(columns(&[
            (m.name.clone(), w.saturating_sub(15).max(6), base),
            (tr.t(m.grade.label_key()).to_string(), 7, gs),
            (
                mark,
                6,
                if i == p.sel {
                    base
                } else {
                    st.theme.style(Meaning::Warning)
                },
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), rows_area);
    if let Some(s) = &p.settlement {
        let reqs: u32 = s.lines.iter().map(|l| l.requests).sum();
        let fen: i64 = s.lines.iter().map(|l| l.discounts_fen).sum();
        frame.render_widget(
            Paragraph::new(crate::text::wrap(
                tr.f(
                    "settle.summary",
                    &[
                        ("month", &s.month),
                        ("n", &s.lines.len()),
                        ("yuan", &yuan(fen)),
                        ("requests", &reqs),
                    ],
                ),
                settle.width,
            ))
            .style(st.theme.style(Meaning::Muted)),
            settle,
        );
    }
}

fn head_lines(app: &App, m: &MerchantRow) -> Vec<Line<'static>> {
    // Long because: the merchant's header fields as lines, top to bottom in the order they are drawn.
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let label = st.theme.style(Meaning::Muted);
    let kv = |k: &str, v: String| vec![Span::styled(format!("{} ", tr.t(k)), label), Span::raw(v)];
    let mut status = vec![Span::styled(format!("{} ", tr.t("merchant.status")), label)];
    match m.status {
        // past its days, a paused merchant waits for the remediation check
        Status::Active if m.awaiting_check > 0 && m.paused_until.is_none_or(|u| u <= st.now) => {
            status.push(Span::styled(
                tr.t("merchant.paused_for_check").to_string(),
                st.theme.style(Meaning::Warning),
            ))
        }
        Status::Active if m.paused_at(st.now) => status.push(Span::styled(
            tr.f(
                "merchant.paused_until",
                &[(
                    "at",
                    &m.paused_until
                        .map(|u| time::fmt_local(u, tz, "%m-%d %H:%M"))
                        .unwrap_or_default(),
                )],
            ),
            st.theme.style(Meaning::Warning),
        )),
        s => status.push(Span::styled(
            tr.t(s.label_key()).to_string(),
            st.theme.style(if s == Status::Active {
                Meaning::Ok
            } else {
                Meaning::Warning
            }),
        )),
    }
    if let Some(r) = &m.status_reason
        && m.status != Status::Active
    {
        status.push(Span::raw(format!(" · {r}")));
    }
    let rating = match m.average_x100() {
        Some(a) => tr.f(
            "merchant.rating_v",
            &[
                ("avg", &stars(a)),
                ("n", &m.rating_count),
                ("grade", &tr.t(m.grade.label_key())),
            ],
        ),
        None => tr.t("merchant.no_ratings").to_string(),
    };
    let mut out = vec![
        Line::from(format!(
            "{} · {} · {}",
            tr.t(m.kind.label_key()),
            m.address,
            tr.f("merchant.metres", &[("m", &m.distance_m)]),
        )),
        Line::from(kv(
            "merchant.contact",
            format!("{} {}", m.contact_name, m.contact_phone),
        )),
        Line::from(
            [
                kv("merchant.redeemer", m.redeemer.clone()),
                vec![Span::raw(" · ")],
                kv("merchant.community", m.community.clone()),
            ]
            .concat(),
        ),
        Line::from(kv(
            "merchant.agreement",
            format!("{} – {}", m.agreement_from, m.agreement_to),
        )),
        Line::from(status),
        Line::from(kv("merchant.rating", rating)),
        Line::from(
            [
                kv(
                    "merchant.deposit",
                    tr.f("merchant.yuan", &[("yuan", &yuan(m.deposit_fen))]),
                ),
                vec![Span::raw(" · ")],
                kv("merchant.points", m.points.to_string()),
            ]
            .concat(),
        ),
    ];
    if m.flagged_prices + m.open_violations > 0 {
        out.push(Line::from(Span::styled(
            tr.f(
                "merchant.warnings",
                &[
                    ("prices", &m.flagged_prices),
                    ("violations", &m.open_violations),
                ],
            ),
            st.theme.style(Meaning::Overdue),
        )));
    }
    out
}

fn offer_lines(
    app: &App,
    d: &MerchantDetail,
    sel: usize,
    focused: bool,
    w: usize,
) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let today = time::local_day(st.now, st.tz());
    let muted = st.theme.style(Meaning::Muted);
    let mut out = vec![Line::from(Span::styled(
        tr.f("merchant.offers", &[("n", &d.offers.len())]),
        st.theme.style(Meaning::Title),
    ))];
    // the merchant's cap holds across its offers
    let merchant_cap = merchant::merchant_cap(
        d.offers
            .iter()
            .filter(|o| o.withdrawn_at.is_none())
            .map(|o| o.offer.monthly_cap_fen),
    );
    let merchant_used: i64 = d.offers.iter().map(|o| o.used_fen).sum();
    for (i, o) in d.offers.iter().enumerate() {
        let current = o.current(today);
        let base = if focused && i == sel {
            st.theme.style(Meaning::Selected)
        } else if current {
            st.theme.style(Meaning::Text)
        } else {
            muted
        };
        let (left, cap) = merchant::cap_left(
            o.offer.monthly_cap_fen,
            o.used_fen,
            merchant_cap,
            merchant_used,
        );
        let state = if o.withdrawn_at.is_some() {
            tr.t("offer.withdrawn").to_string()
        } else if !current {
            tr.f(
                "offer.valid",
                &[("from", &o.offer.valid_from), ("to", &o.offer.valid_to)],
            )
        } else {
            tr.f(
                "offer.cap_left",
                &[("left", &yuan(left.max(0))), ("cap", &yuan(cap))],
            )
        };
        out.push(columns(&[
            (format!("#{}", o.id), 4, base),
            (
                o.offer.text.clone(),
                w.saturating_sub(4 + 9 + 18 + 3).max(6),
                base,
            ),
            (
                format!("{}→{}", o.offer.points, yuan(o.offer.value_fen)),
                9,
                base,
            ),
            (
                state,
                18,
                if left <= 0 && current {
                    st.theme.style(Meaning::Warning)
                } else {
                    base
                },
            ),
        ]));
    }
    if d.offers.is_empty() {
        out.push(Line::from(Span::styled(tr.t("offer.none"), muted)));
    }
    out
}

fn redemption_lines(app: &App, d: &MerchantDetail, p: &MerchantsPane) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let muted = st.theme.style(Meaning::Muted);
    let mut out = Vec::new();
    if let Some(r) = &p.import {
        out.push(Line::from(Span::styled(
            tr.f(
                "import.report",
                &[
                    ("n", &r.posted),
                    ("already", &r.already),
                    ("bad", &r.bad.len()),
                ],
            ),
            st.theme.style(if r.bad.is_empty() {
                Meaning::Ok
            } else {
                Meaning::Warning
            }),
        )));
        for (line, m) in &r.bad {
            out.push(Line::from(Span::styled(
                format!("  {} {line}: {}", tr.t("import.line"), tr.msg(m)),
                st.theme.style(Meaning::Error),
            )));
        }
    }
    out.push(Line::from(Span::styled(
        tr.t("merchant.redemptions"),
        st.theme.style(Meaning::Title),
    )));
    for r in &d.redemptions {
        out.push(columns(&[
            (time::fmt_local(r.redeemed_at, tz, "%m-%d %H:%M"), 11, muted),
            (
                format!("{} {}", r.member_number, r.member_name),
                18,
                st.theme.style(Meaning::Text),
            ),
            (
                format!("#{} ×{}", r.offer_id, r.count),
                7,
                st.theme.style(Meaning::Text),
            ),
            (
                tr.f("merchant.yuan", &[("yuan", &yuan(r.value_fen))]),
                8,
                st.theme.style(Meaning::Text),
            ),
        ]));
    }
    if d.redemptions.is_empty() {
        out.push(Line::from(Span::styled(
            tr.t("merchant.no_redemptions"),
            muted,
        )));
    }
    out
}

fn record_lines(app: &App, d: &MerchantDetail) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let title = st.theme.style(Meaning::Title);
    let muted = st.theme.style(Meaning::Muted);
    let date = |t| time::fmt_local(t, tz, "%m-%d");
    let mut out = vec![Line::from(Span::styled(tr.t("merchant.prices"), title))];
    for c in &d.prices {
        let style = if c.over_rule {
            st.theme.style(Meaning::Overdue)
        } else {
            st.theme.style(Meaning::Text)
        };
        out.push(Line::from(Span::styled(
            tr.f(
                "price.line",
                &[
                    ("at", &date(c.at)),
                    ("item", &c.check.item),
                    ("purchase", &yuan(c.check.purchase_fen)),
                    ("member", &yuan(c.check.member_fen)),
                    ("invoice", &c.check.invoice_ref),
                ],
            ) + if c.over_rule { tr.t("price.flag") } else { "" },
            style,
        )));
    }
    if d.prices.is_empty() {
        out.push(Line::from(Span::styled(tr.t("price.none"), muted)));
    }
    out.extend(violation_lines(app, d));
    out.push(Line::from(Span::styled(
        tr.t("merchant.deposit_log"),
        title,
    )));
    for e in &d.deposit {
        out.push(Line::from(Span::raw(format!(
            "{} {} {} {}",
            date(e.at),
            tr.t(match e.kind.as_str() {
                "paid" => crate::k!("deposit.paid"),
                "refund" => crate::k!("deposit.refund"),
                "dividend_pool" => crate::k!("deposit.dividend_pool"),
                _ => crate::k!("deposit.deduction"),
            }),
            tr.f("merchant.yuan", &[("yuan", &yuan(e.amount_fen))]),
            e.reason
        ))));
    }
    if d.deposit.is_empty() {
        out.push(Line::from(Span::styled(tr.t("merchant.no_deposit"), muted)));
    }
    out
}

/// The violations section of the detail: each with where it stands.
fn violation_lines(app: &App, d: &MerchantDetail) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let title = st.theme.style(Meaning::Title);
    let muted = st.theme.style(Meaning::Muted);
    let date = |t| time::fmt_local(t, tz, "%m-%d");
    let mut out = Vec::new();
    out.push(Line::from(Span::styled(tr.t("merchant.violations"), title)));
    for v in &d.violations {
        let state = match (v.resolved_at, v.fix_by) {
            (Some(r), _) => tr.f("merchant.violation_fixed", &[("at", &date(r))]),
            (None, Some(by)) if by < st.now => tr.t("merchant.violation_overdue").to_string(),
            (None, Some(by)) => tr.f(
                "merchant.violation_fix_by",
                &[("at", &time::fmt_local(by, tz, "%m-%d %H:%M"))],
            ),
            // a moderate one: orders wait for its remediation check
            (None, None) if v.severity == Severity::Moderate => {
                tr.t("merchant.violation_awaiting_check").to_string()
            }
            (None, None) => String::new(),
        };
        // how long it stays on the merchant's record
        let record = match merchant::on_record_until(v.severity, v.at, tz) {
            Some(u) if u > st.now => tr.f("merchant.violation_on_record", &[("at", &date(u))]),
            Some(_) => tr.t("merchant.violation_off_record").to_string(),
            None => String::new(),
        };
        out.push(Line::from(Span::raw(format!(
            "{} {} {}",
            date(v.at),
            tr.t(merchant_severity_key(v.severity)),
            v.reason,
        ))));
        // where it stands on a line of its own: the severity's words are long
        let standing: Vec<String> = [state, record]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect();
        if !standing.is_empty() {
            out.push(Line::from(Span::styled(
                format!("  {}", standing.join(" · ")),
                muted,
            )));
        }
    }
    if d.violations.is_empty() {
        out.push(Line::from(Span::styled(
            tr.t("merchant.no_violations"),
            muted,
        )));
    }
    out
}
