//! `kioku simulate` through the binary: `--retention` read or refused with
//! the reason, the current and optimal retentions marked, the JSON's shape
//! and sense, and `--chart` within 80 columns. A few simulated days each,
//! so that a debug build stays quick.

use crate::common::Env;
use serde_json::Value;

/// A new collection of the built-in decks, nothing studied yet.
fn fresh() -> Env {
    Env::new(&[])
}

/// The lines of a `--json` run, lowest retention first.
fn results(sim: &Value) -> &Vec<Value> {
    sim["results"].as_array().expect("results is a list")
}

/// One number of a line.
fn num(line: &Value, key: &str) -> f64 {
    line[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is a number in {line}"))
}

/// The lines that were asked for (not added for the current or the
/// optimal retention).
fn asked(sim: &Value) -> Vec<&Value> {
    results(sim)
        .iter()
        .filter(|l| l["asked"].as_bool().unwrap())
        .collect()
}

#[test]
fn a_retention_range_that_cannot_be_simulated_is_refused_with_the_reason() {
    let env = fresh();
    for (value, says) in [
        ("0.5..0.9", "the range's start 0.5 is outside 0.70..0.99"),
        ("0.70..1", "the range's end 1 is outside 0.70..0.99"),
        ("0.95..0.80", "write the lower retention first, 0.80..0.95"),
        ("0.9..0.9", "for one retention write just 0.9"),
        ("0.80..0.90/0", "the step 0 must be more than 0"),
        ("0.80..0.90/0.001", "the step 0.001 is finer than 0.01"),
        (
            "0.80..0.90/0.5",
            "the step 0.5 is wider than the range itself (0.10)",
        ),
        ("0.9/0.05", "a step needs a range before it"),
        (
            "85",
            "looks like a percentage; write it as a fraction, 0.85",
        ),
        ("high", "the retention \"high\" is not a number"),
    ] {
        let (code, out, err) = env.run(&["simulate", "--retention", value], "");
        assert_eq!(code, 2, "{value}: {out}{err}");
        assert!(
            err.contains(&format!(
                "invalid value '{value}' for '--retention <RANGE>'"
            )),
            "{value}: {err}"
        );
        assert!(err.contains(says), "{value}: {err}");
        assert!(out.is_empty(), "{value}: {out}");
    }
    assert!(!env.db.exists(), "nothing is opened for a refused flag");
    let (code, _, err) = env.run(&["simulate", "--chart", "--json"], "");
    assert_eq!(code, 2);
    assert!(
        err.contains("'--chart' cannot be used with '--json'"),
        "{err}"
    );
}

#[test]
fn by_default_every_hundredth_from_70_to_99_percent_is_simulated() {
    let env = fresh();
    let sim = env.json(&["simulate", "--days", "5", "--json"]);
    let asked: Vec<f64> = asked(&sim)
        .iter()
        .map(|l| num(l, "desired_retention"))
        .collect();
    let expected: Vec<f64> = (70..=99).map(|p| f64::from(p) / 100.0).collect();
    assert_eq!(asked.len(), expected.len(), "{asked:?}");
    for (a, e) in asked.iter().zip(&expected) {
        assert!((a - e).abs() < 1e-9, "{asked:?}");
    }
    assert_eq!(sim["retentions"]["from"], 0.7);
    assert_eq!(sim["retentions"]["to"], 0.99);
    assert_eq!(sim["retentions"]["step"], 0.01);
}

#[test]
fn the_json_rises_with_retention_and_adds_up() {
    let env = fresh();
    let sim = env.json(&[
        "simulate",
        "--days",
        "10",
        "--retention",
        "0.70..0.95/0.05",
        "--json",
    ]);
    assert_eq!(sim["days"], 10);
    assert_eq!(sim["studied"], 0);
    assert!(sim["cards"].as_u64().unwrap() > 100, "{sim}");
    let lines = asked(&sim);
    let retentions: Vec<f64> = lines.iter().map(|l| num(l, "desired_retention")).collect();
    assert_eq!(retentions.len(), 6, "{retentions:?}");
    let reviews: Vec<f64> = lines.iter().map(|l| num(l, "reviews_per_day")).collect();
    let minutes: Vec<f64> = lines.iter().map(|l| num(l, "minutes_per_day")).collect();
    let remembered: Vec<f64> = lines.iter().map(|l| num(l, "remembered_at_end")).collect();
    for i in 1..lines.len() {
        assert!(
            reviews[i] > reviews[i - 1],
            "more recall, more reviews: {reviews:?}"
        );
        assert!(
            minutes[i] > minutes[i - 1],
            "more recall, more time: {minutes:?}"
        );
        // One seeded run a line: a step may wobble, never by much.
        assert!(
            remembered[i] > remembered[i - 1] * 0.98,
            "more recall, more remembered: {remembered:?}"
        );
    }
    assert!(remembered[5] > remembered[0], "{remembered:?}");
    for line in results(&sim) {
        let per_minute = num(line, "remembered_per_minute");
        let total_minutes = num(line, "minutes_per_day") * 10.0;
        let expected = num(line, "remembered_at_end") / total_minutes;
        assert!(
            (per_minute - expected).abs() < 1e-6 * expected.max(1.0),
            "{line}"
        );
        assert!(num(line, "new_per_day") > 0.0, "{line}");
    }
    check_marks(&sim);
}

/// Exactly one line is the current retention and, when FSRS found one,
/// exactly one the optimal; the lines run lowest first.
fn check_marks(sim: &Value) {
    let lines = results(sim);
    let current = num(sim, "current_retention");
    let now: Vec<&Value> = lines.iter().filter(|l| l["current"] == true).collect();
    assert_eq!(now.len(), 1, "{sim}");
    assert!((num(now[0], "desired_retention") - current).abs() < 1e-6);
    let optimal = &sim["optimal"];
    assert_eq!(optimal["searched_from"], 0.7);
    assert_eq!(optimal["searched_to"], 0.95);
    let best: Vec<&Value> = lines.iter().filter(|l| l["optimal"] == true).collect();
    match optimal["desired_retention"].as_f64() {
        Some(r) => {
            assert!((0.7..=0.95).contains(&r), "{optimal}");
            assert_eq!(best.len(), 1, "{sim}");
            assert!((num(best[0], "desired_retention") - r).abs() < 1e-6);
            assert!(optimal["problem"].is_null());
        }
        None => {
            assert!(best.is_empty(), "{sim}");
            assert!(optimal["problem"].is_string(), "{optimal}");
        }
    }
    let all: Vec<f64> = lines.iter().map(|l| num(l, "desired_retention")).collect();
    assert!(all.windows(2).all(|w| w[0] < w[1]), "{all:?}");
}

#[test]
fn the_current_and_optimal_retentions_get_lines_of_their_own() {
    let env = fresh();
    env.ok(&["config", "desired_retention", "0.875"]);
    let sim = env.json(&["simulate", "--days", "5", "--retention", "0.8", "--json"]);
    check_marks(&sim);
    let lines = results(&sim);
    let asked = asked(&sim);
    assert_eq!(asked.len(), 1);
    assert!((num(asked[0], "desired_retention") - 0.8).abs() < 1e-9);
    let now = lines.iter().find(|l| l["current"] == true).unwrap();
    assert_eq!(now["asked"], false);
    assert!(
        (num(now, "desired_retention") - 0.875).abs() < 1e-6,
        "{now}"
    );
    let text = env.ok(&["simulate", "--days", "5", "--retention", "0.8"]);
    let now_line = text.lines().find(|l| l.contains("← now")).unwrap_or("");
    assert!(now_line.starts_with("87.5%"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("80% ")), "{text}");
}

#[test]
fn the_table_marks_now_and_optimal_and_says_what_they_mean() {
    let env = fresh();
    let text = env.ok(&["simulate", "--days", "5", "--retention", "0.80..0.95/0.05"]);
    let line = |mark: &str| {
        text.lines()
            .find(|l| l.contains(mark))
            .unwrap_or_else(|| panic!("no {mark} in\n{text}"))
            .to_string()
    };
    assert!(line("← now").starts_with("90% "), "{text}");
    assert!(line("← optimal").contains('%'), "{text}");
    assert!(
        text.contains("retention  reviews/day  new/day  min/day  remembered  per min"),
        "{text}"
    );
    assert!(text.contains("optimal: "), "{text}");
    assert!(text.contains("kioku config desired_retention"), "{text}");
    assert!(!text.contains('▁'), "no chart without --chart");
    for l in text.lines() {
        assert!(l.chars().count() <= 80, "{l:?} is wider than 80 columns");
    }
}

#[test]
fn the_chart_is_drawn_within_80_columns() {
    let env = fresh();
    for range in ["0.70..0.99", "0.85..0.9/0.05", "0.9"] {
        let text = env.ok(&["simulate", "--days", "5", "--retention", range, "--chart"]);
        let chart = &text[text.find("minutes of study a day").expect(&text)..];
        for l in chart.lines() {
            assert!(
                l.chars().count() <= 80,
                "{range}: {l:?} is wider than 80 columns"
            );
        }
        assert!(chart.contains("cards remembered on day 5"), "{chart}");
        assert!(chart.contains('█') && chart.contains('└'), "{chart}");
        assert!(
            chart.contains("▲ now: 90%") || chart.contains("◆ now: 90%"),
            "{chart}"
        );
        assert!(chart.contains("◆ optimal: "), "{chart}");
        // The bars stand on the axis: as many bar columns as axis columns.
        let axis = chart.lines().find(|l| l.contains('└')).unwrap();
        let bottom = chart
            .lines()
            .take_while(|l| !l.contains('└'))
            .last()
            .unwrap();
        let bars = bottom.chars().skip_while(|&c| c != '┤').skip(1).count();
        let width = axis.chars().skip_while(|&c| c != '└').skip(1).count();
        assert_eq!(bars, width, "{range}:\n{chart}");
    }
}

#[test]
fn a_collection_without_cards_is_refused_plainly() {
    let mut env = fresh();
    let empty = env.dir.path().join("no-decks");
    std::fs::create_dir_all(&empty).unwrap();
    env.decks = vec![empty];
    let (code, out, err) = env.run(&["simulate", "--days", "5"], "");
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("there are no cards to simulate"), "{err}");
}
