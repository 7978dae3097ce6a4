//! Drawing the full screen from plain data. Pure: the same view always draws
//! the same screen, which is what the snapshot tests rely on.

use super::input::Input;
use crate::deck::CardKind;
use crate::session::{Backlog, Feedback, Mode, Prompt};
use crate::text::{clean, clean_line, columns, wrap};
use crate::ui::keys::{self, At, Place};
use crate::ui::present;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph};
use ratatui::Frame;

mod card;
use card::{card_lines, feedback_lines, input_lines};

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

impl Stage {
    /// Where the learner is, for the key table; `help` when the overlay is
    /// open over the stage.
    pub fn place(&self, prompt: Option<&Prompt>, help: bool) -> Place {
        let true_false = prompt.is_some_and(|p| matches!(p.card.kind, CardKind::TrueFalse { .. }));
        match self {
            _ if help => Place::Help,
            Stage::Done(_) => Place::Done,
            Stage::Feedback(f) => Place::feedback(f),
            Stage::Question(Input::Line(_)) => Place::Typing,
            Stage::Question(Input::Pick { .. }) if true_false => Place::TrueFalse,
            Stage::Question(Input::Pick { .. }) => Place::Choice,
            Stage::Question(Input::Order { .. }) => Place::Order,
            Stage::Question(Input::Reveal) => Place::Reveal,
        }
    }
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
    /// More reviews due than the day's limit: said in the top line.
    pub backlog: Option<Backlog>,
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
            let shown = present::prompt(p);
            card_lines(&mut lines, &shown, width, &theme);
            lines.push(Line::raw(""));
            cursor = input_lines(&mut lines, p, &shown, input, width, &theme);
        }
        (Stage::Feedback(f), Some(p)) => {
            card_lines(&mut lines, &present::prompt(p), width, &theme);
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
    // The footer names the keys of the stage under the help overlay.
    let at = At {
        place: view.stage.place(view.prompt, false),
        quiz: view.mode == Mode::Quiz,
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            keys::footer_line(at, usize::from(footer.width)),
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
    let mut left = format!(" kioku · {mode} · {}", clean_line(&decks));
    let right = match view.prompt {
        Some(p) if view.mode == Mode::Study => format!(
            "new {}  learning {}  review {} ",
            p.left.new, p.left.learning, p.left.review
        ),
        Some(p) => format!("{} left ", p.total.saturating_sub(view.answered)),
        None => String::new(),
    };
    // The backlog, where the line has room for it.
    if let Some(b) = view.backlog {
        let note = format!(" · {}", crate::ui::report::backlog_short(b));
        if columns(&left) + columns(&note) + columns(&right) < usize::from(top.width) {
            left.push_str(&note);
        }
    }
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

fn draw_help(frame: &mut Frame<'_>, area: Rect, view: &View<'_>, theme: &Theme) {
    let rows = keys::help_rows(view.mode == Mode::Quiz);
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
                        format!("  {k:<20}"),
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
