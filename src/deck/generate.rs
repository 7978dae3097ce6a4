//! `kioku deck generate`: a draft deck from a plain-text source.
//!
//! Every usable sentence that carries a year becomes a year question with
//! that year blanked out, and every sentence that carries a name or a figure
//! rare enough to be worth asking becomes a cloze card with it as the gap.
//! Each card cites its section and quotes its sentence, so `deck check
//! --source` can prove where it came from. The result is a draft: a person
//! reads it, keeps what is worth learning and rewords it.
//!
//! Pure: a [`SourceText`] in, a [`Deck`] out.

use super::fmt::{slug, Ids};
use super::source::{sentences, SourceText};
use super::{Card, CardKind, Deck, Gap};
use crate::fold::normalize;
use std::collections::{HashMap, HashSet};

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
    pub year_cards: usize,
    pub cloze_cards: usize,
}

/// Words that open a sentence in capitals without being names.
const OPENERS: [&str; 44] = [
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "After",
    "Before",
    "During",
    "From",
    "By",
    "As",
    "With",
    "When",
    "While",
    "Since",
    "Although",
    "Despite",
    "This",
    "These",
    "That",
    "Those",
    "Both",
    "Its",
    "His",
    "Her",
    "Their",
    "It",
    "He",
    "She",
    "They",
    "But",
    "And",
    "However",
    "Following",
    "Under",
    "Between",
    "Until",
    "Also",
    "Some",
    "Many",
    "For",
    "To",
    "Of",
];
/// Small words allowed inside a name: "Treaty of Portsmouth", "Sea of Okhotsk".
const JOINERS: [&str; 4] = ["of", "the", "de", "von"];
/// Offices that come before a name: "Prime Minister Yasuhiro Nakasone".
const TITLES: [&str; 16] = [
    "President",
    "Prime",
    "Minister",
    "Foreign",
    "Defense",
    "Defence",
    "General",
    "Chief",
    "Ambassador",
    "Emperor",
    "Princess",
    "Prince",
    "Secretary",
    "Chairman",
    "Premier",
    "Admiral",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn generate(text: &SourceText, naming: &Naming) -> Draft {
    // Sentences worth a card, with where they come from.
    let mut found: Vec<(&str, &str, (usize, usize))> = Vec::new(); // sentence, section, (section, paragraph)
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
                    found.push((sentence, &section.heading, (s_index, p_index)));
                }
            }
        }
    }

    // The words that open a name inside a sentence, where a capital means
    // a name: "Ratifications were exchanged" does not make one.
    let names: HashSet<String> = found
        .iter()
        .flat_map(|(sentence, ..)| {
            let opening = sentence.split(' ').next().unwrap_or("");
            candidates(sentence, None)
                .into_iter()
                .filter(move |c| !opening.starts_with(c.split(' ').next().unwrap_or("")))
        })
        .filter_map(|c| c.split(' ').next().map(str::to_string))
        .collect();
    let candidates = |sentence: &str| candidates(sentence, Some(&names));

    // How many sentences name each thing: the names in nearly every
    // sentence ("Japan") are not worth a gap.
    let mut frequency: HashMap<String, usize> = HashMap::new();
    for (sentence, ..) in &found {
        let names: HashSet<String> = candidates(sentence)
            .into_iter()
            .map(|c| normalize(&c))
            .collect();
        for n in names {
            *frequency.entry(n).or_default() += 1;
        }
    }
    let too_common = (found.len() / 25).max(3);

    let mut cards = Vec::new();
    let mut ids = Ids::default();
    let mut used_answers: HashSet<String> = HashSet::new();
    let (mut year_cards, mut cloze_cards) = (0, 0);
    for (k, &(sentence, section, paragraph)) in found.iter().enumerate() {
        let neighbour = found
            .get(k + 1)
            .filter(|n| n.2 == paragraph)
            .or_else(|| {
                k.checked_sub(1)
                    .and_then(|p| found.get(p))
                    .filter(|p| p.2 == paragraph)
            })
            .map(|n| n.0);
        let card = |id: String, kind: CardKind, why: String| Card {
            id: id.clone(),
            line: 0,
            note: id,
            kind,
            why: Some(why),
            section: Some(section.to_string()),
            source: None,
            quote: Some(sentence.to_string()),
            hint: None,
            tags: Vec::new(),
        };

        if let Some((year, blanked)) = year_question(sentence) {
            let id = ids.claim(&format!("{year}-{}", short_slug(sentence, 4)));
            let kind = CardKind::Year {
                q: format!("Which year fills the gap? {blanked}"),
                a: year,
                tolerance: 0,
            };
            cards.push(card(id, kind, format!("The text reads: {sentence}")));
            year_cards += 1;
        }

        let gap = candidates(sentence)
            .into_iter()
            .filter(|c| frequency.get(&normalize(c)).copied().unwrap_or(0) <= too_common)
            .filter(|c| !gives_itself_away(sentence, c) && !adjective(c))
            .filter(|c| !used_answers.contains(&normalize(c)))
            .enumerate()
            // The rarest, then the longest, then the latest: the subject
            // opens a sentence, the fact tends to come after.
            .min_by_key(|(i, c)| {
                let f = frequency.get(&normalize(c)).copied().unwrap_or(0);
                (f, std::cmp::Reverse((c.split_whitespace().count(), *i)))
            })
            .map(|(_, c)| c);
        if let Some(answer) = gap {
            let Some(at) = sentence.find(answer.as_str()) else {
                continue;
            };
            let text = format!(
                "{}{{{{{}}}}}{}",
                &sentence[..at],
                answer,
                &sentence[at + answer.len()..]
            );
            used_answers.insert(normalize(&answer));
            let id = ids.claim(&short_slug(&answer, 5));
            let why = match neighbour {
                Some(n) => format!("Around it, the text says: {n}"),
                None => format!("From the section “{section}”."),
            };
            let kind = CardKind::Cloze {
                text,
                gaps: vec![Gap {
                    answer: answer.clone(),
                    accept: Vec::new(),
                }],
                gap: 0,
            };
            let mut c = card(id, kind, why);
            c.id = format!("{}.1", c.note);
            cards.push(c);
            cloze_cards += 1;
        }
    }

    let title = format!("Draft: {}", naming.source);
    Draft {
        deck: Deck {
            id: naming.deck_id.clone(),
            title,
            description: Some(format!(
                "Candidate cards drafted from “{}”, for an author to review.",
                naming.source
            )),
            source: Some(naming.source.clone()),
            tags: vec!["draft".to_string()],
            cards,
        },
        sentences: all_sentences,
        year_cards,
        cloze_cards,
    }
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

/// The first year the sentence names on its own (not in a range like
/// 1904–05 or a decade like 1980s) and nowhere else, and the sentence with
/// it blanked.
fn year_question(sentence: &str) -> Option<(i32, String)> {
    let mut offset = 0;
    for token in sentence.split(' ') {
        let start = offset;
        offset += token.len() + 1;
        let core = token.trim_matches(|c: char| ",.;:()\"'".contains(c));
        if core.len() != 4 || !core.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let year: i32 = core.parse().ok()?;
        if !(1000..=2099).contains(&year) {
            continue;
        }
        let at = start + token.find(core)?;
        let blanked = format!("{}____{}", &sentence[..at], &sentence[at + 4..]);
        // "from 1855 to 1917 ... in 1917", "(1918–21) ... from 1918": the
        // rest of the sentence would give the answer.
        if blanked.contains(core) {
            continue;
        }
        return Some((year, blanked));
    }
    None
}

/// Names and figures a gap could hide, in the order the sentence has them.
/// A capitalised word that opens a sentence is only taken for a name when
/// `names` (the words that open a name inside some sentence) has it.
fn candidates(sentence: &str, names: Option<&HashSet<String>>) -> Vec<String> {
    let tokens: Vec<&str> = sentence.split(' ').collect();
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut run_start = 0;
    let close = |run: &mut Vec<&str>, start: usize, out: &mut Vec<String>| {
        while run.last().is_some_and(|w| JOINERS.contains(w)) {
            run.pop();
        }
        let mut words: &[&str] = run;
        while words.first().is_some_and(|w| OPENERS.contains(w)) {
            words = &words[1..];
        }
        if start == 0 && words.len() == run.len() {
            if let (Some(names), Some(first)) = (names, words.first()) {
                if !names.contains(*first) {
                    words = &words[1..];
                }
            }
        }
        if words
            .first()
            .is_some_and(|w| JOINERS.contains(w) || MONTHS.contains(w))
        {
            words = &words[1..];
        }
        // A title goes; the person's name (its last two words) stays.
        if words.len() >= 3 && TITLES.contains(&words[0]) {
            words = &words[words.len() - 2..];
            if TITLES.contains(&words[0]) || JOINERS.contains(&words[0]) {
                words = &words[1..];
            }
        }
        let lone_month = words.len() == 1 && MONTHS.contains(&words[0]);
        if !words.is_empty() && !lone_month {
            out.push(words.join(" "));
        }
        run.clear();
    };
    for (i, raw) in tokens.iter().enumerate() {
        let word = raw.trim_start_matches(['(', '"', '“']);
        let ends_clause = raw.ends_with([',', '.', ';', ':', ')', '"', '”', '?', '!']);
        let core = word
            .trim_end_matches([',', '.', ';', ':', ')', '"', '”', '?', '!'])
            .trim_end_matches("'s")
            .trim_end_matches("’s");
        let capital = core.chars().next().is_some_and(char::is_uppercase)
            && core.chars().any(char::is_lowercase)
            || core.len() >= 2 && core.chars().all(|c| c.is_ascii_uppercase());
        let joiner = !run.is_empty() && JOINERS.contains(&core) && !ends_clause;
        if capital || joiner {
            if run.is_empty() {
                run_start = i;
            }
            run.push(core);
            if ends_clause || core.len() != word.len() && !joiner {
                close(&mut run, run_start, &mut out);
            }
        } else {
            close(&mut run, run_start, &mut out);
            if let Some(figure) = figure(
                core,
                tokens.get(i + 1).copied(),
                i.checked_sub(1).map(|p| tokens[p]),
            ) {
                out.push(figure);
            }
        }
    }
    close(&mut run, run_start, &mut out);
    out.retain(|c| sentence.contains(c.as_str()));
    out
}

/// A count or an amount ("70,000", "56", "61%"), not a year or a day of a month.
fn figure(core: &str, next: Option<&str>, previous: Option<&str>) -> Option<String> {
    let digits = core.trim_end_matches('%');
    let numeric = digits.len() >= 2
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b',')
        && digits.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let is_year = digits.len() == 4 && !digits.contains(',');
    let by_month =
        |w: Option<&str>| w.is_some_and(|w| MONTHS.contains(&w.trim_end_matches([',', '.'])));
    (numeric && !is_year && !by_month(next) && !by_month(previous)).then(|| core.to_string())
}

/// A lone word that describes rather than names: "Sino-Japanese",
/// "Siberian", "Western". A poor gap: many words fit it.
fn adjective(candidate: &str) -> bool {
    !candidate.contains(' ')
        && (candidate.contains(['-', '–'])
            || ["ese", "ian", "ean", "ern", "ican", "ish"]
                .iter()
                .any(|end| candidate.ends_with(end)))
}

/// Whether the answer can be read off the rest of the sentence.
fn gives_itself_away(sentence: &str, answer: &str) -> bool {
    let rest = sentence.replacen(answer, " ", 1);
    format!(" {} ", normalize(&rest)).contains(&format!(" {} ", normalize(answer)))
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
        assert_eq!(
            years,
            [
                (1905, "Which year fills the gap? Japan and Russia signed the Treaty of Portsmouth in ____ after a long war at sea."),
                (1918, "Which year fills the gap? Japan sent as many as 70,000 troops to Vladivostok in ____."),
                (1941, "Which year fills the gap? The Soviet Union and Japan signed a Neutrality Pact on 13 April ____ in Moscow."),
                (1981, "Which year fills the gap? The U.S. pressed Japan to spend more on defence in ____ and after."),
            ]
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
        assert_eq!(d.year_cards, 4);
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
            d.year_cards + d.cloze_cards
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
}
