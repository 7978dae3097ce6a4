//! Quizzes through the real binary: scored, stored, compared, and the
//! schedule untouched. Also suspend and bury in a study session.

use crate::common::{card_for, cards_in, right_answer, study_correctly, Driver, Env};
use std::collections::BTreeSet;

const MINI: &str = "tests/fixtures/mini";

fn quiz_rows(env: &Env) -> (i64, i64) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.query_row("SELECT (SELECT COUNT(*) FROM sessions WHERE kind = 'quiz'), (SELECT COUNT(*) FROM quiz_answers)", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
}

#[test]
fn a_quiz_is_scored_stored_and_compared_and_leaves_the_schedule_alone() {
    let env = Env::new(&[MINI]);
    let before = env.ok(&["decks", "--json"]);
    let (n, out) = crate::common::drive_correctly(
        &env,
        &cards_in(MINI),
        &["quiz", "--count", "5", "--seed", "4"],
    );
    assert_eq!(n, 5);
    assert!(
        out.contains("kioku · quiz · mini · 5 questions · the schedule is not changed"),
        "{out}"
    );
    assert!(
        out.contains("Score: 100% · 5 of 5 right, 0 close, 0 wrong"),
        "{out}"
    );
    assert!(out.contains("First quiz on these decks"), "{out}");
    assert_eq!(quiz_rows(&env), (1, 5));
    assert_eq!(env.review_count(), 0, "a quiz writes no reviews");
    assert_eq!(
        env.ok(&["decks", "--json"]),
        before,
        "a quiz leaves the schedule alone"
    );

    // A second quiz, two wrong: the comparison shows the drop.
    let (code, out, _) = env.run(
        &[
            "quiz",
            "--count",
            "2",
            "--seed",
            "4",
            "--type",
            "year",
            "--type",
            "truefalse",
        ],
        "1800\n\nx\n\n\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Score: 0% · 0 of 2 right"), "{out}");
    assert!(out.contains("by type: "), "{out}");
    assert_eq!(quiz_rows(&env), (2, 7));
    // Different deck set (types differ but decks are the same): compared with the first.
    assert!(
        out.contains("Compared: -100 points on last time · best before 100%"),
        "{out}"
    );
}

#[test]
fn quiz_types_filter_the_draw() {
    let env = Env::new(&[MINI]);
    let (code, out, _) = env.run(
        &["quiz", "--count", "10", "--type", "year", "--seed", "1"],
        "",
    );
    assert_eq!(code, 0);
    assert!(out.contains("· 1 question ·"), "{out}");
    assert!(out.contains("[1/1] mini · year"), "{out}");
    let (code, _, err) = env.run(&["quiz", "--type", "essay"], "");
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'essay'"), "{err}");
}

#[test]
fn weak_quiz_asks_the_forgotten_card_first() {
    let mut env = Env::new(&[MINI]);
    let cards = cards_in(MINI);
    study_correctly(&env, &cards, &["--seed", "1"]);
    // Weeks later, every card is remembered but one.
    env.at("2026-03-20T09:00:00+00:00");
    let mut driver = Driver::start(&env, &["--seed", "1"]);
    let mut forgot = 0;
    while let Some(block) = driver.next_card() {
        let card = card_for(&cards, &block);
        // Forget it once, then relearn it like anyone would.
        if card.id == "recognition-year" && forgot == 0 {
            driver.send("1800");
            forgot += 1;
        } else {
            driver.send(&right_answer(card, &block));
        }
        driver.until(&["]: "]).unwrap();
        driver.send("");
    }
    driver.close();
    assert!(forgot >= 1);
    for seed in ["3", "4", "5"] {
        let (code, out, _) = env.run(&["quiz", "--weak", "--count", "1", "--seed", seed], "");
        assert_eq!(code, 0);
        assert!(
            out.contains("In which year did Japan formally recognise the Soviet Union?"),
            "{out}"
        );
    }
    // A random quiz of one card does not always pick it.
    let picks: std::collections::HashSet<String> = (0..8)
        .map(|seed| {
            env.run(&["quiz", "--count", "1", "--seed", &seed.to_string()], "")
                .1
                .lines()
                .nth(3)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert!(picks.len() > 1, "{picks:?}");
}

/// The cards `kioku stats` lists as weakest, in its order.
fn stats_weakest(env: &Env) -> Vec<(String, u64)> {
    env.json(&["stats", "--json"])["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["card"].as_str().unwrap().to_string(),
                w["lapses"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Four cards with histories that pull apart: `laxman` forgotten twice
/// but just reviewed, `recognition-year` never forgotten but not seen for
/// three months, the others in between.
const PULLED_APART: &[(&str, &[(&str, u8)])] = &[
    (
        "laxman",
        &[
            ("2025-12-01T09:00:00Z", 3),
            ("2025-12-02T09:00:00Z", 3),
            ("2025-12-10T09:00:00Z", 3),
            ("2025-12-25T09:00:00Z", 1),
            ("2025-12-25T09:10:00Z", 3),
            ("2025-12-26T09:00:00Z", 3),
            ("2026-01-10T09:00:00Z", 1),
            ("2026-01-10T09:10:00Z", 3),
            ("2026-01-11T09:00:00Z", 3),
            ("2026-01-20T09:00:00Z", 3),
            ("2026-02-10T09:00:00Z", 3),
            ("2026-02-28T09:00:00Z", 3),
        ],
    ),
    ("recognition-year", &[("2025-12-01T09:00:00Z", 3)]),
    (
        "vladivostok",
        &[
            ("2026-02-01T09:00:00Z", 3),
            ("2026-02-04T09:00:00Z", 3),
            ("2026-02-14T09:00:00Z", 3),
        ],
    ),
    (
        "war-ended-by",
        &[
            ("2025-12-01T09:00:00Z", 3),
            ("2025-12-02T09:00:00Z", 3),
            ("2025-12-06T09:00:00Z", 3),
            ("2025-12-20T09:00:00Z", 1),
            ("2025-12-20T09:10:00Z", 3),
            ("2025-12-21T09:00:00Z", 3),
            ("2026-02-27T09:00:00Z", 3),
        ],
    ),
];

/// Imports `history` (card, reviews as time and rating) into the mini deck's
/// log as of the 1st of March.
fn import_history(env: &mut Env, history: &[(&str, &[(&str, u8)])]) {
    let mut csv = String::from("card_id,review_rating,review_time,review_duration,deck,card\n");
    for (i, (card, reviews)) in history.iter().enumerate() {
        for (at, rating) in reviews.iter() {
            csv.push_str(&format!("{i},{rating},{at},4000,mini,{card}\n"));
        }
    }
    let file = env.dir.path().join("history.csv");
    std::fs::write(&file, csv).unwrap();
    env.at("2026-03-01T09:00:00+00:00");
    env.ok(&["history", "import", file.to_str().unwrap()]);
}

/// The cards a `quiz --weak --count COUNT` asks, each answered right.
fn weak_quiz_draws(env: &Env, cards: &[kioku::deck::Card], count: usize) -> BTreeSet<String> {
    let mut driver = Driver::run(
        env,
        &[
            "quiz",
            "--weak",
            "--count",
            &count.to_string(),
            "--seed",
            "2",
        ],
    );
    let mut drawn = BTreeSet::new();
    while let Some(block) = driver.next_card() {
        let card = card_for(cards, &block);
        drawn.insert(card.id.clone());
        driver.send(&right_answer(card, &block));
        driver.until(&["]: "]).expect("feedback after an answer");
        driver.send("");
    }
    let (out, status) = driver.close();
    assert!(status.success(), "{out}");
    drawn
}

#[test]
fn the_weakest_cards_in_stats_are_the_ones_a_weak_quiz_draws() {
    let mut env = Env::new(&[MINI]);
    import_history(&mut env, PULLED_APART);

    let weakest = stats_weakest(&env);
    assert_eq!(weakest.len(), PULLED_APART.len(), "{weakest:?}");
    // The collection tells the two readings of "weakest" apart: the card
    // least likely recalled is not the one forgotten most.
    let most_lapses = weakest.iter().map(|w| w.1).max().unwrap();
    assert!(weakest[0].1 < most_lapses, "{weakest:?}");

    let cards = cards_in(MINI);
    for count in 1..=weakest.len() {
        let drawn = weak_quiz_draws(&env, &cards, count);
        let listed: BTreeSet<String> = weakest[..count].iter().map(|w| w.0.clone()).collect();
        assert_eq!(drawn, listed, "a weak quiz of {count}");
    }
}

#[test]
fn suspend_and_bury_take_cards_out_of_the_queue() {
    let mut env = Env::new(&[MINI]);
    // Seed 1 asks the year card first: suspend it before answering; bury the next after answering.
    let (code, out, _) = env.run(&["study", "--seed", "1"], ":s\nLaxman\nb\n:q\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("suspended: mini/recognition-year"), "{out}");
    assert!(
        out.contains("saved; buried until tomorrow: mini/laxman"),
        "{out}"
    );
    assert!(
        out.contains("Set aside: mini/recognition-year, mini/laxman"),
        "{out}"
    );
    let card = env.json(&["card", "mini/recognition-year", "--json"]);
    assert_eq!(card["state"]["suspended"], true);
    assert_eq!(card["reviews"].as_array().unwrap().len(), 0);
    let laxman = env.json(&["card", "mini/laxman", "--json"]);
    assert_eq!(
        laxman["reviews"].as_array().unwrap().len(),
        1,
        "the answer before burying is kept"
    );
    // Today both are held back: 8 cards, one suspended, one buried learning card.
    let d = env.json(&["decks", "--json"]);
    assert_eq!(d["decks"][0]["suspended"], 1);
    assert_eq!(d["decks"][0]["learning"], 0);
    assert_eq!(d["decks"][0]["new"], 6);
    // Tomorrow the buried card is back; the suspended one is not.
    env.at("2026-03-03T09:00:00+00:00");
    let d = env.json(&["decks", "--json"]);
    assert_eq!(d["decks"][0]["learning"], 1);
    assert_eq!(d["decks"][0]["new"], 6);
}
