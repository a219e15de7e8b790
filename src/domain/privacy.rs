//! ID numbers in free text. An identity number is stored only as a keyed
//! hash and a masked form; these find one typed anywhere else, so it is
//! masked before a draft keeps it and refused before a form saves it.

use std::borrow::Cow;
use std::ops::Range;

/// The length of a resident ID number.
const ID_LEN: usize = 18;

/// A digit as typed: ASCII or full-width (some input methods type those).
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_check_char(c: char) -> bool {
    is_digit(c) || matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// Byte ranges of ID-number-shaped runs in `text`: 17 digits and a digit or
/// X, not part of a longer run of digits (a 19-digit bank card is not one).
/// The check digit is not asked for: a mistyped number is still personal.
pub fn id_number_spans(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + ID_LEN <= chars.len() {
        let run = &chars[i..i + ID_LEN];
        let clear_before = i == 0 || !is_digit(chars[i - 1].1);
        let clear_after = chars.get(i + ID_LEN).is_none_or(|(_, c)| !is_digit(*c));
        if clear_before
            && clear_after
            && run[..ID_LEN - 1].iter().all(|(_, c)| is_digit(*c))
            && is_check_char(run[ID_LEN - 1].1)
        {
            let end = chars.get(i + ID_LEN).map_or(text.len(), |(b, _)| *b);
            found.push(run[0].0..end);
            i += ID_LEN;
        } else {
            i += 1;
        }
    }
    found
}

/// `text` with every ID-number-shaped run masked but its last four.
pub fn redact_id_numbers(text: &str) -> Cow<'_, str> {
    let spans = id_number_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        out.push_str(&"*".repeat(ID_LEN - 4));
        out.push_str(&tail(&text[s.clone()]));
        at = s.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Refuse free text holding an ID number (it would be stored in full).
pub fn refuse_id_numbers(field: &'static str, text: &str) -> Result<(), crate::msg::Refusal> {
    if id_number_spans(text).is_empty() {
        Ok(())
    } else {
        Err(crate::msg::Refusal::at(
            field,
            crate::msg!("form.id_number_elsewhere"),
        ))
    }
}

/// The last four characters of an identity number as typed (what a draft
/// keeps, to show the person which number to type again); nothing for a
/// number too short to hide the rest.
pub fn tail(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    if chars.len() < 8 {
        return String::new();
    }
    chars[chars.len() - 4..].iter().collect()
}

/// Where a phone number is on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhonePlace {
    /// A list or a member's detail.
    Listed,
    /// The dialog of a call to make (a helper, a dispute party, an
    /// applicant, a callback, an urgent request's family).
    CallDialog,
}

/// docs/rules.md §4: masked in lists and details, except to a station
/// master who asked (`o`, logged); in full inside a call dialog to any
/// signed-in staff member (logged too: the staff must be able to phone).
pub fn phone_in_full(place: PhonePlace, master: bool, asked: bool) -> bool {
    match place {
        PhonePlace::CallDialog => true,
        PhonePlace::Listed => master && asked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ID: &str = "11010519491231002X";

    #[test]
    fn finds_the_numbers_and_nothing_else() {
        assert_eq!(id_number_spans(&format!("号 {ID} 张")).len(), 1);
        assert_eq!(id_number_spans(ID), vec![0..18]);
        assert_eq!(id_number_spans("110105194912310021").len(), 1);
        assert_eq!(
            id_number_spans("１１０１０５１９４９１２３１００２Ｘ").len(),
            1
        );
        for not in [
            "110***********002X",
            "13812345678",
            "1101051949123100211",
            "X11010519491231002",
            "JS01-0001",
            "",
        ] {
            assert!(id_number_spans(not).is_empty(), "{not}");
        }
        assert_eq!(id_number_spans(&format!("{ID},{ID}")).len(), 2);
    }

    #[test]
    fn masks_all_but_the_last_four() {
        assert_eq!(
            redact_id_numbers(&format!("证件{ID}。")),
            "证件**************002X。"
        );
        assert!(matches!(
            redact_id_numbers("nothing here"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn free_text_with_a_number_is_refused_at_its_field() {
        let r = refuse_id_numbers("story", &format!("今天{ID}来了")).unwrap_err();
        assert_eq!(r.field, Some("story"));
        assert!(refuse_id_numbers("story", "今天张三来了").is_ok());
    }

    #[test]
    fn tails() {
        assert_eq!(tail(ID), "002X");
        assert_eq!(tail(" AB123456 "), "3456");
        assert_eq!(tail("1234567"), "");
    }

    fn id_like() -> impl Strategy<Value = String> {
        "[0-9]{17}[0-9X]"
    }

    proptest! {
        #[test]
        fn a_number_in_any_text_is_found_and_masked(
            before in "\\PC{0,20}", id in id_like(), after in "\\PC{0,20}"
        ) {
            let sep = |s: &str, end: bool| {
                let c = if end { s.chars().last() } else { s.chars().next() };
                if c.is_some_and(is_digit) { " " } else { "" }
            };
            let text = format!("{before}{}{id}{}{after}", sep(&before, true), sep(&after, false));
            prop_assert!(!id_number_spans(&text).is_empty());
            let masked = redact_id_numbers(&text);
            prop_assert!(id_number_spans(&masked).is_empty(), "{}", masked);
            prop_assert!(!masked.contains(&id[..14]));
        }

        #[test]
        fn masking_changes_nothing_else(text in "\\PC{0,60}") {
            let masked = redact_id_numbers(&text);
            if id_number_spans(&text).is_empty() {
                prop_assert_eq!(masked.as_ref(), text.as_str());
            } else {
                prop_assert_eq!(masked.chars().count(), text.chars().count());
            }
            prop_assert!(id_number_spans(&masked).is_empty());
        }
    }

    #[test]
    fn numbers_are_whole_in_a_call_dialog_for_anyone_and_in_lists_only_to_a_master_who_asks() {
        for master in [false, true] {
            for asked in [false, true] {
                assert!(phone_in_full(PhonePlace::CallDialog, master, asked));
                assert_eq!(
                    phone_in_full(PhonePlace::Listed, master, asked),
                    master && asked
                );
            }
        }
    }
}
