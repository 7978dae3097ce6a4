//! Statistics through the real binary after scripted days of study and two
//! quizzes: the JSON agrees with what the database and the CSV export say,
//! the printed dashboard shows every chart, and the HTML report is whole.

use crate::common::{cards_in, drive_correctly, study_correctly, Env};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use kioku::scheduler::{CardState, DayClock};
use kioku::stats::{
    compute, starts_from_reviews, CardRow, CardTally, LogSummary, QuizRow, ReviewRow, StatsInput,
};
use kioku::types::{CardRowId, Phase, Rating, SessionId, Verdict};
use std::collections::BTreeMap;

const MINI: &str = "tests/fixtures/mini";

/// Three days of study (the 2nd, 3rd and 9th of March) and two quizzes.
fn scripted() -> Env {
    let mut env = Env::new(&[MINI]);
    let cards = cards_in(MINI);
    for day in [
        "2026-03-02T09:00:00+00:00",
        "2026-03-03T09:00:00+00:00",
        "2026-03-09T09:00:00+00:00",
    ] {
        env.at(day);
        study_correctly(&env, &cards, &["--seed", "2"]);
    }
    env.at("2026-03-09T10:00:00+00:00");
    drive_correctly(&env, &cards, &["quiz", "--count", "4", "--seed", "1"]);
    let (code, _, _) = env.run(&["quiz", "--count", "4", "--seed", "2"], "\n\n\n\n\n\n\n\n");
    assert_eq!(code, 0);
    env
}

#[test]
fn stats_agree_with_the_log() {
    let env = scripted();
    let v = env.json(&["stats", "--json", "--days", "10"]);
    assert_eq!(v["period_days"], 10);
    assert_eq!(v["days"].as_array().unwrap().len(), 10);
    let per_day = reviews_per_day_in_the_export(&env);
    assert_days_and_streak(&v, &per_day);
    // Every answer was right, so accuracy is 100% every week.
    for w in v["weeks"].as_array().unwrap() {
        assert_eq!(w["accuracy"], 1.0, "{w}");
    }
    // The true retention of the 3rd: reviews of learnt cards, all remembered.
    let young: u64 = v["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["young_reviews"].as_u64().unwrap())
        .sum();
    assert!(young > 0);
    assert_phases_and_forecast_agree_with_decks(&env, &v);
    assert_mastery_and_quizzes(&v);
}

/// Reviews per day, from the CSV export (whose rows are checked on the way).
fn reviews_per_day_in_the_export(env: &Env) -> BTreeMap<String, u64> {
    let csv = env.ok(&["history", "--csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("card_id,review_rating,review_time,review_duration,deck,card,due")
    );
    let mut per_day: BTreeMap<String, u64> = BTreeMap::new();
    let mut rows = 0;
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        assert_eq!(cols.len(), 7, "{line}");
        assert!((1..=4).contains(&cols[1].parse::<u32>().unwrap()));
        assert!(cols[2].ends_with("+00:00") && cols[2].len() == 29, "{line}");
        assert_eq!(cols[4], "mini");
        // UTC times, rollover 04:00 at offset 0: before 04:00 belongs to the day before.
        *per_day.entry(cols[2][..10].to_string()).or_default() += 1;
        rows += 1;
    }
    assert_eq!(rows, env.review_count());
    per_day
}

/// The days with reviews are those of the export, and today and the streak
/// follow from them.
fn assert_days_and_streak(v: &serde_json::Value, per_day: &BTreeMap<String, u64>) {
    let days: BTreeMap<String, u64> = v["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["reviews"] != 0)
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_string(),
                d["reviews"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(days, *per_day);
    assert_eq!(
        days.keys().cloned().collect::<Vec<_>>(),
        ["2026-03-02", "2026-03-03", "2026-03-09"]
    );
    // Today and the streak: studied on the 9th only; the longest run was the 2nd and 3rd.
    assert_eq!(v["today"]["date"], "2026-03-09");
    assert_eq!(v["today"]["reviews"], per_day["2026-03-09"]);
    assert_eq!(v["streak"]["current"], 1);
    assert_eq!(v["streak"]["longest"], 2);
}

/// Phases and the forecast agree with `decks`.
fn assert_phases_and_forecast_agree_with_decks(env: &Env, v: &serde_json::Value) {
    let d = env.json(&["decks", "--json"]);
    assert_eq!(v["phases"]["new"], d["decks"][0]["new"]);
    let studied = d["decks"][0]["cards"].as_u64().unwrap() - d["decks"][0]["new"].as_u64().unwrap();
    let forecast: u64 = v["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(v["forecast"].as_array().unwrap().len(), 30);
    assert!(
        forecast <= studied && forecast > 0,
        "{forecast} of {studied}"
    );
    assert_eq!(
        v["forecast"][0],
        d["decks"][0]["due"].as_u64().unwrap() + d["decks"][0]["learning"].as_u64().unwrap()
    );
}

/// Mastery counts every studied card with its predicted recall (new ones as
/// 0); the first quiz was all right, the second all blank.
fn assert_mastery_and_quizzes(v: &serde_json::Value) {
    let m = &v["mastery_by_deck"][0];
    assert_eq!(m["name"], "mini");
    assert_eq!(m["cards"], 8);
    let now = m["now"].as_f64().unwrap();
    assert!(now > 0.5 && now < 1.0, "{now}");
    let q = v["quizzes"].as_array().unwrap();
    assert_eq!(q.len(), 2);
    assert_eq!(
        (q[0]["answered"].as_u64(), q[0]["score"].as_f64()),
        (Some(4), Some(100.0))
    );
    assert_eq!(q[1]["score"], 0.0);
    assert!(v["weakest"].as_array().unwrap().len() <= 10);
}

#[test]
fn the_printed_dashboard_shows_every_chart() {
    let env = scripted();
    let out = env.ok(&["stats", "--days", "30"]);
    for section in [
        "kioku stats · all decks · 30 days to 2026-03-09",
        "Today    ",
        "Streak   1 day in a row · longest 2",
        "Reviews per day, 30 days",
        "  Mon ",
        "Reviews, last 30 days",
        "Minutes, last 30 days",
        "  accuracy         ",
        "  retention young  ",
        "  retention mature ",
        "Due in the next 30 days",
        "Cards    new ",
        "Mastery: predicted recall now",
        "  mini ",
        "Quiz scores",
        "Weakest cards",
    ] {
        assert!(out.contains(section), "missing {section:?} in:\n{out}");
    }
    assert!(
        out.contains("100% (03-09) → 0% (03-09)"),
        "quiz scores over time:\n{out}"
    );
}

#[test]
fn the_html_report_is_self_contained() {
    let env = scripted();
    let path = env.dir.path().join("report.html");
    let out = env.ok(&["stats", "--html", path.to_str().unwrap()]);
    assert!(out.starts_with("wrote "));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
    assert!(
        html.matches("<svg").count() >= 6,
        "heatmap, two bar charts, weekly lines, forecast, mastery"
    );
    assert!(!html.contains("<script"));
    // Nothing is fetched: the only address is the SVG namespace.
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(
        html.contains("2026-03-09: "),
        "each heatmap day has its count"
    );
}

#[test]
fn stats_of_one_deck_and_bad_arguments() {
    let env = scripted();
    let v = env.json(&["stats", "--json", "--deck", "mini"]);
    assert_eq!(v["decks"][0], "mini");
    let (code, _, err) = env.run(&["stats", "--deck", "nope"], "");
    assert_eq!(code, 1);
    assert!(err.contains("no deck `nope`"), "{err}");
    let (code, _, _) = env.run(&["stats", "--days", "0"], "");
    assert_eq!(code, 2);
    let (code, _, err) = env.run(&["history"], "");
    assert_eq!(code, 2, "{err}");
}

/// The dashboard drawn from a hand-built log, compared line by line with a
/// committed snapshot (KIOKU_BLESS=1 rewrites it).
#[test]
fn dashboard_snapshot() {
    let now = at("2026-03-20T12:00:00+00:00");
    let reviews = hand_built_reviews(now);
    let cards = hand_built_cards(&reviews);
    let quizzes = hand_built_quizzes();
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    let log = LogSummary::from_reviews(&reviews, &clock, now);
    let input = StatsInput {
        log: &log,
        quizzes: &quizzes,
        now,
        clock,
        days: 60,
        leech_threshold: 8,
        decay: fsrs::FSRS6_DEFAULT_DECAY,
    };
    let starts = starts_from_reviews(&reviews, &clock, now, 60);
    let stats = compute(&input, CardTally::of(&input, &cards, &starts));
    let text =
        kioku::ui::dashboard::lines(&stats, "kioku stats · all decks · 60 days to 2026-03-20")
            .join("\n")
            + "\n";
    crate::common::golden("stats-dashboard.txt", &text);
}

/// An RFC 3339 time as UTC.
fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Forty days of reviews before `now`, a few a day, of five cards.
fn hand_built_reviews(now: DateTime<Utc>) -> Vec<ReviewRow> {
    let mut reviews = Vec::new();
    for day in 0..40i64 {
        for k in 0..(day % 7) {
            let rating = if (day + k) % 5 == 0 {
                Rating::Again
            } else {
                Rating::Good
            };
            let phase = if k % 2 == 0 {
                Phase::Review
            } else {
                Phase::Learning
            };
            reviews.push(ReviewRow {
                card: CardRowId(k),
                at: now - Duration::days(40 - day) + Duration::minutes(k),
                rating,
                duration_ms: 20_000 + 1_000 * k,
                phase_before: phase,
                interval_before: if k == 4 { 30.0 } else { 4.0 },
                stability_after: 8.0,
            });
        }
    }
    reviews
}

/// The five cards of `reviews` in two decks, one of them new.
fn hand_built_cards(reviews: &[ReviewRow]) -> Vec<CardRow> {
    let state = |due: &str, lapses| {
        Some(CardState {
            phase: Phase::Review,
            step: 0,
            memory: Some(fsrs::MemoryState {
                stability: 8.0,
                difficulty: 5.0,
            }),
            due: at(due),
            last_review: Some(at("2026-03-15T10:00:00+00:00")),
            reps: 4,
            lapses,
        })
    };
    // A state is the replay of its card's log: one rep a review.
    let card = |id: i64, deck: &str, st: Option<CardState>| CardRow {
        card: CardRowId(id),
        deck: deck.into(),
        key: format!("card-{id}"),
        tags: vec!["treaties".into()],
        state: st.map(|s| CardState {
            reps: reviews.iter().filter(|r| r.card == CardRowId(id)).count() as u32,
            ..s
        }),
        suspended: false,
    };
    vec![
        card(0, "tsarist-era", state("2026-03-21T04:00:00+00:00", 0)),
        card(1, "tsarist-era", state("2026-03-23T04:00:00+00:00", 2)),
        card(
            2,
            "war-and-neutrality",
            state("2026-03-20T04:00:00+00:00", 1),
        ),
        card(3, "war-and-neutrality", None),
        card(
            4,
            "war-and-neutrality",
            state("2026-04-02T04:00:00+00:00", 0),
        ),
    ]
}

/// Two quizzes over the two decks, answered wrong, right and close.
fn hand_built_quizzes() -> Vec<QuizRow> {
    let q = |session, deck: &str, verdict| QuizRow {
        session: SessionId(session),
        started: at(if session == 1 {
            "2026-03-10T10:00:00+00:00"
        } else {
            "2026-03-18T10:00:00+00:00"
        }),
        deck: deck.into(),
        verdict,
    };
    vec![
        q(1, "tsarist-era", Verdict::Wrong),
        q(1, "tsarist-era", Verdict::Correct),
        q(2, "tsarist-era", Verdict::Correct),
        q(2, "war-and-neutrality", Verdict::Close),
    ]
}

#[test]
fn printed_figures_agree_with_the_json() {
    let env = scripted();
    let v = env.json(&["stats", "--json", "--days", "30"]);
    let out = env.ok(&["stats", "--days", "30"]);
    let today = &v["today"];
    assert!(
        out.contains(&format!(
            "Today    {} reviews of {} cards · {:.0}% remembered",
            today["reviews"],
            today["cards"],
            today["accuracy"].as_f64().unwrap() * 100.0
        )),
        "{out}\n{today}"
    );
    assert!(
        out.contains(&format!(
            "Streak   {} day in a row · longest {}",
            v["streak"]["current"], v["streak"]["longest"]
        )),
        "{out}"
    );
    let p = &v["phases"];
    assert!(
        out.contains(&format!(
            "Cards    new {} · learning {} · review {} · relearning {} · suspended {} · leeches {}",
            p["new"], p["learning"], p["review"], p["relearning"], p["suspended"], p["leeches"]
        )),
        "{out}"
    );
    let forecast: u64 = v["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert!(
        out.contains(&format!(
            "Due in the next 30 days ({forecast} in all, today {})",
            v["forecast"][0]
        )),
        "{out}"
    );
    let m = &v["mastery_by_deck"][0];
    let now = m["now"].as_f64().unwrap() * 100.0;
    let change = (m["now"].as_f64().unwrap() - m["start"].as_f64().unwrap()) * 100.0;
    assert!(
        out.contains(&format!("{now:>3.0}% ({change:+.0}) of {}", m["cards"])),
        "{out}"
    );
}
