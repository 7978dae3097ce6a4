//! `kioku deck check`: every problem in every deck file, as located text
//! or as JSON for editors (the checks are `deck::check`'s).

use super::{named_decks, read_source_utf8};
use crate::cli::DeckCheckArgs;
use crate::cmd::Context;
use crate::human::plural;
use crate::text::clean_line;
use anyhow::Result;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(args: DeckCheckArgs, ctx: &Context) -> Result<ExitCode> {
    let sources = named_decks(&args.paths, ctx)?;
    let texts: Vec<String> = args
        .source
        .iter()
        .map(|p| read_source_utf8(p))
        .collect::<Result<_>>()?;
    let files: Vec<(String, String)> = sources
        .iter()
        .map(|s| Ok((s.origin.clone(), s.read()?.into_owned())))
        .collect::<Result<_>>()?;
    let found = crate::deck::check::check(&files, &texts);
    let n_err = found.iter().filter(|f| f.is_error()).count();
    let n_warn = found.len() - n_err;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        crate::json::write_pretty(
            &mut out,
            &serde_json::json!({ "files": sources.len(), "errors": n_err, "warnings": n_warn, "diagnostics": found }),
        )?;
        writeln!(out)?;
    } else {
        // File names and messages quote the deck, which may come from
        // anyone: nothing in them reaches the terminal as a control.
        for f in &found {
            writeln!(
                out,
                "{}:{}:{}: {}: {}",
                crate::text::path(Path::new(&f.file)),
                f.line,
                f.column,
                f.severity,
                clean_line(&f.message)
            )?;
            if let Some(h) = &f.hint {
                writeln!(out, "  hint: {}", clean_line(h))?;
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
