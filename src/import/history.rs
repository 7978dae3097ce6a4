//! Anki's review log as kioku's: the entries FSRS learns from, each with
//! its rating, time and duration, and the due moment Anki gave it, so that
//! the cards keep both their memory (kioku's replay of the same answers)
//! and their place in the calendar.
//!
//! Anki's FSRS reads a card's log this way, and so does this module:
//! - an entry that is no answer (a manual reschedule, "set due date", a
//!   reset) moves no memory and is left out;
//! - an answer in a filtered deck that did not reschedule the card (cram)
//!   is left out; one that did is a review like any other;
//! - a card reset to new and learnt again starts from its last learning:
//!   the answers before it belong to a memory Anki forgot;
//! - a card that is new now (reset and not studied since) has no history.
//!
//! Pure: the package's values in, kioku's reviews out.

use super::{AnkiReview, Due, Imported, Timing};
use crate::types::{day_of_ms, DayClock, Millis, Rating};
use std::collections::{BTreeMap, HashMap};

/// A review carried over, named by Anki's card id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Carried {
    pub card: i64,
    pub at: Millis,
    pub rating: Rating,
    pub duration_ms: Option<i64>,
    /// The due moment Anki gave the card at this answer (at the last one,
    /// where the card stands now, after any later reschedule).
    pub kept_due: Option<Millis>,
}

/// What became of a package's review log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub reviews: Vec<Carried>,
    /// Anki's ids of the cards that are suspended there.
    pub suspended: Vec<i64>,
    /// Entries left out, by reason.
    pub left_out: BTreeMap<&'static str, usize>,
    /// Cards whose log starts after their first learning (the log was
    /// cleared, or the card came into Anki with a schedule): Anki starts
    /// their memory from its old ease, kioku from the first answer it has.
    pub incomplete: usize,
}

/// The history of the cards in `cards` (Anki's id → whether it was
/// imported), counted in `clock`, the learner's days.
pub fn carry(
    imported: &Imported,
    imported_cards: &HashMap<i64, bool>,
    clock: &DayClock,
) -> History {
    let mut out = History::default();
    let timing = imported.timing.unwrap_or(Timing {
        created_secs: 0,
        creation_west_minutes: None,
        rollover_hour: 4,
    });
    let first_day = creation_day(&timing, clock);
    let cards: HashMap<i64, &super::AnkiCard> = imported.cards.iter().map(|c| (c.id, c)).collect();
    for entries in imported.revlog.chunk_by(|a, b| a.card == b.card) {
        let id = entries[0].card;
        let left = |out: &mut History, why| *out.left_out.entry(why).or_default() += entries.len();
        let Some(card) = cards.get(&id) else {
            left(&mut out, "of cards the package does not hold");
            continue;
        };
        if imported_cards.get(&id) != Some(&true) {
            left(&mut out, "of cards not imported");
            continue;
        }
        if card.queue.due == Due::New {
            left(&mut out, "of cards reset to new in Anki");
            continue;
        }
        let kept = counted(entries, &mut out.left_out);
        if kept.first().is_some_and(|e| e.kind != 0) {
            out.incomplete += 1;
        }
        let last = kept.len().saturating_sub(1);
        for (i, entry) in kept.iter().enumerate() {
            let kept_due = if i == last {
                due_moment(card.queue.due, first_day, clock)
            } else {
                after_interval(entry, clock)
            };
            out.reviews.push(Carried {
                card: id,
                at: Millis(entry.at_ms),
                rating: Rating::from_number(i64::from(entry.ease)).unwrap_or(Rating::Good),
                duration_ms: Some(entry.time_ms.max(0)),
                kept_due,
            });
        }
    }
    out.suspended = imported
        .cards
        .iter()
        .filter(|c| c.queue.suspended && imported_cards.get(&c.id) == Some(&true))
        .map(|c| c.id)
        .collect();
    out
}

/// The answers of one card's log that FSRS learns from, oldest first.
fn counted<'a>(
    entries: &'a [AnkiReview],
    left_out: &mut BTreeMap<&'static str, usize>,
) -> Vec<&'a AnkiReview> {
    // A reset ("Forget") is logged as a manual entry with no rating and no
    // ease; what came before it belongs to a memory Anki forgot.
    let reset = |e: &AnkiReview| e.kind == 4 && e.ease == 0 && e.factor == 0;
    let from = entries.iter().rposition(reset).map_or(0, |i| i + 1);
    let resets = entries[..from].iter().filter(|e| reset(e)).count();
    if from > 0 {
        *left_out.entry("from before a reset").or_default() += from - resets;
        *left_out
            .entry("that were reschedules, not answers")
            .or_default() += resets;
    }
    let mut answers = Vec::with_capacity(entries.len() - from);
    for e in &entries[from..] {
        let why = match (e.kind, e.ease) {
            (_, 0) | (4 | 5, _) => Some("that were reschedules, not answers"),
            (3, _) if e.factor == 0 => Some("of cramming in a filtered deck"),
            _ => None,
        };
        match why {
            Some(why) => *left_out.entry(why).or_default() += 1,
            None => answers.push(e),
        }
    }
    // From the last run of learning answers on: a card learnt anew without
    // a logged reset (older Anki) starts there too.
    let learning = |e: &&AnkiReview| e.kind == 0;
    if let Some(end) = answers.iter().rposition(learning) {
        let start = answers[..end]
            .iter()
            .rposition(|e| !learning(e))
            .map_or(0, |i| i + 1);
        if start > 0 {
            *left_out.entry("from before a reset").or_default() += start;
            answers.drain(..start);
        }
    }
    answers
}

/// The learner's day on which the collection was made: Anki numbers its
/// days from it.
fn creation_day(timing: &Timing, clock: &DayClock) -> i64 {
    let offset_ms = match timing.creation_west_minutes {
        Some(west) => -west * 60_000,
        None => i64::from(clock.offset().local_minus_utc()) * 1000,
    };
    let shift = offset_ms - i64::from(timing.rollover_hour) * 3_600_000;
    day_of_ms(Millis(timing.created_secs.saturating_mul(1000)), shift)
}

/// The moment a card is due, from where it stands in Anki's queues.
fn due_moment(due: Due, first_day: i64, clock: &DayClock) -> Option<Millis> {
    match due {
        Due::New => None,
        Due::Moment(secs) => Some(Millis(secs.saturating_mul(1000))),
        Due::Day(day) => Some(Millis::from(clock.day_start(first_day.saturating_add(day)))),
    }
}

/// The due moment an answer's interval gave: a step of seconds after it,
/// or the start of the day so many days after its day.
fn after_interval(entry: &AnkiReview, clock: &DayClock) -> Option<Millis> {
    let at = Millis(entry.at_ms);
    if entry.interval < 0 {
        return Some(at.saturating_add_ms(entry.interval.saturating_neg().saturating_mul(1000)));
    }
    let day = clock.day(at.to_datetime()?);
    Some(Millis::from(
        clock.day_start(day.saturating_add(entry.interval)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at_ms: i64, kind: u8, ease: u8, factor: i64) -> AnkiReview {
        AnkiReview {
            at_ms,
            card: 1,
            ease,
            kind,
            interval: 1,
            factor,
            time_ms: 5000,
        }
    }

    #[test]
    fn reschedules_cramming_and_what_came_before_a_reset_are_left_out() {
        let log = [
            entry(1, 0, 3, 0),
            entry(2, 1, 3, 2500),
            entry(3, 3, 1, 0),    // cram: no schedule moved
            entry(4, 3, 3, 2500), // a filtered deck that rescheduled
            entry(5, 4, 0, 0),    // a reset
            entry(6, 0, 1, 0),
            entry(7, 0, 3, 0),
            entry(8, 5, 0, 2500), // set due date
            entry(9, 2, 3, 2500),
        ];
        let mut left = BTreeMap::new();
        let kept: Vec<i64> = counted(&log, &mut left).iter().map(|e| e.at_ms).collect();
        assert_eq!(kept, [6, 7, 9]);
        assert_eq!(left["that were reschedules, not answers"], 2);
        assert!(!left.contains_key("of cramming in a filtered deck"));
        assert_eq!(left["from before a reset"], 4);
        // Without a reset, everything that is an answer counts.
        let mut left = BTreeMap::new();
        let kept = counted(&log[..4], &mut left);
        assert_eq!(kept.len(), 3);
        assert_eq!(left["of cramming in a filtered deck"], 1);
        assert!(!left.contains_key("from before a reset"));
        // A reset, a due date set by hand, then reviews without learning:
        // the history starts after the reset all the same.
        let log = [
            entry(1, 0, 3, 0),
            entry(2, 1, 3, 2500),
            entry(3, 4, 0, 0),
            entry(4, 4, 0, 695),
            entry(5, 1, 3, 2500),
        ];
        let mut left = BTreeMap::new();
        let kept: Vec<i64> = counted(&log, &mut left).iter().map(|e| e.at_ms).collect();
        assert_eq!(kept, [5]);
        assert_eq!(left["from before a reset"], 2);
    }

    #[test]
    fn anki_days_are_counted_from_the_collection_s_creation_day() {
        let clock = DayClock::new(chrono::FixedOffset::east_opt(0).unwrap(), 4);
        // Made at 2025-01-01 10:00 UTC; Anki's day 0 is that day.
        let timing = Timing {
            created_secs: 1_735_725_600,
            creation_west_minutes: Some(0),
            rollover_hour: 4,
        };
        let first = creation_day(&timing, &clock);
        let due = due_moment(Due::Day(31), first, &clock).unwrap();
        assert_eq!(
            due.to_datetime().unwrap().to_rfc3339(),
            "2025-02-01T04:00:00+00:00"
        );
        // Made before the rollover, it belongs to the day before.
        let early = Timing {
            created_secs: 1_735_725_600 - 8 * 3600,
            ..timing
        };
        assert_eq!(creation_day(&early, &clock), first - 1);
        let step = due_moment(Due::Moment(1_735_726_200), first, &clock).unwrap();
        assert_eq!(step, Millis(1_735_726_200_000));
    }
}
