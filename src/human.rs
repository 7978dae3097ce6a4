//! Numbers and times written for people: "4m 05s", "in 10m", "12,580",
//! "3 cards", "86%". One home for each, so the line mode, the full screen
//! and the commands' messages never drift apart.
//!
//! Pure formatting of plain values: nothing here reads the clock (the
//! moments are arguments) or knows about cards, decks or the store.

use chrono::{DateTime, Utc};

/// How long something took, from milliseconds: "12s", "4m 05s", "1h 05m".
/// A negative length (a clock that stepped back) reads as none.
pub fn duration(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{}h {:02}m", secs / 3600, secs / 60 % 60)
    }
}

/// When `to` comes, seen from `from`: "now", "in 10m", "in 3h", "in 2d".
/// Rounded up below an hour (a card due in 30 seconds is not due "in 0m"),
/// to the nearest unit above.
pub fn until(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let secs = (to - from).num_seconds();
    match secs {
        s if s <= 0 => "now".into(),
        s if s < 3600 => format!("in {}m", (s + 59) / 60),
        s if s < 86400 => format!("in {}h", (s + 1799) / 3600),
        s => format!("in {}d", (s + 43199) / 86400),
    }
}

/// A count with thousands separated: "999", "12,580".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The ending of an English plural for `n` things: "" for one, "s" for any
/// other count (none included: "0 cards").
pub fn plural<N: TryInto<u64>>(n: N) -> &'static str {
    if matches!(n.try_into(), Ok(1)) {
        ""
    } else {
        "s"
    }
}

/// A share from 0 to 1 as a whole percentage, "86%"; a dash when there is
/// nothing to take a share of.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_string(), |v| format!("{:.0}%", v * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn durations() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(-5_000), "0s");
        assert_eq!(duration(59_999), "59s");
        assert_eq!(duration(245_000), "4m 05s");
        assert_eq!(duration(3_900_000), "1h 05m");
    }

    #[test]
    fn until_rounds_up_minutes_and_to_the_nearest_hour_or_day() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let at = |secs: i64| until(now, now + chrono::Duration::seconds(secs));
        assert_eq!(at(-10), "now");
        assert_eq!(at(0), "now");
        assert_eq!(at(30), "in 1m");
        assert_eq!(at(600), "in 10m");
        assert_eq!(at(3600 + 1800), "in 1h");
        assert_eq!(at(3600 + 1801), "in 2h");
        assert_eq!(at(86400 + 43200), "in 1d");
        assert_eq!(at(86400 + 43201), "in 2d");
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12580), "12,580");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn plurals_and_percentages() {
        assert_eq!(plural(1usize), "");
        assert_eq!(plural(0u32), "s");
        assert_eq!(plural(2i64), "s");
        assert_eq!(plural(-1i64), "s");
        assert_eq!(percent(Some(0.856)), "86%");
        assert_eq!(percent(None), "—");
    }
}
