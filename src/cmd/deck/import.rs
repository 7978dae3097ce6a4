//! `kioku deck import FILE`: a deck from an Anki package or text export,
//! and a report of what was left out. With `--with-history`, the deck goes
//! into the learner's deck folder and Anki's review log into kioku's
//! (`import/history.rs` in `history`).

use super::write_deck;
use crate::cli::DeckImportArgs;
use crate::cmd::Context;
use crate::deck::write;
use anyhow::{anyhow, bail, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod history;

pub(super) fn run(args: DeckImportArgs, ctx: &Context) -> Result<ExitCode> {
    let imported = crate::import::read_with(&args.file, args.with_history)?;
    let shown = crate::text::path(&args.file);
    let built = imported
        .to_deck(args.id.as_deref())
        .map_err(|e| anyhow!("{shown}: {e}"))?;
    let comment = comment(&args.file);
    if args.with_history {
        return history::run(&args, ctx, &imported, &built, &comment);
    }
    check_size(&write::to_toml(&built.deck, &comment), &shown)?;
    let path = write_deck(&built.deck, &comment, args.out)?;
    eprintln!("{}{}", imported.report(&built), wrote(path.as_deref()));
    Ok(ExitCode::SUCCESS)
}

/// The comment at the top of the deck file made.
fn comment(file: &Path) -> String {
    format!(
        "Imported by `kioku deck import` from {}.\n\
         Ids come from the questions: keep them once you study the deck,\n\
         because an id is how kioku keeps a card's history.",
        file.file_name().map_or("".into(), |n| n.to_string_lossy())
    )
}

/// Refuses, before anything is written, a deck file (`text`) larger than
/// any command would load.
fn check_size(text: &str, shown: &str) -> Result<()> {
    let size = text.len() as u64;
    if size > crate::deck::MAX_DECK_BYTES {
        bail!(
            "{shown}: the deck made would be {} MB, and a deck file holds at most {} MB; \
             export the collection from Anki in parts (one deck at a time) and import each",
            size >> 20,
            crate::deck::MAX_DECK_BYTES >> 20
        );
    }
    Ok(())
}

/// The line that says where the deck went and how to study it.
fn wrote(path: Option<&Path>) -> String {
    match path {
        Some(p) => format!(
            "\nwrote {}; study it with `kioku --decks {} study`",
            crate::text::path(p),
            p.parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map_or(".".into(), crate::text::path)
        ),
        None => String::new(),
    }
}

/// Where `--with-history` writes the deck: `--out`, which must be in a
/// folder this run loads decks from, or else the first of those folders
/// (`--decks`, or the learner's deck folder) — checked before anything is
/// written, since a deck kioku does not load cannot take a history.
fn history_target(args: &DeckImportArgs, ctx: &Context, id: &str) -> Result<PathBuf> {
    let folders: Vec<PathBuf> = if ctx.deck_dirs.is_empty() {
        crate::store::default_deck_dir().into_iter().collect()
    } else {
        ctx.deck_dirs.clone()
    };
    let Some(first) = folders.first() else {
        bail!("no deck folder is known on this system; pass --decks DIR");
    };
    std::fs::create_dir_all(first).map_err(|e| {
        anyhow!(
            "cannot make the deck folder {}: {e}",
            crate::text::path(first)
        )
    })?;
    let Some(out) = &args.out else {
        return Ok(first.join(format!("{id}.toml")));
    };
    if out.as_os_str() == "-" {
        bail!("--with-history writes a deck file kioku then loads; leave out `--out -`");
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let same = |dir: &PathBuf| matches!((dir.canonicalize(), parent.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if !folders.iter().any(same) {
        bail!(
            "--with-history must write the deck where kioku loads decks, and {} is not in {}; \
             leave out --out, or pass --decks with its folder",
            crate::text::path(out),
            folders
                .iter()
                .map(|f| crate::text::path(f))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(out.clone())
}
