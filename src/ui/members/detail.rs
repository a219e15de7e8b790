//! One member's detail: who they are, their standing and level, what they
//! owe, their services and contacts — the right half of pane 6.

use super::*;

/// The selected member's standing.
///
/// Over 80 lines: one short block per line of the member's card (phone,
/// building, level and why, service, balance, violations, cards, …), in
/// the order the desk reads them out.
pub(super) fn detail(frame: &mut Frame, area: Rect, app: &App, d: &MemberDetail) {
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
    lines.extend(crate::ui::hub_medals::medal_line(app, &d.medals));
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
    frame.render_widget(Paragraph::new(crate::text::wrap(lines, area.width)), area);
}
