//! The fields of a form: what each holds (text, a secret, a choice, a
//! toggle, several ticks, a member picked from the index), its value as
//! text, its error and hint.

use crate::msg::Msg;
use tui_input::Input;

/// Text that is either a catalog key or literal (e.g. a name from the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Key(&'static str),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: Label,
}

impl Choice {
    pub fn key(value: &str, key: &'static str) -> Choice {
        Choice {
            value: value.to_string(),
            label: Label::Key(key),
        }
    }

    pub fn text(value: impl Into<String>, text: impl Into<String>) -> Choice {
        Choice {
            value: value.into(),
            label: Label::Text(text.into()),
        }
    }
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Text {
        max_chars: usize,
    },
    /// Shown as dots (PINs).
    Secret {
        max_chars: usize,
    },
    Choice {
        options: Vec<Choice>,
        selected: usize,
    },
    Toggle {
        on: bool,
    },
    /// Several options ticked (e.g. the services a member offers); the
    /// cursor marks the option Space ticks.
    Multi {
        options: Vec<Choice>,
        on: Vec<bool>,
        cursor: usize,
    },
    /// A member, found by typing (name, pinyin, number, phone tail) and
    /// picked from the suggestions, or by scanning a card.
    Member {
        picked: Option<Picked>,
    },
}

/// A member chosen in a member field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub member_id: i64,
    /// "JS01-0001 张三丰"
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: Input,
    pub error: Option<Msg>,
    pub hint: Option<&'static str>,
    /// An identity number: never in a draft, and the one field it may be in.
    pub identity: bool,
    /// Hidden fields are skipped by focus and not drawn (e.g. a reason that
    /// is only asked for late entries).
    pub visible: bool,
    /// A picked member's id as text (what `value()` returns for it).
    id_text: String,
    /// Text put in by the form (today's date, a request's time), not yet
    /// touched: the first character typed replaces it, as a selected text
    /// would, instead of being refused at the length limit or appended.
    pub prefilled: bool,
}

impl Field {
    fn new(name: &'static str, label: &'static str, kind: FieldKind) -> Field {
        Field {
            name,
            label,
            kind,
            input: Input::default(),
            error: None,
            hint: None,
            identity: false,
            visible: true,
            id_text: String::new(),
            prefilled: false,
        }
    }

    pub fn text(name: &'static str, label: &'static str, max_chars: usize) -> Field {
        Field::new(name, label, FieldKind::Text { max_chars })
    }

    pub fn secret(name: &'static str, label: &'static str, max_chars: usize) -> Field {
        Field::new(name, label, FieldKind::Secret { max_chars })
    }

    pub fn choice(name: &'static str, label: &'static str, options: Vec<Choice>) -> Field {
        Field::new(
            name,
            label,
            FieldKind::Choice {
                options,
                selected: 0,
            },
        )
    }

    pub fn toggle(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, FieldKind::Toggle { on: false })
    }

    pub fn multi(name: &'static str, label: &'static str, options: Vec<Choice>) -> Field {
        let on = vec![false; options.len()];
        Field::new(
            name,
            label,
            FieldKind::Multi {
                options,
                on,
                cursor: 0,
            },
        )
    }

    /// A line to read, not to type into (the number a call dials): a
    /// choice of one, so ←/→ leave it as it is and a draft keeps nothing
    /// of it.
    pub fn shown(name: &'static str, label: &'static str, text: impl Into<String>) -> Field {
        Field::choice(name, label, vec![Choice::text("", text)])
    }

    pub fn member(name: &'static str, label: &'static str) -> Field {
        Field::new(name, label, FieldKind::Member { picked: None })
    }

    /// The picked member of a member field.
    pub fn picked(&self) -> Option<&Picked> {
        match &self.kind {
            FieldKind::Member { picked } => picked.as_ref(),
            _ => None,
        }
    }

    pub fn pick(&mut self, p: Picked) {
        if let FieldKind::Member { picked } = &mut self.kind {
            self.input = Input::new(p.label.clone());
            self.id_text = p.member_id.to_string();
            *picked = Some(p);
            self.error = None;
        }
    }

    /// Forget the picked member (the staff member typed over it).
    pub fn unpick(&mut self) {
        if let FieldKind::Member { picked } = &mut self.kind {
            *picked = None;
            self.id_text.clear();
        }
    }

    pub fn with_value(mut self, v: &str) -> Field {
        self.set_value(v);
        self
    }

    pub fn with_hint(mut self, key: &'static str) -> Field {
        self.hint = Some(key);
        self
    }

    pub fn takes_text(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Text { .. } | FieldKind::Secret { .. } | FieldKind::Member { .. }
        )
    }

    /// Values of a multi field that are ticked.
    pub fn ticked(&self) -> Vec<&str> {
        match &self.kind {
            FieldKind::Multi { options, on, .. } => options
                .iter()
                .zip(on)
                .filter(|(_, o)| **o)
                .map(|(c, _)| c.value.as_str())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The value as a string: the text, the chosen option's value, "1"/"0",
    /// or a picked member's id ("" when none is picked). A multi field's value
    /// is read with [`Field::ticked`].
    pub fn value(&self) -> &str {
        match &self.kind {
            FieldKind::Multi { .. } => "",
            FieldKind::Member { picked } => {
                picked.as_ref().map(|_| self.id_text.as_str()).unwrap_or("")
            }
            FieldKind::Text { .. } | FieldKind::Secret { .. } => self.input.value(),
            FieldKind::Choice { options, selected } => options
                .get(*selected)
                .map(|c| c.value.as_str())
                .unwrap_or(""),
            FieldKind::Toggle { on } => {
                if *on {
                    "1"
                } else {
                    "0"
                }
            }
        }
    }

    pub fn set_value(&mut self, v: &str) {
        match &mut self.kind {
            FieldKind::Text { .. } => {
                self.input = Input::new(v.to_string());
                self.prefilled = !v.is_empty();
            }
            FieldKind::Secret { .. } => self.input = Input::new(v.to_string()),
            FieldKind::Choice { options, selected } => {
                if let Some(i) = options.iter().position(|c| c.value == v) {
                    *selected = i;
                }
            }
            FieldKind::Toggle { on } => *on = v == "1" || v == "true",
            FieldKind::Multi { options, on, .. } => {
                for (c, o) in options.iter().zip(on.iter_mut()) {
                    *o = v.split(',').any(|x| x == c.value);
                }
            }
            FieldKind::Member { .. } => {
                // drafts keep "id<TAB>label"
                match v
                    .split_once('\t')
                    .and_then(|(id, l)| Some((id.parse().ok()?, l)))
                {
                    Some((member_id, label)) => self.pick(Picked {
                        member_id,
                        label: label.to_string(),
                    }),
                    None => self.input = Input::new(v.to_string()),
                }
            }
        }
    }
}
