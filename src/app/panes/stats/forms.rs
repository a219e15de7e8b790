//! The stats pane's one form: what a member called back said.

use crate::app::form::{Choice, Field, Form};
use crate::msg;
use crate::msg::Refusal;
use crate::store::stats::Callback;

/// The answer form, holding what was said before if the call was made.
pub fn answer_form(c: &Callback) -> Form {
    let mut f = Form::new(vec![
        Field::choice(
            "satisfied",
            crate::k!("stats.cb.result"),
            vec![
                Choice::key("", crate::k!("stats.cb.choose")),
                Choice::key("yes", crate::k!("stats.cb.satisfied")),
                Choice::key("no", crate::k!("stats.cb.unsatisfied")),
            ],
        ),
        Field::text("note", crate::k!("stats.cb.note"), 80)
            .with_hint(crate::k!("stats.cb.note.hint")),
        // the member's number, once it comes
        Field::shown("phone", crate::k!("call.phone"), "…"),
    ]);
    if let Some(s) = c.satisfied {
        f.set("satisfied", if s { "yes" } else { "no" });
    }
    if let Some(n) = &c.note {
        f.set("note", n);
    }
    f
}

/// Satisfied or not (one must be chosen), and the note: an unsatisfied
/// member's complaint is written down.
pub fn parse_answer(f: &Form) -> Result<(bool, String), Vec<Refusal>> {
    let satisfied = match f.value("satisfied") {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(vec![Refusal::at(
                "satisfied",
                msg!("stats.cb.result_required"),
            )]);
        }
    };
    let note = f.value("note").trim().to_string();
    if !satisfied && note.is_empty() {
        return Err(vec![Refusal::at("note", msg!("stats.cb.note_required"))]);
    }
    Ok((satisfied, note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::panes::stats::tests::callback;

    fn field(r: Result<(bool, String), Vec<Refusal>>) -> Option<&'static str> {
        r.unwrap_err()[0].field
    }

    #[test]
    fn an_answer_says_satisfied_or_not() {
        let f = answer_form(&callback(1));
        assert_eq!(field(parse_answer(&f)), Some("satisfied"));
    }

    #[test]
    fn an_unsatisfied_member_is_heard_out() {
        let mut f = answer_form(&callback(1));
        f.set("satisfied", "no");
        f.set("note", "  ");
        assert_eq!(field(parse_answer(&f)), Some("note"));
        f.set("note", " 来晚了 ");
        assert_eq!(parse_answer(&f).unwrap(), (false, "来晚了".to_string()));
        f.set("satisfied", "yes");
        f.set("note", "");
        assert_eq!(parse_answer(&f).unwrap(), (true, String::new()));
    }

    #[test]
    fn a_call_made_before_opens_with_what_was_said() {
        let c = Callback {
            satisfied: Some(false),
            note: Some("态度差".into()),
            ..callback(2)
        };
        let f = answer_form(&c);
        assert_eq!(parse_answer(&f).unwrap(), (false, "态度差".to_string()));
    }
}
