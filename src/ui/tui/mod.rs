//! The full-screen front-end (ratatui on crossterm): the same session engine
//! as line mode, drawn as a calm single screen that adapts to its size.
//!
//! The terminal is always given back: on quit, Ctrl-C, a panic (ratatui's
//! hook), and SIGTERM, SIGHUP (the window closed) or SIGINT, which end the
//! loop at the next tick. What is saved on the way out is the session's
//! rule ([`Session::leave`], called by the command once the screen is gone);
//! this loop only says why it ended.

mod input;
mod view;

pub use input::{Input, LineEditor};
pub use view::{draw, Stage, View};

use super::keys::{self, Action, At, Key, Place};
use super::plain::End;
use super::report;
use super::UiError;
use crate::deck::CardKind;
use crate::session::{Hold, Mode, Prompt, Response, Session, Undone};
use crate::types::Rating;
use chrono::{DateTime, FixedOffset, Utc};
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The screen's state between key presses.
struct App {
    prompt: Option<Prompt>,
    stage: Stage,
    message: Option<String>,
    help: bool,
    shown_at: Instant,
}

enum Flow {
    Continue,
    Quit,
}

/// The full screen while it lasts: the terminal, a flag set by SIGTERM,
/// SIGHUP and SIGINT, terminal events from their own thread, and the guard
/// that gives the terminal back however the loop ends.
struct Screen {
    terminal: ratatui::DefaultTerminal,
    stop: Arc<AtomicBool>,
    events: Receiver<std::io::Result<Event>>,
    _restore: Restore,
}

impl Screen {
    fn enter() -> Result<Screen, UiError> {
        let stop = Arc::new(AtomicBool::new(false));
        for signal in [
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGINT,
        ] {
            signal_hook::flag::register(signal, Arc::clone(&stop))?;
        }
        let terminal = ratatui::try_init()?;
        Ok(Screen {
            terminal,
            stop,
            events: spawn_event_reader(),
            _restore: Restore,
        })
    }
}

/// Gives the terminal back however the loop ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Runs the session full screen until it is done, the learner quits, or a
/// signal asks kioku to stop. The caller then leaves the session and prints
/// its report once the screen is gone.
pub fn run(
    session: &mut Session<'_>,
    clock: &dyn Fn() -> DateTime<Utc>,
    offset: FixedOffset,
    color: bool,
) -> Result<End, UiError> {
    let Screen {
        mut terminal,
        stop,
        events,
        _restore,
    } = Screen::enter()?;
    let mut app = App {
        prompt: None,
        stage: Stage::Done(Vec::new()),
        message: None,
        help: false,
        shown_at: Instant::now(),
    };
    app.load(session, clock(), offset)?;
    let decks = session.decks().to_vec();
    let mut dirty = true;
    let end = loop {
        if stop.load(Ordering::Relaxed) {
            break End::Signal;
        }
        if dirty {
            dirty = false;
            let view = View {
                mode: session.mode(),
                decks: &decks,
                prompt: app.prompt.as_ref(),
                stage: &app.stage,
                answered: session.answered(),
                message: app.message.as_deref(),
                help: app.help,
                color,
                backlog: session.backlog(),
            };
            // A terminal gone away (window closed) ends the loop through SIGHUP.
            let _ = terminal.draw(|frame| draw(frame, &view));
        }
        // Wake up now and then to notice a signal; draw only after an event.
        let event = match events.recv_timeout(Duration::from_millis(250)) {
            Ok(Ok(event)) => event,
            Err(RecvTimeoutError::Timeout) => continue,
            // The terminal is gone (or unreadable): stop as if signalled.
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => break End::Signal,
        };
        dirty = true;
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                if let Flow::Quit = app.key(session, key, clock(), offset)? {
                    break if matches!(app.stage, Stage::Done(_)) {
                        End::Done
                    } else {
                        End::Quit
                    };
                }
            }
            _ => {} // a resize just redraws
        }
    };
    Ok(end)
}

/// Terminal events, read on their own thread. A terminal that hangs up can
/// leave a read spinning without end; on a thread it cannot keep the session
/// from noticing the signal, saving and leaving.
fn spawn_event_reader() -> Receiver<std::io::Result<Event>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || loop {
        let event = event::read();
        let failed = event.is_err();
        if tx.send(event).is_err() || failed {
            break;
        }
    });
    rx
}

impl App {
    /// Shows the next card, or the report when there is none.
    fn load(
        &mut self,
        session: &mut Session<'_>,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<(), UiError> {
        self.prompt = session.next_card(now);
        self.stage = match &self.prompt {
            Some(p) => Stage::Question(Input::for_card(&p.card.kind)),
            None => Stage::Done(report::lines(session, now, offset)?),
        };
        self.shown_at = Instant::now();
        Ok(())
    }

    /// A key press: looked up in the key table for where the learner is,
    /// and done. A letter that means nothing while an answer is typed is
    /// part of the answer.
    fn key(
        &mut self,
        session: &mut Session<'_>,
        event: KeyEvent,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<Flow, UiError> {
        let Some(key) = key_of(event) else {
            return Ok(Flow::Continue);
        };
        let at = At {
            place: self.stage.place(self.prompt.as_ref(), self.help),
            quiz: session.mode() == Mode::Quiz,
        };
        let action = keys::action(key, at);
        if at.place != Place::Help && action != Some(Action::Help) {
            self.message = None;
        }
        let Some(action) = action else {
            if let (Key::Char(c), Stage::Question(Input::Line(e))) = (key, &mut self.stage) {
                e.insert(c);
            }
            return Ok(Flow::Continue);
        };
        match action {
            Action::Quit | Action::Leave => return Ok(Flow::Quit),
            Action::Help => self.help = true,
            Action::CloseHelp => self.help = false,
            Action::Undo => self.undo(session, now, offset)?,
            Action::Suspend => self.hold(session, Hold::Suspend, now, offset)?,
            Action::Bury => self.hold(session, Hold::Bury, now, offset)?,
            Action::Overrule => {
                if let Some(f) = session.overrule() {
                    session.accept()?;
                    self.load(session, now, offset)?;
                    self.message = Some(format!(
                        "saved as correct; {} is accepted from now on",
                        crate::text::quote(&f.given)
                    ));
                }
            }
            Action::Grade | Action::Accept | Action::Next => {
                // A grade key saves with its grade where the table lets it
                // grade; in a quiz's checked answer it only goes on.
                let rating = match key {
                    Key::Char(c) if action == Action::Grade => Rating::from_key(&c.to_string()),
                    _ => None,
                };
                if let Some(r) = rating {
                    session.regrade(r);
                }
                session.accept()?;
                self.load(session, now, offset)?;
            }
            _ => self.answer_key(session, action, key, now)?,
        }
        Ok(Flow::Continue)
    }

    /// Takes back the answer on screen or the last one saved.
    fn undo(
        &mut self,
        session: &mut Session<'_>,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<(), UiError> {
        let note = match session.undo()? {
            Undone::Answer => "answer taken back: try again".to_string(),
            Undone::Saved { deck_id, card_id } => {
                format!("undone: your answer to {deck_id}/{card_id}")
            }
            Undone::Nothing => {
                self.message = Some("nothing to undo yet".into());
                return Ok(());
            }
        };
        self.load(session, now, offset)?;
        self.message = Some(note);
        Ok(())
    }

    /// Suspends or buries the card on screen and shows the next.
    fn hold(
        &mut self,
        session: &mut Session<'_>,
        how: Hold,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<(), UiError> {
        let held = session.hold(how, now)?;
        self.load(session, now, offset)?;
        if let Some(held) = held {
            self.message = Some(format!("{}: {}", how.done(), held.card));
        }
        Ok(())
    }

    /// An action on the answer being given: editing the line, choosing,
    /// ordering, revealing; an answer complete is checked.
    fn answer_key(
        &mut self,
        session: &mut Session<'_>,
        action: Action,
        key: Key,
        now: DateTime<Utc>,
    ) -> Result<(), UiError> {
        let Some(prompt) = &self.prompt else {
            return Ok(());
        };
        let n = prompt.options.len();
        let is_tf = matches!(prompt.card.kind, CardKind::TrueFalse { .. });
        let Stage::Question(input) = &mut self.stage else {
            return Ok(());
        };
        // Option or item numbers count from 1 on the keys, from 0 here.
        let number = match key {
            Key::Char(c @ '1'..='9') => Some(c as usize - '1' as usize),
            _ => None,
        };
        let mut submit: Option<Response> = None;
        match input {
            Input::Line(e) => {
                if action == Action::Check {
                    match session.parse(&e.text()) {
                        Ok(r) => submit = Some(r),
                        Err(err) => self.message = Some(err.to_string()),
                    }
                } else {
                    edit(e, action);
                }
            }
            Input::Pick { selected } => submit = pick_key(action, number, selected, n, is_tf),
            Input::Order { picked, cursor } => match order_key(action, number, picked, cursor, n) {
                Ok(response) => submit = response,
                Err(note) => self.message = Some(note),
            },
            Input::Reveal => {
                if action == Action::Reveal {
                    submit = Some(Response::Text(String::new()));
                }
            }
        }
        if let Some(response) = submit {
            if let Some(f) = session.answer(&response, now, self.shown_at.elapsed())? {
                self.stage = Stage::Feedback(f);
            }
        }
        Ok(())
    }
}

/// A terminal key as the key table names it; `None` for one it does not
/// name. A Ctrl form of any other key does nothing, as before the table.
fn key_of(event: KeyEvent) -> Option<Key> {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    Some(match (event.code, ctrl) {
        (KeyCode::Char(c), true) => Key::Ctrl(c),
        (KeyCode::Char(c), false) => Key::Char(c),
        (KeyCode::Backspace, true) => Key::CtrlBackspace,
        (KeyCode::Left, true) => Key::CtrlLeft,
        (KeyCode::Right, true) => Key::CtrlRight,
        (KeyCode::F(1), _) => Key::F1,
        (_, true) => return None,
        (KeyCode::Enter, _) => Key::Enter,
        (KeyCode::Esc, _) => Key::Esc,
        (KeyCode::Backspace, _) => Key::Backspace,
        (KeyCode::Delete, _) => Key::Delete,
        (KeyCode::Up, _) => Key::Up,
        (KeyCode::Down, _) => Key::Down,
        (KeyCode::Left, _) => Key::Left,
        (KeyCode::Right, _) => Key::Right,
        (KeyCode::Home, _) => Key::Home,
        (KeyCode::End, _) => Key::End,
        (KeyCode::PageUp, _) => Key::PageUp,
        (KeyCode::PageDown, _) => Key::PageDown,
        _ => return None,
    })
}

/// An editing action on the line being typed.
fn edit(e: &mut LineEditor, action: Action) {
    match action {
        Action::Left => e.left(),
        Action::Right => e.right(),
        Action::WordLeft => e.word_left(),
        Action::WordRight => e.word_right(),
        Action::Home => e.home(),
        Action::End => e.end(),
        Action::Backspace => e.backspace(),
        Action::Delete => e.delete(),
        Action::DeleteWord => e.delete_word(),
        Action::ClearBefore => e.clear_before(),
        Action::ClearAfter => e.clear_after(),
        _ => {}
    }
}

/// An action on a choice or true/false card: a number or t/f answers at
/// once, up and down move the selection and choosing answers with it.
fn pick_key(
    action: Action,
    number: Option<usize>,
    selected: &mut usize,
    n: usize,
    is_tf: bool,
) -> Option<Response> {
    let pick = |i: usize| {
        if is_tf {
            Response::Bool(i == 0)
        } else {
            Response::Choice(i)
        }
    };
    match action {
        Action::Number => number.filter(|&i| i < n).map(pick),
        Action::True => Some(Response::Bool(true)),
        Action::False => Some(Response::Bool(false)),
        Action::Up => {
            *selected = selected.saturating_sub(1);
            None
        }
        Action::Down => {
            *selected = (*selected + 1).min(n.saturating_sub(1));
            None
        }
        Action::Choose => Some(pick(*selected)),
        _ => None,
    }
}

/// An action on an order card: items are picked by number or with the
/// cursor, unpick takes back the last, and check answers once all are
/// picked (or picks the item under the cursor). A check too early is an
/// error to show.
fn order_key(
    action: Action,
    number: Option<usize>,
    picked: &mut Vec<usize>,
    cursor: &mut usize,
    n: usize,
) -> Result<Option<Response>, String> {
    match action {
        Action::Number => {
            if let Some(i) = number.filter(|&i| i < n && !picked.contains(&i)) {
                picked.push(i);
            }
        }
        Action::Up => *cursor = cursor.saturating_sub(1),
        Action::Down => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
        Action::Pick if !picked.contains(cursor) => picked.push(*cursor),
        Action::Unpick => {
            picked.pop();
        }
        Action::Check if picked.len() == n => return Ok(Some(Response::Order(picked.clone()))),
        Action::Check if !picked.contains(cursor) => picked.push(*cursor),
        Action::Check => return Err(format!("pick all {n} items, then press enter")),
        _ => {}
    }
    Ok(None)
}

/// Shows `lines` full screen with scrolling, until q or Esc (the stats view;
/// its first line is the title).
pub fn page(lines: &[String]) -> Result<(), UiError> {
    use ratatui::layout::{Constraint, Layout};
    use ratatui::style::{Modifier, Style};
    use ratatui::text::Line;
    use ratatui::widgets::Paragraph;
    let Screen {
        mut terminal,
        stop,
        events,
        _restore,
    } = Screen::enter()?;
    let mut top = 0usize;
    let mut dirty = true;
    let at = At {
        place: Place::Pager,
        quiz: false,
    };
    while !stop.load(Ordering::Relaxed) {
        let height = usize::from(terminal.size()?.height.saturating_sub(1));
        let last = lines.len().saturating_sub(height);
        top = top.min(last);
        if dirty {
            dirty = false;
            let _ = terminal.draw(|frame| {
                let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)])
                    .areas(frame.area());
                let shown: Vec<Line<'_>> = lines
                    .iter()
                    .skip(top)
                    .take(height)
                    .map(|l| Line::raw(format!(" {l}")))
                    .collect();
                frame.render_widget(Paragraph::new(shown), body);
                let place = format!(
                    " lines {}–{} of {} ·",
                    top + 1,
                    (top + height).min(lines.len()),
                    lines.len()
                );
                let room = usize::from(footer.width).saturating_sub(place.chars().count());
                let hint = format!("{place}{}", keys::footer_line(at, room));
                frame.render_widget(
                    Paragraph::new(Line::styled(hint, Style::new().add_modifier(Modifier::DIM))),
                    footer,
                );
            });
        }
        let event = match events.recv_timeout(Duration::from_millis(250)) {
            Ok(Ok(event)) => event,
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => break,
        };
        dirty = true;
        if let Event::Key(key) = event {
            if key.kind == KeyEventKind::Release {
                continue;
            }
            match key_of(key).and_then(|k| keys::action(k, at)) {
                Some(Action::Quit) => break,
                Some(Action::LineDown) => top = (top + 1).min(last),
                Some(Action::LineUp) => top = top.saturating_sub(1),
                Some(Action::ScreenDown) => top = (top + height).min(last),
                Some(Action::ScreenUp) => top = top.saturating_sub(height),
                Some(Action::Top) => top = 0,
                Some(Action::Bottom) => top = last,
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keys::BINDINGS;

    /// The terminal event a key of the table comes as.
    fn event(key: Key) -> KeyEvent {
        let ctrl = KeyModifiers::CONTROL;
        let (code, modifiers) = match key {
            Key::Char(c) => (KeyCode::Char(c), KeyModifiers::NONE),
            Key::Ctrl(c) => (KeyCode::Char(c), ctrl),
            Key::Enter => (KeyCode::Enter, KeyModifiers::NONE),
            Key::Esc => (KeyCode::Esc, KeyModifiers::NONE),
            Key::Backspace => (KeyCode::Backspace, KeyModifiers::NONE),
            Key::CtrlBackspace => (KeyCode::Backspace, ctrl),
            Key::Delete => (KeyCode::Delete, KeyModifiers::NONE),
            Key::Up => (KeyCode::Up, KeyModifiers::NONE),
            Key::Down => (KeyCode::Down, KeyModifiers::NONE),
            Key::Left => (KeyCode::Left, KeyModifiers::NONE),
            Key::Right => (KeyCode::Right, KeyModifiers::NONE),
            Key::CtrlLeft => (KeyCode::Left, ctrl),
            Key::CtrlRight => (KeyCode::Right, ctrl),
            Key::Home => (KeyCode::Home, KeyModifiers::NONE),
            Key::End => (KeyCode::End, KeyModifiers::NONE),
            Key::PageUp => (KeyCode::PageUp, KeyModifiers::NONE),
            Key::PageDown => (KeyCode::PageDown, KeyModifiers::NONE),
            Key::F1 => (KeyCode::F(1), KeyModifiers::NONE),
        };
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn every_key_in_the_table_is_read_from_the_terminal_and_gets_its_action() {
        for binding in BINDINGS {
            for &key in binding.keys {
                assert_eq!(key_of(event(key)), Some(key), "{key:?}");
                for place in Place::ALL {
                    for quiz in [false, true] {
                        let at = At { place, quiz };
                        // A letter while typing is a letter of the answer.
                        if !binding.applies(at)
                            || (place == Place::Typing && matches!(key, Key::Char(_)))
                        {
                            continue;
                        }
                        let read = key_of(event(key)).and_then(|k| keys::action(k, at));
                        assert_eq!(read, Some(binding.action), "{key:?} at {at:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_ctrl_form_of_an_unnamed_key_does_nothing() {
        assert_eq!(
            key_of(KeyEvent::new(KeyCode::Enter, KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            key_of(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE)),
            None
        );
        // Alt or Shift with a letter is the letter, typed into an answer.
        assert_eq!(
            key_of(KeyEvent::new(KeyCode::Char('A'), KeyModifiers::SHIFT)),
            Some(Key::Char('A'))
        );
    }
}
