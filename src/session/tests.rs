//! The session's own rules, on a real database file: what leaving,
//! suspending and burying save, and the letter diff feedback carries.

use super::*;
use crate::deck::load_sources;
use crate::scheduler::DayClock;
use chrono::FixedOffset;
use std::path::PathBuf;
use std::time::Duration as Elapsed;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn open(dir: &tempfile::TempDir) -> (Store, Scheduler) {
    let now = at("2026-01-01T00:00:00Z");
    let mut store = Store::open(&dir.path().join("k.db"), now).unwrap();
    let mini = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let (sources, errors) = load_sources(&[mini], true);
    assert!(errors.is_empty());
    store.sync(&sources, now).unwrap();
    let s = store.settings().unwrap();
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), s.rollover_hour);
    let scheduler = Scheduler::new(&s.fsrs_parameters, s.scheduler_config(), clock).unwrap();
    (store, scheduler)
}

/// Some answer to whatever card is shown; which one does not matter here.
/// A study session of the mini deck, started at the tests' usual time.
fn study(store: &mut Store, scheduler: Scheduler) -> (Session<'_>, DateTime<Utc>) {
    let now = at("2026-01-05T10:00:00Z");
    let session = Session::start(store, scheduler, vec!["mini".into()], 1, None, now).unwrap();
    (session, now)
}

fn any_answer(p: &Prompt) -> Response {
    match &p.card.kind {
        CardKind::Year { a, .. } => Response::Year(*a),
        CardKind::TrueFalse { a, .. } => Response::Bool(*a),
        CardKind::Choice { .. } => Response::Choice(0),
        CardKind::Order { items, .. } => Response::Order((0..items.len()).collect()),
        _ => Response::Text("nobody".into()),
    }
}

/// Answers and saves every card before the basic one, then reveals it.
/// Returns how many answers were saved.
fn up_to_a_basic_reveal(session: &mut Session<'_>, now: DateTime<Utc>) -> usize {
    let mut saved = 0;
    loop {
        let p = session.next_card(now).expect("the deck has a basic card");
        if matches!(p.card.kind, CardKind::Basic { .. }) {
            let f = session
                .answer(&Response::Text(String::new()), now, Elapsed::from_secs(1))
                .unwrap()
                .unwrap();
            assert_eq!(f.verdict, Verdict::SelfGraded);
            return saved;
        }
        session
            .answer(&any_answer(&p), now, Elapsed::from_secs(1))
            .unwrap();
        assert!(session.accept().unwrap());
        saved += 1;
    }
}

#[test]
fn leaving_on_an_ungraded_reveal_saves_nothing_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    let saved = up_to_a_basic_reveal(&mut session, now);
    session.leave(now).unwrap();
    let summary = session.summary(now).unwrap();
    assert_eq!(summary.answered, saved, "the reveal is not counted");
    assert_eq!(store.review_count().unwrap(), saved as i64);
}

#[test]
fn leaving_on_a_checked_answer_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    let p = session.next_card(now).unwrap();
    assert!(!matches!(p.card.kind, CardKind::Basic { .. }));
    session
        .answer(&any_answer(&p), now, Elapsed::from_secs(1))
        .unwrap();
    session.regrade(Rating::Hard);
    session.leave(now).unwrap();
    assert_eq!(session.summary(now).unwrap().answered, 1);
    assert_eq!(store.review_count().unwrap(), 1);
}

#[test]
fn a_graded_reveal_is_saved_before_leaving() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    let saved = up_to_a_basic_reveal(&mut session, now);
    session.regrade(Rating::Hard);
    assert!(session.accept().unwrap());
    session.leave(now).unwrap();
    assert_eq!(store.review_count().unwrap(), saved as i64 + 1);
}

#[test]
fn feedback_carries_the_diff_of_a_wrong_typed_answer_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    loop {
        let p = session.next_card(now).unwrap();
        if p.card.id == "laxman" {
            break;
        }
        session
            .answer(&any_answer(&p), now, Elapsed::from_secs(1))
            .unwrap();
        assert!(session.accept().unwrap());
    }
    let response = Response::Text("Laxmann".into());
    let f = session
        .answer(&response, now, Elapsed::from_secs(1))
        .unwrap();
    let f = f.unwrap();
    // Closest to the alias "Laxman", not to "Adam Laxman".
    assert_eq!(
        f.diff,
        Some(vec![
            DiffPart::Same("Laxman".into()),
            DiffPart::Extra("n".into())
        ])
    );
    // A regrade keeps the diff of what was typed.
    assert_eq!(session.regrade(Rating::Easy).unwrap().diff, f.diff);
    session.undo().unwrap();
    let right = Response::Text("Laxman".into());
    let f = session.answer(&right, now, Elapsed::from_secs(1)).unwrap();
    assert_eq!(f.unwrap().diff, None);
}

#[test]
fn suspending_or_burying_an_ungraded_reveal_saves_nothing_for_it() {
    for how in [Hold::Suspend, Hold::Bury] {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, scheduler) = open(&dir);
        let (mut session, now) = study(&mut store, scheduler);
        let saved = up_to_a_basic_reveal(&mut session, now);
        let basic = session.next_card(now).unwrap().card.id;
        let held = session.hold(how, now).unwrap().unwrap();
        assert_eq!(held.card, format!("mini/{basic}"), "{how:?}");
        assert!(!held.saved, "{how:?}: the reveal was never graded");
        assert_eq!(session.answered(), saved, "{how:?}");
        // The card is out of this session, and the rest goes on.
        let next = session.next_card(now).unwrap();
        assert_ne!(next.card.id, basic, "{how:?}");
        session
            .answer(&any_answer(&next), now, Elapsed::from_secs(1))
            .unwrap();
        assert!(session.accept().unwrap());
        let summary = session.summary(now).unwrap();
        assert_eq!(summary.held, vec![format!("mini/{basic}")], "{how:?}");
        assert_eq!(summary.answered, saved + 1, "{how:?}");
        session.leave(now).unwrap();
        assert_eq!(store.review_count().unwrap(), saved as i64 + 1, "{how:?}");
    }
}

#[test]
fn suspending_a_checked_answer_saves_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    let p = session.next_card(now).unwrap();
    assert!(!matches!(p.card.kind, CardKind::Basic { .. }));
    session
        .answer(&any_answer(&p), now, Elapsed::from_secs(1))
        .unwrap();
    let held = session.hold(Hold::Suspend, now).unwrap().unwrap();
    assert!(held.saved);
    assert_eq!(session.answered(), 1);
    session.leave(now).unwrap();
    assert_eq!(store.review_count().unwrap(), 1);
}

#[test]
fn a_reveal_graded_but_not_yet_accepted_is_saved_on_leaving() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    let saved = up_to_a_basic_reveal(&mut session, now);
    session.regrade(Rating::Hard);
    session.leave(now).unwrap();
    assert_eq!(store.review_count().unwrap(), saved as i64 + 1);
}

/// Answers and saves every card before the one with id `id`, then returns
/// its prompt.
fn up_to(session: &mut Session<'_>, id: &str, now: DateTime<Utc>) -> Prompt {
    loop {
        let p = session.next_card(now).expect("the card is in the session");
        if p.card.id == id {
            return p;
        }
        session
            .answer(&any_answer(&p), now, Elapsed::from_secs(1))
            .unwrap();
        assert!(session.accept().unwrap());
    }
}

#[test]
fn overruling_a_wrong_typed_answer_saves_it_as_correct_and_accepts_it_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler.clone());
    up_to(&mut session, "laxman", now);
    assert!(!session.can_overrule(), "nothing is pending yet");
    assert!(session.overrule().is_none());
    let said = Response::Text("Rakusuman".into());
    let f = session
        .answer(&said, now, Elapsed::from_secs(1))
        .unwrap()
        .unwrap();
    assert_eq!(f.verdict, Verdict::Wrong);
    assert!(session.can_overrule());
    let f = session.overrule().unwrap();
    assert_eq!((f.verdict, f.rating), (Verdict::Correct, Rating::Good));
    assert_eq!(f.diff, None);
    assert!(!session.can_overrule(), "once is enough");
    assert!(session.accept().unwrap());
    let row = store.find_card("mini", "laxman").unwrap().unwrap();
    let reviews = store.card_reviews(row.row).unwrap();
    assert_eq!(reviews.len(), 1, "one review for one answer");
    assert_eq!(
        (reviews[0].verdict, reviews[0].rating),
        (Verdict::Correct, Rating::Good)
    );
    assert_eq!(store.accepted_answers(row.row).unwrap(), ["Rakusuman"]);
    // In a quiz, the same answer in other letters is right now.
    let cards = vec![store.find_card("mini", "laxman").unwrap().unwrap()];
    let queue: Vec<QueueCard> = cards
        .into_iter()
        .map(|c| QueueCard {
            row: c.row,
            deck_id: c.deck_id,
            card: c.card,
            state: c.state,
            seed: 1,
        })
        .collect();
    let mut quiz =
        Session::start_quiz(&mut store, scheduler, vec!["mini".into()], queue, 1, now).unwrap();
    quiz.next_card(now).unwrap();
    let f = quiz
        .answer(
            &Response::Text("RAKUSUMAN".into()),
            now,
            Elapsed::from_secs(1),
        )
        .unwrap()
        .unwrap();
    assert_eq!(f.verdict, Verdict::Correct);
    assert!(!quiz.can_overrule());
}

#[test]
fn overruling_a_cloze_gap_keeps_it_for_that_gap_and_undo_takes_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    let p = up_to(&mut session, "islands.1", now);
    assert!(matches!(p.card.kind, CardKind::Cloze { .. }));
    let said = Response::Text("Iturup".into());
    let f = session
        .answer(&said, now, Elapsed::from_secs(1))
        .unwrap()
        .unwrap();
    assert_eq!(f.verdict, Verdict::Wrong);
    session.overrule().unwrap();
    assert!(session.accept().unwrap());
    // The session holds the store; its tests may look through it.
    let gap = session
        .store
        .find_card("mini", "islands.1")
        .unwrap()
        .unwrap()
        .row;
    assert_eq!(session.store.accepted_answers(gap).unwrap(), ["Iturup"]);
    assert_eq!(
        session.undo().unwrap(),
        Undone::Saved {
            deck_id: "mini".into(),
            card_id: "islands.1".into()
        }
    );
    assert!(
        session.store.accepted_answers(gap).unwrap().is_empty(),
        "undoing the answer takes back what it accepted"
    );
}

#[test]
fn only_a_wrong_or_close_typed_or_cloze_answer_can_be_overruled() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = open(&dir);
    let (mut session, now) = study(&mut store, scheduler);
    let mut seen = 0;
    while let Some(p) = session.next_card(now) {
        let wrong = match &p.card.kind {
            CardKind::Year { a, .. } => Response::Year(a + 40),
            CardKind::TrueFalse { a, .. } => Response::Bool(!*a),
            CardKind::Choice { .. } => Response::Text("none of them".into()),
            CardKind::Order { items, .. } => Response::Order((0..items.len()).rev().collect()),
            _ => Response::Text(String::new()),
        };
        let f = session
            .answer(&wrong, now, Elapsed::from_secs(1))
            .unwrap()
            .unwrap();
        let text = matches!(p.card.kind, CardKind::Typed { .. } | CardKind::Cloze { .. });
        assert!(!session.can_overrule(), "{}: {:?}", p.card.id, f.verdict);
        if text {
            // An empty answer is "I don't know": nothing to keep.
            assert_eq!(f.verdict, Verdict::Wrong);
        }
        session.regrade(Rating::Good);
        assert!(session.accept().unwrap());
        seen += 1;
    }
    assert!(seen >= 5);
}

/// Two decks with the same typed card and gap; only `edo` says that a
/// closed country is sakoku (timber and lumber are the built-in lexicon's).
fn sakoku_decks(dir: &tempfile::TempDir) -> (Store, Scheduler) {
    let now = at("2026-01-01T00:00:00Z");
    let mut store = Store::open(&dir.path().join("k.db"), now).unwrap();
    let deck = |id: &str, synonyms: &str| {
        crate::deck::DeckSource::from_text(
            format!("{id}.toml"),
            format!(
                "format = 1\n[deck]\nid = \"{id}\"\ntitle = \"T\"\n{synonyms}\n\
                 [[cards]]\nid = \"t\"\ntype = \"typed\"\nq = \"What was the policy called?\"\na = \"sakoku\"\n\n\
                 [[cards]]\nid = \"c\"\ntype = \"cloze\"\ntext = \"The shogunate kept {{{{sakoku}}}}.\"\n"
            ),
        )
    };
    let sources = [
        deck("edo", "synonyms = [[\"sakoku\", \"closed country\"]]"),
        deck("plain", ""),
    ];
    let report = store.sync(&sources, now).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let s = store.settings().unwrap();
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), s.rollover_hour);
    let scheduler = Scheduler::new(&s.fsrs_parameters, s.scheduler_config(), clock).unwrap();
    (store, scheduler)
}

/// Every card of the session answered `closed country`: the verdicts by deck.
fn closed_country_verdicts(
    session: &mut Session<'_>,
    now: DateTime<Utc>,
) -> Vec<(String, Verdict)> {
    let mut out: Vec<(String, Verdict)> = Vec::new();
    while let Some(p) = session.next_card(now) {
        let card = format!("{}/{}", p.deck_id, p.card.id);
        // A card missed in study comes back in a minute: once is enough.
        if out.iter().any(|(c, _)| *c == card) {
            break;
        }
        let f = session
            .answer(
                &Response::Text("closed country".into()),
                now,
                Elapsed::from_secs(1),
            )
            .unwrap()
            .unwrap();
        out.push((card, f.verdict));
        assert!(session.accept().unwrap());
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_decks_own_synonyms_are_judged_right_in_study_and_quiz_in_that_deck_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, scheduler) = sakoku_decks(&dir);
    let now = at("2026-01-05T10:00:00Z");
    let decks = vec!["edo".to_string(), "plain".to_string()];
    let want = vec![
        ("edo/c.1".to_string(), Verdict::Correct),
        ("edo/t".to_string(), Verdict::Correct),
        ("plain/c.1".to_string(), Verdict::Wrong),
        ("plain/t".to_string(), Verdict::Wrong),
    ];
    let cards = store.quiz_candidates(&decks).unwrap();
    let mut quiz =
        Session::start_quiz(&mut store, scheduler.clone(), decks.clone(), cards, 1, now).unwrap();
    assert_eq!(closed_country_verdicts(&mut quiz, now), want, "quiz");
    quiz.leave(now).unwrap();
    drop(quiz);
    let mut study = Session::start(&mut store, scheduler, decks, 1, None, now).unwrap();
    assert_eq!(closed_country_verdicts(&mut study, now), want, "study");
}
