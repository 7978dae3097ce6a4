//! The day fitting and evaluating start from (the `optimize_from`
//! setting). As with Anki's "ignore reviews before", a card first reviewed
//! before that day is left out whole, not cut: a history that starts part
//! way through would look to FSRS like a new card's, and teach it wrong
//! first stabilities. Anki counts the date from midnight UTC; here it is a
//! day on the learner's own clock, starting at their rollover hour, as
//! every other day in kioku is.
//!
//! Pure: histories in, the ones kept out.

use super::History;
use crate::scheduler::DayClock;
use chrono::{Datelike, NaiveDate};

/// What the cutoff left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Cutoff {
    #[serde(serialize_with = "as_text")]
    pub from: NaiveDate,
    /// Cards first reviewed before `from`, and their reviews.
    pub cards_left_out: usize,
    pub reviews_left_out: usize,
}

/// A date as YYYY-MM-DD.
fn as_text<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// The histories of the cards first reviewed on `from` or later (on
/// `clock`'s days), and what was left out.
pub fn first_reviewed_from(
    mut histories: Vec<History>,
    from: NaiveDate,
    clock: &DayClock,
) -> (Vec<History>, Cutoff) {
    let start = clock.day_start(i64::from(from.num_days_from_ce()));
    let mut cut = Cutoff {
        from,
        cards_left_out: 0,
        reviews_left_out: 0,
    };
    histories.retain(|h| {
        let keep = h.reviews.first().is_none_or(|&(at, _)| at >= start);
        if !keep {
            cut.cards_left_out += 1;
            cut.reviews_left_out += h.reviews.len();
        }
        keep
    });
    (histories, cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn a_card_first_reviewed_before_the_day_is_left_out_whole() {
        let tokyo = DayClock::new(FixedOffset::east_opt(9 * 3600).unwrap(), 4);
        let card = |id: i64, first: &str| History {
            card: id,
            reviews: vec![(at(first), 3), (at("2025-06-20T09:00:00+09:00"), 3)],
        };
        let histories = vec![
            // The evening before the day, and 03:59 on it: still the day before.
            card(1, "2025-05-31T21:00:00+09:00"),
            card(2, "2025-06-01T03:59:00+09:00"),
            // The day's rollover and later.
            card(3, "2025-06-01T04:00:00+09:00"),
            card(4, "2025-06-10T12:00:00+09:00"),
        ];
        let from = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        let (kept, cut) = first_reviewed_from(histories, from, &tokyo);
        let ids: Vec<i64> = kept.iter().map(|h| h.card).collect();
        assert_eq!(ids, [3, 4]);
        assert_eq!(
            kept[0].reviews.len(),
            2,
            "a kept card keeps all its reviews"
        );
        assert_eq!(
            cut,
            Cutoff {
                from,
                cards_left_out: 2,
                reviews_left_out: 4
            }
        );
    }
}
