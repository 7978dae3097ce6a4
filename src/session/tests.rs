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
