//! `kioku history --csv`: the review log in the common interchange columns
//! (`card_id,review_rating,review_time,review_duration`) plus deck and card.

use super::{deck_filter, Context};
use crate::cli::HistoryArgs;
use anyhow::Result;
use chrono::{TimeZone, Utc};
use std::io::{self, Write};
use std::process::ExitCode;

pub fn run(args: HistoryArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let decks = deck_filter(&synced, &args.deck)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    writeln!(
        out,
        "card_id,review_rating,review_time,review_duration,deck,card"
    )?;
    store.export_reviews(&decks, |r| {
        let at = Utc
            .timestamp_millis_opt(r.at_ms)
            .single()
            .unwrap_or_default();
        writeln!(
            out,
            "{},{},{},{},{},{}",
            r.card_row,
            r.rating,
            at.format("%Y-%m-%dT%H:%M:%S%.3f+00:00"),
            r.duration_ms,
            r.deck,
            r.card
        )
    })??;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
