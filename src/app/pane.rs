//! What a pane is to the shell: a [`PaneComponent`] (its keys, its form's
//! submit, its replies), and the [`PaneForms`] every pane's state offers:
//! its open form, and the draft slot that form is kept in.

use super::action::Command;
use super::cx::Cx;
use super::form::Form;
use super::keymap::Context;
use serde_json::Value;

/// A pane of the desk as a component: its state, and how it answers the
/// App's calls. Each call gets a [`Cx`]: what the desk shares, and the
/// outbox for requests (their replies come back as `Msg`), notices,
/// confirmations and moves to other panes. A component imports no other
/// pane and not the App; the registry (`app/panes/mod.rs`) wires it in.
pub trait PaneComponent: PaneForms {
    /// Its replies, the "yes" of its confirmations, and arrivals from
    /// other panes.
    type Msg: 'static;

    /// The keymap contexts of its list, most specific first.
    fn contexts(&self) -> &'static [Context];
    /// Whether a command bound in those contexts does something now: help
    /// and the status line show only those.
    fn available(&self, cmd: Command) -> bool;
    /// It came to the front: read what it shows.
    fn entered(&mut self, cx: &mut Cx<'_, Self::Msg>);
    /// A key's command while none of its forms is open. Returns whether
    /// the pane had a use for it (a key with none does nothing).
    fn command(&mut self, cmd: Command, cx: &mut Cx<'_, Self::Msg>) -> bool;
    /// Its open form was submitted (Enter on the last field, Ctrl-S).
    fn submit(&mut self, cx: &mut Cx<'_, Self::Msg>);
    /// Its open form's content changed: dependent fields follow.
    fn form_changed(&mut self, _cx: &mut Cx<'_, Self::Msg>) {}
    /// Once a second while it is in front (clocks move).
    fn tick(&mut self, _cx: &mut Cx<'_, Self::Msg>) {}
    /// The desk's member index changed (read at sign-in or again, or one
    /// member's entry read again): every pane hears it, in front or not.
    fn index_changed(&mut self, _cx: &mut Cx<'_, Self::Msg>) {}
    /// A member found by search or a card that no open form took: whether
    /// this pane shows them (if not, the members pane does).
    fn member_found(&mut self, _member_id: i64, _cx: &mut Cx<'_, Self::Msg>) -> bool {
        false
    }
    /// One of its messages.
    fn update(&mut self, msg: Self::Msg, cx: &mut Cx<'_, Self::Msg>);
}

/// What an open form is for; decides its draft slot.
pub trait FormKind: Clone {
    /// The draft slot (`None` for forms not worth keeping, e.g. a PIN reset).
    fn draft_key(&self) -> Option<&'static str>;
}

/// A form open in a pane, with what it is for.
#[derive(Debug, Clone)]
pub struct OpenForm<K> {
    pub kind: K,
    pub form: Form,
    saved: Option<String>,
}

impl<K: FormKind> OpenForm<K> {
    pub fn new(kind: K, form: Form) -> Self {
        OpenForm {
            kind,
            form,
            saved: None,
        }
    }

    /// The draft to save if the form changed since the last save.
    pub fn take_unsaved(&mut self) -> Option<(&'static str, String)> {
        let key = self.kind.draft_key()?;
        if !self.form.dirty {
            return None;
        }
        let data = self.form.to_draft().to_string();
        if self.saved.as_deref() == Some(data.as_str()) {
            return None;
        }
        self.saved = Some(data.clone());
        Some((key, data))
    }
}

/// What rebuilding a form from a draft needs besides the draft.
#[derive(Debug, Clone, Default)]
pub struct RestoreCtx {
    pub catalog: Vec<super::form::Choice>,
    pub community: String,
    pub main_station: bool,
    pub today: String,
}

/// The shell's view of a pane.
pub trait PaneForms {
    fn form(&self) -> Option<&Form>;
    fn form_mut(&mut self) -> Option<&mut Form>;
    /// Close the open form; returns its draft slot, to drop the draft.
    fn close_form(&mut self) -> Option<&'static str>;
    fn unsaved_draft(&mut self) -> Option<(&'static str, String)>;
    /// Reopen a form from a draft if the slot is this pane's.
    fn restore(&mut self, key: &str, data: &Value, ctx: &RestoreCtx) -> bool;
}

/// Implements [`PaneForms`] for a pane state with a `form: Option<OpenForm<K>>`
/// field and a `fn restore_form(&mut self, key, data) -> bool`.
#[macro_export]
macro_rules! pane_forms {
    ($t:ty) => {
        impl $crate::app::pane::PaneForms for $t {
            fn form(&self) -> Option<&$crate::app::form::Form> {
                self.form.as_ref().map(|f| &f.form)
            }
            fn form_mut(&mut self) -> Option<&mut $crate::app::form::Form> {
                self.form.as_mut().map(|f| &mut f.form)
            }
            fn close_form(&mut self) -> Option<&'static str> {
                use $crate::app::pane::FormKind;
                self.form.take().and_then(|f| f.kind.draft_key())
            }
            fn unsaved_draft(&mut self) -> Option<(&'static str, String)> {
                self.form.as_mut().and_then(|f| f.take_unsaved())
            }
            fn restore(
                &mut self,
                key: &str,
                data: &serde_json::Value,
                ctx: &$crate::app::pane::RestoreCtx,
            ) -> bool {
                self.restore_form(key, data, ctx)
            }
        }
    };
}
