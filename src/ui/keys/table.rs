//! The key table itself: every binding, in the order the footers and the
//! help overlay show them. Data only; what it means is read in `ui::keys`,
//! and it must never hold a rule that is not a row.

use super::{Action, Binding, Footer, Key, Place, Section, When};

// Sets of places, one bit each.
const TYPING: u16 = Place::Typing.bit();
const CHOICE: u16 = Place::Choice.bit();
const TRUE_FALSE: u16 = Place::TrueFalse.bit();
const ORDER: u16 = Place::Order.bit();
const REVEAL: u16 = Place::Reveal.bit();
const SELF_GRADED: u16 = Place::SelfGraded.bit();
const DISPUTABLE: u16 = Place::Disputable.bit();
const CHECKED: u16 = Place::Checked.bit() | DISPUTABLE;
const DONE: u16 = Place::Done.bit();
const HELP: u16 = Place::Help.bit();
const PAGER: u16 = Place::Pager.bit();
const PICKING: u16 = CHOICE | TRUE_FALSE;
const QUESTION: u16 = TYPING | PICKING | ORDER | REVEAL;
const FEEDBACK: u16 = SELF_GRADED | CHECKED;
const CARD: u16 = QUESTION | FEEDBACK;
const SCREEN: u16 = CARD | DONE;

/// Applies in `set`, in study and in a quiz alike.
const fn both(set: u16) -> When {
    When {
        study: set,
        quiz: set,
    }
}

/// Applies in `set` in study only.
const fn study(set: u16) -> When {
    When {
        study: set,
        quiz: 0,
    }
}

/// A footer hint: keys ("" for the first key that works), word, how needed.
const fn footer(keys: &'static str, word: &'static str, keep: u8) -> Option<Footer> {
    Some(Footer { keys, word, keep })
}

/// What a row leaves out: no keys, no footer, no help row, no word for
/// line mode.
const NONE: Binding = Binding {
    action: Action::Check,
    when: both(0),
    keys: &[],
    footer: None,
    help: None,
    line: &[],
    line_hint: "",
};

const DIGITS: [Key; 9] = [
    Key::Char('1'),
    Key::Char('2'),
    Key::Char('3'),
    Key::Char('4'),
    Key::Char('5'),
    Key::Char('6'),
    Key::Char('7'),
    Key::Char('8'),
    Key::Char('9'),
];

const GRADE_KEYS: [Key; 8] = [
    Key::Char('1'),
    Key::Char('2'),
    Key::Char('3'),
    Key::Char('4'),
    Key::Char('a'),
    Key::Char('h'),
    Key::Char('g'),
    Key::Char('e'),
];

const GRADE_WORDS: [&str; 12] = [
    "1", "2", "3", "4", "a", "h", "g", "e", "again", "hard", "good", "easy",
];

/// One help row for both grade bindings: the overlay shows it once.
const GRADE_HELP: &str = "save as again / hard / good / easy";

/// Everything the learner can press, in the order the footers and the help
/// overlay show it: the main action first, then grading, moving and
/// editing, then suspend, bury, undo, and quit and help last.
pub const BINDINGS: &[Binding] = &[
    Binding {
        action: Action::Check,
        when: both(TYPING | ORDER),
        keys: &[Key::Enter],
        footer: footer("", "check", 9),
        help: Some((Section::Answering, "enter", "check the answer")),
        ..NONE
    },
    Binding {
        action: Action::Reveal,
        when: both(REVEAL),
        keys: &[Key::Char(' '), Key::Enter],
        footer: footer("", "reveal", 9),
        help: Some((Section::Answering, "space", "show a basic card's answer")),
        ..NONE
    },
    Binding {
        action: Action::Choose,
        when: both(PICKING),
        keys: &[Key::Enter, Key::Char(' ')],
        footer: footer("1-9 or ↑↓ + enter", "choose", 9),
        help: Some((Section::Answering, "1-9, ↑ ↓ enter", "choose an option")),
        ..NONE
    },
    Binding {
        action: Action::Pick,
        when: both(ORDER),
        keys: &[Key::Char(' ')],
        footer: footer("1-9 or ↑↓ + space", "pick", 9),
        help: Some((
            Section::Answering,
            "1-9, ↑ ↓ space",
            "pick the next item in order",
        )),
        ..NONE
    },
    Binding {
        action: Action::Number,
        when: both(PICKING | ORDER),
        keys: &DIGITS,
        ..NONE
    },
    Binding {
        action: Action::True,
        when: both(TRUE_FALSE),
        keys: &[Key::Char('t'), Key::Char('y')],
        help: Some((Section::Answering, "t / f", "true or false (y / n too)")),
        ..NONE
    },
    Binding {
        action: Action::False,
        when: both(TRUE_FALSE),
        keys: &[Key::Char('f'), Key::Char('n')],
        ..NONE
    },
    Binding {
        action: Action::Up,
        when: both(PICKING | ORDER),
        keys: &[Key::Up, Key::Char('k')],
        ..NONE
    },
    Binding {
        action: Action::Down,
        when: both(PICKING | ORDER),
        keys: &[Key::Down, Key::Char('j')],
        ..NONE
    },
    Binding {
        action: Action::Unpick,
        when: both(ORDER),
        keys: &[Key::Backspace],
        footer: footer("", "unpick", 6),
        help: Some((Section::Answering, "backspace", "unpick the last item")),
        ..NONE
    },
    Binding {
        action: Action::Left,
        when: both(TYPING),
        keys: &[Key::Left],
        footer: footer("←→", "move", 1),
        help: Some((Section::Answering, "← → home end", "move in the answer")),
        ..NONE
    },
    Binding {
        action: Action::Right,
        when: both(TYPING),
        keys: &[Key::Right],
        ..NONE
    },
    Binding {
        action: Action::WordLeft,
        when: both(TYPING),
        keys: &[Key::CtrlLeft],
        ..NONE
    },
    Binding {
        action: Action::WordRight,
        when: both(TYPING),
        keys: &[Key::CtrlRight],
        ..NONE
    },
    Binding {
        action: Action::Home,
        when: both(TYPING),
        keys: &[Key::Home, Key::Ctrl('a')],
        ..NONE
    },
    Binding {
        action: Action::End,
        when: both(TYPING),
        keys: &[Key::End, Key::Ctrl('e')],
        ..NONE
    },
    Binding {
        action: Action::Backspace,
        when: both(TYPING),
        keys: &[Key::Backspace],
        ..NONE
    },
    Binding {
        action: Action::Delete,
        when: both(TYPING),
        keys: &[Key::Delete],
        ..NONE
    },
    Binding {
        action: Action::DeleteWord,
        when: both(TYPING),
        keys: &[Key::Ctrl('w'), Key::CtrlBackspace],
        help: Some((
            Section::Answering,
            "ctrl-w ctrl-u",
            "delete a word, or all before the cursor",
        )),
        ..NONE
    },
    Binding {
        action: Action::ClearBefore,
        when: both(TYPING),
        keys: &[Key::Ctrl('u')],
        ..NONE
    },
    Binding {
        action: Action::ClearAfter,
        when: both(TYPING),
        keys: &[Key::Ctrl('k')],
        ..NONE
    },
    Binding {
        action: Action::Accept,
        when: When {
            study: FEEDBACK,
            quiz: SELF_GRADED,
        },
        keys: &[Key::Enter, Key::Char(' ')],
        footer: footer("", "accept", 9),
        help: Some((
            Section::AfterTheAnswer,
            "enter",
            "save with the grade shown",
        )),
        line: &[""],
        line_hint: "enter = {rating}",
    },
    Binding {
        action: Action::Next,
        when: When {
            study: 0,
            quiz: CHECKED,
        },
        keys: &[Key::Enter, Key::Char(' ')],
        footer: footer("", "next", 9),
        help: Some((
            Section::AfterTheAnswer,
            "enter",
            "the next question of a quiz",
        )),
        line: &[""],
        line_hint: "enter = next",
    },
    // A checked answer in a study session: a grade overrides kioku's.
    Binding {
        action: Action::Grade,
        when: study(CHECKED),
        keys: &GRADE_KEYS,
        footer: footer("1-4", "regrade", 6),
        help: Some((Section::AfterTheAnswer, "1-4 / a h g e", GRADE_HELP)),
        line: &GRADE_WORDS,
        line_hint: "a/h/g/e = regrade",
    },
    // A typed answer judged wrong or close that the learner knows is right:
    // it is saved as correct and accepted for the card from then on.
    Binding {
        action: Action::Overrule,
        when: both(DISPUTABLE),
        keys: &[Key::Char('r')],
        footer: footer("", "I was right", 4),
        help: Some((
            Section::AfterTheAnswer,
            "r",
            "I was right: save as correct, accept it next time",
        )),
        line: &["r", "right"],
        line_hint: "r = I was right",
    },
    // A basic card's answer: the learner's grade is the only one.
    Binding {
        action: Action::Grade,
        when: both(SELF_GRADED),
        keys: &GRADE_KEYS,
        footer: footer("1-4", "grade", 8),
        help: Some((Section::AfterTheAnswer, "1-4 / a h g e", GRADE_HELP)),
        line: &GRADE_WORDS,
        line_hint: "1-4 or a/h/g/e",
    },
    // A quiz does not grade a checked answer; a grade key there goes on,
    // as it would in study, so that habit never leaves the screen stuck.
    Binding {
        action: Action::Next,
        when: When {
            study: 0,
            quiz: CHECKED,
        },
        keys: &GRADE_KEYS,
        ..NONE
    },
    Binding {
        action: Action::Leave,
        when: both(DONE),
        keys: &[Key::Enter, Key::Esc],
        footer: footer("", "leave", 9),
        ..NONE
    },
    Binding {
        action: Action::Hint,
        when: both(QUESTION),
        line: &["h", "hint"],
        ..NONE
    },
    Binding {
        action: Action::Suspend,
        when: study(CARD),
        keys: &[Key::Char('s'), Key::Ctrl('s')],
        footer: footer("", "suspend", 3),
        help: Some((
            Section::AnyTime,
            "s b (ctrl-s ctrl-b)",
            "suspend the card / bury it until tomorrow",
        )),
        line: &["s", "suspend"],
        line_hint: "s = suspend",
    },
    Binding {
        action: Action::Bury,
        when: study(CARD),
        keys: &[Key::Char('b'), Key::Ctrl('b')],
        footer: footer("", "bury", 2),
        line: &["b", "bury"],
        line_hint: "b = bury",
        ..NONE
    },
    Binding {
        action: Action::Undo,
        when: both(SCREEN),
        keys: &[Key::Char('u'), Key::Ctrl('z')],
        footer: footer("", "undo", 5),
        help: Some((
            Section::AnyTime,
            "u (ctrl-z)",
            "undo the last saved answer, or this one",
        )),
        line: &["u", "undo"],
        line_hint: "u = undo",
    },
    Binding {
        action: Action::Quit,
        when: both(SCREEN),
        keys: &[Key::Char('q'), Key::Ctrl('c'), Key::Ctrl('q')],
        footer: footer("", "quit", 8),
        help: Some((Section::AnyTime, "q (ctrl-c)", "save and quit")),
        line: &["q", "quit"],
        line_hint: "q = quit",
    },
    // Ctrl-C quits even with the help open, where q closes it.
    Binding {
        action: Action::Quit,
        when: both(HELP),
        keys: &[Key::Ctrl('c'), Key::Ctrl('q')],
        ..NONE
    },
    Binding {
        action: Action::Help,
        when: both(SCREEN),
        keys: &[Key::Char('?'), Key::F1],
        footer: footer("", "help", 7),
        help: Some((Section::AnyTime, "? (F1), esc", "this help, close it")),
        ..NONE
    },
    Binding {
        action: Action::CloseHelp,
        when: both(HELP),
        keys: &[
            Key::Esc,
            Key::F1,
            Key::Char('?'),
            Key::Char('q'),
            Key::Enter,
        ],
        ..NONE
    },
    // The statistics pager: reading, not answering.
    Binding {
        action: Action::LineDown,
        when: both(PAGER),
        keys: &[Key::Down, Key::Char('j')],
        footer: footer("↑↓ pgup pgdn", "scroll", 8),
        ..NONE
    },
    Binding {
        action: Action::LineUp,
        when: both(PAGER),
        keys: &[Key::Up, Key::Char('k')],
        ..NONE
    },
    Binding {
        action: Action::ScreenDown,
        when: both(PAGER),
        keys: &[Key::PageDown, Key::Char(' ')],
        ..NONE
    },
    Binding {
        action: Action::ScreenUp,
        when: both(PAGER),
        keys: &[Key::PageUp],
        ..NONE
    },
    Binding {
        action: Action::Top,
        when: both(PAGER),
        keys: &[Key::Home, Key::Char('g')],
        ..NONE
    },
    Binding {
        action: Action::Bottom,
        when: both(PAGER),
        keys: &[Key::End, Key::Char('G')],
        ..NONE
    },
    Binding {
        action: Action::Quit,
        when: both(PAGER),
        keys: &[Key::Char('q'), Key::Esc, Key::Ctrl('c')],
        footer: footer("", "quit", 9),
        ..NONE
    },
];
