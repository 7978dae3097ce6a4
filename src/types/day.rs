//! The learner's days: a day starts at the rollover hour (04:00 by default)
//! in the learner's time zone, so a late-night session still counts for the
//! evening it belongs to.

use super::Millis;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Turns moments into day numbers and back, for one UTC offset and rollover hour.
/// The day number of 1970-01-01 (days are counted from the Common Era).
pub const UNIX_EPOCH_DAY: i64 = 719_163;

/// Milliseconds in a day: the clock's days are whole days of Unix time,
/// shifted.
pub const DAY_MS: i64 = 86_400_000;

/// The day a Unix time in milliseconds falls on, for a clock's
/// [`DayClock::shift_ms`]: `UNIX_EPOCH_DAY` plus the floor of the shifted
/// time in whole days. This is the one definition of "which day"; the
/// store's per-day summary calls it, and the SQL triggers of migration 0003
/// write the same floor out by hand (a test in the store runs them
/// against this).
pub fn day_of_ms(at: Millis, shift_ms: i64) -> i64 {
    UNIX_EPOCH_DAY + at.saturating_add_ms(shift_ms).0.div_euclid(DAY_MS)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayClock {
    offset: FixedOffset,
    rollover_hour: u32,
}

impl DayClock {
    pub fn new(offset: FixedOffset, rollover_hour: u32) -> Self {
        DayClock {
            offset,
            rollover_hour: rollover_hour.min(23),
        }
    }

    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// The same rollover hour in another time zone.
    pub fn with_offset(&self, offset: FixedOffset) -> Self {
        DayClock { offset, ..*self }
    }

    /// The day `t` belongs to, counted from 0001-01-01. Whole-number
    /// arithmetic on the Unix time, so it is defined for every moment
    /// chrono can hold, even those at the very ends of its range where
    /// moving the moment by the rollover hour would fall off.
    pub fn day(&self, t: DateTime<Utc>) -> i64 {
        day_of_ms(Millis::from(t), self.shift_ms())
    }

    /// Milliseconds to add to a Unix time so that whole days since the
    /// epoch are this clock's days: `day(t)` is `UNIX_EPOCH_DAY` plus the
    /// floor of `(t + shift_ms) / 86_400_000`. SQL counts days with it.
    pub fn shift_ms(&self) -> i64 {
        (i64::from(self.offset.local_minus_utc()) - i64::from(self.rollover_hour) * 3600) * 1000
    }

    /// The moment day `day` begins (its rollover). A day before or after
    /// the range chrono can hold begins at the first or the last moment it
    /// can hold.
    pub fn day_start(&self, day: i64) -> DateTime<Utc> {
        let ms = day
            .saturating_sub(UNIX_EPOCH_DAY)
            .saturating_mul(86_400_000)
            .saturating_sub(self.shift_ms());
        match Millis(ms).to_datetime() {
            Some(t) => t,
            None if ms < 0 => DateTime::<Utc>::MIN_UTC,
            None => DateTime::<Utc>::MAX_UTC,
        }
    }

    /// The local calendar date of day `day`.
    pub fn date(&self, day: i64) -> NaiveDate {
        match i32::try_from(day)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
        {
            Some(date) => date,
            None if day < 0 => NaiveDate::MIN,
            None => NaiveDate::MAX,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_day_rolls_over_at_four_local_time() {
        let tokyo = DayClock::new(FixedOffset::east_opt(9 * 3600).unwrap(), 4);
        let evening = tokyo.day(at("2026-03-01T23:30:00+09:00"));
        assert_eq!(tokyo.day(at("2026-03-02T03:59:00+09:00")), evening);
        assert_eq!(tokyo.day(at("2026-03-02T04:00:00+09:00")), evening + 1);
        assert_eq!(
            tokyo.day_start(evening + 1),
            at("2026-03-02T04:00:00+09:00")
        );
        assert_eq!(tokyo.date(evening).to_string(), "2026-03-01");
    }

    #[test]
    fn shifted_whole_days_are_the_clocks_days() {
        let clocks = [
            DayClock::new(FixedOffset::east_opt(9 * 3600).unwrap(), 4),
            DayClock::new(FixedOffset::west_opt(8 * 3600).unwrap(), 0),
            DayClock::new(FixedOffset::east_opt(5 * 3600 + 45 * 60).unwrap(), 23),
        ];
        let mut t = at("1969-12-30T00:00:00Z");
        while t < at("1970-01-03T00:00:00Z") {
            for c in &clocks {
                let ms = t.timestamp_millis() + c.shift_ms();
                assert_eq!(
                    c.day(t),
                    UNIX_EPOCH_DAY + ms.div_euclid(86_400_000),
                    "{c:?} at {t}"
                );
            }
            t += Duration::minutes(15);
        }
        for c in &clocks {
            let t = at("2026-03-02T03:59:59.999+09:00");
            let ms = t.timestamp_millis() + c.shift_ms();
            assert_eq!(c.day(t), UNIX_EPOCH_DAY + ms.div_euclid(86_400_000));
        }
    }

    #[test]
    fn day_start_inverts_day() {
        let clock = DayClock::new(FixedOffset::west_opt(5 * 3600).unwrap(), 4);
        for d in [738000, 739000, 740500] {
            assert_eq!(clock.day(clock.day_start(d)), d);
        }
    }

    fn extreme_clocks() -> Vec<DayClock> {
        vec![
            DayClock::new(FixedOffset::east_opt(86_399).unwrap(), 23),
            DayClock::new(FixedOffset::west_opt(86_399).unwrap(), 0),
            DayClock::new(FixedOffset::east_opt(0).unwrap(), 4),
        ]
    }

    #[test]
    fn c2_the_day_clock_is_total_at_the_ends_of_time() {
        let moments = [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::UNIX_EPOCH,
            at("0000-01-01T00:00:00Z"),
            at("9999-12-31T23:59:59Z"),
        ];
        for clock in extreme_clocks() {
            for t in moments {
                let day = clock.day(t);
                let start = clock.day_start(day);
                assert!(start <= t, "{clock:?} {t}: {start}");
                let _ = clock.date(day);
                let _ = clock.day_start(day + 36_500);
                let _ = clock.day_start(day - 36_500);
            }
            for day in [
                i64::MIN,
                i64::MAX,
                0,
                -1,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
            ] {
                let start = clock.day_start(day);
                let _ = clock.day(start);
                let _ = clock.date(day);
            }
            assert_eq!(clock.day_start(i64::MIN), DateTime::<Utc>::MIN_UTC);
            assert_eq!(clock.day_start(i64::MAX), DateTime::<Utc>::MAX_UTC);
            assert_eq!(clock.date(i64::MIN), NaiveDate::MIN);
            assert_eq!(clock.date(i64::MAX), NaiveDate::MAX);
        }
    }

    #[test]
    fn c2_day_start_inverts_day_far_from_now() {
        for clock in extreme_clocks() {
            for d in [1, 100_000, 3_652_059, -100_000] {
                assert_eq!(clock.day(clock.day_start(d)), d, "{clock:?} {d}");
                let start = clock.day_start(d);
                assert_eq!(clock.day(start - Duration::milliseconds(1)), d - 1);
            }
        }
    }
}
