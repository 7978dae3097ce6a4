//! An instant as kioku passes it between modules and keeps it in the
//! database: whole milliseconds since 1970-01-01 UTC. Its own type so that a
//! moment is not mistaken for a duration or a count, and so that turning a
//! stored number back into a date has one checked way. A span of time stays
//! a plain `i64` named `*_ms`; only instants are `Millis`. What it looks
//! like in SQLite is `store`'s business, and nothing here may know it.

use chrono::{DateTime, TimeZone, Utc};
use std::fmt;

/// A moment, in milliseconds since the Unix epoch (UTC). Any `i64` is a
/// `Millis`; whether it is a date chrono can hold is [`Millis::to_datetime`]'s
/// question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub i64);

impl Millis {
    /// 0000-01-01T00:00:00Z, the first moment an RFC 3339 time can write.
    pub const EARLIEST: Millis = Millis(-62_167_219_200_000);
    /// 9999-12-31T23:59:59.999Z, the last one.
    pub const LATEST: Millis = Millis(253_402_300_799_999);

    /// The moment as a date, or `None` when it is outside the range chrono
    /// can hold (a damaged or hostile stored value).
    pub fn to_datetime(self) -> Option<DateTime<Utc>> {
        Utc.timestamp_millis_opt(self.0).single()
    }

    /// The moment as a date, clamped to [`Millis::EARLIEST`]..=[`Millis::LATEST`]:
    /// how a stored time is read. A time outside those years can only come
    /// from a damaged or hostile file; clamping it keeps every later step
    /// (adding an interval, counting days) far from the ends of chrono's
    /// range, where that arithmetic would overflow.
    pub fn clamped(self) -> DateTime<Utc> {
        Millis(self.0.clamp(Self::EARLIEST.0, Self::LATEST.0))
            .to_datetime()
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }

    /// `span_ms` later (earlier if negative), stopping at the ends of `i64`.
    pub fn saturating_add_ms(self, span_ms: i64) -> Millis {
        Millis(self.0.saturating_add(span_ms))
    }

    /// Milliseconds from `earlier` to this moment, stopping at the ends of `i64`.
    pub fn ms_since(self, earlier: Millis) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl From<DateTime<Utc>> for Millis {
    fn from(t: DateTime<Utc>) -> Millis {
        Millis(t.timestamp_millis())
    }
}

/// The number, as it is written in logs and messages when it is no date.
impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_round_trips_and_instants_order_as_time_does() {
        let t: DateTime<Utc> = "2026-03-01T09:30:00.250Z".parse().unwrap();
        let m = Millis::from(t);
        assert_eq!(m.to_datetime(), Some(t));
        assert_eq!(m.clamped(), t);
        assert!(Millis::EARLIEST < Millis(-1) && Millis(-1) < Millis(0));
        assert!(m < m.saturating_add_ms(1));
        assert_eq!(m.saturating_add_ms(-250).ms_since(m), -250);
    }

    #[test]
    fn an_out_of_range_instant_is_none_or_clamped_never_a_panic() {
        for v in [
            i64::MIN,
            i64::MAX,
            Millis::EARLIEST.0 - 1,
            Millis::LATEST.0 + 1,
        ] {
            let m = Millis(v);
            let _ = m.to_datetime();
            let clamped = Millis::from(m.clamped());
            assert!(
                clamped == Millis::EARLIEST || clamped == Millis::LATEST,
                "{v}"
            );
        }
        assert_eq!(Millis(i64::MAX).to_datetime(), None);
        assert_eq!(Millis(i64::MIN).to_datetime(), None);
        assert_eq!(
            Millis::LATEST.clamped().to_rfc3339(),
            "9999-12-31T23:59:59.999+00:00"
        );
        assert_eq!(Millis(i64::MAX).saturating_add_ms(1), Millis(i64::MAX));
        assert_eq!(Millis(i64::MIN).ms_since(Millis(1)), i64::MIN);
    }
}
