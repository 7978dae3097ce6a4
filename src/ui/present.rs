//! One presenter for a card, shared by line mode, the full screen and
//! `kioku card`: the session's prompt, the feedback after an answer and a
//! stored card record become labelled lines, each a [`Role`] and its text.
//!
//! It owns what is shown and in which order, how the pieces are joined
//! ("source · section", the letter diff beside what was typed, one interval
//! per rating) and the cleaning of outside text on its way out. It must
//! never know about terminals: no widths, no colours, no keys; the
//! front-ends lay the lines out and style them by role.

use crate::deck::CardKind;
use crate::session::{DiffPart, Feedback, Prompt};
use crate::text::{clean, clean_line};
use crate::types::{CardState, Phase, Rating, Verdict};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

/// What a line is, so that each front-end can word and style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Where the card comes from and where it stands: deck, type, phase.
    Heading,
    /// The question; may span lines.
    Question,
    /// A choice option or an order item, numbered from 1 as shown.
    Option(usize),
    /// The wrong options of a choice card, joined (a card record only).
    WrongOptions,
    /// How the answer was judged; the text is the mark.
    Verdict(Verdict),
    /// The right answer; an order's spans one line an item.
    Answer,
    /// What the learner gave, empty when nothing was; with the letter diff
    /// in [`Shown::parts`] when the session compared a typed answer.
    Yours,
    /// Why the answer is what it is; may span lines.
    Why,
    /// The source and its section, joined.
    Source,
    /// The next interval if the answer is saved with this rating.
    Interval(Rating),
    /// The answer just given makes the card a leech.
    Leech,
    /// A stored card's scheduling state, on one line.
    State,
    /// The answers the learner said were right ("I was right"), joined; a
    /// card record only, and only when there are some.
    Accepted,
    /// One stored review, oldest first.
    Review,
}

/// One labelled line. The text is cleaned for the terminal already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub role: Role,
    pub text: String,
    /// For [`Role::Yours`]: what was typed against the answer, letter by
    /// letter, cleaned; empty for every other line.
    pub parts: Vec<DiffPart>,
}

impl Shown {
    fn new(role: Role, text: impl Into<String>) -> Self {
        Shown {
            role,
            text: text.into(),
            parts: Vec::new(),
        }
    }
}

/// The first text of a role in `lines`, if it is there.
pub fn text_of(lines: &[Shown], role: Role) -> Option<&str> {
    lines
        .iter()
        .find(|l| l.role == role)
        .map(|l| l.text.as_str())
}

/// The card being asked: its heading, the question and the options.
pub fn prompt(p: &Prompt) -> Vec<Shown> {
    let mut lines = vec![
        Shown::new(
            Role::Heading,
            heading(&p.deck_id, &p.card.kind, p.phase.name()),
        ),
        Shown::new(Role::Question, clean(&p.question)),
    ];
    for (i, o) in p.options.iter().enumerate() {
        lines.push(Shown::new(Role::Option(i + 1), clean_line(o)));
    }
    lines
}

fn heading(deck: &str, kind: &CardKind, phase: &str) -> String {
    format!("{} · {} · {phase}", clean_line(deck), kind.type_name())
}

/// The mark a verdict is shown with.
pub fn mark(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Correct => "✓ correct",
        Verdict::Close => "≈ close",
        Verdict::Wrong => "✗ wrong",
        Verdict::SelfGraded => "answer",
    }
}

/// The sentence shown when an answer makes the card a leech.
pub const LEECH: &str =
    "this card is now a leech: it keeps slipping away — consider rewriting it or adding a hint";

/// What the learner sees after answering: the verdict, the answer, what was
/// given (for a checked answer), the why, the source, the next intervals
/// and the leech warning, in that order.
pub fn feedback(f: &Feedback) -> Vec<Shown> {
    let mut lines = vec![
        Shown::new(Role::Verdict(f.verdict), mark(f.verdict)),
        Shown::new(Role::Answer, clean(&f.answer)),
    ];
    if f.verdict != Verdict::SelfGraded {
        lines.push(Shown {
            role: Role::Yours,
            text: clean_line(&f.given),
            parts: f.diff.as_deref().map(clean_parts).unwrap_or_default(),
        });
    }
    push_why_and_source(
        &mut lines,
        f.why.as_deref(),
        f.source.as_deref(),
        f.section.as_deref(),
    );
    if let Some(intervals) = f.intervals {
        for (r, i) in Rating::ALL.into_iter().zip(intervals) {
            lines.push(Shown::new(Role::Interval(r), i.to_string()));
        }
    }
    if f.leech {
        lines.push(Shown::new(Role::Leech, LEECH));
    }
    lines
}

// Both what was typed and the deck's answer are outside text.
fn clean_parts(parts: &[DiffPart]) -> Vec<DiffPart> {
    parts
        .iter()
        .map(|p| match p {
            DiffPart::Same(s) => DiffPart::Same(clean_line(s)),
            DiffPart::Extra(s) => DiffPart::Extra(clean_line(s)),
            DiffPart::Missing(s) => DiffPart::Missing(clean_line(s)),
        })
        .collect()
}

fn push_why_and_source(
    lines: &mut Vec<Shown>,
    why: Option<&str>,
    source: Option<&str>,
    section: Option<&str>,
) {
    if let Some(why) = why {
        lines.push(Shown::new(Role::Why, clean(why)));
    }
    let source = match (source, section) {
        (Some(s), Some(sec)) => format!("{} · {}", clean_line(s), clean_line(sec)),
        (Some(s), None) => clean_line(s),
        (None, Some(sec)) => clean_line(sec),
        (None, None) => return,
    };
    lines.push(Shown::new(Role::Source, source));
}

/// A time as `kioku card` shows it: RFC 3339 to the second, in the
/// learner's offset.
pub fn timestamp(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One stored review, as `kioku card` lists it.
#[derive(Debug, Clone)]
pub struct ReviewFigures<'a> {
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub verdict: Verdict,
    pub interval_days: u32,
    pub answer: Option<&'a str>,
}

/// A stored card with its state and reviews, for `kioku card`.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    pub deck_id: &'a str,
    pub card_id: &'a str,
    pub kind: &'a CardKind,
    pub why: Option<&'a str>,
    pub source: Option<&'a str>,
    pub section: Option<&'a str>,
    /// Still in its deck file.
    pub active: bool,
    pub state: Option<CardState>,
    /// The chance of recalling it now, from 0 to 1, if it has a memory.
    pub recall: Option<f32>,
    pub reviews: Vec<ReviewFigures<'a>>,
    /// The answers accepted for it on this database, oldest first.
    pub accepted: &'a [String],
    pub now: DateTime<Utc>,
    pub offset: FixedOffset,
}

/// A stored card: heading, question, wrong options, answer, the answers
/// the learner accepted, why, source, state, then one line a review.
pub fn record(r: &Record<'_>) -> Vec<Shown> {
    let phase = r.state.map_or("new", |s| s.phase.name());
    let mut heading = heading(&format!("{}/{}", r.deck_id, r.card_id), r.kind, phase);
    if !r.active {
        heading.push_str(" · removed from its deck file");
    }
    let mut lines = vec![
        Shown::new(Role::Heading, heading),
        Shown::new(Role::Question, clean(&r.kind.prompt())),
    ];
    if let CardKind::Choice { wrong, .. } = r.kind {
        lines.push(Shown::new(
            Role::WrongOptions,
            clean_line(&wrong.join(" · ")),
        ));
    }
    lines.push(Shown::new(Role::Answer, clean(&r.kind.answer_text())));
    if !r.accepted.is_empty() {
        let quoted: Vec<String> = r.accepted.iter().map(|a| clean_line(a)).collect();
        lines.push(Shown::new(Role::Accepted, quoted.join(" · ")));
    }
    push_why_and_source(&mut lines, r.why, r.source, r.section);
    lines.push(Shown::new(Role::State, state(r)));
    for review in &r.reviews {
        lines.push(Shown::new(
            Role::Review,
            format!(
                "{}  {:<5}  {:<7}  {:>4}d  {}",
                timestamp(review.at, r.offset),
                review.rating.name(),
                review.verdict.name(),
                review.interval_days,
                review.answer.map(clean_line).unwrap_or_default()
            ),
        ));
    }
    lines
}

fn state(r: &Record<'_>) -> String {
    let Some(s) = r.state else {
        return format!("{}, never reviewed", Phase::New);
    };
    let (stability, difficulty) = s.memory.map_or((0.0, 0.0), |m| (m.stability, m.difficulty));
    format!(
        "{} · due {} ({}) · stability {stability:.1}d · difficulty {difficulty:.1} · reps {} · lapses {}{}",
        s.phase,
        timestamp(s.due, r.offset),
        crate::human::until(r.now, s.due),
        s.reps,
        s.lapses,
        r.recall
            .map(|p| format!(" · recall now {:.0}%", p * 100.0))
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Interval;

    fn feedback_for(verdict: Verdict) -> Feedback {
        Feedback {
            verdict,
            rating: verdict.rating(),
            given: "Laxm\u{1b}ann\nx".into(),
            diff: None,
            answer: "Adam Laxman".into(),
            why: None,
            section: Some("History".into()),
            source: Some("Japan–Russia relations".into()),
            intervals: Some([Interval::Seconds(60); 4]),
            leech: true,
            overrulable: false,
        }
    }

    #[test]
    fn feedback_lines_come_in_one_order_with_outside_text_cleaned() {
        let lines = feedback(&feedback_for(Verdict::Close));
        let roles: Vec<Role> = lines.iter().map(|l| l.role).collect();
        assert_eq!(
            roles,
            [
                Role::Verdict(Verdict::Close),
                Role::Answer,
                Role::Yours,
                Role::Source,
                Role::Interval(Rating::Again),
                Role::Interval(Rating::Hard),
                Role::Interval(Rating::Good),
                Role::Interval(Rating::Easy),
                Role::Leech,
            ]
        );
        assert_eq!(text_of(&lines, Role::Yours), Some("Laxmann x"));
        assert_eq!(
            text_of(&lines, Role::Source),
            Some("Japan–Russia relations · History")
        );
        assert_eq!(text_of(&lines, Role::Interval(Rating::Good)), Some("1m"));
    }

    #[test]
    fn a_self_graded_answer_has_nothing_given() {
        let lines = feedback(&feedback_for(Verdict::SelfGraded));
        assert_eq!(
            text_of(&lines, Role::Verdict(Verdict::SelfGraded)),
            Some("answer")
        );
        assert!(lines.iter().all(|l| l.role != Role::Yours));
    }

    #[test]
    fn a_source_without_a_section_is_still_shown() {
        let kind = CardKind::Basic {
            q: "Which tsar?".into(),
            a: "Alexander I".into(),
        };
        let r = Record {
            deck_id: "mini",
            card_id: "tsar",
            kind: &kind,
            why: None,
            source: Some("A book"),
            section: None,
            active: false,
            state: None,
            recall: None,
            reviews: Vec::new(),
            accepted: &[],
            now: DateTime::UNIX_EPOCH,
            offset: FixedOffset::east_opt(0).unwrap(),
        };
        let lines = record(&r);
        assert_eq!(
            text_of(&lines, Role::Heading),
            Some("mini/tsar · basic · new · removed from its deck file")
        );
        assert_eq!(text_of(&lines, Role::Source), Some("A book"));
        assert_eq!(text_of(&lines, Role::State), Some("new, never reviewed"));
        assert_eq!(text_of(&lines, Role::Accepted), None, "none, no line");
        let accepted = [
            "Aleksandr I".to_string(),
            "Tsar \u{1b}[2JAlexander".to_string(),
        ];
        let lines = record(&Record {
            accepted: &accepted,
            ..r
        });
        assert_eq!(
            text_of(&lines, Role::Accepted),
            Some("Aleksandr I · Tsar [2JAlexander")
        );
    }
}
