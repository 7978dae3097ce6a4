//! Whether FSRS can predict a learner, judged the way Anki's health check
//! judges it (Anki's `compute_params`, rslib/src/scheduler/fsrs/params.rs,
//! read in its August 2026 source): the out-of-sample log loss and
//! RMSE(bins) are each divided by what Anki's authors found typical for a
//! learner with the same recall (and, for RMSE, the same number of
//! reviews), and the fit is poor only when both ratios are above Anki's
//! limits. Anki judges only more than [`HEALTH_MIN_ITEMS`] reviews.
//!
//! Pure: figures in, a verdict out.

use super::{Dataset, OutOfSample};

/// Anki checks the health of a fit only above this many predicted reviews.
pub const HEALTH_MIN_ITEMS: usize = 300;
/// Out-of-sample log loss up to this many times the typical one is healthy.
pub const LOG_LOSS_LIMIT: f64 = 1.11;
/// Out-of-sample RMSE(bins) up to this many times the typical one is healthy.
pub const RMSE_LIMIT: f64 = 1.53;

/// The log loss typical of a learner who remembers a share `recall` of
/// their reviews (Anki's fitted curve).
pub fn typical_log_loss(recall: f64) -> f64 {
    0.623 * (4.0 * recall * (1.0 - recall)).powf(0.738)
}

/// The RMSE(bins) typical of a learner with that recall and `items`
/// predicted reviews (Anki's fitted curve).
pub fn typical_rmse_bins(recall: f64, items: usize) -> f64 {
    let thousands = items as f64 / 1000.0;
    0.0135 / (recall.powf(0.504) - 1.14) + 0.176 / (thousands.powf(0.825) + 2.22) + 0.101
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// FSRS predicts this learner about as well as it predicts most.
    Good,
    /// Both figures are well above the typical ones.
    Poor,
    /// Too few reviews for Anki's check.
    TooFewReviews,
}

/// The verdict and what it was drawn from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Health {
    pub verdict: Verdict,
    /// Reviews predicted: every review on a later day than the one before.
    pub items: usize,
    /// The share of them remembered.
    pub recall: f64,
    pub typical_log_loss: f64,
    pub typical_rmse_bins: f64,
    /// Out-of-sample log loss over the typical one.
    pub log_loss_ratio: f64,
    /// Out-of-sample RMSE(bins) over the typical one.
    pub rmse_ratio: f64,
    /// The share of those reviews answered Hard.
    pub hard: f64,
}

/// How healthy the fit to `data` is, from its out-of-sample figures.
pub fn health(data: &Dataset, out: &OutOfSample) -> Health {
    let items = data.items.len();
    let last = |item: &fsrs::FSRSItem| item.reviews.last().map_or(0, |r| r.rating);
    let share = |keep: &dyn Fn(u32) -> bool| {
        data.items.iter().filter(|i| keep(last(i))).count() as f64 / items.max(1) as f64
    };
    let recall = share(&|rating| rating > 1);
    let (typical_log_loss, typical_rmse_bins) =
        (typical_log_loss(recall), typical_rmse_bins(recall, items));
    let log_loss_ratio = out.fitted.log_loss / typical_log_loss;
    let rmse_ratio = out.fitted.rmse_bins / typical_rmse_bins;
    let verdict = if items <= HEALTH_MIN_ITEMS {
        Verdict::TooFewReviews
    } else if log_loss_ratio <= LOG_LOSS_LIMIT || rmse_ratio <= RMSE_LIMIT {
        Verdict::Good
    } else {
        Verdict::Poor
    };
    Health {
        verdict,
        items,
        recall,
        typical_log_loss,
        typical_rmse_bins,
        log_loss_ratio,
        rmse_ratio,
        hard: share(&|rating| rating == 2),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Figures;
    use super::*;
    use fsrs::{FSRSItem, FSRSReview};

    /// `n` items whose last review is `ratings[i % len]`.
    fn data(n: usize, ratings: &[u32]) -> Dataset {
        let items = (0..n)
            .map(|i| FSRSItem {
                reviews: vec![
                    FSRSReview {
                        rating: 3,
                        delta_t: 0,
                    },
                    FSRSReview {
                        rating: ratings[i % ratings.len()],
                        delta_t: 3,
                    },
                ],
            })
            .collect();
        Dataset {
            items,
            card_ids: (0..n as i64).collect(),
            reviews: 2 * n,
            cards: n,
            predictions: n,
        }
    }

    fn out(log_loss: f64, rmse_bins: f64) -> OutOfSample {
        let figures = Figures {
            log_loss,
            rmse_bins,
            auc: 0.7,
        };
        OutOfSample {
            splits: 5,
            predictions: 0,
            first_fitted_to: 0,
            fitted: figures.clone(),
            default: figures,
            crate_log_loss: log_loss,
            crate_rmse_bins: rmse_bins,
        }
    }

    #[test]
    fn the_typical_figures_are_anki_curves() {
        // At 90% recall: 0.623 × 0.36^0.738.
        assert!((typical_log_loss(0.9) - 0.2931).abs() < 1e-3);
        // At 90% recall and 5,000 reviews.
        let expected =
            0.0135 / (0.9f64.powf(0.504) - 1.14) + 0.176 / (5f64.powf(0.825) + 2.22) + 0.101;
        assert!((typical_rmse_bins(0.9, 5000) - expected).abs() < 1e-12);
        assert!(typical_rmse_bins(0.9, 5000) > 0.0);
    }

    #[test]
    fn poor_needs_both_figures_above_their_limits() {
        // Nine in ten remembered, one in ten of them Hard.
        let d = data(1000, &[3, 3, 3, 3, 3, 3, 3, 3, 2, 1]);
        let (ll, rmse) = (typical_log_loss(0.9), typical_rmse_bins(0.9, 1000));
        let h = health(&d, &out(ll, rmse));
        assert_eq!(h.verdict, Verdict::Good);
        assert!((h.recall - 0.9).abs() < 1e-12 && (h.hard - 0.1).abs() < 1e-12);
        assert!((h.log_loss_ratio - 1.0).abs() < 1e-9);
        let bad = |x: f64| x * 1.6;
        assert_eq!(health(&d, &out(bad(ll), rmse)).verdict, Verdict::Good);
        assert_eq!(health(&d, &out(ll, bad(rmse))).verdict, Verdict::Good);
        assert_eq!(health(&d, &out(bad(ll), bad(rmse))).verdict, Verdict::Poor);
        let few = data(HEALTH_MIN_ITEMS, &[3, 1]);
        assert_eq!(
            health(&few, &out(bad(ll), bad(rmse))).verdict,
            Verdict::TooFewReviews
        );
    }
}
