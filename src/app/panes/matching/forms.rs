//! The match pane's form: a call to a helper and its answer.

use crate::app::form::{Choice, Field, Form};
use crate::store::queue::Outcome;

/// The call's form; the numbers to dial come in after it opens (`…` until
/// then): the helper's, and for an urgent request the requester's family.
pub fn contact_form(urgent: bool) -> Form {
    let outcomes = [Outcome::Accepted, Outcome::Declined, Outcome::NoAnswer]
        .into_iter()
        .map(|o| Choice::key(o.as_str(), o.label_key()))
        .collect();
    let mut fields = vec![
        Field::choice("outcome", crate::k!("contact.outcome"), outcomes),
        Field::text("note", crate::k!("contact.note"), 60),
        Field::shown("phone", crate::k!("call.phone"), "…"),
    ];
    if urgent {
        fields.push(Field::shown("family", crate::k!("call.family"), "…"));
    }
    Form::new(fields)
}

/// The answer and the note as typed (the note may be empty: "no answer"
/// needs no words).
pub fn parse_contact(f: &Form) -> (Outcome, String) {
    let outcome = Outcome::parse(f.value("outcome")).unwrap_or(Outcome::NoAnswer);
    (outcome, f.value("note").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Command;

    #[test]
    fn the_call_opens_on_accepted_and_gives_the_chosen_answer_with_its_note() {
        let mut f = contact_form(false);
        assert_eq!(parse_contact(&f), (Outcome::Accepted, String::new()));
        f.command(Command::ChoiceNext);
        f.set("note", "下周可以");
        assert_eq!(parse_contact(&f), (Outcome::Declined, "下周可以".into()));
    }
}
