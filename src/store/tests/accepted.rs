//! The answers a learner said were right, as the store keeps them: once
//! per folded answer, listed by deck, written and undone with the review or
//! quiz answer they came with, and the migration that added their table.

use super::synonyms::one_old_card;
use super::*;

#[test]
fn accepted_answers_are_kept_once_per_folded_answer_and_listed_by_deck() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .sync(
            &[
                deck("d", &format!("{}{}", basic("a", "Q1"), basic("b", "Q2"))),
                deck("e", &basic("c", "Q3")),
            ],
            now(),
        )
        .unwrap();
    let a = store.find_card("d", "a").unwrap().unwrap().row;
    let b = store.find_card("d", "b").unwrap().unwrap().row;
    let c = store.find_card("e", "c").unwrap().unwrap().row;
    let add = |store: &mut Store, card, answer: &str, folded: &str, minutes| {
        store
            .add_accepted_answer(
                card,
                &Accepted { answer, folded },
                now() + Duration::minutes(minutes),
            )
            .unwrap()
    };
    assert!(add(&mut store, b, "  Lumber\u{1b}[31m ", "lumber31m", 0));
    assert!(add(&mut store, a, "Nomonhan", "nomonhan", 1));
    assert!(
        !add(&mut store, a, "NOMONHAN", "nomonhan", 2),
        "the same folded answer is kept once"
    );
    assert!(
        !add(&mut store, a, "   ", "", 3),
        "nothing is kept for nothing"
    );
    assert!(add(
        &mut store,
        a,
        "Battle of Nomonhan",
        "battleofnomonhan",
        4
    ));
    assert!(add(&mut store, c, "G-7", "g7", 5));
    assert_eq!(
        store.accepted_answers(a).unwrap(),
        ["Nomonhan", "Battle of Nomonhan"]
    );
    assert_eq!(store.accepted_answers(b).unwrap(), ["Lumber[31m"]);
    let listed = |decks: &[String]| -> Vec<String> {
        store
            .accepted_in(decks)
            .unwrap()
            .into_iter()
            .map(|x| format!("{}/{} {}", x.deck_id, x.card_key, x.answer))
            .collect()
    };
    assert_eq!(
        listed(&[]),
        [
            "d/a Nomonhan",
            "d/a Battle of Nomonhan",
            "d/b Lumber[31m",
            "e/c G-7"
        ]
    );
    assert_eq!(listed(&["e".into()]), ["e/c G-7"]);
    let long = "x".repeat(MAX_ACCEPTED_CHARS + 50);
    assert!(add(&mut store, c, &long, &long, 6));
    assert_eq!(
        store.accepted_answers(c).unwrap()[1].chars().count(),
        MAX_ACCEPTED_CHARS
    );
}

#[test]
fn an_accepted_answer_is_written_and_undone_with_its_review() {
    let mut store = Store::open_in_memory().unwrap();
    let (card, session, after) = a_card_to_review(&mut store);
    let id = store
        .record_review(&NewReview {
            card_row: card.row,
            session: Some(session),
            at: now(),
            rating: crate::types::Rating::Good,
            verdict: crate::types::Verdict::Correct,
            answer: Some("America"),
            duration_ms: Some(1200),
            interval_days: 0,
            before: None,
            after,
            utc_offset: Some(0),
            accepted: Some(Accepted {
                answer: "America",
                folded: "america",
            }),
            kept_due: None,
            balanced_due: None,
        })
        .unwrap();
    assert_eq!(store.accepted_answers(card.row).unwrap(), ["America"]);
    store.undo_review(&id, session).unwrap();
    assert!(store.accepted_answers(card.row).unwrap().is_empty());

    let quiz = store
        .start_session("quiz", &["d".into()], 1, now())
        .unwrap();
    let id = store
        .record_quiz_answer(&NewQuizAnswer {
            session: quiz,
            card_row: card.row,
            at: now(),
            verdict: crate::types::Verdict::Correct,
            answer: Some("USA"),
            duration_ms: 900,
            accepted: Some(Accepted {
                answer: "USA",
                folded: "usa",
            }),
        })
        .unwrap();
    assert_eq!(store.accepted_answers(card.row).unwrap(), ["USA"]);
    assert!(store.undo_quiz_answer(&id, quiz).unwrap());
    assert!(store.accepted_answers(card.row).unwrap().is_empty());
}

/// A database of version 3 with reviews in it gains the table of accepted
/// answers and keeps everything else.
#[test]
fn version_3_migrates_to_accepted_answers_keeping_its_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let three = Migrations::new(MIGRATION_SLICE[..3].to_vec());
    {
        let conn = Connection::open(&path).unwrap();
        let store =
            Store::prepare_with(conn, path.display().to_string(), &three, 3, now()).unwrap();
        one_old_card(&store);
        let card = store.find_card("wood", "a").unwrap().unwrap();
        store
            .conn
            .execute(
                "INSERT INTO reviews (id, card_id, at, rating, verdict, interval_days, phase_before, step_before,
                    reps_before, lapses_before, phase_after, step_after, stability_after, difficulty_after, due_after)
                 VALUES ('r1', ?1, 1, 3, 'correct', 1, 'new', 0, 0, 0, 'review', 0, 1.0, 5.0, 86400001)",
                [card.row],
            )
            .unwrap();
    }
    let mut store = Store::open(&path, now()).unwrap();
    assert_eq!(store.review_count().unwrap(), 1);
    let card = store.find_card("wood", "a").unwrap().unwrap().row;
    assert!(store.accepted_answers(card).unwrap().is_empty());
    store
        .add_accepted_answer(
            card,
            &Accepted {
                answer: "A",
                folded: "a",
            },
            now(),
        )
        .unwrap();
    assert_eq!(store.accepted_answers(card).unwrap(), ["A"]);
}
