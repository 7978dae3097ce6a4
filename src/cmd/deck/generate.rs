//! `kioku deck generate --from TEXT`: a draft deck of year and cloze
//! questions from a plain-text source, every card citing and quoting it.

use super::{file_stem_slug, read_source_utf8, write_deck};
use crate::cli::DeckGenerateArgs;
use crate::deck::fmt::capitalized;
use crate::deck::generate;
use crate::deck::is_valid_id;
use crate::deck::source::SourceText;
use anyhow::{bail, Result};
use std::collections::HashSet;
use std::process::ExitCode;

pub(super) fn run(args: DeckGenerateArgs) -> Result<ExitCode> {
    let text = read_source_utf8(&args.from)?;
    let source = SourceText::read(&text);
    let stem = file_stem_slug(&args.from);
    let deck_id = args.id.unwrap_or_else(|| format!("{stem}-draft"));
    if !is_valid_id(&deck_id) {
        bail!("`{deck_id}` is not a valid deck id: use a-z, 0-9 and -; choose one with --id");
    }
    let source_name = args
        .source_name
        .or(source.title.clone())
        .unwrap_or_else(|| capitalized(&stem.replace('-', " ")));
    let draft = generate::generate(
        &source,
        &generate::Naming {
            deck_id: deck_id.clone(),
            source: source_name,
        },
    );
    if draft.deck.cards.is_empty() {
        bail!(
            "{}: no sentence with a year, a name or a figure to make a card from ({} sentences read)",
            args.from.display(),
            draft.sentences
        );
    }
    let comment = format!(
        "DRAFT made by `kioku deck generate` from {}.\n\
         Every card quotes the sentence it was made from. Read each one: keep\n\
         what is worth learning, reword it in your own words, delete the rest,\n\
         then take `draft` out of the deck's tags.",
        args.from
            .file_name()
            .map_or("".into(), |n| n.to_string_lossy())
    );
    let path = write_deck(&draft.deck, &comment, args.out)?;
    let sections = draft
        .deck
        .cards
        .iter()
        .filter_map(|c| c.section.as_deref())
        .collect::<HashSet<_>>()
        .len();
    eprintln!(
        "{} candidates ({} year questions, {} cloze cards{}) from {} sentences in {} of {} sections{}",
        draft.deck.cards.len(),
        draft.year_cards(),
        draft.cloze_cards(),
        match draft.left_out {
            0 => String::new(),
            n => format!("; {n} left out that would give another's answer away"),
        },
        draft.sentences,
        sections,
        source.sections.iter().filter(|s| !s.end_matter).count(),
        match &path {
            Some(p) => format!(
                "\nwrote {}; check it with `kioku deck check {} --source {}`",
                p.display(),
                p.display(),
                args.from.display()
            ),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}
