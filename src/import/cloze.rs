//! Anki's cloze deletions (`{{c1::answer::hint}}`) as kioku gaps
//! (`{{answer}}`). Pure text in, text out; it must never recurse or
//! allocate more than a few copies of the note, however the deletions nest.

use crate::deck::{cloze_render, parse_gaps};

/// Deletions inside deletions deeper than this are not read: the
/// renderer's own bound, so a note it renders is one this reads.
pub const MAX_DEPTH: usize = super::render::MAX_CLOZE_DEPTH;

/// The most gaps one cloze note may have: the deck format's own limit.
pub use crate::deck::MAX_GAPS;

/// How deeply `{{` … `}}` pairs nest after the first deletion opens.
fn depth(text: &str) -> usize {
    let Some(first) = text.find("{{c") else {
        return 0;
    };
    let bytes = &text.as_bytes()[first..];
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0);
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'{', b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
                i += 2;
            }
            (b'}', b'}') => {
                depth = depth.saturating_sub(1);
                i += 2;
            }
            _ => i += 1,
        }
    }
    deepest
}

/// A cloze field as kioku text, with the cloze number of each gap in the
/// order the gaps come; `None` without a deletion or nested too deep.
pub fn numbered(text: &str) -> Option<(String, Vec<u16>)> {
    if depth(text) > MAX_DEPTH {
        return None;
    }
    convert(text).map(|(text, _, numbers)| (text, numbers))
}

/// Every cloze number a note's fields use, each once, in order: the cards
/// Anki makes of a cloze note.
pub fn numbers(fields: &[String]) -> Vec<u16> {
    let mut out: Vec<u16> = Vec::new();
    for field in fields {
        let mut rest = field.as_str();
        while let Some(start) = rest.find("{{c") {
            let after = &rest[start + 3..];
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && after[digits..].starts_with("::") {
                if let Ok(n) = after[..digits].parse::<u16>() {
                    if n > 0 && !out.contains(&n) {
                        out.push(n);
                    }
                }
            }
            rest = after;
        }
    }
    out.sort_unstable();
    out
}

/// The conversion proper; `None` when the text has no deletion. Recurses
/// once per level of nesting, which [`cloze_text`] has bounded. Gives the
/// text, the hints and each gap's cloze number.
fn convert(text: &str) -> Option<(String, Vec<String>, Vec<u16>)> {
    let mut out = String::with_capacity(text.len());
    let mut hints = Vec::new();
    let mut numbers = Vec::new();
    let mut rest = text;
    let mut found = false;
    while let Some(start) = rest.find("{{c") {
        let after = &rest[start + 3..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || !after[digits..].starts_with("::") {
            out.push_str(&rest[..start + 3]);
            rest = after;
            continue;
        }
        let body_start = start + 3 + digits + 2;
        let Some(end) = balanced_end(rest.as_bytes(), body_start) else {
            break;
        };
        let body = &rest[body_start..end - 2];
        // Inner deletions are shown as their answers.
        let body = match convert(body) {
            Some((inner, _, _)) => {
                cloze_render(&inner, &parse_gaps(&inner).unwrap_or_default(), None)
            }
            None => body.to_string(),
        };
        let (answer, hint) = match body.split_once("::") {
            Some((a, h)) => (a, Some(h)),
            None => (body.as_str(), None),
        };
        let answer = answer.replace('|', "/").replace(['{', '}'], "");
        let answer = answer.trim();
        if answer.is_empty() {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        out.push_str(&rest[..start]);
        out.push_str("{{");
        out.push_str(answer);
        out.push_str("}}");
        numbers.push(rest[start + 3..start + 3 + digits].parse().unwrap_or(0));
        if let Some(h) = hint.map(str::trim).filter(|h| !h.is_empty()) {
            hints.push(h.to_string());
        }
        found = true;
        rest = &rest[end..];
    }
    out.push_str(rest);
    found.then_some((out, hints, numbers))
}

/// Just past the `}}` that balances a deletion whose body starts at `from`
/// (deletions nest), if the text has one.
fn balanced_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut i = from;
    while i + 1 < bytes.len() && depth > 0 {
        if bytes[i] == b'{' && bytes[i + 1] == b'{' {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'}' && bytes[i + 1] == b'}' {
            depth -= 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    (depth == 0).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaps(text: &str) -> Option<(String, Vec<u16>)> {
        numbered(text)
    }

    #[test]
    fn anki_clozes_become_kioku_gaps_with_their_numbers() {
        assert_eq!(
            gaps("The {{c2::Neutrality Pact}} was signed in {{c1::1941::a year}}."),
            Some((
                "The {{Neutrality Pact}} was signed in {{1941}}.".to_string(),
                vec![2, 1]
            ))
        );
        assert_eq!(
            gaps("{{c1::outer {{c2::inner}} part}} and {{c3::a|b}}"),
            Some(("{{outer inner part}} and {{a/b}}".to_string(), vec![1, 3]))
        );
        assert_eq!(gaps("no deletions {{c::x}} {{Field}}"), None);
        assert_eq!(gaps("{{c1::}} empty"), None);
        assert_eq!(gaps("{{c1::unclosed"), None);
        let fields = [
            "{{c3::a}} {{c1::b}}".to_string(),
            "{{c3::c}} {{c12::d}}".to_string(),
        ];
        assert_eq!(numbers(&fields), [1, 3, 12]);
    }

    #[test]
    fn c1_deeply_nested_deletions_are_refused_without_recursing() {
        let nest = |n: usize| "{{c1::".repeat(n) + "x" + &"}}".repeat(n);
        assert_eq!(gaps(&nest(MAX_DEPTH)), Some(("{{x}}".to_string(), vec![1])));
        assert_eq!(gaps(&nest(MAX_DEPTH + 1)), None);
        // Deep enough to overflow the stack if each level were a call.
        assert_eq!(gaps(&nest(100_000)), None);
        // Opened and never closed: as deep, and as quickly refused.
        assert_eq!(gaps(&"{{c1::".repeat(100_000)), None);
    }
}
