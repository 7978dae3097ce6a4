//! Interval fuzz: review intervals are spread a little so that cards learnt
//! together do not stay together for ever. The spread is seeded by the card
//! and its review count, so replaying the log gives the same intervals.

/// A number in [0, 1) fixed by the card and how many times it was reviewed.
pub fn factor(seed: u64, reps: u32) -> f64 {
    let mut x = seed ^ (u64::from(reps).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    // splitmix64
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Spreads `days` by up to ~15% for short intervals and ~5% for long ones;
/// intervals under three days are left alone.
#[cfg(test)]
pub fn apply(days: u32, factor: f64, max: u32) -> u32 {
    match range(days, max) {
        Some(r) => pick(r, factor),
        None => days,
    }
}

/// The days `days` may be spread over, inclusive; `None` under three days.
pub fn range(days: u32, max: u32) -> Option<(u32, u32)> {
    let ivl = f64::from(days);
    if ivl < 2.5 {
        return None;
    }
    const RANGES: [(f64, f64, f64); 3] = [
        (2.5, 7.0, 0.15),
        (7.0, 20.0, 0.1),
        (20.0, f64::INFINITY, 0.05),
    ];
    let delta = 1.0
        + RANGES
            .iter()
            .map(|&(start, end, f)| f * (ivl.min(end) - start).max(0.0))
            .sum::<f64>();
    let lo = (ivl - delta).round().max(2.0);
    let hi = (ivl + delta).round().min(f64::from(max)).max(lo);
    Some(((lo as u32).min(max), (hi as u32).min(max)))
}

/// The day of `lo..=hi` that `factor` falls on, evenly.
pub fn pick((lo, hi): (u32, u32), factor: f64) -> u32 {
    let fuzzed = (factor * f64::from(hi - lo + 1) + f64::from(lo)).floor();
    (fuzzed as u32).clamp(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_stays_within_its_range_and_is_reproducible() {
        for days in [3u32, 10, 30, 100, 1000] {
            for seed in 0..200u64 {
                let f = factor(seed, 3);
                assert_eq!(f, factor(seed, 3));
                assert!((0.0..1.0).contains(&f));
                let got = apply(days, f, 36500);
                let spread = (f64::from(days) * 0.16).ceil() as u32 + 1;
                assert!(got.abs_diff(days) <= spread, "{days} fuzzed to {got}");
            }
        }
        assert_eq!(apply(2, 0.99, 36500), 2);
        assert_eq!(apply(100, 0.99, 100), 100);
    }

    #[test]
    fn fuzz_spreads_cards() {
        let spread: std::collections::BTreeSet<u32> = (0..100u64)
            .map(|s| apply(30, factor(s, 1), 36500))
            .collect();
        assert!(spread.len() >= 3, "{spread:?}");
    }
}
