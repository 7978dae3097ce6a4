//! `kioku deck export`: a deck as CSV for Anki or as a Markdown sheet, to
//! standard output (cleaned) or a file it never overwrites unasked.

use crate::cli::{DeckExportArgs, ExportFormat};
use crate::cmd::Context;
use crate::deck::export;
use crate::deck::parse_deck;
use anyhow::{bail, Result};
use std::io::{self, Write};
use std::process::ExitCode;

pub(super) fn run(args: DeckExportArgs, ctx: &Context) -> Result<ExitCode> {
    let mut ids = Vec::new();
    for source in ctx.deck_sources()? {
        let Some(deck) = parse_deck(&source.read()?).deck else {
            continue;
        };
        if deck.id == args.deck {
            let text = match args.format {
                ExportFormat::Csv => export::csv(&deck),
                ExportFormat::Md => export::markdown(&deck),
            };
            match &args.out {
                Some(path) => {
                    let written = ctx.write_output(path, text.as_bytes(), args.force)?;
                    println!(
                        "wrote {} ({} cards)",
                        crate::text::path(&written),
                        deck.cards.len()
                    );
                }
                None => io::stdout()
                    .lock()
                    .write_all(crate::text::clean(&text).as_bytes())?,
            }
            return Ok(ExitCode::SUCCESS);
        }
        ids.push(deck.id);
    }
    bail!("no deck `{}`; the decks are: {}", args.deck, ids.join(", "))
}
