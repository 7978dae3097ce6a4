//! The review of decks 01–06 through the real path: each right answer it
//! found judged Wrong, on the shipped card it was found on (the right gap
//! of a cloze, with the rest of the text as its question), is now correct
//! or close. The answers are written here, each beside its finding, so the
//! test needs nothing outside the repository.

use kioku::answer::{check, parse_response};
use kioku::deck::{builtin_sources, parse_deck, Card};
use kioku::types::Verdict;

/// Finding, deck, card (`note.N` for gap N of a cloze), and the answers the
/// review lists as right.
const FINDINGS: &[(&str, &str, &str, &[&str])] = &[
    (
        "01-M1",
        "tsarist-era",
        "blocked-south-of-manchuria.1",
        &["United Kingdom", "England"],
    ),
    (
        "01-M1",
        "tsarist-era",
        "blocked-south-of-manchuria.2",
        &["United States of America"],
    ),
    (
        "01-M2",
        "tsarist-era",
        "boxer-rebellion-joint",
        &["Boxer War", "Boxer Revolt"],
    ),
    (
        "01-M3",
        "tsarist-era",
        "rezanov-commissioned-by",
        &[
            "Aleksandr I",
            "Emperor Alexander I",
            "Tsar Alexander",
            "Czar Alexander I",
        ],
    ),
    (
        "01-M4",
        "tsarist-era",
        "sino-japanese-modernization.1",
        &["Qing China", "Qing"],
    ),
    (
        "02-M2",
        "revolution-and-recognition",
        "league-registration.1",
        &["League", "the League"],
    ),
    (
        "03-M1",
        "war-and-neutrality",
        "manchuria-invasion-date-cloze.1",
        &["August 8th", "8th August", "Aug 8", "8 Aug"],
    ),
    (
        "03-M2",
        "war-and-neutrality",
        "khalkhin-gol-name",
        &["Battle of Nomonhan"],
    ),
    (
        "03-M4",
        "war-and-neutrality",
        "tripartite-pact-name",
        &["Berlin Pact", "Axis Pact", "Three-Power Pact"],
    ),
    (
        "03-M5",
        "war-and-neutrality",
        "yalta-place",
        &["Crimea", "Crimea Conference"],
    ),
    (
        "03-M7",
        "war-and-neutrality",
        "lake-khasan-region",
        &["Maritime Krai", "Primorsky region"],
    ),
    (
        "05-M2",
        "strains-and-collapse",
        "g7-aid-russia",
        &[
            "Group of Seven industrialized nations",
            "the G7 countries",
            "G-7 nations",
        ],
    ),
    (
        "05-M3",
        "strains-and-collapse",
        "obuchi-goals-cloze.1",
        &["Russian Federation"],
    ),
    (
        "05-M4",
        "strains-and-collapse",
        "front-line-pakistan-cloze.1",
        &[
            "America",
            "United States of America",
            "Washington",
            "the Americans",
        ],
    ),
    (
        "05-M4",
        "strains-and-collapse",
        "arms-talks-coordination-cloze.2",
        &[
            "America",
            "United States of America",
            "Washington",
            "the Americans",
        ],
    ),
    (
        "05-M6",
        "strains-and-collapse",
        "arms-talks-coordination-cloze.1",
        &["Jan", "Jan."],
    ),
    (
        "06-M2",
        "russia-since-1991",
        "sakha-mou-place",
        &["Republic of Sakha (Yakutia)", "Sakha (Yakutia) Republic"],
    ),
    (
        "06-M3",
        "russia-since-1991",
        "sakhalin-ii-project",
        &["Sakhalin-II project", "Sakhalin-2 project"],
    ),
    (
        "06-M3",
        "russia-since-1991",
        "points-of-convergence-name",
        &["Points of Convergence forum"],
    ),
    (
        "06-M4",
        "russia-since-1991",
        "krasnoyarsk-proposals-cloze.2",
        &["Yeltsin-Hashimoto", "Yeltsin–Hashimoto"],
    ),
    (
        "06-M5",
        "russia-since-1991",
        "minister-post-kept-cloze.1",
        &["Liberal Democrats", "Liberal Democratic"],
    ),
    (
        "X-M1",
        "cold-war-restoration",
        "nixon-china-visit",
        &["President Nixon"],
    ),
    (
        "X-M1",
        "cold-war-restoration",
        "tanaka-moscow-1973",
        &["Prime Minister Tanaka", "PM Tanaka"],
    ),
    (
        "X-M1",
        "cold-war-restoration",
        "gromyko-1972-visit",
        &["Foreign Minister Gromyko"],
    ),
    (
        "X-M1",
        "strains-and-collapse",
        "nakasone-soviet-threat",
        &["Prime Minister Nakasone"],
    ),
    (
        "X-M1",
        "strains-and-collapse",
        "yeltsin-postponed-visit",
        &["President Yeltsin"],
    ),
    (
        "X-M1",
        "strains-and-collapse",
        "obuchi-1998-aims",
        &["Prime Minister Obuchi"],
    ),
    (
        "X-M1",
        "russia-since-1991",
        "hashimoto-opportunity",
        &["Prime Minister Hashimoto"],
    ),
    (
        "X-M1",
        "russia-since-1991",
        "gerasimov-tokyo",
        &["Gen. Gerasimov"],
    ),
];

fn shipped_card(deck: &str, card: &str) -> Card {
    builtin_sources()
        .iter()
        .filter_map(|s| parse_deck(&s.read().unwrap()).deck)
        .find(|d| d.id == deck)
        .unwrap_or_else(|| panic!("no shipped deck {deck}"))
        .cards
        .into_iter()
        .find(|c| c.id == card)
        .unwrap_or_else(|| panic!("no card {deck}/{card}"))
}

#[test]
fn the_reviews_right_answers_are_right_on_the_shipped_cards() {
    let mut wrong = Vec::new();
    for (finding, deck, id, answers) in FINDINGS {
        let card = shipped_card(deck, id);
        for answer in *answers {
            let response = parse_response(&card.kind, answer, 0).unwrap();
            let verdict = check(&card.kind, &response, &[]);
            if !matches!(verdict, Verdict::Correct | Verdict::Close) {
                wrong.push(format!("{finding} {deck}/{id}: {answer:?} is {verdict:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "judged wrong:\n{}", wrong.join("\n"));
}

#[test]
fn the_same_cards_still_mark_a_different_thing_wrong() {
    for (deck, id, answer) in [
        ("tsarist-era", "rezanov-commissioned-by", "Alexander II"),
        ("tsarist-era", "blocked-south-of-manchuria.2", "USSR"),
        (
            "war-and-neutrality",
            "manchuria-invasion-date-cloze.1",
            "9 August",
        ),
        (
            "war-and-neutrality",
            "khalkhin-gol-name",
            "Treaty of Nomonhan",
        ),
        (
            "strains-and-collapse",
            "arms-talks-coordination-cloze.1",
            "June",
        ),
    ] {
        let card = shipped_card(deck, id);
        let response = parse_response(&card.kind, answer, 0).unwrap();
        assert_eq!(
            check(&card.kind, &response, &[]),
            Verdict::Wrong,
            "{deck}/{id}: {answer:?}"
        );
    }
}
