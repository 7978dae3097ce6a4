//! Fitting FSRS to one learner and measuring how well it predicts them.
//!
//! A review history becomes FSRS items the way the `fsrs` crate and Anki
//! build them: per card, reviews in time order, the days between reviews
//! counted on the learner's [`DayClock`]; one item for every review on a
//! later day than the one before it, holding the card's history up to it.
//! Items are ordered by the time of their last review, which is what the
//! crate's recency weights assume. `dataset.rs` builds them, in bounded
//! memory: a uniform sample of them when a long history would not fit.
//!
//! [`evaluate`] computes, from its own predictions, the plain log loss
//! (srs-benchmark's measure), the log loss and RMSE(bins) with the crate's
//! recency weights and bins, AUC and a calibration table; the crate's own
//! [`fsrs::FSRS::evaluate`] is run beside it as a check. Those figures
//! are in-sample when the parameters were fitted to the same reviews; the
//! out-of-sample ones, fitted to earlier reviews and tested on later ones,
//! are `splits.rs`'s, and `health.rs` judges them as Anki does.
//! `cutoff.rs` leaves out the cards first reviewed before a date.
//!
//! Pure: histories in, figures out.

use chrono::{DateTime, Utc};
use fsrs::{ComputeParametersInput, FSRSItem, FSRS};
use std::collections::HashMap;

mod cutoff;
mod dataset;
mod health;
mod splits;
pub use cutoff::{first_reviewed_from, Cutoff};
pub use dataset::{Dataset, MAX_BYTES};
pub use health::{health, Health, Verdict, HEALTH_MIN_ITEMS, LOG_LOSS_LIMIT, RMSE_LIMIT};
pub use splits::{out_of_sample, splits, Figures, OutOfSample, Split, SPLITS};

/// One card's reviews, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub card: i64,
    pub reviews: Vec<(DateTime<Utc>, u32)>,
}

/// How well a set of parameters predicts a history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evaluation {
    /// Mean binary cross-entropy of the predicted recall (as srs-benchmark
    /// reports it).
    pub log_loss: f64,
    /// The same with the crate's recency weights (later reviews count up to
    /// four times more), as `fsrs::FSRS::evaluate` reports it.
    pub log_loss_weighted: f64,
    /// Root mean square error over bins of similar reviews.
    pub rmse_bins: f64,
    /// Area under the ROC curve: how well recall is ranked.
    pub auc: f64,
    /// The crate's own figures for the same items.
    pub crate_log_loss: f64,
    pub crate_rmse_bins: f64,
    pub items: usize,
    pub calibration: Vec<Bucket>,
}

/// Predicted recall in a band against the recall seen.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Bucket {
    pub from: f64,
    pub to: f64,
    pub reviews: usize,
    pub predicted: f64,
    pub observed: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum FitError {
    #[error("no review on a later day than the one before it: nothing to evaluate yet")]
    Empty,
    #[error("the FSRS parameters are not valid: {0}")]
    Parameters(String),
    #[error("FSRS: {0}")]
    Fsrs(String),
    #[error("{0} predictions are too few to split by time: at least {1} are needed")]
    TooFewToSplit(usize, usize),
}

/// The forgetting curve with decay `w[20]`.
fn recall(w: &[f32], days: f32, stability: f32) -> f32 {
    crate::types::recall_after(stability, days, w[20])
}

/// One review predicted: the recall predicted, whether it was remembered,
/// and the crate's bin for it (see [`bin`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    pub p: f64,
    pub remembered: bool,
    pub bin: (u32, u32, u32),
}

/// The recall `parameters` predict for the last review of each of
/// `items` (whose cards are `card_ids`), in order. Each card's states are
/// computed once, along its longest item.
pub fn predict(
    parameters: &[f32],
    items: &[FSRSItem],
    card_ids: &[i64],
) -> Result<Vec<Prediction>, FitError> {
    let w = fsrs::check_and_fill_parameters(parameters)
        .map_err(|e| FitError::Parameters(e.to_string()))?;
    let model = FSRS::new(&w).map_err(|e| FitError::Parameters(e.to_string()))?;
    let mut longest: HashMap<i64, &FSRSItem> = HashMap::new();
    for (item, card) in items.iter().zip(card_ids) {
        let entry = longest.entry(*card).or_insert(item);
        if item.reviews.len() > entry.reviews.len() {
            *entry = item;
        }
    }
    let mut states: HashMap<i64, Vec<fsrs::MemoryState>> = HashMap::with_capacity(longest.len());
    for (card, item) in longest {
        let s = model
            .historical_memory_states((*item).clone(), None)
            .map_err(|e| FitError::Fsrs(e.to_string()))?;
        states.insert(card, s);
    }
    Ok(items
        .iter()
        .zip(card_ids)
        .map(|(item, card)| {
            let before = &states[card][item.reviews.len() - 2];
            let current = item.reviews[item.reviews.len() - 1];
            let p = recall(&w, current.delta_t as f32, before.stability);
            Prediction {
                p: f64::from(p),
                remembered: current.rating > 1,
                bin: bin(item),
            }
        })
        .collect())
}

/// The binary cross-entropy of one prediction.
pub fn cross_entropy(p: &Prediction) -> f64 {
    -if p.remembered {
        p.p.ln()
    } else {
        (1.0 - p.p).ln()
    }
}

/// RMSE(bins) of `predictions`, the `i`th counting `weight(i)` in its bin.
pub fn rmse_bins(predictions: &[Prediction], weight: impl Fn(usize) -> f64) -> f64 {
    let mut bins: HashMap<(u32, u32, u32), [f64; 4]> = HashMap::new();
    for (i, p) in predictions.iter().enumerate() {
        let b = bins.entry(p.bin).or_default();
        b[0] += p.p;
        b[1] += f64::from(u8::from(p.remembered));
        b[2] += 1.0;
        b[3] += weight(i);
    }
    (bins
        .values()
        .map(|b| (b[0] / b[2] - b[1] / b[2]).powi(2) * b[3])
        .sum::<f64>()
        / bins.values().map(|b| b[3]).sum::<f64>())
    .sqrt()
}

/// Log loss, RMSE(bins), AUC and calibration of `parameters` on `data`.
pub fn evaluate(parameters: &[f32], data: &Dataset) -> Result<Evaluation, FitError> {
    if data.items.is_empty() {
        return Err(FitError::Empty);
    }
    let predictions = predict(parameters, &data.items, &data.card_ids)?;
    let n = predictions.len();
    let length = (n as f32 - 1.0).max(1.0);
    // The crate's recency weight: later items count up to four times more.
    let weight = |index: usize| f64::from(0.25 + 0.75 * (index as f32 / length).powi(3));
    let (mut loss, mut weight_sum, mut plain) = (0.0f64, 0.0f64, 0.0f64);
    for (index, p) in predictions.iter().enumerate() {
        let cross_entropy = cross_entropy(p);
        plain += cross_entropy;
        loss += weight(index) * cross_entropy;
        weight_sum += weight(index);
    }
    let ranked: Vec<(f64, bool)> = predictions.iter().map(|p| (p.p, p.remembered)).collect();

    let w = fsrs::check_and_fill_parameters(parameters)
        .map_err(|e| FitError::Parameters(e.to_string()))?;
    let model = FSRS::new(&w).map_err(|e| FitError::Parameters(e.to_string()))?;
    let check = model
        .evaluate_with_card_ids(data.items.clone(), data.card_ids.clone(), |_| true)
        .map_err(|e| FitError::Fsrs(e.to_string()))?;
    Ok(Evaluation {
        log_loss: plain / n as f64,
        log_loss_weighted: loss / weight_sum,
        rmse_bins: rmse_bins(&predictions, weight),
        auc: auc(&ranked),
        crate_log_loss: f64::from(check.log_loss),
        crate_rmse_bins: f64::from(check.rmse_bins),
        items: n,
        calibration: calibration(&ranked),
    })
}

/// Whether `new` parameters predict the reviews better than `current` ones,
/// the way Anki decides to keep newly fitted parameters: by the crate's
/// (recency-weighted) log loss, the current ones kept on a tie.
pub fn predicts_better(new: &Evaluation, current: &Evaluation) -> bool {
    new.crate_log_loss < current.crate_log_loss
}

/// The crate's bins: by interval, by number of reviews and by lapses, each
/// on a log scale.
fn bin(item: &FSRSItem) -> (u32, u32, u32) {
    let delta_t = f64::from(item.reviews[item.reviews.len() - 1].delta_t);
    let delta_bin = (2.48 * 3.62f64.powf(delta_t.log(3.62).floor()) * 100.0).round() as u32;
    let long_term = item.reviews.iter().filter(|r| r.delta_t > 0).count() as f64 + 1.0;
    let length_bin = (1.99 * 1.89f64.powf(long_term.log(1.89).floor())).round() as u32;
    let lapses = item.reviews[..item.reviews.len() - 1]
        .iter()
        .filter(|r| r.rating == 1 && r.delta_t > 0)
        .count();
    let lapse_bin = if lapses == 0 {
        0
    } else {
        (1.65 * 1.73f64.powf((lapses as f64).log(1.73).floor())).round() as u32
    };
    (delta_bin, length_bin, lapse_bin)
}

/// The probability that a remembered review is predicted higher than a
/// forgotten one (ties count half), by ranks.
pub fn auc(predictions: &[(f64, bool)]) -> f64 {
    let mut sorted: Vec<(f64, bool)> = predictions.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = sorted.iter().filter(|p| p.1).count() as f64;
    let negatives = sorted.len() as f64 - positives;
    if positives == 0.0 || negatives == 0.0 {
        return f64::NAN;
    }
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let average_rank = (i + j + 1) as f64 / 2.0; // ranks i+1 ..= j
        rank_sum += average_rank * sorted[i..j].iter().filter(|p| p.1).count() as f64;
        i = j;
    }
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}

/// Ten bands of predicted recall; the lower ones are merged until each
/// holds enough reviews to say something.
fn calibration(predictions: &[(f64, bool)]) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = Vec::new();
    for band in 0..10 {
        let (from, to) = (f64::from(band) / 10.0, f64::from(band + 1) / 10.0);
        let inside: Vec<&(f64, bool)> = predictions
            .iter()
            .filter(|(p, _)| *p >= from && (*p < to || band == 9 && *p <= to))
            .collect();
        if inside.is_empty() {
            continue;
        }
        let n = inside.len() as f64;
        out.push(Bucket {
            from,
            to,
            reviews: inside.len(),
            predicted: inside.iter().map(|(p, _)| p).sum::<f64>() / n,
            observed: inside.iter().filter(|(_, y)| *y).count() as f64 / n,
        });
    }
    out
}

/// Fewer items than this and the crate does not train (it only sets the
/// first stabilities).
pub const MIN_ITEMS: usize = 64;

/// FSRS-6 parameters fitted to `data`, reporting progress (done, total).
pub fn optimize(data: &Dataset, progress: impl FnMut(usize, usize)) -> Result<Vec<f32>, FitError> {
    if data.items.is_empty() {
        return Err(FitError::Empty);
    }
    fit(data.items.clone(), data.card_ids.clone(), progress)
}

/// FSRS-6 parameters fitted to `items` (of the cards `card_ids`, in time
/// order), the crate's training in a thread of its own while `progress`
/// hears how far it is every tenth of a second until it ends.
pub fn fit(
    items: Vec<FSRSItem>,
    card_ids: Vec<i64>,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<f32>, FitError> {
    let state = fsrs::CombinedProgressState::new_shared();
    let input = ComputeParametersInput {
        train_set: items,
        card_ids: Some(card_ids),
        progress: Some(state.clone()),
        ..ComputeParametersInput::default()
    };
    let (done, finished) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let result = fsrs::compute_parameters(input);
            let _ = done.send(());
            result
        });
        // Woken as soon as the training ends (or its thread stops).
        let tenth = std::time::Duration::from_millis(100);
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(tenth) {
            let s = state.lock().unwrap_or_else(|e| e.into_inner());
            progress(s.current(), s.total());
        }
        let result = worker
            .join()
            .map_err(|_| FitError::Fsrs("the optimizer stopped unexpectedly".into()))?;
        let s = state.lock().unwrap_or_else(|e| e.into_inner());
        progress(s.total(), s.total());
        result.map_err(|e| FitError::Fsrs(e.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::DayClock;
    use chrono::{Duration, FixedOffset, TimeZone};
    use rand::{rngs::StdRng, Rng, SeedableRng};

    /// Reviews of `cards` cards by a learner whose memory follows FSRS with
    /// parameters `w`, answering at the intervals a scheduler would give.
    pub(crate) fn learner(w: &[f32], cards: usize, seed: u64) -> Vec<History> {
        let model = FSRS::new(w).unwrap();
        let mut rng = StdRng::seed_from_u64(seed);
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
        (0..cards)
            .map(|card| {
                let mut at = start + Duration::hours(rng.random_range(0..24 * 60));
                let mut reviews = vec![(at, rng.random_range(1..=4))];
                let mut state = model.next_states(None, 0.9, 0).unwrap();
                let mut memory = match reviews[0].1 {
                    1 => state.again.memory,
                    2 => state.hard.memory,
                    3 => state.good.memory,
                    _ => state.easy.memory,
                };
                for _ in 0..rng.random_range(3..10) {
                    let days = (memory.stability * rng.random_range(0.5..2.0))
                        .round()
                        .max(1.0) as u32;
                    at += Duration::days(i64::from(days));
                    let p = recall(w, days as f32, memory.stability);
                    let rating = if rng.random::<f32>() < p {
                        rng.random_range(2..=4)
                    } else {
                        1
                    };
                    reviews.push((at, rating));
                    state = model.next_states(Some(memory), 0.9, days).unwrap();
                    memory = match rating {
                        1 => state.again.memory,
                        2 => state.hard.memory,
                        3 => state.good.memory,
                        _ => state.easy.memory,
                    };
                }
                History {
                    card: card as i64,
                    reviews,
                }
            })
            .collect()
    }

    pub(crate) fn clock() -> DayClock {
        DayClock::new(FixedOffset::east_opt(0).unwrap(), 4)
    }

    #[test]
    fn items_follow_the_crate_convention() {
        let t = |d: u32, h: u32| Utc.with_ymd_and_hms(2025, 3, d, h, 0, 0).unwrap();
        let h = History {
            card: 7,
            // Day 1 twice, 03:00 on day 3 still belongs to day 2, then day 5.
            reviews: vec![
                (t(1, 10), 1),
                (t(1, 10) + Duration::minutes(10), 3),
                (t(3, 3), 3),
                (t(5, 9), 1),
            ],
        };
        let data = Dataset::from_histories(&[h], &clock());
        let deltas: Vec<Vec<(u32, u32)>> = data
            .items
            .iter()
            .map(|i| i.reviews.iter().map(|r| (r.rating, r.delta_t)).collect())
            .collect();
        assert_eq!(
            deltas,
            [
                vec![(1, 0), (3, 0), (3, 1)],
                vec![(1, 0), (3, 0), (3, 1), (1, 3)],
            ]
        );
        assert_eq!(data.card_ids, [7, 7]);
        assert_eq!(data.reviews, 4);
    }

    #[test]
    fn our_figures_agree_with_the_crates() {
        let data = Dataset::from_histories(&learner(&fsrs::DEFAULT_PARAMETERS, 300, 1), &clock());
        for w in [fsrs::DEFAULT_PARAMETERS.to_vec(), {
            let mut w = fsrs::DEFAULT_PARAMETERS.to_vec();
            w[0] *= 3.0;
            w[20] = 0.5;
            w
        }] {
            let e = evaluate(&w, &data).unwrap();
            assert!(
                (e.log_loss_weighted - e.crate_log_loss).abs() < 0.002,
                "{e:?}"
            );
            assert!(
                e.log_loss > 0.0 && (e.log_loss - e.log_loss_weighted).abs() < 0.1,
                "{e:?}"
            );
            assert!((e.rmse_bins - e.crate_rmse_bins).abs() < 0.002, "{e:?}");
            assert!(e.auc > 0.5 && e.auc < 1.0, "{e:?}");
            let counted: usize = e.calibration.iter().map(|b| b.reviews).sum();
            assert_eq!(counted, e.items);
        }
    }

    #[test]
    fn auc_counts_ranked_pairs() {
        assert_eq!(auc(&[(0.1, false), (0.9, true)]), 1.0);
        assert_eq!(auc(&[(0.9, false), (0.1, true)]), 0.0);
        assert_eq!(auc(&[(0.5, false), (0.5, true)]), 0.5);
        assert!(
            (auc(&[(0.2, false), (0.4, true), (0.6, false), (0.8, true)]) - 0.75).abs() < 1e-12
        );
    }

    #[test]
    fn nothing_to_evaluate_is_an_error() {
        let one_day = History {
            card: 1,
            reviews: vec![(Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap(), 3)],
        };
        let data = Dataset::from_histories(&[one_day], &clock());
        assert!(matches!(
            evaluate(&fsrs::DEFAULT_PARAMETERS, &data),
            Err(FitError::Empty)
        ));
    }
}
