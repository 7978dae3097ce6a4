//! JSON meant for people: what `--json` prints on a terminal or into a
//! pipe a person reads.
//!
//! serde_json escapes only the characters below U+0020, so the C1 controls
//! (an 8-bit CSI is one character, U+009B) and the invisible characters the
//! terminal cleaner drops would pass through raw. Here every such character
//! inside a string is written as a `\uXXXX` escape: the document stays
//! valid JSON and reads back to exactly the same strings. This module never
//! drops or changes a value, and knows nothing of what the document means.

use serde::Serialize;
use std::io::{self, Write};

/// Writes `value` as pretty JSON, with hidden characters escaped.
pub fn write_pretty<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    out.write_all(escape_hidden(&text).as_bytes())
}

/// `text` (JSON as serde_json writes it) with each character the terminal
/// cleaner would remove written as an escape. Outside strings JSON holds
/// only ASCII punctuation, spaces and newlines, none of which is touched.
pub fn escape_hidden(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii() && !c.is_ascii_control() || c == '\n' {
            out.push(c);
            continue;
        }
        let one: &str = c.encode_utf8(&mut buf);
        if crate::text::clean(one) == one {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i5_c1_controls_and_hidden_characters_are_escaped_and_read_back() {
        let hostile = "a\u{9b}31m\u{7f}\u{85}b\u{202e}c\u{200b}d\u{1b}[2J Kōdayū 記憶 😀";
        let doc = serde_json::json!({ "q": hostile, "list": [hostile] });
        let mut out = Vec::new();
        write_pretty(&mut out, &doc).unwrap();
        let text = String::from_utf8(out).unwrap();
        for c in [
            '\u{9b}', '\u{7f}', '\u{85}', '\u{202e}', '\u{200b}', '\u{1b}',
        ] {
            assert!(!text.contains(c), "{c:?} in {text}");
        }
        assert!(
            text.contains("\\u009b") && text.contains("\\u202e"),
            "{text}"
        );
        assert!(text.contains("Kōdayū 記憶 😀"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, doc);
    }
}
