//! The one CSV reader and the one CSV writer, both the `csv` crate set up
//! once: the review log (`revlog`), Anki's text export (`import::text`),
//! the deck export (`deck::export`) and `history --csv` all go through
//! here, so a quoted comma or a line break in a field means the same thing
//! everywhere. Also the one rule for which cell a spreadsheet would run as
//! a formula, and the mark that stops it.
//!
//! Pure: text in, records out; records in, bytes out to a writer. It knows
//! nothing of what the columns mean and must never read a file itself.

use csv::{ReaderBuilder, StringRecord, Terminator, Trim, WriterBuilder};
use std::io::{self, Read};

/// A problem with the CSV itself, on the line where its record starts.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

/// One record and the line (1-based) it starts on.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: usize,
    pub fields: StringRecord,
}

/// How a text is split.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    /// The byte between fields: `,`, a tab, `;`, `|`, `:` or a space.
    pub delimiter: u8,
    /// Whether spaces around a field are dropped. A review log's columns
    /// are ids, numbers and times, where they never mean anything; an
    /// Anki field keeps them.
    pub trim: bool,
}

impl Format {
    /// Commas, spaces around fields dropped: the interchange review log.
    pub const LOG: Format = Format {
        delimiter: b',',
        trim: true,
    };
}

/// The records of `text` one at a time, each with its line, counted from
/// `first_line` for the text's first line. Records may have any number of
/// fields; empty lines are skipped. A field that opens with `"` runs to
/// its closing quote, separators and line breaks included, and `""` in it
/// stands for one quote.
///
/// Nothing is held but the record being read and the one after it, so a
/// log of a million reviews is never a million records in memory.
pub fn records(text: &str, format: Format, first_line: usize) -> Records<'_> {
    let mut inner = reader(format, text.as_bytes()).into_records();
    let ahead = inner.next();
    Records {
        text,
        format,
        first_line,
        inner,
        ahead,
    }
}

fn reader<R: Read>(format: Format, from: R) -> csv::Reader<R> {
    ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(format.delimiter)
        .trim(if format.trim { Trim::All } else { Trim::None })
        .from_reader(from)
}

/// The iterator [`records`] returns.
pub struct Records<'a> {
    text: &'a str,
    format: Format,
    first_line: usize,
    inner: csv::StringRecordsIntoIter<&'a [u8]>,
    /// The next record, read one ahead so that the last one is known.
    ahead: Option<csv::Result<StringRecord>>,
}

impl Iterator for Records<'_> {
    type Item = Result<Record, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        let current = self.ahead.take()?;
        self.ahead = self.inner.next();
        let (line, start) = match &current {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        }
        .map_or((1, 0), |p| (p.line() as usize, p.byte() as usize));
        // The position is where reading began, before any empty lines the
        // reader skipped; the record itself starts after them.
        let rest = self.text.get(start..).unwrap_or("").as_bytes();
        let blank = rest
            .iter()
            .position(|b| !matches!(b, b'\n' | b'\r'))
            .unwrap_or(rest.len());
        let newlines = rest[..blank].iter().filter(|&&b| b == b'\n').count();
        let start = start + blank;
        let line = line + newlines + self.first_line - 1;
        let fields = match current {
            Ok(fields) => fields,
            Err(e) => {
                return Some(Err(CsvError {
                    line,
                    message: e.to_string(),
                }))
            }
        };
        // The `csv` crate reads an unclosed quote as running to the end of
        // the text; that is a mistake to report, not a field to keep. Only
        // the last record can hold one.
        if self.ahead.is_none()
            && ends_inside_quotes(self.text.get(start..).unwrap_or(""), self.format)
        {
            return Some(Err(CsvError {
                line,
                message: "a quoted field is never closed".into(),
            }));
        }
        Some(Ok(Record { line, fields }))
    }
}

/// Whether the last record, `tail`, is cut off inside a quoted field:
/// read again with one more line after it, that line joins the record
/// instead of starting a new one.
fn ends_inside_quotes(tail: &str, format: Format) -> bool {
    let probe = tail.as_bytes().chain(&b"\nx"[..]);
    reader(format, probe).into_records().take(2).count() < 2
}

/// The one CSV writer: `,` between fields (or `delimiter`), a field
/// quoted only when it holds the delimiter, a quote or a line break, `\n`
/// after each record.
pub fn writer<W: io::Write>(to: W, delimiter: u8) -> csv::Writer<W> {
    WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(to)
}

/// A writer's error as the I/O error it is, so that a closed pipe is still
/// seen as one (`kioku history --csv | head` ends quietly).
pub fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// One record as CSV text, with its `\n`.
pub fn line<I, F>(fields: I) -> String
where
    I: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut w = writer(Vec::new(), b',');
    // Writing to memory cannot fail.
    let _ = w.write_record(fields);
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The mark a spreadsheet reads as "this cell is text".
pub const FORMULA_MARK: char = '\'';

/// Whether a spreadsheet would run this cell as a formula: it starts with
/// `=`, `+`, `-` or `@`, after any spaces or tabs.
pub fn looks_like_formula(cell: &str) -> bool {
    cell.trim_start().starts_with(['=', '+', '-', '@'])
}

/// The cell with [`FORMULA_MARK`] before it when it [looks like a
/// formula](looks_like_formula).
pub fn mark_formula(cell: String) -> String {
    if looks_like_formula(&cell) {
        format!("{FORMULA_MARK}{cell}")
    } else {
        cell
    }
}

/// Undoes [`mark_formula`]: the mark goes only where what follows it
/// looks like a formula, so a field that merely begins with `'` is kept.
pub fn unmark_formula(field: &str) -> &str {
    match field.strip_prefix(FORMULA_MARK) {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, format: Format) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
        records(text, format, 1)
            .map(|r| r.map(|r| (r.line, r.fields.iter().map(str::to_string).collect())))
            .collect()
    }

    #[test]
    fn fields_quotes_and_lines() {
        let text = "a, b ,\"c,d\"\n\n\"say \"\"hi\"\"\",\"two\nlines\",x\r\nlast,,";
        let got = read(text, Format::LOG).unwrap();
        assert_eq!(
            got,
            [
                (1, vec!["a".into(), "b".into(), "c,d".into()]),
                (
                    3,
                    vec!["say \"hi\"".into(), "two\nlines".into(), "x".into()]
                ),
                (5, vec!["last".into(), "".into(), "".into()]),
            ]
        );
        let kept = read(
            " a \t b\n",
            Format {
                delimiter: b'\t',
                trim: false,
            },
        )
        .unwrap();
        assert_eq!(kept[0].1, [" a ", " b"]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error_on_its_line() {
        for (text, line) in [
            ("a,b\n\"open,x\n", 2),
            ("a,b\nc,\"open\nmore\nlines", 2),
            ("\"", 1),
            ("a,\"x\"\"\n", 1),
        ] {
            let e = read(text, Format::LOG).unwrap_err();
            assert_eq!(
                (e.line, e.message.as_str()),
                (line, "a quoted field is never closed"),
                "{text:?}"
            );
        }
        for text in [
            "a,\"x\"",
            "a,\"x\"\n",
            "a,\"x\"\"\"\n\n\n",
            "\"\"",
            "a\n \n",
        ] {
            assert!(read(text, Format::LOG).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn lines_count_from_where_the_text_starts() {
        let got = read(
            "q\ta\n\nr\tb\n",
            Format {
                delimiter: b'\t',
                trim: false,
            },
        );
        let lines: Vec<usize> = records(
            "q\ta\n\nr\tb\n",
            Format {
                delimiter: b'\t',
                trim: false,
            },
            4,
        )
        .map(|r| r.unwrap().line)
        .collect();
        assert_eq!(got.unwrap().len(), 2);
        assert_eq!(lines, [4, 6]);
    }

    #[test]
    fn the_writer_quotes_only_what_needs_it() {
        assert_eq!(line(["a", "b c", "-1"]), "a,b c,-1\n");
        assert_eq!(
            line(["a,b", "say \"hi\"", "x\ny"]),
            "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\n"
        );
        let back = read(&line(["a,b", "say \"hi\"", "x\ny"]), Format::LOG).unwrap();
        assert_eq!(back[0].1, ["a,b", "say \"hi\"", "x\ny"]);
    }

    #[test]
    fn formulas_are_marked_and_unmarked() {
        for (cell, marked) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(1)", "'@SUM(1)"),
            (" =1", "' =1"),
            ("plain", "plain"),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(mark_formula(cell.into()), marked);
            assert_eq!(unmark_formula(marked), cell);
        }
    }
}
