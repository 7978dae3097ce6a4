//! Unit tests of the statistics, on rows built by hand: no database and
//! no clock, only the numbers `compute` makes of them.

use super::*;
use chrono::{Duration, FixedOffset};
use fsrs::MemoryState;

/// Tokyo time, rollover at 04:00.
fn clock() -> DayClock {
    DayClock::new(FixedOffset::east_opt(9 * 3600).unwrap(), 4)
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn review(card: i64, when: &str, rating: Rating, phase: Phase, interval: f64) -> ReviewRow {
    ReviewRow {
        card: CardRowId(card),
        at: at(when),
        rating,
        duration_ms: 10_000,
        phase_before: phase,
        interval_before: interval,
        stability_after: 10.0,
    }
}

/// The statistics of a hand-built log, through its summary.
fn stats_of(
    reviews: &[ReviewRow],
    cards: &[CardRow],
    quizzes: &[QuizRow],
    now: &str,
    days: u32,
) -> Stats {
    let log = LogSummary::from_reviews(reviews, &clock(), at(now));
    let input = StatsInput {
        log: &log,
        quizzes,
        now: at(now),
        clock: clock(),
        days,
        leech_threshold: 8,
        decay: fsrs::FSRS6_DEFAULT_DECAY,
    };
    let starts = starts_from_reviews(reviews, &clock(), at(now), days);
    compute(&input, CardTally::of(&input, cards, &starts))
}

fn card(id: i64, deck: &str, state: Option<CardState>) -> CardRow {
    CardRow {
        card: CardRowId(id),
        deck: deck.into(),
        key: format!("c{id}"),
        tags: vec!["era".into()],
        state,
        suspended: false,
    }
}

fn state(phase: Phase, due: &str, stability: f32, last: &str, lapses: u32) -> CardState {
    CardState {
        phase,
        step: 0,
        memory: Some(MemoryState {
            stability,
            difficulty: 5.0,
        }),
        due: at(due),
        last_review: Some(at(last)),
        reps: 3,
        lapses,
    }
}

#[test]
fn streaks_follow_the_four_oclock_rollover() {
    use Rating::Good;
    let r = |s: &str| review(1, s, Good, Phase::Review, 3.0);
    // Local (+09:00) times. 03:30 on the 2nd still belongs to the 1st.
    let mut log = vec![
        r("2026-03-01T22:00:00+09:00"),
        r("2026-03-02T03:30:00+09:00"),
        r("2026-03-03T10:00:00+09:00"),
        r("2026-03-04T03:59:00+09:00"),
        r("2026-03-05T09:00:00+09:00"),
    ];
    let s = stats_of(&log, &[], &[], "2026-03-05T12:00:00+09:00", 30);
    // Studied days: the 1st, the 3rd (03:59 on the 4th counts for the 3rd), the 5th.
    assert_eq!(
        s.streak,
        Streak {
            current: 1,
            longest: 1
        }
    );
    assert_eq!(s.today.reviews, 1);
    // One review just after 04:00 on the 4th joins the 3rd to the 5th.
    log.insert(4, r("2026-03-04T04:01:00+09:00"));
    let s = stats_of(&log, &[], &[], "2026-03-05T12:00:00+09:00", 30);
    assert_eq!(
        s.streak,
        Streak {
            current: 3,
            longest: 3
        }
    );
    // Before anything today, yesterday's run still counts; a gap of a day ends it.
    let s = stats_of(&log, &[], &[], "2026-03-06T12:00:00+09:00", 30);
    assert_eq!(s.streak.current, 3);
    assert_eq!(s.today.reviews, 0);
    let s = stats_of(&log, &[], &[], "2026-03-07T12:00:00+09:00", 30);
    assert_eq!(
        s.streak,
        Streak {
            current: 0,
            longest: 3
        }
    );
}

#[test]
fn true_retention_splits_young_and_mature() {
    use Rating::*;
    let log = vec![
        // Week of Monday 2 March 2026.
        review(1, "2026-03-02T10:00:00+09:00", Good, Phase::New, 0.0),
        review(1, "2026-03-02T10:10:00+09:00", Again, Phase::Learning, 0.0),
        review(2, "2026-03-03T10:00:00+09:00", Good, Phase::Review, 5.0),
        review(3, "2026-03-03T10:00:00+09:00", Again, Phase::Review, 5.0),
        review(4, "2026-03-04T10:00:00+09:00", Hard, Phase::Review, 20.9),
        review(5, "2026-03-04T10:00:00+09:00", Good, Phase::Review, 12.0),
        review(6, "2026-03-05T10:00:00+09:00", Again, Phase::Review, 30.0),
        review(7, "2026-03-06T10:00:00+09:00", Easy, Phase::Review, 21.0),
        // Next week.
        review(6, "2026-03-09T10:00:00+09:00", Good, Phase::Relearning, 0.0),
    ];
    let s = stats_of(&log, &[], &[], "2026-03-10T12:00:00+09:00", 14);
    assert_eq!(s.weeks.len(), 2);
    let w = &s.weeks[0];
    assert_eq!(w.start, "2026-03-02");
    assert_eq!(w.reviews, 8);
    assert_eq!(w.accuracy, Some(5.0 / 8.0));
    // Young (< 21 days): cards 2, 3, 4, 5 → 3 of 4 remembered. Mature: 6, 7 → 1 of 2.
    assert_eq!((w.young_reviews, w.retention_young), (4, Some(0.75)));
    assert_eq!((w.mature_reviews, w.retention_mature), (2, Some(0.5)));
    let next = &s.weeks[1];
    assert_eq!(
        (
            next.start.as_str(),
            next.reviews,
            next.retention_young,
            next.retention_mature
        ),
        ("2026-03-09", 1, None, None)
    );
    assert_eq!(s.days.len(), 14);
    assert_eq!(s.days.last().unwrap().date, "2026-03-10");
}

/// A card of deck `d` in `phase`, due at `due`, last seen at `last`.
fn due_card(
    card: i64,
    phase: Phase,
    due: &str,
    stability: f32,
    last: &str,
    lapses: u32,
) -> CardRow {
    self::card(card, "d", Some(state(phase, due, stability, last, lapses)))
}

#[test]
fn forecast_counts_cards_by_the_day_they_fall_due() {
    let now = "2026-03-10T12:00:00+09:00";
    let last = "2026-03-01T12:00:00+09:00";
    let mut suspended = due_card(6, Phase::Review, "2026-03-11T04:00:00+09:00", 5.0, last, 0);
    suspended.suspended = true;
    let cards = vec![
        // Overdue: today.
        due_card(1, Phase::Review, "2026-03-05T04:00:00+09:00", 5.0, last, 0),
        // Later today.
        due_card(2, Phase::Learning, "2026-03-10T12:10:00+09:00", 1.0, now, 0),
        // Tomorrow.
        due_card(3, Phase::Review, "2026-03-11T04:00:00+09:00", 5.0, last, 0),
        // Day 29.
        due_card(4, Phase::Review, "2026-04-08T04:00:00+09:00", 5.0, last, 0),
        // Day 30: beyond.
        due_card(5, Phase::Review, "2026-04-09T04:00:00+09:00", 5.0, last, 9),
        suspended,
        card(7, "d", None),
    ];
    let s = stats_of(&[], &cards, &[], now, 30);
    assert_eq!(s.forecast.len(), 30);
    assert_eq!((s.forecast[0], s.forecast[1], s.forecast[29]), (2, 1, 1));
    assert_eq!(s.forecast.iter().sum::<u64>(), 4);
    assert_eq!(
        s.phases,
        Phases {
            new: 1,
            learning: 1,
            review: 5,
            relearning: 0,
            suspended: 1,
            leeches: 1
        }
    );
}

#[test]
fn mastery_is_predicted_recall_now_and_at_the_start() {
    // Stability 10 days, reviewed exactly 10 days ago: recall is 90% now.
    let now = "2026-03-20T12:00:00+09:00";
    let cards = vec![
        card(
            1,
            "d",
            Some(state(
                Phase::Review,
                "2026-03-21T04:00:00+09:00",
                10.0,
                "2026-03-10T12:00:00+09:00",
                0,
            )),
        ),
        card(2, "d", None),
    ];
    let log = vec![review(
        1,
        "2026-03-10T12:00:00+09:00",
        Rating::Good,
        Phase::Review,
        3.0,
    )];
    let s = stats_of(&log, &cards, &[], now, 30);
    let d = &s.mastery_by_deck[0];
    assert_eq!((d.name.as_str(), d.cards), ("d", 2));
    assert!((d.now - 0.45).abs() < 1e-4, "{}", d.now);
    // The period began before the only review: nothing was known then.
    assert_eq!(d.start, 0.0);
    assert_eq!(s.mastery_by_tag[0].name, "era");
    // A period of 5 days starts at 04:00 on the 16th: 6 days less 8 hours after the review.
    let s = stats_of(&log, &cards, &[], now, 5);
    let expected = recall(
        10.0,
        Duration::days(6) - Duration::hours(8),
        fsrs::FSRS6_DEFAULT_DECAY,
    ) / 2.0;
    assert!((s.mastery_by_deck[0].start - expected).abs() < 1e-9);
    assert!(
        s.mastery_by_deck[0].start > s.mastery_by_deck[0].now,
        "recall fades"
    );
}

#[test]
fn quizzes_and_weakest_cards() {
    let started = at("2026-03-02T10:00:00+09:00");
    let q = |deck: &str, verdict| QuizRow {
        session: SessionId(1),
        started,
        deck: deck.into(),
        verdict,
    };
    let quizzes = vec![
        q("a", Verdict::Correct),
        q("a", Verdict::Close),
        q("b", Verdict::Wrong),
    ];
    let last = "2026-03-01T12:00:00+09:00";
    let cards = vec![
        card(
            1,
            "a",
            Some(state(
                Phase::Review,
                "2026-03-09T04:00:00+09:00",
                30.0,
                last,
                1,
            )),
        ),
        card(
            2,
            "a",
            Some(state(
                Phase::Review,
                "2026-03-09T04:00:00+09:00",
                2.0,
                last,
                1,
            )),
        ),
        card(
            3,
            "b",
            Some(state(
                Phase::Relearning,
                "2026-03-09T04:00:00+09:00",
                1.0,
                last,
                4,
            )),
        ),
    ];
    let s = stats_of(&[], &cards, &quizzes, "2026-03-05T12:00:00+09:00", 7);
    assert_eq!(s.quizzes.len(), 2);
    assert_eq!(
        (
            s.quizzes[0].deck.as_str(),
            s.quizzes[0].answered,
            s.quizzes[0].score
        ),
        ("a", 2, 75.0)
    );
    assert_eq!((s.quizzes[1].deck.as_str(), s.quizzes[1].score), ("b", 0.0));
    let order: Vec<&str> = s.weakest.iter().map(|w| w.card.as_str()).collect();
    assert_eq!(
        order,
        ["c3", "c2", "c1"],
        "most lapses first, then the lowest recall"
    );
}

/// The ten weakest of many cards, fed one at a time and many tied, are the
/// first ten of all the cards sorted whole.
#[test]
fn the_weakest_of_many_are_the_first_of_all_sorted() {
    use crate::types::Weakness;
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let now = "2026-03-10T12:00:00+09:00";
    let mut rng = StdRng::seed_from_u64(9);
    for round in 0..20 {
        let n = rng.random_range(1..400);
        let cards: Vec<CardRow> = (0..n)
            .map(|i| {
                let stability = [1.0, 5.0, 30.0][rng.random_range(0..3)];
                let lapses = rng.random_range(0..4);
                let deck = ["a", "b"][rng.random_range(0..2)];
                let mut c = card(
                    rng.random_range(0..n / 2 + 1),
                    deck,
                    Some(state(
                        Phase::Review,
                        "2026-03-12T04:00:00+09:00",
                        stability,
                        "2026-03-01T12:00:00+09:00",
                        lapses,
                    )),
                );
                c.card = CardRowId(i);
                c
            })
            .collect();
        let s = stats_of(&[], &cards, &[], now, 30);
        let weakness = |c: &CardRow| {
            let st = c.state.as_ref().unwrap();
            Weakness {
                recall: prediction(st, at(now), fsrs::FSRS6_DEFAULT_DECAY),
                lapses: st.lapses,
            }
        };
        let mut all: Vec<&CardRow> = cards.iter().collect();
        all.sort_by(|a, b| {
            weakness(a)
                .weakest_first(&weakness(b))
                .then_with(|| a.key.cmp(&b.key))
                .then_with(|| a.deck.cmp(&b.deck))
        });
        let expected: Vec<(&str, &str)> = all
            .iter()
            .take(WEAKEST)
            .map(|c| (c.deck.as_str(), c.key.as_str()))
            .collect();
        let got: Vec<(&str, &str)> = s
            .weakest
            .iter()
            .map(|w| (w.deck.as_str(), w.card.as_str()))
            .collect();
        assert_eq!(got, expected, "round {round}, {n} cards");
    }
}
