//! Line mode: one line of input per step, so a session can be typed, piped
//! or scripted. For each card: the answer line, then the action line.
//!
//! Answer line: the answer; `:h` shows the hint, `:u` undoes the last saved
//! answer, `:s` / `:b` suspend or bury, `:q` quits. Action line: empty
//! accepts, `a`/`h`/`g`/`e` or `1`–`4` saves with that rating instead, `u`
//! takes the answer back, `q` saves and quits. For a basic card the answer
//! line reveals, and the action line is the grade (empty means good). The
//! words and the prompts come from the key table (`ui::keys`). End of input ends the session; what is
//! saved then is the session's rule ([`Session::leave`]), not this loop's.

use crate::deck::CardKind;
use crate::session::Response;
use crate::session::{Feedback, Hold, Mode, Prompt, Session, SessionError, Undone};
use crate::text::{clean_line, quote, wrap};
use crate::types::{Rating, Verdict};
use crate::ui::keys::{self, Action, At, Place};
use crate::ui::present::{self, Role, Shown};
use crate::ui::report;
use chrono::{DateTime, FixedOffset, Utc};
use std::io::{self, BufRead, Write};
use std::time::Instant;

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// No cards left for now.
    Done,
    /// The learner typed `q`.
    Quit,
    /// Standard input closed.
    EndOfInput,
    /// A signal, or the terminal gone (full screen only).
    Signal,
}

/// A front-end that failed: the terminal, or the session under it.
#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Session(#[from] SessionError),
}

const WIDTH: usize = 78;

/// The first line of a session.
pub fn header(out: &mut impl Write, session: &Session<'_>) -> io::Result<()> {
    let c = session.counts();
    let decks = session.decks();
    let names = if decks.len() <= 3 {
        decks.join(", ")
    } else {
        format!("{} decks", decks.len())
    };
    match session.mode() {
        Mode::Study => {
            writeln!(
                out,
                "kioku · study · {names} · {} to review · {} new · {} learning",
                c.review, c.new, c.learning
            )?;
            match session.backlog() {
                Some(b) => writeln!(out, "{}", crate::ui::report::backlog_line(b)),
                None => Ok(()),
            }
        }
        Mode::Quiz => writeln!(
            out,
            "kioku · quiz · {names} · {} question{} · the schedule is not changed",
            c.total(),
            crate::human::plural(c.total())
        ),
    }
}

/// Runs the session until it is done, the learner quits or input ends.
/// With `echo`, each line read is written back after its prompt, so that a
/// piped session reads like a typed one.
pub fn run(
    session: &mut Session<'_>,
    input: &mut impl BufRead,
    out: &mut impl Write,
    clock: &dyn Fn() -> DateTime<Utc>,
    echo: bool,
) -> Result<End, UiError> {
    let mut lines = Lines { input, echo };
    loop {
        let Some(prompt) = session.next_card(clock()) else {
            return Ok(End::Done);
        };
        if let Step::End(end) = card(session, &prompt, &mut lines, out, clock)? {
            return Ok(end);
        }
    }
}

/// What comes after a card's lines: the next card, or the end.
enum Step {
    Next,
    End(End),
}

/// The learner's lines, each echoed after its prompt when asked to.
struct Lines<'a, R> {
    input: &'a mut R,
    echo: bool,
}

impl<R: BufRead> Lines<'_, R> {
    fn next(&mut self, out: &mut impl Write) -> io::Result<Option<String>> {
        let line = read_line(self.input)?;
        if self.echo {
            writeln!(
                out,
                "{}",
                line.as_deref().map(clean_line).unwrap_or_default()
            )?;
        }
        Ok(line)
    }
}

/// One card: the prompt, the answer line, the feedback, the action line.
fn card<R: BufRead, W: Write>(
    session: &mut Session<'_>,
    prompt: &Prompt,
    lines: &mut Lines<'_, R>,
    out: &mut W,
    clock: &dyn Fn() -> DateTime<Utc>,
) -> Result<Step, UiError> {
    show_prompt(out, prompt)?;
    let started = Instant::now();
    let response = match answer_line(session, prompt, lines, out, clock)? {
        Ok(response) => response,
        Err(step) => return Ok(step),
    };
    let Some(feedback) = session.answer(&response, clock(), started.elapsed())? else {
        return Ok(Step::Next);
    };
    show_feedback(out, prompt, &feedback)?;
    action_line(session, prompt, &feedback, lines, out, clock)
}

/// Suspends or buries the card on screen and says so, with `saved;` first
/// when an answer on screen was saved with it (an ungraded reveal is not).
fn put_away<W: Write>(
    session: &mut Session<'_>,
    action: Action,
    out: &mut W,
    clock: &dyn Fn() -> DateTime<Utc>,
) -> Result<(), UiError> {
    let how = if action == Action::Suspend {
        Hold::Suspend
    } else {
        Hold::Bury
    };
    if let Some(held) = session.hold(how, clock())? {
        let saved = if held.saved { "saved; " } else { "" };
        writeln!(out, "  {saved}{}: {}", how.done(), clean_line(&held.card))?;
    }
    Ok(())
}

/// Reads answer lines until one parses; the colon commands act at once and
/// end the card (`Err`), except the hint.
fn answer_line<R: BufRead, W: Write>(
    session: &mut Session<'_>,
    prompt: &Prompt,
    lines: &mut Lines<'_, R>,
    out: &mut W,
    clock: &dyn Fn() -> DateTime<Utc>,
) -> Result<Result<Response, Step>, UiError> {
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let Some(line) = lines.next(out)? else {
            return Ok(Err(Step::End(End::EndOfInput)));
        };
        let at = At {
            place: Place::question(&prompt.card.kind),
            quiz: session.mode() == Mode::Quiz,
        };
        match keys::line_action(&line, at) {
            Some(Action::Quit) => return Ok(Err(Step::End(End::Quit))),
            Some(action @ (Action::Suspend | Action::Bury)) => {
                put_away(session, action, out, clock)?;
                return Ok(Err(Step::Next));
            }
            Some(Action::Undo) => {
                match session.undo()? {
                    Undone::Saved { deck_id, card_id } => writeln!(
                        out,
                        "  undone: your answer to {} — asked again",
                        clean_line(&format!("{deck_id}/{card_id}"))
                    )?,
                    _ => writeln!(out, "  nothing to undo yet")?,
                }
                return Ok(Err(Step::Next));
            }
            Some(Action::Hint) => {
                match &prompt.card.hint {
                    Some(h) => writeln!(out, "  hint: {}", clean_line(h))?,
                    None => writeln!(out, "  no hint for this card")?,
                }
                continue;
            }
            _ => {}
        }
        match session.parse(&line) {
            Ok(r) => return Ok(Ok(r)),
            Err(e) => writeln!(out, "  {e}")?,
        }
    }
}

/// Reads action lines after the feedback until one saves, undoes or quits.
fn action_line<R: BufRead, W: Write>(
    session: &mut Session<'_>,
    prompt: &Prompt,
    feedback: &Feedback,
    lines: &mut Lines<'_, R>,
    out: &mut W,
    clock: &dyn Fn() -> DateTime<Utc>,
) -> Result<Step, UiError> {
    let is_basic = matches!(prompt.card.kind, CardKind::Basic { .. });
    let at = At {
        place: Place::feedback(feedback),
        quiz: session.mode() == Mode::Quiz,
    };
    loop {
        write!(
            out,
            "{}",
            keys::line_prompt(at, &feedback.rating.to_string())
        )?;
        out.flush()?;
        let Some(line) = lines.next(out)? else {
            return Ok(Step::End(End::EndOfInput));
        };
        let typed = line.trim();
        match keys::line_action(typed, at) {
            Some(Action::Accept | Action::Next) => {
                session.accept()?;
                return Ok(Step::Next);
            }
            Some(action @ (Action::Suspend | Action::Bury)) => {
                put_away(session, action, out, clock)?;
                return Ok(Step::Next);
            }
            Some(Action::Grade) => {
                if let Some(rating) = Rating::from_key(typed) {
                    session.regrade(rating);
                    session.accept()?;
                    if !is_basic && rating != feedback.rating {
                        writeln!(out, "  saved as {rating}")?;
                    }
                    return Ok(Step::Next);
                }
            }
            Some(Action::Overrule) if session.overrule().is_some() => {
                session.accept()?;
                writeln!(
                    out,
                    "  saved as correct; {} is accepted for this card from now on",
                    quote(&feedback.given)
                )?;
                return Ok(Step::Next);
            }
            Some(Action::Undo) => {
                session.undo()?;
                writeln!(out, "  answer taken back — asked again")?;
                return Ok(Step::Next);
            }
            Some(Action::Quit) => return Ok(Step::End(End::Quit)),
            _ => {}
        }
        writeln!(out, "  {}", keys::line_reminder(at))?;
    }
}

fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
}

fn show_prompt(out: &mut impl Write, p: &Prompt) -> io::Result<()> {
    writeln!(out)?;
    // Line mode numbers the options of the cards answered by number only;
    // true/false is answered by letter.
    let numbered = matches!(
        p.card.kind,
        CardKind::Choice { .. } | CardKind::Order { .. }
    );
    for line in present::prompt(p) {
        match line.role {
            Role::Heading => writeln!(out, "[{}/{}] {}", p.number, p.total, line.text)?,
            Role::Question => writeln!(out, "{}", wrap(&line.text, WIDTH, ""))?,
            Role::Option(n) if numbered => writeln!(out, "  {n}. {}", line.text)?,
            _ => {}
        }
    }
    match &p.card.kind {
        CardKind::Order { .. } => {
            let example: Vec<String> = (1..=p.options.len()).rev().map(|i| i.to_string()).collect();
            writeln!(
                out,
                "  (the numbers in the right order, like {})",
                example.join(" ")
            )?;
        }
        CardKind::TrueFalse { .. } => writeln!(out, "  t = true · f = false")?,
        CardKind::Year { .. } => writeln!(out, "  (a year)")?,
        CardKind::Basic { .. } => {
            writeln!(out, "  (enter to reveal; you may type your answer first)")?
        }
        CardKind::Choice { .. } | CardKind::Typed { .. } | CardKind::Cloze { .. } => {}
    }
    Ok(())
}

fn show_feedback(out: &mut impl Write, p: &Prompt, f: &Feedback) -> io::Result<()> {
    let lines = present::feedback(f);
    let answer = present::text_of(&lines, Role::Answer).unwrap_or_default();
    let multi_line = answer.contains('\n');
    for line in &lines {
        match line.role {
            Role::Verdict(Verdict::SelfGraded) if multi_line => {
                writeln!(out, "  {}:\n{}", line.text, indent(answer))?
            }
            Role::Verdict(Verdict::SelfGraded) => writeln!(out, "  {}: {answer}", line.text)?,
            Role::Verdict(Verdict::Correct) if !multi_line => {
                writeln!(out, "  {} — {answer}", line.text)?
            }
            Role::Verdict(_) => {
                let yours = match present::text_of(&lines, Role::Yours) {
                    None | Some("") => "no answer".to_string(),
                    Some(given) => format!("you answered {given}"),
                };
                if multi_line {
                    writeln!(
                        out,
                        "  {} — {yours}; the right order:\n{}",
                        line.text,
                        indent(answer)
                    )?;
                } else {
                    writeln!(out, "  {} — {yours}; the answer is {answer}", line.text)?;
                }
            }
            Role::Why => writeln!(out, "{}", wrap(&line.text, WIDTH - 2, "  "))?,
            Role::Source => writeln!(out, "  source: {}", line.text)?,
            Role::Interval(r) if r == Rating::ALL[0] => show_intervals(out, p, &lines)?,
            Role::Leech => writeln!(out, "  {}", line.text)?,
            _ => {}
        }
    }
    Ok(())
}

/// All the intervals on one line; a basic card's with the number that
/// grades it.
fn show_intervals(out: &mut impl Write, p: &Prompt, lines: &[Shown]) -> io::Result<()> {
    let basic = matches!(p.card.kind, CardKind::Basic { .. });
    let next: Vec<String> = lines
        .iter()
        .filter_map(|l| match l.role {
            Role::Interval(r) if basic => Some(format!("{} {r} {}", r.number(), l.text)),
            Role::Interval(r) => Some(format!("{r} {}", l.text)),
            _ => None,
        })
        .collect();
    writeln!(out, "  next: {}", next.join(" · "))
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The closing lines of a session: the study summary or the quiz score.
pub fn summary(
    out: &mut impl Write,
    session: &Session<'_>,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> Result<(), UiError> {
    writeln!(out)?;
    for line in report::lines(session, now, offset)? {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
