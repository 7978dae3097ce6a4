//! `kioku simulate`: the fsrs simulator run on the learner's collection at
//! four desired retentions. It reads the database and writes nothing.

use super::Context;
use crate::cli::SimulateArgs;
use crate::human::thousands;
use crate::store::Store;
use crate::types::Phase;
use anyhow::Result;
use serde_json::json;
use std::collections::HashSet;
use std::process::ExitCode;

pub fn run(args: SimulateArgs, ctx: &Context) -> Result<ExitCode> {
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
