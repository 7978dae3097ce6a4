//! `kioku study`: today's due and new cards.

use super::{select_decks, Context};
use crate::cli::StudyArgs;
use crate::session::Session;
use crate::ui::{plain, report, tui};
use anyhow::Result;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

pub fn run(args: StudyArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    if synced.is_empty() {
        anyhow::bail!("no decks to study: the deck files were missing or had errors");
    }
    let decks = select_decks(&synced, &args.session.deck_ids)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let seed = args.session.seed.unwrap_or_else(rand::random);
    let limits = match (args.new, args.reviews) {
        (None, None) => None,
        (new, reviews) => Some((
            new.unwrap_or(settings.new_per_day),
            reviews.unwrap_or(settings.reviews_per_day),
        )),
    };
    let session = Session::start(&mut store, scheduler, decks, seed, limits, ctx.now)?;
    drive(session, args.session.plain, ctx)
}

/// Runs a study session or a quiz — full screen on a terminal, line mode
/// otherwise or with `--plain` — then prints its report.
pub(crate) fn drive(mut session: Session<'_>, plain_mode: bool, ctx: &Context) -> Result<ExitCode> {
    let clock = ctx.clock;
    let now = move || clock.now();
    let full_screen = !plain_mode && io::stdin().is_terminal() && io::stdout().is_terminal();
    if full_screen {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let end = tui::run(&mut session, &now, ctx.offset, color);
        // However the loop ended, the session decides what is saved.
        session.leave(clock.now())?;
        end?;
        let mut out = io::stdout().lock();
        for line in report::lines(&session, clock.now(), ctx.offset)? {
            writeln!(out, "{line}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut input = io::stdin().lock();
    plain::header(&mut out, &session)?;
    let echo = !io::stdin().is_terminal();
    let end = plain::run(&mut session, &mut input, &mut out, &now, echo);
    // However the loop ended, the session decides what is saved.
    session.leave(clock.now())?;
    end?;
    plain::summary(&mut out, &session, clock.now(), ctx.offset)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
