//! The collection the bench measures: deck files written out, and years of
//! study simulated with kioku's own scheduler straight into the database,
//! with the same rows a session writes.

use crate::{Size, NOW};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use kioku::scheduler::{CardState, DayClock, Outcome, Scheduler};
use kioku::store::{card_seed, Store};
use kioku::types::{Phase, Rating};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

pub fn generate_decks(dir: &Path, cards: usize, files: usize) -> usize {
    std::fs::create_dir_all(dir).unwrap();
    let per_file = cards.div_ceil(files);
    let mut total = 0;
    for f in 0..files {
        let mut s = format!("format = 1\n\n[deck]\nid = \"bench-{f:03}\"\ntitle = \"Generated deck {f}\"\nsource = \"Generated\"\n");
        for c in 0..per_file.min(cards - f * per_file) {
            let id = format!("card-{c:05}");
            let _ = write!(s, "\n[[cards]]\nid = \"{id}\"\n");
            let _ = match c % 7 {
                0 => write!(s, "type = \"typed\"\nq = \"Which place is number {c} in deck {f}?\"\na = \"Place {c}\"\naccept = [\"P{c}\"]\n"),
                1 => write!(s, "type = \"year\"\nq = \"In which year did event {c} of deck {f} happen?\"\na = {}\ntolerance = 1\n", 1800 + c % 200),
                2 => write!(s, "type = \"choice\"\nq = \"Who signed treaty {c} of deck {f}?\"\na = \"Envoy {c}\"\nwrong = [\"Envoy {}\", \"Envoy {}\", \"Envoy {}\"]\n", c + 1, c + 2, c + 3),
                3 => write!(s, "type = \"truefalse\"\nq = \"Statement {c} of deck {f} is true.\"\na = {}\n", c % 2 == 0),
                4 => write!(s, "type = \"cloze\"\ntext = \"Treaty {c} of deck {f} was signed at {{{{Port {c}}}}}.\"\n"),
                5 => write!(s, "type = \"order\"\nq = \"Put events {c} of deck {f} in order.\"\nitems = [\"First {c}\", \"Second {c}\", \"Third {c}\", \"Fourth {c}\"]\n"),
                _ => write!(s, "type = \"basic\"\nq = \"Explain idea {c} of deck {f}.\"\na = \"Idea {c} means something.\"\n"),
            };
            let _ = write!(s, "why = \"A sentence of context for card {c}, so that the file is the size of a real deck.\"\nsection = \"Section {}\"\n", c / 50);
        }
        total += s.len();
        std::fs::write(dir.join(format!("bench-{f:03}.toml")), s).unwrap();
    }
    total
}

/// Study up to the start of today: cards are introduced evenly over the
/// history and reviewed whenever due, remembered about nine times in ten. Written straight into
/// the database in one transaction, with the same rows a session writes.
pub fn simulate_history(db: &Path, size: Size) -> usize {
    let started = Instant::now();
    let now = DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc);
    let clock = DayClock::new(FixedOffset::east_opt(0).unwrap(), 4);
    let store = Store::open(db, now).unwrap();
    // The learner's settings, so that kioku itself schedules as simulated.
    let settings = store
        .set_setting("max_interval_days", &size.max_interval.to_string())
        .unwrap();
    let scheduler = Scheduler::new(&[], settings.scheduler_config(), clock).unwrap();
    // The history is written straight into the file, as a session would
    // write it over years, through a connection of the bench's own.
    let conn = rusqlite::Connection::open(db).unwrap();
    let cards = card_rows(&conn);
    let mut rng = StdRng::seed_from_u64(2026);
    let began = now - Duration::days(size.days);
    // Studied up to yesterday: today's reviews are still due, as they are
    // when a learner opens kioku in the morning.
    let today = clock.day_start(clock.day(now));
    let n = cards.len() as i64;
    conn.execute_batch("BEGIN").unwrap();
    let mut insert = conn.prepare(INSERT_REVIEW).unwrap();
    let mut state_stmt = conn.prepare(INSERT_STATE).unwrap();
    let mut reviews = 0;
    for (i, (row, deck, key)) in cards.iter().enumerate() {
        let seed = card_seed(deck, key);
        let t = began + Duration::seconds(i as i64 * size.days * 86400 / n) + Duration::hours(9);
        let mut learner = Learner {
            scheduler: &scheduler,
            rng: &mut rng,
            insert: &mut insert,
        };
        let (state, done) = learner.study_card(*row, seed, t, today);
        reviews += done;
        if state.phase != Phase::New {
            write_state(&mut state_stmt, *row, &state);
        }
    }
    drop(insert);
    drop(state_stmt);
    conn.execute_batch("COMMIT; ANALYZE;").unwrap();
    println!(
        "simulated {reviews} reviews in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    reviews
}

/// One review as a session writes it: the answer and the state before and after.
const INSERT_REVIEW: &str =
    "INSERT INTO reviews (id, card_id, at, rating, verdict, duration_ms, interval_days,
                phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before, lapses_before,
                phase_after, step_after, stability_after, difficulty_after, due_after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

/// A card's state after its last review.
const INSERT_STATE: &str = "INSERT INTO card_state (card_id, phase, step, stability, difficulty, due, last_review, reps, lapses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// Every card row the first sync made, as id, deck and key, in id order.
fn card_rows(conn: &rusqlite::Connection) -> Vec<(i64, String, String)> {
    conn.prepare("SELECT id, deck_id, card_key FROM cards ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The simulated learner: kioku's scheduler, the dice, and where the
/// reviews go.
struct Learner<'a, 'c> {
    scheduler: &'a Scheduler,
    rng: &'a mut StdRng,
    insert: &'a mut rusqlite::Statement<'c>,
}

impl Learner<'_, '_> {
    /// Studies one card from `t`, whenever it is due, until `today`; its
    /// last state and the number of reviews written.
    fn study_card(
        &mut self,
        row: i64,
        seed: u64,
        mut t: DateTime<Utc>,
        today: DateTime<Utc>,
    ) -> (CardState, usize) {
        let mut state = CardState::new_card(t);
        let mut reviews = 0;
        while t < today {
            let rating = self.rate(state.phase);
            let out = self.scheduler.review(&state, rating, t, seed).unwrap();
            self.write_review(row, t, rating, &state, &out);
            reviews += 1;
            state = out.state;
            t = state.due.max(t + Duration::minutes(1));
        }
        (state, reviews)
    }

    /// How the learner rates a card in `phase`: remembered about nine times
    /// in ten, a little more often once it is learnt.
    fn rate(&mut self, phase: Phase) -> Rating {
        let roll: f64 = self.rng.random();
        match phase {
            Phase::Review if roll < 0.10 => Rating::Again,
            Phase::Review if roll < 0.15 => Rating::Hard,
            _ if roll > 0.97 => Rating::Easy,
            Phase::New | Phase::Learning | Phase::Relearning if roll < 0.08 => Rating::Again,
            _ => Rating::Good,
        }
    }

    /// Writes one review of card `row` at `t`, from `state` to `out`.
    fn write_review(
        &mut self,
        row: i64,
        t: DateTime<Utc>,
        rating: Rating,
        state: &CardState,
        out: &Outcome,
    ) {
        let before = (state.phase != Phase::New).then_some(*state);
        let bm = before.and_then(|b| b.memory);
        let am = out.state.memory.unwrap();
        self.insert
            .execute(rusqlite::params![
                format!("{:032x}", self.rng.random::<u128>()),
                row,
                t.timestamp_millis(),
                rating.number(),
                if rating == Rating::Again {
                    "wrong"
                } else {
                    "correct"
                },
                self.rng.random_range(2000..20000),
                out.interval.whole_days(),
                state.phase.name(),
                state.step,
                bm.map(|m| m.stability),
                bm.map(|m| m.difficulty),
                before.map(|b| b.due.timestamp_millis()),
                before
                    .and_then(|b| b.last_review)
                    .map(|l| l.timestamp_millis()),
                state.reps,
                state.lapses,
                out.state.phase.name(),
                out.state.step,
                am.stability,
                am.difficulty,
                out.state.due.timestamp_millis(),
            ])
            .unwrap();
    }
}

/// Writes the state a card's history left it in.
fn write_state(stmt: &mut rusqlite::Statement<'_>, row: i64, state: &CardState) {
    let m = state.memory.unwrap();
    stmt.execute(rusqlite::params![
        row,
        state.phase.name(),
        state.step,
        m.stability,
        m.difficulty,
        state.due.timestamp_millis(),
        state.last_review.unwrap().timestamp_millis(),
        state.reps,
        state.lapses
    ])
    .unwrap();
}
