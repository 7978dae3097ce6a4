//! Review logs in the interchange format: a CSV with the columns
//! `card_id,review_rating,review_time,review_duration` (ISO-8601 times with
//! an offset, durations in milliseconds), in any order, and optionally the
//! `deck` and `card` columns that `kioku history --csv` adds.
//!
//! Pure: text in, rows or a located error out.

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
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return Err(err(
            1,
            "the file is empty; the first line names the columns".into(),
        ));
    };
    let names: Vec<String> = split(header)
        .map_err(|e| err(1, e.into()))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    for name in REQUIRED {
        if column(name).is_none() {
            return Err(err(
                1,
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
    };
    Ok(lines
        .filter(|(_, line)| !line.trim().is_empty())
        .map(move |(index, line)| columns.row(index + 1, line)))
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
}

impl Columns {
    fn row(&self, n: usize, line: &str) -> Result<Row, RevlogError> {
        let fields = split(line).map_err(|e| err(n, e.into()))?;
        let fields: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
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
        let card_id = unguard(fields[self.card]);
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
        let text = |c: Option<usize>| {
            c.map(|c| unguard(fields[c]).to_string())
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
        })
    }
}

/// The fields of one line of CSV: separated by commas, each either bare
/// (spaces around it trimmed) or in double quotes, where `""` stands for one
/// quote and commas are part of the text. A line never holds a line break:
/// what kioku writes has none, and a review log has no use for them.
pub fn split(line: &str) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
        let mut field = String::new();
        if chars.next_if_eq(&'"').is_some() {
            loop {
                match chars.next() {
                    Some('"') if chars.next_if_eq(&'"').is_some() => field.push('"'),
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("a quoted field is not closed"),
                }
            }
            while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
            if chars.peek().is_some_and(|c| *c != ',') {
                return Err("text follows a quoted field before the next comma");
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                field.push(c);
            }
            field.truncate(field.trim_end().len());
        }
        fields.push(field);
        if chars.next().is_none() {
            return Ok(fields);
        }
    }
}

/// Removes the `'` that `kioku history --csv` puts before a cell that a
/// spreadsheet would otherwise run as a formula. kioku's own ids never
/// start with a quote, so the mark is never part of one.
fn unguard(field: &str) -> &str {
    match field.strip_prefix('\'') {
        Some(rest) if rest.trim_start().starts_with(['=', '+', '-', '@']) => rest,
        _ => field,
    }
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
            (r#" "q" ,z"#, &["q", "z"]),
            ("", &[""]),
        ];
        for (line, fields) in cases {
            assert_eq!(split(line).unwrap(), *fields, "{line}");
        }
        assert!(split(r#""open,x"#).is_err());
        assert!(split(r#""a"b,c"#).is_err());
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
