//! `kioku evaluate | optimize`: the scheduler measured against the
//! learner's own reviews (or a review log from elsewhere), and fitted to
//! them. Both read the reviews the same way ([`Source`], which leaves out
//! what `optimize_from` says to); `evaluate` leads with out-of-sample
//! figures and a health verdict, `optimize` keeps new parameters only when
//! they predict the reviews better than the current ones (or `--force`).
//! Nothing here writes but `optimize` saving what it kept; the text is
//! `report.rs`'s.

mod report;

use super::Context;
use crate::cli::{EvaluateArgs, OptimizeArgs, RevlogArgs};
use crate::human::thousands;
use crate::revlog;
use crate::scheduler::fit::{self, Cutoff, Dataset, Evaluation, FitError, OutOfSample, MIN_ITEMS};
use crate::scheduler::{DayClock, Scheduler, DEFAULT_PARAMETERS};
use crate::settings::Settings;
use crate::store::{Rebuilt, Store};
use crate::types::{CardRowId, Millis};
use anyhow::{bail, Result};
use chrono::FixedOffset;
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// The reviews to work on, described, with the parameters now in use.
struct Source {
    data: Dataset,
    what: String,
    settings: Settings,
    store: Option<Store>,
    /// What `optimize_from` left out, when it is set.
    cutoff: Option<Cutoff>,
}

/// Where the reviews were read from, to describe them.
enum Origin<'a> {
    File(&'a Path, FixedOffset),
    Database,
}

fn source(args: &RevlogArgs, ctx: &Context) -> Result<Source> {
    let (histories, settings, store, origin) = match &args.revlog {
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
            let histories = revlog::histories(&rows);
            (histories, settings, store, Origin::File(path, offset))
        }
        None => {
            let mut store = ctx.open_store()?;
            ctx.sync_decks(&mut store)?;
            let settings = store.settings()?;
            (store.histories()?, settings, Some(store), Origin::Database)
        }
    };
    let offset = match origin {
        Origin::File(_, offset) => offset,
        Origin::Database => ctx.offset,
    };
    let clock = DayClock::new(offset, settings.rollover_hour);
    let (histories, cutoff) = match settings.optimize_from {
        Some(from) => {
            let (kept, cut) = fit::first_reviewed_from(histories, from, &clock);
            (kept, Some(cut))
        }
        None => (histories, None),
    };
    let data = Dataset::from_histories(&histories, &clock);
    drop(histories);
    let what = describe(&data, &origin, &settings, cutoff.as_ref());
    Ok(Source {
        data,
        what,
        settings,
        store,
        cutoff,
    })
}

fn describe(data: &Dataset, origin: &Origin, settings: &Settings, cut: Option<&Cutoff>) -> String {
    let mut what = match origin {
        Origin::File(path, offset) => format!(
            "{} ({} reviews of {} cards, days from {:02}:00 at UTC{})",
            path.display(),
            thousands(data.reviews),
            thousands(data.cards),
            settings.rollover_hour,
            offset
        ),
        Origin::Database => format!(
            "your reviews ({} of {} cards)",
            thousands(data.reviews),
            thousands(data.cards)
        ),
    };
    if let Some(c) = cut {
        what.push_str(&format!(
            ", cards first reviewed from {} on (optimize_from): {} cards with {} reviews before it left out",
            c.from,
            thousands(c.cards_left_out),
            thousands(c.reviews_left_out)
        ));
    }
    what
}

/// How many predictions the figures rest on, and why a sample when one.
fn predictions(data: &Dataset) -> String {
    let each = "each a review on a later day than the card's previous one";
    if data.is_sampled() {
        format!(
            "{} predictions ({each}): a random {} of them are used, so that memory stays bounded \
             (at most {} MB of fitting data)",
            thousands(data.predictions),
            thousands(data.items.len()),
            fit::MAX_BYTES >> 20
        )
    } else {
        format!("{} predictions ({each})", thousands(data.items.len()))
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
    let measured = measure_out_of_sample(&src, args.json);
    let health = measured.as_ref().ok().map(|o| fit::health(&src.data, o));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        let doc = json!({
            "source": src.what,
            "reviews": src.data.reviews,
            "cards": src.data.cards,
            "predictions": src.data.items.len(),
            "predictions_in_log": src.data.predictions,
            "sampled": src.data.is_sampled(),
            "optimize_from": src.cutoff,
            "current_parameters_fitted": fitted,
            "out_of_sample": measured.as_ref().ok(),
            "out_of_sample_error": measured.as_ref().err().map(|e| e.to_string()),
            "health": health,
            "current": now,
            "default": default,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "On {}:", src.what)?;
    writeln!(out, "{}\n", predictions(&src.data))?;
    report::out_of_sample(&mut out, &measured)?;
    in_sample(&mut out, fitted, &now, &default)?;
    writeln!(out)?;
    report::health(&mut out, health.as_ref())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The out-of-sample figures, with a progress bar on a terminal.
fn measure_out_of_sample(src: &Source, json: bool) -> Result<OutOfSample, FitError> {
    let bar = std::io::stderr().is_terminal() && !json;
    if !json && fit::splits(src.data.items.len()).len() == fit::SPLITS {
        eprintln!(
            "fitting FSRS-6 {} times to earlier reviews to predict later ones (this takes a little while)...",
            fit::SPLITS
        );
    }
    let mut drawn = false;
    let measured = fit::out_of_sample(&src.data, |done, total| {
        if bar {
            progress(done, total);
            drawn = true;
        }
    });
    if drawn {
        eprintln!();
    }
    measured
}

/// The figures on the same reviews the parameters may have been fitted to.
fn in_sample(
    out: &mut impl Write,
    fitted: bool,
    now: &Evaluation,
    default: &Evaluation,
) -> std::io::Result<()> {
    writeln!(
        out,
        "In sample (flatters a fit: the current parameters may have been fitted to these very reviews)"
    )?;
    report::header(out)?;
    let label = if fitted {
        "current (fitted)"
    } else {
        "current (= default)"
    };
    for (name, e) in [(label, now), ("default FSRS-6", default)] {
        report::figures(out, name, e)?;
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
    report::calibration(out, now)
}

pub fn optimize(args: OptimizeArgs, ctx: &Context) -> Result<ExitCode> {
    let src = source(&args.source, ctx)?;
    if src.data.items.len() < MIN_ITEMS {
        return Err(too_few(&src.data, &src.what));
    }
    let before_parameters = current_parameters(&src.settings);
    let before = fit::evaluate(&before_parameters, &src.data)?;
    let fitted = fit_with_progress(&src, args.json)?;
    let after = fit::evaluate(&fitted, &src.data)?;
    // Anki's rule: the new parameters replace the current ones only if they
    // predict the same reviews better.
    let better = fit::predicts_better(&after, &before);
    let keep_new = better || args.force;

    let saved = match args.dry_run || !keep_new {
        true => None,
        false => Some(save(src.store, &fitted, ctx)?),
    };

    if args.json {
        let doc = json!({
            "source": src.what,
            "predictions": src.data.items.len(),
            "predictions_in_log": src.data.predictions,
            "sampled": src.data.is_sampled(),
            "optimize_from": src.cutoff,
            "before": { "parameters": before_parameters, "evaluation": before },
            "after": { "parameters": fitted, "evaluation": after },
            "new_predict_better": better,
            "kept": if keep_new { "new" } else { "current" },
            "saved": saved.is_some(),
            "rebuilt": saved.as_ref().map(|(r, _)| r),
            "due_dates_moved": saved.as_ref().map(|(_, m)| m),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    report::header(&mut out)?;
    let label = if src.settings.fsrs_parameters.is_empty() {
        "current (default)"
    } else {
        "current (fitted)"
    };
    report::figures(&mut out, label, &before)?;
    report::figures(&mut out, "new (fitted now)", &after)?;
    let shown: Vec<String> = fitted.iter().map(|p| format!("{p:.4}")).collect();
    writeln!(out, "\nnew: {}\n", shown.join(", "))?;
    report::decision(
        &mut out,
        keep_new,
        args.dry_run,
        after.crate_log_loss,
        before.crate_log_loss,
    )?;
    match saved {
        Some((rebuilt, moved)) => writeln!(
            out,
            "saved as fsrs_parameters; replayed {} reviews of {} cards, and {} due dates moved",
            thousands(rebuilt.reviews),
            thousands(rebuilt.cards),
            thousands(moved)
        )?,
        None if args.dry_run => writeln!(out, "nothing saved (--dry-run)")?,
        None => writeln!(out, "nothing saved")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// New parameters fitted to the source's reviews, with a progress bar on a
/// terminal.
fn fit_with_progress(src: &Source, json: bool) -> Result<Vec<f32>> {
    let bar = std::io::stderr().is_terminal() && !json;
    if !json {
        eprintln!(
            "fitting FSRS-6 to {} (this takes a little while)...",
            src.what
        );
        if src.data.is_sampled() {
            eprintln!("{}", predictions(&src.data));
        }
    }
    let fitted = fit::optimize(&src.data, |done, total| {
        if bar {
            progress(done, total);
        }
    })?;
    if bar {
        eprintln!();
    }
    Ok(fitted)
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

/// Saves fitted parameters, rebuilds every card state with them and gives
/// every review card its new due day (in `store`, or the learner's database
/// when the reviews came from a file).
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
    // Memories replayed, every review card gets its day under them, balanced.
    super::backlog::reschedule_all(&mut store, &scheduler, ctx.now)?;
    let due_after = due_dates(&store)?;
    let moved = due_after
        .iter()
        .filter(|(card, due)| due_before.get(card) != Some(due))
        .count();
    Ok((rebuilt, moved))
}

fn due_dates(store: &Store) -> Result<std::collections::HashMap<CardRowId, Millis>> {
    Ok(store
        .all_states()?
        .into_iter()
        .map(|(card, s)| (card, Millis::from(s.due)))
        .collect())
}
