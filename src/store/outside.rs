//! The one check of a review that comes from outside — another machine's
//! database (`merge`) or a history file (`history import`) — made where it
//! enters, before anything is written.
//!
//! Pure: values in, the first reason to refuse them out. It never touches a
//! database or reads the clock; the command's `now` is passed in.

use crate::types::{Millis, Phase, Verdict};

const DAY_MS: i64 = 86_400_000;

/// The longest time one answer is taken to have lasted. A review that says
/// it took longer is not believed (a history file's row is refused; a merged
/// review, which kioku itself may have timed while the learner was away, is
/// kept with this duration).
pub const MAX_DURATION_MS: i64 = 6 * 3_600_000;

/// How far past the command's clock a review may be dated: a day covers
/// clocks set a little ahead and any time zone.
pub const FUTURE_SLACK_MS: i64 = DAY_MS;

/// The largest UTC offset a review may carry (±18 h, as RFC 3339 allows).
pub const MAX_OFFSET_SECS: i32 = 18 * 3600;

/// The longest interval, stability or count a review may carry: far beyond
/// anything FSRS gives (its intervals stop at 100 years).
const MAX_DAYS: f64 = 1_000_000.0;
const MAX_COUNT: i64 = 1_000_000;

/// A typed answer longer than this is not a learner's answer.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024;

/// Why a review from outside was refused.
pub type Reason = String;

/// A review's time: after 1970-01-01 and at most a day after `now`.
pub fn check_time(at: Millis, now: Millis) -> Result<(), Reason> {
    if at < Millis(0) {
        return Err("a time before 1970".into());
    }
    if at > now.saturating_add_ms(FUTURE_SLACK_MS) {
        return Err("a time in the future".into());
    }
    Ok(())
}

/// How long the answer took, in milliseconds: none, or 0 to six hours.
pub fn check_duration(ms: Option<i64>) -> Result<(), Reason> {
    match ms {
        Some(d) if d < 0 => Err("a negative duration".into()),
        Some(d) if d > MAX_DURATION_MS => Err("a duration of more than 6 hours".into()),
        _ => Ok(()),
    }
}

/// The UTC offset in seconds east, when known.
pub fn check_offset(secs: Option<i64>) -> Result<(), Reason> {
    match secs {
        Some(s) if s.unsigned_abs() > MAX_OFFSET_SECS.unsigned_abs().into() => {
            Err("a UTC offset beyond ±18 hours".into())
        }
        _ => Ok(()),
    }
}

pub fn check_rating(rating: i64) -> Result<(), Reason> {
    if (1..=4).contains(&rating) {
        Ok(())
    } else {
        Err("a rating other than 1 to 4".into())
    }
}

/// The due moment another scheduler chose at a review: not before the day
/// of the review (a card set due "today" is due from the day's start), and
/// within the longest interval any scheduler gives.
pub fn check_kept_due(due: Millis, at: Millis) -> Result<(), Reason> {
    let most = (MAX_DAYS as i64).saturating_mul(DAY_MS);
    if due.0 < at.0.saturating_sub(DAY_MS) || due.0.saturating_sub(at.0) > most {
        return Err("a due moment before its review or too far after it".into());
    }
    Ok(())
}

/// A move (postpone, advance, reschedule) as kioku makes them: an id like
/// a review's, a time a review could have, and a due moment within the
/// longest interval of it either way (a reschedule may set a day already
/// past).
pub fn check_move(id: &str, at: Millis, due: Millis, now: Millis) -> Result<(), Reason> {
    check_review_id(id)?;
    check_time(at, now)?;
    let most = (MAX_DAYS as i64).saturating_mul(DAY_MS);
    if due.0.abs_diff(at.0) > most.unsigned_abs() {
        return Err("a move to a day too far from when it was made".into());
    }
    Ok(())
}

/// A review id as kioku makes them: 128 bits in lowercase hex.
pub fn check_review_id(id: &str) -> Result<(), Reason> {
    if id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(())
    } else {
        Err("a review id that kioku did not make".into())
    }
}

/// An answer the learner accepted ("I was right") on another machine: its
/// text and its folded key not empty and no longer than kioku keeps, and a
/// time a clock can show.
pub fn check_accepted(answer: &str, folded: &str, at: Millis, now: Millis) -> Result<(), Reason> {
    let fits =
        |s: &str| !s.trim().is_empty() && s.chars().count() <= super::accepted::MAX_ACCEPTED_CHARS;
    if !fits(answer) || !fits(folded) {
        return Err("an accepted answer that is empty or too long".into());
    }
    check_time(at, now)
}

/// A deck id (`[a-z0-9-]+`) and a card id of that deck, which for a cloze
/// gap is the card's id, a dot and the gap's number (`capital.2`).
pub fn check_card_key(deck: &str, card: &str) -> Result<(), Reason> {
    if deck.len() > 200 || !crate::deck::is_valid_id(deck) {
        return Err("a deck id that is not of letters a-z, digits and dashes".into());
    }
    let (base, gap) = match card.split_once('.') {
        Some((base, gap)) => (base, Some(gap)),
        None => (card, None),
    };
    let gap_ok =
        gap.is_none_or(|g| !g.is_empty() && g.len() <= 6 && g.bytes().all(|b| b.is_ascii_digit()));
    if card.len() > 200 || !crate::deck::is_valid_id(base) || !gap_ok {
        return Err("a card id that is not of letters a-z, digits and dashes".into());
    }
    Ok(())
}

/// The stored columns of a review besides its time, rating and duration,
/// as another kioku database holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded<'a> {
    pub verdict: &'a str,
    pub answer: Option<&'a str>,
    pub interval_days: i64,
    pub phases: [&'a str; 2],
    pub steps: [i64; 2],
    pub stability: [Option<f64>; 2],
    pub difficulty: [Option<f64>; 2],
    /// due_before, last_before, due_after.
    pub times: [Option<Millis>; 3],
    pub counts: [i64; 2],
}

/// Everything else a merged review carries: a known verdict and phases,
/// finite memory in range, times that a clock can show, sane counts.
pub fn check_recorded(r: &Recorded<'_>, now: Millis) -> Result<(), Reason> {
    r.verdict
        .parse::<Verdict>()
        .map_err(|_| "an unknown verdict".to_string())?;
    for phase in r.phases {
        phase
            .parse::<Phase>()
            .map_err(|_| "an unknown phase".to_string())?;
    }
    if r.answer.is_some_and(|a| a.len() > MAX_ANSWER_BYTES) {
        return Err("an answer longer than 16 KB".into());
    }
    let days = |v: f64| v.is_finite() && (0.0..=MAX_DAYS).contains(&v);
    if !(0..=MAX_DAYS as i64).contains(&r.interval_days) {
        return Err("an interval out of range".into());
    }
    if !r.stability.iter().flatten().all(|s| days(*s)) {
        return Err("a stability that is not a number of days".into());
    }
    if !r
        .difficulty
        .iter()
        .flatten()
        .all(|d| d.is_finite() && (0.0..=10.0).contains(d))
    {
        return Err("a difficulty outside 0 to 10".into());
    }
    // Due dates run ahead of now by at most the longest interval.
    let latest = now.saturating_add_ms((MAX_DAYS as i64).saturating_mul(DAY_MS));
    if !r
        .times
        .iter()
        .flatten()
        .all(|t| (Millis(0)..=latest).contains(t))
    {
        return Err("a due date out of range".into());
    }
    if !r
        .steps
        .iter()
        .chain(&r.counts)
        .all(|n| (0..=MAX_COUNT).contains(n))
    {
        return Err("a count out of range".into());
    }
    Ok(())
}

/// Reviews refused on entry: how many, and the first with its reason.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Refused {
    pub count: usize,
    /// Where the first one is (its time, or its line) and why.
    pub first: Option<String>,
}

impl Refused {
    pub fn add(&mut self, place: impl FnOnce() -> String, reason: &str) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(format!("{}, {reason}", place()));
        }
    }
}

/// A moment for a message, whatever its value.
pub fn shown_time(at: Millis) -> String {
    at.to_datetime()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| format!("{at} ms from 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = Millis(1_772_000_000_000);

    #[test]
    fn r1_times_after_tomorrow_or_before_1970_are_refused() {
        assert!(check_time(NOW, NOW).is_ok());
        assert!(check_time(NOW.saturating_add_ms(DAY_MS), NOW).is_ok());
        assert_eq!(
            check_time(NOW.saturating_add_ms(DAY_MS + 1), NOW).unwrap_err(),
            "a time in the future"
        );
        assert_eq!(
            check_time(Millis(253_402_300_799_000), NOW).unwrap_err(),
            "a time in the future"
        );
        assert_eq!(
            check_time(Millis(-1), NOW).unwrap_err(),
            "a time before 1970"
        );
    }

    #[test]
    fn c2_the_extreme_times_are_refused_not_computed_with() {
        assert!(check_time(Millis(i64::MAX), NOW).is_err());
        assert!(check_time(Millis(i64::MIN), NOW).is_err());
        assert!(
            check_time(NOW, Millis(i64::MAX)).is_ok(),
            "no overflow in the bound"
        );
        assert!(!shown_time(Millis(i64::MAX)).is_empty());
    }

    #[test]
    fn r4_durations_beyond_six_hours_are_refused() {
        assert!(check_duration(None).is_ok());
        assert!(check_duration(Some(MAX_DURATION_MS)).is_ok());
        assert!(check_duration(Some(MAX_DURATION_MS + 1)).is_err());
        assert!(check_duration(Some(i64::MAX)).is_err());
        assert!(check_duration(Some(-1)).is_err());
    }

    #[test]
    fn r1_keys_offsets_and_ids_of_kiokus_shape() {
        assert!(check_card_key("tsarist-era", "laxman-navigator").is_ok());
        assert!(check_card_key("geo", "capital.2").is_ok());
        for (deck, card) in [
            ("Geo", "x"),
            ("geo", "x.y"),
            ("geo", "x."),
            ("geo", ".1"),
            ("g o", "x"),
            ("geo", "x\u{1b}[2J"),
        ] {
            assert!(check_card_key(deck, card).is_err(), "{deck}/{card}");
        }
        assert!(check_offset(Some(9 * 3600)).is_ok());
        assert!(check_offset(Some(-18 * 3600)).is_ok());
        assert!(check_offset(Some(18 * 3600 + 1)).is_err());
        assert!(check_offset(Some(i64::MIN)).is_err());
        assert!(check_review_id(&"a".repeat(32)).is_ok());
        assert!(check_review_id("A1").is_err());
        assert!(check_rating(0).is_err() && check_rating(5).is_err() && check_rating(4).is_ok());
    }

    #[test]
    fn c2_recorded_values_must_be_finite_and_in_range() {
        let good = Recorded {
            verdict: "correct",
            answer: Some("1905"),
            interval_days: 3,
            phases: ["new", "review"],
            steps: [0, 0],
            stability: [None, Some(3.2)],
            difficulty: [None, Some(5.0)],
            times: [None, None, Some(NOW)],
            counts: [0, 0],
        };
        assert!(check_recorded(&good, NOW).is_ok());
        let bad = [
            Recorded {
                verdict: "maybe",
                ..good.clone()
            },
            Recorded {
                phases: ["new", "gone"],
                ..good.clone()
            },
            Recorded {
                stability: [None, Some(f64::INFINITY)],
                ..good.clone()
            },
            Recorded {
                stability: [Some(f64::NAN), Some(1.0)],
                ..good.clone()
            },
            Recorded {
                difficulty: [None, Some(11.0)],
                ..good.clone()
            },
            Recorded {
                times: [None, None, Some(Millis(i64::MAX))],
                ..good.clone()
            },
            Recorded {
                counts: [-1, 0],
                ..good.clone()
            },
            Recorded {
                interval_days: -3,
                ..good.clone()
            },
        ];
        for r in bad {
            assert!(check_recorded(&r, NOW).is_err(), "{r:?}");
        }
    }

    #[test]
    fn p3_the_first_refusal_is_named_and_the_rest_counted() {
        let mut refused = Refused::default();
        refused.add(|| "at 9999-12-31T23:59:59Z".into(), "a time in the future");
        refused.add(
            || unreachable!("only the first is described"),
            "a rating other than 1 to 4",
        );
        assert_eq!(refused.count, 2);
        assert_eq!(
            refused.first.as_deref(),
            Some("at 9999-12-31T23:59:59Z, a time in the future")
        );
    }
}
