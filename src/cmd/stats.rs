//! `kioku stats`: scores and memory over time, full screen on a terminal,
//! printed otherwise, or as JSON or an HTML report.

use super::{deck_filter, Context};
use crate::cli::StatsArgs;
use crate::stats::{compute, CardTally, Stats, StatsInput};
use crate::ui::{dashboard, html, tui};
use anyhow::Result;
use chrono::SecondsFormat;
use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

/// The `--json` document: what was asked, then the figures.
#[derive(Serialize)]
struct Document<'a> {
    generated: String,
    period_days: u32,
    decks: &'a [String],
    #[serde(flatten)]
    stats: &'a Stats,
}

pub fn run(args: StatsArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let decks = deck_filter(&synced, &args.deck)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let (log, quizzes) = store.stats_rows(&decks, scheduler.clock(), ctx.now)?;
    let input = StatsInput {
        log: &log,
        quizzes: &quizzes,
        now: ctx.now,
        clock: *scheduler.clock(),
        days: args.days,
        leech_threshold: settings.leech_threshold,
        decay: scheduler.decay(),
    };
    let mut cards = CardTally::new(&input);
    store.tally_cards(&decks, &mut cards)?;
    let stats = compute(&input, cards);
    let scope = if decks.is_empty() {
        "all decks".to_string()
    } else {
        decks.join(", ")
    };
    let today = scheduler.clock().date(scheduler.clock().day(ctx.now));
    let title = format!("kioku stats · {scope} · {} days to {today}", args.days);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let doc = Document {
            generated: ctx
                .now
                .with_timezone(&ctx.offset)
                .to_rfc3339_opts(SecondsFormat::Secs, true),
            period_days: args.days,
            decks: &decks,
            stats: &stats,
        };
        crate::json::write_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else if let Some(path) = &args.html {
        let written =
            ctx.write_output(path, html::report(&stats, &title).as_bytes(), args.force)?;
        writeln!(out, "wrote {}", crate::text::path(&written))?;
    } else if !args.plain && io::stdin().is_terminal() && io::stdout().is_terminal() {
        drop(out);
        tui::page(&dashboard::lines(&stats, &title))?;
        return Ok(ExitCode::SUCCESS);
    } else {
        for line in dashboard::lines(&stats, &title) {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
