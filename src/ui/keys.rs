//! The one table of what the learner can press, for both front-ends: for
//! each action, the full-screen keys (the Ctrl forms among them), the words
//! line mode reads, the footer's short words, the help overlay's row, and
//! the places it applies in. Key handling, the help overlay, the footers
//! and line mode's prompts are all read from [`BINDINGS`], so a key cannot
//! work without being shown or be shown without working.
//!
//! It must never act on a key or draw anything: it only says what a key
//! means where the learner is, and how to name it.

use crate::deck::CardKind;
use crate::session::Feedback;
use crate::types::Verdict;

mod table;
pub use table::BINDINGS;

/// A key on the full screen, as the table names it; the event loop turns a
/// terminal event into one. `Char(' ')` is the space bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Backspace,
    CtrlBackspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    CtrlLeft,
    CtrlRight,
    Home,
    End,
    PageUp,
    PageDown,
    F1,
}

impl Key {
    /// A plain letter (or digit, or space) is part of the answer while one
    /// is being typed; every other key works there too.
    fn usable(self, place: Place) -> bool {
        !(place == Place::Typing && matches!(self, Key::Char(_)))
    }

    /// How the footer names the key.
    fn name(self) -> String {
        match self {
            Key::Char(' ') => "space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("ctrl-{c}"),
            Key::Enter => "enter".into(),
            Key::Esc => "esc".into(),
            Key::Backspace => "backspace".into(),
            Key::CtrlBackspace => "ctrl-backspace".into(),
            Key::Delete => "delete".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::CtrlLeft => "ctrl-←".into(),
            Key::CtrlRight => "ctrl-→".into(),
            Key::Home => "home".into(),
            Key::End => "end".into(),
            Key::PageUp => "pgup".into(),
            Key::PageDown => "pgdn".into(),
            Key::F1 => "F1".into(),
        }
    }
}

/// Where the learner is: the question by how it is answered, the feedback
/// by whether the learner grades it, the report, or the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A typed, year or cloze answer being typed.
    Typing,
    Choice,
    TrueFalse,
    Order,
    /// A basic card before its answer is shown.
    Reveal,
    /// A basic card's answer shown: the learner grades it.
    SelfGraded,
    /// An answer checked by kioku.
    Checked,
    /// An answer checked by kioku that the learner typed and kioku judged
    /// wrong or close: the learner may say it was right. Everything that
    /// works on a checked answer works here too.
    Disputable,
    /// The session is over and its report is on screen.
    Done,
    /// The help overlay is open (full screen only).
    Help,
    /// Lines shown full screen to be read and scrolled (the statistics).
    Pager,
}

impl Place {
    /// Every place, for the tests and for whoever needs to go through them.
    pub const ALL: [Place; 11] = [
        Place::Typing,
        Place::Choice,
        Place::TrueFalse,
        Place::Order,
        Place::Reveal,
        Place::SelfGraded,
        Place::Checked,
        Place::Disputable,
        Place::Done,
        Place::Help,
        Place::Pager,
    ];

    /// Where a card's question is answered.
    pub fn question(kind: &CardKind) -> Place {
        match kind {
            CardKind::Typed { .. } | CardKind::Year { .. } | CardKind::Cloze { .. } => {
                Place::Typing
            }
            CardKind::Choice { .. } => Place::Choice,
            CardKind::TrueFalse { .. } => Place::TrueFalse,
            CardKind::Order { .. } => Place::Order,
            CardKind::Basic { .. } => Place::Reveal,
        }
    }

    /// The feedback after an answer: graded by the learner, checked, or
    /// checked and open to "I was right".
    pub fn feedback(f: &Feedback) -> Place {
        if f.verdict == Verdict::SelfGraded {
            Place::SelfGraded
        } else if f.overrulable {
            Place::Disputable
        } else {
            Place::Checked
        }
    }

    const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// Where the learner is, and whether this is a quiz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    pub place: Place,
    pub quiz: bool,
}

/// The places a binding applies in, one set for study and one for a quiz.
#[derive(Debug, Clone, Copy)]
pub struct When {
    study: u16,
    quiz: u16,
}

impl When {
    fn holds(self, at: At) -> bool {
        let set = if at.quiz { self.quiz } else { self.study };
        set & at.place.bit() != 0
    }
}

/// What a key asks for. Payloads (which number, which grade, which letter)
/// come from the key itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Check the typed answer, or an order card's order.
    Check,
    /// Show a basic card's answer.
    Reveal,
    /// Answer a choice or true/false card with the selected option.
    Choose,
    /// Option or item `n` (the digit pressed).
    Number,
    True,
    False,
    Up,
    Down,
    /// Pick the order card's item under the cursor.
    Pick,
    /// Take back the last item picked.
    Unpick,
    Left,
    Right,
    WordLeft,
    WordRight,
    Home,
    End,
    Backspace,
    Delete,
    DeleteWord,
    ClearBefore,
    ClearAfter,
    /// Save the answer with the grade shown.
    Accept,
    /// Save with the grade pressed (the key says which).
    Grade,
    /// "I was right": save the typed answer as correct and accept it for
    /// the card from now on.
    Overrule,
    /// Go on to the next question of a quiz.
    Next,
    /// Leave the report.
    Leave,
    Suspend,
    Bury,
    Undo,
    Quit,
    Help,
    CloseHelp,
    /// Show the card's hint (line mode).
    Hint,
    /// Scroll the pager by a line, by a screen, or to either end.
    LineDown,
    LineUp,
    ScreenDown,
    ScreenUp,
    Top,
    Bottom,
}

/// A hint in the footer: the keys (empty: the name of the first key that
/// works where the learner is), the word, and how much it is needed — the
/// least needed go first when the line is too narrow.
#[derive(Debug, Clone, Copy)]
pub struct Footer {
    keys: &'static str,
    word: &'static str,
    keep: u8,
}

/// The help overlay's sections, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Answering,
    AfterTheAnswer,
    AnyTime,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Answering => "Answering",
            Section::AfterTheAnswer => "After the answer",
            Section::AnyTime => "Any time",
        }
    }
}

/// One thing the learner can do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub action: Action,
    pub when: When,
    /// The full-screen keys, plain and Ctrl forms.
    pub keys: &'static [Key],
    pub footer: Option<Footer>,
    /// The help overlay's row: the keys as written there, and what they do.
    pub help: Option<(Section, &'static str, &'static str)>,
    /// The words line mode reads for it (an empty word is an empty line);
    /// on the answer line they are written after a colon.
    pub line: &'static [&'static str],
    /// How line mode's prompt names it ("" when it does not); `{rating}`
    /// stands for the grade an empty line saves.
    pub line_hint: &'static str,
}

impl Binding {
    /// Whether it applies where the learner is.
    pub fn applies(&self, at: At) -> bool {
        self.when.holds(at)
    }
}

/// The bindings that apply where the learner is.
fn here(at: At) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.applies(at))
}

/// What a full-screen key does where the learner is; `None` for a key
/// that does nothing there (or, while typing, a letter of the answer).
pub fn action(key: Key, at: At) -> Option<Action> {
    if !key.usable(at.place) {
        return None;
    }
    here(at).find(|b| b.keys.contains(&key)).map(|b| b.action)
}

/// What a line-mode word does where the learner is. On the answer line the
/// commands are written after a colon (`:q`), so that no answer is taken
/// for one; after the feedback they are the bare word, and an empty line
/// accepts.
pub fn line_action(line: &str, at: At) -> Option<Action> {
    let line = line.trim();
    let word = if matches!(
        at.place,
        Place::SelfGraded | Place::Checked | Place::Disputable
    ) {
        line
    } else {
        line.strip_prefix(':').filter(|w| !w.is_empty())?
    };
    here(at)
        .find(|b| b.line.iter().any(|w| w.eq_ignore_ascii_case(word)))
        .map(|b| b.action)
}

/// The footer's hints for where the learner is, in the table's order, each
/// with how much it is needed.
pub fn footer_hints(at: At) -> Vec<(String, u8)> {
    here(at)
        .filter_map(|b| {
            let f = b.footer?;
            let keys = if f.keys.is_empty() {
                b.keys.iter().find(|k| k.usable(at.place))?.name()
            } else {
                f.keys.to_string()
            };
            Some((format!("{keys} {}", f.word), f.keep))
        })
        .collect()
}

/// As many hints as fit `width` columns, the least needed left out first,
/// the rest in their order: " enter check · u undo · q quit".
pub fn fit(hints: &[(String, u8)], width: usize) -> String {
    let mut kept: Vec<&(String, u8)> = hints.iter().collect();
    loop {
        let line = kept
            .iter()
            .map(|(h, _)| h.as_str())
            .collect::<Vec<_>>()
            .join(" · ");
        let line = format!(" {line}");
        if line.chars().count() <= width || kept.is_empty() {
            return if kept.is_empty() { String::new() } else { line };
        }
        // The least needed; of equals, the last.
        let drop = kept
            .iter()
            .enumerate()
            .min_by_key(|&(i, (_, keep))| (*keep, std::cmp::Reverse(i)))
            .map(|(i, _)| i)
            .unwrap_or(0);
        kept.remove(drop);
    }
}

/// The footer for where the learner is, fitted to `width` columns.
pub fn footer_line(at: At, width: usize) -> String {
    fit(&footer_hints(at), width)
}

/// The help overlay's rows for a session: a section's title (with an empty
/// second column) before its first row, then (keys, what they do).
pub fn help_rows(quiz: bool) -> Vec<(&'static str, &'static str)> {
    let mut rows = Vec::new();
    let mut section = None;
    for b in BINDINGS {
        let Some((s, keys, what)) = b.help else {
            continue;
        };
        let applies = Place::ALL
            .iter()
            .any(|&place| b.when.holds(At { place, quiz }));
        if !applies {
            continue;
        }
        if rows.contains(&(keys, what)) {
            continue;
        }
        if section != Some(s) {
            rows.push((s.title(), ""));
            section = Some(s);
        }
        rows.push((keys, what));
    }
    rows
}

/// Line mode's prompt after the feedback: what may be typed there, from the
/// table, with the grade an empty line saves: `[enter = good, u = undo]`.
pub fn line_prompt(at: At, rating: &str) -> String {
    let items: Vec<String> = here(at)
        .filter(|b| !b.line_hint.is_empty())
        .map(|b| b.line_hint.replace("{rating}", rating))
        .collect();
    let lead = if at.place == Place::SelfGraded {
        "grade "
    } else {
        ""
    };
    format!("{lead}[{}]: ", items.join(", "))
}

/// What line mode says to a line it does not know after the feedback:
/// "press enter or type a/h/g/e, s, b, u or q".
pub fn line_reminder(at: At) -> String {
    let words: Vec<&str> = here(at)
        .filter(|b| !b.line_hint.is_empty() && !b.line.contains(&""))
        .map(|b| b.line_hint.split(" = ").next().unwrap_or(b.line_hint))
        .collect();
    match words.split_last() {
        None => "press enter".to_string(),
        Some((last, [])) => format!("press enter or type {last}"),
        Some((last, rest)) => format!("press enter or type {} or {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests;
