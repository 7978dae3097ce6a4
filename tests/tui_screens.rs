//! The full-screen views, drawn with ratatui's test backend at 80×24 and
//! compared with committed snapshots (KIOKU_BLESS=1 rewrites them). Colour
//! is checked on the cells: verdicts in colour, and none at all without it.

use kioku::deck::{Card, CardKind};
use kioku::scheduler::Interval;
use kioku::session::{answer_diff, Counts, Feedback, Mode, Prompt, QuizSummary, Summary, Tally};
use kioku::store::QuizRecord;
use kioku::types::{Phase, Rating, Verdict};
use kioku::ui::report;
use kioku::ui::tui::{draw, Input, LineEditor, Stage, View};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::Terminal;

fn card(id: &str) -> Card {
    crate::common::cards_in("tests/fixtures/mini")
        .into_iter()
        .find(|c| c.id == id)
        .unwrap()
}

fn prompt(id: &str, options: &[&str]) -> Prompt {
    let card = card(id);
    Prompt {
        number: 3,
        total: 9,
        deck_id: "mini".into(),
        question: card.kind.prompt(),
        card,
        phase: Phase::New,
        options: options.iter().map(|s| s.to_string()).collect(),
        left: Counts {
            new: 5,
            learning: 2,
            review: 0,
        },
    }
}

fn feedback(p: &Prompt, verdict: Verdict, given: &str) -> Feedback {
    Feedback {
        verdict,
        rating: verdict.rating(),
        given: given.into(),
        diff: answer_diff(&p.card.kind, verdict, given),
        answer: p.card.kind.answer_text(),
        why: p.card.why.clone(),
        section: p.card.section.clone(),
        source: p.card.source.clone(),
        intervals: Some([
            Interval::Seconds(60),
            Interval::Seconds(330),
            Interval::Seconds(600),
            Interval::Days(9),
        ]),
        leech: false,
        // As the session says: a typed answer judged wrong or close.
        overrulable: matches!(p.card.kind, CardKind::Typed { .. } | CardKind::Cloze { .. })
            && matches!(verdict, Verdict::Wrong | Verdict::Close)
            && !given.is_empty(),
    }
}

fn render(
    mode: Mode,
    prompt: Option<&Prompt>,
    stage: &Stage,
    message: Option<&str>,
    help: bool,
    color: bool,
) -> Buffer {
    let decks = vec!["mini".to_string()];
    let view = View {
        mode,
        decks: &decks,
        prompt,
        stage,
        answered: 2,
        message,
        help,
        color,
        backlog: None,
    };
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| draw(f, &view)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn snapshot(name: &str, buf: &Buffer) {
    let actual = text(buf);
    crate::common::golden(&format!("tui-{name}.txt"), &actual);
}

/// The foreground colour of the first cell showing `needle`.
fn colour_of(buf: &Buffer, needle: &str) -> Color {
    let t = text(buf);
    let (row, line) = t
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not on screen:\n{t}"));
    let col = line[..line.find(needle).unwrap()].chars().count();
    buf[(col as u16, row as u16)].fg
}

#[test]
fn question_screens() {
    let typed = prompt("laxman", &[]);
    let mut editor = LineEditor::default();
    "Laxm".chars().for_each(|c| editor.insert(c));
    snapshot(
        "question-typed",
        &render(
            Mode::Study,
            Some(&typed),
            &Stage::Question(Input::Line(editor)),
            None,
            false,
            false,
        ),
    );

    let choice = prompt(
        "war-ended-by",
        &[
            "Tripartite Pact",
            "Treaty of Portsmouth",
            "Anti-Comintern Pact",
            "Soviet–Japanese Joint Declaration",
        ],
    );
    snapshot(
        "question-choice",
        &render(
            Mode::Study,
            Some(&choice),
            &Stage::Question(Input::Pick { selected: 1 }),
            None,
            false,
            false,
        ),
    );

    let order = prompt(
        "pacts-order",
        &[
            "Battle of Khalkhin Gol",
            "Soviet–Japanese Basic Convention",
            "Anti-Comintern Pact",
        ],
    );
    let stage = Stage::Question(Input::Order {
        picked: vec![1],
        cursor: 2,
    });
    snapshot(
        "question-order",
        &render(
            Mode::Study,
            Some(&order),
            &stage,
            Some("pick all 3 items, then press enter"),
            false,
            false,
        ),
    );
}

#[test]
fn feedback_screens_for_each_verdict() {
    let typed = prompt("laxman", &[]);
    for (name, verdict, given) in [
        ("correct", Verdict::Correct, "Laxman"),
        ("close", Verdict::Close, "Laxmann"),
        ("wrong", Verdict::Wrong, "Rezanov"),
    ] {
        let stage = Stage::Feedback(feedback(&typed, verdict, given));
        snapshot(
            &format!("feedback-{name}"),
            &render(Mode::Study, Some(&typed), &stage, None, false, false),
        );
        let coloured = render(Mode::Study, Some(&typed), &stage, None, false, true);
        let mark = match verdict {
            Verdict::Correct => "✓ Correct",
            Verdict::Close => "≈ Close",
            _ => "✗ Wrong",
        };
        let want = match verdict {
            Verdict::Correct => Color::Green,
            Verdict::Close => Color::Yellow,
            _ => Color::Red,
        };
        assert_eq!(colour_of(&coloured, mark), want, "{name}");
    }
    let basic = prompt("rezanov", &[]);
    let mut f = feedback(&basic, Verdict::SelfGraded, "");
    f.rating = Rating::Good;
    snapshot(
        "feedback-basic",
        &render(
            Mode::Study,
            Some(&basic),
            &Stage::Feedback(f),
            None,
            false,
            false,
        ),
    );
}

#[test]
fn close_answer_shows_where_it_differs() {
    let typed = prompt("laxman", &[]);
    let buf = render(
        Mode::Study,
        Some(&typed),
        &Stage::Feedback(feedback(&typed, Verdict::Close, "Laxmann")),
        None,
        false,
        true,
    );
    // The diff against the closest accepted spelling ("Laxman"): the extra n is marked.
    let t = text(&buf);
    let (row, line) = t
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(" Yours: "))
        .unwrap();
    assert_eq!(line, " Yours: Laxmann");
    let extra = &buf[(line.chars().count() as u16 - 1, row as u16)];
    assert_eq!(extra.fg, Color::Red);
    assert!(extra
        .modifier
        .contains(ratatui::style::Modifier::CROSSED_OUT));
}

#[test]
fn no_colour_means_no_colour() {
    let typed = prompt("laxman", &[]);
    for stage in [
        Stage::Feedback(feedback(&typed, Verdict::Wrong, "Rezanov")),
        Stage::Question(Input::Line(LineEditor::default())),
    ] {
        let buf = render(
            Mode::Study,
            Some(&typed),
            &stage,
            Some("a message"),
            true,
            false,
        );
        for cell in buf.content() {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "a coloured cell with colour off: {cell:?}"
            );
        }
    }
}

#[test]
fn summary_and_quiz_score_screens() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let summary = Summary {
        answered: 14,
        correct: 9,
        close: 2,
        wrong: 2,
        remembered: 12,
        time_ms: 245_000,
        next_due: Some(now + chrono::Duration::minutes(8)),
        due_by_tomorrow: 6,
        ..Summary::default()
    };
    snapshot(
        "summary",
        &render(
            Mode::Study,
            None,
            &Stage::Done(report::study(&summary, now)),
            None,
            false,
            false,
        ),
    );

    let tally = |name: &str, answered, correct, close| Tally {
        name: name.into(),
        answered,
        correct,
        close,
        wrong: answered - correct - close,
    };
    let quiz = QuizSummary {
        total: tally("all", 10, 7, 2),
        by_type: vec![
            tally("typed", 4, 3, 1),
            tally("year", 3, 2, 1),
            tally("choice", 3, 2, 0),
        ],
        by_deck: vec![tally("mini", 10, 7, 2)],
        time_ms: 190_000,
        earlier: vec![QuizRecord {
            session: kioku::types::SessionId(1),
            started: now - chrono::Duration::days(3),
            answered: 10,
            correct: 5,
            close: 2,
            time_ms: 200_000,
        }],
    };
    let offset = chrono::FixedOffset::east_opt(0).unwrap();
    snapshot(
        "quiz-score",
        &render(
            Mode::Quiz,
            None,
            &Stage::Done(report::quiz(&quiz, offset)),
            None,
            false,
            false,
        ),
    );
}

#[test]
fn help_overlay() {
    let typed = prompt("laxman", &[]);
    snapshot(
        "help",
        &render(
            Mode::Study,
            Some(&typed),
            &Stage::Question(Input::Line(LineEditor::default())),
            None,
            true,
            false,
        ),
    );
}

#[test]
fn long_text_wraps_and_hostile_text_is_clean() {
    let mut p = prompt("laxman", &[]);
    p.question = format!(
        "{} \u{1b}[2Jend",
        "A very long question that goes on and on. ".repeat(6)
    );
    let buf = render(
        Mode::Study,
        Some(&p),
        &Stage::Question(Input::Line(LineEditor::default())),
        None,
        false,
        false,
    );
    let t = text(&buf);
    assert!(t.lines().all(|l| l.chars().count() <= 80));
    assert!(t.contains("[2Jend"), "{t}");
    assert!(!t.contains('\u{1b}'));
    assert!(
        t.lines().filter(|l| l.contains("on and on")).count() >= 3,
        "{t}"
    );
}

#[test]
fn long_options_wrap_instead_of_being_cut() {
    let long = "Putin proposes a peace treaty without preconditions by the end of the year, at a forum in Vladivostok";
    let order = prompt(
        "pacts-order",
        &[
            long,
            "Soviet–Japanese Basic Convention",
            "Anti-Comintern Pact",
        ],
    );
    let buf = render(
        Mode::Study,
        Some(&order),
        &Stage::Question(Input::Order {
            picked: vec![],
            cursor: 1,
        }),
        None,
        false,
        false,
    );
    let t = text(&buf);
    assert!(
        t.contains("at a forum in Vladivostok"),
        "the end of a long item is on screen:\n{t}"
    );
    let choice = prompt(
        "war-ended-by",
        &[long, "Treaty of Portsmouth", "Tripartite Pact"],
    );
    let t = text(&render(
        Mode::Study,
        Some(&choice),
        &Stage::Question(Input::Pick { selected: 0 }),
        None,
        false,
        false,
    ));
    assert!(t.contains("at a forum in Vladivostok"), "{t}");
    // Continuation lines line up under the text, not under the number.
    let first = t.lines().find(|l| l.contains("1. Putin")).unwrap();
    let next = t
        .lines()
        .skip_while(|l| !l.contains("1. Putin"))
        .nth(1)
        .unwrap();
    assert_eq!(
        first.find("Putin"),
        next.find(|c: char| c != ' '),
        "{first}\n{next}"
    );
}

#[test]
fn a_backlog_is_named_in_the_top_line_where_it_fits() {
    let decks = vec!["mini".to_string()];
    let stage = Stage::Done(Vec::new());
    let top = |width: u16| {
        let view = View {
            mode: Mode::Study,
            decks: &decks,
            prompt: None,
            stage: &stage,
            answered: 0,
            message: None,
            help: false,
            color: false,
            backlog: Some(kioku::session::Backlog {
                due: 340,
                limit: 200,
            }),
        };
        let mut terminal = Terminal::new(TestBackend::new(width, 24)).unwrap();
        terminal.draw(|f| draw(f, &view)).unwrap();
        text(terminal.backend().buffer())
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let wide = top(100);
    assert!(
        wide.contains("340 due, over 200 a day: kioku postpone"),
        "{wide}"
    );
    // Too narrow for it: the line keeps its own parts whole.
    let narrow = top(40);
    assert!(!narrow.contains("postpone"), "{narrow}");
    assert!(narrow.contains("kioku · study · mini"), "{narrow}");
}
