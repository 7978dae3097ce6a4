//! Drawing the full screen from plain data. Pure: the same view always draws
//! the same screen, which is what the snapshot tests rely on.

use super::input::Input;
use crate::deck::CardKind;
use crate::session::{DiffPart, Feedback, Mode, Prompt};
use crate::text::{char_columns, clean, clean_line, columns, visible_from, wrap};
use crate::types::{Rating, Verdict};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph};
use ratatui::Frame;

/// Where the learner is with the card on screen.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Answering.
    Question(Input),
    /// The answer checked, waiting for accept / regrade.
    Feedback(Feedback),
    /// The session is over; the report's lines.
    Done(Vec<String>),
}

/// Everything one frame shows.
pub struct View<'a> {
    pub mode: Mode,
    pub decks: &'a [String],
    pub prompt: Option<&'a Prompt>,
    pub stage: &'a Stage,
    /// Answers saved so far.
    pub answered: usize,
    /// A short note under the card (bad input, "suspended", ...).
    pub message: Option<&'a str>,
    pub help: bool,
    pub color: bool,
}

/// Styles, plain when colour is off (`NO_COLOR`).
struct Theme {
    color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }
    fn good(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    fn close(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }
    fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    fn extra(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Red)
                .add_modifier(Modifier::CROSSED_OUT)
        } else {
            Style::new().add_modifier(Modifier::CROSSED_OUT)
        }
    }
    fn missing(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::UNDERLINED)
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame<'_>, view: &View<'_>) {
    let theme = Theme { color: view.color };
    let area = frame.area();
    let [top, gauge, _, body, message, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_top(frame, top, gauge, view, &theme);
    let width = usize::from(body.width.saturating_sub(2)).max(20);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cursor: Option<(usize, usize)> = None;
    match (view.stage, view.prompt) {
        (Stage::Done(report), _) => {
            lines.push(Line::styled(
                if view.mode == Mode::Quiz {
                    "Quiz finished"
                } else {
                    "Session finished"
                },
                theme.accent().add_modifier(Modifier::BOLD),
            ));
            lines.push(Line::raw(""));
            for l in report {
                push_wrapped(&mut lines, l, width, "", Style::new());
            }
        }
        (Stage::Question(input), Some(p)) => {
            card_lines(&mut lines, p, width, &theme);
            lines.push(Line::raw(""));
            cursor = input_lines(&mut lines, p, input, width, &theme);
        }
        (Stage::Feedback(f), Some(p)) => {
            card_lines(&mut lines, p, width, &theme);
            lines.push(Line::raw(""));
            feedback_lines(&mut lines, f, view.mode, width, &theme);
        }
        (_, None) => lines.push(Line::raw("Nothing to ask.")),
    }
    // Keep the bottom (the answer and the feedback) in view on a short screen.
    let height = usize::from(body.height);
    let scroll = lines.len().saturating_sub(height);
    let inner = Rect {
        x: body.x + 1,
        width: body.width.saturating_sub(2),
        ..body
    };
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), inner);
    if let Some((row, col)) = cursor {
        if row >= scroll && row - scroll < height && !view.help {
            frame.set_cursor_position((inner.x + col as u16, inner.y + (row - scroll) as u16));
        }
    }
    if let Some(m) = view.message {
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {}", clean_line(m)), theme.close())),
            message,
        );
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit_hints(
                footer_keys(view),
                usize::from(footer.width),
                view.mode == Mode::Quiz,
            ),
            theme.dim(),
        )),
        footer,
    );
    if view.help {
        draw_help(frame, area, view, &theme);
    }
}

fn draw_top(frame: &mut Frame<'_>, top: Rect, gauge: Rect, view: &View<'_>, theme: &Theme) {
    let decks = if view.decks.len() <= 2 {
        view.decks.join(", ")
    } else {
        format!("{} decks", view.decks.len())
    };
    let mode = if view.mode == Mode::Quiz {
        "quiz"
    } else {
        "study"
    };
    let left = format!(" kioku · {mode} · {}", clean_line(&decks));
    let right = match view.prompt {
        Some(p) if view.mode == Mode::Study => format!(
            "new {}  learning {}  review {} ",
            p.left.new, p.left.learning, p.left.review
        ),
        Some(p) => format!("{} left ", p.total.saturating_sub(view.answered)),
        None => String::new(),
    };
    let pad = usize::from(top.width).saturating_sub(columns(&left) + columns(&right));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, theme.accent().add_modifier(Modifier::BOLD)),
            Span::raw(" ".repeat(pad)),
            Span::styled(right, theme.dim()),
        ])),
        top,
    );
    let total = view
        .prompt
        .map_or(view.answered, |p| p.total.max(view.answered))
        .max(1);
    let done = view.answered.min(total);
    let gauge_style = if view.color {
        Style::new().fg(Color::Cyan).bg(Color::Black)
    } else {
        Style::new()
    };
    frame.render_widget(
        Gauge::default()
            .gauge_style(gauge_style)
            .ratio(done as f64 / total as f64)
            .label(format!("{done} / {total}"))
            .use_unicode(true),
        Rect {
            x: gauge.x + 1,
            width: gauge.width.saturating_sub(2),
            ..gauge
        },
    );
}

fn push_wrapped(
    lines: &mut Vec<Line<'static>>,
    text: &str,
    width: usize,
    indent: &str,
    style: Style,
) {
    for l in wrap(&clean(text), width, indent).lines() {
        lines.push(Line::styled(l.to_string(), style));
    }
}

fn card_lines(lines: &mut Vec<Line<'static>>, p: &Prompt, width: usize, theme: &Theme) {
    lines.push(Line::styled(
        format!(
            "{} · {} · {}",
            clean_line(&p.deck_id),
            p.card.kind.type_name(),
            p.phase
        ),
        theme.dim(),
    ));
    push_wrapped(
        lines,
        &p.question,
        width,
        "",
        Style::new().add_modifier(Modifier::BOLD),
    );
}

/// The answer area; returns the cursor position (line, column) for text input.
fn input_lines(
    lines: &mut Vec<Line<'static>>,
    p: &Prompt,
    input: &Input,
    width: usize,
    theme: &Theme,
) -> Option<(usize, usize)> {
    match input {
        Input::Line(editor) => {
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
            Some((lines.len() - 1, label.len() + before))
        }
        Input::Pick { selected } => {
            for (i, o) in p.options.iter().enumerate() {
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
            for (i, o) in p.options.iter().enumerate() {
                let place = picked.iter().position(|&k| k == i);
                let mark = match place {
                    Some(n) => format!("[{}] ", n + 1),
                    None => "[ ] ".to_string(),
                };
                let style = match (i == *cursor, place.is_some()) {
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
            let order: Vec<String> = picked.iter().map(|&k| clean_line(&p.options[k])).collect();
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

fn feedback_lines(
    lines: &mut Vec<Line<'static>>,
    f: &Feedback,
    mode: Mode,
    width: usize,
    theme: &Theme,
) {
    let (mark, style) = match f.verdict {
        Verdict::Correct => ("✓ Correct", theme.good()),
        Verdict::Close => ("≈ Close", theme.close()),
        Verdict::Wrong => ("✗ Wrong", theme.bad()),
        Verdict::SelfGraded => ("Answer", theme.accent().add_modifier(Modifier::BOLD)),
    };
    let answer = clean(&f.answer).into_owned();
    if answer.contains('\n') {
        lines.push(Line::styled(mark, style));
        for l in answer.lines() {
            push_wrapped(lines, l, width.saturating_sub(2), "  ", Style::new());
        }
    } else {
        let mut first = vec![Span::styled(mark, style), Span::raw("  ")];
        first.push(Span::styled(
            answer.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        lines.push(Line::from(first));
    }
    // What the learner gave, with the session's letter diff for typed answers.
    let given = clean_line(&f.given);
    match (&f.diff, f.verdict) {
        (Some(parts), _) => diff_line(lines, parts, theme),
        (None, Verdict::Correct | Verdict::SelfGraded) => {}
        (None, _) => {
            let yours = if given.is_empty() {
                "(no answer)".to_string()
            } else {
                given
            };
            push_wrapped(lines, &format!("Yours: {yours}"), width, "", theme.dim());
        }
    }
    if let Some(why) = &f.why {
        lines.push(Line::raw(""));
        push_wrapped(
            lines,
            why,
            width,
            "",
            Style::new().add_modifier(Modifier::ITALIC),
        );
    }
    let source = match (&f.source, &f.section) {
        (Some(s), Some(sec)) => format!("{s} · {sec}"),
        (Some(s), None) => s.clone(),
        (None, Some(sec)) => sec.clone(),
        (None, None) => String::new(),
    };
    if !source.is_empty() {
        push_wrapped(lines, &format!("Source: {source}"), width, "", theme.dim());
    }
    lines.push(Line::raw(""));
    match (mode, f.intervals) {
        (Mode::Study, Some(intervals)) => {
            let mut spans = vec![Span::styled("Next: ", theme.dim())];
            for (r, i) in Rating::ALL.iter().zip(intervals) {
                let text = format!(" {} {r} {i} ", r.number());
                spans.push(Span::styled(
                    text,
                    if *r == f.rating {
                        theme.selected()
                    } else {
                        Style::new()
                    },
                ));
                spans.push(Span::raw(" "));
            }
            lines.push(Line::from(spans));
        }
        _ if f.verdict == Verdict::SelfGraded => {
            lines.push(Line::styled(
                "How well did you know it? 1 again · 2 hard · 3 good · 4 easy",
                theme.dim(),
            ));
        }
        _ => {}
    }
    if f.leech {
        lines.push(Line::styled(
            "This card is now a leech: it keeps slipping away. Consider rewriting it.",
            theme.close(),
        ));
    }
}

fn diff_line(lines: &mut Vec<Line<'static>>, parts: &[DiffPart], theme: &Theme) {
    let mut spans = vec![Span::styled("Yours: ", theme.dim())];
    for part in parts {
        // Both what was typed and the deck's answer are outside text.
        spans.push(match part {
            DiffPart::Same(s) => Span::raw(clean_line(s)),
            DiffPart::Extra(s) => Span::styled(clean_line(s), theme.extra()),
            DiffPart::Missing(s) => Span::styled(clean_line(s), theme.missing()),
        });
    }
    lines.push(Line::from(spans));
}

/// As many whole key hints as fit the width, in order of importance. A quiz
/// neither suspends nor buries.
fn fit_hints(hints: &str, width: usize, quiz: bool) -> String {
    let mut out = String::new();
    for hint in hints
        .split(" · ")
        .filter(|h| !(quiz && (h.contains("suspend") || h.contains("bury"))))
    {
        let extra = if out.is_empty() {
            hint.chars().count() + 1
        } else {
            hint.chars().count() + 3
        };
        if out.chars().count() + extra > width {
            break;
        }
        out.push_str(if out.is_empty() { " " } else { " · " });
        out.push_str(hint);
    }
    out
}

fn footer_keys(view: &View<'_>) -> &'static str {
    match view.stage {
        Stage::Done(_) => "enter or q: leave",
        Stage::Feedback(f) if f.verdict == Verdict::SelfGraded => {
            "1-4 grade · enter good · u undo · ? help · q quit"
        }
        Stage::Feedback(_) if view.mode == Mode::Quiz => "enter next · u undo · ? help · q quit",
        Stage::Feedback(_) => {
            "enter accept · 1-4 regrade · ? help · q quit · u undo · s suspend · b bury"
        }
        Stage::Question(Input::Line(_)) => {
            "enter check · F1 help · ctrl-c quit · ctrl-z undo · ctrl-s suspend · ←→ move"
        }
        Stage::Question(Input::Pick { .. }) => {
            "1-9 or ↑↓ + enter choose · ? help · q quit · u undo · s suspend"
        }
        Stage::Question(Input::Order { .. }) => {
            "1-9 or ↑↓ + space pick · enter check · backspace unpick · ? help · q quit"
        }
        Stage::Question(Input::Reveal) => "space reveal · ? help · q quit · u undo · s suspend",
    }
}

fn draw_help(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, theme: &Theme) {
    let rows: &[(&str, &str)] = &[
        ("Answering", ""),
        (
            "  typed, year, cloze",
            "type, enter to check; ← → home end, ctrl-w ctrl-u",
        ),
        ("  choice, true/false", "1-9 (t / f), or ↑ ↓ and enter"),
        ("  order", "pick items in order: 1-9, or ↑ ↓ and space"),
        ("  basic", "space shows the answer, then grade 1-4"),
        ("After the answer", ""),
        ("  enter", "accept the grade shown"),
        (
            "  1-4 / a h g e",
            "save as again / hard / good / easy instead",
        ),
        ("  u", "take this answer back"),
        ("  s / b", "suspend the card / bury it until tomorrow"),
        ("Any time", ""),
        ("  u (ctrl-z)", "undo the last saved answer"),
        ("  q (ctrl-c)", "save and quit"),
        ("  ? (F1), esc", "this help, close it"),
    ];
    let w = area.width.min(76);
    let h = (rows.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    let lines: Vec<Line<'static>> = rows
        .iter()
        .map(|(k, v)| {
            if v.is_empty() {
                Line::styled(k.to_string(), theme.accent().add_modifier(Modifier::BOLD))
            } else {
                Line::from(vec![
                    Span::styled(
                        format!("{k:<22}"),
                        Style::new().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(v.to_string()),
                ])
            }
        })
        .collect();
    let title = if view.mode == Mode::Quiz {
        " Keys · quiz (no grading, no schedule) "
    } else {
        " Keys "
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        popup,
    );
}
