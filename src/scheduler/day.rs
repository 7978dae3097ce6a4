//! The learner's days: a day starts at the rollover hour (04:00 by default)
//! in the learner's time zone, so a late-night session still counts for the
//! evening it belongs to.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

/// Turns moments into day numbers and back, for one UTC offset and rollover hour.
/// The day number of 1970-01-01 (days are counted from the Common Era).
pub const UNIX_EPOCH_DAY: i64 = 719_163;

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

    /// The day `t` belongs to, counted from 0001-01-01.
    pub fn day(&self, t: DateTime<Utc>) -> i64 {
        let local = t.with_timezone(&self.offset) - Duration::hours(i64::from(self.rollover_hour));
        i64::from(chrono::Datelike::num_days_from_ce(&local.date_naive()))
    }

    /// The moment day `day` begins (its rollover).
    /// Milliseconds to add to a Unix time so that whole days since the
    /// epoch are this clock's days: `day(t)` is `UNIX_EPOCH_DAY` plus the
    /// floor of `(t + shift_ms) / 86_400_000`. SQL counts days with it.
    pub fn shift_ms(&self) -> i64 {
        (i64::from(self.offset.local_minus_utc()) - i64::from(self.rollover_hour) * 3600) * 1000
    }

    pub fn day_start(&self, day: i64) -> DateTime<Utc> {
        let date = i32::try_from(day)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or(NaiveDate::MAX);
        let naive = date
            .and_hms_opt(self.rollover_hour, 0, 0)
            .unwrap_or_default();
        match self.offset.from_local_datetime(&naive).single() {
            Some(t) => t.with_timezone(&Utc),
            None => DateTime::<Utc>::MAX_UTC,
        }
    }

    /// The local calendar date of day `day`.
    pub fn date(&self, day: i64) -> NaiveDate {
        i32::try_from(day)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or(NaiveDate::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
