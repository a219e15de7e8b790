//! Help (generated from the keymap), confirmations, and the draft offer.

use super::theme::Meaning;
use super::widgets::{centered, popup};
use crate::app::App;
use crate::app::action::Command;
use crate::app::keymap::Context;
use crate::app::state::Overlay;
use crate::domain::time;
use crate::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(frame: &mut Frame, area: Rect, app: &App, o: &Overlay) {
    match o {
        Overlay::Search(_) => {}
        Overlay::Help { scroll } => help(frame, area, app, *scroll),
        Overlay::Confirm(c) => {
            let st = &app.state;
            let rect = centered(area, 60, 7);
            let inner = popup(frame, rect, st.tr.t("confirm.title"), &st.theme);
            let lines = vec![
                Line::from(st.tr.msg(&c.text)),
                Line::from(""),
                super::shell::key_hints(app, Context::Dialog, &[Command::Yes, Command::No]),
            ];
            frame.render_widget(Paragraph::new(crate::text::wrap(lines, inner.width)), inner);
        }
        Overlay::NewFile(path) => new_file(frame, area, app, path),
        Overlay::Drafts(drafts) => {
            let st = &app.state;
            let rect = centered(area, 64, drafts.len() as u16 + 7);
            let inner = popup(frame, rect, st.tr.t("drafts.title"), &st.theme);
            let tz = st.tz();
            let mut lines = vec![Line::from(st.tr.t("drafts.intro")), Line::from("")];
            for d in drafts {
                let name = st.tr.t(&format!("drafts.form.{}", d.form)).to_string();
                lines.push(Line::from(format!(
                    "  {}  {}",
                    text::pad_right(&name, 24),
                    time::fmt_local(d.saved_at, tz, "%m-%d %H:%M")
                )));
            }
            lines.push(Line::from(""));
            lines.push(super::shell::key_hints(
                app,
                Context::Drafts,
                &[Command::RestoreDrafts, Command::DiscardDrafts],
            ));
            frame.render_widget(Paragraph::new(lines), inner);
        }
    }
}

/// A clear screen: the file is not there; a new station, or quit?
fn new_file(frame: &mut Frame, area: Rect, app: &App, path: &std::path::Path) {
    let st = &app.state;
    let inner = popup(frame, area, st.tr.t("newfile.title"), &st.theme);
    let keys = |cmd: Command| {
        let ks: Vec<String> = app
            .keymap
            .bindings(Context::Dialog)
            .iter()
            .find(|(c, _)| *c == cmd)
            .map(|(_, ks)| ks.iter().map(|k| k.to_string()).collect())
            .unwrap_or_default();
        Span::styled(ks.join("/"), st.theme.style(Meaning::Key))
    };
    let text = |s: &str| Span::styled(s.to_string(), st.theme.style(Meaning::Text));
    let lines = vec![
        Line::from(""),
        Line::from(text(st.tr.t("newfile.missing"))),
        Line::from(Span::styled(
            format!("  {}", path.display()),
            st.theme.style(Meaning::Title),
        )),
        Line::from(""),
        Line::from(text(st.tr.t("newfile.typo"))),
        Line::from(""),
        Line::from(vec![
            keys(Command::Yes),
            text("  "),
            text(st.tr.t("newfile.yes")),
        ]),
        Line::from(vec![
            keys(Command::No),
            text("  "),
            text(st.tr.t("newfile.no")),
        ]),
    ];
    let inset = Rect {
        x: inner.x + 2,
        width: inner.width.saturating_sub(4),
        ..inner
    };
    frame.render_widget(Paragraph::new(crate::text::wrap(lines, inset.width)), inset);
}

/// Every key of where the staff member is, then the global keys.
fn help(frame: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let st = &app.state;
    let rect = centered(area, 70, area.height.saturating_sub(2));
    let inner = popup(frame, rect, st.tr.t("help.title"), &st.theme);
    let mut contexts: Vec<Context> = {
        // what was under the help overlay
        let mut probe = app.contexts_without_overlay();
        probe.push(Context::Global);
        probe
    };
    contexts.dedup();
    let mut lines = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut groups: Vec<(Context, Vec<_>)> = contexts
        .into_iter()
        .map(|ctx| {
            let rows: Vec<_> = app
                .keymap
                .bindings(ctx)
                .iter()
                .filter(|(cmd, _)| app.command_available(*cmd) && seen.insert(*cmd))
                .map(|(cmd, keys)| (ctx, *cmd, keys))
                .collect();
            (ctx, rows)
        })
        .collect();
    // the pane's main keys ("n" new) open the help, not after its lists' keys
    let main: Vec<_> = groups
        .iter_mut()
        .skip(1)
        .flat_map(|(_, rows)| {
            let (m, rest): (Vec<_>, Vec<_>) = rows.drain(..).partition(|r| r.1.is_main());
            *rows = rest;
            m
        })
        .collect();
    if let Some((_, first)) = groups.first_mut() {
        first.splice(0..0, main);
    }
    for (ctx, rows) in groups {
        if rows.is_empty() {
            continue;
        }
        lines.push(Line::from(Span::styled(
            st.tr.t(&format!("help.context.{}", ctx.name())).to_string(),
            st.theme.style(Meaning::Title),
        )));
        for (from, cmd, keys) in rows {
            let keys = app
                .usable_keys(from, keys)
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" / ");
            lines.push(Line::from(vec![
                Span::styled(
                    text::pad_right(&format!("  {keys}"), 26),
                    st.theme.style(Meaning::Key),
                ),
                Span::raw(st.tr.t(&cmd.describe_key()).to_string()),
            ]));
        }
        lines.push(Line::from(""));
        if ctx == Context::Form {
            lines.extend(form_howto(app));
        }
    }
    lines.push(Line::from(Span::styled(
        st.tr.t("help.footer"),
        st.theme.style(Meaning::Muted),
    )));
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll.min(max_scroll), 0)),
        inner,
    );
}

/// How a form's fields are filled, whichever field has the focus (help
/// otherwise lists ←/→ only on a choice and Space only on a tick): the
/// keys as the keymap binds them.
fn form_howto(app: &App) -> Vec<Line<'static>> {
    let st = &app.state;
    let key = |ctx: Context, cmd: Command| {
        app.keymap
            .key_for(&[ctx], cmd)
            .map(|k| k.to_string())
            .unwrap_or_default()
    };
    let rows = [
        (
            format!(
                "{}/{}",
                key(Context::Form, Command::ChoicePrev),
                key(Context::Form, Command::ChoiceNext)
            ),
            "help.howto.choice",
        ),
        (key(Context::Form, Command::Toggle), "help.howto.tick"),
        (
            format!(
                "{}/{} {}",
                key(Context::Suggest, Command::Up),
                key(Context::Suggest, Command::Down),
                key(Context::Suggest, Command::Select)
            ),
            "help.howto.suggest",
        ),
    ];
    let mut out = vec![Line::from(Span::styled(
        st.tr.t("help.howto.title").to_string(),
        st.theme.style(Meaning::Title),
    ))];
    for (keys, what) in rows {
        out.push(Line::from(vec![
            Span::styled(
                text::pad_right(&format!("  {keys}"), 26),
                st.theme.style(Meaning::Key),
            ),
            Span::raw(st.tr.t(what).to_string()),
        ]));
    }
    out.push(Line::from(""));
    out
}
