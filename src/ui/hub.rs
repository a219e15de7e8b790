//! Pane 0 (驿站): the activities, the selected one's plan and who came.

use super::form::{form_popup, render_form};
use super::theme::Meaning;
use super::widgets::{centered, columns, panel, window_start};
use crate::app::App;
use crate::app::panes::hub::{HubFormKind, HubPane, HubView};
use crate::domain::merchant::yuan;
use crate::domain::time;
use crate::i18n::Tr;
use crate::store::activities::ActivityRow;
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// An activity's name: its title, or its kind's for a regular one.
pub fn activity_name(tr: &Tr, a: &ActivityRow) -> String {
    if a.title.is_empty() {
        tr.t(a.kind.label_key()).to_string()
    } else {
        a.title.clone()
    }
}

/// What attending earns: points an hour, or 公益.
fn rule(tr: &Tr, a: &ActivityRow) -> String {
    if a.points_per_hour == 0 {
        tr.t("activity.public_good").to_string()
    } else {
        tr.f("activity.per_hour", &[("n", &a.points_per_hour)])
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) -> Option<Position> {
    let st = &app.state;
    let tr = &st.tr;
    if let Some(v) = &p.medals {
        super::hub_medals::render(frame, area, app, v, p.form.is_none());
        let of = p.form.as_ref()?;
        let rect = centered(area, 70, super::form::form_height(&of.form) + 2);
        return form_popup(
            frame,
            rect,
            tr.t("medal.award_title"),
            &of.form,
            tr,
            &st.theme,
        );
    }
    if p.view == HubView::Tools {
        return super::hub_tools::render(frame, area, app, p);
    }
    if p.view == HubView::Fund {
        return super::hub_fund::render(frame, area, app, p);
    }
    if let Some(of) = &p.form
        && of.kind == HubFormKind::Plan
    {
        let block = panel(tr.t("activity.plan_title"), true, &st.theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rect = Rect::new(
            inner.x + 1,
            inner.y,
            inner.width.saturating_sub(2),
            inner.height,
        );
        return render_form(frame, rect, &of.form, tr, &st.theme);
    }
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Min(6)]).areas(area);
    list(frame, list_area, app, p);
    detail(frame, detail_area, app, p);
    let of = p.form.as_ref()?;
    let title = match of.kind {
        HubFormKind::SignUp { .. } => tr.t("activity.signup_title"),
        HubFormKind::Attend { .. } => tr.t("activity.attend_title"),
        HubFormKind::Plan => tr.t("activity.plan_title"),
        // drawn by the tool corner's view
        HubFormKind::Tool(_) => return None,
        HubFormKind::Award { .. } => tr.t("medal.award_title"),
        HubFormKind::Income | HubFormKind::Expense | HubFormKind::Sign { .. } => {
            super::hub_fund::form_title(tr, &of.kind).unwrap_or_default()
        }
    };
    let rect = centered(area, 70, super::form::form_height(&of.form) + 2);
    form_popup(frame, rect, title, &of.form, tr, &st.theme)
}

fn list(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let block = panel(tr.t("hub.activities"), p.form.is_none(), &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let muted = st.theme.style(Meaning::Muted);
    let w = inner.width as usize;
    let mut lines = vec![columns(&[
        (tr.t("activity.col.when").into(), 22, muted),
        (tr.t("activity.col.name").into(), 16, muted),
        (tr.t("activity.col.rule").into(), 10, muted),
        (
            tr.t("activity.col.people").into(),
            w.saturating_sub(52),
            muted,
        ),
    ])];
    if p.activities.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("hub.no_activities"), muted)));
    }
    let rows = (inner.height as usize).saturating_sub(1);
    let start = window_start(p.sel, p.activities.len(), rows);
    for (i, a) in p.activities.iter().enumerate().skip(start).take(rows) {
        let style = if i == p.sel {
            st.theme.style(Meaning::Selected)
        } else if a.ends_at <= st.now {
            muted
        } else {
            st.theme.style(Meaning::Text)
        };
        let day = time::local_day(a.starts_at, tz);
        let when = format!(
            "{} {} {}-{}",
            time::fmt_local(a.starts_at, tz, "%m-%d"),
            tr.t(super::shell::weekday_key(
                day.weekday().num_days_from_monday()
            )),
            time::fmt_local(a.starts_at, tz, "%H:%M"),
            time::fmt_local(a.ends_at, tz, "%H:%M"),
        );
        let people = tr.f(
            "activity.people",
            &[("signed", &a.signed), ("came", &a.attended)],
        );
        lines.push(columns(&[
            (when, 22, style),
            (activity_name(tr, a), 16, style),
            (rule(tr, a), 10, style),
            (people, w.saturating_sub(52), style),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn detail(frame: &mut Frame, area: Rect, app: &App, p: &HubPane) {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    let Some(a) = p.selected() else {
        let block = panel(tr.t("hub.plan"), false, &st.theme);
        frame.render_widget(block, area);
        return;
    };
    let block = panel(&activity_name(tr, a), false, &st.theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let muted = st.theme.style(Meaning::Muted);
    let or_dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    let place = if a.place.is_empty() {
        tr.t("activity.at_station").to_string()
    } else {
        a.place.clone()
    };
    let mut lines = vec![
        Line::from(tr.f(
            "activity.plan_line",
            &[
                ("place", &place),
                ("leads", &or_dash(&a.leads)),
                ("aim", &or_dash(&a.aim)),
            ],
        )),
        Line::from(tr.f(
            "activity.cost_line",
            &[
                ("materials", &or_dash(&a.materials)),
                ("cost", &yuan(a.cost_fen)),
                ("merchants", &or_dash(&a.merchants.join("、"))),
            ],
        )),
    ];
    if p.attendees.is_empty() {
        lines.push(Line::from(Span::styled(tr.t("activity.no_one_yet"), muted)));
    }
    let rows = (inner.height as usize).saturating_sub(lines.len());
    for x in p.attendees.iter().take(rows) {
        let state = match x.attended_at {
            Some(at) if x.points > 0 => tr.f(
                "activity.came_points",
                &[
                    ("at", &time::fmt_local(at, tz, "%H:%M")),
                    ("minutes", &x.minutes),
                    ("points", &x.points),
                ],
            ),
            Some(at) => tr.f(
                "activity.came_public_good",
                &[
                    ("at", &time::fmt_local(at, tz, "%H:%M")),
                    ("minutes", &x.minutes),
                ],
            ),
            None => tr.t("activity.signed_only").to_string(),
        };
        lines.push(columns(&[
            (x.number.clone().unwrap_or_default(), 10, muted),
            (x.name.clone(), 10, st.theme.style(Meaning::Text)),
            (
                state,
                (inner.width as usize).saturating_sub(22),
                st.theme.style(Meaning::Text),
            ),
        ]));
    }
    frame.render_widget(Paragraph::new(crate::text::wrap(lines, inner.width)), inner);
}

/// The day's activities as the close lists them: when, which, who came.
pub fn day_activity_lines(app: &App, list: &[ActivityRow]) -> Vec<Line<'static>> {
    let st = &app.state;
    let tr = &st.tr;
    let tz = st.tz();
    if list.is_empty() {
        return vec![];
    }
    let mut out = vec![Line::from(Span::styled(
        tr.t("activity.today").to_string(),
        st.theme.style(Meaning::Title),
    ))];
    for a in list {
        // the close's column is narrow: when it starts, which, who came
        out.push(Line::from(format!(
            "  {} {} {}",
            time::fmt_local(a.starts_at, tz, "%H:%M"),
            activity_name(tr, a),
            tr.f(
                "activity.people",
                &[("signed", &a.signed), ("came", &a.attended)]
            ),
        )));
    }
    out
}
