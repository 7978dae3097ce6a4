//! `kioku merge OTHER.db`: the same learner's reviews from another machine.

use super::Context;
use crate::cli::MergeArgs;
use crate::human::thousands;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: MergeArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    ctx.sync_decks(&mut store)?;
    let scheduler = ctx.scheduler(&store.settings()?)?;
    if std::fs::canonicalize(&args.other).ok() == std::fs::canonicalize(&ctx.db).ok() {
        anyhow::bail!(
            "{} is this database; name the other machine's copy",
            crate::text::path(&args.other)
        );
    }
    let shown = crate::text::path(&args.other);
    let added = store.merge(&args.other, &scheduler, ctx.now)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&added)?);
    } else {
        println!(
            "added {} reviews from {shown} ({} were already here{}); replayed {} reviews of {} cards, {} cached states changed",
            thousands(added.added),
            thousands(added.known),
            if added.new_cards > 0 {
                format!(", {} cards of decks not here yet kept aside until their files are", thousands(added.new_cards))
            } else {
                String::new()
            },
            thousands(added.rebuilt.reviews),
            thousands(added.rebuilt.cards),
            thousands(added.rebuilt.changed)
        );
    }
    // Refused reviews are named, never counted as already here.
    if let Some(refused) = crate::store::describe_refused(&added.refused) {
        eprintln!("kioku: warning: {}: {refused}", shown);
    }
    if added.shortened > 0 {
        eprintln!(
            "kioku: note: {} merged reviews said they took more than 6 hours; they are kept as taking 6 hours",
            thousands(added.shortened)
        );
    }
    Ok(ExitCode::SUCCESS)
}
