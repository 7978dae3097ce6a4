//! Time is an argument, and it can be wrong: a clock set back before the
//! last review, a jump across time zones, a daylight-saving change. None
//! gives a negative or absurd interval, and each card's log stays in order.

use crate::common::{cards_in, study_correctly, Env};

#[test]
fn clocks_that_jump_back_and_across_zones() {
    let cards = cards_in("tests/fixtures/mini");
    let mut env = Env::new(&["tests/fixtures/mini"]);
    for now in [
        "2026-03-02T09:00:00+09:00", // Tokyo
        "2026-03-02T20:00:00-08:00", // then Los Angeles, the same UTC day
        "2026-03-01T08:00:00+00:00", // a clock set back before every review
        "2026-03-08T01:30:00-08:00", // the night US daylight saving starts
        "2026-03-08T03:30:00-07:00",
        "2026-03-20T12:00:00+05:45", // Kathmandu
        "2026-03-10T12:00:00+00:00", // back again
    ] {
        env.at(now);
        study_correctly(&env, &cards, &["--plain"]);
    }
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let (reviews, min_interval, max_interval, early): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), MIN(interval_days), MAX(interval_days),
                    SUM(due_after < at) FROM reviews",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert!(reviews > 20, "{reviews}");
    assert!(min_interval >= 0, "{min_interval}");
    assert!(
        max_interval <= 365,
        "nothing absurd after a few weeks: {max_interval}"
    );
    assert_eq!(
        early, 0,
        "no card is due before the review that scheduled it"
    );
    // Each card's reviews are in the order they were given.
    let disorder: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM reviews a JOIN reviews b
               ON a.card_id = b.card_id AND a.rowid < b.rowid AND a.at >= b.at",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(disorder, 0);
    let rebuilt = env.json(&["rebuild", "--json"]);
    assert_eq!(rebuilt["changed"], 0, "{rebuilt}");
}
