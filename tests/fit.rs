//! The scheduler fitted and replayed, through the real binary on real
//! database files: `history import`, `optimize`, `evaluate`, `rebuild`,
//! `merge`, `simulate`. `fit/evaluate.rs`: the out-of-sample figures, the
//! health verdict and `optimize_from`; `fit/optimize.rs`: which parameters
//! `optimize` keeps.

mod evaluate;
mod optimize;

use crate::common::{cards_in, study_correctly, Env};
use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use kioku::deck::parse_deck;
use kioku::scheduler::{DayClock, Logged, Scheduler};
use kioku::store::{card_seed, Store};
use kioku::types::{CardRowId, Rating};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Card ids of a shipped deck.
fn deck_cards(file: &str) -> (String, Vec<String>) {
    let deck = parse_deck(&std::fs::read_to_string(file).unwrap())
        .deck
        .unwrap();
    (deck.id, deck.cards.into_iter().map(|c| c.id).collect())
}

/// A year of reviews by a learner whose memory follows FSRS with `w`, at
/// intervals near what their stability allows, as an interchange CSV with
/// deck and card columns.
fn simulated_log(w: &[f32], decks: &[(String, Vec<String>)], seed: u64) -> String {
    let model = fsrs::FSRS::new(w).unwrap();
    let mut rng = StdRng::seed_from_u64(seed);
    let start = Utc.with_ymd_and_hms(2025, 1, 6, 9, 0, 0).unwrap();
    let mut rows: Vec<(DateTime<Utc>, String)> = Vec::new();
    let mut card_no = 0;
    for (deck, cards) in decks {
        for card in cards {
            card_no += 1;
            let mut at = start + Duration::hours(rng.random_range(0..24 * 30));
            let mut memory = None;
            let mut elapsed = 0;
            for n in 0..rng.random_range(6..12) {
                let rating: u32 = match memory {
                    None => rng.random_range(1..=4),
                    Some(m) => {
                        let p = fsrs::current_retrievability(m, elapsed as f32, w[20]);
                        if rng.random::<f32>() < p {
                            rng.random_range(2..=4)
                        } else {
                            1
                        }
                    }
                };
                let next = model.next_states(memory, 0.9, elapsed).unwrap();
                let m = [next.again, next.hard, next.good, next.easy][rating as usize - 1].memory;
                memory = Some(m);
                rows.push((
                    at,
                    format!(
                        "{card_no},{rating},{},{},{deck},{card}",
                        at.format("%Y-%m-%dT%H:%M:%S%.3f+00:00"),
                        4000 + n * 100
                    ),
                ));
                elapsed = (m.stability * rng.random_range(0.4..2.5)).round().max(1.0) as u32;
                at += Duration::days(i64::from(elapsed))
                    + Duration::minutes(rng.random_range(-120..120));
            }
        }
    }
    rows.sort();
    let mut out = String::from("card_id,review_rating,review_time,review_duration,deck,card\n");
    for (_, line) in rows {
        writeln!(out, "{line}").unwrap();
    }
    out
}

/// A cached state as stored: phase, step, stability, difficulty, due, reps, lapses.
type Row = (String, i64, f64, f64, i64, i64, i64);

/// Every cached state, by deck and card id, read straight from the file.
fn states(db: &Path) -> BTreeMap<(String, String), Row> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.deck_id, c.card_key, s.phase, s.step, s.stability, s.difficulty, s.due, s.reps, s.lapses
             FROM card_state s JOIN cards c ON c.id = s.card_id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            (r.get(0)?, r.get(1)?),
            (
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Review ids and times in the log, as a set to compare.
fn log(db: &Path) -> Vec<(String, i64, i64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, at, rating FROM reviews ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn copy_db(from: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(from).unwrap();
    conn.execute("VACUUM INTO ?1", [to.to_str().unwrap()])
        .unwrap();
}

#[test]
fn optimize_lowers_log_loss_and_rebuild_moves_due_dates_as_fitted() {
    let mut env = Env::new(&[]);
    let decks = import_a_better_learner(&mut env);

    // Too little is said plainly elsewhere; here there is plenty.
    let report = env.json(&["optimize", "--json"]);
    assert_fit_improves_and_agrees_with_the_crate(&report);
    assert_eq!(report["saved"], true);
    assert!(report["due_dates_moved"].as_u64().unwrap() > 10, "{report}");

    // The saved parameters are the fitted ones, and every card is due when
    // replaying its reviews with them says.
    let fitted: Vec<f32> = report["after"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_f64().unwrap() as f32)
        .collect();
    let checked = assert_states_replay_with(&env, &fitted);
    assert_eq!(checked, decks.iter().map(|d| d.1.len()).sum::<usize>());

    // A second rebuild has nothing left to change.
    let again = env.json(&["rebuild", "--json"]);
    assert_eq!(again["changed"], 0, "{again}");
    assert_eq!(again["cards"].as_u64().unwrap() as usize, checked);

    assert_evaluate_calls_them_fitted(&env);
}

/// Imports the simulated log of a learner who remembers far better than
/// FSRS's average learner, over two shipped decks; returns the decks.
fn import_a_better_learner(env: &mut Env) -> [(String, Vec<String>); 2] {
    env.at("2026-01-10T09:00:00+00:00");
    let mut truth = fsrs::DEFAULT_PARAMETERS.to_vec();
    for w in &mut truth[0..4] {
        *w *= 4.0;
    }
    truth[20] = 0.35;
    let decks = [
        deck_cards("decks/05-strains-and-collapse.toml"),
        deck_cards("decks/09-timeline.toml"),
    ];
    let csv = env.dir.path().join("learner.csv");
    std::fs::write(&csv, simulated_log(&truth, &decks, 11)).unwrap();

    // The simulated history runs on past the clock; reviews are
    // refused if dated more than a day ahead, so it is imported from then.
    env.at("9000-01-01T09:00:00+00:00");
    let out = env.ok(&["history", "import", csv.to_str().unwrap()]);
    assert!(out.starts_with("imported "), "{out}");
    env.at("2026-01-10T09:00:00+00:00");
    decks
}

/// The fit lowers log loss, and our measures before and after agree with
/// the crate's.
fn assert_fit_improves_and_agrees_with_the_crate(report: &serde_json::Value) {
    let before = report["before"]["evaluation"]["log_loss"].as_f64().unwrap();
    let after = report["after"]["evaluation"]["log_loss"].as_f64().unwrap();
    assert!(
        after < before - 0.005,
        "fitting lowers log loss: {before} → {after}"
    );
    for side in ["before", "after"] {
        let e = &report[side]["evaluation"];
        let ours = e["log_loss_weighted"].as_f64().unwrap();
        let theirs = e["crate_log_loss"].as_f64().unwrap();
        assert!(
            (ours - theirs).abs() < 0.002,
            "{side}: {ours} vs the crate's {theirs}"
        );
        let (ours, theirs) = (
            e["rmse_bins"].as_f64().unwrap(),
            e["crate_rmse_bins"].as_f64().unwrap(),
        );
        assert!(
            (ours - theirs).abs() < 0.002,
            "{side}: {ours} vs the crate's {theirs}"
        );
    }
}

/// The stored parameters are `fitted`, and every cached state is the one
/// replaying the card's reviews with them gives; returns the cards checked.
fn assert_states_replay_with(env: &Env, fitted: &[f32]) -> usize {
    let store = Store::open(
        &env.db,
        chrono::DateTime::parse_from_rfc3339(&env.now)
            .unwrap()
            .to_utc(),
    )
    .unwrap();
    let settings = store.settings().unwrap();
    assert_eq!(settings.fsrs_parameters, fitted);
    let scheduler = Scheduler::new(
        fitted,
        settings.scheduler_config(),
        DayClock::new(FixedOffset::east_opt(0).unwrap(), settings.rollover_hour),
    )
    .unwrap();
    let keys: BTreeMap<i64, (String, String)> = store
        .card_rows()
        .unwrap()
        .into_iter()
        .map(|(k, row)| (row.0, k))
        .collect();
    let cached = store.all_states().unwrap();
    let mut checked = 0;
    for h in store.histories().unwrap() {
        let (deck, key) = &keys[&h.card];
        let replayed = scheduler
            .replay(
                card_seed(deck, key),
                h.reviews
                    .iter()
                    // The log was written with +00:00 times: offset 0.
                    .map(|&(at, r)| {
                        Logged::new(at, Rating::from_number(i64::from(r)).unwrap(), Some(0))
                    }),
            )
            .unwrap();
        let last = replayed.last().unwrap();
        // The saved parameters also give every review card its day anew,
        // balanced across the days ahead: a day of the same fuzz range as
        // the replay's, never another interval.
        let cached_due = cached[&CardRowId(h.card)].due;
        let spread = (f64::from(last.interval.whole_days()) * 0.16).ceil() as i64 + 1;
        let apart = (cached_due - last.state.due).num_days().abs();
        assert!(
            apart <= spread,
            "{deck}/{key}: {cached_due} against {}",
            last.state.due
        );
        let last = last.state;
        assert_eq!(
            cached[&CardRowId(h.card)].memory,
            last.memory,
            "{deck}/{key}"
        );
        checked += 1;
    }
    checked
}

/// `evaluate` now calls the current parameters fitted, and they beat the
/// defaults.
fn assert_evaluate_calls_them_fitted(env: &Env) {
    let e = env.json(&["evaluate", "--json"]);
    assert_eq!(e["current_parameters_fitted"], true);
    assert!(
        e["current"]["log_loss"].as_f64().unwrap() < e["default"]["log_loss"].as_f64().unwrap()
    );
    let buckets = e["current"]["calibration"].as_array().unwrap();
    let counted: u64 = buckets.iter().map(|b| b["reviews"].as_u64().unwrap()).sum();
    assert_eq!(counted, e["predictions"].as_u64().unwrap());
}

#[test]
fn too_few_reviews_are_said_plainly() {
    let env = Env::new(&["tests/fixtures/mini"]);
    let (code, _, err) = env.run(&["optimize"], "");
    assert_eq!(code, 1);
    assert!(err.contains("too few reviews to fit"), "{err}");
    assert!(err.contains("at least 64"), "{err}");
    let (code, _, err) = env.run(&["evaluate"], "");
    assert_eq!(code, 1);
    assert!(err.contains("nothing to evaluate yet"), "{err}");
    let settings = Store::open(
        &env.db,
        chrono::DateTime::parse_from_rfc3339(&env.now)
            .unwrap()
            .to_utc(),
    )
    .unwrap()
    .settings()
    .unwrap();
    assert!(settings.fsrs_parameters.is_empty(), "nothing saved");
}

#[test]
fn an_outside_log_is_read_with_its_time_zone_and_errors_are_located() {
    let env = Env::new(&[]);
    let csv = env.dir.path().join("log.csv");
    std::fs::write(
        &csv,
        "card_id,review_rating,review_time,review_duration\n\
         1,3,2025-01-01T10:00:00Z,1000\n\
         1,3,2025-01-02T06:00:00Z,1000\n\
         1,1,2025-01-09T06:00:00Z,1000\n",
    )
    .unwrap();
    let at = |tz: &str| {
        env.json(&[
            "evaluate",
            "--revlog",
            csv.to_str().unwrap(),
            "--timezone",
            tz,
            "--json",
        ])["predictions"]
            .as_u64()
            .unwrap()
    };
    // In UTC (rollover 04:00) the second review is on the next day: two
    // predictions. At UTC-05:00 both of the first two fall on 1 January.
    assert_eq!(at("UTC"), 2);
    assert_eq!(at("-05:00"), 1);
    assert!(
        !env.db.exists(),
        "reading an outside log creates no database"
    );

    std::fs::write(
        &csv,
        "card_id,review_rating,review_time\n1,3,2025-01-01T10:00:00Z\n1,9,2025-01-02T06:00:00Z\n",
    )
    .unwrap();
    let (code, _, err) = env.run(&["evaluate", "--revlog", csv.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("log.csv: line 3: review_rating `9` is not 1, 2, 3 or 4"),
        "{err}"
    );
    let (code, _, err) = env.run(
        &[
            "evaluate",
            "--revlog",
            csv.to_str().unwrap(),
            "--timezone",
            "Mars/Olympus",
        ],
        "",
    );
    // A usage error, found by clap's value parser before anything runs.
    assert_eq!(code, 2);
    assert!(err.contains("is not a UTC offset"), "{err}");
}

#[test]
fn merge_is_idempotent_and_symmetric() {
    let cards = cards_in("tests/fixtures/mini");
    let mut a = Env::new(&["tests/fixtures/mini"]);
    study_correctly(&a, &cards, &["--plain"]);
    a.at("2026-03-03T09:00:00+00:00");
    study_correctly(&a, &cards, &["--plain"]);

    // B starts as a copy of A, then each machine studies on its own.
    let mut b = Env::new(&["tests/fixtures/mini"]);
    copy_db(&a.db, &b.db);
    a.at("2026-03-05T09:00:00+00:00");
    study_correctly(&a, &cards, &["--plain"]);
    b.at("2026-03-06T20:00:00+00:00");
    study_correctly(&b, &cards, &["--plain"]);
    b.at("2026-03-12T08:00:00+00:00");
    study_correctly(&b, &cards, &["--plain"]);
    let (log_a, log_b) = (log(&a.db), log(&b.db));
    let shared = log_a.iter().filter(|r| log_b.contains(r)).count();
    assert!(
        shared > 0 && shared < log_a.len() && shared < log_b.len(),
        "overlapping histories"
    );

    // A into a copy of B, and B into a copy of A.
    let dir = tempfile::tempdir().unwrap();
    let (ab, ba) = (dir.path().join("ab.db"), dir.path().join("ba.db"));
    copy_db(&b.db, &ab);
    copy_db(&a.db, &ba);
    let merge = |into: &Path, from: &Path| {
        let mut env = Env::new(&["tests/fixtures/mini"]);
        env.db = into.to_path_buf();
        env.at("2026-03-13T09:00:00+00:00");
        env.json(&["merge", from.to_str().unwrap(), "--json"])
    };
    let first = merge(&ab, &a.db);
    assert_eq!(
        first["added"].as_u64().unwrap() as usize,
        log_a.len() - shared
    );
    assert_eq!(first["known"].as_u64().unwrap() as usize, shared);
    merge(&ba, &b.db);
    assert_eq!(log(&ab), log(&ba), "the same log either way");
    assert_eq!(log(&ab).len(), log_a.len() + log_b.len() - shared);
    assert_eq!(states(&ab), states(&ba), "the same states either way");

    // Merging again adds and changes nothing.
    let before = states(&ab);
    let again = merge(&ab, &a.db);
    assert_eq!(again["added"], 0);
    assert_eq!(again["rebuilt"]["changed"], 0);
    assert_eq!(states(&ab), before);

    // A file that is not a kioku database is refused and nothing changes.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes to look at").unwrap();
    let mut env = Env::new(&["tests/fixtures/mini"]);
    env.db = ab.clone();
    let (code, _, err) = env.run(&["merge", junk.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("junk.db"), "{err}");
    assert_eq!(states(&ab), before);
}

#[test]
fn history_round_trip_into_an_empty_database_gives_the_same_states() {
    let cards = cards_in("tests/fixtures/mini");
    let mut a = Env::new(&["tests/fixtures/mini"]);
    for day in [
        "2026-03-02T09:00:00+00:00",
        "2026-03-03T21:30:00+00:00",
        "2026-03-07T07:00:00+00:00",
        "2026-03-20T12:00:00+00:00",
    ] {
        a.at(day);
        study_correctly(&a, &cards, &["--plain"]);
    }
    let csv = a.dir.path().join("history.csv");
    std::fs::write(&csv, a.ok(&["history", "--csv"])).unwrap();

    let mut c = Env::new(&["tests/fixtures/mini"]);
    c.at("2026-03-21T09:00:00+00:00");
    let out = c.ok(&["history", "import", csv.to_str().unwrap()]);
    assert!(
        out.contains(&format!("imported {} reviews", log(&a.db).len())),
        "{out}"
    );
    assert_eq!(states(&c.db), states(&a.db));
    assert_eq!(
        c.ok(&["history", "--csv"]).lines().count(),
        std::fs::read_to_string(&csv).unwrap().lines().count()
    );

    // Importing the same file again skips every review.
    let out = c.ok(&["history", "import", csv.to_str().unwrap()]);
    assert!(out.starts_with("imported 0 reviews"), "{out}");
    assert_eq!(states(&c.db), states(&a.db));

    // A file without deck and card columns needs --deck, and unknown cards
    // stop the import before anything is written.
    let bare = c.dir.path().join("bare.csv");
    std::fs::write(&bare, "card_id,review_rating,review_time,review_duration\nlaxman,3,2026-03-21T08:00:00Z,3000\nno-such-card,3,2026-03-21T08:01:00Z,3000\n").unwrap();
    let (code, _, err) = c.run(&["history", "import", bare.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("line 2: no deck and card columns"), "{err}");
    let (code, _, err) = c.run(
        &[
            "history",
            "import",
            bare.to_str().unwrap(),
            "--deck",
            "mini",
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("mini/no-such-card (line 3)"), "{err}");
    assert_eq!(states(&c.db), states(&a.db), "nothing written");
}

#[test]
fn simulate_compares_four_retentions() {
    let cards = cards_in("tests/fixtures/mini");
    let env = Env::new(&["tests/fixtures/mini"]);
    study_correctly(&env, &cards, &["--plain"]);
    let sim = env.json(&[
        "simulate",
        "--days",
        "60",
        "--retention",
        "0.80..0.95/0.05",
        "--json",
    ]);
    // The four asked for; a line may be added for the optimal retention.
    let results: Vec<&serde_json::Value> = sim["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["asked"] == true)
        .collect();
    let retentions: Vec<f64> = results
        .iter()
        .map(|r| r["desired_retention"].as_f64().unwrap())
        .collect();
    assert_eq!(retentions.len(), 4);
    assert!((retentions[0] - 0.80).abs() < 1e-6 && (retentions[3] - 0.95).abs() < 1e-6);
    let reviews: Vec<f64> = results
        .iter()
        .map(|r| r["reviews_per_day"].as_f64().unwrap())
        .collect();
    assert!(
        reviews[3] > reviews[0],
        "asking for more recall costs more reviews: {reviews:?}"
    );
    assert_eq!(sim["cards"].as_u64().unwrap() as usize, cards.len());
    let text = env.ok(&["simulate", "--days", "30"]);
    assert!(text.contains("90%") && text.contains("← now"), "{text}");
}
