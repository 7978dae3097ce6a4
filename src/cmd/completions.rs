//! `kioku completions SHELL`: the shell's completion script, made by
//! `clap_complete` from the command line's own definition, so it never
//! falls behind a new command or flag. Reads no database and no clock.

use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: CompletionsArgs) -> Result<ExitCode> {
    let script = script(args.shell);
    // Written in one piece, so that a closed pipe is an error to report
    // (and ignore), not a panic inside the generator.
    std::io::stdout().lock().write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// The completion script for `shell`.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kioku", &mut out);
    out
}
