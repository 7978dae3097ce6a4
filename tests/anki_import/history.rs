//! A collection studied for three months in Anki, imported with its
//! history: every card's memory, replayed by kioku's scheduler from the
//! same answers, against the memory Anki's FSRS computes for it with the
//! same parameters; every due date against the day Anki will show it.

use super::{expected, fixture, rows};
use crate::common::Env;
use chrono::{DateTime, Utc};
use kioku::scheduler::CardState;
use kioku::store::Store;
use kioku::types::CardRowId;
use serde_json::Value;
use std::collections::HashMap;

/// When the study in Anki ended, a few minutes later.
const NOW: &str = "2025-05-01T10:00:00+00:00";

/// Imports `package` with its history into `env`'s database and deck
/// folder `decks`; returns the report.
fn import(env: &Env, package: &str, decks: &std::path::Path) -> String {
    let file = fixture(package);
    let (code, out, err) = env.run(
        &[
            "--decks",
            decks.to_str().unwrap(),
            "deck",
            "import",
            file.to_str().unwrap(),
            "--with-history",
        ],
        "",
    );
    assert_eq!(code, 0, "{package}: {out}{err}");
    err
}

/// Each of Anki's card ids with kioku's cached state of the card made of it.
fn states(env: &Env, package: &str) -> HashMap<i64, (CardRowId, Option<CardState>)> {
    let built = kioku::import::read(&fixture(package))
        .unwrap()
        .to_deck(None)
        .unwrap();
    let now = DateTime::parse_from_rfc3339(NOW).unwrap().to_utc();
    let store = Store::open(&env.db, now).unwrap();
    let rows = store.card_rows().unwrap();
    let states = store.all_states().unwrap();
    built
        .cards
        .iter()
        .map(|(anki, key)| {
            let row = rows[&(built.deck.id.clone(), key.clone())];
            (*anki, (row, states.get(&row).copied()))
        })
        .collect()
}

/// Whether `ours` is within 1% of `theirs`.
fn close(ours: f32, theirs: f64) -> bool {
    ((f64::from(ours) - theirs) / theirs).abs() <= 0.01
}

/// The larger relative difference of stability and difficulty between
/// kioku's memory of a card and Anki's; 0 where either has none.
fn gap(row: &Value, state: Option<&CardState>) -> f64 {
    let memory = &row["memory_state"];
    let (Some(m), Some(s), Some(d)) = (
        state.and_then(|s| s.memory),
        memory["stability"].as_f64(),
        memory["difficulty"].as_f64(),
    ) else {
        return 0.0;
    };
    let rel = |ours: f32, theirs: f64| ((f64::from(ours) - theirs) / theirs).abs();
    rel(m.stability, s).max(rel(m.difficulty, d))
}

/// Compares one card; returns what differs, if anything.
fn differs(row: &Value, state: Option<&CardState>) -> Option<String> {
    let memory = &row["memory_state"];
    let Some(state) = state else {
        return (!memory.is_null()).then(|| "no memory in kioku".to_string());
    };
    if memory.is_null() {
        return Some(format!("kioku has a memory, Anki none: {state:?}"));
    }
    let m = state.memory?;
    let (s, d) = (
        memory["stability"].as_f64()?,
        memory["difficulty"].as_f64()?,
    );
    if !close(m.stability, s) || !close(m.difficulty, d) {
        return Some(format!(
            "memory S {} D {} in kioku, S {s} D {d} in Anki",
            m.stability, m.difficulty
        ));
    }
    let due: DateTime<Utc> = state.due;
    let anki = row["due_date"].as_str()?;
    // A learning step is due at a moment; a review on a day, which in
    // kioku starts at the rollover (04:00 here).
    let same = match DateTime::parse_from_rfc3339(anki) {
        Ok(moment) => moment.to_utc() == due,
        Err(_) => due.format("%Y-%m-%d").to_string() == anki,
    };
    (!same).then(|| format!("due {due} in kioku, {anki} in Anki"))
}

/// For every package of the studied collection: each card's memory within
/// 1% of Anki's, its due date Anki's, the suspended card suspended; a
/// second import adds nothing, and a rebuild from the log changes nothing.
#[test]
fn a_collection_imported_with_its_history_keeps_anki_s_memory_and_due_dates() {
    let expected = expected();
    for package in ["studied.apkg", "studied-legacy.apkg", "studied.colpkg"] {
        let mut env = Env::new(&[]);
        env.at(NOW);
        let decks = env.dir.path().join("decks");
        let report = import(&env, package, &decks);
        assert!(report.contains("carried "), "{report}");
        let states = states(&env, package);
        let mut compared = 0;
        let mut worst = 0f64;
        let mut failures = Vec::new();
        for row in rows(&expected, package) {
            let Some((_, state)) = row["card_id"].as_i64().and_then(|id| states.get(&id)) else {
                continue;
            };
            compared += usize::from(!row["memory_state"].is_null());
            if let Some(why) = differs(row, state.as_ref()) {
                failures.push(format!("{} {}: {why}", row["guid"], row["queue"]));
            }
            worst = worst.max(gap(row, state.as_ref()));
        }
        eprintln!(
            "{package}: {compared} memories, the largest difference from Anki's {:.4}%",
            worst * 100.0
        );
        assert!(
            compared >= 30,
            "{package}: only {compared} cards with a memory"
        );
        assert!(failures.is_empty(), "{package}:\n{}", failures.join("\n"));
        let reviews = env.review_count();
        let again = import(&env, package, &decks);
        assert!(again.contains("carried 0 reviews from Anki"), "{again}");
        assert_eq!(env.review_count(), reviews);
        env.ok(&["--decks", decks.to_str().unwrap(), "rebuild"]);
        assert_eq!(
            self::states(&env, package),
            states,
            "{package}: a rebuild moved a card"
        );
        assert_suspended_as_in_anki(&env, &expected, package, &states);
    }
}

/// The cards Anki has suspended (queue -1) are suspended in kioku, and no
/// other card is.
fn assert_suspended_as_in_anki(
    env: &Env,
    expected: &Value,
    package: &str,
    states: &HashMap<i64, (CardRowId, Option<CardState>)>,
) {
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let suspended = |row: CardRowId| -> bool {
        conn.query_row(
            "SELECT coalesce((SELECT suspended FROM card_flags WHERE card_id = ?1), 0)",
            [row.0],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    };
    let mut seen = 0;
    for row in rows(expected, package) {
        let Some((card, _)) = row["card_id"].as_i64().and_then(|id| states.get(&id)) else {
            continue;
        };
        let in_anki = row["queue"].as_i64() == Some(-1);
        seen += usize::from(in_anki);
        assert_eq!(suspended(*card), in_anki, "{package} {}", row["guid"]);
    }
    assert_eq!(seen, 1, "{package}: the fixture suspends one card");
}

/// A note edited in Anki after a first import: imported again, its card
/// keeps its kioku id and history, and no review is copied to a new card.
#[test]
fn a_note_edited_in_anki_keeps_its_card_and_history_when_imported_again() {
    let mut env = Env::new(&[]);
    env.at(NOW);
    let decks = env.dir.path().join("decks");
    import(&env, "studied-legacy.apkg", &decks);
    let reviews = env.review_count();
    let deck_before = std::fs::read_to_string(decks.join("review.toml")).unwrap();
    let edited = edited_package(&env);
    let (code, _, err) = env.run(
        &[
            "--decks",
            decks.to_str().unwrap(),
            "deck",
            "import",
            edited.to_str().unwrap(),
            "--with-history",
            "--force",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("carried 0 reviews from Anki"), "{err}");
    assert_eq!(env.review_count(), reviews);
    let deck_after = std::fs::read_to_string(decks.join("review.toml")).unwrap();
    assert!(
        deck_after.contains("(edited in Anki)"),
        "the edit came over"
    );
    let ids = |deck: &str| -> Vec<String> {
        kioku::deck::parse_deck(deck)
            .deck
            .unwrap()
            .cards
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(
        ids(&deck_before),
        ids(&deck_after),
        "every card kept its id"
    );
}

/// The legacy studied package with every note's first field ended by
/// " (edited in Anki)", as if each had been reworded there.
fn edited_package(env: &Env) -> std::path::PathBuf {
    use std::io::{Read, Write};
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(fixture("studied-legacy.apkg")).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name("collection.anki21")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    let db = env.dir.path().join("edited.anki21");
    std::fs::write(&db, &bytes).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "UPDATE notes SET flds = CASE WHEN instr(flds, char(31)) > 0
            THEN substr(flds, 1, instr(flds, char(31)) - 1) || ' (edited in Anki)' || substr(flds, instr(flds, char(31)))
            ELSE flds || ' (edited in Anki)' END",
    )
    .unwrap();
    drop(conn);
    let out = env.dir.path().join("edited.apkg");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    writer
        .start_file(
            "collection.anki21",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    writer.write_all(&std::fs::read(&db).unwrap()).unwrap();
    writer.finish().unwrap();
    out
}

/// When kioku's FSRS parameters are not the ones Anki's preset holds, the
/// import says how to use Anki's, and using them gives Anki's memories.
#[test]
fn anki_s_own_parameters_are_named_when_kioku_s_differ() {
    let mut env = Env::new(&[]);
    env.at(NOW);
    let decks = env.dir.path().join("decks");
    let other = "0.3, 1.2, 2.4, 8.1, 6.4, 0.8, 3.0, 0.002, 1.8, 0.16, 0.8, 1.5, 0.06, 0.26, 1.6, 0.6, 1.9, 0.5, 0.09, 0.07, 0.16";
    env.ok(&["config", "fsrs_parameters", other]);
    let report = import(&env, "studied.apkg", &decks);
    let anki = expected()["study"]["fsrs_params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v.as_f64().unwrap() as f32).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let advice = format!("kioku config fsrs_parameters \"{anki}\"");
    assert!(report.contains(&advice), "{report}");
    env.ok(&["config", "fsrs_parameters", &anki]);
    env.ok(&["--decks", decks.to_str().unwrap(), "decks"]);
    let states = states(&env, "studied.apkg");
    let expected = expected();
    for row in rows(&expected, "studied.apkg") {
        if let Some((_, state)) = row["card_id"].as_i64().and_then(|id| states.get(&id)) {
            assert_eq!(differs(row, state.as_ref()), None, "{}", row["guid"]);
        }
    }
}
