//! `kioku config [KEY [VALUE]]`: list, show or change a setting.

use super::Context;
use crate::cli::ConfigArgs;
use crate::human::thousands;
use crate::settings::SPECS;
use anyhow::{bail, Result};
use std::io::{self, Write};
use std::process::ExitCode;

pub fn run(args: ConfigArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match (args.key, args.value) {
        (None, _) => {
            let settings = store.settings()?;
            for spec in SPECS {
                let value = settings.get(spec.key).unwrap_or_default();
                let marker = if value == spec.default { " " } else { "*" };
                writeln!(out, "{:<18} {marker} {:<12} {}", spec.key, value, spec.help)?;
            }
            writeln!(
                out,
                "(* = changed from the default; `kioku config KEY VALUE` changes a setting)"
            )?;
        }
        (Some(key), None) => match store.settings()?.get(&key) {
            Some(v) => writeln!(out, "{v}")?,
            None => bail!("unknown setting `{key}`; `kioku config` lists them"),
        },
        (Some(key), Some(value)) => {
            // Read before the change only to see whether it changes the
            // parameters: a stored setting that no longer reads must not
            // stop the learner setting it again.
            let before = store.settings().ok();
            let settings = store.set_setting(&key, &value)?;
            writeln!(out, "{key} = {}", settings.get(&key).unwrap_or(value))?;
            let new_parameters =
                before.as_ref().map(|s| &s.fsrs_parameters) != Some(&settings.fsrs_parameters);
            let new_retention =
                before.as_ref().map(|s| s.desired_retention) != Some(settings.desired_retention);
            out.flush()?;
            if key == "fsrs_parameters" && new_parameters {
                replay_with_new_parameters(&mut store, ctx);
            }
            let moves_due_days = match key.as_str() {
                "fsrs_parameters" => new_parameters,
                "desired_retention" => new_retention,
                _ => false,
            };
            if moves_due_days {
                reschedule(&mut store, &settings, ctx);
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// New parameters or a new desired retention give every review card a new
/// due day, balanced across the days ahead; said on standard error.
fn reschedule(
    store: &mut crate::store::Store,
    settings: &crate::settings::Settings,
    ctx: &Context,
) {
    let done = ctx
        .scheduler(settings)
        .and_then(|scheduler| super::backlog::reschedule_all(store, &scheduler, ctx.now));
    match done {
        Ok(0) => {}
        Ok(n) => eprintln!(
            "gave {} review card{} a new due day to match",
            thousands(n),
            crate::human::plural(n)
        ),
        Err(e) => eprintln!(
            "kioku: warning: the review cards keep their due days: {}",
            crate::text::clean_line(&format!("{e:#}"))
        ),
    }
}

/// The parameters are what a card's memory is: every cached state is
/// replayed with the new ones (the log stays as it is). When the settings
/// as a whole do not read, the replay waits for them, and says so.
fn replay_with_new_parameters(store: &mut crate::store::Store, ctx: &Context) {
    let done = store
        .settings()
        .map_err(anyhow::Error::from)
        .and_then(|s| ctx.scheduler(&s))
        .and_then(|scheduler| Ok(store.rebuild(&scheduler)?));
    match done {
        Ok(done) if done.reviews > 0 => eprintln!(
            "replayed {} reviews of {} cards with them; {} card states changed",
            thousands(done.reviews),
            thousands(done.cards),
            thousands(done.changed)
        ),
        Ok(_) => {}
        Err(e) => eprintln!(
            "kioku: warning: the card states are not replayed with the new parameters until the settings read: {}",
            crate::text::clean_line(&format!("{e:#}"))
        ),
    }
}
