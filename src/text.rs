//! Text that reaches the terminal.
//!
//! Deck files come from anyone; nothing in them may move the cursor, change
//! colours or set the window title. Everything printed from a deck passes
//! through [`clean`], which keeps printable text, tabs and newlines and drops
//! every other control character (ESC, BEL, CR, the C1 range, ...).

use std::borrow::Cow;

/// Removes control characters, keeping `\n` and turning `\t` into a space.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) && !s.contains('\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\t' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Like [`clean`], for text that must stay on one line.
pub fn clean_line(s: &str) -> String {
    clean(s).replace('\n', " ")
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Wraps `text` to `width` columns (by characters), keeping existing line breaks.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let width = width.max(20);
    let mut out = String::new();
    for (i, para) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        out.push_str(indent);
        for (j, word) in para.split_whitespace().enumerate() {
            let len = word.chars().count();
            if j > 0 && col + 1 + len > width {
                out.push('\n');
                out.push_str(indent);
                col = 0;
            } else if j > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bells_are_removed() {
        let hostile = "Who\x1b[2J\x1b]0;pwned\x07 signed\r it?\u{9b}31m";
        let cleaned = clean(hostile);
        assert!(!cleaned.chars().any(|c| c.is_control()), "{cleaned:?}");
        assert_eq!(cleaned, "Who[2J]0;pwned signed it?31m");
    }

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(clean("Kōdayū 1792\nnext"), Cow::Borrowed(_)));
    }

    #[test]
    fn bidi_overrides_are_removed() {
        assert_eq!(clean("a\u{202e}b"), "ab");
    }

    #[test]
    fn wrap_breaks_on_words() {
        assert_eq!(wrap("one two three four", 20, "  "), "  one two three four");
        assert_eq!(
            wrap("aaaa bbbb cccc dddd eeee ffff", 20, ""),
            "aaaa bbbb cccc dddd\neeee ffff"
        );
    }
}
