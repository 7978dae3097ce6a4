//! What each desired retention leads to: the fsrs simulator run at every
//! retention asked for (two at a time on two cores), at the learner's
//! current one, and at the one `fsrs::optimal_retention` finds cheapest
//! per card remembered, each line marked with what it is.

use anyhow::{anyhow, Result};
use serde::Serialize;

/// Two retentions closer than this are the same line.
const SAME: f64 = 0.0005;

/// The simulator set up for the learner's collection: everything but the
/// desired retention, which each run is given.
pub struct Model {
    pub config: fsrs::SimulatorConfig,
    pub parameters: Vec<f32>,
    /// The cards already studied, with their memories.
    pub existing: Vec<fsrs::Card>,
    pub seed: u64,
    pub days: u32,
}

/// What one desired retention leads to, averaged over the days simulated.
/// Fields are in alphabetical order, as `--json` has always printed them.
#[derive(Debug, Serialize)]
pub struct Outlook {
    /// One of the retentions asked for (not a line added for the current
    /// or the optimal retention).
    pub asked: bool,
    /// The learner's desired retention now.
    pub current: bool,
    pub desired_retention: f64,
    pub minutes_per_day: f64,
    pub new_per_day: f64,
    /// The retention `fsrs::optimal_retention` found.
    pub optimal: bool,
    /// Cards expected to be remembered on the last day.
    pub remembered_at_end: f64,
    /// Cards remembered on the last day for each minute of study over the
    /// whole run; none when no time is spent.
    pub remembered_per_minute: Option<f64>,
    pub reviews_per_day: f64,
}

/// The crate's answer to "which retention costs least per card remembered".
#[derive(Debug, Serialize)]
pub struct Optimal {
    /// None when it found none; `problem` then says why.
    pub desired_retention: Option<f64>,
    pub problem: Option<String>,
    /// The range it searches.
    pub searched_from: f64,
    pub searched_to: f64,
}

/// The lowest and highest retention `fsrs::optimal_retention` searches.
pub const SEARCHED: (f64, f64) = (0.70, 0.95);

/// Every line to show, lowest retention first: the retentions asked for,
/// and the current and optimal ones when they are not among them.
pub fn compare(model: &Model, asked: &[f64], current: f64) -> Result<(Vec<Outlook>, Optimal)> {
    let optimal = optimum(model);
    let mut lines: Vec<(f64, bool)> = asked.iter().map(|&r| (r, true)).collect();
    for extra in std::iter::once(current).chain(optimal.desired_retention) {
        if !lines.iter().any(|&(r, _)| (r - extra).abs() < SAME) {
            lines.push((extra, false));
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let retentions: Vec<f64> = lines.iter().map(|&(r, _)| r).collect();
    let mut outlooks = run_all(model, &retentions)?;
    for (o, &(_, asked)) in outlooks.iter_mut().zip(&lines) {
        o.asked = asked;
        o.current = (o.desired_retention - current).abs() < SAME;
        o.optimal = optimal
            .desired_retention
            .is_some_and(|r| (o.desired_retention - r).abs() < SAME);
    }
    Ok((outlooks, optimal))
}

/// One run per retention, spread over the cores; in the order given.
fn run_all(model: &Model, retentions: &[f64]) -> Result<Vec<Outlook>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, retentions.len().max(1));
    let mut done: Vec<(usize, Outlook)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    // Every `threads`-th retention, so that the costly high
                    // retentions are shared out too.
                    (t..retentions.len())
                        .step_by(threads)
                        .map(|i| Ok((i, run_one(model, retentions[i])?)))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a simulation thread panicked"))
            .collect::<Result<Vec<Vec<_>>>>()
    })?
    .into_iter()
    .flatten()
    .collect();
    done.sort_by_key(|&(i, _)| i);
    Ok(done.into_iter().map(|(_, o)| o).collect())
}

/// The simulator at one desired retention, for new and studied cards alike.
fn run_one(model: &Model, retention: f64) -> Result<Outlook> {
    let desired = retention as f32;
    let cards: Vec<fsrs::Card> = model
        .existing
        .iter()
        .cloned()
        .map(|mut c| {
            c.desired_retention = desired;
            c
        })
        .collect();
    let result = fsrs::simulate(
        &model.config,
        &model.parameters,
        desired,
        Some(model.seed),
        Some(cards),
    )
    .map_err(|e| anyhow!("the simulation at {retention} failed: {e}"))?;
    Ok(outlook(retention, &result, model.days))
}

/// One run's totals as daily averages.
fn outlook(retention: f64, result: &fsrs::SimulationResult, days: u32) -> Outlook {
    let days = f64::from(days);
    let reviews: usize = result.review_cnt_per_day.iter().sum();
    let learned: usize = result.learn_cnt_per_day.iter().sum();
    let minutes = f64::from(result.cost_per_day.iter().sum::<f32>()) / 60.0;
    let remembered = f64::from(result.memorized_cnt_per_day.last().copied().unwrap_or(0.0));
    Outlook {
        asked: true,
        current: false,
        desired_retention: retention,
        minutes_per_day: minutes / days,
        new_per_day: learned as f64 / days,
        optimal: false,
        remembered_at_end: remembered,
        remembered_per_minute: (minutes > 0.0).then(|| remembered / minutes),
        reviews_per_day: reviews as f64 / days,
    }
}

/// `fsrs::optimal_retention` with the same simulator: the retention whose
/// study time per card remembered on the last day is lowest, averaged over
/// several seeded runs, to a thousandth.
fn optimum(model: &Model) -> Optimal {
    // The crate keeps each studied card at its own desired retention (the
    // learner's current one) and runs new cards at the one it tries.
    let existing = Some(model.existing.clone());
    let found = fsrs::optimal_retention(&model.config, &model.parameters, |_| true, existing, None);
    let (desired_retention, problem) = match found {
        Ok(r) if r.is_finite() => (Some((f64::from(r) * 1000.0).round() / 1000.0), None),
        Ok(r) => (None, Some(format!("FSRS returned {r}, not a retention"))),
        Err(e) => (None, Some(format!("FSRS found none: {e}"))),
    };
    Optimal {
        desired_retention,
        problem,
        searched_from: SEARCHED.0,
        searched_to: SEARCHED.1,
    }
}
