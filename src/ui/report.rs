//! The end-of-session reports as lines of text, shared by line mode and the
//! full screen.

use crate::human::{duration, until};
use crate::session::{Backlog, Mode, QuizSummary, Session, SessionError, Summary, Tally};
use crate::text::clean_line;
use chrono::{DateTime, FixedOffset, Utc};

/// The closing lines of a session, whichever front-end ran it: the study
/// summary or the quiz score.
pub fn lines(
    session: &Session<'_>,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> Result<Vec<String>, SessionError> {
    Ok(match session.mode() {
        Mode::Study => study(&session.summary(now)?, now),
        Mode::Quiz => quiz(&session.quiz_summary()?, offset),
    })
}

/// The line that opens a study session with a backlog, naming the way out.
pub fn backlog_line(b: Backlog) -> String {
    let due = b.due as usize;
    format!(
        "{} review{} due, more than your {} a day: `kioku postpone` moves the ones that can wait most safely to later days",
        crate::human::thousands(due),
        if due == 1 { " is" } else { "s are" },
        crate::human::thousands(b.limit as usize)
    )
}

/// The same, short enough for the full screen's top line.
pub fn backlog_short(b: Backlog) -> String {
    format!(
        "{} due, over {} a day: kioku postpone",
        crate::human::thousands(b.due as usize),
        crate::human::thousands(b.limit as usize)
    )
}

/// The closing lines of a study session.
pub fn study(s: &Summary, now: DateTime<Utc>) -> Vec<String> {
    let mut lines = Vec::new();
    if s.answered == 0 {
        lines.push("Nothing answered this time.".to_string());
    } else {
        let graded = s.answered - s.correct - s.close - s.wrong;
        let mut parts = vec![
            format!("{} correct", s.correct),
            format!("{} close", s.close),
            format!("{} wrong", s.wrong),
        ];
        if graded > 0 {
            parts.push(format!("{graded} self-graded"));
        }
        lines.push(format!(
            "Session: {} answered · {:.0}% remembered ({}) · {}",
            s.answered,
            s.accuracy().unwrap_or(0.0),
            parts.join(", "),
            duration(s.time_ms)
        ));
    }
    if !s.leeches.is_empty() {
        lines.push(format!(
            "New leeches: {}",
            clean_line(&s.leeches.join(", "))
        ));
    }
    if !s.held.is_empty() {
        lines.push(format!("Set aside: {}", clean_line(&s.held.join(", "))));
    }
    lines.push(match s.next_due {
        Some(t) => format!(
            "Next: a card is due {} · {} due by the end of tomorrow",
            until(now, t),
            s.due_by_tomorrow
        ),
        None => "Next: nothing scheduled yet".to_string(),
    });
    lines
}

fn tallies(list: &[Tally]) -> String {
    list.iter()
        .map(|t| format!("{} {:.0}% ({})", clean_line(&t.name), t.score(), t.answered))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The score at the end of a quiz, and how it compares with earlier ones.
pub fn quiz(q: &QuizSummary, offset: FixedOffset) -> Vec<String> {
    let t = &q.total;
    if t.answered == 0 {
        return vec!["Nothing answered: no score this time.".to_string()];
    }
    let mut lines = vec![
        format!(
            "Score: {:.0}% · {} of {} right, {} close, {} wrong · {}",
            t.score(),
            t.correct,
            t.answered,
            t.close,
            t.wrong,
            duration(q.time_ms)
        ),
        format!("  by type: {}", tallies(&q.by_type)),
        format!("  by deck: {}", tallies(&q.by_deck)),
    ];
    match q.previous_and_best() {
        None => lines
            .push("First quiz on these decks: the next one will be compared with it.".to_string()),
        Some((last, best)) => {
            let delta = t.score() - last;
            let trend = if delta.abs() < 0.5 {
                "the same as last time".to_string()
            } else {
                format!("{:+.0} points on last time", delta)
            };
            let recent: Vec<String> = q
                .earlier
                .iter()
                .rev()
                .take(5)
                .rev()
                .map(|r| {
                    format!(
                        "{:.0}% of {} ({})",
                        r.score(),
                        r.answered,
                        r.started.with_timezone(&offset).format("%Y-%m-%d")
                    )
                })
                .collect();
            lines.push(format!(
                "Compared: {trend} · best before {best:.0}% · earlier: {}",
                recent.join(", ")
            ));
        }
    }
    lines
}
