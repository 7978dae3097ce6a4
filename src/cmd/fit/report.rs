//! The text `kioku evaluate` and `kioku optimize` print: the tables of
//! figures, the calibration bars, the health verdict with its advice, and
//! which parameters `optimize` kept and why. Plain lines for a terminal or
//! a pipe; the JSON is the commands' own.

use crate::human::thousands;
use crate::scheduler::fit::{
    Evaluation, FitError, Health, OutOfSample, Verdict, HEALTH_MIN_ITEMS, LOG_LOSS_LIMIT,
    RMSE_LIMIT,
};
use std::io::{self, Write};

pub fn header(out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{:<22} {:>9} {:>9} {:>11} {:>7}",
        "parameters", "log loss", "weighted", "RMSE(bins)", "AUC"
    )
}

pub fn figures(out: &mut impl Write, name: &str, e: &Evaluation) -> io::Result<()> {
    writeln!(
        out,
        "{name:<22} {:>9.4} {:>9.4} {:>11.4} {:>7.4}",
        e.log_loss, e.log_loss_weighted, e.rmse_bins, e.auc
    )
}

/// The out-of-sample table, or why there is none.
pub fn out_of_sample(
    out: &mut impl Write,
    measured: &Result<OutOfSample, FitError>,
) -> io::Result<()> {
    let o = match measured {
        Ok(o) => o,
        Err(e) => return writeln!(out, "Out of sample: not measured: {e}.\n"),
    };
    writeln!(
        out,
        "Out of sample: FSRS-6 fitted {} times, each time to the reviews before those it predicts\n\
         ({} predictions; the first fit saw {} reviews, the last all but the final sixth)",
        o.splits,
        thousands(o.predictions),
        thousands(o.first_fitted_to)
    )?;
    writeln!(
        out,
        "{:<22} {:>9} {:>11} {:>7}",
        "parameters", "log loss", "RMSE(bins)", "AUC"
    )?;
    for (name, f) in [
        ("fitted to earlier", &o.fitted),
        ("default FSRS-6", &o.default),
    ] {
        writeln!(
            out,
            "{name:<22} {:>9.4} {:>11.4} {:>7.4}",
            f.log_loss, f.rmse_bins, f.auc
        )?;
    }
    writeln!(
        out,
        "The fsrs crate's own time-series evaluation of the same reviews gives {:.4} / {:.4}\n\
         (log loss / RMSE(bins)).\n",
        o.crate_log_loss, o.crate_rmse_bins
    )
}

pub fn calibration(out: &mut impl Write, e: &Evaluation) -> io::Result<()> {
    const WIDTH: usize = 40;
    writeln!(
        out,
        "{:<9} {:>9} {:>8} {:>8}  0%{:>w$}",
        "predicted",
        "reviews",
        "mean",
        "seen",
        "100%",
        w = WIDTH - 1
    )?;
    for b in &e.calibration {
        let seen = (b.observed * WIDTH as f64).round() as usize;
        let predicted = ((b.predicted * WIDTH as f64).round() as usize).min(WIDTH - 1);
        let mut bar: Vec<char> = (0..WIDTH)
            .map(|i| if i < seen { '█' } else { ' ' })
            .collect();
        bar[predicted] = '|';
        writeln!(
            out,
            "{:>3.0}–{:<3.0}%  {:>9} {:>7.1}% {:>7.1}%  {}",
            b.from * 100.0,
            b.to * 100.0,
            thousands(b.reviews),
            b.predicted * 100.0,
            b.observed * 100.0,
            bar.into_iter().collect::<String>()
        )?;
    }
    writeln!(
        out,
        "(█ recall seen, | recall predicted: close together is well calibrated)"
    )
}

/// Fewer predictions than this and "more reviews" is the first advice.
const FEW_FOR_ADVICE: usize = 3000;

/// The health verdict in one line, and advice when the fit is poor.
pub fn health(out: &mut impl Write, health: Option<&Health>) -> io::Result<()> {
    let Some(h) = health else {
        return writeln!(
            out,
            "Health: not judged: it needs the out-of-sample figures."
        );
    };
    let figures = format!(
        "out-of-sample log loss {:.2}× and RMSE(bins) {:.2}× what is typical at your {:.0}% recall \
         (Anki's check calls a fit poor past {LOG_LOSS_LIMIT}× and {RMSE_LIMIT}× both)",
        h.log_loss_ratio,
        h.rmse_ratio,
        h.recall * 100.0
    );
    match h.verdict {
        Verdict::TooFewReviews => writeln!(
            out,
            "Health: not judged: {} predictions, and Anki's check needs more than {HEALTH_MIN_ITEMS}.",
            thousands(h.items)
        ),
        Verdict::Good => writeln!(out, "Health: good: {figures}."),
        Verdict::Poor => {
            writeln!(
                out,
                "Health: poor: FSRS finds your memory hard to predict: {figures}."
            )?;
            advice(out, h)
        }
    }
}

fn advice(out: &mut impl Write, h: &Health) -> io::Result<()> {
    writeln!(out, "What usually helps:")?;
    if h.items < FEW_FOR_ADVICE {
        writeln!(
            out,
            "  - More reviews. {} predictions is little to learn from; the fit settles after a few thousand.",
            thousands(h.items)
        )?;
    }
    writeln!(
        out,
        "  - Press Again whenever you forgot: Hard, Good and Easy all count as remembered ({:.0}% of\n    these answers were Hard).",
        h.hard * 100.0
    )?;
    writeln!(
        out,
        "  - Answer cards when they are due: a card reviewed early, or studied again elsewhere,\n    tells FSRS little about when you forget."
    )?;
    writeln!(
        out,
        "  - Rewrite or suspend the cards you keep forgetting, and understand a fact before you learn it."
    )
}

/// Which parameters `optimize` kept (or, on a dry run, would keep), and
/// the log loss that decided it.
pub fn decision(
    out: &mut impl Write,
    kept_new: bool,
    dry_run: bool,
    new: f64,
    current: f64,
) -> io::Result<()> {
    let kept = if dry_run { "would keep" } else { "kept" };
    let figures = format!(
        "log loss {new:.4} for the new ones against {current:.4} for the current ones, \
         weighted by recency as Anki compares them"
    );
    match (kept_new, new < current) {
        (true, true) => writeln!(
            out,
            "{kept} the new parameters: they predict these reviews better ({figures})"
        ),
        (true, false) => writeln!(
            out,
            "{kept} the new parameters (--force), though they predict these reviews no better ({figures})"
        ),
        (false, _) => writeln!(
            out,
            "{kept} the current parameters: the new ones predict these reviews no better ({figures});\n\
             `kioku optimize --force` keeps the new ones anyway"
        ),
    }
}
