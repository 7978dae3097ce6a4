//! `kioku decks`: each deck with its new, learning and due counts.

use super::Context;
use crate::cli::DecksArgs;
use crate::store::{DeckCounts, SyncedDeck};
use crate::text::clean_line;
use anyhow::Result;
use std::io::{self, Write};
use std::process::ExitCode;

pub fn run(args: DecksArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let settings = store.settings()?;
    let clock = ctx.scheduler(&settings)?.clock().to_owned();
    let ids: Vec<String> = synced.iter().map(|d| d.id.clone()).collect();
    let counts = store.deck_counts(&ids, ctx.now, &clock, settings.leech_threshold)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        write_json(&mut out, &synced, &counts)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    if synced.is_empty() {
        writeln!(
            out,
            "No decks. Put deck files in a folder and pass --decks DIR."
        )?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = synced
        .iter()
        .map(|d| d.id.chars().count())
        .max()
        .unwrap_or(4)
        .max(5);
    writeln!(
        out,
        "{:id_width$}  {:>5}  {:>5}  {:>5}  {:>5}  title",
        "deck", "new", "learn", "due", "cards"
    )?;
    let mut total = [0i64; 4];
    for (d, c) in synced.iter().zip(&counts) {
        writeln!(
            out,
            "{:id_width$}  {:>5}  {:>5}  {:>5}  {:>5}  {}",
            clean_line(&d.id),
            c.new,
            c.learning,
            c.due,
            c.total,
            clean_line(&d.title)
        )?;
        for (t, v) in total.iter_mut().zip([c.new, c.learning, c.due, c.total]) {
            *t += v;
        }
    }
    writeln!(
        out,
        "{:id_width$}  {:>5}  {:>5}  {:>5}  {:>5}",
        "total", total[0], total[1], total[2], total[3]
    )?;
    let leeches: i64 = counts.iter().map(|c| c.leeches).sum();
    if leeches > 0 {
        writeln!(
            out,
            "{leeches} leech(es): cards forgotten {} times or more",
            settings.leech_threshold
        )?;
    }
    writeln!(
        out,
        "today: up to {} new and {} reviews (kioku config new_per_day / reviews_per_day)",
        settings.new_per_day, settings.reviews_per_day
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `decks --json`: each deck with its counts.
fn write_json(out: &mut impl Write, synced: &[SyncedDeck], counts: &[DeckCounts]) -> Result<()> {
    let decks: Vec<serde_json::Value> = synced
        .iter()
        .zip(counts)
        .map(|(d, c)| {
            serde_json::json!({
                "id": d.id, "title": d.title, "origin": d.origin,
                "cards": c.total, "new": c.new, "learning": c.learning, "due": c.due,
                "leeches": c.leeches, "suspended": c.suspended,
            })
        })
        .collect();
    crate::json::write_pretty(&mut *out, &serde_json::json!({ "decks": decks }))?;
    writeln!(out)?;
    Ok(())
}
