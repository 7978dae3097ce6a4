//! `kioku deck fmt`: ids for cards without one and keys in order, each
//! file rewritten whole or not at all; with `--with-aliases`, the answers
//! accepted on this database written in too (`aliases.rs`).

use crate::cli::DeckFmtArgs;
use crate::cmd::{write_file, Context};
use crate::deck::fmt;
use crate::deck::load_sources;
use crate::files::Existing;
use crate::human::plural;
use crate::store;
use anyhow::{bail, Result};
use std::path::Path;
use std::process::ExitCode;

pub(super) fn run(args: DeckFmtArgs, ctx: &Context) -> Result<ExitCode> {
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
    let store = if args.with_aliases {
        Some(ctx.open_store()?)
    } else {
        None
    };
    let mut changed = 0;
    let mut failed = 0;
    for source in &sources {
        let text = source.read()?;
        let with_aliases = match &store {
            Some(store) => super::aliases::write_into(&text, store)?,
            None => text.to_string(),
        };
        match fmt::format(&with_aliases) {
            Ok(formatted) if formatted == *text => {}
            Ok(_) if args.check => {
                println!(
                    "{} would be reformatted",
                    crate::text::path(Path::new(&source.origin))
                );
                changed += 1;
            }
            Ok(formatted) => {
                // Written whole beside the deck and renamed over it: a kill
                // or a full disk leaves the old file, never a cut-off one.
                let path = Path::new(&source.origin);
                match write_file(path, formatted.as_bytes(), Existing::Replace, "") {
                    Ok(_) => {
                        println!("formatted {}", crate::text::path(path));
                        changed += 1;
                    }
                    Err(e) => {
                        eprintln!("kioku: error: {e:#}");
                        failed += 1;
                    }
                }
            }
            Err(e) => {
                eprintln!(
                    "{}: cannot format: {}",
                    crate::text::path(Path::new(&source.origin)),
                    crate::text::clean(e.trim())
                );
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
