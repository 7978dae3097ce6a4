//! The session engine through the library, on a real SQLite file: leeches,
//! undo restoring the exact state, and new cards spread among reviews.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use kioku::answer::Response;
use kioku::deck::{load_sources, CardKind};
use kioku::scheduler::{DayClock, Scheduler};
use kioku::session::{Session, Undone};
use kioku::store::Store;
use kioku::types::{Phase, Rating, Verdict};
use std::path::PathBuf;
use std::time::Duration as Elapsed;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn open(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::open(&dir.path().join("k.db"), at("2026-01-01T00:00:00Z")).unwrap();
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let (sources, errors) = load_sources(&[fixtures], true);
    assert!(errors.is_empty());
    store.sync(&sources, at("2026-01-01T00:00:00Z")).unwrap();
    store
}

fn scheduler(store: &Store) -> Scheduler {
    let s = store.settings().unwrap();
    Scheduler::new(
        &s.fsrs_parameters,
        s.scheduler_config(),
        DayClock::new(FixedOffset::east_opt(0).unwrap(), s.rollover_hour),
    )
    .unwrap()
}

/// A right or wrong response to whatever card is shown.
fn respond(kind: &CardKind, options: &[String], right: bool) -> Response {
    match kind {
        CardKind::Year { a, .. } => Response::Year(if right { *a } else { a + 50 }),
        CardKind::Typed { a, .. } => Response::Text(if right {
            a.clone()
        } else {
            "nobody at all".into()
        }),
        CardKind::TrueFalse { a, .. } => Response::Bool(if right { *a } else { !*a }),
        CardKind::Cloze { gaps, gap, .. } => Response::Text(if right {
            gaps[*gap].answer.clone()
        } else {
            "nowhere at all".into()
        }),
        CardKind::Choice { a, .. } => {
            let i = options.iter().position(|o| (o == a) == right).unwrap();
            Response::Choice(i)
        }
        CardKind::Order { items, .. } => {
            let mut order: Vec<usize> = items
                .iter()
                .map(|i| options.iter().position(|o| o == i).unwrap())
                .collect();
            if !right {
                order.reverse();
            }
            Response::Order(order)
        }
        CardKind::Basic { .. } => Response::Text(String::new()),
    }
}

#[test]
fn a_card_forgotten_at_the_threshold_becomes_a_leech() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    store.set_setting("leech_threshold", "2").unwrap();
    store.set_setting("fuzz", "off").unwrap();
    let sched = scheduler(&store);
    let mut now = at("2026-01-05T10:00:00Z");
    let target = "recognition-year";
    let mut lapses_seen = 0;
    let mut leech_flagged = None;
    for _day in 0..40 {
        let mut session =
            Session::start(&mut store, sched.clone(), vec!["mini".into()], 1, None, now).unwrap();
        while let Some(p) = session.next_card(now) {
            let is_target = p.card.id == target;
            // Forget the target whenever it is in review; know everything else.
            let right = !(is_target && p.phase == Phase::Review);
            let fb = session
                .answer(
                    &respond(&p.card.kind, &p.options, right),
                    now,
                    Elapsed::from_secs(3),
                )
                .unwrap()
                .unwrap();
            if is_target && !right {
                assert_eq!(fb.verdict, Verdict::Wrong);
                lapses_seen += 1;
                if fb.leech {
                    leech_flagged = Some(lapses_seen);
                }
            }
            if matches!(p.card.kind, CardKind::Basic { .. }) {
                session.regrade(Rating::Good);
            }
            session.accept().unwrap();
        }
        session.leave(now).unwrap();
        let summary = session.summary(now).unwrap();
        if leech_flagged.is_some() {
            assert_eq!(summary.leeches, vec![format!("mini/{target}")]);
            break;
        }
        now += Duration::days(1);
    }
    assert_eq!(leech_flagged, Some(2), "the second lapse marks the leech");
    let card = store.find_card("mini", target).unwrap().unwrap();
    assert_eq!(card.state.unwrap().lapses, 2);
}

#[test]
fn undo_restores_the_exact_state_and_removes_the_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let sched = scheduler(&store);
    let now = at("2026-01-05T10:00:00Z");
    // Graduate every card on day one.
    {
        let mut s =
            Session::start(&mut store, sched.clone(), vec!["mini".into()], 2, None, now).unwrap();
        while let Some(p) = s.next_card(now) {
            s.answer(
                &respond(&p.card.kind, &p.options, true),
                now,
                Elapsed::from_secs(2),
            )
            .unwrap();
            s.accept().unwrap();
        }
        s.leave(now).unwrap();
    }
    let later = now + Duration::days(30);
    let before: Vec<_> = ["recognition-year", "laxman", "war-ended-by"]
        .iter()
        .map(|k| store.find_card("mini", k).unwrap().unwrap().state)
        .collect();
    let reviews_before = store.review_count().unwrap();
    let mut s = Session::start(&mut store, sched, vec!["mini".into()], 2, None, later).unwrap();
    let p = s.next_card(later).unwrap();
    let first = p.card.id.clone();
    s.answer(
        &respond(&p.card.kind, &p.options, false),
        later,
        Elapsed::from_secs(2),
    )
    .unwrap();
    s.accept().unwrap();
    let shown_next = s.next_card(later).unwrap().card.id;
    assert_ne!(shown_next, first);
    assert_eq!(
        s.undo().unwrap(),
        Undone::Saved {
            deck_id: "mini".into(),
            card_id: first.clone()
        }
    );
    // The undone card is asked again, then the one that was showing.
    assert_eq!(s.next_card(later).unwrap().card.id, first);
    drop(s);
    assert_eq!(store.review_count().unwrap(), reviews_before);
    let after: Vec<_> = ["recognition-year", "laxman", "war-ended-by"]
        .iter()
        .map(|k| store.find_card("mini", k).unwrap().unwrap().state)
        .collect();
    assert_eq!(before, after);
}

#[test]
fn nothing_is_written_before_accept_and_undo_of_a_pending_answer_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    let sched = scheduler(&store);
    let now = at("2026-01-05T10:00:00Z");
    let mut s = Session::start(&mut store, sched, vec!["mini".into()], 5, None, now).unwrap();
    let p = s.next_card(now).unwrap();
    s.answer(
        &respond(&p.card.kind, &p.options, true),
        now,
        Elapsed::from_secs(1),
    )
    .unwrap();
    assert_eq!(s.undo().unwrap(), Undone::Answer);
    assert_eq!(
        s.next_card(now).unwrap().card.id,
        p.card.id,
        "the same card is asked again"
    );
    drop(s);
    assert_eq!(store.review_count().unwrap(), 0);
}

/// Property: whole sessions on a real database file — random answers,
/// regrades and undos, days of random length, a clock that sometimes moves
/// back — leave exactly the states that replaying the log rebuilds.
#[test]
fn sessions_leave_the_states_a_replay_rebuilds() {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(7);
    let mut replayed = 0;
    for case in 0..12 {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        if rng.random_bool(0.5) {
            store.set_setting("fuzz", "off").unwrap();
        }
        store
            .set_setting(
                "desired_retention",
                &format!("{:.2}", rng.random_range(0.8..0.95)),
            )
            .unwrap();
        let sched = scheduler(&store);
        let mut now = at("2026-01-05T10:00:00Z");
        for _day in 0..rng.random_range(5..25) {
            let mut session = Session::start(
                &mut store,
                sched.clone(),
                vec!["mini".into()],
                case,
                None,
                now,
            )
            .unwrap();
            let mut t = now;
            while let Some(p) = session.next_card(t) {
                t += Duration::seconds(rng.random_range(-600..900)); // sometimes back
                let right = rng.random_bool(0.75);
                session
                    .answer(
                        &respond(&p.card.kind, &p.options, right),
                        t,
                        Elapsed::from_secs(2),
                    )
                    .unwrap();
                if rng.random_bool(0.2) {
                    session.regrade(Rating::ALL[rng.random_range(0..4)]);
                }
                session.accept().unwrap();
                if rng.random_bool(0.05) {
                    session.undo().unwrap();
                }
            }
            session.leave(t).unwrap();
            now += Duration::hours(rng.random_range(-30..24 * 9));
        }
        let live = store.all_states().unwrap();
        let report = store.rebuild(&sched).unwrap();
        assert_eq!(report.changed, 0, "case {case}: {report:?}");
        assert_eq!(store.all_states().unwrap(), live, "case {case}");
        replayed += report.reviews;
    }
    assert!(replayed > 300, "{replayed} reviews replayed");
}
