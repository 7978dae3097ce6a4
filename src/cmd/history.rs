//! `kioku history --csv`: the review log in the common interchange columns
//! (`card_id,review_rating,review_time,review_duration`) plus deck and card;
//! `kioku history import FILE`: the same file read back.

use super::fit::thousands;
use super::{deck_filter, Context};
use crate::cli::{HistoryArgs, HistoryCommand, HistoryImportArgs};
use crate::revlog;
use crate::store::outside;
use crate::store::{Imported, Refused};
use crate::types::Rating;
use anyhow::{bail, Context as _, Result};
use chrono::{FixedOffset, TimeZone, Utc};
use std::collections::HashMap;
use std::io::{self, Write};
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
    let mut out = io::BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "card_id,review_rating,review_time,review_duration,deck,card"
    )?;
    store.export_reviews(&decks, |r| {
        // In the learner's own offset at the time, so that a re-import
        // counts the days as they were counted.
        let offset = r
            .utc_offset
            .and_then(FixedOffset::east_opt)
            .unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
        let at = Utc
            .timestamp_millis_opt(r.at_ms)
            .single()
            .unwrap_or_default()
            .with_timezone(&offset);
        writeln!(
            out,
            "{},{},{},{},{},{}",
            r.card_row,
            r.rating,
            at.format("%Y-%m-%dT%H:%M:%S%.3f%:z"),
            r.duration_ms,
            r.deck,
            r.card
        )
    })??;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The largest history file read: about ten million reviews.
const MAX_FILE_BYTES: u64 = 1 << 30;

fn import(args: HistoryImportArgs, ctx: &Context) -> Result<ExitCode> {
    let shown = crate::text::clean_line(&args.file.display().to_string());
    let bytes = crate::files::read_input(&args.file, MAX_FILE_BYTES)
        .with_context(|| format!("cannot read {shown}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{shown} is not UTF-8 text (at byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
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
    let now_ms = ctx.now.timestamp_millis();
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
        if let Err(why) = check_row(&row, &key, now_ms) {
            refused.add(|| format!("line {}", row.line), &why);
            continue;
        }
        match cards.get(&key) {
            Some(&card_row) => reviews.push(Imported {
                card_row,
                at_ms: row.at.timestamp_millis(),
                rating: Rating::from_number(i64::from(row.rating)).unwrap_or(Rating::Good),
                duration_ms: row.duration_ms,
                utc_offset: Some(row.offset),
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
        let mut listed: Vec<(usize, String)> = unknown
            .iter()
            .map(|((d, c), line)| {
                (
                    *line,
                    crate::text::clean_line(&format!("{d}/{c} (line {line})")),
                )
            })
            .collect();
        listed.sort();
        let names: Vec<String> = listed.into_iter().take(5).map(|(_, s)| s).collect();
        bail!(
            "{shown}: {} cards are not in your decks, for example {}; nothing was imported",
            unknown.len(),
            names.join(", ")
        );
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

/// The one check of an outside review, for a row of the file: a time
/// between 1970 and a day from now, up to six hours spent, an offset
/// within ±18 hours and card ids of kioku's shape.
fn check_row(
    row: &revlog::Row,
    (deck, card): &(String, String),
    now_ms: i64,
) -> Result<(), String> {
    outside::check_card_key(deck, card)?;
    outside::check_time(row.at.timestamp_millis(), now_ms)
        .map_err(|why| format!("{why} ({})", row.at.format("%Y-%m-%dT%H:%M:%SZ")))?;
    outside::check_duration(row.duration_ms)?;
    outside::check_offset(Some(i64::from(row.offset)))?;
    outside::check_rating(i64::from(row.rating))
}
