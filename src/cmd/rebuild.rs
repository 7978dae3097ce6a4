//! `kioku rebuild`: every card's state replayed from the review log with
//! the parameters and settings now in force. It never adds to the log.

use super::Context;
use crate::cli::RebuildArgs;
use crate::human::thousands;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: RebuildArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    ctx.sync_decks(&mut store)?;
    let scheduler = ctx.scheduler(&store.settings()?)?;
    let done = store.rebuild(&scheduler)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&done)?);
    } else {
        println!(
            "replayed {} reviews of {} cards; {} cached states changed",
            thousands(done.reviews),
            thousands(done.cards),
            thousands(done.changed)
        );
    }
    Ok(ExitCode::SUCCESS)
}
