//! Rust source with its comments, strings and character literals blanked
//! out, so that the layering test reads only code: a path named in a doc
//! comment or a message is not an edge.

/// Code with comments, strings and character literals blanked out (so a
/// path in a doc comment or a message is not an edge), line breaks kept.
pub(super) fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        i = if c == '/' && next == Some('/') {
            skip_line_comment(&b, i)
        } else if c == '/' && next == Some('*') {
            blank_block_comment(&b, i, &mut out)
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && !ident_before(&b, i) {
            blank_raw_string(&b, i, &mut out)
        } else if c == '"' {
            blank_string(&b, i, &mut out)
        } else if c == '\'' && (next == Some('\\') || b.get(i + 2) == Some(&'\'')) {
            blank_char(&b, i, &mut out)
        } else {
            out.push(c);
            i + 1
        };
    }
    out
}

/// A character of blanked text: a space, or the line break it was.
fn blank(c: char) -> char {
    if c == '\n' {
        '\n'
    } else {
        ' '
    }
}

/// Skips a `//` comment at `i` up to its line break; returns where it ends.
fn skip_line_comment(b: &[char], mut i: usize) -> usize {
    while i < b.len() && b[i] != '\n' {
        i += 1;
    }
    i
}

/// Blanks a (possibly nested) `/* … */` comment at `i`; returns where it ends.
fn blank_block_comment(b: &[char], mut i: usize, out: &mut String) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == '/' && b.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                break;
            }
        } else {
            out.push(blank(b[i]));
            i += 1;
        }
    }
    i
}

/// Blanks a raw string (r"…", r#"…"#, …) at `i` to `""`, or keeps the `r`
/// when it starts none; returns where to go on.
fn blank_raw_string(b: &[char], i: usize, out: &mut String) -> usize {
    let mut j = i + 1;
    let mut hashes = 0;
    while b.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if b.get(j) != Some(&'"') {
        out.push(b[i]);
        return i + 1;
    }
    j += 1;
    loop {
        if j >= b.len() {
            break;
        }
        if b[j] == '"' && (1..=hashes).all(|k| b.get(j + k) == Some(&'#')) {
            j += 1 + hashes;
            break;
        }
        out.push(blank(b[j]));
        j += 1;
    }
    out.push_str("\"\"");
    j
}

/// Blanks a string literal at `i` to `""`, escapes and all; returns where
/// it ends.
fn blank_string(b: &[char], mut i: usize, out: &mut String) -> usize {
    i += 1;
    while i < b.len() && b[i] != '"' {
        if b[i] == '\\' {
            i += 1;
        }
        if i < b.len() {
            out.push(blank(b[i]));
        }
        i += 1;
    }
    out.push_str("\"\"");
    i + 1
}

/// Blanks a character literal ('"', '\'', 'x') at `i`; a lifetime has no
/// closing quote two places on, so never comes here. Returns where it ends.
fn blank_char(b: &[char], mut i: usize, out: &mut String) -> usize {
    i += 1;
    while i < b.len() && b[i] != '\'' {
        if b[i] == '\\' {
            i += 1;
        }
        i += 1;
    }
    out.push_str("' '");
    i + 1
}

pub(super) fn ident_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

pub(super) fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
