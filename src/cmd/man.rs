//! `kioku man [COMMAND]`: a manual page, as roff on standard output, made
//! by `clap_mangen` from the command line's own definition (the same text
//! as `--help`). kioku's page lists its commands as kioku-study(1) and so
//! on, and `kioku man study` prints that page. Printed rather than
//! installed: where man pages go is the packager's choice
//! (`kioku man > kioku.1`). Reads no database and no clock.

use crate::cli::{Cli, ManArgs};
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: ManArgs) -> Result<ExitCode> {
    let Some(page) = page(&args.command)? else {
        // A usage mistake, like clap's own: exit 2.
        eprintln!(
            "kioku: error: no command `{}`; `kioku man` lists them",
            crate::text::quote(&args.command.join(" "))
        );
        return Ok(ExitCode::from(2));
    };
    std::io::stdout().lock().write_all(&page)?;
    Ok(ExitCode::SUCCESS)
}

/// The page of the command named by `path` (kioku's own when empty), in
/// roff; None when there is no such command.
pub fn page(path: &[String]) -> Result<Option<Vec<u8>>> {
    let mut command = Cli::command();
    // Building names each subcommand for its page: kioku-deck-import.
    command.build();
    for name in path {
        let Some(sub) = command.find_subcommand(name).cloned() else {
            return Ok(None);
        };
        command = sub;
    }
    let mut out = Vec::new();
    clap_mangen::Man::new(command)
        .source(format!("kioku {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)?;
    Ok(Some(out))
}
