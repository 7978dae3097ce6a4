//! `kioku deck export`: a deck as CSV for Anki or as a Markdown sheet, to
//! standard output (cleaned) or a file it never overwrites unasked.

use crate::cli::{DeckExportArgs, ExportFormat};
use crate::cmd::Context;
use crate::deck::export;
use anyhow::Result;
use std::io::{self, Write};
use std::process::ExitCode;

pub(super) fn run(args: DeckExportArgs, ctx: &Context) -> Result<ExitCode> {
    let deck = super::loaded_deck(&args.deck, ctx)?;
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
    Ok(ExitCode::SUCCESS)
}
