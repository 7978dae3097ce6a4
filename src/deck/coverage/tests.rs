//! The coverage rules on small texts and decks written here: which
//! sentences state a fact, and which card covers which.

use super::*;
use crate::deck::parse_deck;

const TEXT: &str = "\
Island trade
The islanders traded with their neighbours for a long time, and this is the story of how that went.
Early contacts
In 1792 the navigator Laxman sailed to Nemuro with two castaways. The merchants of Osaka sent rice north because the harvest had failed. Nothing much happened for a while.
Treaties
The Treaty of Shimoda was signed in 1855 and opened three ports. Trade grew slowly after that.
References
- Someone, A Book (1990)
";

fn deck(cards: &str) -> Deck {
    let src = format!(
        "format = 1\n[deck]\nid = \"d\"\ntitle = \"T\"\nsource = \"Island trade\"\n{cards}"
    );
    let out = parse_deck(&src);
    assert!(out.errors().next().is_none(), "{:?}", out.diagnostics);
    out.deck.unwrap()
}

fn report(cards: &str) -> Coverage {
    coverage(
        &[deck(cards)],
        &[("islands.txt".to_string(), TEXT.to_string())],
    )
}

/// The covering cards of each fact sentence, by its first words.
fn covered_by(c: &Coverage) -> Vec<(String, Vec<String>)> {
    c.texts[0]
        .sections
        .iter()
        .flat_map(|s| &s.sentences)
        .map(|f| {
            let start: Vec<&str> = f.text.split_whitespace().take(3).collect();
            (start.join(" "), f.cards.clone())
        })
        .collect()
}

const LAXMAN: &str = "[[cards]]\nid = \"laxman\"\ntype = \"typed\"\nq = \"Which navigator sailed to Nemuro with castaways?\"\na = \"Laxman\"\nsection = \"Early contacts\"\n";
const SHIMODA: &str = "[[cards]]\nid = \"shimoda-year\"\ntype = \"year\"\nq = \"When was the Treaty of Shimoda signed?\"\na = 1855\nsection = \"Treaties\"\n";

#[test]
fn fact_sentences_are_those_with_a_number_a_name_or_a_cause() {
    assert!(states_fact("The treaty was signed in 1855 at last."));
    assert!(states_fact("Later the envoy met Rezanov at the port."));
    assert!(states_fact(
        "the rice went north because the harvest failed"
    ));
    assert!(!states_fact("Nothing much happened for a while."));
    assert!(!states_fact("Trade grew slowly after that."));
    assert!(!states_fact("Laxman in 1792."), "a fragment");
    assert!(!states_fact("Then I, for one, went home."), "I is no name");
}

#[test]
fn the_text_is_read_section_by_section_without_its_end_matter() {
    let c = report(LAXMAN);
    let t = &c.texts[0];
    assert_eq!(t.name, "Island trade");
    let sections: Vec<(&str, usize, usize)> = t
        .sections
        .iter()
        .map(|s| (s.heading.as_str(), s.line, s.facts))
        .collect();
    // The lead has no fact; "Early contacts" has two (a date and a
    // cause), "Treaties" one; the references are not history.
    assert_eq!(sections, [("Early contacts", 3, 2), ("Treaties", 5, 1)]);
    assert_eq!(t.sections[1].sentences[0].line, 6);
    assert_eq!((c.facts, c.covered), (3, 1));
}

#[test]
fn a_card_covers_a_sentence_that_has_its_answer_and_its_key_words() {
    let c = report(&format!("{LAXMAN}{SHIMODA}"));
    assert_eq!(
        covered_by(&c),
        [
            ("In 1792 the".to_string(), vec!["d/laxman".to_string()]),
            ("The merchants of".to_string(), vec![]),
            (
                "The Treaty of".to_string(),
                vec!["d/shimoda-year".to_string()]
            ),
        ]
    );
    assert_eq!((c.covered, c.facts), (2, 3));
}

#[test]
fn the_answer_alone_or_the_key_words_alone_do_not_cover() {
    // The answer stands in the sentence, but the question is about
    // something else.
    let elsewhere = "[[cards]]\nid = \"a\"\ntype = \"typed\"\nq = \"Who first charted the western coast?\"\na = \"Laxman\"\nsection = \"Early contacts\"\n";
    // The key words stand in the sentence, but the answer does not.
    let wrong = "[[cards]]\nid = \"b\"\ntype = \"typed\"\nq = \"Which navigator sailed to Nemuro with castaways?\"\na = \"Rezanov\"\nsection = \"Early contacts\"\n";
    let c = report(&format!("{elsewhere}{wrong}"));
    assert_eq!(c.covered, 0, "{:?}", covered_by(&c));
}

#[test]
fn a_card_covers_only_its_own_source_and_section() {
    let moved = LAXMAN.replace("Early contacts", "Treaties");
    assert_eq!(report(&moved).covered, 0);
    let other = format!("{LAXMAN}source = \"Another text\"\n");
    assert_eq!(report(&other).covered, 0);
    // A card that cites no section covers nothing, and is counted.
    let nowhere = LAXMAN.replace("section = \"Early contacts\"\n", "");
    let c = report(&nowhere);
    assert_eq!((c.covered, c.without_section, c.without_source), (0, 1, 0));
    // Nor does one whose deck and card cite no source.
    let src = format!("format = 1\n[deck]\nid = \"d\"\ntitle = \"T\"\n{LAXMAN}");
    let deck = parse_deck(&src).deck.unwrap();
    let c = coverage(&[deck], &[("islands.txt".to_string(), TEXT.to_string())]);
    assert_eq!((c.covered, c.without_section, c.without_source), (0, 0, 1));
}

#[test]
fn a_deck_given_twice_counts_once_and_an_apostrophe_splits_a_word() {
    let possessive = LAXMAN.replace("Which navigator sailed", "Whose navigator's ship sailed");
    let d = deck(&possessive);
    let c = coverage(
        &[d.clone(), d],
        &[("islands.txt".to_string(), TEXT.to_string())],
    );
    assert_eq!(c.texts[0].sections[0].sentences[0].cards, ["d/laxman"]);
    let text = TEXT.replace("the navigator Laxman sailed", "Laxman's ship sailed");
    let c = coverage(&[deck(LAXMAN)], &[("islands.txt".to_string(), text)]);
    assert_eq!(c.covered, 1, "Laxman's names Laxman");
}

#[test]
fn a_cloze_gap_a_true_statement_and_a_quote_cover_too() {
    let cloze = "[[cards]]\nid = \"rice\"\ntype = \"cloze\"\ntext = \"Osaka merchants shipped {{rice}} north when the harvest failed.\"\nsection = \"Early contacts\"\n";
    let statement = "[[cards]]\nid = \"ports\"\ntype = \"truefalse\"\nq = \"The Shimoda treaty opened three ports.\"\na = true\nsection = \"Treaties\"\n";
    let quoted = "[[cards]]\nid = \"q\"\ntype = \"basic\"\nq = \"Who?\"\na = \"Someone\"\nsection = \"Early contacts\"\nquote = \"In 1792 the navigator Laxman sailed to Nemuro\"\n";
    let c = report(&format!("{cloze}{statement}{quoted}"));
    assert_eq!(
        covered_by(&c)
            .into_iter()
            .map(|(_, cards)| cards)
            .collect::<Vec<_>>(),
        [vec!["d/q"], vec!["d/rice.1"], vec!["d/ports"]]
    );
    // A false statement says what the text does not, whatever it quotes;
    // an order card asks no fact; a quote of a few words is not the
    // sentence.
    let denied = statement.replace(
        "a = true",
        "a = false\nquote = \"The Treaty of Shimoda was signed in 1855\"",
    );
    let order = "[[cards]]\nid = \"o\"\ntype = \"order\"\nq = \"Order them.\"\nitems = [\"a\", \"b\", \"c\"]\nsection = \"Treaties\"\nquote = \"The Treaty of Shimoda was signed in 1855\"\n";
    let short = quoted.replace(
        "In 1792 the navigator Laxman sailed to Nemuro",
        "sailed to Nemuro",
    );
    assert_eq!(report(&format!("{denied}{order}{short}")).covered, 0);
}

#[test]
fn words_the_whole_text_uses_do_not_count_as_key_words() {
    // Every sentence has "island" and "harbour": they say nothing about
    // which sentence a card is on.
    let text = "Island\nAn account of the island and the people who sailed and rowed from it, year by year.\nEvents\nOn the island harbour, Ada sailed in 1801. On the island harbour, Ben sailed in 1802. On the island harbour, Cy rowed in 1803. On the island harbour, Di rowed in 1804.\n";
    let canoe = "[[cards]]\nid = \"canoe\"\ntype = \"typed\"\nq = \"Who reached the island harbour by canoe?\"\na = \"Ada\"\n";
    let sailed = "[[cards]]\nid = \"sailed\"\ntype = \"typed\"\nq = \"Who sailed from the island harbour in 1801?\"\na = \"Ada\"\n";
    let src = format!(
        "format = 1\n[deck]\nid = \"d\"\ntitle = \"T\"\nsource = \"Island\"\n{}{}",
        canoe.replace("\"Ada\"\n", "\"Ada\"\nsection = \"Events\"\n"),
        sailed.replace("\"Ada\"\n", "\"Ada\"\nsection = \"Events\"\n")
    );
    let deck = parse_deck(&src).deck.unwrap();
    let c = coverage(&[deck], &[("i.txt".to_string(), text.to_string())]);
    let cards: Vec<Vec<String>> = c.texts[0].sections[0]
        .sentences
        .iter()
        .map(|f| f.cards.clone())
        .collect();
    assert_eq!(
        cards,
        [vec!["d/sailed".to_string()], vec![], vec![], vec![]]
    );
}

#[test]
fn a_gloss_in_brackets_and_a_long_question_still_cover() {
    let glossed = "[[cards]]\nid = \"g\"\ntype = \"choice\"\nq = \"What did Laxman bring to Nemuro?\"\na = \"Two castaways (sailors cast ashore)\"\nwrong = [\"Rice\", \"Letters\"]\nsection = \"Early contacts\"\n";
    // Four of the many key words of a long cloze text are enough.
    let long = "[[cards]]\nid = \"l\"\ntype = \"cloze\"\ntext = \"Long after the Dutch and the Portuguese had come and gone, and well before any steamship, the merchants of {{Osaka}} sent rice to the north, since the harvest had failed there that autumn and the winter was near, as the elders of every village along the coast remembered with sorrow for generations.\"\nsection = \"Early contacts\"\n";
    let c = report(&format!("{glossed}{long}"));
    let cards: Vec<Vec<String>> = covered_by(&c).into_iter().map(|(_, c)| c).collect();
    assert_eq!(cards, [vec!["d/g"], vec!["d/l.1"], vec![]]);
}
