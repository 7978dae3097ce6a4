//! Reading a plain-text source: its title, its section headings and its
//! prose, with the link captions of a copied web page taken out.
//!
//! Encyclopedia text copied from a web page often keeps, after a linked
//! name, the first lines of the linked article: the name stands on a line of
//! its own, the caption follows, and the caption's last line ends in `...`.
//! The sentence then goes on after the caption. [`SourceText::read`] finds
//! those captions and joins the sentence back together, so that `deck
//! generate` sees whole sentences and `deck check` can match a quote that
//! runs across a link.
//!
//! Pure: text in, structure out.

/// The name of the text before the first heading.
pub const INTRODUCTION: &str = "Introduction";

/// Headings after which the text is apparatus, not history.
const END_MATTER: [&str; 8] = [
    "See also",
    "References",
    "Notes",
    "Further reading",
    "External links",
    "Bibliography",
    "Sources",
    "Citations",
];

/// A source text, read.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceText {
    /// The first line, when it stands alone as the article's title.
    pub title: Option<String>,
    pub sections: Vec<Section>,
}

/// The prose under one heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading as written, or [`INTRODUCTION`] for the lead.
    pub heading: String,
    /// The heading's line (1-based); the first line of prose for the lead.
    pub line: usize,
    /// Whether the section comes after "See also", "References" and the like.
    pub end_matter: bool,
    /// Paragraphs, each one line of running text.
    pub paragraphs: Vec<String>,
    /// For each paragraph, where its lines of the file begin in it: byte
    /// offsets into the paragraph and 1-based line numbers, in order.
    pub line_starts: Vec<Vec<(usize, usize)>>,
}

impl SourceText {
    pub fn read(text: &str) -> SourceText {
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let caption = captions(&lines);
        let anchor: Vec<bool> = (0..lines.len())
            .map(|i| !caption[i] && caption.get(i + 1) == Some(&true))
            .collect();
        // The lines that are the text's own, with their numbers.
        let prose: Vec<(usize, String)> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| !caption[*i] && !l.trim().is_empty())
            .map(|(i, l)| (i, strip_citations(l.trim())))
            .filter(|(_, l)| !l.is_empty())
            .collect();

        let mut title = None;
        let mut sections = vec![Section {
            heading: INTRODUCTION.to_string(),
            line: prose.first().map_or(1, |(i, _)| i + 1),
            end_matter: false,
            paragraphs: Vec::new(),
            line_starts: Vec::new(),
        }];
        let mut paragraph = Paragraph::default();
        let mut in_end_matter = false;
        for (k, (i, line)) in prose.iter().enumerate() {
            let (i, line) = (*i, line.as_str());
            let before = k.checked_sub(1).map(|k| prose[k].1.as_str());
            let after = prose.get(k + 1).map(|p| p.1.as_str());
            // Before a linked name, a short line that opens like a sentence
            // is the start of one, cut by the link.
            let next_is_link = prose.get(k + 1).is_some_and(|(j, _)| anchor[*j]);
            let sentence_like = line.split(' ').count() > 6
                || [
                    "The", "A", "An", "This", "It", "He", "She", "They", "In", "On",
                ]
                .contains(&line.split(' ').next().unwrap_or(""));
            let cut_by_link = next_is_link && sentence_like;
            let heading = !anchor[i] && !cut_by_link && is_heading(line, before, after);
            if heading && k == 0 && is_title_block(&prose[1..]) {
                title = Some(line.to_string());
                continue;
            }
            if heading {
                paragraph.flush(sections.last_mut());
                in_end_matter |= END_MATTER.contains(&line);
                sections.push(Section {
                    heading: line.to_string(),
                    line: i + 1,
                    end_matter: in_end_matter,
                    paragraphs: Vec::new(),
                    line_starts: Vec::new(),
                });
                continue;
            }
            if table_row(line) {
                continue;
            }
            // A new paragraph starts where a whole line begins a sentence
            // after one that ended one and nothing was cut by a caption.
            let joined_after_caption = i > 0 && caption[i - 1];
            let prev_ended = paragraph.text.ends_with(['.', '!', '?', '"', '”']);
            if !paragraph.text.is_empty()
                && prev_ended
                && !joined_after_caption
                && starts_sentence(line)
            {
                paragraph.flush(sections.last_mut());
            }
            paragraph.join(line, i + 1);
        }
        paragraph.flush(sections.last_mut());
        if sections[0].paragraphs.is_empty() && sections.len() > 1 {
            sections.remove(0);
        }
        SourceText { title, sections }
    }

    /// Every heading, as `deck check --source` accepts them.
    pub fn headings(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|s| s.heading.as_str())
    }

    /// The running text of every section, one paragraph a line.
    pub fn body(&self) -> String {
        let mut out = String::new();
        for p in self.sections.iter().flat_map(|s| &s.paragraphs) {
            out.push_str(p);
            out.push('\n');
        }
        out
    }
}

impl Section {
    /// The section's sentences, each with the line of the file it starts on.
    pub fn sentences(&self) -> impl Iterator<Item = (usize, &str)> {
        let heading_line = self.line;
        self.paragraphs
            .iter()
            .zip(&self.line_starts)
            .flat_map(move |(text, starts)| {
                sentences(text).into_iter().map(move |s| {
                    // A sentence is a slice of its paragraph: its offset
                    // finds the line it begins on.
                    let offset = s.as_ptr() as usize - text.as_ptr() as usize;
                    let before = starts.partition_point(|(at, _)| *at <= offset);
                    let line = before.checked_sub(1).map_or(heading_line, |i| starts[i].1);
                    (line, s)
                })
            })
    }
}

/// A paragraph being put together, with where each of its lines began.
#[derive(Default)]
struct Paragraph {
    text: String,
    starts: Vec<(usize, usize)>,
}

impl Paragraph {
    fn join(&mut self, line: &str, number: usize) {
        self.starts.push((self.text.len(), number));
        join(&mut self.text, line);
    }

    fn flush(&mut self, section: Option<&mut Section>) {
        if !self.text.is_empty() {
            if let Some(section) = section {
                section.paragraphs.push(std::mem::take(&mut self.text));
                section.line_starts.push(std::mem::take(&mut self.starts));
            }
        }
        self.text.clear();
        self.starts.clear();
    }
}

/// Joins a line onto running text the way the page had it: no space before
/// punctuation or before a plural or possessive ending cut off by a link.
fn join(paragraph: &mut String, line: &str) {
    let glued = line.starts_with([',', '.', ';', ':', ')', '!', '?', '%'])
        || ["s ", "s,", "s.", "'s", "’s"]
            .iter()
            .any(|p| line.starts_with(p))
        || line == "s";
    if !paragraph.is_empty() && !glued && !paragraph.ends_with(['(', '“']) {
        paragraph.push(' ');
    }
    paragraph.push_str(line);
}

fn starts_sentence(line: &str) -> bool {
    line.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Lines of a table, such as an infobox kept as `a | b |`.
fn table_row(line: &str) -> bool {
    line.contains(" |") || line.ends_with('|') || line.starts_with("---")
}

/// The text without reference marks: `[12]`, `[a]`, `[citation needed]`.
fn strip_citations(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        let mark = (!inner.is_empty()
            && inner.len() <= 4
            && inner.chars().all(|c| c.is_ascii_alphanumeric()))
            || inner == "citation needed"
            || inner.starts_with("note ");
        out.push_str(&rest[..open]);
        if !mark {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

/// After a one-line title, an article opens with a table or its lead.
fn is_title_block(rest: &[(usize, String)]) -> bool {
    rest.first()
        .is_some_and(|(_, l)| table_row(l) || l.len() > 80)
}

/// A heading: a short line of its own between sentences, not one that
/// breaks off a sentence at a link.
fn is_heading(line: &str, before: Option<&str>, after: Option<&str>) -> bool {
    const OPEN_ENDINGS: [&str; 17] = [
        "the", "a", "an", "of", "and", "in", "at", "on", "to", "with", "for", "by", "from", "as",
        "or", "between", "that",
    ];
    if END_MATTER.contains(&line) {
        return true;
    }
    let last_word = line.rsplit(' ').next().unwrap_or("").to_lowercase();
    line.chars().count() <= 80
        && starts_sentence(line)
        && !line.ends_with(['.', ',', ';', ':', '!', '?'])
        && !line.contains(", ")
        && !table_row(line)
        && !OPEN_ENDINGS.contains(&last_word.as_str())
        && before.is_none_or(|b| b.ends_with(['.', '!', '?', '"', '\'', ')', '”', '’']))
        && after.is_none_or(|a| {
            starts_sentence(a) || a.starts_with(['-', '*', '"', '“']) || END_MATTER.contains(&a)
        })
}

/// Which lines belong to link captions. A caption ends with a line ending
/// in `...`; it begins on the line after the linked name, which is found by
/// the shapes captions open with (the name again, "is"/"was", an infobox
/// field, a "may refer to:" list, a quoted motto).
fn captions(lines: &[&str]) -> Vec<bool> {
    let mut caption = vec![false; lines.len()];
    let mut after_last = 0;
    for end in 0..lines.len() {
        if !lines[end].ends_with("...") {
            continue;
        }
        // Inside a caption of three lines or more, every line between the
        // first and the last is a list item or an infobox field.
        let continues = |k: usize| lines[k].trim_start().starts_with([',', ';', '*', '{']);
        let start = (after_last + 1..=end)
            .find(|&k| {
                k >= 1
                    && opens_caption(lines[k].trim(), lines[k - 1].trim())
                    && (k + 1..end).all(continues)
            })
            .unwrap_or(end);
        caption[start..=end].iter_mut().for_each(|c| *c = true);
        after_last = end + 1;
    }
    caption
}

fn opens_caption(line: &str, name: &str) -> bool {
    if line.is_empty() || name.is_empty() {
        return false;
    }
    // Infobox fields: `, date = ...`, `; ja, ...`.
    if let Some(rest) = line.strip_prefix([',', ';']) {
        let rest = rest.trim_start();
        let field = rest.split_once(" =").is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_')
        });
        if field
            || ["ja,", "rus,", "ru,", "russian:"]
                .iter()
                .any(|p| rest.starts_with(p))
        {
            return true;
        }
    }
    let opening: Vec<&str> = line.splitn(3, ' ').collect();
    let verb_first = |w: &str| matches!(w, "is" | "was" | "are" | "were");
    if verb_first(opening[0])
        || (opening[0] == "The" && opening.get(1).is_some_and(|w| verb_first(w)))
    {
        return true;
    }
    if line.contains("may refer to") || line.contains("refers to anything") {
        return true;
    }
    if line.len() > 2
        && line.starts_with('"')
        && line.ends_with('"')
        && line.matches('"').count() == 2
    {
        return true;
    }
    // The linked name is short and stands alone; its caption opens with it.
    if name.starts_with('*') || name.contains(": ") || name.ends_with(['.', '!', '?']) {
        return false;
    }
    if name.split_whitespace().count() > 8 {
        return false;
    }
    let first = |s: &str| {
        s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .find(|w| {
                !matches!(w.as_str(), "the" | "a" | "an") && w.chars().any(char::is_alphabetic)
            })
            .map(|w| w.trim_end_matches("'s").trim_end_matches('s').to_string())
    };
    // An abbreviation opens with the words it stands for: UN, United Nations.
    let initials = |s: &str| -> String {
        s.split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase) && *w != "The")
            .filter_map(|w| w.chars().next())
            .collect()
    };
    let acronym = name
        .split_whitespace()
        .next()
        .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()));
    if acronym.is_some_and(|a| initials(line).starts_with(a)) {
        return true;
    }
    matches!((first(line), first(name)), (Some(a), Some(b)) if a == b)
}

/// Splits running text into sentences, keeping abbreviations and initials
/// ("U.S.", "J. D.", "c. 1900") inside their sentence.
pub fn sentences(paragraph: &str) -> Vec<&str> {
    let bytes = paragraph.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // Closing quotes and brackets stay with the sentence.
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b')' | b'\'') {
                end += 1;
            }
            let next_starts = paragraph[end..]
                .strip_prefix(' ')
                .and_then(|r| r.chars().next())
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '“');
            if (end == bytes.len() || next_starts) && !abbreviation(&paragraph[start..i]) {
                out.push(paragraph[start..end].trim());
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if !paragraph[start..].trim().is_empty() {
        out.push(paragraph[start..].trim());
    }
    out
}

/// Whether the text before a full stop ends in an abbreviation or an initial.
fn abbreviation(before: &str) -> bool {
    let word = before.rsplit([' ', '(']).next().unwrap_or("");
    let single_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    single_initial
        || word.contains('.') // U.S, e.g, i.e
        || matches!(
            word,
            "Mr" | "Mrs" | "Dr" | "St" | "Gen" | "Lt" | "Col" | "Adm" | "No" | "c" | "ca" | "vs"
                | "etc" | "Jr" | "Sr" | "Co" | "Inc" | "Ltd" | "approx"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "\
Japan sent troops to the Far East during the
Russian Civil War
, date = 7 November 1917 – 16 June 1923 ...
, and both sides stayed apart after
World War II
World War II or the Second World War was a global conflict ...
. Trade grew slowly.
1925–1930: Quiet cooperation
Little happened. The
Soviet Union
The Soviet Union was a state ...
s fishing fleets met the Japanese ones at sea.
Military presence on
Okinawa
is a prefecture of Japan. Okinawa Prefecture is the southernmost
Naha is the capital ...
and the main islands stayed.
See also
- Something else
";

    #[test]
    fn captions_are_cut_and_sentences_rejoined() {
        let text = SourceText::read(PAGE);
        let body = text.body();
        assert!(body.contains(
            "Japan sent troops to the Far East during the Russian Civil War, and both sides stayed apart after World War II. Trade grew slowly."
        ), "{body}");
        assert!(
            body.contains("Little happened. The Soviet Unions fishing fleets"),
            "{body}"
        );
        assert!(
            body.contains("Military presence on Okinawa and the main islands stayed."),
            "{body}"
        );
        assert!(!body.contains("..."), "{body}");
        assert!(!body.contains("date ="), "{body}");
    }

    #[test]
    fn headings_are_lines_between_sentences() {
        let text = SourceText::read(PAGE);
        let headings: Vec<&str> = text.headings().collect();
        assert_eq!(
            headings,
            [INTRODUCTION, "1925–1930: Quiet cooperation", "See also"]
        );
        assert!(text.sections[2].end_matter);
        assert!(!text.sections[1].end_matter);
        assert_eq!(text.sections[1].line, 8);
    }

    #[test]
    fn a_lone_first_line_is_the_title() {
        let text = SourceText::read(
            "Some relations\nA | B |\n---|---|\nThe lead says a great deal about the history of these two countries, at length.\nHistory\nIt began.\n",
        );
        assert_eq!(text.title.as_deref(), Some("Some relations"));
        let headings: Vec<&str> = text.headings().collect();
        assert_eq!(headings, [INTRODUCTION, "History"]);
        assert_eq!(text.sections[0].paragraphs.len(), 1);
    }

    #[test]
    fn reference_marks_are_dropped() {
        assert_eq!(
            strip_citations("Signed in 1905.[9] Then[a] more[citation needed]."),
            "Signed in 1905. Then more."
        );
        assert_eq!(
            strip_citations("A [long bracket] stays [x"),
            "A [long bracket] stays [x"
        );
    }

    #[test]
    fn sentences_keep_abbreviations() {
        assert_eq!(
            sentences("The U.S. had full control. Gen. Tanaka came in 1927. Then J. D. Brown wrote (c. 1990) a book."),
            [
                "The U.S. had full control.",
                "Gen. Tanaka came in 1927.",
                "Then J. D. Brown wrote (c. 1990) a book."
            ]
        );
        assert_eq!(
            sentences("He said \"no.\" Then left"),
            ["He said \"no.\"", "Then left"]
        );
    }
}
