//! `kioku deck coverage`: section by section, how many of a source text's
//! fact sentences the decks test, and the ones they do not, as text or as
//! JSON (the counting is `deck::coverage`'s).

use super::{named_decks, read_source_utf8};
use crate::cli::DeckCoverageArgs;
use crate::cmd::Context;
use crate::deck::coverage::{coverage, Coverage};
use crate::deck::Deck;
use crate::text::clean_line;
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn run(args: DeckCoverageArgs, ctx: &Context) -> Result<ExitCode> {
    let decks = read_decks(&args.paths, ctx)?;
    let texts: Vec<(String, String)> = args
        .source
        .iter()
        .map(|p| Ok((crate::text::path(p), read_source_utf8(p)?)))
        .collect::<Result<_>>()?;
    let report = coverage(&decks, &texts);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        crate::json::write_pretty(&mut out, &as_json(&report))?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &report)?;
    }
    out.flush()?;
    if report.without_source + report.without_section > 0 {
        eprintln!(
            "{} card(s) cite no source and {} no section: they cover nothing",
            report.without_source, report.without_section
        );
    }
    let Some(min) = args.min else {
        return Ok(ExitCode::SUCCESS);
    };
    if report.facts == 0 {
        bail!("the source texts have no sentence that states a fact: nothing to cover");
    }
    // Whole numbers: 29 of 100 is 29%, not a hair under it.
    let enough = report.covered * 100 >= usize::from(min) * report.facts;
    Ok(if enough {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The decks named: deck files and folders, or ids of the decks kioku
/// would load; with none named, every deck kioku would load.
fn read_decks(names: &[String], ctx: &Context) -> Result<Vec<Deck>> {
    let (paths, ids): (Vec<&String>, Vec<&String>) =
        names.iter().partition(|n| Path::new(n.as_str()).exists());
    let mut decks = Vec::new();
    if !paths.is_empty() || ids.is_empty() {
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        for source in named_decks(&paths, ctx)? {
            decks.push(super::read_deck(&source)?);
        }
    }
    for id in ids {
        decks.push(super::loaded_deck(id, ctx)?);
    }
    Ok(decks)
}

/// A share as a percentage with one decimal, "95.4%"; a dash for nothing.
/// Rounded down, so that anything left uncovered never shows as 100.0%.
fn percent(covered: usize, facts: usize) -> String {
    match tenths(covered, facts) {
        Some(t) => format!("{}.{}%", t / 10, t % 10),
        None => "—".to_string(),
    }
}

/// A share in tenths of a percent, rounded down.
fn tenths(covered: usize, facts: usize) -> Option<usize> {
    (facts > 0).then(|| covered * 1000 / facts)
}

fn write_text(out: &mut impl Write, report: &Coverage) -> io::Result<()> {
    for text in &report.texts {
        // Texts and sentences come from anyone: cleaned on the way out.
        writeln!(
            out,
            "{} ({})",
            clean_line(&text.name),
            clean_line(&text.file)
        )?;
        for section in &text.sections {
            writeln!(
                out,
                "  {:>6}  {:>9}  {}",
                percent(section.covered, section.facts),
                format!("{}/{}", section.covered, section.facts),
                clean_line(&section.heading)
            )?;
            for fact in section.sentences.iter().filter(|f| !f.is_covered()) {
                writeln!(
                    out,
                    "            line {}: {}",
                    fact.line,
                    clean_line(&fact.text)
                )?;
            }
        }
        writeln!(
            out,
            "  {:>6}  {:>9}  in all",
            percent(text.covered, text.facts),
            format!("{}/{}", text.covered, text.facts)
        )?;
    }
    writeln!(
        out,
        "{} of {} fact sentences covered ({})",
        report.covered,
        report.facts,
        percent(report.covered, report.facts)
    )
}

fn as_json(report: &Coverage) -> Value {
    let pct = |covered, facts| tenths(covered, facts).map(|t| t as f64 / 10.0);
    json!({
        "facts": report.facts,
        "covered": report.covered,
        "percent": pct(report.covered, report.facts),
        "without_source": report.without_source,
        "without_section": report.without_section,
        "texts": report.texts.iter().map(|t| json!({
            "name": t.name,
            "file": t.file,
            "facts": t.facts,
            "covered": t.covered,
            "percent": pct(t.covered, t.facts),
            "sections": t.sections.iter().map(|s| json!({
                "heading": s.heading,
                "line": s.line,
                "facts": s.facts,
                "covered": s.covered,
                "percent": pct(s.covered, s.facts),
                "sentences": s.sentences,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn shares_are_rounded_down_to_a_tenth() {
        assert_eq!(percent(29, 100), "29.0%");
        assert_eq!(percent(2_499, 2_500), "99.9%");
        assert_eq!(percent(2, 3), "66.6%");
        assert_eq!(percent(0, 0), "—");
    }
}
