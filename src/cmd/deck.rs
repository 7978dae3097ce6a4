//! `kioku deck new | check`: writing and checking decks.

use super::Context;
use crate::cli::{DeckCheckArgs, DeckCommand, DeckExportArgs, DeckFmtArgs, DeckNewArgs};
use crate::deck::{export, fmt};
use crate::deck::{
    is_valid_id, load_sources, parse_deck, CardKind, DeckSource, Diagnostic, Severity,
};
use crate::store;
use anyhow::{bail, Context as _, Result};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::process::ExitCode;

pub fn run(command: DeckCommand, ctx: &Context) -> Result<ExitCode> {
    match command {
        DeckCommand::New(args) => new(args),
        DeckCommand::Check(args) => check(args, ctx),
        DeckCommand::Fmt(args) => fmt(args, ctx),
        DeckCommand::Export(args) => export(args, ctx),
    }
}

fn fmt(args: DeckFmtArgs, ctx: &Context) -> Result<ExitCode> {
    let paths = if !args.paths.is_empty() {
        args.paths
    } else if !ctx.deck_dirs.is_empty() {
        ctx.deck_dirs.clone()
    } else {
        store::default_deck_dir().into_iter().collect()
    };
    let (sources, errors) = load_sources(&paths, true);
    if let Some(e) = errors.first() {
        bail!("{e}");
    }
    let mut changed = 0;
    let mut failed = 0;
    for source in &sources {
        let text = source.read()?;
        match fmt::format(&text) {
            Ok(formatted) if formatted == *text => {}
            Ok(_) if args.check => {
                println!("{} would be reformatted", source.origin);
                changed += 1;
            }
            Ok(formatted) => {
                std::fs::write(&source.origin, formatted)
                    .with_context(|| format!("cannot write {}", source.origin))?;
                println!("formatted {}", source.origin);
                changed += 1;
            }
            Err(e) => {
                eprintln!("{}: cannot format: {}", source.origin, e.trim());
                failed += 1;
            }
        }
    }
    let verb = if args.check {
        "to reformat"
    } else {
        "reformatted"
    };
    println!(
        "{changed} of {} file{} {verb}",
        sources.len(),
        plural(sources.len())
    );
    Ok(if failed > 0 || (args.check && changed > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn export(args: DeckExportArgs, ctx: &Context) -> Result<ExitCode> {
    let mut ids = Vec::new();
    for source in ctx.deck_sources()? {
        let Some(deck) = parse_deck(&source.read()?).deck else {
            continue;
        };
        if deck.id == args.deck {
            let text = if args.format == "csv" {
                export::csv(&deck)
            } else {
                export::markdown(&deck)
            };
            match &args.out {
                Some(path) => {
                    std::fs::write(path, text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    println!("wrote {} ({} cards)", path.display(), deck.cards.len());
                }
                None => io::stdout().lock().write_all(text.as_bytes())?,
            }
            return Ok(ExitCode::SUCCESS);
        }
        ids.push(deck.id);
    }
    bail!("no deck `{}`; the decks are: {}", args.deck, ids.join(", "))
}

fn new(args: DeckNewArgs) -> Result<ExitCode> {
    if !is_valid_id(&args.id) {
        bail!("`{}` is not a valid deck id: use a-z, 0-9 and -", args.id);
    }
    let path = args
        .out
        .unwrap_or_else(|| format!("{}.toml", args.id).into());
    if path.exists() {
        bail!(
            "{} already exists; choose another name with --out",
            path.display()
        );
    }
    let title = args
        .id
        .split('-')
        .map(|w| w[..1].to_uppercase() + &w[1..])
        .collect::<Vec<_>>()
        .join(" ");
    let text = include_str!("../deck/template.toml")
        .replace("{ID}", &args.id)
        .replace("{TITLE}", &title);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "wrote {} with one example of every card type; check it with `kioku deck check {}`",
        path.display(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// One problem, as `--json` gives it.
#[derive(Serialize)]
struct Found {
    file: String,
    line: usize,
    column: usize,
    severity: &'static str,
    message: String,
    hint: Option<String>,
}

fn check(args: DeckCheckArgs, ctx: &Context) -> Result<ExitCode> {
    let sources = if args.paths.is_empty() {
        ctx.deck_sources()?
    } else {
        let (sources, errors) = load_sources(&args.paths, true);
        if let Some(e) = errors.first() {
            bail!("{e}");
        }
        sources
    };
    let texts: Vec<String> = args
        .source
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the source text {}", p.display()))
        })
        .collect::<Result<_>>()?;
    let found = diagnose(&sources, &texts)?;
    let (n_err, n_warn) = (
        found.iter().filter(|f| f.severity == "error").count(),
        found.iter().filter(|f| f.severity == "warning").count(),
    );
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({ "files": sources.len(), "errors": n_err, "warnings": n_warn, "diagnostics": found }),
        )?;
        writeln!(out)?;
    } else {
        for f in &found {
            writeln!(
                out,
                "{}:{}:{}: {}: {}",
                f.file, f.line, f.column, f.severity, f.message
            )?;
            if let Some(h) = &f.hint {
                writeln!(out, "  hint: {h}")?;
            }
        }
        let files = sources.len();
        writeln!(
            out,
            "{n_err} error{}, {n_warn} warning{} in {files} file{}",
            plural(n_err),
            plural(n_warn),
            plural(files)
        )?;
    }
    out.flush()?;
    Ok(if n_err > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Every problem in every file: the parser's, duplicate deck ids, the same
/// question in two places, and sections or quotes missing from the sources.
fn diagnose(sources: &[DeckSource], texts: &[String]) -> Result<Vec<Found>> {
    let headings: HashSet<&str> = texts
        .iter()
        .flat_map(|t| t.lines().map(str::trim))
        .filter(|l| !l.is_empty())
        .collect();
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let bodies: Vec<String> = texts.iter().map(|t| squash(t)).collect();
    let mut found = Vec::new();
    let mut push = |file: &str, d: &Diagnostic| {
        found.push(Found {
            file: file.to_string(),
            line: d.line,
            column: d.column,
            severity: if d.severity == Severity::Error {
                "error"
            } else {
                "warning"
            },
            message: d.message.clone(),
            hint: d.hint.clone(),
        })
    };
    let mut deck_ids: HashMap<String, String> = HashMap::new();
    let mut questions: HashMap<String, (String, usize)> = HashMap::new();
    for source in sources {
        let text = source.read()?;
        let outcome = parse_deck(&text);
        for d in &outcome.diagnostics {
            push(&source.origin, d);
        }
        let Some(deck) = outcome.deck else { continue };
        let at = |line: usize, severity, message: String, hint: Option<&str>| Diagnostic {
            severity,
            line,
            column: 1,
            message,
            hint: hint.map(str::to_string),
        };
        if let Some(first) = deck_ids.get(&deck.id) {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("id"))
                .map_or(1, |i| i + 1);
            push(
                &source.origin,
                &at(
                    line,
                    Severity::Error,
                    format!("deck id `{}` is already used by {first}", deck.id),
                    Some("give each deck its own id"),
                ),
            );
        } else {
            deck_ids.insert(deck.id.clone(), source.origin.clone());
        }
        let mut notes_seen = HashSet::new();
        for card in &deck.cards {
            if !notes_seen.insert(card.note.clone()) {
                continue; // a cloze's gaps share their text
            }
            let question = match &card.kind {
                CardKind::Order { items, .. } => {
                    format!("{} {}", card.kind.prompt(), items.join(" "))
                }
                CardKind::Cloze { text, .. } => text.clone(),
                kind => kind.prompt(),
            };
            let key = crate::answer::normalize(&question);
            match questions.get(&key) {
                Some((file, line)) => push(
                    &source.origin,
                    &at(
                        card.line,
                        Severity::Warning,
                        format!(
                            "card `{}` asks the same question as {file}:{line}",
                            card.note
                        ),
                        Some("reword one of them, or remove it"),
                    ),
                ),
                None => {
                    questions.insert(key, (source.origin.clone(), card.line));
                }
            }
            if texts.is_empty() {
                continue;
            }
            if let Some(section) = &card.section {
                if section != "Introduction" && !headings.contains(section.trim()) {
                    push(&source.origin, &at(card.line, Severity::Error, format!("card `{}` cites section `{section}`, which is not a heading of the source text", card.note), Some("copy the heading exactly as the text writes it")));
                }
            }
            if let Some(quote) = &card.quote {
                let q = squash(quote);
                if !bodies.iter().any(|b| b.contains(&q)) {
                    push(
                        &source.origin,
                        &at(
                            card.line,
                            Severity::Error,
                            format!(
                                "the quote of card `{}` is not in the source text word for word",
                                card.note
                            ),
                            Some("copy the sentence exactly, or remove `quote`"),
                        ),
                    );
                }
            }
        }
    }
    found.sort_by(|a, b| {
        a.file
            .cmp(&b.file)
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
    });
    Ok(found)
}
