//! Anki's "Notes in Plain Text" export: one note a line (or a record, when
//! a quoted field holds line breaks), fields split by a separator, and
//! header lines Anki writes above them:
//!
//! ```text
//! #separator:tab
//! #html:true
//! #notetype column:2
//! #deck column:3
//! #tags column:6
//! ```
//!
//! `#columns:`, `#notetype:`, `#deck:`, `#tags:` and `#guid column:` are
//! read too. Without a `#separator` line the separator is guessed from the
//! first note, as Anki does. Pure: text in, notes out.

use super::{Imported, Note, NoteType};
use crate::csvio;
use std::collections::HashMap;

/// The header's settings.
#[derive(Debug, Default)]
struct Header {
    separator: Option<char>,
    html: bool,
    notetype: Option<String>,
    deck: Option<String>,
    tags: Vec<String>,
    notetype_column: Option<usize>,
    deck_column: Option<usize>,
    tags_column: Option<usize>,
    guid_column: Option<usize>,
    columns: Option<String>,
}

/// The notes of a text export; an error says `line: message`.
pub fn read(text: &str) -> Result<Imported, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (header, body_start, header_lines) = read_header(text)?;
    let body = &text[body_start..];
    let separator = header.separator.unwrap_or_else(|| guess_separator(body));
    let records = records(body, separator, header_lines + 1)?;
    let columns = Columns::of(&header, separator);
    let mut notes = Notes::default();
    for (line, record) in records {
        notes.add(line, &record, &header, &columns, separator)?;
    }
    if notes.notes.is_empty() {
        return Err(format!("{}: no notes after the header", header_lines + 1));
    }
    Ok(Imported {
        notes: notes.notes,
        ..Imported::new("an Anki text export", notes.note_types)
    })
}

/// The `#` lines at the top: the header, the byte offset where the notes
/// begin, and how many lines the header took.
fn read_header(text: &str) -> Result<(Header, usize, usize), String> {
    let mut header = Header {
        html: true,
        ..Header::default()
    };
    let mut body_start = 0;
    let mut line_no = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if !trimmed.starts_with('#') {
            break;
        }
        line_no += 1;
        body_start += line.len();
        let Some((key, value)) = trimmed[1..].split_once(':') else {
            continue; // a comment
        };
        header.set(key, value, line_no)?;
    }
    Ok((header, body_start, line_no))
}

impl Header {
    /// One `#key:value` line, the `line_no`th of the file.
    fn set(&mut self, key: &str, value: &str, line_no: usize) -> Result<(), String> {
        let column = || {
            value
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .map(|n| n - 1)
                .ok_or_else(|| {
                    format!(
                        "{line_no}: `#{}` needs a column number from 1",
                        crate::text::quote(key)
                    )
                })
        };
        match key.trim() {
            "separator" => {
                self.separator = Some(separator(value.trim()).ok_or_else(|| {
                    format!(
                        "{line_no}: unknown separator `{}`",
                        crate::text::quote(value.trim())
                    )
                })?)
            }
            "html" => self.html = value.trim().eq_ignore_ascii_case("true"),
            "notetype" => self.notetype = Some(value.trim().to_string()),
            "deck" => self.deck = Some(value.trim().to_string()),
            "tags" => self.tags = value.split_whitespace().map(str::to_string).collect(),
            "notetype column" => self.notetype_column = Some(column()?),
            "deck column" => self.deck_column = Some(column()?),
            "tags column" => self.tags_column = Some(column()?),
            "guid column" => self.guid_column = Some(column()?),
            "columns" => self.columns = Some(value.to_string()),
            _ => {} // Anki's other headers (`#if matches:`) change nothing here
        }
        Ok(())
    }
}

/// The columns with a role (note type, deck, tags, guid); the rest are
/// fields, in order.
struct Columns {
    tags: Option<usize>,
    special: Vec<usize>,
}

impl Columns {
    fn of(header: &Header, separator: char) -> Columns {
        let named: Vec<String> = header
            .columns
            .as_deref()
            .map(|c| split_record(c.trim_end_matches(['\r', '\n']), separator))
            .unwrap_or_default();
        let role = |name: &str| named.iter().position(|c| c.eq_ignore_ascii_case(name));
        let tags = header.tags_column.or_else(|| role("tags"));
        let special: Vec<usize> = [
            header.notetype_column,
            header.deck_column,
            tags,
            header.guid_column,
        ]
        .into_iter()
        .flatten()
        .collect();
        Columns { tags, special }
    }
}

/// The notes read so far, and the note types they use: one for each name
/// and number of fields.
#[derive(Default)]
struct Notes {
    note_types: Vec<NoteType>,
    type_index: HashMap<(String, usize), usize>,
    notes: Vec<Note>,
}

impl Notes {
    /// The note of one record, read at `line`; a blank record is skipped.
    fn add(
        &mut self,
        line: usize,
        record: &[String],
        header: &Header,
        columns: &Columns,
        separator: char,
    ) -> Result<(), String> {
        if record.iter().all(|f| f.trim().is_empty()) {
            return Ok(());
        }
        let fields: Vec<String> = record
            .iter()
            .enumerate()
            .filter(|(i, _)| !columns.special.contains(i))
            .map(|(_, f)| if header.html { f.clone() } else { escape(f) })
            .collect();
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).map(|s| s.trim().to_string());
        let name = cell(header.notetype_column)
            .filter(|n| !n.is_empty())
            .or(header.notetype.clone())
            .unwrap_or_else(|| {
                if fields.first().is_some_and(|f| f.contains("{{c")) {
                    "Cloze".to_string()
                } else {
                    "Basic".to_string()
                }
            });
        if fields.len() < 2 && !name.to_lowercase().contains("cloze") {
            return Err(format!(
                "{line}: a note needs a question and an answer, separated by {}",
                describe(separator)
            ));
        }
        let key = (name.clone(), fields.len());
        let note_types = &mut self.note_types;
        let note_type = *self.type_index.entry(key).or_insert_with(|| {
            note_types.push(NoteType::standard(&name, fields.len()));
            note_types.len() - 1
        });
        let mut tags = header.tags.clone();
        if let Some(t) = cell(columns.tags) {
            tags.extend(t.split_whitespace().map(str::to_string));
        }
        self.notes.push(Note {
            note_type,
            fields,
            tags,
            deck: cell(header.deck_column)
                .filter(|d| !d.is_empty())
                .or(header.deck.clone()),
        });
        Ok(())
    }
}

fn separator(name: &str) -> Option<char> {
    Some(match name.to_lowercase().as_str() {
        "tab" | "\\t" => '\t',
        "comma" | "," => ',',
        "semicolon" | ";" => ';',
        "space" | " " | "" => ' ',
        "pipe" | "|" => '|',
        "colon" | ":" => ':',
        _ => return None,
    })
}

fn describe(c: char) -> &'static str {
    match c {
        '\t' => "a tab",
        ',' => "a comma",
        ';' => "a semicolon",
        ' ' => "a space",
        '|' => "a pipe",
        _ => "a colon",
    }
}

fn guess_separator(body: &str) -> char {
    let first = body.lines().next().unwrap_or("");
    ['\t', '|', ';', ',']
        .into_iter()
        .find(|c| first.contains(*c))
        .unwrap_or(' ')
}

/// HTML for a plain-text field, so that every field is HTML from here on.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "<br>")
}

/// The body's records of fields, each with the line it starts on, read
/// by the one CSV reader: a field that opens with `"` runs to its closing
/// quote, line breaks and separators included; `""` inside it is one quote.
fn records(body: &str, sep: char, first_line: usize) -> Result<Vec<(usize, Vec<String>)>, String> {
    let format = csvio::Format {
        delimiter: sep as u8,
        trim: false,
    };
    csvio::records(body, format, first_line)
        .map(|r| match r {
            Ok(r) => Ok((r.line, r.fields.iter().map(str::to_string).collect())),
            Err(e) => Err(format!("{}: {}", e.line, e.message)),
        })
        .collect()
}

fn split_record(line: &str, sep: char) -> Vec<String> {
    records(line, sep, 1)
        .ok()
        .and_then(|r| r.into_iter().next())
        .map(|(_, r)| r)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anki_headers_pick_the_columns() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n\
            abc\tBasic\tHistory::Treaties\tWhere was the <b>1905</b> treaty signed?\tPortsmouth\ttreaties usa\n\
            def\tCloze\tHistory\tIn {{c1::1925}} Japan recognised the USSR.\t\t\n";
        let imported = read(text).unwrap();
        assert_eq!(imported.notes.len(), 2);
        let n = &imported.notes[0];
        assert_eq!(
            n.fields,
            ["Where was the <b>1905</b> treaty signed?", "Portsmouth"]
        );
        assert_eq!(n.tags, ["treaties", "usa"]);
        assert_eq!(n.deck.as_deref(), Some("History::Treaties"));
        assert!(imported.note_types[imported.notes[1].note_type].cloze);
    }

    #[test]
    fn quoted_fields_hold_separators_and_line_breaks() {
        let text = "#separator:Comma\n#html:false\n#columns:Front,Back,Tags\n\
            \"Who, in 1792?\",\"Adam \"\"Laxman\"\"\nof Russia\",people\n\
            Plain,a < b,\n";
        let imported = read(text).unwrap();
        assert_eq!(
            imported.notes[0].fields,
            ["Who, in 1792?", "Adam \"Laxman\"<br>of Russia"]
        );
        assert_eq!(imported.notes[0].tags, ["people"]);
        assert_eq!(imported.notes[1].fields, ["Plain", "a &lt; b"]);
    }

    #[test]
    fn mistakes_are_located() {
        assert_eq!(
            read("#separator:Dots\nq\ta\n").unwrap_err(),
            "1: unknown separator `Dots`"
        );
        assert_eq!(
            read("#separator:tab\nq\ta\n\"open\ta\n").unwrap_err(),
            "3: a quoted field is never closed"
        );
        assert_eq!(
            read("#separator:tab\nq\ta\nonly a question\n").unwrap_err(),
            "3: a note needs a question and an answer, separated by a tab"
        );
        assert_eq!(
            read("#html:true\n").unwrap_err(),
            "2: no notes after the header"
        );
        // Without a header, the separator is guessed.
        assert_eq!(read("q;a\nr;b\n").unwrap().notes.len(), 2);
    }

    #[test]
    fn i2_header_text_is_quoted_cleaned_and_cut_short() {
        let long = "x".repeat(500);
        for header in ["separator", "deck column"] {
            let hostile = format!("#{header}:\x1b]0;PWNED\x07\x1b[2J{long}\nq\ta\n");
            let err = read(&hostile).unwrap_err();
            assert!(!err.chars().any(char::is_control), "{err:?}");
            assert!(err.len() < 150, "{err}");
        }
        let err = read(&format!("#separator:\x1b[2J{long}\nq\ta\n")).unwrap_err();
        assert!(
            err.starts_with("1: unknown separator `[2Jxxx") && err.ends_with("…`"),
            "{err}"
        );
        let err = read(&format!("#\x1b[2J{long} column:x\nq\ta\n"));
        assert!(err.is_ok(), "an unknown header changes nothing");
    }
}
