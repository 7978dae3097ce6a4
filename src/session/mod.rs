//! The study and quiz session: a state machine that takes answers and says
//! what to show. Front-ends (line mode, full screen) only render it.
//!
//! Flow per card: [`Session::next_card`] → [`Session::answer`] (checked,
//! nothing written yet) → optionally [`Session::regrade`] → [`Session::accept`],
//! which writes the answer in its own transaction: a review in a study
//! session, a quiz answer in a quiz (which never moves the schedule).
//! After a wrong or close typed answer, [`Session::overrule`] ("I was
//! right") makes it correct and keeps it as an accepted answer for the card,
//! written with the answer by [`Session::accept`]; the card's accepted
//! answers are passed to the checker from then on.
//! [`Session::undo`] takes back the pending answer, or else the last answer
//! this session wrote. [`Session::leave`] ends the session, however it ends:
//! what is saved then is this module's rule, not a front-end's.
//!
//! The order cards are asked in is `queue.rs`; the values handed to the
//! front-ends are `types.rs`; quiz draws and scores are `quiz.rs`.
//!
//! Time comes in as an argument on every call; nothing here reads a clock.

mod balance;
mod judging;
mod queue;
mod quiz;
mod summary;
mod types;

/// What the learner answers with, handed to [`Session::answer`]: the
/// front-ends take it from here and need nothing of `answer`.
pub use crate::answer::{InputError, Response};
pub use crate::fold::DiffPart;
pub use balance::Backlog;
pub use judging::{accepted_key, answer_diff};
pub use quiz::{draw_quiz, QuizDraw, QuizSummary, Tally};
pub use types::{Counts, Feedback, Held, Hold, Mode, Prompt, Summary, Undone};

use crate::answer;
use crate::deck::CardKind;
use crate::scheduler::{Outcome, Scheduler, SchedulerError};
use crate::store::LoadAhead;
use crate::store::{self, Accepted, DeckSynonyms, NewQuizAnswer, NewReview, QueueCard, Store};
use crate::types::{AnswerId, Phase, Rating, SessionId, Verdict};
use chrono::{DateTime, Utc};
use judging::{describe, with_accepted};
use queue::{display_order, Queue};

/// A session step that failed: the database, or the scheduler.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Scheduler(#[from] SchedulerError),
}

type Result<T, E = SessionError> = std::result::Result<T, E>;

struct Current {
    item: QueueCard,
    /// Displayed position → the card's own option index.
    shown: Vec<usize>,
    number: usize,
}

struct Pending {
    verdict: Verdict,
    rating: Rating,
    given: String,
    diff: Option<Vec<DiffPart>>,
    at: DateTime<Utc>,
    duration_ms: i64,
    /// What each rating does to the schedule (study only).
    outcomes: Option<[Outcome; 4]>,
    /// The learner chose the rating (a self-graded card is ungraded until then).
    graded: bool,
    /// The learner said the answer was right: it is kept as accepted.
    overruled: bool,
}

/// An answer this session saved.
struct Done {
    saved_id: AnswerId,
    item: QueueCard,
    /// The verdict as scored: a self-graded card's grade mapped to correct / close / wrong.
    verdict: Verdict,
    checked: Verdict,
    rating: Rating,
    duration_ms: i64,
    leech: bool,
}

/// A study session or a quiz over one or more decks.
pub struct Session<'s> {
    store: &'s mut Store,
    scheduler: Scheduler,
    mode: Mode,
    session_id: SessionId,
    decks: Vec<String>,
    seed: u64,
    queue: Queue,
    current: Option<Current>,
    pending: Option<Pending>,
    done: Vec<Done>,
    held: Vec<String>,
    start_counts: Counts,
    /// Each deck's own groups of names for one thing, read once when the
    /// session starts: typed answers and gaps are judged with them.
    synonyms: DeckSynonyms,
    /// Reviews due today, with the day's limit, when more are due than
    /// the limit lets through: a backlog.
    backlog: Option<Backlog>,
    /// The review cards due on each day ahead, counted from when the
    /// session starts (on a thread of its own, while the first card is
    /// shown) and kept up to date with its own answers: what each review's
    /// day is balanced against (none when nothing is balanced).
    load: Option<LoadAhead>,
}

impl<'s> Session<'s> {
    /// Builds today's queue for `decks` and opens a study session.
    /// `limits` overrides the daily (new, reviews) limits for this session.
    pub fn start(
        store: &'s mut Store,
        scheduler: Scheduler,
        decks: Vec<String>,
        seed: u64,
        limits: Option<(u32, u32)>,
        now: DateTime<Utc>,
    ) -> store::Result<Self> {
        let mut settings = store.settings()?;
        if let Some((new, reviews)) = limits {
            settings.new_per_day = new;
            settings.reviews_per_day = reviews;
        }
        let today = store.study_queue(&decks, now, scheduler.clock(), &settings)?;
        let synonyms = store.deck_synonyms(&decks)?;
        let (queue, start_counts) = Queue::study(today, scheduler.clock(), seed);
        let due = store.reviews_due_count(&decks, now, scheduler.clock())?;
        // A limit of 0 turns reviews off: no backlog to speak of.
        let backlog =
            (settings.reviews_per_day > 0 && due > settings.reviews_per_day).then_some(Backlog {
                due,
                limit: settings.reviews_per_day,
            });
        let session_id = store.start_session("study", &decks, seed, now)?;
        // Counted beside the first card, after the session's own write.
        let load = match scheduler.balances() {
            true => Some(store.load_ahead_soon(now, scheduler.clock())?),
            false => None,
        };
        let mut session = Self::new(
            store,
            scheduler,
            Mode::Study,
            session_id,
            decks,
            seed,
            queue,
            start_counts,
            synonyms,
        );
        session.backlog = backlog;
        session.load = load;
        Ok(session)
    }

    /// Opens a quiz on `cards` (see [`draw_quiz`]), asked in the order given.
    pub fn start_quiz(
        store: &'s mut Store,
        scheduler: Scheduler,
        decks: Vec<String>,
        cards: Vec<QueueCard>,
        seed: u64,
        now: DateTime<Utc>,
    ) -> store::Result<Self> {
        // The decks the drawn cards come from, which are the ones asked.
        let mut drawn: Vec<String> = cards.iter().map(|c| c.deck_id.clone()).collect();
        drawn.sort();
        drawn.dedup();
        let synonyms = store.deck_synonyms(&drawn)?;
        let (queue, counts) = Queue::quiz(cards);
        let session_id = store.start_session("quiz", &decks, seed, now)?;
        Ok(Self::new(
            store,
            scheduler,
            Mode::Quiz,
            session_id,
            decks,
            seed,
            queue,
            counts,
            synonyms,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn new(
        store: &'s mut Store,
        scheduler: Scheduler,
        mode: Mode,
        session_id: SessionId,
        decks: Vec<String>,
        seed: u64,
        queue: Queue,
        start_counts: Counts,
        synonyms: DeckSynonyms,
    ) -> Self {
        Session {
            store,
            scheduler,
            mode,
            session_id,
            decks,
            seed,
            queue,
            current: None,
            pending: None,
            done: Vec::new(),
            held: Vec::new(),
            start_counts,
            synonyms,
            backlog: None,
            load: None,
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// What the session held when it started.
    pub fn counts(&self) -> Counts {
        self.start_counts
    }

    pub fn decks(&self) -> &[String] {
        &self.decks
    }

    /// More reviews due than today's limit lets through, if so.
    pub fn backlog(&self) -> Option<Backlog> {
        self.backlog
    }

    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Answers saved so far.
    pub fn answered(&self) -> usize {
        self.done.len()
    }

    /// The card to ask now, or `None` when the session is over.
    pub fn next_card(&mut self, now: DateTime<Utc>) -> Option<Prompt> {
        if self.current.is_none() {
            let item = self.queue.take_next(now)?;
            let shown = display_order(self.seed, &item);
            self.current = Some(Current {
                item,
                shown,
                number: self.done.len() + 1,
            });
        }
        let current = self.current.as_ref()?;
        Some(self.prompt(current))
    }

    fn prompt(&self, current: &Current) -> Prompt {
        let item = &current.item;
        let options = match &item.card.kind {
            CardKind::Choice { a, wrong, .. } => {
                let all: Vec<&String> = std::iter::once(a).chain(wrong.iter()).collect();
                current.shown.iter().map(|&i| all[i].clone()).collect()
            }
            CardKind::Order { items, .. } => {
                current.shown.iter().map(|&i| items[i].clone()).collect()
            }
            CardKind::TrueFalse { .. } => vec!["true".into(), "false".into()],
            _ => Vec::new(),
        };
        // Cards left, this one included.
        let mut left = self.queue.left();
        let phase = queue::phase(item);
        left.add(phase);
        Prompt {
            number: current.number,
            total: self.done.len() + left.total(),
            deck_id: item.deck_id.clone(),
            card: item.card.clone(),
            phase,
            question: item.card.kind.prompt(),
            options,
            left,
        }
    }

    /// Reads an input line as an answer to the current card.
    pub fn parse(&self, line: &str) -> Result<Response, InputError> {
        match &self.current {
            Some(c) => answer::parse_response(&c.item.card.kind, line, c.shown.len()),
            None => Ok(Response::Text(line.to_string())),
        }
    }

    /// Checks an answer to the current card; nothing is saved until [`Session::accept`].
    pub fn answer(
        &mut self,
        response: &Response,
        now: DateTime<Utc>,
        duration: std::time::Duration,
    ) -> Result<Option<Feedback>> {
        self.wait_for_load()?;
        let Some(current) = &self.current else {
            return Ok(None);
        };
        let card = &current.item.card;
        // A clock set back since this card's last review (a wrong clock, a
        // time-zone change) must not put its reviews out of order: the log
        // is replayed in time order, so each review comes after the last.
        let now = match current.item.state.and_then(|s| s.last_review) {
            Some(last) if now <= last => last + chrono::Duration::milliseconds(1),
            _ => now,
        };
        // What the learner said was right before is right now, and the
        // deck's own names for one thing are one answer.
        let synonyms = self
            .synonyms
            .get(&current.item.deck_id)
            .map_or(&[][..], Vec::as_slice);
        let accepted = self.store.accepted_answers(current.item.row)?;
        let verdict = if accepted.is_empty() {
            answer::check_with(&card.kind, response, &current.shown, synonyms)
        } else {
            answer::check_with(
                &with_accepted(&card.kind, accepted),
                response,
                &current.shown,
                synonyms,
            )
        };
        let outcomes = match self.mode {
            Mode::Study => Some(self.outcomes(&current.item, now)?),
            Mode::Quiz => None,
        };
        let given = describe(&card.kind, response, &current.shown);
        self.pending = Some(Pending {
            verdict,
            rating: verdict.rating(),
            diff: answer_diff(&card.kind, verdict, &given),
            given,
            at: now,
            duration_ms: i64::try_from(duration.as_millis()).unwrap_or(i64::MAX),
            outcomes,
            graded: false,
            overruled: false,
        });
        Ok(self.feedback())
    }

    /// Whether the pending answer may be overruled ("I was right"): a typed
    /// or cloze answer, not empty, that the checker judged wrong or close.
    /// A choice, true/false, order or year answer is a fact the checker
    /// read exactly, and a basic card is graded by the learner already.
    pub fn can_overrule(&self) -> bool {
        let (Some(p), Some(current)) = (&self.pending, &self.current) else {
            return false;
        };
        matches!(
            current.item.card.kind,
            CardKind::Typed { .. } | CardKind::Cloze { .. }
        ) && matches!(p.verdict, Verdict::Wrong | Verdict::Close)
            && !p.overruled
            && !accepted_key(&p.given).is_empty()
    }

    /// "I was right": the pending answer becomes correct, rated as a correct
    /// answer is (good), and is kept as an accepted answer for the card, so
    /// that the same answer is right next time. Nothing is written until
    /// [`Session::accept`], which saves the answer and the accepted answer
    /// together. Returns the new feedback, or `None` when there is nothing
    /// to overrule (see [`Session::can_overrule`]).
    pub fn overrule(&mut self) -> Option<Feedback> {
        if !self.can_overrule() {
            return None;
        }
        let p = self.pending.as_mut()?;
        p.verdict = Verdict::Correct;
        p.rating = Verdict::Correct.rating();
        p.diff = None;
        p.graded = true;
        p.overruled = true;
        self.feedback()
    }

    /// The feedback for the pending answer.
    pub fn feedback(&self) -> Option<Feedback> {
        let p = self.pending.as_ref()?;
        let card = &self.current.as_ref()?.item.card;
        Some(Feedback {
            verdict: p.verdict,
            rating: p.rating,
            given: p.given.clone(),
            diff: p.diff.clone(),
            answer: card.kind.answer_text(),
            why: card.why.clone(),
            section: card.section.clone(),
            source: card.source.clone(),
            intervals: p.outcomes.map(|o| o.map(|o| o.interval)),
            leech: p.outcomes.is_some_and(|o| o[p.rating as usize - 1].leech),
            overrulable: self.can_overrule(),
        })
    }

    /// Changes the rating the pending answer will be saved with. In a quiz
    /// only a self-graded card takes a grade: the checker's verdict stands.
    pub fn regrade(&mut self, rating: Rating) -> Option<Feedback> {
        let p = self.pending.as_mut()?;
        if self.mode == Mode::Quiz && p.verdict != Verdict::SelfGraded {
            return self.feedback();
        }
        p.rating = rating;
        p.graded = true;
        self.feedback()
    }

    /// Saves the pending answer, in its own transaction, and moves on.
    /// Returns whether anything was saved.
    pub fn accept(&mut self) -> Result<bool> {
        let (Some(p), Some(current)) = (self.pending.take(), self.current.take()) else {
            return Ok(false);
        };
        let scored = p.verdict.scored(p.rating);
        let answer = Some(p.given.as_str()).filter(|g| !g.is_empty());
        let folded = accepted_key(&p.given);
        let accepted = p.overruled.then_some(Accepted {
            answer: &p.given,
            folded: &folded,
        });
        let mut leech = false;
        let saved_id = match (self.mode, p.outcomes) {
            (Mode::Study, Some(outcomes)) => {
                let outcome = outcomes[p.rating as usize - 1];
                leech = outcome.leech;
                let (id, state) = store::patiently(|| {
                    self.store.record_review_checked(
                        &NewReview {
                            card_row: current.item.row,
                            session: Some(self.session_id),
                            at: p.at,
                            rating: p.rating,
                            verdict: p.verdict,
                            answer,
                            duration_ms: Some(p.duration_ms),
                            interval_days: outcome.interval.whole_days(),
                            before: current.item.state,
                            after: outcome.state,
                            utc_offset: Some(self.scheduler.clock().offset().local_minus_utc()),
                            accepted,
                            kept_due: None,
                            balanced_due: outcome.balanced.then_some(outcome.state.due),
                        },
                        &self.scheduler,
                        current.item.seed,
                    )
                })?;
                let outcome = Outcome { state, ..outcome };
                self.count_in_load(current.item.state.as_ref(), &outcome.state)?;
                let tomorrow = self
                    .scheduler
                    .clock()
                    .day_start(self.scheduler.clock().day(p.at) + 1);
                if matches!(outcome.state.phase, Phase::Learning | Phase::Relearning)
                    && outcome.state.due < tomorrow
                {
                    let mut again = current.item.clone();
                    again.state = Some(outcome.state);
                    self.queue.come_back(again);
                }
                id
            }
            _ => self.store.record_quiz_answer(&NewQuizAnswer {
                session: self.session_id,
                card_row: current.item.row,
                at: p.at,
                verdict: scored,
                answer,
                duration_ms: p.duration_ms,
                accepted,
            })?,
        };
        self.done.push(Done {
            saved_id,
            item: current.item,
            verdict: scored,
            checked: p.verdict,
            rating: p.rating,
            duration_ms: p.duration_ms,
            leech,
        });
        Ok(true)
    }

    /// Takes back the pending answer, or else the last answer saved in this session.
    pub fn undo(&mut self) -> Result<Undone> {
        if self.pending.take().is_some() {
            return Ok(Undone::Answer);
        }
        let Some(last) = self.done.pop() else {
            return Ok(Undone::Nothing);
        };
        let removed = match self.mode {
            Mode::Study => self
                .store
                .undo_review(&last.saved_id, self.session_id)?
                .is_some(),
            Mode::Quiz => self
                .store
                .undo_quiz_answer(&last.saved_id, self.session_id)?,
        };
        if !removed {
            return Ok(Undone::Nothing);
        }
        // The card may be waiting again as a learning card: take it out.
        self.queue.drop_learning(last.item.row);
        if let Some(current) = self.current.take() {
            self.queue.put_first(current.item);
        }
        let undone = Undone::Saved {
            deck_id: last.item.deck_id.clone(),
            card_id: last.item.card.id.clone(),
        };
        let shown = display_order(self.seed, &last.item);
        self.current = Some(Current {
            item: last.item,
            shown,
            number: self.done.len() + 1,
        });
        Ok(undone)
    }

    /// Suspends or buries the card on screen and takes it out of this
    /// session. A checked answer on screen is saved first; a card only
    /// revealed and not yet graded is not (the same rule as [`Session::leave`]).
    pub fn hold(&mut self, how: Hold, now: DateTime<Utc>) -> Result<Option<Held>> {
        let Some(current) = &self.current else {
            return Ok(None);
        };
        let row = current.item.row;
        let card = format!("{}/{}", current.item.deck_id, current.item.card.id);
        self.drop_ungraded_reveal();
        let saved = self.accept()?;
        self.current = None;
        match how {
            Hold::Suspend => self.store.set_suspended(row, true)?,
            Hold::Bury => {
                let clock = self.scheduler.clock();
                self.store.bury(row, clock.day_start(clock.day(now) + 1))?;
            }
        }
        self.queue.drop_card(row);
        self.held.push(card.clone());
        Ok(Some(Held { card, saved }))
    }

    /// Ends the session, however it ends (no cards left, the learner quit,
    /// input ended, a signal, a front-end that failed), and closes its row.
    /// A checked answer on screen is saved with the rating it shows; a card
    /// only revealed and not yet graded is not saved, because the learner
    /// never said how well they knew it. Either way the summary counts only
    /// what was saved.
    pub fn leave(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.drop_ungraded_reveal();
        self.accept()?;
        Ok(self.store.end_session(self.session_id, now)?)
    }

    /// Forgets a card that was only revealed and never graded, so that
    /// nothing is saved for it: only the learner knows how well they knew
    /// it, and they did not say. Every way of moving past a card without
    /// grading it (leaving, suspending, burying) goes through here.
    fn drop_ungraded_reveal(&mut self) {
        if self
            .pending
            .as_ref()
            .is_some_and(|p| p.verdict == Verdict::SelfGraded && !p.graded)
        {
            self.pending = None;
            self.current = None;
        }
    }
}

#[cfg(test)]
mod tests;
