//! The binary: parse the command line, read the clock once, run the
//! command, print its error once and choose the exit code. It must never
//! hold a rule of its own; everything it does is a call into the library.

use clap::Parser;
use kioku::cli::Cli;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Past a file size limit, a write should fail and be reported, not kill
    // the process (SIGXFSZ's default).
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let ctx = match kioku::cmd::Context::from_env(&cli.global) {
        Ok(ctx) => ctx,
        Err(e) => return report(&e, None, false),
    };
    let bulk = kioku::cmd::is_bulk(&cli.command);
    match kioku::cmd::run(cli.command, &ctx) {
        Ok(code) => code,
        Err(e) => report(&e, Some(&ctx.db), bulk),
    }
}

fn report(e: &anyhow::Error, db: Option<&Path>, bulk: bool) -> ExitCode {
    if kioku::cmd::is_broken_pipe(e) {
        return ExitCode::SUCCESS;
    }
    // Messages quote files and values from outside: nothing in them may
    // reach the terminal as a control sequence.
    let message = match db.and_then(|db| kioku::cmd::explain(e, db, bulk)) {
        Some(plain) => plain,
        None => format!("{e:#}"),
    };
    eprintln!("kioku: error: {}", kioku::text::clean(&message));
    ExitCode::FAILURE
}

/// clap's own messages quote the argument as typed; one holding control
/// characters is printed cleaned (and so without colour), like every other
/// message that quotes outside text.
fn usage_error(e: clap::Error) -> ExitCode {
    let plain = e.render().to_string();
    if !e.use_stderr() || matches!(kioku::text::clean(&plain), std::borrow::Cow::Borrowed(_)) {
        e.exit();
    }
    eprint!("{}", kioku::text::clean(&plain));
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}
