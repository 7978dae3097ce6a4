//! `kioku simulate`: the fsrs simulator run on the learner's collection at
//! each desired retention asked for, beside the current one and the one
//! FSRS finds cheapest per card remembered; a table, a chart or JSON. It
//! reads the database and writes nothing. The runs are in `outlook.rs`,
//! the table in `table.rs`, the chart in `chart.rs`.

mod chart;
mod outlook;
mod table;

use super::Context;
use crate::cli::SimulateArgs;
use crate::scheduler::Scheduler;
use crate::settings::Settings;
use crate::store::Store;
use crate::types::{CardRowId, Phase};
use anyhow::Result;
use outlook::{Model, Optimal, Outlook};
use serde::Serialize;
use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::Arc;

/// One comparison, the JSON, the table and the chart all drawn from it.
/// Fields are in alphabetical order, the order `--json` has always printed
/// them in.
#[derive(Debug, Serialize)]
struct Simulation {
    /// Active cards in the collection.
    cards: usize,
    current_retention: f64,
    days: u32,
    decks: usize,
    optimal: Optimal,
    rating_mix_from_your_reviews: bool,
    /// One line per retention, lowest first.
    results: Vec<Outlook>,
    /// The retentions asked for, as `--retention` gave them.
    retentions: Asked,
    /// Active cards reviewed at least once.
    studied: usize,
}

/// `--retention` as read: a range and its step (one retention is a range
/// that starts where it ends).
#[derive(Debug, Serialize)]
struct Asked {
    from: f64,
    step: f64,
    to: f64,
}

pub fn run(args: SimulateArgs, ctx: &Context) -> Result<ExitCode> {
    let mut store = ctx.open_store()?;
    let synced = ctx.sync_decks(&mut store)?;
    let settings = store.settings()?;
    let scheduler = ctx.scheduler(&settings)?;
    let parameters = fsrs::check_and_fill_parameters(scheduler.parameters())
        .map_err(|e| anyhow::anyhow!("the FSRS parameters are not valid: {e}"))?;
    let active: HashSet<CardRowId> = store.active_card_rows()?;
    if active.is_empty() {
        anyhow::bail!(
            "there are no cards to simulate: the decks in use have none \
             (`kioku decks` lists them)"
        );
    }
    let existing = studied_cards(&store, &active, &scheduler, &settings, &parameters, ctx)?;
    let (first, review) = rating_mix(&store)?;
    let studied = existing.len();
    let model = Model {
        config: simulator_config(&settings, active.len(), args.days, (first, review)),
        parameters,
        existing,
        seed: args.seed,
        days: args.days,
    };
    // As the learner set it (0.9, not the f32's 0.8999999761581421).
    let current = (f64::from(settings.desired_retention) * 10_000.0).round() / 10_000.0;
    let (results, optimal) = outlook::compare(&model, &args.retention.points(), current)?;
    let simulation = Simulation {
        cards: active.len(),
        current_retention: current,
        days: args.days,
        decks: synced.len(),
        optimal,
        rating_mix_from_your_reviews: first.is_some(),
        results,
        retentions: Asked {
            from: args.retention.from,
            step: args.retention.step,
            to: args.retention.to,
        },
        studied,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&simulation)?);
        return Ok(ExitCode::SUCCESS);
    }
    table::print(&simulation, &settings);
    if args.chart {
        print!("\n{}", chart::draw(&simulation.results, simulation.days));
    }
    Ok(ExitCode::SUCCESS)
}

/// The simulator's settings: the collection's size, the learner's limits
/// and, when there are enough reviews to say, their mix of ratings.
fn simulator_config(
    settings: &Settings,
    cards: usize,
    days: u32,
    (first, review): Mix,
) -> fsrs::SimulatorConfig {
    let default = fsrs::SimulatorConfig::default();
    fsrs::SimulatorConfig {
        deck_size: cards,
        learn_span: days as usize,
        max_cost_perday: f32::MAX,
        max_ivl: settings.max_interval_days as f32,
        first_rating_prob: first.unwrap_or(default.first_rating_prob),
        review_rating_prob: review.unwrap_or(default.review_rating_prob),
        learn_limit: settings.new_per_day as usize,
        review_limit: settings.reviews_per_day as usize,
        ..default
    }
}

/// The active cards already studied, as the simulator takes them: days
/// counted from today, each with its memory.
fn studied_cards(
    store: &Store,
    active: &HashSet<CardRowId>,
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
                id: row.0,
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
