//! `kioku history --csv`: the review log in the common interchange columns
//! (`card_id,review_rating,review_time,review_duration`) plus deck and card;
//! `kioku history import FILE`: the same file read back.

use super::{deck_filter, Context};
use crate::cli::{HistoryArgs, HistoryCommand, HistoryImportArgs};
use crate::csvio;
use crate::files;
use crate::human::thousands;
use crate::revlog;
use crate::store::outside;
use crate::store::{Imported, Refused};
use crate::types::{Millis, Rating};
use anyhow::{bail, Result};
use chrono::{Datelike, FixedOffset};
use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: HistoryArgs, ctx: &Context) -> Result<ExitCode> {
    if let Some(HistoryCommand::Import(import_args)) = args.command {
        return import(import_args, ctx);
    }
    if !args.csv {
        // A usage mistake, like clap's own: exit 2.
        eprintln!("kioku: error: say what to do: `kioku history --csv` writes the log, `kioku history import FILE` reads one");
        return Ok(ExitCode::from(2));
    }
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let decks = deck_filter(&synced, &args.deck)?;
    let mut out = csvio::writer(io::stdout().lock(), b',');
    out.write_record([
        "card_id",
        "review_rating",
        "review_time",
        "review_duration",
        "deck",
        "card",
        "due",
    ])
    .map_err(csvio::io_error)?;
    let mut skipped = 0usize;
    store.export_reviews(&decks, |r| {
        let Some(at) = written_time(r.at, r.utc_offset) else {
            skipped += 1;
            return Ok(());
        };
        out.write_record([
            r.card_row.to_string(),
            r.rating.to_string(),
            at,
            r.duration_ms.to_string(),
            cell(&r.deck),
            cell(&r.card),
            r.balanced_due
                .and_then(|due| written_time(due, r.utc_offset))
                .unwrap_or_default(),
        ])
        .map_err(csvio::io_error)
    })??;
    out.flush()?;
    if skipped > 0 {
        eprintln!(
            "kioku: warning: left out {} reviews dated outside the years 0000–9999 (a time `history import` could not read back)",
            thousands(skipped)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The largest review log read: about ten million reviews.
pub const MAX_LOG_BYTES: u64 = 1_000_000_000;

/// Reads a review log given on the command line: a regular file of at most
/// [`MAX_LOG_BYTES`] holding UTF-8 text. A FIFO or a device is refused
/// before anything is read from it.
pub fn read_log(path: &Path) -> Result<String> {
    let shown = crate::text::path(path);
    let bytes = files::read_input(path, MAX_LOG_BYTES)
        .map_err(|e| anyhow::anyhow!("cannot read {shown}: {}", crate::deck::describe_io(&e)))?;
    crate::text::utf8(bytes).map_err(|(line, column)| {
        anyhow::anyhow!("{shown}:{line}:{column}: the text is not UTF-8; save it as UTF-8 CSV")
    })
}

/// A review's time as the file holds it: in the learner's own offset at
/// the time, so that a re-import counts the days as they were counted.
/// None for a time RFC 3339 cannot write (outside the years 0000–9999 in
/// that offset), which only a damaged or hostile merge can have stored.
fn written_time(at: Millis, utc_offset: Option<i32>) -> Option<String> {
    let offset = utc_offset
        .and_then(FixedOffset::east_opt)
        .unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
    let at = at.to_datetime()?.with_timezone(&offset);
    (0..=9999)
        .contains(&at.year())
        .then(|| at.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string())
}

/// A text cell: control characters removed and, when a spreadsheet would
/// run it as a formula, marked as text; the writer quotes it when it holds
/// a comma or a quote. The reader in `revlog` undoes the mark and the
/// quoting.
fn cell(text: &str) -> String {
    csvio::mark_formula(crate::text::clean_line(text))
}

fn import(args: HistoryImportArgs, ctx: &Context) -> Result<ExitCode> {
    let shown = crate::text::path(&args.file);
    let text = read_log(&args.file)?;
    let rows = revlog::rows(&text)
        .map_err(|e| anyhow::anyhow!("{shown}: {}", crate::text::clean_line(&e.to_string())))?;
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    if let Some(deck) = &args.deck {
        deck_filter(&synced, std::slice::from_ref(deck))?;
    }
    let cards = store.card_rows()?;
    // Every row must name a card this database knows; nothing is written
    // unless all do.
    let mut reviews = Vec::new();
    let mut unknown: HashMap<(String, String), usize> = HashMap::new();
    let mut refused = Refused::default();
    let now = Millis::from(ctx.now);
    for row in rows {
        let row = row
            .map_err(|e| anyhow::anyhow!("{shown}: {}", crate::text::clean_line(&e.to_string())))?;
        let key = match (&row.deck, &row.card, &args.deck) {
            (Some(d), Some(c), _) => (d.clone(), c.clone()),
            (_, _, Some(d)) => (d.clone(), row.card_id.clone()),
            _ => bail!(
                "{shown}: line {}: no deck and card columns; name the deck the card ids belong to with --deck",
                row.line
            ),
        };
        if let Err(why) = check_row(&row, &key, now) {
            refused.add(|| format!("line {}", row.line), &why);
            continue;
        }
        match cards.get(&key) {
            Some(&card_row) => reviews.push(Imported {
                card_row,
                at: Millis::from(row.at),
                rating: Rating::from_number(i64::from(row.rating)).unwrap_or(Rating::Good),
                duration_ms: row.duration_ms,
                utc_offset: Some(row.offset),
                kept_due: None,
                balanced_due: row.due.map(Millis::from),
            }),
            None => {
                unknown.entry(key).or_insert(row.line);
            }
        }
    }
    if let Some(first) = &refused.first {
        bail!(
            "{shown}: {} {} refused, the first at {first}; nothing was imported",
            thousands(refused.count),
            if refused.count == 1 {
                "review was"
            } else {
                "reviews were"
            },
        );
    }
    if !unknown.is_empty() {
        return Err(not_in_your_decks(&shown, &unknown));
    }
    let scheduler = ctx.scheduler(&store.settings()?)?;
    let added = store.import_reviews(&reviews, &scheduler)?;
    println!(
        "imported {} reviews from {shown} ({} were already here); replayed {} reviews of {} cards, {} cached states changed",
        thousands(added.added),
        thousands(added.known),
        thousands(added.rebuilt.reviews),
        thousands(added.rebuilt.cards),
        thousands(added.rebuilt.changed)
    );
    Ok(ExitCode::SUCCESS)
}

/// The refusal of a file that names cards this database does not have:
/// how many, and the first few by line.
fn not_in_your_decks(shown: &str, unknown: &HashMap<(String, String), usize>) -> anyhow::Error {
    let mut listed: Vec<(usize, String)> = unknown
        .iter()
        .map(|((d, c), line)| {
            (
                *line,
                format!(
                    "{}/{} (line {line})",
                    crate::text::quote(d),
                    crate::text::quote(c)
                ),
            )
        })
        .collect();
    listed.sort();
    let names: Vec<String> = listed.into_iter().take(5).map(|(_, s)| s).collect();
    anyhow::anyhow!(
        "{shown}: {} cards are not in your decks, for example {}; nothing was imported",
        unknown.len(),
        names.join(", ")
    )
}

/// The one check of an outside review, for a row of the file: a time
/// between 1970 and a day from now, up to six hours spent, an offset
/// within ±18 hours and card ids of kioku's shape.
fn check_row(
    row: &revlog::Row,
    (deck, card): &(String, String),
    now: Millis,
) -> Result<(), String> {
    outside::check_card_key(deck, card)?;
    outside::check_time(Millis::from(row.at), now)
        .map_err(|why| format!("{why} ({})", row.at.format("%Y-%m-%dT%H:%M:%SZ")))?;
    outside::check_duration(row.duration_ms)?;
    outside::check_offset(Some(i64::from(row.offset)))?;
    if let Some(due) = row.due {
        outside::check_kept_due(Millis::from(due), Millis::from(row.at))?;
    }
    outside::check_rating(i64::from(row.rating))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cell as the file holds it: marked, then quoted by the writer.
    fn written(text: &str) -> String {
        csvio::line([cell(text)]).trim_end_matches('\n').to_string()
    }

    #[test]
    fn i3_cells_are_quoted_guarded_and_cleaned() {
        assert_eq!(written("mini"), "mini");
        assert_eq!(written("a,b"), "\"a,b\"");
        assert_eq!(written("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(written("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(written("+1"), "'+1");
        assert_eq!(written("-1"), "'-1");
        assert_eq!(written("@SUM(1)"), "'@SUM(1)");
        assert_eq!(written("\t=1"), "' =1");
        assert_eq!(written("\r+1"), "'+1");
        assert_eq!(
            written("k\r\n\u{1b}[2J=HYPERLINK(\"x\")"),
            "\"k [2J=HYPERLINK(\"\"x\"\")\""
        );
        // Each reads back as the cleaned text.
        for text in [
            "a,b",
            "say \"hi\"",
            "=cmd|' /C calc'!A0",
            "-1",
            "@x,\"y\"",
            " =1",
        ] {
            let line = format!(
                "7,3,2024-01-01T00:00:00Z,{},{}",
                written(text),
                written("z")
            );
            let rows = crate::revlog::parse(&format!(
                "card_id,review_rating,review_time,deck,card\n{line}\n"
            ))
            .unwrap();
            assert_eq!(rows[0].deck.as_deref(), Some(text), "{line}");
        }
    }

    #[test]
    fn r2_only_times_the_importer_reads_are_written() {
        assert_eq!(
            written_time(Millis(0), Some(9 * 3600)).as_deref(),
            Some("1970-01-01T09:00:00.000+09:00")
        );
        assert_eq!(
            written_time(Millis::EARLIEST, None).as_deref(),
            Some("0000-01-01T00:00:00.000+00:00")
        );
        for (at, offset) in [
            (i64::MAX, None),
            (i64::MIN, None),
            (-1_000_000_000_000_000, Some(9 * 3600)),
            (253_402_300_799_999, Some(9 * 3600)),
            (-62_167_219_200_001, None),
        ] {
            assert_eq!(written_time(Millis(at), offset), None, "{at}");
        }
        for at in [
            0,
            1_767_225_600_000,
            -62_167_219_200_000,
            253_402_300_799_999,
        ] {
            let text = written_time(Millis(at), None).unwrap();
            let back = chrono::DateTime::parse_from_rfc3339(&text).unwrap();
            assert_eq!(back.timestamp_millis(), at, "{text}");
        }
    }
}
