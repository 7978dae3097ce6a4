//! The answers an independent reader tried on every typed card and cloze
//! gap of a shipped deck, kept as data in `tried/DECK-ID.txt`, judged again
//! through the path a session takes (the examiner with the deck's own
//! synonyms). A line is `card | right; right | wrong; wrong`: the answers a
//! knowledgeable learner writes, which must be correct (a `~` in front: a
//! slip that must be close), and answers naming a different thing, which
//! must be wrong. `#` starts a comment.

use crate::common::shipped_decks;
use kioku::answer::try_written;
use kioku::deck::{CardKind, Deck};
use kioku::types::Verdict;
use std::path::Path;

struct Line {
    number: usize,
    card: String,
    right: Vec<String>,
    wrong: Vec<String>,
}

fn read(text: &str) -> Vec<Line> {
    let list = |s: &str| -> Vec<String> {
        s.split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect()
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| {
            let parts: Vec<&str> = l.split('|').collect();
            assert!(
                parts.len() == 3,
                "line {}: `card | right | wrong`: {l}",
                i + 1
            );
            Line {
                number: i + 1,
                card: parts[0].trim().to_string(),
                right: list(parts[1]),
                wrong: list(parts[2]),
            }
        })
        .collect()
}

fn shipped() -> Vec<Deck> {
    shipped_decks().into_iter().map(|(_, d, _)| d).collect()
}

/// Every file of tried answers, with the deck it is for.
fn files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/examiner/tried");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            let deck = p.file_stem().unwrap().to_string_lossy().into_owned();
            (deck, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_readers_answers_are_judged_as_they_expected() {
    let decks = shipped();
    let mut faults = Vec::new();
    for (deck_id, text) in files() {
        let deck = decks
            .iter()
            .find(|d| d.id == deck_id)
            .unwrap_or_else(|| panic!("tried/{deck_id}.txt: no shipped deck {deck_id}"));
        for line in read(&text) {
            let at = format!("tried/{deck_id}.txt:{}", line.number);
            let Some(card) = deck.cards.iter().find(|c| c.id == line.card) else {
                faults.push(format!("{at}: no card {}", line.card));
                continue;
            };
            let expected = line
                .right
                .iter()
                .map(|a| match a.strip_prefix('~') {
                    Some(slip) => (slip.trim(), Verdict::Close),
                    None => (a.as_str(), Verdict::Correct),
                })
                .chain(line.wrong.iter().map(|a| (a.as_str(), Verdict::Wrong)));
            for (answer, want) in expected {
                let verdict = match try_written(&card.kind, answer, &deck.synonyms) {
                    Ok(verdict) => verdict,
                    Err(e) => {
                        faults.push(format!("{at}: {} {answer:?}: {e}", line.card));
                        continue;
                    }
                };
                if verdict != want {
                    faults.push(format!(
                        "{at}: {} {answer:?} is {verdict:?}, not {want:?}",
                        line.card
                    ));
                }
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn every_typed_card_and_gap_of_a_tried_deck_was_tried() {
    let decks = shipped();
    let files = files();
    let mut untried: Vec<String> = decks
        .iter()
        .filter(|d| !files.iter().any(|(id, _)| *id == d.id))
        .map(|d| format!("{} (no tried/{}.txt)", d.id, d.id))
        .collect();
    for (deck_id, text) in files {
        let Some(deck) = decks.iter().find(|d| d.id == deck_id) else {
            continue; // the test above names it
        };
        let lines = read(&text);
        for card in &deck.cards {
            let typed = matches!(card.kind, CardKind::Typed { .. } | CardKind::Cloze { .. });
            let tried = lines
                .iter()
                .any(|l| l.card == card.id && !l.right.is_empty());
            if typed && !tried {
                untried.push(format!("{deck_id}/{}", card.id));
            }
        }
    }
    assert!(
        untried.is_empty(),
        "no answers tried on:\n{}",
        untried.join("\n")
    );
}
