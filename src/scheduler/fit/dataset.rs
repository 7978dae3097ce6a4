//! Review histories as FSRS items, in bounded memory.
//!
//! An item is one prediction: a review on a later day than the card's
//! previous one, carrying the card's whole history up to it, because that is
//! what the `fsrs` crate trains and evaluates on. A card reviewed `n` times
//! therefore costs about `n²/2` review entries, and a long history (a
//! hundred reviews a card over ten years) would cost gigabytes. So the
//! bytes are counted first, and when they come to more than a bound each
//! item is kept with the same probability, decided by a hash of its card
//! and its place in the card's history: a uniform sample of the predictions,
//! the same every time for the same log, fitted and measured like the whole.
//! Below the bound every item is kept and nothing changes.
//!
//! Pure: histories in, items out.

use super::History;
use crate::scheduler::DayClock;
use fsrs::{FSRSItem, FSRSReview};

/// The most memory the items may take together, in bytes: with the copies
/// the crate makes while it trains and checks, this keeps `evaluate` and
/// `optimize` well under a gigabyte, and it is a quarter of a million
/// predictions or more even for the longest histories, plenty to fit 21
/// parameters.
pub const MAX_BYTES: usize = 32 << 20;

/// What one review in an item costs: its rating and its gap in days.
const REVIEW_BYTES: usize = 8;
/// What an item costs besides its reviews: its vector, the allocation's
/// own overhead, and its card id.
const ITEM_BYTES: usize = 48;

/// FSRS items, with the card each came from, in time order.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub items: Vec<FSRSItem>,
    pub card_ids: Vec<i64>,
    /// Reviews read, including each card's first and same-day ones.
    pub reviews: usize,
    pub cards: usize,
    /// Predictions in the histories, kept or not: more than `items.len()`
    /// only when the histories were sampled.
    pub predictions: usize,
}

impl Dataset {
    /// Every item of `histories`, sampled if they would take more than
    /// [`MAX_BYTES`].
    pub fn from_histories(histories: &[History], clock: &DayClock) -> Dataset {
        Dataset::bounded(histories, clock, MAX_BYTES)
    }

    /// The items of `histories`, a uniform sample of them when they would
    /// take more than `max_bytes`.
    pub fn bounded(histories: &[History], clock: &DayClock, max_bytes: usize) -> Dataset {
        let (predictions, bytes) = count(histories, clock);
        // Each item kept with probability `max_bytes / bytes`, as a
        // fraction of the hash's range.
        let threshold = if bytes <= max_bytes {
            u64::MAX
        } else {
            (max_bytes as f64 / bytes as f64 * u64::MAX as f64) as u64
        };
        let mut keyed: Vec<(i64, i64, FSRSItem)> = Vec::new();
        let mut reviews = 0;
        for h in histories {
            reviews += h.reviews.len();
            let mut sequence: Vec<FSRSReview> = Vec::with_capacity(h.reviews.len());
            each_item(h, clock, |at, review, predicts| {
                sequence.push(review);
                if predicts && place_hash(h.card, sequence.len()) <= threshold {
                    keyed.push((
                        at,
                        h.card,
                        FSRSItem {
                            reviews: sequence.clone(),
                        },
                    ));
                }
            });
        }
        keyed.sort_by_key(|(at, card, _)| (*at, *card));
        let (mut items, mut card_ids) = (
            Vec::with_capacity(keyed.len()),
            Vec::with_capacity(keyed.len()),
        );
        for (_, card, item) in keyed {
            items.push(item);
            card_ids.push(card);
        }
        Dataset {
            items,
            card_ids,
            reviews,
            cards: histories.len(),
            predictions,
        }
    }

    /// Whether only a sample of the predictions is held.
    pub fn is_sampled(&self) -> bool {
        self.items.len() < self.predictions
    }
}

/// Calls `f` with each review of `h` as FSRS counts it (its time in
/// milliseconds, its rating and the days since the previous review) and
/// whether it makes an item: a review on a later day than the one before.
fn each_item(h: &History, clock: &DayClock, mut f: impl FnMut(i64, FSRSReview, bool)) {
    let mut last_day = None;
    for (i, &(at, rating)) in h.reviews.iter().enumerate() {
        let day = clock.day(at);
        let delta_t = last_day.map_or(0, |d: i64| (day - d).max(0) as u32);
        last_day = Some(day);
        f(
            at.timestamp_millis(),
            FSRSReview { rating, delta_t },
            i > 0 && delta_t > 0,
        );
    }
}

/// The predictions in `histories` and the bytes their items would take.
fn count(histories: &[History], clock: &DayClock) -> (usize, usize) {
    let (mut predictions, mut bytes) = (0, 0);
    for h in histories {
        let mut length = 0;
        each_item(h, clock, |_, _, predicts| {
            length += 1;
            if predicts {
                predictions += 1;
                bytes += ITEM_BYTES + length * REVIEW_BYTES;
            }
        });
    }
    (predictions, bytes)
}

/// A well-mixed hash of a card and a place in its history (splitmix64's
/// finaliser), so that which items a sample keeps depends on nothing else.
fn place_hash(card: i64, place: usize) -> u64 {
    let mut z = (card as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(place as u64)
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{clock, learner};
    use super::super::{evaluate, out_of_sample};
    use super::*;

    fn bytes(data: &Dataset) -> usize {
        data.items
            .iter()
            .map(|i| ITEM_BYTES + i.reviews.len() * REVIEW_BYTES)
            .sum()
    }

    #[test]
    fn under_the_bound_every_item_is_kept() {
        let histories = learner(&fsrs::DEFAULT_PARAMETERS, 50, 4);
        let all = Dataset::from_histories(&histories, &clock());
        assert!(!all.is_sampled());
        assert_eq!(all.items.len(), all.predictions);
        let exact = Dataset::bounded(&histories, &clock(), bytes(&all));
        assert_eq!(exact.items, all.items);
        assert_eq!(exact.card_ids, all.card_ids);
    }

    #[test]
    fn over_the_bound_a_stable_sample_is_kept_within_it() {
        let histories = learner(&fsrs::DEFAULT_PARAMETERS, 400, 5);
        let all = Dataset::from_histories(&histories, &clock());
        let bound = bytes(&all) / 4;
        let sample = Dataset::bounded(&histories, &clock(), bound);
        assert!(sample.is_sampled());
        assert_eq!(sample.predictions, all.items.len());
        assert_eq!((sample.reviews, sample.cards), (all.reviews, all.cards));
        // About a quarter of the bytes, and never far over the bound.
        let kept = bytes(&sample);
        assert!(
            kept > bound * 3 / 4 && kept < bound * 5 / 4,
            "{kept} of {bound}"
        );
        // Every kept item is one of the whole set's, in the same time order.
        let mut whole = all.items.iter().zip(&all.card_ids);
        for (item, card) in sample.items.iter().zip(&sample.card_ids) {
            assert!(whole.any(|(i, c)| i == item && c == card));
        }
        // The same sample every time.
        let again = Dataset::bounded(&histories, &clock(), bound);
        assert_eq!(again.items, sample.items);
    }

    /// A sample predicts like the whole: the figures of a quarter of the
    /// items are close to those of all of them.
    #[test]
    fn a_sample_measures_like_the_whole() {
        let mut truth = fsrs::DEFAULT_PARAMETERS.to_vec();
        truth[0] *= 2.0;
        let histories = learner(&truth, 1500, 6);
        let all = Dataset::from_histories(&histories, &clock());
        let sample = Dataset::bounded(&histories, &clock(), bytes(&all) / 4);
        let (a, s) = (
            evaluate(&truth, &all).unwrap(),
            evaluate(&truth, &sample).unwrap(),
        );
        assert!((a.log_loss - s.log_loss).abs() < 0.02, "{a:?} {s:?}");
        let (a, s) = (
            out_of_sample(&all, |_, _| ()).unwrap(),
            out_of_sample(&sample, |_, _| ()).unwrap(),
        );
        assert!(
            (a.fitted.log_loss - s.fitted.log_loss).abs() < 0.02,
            "{a:?} {s:?}"
        );
    }
}
