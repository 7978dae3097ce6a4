//! The card side of the statistics, tallied one card at a time: the phases,
//! the forecast, mastery by deck and tag, and the weakest cards.
//!
//! The store hands each card to [`CardTally::add`] as it reads it, so that
//! `stats` holds the totals and ten candidate cards, never the collection:
//! its memory is the same at a thousand cards and at a million.

use super::{prediction, recall, Mastery, Phases, StatsInput, WeakCard, WEAKEST};
use crate::types::{is_leech, CardRowId, CardState, DayClock, Phase, Weakness};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

/// A card and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    pub card: CardRowId,
    pub deck: String,
    pub key: String,
    pub tags: Vec<String>,
    pub state: Option<CardState>,
    pub suspended: bool,
}

/// A card's last review before the period began and the stability it left:
/// what its recall was at the period's start.
pub type AtStart = Option<(DateTime<Utc>, f32)>;

/// The figures of the cards seen so far.
pub struct CardTally {
    now: DateTime<Utc>,
    clock: DayClock,
    today: i64,
    period_start: DateTime<Utc>,
    leech_threshold: u32,
    decay: f32,
    forecast: Vec<u64>,
    phases: Phases,
    by_deck: BTreeMap<String, MasteryAcc>,
    by_tag: BTreeMap<String, MasteryAcc>,
    weak: Weakest,
}

impl CardTally {
    /// An empty tally for the period and settings of `input`.
    pub fn new(input: &StatsInput<'_>) -> CardTally {
        CardTally {
            now: input.now,
            clock: input.clock,
            today: input.clock.day(input.now),
            period_start: super::period_start(&input.clock, input.now, input.days),
            leech_threshold: input.leech_threshold,
            decay: input.decay,
            forecast: vec![0; 30],
            phases: Phases::default(),
            by_deck: BTreeMap::new(),
            by_tag: BTreeMap::new(),
            weak: Weakest::default(),
        }
    }

    /// The tally of `cards`, each with its start from `starts`.
    pub fn of(
        input: &StatsInput<'_>,
        cards: &[CardRow],
        starts: &HashMap<CardRowId, (DateTime<Utc>, f32)>,
    ) -> CardTally {
        let mut tally = CardTally::new(input);
        for c in cards {
            tally.add(c, starts.get(&c.card).copied());
        }
        tally
    }

    /// The moment the period begins: each card's memory then is asked for.
    pub fn period_start(&self) -> DateTime<Utc> {
        self.period_start
    }

    /// Counts one card.
    pub fn add(&mut self, c: &CardRow, at_start: AtStart) {
        self.phase_and_forecast(c);
        let recall_now = c
            .state
            .as_ref()
            .and_then(|s| prediction(s, self.now, self.decay));
        let now_r = recall_now.unwrap_or(0.0);
        let start_r = at_start.map_or(0.0, |(at, stability)| {
            recall(stability, self.period_start - at, self.decay)
        });
        match self.by_deck.get_mut(&c.deck) {
            Some(acc) => acc.add(now_r, start_r),
            None => {
                let mut acc = MasteryAcc::default();
                acc.add(now_r, start_r);
                self.by_deck.insert(c.deck.clone(), acc);
            }
        }
        for t in &c.tags {
            self.by_tag
                .entry(t.clone())
                .or_default()
                .add(now_r, start_r);
        }
        if let Some(s) = &c.state {
            let weakness = Weakness {
                recall: recall_now,
                lapses: s.lapses,
            };
            self.weak.offer(weakness, c, s);
        }
    }

    /// The card's phase, and its due day when it has one (suspended
    /// cards are not due).
    fn phase_and_forecast(&mut self, c: &CardRow) {
        let phases = &mut self.phases;
        if c.suspended {
            phases.suspended += 1;
        }
        let Some(s) = c.state else {
            phases.new += 1;
            return;
        };
        match s.phase {
            Phase::New => phases.new += 1,
            Phase::Learning => phases.learning += 1,
            Phase::Review => phases.review += 1,
            Phase::Relearning => phases.relearning += 1,
        }
        if is_leech(s.lapses, self.leech_threshold) {
            phases.leeches += 1;
        }
        if !c.suspended {
            let at = (self.clock.day(s.due) - self.today).max(0);
            if let Some(slot) = self.forecast.get_mut(at as usize) {
                *slot += 1;
            }
        }
    }

    /// The figures: forecast, phases, mastery by deck and by tag, and the
    /// weakest cards.
    pub(super) fn finish(self) -> Tallied {
        let mastery = |m: BTreeMap<String, MasteryAcc>| -> Vec<Mastery> {
            m.into_iter()
                .map(|(name, a)| Mastery {
                    name,
                    cards: a.cards,
                    now: a.now / a.cards as f64,
                    start: a.start / a.cards as f64,
                })
                .collect()
        };
        Tallied {
            forecast: self.forecast,
            phases: self.phases,
            mastery_by_deck: mastery(self.by_deck),
            mastery_by_tag: mastery(self.by_tag),
            weakest: self.weak.finish(),
        }
    }
}

/// What the tally of the cards gives the statistics.
pub(super) struct Tallied {
    pub forecast: Vec<u64>,
    pub phases: Phases,
    pub mastery_by_deck: Vec<Mastery>,
    pub mastery_by_tag: Vec<Mastery>,
    pub weakest: Vec<WeakCard>,
}

#[derive(Default)]
struct MasteryAcc {
    cards: u64,
    now: f64,
    start: f64,
}

impl MasteryAcc {
    fn add(&mut self, now: f64, start: f64) {
        self.cards += 1;
        self.now += now;
        self.start += start;
    }
}

/// The weakest cards so far, in the one order a weak quiz also draws them
/// (`Weakness::weakest_first`), then by key and deck so that the list is
/// stable. At most twice [`WEAKEST`] are held; a card that cannot enter the
/// list is passed over without copying its names.
#[derive(Default)]
struct Weakest {
    held: Vec<Candidate>,
    /// The last of the list after the latest cut: a card not ahead of it
    /// can never be among the weakest.
    bar: Option<Candidate>,
}

struct Candidate {
    weakness: Weakness,
    deck: String,
    key: String,
    reviews: u64,
}

impl Candidate {
    fn order(&self, other: &Candidate) -> Ordering {
        order(&self.weakness, &self.key, &self.deck, other)
    }
}

fn order(weakness: &Weakness, key: &str, deck: &str, other: &Candidate) -> Ordering {
    weakness
        .weakest_first(&other.weakness)
        .then_with(|| key.cmp(&other.key))
        .then_with(|| deck.cmp(&other.deck))
}

impl Weakest {
    fn offer(&mut self, weakness: Weakness, c: &CardRow, s: &CardState) {
        if let Some(bar) = &self.bar {
            if order(&weakness, &c.key, &c.deck, bar) != Ordering::Less {
                return;
            }
        }
        self.held.push(Candidate {
            weakness,
            deck: c.deck.clone(),
            key: c.key.clone(),
            // Every review counts once in `reps`: the state is the replay
            // of the card's log.
            reviews: u64::from(s.reps),
        });
        if self.held.len() == 2 * WEAKEST {
            self.cut();
        }
    }

    /// Keeps the weakest [`WEAKEST`], in order.
    fn cut(&mut self) {
        self.held.sort_by(Candidate::order);
        self.held.truncate(WEAKEST);
        if self.held.len() == WEAKEST {
            let last = &self.held[WEAKEST - 1];
            self.bar = Some(Candidate {
                weakness: last.weakness,
                deck: last.deck.clone(),
                key: last.key.clone(),
                reviews: last.reviews,
            });
        }
    }

    fn finish(mut self) -> Vec<WeakCard> {
        self.cut();
        self.held
            .into_iter()
            .map(|c| WeakCard {
                deck: c.deck,
                card: c.key,
                lapses: c.weakness.lapses,
                recall: c.weakness.recall.unwrap_or(0.0),
                reviews: c.reviews,
            })
            .collect()
    }
}
