//! `kioku deck new | check | coverage | fmt | aliases | try | export | generate | import`: writing,
//! checking and converting decks, one file a subcommand; here the dispatch
//! and what the commands that make a deck share (reading a source text,
//! writing the deck made, showing a path).

use super::{write_file, Context};
use crate::cli::DeckCommand;
use crate::deck::{load_sources, write, Deck, DeckSource};
use crate::deck::{parse_deck, Severity, MAX_DECK_BYTES};
use crate::files::Existing;
use anyhow::{bail, Result};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod aliases;
mod check;
mod coverage;
mod export;
mod fmt;
mod generate;
mod import;
mod new;
mod try_answers;

pub fn run(command: DeckCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        DeckCommand::New(args) => new::run(args),
        DeckCommand::Check(args) => check::run(args, ctx),
        DeckCommand::Coverage(args) => coverage::run(args, ctx),
        DeckCommand::Fmt(args) => fmt::run(args, ctx),
        DeckCommand::Aliases(args) => aliases::run(args, ctx),
        DeckCommand::Try(args) => try_answers::run(args, ctx),
        DeckCommand::Export(args) => export::run(args, ctx),
        DeckCommand::Generate(args) => generate::run(args),
        DeckCommand::Import(args) => import::run(args, ctx),
    }
}

/// A source text larger than this is refused before it is read: a whole
/// book is a few megabytes, and the draft it makes must fit in one deck.
pub(super) const MAX_SOURCE_TEXT: u64 = crate::import::MAX_TEXT;

/// A source text given from outside, read only if it is a regular file of
/// at most [`MAX_SOURCE_TEXT`] bytes.
pub(super) fn read_source_text(path: &Path) -> Result<Vec<u8>> {
    crate::files::read_input(path, MAX_SOURCE_TEXT).map_err(|e| {
        anyhow::anyhow!(
            "cannot read the source text {}: {e}",
            crate::text::path(path)
        )
    })
}

/// A source text given from outside, as text: its first byte that is not
/// UTF-8 is located, a leading byte-order mark dropped.
pub(super) fn read_source_utf8(path: &Path) -> Result<String> {
    let text = crate::text::utf8(read_source_text(path)?).map_err(|(line, column)| {
        anyhow::anyhow!(
            "{}:{line}:{column}: the source text is not UTF-8; save it as UTF-8 and try again",
            crate::text::path(path)
        )
    })?;
    // A byte-order mark some editors write is not part of the first line.
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// The deck files named on the command line, or those kioku would load.
pub(super) fn named_decks(paths: &[PathBuf], ctx: &Context) -> Result<Vec<DeckSource>> {
    if paths.is_empty() {
        return ctx.deck_sources();
    }
    let (sources, errors) = load_sources(paths, true);
    if let Some(e) = errors.first() {
        bail!("{e}");
    }
    Ok(sources)
}

/// A deck file read and parsed, refused at its first error, located.
pub(super) fn read_deck(source: &DeckSource) -> Result<Deck> {
    let origin = crate::text::path(Path::new(&source.origin));
    let outcome = parse_deck(&source.read()?);
    if let Some(e) = outcome.errors().next() {
        bail!(
            "{}; `kioku deck check` lists every problem",
            e.display(&origin)
        );
    }
    outcome
        .deck
        .ok_or_else(|| anyhow::anyhow!("{origin} holds no deck"))
}

/// The loaded deck with this id (the decks `study` would load). A deck
/// file with errors is passed over, and named in the error when no deck
/// has the id; a near miss is offered.
pub(super) fn loaded_deck(id: &str, ctx: &Context) -> Result<Deck> {
    let (mut ids, mut broken) = (Vec::new(), Vec::new());
    for source in ctx.deck_sources()? {
        match parse_deck(&source.read()?).deck {
            Some(deck) if deck.id == id => return Ok(deck),
            Some(deck) => ids.push(deck.id),
            None => broken.push(crate::text::path(Path::new(&source.origin))),
        }
    }
    let names: Vec<&str> = ids.iter().map(String::as_str).collect();
    let near = crate::fold::close_matches(id, &names);
    let mut message = format!("no deck `{}`", crate::text::clean_line(id));
    match near.first() {
        Some(n) => message.push_str(&format!("; did you mean `{n}`?")),
        None => message.push_str(&format!("; the decks are: {}", names.join(", "))),
    }
    if !broken.is_empty() {
        message.push_str(&format!(
            " ({} has errors and was not read; `kioku deck check` lists them)",
            broken.join(", ")
        ));
    }
    bail!("{message}")
}

/// Writes a made deck to `out` (`-`: standard output; none: `ID.toml`
/// here), refusing to overwrite a file, after checking that it reads back
/// without an error. Returns the path written, if any.
pub(super) fn write_deck(
    deck: &Deck,
    comment: &str,
    out: Option<PathBuf>,
) -> Result<Option<PathBuf>> {
    let text = write::to_toml(deck, comment);
    let outcome = parse_deck(&text);
    if let Some(d) = outcome
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        bail!(
            "internal error: the deck made does not read back ({}:{}: {})",
            d.line,
            d.column,
            d.message
        );
    }
    if out.as_deref() == Some(Path::new("-")) {
        io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(None);
    }
    if text.len() as u64 > MAX_DECK_BYTES {
        bail!(
            "the deck would be {:.1} MB, and kioku reads deck files of up to {} MB; \
             nothing was written (split the input into smaller parts)",
            text.len() as f64 / 1e6,
            MAX_DECK_BYTES / (1 << 20)
        );
    }
    let path = out.unwrap_or_else(|| format!("{}.toml", deck.id).into());
    write_new_deck(&path, &text).map(Some)
}

/// Writes a deck file the command made, never over one that exists.
pub(super) fn write_new_deck(path: &Path, text: &str) -> Result<PathBuf> {
    write_file(
        path,
        text.as_bytes(),
        Existing::Refuse,
        "choose another name with --out",
    )
}

/// A file's name as an id: lower case, words joined by `-`.
pub(super) fn file_stem_slug(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words = crate::deck::fmt::id_words(&stem);
    if words.is_empty() {
        "deck".to_string()
    } else {
        words.join("-")
    }
}
