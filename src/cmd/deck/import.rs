//! `kioku deck import FILE`: a deck from an Anki package or text export,
//! and a report of what was left out.

use super::write_deck;
use crate::cli::DeckImportArgs;
use crate::deck::write;
use anyhow::{bail, Result};
use std::process::ExitCode;

pub(super) fn run(args: DeckImportArgs) -> Result<ExitCode> {
    let imported = crate::import::read(&args.file)?;
    let shown = crate::text::path(&args.file);
    let (deck, skips) = imported
        .to_deck(args.id.as_deref())
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let comment = format!(
        "Imported by `kioku deck import` from {}.\n\
         Ids come from the questions: keep them once you study the deck,\n\
         because an id is how kioku keeps a card's history.",
        args.file
            .file_name()
            .map_or("".into(), |n| n.to_string_lossy())
    );
    // Checked before anything is written: a deck file larger than this is
    // one that no command would load.
    let size = write::to_toml(&deck, &comment).len() as u64;
    if size > crate::deck::MAX_DECK_BYTES {
        bail!(
            "{shown}: the deck made would be {} MB, and a deck file holds at most {} MB; \
             export the collection from Anki in parts (one deck at a time) and import each",
            size >> 20,
            crate::deck::MAX_DECK_BYTES >> 20
        );
    }
    let path = write_deck(&deck, &comment, args.out)?;
    let report = imported.report(&deck, &skips);
    eprintln!(
        "{report}{}",
        match &path {
            Some(p) => format!(
                "\nwrote {}; study it with `kioku --decks {} study`",
                p.display(),
                p.parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .map_or(".".into(), |d| d.display().to_string())
            ),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}
