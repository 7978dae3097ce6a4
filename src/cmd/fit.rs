//! `kioku rebuild | optimize | evaluate | simulate`: the scheduler fitted
//! to the learner, measured, and tried out — all by replaying the log.

use super::Context;
use crate::cli::{EvaluateArgs, OptimizeArgs, RebuildArgs, RevlogArgs, SimulateArgs};
use crate::human::thousands;
use crate::revlog;
use crate::scheduler::fit::{self, Dataset, Evaluation, MIN_ITEMS};
use crate::scheduler::{DayClock, Scheduler, DEFAULT_PARAMETERS};
use crate::settings::Settings;
use crate::store::Store;
use crate::types::Phase;
use anyhow::{bail, Result};
use serde_json::json;
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub fn rebuild(args: RebuildArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    ctx.sync_decks(&mut store)?;
    let scheduler = ctx.scheduler(&store.settings()?)?;
    let done = store.rebuild(&scheduler)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&done)?);
    } else {
        println!(
            "replayed {} reviews of {} cards; {} cached states changed",
            thousands(done.reviews),
            thousands(done.cards),
            thousands(done.changed)
        );
    }
    Ok(ExitCode::SUCCESS)
}

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
        if bar && total > 0 {
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
    })?;
    if bar {
        eprintln!();
    }
    let after = fit::evaluate(&fitted, &src.data)?;

    let mut saved = None;
    if !args.dry_run {
        let mut store = match src.store {
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
        saved = Some((rebuilt, moved));
    }

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

fn due_dates(store: &Store) -> Result<std::collections::HashMap<i64, i64>> {
    Ok(store
        .all_states()?
        .into_iter()
        .map(|(card, s)| (card, s.due.timestamp_millis()))
        .collect())
}

pub fn simulate(args: SimulateArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let parameters = fsrs::check_and_fill_parameters(scheduler.parameters())
        .map_err(|e| anyhow::anyhow!("the FSRS parameters are not valid: {e}"))?;
    let clock = scheduler.clock();
    let today = clock.day(ctx.now);
    let active: HashSet<i64> = store.active_card_rows()?;
    let shared = std::sync::Arc::new(parameters.clone());
    let existing: Vec<fsrs::Card> = store
        .all_states()?
        .into_iter()
        .filter(|(row, s)| active.contains(row) && s.phase != Phase::New)
        .filter_map(|(row, s)| {
            let memory = s.memory?;
            let last = clock.day(s.last_review?) - today;
            let due = (clock.day(s.due) - today).max(0);
            Some(fsrs::Card {
                id: row,
                difficulty: memory.difficulty,
                stability: memory.stability,
                last_date: last as f32,
                due: due as f32,
                interval: (due - last).max(1) as f32,
                lapses: s.lapses,
                desired_retention: settings.desired_retention,
                parameters: shared.clone(),
            })
        })
        .collect();
    let deck_size = active.len();
    let (first, review) = rating_mix(&store)?;
    let config = fsrs::SimulatorConfig {
        deck_size,
        learn_span: args.days as usize,
        max_cost_perday: f32::MAX,
        max_ivl: settings.max_interval_days as f32,
        first_rating_prob: first.unwrap_or(fsrs::SimulatorConfig::default().first_rating_prob),
        review_rating_prob: review.unwrap_or(fsrs::SimulatorConfig::default().review_rating_prob),
        learn_limit: settings.new_per_day as usize,
        review_limit: settings.reviews_per_day as usize,
        ..fsrs::SimulatorConfig::default()
    };
    let mut rows = Vec::new();
    for retention in [0.80f32, 0.85, 0.90, 0.95] {
        let cards: Vec<fsrs::Card> = existing
            .iter()
            .cloned()
            .map(|mut c| {
                c.desired_retention = retention;
                c
            })
            .collect();
        let result = fsrs::simulate(
            &config,
            &parameters,
            retention,
            Some(args.seed),
            Some(cards),
        )
        .map_err(|e| anyhow::anyhow!("the simulation failed: {e}"))?;
        let days = f64::from(args.days);
        let reviews: usize = result.review_cnt_per_day.iter().sum();
        let learned: usize = result.learn_cnt_per_day.iter().sum();
        let minutes: f32 = result.cost_per_day.iter().sum::<f32>() / 60.0;
        rows.push(json!({
            "desired_retention": retention,
            "reviews_per_day": reviews as f64 / days,
            "new_per_day": learned as f64 / days,
            "minutes_per_day": f64::from(minutes) / days,
            "remembered_at_end": result.memorized_cnt_per_day.last().copied().unwrap_or(0.0),
        }));
    }
    if args.json {
        let doc = json!({
            "days": args.days,
            "cards": deck_size,
            "studied": existing.len(),
            "decks": synced.len(),
            "current_retention": settings.desired_retention,
            "rating_mix_from_your_reviews": first.is_some(),
            "results": rows,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} days ahead, {} cards ({} studied so far), at most {} new and {} reviews a day:\n",
        args.days,
        thousands(deck_size),
        thousands(existing.len()),
        settings.new_per_day,
        settings.reviews_per_day
    );
    println!(
        "{:<11} {:>13} {:>9} {:>12} {:>16}",
        "retention", "reviews/day", "new/day", "minutes/day", "remembered then"
    );
    for r in &rows {
        let dr = r["desired_retention"].as_f64().unwrap_or(0.0);
        let mark = if (dr - f64::from(settings.desired_retention)).abs() < 0.001 {
            " ← now"
        } else {
            ""
        };
        println!(
            "{:<11} {:>13.1} {:>9.1} {:>12.1} {:>16.0}{mark}",
            format!("{:.0}%", dr * 100.0),
            r["reviews_per_day"].as_f64().unwrap_or(0.0),
            r["new_per_day"].as_f64().unwrap_or(0.0),
            r["minutes_per_day"].as_f64().unwrap_or(0.0),
            r["remembered_at_end"].as_f64().unwrap_or(0.0),
        );
    }
    println!(
        "\nFSRS's simulator, with {}{}. Change it with `kioku config desired_retention 0.85`.",
        if settings.fsrs_parameters.is_empty() {
            "the default parameters (fit your own with `kioku optimize`)"
        } else {
            "your fitted parameters"
        },
        if first.is_some() {
            " and the mix of ratings in your own reviews"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// How the learner rates new cards (again..easy) and remembered reviews
/// (hard..easy), once there are enough reviews to say.
type Mix = (Option<[f32; 4]>, Option<[f32; 3]>);

fn rating_mix(store: &Store) -> Result<Mix> {
    let counts = store.rating_counts()?;
    let first = counts.first.map(|n| n as f32);
    let review = counts.remembered.map(|n| n as f32);
    let norm4 = |a: [f32; 4]| {
        let s: f32 = a.iter().sum();
        (s >= 50.0).then(|| a.map(|x| x / s))
    };
    let norm3 = |a: [f32; 3]| {
        let s: f32 = a.iter().sum();
        (s >= 50.0).then(|| a.map(|x| x / s))
    };
    Ok((norm4(first), norm3(review)))
}
