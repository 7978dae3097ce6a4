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
            let before = store.settings()?;
            let settings = store.set_setting(&key, &value)?;
            writeln!(out, "{key} = {}", settings.get(&key).unwrap_or(value))?;
            // The parameters are what a card's memory is: every cached state
            // is replayed with the new ones (the log stays as it is).
            if key == "fsrs_parameters" && settings.fsrs_parameters != before.fsrs_parameters {
                let done = store.rebuild(&ctx.scheduler(&settings)?)?;
                if done.reviews > 0 {
                    eprintln!(
                        "replayed {} reviews of {} cards with them; {} card states changed",
                        thousands(done.reviews),
                        thousands(done.cards),
                        thousands(done.changed)
                    );
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
