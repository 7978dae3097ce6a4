//! `kioku deck generate`: a draft deck from a plain-text source.
//!
//! Every usable sentence that carries a year becomes a year question with
//! that year blanked out, and every sentence that carries a name or a figure
//! rare enough to be worth asking becomes a cloze card with it as the gap.
//! Each card cites its section and quotes its sentence, so `deck check
//! --source` can prove where it came from. The result is a draft: a person
//! reads it, keeps what is worth learning and rewords it.
//!
//! Pure: a [`SourceText`] in, a [`Deck`] out. The steps: select the
//! sentences, count the names across them (`names`), make the cards (year
//! questions from `years`). It must never read the source file itself.

mod names;
mod years;

use super::fmt::{slug, Ids};
use super::source::{sentences, SourceText};
use super::{Card, CardKind, Deck, Gap};
use crate::fold::normalize;
use names::Names;
#[cfg(test)]
use names::{adjective, candidates};
use std::collections::HashSet;
use years::year_question;

/// What to call the draft.
#[derive(Debug, Clone)]
pub struct Naming {
    pub deck_id: String,
    /// The source as cards cite it, such as the article's title.
    pub source: String,
}

/// The draft, with what was read to make it.
#[derive(Debug)]
pub struct Draft {
    pub deck: Deck,
    pub sentences: usize,
    /// Candidates left out because their question printed the answer of a
    /// card drafted before them, or the other way round.
    pub left_out: usize,
}

impl Draft {
    /// The year questions drafted.
    pub fn year_cards(&self) -> usize {
        self.of_type("year")
    }

    /// The cloze cards drafted (one a gap).
    pub fn cloze_cards(&self) -> usize {
        self.of_type("cloze")
    }

    fn of_type(&self, kind: &str) -> usize {
        let cards = self.deck.cards.iter();
        cards.filter(|c| c.kind.type_name() == kind).count()
    }
}

/// A sentence worth a card, with where it comes from.
#[derive(Clone, Copy)]
struct Found<'a> {
    sentence: &'a str,
    section: &'a str,
    /// (section, paragraph) indices: neighbours share them.
    paragraph: (usize, usize),
}

pub fn generate(text: &SourceText, naming: &Naming) -> Draft {
    let (found, all_sentences) = select(text);
    let sentences: Vec<&str> = found.iter().map(|f| f.sentence).collect();
    let names = Names::count(&sentences);
    let mut made = Made::default();
    for k in 0..found.len() {
        made.cards_of(&found, k, &names);
    }
    let title = format!("Draft: {}", naming.source);
    let mut deck = Deck {
        id: naming.deck_id.clone(),
        title,
        description: Some(format!(
            "Candidate cards drafted from “{}”, for an author to review.",
            naming.source
        )),
        source: Some(naming.source.clone()),
        tags: vec!["draft".to_string()],
        synonyms: Vec::new(),
        cards: made.cards,
    };
    let left_out = keep_apart(&mut deck);
    Draft {
        deck,
        sentences: all_sentences,
        left_out,
    }
}

/// Leaves out each note whose cards' question prints the answer of a card
/// kept before it, or whose answer a kept card's question prints: a draft
/// whose cards answer one another teaches recognition. A cloze note goes
/// whole, with all its gaps. Returns how many cards went.
fn keep_apart(deck: &mut Deck) -> usize {
    let mut against: Vec<Vec<usize>> = vec![Vec::new(); deck.cards.len()];
    for (prompt, answer) in super::giveaway::pairs(deck) {
        against[prompt].push(answer);
        against[answer].push(prompt);
    }
    let mut kept = vec![false; deck.cards.len()];
    let mut i = 0;
    while i < deck.cards.len() {
        let note = &deck.cards[i].note;
        let end = (i..deck.cards.len())
            .find(|&j| deck.cards[j].note != *note)
            .unwrap_or(deck.cards.len());
        let free = (i..end).all(|c| !against[c].iter().any(|&j| kept[j]));
        kept[i..end].iter_mut().for_each(|k| *k = free);
        i = end;
    }
    let before = deck.cards.len();
    let mut index = 0;
    deck.cards.retain(|_| {
        index += 1;
        kept[index - 1]
    });
    before - deck.cards.len()
}

/// The usable sentences outside the end matter, each once, and how many
/// sentences were read.
fn select(text: &SourceText) -> (Vec<Found<'_>>, usize) {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut all_sentences = 0;
    for (s_index, section) in text.sections.iter().enumerate() {
        if section.end_matter {
            continue;
        }
        for (p_index, paragraph) in section.paragraphs.iter().enumerate() {
            for sentence in sentences(paragraph) {
                all_sentences += 1;
                if usable(sentence) && seen.insert(normalize(sentence)) {
                    found.push(Found {
                        sentence,
                        section: &section.heading,
                        paragraph: (s_index, p_index),
                    });
                }
            }
        }
    }
    (found, all_sentences)
}

/// The cards made so far, with the ids and the gap answers they took.
#[derive(Default)]
struct Made {
    cards: Vec<Card>,
    ids: Ids,
    used_answers: HashSet<String>,
}

impl Made {
    /// The cards of the `k`th sentence: a year question, a cloze card on a
    /// name or figure, or, where it has both, one cloze note with the two
    /// gaps (two cards apart would print each other's answer).
    fn cards_of(&mut self, found: &[Found<'_>], k: usize, names: &Names) {
        let Found {
            sentence, section, ..
        } = found[k];
        let year = year_question(sentence);
        let name = names
            .gap(sentence, &self.used_answers)
            .and_then(|answer| sentence.find(answer.as_str()).map(|at| (at, answer)));
        let spans = gap_spans(sentence, year.as_ref().map(|(y, _)| *y), name.clone());
        if spans.len() < 2 {
            if let Some((year, blanked)) = year {
                let id = self
                    .ids
                    .claim(&format!("{year}-{}", short_slug(sentence, 4)));
                let kind = CardKind::Year {
                    q: format!("Which year fills the gap? {blanked}"),
                    a: year,
                    tolerance: 0,
                };
                let why = format!("The text reads: {sentence}");
                self.cards.push(drafted(id, kind, why, found[k]));
                // The name would print the year just asked for.
                return;
            }
        }
        // The name the note asks for, a figure or not; the year beside it.
        let (Some((_, answer)), false) = (&name, spans.is_empty()) else {
            return;
        };
        self.used_answers.insert(normalize(answer));
        let id = self.ids.claim(&short_slug(answer, 5));
        let why = match neighbour(found, k) {
            Some(n) => format!("Around it, the text says: {n}"),
            None => format!("From the section “{section}”."),
        };
        let (text, gaps) = with_gaps(sentence, &spans);
        for gap in 0..gaps.len() {
            let kind = CardKind::Cloze {
                text: text.clone(),
                gaps: gaps.clone(),
                gap,
            };
            let mut c = drafted(id.clone(), kind, why.clone(), found[k]);
            c.id = format!("{}.{}", c.note, gap + 1);
            self.cards.push(c);
        }
    }
}

/// A drafted card on `found`'s sentence, citing its section and quoting it.
fn drafted(id: String, kind: CardKind, why: String, found: Found<'_>) -> Card {
    Card {
        id: id.clone(),
        line: 0,
        note: id,
        kind,
        why: Some(why),
        section: Some(found.section.to_string()),
        source: None,
        quote: Some(found.sentence.to_string()),
        hint: None,
        tags: Vec::new(),
    }
}

/// The gaps a sentence's cloze would have, as (where, answer): the name,
/// and the year beside it when the two do not overlap.
fn gap_spans(
    sentence: &str,
    year: Option<i32>,
    name: Option<(usize, String)>,
) -> Vec<(usize, String)> {
    let Some((at, answer)) = name else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    if let Some(year) = year {
        let apart = |y: usize| y + 4 <= at || at + answer.len() <= y;
        if let Some(y) = year_at(sentence, year).filter(|&y| apart(y)) {
            spans.push((y, year.to_string()));
        }
    }
    spans.push((at, answer));
    spans.sort();
    spans
}

/// The sentence with each span made a `{{gap}}`, and the gaps.
fn with_gaps(sentence: &str, spans: &[(usize, String)]) -> (String, Vec<Gap>) {
    let mut text = String::new();
    let mut from = 0;
    for (at, answer) in spans {
        text.push_str(&sentence[from..*at]);
        text.push_str(&format!("{{{{{answer}}}}}"));
        from = at + answer.len();
    }
    text.push_str(&sentence[from..]);
    let gaps = spans
        .iter()
        .map(|(_, answer)| Gap {
            answer: answer.clone(),
            accept: Vec::new(),
        })
        .collect();
    (text, gaps)
}

/// A sentence of the same paragraph, the next one first.
fn neighbour<'a>(found: &[Found<'a>], k: usize) -> Option<&'a str> {
    let paragraph = found[k].paragraph;
    found
        .get(k + 1)
        .filter(|n| n.paragraph == paragraph)
        .or_else(|| {
            k.checked_sub(1)
                .and_then(|p| found.get(p))
                .filter(|p| p.paragraph == paragraph)
        })
        .map(|n| n.sentence)
}

/// Where a year stands in a sentence as a number of its own.
fn year_at(sentence: &str, year: i32) -> Option<usize> {
    let digits = year.to_string();
    let bytes = sentence.as_bytes();
    sentence
        .match_indices(&digits)
        .map(|(at, _)| at)
        .find(|&at| {
            let end = at + digits.len();
            (at == 0 || !bytes[at - 1].is_ascii_digit())
                && bytes.get(end).is_none_or(|b| !b.is_ascii_digit())
        })
}

/// A sentence a card can stand on: whole, of a sensible length, and free of
/// leftovers from the page it was copied from.
fn usable(sentence: &str) -> bool {
    let words = sentence.split_whitespace().count();
    let latin = sentence
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| (c as u32) < 0x250 || (0x1E00..0x1F00).contains(&(c as u32)));
    (6..=50).contains(&words)
        && latin
        && sentence
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && sentence.ends_with(['.', '!', '?', '"', '”'])
        && !sentence.contains(['|', '=', '{', '}', '*', '^', '[', ']', '~', '\t'])
        && !sentence.contains("''")
        && !sentence.contains("...")
        && sentence.matches('(').count() == sentence.matches(')').count()
        && sentence.matches('"').count().is_multiple_of(2)
        && !leans_on_the_last(sentence)
        && !caption_left_in(sentence)
}

/// A sentence that opens by pointing back ("It", "She", "The visit") needs
/// the one before it; a card needs a sentence that stands alone.
fn leans_on_the_last(sentence: &str) -> bool {
    let mut words = sentence.split(' ');
    let first = words.next().unwrap_or("").trim_end_matches(',');
    let second = words.next().unwrap_or("");
    matches!(
        first,
        "It" | "He"
            | "She"
            | "They"
            | "His"
            | "Her"
            | "Its"
            | "Their"
            | "This"
            | "These"
            | "Those"
            | "That"
            | "Such"
            | "There"
    ) || (first == "The"
        && matches!(
            second,
            "visit"
                | "agreement"
                | "treaty"
                | "move"
                | "talks"
                | "meeting"
                | "decision"
                | "islands"
                | "latter"
                | "former"
                | "same"
        ))
}

/// "... for UN membership The United Nations member states are ...": a
/// capitalised "The" after a lower-case word, with no stop between, is
/// where a link's caption was left inside the sentence.
fn caption_left_in(sentence: &str) -> bool {
    let words: Vec<&str> = sentence.split(' ').collect();
    words
        .windows(2)
        .any(|w| w[1] == "The" && w[0].chars().last().is_some_and(|c| c.is_alphanumeric()))
}

fn short_slug(text: &str, words: usize) -> String {
    slug(text)
        .split('-')
        .take(words)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::parse_deck;
    use crate::deck::write::to_toml;

    const TEXT: &str = "\
Some relations
The lead gives the story in brief, and it is long enough to be a real paragraph of text.
Treaties (1900–1950)
Japan and Russia signed the Treaty of Portsmouth in 1905 after a long war at sea. Japan sent as many as 70,000 troops to Vladivostok in 1918. The Soviet Union and Japan signed a Neutrality Pact on 13 April 1941 in Moscow. Japan stayed out of the war with Russia for most of those years.
Later
In the 1980s Japan was wary. The U.S. pressed Japan to spend more on defence in 1981 and after.
References
- A book, 1999. Something was published in 2001 by a press.
";

    fn draft() -> Draft {
        generate(
            &SourceText::read(TEXT),
            &Naming {
                deck_id: "relations-draft".into(),
                source: "Some relations".into(),
            },
        )
    }

    #[test]
    fn years_and_gaps_come_from_sentences() {
        let d = draft();
        let years: Vec<(i32, &str)> = d
            .deck
            .cards
            .iter()
            .filter_map(|c| match &c.kind {
                CardKind::Year { a, q, .. } => Some((*a, q.as_str())),
                _ => None,
            })
            .collect();
        // A sentence with a year and a name to ask is one cloze note with
        // both gaps; a year alone is a year question.
        assert_eq!(
            years,
            [(1981, "Which year fills the gap? The U.S. pressed Japan to spend more on defence in ____ and after.")]
        );
        let texts: Vec<&str> = d
            .deck
            .cards
            .iter()
            .filter_map(|c| match &c.kind {
                CardKind::Cloze { text, gap: 0, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            texts.contains(&"Japan and Russia signed the {{Treaty of Portsmouth}} in {{1905}} after a long war at sea."),
            "{texts:#?}"
        );
        let gaps: Vec<String> = d
            .deck
            .cards
            .iter()
            .filter_map(|c| match &c.kind {
                CardKind::Cloze { gaps, .. } => Some(gaps[0].answer.clone()),
                _ => None,
            })
            .collect();
        assert!(
            gaps.contains(&"Treaty of Portsmouth".to_string()),
            "{gaps:?}"
        );
        assert!(
            gaps.contains(&"Neutrality Pact".to_string()) || gaps.contains(&"Moscow".to_string()),
            "{gaps:?}"
        );
        assert!(
            !gaps.iter().any(|g| g == "Japan"),
            "Japan is in every sentence: {gaps:?}"
        );
        assert!(d
            .deck
            .cards
            .iter()
            .all(|c| c.section.as_deref() != Some("References")));
        assert_eq!(d.year_cards(), 1);
    }

    #[test]
    fn every_card_quotes_its_sentence_and_the_draft_checks_clean() {
        let d = draft();
        for card in &d.deck.cards {
            let quote = card.quote.as_deref().unwrap();
            assert!(TEXT.contains(quote), "{quote}");
        }
        let text = to_toml(&d.deck, "a draft");
        let outcome = parse_deck(&text);
        assert_eq!(outcome.diagnostics, vec![], "{text}");
        assert_eq!(
            outcome.deck.unwrap().cards.len(),
            d.year_cards() + d.cloze_cards()
        );
    }

    #[test]
    fn names_figures_and_openers() {
        assert_eq!(
            candidates(
                "After the war the Treaty of San Francisco left 56 islands to the Soviet Union.",
                None
            ),
            ["Treaty of San Francisco", "56", "Soviet Union"]
        );
        assert_eq!(
            candidates("On 27 April 2018 Moscow's forum met.", None),
            ["Moscow"]
        );
        assert_eq!(
            candidates("Joseph Stalin met Matsuoka.", None),
            ["Joseph Stalin", "Matsuoka"]
        );
        let names: HashSet<String> = ["Stalin".to_string()].into();
        assert_eq!(
            candidates("Ratifications were exchanged in Tokyo.", Some(&names)),
            ["Tokyo"]
        );
        assert_eq!(
            candidates("Stalin declined, The Bolsheviks said.", Some(&names)),
            ["Stalin", "Bolsheviks"]
        );
        assert!(!usable(
            "Sakhalin ( rus, Сахали́н ) is an island of some size, they say."
        ));
        assert!(!usable("Short one."));
        assert!(adjective("Sino-Japanese") && adjective("Siberian") && adjective("Western"));
        assert!(!usable("It was signed at last by both of the two sides."));
        assert!(!usable(
            "Japan sought UN membership The United Nations member states are many."
        ));
        assert_eq!(
            candidates("The visit of Prime Minister Yasuhiro Nakasone and President of Russia Dmitry Medvedev went well.", None),
            ["Yasuhiro Nakasone", "Dmitry Medvedev"]
        );
        assert_eq!(
            year_question("From 1917 to 1991 and in 1917 again, it was so.").map(|(y, _)| y),
            Some(1991)
        );
        assert_eq!(year_question("In 1917 and again in 1917."), None);
        assert_eq!(
            year_question("In 1918 troops went in (1918–21) and stayed until 1922.")
                .map(|(y, _)| y),
            Some(1922)
        );
        assert!(!adjective("Korea") && !adjective("Russo-Japanese War"));
        assert!(usable(
            "The Soviet government refused to sign the 1951 peace treaty."
        ));
    }

    #[test]
    fn a_note_that_would_print_a_kept_cards_answer_is_left_out_whole() {
        let src = "format = 1\n[deck]\nid = \"d\"\ntitle = \"T\"\n\
            [[cards]]\nid = \"kept\"\ntype = \"typed\"\nq = \"Which port did Laxman reach?\"\na = \"Nemuro\"\n\
            [[cards]]\nid = \"pair\"\ntype = \"cloze\"\ntext = \"{{Laxman}} sailed in {{1792}}.\"\n\
            [[cards]]\nid = \"apart\"\ntype = \"cloze\"\ntext = \"Rezanov came in {{1804}}.\"\n";
        let mut deck = parse_deck(src).deck.unwrap();
        // The typed card prints Laxman, the pair's first gap: the pair goes
        // with both its gaps; the third card answers nothing printed.
        assert_eq!(keep_apart(&mut deck), 2);
        let ids: Vec<&str> = deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["kept", "apart.1"]);
    }

    #[test]
    fn a_figure_beside_a_year_is_the_notes_answer() {
        let text = SourceText::read(
            "Islands\nThe lead gives the story in brief, and it is long enough to be a real paragraph of text here.\nClaims\nIn 1905 the treaty left 56 islands to the northern empire after the war ended.\nLater the northern empire still held 56 islands along the long chain to the east.\n",
        );
        let d = generate(
            &text,
            &Naming {
                deck_id: "d".into(),
                source: "S".into(),
            },
        );
        let notes: Vec<&str> = d.deck.cards.iter().map(|c| c.note.as_str()).collect();
        // 56 is the name asked, and once asked it is not asked again.
        assert_eq!(notes, ["56", "56"]);
    }
}
