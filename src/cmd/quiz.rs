//! `kioku quiz`: scored practice on a draw of cards; the schedule is left alone.

use super::{select_decks, Context};
use crate::cli::QuizArgs;
use crate::session::{draw_quiz, QuizDraw, Session};
use anyhow::{bail, Result};
use std::process::ExitCode;

pub fn run(args: QuizArgs, ctx: &Context) -> Result<ExitCode> {
    if args.count == 0 {
        bail!("--count must be at least 1");
    }
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    if synced.is_empty() {
        bail!("no decks to quiz on: the deck files were missing or had errors");
    }
    let decks = select_decks(&synced, &args.session.deck_ids)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let seed = args.session.seed.unwrap_or_else(rand::random);
    let candidates = store.quiz_candidates(&decks)?;
    let draw = QuizDraw {
        count: args.count,
        types: args.types.iter().map(|t| t.name().to_string()).collect(),
        weak: args.weak,
    };
    let cards = draw_quiz(candidates, &draw, seed, &scheduler, ctx.now);
    if cards.is_empty() {
        bail!(
            "no cards to ask: the decks {} have no cards of the types {}",
            decks.join(", "),
            args.types
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let session = Session::start_quiz(&mut store, scheduler, decks, cards, seed, ctx.now)?;
    super::study::drive(session, args.session.plain, ctx)
}
