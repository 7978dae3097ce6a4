//! kioku's import of Anki packages against Anki itself. The packages and
//! `expected.json` beside them were made by Anki's own engine (the `anki`
//! Python package, `tests/fixtures/anki/build.py`): for every card it holds
//! Anki's rendering of the question and the answer, and for the studied
//! collection the memory state Anki's FSRS computes and the day Anki will
//! show the card. Each test reads the same packages through kioku and
//! compares, card by card.

use crate::common::Env;
use kioku::deck::{Card, CardKind};
use kioku::import::html::to_text;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

mod compare;
mod history;

use compare::Verdict;

const PACKAGES: [&str; 6] = [
    "cards.apkg",
    "cards-legacy.apkg",
    "cards.colpkg",
    "studied.apkg",
    "studied-legacy.apkg",
    "studied.colpkg",
];

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(name)
}

/// What Anki's engine recorded of every package.
fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("expected.json")).unwrap()).unwrap()
}

/// Anki's card rows of one package.
fn rows<'a>(expected: &'a Value, package: &str) -> &'a [Value] {
    expected["packages"][package]["card_rows"]
        .as_array()
        .unwrap_or_else(|| panic!("{package} is not in expected.json"))
}

/// Every card Anki shows with a text question is imported asking the same
/// question and giving the same answer; every card it cannot show (a
/// broken template, a blank front) or that shows only a picture or a sound
/// is left out. Prints the tally for each package.
#[test]
fn every_card_anki_shows_with_a_text_question_is_imported_as_anki_shows_it() {
    let expected = expected();
    let mut failures = Vec::new();
    for package in PACKAGES {
        let imported = kioku::import::read(&fixture(package)).unwrap();
        let built = imported.to_deck(None).unwrap();
        let by_id: HashMap<&str, &Card> = built
            .deck
            .cards
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
        for row in rows(&expected, package) {
            let card = row["card_id"]
                .as_i64()
                .and_then(|id| built.cards.get(&id))
                .and_then(|id| by_id.get(id.as_str()).copied());
            let verdict = compare::card(row, card);
            *tally.entry(verdict.name()).or_default() += 1;
            if let Verdict::Wrong(why) = verdict {
                failures.push(format!("{package} {}: {why}", row["guid"]));
            }
        }
        eprintln!("{package}: {tally:?}");
        assert!(
            tally.get("same").copied().unwrap_or(0) > 0,
            "{package}: nothing compared"
        );
    }
    assert!(
        failures.is_empty(),
        "{} cards differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The deck each package makes passes `deck check` with no error, and no
/// two of its cards ask the same question.
#[test]
fn every_imported_deck_passes_deck_check() {
    let env = Env::new(&[]);
    for package in PACKAGES {
        let out = env.dir.path().join(format!("{package}.toml"));
        let file = fixture(package);
        env.ok(&[
            "deck",
            "import",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let (code, report, _) = env.run(&["deck", "check", out.to_str().unwrap()], "");
        assert_eq!(code, 0, "{package}: {report}");
        assert!(
            report.lines().any(|l| l.starts_with("0 errors")),
            "{package}: {report}"
        );
        assert!(
            !report.contains("asks the same question"),
            "{package}: {report}"
        );
    }
}

/// The report names what was left out and why, in Anki's words for a
/// broken template.
#[test]
fn what_cannot_come_over_is_counted_by_reason() {
    let env = Env::new(&[]);
    let file = fixture("cards.apkg");
    let out = env.dir.path().join("cards.toml");
    let (code, _, err) = env.run(
        &[
            "deck",
            "import",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    for line in [
        "skipped 2 cards: a card whose front is only a picture or a sound",
        "skipped 1 card: a card whose front is empty",
        "a card whose template Anki reports as broken (Front template has a problem: Found '{{Source}}', but there is no field called 'Source')",
        "a card whose template Anki reports as broken (Front template has a problem: Missing '{{/Front}}')",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    let deck = std::fs::read_to_string(&out).unwrap();
    assert!(deck.contains("(In Anki this card also shows a picture or plays a sound.)"));
}

/// The text a kioku card shows as its question, for messages.
fn shown(card: &Card) -> String {
    match &card.kind {
        CardKind::Cloze { .. } => card.kind.prompt(),
        kind => kind.prompt(),
    }
}

/// The text of Anki's HTML, as kioku reads it.
fn text(html: &str) -> String {
    to_text(html)
}
