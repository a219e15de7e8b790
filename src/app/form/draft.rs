//! What a form lets out of the screen: its draft (kept every second, so it
//! sits in the database file, its WAL and every backup) and what it submits.
//! Neither ever holds a whole ID number: the identity field's draft keeps
//! only its last four characters, any ID-number-shaped text typed into
//! another field is masked in the draft and refused at submit.

use super::{Field, FieldKind, Form, FormEvent};
use crate::domain::privacy;
use serde_json::{Map, Value};

/// Where a draft keeps the last characters of an identity field.
fn tail_key(name: &str) -> String {
    format!("{name}#tail")
}

impl Field {
    /// A text field for an identity number.
    pub fn identity(name: &'static str, label: &'static str, max_chars: usize) -> Field {
        let mut f = Field::text(name, label, max_chars);
        f.identity = true;
        f
    }

    /// What a draft keeps of this field.
    fn draft_value(&self) -> String {
        match &self.kind {
            FieldKind::Multi { .. } => self.ticked().join(","),
            FieldKind::Member { picked: Some(p) } => format!("{}\t{}", p.member_id, p.label),
            FieldKind::Member { picked: None } => {
                privacy::redact_id_numbers(self.input.value()).into_owned()
            }
            _ => privacy::redact_id_numbers(self.value()).into_owned(),
        }
    }
}

impl Form {
    /// Field values by name, for drafts. Secrets (PINs) are never saved,
    /// identity numbers only as their last four characters.
    pub fn to_draft(&self) -> Value {
        let mut m = Map::new();
        for f in &self.fields {
            if matches!(f.kind, FieldKind::Secret { .. }) {
                continue;
            }
            if f.identity {
                let tail = privacy::tail(f.value());
                if !tail.is_empty() {
                    m.insert(tail_key(f.name), Value::String(tail));
                }
                continue;
            }
            m.insert(f.name.to_string(), Value::String(f.draft_value()));
        }
        Value::Object(m)
    }

    /// Fill the form from a draft. An identity field stays empty, with a
    /// message at it asking for the number again (and the focus on it).
    pub fn restore_draft(&mut self, v: &Value) {
        let Some(m) = v.as_object() else {
            self.dirty = true;
            return;
        };
        let mut retype = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            if f.identity {
                if let Some(tail) = m.get(&tail_key(f.name)).and_then(Value::as_str) {
                    f.error = Some(crate::msg!("reg.id_number.retype", tail = tail));
                    retype = retype.or(Some(i));
                }
            } else if let Some(s) = m.get(f.name).and_then(Value::as_str) {
                f.set_value(s);
                // what was typed before is carried on, not replaced
                f.prefilled = false;
            }
        }
        if let Some(i) = retype.filter(|i| self.fields[*i].visible) {
            self.focus = i;
        }
        self.dirty = true;
    }

    /// Submit, unless an ID number was typed where it does not belong: it
    /// would be stored in full there (names, notes, reasons, addresses).
    pub(super) fn submit(&mut self) -> FormEvent {
        let stray = self.fields.iter().position(|f| {
            f.visible
                && !f.identity
                && matches!(
                    f.kind,
                    FieldKind::Text { .. } | FieldKind::Member { picked: None }
                )
                && !privacy::id_number_spans(f.input.value()).is_empty()
        });
        match stray {
            None => FormEvent::Submit,
            Some(i) => {
                self.clear_errors();
                self.fields[i].error = Some(crate::msg!("form.id_number_elsewhere"));
                self.focus = i;
                FormEvent::Moved
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Command;

    const ID: &str = "11010519491231002X";

    fn form() -> Form {
        Form::new(vec![
            Field::text("name", "n", 20),
            Field::identity("id_number", "i", 20),
            Field::text("note", "t", 60),
            Field::secret("pin", "p", 8),
        ])
    }

    #[test]
    fn a_draft_keeps_no_id_number_only_its_last_four() {
        let mut f = form();
        f.set("name", "张三");
        f.set("id_number", ID);
        f.set("note", &format!("证件 {ID} 已核"));
        let d = f.to_draft();
        let text = d.to_string();
        assert!(privacy::id_number_spans(&text).is_empty(), "{text}");
        assert!(!text.contains("1101051949"), "{text}");
        assert_eq!(d["id_number#tail"], "002X");
        assert!(d.get("id_number").is_none());

        let mut g = form();
        g.restore_draft(&d);
        assert_eq!(g.value("name"), "张三");
        assert_eq!(g.value("id_number"), "");
        assert_eq!(g.focused_name(), "id_number");
        let e = g.get("id_number").unwrap().error.clone().unwrap();
        assert_eq!(e, crate::msg!("reg.id_number.retype", tail = "002X"));
        assert!(!g.value("note").contains(ID));
    }

    #[test]
    fn a_draft_from_before_never_fills_the_identity_field() {
        let mut g = form();
        g.restore_draft(&serde_json::json!({"name": "张三", "id_number": ID}));
        assert_eq!(g.value("id_number"), "");
        assert!(g.get("id_number").unwrap().error.is_none());
    }

    #[test]
    fn an_empty_identity_field_leaves_nothing_in_the_draft() {
        let d = form().to_draft();
        assert!(d.get("id_number#tail").is_none());
        assert!(d.get("pin").is_none());
    }

    #[test]
    fn an_id_number_typed_elsewhere_is_refused_at_that_field() {
        let mut f = form();
        f.set("id_number", ID);
        assert_eq!(f.command(Command::Submit), FormEvent::Submit);
        f.set("note", &format!("身份证{ID}"));
        assert_eq!(f.command(Command::Submit), FormEvent::Moved);
        assert_eq!(f.focused_name(), "note");
        assert_eq!(
            f.get("note").unwrap().error,
            Some(crate::msg!("form.id_number_elsewhere"))
        );
        // a phone number, a member number or a longer digit run is fine
        f.set("note", "13812345678 JS01-0001 1234567890123456789");
        assert_eq!(f.command(Command::Submit), FormEvent::Submit);
    }
}
