//! Text that reaches the terminal.
//!
//! Deck files come from anyone; nothing in them may move the cursor, change
//! colours or set the window title. Everything printed from a deck passes
//! through [`clean`], which keeps printable text, tabs and newlines and drops
//! every other control character (ESC, BEL, CR, the C1 range, ...).

use std::borrow::Cow;

/// Removes control characters and invisible formatting characters, keeping
/// `\n` and turning `\t` and the Unicode line and paragraph separators into
/// a space.
pub fn clean(s: &str) -> Cow<'_, str> {
    let mut prev = '\n';
    let needed = s.chars().any(|c| {
        let bad = is_unsafe(c) || is_space_like(c) || (c == ZWJ && !is_pictographic(prev));
        prev = c;
        bad
    });
    if !needed {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = '\n';
    for c in s.chars() {
        if is_space_like(c) {
            out.push(' ');
        } else if c == ZWJ {
            // The joiner of emoji sequences (a family, a profession) is
            // kept there; anywhere else it only hides things.
            if is_pictographic(prev) {
                out.push(c);
            }
        } else if !is_unsafe(c) {
            out.push(c);
        }
        prev = c;
    }
    Cow::Owned(out)
}

/// Like [`clean`], for text that must stay on one line.
pub fn clean_line(s: &str) -> String {
    clean(s).replace('\n', " ")
}

/// Outside text as a message quotes it: on one line, cleaned, and cut to
/// [`QUOTE_CHARS`] characters (with `…`), so that a 50 MB field or a name
/// full of escape sequences is named, not replayed.
pub fn quote(s: &str) -> String {
    quote_to(s, QUOTE_CHARS)
}

/// A path as a message shows it: on one line, cleaned (a file name can
/// hold anything), and never cut.
pub fn path(p: &std::path::Path) -> String {
    clean_line(&p.display().to_string())
}

/// How much of an outside value a message quotes.
pub const QUOTE_CHARS: usize = 80;

/// [`quote`], cut to `max` characters.
pub fn quote_to(s: &str, max: usize) -> String {
    let clean = clean_line(s);
    match clean.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &clean[..at]),
        None => clean,
    }
}

const ZWJ: char = '\u{200d}';

fn is_space_like(c: char) -> bool {
    matches!(c, '\t' | '\u{2028}' | '\u{2029}')
}

/// Control characters (C0 but the newline, DEL, C1) and the invisible
/// format characters (Unicode's Cf): direction overrides and isolates,
/// zero-width spaces and joiners, the byte-order mark, interlinear
/// annotation marks and the tag characters that can smuggle hidden text.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{ad}'
                | '\u{600}'..='\u{605}'
                | '\u{61c}'
                | '\u{6dd}'
                | '\u{70f}'
                | '\u{890}'..='\u{891}'
                | '\u{8e2}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200c}'
                | '\u{200e}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{110bd}'
                | '\u{110cd}'
                | '\u{13430}'..='\u{1343f}'
                | '\u{1bca0}'..='\u{1bca3}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

/// Emoji and pictographs, after which a zero-width joiner may stand.
fn is_pictographic(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27bf}' | '\u{1f000}'..='\u{1faff}' | '\u{fe0f}')
}

/// Columns `s` takes on a terminal: two for most CJK characters, none for
/// combining marks.
pub fn columns(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Columns one character takes.
pub fn char_columns(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Wraps `text` to `width` terminal columns, keeping existing line breaks.
/// Lines break between words; a word wider than a line (Japanese, which
/// has no spaces, or a long address) breaks between its characters.
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
            let len = columns(word);
            if j > 0 && col + 1 + len > width {
                out.push('\n');
                out.push_str(indent);
                col = 0;
            } else if j > 0 {
                out.push(' ');
                col += 1;
            }
            for c in word.chars() {
                let w = char_columns(c);
                if col > 0 && col + w > width {
                    out.push('\n');
                    out.push_str(indent);
                    col = 0;
                }
                out.push(c);
                col += w;
            }
        }
    }
    out
}

/// Where a line of typed text must start for the cursor (an index into
/// `chars`) to show within `room` columns: the first character shown, and
/// the columns before the cursor.
pub fn visible_from(chars: &[char], cursor: usize, room: usize) -> (usize, usize) {
    let cursor = cursor.min(chars.len());
    let mut start = cursor;
    let mut before = 0;
    while start > 0 && before + char_columns(chars[start - 1]) <= room {
        start -= 1;
        before += char_columns(chars[start]);
    }
    (start, before)
}

/// Bytes read as UTF-8 text, or where the first byte that is not: its line
/// and column (1-based, the column in characters), so that every "not
/// UTF-8" message points at the same place an editor would.
pub fn utf8(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // The prefix is valid UTF-8 by construction.
        let column = std::str::from_utf8(&valid[line_start..]).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_placed_by_line_and_character() {
        assert_eq!(utf8(b"ok".to_vec()), Ok("ok".to_string()));
        assert_eq!(utf8(b"one\ntw\xe9".to_vec()), Err((2, 3)));
        assert_eq!(utf8(["k\u{14d}".as_bytes(), &[0xff]].concat()), Err((1, 3)));
    }

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
    fn i6_invisible_format_characters_are_removed() {
        // Tag characters spelling hidden text, the Arabic letter mark, word
        // joiners and invisible operators, the byte-order mark, the
        // Mongolian vowel separator, a soft hyphen.
        let hidden: String = "ignore"
            .chars()
            .map(|c| char::from_u32(0xe0000 + c as u32).unwrap())
            .collect();
        let hostile =
            format!("Who{hidden}\u{e007f} signed\u{61c}\u{2060}\u{2064}\u{feff}\u{180e}\u{ad} it?");
        assert_eq!(clean(&hostile), "Who signed it?");
        assert_eq!(clean("one\u{2028}two\u{2029}three"), "one two three");
        // A joiner between emoji stays; one hidden between letters goes.
        assert_eq!(clean("👩\u{200d}🔬 a\u{200d}b"), "👩\u{200d}🔬 ab");
        assert!(matches!(clean("日露 1855 👩‍🔬"), Cow::Borrowed(_)));
    }

    #[test]
    fn i2_quotes_are_one_clean_line_of_at_most_eighty_characters() {
        assert_eq!(quote("tsarist-era\x1b[2J/x\ny"), "tsarist-era[2J/x y");
        let long = "é".repeat(50_000);
        let q = quote(&long);
        assert_eq!(q.chars().count(), 81);
        assert!(q.ends_with('…'));
        assert_eq!(quote_to("abcdef", 3), "abc…");
        assert_eq!(quote_to("abc", 3), "abc");
    }

    #[test]
    fn wrap_counts_columns_so_japanese_lays_out_in_two_each() {
        let text =
            "日露和親条約は一八五五年に下田で結ばれ、両国の国境を択捉島と得撫島の間に定めた。";
        let wrapped = wrap(text, 20, "");
        assert!(wrapped.lines().count() > 1, "{wrapped}");
        for line in wrapped.lines() {
            assert!(columns(line) <= 20, "{line} is {} columns", columns(line));
        }
        assert_eq!(wrapped.replace('\n', ""), text);
        // Words still break between words, counted in columns.
        assert_eq!(
            wrap("下田 下田 下田 下田 下田 下田 下田", 20, ""),
            "下田 下田 下田 下田\n下田 下田 下田"
        );
        assert_eq!(columns("Kōdayū"), 6);
    }

    #[test]
    fn the_cursor_stays_in_view_counted_in_columns() {
        let ascii: Vec<char> = "abcdefghijklmnop".chars().collect();
        assert_eq!(visible_from(&ascii, 16, 10), (6, 10));
        assert_eq!(visible_from(&ascii, 4, 10), (0, 4));
        // Each kana takes two columns: five of them fill ten.
        let kana: Vec<char> = "えとろふとう".chars().collect();
        assert_eq!(visible_from(&kana, 6, 10), (1, 10));
        assert_eq!(visible_from(&kana, 6, 9), (2, 8));
        assert_eq!(visible_from(&kana, 99, 40), (0, 12));
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
