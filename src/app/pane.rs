//! What every pane's state offers the shell: its open form (if any), and
//! the draft slot that form is kept in.

use super::form::Form;
use serde_json::Value;

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
