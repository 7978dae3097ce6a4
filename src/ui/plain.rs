//! Line mode: one line of input per step, so a session can be typed, piped
//! or scripted. For each card: the answer line, then the action line.
//!
//! Answer line: the answer; `:h` shows the hint, `:u` undoes the last saved
//! answer, `:q` quits. Action line: empty accepts, `a`/`h`/`g`/`e` or `1`–`4`
//! saves with that rating instead, `u` takes the answer back, `q` saves and
//! quits. For a basic card the answer line reveals, and the action line is
//! the grade (empty means good). End of input ends the session; what is
//! saved then is the session's rule ([`Session::leave`]), not this loop's.

use crate::deck::CardKind;
use crate::session::{Feedback, Hold, Mode, Prompt, Session, SessionError, Undone};
use crate::text::{clean, clean_line, wrap};
use crate::types::{Rating, Verdict};
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
        Mode::Study => writeln!(
            out,
            "kioku · study · {names} · {} to review · {} new · {} learning",
            c.review, c.new, c.learning
        ),
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
    let mut read_line = |out: &mut dyn Write| -> io::Result<Option<String>> {
        let line = read_line(input)?;
        if echo {
            writeln!(
                out,
                "{}",
                line.as_deref().map(clean_line).unwrap_or_default()
            )?;
        }
        Ok(line)
    };
    'cards: loop {
        let Some(prompt) = session.next_card(clock()) else {
            return Ok(End::Done);
        };
        show_prompt(out, &prompt)?;
        let started = Instant::now();
        let is_basic = matches!(prompt.card.kind, CardKind::Basic { .. });
        let response = loop {
            write!(out, "> ")?;
            out.flush()?;
            let Some(line) = read_line(out)? else {
                return Ok(End::EndOfInput);
            };
            match line.trim() {
                ":q" | ":quit" => return Ok(End::Quit),
                ":s" | ":suspend" | ":b" | ":bury" if session.mode() == Mode::Study => {
                    let how = if line.trim().starts_with(":s") {
                        Hold::Suspend
                    } else {
                        Hold::Bury
                    };
                    if let Some(held) = session.hold(how, clock())? {
                        writeln!(out, "  {}: {}", how.done(), clean_line(&held.card))?;
                    }
                    continue 'cards;
                }
                ":u" | ":undo" => {
                    match session.undo()? {
                        Undone::Saved { deck_id, card_id } => writeln!(
                            out,
                            "  undone: your answer to {} — asked again",
                            clean_line(&format!("{deck_id}/{card_id}"))
                        )?,
                        _ => writeln!(out, "  nothing to undo yet")?,
                    }
                    continue 'cards;
                }
                ":h" | ":hint" => {
                    match &prompt.card.hint {
                        Some(h) => writeln!(out, "  hint: {}", clean_line(h))?,
                        None => writeln!(out, "  no hint for this card")?,
                    }
                    continue;
                }
                _ => {}
            }
            match session.parse(&line) {
                Ok(r) => break r,
                Err(e) => writeln!(out, "  {e}")?,
            }
        };
        let Some(feedback) = session.answer(&response, clock(), started.elapsed())? else {
            continue;
        };
        show_feedback(out, &prompt, &feedback)?;
        let quiz = session.mode() == Mode::Quiz;
        loop {
            if is_basic {
                write!(
                    out,
                    "grade [enter = good, 1-4 or a/h/g/e, u = undo, q = quit]: "
                )?;
            } else if quiz {
                write!(out, "[enter = next, u = undo, q = quit]: ")?;
            } else {
                write!(
                    out,
                    "[enter = {}, a/h/g/e = regrade, s = suspend, b = bury, u = undo, q = quit]: ",
                    feedback.rating
                )?;
            }
            out.flush()?;
            let Some(line) = read_line(out)? else {
                return Ok(End::EndOfInput);
            };
            let action = line.trim();
            if action.is_empty() {
                session.accept()?;
                continue 'cards;
            }
            if !quiz && matches!(action, "s" | "b") {
                let how = if action == "s" {
                    Hold::Suspend
                } else {
                    Hold::Bury
                };
                if let Some(held) = session.hold(how, clock())? {
                    // An ungraded reveal is held back without a review.
                    let saved = if held.saved { "saved; " } else { "" };
                    writeln!(out, "  {saved}{}: {}", how.done(), clean_line(&held.card))?;
                }
                continue 'cards;
            }
            if let Some(rating) = Rating::from_key(action).filter(|_| is_basic || !quiz) {
                session.regrade(rating);
                session.accept()?;
                if !is_basic && rating != feedback.rating {
                    writeln!(out, "  saved as {rating}")?;
                }
                continue 'cards;
            }
            match action {
                "u" | "undo" => {
                    session.undo()?;
                    writeln!(out, "  answer taken back — asked again")?;
                    continue 'cards;
                }
                "q" | "quit" => return Ok(End::Quit),
                _ if quiz && !is_basic => {
                    writeln!(out, "  press enter for the next question, or u or q")?
                }
                _ => writeln!(
                    out,
                    "  press enter to accept, or type a/h/g/e (1-4), s, b, u or q"
                )?,
            }
        }
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
    writeln!(
        out,
        "[{}/{}] {} · {} · {}",
        p.number,
        p.total,
        clean_line(&p.deck_id),
        p.card.kind.type_name(),
        p.phase
    )?;
    writeln!(out, "{}", wrap(&clean(&p.question), WIDTH, ""))?;
    match &p.card.kind {
        CardKind::Choice { .. } => {
            for (i, o) in p.options.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, clean_line(o))?;
            }
        }
        CardKind::Order { .. } => {
            for (i, o) in p.options.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, clean_line(o))?;
            }
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
        CardKind::Typed { .. } | CardKind::Cloze { .. } => {}
    }
    Ok(())
}

fn show_feedback(out: &mut impl Write, p: &Prompt, f: &Feedback) -> io::Result<()> {
    let answer = clean(&f.answer);
    let multi_line = answer.contains('\n');
    match f.verdict {
        Verdict::SelfGraded => {
            if multi_line {
                writeln!(out, "  answer:\n{}", indent(&answer))?;
            } else {
                writeln!(out, "  answer: {answer}")?;
            }
        }
        verdict => {
            let mark = match verdict {
                Verdict::Correct => "✓ correct",
                Verdict::Close => "≈ close",
                _ => "✗ wrong",
            };
            let given = clean_line(&f.given);
            if verdict == Verdict::Correct && !multi_line {
                writeln!(out, "  {mark} — {answer}")?;
            } else {
                let yours = if given.is_empty() {
                    "no answer".to_string()
                } else {
                    format!("you answered {given}")
                };
                if multi_line {
                    writeln!(
                        out,
                        "  {mark} — {yours}; the right order:\n{}",
                        indent(&answer)
                    )?;
                } else {
                    writeln!(out, "  {mark} — {yours}; the answer is {answer}")?;
                }
            }
        }
    }
    if let Some(why) = &f.why {
        writeln!(out, "{}", wrap(&clean(why), WIDTH - 2, "  "))?;
    }
    match (&f.source, &f.section) {
        (Some(src), Some(sec)) => {
            writeln!(out, "  source: {} · {}", clean_line(src), clean_line(sec))?
        }
        (None, Some(sec)) => writeln!(out, "  source: {}", clean_line(sec))?,
        (Some(src), None) => writeln!(out, "  source: {}", clean_line(src))?,
        (None, None) => {}
    }
    if let Some(intervals) = f.intervals {
        show_intervals(out, p, intervals)?;
    }
    if f.leech {
        writeln!(out, "  this card is now a leech: it keeps slipping away — consider rewriting it or adding a hint")?;
    }
    Ok(())
}

fn show_intervals(
    out: &mut impl Write,
    p: &Prompt,
    intervals: [crate::types::Interval; 4],
) -> io::Result<()> {
    let next: Vec<String> = Rating::ALL
        .iter()
        .zip(intervals)
        .map(|(r, i)| {
            if matches!(p.card.kind, CardKind::Basic { .. }) {
                format!("{} {r} {i}", r.number())
            } else {
                format!("{r} {i}")
            }
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
