//! `kioku simulate --retention`: one desired retention, or a range of them
//! with a step (`0.70..0.99`, `0.80..0.95/0.05`), read and checked as clap
//! reads the flag, so that a wrong value is refused before anything runs.

/// The lowest desired retention `simulate` runs at.
pub const LOWEST_RETENTION: f64 = 0.70;
/// The highest desired retention `simulate` runs at.
pub const HIGHEST_RETENTION: f64 = 0.99;
/// The finest step between two retentions: a hundredth.
pub const FINEST_STEP: f64 = 0.01;
/// The step of a range written without one.
pub const DEFAULT_STEP: f64 = 0.01;

/// The desired retentions asked for: `from`, then every `step` up to `to`,
/// and `to` itself. One retention is `from == to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Retentions {
    pub from: f64,
    pub to: f64,
    pub step: f64,
}

impl Retentions {
    /// Every retention asked for, lowest first, each rounded to a
    /// ten-thousandth so that steps add up to the figures written.
    pub fn points(&self) -> Vec<f64> {
        let round = |r: f64| (r * 10_000.0).round() / 10_000.0;
        let mut points = vec![round(self.from)];
        let mut k = 1.0;
        loop {
            let next = round(self.from + k * self.step);
            if next > self.to - 1e-9 {
                break;
            }
            points.push(next);
            k += 1.0;
        }
        if self.to > self.from {
            points.push(round(self.to));
        }
        points
    }
}

/// Reads `R`, `A..B` or `A..B/STEP` (clap's value parser for `--retention`).
pub fn retentions(text: &str) -> Result<Retentions, String> {
    let text = text.trim();
    let (range, step) = match text.split_once('/') {
        Some((range, step)) => (range, Some(step)),
        None => (text, None),
    };
    let Some((from, to)) = range.split_once("..") else {
        if step.is_some() {
            return Err(format!(
                "a step needs a range before it, like 0.80..0.95/0.05 (got {range:?})"
            ));
        }
        let one = retention(range, "the retention")?;
        return Ok(Retentions {
            from: one,
            to: one,
            step: DEFAULT_STEP,
        });
    };
    let (from_text, to_text) = (from.trim(), to.trim());
    let from = retention(from_text, "the range's start")?;
    let to = retention(to_text, "the range's end")?;
    if to < from {
        return Err(format!(
            "the range runs downwards: write the lower retention first, {to_text}..{from_text}"
        ));
    }
    if to == from {
        return Err(format!(
            "the range starts and ends at {from_text}; for one retention write just {from_text}"
        ));
    }
    let step = match step {
        Some(step) => step_of(step, to - from)?,
        None => DEFAULT_STEP,
    };
    Ok(Retentions { from, to, step })
}

/// One retention, `what` naming which part of the value it is.
fn retention(text: &str, what: &str) -> Result<f64, String> {
    let text = text.trim();
    let value: f64 = text
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("{what} {text:?} is not a number; write a fraction such as 0.90"))?;
    if (50.0..=100.0).contains(&value) {
        return Err(format!(
            "{what} {text} looks like a percentage; write it as a fraction, {:.2}",
            value / 100.0
        ));
    }
    if !(LOWEST_RETENTION - 1e-9..=HIGHEST_RETENTION + 1e-9).contains(&value) {
        return Err(format!(
            "{what} {text} is outside {LOWEST_RETENTION:.2}..{HIGHEST_RETENTION:.2}, \
             the retentions kioku can simulate"
        ));
    }
    Ok(value)
}

/// The step after `/`, checked against the width of its range.
fn step_of(text: &str, width: f64) -> Result<f64, String> {
    let text = text.trim();
    let step: f64 = text
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("the step {text:?} is not a number; write one such as 0.05"))?;
    if step <= 0.0 {
        return Err(format!("the step {text} must be more than 0, such as 0.05"));
    }
    if step < FINEST_STEP - 1e-9 {
        return Err(format!(
            "the step {text} is finer than {FINEST_STEP:.2}, the finest kioku simulates"
        ));
    }
    if step > width + 1e-9 {
        return Err(format!(
            "the step {text} is wider than the range itself ({width:.2})"
        ));
    }
    Ok(step)
}
