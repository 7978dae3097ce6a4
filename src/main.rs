use clap::Parser;
use kioku::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = match kioku::cmd::Context::from_env(&cli.global) {
        Ok(ctx) => ctx,
        Err(e) => return report(&e),
    };
    match kioku::cmd::run(cli.command, &ctx) {
        Ok(code) => code,
        Err(e) => report(&e),
    }
}

fn report(e: &anyhow::Error) -> ExitCode {
    if kioku::cmd::is_broken_pipe(e) {
        return ExitCode::SUCCESS;
    }
    eprintln!("kioku: error: {e:#}");
    ExitCode::FAILURE
}
