//! `kioku deck try`: answers judged on one card exactly as a session judges
//! them (the examiner, the built-in names, the deck's `synonyms`), so that
//! an author can test an `accept` list before a learner meets it.

use crate::answer::try_written;
use crate::cli::DeckTryArgs;
use crate::cmd::Context;
use crate::deck::{parse_deck, Card, CardKind, Deck};
use crate::text::clean_line;
use anyhow::{bail, Result};
use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(args: DeckTryArgs, ctx: &Context) -> Result<ExitCode> {
    let deck = find_deck(&args.deck, ctx)?;
    let card = find_card(&deck, &args.card)?;
    let answers: Vec<String> = if args.answers.is_empty() {
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
    let judged: Vec<(String, &'static str)> = answers
        .into_iter()
        .map(|a| {
            let verdict = judge(card, &a, &deck.synonyms)?;
            Ok((a, verdict))
        })
        .collect::<Result<_>>()?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        let rows: Vec<serde_json::Value> = judged
            .iter()
            .map(|(a, v)| serde_json::json!({ "answer": a, "verdict": v }))
            .collect();
        crate::json::write_pretty(
            &mut out,
            &serde_json::json!({ "card": card.id, "answers": rows }),
        )?;
        writeln!(out)?;
    } else {
        for (answer, verdict) in &judged {
            writeln!(out, "{verdict:<7}  {}", clean_line(answer))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The deck in a file, or a loaded deck by its id.
fn find_deck(name: &str, ctx: &Context) -> Result<Deck> {
    let path = Path::new(name);
    let sources = if path.is_file() {
        super::named_decks(&[path.to_path_buf()], ctx)?
    } else {
        ctx.deck_sources()?
    };
    for source in sources {
        let text = source.read()?;
        let outcome = parse_deck(&text);
        if let Some(e) = outcome.errors().next() {
            if path.is_file() {
                bail!("{}", e.display(&crate::text::path(path)));
            }
            continue;
        }
        if let Some(deck) = outcome.deck.filter(|d| path.is_file() || d.id == name) {
            return Ok(deck);
        }
    }
    bail!(
        "no deck file or deck `{}`; `kioku decks` lists the decks",
        clean_line(name)
    )
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

/// One answer's verdict, as its name.
fn judge(card: &Card, answer: &str, synonyms: &[Vec<String>]) -> Result<&'static str> {
    try_written(&card.kind, answer, synonyms)
        .map(|v| v.name())
        .map_err(|e| match card.kind {
            CardKind::Basic { .. } | CardKind::Order { .. } => anyhow::anyhow!("{e}"),
            _ => anyhow::anyhow!("{}: {e}", clean_line(answer)),
        })
}
