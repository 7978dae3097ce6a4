//! The study and quiz session: a state machine that takes answers and says
//! what to show. Front-ends (line mode, full screen) only render it.
//!
//! Flow per card: [`Session::next_card`] → [`Session::answer`] (checked,
//! nothing written yet) → optionally [`Session::regrade`] → [`Session::accept`],
//! which writes the answer in its own transaction: a review in a study
//! session, a quiz answer in a quiz (which never moves the schedule).
//! [`Session::undo`] takes back the pending answer, or else the last answer
//! this session wrote. [`Session::leave`] ends the session, however it ends:
//! what is saved then is this module's rule, not a front-end's.
//!
//! Time comes in as an argument on every call; nothing here reads a clock.

mod quiz;

pub use crate::fold::DiffPart;
pub use quiz::{draw_quiz, QuizDraw, QuizSummary, Tally};

use crate::answer::{self, InputError, Response};
use crate::deck::{Card, CardKind};
use crate::fold::{closest, diff};
use crate::scheduler::{Interval, Outcome, Scheduler, SchedulerError};
use crate::store::{self, NewQuizAnswer, NewReview, QueueCard, Store};
use crate::types::{AnswerId, Phase, Rating, SessionId, Verdict};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::collections::VecDeque;

/// How far ahead a learning card may be shown when nothing else is left.
const LEARN_AHEAD: Duration = Duration::minutes(20);

/// A session step that failed: the database, or the scheduler.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Scheduler(#[from] SchedulerError),
}

type Result<T, E = SessionError> = std::result::Result<T, E>;

/// Study moves the schedule; a quiz only scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Study,
    Quiz,
}

/// Cards by phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub learning: usize,
    pub review: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.new + self.learning + self.review
    }
}

/// A card as the learner is asked it.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// Position in the session, from 1.
    pub number: usize,
    /// Cards answered plus cards left (grows when learning cards come back).
    pub total: usize,
    pub deck_id: String,
    pub card: Card,
    pub phase: Phase,
    pub question: String,
    /// Choice options or order items, in the order displayed.
    pub options: Vec<String>,
    /// New, learning and review cards left, this one included.
    pub left: Counts,
}

/// What the learner sees after answering.
#[derive(Debug, Clone)]
pub struct Feedback {
    pub verdict: Verdict,
    /// The rating that accepting would record (the verdict's, or a regrade).
    pub rating: Rating,
    /// The learner's answer, in words.
    pub given: String,
    /// A typed answer that was not right, letter by letter against the
    /// closest accepted answer; `None` for every other answer.
    pub diff: Option<Vec<DiffPart>>,
    /// The right answer, in words.
    pub answer: String,
    pub why: Option<String>,
    pub section: Option<String>,
    pub source: Option<String>,
    /// The next interval for each rating, again to easy (study only).
    pub intervals: Option<[Interval; 4]>,
    /// Accepting with the current rating would mark the card a leech.
    pub leech: bool,
}

/// What undo took back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// The answer just given, not yet saved: the same card is asked again.
    Answer,
    /// The last saved answer of this session: that card is asked again.
    Saved {
        deck_id: String,
        card_id: String,
    },
    Nothing,
}

/// Figures for the end of a study session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub answered: usize,
    pub correct: usize,
    pub close: usize,
    pub wrong: usize,
    /// Answers rated hard, good or easy.
    pub remembered: usize,
    pub time_ms: i64,
    /// Cards that became leeches in this session, as `deck/card`.
    pub leeches: Vec<String>,
    /// Cards suspended or buried in this session, as `deck/card`.
    pub held: Vec<String>,
    pub next_due: Option<DateTime<Utc>>,
    pub due_by_tomorrow: i64,
    /// Learning cards still due later today that this session did not reach.
    pub learning_later: usize,
}

impl Summary {
    /// Share of answers remembered, 0–100.
    pub fn accuracy(&self) -> Option<f64> {
        (self.answered > 0).then(|| 100.0 * self.remembered as f64 / self.answered as f64)
    }
}

/// How to hold a card back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Out of every queue until unsuspended.
    Suspend,
    /// Out of the queue until the next study day.
    Bury,
}

impl Hold {
    /// What happened to the card, in words: "suspended", "buried until tomorrow".
    pub fn done(self) -> &'static str {
        match self {
            Hold::Suspend => "suspended",
            Hold::Bury => "buried until tomorrow",
        }
    }
}

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
    main: VecDeque<QueueCard>,
    learning: Vec<QueueCard>,
    current: Option<Current>,
    pending: Option<Pending>,
    done: Vec<Done>,
    held: Vec<String>,
    start_counts: Counts,
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
        let queue = store.study_queue(&decks, now, scheduler.clock(), &settings)?;
        let mut rng = StdRng::seed_from_u64(seed);
        // Reviews: most overdue day first, shuffled within a day.
        let clock = *scheduler.clock();
        let due_day = |c: &QueueCard| c.state.map(|s| clock.day(s.due));
        let mut reviews = queue.reviews;
        reviews.sort_by_key(due_day);
        for group in reviews.chunk_by_mut(|a, b| due_day(a) == due_day(b)) {
            group.shuffle(&mut rng);
        }
        let start_counts = Counts {
            new: queue.new.len(),
            learning: queue.learning.len(),
            review: reviews.len(),
        };
        let main = interleave(reviews, queue.new);
        let session_id = store.start_session("study", &decks, seed, now)?;
        Ok(Self::new(
            store,
            scheduler,
            Mode::Study,
            session_id,
            decks,
            seed,
            main,
            queue.learning,
            start_counts,
        ))
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
        let mut counts = Counts::default();
        for c in &cards {
            match c.state.map_or(Phase::New, |s| s.phase) {
                Phase::New => counts.new += 1,
                Phase::Review => counts.review += 1,
                _ => counts.learning += 1,
            }
        }
        let session_id = store.start_session("quiz", &decks, seed, now)?;
        Ok(Self::new(
            store,
            scheduler,
            Mode::Quiz,
            session_id,
            decks,
            seed,
            cards.into(),
            Vec::new(),
            counts,
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
        main: VecDeque<QueueCard>,
        learning: Vec<QueueCard>,
        start_counts: Counts,
    ) -> Self {
        Session {
            store,
            scheduler,
            mode,
            session_id,
            decks,
            seed,
            main,
            learning,
            current: None,
            pending: None,
            done: Vec::new(),
            held: Vec::new(),
            start_counts,
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
            let item = self.take_next(now)?;
            let shown = self.display_order(&item);
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
        let mut left = self.left();
        let phase = item.state.map_or(Phase::New, |s| s.phase);
        match phase {
            Phase::New => left.new += 1,
            Phase::Learning | Phase::Relearning => left.learning += 1,
            Phase::Review => left.review += 1,
        }
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

    /// Cards left, not counting the one being asked.
    fn left(&self) -> Counts {
        let mut c = Counts {
            learning: self.learning.len(),
            ..Counts::default()
        };
        for item in &self.main {
            match item.state.map_or(Phase::New, |s| s.phase) {
                Phase::New => c.new += 1,
                Phase::Review => c.review += 1,
                _ => c.learning += 1,
            }
        }
        c
    }

    fn take_next(&mut self, now: DateTime<Utc>) -> Option<QueueCard> {
        self.learning.sort_by_key(|c| c.state.map(|s| s.due));
        let due_by = |c: &QueueCard, t: DateTime<Utc>| c.state.is_some_and(|s| s.due <= t);
        if self.learning.first().is_some_and(|c| due_by(c, now)) {
            return Some(self.learning.remove(0));
        }
        if let Some(card) = self.main.pop_front() {
            return Some(card);
        }
        if self
            .learning
            .first()
            .is_some_and(|c| due_by(c, now + LEARN_AHEAD))
        {
            return Some(self.learning.remove(0));
        }
        None
    }

    fn display_order(&self, item: &QueueCard) -> Vec<usize> {
        let n = match &item.card.kind {
            CardKind::Choice { wrong, .. } => wrong.len() + 1,
            CardKind::Order { items, .. } => items.len(),
            _ => return Vec::new(),
        };
        let mut rng = StdRng::seed_from_u64(
            self.seed ^ item.seed ^ u64::from(item.state.map_or(0, |s| s.reps)),
        );
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut rng);
        if matches!(item.card.kind, CardKind::Order { .. }) && order.windows(2).all(|w| w[0] < w[1])
        {
            // Never show an order card already in order.
            order.rotate_left(1);
        }
        order
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
        let verdict = answer::check(&card.kind, response, &current.shown);
        let outcomes = match self.mode {
            Mode::Study => Some(self.scheduler.preview(
                &current.item.state_or_new(now),
                now,
                current.item.seed,
            )?),
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
        });
        Ok(self.feedback())
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
                        },
                        &self.scheduler,
                        current.item.seed,
                    )
                })?;
                let outcome = Outcome { state, ..outcome };
                let tomorrow = self
                    .scheduler
                    .clock()
                    .day_start(self.scheduler.clock().day(p.at) + 1);
                if matches!(outcome.state.phase, Phase::Learning | Phase::Relearning)
                    && outcome.state.due < tomorrow
                {
                    let mut again = current.item.clone();
                    again.state = Some(outcome.state);
                    self.learning.push(again);
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
        self.learning.retain(|c| c.row != last.item.row);
        if let Some(current) = self.current.take() {
            self.main.push_front(current.item);
        }
        let undone = Undone::Saved {
            deck_id: last.item.deck_id.clone(),
            card_id: last.item.card.id.clone(),
        };
        let shown = self.display_order(&last.item);
        self.current = Some(Current {
            item: last.item,
            shown,
            number: self.done.len() + 1,
        });
        Ok(undone)
    }

    /// Suspends or buries the card on screen (saving its answer first, if
    /// one is pending) and takes it out of this session. Returns `deck/card`.
    pub fn hold(&mut self, how: Hold, now: DateTime<Utc>) -> Result<Option<String>> {
        let Some(row) = self.current.as_ref().map(|c| c.item.row) else {
            return Ok(None);
        };
        let label = self
            .current
            .as_ref()
            .map(|c| format!("{}/{}", c.item.deck_id, c.item.card.id));
        if !self.accept()? {
            self.current = None;
        }
        match how {
            Hold::Suspend => self.store.set_suspended(row, true)?,
            Hold::Bury => {
                let clock = self.scheduler.clock();
                self.store.bury(row, clock.day_start(clock.day(now) + 1))?;
            }
        }
        self.learning.retain(|c| c.row != row);
        self.main.retain(|c| c.row != row);
        if let Some(l) = &label {
            self.held.push(l.clone());
        }
        Ok(label)
    }

    /// The study figures so far.
    pub fn summary(&self, now: DateTime<Utc>) -> Result<Summary> {
        let mut s = Summary {
            answered: self.done.len(),
            held: self.held.clone(),
            ..Summary::default()
        };
        for d in &self.done {
            match d.checked {
                Verdict::Correct => s.correct += 1,
                Verdict::Close => s.close += 1,
                Verdict::Wrong => s.wrong += 1,
                Verdict::SelfGraded => {}
            }
            if d.rating != Rating::Again {
                s.remembered += 1;
            }
            s.time_ms += d.duration_ms;
            if d.leech {
                s.leeches
                    .push(format!("{}/{}", d.item.deck_id, d.item.card.id));
            }
        }
        let (next, by_tomorrow) = self
            .store
            .next_due(&self.decks, now, self.scheduler.clock())?;
        s.next_due = next;
        s.due_by_tomorrow = by_tomorrow;
        s.learning_later = self.learning.len();
        Ok(s)
    }

    /// The quiz score so far, with earlier quizzes on the same decks.
    pub fn quiz_summary(&self) -> Result<QuizSummary> {
        let history = self.store.quiz_history(&self.decks)?;
        let earlier = history
            .into_iter()
            .filter(|q| q.session != self.session_id)
            .collect();
        Ok(QuizSummary::new(
            self.done.iter().map(|d| {
                (
                    d.item.deck_id.as_str(),
                    d.item.card.kind.type_name(),
                    d.verdict,
                    d.duration_ms,
                )
            }),
            earlier,
        ))
    }

    /// Ends the session, however it ends (no cards left, the learner quit,
    /// input ended, a signal, a front-end that failed), and closes its row.
    /// A checked answer on screen is saved with the rating it shows; a card
    /// only revealed and not yet graded is not saved, because the learner
    /// never said how well they knew it. Either way the summary counts only
    /// what was saved.
    pub fn leave(&mut self, now: DateTime<Utc>) -> Result<()> {
        if self
            .pending
            .as_ref()
            .is_some_and(|p| p.verdict == Verdict::SelfGraded)
        {
            self.pending = None;
            self.current = None;
        }
        self.accept()?;
        Ok(self.store.end_session(self.session_id, now)?)
    }
}

/// Spreads new cards evenly among reviews.
fn interleave(reviews: Vec<QueueCard>, new: Vec<QueueCard>) -> VecDeque<QueueCard> {
    let total = reviews.len() + new.len();
    let mut out = VecDeque::with_capacity(total);
    if new.is_empty() || reviews.is_empty() {
        out.extend(reviews);
        out.extend(new);
        return out;
    }
    let every = total.div_ceil(new.len());
    let mut reviews = reviews.into_iter();
    let mut new = new.into_iter();
    for i in 0..total {
        let take_new = i % every == every - 1;
        let next = if take_new {
            new.next().or_else(|| reviews.next())
        } else {
            reviews.next().or_else(|| new.next())
        };
        out.extend(next);
    }
    out
}

/// Where a typed answer that was not right differs from the closest
/// answer the card accepts. Only typed and cloze cards take free text; a
/// right answer, a reveal or an empty answer has nothing to show.
pub fn answer_diff(kind: &CardKind, verdict: Verdict, given: &str) -> Option<Vec<DiffPart>> {
    if matches!(verdict, Verdict::Correct | Verdict::SelfGraded) || given.is_empty() {
        return None;
    }
    let want = match kind {
        CardKind::Typed { a, accept, .. } => closest(given, a, accept),
        CardKind::Cloze { gaps, gap, .. } => {
            let g = gaps.get(*gap)?;
            closest(given, &g.answer, &g.accept)
        }
        _ => return None,
    };
    Some(diff(given, want))
}

/// The learner's answer in words.
fn describe(kind: &CardKind, response: &Response, shown: &[usize]) -> String {
    match (kind, response) {
        (_, Response::Text(t)) => t.clone(),
        (CardKind::Choice { a, wrong, .. }, Response::Choice(i)) => {
            let all: Vec<&String> = std::iter::once(a).chain(wrong.iter()).collect();
            shown
                .get(*i)
                .and_then(|&k| all.get(k))
                .map(|s| s.to_string())
                .unwrap_or_default()
        }
        (_, Response::Bool(b)) => b.to_string(),
        (_, Response::Year(y)) => y.to_string(),
        (CardKind::Order { items, .. }, Response::Order(order)) => order
            .iter()
            .filter_map(|&i| shown.get(i).and_then(|&k| items.get(k)))
            .cloned()
            .collect::<Vec<_>>()
            .join(" → "),
        (_, Response::Choice(i)) => (i + 1).to_string(),
        (_, Response::Order(o)) => o
            .iter()
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

#[cfg(test)]
mod tests;
