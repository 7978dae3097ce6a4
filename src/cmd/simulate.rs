//! `kioku simulate`: the fsrs simulator run on the learner's collection at
//! four desired retentions. It reads the database and writes nothing.

use super::Context;
use crate::cli::SimulateArgs;
use crate::human::thousands;
use crate::scheduler::Scheduler;
use crate::settings::Settings;
use crate::store::Store;
use crate::types::Phase;
use anyhow::Result;
use serde::Serialize;
use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::Arc;

/// The desired retentions the simulator is run at.
const RETENTIONS: [f32; 4] = [0.80, 0.85, 0.90, 0.95];

/// One simulation run, the JSON and the table both drawn from it. Fields
/// are in alphabetical order, the order `--json` has always printed them in.
#[derive(Debug, Serialize)]
struct Simulation {
    /// Active cards in the collection.
    cards: usize,
    current_retention: f64,
    days: u32,
    decks: usize,
    rating_mix_from_your_reviews: bool,
    results: Vec<Outlook>,
    /// Active cards reviewed at least once.
    studied: usize,
}

/// What one desired retention leads to, averaged over the days simulated.
#[derive(Debug, Serialize)]
struct Outlook {
    desired_retention: f64,
    minutes_per_day: f64,
    new_per_day: f64,
    /// Cards expected to be remembered on the last day.
    remembered_at_end: f64,
    reviews_per_day: f64,
}

pub fn run(args: SimulateArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let parameters = fsrs::check_and_fill_parameters(scheduler.parameters())
        .map_err(|e| anyhow::anyhow!("the FSRS parameters are not valid: {e}"))?;
    let active: HashSet<i64> = store.active_card_rows()?;
    let existing = studied_cards(&store, &active, &scheduler, &settings, &parameters, ctx)?;
    let (first, review) = rating_mix(&store)?;
    let config = fsrs::SimulatorConfig {
        deck_size: active.len(),
        learn_span: args.days as usize,
        max_cost_perday: f32::MAX,
        max_ivl: settings.max_interval_days as f32,
        first_rating_prob: first.unwrap_or(fsrs::SimulatorConfig::default().first_rating_prob),
        review_rating_prob: review.unwrap_or(fsrs::SimulatorConfig::default().review_rating_prob),
        learn_limit: settings.new_per_day as usize,
        review_limit: settings.reviews_per_day as usize,
        ..fsrs::SimulatorConfig::default()
    };
    let mut results = Vec::new();
    for retention in RETENTIONS {
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
        results.push(outlook(retention, &result, args.days));
    }
    let simulation = Simulation {
        cards: active.len(),
        current_retention: f64::from(settings.desired_retention),
        days: args.days,
        decks: synced.len(),
        rating_mix_from_your_reviews: first.is_some(),
        results,
        studied: existing.len(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&simulation)?);
    } else {
        print_table(&simulation, &settings);
    }
    Ok(ExitCode::SUCCESS)
}

/// The active cards already studied, as the simulator takes them: days
/// counted from today, each with its memory.
fn studied_cards(
    store: &Store,
    active: &HashSet<i64>,
    scheduler: &Scheduler,
    settings: &Settings,
    parameters: &[f32],
    ctx: &Context,
) -> Result<Vec<fsrs::Card>> {
    let clock = scheduler.clock();
    let today = clock.day(ctx.now);
    let shared = Arc::new(parameters.to_vec());
    Ok(store
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
        .collect())
}

/// One run's totals as daily averages.
fn outlook(retention: f32, result: &fsrs::SimulationResult, days: u32) -> Outlook {
    let days = f64::from(days);
    let reviews: usize = result.review_cnt_per_day.iter().sum();
    let learned: usize = result.learn_cnt_per_day.iter().sum();
    let minutes: f32 = result.cost_per_day.iter().sum::<f32>() / 60.0;
    Outlook {
        desired_retention: f64::from(retention),
        minutes_per_day: f64::from(minutes) / days,
        new_per_day: learned as f64 / days,
        remembered_at_end: f64::from(result.memorized_cnt_per_day.last().copied().unwrap_or(0.0)),
        reviews_per_day: reviews as f64 / days,
    }
}

/// The simulation as a table, the current retention marked.
fn print_table(sim: &Simulation, settings: &Settings) {
    println!(
        "{} days ahead, {} cards ({} studied so far), at most {} new and {} reviews a day:\n",
        sim.days,
        thousands(sim.cards),
        thousands(sim.studied),
        settings.new_per_day,
        settings.reviews_per_day
    );
    println!(
        "{:<11} {:>13} {:>9} {:>12} {:>16}",
        "retention", "reviews/day", "new/day", "minutes/day", "remembered then"
    );
    for r in &sim.results {
        let mark = if (r.desired_retention - sim.current_retention).abs() < 0.001 {
            " ← now"
        } else {
            ""
        };
        println!(
            "{:<11} {:>13.1} {:>9.1} {:>12.1} {:>16.0}{mark}",
            format!("{:.0}%", r.desired_retention * 100.0),
            r.reviews_per_day,
            r.new_per_day,
            r.minutes_per_day,
            r.remembered_at_end,
        );
    }
    println!(
        "\nFSRS's simulator, with {}{}. Change it with `kioku config desired_retention 0.85`.",
        if settings.fsrs_parameters.is_empty() {
            "the default parameters (fit your own with `kioku optimize`)"
        } else {
            "your fitted parameters"
        },
        if sim.rating_mix_from_your_reviews {
            " and the mix of ratings in your own reviews"
        } else {
            ""
        }
    );
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
