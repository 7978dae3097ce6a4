//! `kioku simulate`'s table: one line per retention, the current one and
//! the one FSRS finds cheapest per card remembered marked, and what the
//! columns mean.

use super::outlook::{Optimal, Outlook};
use super::Simulation;
use crate::human::thousands;
use crate::settings::Settings;
use crate::text;

/// The notes are wrapped to this many columns.
const WIDTH: usize = 78;

/// The table, its marks and its notes, on standard output.
pub fn print(sim: &Simulation, settings: &Settings) {
    let head = format!(
        "{} days ahead, {} cards ({} studied so far), at most {} new and {} reviews a day:",
        sim.days,
        thousands(sim.cards),
        thousands(sim.studied),
        settings.new_per_day,
        settings.reviews_per_day
    );
    println!("{}\n", text::wrap(&head, WIDTH, ""));
    println!(
        "{:<9}  {:>11}  {:>7}  {:>7}  {:>10}  {:>7}",
        "retention", "reviews/day", "new/day", "min/day", "remembered", "per min"
    );
    for r in &sim.results {
        println!(
            "{:<9}  {:>11.1}  {:>7.1}  {:>7.1}  {:>10}  {:>7}{}",
            percent(r.desired_retention),
            r.reviews_per_day,
            r.new_per_day,
            r.minutes_per_day,
            thousands(r.remembered_at_end.round() as usize),
            r.remembered_per_minute
                .map_or("-".to_string(), |m| format!("{m:.2}")),
            marks(r),
        );
    }
    print_notes(sim, settings);
}

/// A retention as a percentage, with a decimal only when it has one.
pub fn percent(retention: f64) -> String {
    let p = retention * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// What a line is, beyond a retention asked for.
fn marks(r: &Outlook) -> &'static str {
    match (r.current, r.optimal) {
        (true, true) => "  ← now, optimal",
        (true, false) => "  ← now",
        (false, true) => "  ← optimal",
        (false, false) => "",
    }
}

/// What the columns and the marks mean, and where the figures come from.
fn print_notes(sim: &Simulation, settings: &Settings) {
    let mut notes = format!(
        "remembered: the cards you would recall on day {} if asked them all; \
         per min: those cards for each minute of study over the {} days.\n",
        sim.days, sim.days
    );
    notes.push_str(&optimal_note(&sim.optimal));
    notes.push_str(&format!(
        "\nFSRS's simulator, with {}{}.",
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
    ));
    println!("\n{}", text::wrap(&notes, WIDTH, ""));
}

/// What `← optimal` means, or why no line has it.
fn optimal_note(optimal: &Optimal) -> String {
    let (from, to) = (percent(optimal.searched_from), percent(optimal.searched_to));
    let Some(r) = optimal.desired_retention else {
        return format!(
            "optimal: FSRS found no retention between {from} and {to} that costs least \
             per card remembered ({}).",
            optimal.problem.as_deref().unwrap_or("no reason given")
        );
    };
    let edge = if (r - optimal.searched_from).abs() < 0.001 {
        " That is the lowest it tries: a lower retention might cost less still."
    } else if (r - optimal.searched_to).abs() < 0.001 {
        " That is the highest it tries: a higher retention might cost less still."
    } else {
        ""
    };
    format!(
        "optimal: {}, where FSRS finds the least study time per card remembered on \
         the last day, searching {from} to {to} over several runs with the cards you \
         studied kept at your retention now.{edge} Set it with \
         `kioku config desired_retention {r}`.",
        percent(r)
    )
}
