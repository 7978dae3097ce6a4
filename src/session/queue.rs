//! The order a session asks its cards in: reviews most overdue day first
//! (shuffled within a day) with new cards spread evenly among them,
//! learning cards as they come due (or a little early when nothing else is
//! left), and the seeded display order of a card's options. It decides
//! order only: it never saves, grades or reads a clock.

use super::types::Counts;
use crate::deck::CardKind;
use crate::store::{QueueCard, StudyQueue};
use crate::types::{CardRowId, DayClock, Phase};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::collections::VecDeque;

/// How far ahead a learning card may be shown when nothing else is left.
const LEARN_AHEAD: Duration = Duration::minutes(20);

/// The cards a session has still to ask.
pub(super) struct Queue {
    /// Reviews and new cards, in the order they are asked.
    main: VecDeque<QueueCard>,
    /// Learning cards coming back later today, taken earliest due first.
    learning: Vec<QueueCard>,
}

impl Queue {
    /// Today's study queue in the order it is asked, and what it holds.
    pub(super) fn study(queue: StudyQueue, clock: &DayClock, seed: u64) -> (Self, Counts) {
        let mut rng = StdRng::seed_from_u64(seed);
        // Reviews: most overdue day first, shuffled within a day.
        let due_day = |c: &QueueCard| c.state.map(|s| clock.day(s.due));
        let mut reviews = queue.reviews;
        reviews.sort_by_key(due_day);
        for group in reviews.chunk_by_mut(|a, b| due_day(a) == due_day(b)) {
            group.shuffle(&mut rng);
        }
        let counts = Counts {
            new: queue.new.len(),
            learning: queue.learning.len(),
            review: reviews.len(),
        };
        let main = interleave(reviews, queue.new);
        let learning = queue.learning;
        (Queue { main, learning }, counts)
    }

    /// Quiz cards, asked in the order given, and what they hold.
    pub(super) fn quiz(cards: Vec<QueueCard>) -> (Self, Counts) {
        let mut counts = Counts::default();
        for c in &cards {
            counts.add(phase(c));
        }
        let queue = Queue {
            main: cards.into(),
            learning: Vec::new(),
        };
        (queue, counts)
    }

    /// The card to ask next: a learning card that is due, else the next
    /// review or new card, else a learning card due within [`LEARN_AHEAD`].
    pub(super) fn take_next(&mut self, now: DateTime<Utc>) -> Option<QueueCard> {
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

    /// Cards left to ask.
    pub(super) fn left(&self) -> Counts {
        let mut c = Counts {
            learning: self.learning.len(),
            ..Counts::default()
        };
        for item in &self.main {
            c.add(phase(item));
        }
        c
    }

    /// Learning cards still waiting to come back.
    pub(super) fn learning_left(&self) -> usize {
        self.learning.len()
    }

    /// A card that comes back later today, in learning.
    pub(super) fn come_back(&mut self, item: QueueCard) {
        self.learning.push(item);
    }

    /// A card to ask again before anything else in the main queue.
    pub(super) fn put_first(&mut self, item: QueueCard) {
        self.main.push_front(item);
    }

    /// Takes a card out of the learning cards waiting to come back.
    pub(super) fn drop_learning(&mut self, row: CardRowId) {
        self.learning.retain(|c| c.row != row);
    }

    /// Takes a card out of the queue altogether.
    pub(super) fn drop_card(&mut self, row: CardRowId) {
        self.drop_learning(row);
        self.main.retain(|c| c.row != row);
    }
}

/// A queued card's phase; a card never reviewed is new.
pub(super) fn phase(c: &QueueCard) -> Phase {
    c.state.map_or(Phase::New, |s| s.phase)
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

/// The order a choice card's options or an order card's items are shown
/// in (displayed position → the card's own index), seeded by the session,
/// the card and its review count so that each showing is reproducible.
pub(super) fn display_order(seed: u64, item: &QueueCard) -> Vec<usize> {
    let n = match &item.card.kind {
        CardKind::Choice { wrong, .. } => wrong.len() + 1,
        CardKind::Order { items, .. } => items.len(),
        _ => return Vec::new(),
    };
    let mut rng =
        StdRng::seed_from_u64(seed ^ item.seed ^ u64::from(item.state.map_or(0, |s| s.reps)));
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut rng);
    if matches!(item.card.kind, CardKind::Order { .. }) && order.windows(2).all(|w| w[0] < w[1]) {
        // Never show an order card already in order.
        order.rotate_left(1);
    }
    order
}
