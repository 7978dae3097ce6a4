//! Criterion benchmarks of kioku's pure parts: no SQLite, no terminal, no
//! process start. What the whole-process bench (`collection`) measures is
//! built from these.
//!
//!     cargo bench --bench pure              # everything
//!     cargo bench --bench pure -- answer    # one group: answer, deck, scheduler, stats

use chrono::{DateTime, Duration, FixedOffset, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fsrs::MemoryState;
use kioku::answer::{check_text, inversions, parse_response, Response};
use kioku::deck::{builtin_sources, parse_deck, CardKind};
use kioku::scheduler::{CardState, Config, DayClock, Logged, Scheduler};
use kioku::stats::{compute, CardRow, CardTally, DayTotals, LogSummary, StatsInput};
use kioku::types::{CardRowId, Phase, Rating};
use std::collections::HashMap;
use std::hint::black_box;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn clock() -> DayClock {
    DayClock::new(FixedOffset::east_opt(9 * 3600).unwrap(), 4)
}

/// Judging what was typed: the cost of every answer in a session.
fn answer(c: &mut Criterion) {
    let mut g = c.benchmark_group("answer");
    let want = "Nikolai Petrovich Rezanov";
    let accept = vec!["Rezanov".to_string()];
    for (name, given) in [
        ("exact", "Nikolai Petrovich Rezanov"),
        ("case and accents", "nikolái petróvich rezanov"),
        ("a typo", "Nikolai Petrovich Rezanof"),
        ("an alias", "rezanov"),
        ("wrong", "Yevfimy Putyatin"),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| check_text(black_box(given), black_box(want), black_box(&accept)))
        });
    }
    // A pasted page: cut to the longest answer read, then compared.
    let typed = CardKind::Typed {
        q: "Who led the first Russian embassy to Nagasaki?".into(),
        a: want.into(),
        accept: accept.clone(),
    };
    let pasted = "Rezanov and the Nadezhda at Nagasaki ".repeat(2_000);
    g.bench_function("a pasted 74 kB line", |b| {
        b.iter(|| {
            let response = parse_response(&typed, black_box(&pasted), 0).unwrap();
            kioku::answer::check(&typed, &response, &[])
        })
    });
    g.finish();
    check(c);
    let mut g = c.benchmark_group("answer");
    let shuffled: Vec<usize> = vec![3, 0, 7, 1, 9, 4, 2, 8, 6, 5];
    g.bench_function("order of ten, inversions", |b| {
        b.iter(|| inversions(black_box(&shuffled)))
    });
    g.finish();
}

/// The examiner on one card with a question, aliases and the built-in
/// lexicon: a typed answer, and a pasted answer of the longest length read.
fn check(c: &mut Criterion) {
    let mut g = c.benchmark_group("check");
    let card = CardKind::Typed {
        q: "Which document of 1956 ended the state of war between Japan and the Soviet Union?"
            .into(),
        a: "Joint Declaration".into(),
        accept: vec![
            "Soviet-Japanese Joint Declaration".into(),
            "1956 Joint Declaration".into(),
            "Joint Declaration of 1956".into(),
        ],
    };
    let typed = Response::Text("the Joint Soviet-Japanese Declaration".into());
    g.bench_function("one typed answer", |b| {
        b.iter(|| kioku::answer::check(&card, black_box(&typed), &[]))
    });
    let long: String = "Joint Soviet Japanese Declaration of 1956 "
        .repeat(30)
        .chars()
        .take(1000)
        .collect();
    // The least any checker must do with the pasted answer: fold it once.
    g.bench_function("the floor: fold::normalize of the pasted answer", |b| {
        b.iter(|| kioku::fold::normalize(black_box(&long)))
    });
    let pasted = Response::Text(long);
    g.bench_function("a pasted 1000-character answer", |b| {
        b.iter(|| kioku::answer::check(&card, black_box(&pasted), &[]))
    });
    g.finish();
}

/// Reading deck files: the cold sync of a collection is mostly this.
fn deck(c: &mut Criterion) {
    let mut g = c.benchmark_group("deck");
    let shipped: Vec<String> = builtin_sources()
        .iter()
        .map(|s| s.read().unwrap().into_owned())
        .collect();
    let bytes: usize = shipped.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("parse the shipped decks", |b| {
        b.iter(|| {
            for text in &shipped {
                let outcome = parse_deck(black_box(text));
                assert!(outcome.deck.is_some());
            }
        })
    });
    // A thousand entries; each two-gap cloze is two cards.
    let generated = generated_deck(1_000);
    g.throughput(Throughput::Bytes(generated.len() as u64));
    g.bench_function("parse a deck of 1,250 cards", |b| {
        b.iter(|| {
            let outcome = parse_deck(black_box(&generated));
            assert_eq!(outcome.deck.map(|d| d.cards.len()), Some(1_250));
        })
    });
    // `deck check` on the same deck: the parse above is its floor, the rest
    // is the checks across cards. A worst case for give-aways: every cloze
    // asks Shimoda and 1855 and prints them for every other, and every
    // choice names its neighbours' answers, 124,500 warnings, each placed.
    let files = vec![("generated.toml".to_string(), generated.clone())];
    g.bench_function("check a deck of 1,250 cards", |b| {
        b.iter(|| {
            let found = kioku::deck::check::check(black_box(&files), &[]);
            assert!(!found.is_empty());
        })
    });
    let shipped_files: Vec<(String, String)> = shipped
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("{i}.toml"), t.clone()))
        .collect();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("check the shipped decks", |b| {
        b.iter(|| {
            let found = kioku::deck::check::check(black_box(&shipped_files), &[]);
            assert!(found.is_empty());
        })
    });
    g.finish();
}

fn generated_deck(cards: usize) -> String {
    let mut s = String::from(
        "format = 1\n\n[deck]\nid = \"generated\"\ntitle = \"Generated\"\nsource = \"Generated\"\n",
    );
    for c in 0..cards {
        s += &match c % 4 {
            0 => format!("\n[[cards]]\nid = \"c{c}\"\ntype = \"typed\"\nq = \"Which port is number {c}?\"\na = \"Port {c}\"\naccept = [\"P{c}\"]\n"),
            1 => format!("\n[[cards]]\nid = \"c{c}\"\ntype = \"year\"\nq = \"When did event {c} happen?\"\na = {}\n", 1855 + c % 150),
            2 => format!("\n[[cards]]\nid = \"c{c}\"\ntype = \"cloze\"\ntext = \"Treaty {c} was signed at {{{{Shimoda}}}} in {{{{1855}}}}.\"\n"),
            _ => format!("\n[[cards]]\nid = \"c{c}\"\ntype = \"choice\"\nq = \"Who signed treaty {c}?\"\na = \"Envoy {c}\"\nwrong = [\"Envoy {}\", \"Envoy {}\", \"Envoy {}\"]\n", c + 1, c + 2, c + 3),
        };
        s += "why = \"A sentence of context, as real cards have.\"\nsection = \"Generated\"\n";
    }
    s
}

/// The scheduler: one answer, and a card's whole history replayed (what
/// `rebuild` and `optimize` do for every card).
fn scheduler(c: &mut Criterion) {
    let mut g = c.benchmark_group("scheduler");
    let scheduler = Scheduler::new(&[], Config::default(), clock()).unwrap();
    let now = at("2026-06-01T09:00:00+09:00");
    let review = CardState {
        phase: Phase::Review,
        step: 0,
        memory: Some(MemoryState {
            stability: 12.0,
            difficulty: 5.5,
        }),
        due: now,
        last_review: Some(now - Duration::days(11)),
        reps: 6,
        lapses: 1,
    };
    g.bench_function("preview the four ratings", |b| {
        b.iter(|| scheduler.preview(black_box(&review), now, 42).unwrap())
    });
    // Forty reviews, each when due, one in eight forgotten.
    let mut history = Vec::new();
    let mut state = CardState::new_card(now);
    let mut t = now;
    for i in 0..40 {
        let rating = if i % 8 == 7 {
            Rating::Again
        } else {
            Rating::Good
        };
        history.push(Logged::new(t, rating, None));
        state = scheduler.review(&state, rating, t, 42).unwrap().state;
        t = state.due.max(t + Duration::minutes(1));
    }
    g.throughput(Throughput::Elements(history.len() as u64));
    g.bench_function("replay 40 reviews", |b| {
        b.iter(|| {
            scheduler
                .replay(42, black_box(history.iter().copied()))
                .unwrap()
        })
    });
    g.finish();
}

/// The statistics from a summary: 100,000 cards and 540 days of totals.
fn stats(c: &mut Criterion) {
    let mut g = c.benchmark_group("stats");
    let now = at("2026-06-01T09:00:00+09:00");
    let clock = clock();
    let today = clock.day(now);
    let days: Vec<DayTotals> = (0..540)
        .map(|i| DayTotals {
            day: today - 539 + i,
            reviews: 1_800 + (i as u64 % 400),
            time_ms: 9_000_000,
            remembered: 1_600,
            young: 900,
            young_ok: 800,
            mature: 700,
            mature_ok: 650,
        })
        .collect();
    let cards: Vec<CardRow> = (0..100_000i64)
        .map(|i| CardRow {
            card: CardRowId(i),
            deck: format!("deck-{:03}", i / 1_000),
            key: format!("card-{i}"),
            tags: if i % 10 == 0 {
                vec!["treaties".into()]
            } else {
                Vec::new()
            },
            state: (i % 50 != 0).then(|| CardState {
                phase: Phase::Review,
                step: 0,
                memory: Some(MemoryState {
                    stability: 1.0 + (i % 300) as f32,
                    difficulty: 5.0,
                }),
                due: now + Duration::hours(i % 2_000),
                last_review: Some(now - Duration::hours(i % 700)),
                reps: 10,
                lapses: (i % 13) as u32,
            }),
            suspended: i % 997 == 0,
        })
        .collect();
    let log = LogSummary {
        days,
        today_cards: 1_900,
    };
    let starts: HashMap<_, _> = cards
        .iter()
        .filter(|c| c.card.0 % 3 == 0)
        .map(|c| (c.card, (now - Duration::days(400), 20.0)))
        .collect();
    g.bench_function("compute, 100k cards", |b| {
        b.iter(|| {
            let input = StatsInput {
                log: black_box(&log),
                quizzes: &[],
                now,
                clock,
                days: 365,
                leech_threshold: 8,
                decay: fsrs::FSRS6_DEFAULT_DECAY,
            };
            compute(&input, CardTally::of(&input, &cards, &starts))
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = answer, deck, scheduler, stats
}
criterion_main!(benches);
