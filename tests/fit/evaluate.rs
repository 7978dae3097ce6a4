//! `kioku evaluate`'s out-of-sample figures and health verdict, and the
//! `optimize_from` setting both `evaluate` and `optimize` read.

use super::import_a_better_learner;
use crate::common::Env;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A log FSRS cannot learn: each card is forgotten a day after it was
/// remembered and remembered a month after it was forgotten.
fn contrary_log(cards: usize) -> String {
    let start = Utc.with_ymd_and_hms(2025, 1, 6, 9, 0, 0).unwrap();
    let mut rows: Vec<(DateTime<Utc>, String)> = Vec::new();
    for card in 0..cards {
        let mut at = start + Duration::hours(card as i64 * 7);
        for n in 0..8 {
            let rating = if n % 2 == 0 { 3 } else { 1 };
            rows.push((at, format!("{card},{rating},{},5000", at.to_rfc3339())));
            at += Duration::days(if rating == 3 { 1 } else { 30 });
        }
    }
    rows.sort();
    let mut out = String::from("card_id,review_rating,review_time,review_duration\n");
    for (_, line) in rows {
        writeln!(out, "{line}").unwrap();
    }
    out
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn evaluate_leads_with_out_of_sample_figures_that_agree_with_the_crate() {
    let mut env = Env::new(&[]);
    import_a_better_learner(&mut env);
    let e = env.json(&["evaluate", "--json"]);
    let o = &e["out_of_sample"];
    let (ours, theirs) = (f(&o["fitted"]["log_loss"]), f(&o["crate_log_loss"]));
    assert!((ours - theirs).abs() < 0.002, "log loss {ours} vs {theirs}");
    let (ours, theirs) = (f(&o["fitted"]["rmse_bins"]), f(&o["crate_rmse_bins"]));
    assert!(
        (ours - theirs).abs() < 0.002,
        "RMSE(bins) {ours} vs {theirs}"
    );
    let items = e["predictions"].as_u64().unwrap();
    assert_eq!(o["predictions"].as_u64().unwrap(), items - items / 6);
    assert_eq!(o["splits"], 5);
    assert!(f(&o["fitted"]["auc"]) > 0.5, "{o}");
    // This learner remembers better than the average one the defaults
    // describe, and fitting to earlier reviews sees it.
    assert!(
        f(&o["fitted"]["log_loss"]) < f(&o["default"]["log_loss"]),
        "{o}"
    );
    assert!(items > 300, "enough for the health check: {items}");
    assert_eq!(e["health"]["verdict"], "good", "{}", e["health"]);
    assert!(e["out_of_sample_error"].is_null());

    let text = env.ok(&["evaluate"]);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in\n{text}"))
    };
    assert!(at("Out of sample: FSRS-6 fitted 5 times") < at("In sample (flatters a fit"));
    assert!(at("fitted to earlier") < at("In sample"));
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("Health: good: out-of-sample log loss "),
        "{last}"
    );
    assert!(last.contains("past 1.11× and 1.53× both"), "{last}");
    assert!(!text.contains("What usually helps"), "{text}");
}

#[test]
fn a_poor_fit_is_called_poor_with_advice() {
    let env = Env::new(&[]);
    let csv = env.dir.path().join("contrary.csv");
    std::fs::write(&csv, contrary_log(60)).unwrap();
    let file = csv.to_str().unwrap();
    let e = env.json(&["evaluate", "--revlog", file, "--json"]);
    let h = &e["health"];
    assert_eq!(h["verdict"], "poor", "{e}");
    assert!(
        f(&h["log_loss_ratio"]) > 1.11 && f(&h["rmse_ratio"]) > 1.53,
        "{h}"
    );
    assert!((f(&h["recall"]) - 3.0 / 7.0).abs() < 1e-9, "{h}");

    let text = env.ok(&["evaluate", "--revlog", file]);
    assert!(
        text.contains(
            "Health: poor: FSRS finds your memory hard to predict: out-of-sample log loss"
        ),
        "{text}"
    );
    for advice in [
        "What usually helps:",
        "  - More reviews. 420 predictions is little to learn from",
        "  - Press Again whenever you forgot: Hard, Good and Easy all count as remembered",
        "  - Answer cards when they are due",
    ] {
        assert!(text.contains(advice), "{advice:?} in\n{text}");
    }
}

#[test]
fn too_few_reviews_are_not_split_or_judged() {
    let env = Env::new(&[]);
    let csv = env.dir.path().join("log.csv");
    let file = csv.to_str().unwrap();
    std::fs::write(
        &csv,
        "card_id,review_rating,review_time,review_duration\n\
         1,3,2025-01-01T10:00:00Z,1000\n\
         1,3,2025-01-03T10:00:00Z,1000\n\
         1,1,2025-01-09T10:00:00Z,1000\n",
    )
    .unwrap();
    let e = env.json(&["evaluate", "--revlog", file, "--json"]);
    assert!(e["out_of_sample"].is_null() && e["health"].is_null(), "{e}");
    assert_eq!(
        e["out_of_sample_error"],
        "2 predictions are too few to split by time: at least 6 are needed"
    );
    let text = env.ok(&["evaluate", "--revlog", file]);
    assert!(
        text.contains("Out of sample: not measured: 2 predictions are too few to split by time"),
        "{text}"
    );
    assert!(text.contains("Health: not judged: it needs the out-of-sample figures."));

    // Enough to split, too few for Anki's check.
    std::fs::write(&csv, contrary_log(20)).unwrap();
    let text = env.ok(&["evaluate", "--revlog", file]);
    assert!(
        text.contains("Out of sample: FSRS-6 fitted 5 times"),
        "{text}"
    );
    assert!(
        text.contains("Health: not judged: 140 predictions, and Anki's check needs more than 300."),
        "{text}"
    );
}

/// The cards of the learner's log first reviewed before `cutoff`, and their reviews.
fn first_reviewed_before(env: &Env, cutoff: DateTime<Utc>) -> (usize, usize) {
    let csv = std::fs::read_to_string(env.dir.path().join("learner.csv")).unwrap();
    let mut cards: BTreeMap<String, (DateTime<Utc>, usize)> = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let at = DateTime::parse_from_rfc3339(cells[2]).unwrap().to_utc();
        let entry = cards.entry(cells[0].to_string()).or_insert((at, 0));
        entry.0 = entry.0.min(at);
        entry.1 += 1;
    }
    let early: Vec<usize> = cards
        .values()
        .filter(|(first, _)| *first < cutoff)
        .map(|(_, n)| *n)
        .collect();
    (early.len(), early.iter().sum())
}

#[test]
fn optimize_from_is_checked_and_leaves_out_cards_first_reviewed_before_it() {
    let mut env = Env::new(&[]);
    import_a_better_learner(&mut env);
    let all = env.json(&["evaluate", "--json"]);
    assert!(all["optimize_from"].is_null());

    for (bad, says) in [
        ("2025-13-01", "optimize_from: `2025-13-01` is not a day of the calendar"),
        (
            "20/01/2025",
            "optimize_from: `20/01/2025` is not a day written YYYY-MM-DD, like 2025-03-01 (or none)",
        ),
    ] {
        let (code, _, err) = env.run(&["config", "optimize_from", bad], "");
        assert_eq!(code, 1, "{bad}");
        assert!(err.contains(says), "{err}");
    }
    assert_eq!(env.ok(&["config", "optimize_from"]).trim(), "none");
    let set = env.ok(&["config", "optimize_from", "2025-01-20"]);
    assert_eq!(set.trim(), "optimize_from = 2025-01-20");

    // The day starts at 04:00 (the rollover) in the learner's UTC.
    let cutoff = Utc.with_ymd_and_hms(2025, 1, 20, 4, 0, 0).unwrap();
    let (cards, reviews) = first_reviewed_before(&env, cutoff);
    assert!(
        cards > 10 && cards < 90,
        "the day splits the cards: {cards}"
    );
    let e = env.json(&["evaluate", "--json"]);
    assert_eq!(e["optimize_from"]["from"], "2025-01-20");
    assert_eq!(e["optimize_from"]["cards_left_out"], cards);
    assert_eq!(e["optimize_from"]["reviews_left_out"], reviews);
    let count = |v: &serde_json::Value, key: &str| v[key].as_u64().unwrap() as usize;
    assert_eq!(count(&e, "cards") + cards, count(&all, "cards"));
    assert_eq!(count(&e, "reviews") + reviews, count(&all, "reviews"));
    assert!(count(&e, "predictions") < count(&all, "predictions"));
    let text = env.ok(&["evaluate"]);
    assert!(
        text.contains(&format!(
            "cards first reviewed from 2025-01-20 on (optimize_from): {cards} cards with {reviews} reviews before it left out"
        )),
        "{text}"
    );

    // optimize reads the same reviews.
    let o = env.json(&["optimize", "--dry-run", "--json"]);
    assert_eq!(count(&o, "predictions"), count(&e, "predictions"));
    assert_eq!(o["optimize_from"]["cards_left_out"], cards);

    env.ok(&["config", "optimize_from", "none"]);
    let again = env.json(&["evaluate", "--json"]);
    assert_eq!(count(&again, "predictions"), count(&all, "predictions"));
}
