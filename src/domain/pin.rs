//! Which PINs are too easy to guess to be set.
//!
//! A PIN of 4–8 digits has at most 10^8 values; what keeps it from falling
//! to guessing is the lockout at the desk and, for a stolen file, the pepper
//! (see `store::pin`). Neither helps when the PIN is one of the few everybody
//! tries first, so these are refused whenever a person sets a PIN:
//!
//! 1. the digits all step by the same amount, up or down, with 9 wrapping
//!    to 0 — `0000`, `1234`, `9876`, `2468`, `13579`, `7890`, `0369`;
//! 2. a shorter group of digits repeated — `1212`, `123123`, `12121`;
//! 3. the straight line down (or up) the middle of a phone keypad — `2580`,
//!    `0852`, the only line of four keys on it.
//!
//! That is 100 PINs of each length by rule 1 and a few hundred more by rule
//! 2 among 10,000 four-digit PINs: few enough to be remembered as "no
//! patterns", and they are the ones tried first.

/// Why a PIN is too easy to guess, or `None` when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Same step between every two digits (repeats are step 0).
    Steps,
    /// A shorter group of digits repeated.
    Repeated,
    /// The middle column of a phone keypad.
    KeypadLine,
}

/// The weakness of `pin` (ASCII digits; anything else is not judged here:
/// the format check comes first).
pub fn weakness(pin: &str) -> Option<Weakness> {
    let d: Vec<u8> = pin.bytes().map(|b| b.wrapping_sub(b'0')).collect();
    if d.len() < 2 || d.iter().any(|x| *x > 9) {
        return None;
    }
    let step = (d[1] + 10 - d[0]) % 10;
    if d.windows(2).all(|w| (w[1] + 10 - w[0]) % 10 == step) {
        return Some(Weakness::Steps);
    }
    if (1..=d.len() / 2).any(|p| (p..d.len()).all(|i| d[i] == d[i - p])) {
        return Some(Weakness::Repeated);
    }
    if pin == "2580" || pin == "0852" {
        return Some(Weakness::KeypadLine);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_pins_everybody_tries_first_are_weak() {
        for p in [
            "0000", "1111", "99999999", "1234", "12345678", "9876", "4321", "2468", "8642",
            "13579", "7890", "8901", "0369", "0505",
        ] {
            assert_eq!(weakness(p), Some(Weakness::Steps), "{p}");
        }
        for p in ["1212", "123123", "12121", "1231231", "98769876", "5665665"] {
            assert_eq!(weakness(p), Some(Weakness::Repeated), "{p}");
        }
        assert_eq!(weakness("2580"), Some(Weakness::KeypadLine));
        assert_eq!(weakness("0852"), Some(Weakness::KeypadLine));
    }

    #[test]
    fn ordinary_pins_pass() {
        for p in [
            "4821", "3917", "6053", "7294", "1357924", "20461", "1122", "1230", "12341",
        ] {
            assert_eq!(weakness(p), None, "{p}");
        }
    }

    #[test]
    fn few_four_digit_pins_are_refused() {
        let weak = (0..10_000)
            .filter(|n| weakness(&format!("{n:04}")).is_some())
            .count();
        // 100 stepping; abab pairs that do not step (80); the keypad line
        assert_eq!(weak, 100 + 80 + 2);
    }

    #[test]
    fn not_digits_is_not_judged() {
        assert_eq!(weakness("12a4"), None);
        assert_eq!(weakness("１２３４"), None);
        assert_eq!(weakness(""), None);
    }

    proptest! {
        #[test]
        fn any_stepping_pin_is_weak(start in 0u8..10, step in 0u8..10, len in 4usize..=8) {
            let pin: String = (0..len)
                .map(|i| char::from(b'0' + (start + step * i as u8 % 10) % 10))
                .collect();
            prop_assert_eq!(weakness(&pin), Some(Weakness::Steps));
        }

        #[test]
        fn any_repeated_group_is_weak(group in "[0-9]{1,4}", times in 2usize..=4) {
            let pin = group.repeat(times);
            prop_assume!(pin.len() <= 8);
            prop_assert!(weakness(&pin).is_some(), "{}", pin);
        }

        #[test]
        fn a_weak_pin_is_weak_read_backwards(pin in "[0-9]{4,8}") {
            let back: String = pin.chars().rev().collect();
            prop_assert_eq!(weakness(&pin).is_some(), weakness(&back).is_some());
        }

        #[test]
        fn never_panics(s in "\\PC{0,12}") {
            let _ = weakness(&s);
        }
    }
}
