//! Anki fields are HTML; kioku cards are plain text. Tags go, line breaks
//! stay, entities become their characters, and media references
//! (`<img>`, `[sound:...]`) are dropped.
//!
//! A reading over text (`<ruby>日本<rt>にほん</rt></ruby>`, as Anki's
//! `furigana` filter writes it) follows its base in ASCII parentheses
//! after a space, `日本 (にほん)`, the way a plain-text book glosses a
//! word; the fallback parentheses of `<rp>` are dropped, as a reader that
//! shows the reading does. List items are lines of their own, `• item`
//! in a `<ul>` and `1. item`, `2. item` in an `<ol>`.

/// Lists nested deeper than this number their items as bullets.
const MAX_LISTS: usize = 32;

/// The text of an HTML fragment, with line breaks where the markup had
/// `<br>`, `<div>`, `<p>` or `<li>` (an item also gets its bullet or
/// number), readings in parentheses, and spaces collapsed.
///
/// Each byte is looked at a bounded number of times: a search that found
/// no closing `]` or `</script` is remembered, so a field of ten thousand
/// unclosed `[sound:` or `<script>` tags costs no more than one.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Once a search for `]` fails, none later in the field can succeed;
    // nor can one for `</rp` once failed.
    let mut no_bracket_after = false;
    let mut no_rp_close = false;
    let mut lists = Lists::default();
    while let Some(start) = rest.find(['<', '&', '[']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let Some(end) = rest.find('>') else {
                out.push_str(rest);
                rest = "";
                break;
            };
            let tag = rest[1..end].trim().to_ascii_lowercase();
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            rest = &rest[end + 1..];
            if matches!(name.as_str(), "script" | "style") && !tag.starts_with('/') {
                // Their content is not text. Without a closing tag the
                // rest of the field is dropped, so each byte is searched once.
                rest = match find_closing(rest, &name) {
                    Some(at) => rest[at..].find('>').map_or("", |e| &rest[at + e + 1..]),
                    None => "",
                };
                continue;
            }
            let closing = tag.starts_with('/');
            if name == "rp" && !closing && !no_rp_close {
                // The parentheses for readers that cannot show a reading.
                match find_closing(rest, "rp") {
                    Some(at) => rest = rest[at..].find('>').map_or("", |e| &rest[at + e + 1..]),
                    None => no_rp_close = true,
                }
                continue;
            }
            lists.tag(&name, closing, &mut out);
        } else if rest.starts_with('&') {
            let end = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
                .map(|e| e + 1);
            match end
                .filter(|&e| rest[e..].starts_with(';'))
                .and_then(|e| entity(&rest[..=e]).map(|text| (text, e + 1)))
            {
                Some((text, len)) => {
                    out.push_str(&text);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        } else if let Some(end) = rest
            .strip_prefix("[sound:")
            .filter(|_| !no_bracket_after)
            .and_then(|r| {
                let end = r.find(']');
                no_bracket_after = end.is_none();
                end
            })
        {
            rest = &rest["[sound:".len() + end + 1..];
        } else {
            out.push('[');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    tidy(&out)
}

/// The lists open at a point of the text.
#[derive(Default)]
struct Lists {
    /// The last number given in each open `<ol>`, None for a `<ul>`.
    open: Vec<Option<usize>>,
    /// How many more are open beyond the ones kept.
    beyond: usize,
}

impl Lists {
    /// What a tag other than `<script>`, `<style>` or `<rp>` adds to the text.
    fn tag(&mut self, name: &str, closing: bool, out: &mut String) {
        match (name, closing) {
            ("rt", false) => out.push_str(" ("),
            ("rt", true) => out.push(')'),
            ("ul" | "ol", false) => {
                out.push('\n');
                if self.open.len() < MAX_LISTS {
                    self.open.push((name == "ol").then_some(0));
                } else {
                    self.beyond += 1;
                }
            }
            ("ul" | "ol", true) => {
                out.push('\n');
                if self.beyond > 0 {
                    self.beyond -= 1;
                } else {
                    self.open.pop();
                }
            }
            ("li", false) => {
                out.push('\n');
                match self.open.last_mut() {
                    Some(Some(n)) if self.beyond == 0 => {
                        *n += 1;
                        out.push_str(&format!("{n}. "));
                    }
                    Some(_) => out.push_str("• "),
                    None => {}
                }
            }
            ("br" | "div" | "p" | "li" | "tr" | "hr" | "h1" | "h2" | "h3" | "h4", _) => {
                out.push('\n');
            }
            ("td" | "th", _) => out.push(' '),
            _ => {}
        }
    }
}

/// Where `</name` starts in `html`, ignoring ASCII case, without copying.
fn find_closing(html: &str, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let want = name.as_bytes();
    let mut from = 0;
    while let Some(i) = html[from..].find("</") {
        let at = from + i;
        let tag = &bytes[at + 2..];
        if tag.len() >= want.len() && tag[..want.len()].eq_ignore_ascii_case(want) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Spaces collapsed within lines, blank lines and edges dropped.
fn tidy(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text a character reference like `&eacute;` or `&#x41;` stands for,
/// from the full HTML table (`html-escape`), or None to keep it as written:
/// an unknown name, a number that is no character, or a control character
/// other than a line break, which a card must not hold.
fn entity(reference: &str) -> Option<String> {
    let decoded = html_escape::decode_html_entities(reference);
    (decoded != reference && !decoded.chars().any(|c| c.is_control() && c != '\n'))
        .then(|| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn markup_becomes_text() {
        let cases = [
            (
                "<b>Which islands</b> does Japan claim?",
                "Which islands does Japan claim?",
            ),
            (
                "Adam Laxman<br>(sent by Catherine&nbsp;the&nbsp;Great)",
                "Adam Laxman\n(sent by Catherine the Great)",
            ),
            ("<div>one</div><div>two</div>", "one\ntwo"),
            (
                "1904&ndash;05 &amp; after &#8212; &#x41;",
                "1904–05 & after — A",
            ),
            ("a &unknown; b & c", "a &unknown; b & c"),
            ("x<img src=\"map.png\">y [sound:say.mp3]z", "xy z"),
            (
                "<style>.card{color:red}</style>kept<script>alert(1)</script>",
                "kept",
            ),
            ("  spaced   out  ", "spaced out"),
            ("unclosed <b", "unclosed <b"),
            ("[not sound] &#0; &#xD800;", "[not sound] &#0; &#xD800;"),
            // Readings follow their base; <rp> is for readers without ruby.
            (
                "<ruby><rb>日本</rb><rt>にほん</rt></ruby>語",
                "日本 (にほん)語",
            ),
            (
                "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby>",
                "漢 (kan)字 (ji)",
            ),
            ("a<rp>unclosed", "aunclosed"),
            // List items are lines, numbered in an <ol>.
            (
                "<ul><li>Sakhalin</li><li>Kurils</li></ul>",
                "• Sakhalin\n• Kurils",
            ),
            (
                "Treaties:<ol><li>Shimoda</li><li>Portsmouth<ul><li>1905</li></ul></li><li>San Francisco</li></ol>after",
                "Treaties:\n1. Shimoda\n2. Portsmouth\n• 1905\n3. San Francisco\nafter",
            ),
            ("<li>loose</li>", "loose"),
            // The whole HTML table, not a short list of favourites.
            (
                "&Eacute;cole, gar&ccedil;on, na&iuml;ve, &oacute; &ocirc; &frac12; &euro;",
                "École, garçon, naïve, ó ô ½ €",
            ),
            // No control character comes in through a reference.
            (
                "a&#9;b &#x1b;[2J &#127; &#x85; &Tab;",
                "a&#9;b &#x1b;[2J &#127; &#x85; &Tab;",
            ),
        ];
        for (html, text) in cases {
            assert_eq!(to_text(html), text, "{html}");
        }
    }

    #[test]
    fn h2_runs_of_script_tags_and_unclosed_sounds_take_linear_time() {
        // A megabyte of each: quadratic work would take minutes.
        let scripts = "<script></SCRIPT>".repeat(60_000) + "kept";
        assert_eq!(to_text(&scripts), "kept");
        let sounds = "[sound:".repeat(150_000) + "end";
        assert_eq!(to_text(&sounds), "[sound:".repeat(150_000) + "end");
        let open = "<style>".repeat(150_000) + "gone";
        assert_eq!(to_text(&open), "");
        let names = "&".to_string() + &"a".repeat(1_000_000) + ";";
        assert_eq!(to_text(&names), names);
        let refs = "&eacute;&#x41;&bogus;&".repeat(50_000);
        assert_eq!(to_text(&refs), "éA&bogus;&".repeat(50_000));
        let rps = "<rp>".repeat(150_000) + "kept";
        assert_eq!(to_text(&rps), "kept");
        let lists = "<ol><li>".repeat(100_000);
        assert!(to_text(&lists).starts_with("1.\n1.\n"));
        let mixed = "<ScRiPt>x</sCrIpT >y [sound:a.mp3]z";
        assert_eq!(to_text(mixed), "y z");
    }
}
