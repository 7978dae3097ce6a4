//! `kioku config [KEY [VALUE]]`: list, show or change a setting.

use super::Context;
use crate::cli::ConfigArgs;
use crate::settings::SPECS;
use anyhow::{bail, Result};
use std::io::{self, Write};
use std::process::ExitCode;

pub fn run(args: ConfigArgs, ctx: &Context) -> Result<ExitCode> {
    let store = ctx.open_store()?;
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
            let settings = store.set_setting(&key, &value)?;
            writeln!(out, "{key} = {}", settings.get(&key).unwrap_or(value))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
