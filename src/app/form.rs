//! Forms as data: fields with their values, focus and per-field messages.
//!
//! Forms know nothing of rules: a pane validates with domain functions and
//! hands back [`Refusal`]s, which land at the field they name. Rendering is in
//! `ui::form`.

use super::action::Command;
use crate::msg::{Msg, Refusal};
use crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::to_input_request;

mod draft;
mod field;

pub use field::{Choice, Field, FieldKind, Label, Picked};

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    None,
    Changed,
    Moved,
    Submit,
    Cancel,
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A message about the whole form (not any one field), e.g. a disk error.
    pub error: Option<Msg>,
    /// The request id of a submit in flight; keys are ignored until it returns.
    pub busy: Option<u64>,
    /// Typed into since it was opened or last saved.
    pub dirty: bool,
    /// Members matching what was typed into the focused member field.
    pub suggest: Vec<Picked>,
    pub suggest_sel: usize,
}

impl Form {
    pub fn new(fields: Vec<Field>) -> Form {
        let mut f = Form {
            fields,
            ..Form::default()
        };
        f.focus = f.fields.iter().position(|x| x.visible).unwrap_or(0);
        f
    }

    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_mut(&mut self, name: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.name == name)
    }

    pub fn value(&self, name: &str) -> &str {
        self.get(name).map(Field::value).unwrap_or("")
    }

    pub fn on(&self, name: &str) -> bool {
        self.value(name) == "1"
    }

    pub fn set(&mut self, name: &str, v: &str) {
        if let Some(f) = self.field_mut(name) {
            f.set_value(v);
        }
    }

    /// Replace the options of a choice field (kept selected if still there).
    pub fn set_choices(&mut self, name: &str, new: Vec<Choice>) {
        if let Some(f) = self.field_mut(name)
            && let FieldKind::Choice { options, selected } = &mut f.kind
        {
            let current = options.get(*selected).map(|c| c.value.clone());
            *selected = current
                .and_then(|v| new.iter().position(|c| c.value == v))
                .unwrap_or(0);
            *options = new;
        }
    }

    /// Change what a [`Field::shown`] line says.
    pub fn show(&mut self, name: &str, text: impl Into<String>) {
        self.set_choices(name, vec![Choice::text("", text)]);
    }

    pub fn set_visible(&mut self, name: &str, visible: bool) {
        if let Some(f) = self.field_mut(name) {
            f.visible = visible;
        }
        if !self.fields.get(self.focus).is_some_and(|f| f.visible) {
            self.step(true);
        }
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    pub fn focused_name(&self) -> &'static str {
        self.focused().map(|f| f.name).unwrap_or("")
    }

    pub fn text_focused(&self) -> bool {
        self.focused().is_some_and(Field::takes_text)
    }

    pub fn focus_on(&mut self, name: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.name == name && f.visible) {
            self.focus = i;
        }
    }

    pub fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Put each refusal at its field (or on the form) and focus the first.
    pub fn show_refusals(&mut self, refusals: &[Refusal]) {
        self.clear_errors();
        let mut first = None;
        for r in refusals {
            match r
                .field
                .and_then(|n| self.fields.iter().position(|f| f.name == n && f.visible))
            {
                Some(i) => {
                    if self.fields[i].error.is_none() {
                        self.fields[i].error = Some(r.msg.clone());
                    }
                    first = Some(first.map_or(i, |f: usize| f.min(i)));
                }
                None => {
                    if self.error.is_none() {
                        self.error = Some(r.msg.clone());
                    }
                }
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }

    fn step(&mut self, forward: bool) -> bool {
        let n = self.fields.len();
        let mut i = self.focus;
        for _ in 0..n {
            i = if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            if self.fields[i].visible {
                let wrapped = if forward {
                    i <= self.focus
                } else {
                    i >= self.focus
                };
                self.focus = i;
                return !wrapped;
            }
        }
        false
    }

    fn is_last_visible(&self) -> bool {
        !self.fields.iter().skip(self.focus + 1).any(|f| f.visible)
    }

    /// A command from the keymap, in the form context.
    pub fn command(&mut self, cmd: Command) -> FormEvent {
        if self.busy.is_some() {
            return FormEvent::None;
        }
        match cmd {
            Command::NextField => {
                self.suggest.clear();
                self.step(true);
                FormEvent::Moved
            }
            Command::PrevField => {
                self.suggest.clear();
                self.step(false);
                FormEvent::Moved
            }
            Command::NextOrSubmit => {
                if self.is_last_visible() {
                    self.submit()
                } else {
                    self.step(true);
                    FormEvent::Moved
                }
            }
            Command::Submit => self.submit(),
            Command::Cancel => FormEvent::Cancel,
            Command::Toggle | Command::ChoiceNext | Command::ChoicePrev => {
                let Some(f) = self.fields.get_mut(self.focus) else {
                    return FormEvent::None;
                };
                let changed = match &mut f.kind {
                    FieldKind::Toggle { on } if cmd == Command::Toggle => {
                        *on = !*on;
                        true
                    }
                    FieldKind::Multi { on, cursor, .. } if !on.is_empty() => {
                        let n = on.len();
                        match cmd {
                            Command::Toggle => {
                                on[*cursor] = !on[*cursor];
                                true
                            }
                            Command::ChoiceNext => {
                                *cursor = (*cursor + 1) % n;
                                false
                            }
                            _ => {
                                *cursor = (*cursor + n - 1) % n;
                                false
                            }
                        }
                    }
                    FieldKind::Choice { options, selected } if !options.is_empty() => {
                        let n = options.len();
                        *selected = if cmd == Command::ChoicePrev {
                            (*selected + n - 1) % n
                        } else {
                            (*selected + 1) % n
                        };
                        true
                    }
                    _ => false,
                };
                if changed {
                    f.error = None;
                    self.dirty = true;
                    FormEvent::Changed
                } else {
                    FormEvent::None
                }
            }
            _ => FormEvent::None,
        }
    }

    /// A key the keymap did not claim: editing keys for a text field, or a
    /// digit/letter choosing an option by its first character.
    pub fn key(&mut self, key: KeyEvent) -> FormEvent {
        if self.busy.is_some() {
            return FormEvent::None;
        }
        let Some(f) = self.fields.get_mut(self.focus) else {
            return FormEvent::None;
        };
        match &mut f.kind {
            FieldKind::Text { .. } | FieldKind::Secret { .. } | FieldKind::Member { .. } => {
                let max = match f.kind {
                    FieldKind::Text { max_chars } | FieldKind::Secret { max_chars } => max_chars,
                    _ => 40,
                };
                let Some(req) = to_input_request(&Event::Key(key)) else {
                    return FormEvent::None;
                };
                let typed =
                    matches!(req, tui_input::InputRequest::InsertChar(c) if !c.is_control());
                if typed && f.prefilled {
                    f.input = tui_input::Input::default();
                }
                f.prefilled = false;
                if let tui_input::InputRequest::InsertChar(c) = req
                    && (f.input.value().chars().count() >= max || c.is_control())
                {
                    return FormEvent::None;
                }
                match f.input.handle(req) {
                    Some(ch) if ch.value => {
                        f.error = None;
                        f.unpick();
                        self.dirty = true;
                        FormEvent::Changed
                    }
                    Some(_) => FormEvent::Moved,
                    None => FormEvent::None,
                }
            }
            _ => FormEvent::None,
        }
    }

    /// Text pasted (or typed by an IME in one go) into the focused field.
    pub fn paste(&mut self, text: &str) -> FormEvent {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return FormEvent::None;
        };
        let max_chars = match f.kind {
            FieldKind::Text { max_chars } | FieldKind::Secret { max_chars } => max_chars,
            FieldKind::Member { .. } => 40,
            _ => return FormEvent::None,
        };
        f.unpick();
        if f.prefilled {
            f.input = tui_input::Input::default();
            f.prefilled = false;
        }
        let mut changed = false;
        for c in text.chars().filter(|c| !c.is_control()) {
            if f.input.value().chars().count() >= max_chars {
                break;
            }
            f.input.handle(tui_input::InputRequest::InsertChar(c));
            changed = true;
        }
        if changed {
            f.error = None;
            self.dirty = true;
            FormEvent::Changed
        } else {
            FormEvent::None
        }
    }

    /// Move within the suggestions, pick one, or close them.
    pub fn suggest_command(&mut self, cmd: Command) -> bool {
        if self.suggest.is_empty() {
            return false;
        }
        match cmd {
            Command::Up => self.suggest_sel = self.suggest_sel.saturating_sub(1),
            Command::Down => self.suggest_sel = (self.suggest_sel + 1).min(self.suggest.len() - 1),
            Command::Select => {
                let p = self.suggest[self.suggest_sel.min(self.suggest.len() - 1)].clone();
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.pick(p);
                    self.dirty = true;
                }
                self.suggest.clear();
                self.step(true);
            }
            Command::Cancel => self.suggest.clear(),
            _ => return false,
        }
        true
    }

    /// Whether the focused field is a member field with nothing picked.
    pub fn member_query(&self) -> Option<&str> {
        let f = self.focused()?;
        match &f.kind {
            FieldKind::Member { picked: None } => Some(f.input.value()),
            _ => None,
        }
    }

    /// A member field with something typed but nobody picked from the
    /// suggestions: taken as "no member" it would be dropped silently.
    pub fn typed_not_picked(&self, name: &str) -> bool {
        self.get(name).is_some_and(|f| {
            matches!(f.kind, FieldKind::Member { picked: None })
                && !f.input.value().trim().is_empty()
        })
    }

    /// The picked member id of a member field.
    pub fn member(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(Field::picked).map(|p| p.member_id)
    }

    /// Fill the first member field with nothing picked (a scanned card).
    pub fn fill_member(&mut self, p: Picked) -> bool {
        let target = match self.focused() {
            Some(f) if matches!(f.kind, FieldKind::Member { .. }) => Some(self.focus),
            _ => self
                .fields
                .iter()
                .position(|f| f.visible && matches!(f.kind, FieldKind::Member { picked: None })),
        };
        match target {
            Some(i) => {
                self.fields[i].pick(p);
                self.suggest.clear();
                self.dirty = true;
                true
            }
            None => false,
        }
    }

    /// Anything typed that a cancel would lose.
    pub fn has_input(&self) -> bool {
        self.dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn form() -> Form {
        Form::new(vec![
            Field::text("name", "k.name", 4),
            Field::secret("pin", "k.pin", 8),
            Field::choice(
                "kind",
                "k.kind",
                vec![Choice::text("a", "A"), Choice::text("b", "B")],
            ),
            Field::toggle("ok", "k.ok"),
        ])
    }

    fn typ(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn typing_into_a_prefilled_field_replaces_it_and_editing_keeps_it() {
        let mut f = Form::new(vec![
            Field::text("date", "k.date", 10).with_value("2026-11-23"),
        ]);
        typ(&mut f, "11-24");
        assert_eq!(
            f.value("date"),
            "11-24",
            "replaced, not refused at the limit"
        );
        typ(&mut f, "x");
        assert_eq!(f.value("date"), "11-24x", "then typed on as usual");
        let mut f = Form::new(vec![
            Field::text("date", "k.date", 12).with_value("2026-11-2"),
        ]);
        f.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        typ(&mut f, "4");
        assert_eq!(f.value("date"), "2026-11-4", "edited, not replaced");
    }

    #[test]
    fn typing_respects_the_length_limit() {
        let mut f = form();
        typ(&mut f, "张三丰李四");
        assert_eq!(f.value("name"), "张三丰李");
        assert!(f.dirty);
    }

    #[test]
    fn enter_moves_on_then_submits() {
        let mut f = form();
        for _ in 0..3 {
            assert_eq!(f.command(Command::NextOrSubmit), FormEvent::Moved);
        }
        assert_eq!(f.command(Command::NextOrSubmit), FormEvent::Submit);
    }

    #[test]
    fn hidden_fields_are_skipped() {
        let mut f = form();
        f.set_visible("pin", false);
        f.command(Command::NextField);
        assert_eq!(f.focused_name(), "kind");
        f.command(Command::PrevField);
        assert_eq!(f.focused_name(), "name");
    }

    #[test]
    fn choices_and_toggles() {
        let mut f = form();
        f.focus_on("kind");
        f.command(Command::ChoiceNext);
        assert_eq!(f.value("kind"), "b");
        f.command(Command::ChoiceNext);
        assert_eq!(f.value("kind"), "a");
        f.focus_on("ok");
        f.command(Command::Toggle);
        assert!(f.on("ok"));
    }

    #[test]
    fn refusals_land_at_their_fields() {
        let mut f = form();
        f.show_refusals(&[
            Refusal::at("kind", msg!("x.a")),
            Refusal::general(msg!("x.b")),
        ]);
        assert_eq!(f.get("kind").unwrap().error, Some(msg!("x.a")));
        assert_eq!(f.error, Some(msg!("x.b")));
        assert_eq!(f.focused_name(), "kind");
        typ(&mut f, "");
    }

    #[test]
    fn drafts_leave_out_secrets() {
        let mut f = form();
        typ(&mut f, "ab");
        f.focus_on("pin");
        typ(&mut f, "1234");
        let d = f.to_draft();
        assert_eq!(d["name"], "ab");
        assert!(d.get("pin").is_none());
        let mut g = form();
        g.restore_draft(&d);
        assert_eq!(g.value("name"), "ab");
    }

    #[test]
    fn a_busy_form_ignores_keys() {
        let mut f = form();
        f.busy = Some(1);
        typ(&mut f, "x");
        assert_eq!(f.value("name"), "");
        assert_eq!(f.command(Command::Submit), FormEvent::None);
    }
}
