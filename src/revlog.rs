//! Review logs in the interchange format: a CSV with the columns
//! `card_id,review_rating,review_time,review_duration` (ISO-8601 times with
//! an offset, durations in milliseconds), in any order, and optionally the
//! `deck` and `card` columns that `kioku history --csv` adds.
//!
//! The CSV itself is read by [`crate::csvio`], one record at a time; this
//! module gives the columns their meaning. Pure: text in, rows or a
//! located error out.

use crate::csvio;
use crate::scheduler::fit::History;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// One review of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The line it is on (1-based), for messages.
    pub line: usize,
    pub card_id: String,
    pub rating: u32,
    pub at: DateTime<Utc>,
    /// The UTC offset the time was written in, seconds east.
    pub offset: i32,
    pub duration_ms: Option<i64>,
    pub deck: Option<String>,
    pub card: Option<String>,
    /// The due moment kioku kept at the review (its `due` column): the day
    /// the load balancer chose, which a replay cannot choose again.
    pub due: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct RevlogError {
    pub line: usize,
    pub message: String,
}

const REQUIRED: [&str; 3] = ["card_id", "review_rating", "review_time"];

/// Every row, or the first problem with its line.
pub fn parse(text: &str) -> Result<Vec<Row>, RevlogError> {
    rows(text)?.collect()
}

/// The rows one at a time, after the header is checked: a file of a
/// million reviews is never held as a million rows.
pub fn rows(
    text: &str,
) -> Result<impl Iterator<Item = Result<Row, RevlogError>> + '_, RevlogError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = csvio::records(text, csvio::Format::LOG, 1);
    let header = match records.next() {
        None => {
            return Err(err(
                1,
                "the file is empty; the first line names the columns".into(),
            ))
        }
        Some(header) => header.map_err(csv_err)?,
    };
    let names: Vec<String> = header.fields.iter().map(str::to_lowercase).collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    for name in REQUIRED {
        if column(name).is_none() {
            return Err(err(
                header.line,
                format!(
                    "no `{name}` column; the header must name card_id,review_rating,review_time[,review_duration][,deck,card]"
                ),
            ));
        }
    }
    let columns = Columns {
        count: names.len(),
        card: column("card_id").unwrap_or(0),
        rating: column("review_rating").unwrap_or(0),
        time: column("review_time").unwrap_or(0),
        duration: column("review_duration"),
        deck: column("deck"),
        key: column("card"),
        due: column("due"),
    };
    Ok(records
        // A line of nothing but spaces is a blank line.
        .filter(|r| {
            !r.as_ref()
                .is_ok_and(|r| r.fields.len() == 1 && r.fields[0].is_empty())
        })
        .map(move |r| columns.row(r.map_err(csv_err)?)))
}

/// The fields of a one-line text, as the log reader reads a line: what
/// checks a file of ours field by field uses it.
pub fn split(line: &str) -> Result<Vec<String>, RevlogError> {
    match csvio::records(line, csvio::Format::LOG, 1).next() {
        None => Ok(vec![String::new()]),
        Some(r) => r
            .map(|r| r.fields.iter().map(str::to_string).collect())
            .map_err(csv_err),
    }
}

fn csv_err(e: csvio::CsvError) -> RevlogError {
    err(e.line, e.message)
}

fn err(line: usize, message: String) -> RevlogError {
    RevlogError { line, message }
}

/// Where each column is.
#[derive(Debug, Clone, Copy)]
struct Columns {
    count: usize,
    card: usize,
    rating: usize,
    time: usize,
    duration: Option<usize>,
    deck: Option<usize>,
    key: Option<usize>,
    due: Option<usize>,
}

impl Columns {
    fn row(&self, record: csvio::Record) -> Result<Row, RevlogError> {
        let n = record.line;
        let fields: Vec<&str> = record.fields.iter().collect();
        if fields.len() != self.count {
            return Err(err(
                n,
                format!(
                    "{} fields, but the header names {}",
                    fields.len(),
                    self.count
                ),
            ));
        }
        let card_id = csvio::unmark_formula(fields[self.card]);
        if card_id.is_empty() {
            return Err(err(n, "an empty card_id".into()));
        }
        let rating: u32 = fields[self.rating]
            .parse()
            .ok()
            .filter(|r| (1..=4).contains(r))
            .ok_or_else(|| {
                err(
                    n,
                    format!(
                        "review_rating `{}` is not 1, 2, 3 or 4",
                        crate::text::quote(fields[self.rating])
                    ),
                )
            })?;
        let written = DateTime::parse_from_rfc3339(fields[self.time])
            .map_err(|e| {
                err(
                    n,
                    format!(
                        "review_time `{}` is not an ISO-8601 time with an offset, like 2024-03-29T20:32:32Z ({e})",
                        crate::text::quote(fields[self.time])
                    ),
                )
            })?;
        let at = written.with_timezone(&Utc);
        let duration_ms = match self.duration.map(|c| fields[c]) {
            None | Some("") => None,
            Some(d) => Some(
                d.parse::<f64>()
                    .ok()
                    .filter(|d| d.is_finite() && *d >= 0.0)
                    .ok_or_else(|| {
                        err(
                            n,
                            format!(
                                "review_duration `{}` is not a number of milliseconds",
                                crate::text::quote(d)
                            ),
                        )
                    })? as i64,
            ),
        };
        let due = due(n, self.due.map(|c| fields[c]))?;
        let text = |c: Option<usize>| {
            c.map(|c| csvio::unmark_formula(fields[c]).to_string())
                .filter(|s| !s.is_empty())
        };
        Ok(Row {
            line: n,
            card_id: card_id.to_string(),
            rating,
            at,
            offset: written.offset().local_minus_utc(),
            duration_ms,
            deck: text(self.deck),
            card: text(self.key),
            due,
        })
    }
}

/// A row's `due` cell: empty, or an RFC 3339 time.
fn due(line: usize, cell: Option<&str>) -> Result<Option<DateTime<Utc>>, RevlogError> {
    let Some(d) = cell.filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let at = DateTime::parse_from_rfc3339(d).map_err(|e| {
        err(
            line,
            format!(
                "due `{}` is not an ISO-8601 time with an offset ({e})",
                crate::text::quote(d)
            ),
        )
    })?;
    Ok(Some(at.with_timezone(&Utc)))
}

/// The rows as per-card histories, each in time order.
pub fn histories(rows: &[Row]) -> Vec<History> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<History> = Vec::new();
    for row in rows {
        let i = *index.entry(&row.card_id).or_insert_with(|| {
            out.push(History {
                card: out.len() as i64,
                reviews: Vec::new(),
            });
            out.len() - 1
        });
        out[i].reviews.push((row.at, row.rating));
    }
    for h in &mut out {
        h.reviews.sort_by_key(|r| r.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interchange_columns_in_any_order() {
        let rows = parse(
            "review_time,card_id,review_rating,review_duration\n\
             2024-03-29T20:32:32.250000+00:00,17,1,25060\n\
             2024-03-30T09:00:00+09:00,17,3,\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].duration_ms, Some(25060));
        assert_eq!(rows[1].at.to_rfc3339(), "2024-03-30T00:00:00+00:00");
        assert_eq!(rows[1].duration_ms, None);
        let h = histories(&rows);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].reviews.len(), 2);
    }

    #[test]
    fn problems_are_located() {
        let cases = [
            (
                "",
                "line 1: the file is empty; the first line names the columns",
            ),
            ("card_id,review_time\n", "line 1: no `review_rating` column"),
            (
                "card_id,review_rating,review_time\n1,5,2024-01-01T00:00:00Z\n",
                "line 2: review_rating `5` is not 1, 2, 3 or 4",
            ),
            (
                "card_id,review_rating,review_time\n1,3,2024-01-01T00:00:00Z\n1,3,yesterday\n",
                "line 3: review_time `yesterday` is not an ISO-8601 time",
            ),
            (
                "card_id,review_rating,review_time\n1,3\n",
                "line 2: 2 fields, but the header names 3",
            ),
            (
                "card_id,review_rating,review_time,review_duration\n1,3,2024-01-01T00:00:00Z,-4\n",
                "line 2: review_duration `-4`",
            ),
        ];
        for (text, message) in cases {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.starts_with(message), "{e}");
        }
    }

    #[test]
    fn r2_quoted_fields_are_read_as_written() {
        let cases: &[(&str, &[&str])] = &[
            ("a,b,c", &["a", "b", "c"]),
            (" a , b ,", &["a", "b", ""]),
            (r#""a,b","say ""hi""",c"#, &["a,b", r#"say "hi""#, "c"]),
            (r#""",x"#, &["", "x"]),
            ("", &[""]),
            // As spreadsheets read them: a quote opens a quoted field only
            // as its first character, and text after the closing quote is
            // part of the field.
            (r#" "q" ,z"#, &[r#""q""#, "z"]),
            (r#""a"b,c"#, &["ab", "c"]),
        ];
        for (line, fields) in cases {
            assert_eq!(split(line).unwrap(), *fields, "{line}");
        }
        assert!(split(r#""open,x"#).is_err());
        // A quoted comma in a card id is one field.
        let rows = parse(
            "card_id,review_rating,review_time\n\"a,b\",3,2024-01-01T00:00:00Z\n\"a,b\",3,2024-01-05T00:00:00Z\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].card_id, "a,b");
        assert_eq!(histories(&rows).len(), 1);
    }

    #[test]
    fn r2_an_unclosed_quote_is_refused_on_its_line() {
        let e = parse("card_id,review_rating,review_time\n1,3,2024-01-01T00:00:00Z\n\n\"2,3,2024-01-01T00:00:00Z\n")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "line 4: a quoted field is never closed");
    }

    #[test]
    fn i3_guarded_cells_and_quoted_ids_read_back() {
        let rows = parse(
            "card_id,review_rating,review_time,review_duration,deck,card\n\
             7,3,2024-01-01T00:00:00Z,10,'=cmd|' /C calc'!A0,\"k,\"\"x\"\"\"\n\
             8,3,2024-01-01T00:00:00Z,10,'x,'-1\n",
        )
        .unwrap();
        assert_eq!(rows[0].deck.as_deref(), Some("=cmd|' /C calc'!A0"));
        assert_eq!(rows[0].card.as_deref(), Some(r#"k,"x""#));
        assert_eq!(rows[1].deck.as_deref(), Some("'x"));
        assert_eq!(rows[1].card.as_deref(), Some("-1"));
    }

    #[test]
    fn i3_messages_quote_fields_cleaned_and_short() {
        let long = "9".repeat(500);
        let text = format!(
            "card_id,review_rating,review_time\n1,\u{1b}]0;x\u{7}{long},2024-01-01T00:00:00Z\n"
        );
        let e = parse(&text).unwrap_err().to_string();
        assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e:?}");
        assert!(e.len() < 200, "{e}");
    }
}
