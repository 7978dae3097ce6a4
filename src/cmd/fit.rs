//! `kioku evaluate | optimize`: the scheduler measured against the
//! learner's own reviews (or a review log from elsewhere), and fitted to
//! them. Both read the reviews the same way ([`Source`]); nothing here
//! writes but `optimize` saving what it fitted.

use super::Context;
use crate::cli::{EvaluateArgs, OptimizeArgs, RevlogArgs};
use crate::human::thousands;
use crate::revlog;
use crate::scheduler::fit::{self, Dataset, Evaluation, MIN_ITEMS};
use crate::scheduler::{DayClock, Scheduler, DEFAULT_PARAMETERS};
use crate::settings::Settings;
use crate::store::{Rebuilt, Store};
use anyhow::{bail, Result};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// The reviews to work on, described, with the parameters now in use.
struct Source {
    data: Dataset,
    what: String,
    settings: Settings,
    store: Option<Store>,
}

fn source(args: &RevlogArgs, ctx: &Context) -> Result<Source> {
    match &args.revlog {
        Some(path) => {
            // An outside log needs no database; the settings come from one
            // only if it is already there.
            let store = if ctx.db.is_file() {
                Some(ctx.open_store()?)
            } else {
                None
            };
            let settings = match &store {
                Some(s) => s.settings()?,
                None => Settings::default(),
            };
            let offset = args.timezone.unwrap_or(ctx.offset);
            let text = super::history::read_log(path)?;
            let rows =
                revlog::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let clock = DayClock::new(offset, settings.rollover_hour);
            let data = Dataset::from_histories(&revlog::histories(&rows), &clock);
            let what = format!(
                "{} ({} reviews of {} cards, days from {:02}:00 at UTC{})",
                path.display(),
                thousands(data.reviews),
                thousands(data.cards),
                settings.rollover_hour,
                offset
            );
            Ok(Source {
                data,
                what,
                settings,
                store,
            })
        }
        None => {
            let mut store = ctx.open_store()?;
            ctx.sync_decks(&mut store)?;
            let settings = store.settings()?;
            let clock = DayClock::new(ctx.offset, settings.rollover_hour);
            let data = Dataset::from_histories(&store.histories()?, &clock);
            let what = format!(
                "your reviews ({} of {} cards)",
                thousands(data.reviews),
                thousands(data.cards)
            );
            Ok(Source {
                data,
                what,
                settings,
                store: Some(store),
            })
        }
    }
}

fn current_parameters(settings: &Settings) -> Vec<f32> {
    if settings.fsrs_parameters.is_empty() {
        DEFAULT_PARAMETERS.to_vec()
    } else {
        settings.fsrs_parameters.clone()
    }
}

fn too_few(data: &Dataset, what: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "too few reviews to fit: {what} give {} reviews made on a later day than the card's previous one, \
         and fitting needs at least {MIN_ITEMS} (several hundred give parameters worth keeping); \
         keep studying and try again",
        data.items.len()
    )
}

pub fn evaluate(args: EvaluateArgs, ctx: &Context) -> Result<ExitCode> {
    let src = source(&args.source, ctx)?;
    if src.data.items.is_empty() {
        bail!(
            "nothing to evaluate yet: {} have no review on a later day than the card's previous one",
            src.what
        );
    }
    let current = current_parameters(&src.settings);
    let fitted = !src.settings.fsrs_parameters.is_empty();
    let now = fit::evaluate(&current, &src.data)?;
    let default = fit::evaluate(&DEFAULT_PARAMETERS, &src.data)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let doc = json!({
            "source": src.what,
            "reviews": src.data.reviews,
            "cards": src.data.cards,
            "predictions": src.data.items.len(),
            "current_parameters_fitted": fitted,
            "current": now,
            "default": default,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "On {}:", src.what)?;
    writeln!(
        out,
        "{} predictions (each review on a later day than the card's previous one)\n",
        thousands(src.data.items.len())
    )?;
    header(&mut out)?;
    let label = if fitted {
        "current (fitted)"
    } else {
        "current (= default)"
    };
    for (name, e) in [(label, &now), ("default FSRS-6", &default)] {
        figures(&mut out, name, e)?;
    }
    writeln!(
        out,
        "\nweighted: log loss with the fsrs crate's recency weights. The crate's own evaluation of\n\
         the same items gives {:.4} / {:.4} (current) and {:.4} / {:.4} (default), weighted log loss / RMSE(bins).",
        now.crate_log_loss, now.crate_rmse_bins, default.crate_log_loss, default.crate_rmse_bins
    )?;
    writeln!(
        out,
        "Lower log loss and RMSE are better; an AUC of 0.5 is guessing.\n"
    )?;
    writeln!(
        out,
        "Calibration, current parameters: recall predicted against recall seen"
    )?;
    write_calibration(&mut out, &now)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn header(out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<22} {:>9} {:>9} {:>11} {:>7}",
        "parameters", "log loss", "weighted", "RMSE(bins)", "AUC"
    )
}

fn figures(out: &mut impl Write, name: &str, e: &Evaluation) -> std::io::Result<()> {
    writeln!(
        out,
        "{name:<22} {:>9.4} {:>9.4} {:>11.4} {:>7.4}",
        e.log_loss, e.log_loss_weighted, e.rmse_bins, e.auc
    )
}

fn write_calibration(out: &mut impl Write, e: &Evaluation) -> std::io::Result<()> {
    const WIDTH: usize = 40;
    writeln!(
        out,
        "{:<9} {:>9} {:>8} {:>8}  0%{:>w$}",
        "predicted",
        "reviews",
        "mean",
        "seen",
        "100%",
        w = WIDTH - 1
    )?;
    for b in &e.calibration {
        let seen = (b.observed * WIDTH as f64).round() as usize;
        let predicted = ((b.predicted * WIDTH as f64).round() as usize).min(WIDTH - 1);
        let mut bar: Vec<char> = (0..WIDTH)
            .map(|i| if i < seen { '█' } else { ' ' })
            .collect();
        bar[predicted] = '|';
        writeln!(
            out,
            "{:>3.0}–{:<3.0}%  {:>9} {:>7.1}% {:>7.1}%  {}",
            b.from * 100.0,
            b.to * 100.0,
            thousands(b.reviews),
            b.predicted * 100.0,
            b.observed * 100.0,
            bar.into_iter().collect::<String>()
        )?;
    }
    writeln!(
        out,
        "(█ recall seen, | recall predicted: close together is well calibrated)"
    )
}

pub fn optimize(args: OptimizeArgs, ctx: &Context) -> Result<ExitCode> {
    let src = source(&args.source, ctx)?;
    if src.data.items.len() < MIN_ITEMS {
        return Err(too_few(&src.data, &src.what));
    }
    let before_parameters = current_parameters(&src.settings);
    let before = fit::evaluate(&before_parameters, &src.data)?;
    let bar = std::io::stderr().is_terminal() && !args.json;
    if !args.json {
        eprintln!(
            "fitting FSRS-6 to {} (this takes a little while)...",
            src.what
        );
    }
    let fitted = fit::optimize(&src.data, |done, total| {
        if bar {
            progress(done, total);
        }
    })?;
    if bar {
        eprintln!();
    }
    let after = fit::evaluate(&fitted, &src.data)?;

    let saved = match args.dry_run {
        true => None,
        false => Some(save(src.store, &fitted, ctx)?),
    };

    if args.json {
        let doc = json!({
            "source": src.what,
            "predictions": src.data.items.len(),
            "before": { "parameters": before_parameters, "evaluation": before },
            "after": { "parameters": fitted, "evaluation": after },
            "saved": saved.is_some(),
            "rebuilt": saved.as_ref().map(|(r, _)| r),
            "due_dates_moved": saved.as_ref().map(|(_, m)| m),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    header(&mut out)?;
    let label = if src.settings.fsrs_parameters.is_empty() {
        "before (default)"
    } else {
        "before (current)"
    };
    figures(&mut out, label, &before)?;
    figures(&mut out, "after (fitted)", &after)?;
    drop(out);
    let shown: Vec<String> = fitted.iter().map(|p| format!("{p:.4}")).collect();
    println!("\nfitted: {}", shown.join(", "));
    match saved {
        Some((rebuilt, moved)) => println!(
            "saved as fsrs_parameters; replayed {} reviews of {} cards, and {} due dates moved",
            thousands(rebuilt.reviews),
            thousands(rebuilt.cards),
            thousands(moved)
        ),
        None => println!("not saved (--dry-run); `kioku optimize` saves them and rebuilds"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The fitting's progress on one line of stderr, redrawn in place.
fn progress(done: usize, total: usize) {
    if total == 0 {
        return;
    }
    let width = 30;
    let filled = (done * width / total).min(width);
    eprint!(
        "\r  [{}{}] {:>3}%",
        "█".repeat(filled),
        " ".repeat(width - filled),
        done * 100 / total
    );
    let _ = std::io::stderr().flush();
}

/// Saves fitted parameters and rebuilds every card state with them (in
/// `store`, or the learner's database when the reviews came from a file).
/// Returns the rebuild and how many due dates moved.
fn save(store: Option<Store>, fitted: &[f32], ctx: &Context) -> Result<(Rebuilt, usize)> {
    let mut store = match store {
        Some(s) => s,
        None => ctx.open_store()?,
    };
    let text: Vec<String> = fitted.iter().map(|p| p.to_string()).collect();
    let settings = store.set_replay_setting("fsrs_parameters", &text.join(", "))?;
    let scheduler: Scheduler = ctx.scheduler(&settings)?;
    let due_before = due_dates(&store)?;
    let rebuilt = store.rebuild(&scheduler)?;
    let due_after = due_dates(&store)?;
    let moved = due_after
        .iter()
        .filter(|(card, due)| due_before.get(card) != Some(due))
        .count();
    Ok((rebuilt, moved))
}

fn due_dates(store: &Store) -> Result<std::collections::HashMap<i64, i64>> {
    Ok(store
        .all_states()?
        .into_iter()
        .map(|(card, s)| (card, s.due.timestamp_millis()))
        .collect())
}
