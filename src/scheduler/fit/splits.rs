//! Out-of-sample figures from time-series splits, cut as the `fsrs`
//! crate's `evaluate_with_time_series_splits` cuts them: the items, in time
//! order, in [`SPLITS`]` + 1` equal parts (the last also takes what is left
//! over); split `i` fits FSRS-6 to parts `0..=i` and predicts part `i + 1`.
//! Every prediction is of a review the parameters it came from never saw,
//! so the figures say how well fitting predicts this learner's next
//! reviews, where figures on the reviews fitted to flatter the fit.
//!
//! The predictions are kioku's own ([`super::predict`]), pooled over the
//! splits into log loss, RMSE(bins) (every review weighing the same) and
//! AUC; the crate's function is run on the same items in a thread beside
//! them, as a check of its log loss and RMSE(bins).
//!
//! Pure: a dataset in, figures out.

use super::{auc, cross_entropy, fit, predict, rmse_bins, Dataset, FitError, Prediction};
use crate::scheduler::DEFAULT_PARAMETERS;
use fsrs::ComputeParametersInput;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;

/// How many times the fit is made, each time on a longer stretch of the
/// history: the crate's number.
pub const SPLITS: usize = 5;

/// One split: fitted to the items before `test_start`, tested on those from
/// `test_start` up to `test_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub test_start: usize,
    pub test_end: usize,
}

/// The [`SPLITS`] splits of `items` items, or none when there are fewer
/// items than parts.
pub fn splits(items: usize) -> Vec<Split> {
    let part = items / (SPLITS + 1);
    if part == 0 {
        return Vec::new();
    }
    (0..SPLITS)
        .map(|i| Split {
            test_start: (i + 1) * part,
            test_end: if i + 1 == SPLITS {
                items
            } else {
                (i + 2) * part
            },
        })
        .collect()
}

/// Log loss, RMSE(bins) and AUC of a set of predictions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Figures {
    pub log_loss: f64,
    pub rmse_bins: f64,
    pub auc: f64,
}

impl Figures {
    fn of(predictions: &[Prediction]) -> Figures {
        let ranked: Vec<(f64, bool)> = predictions.iter().map(|p| (p.p, p.remembered)).collect();
        Figures {
            log_loss: predictions.iter().map(cross_entropy).sum::<f64>() / predictions.len() as f64,
            rmse_bins: rmse_bins(predictions, |_| 1.0),
            auc: auc(&ranked),
        }
    }
}

/// How well fitting predicts reviews it has not seen.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutOfSample {
    pub splits: usize,
    /// Reviews predicted: every item after the first part.
    pub predictions: usize,
    /// Items the first split was fitted to (the fewest any split had).
    pub first_fitted_to: usize,
    /// Each split's parameters, fitted to the reviews before those it predicted.
    pub fitted: Figures,
    /// The default parameters on the same reviews.
    pub default: Figures,
    /// The crate's `evaluate_with_time_series_splits` on the same items.
    pub crate_log_loss: f64,
    pub crate_rmse_bins: f64,
}

/// Out-of-sample figures for `data`, reporting progress (done, total) over
/// the fits, kioku's and the crate's check together.
pub fn out_of_sample(
    data: &Dataset,
    mut progress: impl FnMut(usize, usize),
) -> Result<OutOfSample, FitError> {
    let cuts = splits(data.items.len());
    let Some(first) = cuts.first().copied() else {
        return Err(FitError::TooFewToSplit(data.items.len(), SPLITS + 1));
    };
    // Progress in thousandths: ours first, then the crate's.
    const UNIT: usize = 1000;
    let checked = AtomicUsize::new(0);
    let (done, finished) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let check = scope.spawn(|| {
            let result = crate_check(data, &checked);
            let _ = done.send(());
            result
        });
        let mut predicted = Vec::with_capacity(data.items.len() - first.test_start);
        for (i, split) in cuts.iter().enumerate() {
            let w = fit(
                data.items[..split.test_start].to_vec(),
                data.card_ids[..split.test_start].to_vec(),
                |done, total| {
                    let ours = (i * UNIT + done * UNIT / total.max(1)) / cuts.len();
                    let theirs = checked.load(Ordering::Relaxed) * UNIT / cuts.len();
                    progress(ours + theirs, 2 * UNIT);
                },
            )?;
            let range = split.test_start..split.test_end;
            predicted.extend(predict(
                &w,
                &data.items[range.clone()],
                &data.card_ids[range],
            )?);
        }
        // Woken as soon as the check ends (or its thread stops).
        let tenth = std::time::Duration::from_millis(100);
        while let Err(RecvTimeoutError::Timeout) = finished.recv_timeout(tenth) {
            let theirs = checked.load(Ordering::Relaxed) * UNIT / cuts.len();
            progress(UNIT + theirs, 2 * UNIT);
        }
        let check = check
            .join()
            .map_err(|_| FitError::Fsrs("the crate's check stopped unexpectedly".into()))??;
        progress(2 * UNIT, 2 * UNIT);
        let tested = first.test_start..data.items.len();
        let default = predict(
            &DEFAULT_PARAMETERS,
            &data.items[tested.clone()],
            &data.card_ids[tested],
        )?;
        Ok(OutOfSample {
            splits: cuts.len(),
            predictions: predicted.len(),
            first_fitted_to: first.test_start,
            fitted: Figures::of(&predicted),
            default: Figures::of(&default),
            crate_log_loss: f64::from(check.log_loss),
            crate_rmse_bins: f64::from(check.rmse_bins),
        })
    })
}

/// The crate's own time-series evaluation of `data`, counting the splits
/// it has finished in `finished`.
fn crate_check(data: &Dataset, finished: &AtomicUsize) -> Result<fsrs::ModelEvaluation, FitError> {
    let input = ComputeParametersInput {
        train_set: data.items.clone(),
        card_ids: Some(data.card_ids.clone()),
        ..ComputeParametersInput::default()
    };
    fsrs::evaluate_with_time_series_splits(input, |p| {
        finished.store(p.current, Ordering::Relaxed);
        true
    })
    .map_err(|e| FitError::Fsrs(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{clock, learner};
    use super::*;

    /// The crate's `TimeSeriesSplit::split` is not public; these are the
    /// cuts its source makes.
    #[test]
    fn the_splits_are_the_crates() {
        assert!(splits(5).is_empty());
        let cut = splits(20);
        let ends: Vec<(usize, usize)> = cut.iter().map(|s| (s.test_start, s.test_end)).collect();
        // Parts of 3; the last test part also takes the two left over.
        assert_eq!(ends, [(3, 6), (6, 9), (9, 12), (12, 15), (15, 20)]);
        // Every item after the first part is tested once.
        assert_eq!(
            cut.iter().map(|s| s.test_end - s.test_start).sum::<usize>(),
            17
        );
        assert_eq!(splits(6).len(), SPLITS);
    }

    #[test]
    fn out_of_sample_figures_agree_with_the_crates() {
        let mut truth = fsrs::DEFAULT_PARAMETERS.to_vec();
        truth[0] *= 3.0;
        truth[20] = 0.4;
        let data = Dataset::from_histories(&learner(&truth, 200, 3), &clock());
        let mut reported = Vec::new();
        let o = out_of_sample(&data, |done, total| reported.push((done, total))).unwrap();
        assert!(
            (o.fitted.log_loss - o.crate_log_loss).abs() < 0.002,
            "{o:?}"
        );
        assert!(
            (o.fitted.rmse_bins - o.crate_rmse_bins).abs() < 0.002,
            "{o:?}"
        );
        assert_eq!(o.predictions, data.items.len() - data.items.len() / 6);
        assert!(o.fitted.auc > 0.5 && o.fitted.auc < 1.0, "{o:?}");
        assert!(
            o.default.log_loss > 0.0 && o.default.rmse_bins > 0.0,
            "{o:?}"
        );
        assert_eq!(reported.last(), Some(&(2000, 2000)));
        assert!(
            reported.windows(2).all(|w| w[0].0 <= w[1].0),
            "{reported:?}"
        );
    }

    #[test]
    fn too_few_items_to_split_is_said() {
        let mut data = Dataset::from_histories(&learner(&fsrs::DEFAULT_PARAMETERS, 3, 1), &clock());
        data.items.truncate(SPLITS);
        data.card_ids.truncate(SPLITS);
        assert!(matches!(
            out_of_sample(&data, |_, _| ()),
            Err(FitError::TooFewToSplit(_, 6))
        ));
    }
}
