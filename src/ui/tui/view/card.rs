//! The card on the full screen: its heading and question, the answer being
//! given (a typed line, options to pick, items to order, a basic card's
//! reveal) and the feedback after it, drawn from the presenter's lines in
//! the theme's styles. Pure like the rest of the view; it must never decide
//! what a card shows, which is the presenter's (`ui::present`).

use super::{push_wrapped, Theme};
use crate::deck::CardKind;
use crate::session::{DiffPart, Feedback, Mode, Prompt};
use crate::text::{char_columns, clean_line, visible_from, wrap};
use crate::types::{Rating, Verdict};
use crate::ui::present::{self, Role, Shown};
use crate::ui::tui::input::{Input, LineEditor};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

pub(super) fn card_lines(
    lines: &mut Vec<Line<'static>>,
    shown: &[Shown],
    width: usize,
    theme: &Theme,
) {
    for l in shown {
        match l.role {
            Role::Heading => lines.push(Line::styled(l.text.clone(), theme.dim())),
            Role::Question => push_wrapped(
                lines,
                &l.text,
                width,
                "",
                Style::new().add_modifier(Modifier::BOLD),
            ),
            _ => {}
        }
    }
}

/// The options of the card on screen, as the presenter cleaned them.
fn options(shown: &[Shown]) -> Vec<&str> {
    shown
        .iter()
        .filter(|l| matches!(l.role, Role::Option(_)))
        .map(|l| l.text.as_str())
        .collect()
}

/// The answer area; returns the cursor position (line, column) for text input.
pub(super) fn input_lines(
    lines: &mut Vec<Line<'static>>,
    p: &Prompt,
    shown: &[Shown],
    input: &Input,
    width: usize,
    theme: &Theme,
) -> Option<(usize, usize)> {
    match input {
        Input::Line(editor) => Some(line_input(lines, p, editor, width, theme)),
        Input::Pick { selected } => {
            for (i, o) in options(shown).into_iter().enumerate() {
                let style = if i == *selected {
                    theme.selected()
                } else {
                    Style::new()
                };
                option_lines(
                    lines,
                    Span::raw(""),
                    &format!("{}. ", i + 1),
                    o,
                    width,
                    style,
                );
            }
            None
        }
        Input::Order { picked, cursor } => {
            order_lines(lines, &options(shown), picked, *cursor, width, theme);
            None
        }
        Input::Reveal => {
            lines.push(Line::styled(
                "Think of the answer, then press space to see it.",
                theme.dim(),
            ));
            None
        }
    }
}

/// The line being typed, scrolled to keep the cursor in view; returns the
/// cursor position (line, column).
fn line_input(
    lines: &mut Vec<Line<'static>>,
    p: &Prompt,
    editor: &LineEditor,
    width: usize,
    theme: &Theme,
) -> (usize, usize) {
    let label = match p.card.kind {
        CardKind::Year { .. } => "Year: ",
        _ => "Answer: ",
    };
    let chars: Vec<char> = editor.text().chars().collect();
    // Show the part of a long answer around the cursor, counted in
    // terminal columns (a kana or kanji takes two).
    let room = width.saturating_sub(label.len() + 1).max(10);
    let (start, before) = visible_from(&chars, editor.cursor(), room);
    let mut used = 0;
    let shown: String = chars[start..]
        .iter()
        .take_while(|&&c| {
            used += char_columns(c);
            used <= room
        })
        .collect();
    lines.push(Line::from(vec![
        Span::styled(label, theme.accent()),
        Span::raw(shown),
    ]));
    (lines.len() - 1, label.len() + before)
}

/// An order card's items with the places picked so far, and the order so
/// far under them.
fn order_lines(
    lines: &mut Vec<Line<'static>>,
    options: &[&str],
    picked: &[usize],
    cursor: usize,
    width: usize,
    theme: &Theme,
) {
    for (i, o) in options.iter().enumerate() {
        let place = picked.iter().position(|&k| k == i);
        let mark = match place {
            Some(n) => format!("[{}] ", n + 1),
            None => "[ ] ".to_string(),
        };
        let style = match (i == cursor, place.is_some()) {
            (true, _) => theme.selected(),
            (false, true) => theme.dim(),
            _ => Style::new(),
        };
        option_lines(
            lines,
            Span::styled(mark, theme.accent()),
            &format!("{}. ", i + 1),
            o,
            width,
            style,
        );
    }
    lines.push(Line::raw(""));
    let order: Vec<&str> = picked
        .iter()
        .filter_map(|&k| options.get(k).copied())
        .collect();
    let so_far = if order.is_empty() {
        "(pick the first)".to_string()
    } else {
        order.join(" → ")
    };
    push_wrapped(
        lines,
        &format!("Your order: {so_far}"),
        width,
        "",
        theme.accent(),
    );
}

/// One option, wrapped under its own text: two spaces, a `mark` (the place
/// picked, for order cards), the number, then the text; continuation lines
/// line up with the text.
fn option_lines(
    lines: &mut Vec<Line<'static>>,
    mark: Span<'static>,
    number: &str,
    text: &str,
    width: usize,
    style: Style,
) {
    let lead = 2 + mark.content.chars().count() + number.chars().count() + 1;
    let body = wrap(
        &clean_line(text),
        width.saturating_sub(lead + 1).max(10),
        "",
    );
    for (k, part) in body.lines().enumerate() {
        let line = if k == 0 {
            vec![
                Span::raw("  "),
                mark.clone(),
                Span::styled(format!(" {number}{part} "), style),
            ]
        } else {
            let pad = " ".repeat(mark.content.chars().count());
            vec![
                Span::raw("  "),
                Span::raw(pad),
                Span::styled(
                    format!(" {}{part} ", " ".repeat(number.chars().count())),
                    style,
                ),
            ]
        };
        lines.push(Line::from(line));
    }
}

/// The presenter's words start lower-case; the full screen starts a line
/// with a capital.
fn capitalised(text: &str) -> String {
    let mut done = false;
    text.chars()
        .flat_map(|c| {
            if !done && c.is_alphabetic() {
                done = true;
                c.to_uppercase().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

pub(super) fn feedback_lines(
    lines: &mut Vec<Line<'static>>,
    f: &Feedback,
    mode: Mode,
    width: usize,
    theme: &Theme,
) {
    let shown = present::feedback(f);
    for l in &shown {
        match l.role {
            Role::Verdict(verdict) => verdict_lines(lines, &shown, verdict, &l.text, width, theme),
            // What the learner gave, with the session's letter diff for typed answers.
            Role::Yours if !l.parts.is_empty() => diff_line(lines, &l.parts, theme),
            Role::Yours if matches!(f.verdict, Verdict::Close | Verdict::Wrong) => {
                let yours = if l.text.is_empty() {
                    "(no answer)"
                } else {
                    &l.text
                };
                push_wrapped(lines, &format!("Yours: {yours}"), width, "", theme.dim());
            }
            Role::Why => {
                lines.push(Line::raw(""));
                push_wrapped(
                    lines,
                    &l.text,
                    width,
                    "",
                    Style::new().add_modifier(Modifier::ITALIC),
                );
            }
            Role::Source => push_wrapped(
                lines,
                &format!("Source: {}", l.text),
                width,
                "",
                theme.dim(),
            ),
            _ => {}
        }
    }
    lines.push(Line::raw(""));
    let intervals: Vec<(Rating, &str)> = shown
        .iter()
        .filter_map(|l| match l.role {
            Role::Interval(r) => Some((r, l.text.as_str())),
            _ => None,
        })
        .collect();
    if mode == Mode::Study && !intervals.is_empty() {
        let mut spans = vec![Span::styled("Next: ", theme.dim())];
        for (r, i) in intervals {
            let style = if r == f.rating {
                theme.selected()
            } else {
                Style::new()
            };
            spans.push(Span::styled(format!(" {} {r} {i} ", r.number()), style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    } else if f.verdict == Verdict::SelfGraded {
        lines.push(Line::styled(
            "How well did you know it? 1 again · 2 hard · 3 good · 4 easy",
            theme.dim(),
        ));
    }
    if let Some(leech) = present::text_of(&shown, Role::Leech) {
        lines.push(Line::styled(capitalised(leech), theme.close()));
    }
}

/// The verdict's mark and the answer: on one line, or the answer's lines
/// under the mark when it has several (an order).
fn verdict_lines(
    lines: &mut Vec<Line<'static>>,
    shown: &[Shown],
    verdict: Verdict,
    mark: &str,
    width: usize,
    theme: &Theme,
) {
    let style = match verdict {
        Verdict::Correct => theme.good(),
        Verdict::Close => theme.close(),
        Verdict::Wrong => theme.bad(),
        Verdict::SelfGraded => theme.accent().add_modifier(Modifier::BOLD),
    };
    let mark = capitalised(mark);
    let answer = present::text_of(shown, Role::Answer).unwrap_or_default();
    if answer.contains('\n') {
        lines.push(Line::styled(mark, style));
        for l in answer.lines() {
            push_wrapped(lines, l, width.saturating_sub(2), "  ", Style::new());
        }
    } else {
        lines.push(Line::from(vec![
            Span::styled(mark, style),
            Span::raw("  "),
            Span::styled(
                answer.to_string(),
                Style::new().add_modifier(Modifier::BOLD),
            ),
        ]));
    }
}

fn diff_line(lines: &mut Vec<Line<'static>>, parts: &[DiffPart], theme: &Theme) {
    let mut spans = vec![Span::styled("Yours: ", theme.dim())];
    for part in parts {
        // The presenter cleaned both what was typed and the deck's answer.
        spans.push(match part {
            DiffPart::Same(s) => Span::raw(s.clone()),
            DiffPart::Extra(s) => Span::styled(s.clone(), theme.extra()),
            DiffPart::Missing(s) => Span::styled(s.clone(), theme.missing()),
        });
    }
    lines.push(Line::from(spans));
}
