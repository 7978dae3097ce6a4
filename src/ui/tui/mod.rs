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

use super::plain::End;
use super::report;
use super::UiError;
use crate::deck::CardKind;
use crate::session::{Hold, Mode, Prompt, Response, Session, Undone};
use crate::types::{Rating, Verdict};
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

/// What a command key asks for.
#[derive(Debug, Clone, Copy)]
enum Command {
    Help,
    Quit,
    Undo,
    Hold(Hold),
}

/// The command keys: (the plain letter, the Ctrl+letter, the command).
/// Plain letters work where no text is being typed, the Ctrl forms
/// anywhere (Ctrl-C and Ctrl-Q quit before this is asked).
const COMMAND_KEYS: [(char, Option<char>, Command); 5] = [
    ('u', Some('z'), Command::Undo),
    ('s', Some('s'), Command::Hold(Hold::Suspend)),
    ('b', Some('b'), Command::Hold(Hold::Bury)),
    ('q', None, Command::Quit),
    ('?', None, Command::Help),
];

/// The command a key stands for, if any.
fn command(key: KeyEvent, takes_text: bool) -> Option<Command> {
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    COMMAND_KEYS
        .iter()
        .find(|(plain, with_ctrl, _)| {
            if ctrl {
                *with_ctrl == Some(c)
            } else {
                !takes_text && *plain == c
            }
        })
        .map(|&(_, _, command)| command)
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

    fn key(
        &mut self,
        session: &mut Session<'_>,
        key: KeyEvent,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<Flow, UiError> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('q')) {
            return Ok(Flow::Quit);
        }
        if self.help {
            if matches!(
                key.code,
                KeyCode::Esc
                    | KeyCode::F(1)
                    | KeyCode::Char('?')
                    | KeyCode::Char('q')
                    | KeyCode::Enter
            ) {
                self.help = false;
            }
            return Ok(Flow::Continue);
        }
        if key.code == KeyCode::F(1) {
            self.help = true;
            return Ok(Flow::Continue);
        }
        self.message = None;
        let takes_text = matches!(&self.stage, Stage::Question(i) if i.takes_text());
        if let Some(c) = command(key, takes_text) {
            if let Some(flow) = self.command(session, c, now, offset)? {
                return Ok(flow);
            }
        }
        if ctrl {
            return Ok(self.edit(key));
        }
        match &mut self.stage {
            Stage::Done(_) => {
                if matches!(key.code, KeyCode::Enter | KeyCode::Esc) {
                    return Ok(Flow::Quit);
                }
            }
            Stage::Feedback(f) => {
                let self_graded = f.verdict == Verdict::SelfGraded;
                self.feedback_key(session, key, self_graded, now, offset)?;
            }
            Stage::Question(_) => return self.answer_key(session, key, now),
        }
        Ok(Flow::Continue)
    }

    /// A command key: help, quit, undo, suspend or bury. `None` when the
    /// key does nothing here and falls through to the stage's own keys.
    fn command(
        &mut self,
        session: &mut Session<'_>,
        command: Command,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<Option<Flow>, UiError> {
        match command {
            Command::Help => self.help = true,
            Command::Quit => return Ok(Some(Flow::Quit)),
            Command::Undo => {
                let note = match session.undo()? {
                    Undone::Answer => "answer taken back: try again".to_string(),
                    Undone::Saved { deck_id, card_id } => {
                        format!("undone: your answer to {deck_id}/{card_id}")
                    }
                    Undone::Nothing => {
                        self.message = Some("nothing to undo yet".into());
                        return Ok(Some(Flow::Continue));
                    }
                };
                self.load(session, now, offset)?;
                self.message = Some(note);
            }
            Command::Hold(how)
                if session.mode() == Mode::Study && !matches!(self.stage, Stage::Done(_)) =>
            {
                let held = session.hold(how, now)?;
                self.load(session, now, offset)?;
                if let Some(held) = held {
                    self.message = Some(format!("{}: {}", how.done(), held.card));
                }
            }
            Command::Hold(_) => return Ok(None),
        }
        Ok(Some(Flow::Continue))
    }

    /// A key after the answer: a rating saves with it (in a quiz only a
    /// self-graded card takes one), enter or space saves as shown.
    fn feedback_key(
        &mut self,
        session: &mut Session<'_>,
        key: KeyEvent,
        self_graded: bool,
        now: DateTime<Utc>,
        offset: FixedOffset,
    ) -> Result<(), UiError> {
        let rating = match key.code {
            KeyCode::Char(c) => Rating::from_key(&c.to_string()),
            _ => None,
        };
        if let Some(r) = rating {
            if session.mode() == Mode::Study || self_graded {
                session.regrade(r);
            }
            session.accept()?;
            self.load(session, now, offset)?;
        } else if matches!(key.code, KeyCode::Enter | KeyCode::Char(' ')) {
            session.accept()?;
            self.load(session, now, offset)?;
        }
        Ok(())
    }

    /// Ctrl-keys inside the line editor.
    fn edit(&mut self, key: KeyEvent) -> Flow {
        if let Stage::Question(Input::Line(e)) = &mut self.stage {
            match key.code {
                KeyCode::Char('a') => e.home(),
                KeyCode::Char('e') => e.end(),
                KeyCode::Char('u') => e.clear_before(),
                KeyCode::Char('k') => e.clear_after(),
                KeyCode::Char('w') | KeyCode::Backspace => e.delete_word(),
                KeyCode::Left => e.word_left(),
                KeyCode::Right => e.word_right(),
                _ => {}
            }
        }
        Flow::Continue
    }

    fn answer_key(
        &mut self,
        session: &mut Session<'_>,
        key: KeyEvent,
        now: DateTime<Utc>,
    ) -> Result<Flow, UiError> {
        let Some(prompt) = &self.prompt else {
            return Ok(Flow::Continue);
        };
        let n = prompt.options.len();
        let is_tf = matches!(prompt.card.kind, CardKind::TrueFalse { .. });
        let Stage::Question(input) = &mut self.stage else {
            return Ok(Flow::Continue);
        };
        let mut submit: Option<Response> = None;
        match input {
            Input::Line(e) => match key.code {
                KeyCode::Char(c) => e.insert(c),
                KeyCode::Backspace => e.backspace(),
                KeyCode::Delete => e.delete(),
                KeyCode::Left => e.left(),
                KeyCode::Right => e.right(),
                KeyCode::Home => e.home(),
                KeyCode::End => e.end(),
                KeyCode::Enter => match session.parse(&e.text()) {
                    Ok(r) => submit = Some(r),
                    Err(err) => self.message = Some(err.to_string()),
                },
                _ => {}
            },
            Input::Pick { selected } => submit = pick_key(key, selected, n, is_tf),
            Input::Order { picked, cursor } => match order_key(key, picked, cursor, n) {
                Ok(response) => submit = response,
                Err(note) => self.message = Some(note),
            },
            Input::Reveal => {
                if matches!(key.code, KeyCode::Char(' ') | KeyCode::Enter) {
                    submit = Some(Response::Text(String::new()));
                }
            }
        }
        if let Some(response) = submit {
            if let Some(f) = session.answer(&response, now, self.shown_at.elapsed())? {
                self.stage = Stage::Feedback(f);
            }
        }
        Ok(Flow::Continue)
    }
}

/// A key on a choice or true/false card: a number or t/f answers at once,
/// the arrows (or j/k) move the selection and enter or space answers with it.
fn pick_key(key: KeyEvent, selected: &mut usize, n: usize, is_tf: bool) -> Option<Response> {
    let pick = |i: usize| {
        if is_tf {
            Response::Bool(i == 0)
        } else {
            Response::Choice(i)
        }
    };
    match key.code {
        KeyCode::Char(c @ '1'..='9') => {
            let i = c as usize - '1' as usize;
            (i < n).then(|| pick(i))
        }
        KeyCode::Char('t' | 'y') if is_tf => Some(Response::Bool(true)),
        KeyCode::Char('f' | 'n') if is_tf => Some(Response::Bool(false)),
        KeyCode::Up | KeyCode::Char('k') => {
            *selected = selected.saturating_sub(1);
            None
        }
        KeyCode::Down | KeyCode::Char('j') => {
            *selected = (*selected + 1).min(n.saturating_sub(1));
            None
        }
        KeyCode::Enter | KeyCode::Char(' ') => Some(pick(*selected)),
        _ => None,
    }
}

/// A key on an order card: items are picked by number or with the cursor,
/// backspace unpicks the last, and enter answers once all are picked. An
/// enter too early is an error to show.
fn order_key(
    key: KeyEvent,
    picked: &mut Vec<usize>,
    cursor: &mut usize,
    n: usize,
) -> Result<Option<Response>, String> {
    match key.code {
        KeyCode::Char(c @ '1'..='9') => {
            let i = c as usize - '1' as usize;
            if i < n && !picked.contains(&i) {
                picked.push(i);
            }
        }
        KeyCode::Up | KeyCode::Char('k') => *cursor = cursor.saturating_sub(1),
        KeyCode::Down | KeyCode::Char('j') => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
        KeyCode::Char(' ') if !picked.contains(cursor) => picked.push(*cursor),
        KeyCode::Backspace => {
            picked.pop();
        }
        KeyCode::Enter if picked.len() == n => return Ok(Some(Response::Order(picked.clone()))),
        KeyCode::Enter if !picked.contains(cursor) => picked.push(*cursor),
        KeyCode::Enter => return Err(format!("pick all {n} items, then press enter")),
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
                let hint = format!(
                    " lines {}–{} of {} · ↑↓ pgup pgdn scroll · q quit",
                    top + 1,
                    (top + height).min(lines.len()),
                    lines.len()
                );
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
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Char('q') | KeyCode::Esc => break,
                KeyCode::Char('c') if ctrl => break,
                KeyCode::Down | KeyCode::Char('j') => top = (top + 1).min(last),
                KeyCode::Up | KeyCode::Char('k') => top = top.saturating_sub(1),
                KeyCode::PageDown | KeyCode::Char(' ') => top = (top + height).min(last),
                KeyCode::PageUp => top = top.saturating_sub(height),
                KeyCode::Home | KeyCode::Char('g') => top = 0,
                KeyCode::End | KeyCode::Char('G') => top = last,
                _ => {}
            }
        }
    }
    Ok(())
}
