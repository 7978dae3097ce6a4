//! `kioku deck try`: answers judged on one card exactly as a session judges
//! them (the examiner, the built-in names, the deck's `synonyms`), so that
//! an author can test an `accept` list before a learner meets it.

use crate::answer::{try_written, untriable};
use crate::cli::DeckTryArgs;
use crate::cmd::Context;
use crate::deck::{Card, Deck};
use crate::text::clean_line;
use anyhow::{bail, Result};
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(args: DeckTryArgs, ctx: &Context) -> Result<ExitCode> {
    let deck = find_deck(&args.deck, ctx)?;
    let card = find_card(&deck, &args.card)?;
    let answers: Vec<String> = if args.answers.is_empty() {
        if io::stdin().is_terminal() {
            eprintln!("type one answer a line; end with Ctrl-D");
        }
        io::stdin()
            .lock()
            .lines()
            .collect::<io::Result<Vec<_>>>()?
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .collect()
    } else {
        args.answers
    };
    if let Some(why) = untriable(&card.kind) {
        bail!("{why}");
    }
    // An answer that cannot be read for this card (a word on a year card)
    // is said so on its line; the others are judged all the same.
    let judged: Vec<(String, Result<&'static str, String>)> = answers
        .into_iter()
        .map(|a| {
            let verdict = try_written(&card.kind, &a, &deck.synonyms).map(|v| v.name());
            (a, verdict)
        })
        .collect();
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let rows: Vec<serde_json::Value> = judged
            .iter()
            .map(|(a, v)| match v {
                Ok(v) => serde_json::json!({ "answer": a, "verdict": v }),
                Err(e) => serde_json::json!({ "answer": a, "verdict": "invalid", "reason": e }),
            })
            .collect();
        crate::json::write_pretty(
            &mut out,
            &serde_json::json!({ "card": card.id, "answers": rows }),
        )?;
        writeln!(out)?;
    } else {
        for (answer, verdict) in &judged {
            match verdict {
                Ok(v) => writeln!(out, "{v:<7}  {}", clean_line(answer))?,
                Err(e) => writeln!(out, "invalid  {}  ({})", clean_line(answer), clean_line(e))?,
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The deck in a file, or a loaded deck by its id.
fn find_deck(name: &str, ctx: &Context) -> Result<Deck> {
    let path = Path::new(name);
    if !path.is_file() {
        return super::loaded_deck(name, ctx);
    }
    match super::named_decks(&[path.to_path_buf()], ctx)?.first() {
        Some(source) => super::read_deck(source),
        None => bail!("{} holds no deck", crate::text::path(path)),
    }
}

/// The card by its id, or by its note's when the note is one card.
fn find_card<'a>(deck: &'a Deck, id: &str) -> Result<&'a Card> {
    if let Some(card) = deck.cards.iter().find(|c| c.id == id) {
        return Ok(card);
    }
    let gaps: Vec<&Card> = deck.cards.iter().filter(|c| c.note == id).collect();
    match gaps.as_slice() {
        [] => bail!(
            "deck `{}` has no card `{}`",
            clean_line(&deck.id),
            clean_line(id)
        ),
        [one] => Ok(one),
        many => bail!(
            "card `{}` has {} gaps; name one, `{}.1` to `{}.{}`",
            clean_line(id),
            many.len(),
            clean_line(id),
            clean_line(id),
            many.len()
        ),
    }
}
