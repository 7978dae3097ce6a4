//! `kioku deck new ID`: a deck file with one example of every card type.

use super::write_new_deck;
use crate::cli::DeckNewArgs;
use crate::deck::is_valid_id;
use anyhow::{bail, Result};
use std::process::ExitCode;

pub(super) fn run(args: DeckNewArgs) -> Result<ExitCode> {
    if !is_valid_id(&args.id) {
        bail!("`{}` is not a valid deck id: use a-z, 0-9 and -", args.id);
    }
    let path = args
        .out
        .unwrap_or_else(|| format!("{}.toml", args.id).into());
    let title = title_of(&args.id);
    let text = include_str!("../../deck/template.toml")
        .replace("{ID}", &args.id)
        .replace("{TITLE}", &title);
    let path = write_new_deck(&path, &text)?;
    println!(
        "wrote {} with one example of every card type; check it with `kioku deck check {}`",
        crate::text::path(&path),
        crate::text::path(&path)
    );
    Ok(ExitCode::SUCCESS)
}

/// A readable title from a deck id: `meiji-era` becomes "Meiji Era". Ids
/// may hold empty segments (`a--b`, `x-`, `-`), which are skipped; an id of
/// dashes alone keeps itself as the title, so the deck still has one.
fn title_of(id: &str) -> String {
    let words: Vec<String> = id
        .split('-')
        .filter(|w| !w.is_empty())
        .map(crate::deck::fmt::capitalized)
        .collect();
    if words.is_empty() {
        id.to_string()
    } else {
        words.join(" ")
    }
}
