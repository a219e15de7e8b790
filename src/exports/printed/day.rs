//! The day's close report (闭站日报): the figures as the close stored
//! them (or as they stand while the day is still open), the activities,
//! what carries over to tomorrow, and the two who sign the day off.

use crate::domain::day::DayFigures;
use crate::domain::time;
use crate::i18n::Tr;
use crate::print::{self, Block, Document, Paper};
use crate::store::overview::{CarryKind, DayInfo};
use chrono_tz::Tz;

/// The figures the report stands on: the close's stored summary once the
/// day is closed, else today's as counted now.
pub fn figures_of(info: &DayInfo) -> &DayFigures {
    match &info.state.summary {
        Some((_, f)) if info.state.is_closed() => f,
        _ => &info.figures,
    }
}

fn carry_key(k: CarryKind) -> &'static str {
    match k {
        CarryKind::Request => crate::k!("routine.carry.request"),
        CarryKind::Correction => crate::k!("routine.carry.correction"),
        CarryKind::Application => crate::k!("routine.carry.application"),
    }
}

pub fn close_report(tr: &Tr, station: &str, info: &DayInfo, tz: Tz) -> Document {
    let f = figures_of(info);
    let share = f
        .responded_share()
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default();
    let state = if info.state.is_closed() {
        tr.t("print.close.closed")
    } else {
        tr.t("print.close.open")
    };
    let mut head = vec![
        (tr.t("print.close.day").to_string(), info.day.to_string()),
        (tr.t("print.status").to_string(), state.to_string()),
    ];
    if let Some(by) = &info.state.opened_by {
        head.push((tr.t("print.close.opened_by").to_string(), by.clone()));
    }
    if let Some(at) = info.state.closed_at {
        head.push((
            tr.t("print.close.closed_at").to_string(),
            time::fmt_local(at, tz, "%H:%M"),
        ));
    }
    let mut doc = Document::new(tr.t("print.close.title"), Paper::A4)
        .with(Block::Paragraph(station.to_string()))
        .with(Block::Fields(head))
        .with(Block::Heading(tr.t("print.close.figures").into()))
        .with(Block::Fields(vec![
            (
                tr.t("day.fig.services").into(),
                tr.f(
                    "print.close.services_v",
                    &[("n", &f.services), ("d", &print::duration(tr, f.minutes))],
                ),
            ),
            (
                tr.t("print.close.service_points").into(),
                print::points(tr, f.service_points),
            ),
            (
                tr.t("day.fig.points").into(),
                tr.f(
                    "day.fig.points_v",
                    &[("issued", &f.points_issued), ("spent", &f.points_spent)],
                ),
            ),
            (
                tr.t("day.fig.requests").into(),
                tr.f(
                    "day.fig.requests_v",
                    &[
                        ("n", &f.new_requests),
                        ("ok", &f.responded_in_time),
                        ("share", &share),
                    ],
                ),
            ),
            (
                tr.t("day.fig.disputes").into(),
                tr.f(
                    "day.fig.disputes_v",
                    &[
                        ("opened", &f.disputes_opened),
                        ("decided", &f.disputes_decided),
                    ],
                ),
            ),
            (
                tr.t("day.fig.members").into(),
                tr.f(
                    "day.fig.members_v",
                    &[
                        ("applied", &f.members_applied),
                        ("approved", &f.members_approved),
                    ],
                ),
            ),
        ]));
    if !info.activities.is_empty() {
        doc.push(Block::Heading(tr.t("print.close.activities").into()));
        doc.push(Block::Table {
            headers: vec![
                tr.t("print.col.time").into(),
                tr.t("print.col.activity").into(),
                tr.t("print.col.attended").into(),
            ],
            rows: info
                .activities
                .iter()
                .map(|a| {
                    let title = if a.title.is_empty() {
                        tr.t(a.kind.label_key()).to_string()
                    } else {
                        a.title.clone()
                    };
                    vec![
                        time::fmt_local(a.starts_at, tz, "%H:%M"),
                        format!("{title} · {}", a.place),
                        tr.f(
                            "print.close.attended_v",
                            &[("a", &a.attended), ("s", &a.signed)],
                        ),
                    ]
                })
                .collect(),
        });
    }
    doc.push(Block::Heading(tr.t("print.close.carry").into()));
    if info.carry.is_empty() {
        doc.push(Block::Paragraph(tr.t("print.close.nothing_carried").into()));
    } else {
        doc.push(Block::Table {
            headers: vec![
                tr.t("print.col.kind").into(),
                tr.t("print.col.who").into(),
                tr.t("print.col.what").into(),
            ],
            rows: info
                .carry
                .iter()
                .map(|c| {
                    // a correction's `what` is its kind's catalog key
                    let what = match c.kind {
                        CarryKind::Correction => {
                            format!("{} {}", tr.t(&c.what), print::points(tr, c.amount))
                        }
                        CarryKind::Request | CarryKind::Application => c.what.clone(),
                    };
                    vec![tr.t(carry_key(c.kind)).to_string(), c.who.clone(), what]
                })
                .collect(),
        });
    }
    doc.push(Block::Blank {
        label: tr.t("print.close.notes").into(),
        lines: 3,
    });
    doc.push(Block::Signatures(vec![
        tr.t("print.sign.closing").into(),
        tr.t("print.sign.master").into(),
    ]));
    doc
}
