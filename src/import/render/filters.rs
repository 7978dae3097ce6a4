//! The field filters that change text: `text`, `furigana`, `kana`,
//! `kanji`, and the tests and escapes the renderer shares. Each runs in
//! time linear in its input.

/// Anki's notion of an empty field: nothing but ASCII white space and
/// `<br>` or `<div>` tags (opening, closing or self-closing).
pub fn field_is_empty(html: &str) -> bool {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() || b[i] == 0x0b {
            i += 1;
            continue;
        }
        match empty_tag_len(&b[i..]) {
            Some(n) => i += n,
            None => return false,
        }
    }
    true
}

/// The length of a `<br>`, `</div >`, `<br/>`-like tag at the start.
fn empty_tag_len(b: &[u8]) -> Option<usize> {
    let mut i = 1;
    if b.first() != Some(&b'<') {
        return None;
    }
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    let name = b.get(i..).unwrap_or_default();
    let len = if name.len() >= 2 && name[..2].eq_ignore_ascii_case(b"br") {
        2
    } else if name.len() >= 3 && name[..3].eq_ignore_ascii_case(b"div") {
        3
    } else {
        return None;
    };
    i += len;
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    (b.get(i) == Some(&b'>')).then_some(i + 1)
}

/// The `text` filter: comments, scripts, styles and tags taken out,
/// character references decoded.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    // Searches that failed once fail for the rest of the text too.
    let (mut script, mut style, mut comment, mut gt) = (true, true, true, true);
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        out.push_str(&html[at..lt]);
        let rest = &lower[lt..];
        let skip = if rest.starts_with("<!--") && comment {
            let end = rest[4..].find("-->").map(|e| lt + 4 + e + 3);
            comment = end.is_some();
            end
        } else if rest.starts_with("<script") && script {
            let end = rest.find("</script>").map(|e| lt + e + 9);
            script = end.is_some();
            end
        } else if rest.starts_with("<style") && style {
            let end = rest.find("</style>").map(|e| lt + e + 8);
            style = end.is_some();
            end
        } else {
            None
        };
        let skip = skip.or_else(|| {
            let end = gt.then(|| rest.find('>')).flatten().map(|e| lt + e + 1);
            gt = end.is_some();
            end
        });
        match skip {
            Some(end) => at = end,
            None => {
                out.push('<');
                at = lt + 1;
            }
        }
    }
    out.push_str(&html[at..]);
    // As Anki does: only text with a reference in it is decoded, and then
    // every no-break space, written or referred to, becomes a space.
    match out.contains('&') {
        true => html_escape::decode_html_entities(&out).replace('\u{a0}', " "),
        false => out,
    }
}

/// What a `base[reading]` match becomes.
#[derive(Clone, Copy)]
pub enum Ruby {
    Furigana,
    Kana,
    Kanji,
}

/// The `furigana`, `kana` and `kanji` filters. A reading is `base[reading]`
/// where the base runs back to a space or `>` (one space before it goes
/// with it), and the reading is at least one character up to the first `]`
/// on the same line. A reading that starts with `sound:` is left alone.
pub fn ruby(html: &str, kind: Ruby) -> String {
    let text = html.replace("&nbsp;", " ");
    // Every byte looked for is ASCII, so byte positions are safe to cut at.
    let b = text.as_bytes();
    let n = b.len();
    // From each byte on, where the next `]` and the next line break are.
    let (mut close_at, mut newline_at) = (vec![usize::MAX; n + 1], vec![usize::MAX; n + 1]);
    for i in (0..n).rev() {
        close_at[i] = if b[i] == b']' { i } else { close_at[i + 1] };
        newline_at[i] = if b[i] == b'\n' { i } else { newline_at[i + 1] };
    }
    // The `]` of a reading opened at `p`: the first after at least one
    // character, with no line break before it.
    let close_of = |p: usize| {
        let c = close_at[(p + 2).min(n)];
        (b[p] == b'[' && c < n && newline_at[p + 1] > c).then_some(c)
    };
    let mut out = String::with_capacity(text.len());
    let (mut done, mut i) = (0, 0);
    while i < n {
        if matches!(b[i], b' ' | b'>') {
            i += 1;
            continue;
        }
        // A base starts at `i` and runs to a space, a `>` or the end.
        let mut j = i + 1;
        let mut found = None;
        while j < n && !matches!(b[j], b' ' | b'>') {
            if let Some(c) = close_of(j) {
                found = Some((j, c));
                break;
            }
            j += 1;
        }
        let Some((open, close)) = found else {
            i = j;
            continue;
        };
        let start = if i > done && b[i - 1] == b' ' {
            i - 1
        } else {
            i
        };
        out.push_str(&text[done..start]);
        let (base, reading) = (&text[i..open], &text[open + 1..close]);
        match kind {
            _ if reading.starts_with("sound:") => out.push_str(&text[start..=close]),
            Ruby::Furigana => {
                out.push_str("<ruby><rb>");
                out.push_str(base);
                out.push_str("</rb><rt>");
                out.push_str(reading);
                out.push_str("</rt></ruby>");
            }
            Ruby::Kana => out.push_str(reading),
            Ruby::Kanji => out.push_str(base),
        }
        done = close + 1;
        i = close + 1;
    }
    out.push_str(&text[done..]);
    out
}

/// Text for an HTML attribute as Anki writes it: ASCII letters and digits
/// as they are, `& < > "` by name, other characters below U+0100 as hex
/// references, and everything above as it is.
pub fn attribute(text: &str, out: &mut String) {
    out.reserve(attribute_len(text));
    for c in text.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => out.push(c),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x100 => out.push_str(&format!("&#x{:02X};", c as u32)),
            c => out.push(c),
        }
    }
}

/// How long [`attribute`] makes `text`, without making it.
pub fn attribute_len(text: &str) -> usize {
    text.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => 1,
            '&' | '"' => 5,
            '<' | '>' => 4,
            c if (c as u32) < 0x100 => 6,
            c => c.len_utf8(),
        })
        .sum()
}
