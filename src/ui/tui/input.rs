//! What the learner is typing or choosing for the card on screen.

use crate::deck::CardKind;

/// A one-line editor: insert anywhere, move by letter or word, delete either way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    chars: Vec<char>,
    /// Cursor position, in characters.
    cursor: usize,
}

impl LineEditor {
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn insert(&mut self, c: char) {
        if !c.is_control() && self.chars.len() < 500 {
            self.chars.insert(self.cursor, c);
            self.cursor += 1;
        }
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            self.chars.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.chars.len() {
            self.chars.remove(self.cursor);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.chars.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.chars.len();
    }

    /// Deletes the word before the cursor (Ctrl-W).
    pub fn delete_word(&mut self) {
        let mut start = self.cursor;
        while start > 0 && self.chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && self.chars[start - 1] != ' ' {
            start -= 1;
        }
        self.chars.drain(start..self.cursor);
        self.cursor = start;
    }

    /// Deletes everything before the cursor (Ctrl-U).
    pub fn clear_before(&mut self) {
        self.chars.drain(..self.cursor);
        self.cursor = 0;
    }

    /// Deletes everything from the cursor on (Ctrl-K).
    pub fn clear_after(&mut self) {
        self.chars.truncate(self.cursor);
    }

    /// Moves one word left or right (Ctrl-Left / Ctrl-Right).
    pub fn word_left(&mut self) {
        while self.cursor > 0 && self.chars[self.cursor - 1] == ' ' {
            self.cursor -= 1;
        }
        while self.cursor > 0 && self.chars[self.cursor - 1] != ' ' {
            self.cursor -= 1;
        }
    }

    pub fn word_right(&mut self) {
        let n = self.chars.len();
        while self.cursor < n && self.chars[self.cursor] != ' ' {
            self.cursor += 1;
        }
        while self.cursor < n && self.chars[self.cursor] == ' ' {
            self.cursor += 1;
        }
    }
}

/// The answer being put together, by card type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Typed, year and cloze cards.
    Line(LineEditor),
    /// Choice and true/false cards: the highlighted option.
    Pick { selected: usize },
    /// Order cards: displayed positions picked so far, and the highlight.
    Order { picked: Vec<usize>, cursor: usize },
    /// Basic cards, before the answer is shown.
    Reveal,
}

impl Input {
    pub fn for_card(kind: &CardKind) -> Input {
        match kind {
            CardKind::Typed { .. } | CardKind::Year { .. } | CardKind::Cloze { .. } => {
                Input::Line(LineEditor::default())
            }
            CardKind::Choice { .. } | CardKind::TrueFalse { .. } => Input::Pick { selected: 0 },
            CardKind::Order { .. } => Input::Order {
                picked: Vec::new(),
                cursor: 0,
            },
            CardKind::Basic { .. } => Input::Reveal,
        }
    }

    /// Whether letters typed go into the answer (so commands need Ctrl).
    pub fn takes_text(&self) -> bool {
        matches!(self, Input::Line(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> LineEditor {
        let mut e = LineEditor::default();
        s.chars().for_each(|c| e.insert(c));
        e
    }

    #[test]
    fn editing_in_the_middle() {
        let mut e = typed("Laxmn");
        e.left();
        e.insert('a');
        assert_eq!(e.text(), "Laxman");
        e.home();
        e.insert('A');
        e.insert(' ');
        assert_eq!((e.text().as_str(), e.cursor()), ("A Laxman", 2));
        e.end();
        e.backspace();
        assert_eq!(e.text(), "A Laxma");
        e.home();
        e.delete();
        assert_eq!(e.text(), " Laxma");
    }

    #[test]
    fn words_and_kills() {
        let mut e = typed("Treaty of Portsmouth");
        e.delete_word();
        assert_eq!(e.text(), "Treaty of ");
        e.word_left();
        assert_eq!(e.cursor(), 7);
        e.clear_after();
        assert_eq!(e.text(), "Treaty ");
        e.word_left();
        e.word_right();
        assert_eq!(e.cursor(), 7);
        e.clear_before();
        assert_eq!((e.text().as_str(), e.cursor()), ("", 0));
        e.insert('\u{1b}');
        assert_eq!(e.text(), "", "control characters are not typed");
    }
}
