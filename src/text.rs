//! All width arithmetic for terminal text goes through here.
//!
//! A Han character takes two cells; counting bytes or chars cuts them in half
//! and misaligns borders. Every truncation and padding in the app uses these.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

mod wrap;
pub use wrap::wrap;

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Cut `s` to at most `max` cells, ending with `…` when something was cut.
/// A wide character that would straddle the edge is dropped whole.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    // a zero-width character can widen what it follows (U+FE0F makes `0` a
    // two-cell emoji): the string's own width decides
    while width(&out) > max - 1 {
        out.pop();
    }
    out.push('…');
    out
}

/// Truncate then pad with spaces on the right to exactly `cells` cells.
pub fn pad_right(s: &str, cells: usize) -> String {
    let mut out = truncate(s, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// Truncate then pad with spaces on the left to exactly `cells` cells.
pub fn pad_left(s: &str, cells: usize) -> String {
    let t = truncate(s, cells);
    let w = width(&t);
    let mut out: String = std::iter::repeat_n(' ', cells.saturating_sub(w)).collect();
    out.push_str(&t);
    out
}

/// True when the text contains characters a name must never hold:
/// control characters, emoji and other symbols outside letters/marks.
pub fn has_unprintable(s: &str) -> bool {
    s.chars().any(|c| c.is_control() || is_emoji_like(c))
}

fn is_emoji_like(c: char) -> bool {
    let cp = c as u32;
    matches!(cp,
        0x1F000..=0x1FAFF   // emoji, pictographs, mahjong, cards
        | 0x2600..=0x27BF   // misc symbols, dingbats
        | 0xFE00..=0xFE0F   // variation selectors
        | 0x200D            // zero-width joiner
        | 0xE0000..=0xE007F // tags
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn han_is_two_cells() {
        assert_eq!(width("张三丰"), 6);
        assert_eq!(width("JS01-0001"), 9);
    }

    #[test]
    fn truncate_never_splits_a_wide_char() {
        assert_eq!(truncate("张三丰", 5), "张三…");
        assert_eq!(truncate("张三丰", 4), "张…");
        assert_eq!(truncate("张三丰", 6), "张三丰");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn pad_fills_exactly() {
        assert_eq!(pad_right("张", 4), "张  ");
        assert_eq!(pad_left("张", 4), "  张");
        assert_eq!(width(&pad_right("张三丰李四", 7)), 7);
    }

    #[test]
    fn a_variation_selector_widening_its_character_is_cut_with_it() {
        // "0\u{fe0f}" is drawn as a two-cell emoji though each char counts 1 + 0
        assert_eq!(truncate("0\u{fe0f}0 A", 2), "0…");
        assert!(width(&truncate("0\u{fe0f}0 A ᾶ 00", 2)) <= 2);
        assert_eq!(width(&pad_right("0\u{fe0f}0 A", 2)), 2);
    }

    #[test]
    fn emoji_and_controls_are_flagged() {
        assert!(has_unprintable("张三😀"));
        assert!(has_unprintable("a\u{7}b"));
        assert!(!has_unprintable("欧阳 娜娜·Li"));
    }

    proptest! {
        #[test]
        fn pad_right_is_exact(s in "\\PC{0,20}", n in 0usize..30) {
            let p = pad_right(&s, n);
            // zero-width chars aside, padding lands exactly on n cells
            prop_assert!(width(&p) <= n.max(1));
            if width(&s) <= n { prop_assert_eq!(width(&p), n); }
        }

        #[test]
        fn truncate_fits(s in "\\PC{0,30}", n in 1usize..30) {
            prop_assert!(width(&truncate(&s, n)) <= n);
        }
    }
}
