//! Loading what the statistics are computed from, the per-day summary of
//! the log that spares them reading it, and the review log export.

use super::sql_types::RowExt;
use super::{from_ms, ms, state_from_row, Result, Store};
use crate::deck::Card;
use crate::stats::{AtStart, CardRow, CardTally, DayTotals, LogSummary, QuizRow, ReviewRow};
use crate::types::{day_of_ms, CardRowId, DayClock, Millis, DAY_MS};
use chrono::{DateTime, Utc};
use rusqlite::{params_from_iter, OptionalExtension, ToSql};
use std::collections::HashMap;

/// A review as exported: the interchange columns plus deck and card ids.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedReview {
    pub card_row: CardRowId,
    pub deck: String,
    pub card: String,
    pub at: Millis,
    pub rating: u32,
    pub duration_ms: i64,
    /// The learner's UTC offset at the review, when recorded.
    pub utc_offset: Option<i32>,
    /// The day the load balancer chose (see `scheduler::Logged::balanced_due`).
    pub balanced_due: Option<Millis>,
}

/// How often each rating was given, counted over the whole log: to a card
/// seen for the first time (again..easy), and to a card in review that was
/// remembered (hard..easy; a lapse is not a choice of how well).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RatingCounts {
    pub first: [u64; 4],
    pub remembered: [u64; 3],
}

/// A tagged card's row and its tags (none if its content does not decode).
fn tags_of(row: Option<&rusqlite::Row<'_>>) -> Result<Option<(CardRowId, Vec<String>)>> {
    let Some(r) = row else { return Ok(None) };
    let content = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
    let tags = serde_json::from_str::<Card>(content)
        .map(|c| c.tags)
        .unwrap_or_default();
    Ok(Some((r.get(0)?, tags)))
}

fn deck_filter(column: &str, decks: &[String]) -> String {
    if decks.is_empty() {
        String::new()
    } else {
        format!(" AND {column} IN ({})", vec!["?"; decks.len()].join(", "))
    }
}

fn args(decks: &[String]) -> Vec<&dyn ToSql> {
    decks.iter().map(|d| d as &dyn ToSql).collect()
}

impl Store {
    /// The ratings the learner gives, for simulating them.
    pub fn rating_counts(&self) -> Result<RatingCounts> {
        let mut counts = RatingCounts::default();
        let mut stmt = self.conn.prepare(
            "SELECT phase_before, rating, COUNT(*) FROM reviews GROUP BY phase_before, rating",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let phase: String = r.get(0)?;
            let rating: i64 = r.get(1)?;
            let n = u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0);
            match (phase.as_str(), rating) {
                ("new", 1..=4) => counts.first[rating as usize - 1] += n,
                ("review", 2..=4) => counts.remembered[rating as usize - 2] += n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// What the statistics read of the log for `decks` (all when empty),
    /// today being the day of `now`: its per-day summary, counted again
    /// first if it was kept in another clock, and the cards reviewed today
    /// from a range of the time index; and the quiz answers. The log itself
    /// is not read.
    pub fn stats_rows(
        &mut self,
        decks: &[String],
        clock: &DayClock,
        now: DateTime<Utc>,
    ) -> Result<(LogSummary, Vec<QuizRow>)> {
        let shift = clock.shift_ms();
        if self.summary_shift()? != Some(shift) {
            let tx = self.write()?;
            summarize_days(&tx, shift)?;
            tx.commit()?;
        }
        let log = LogSummary {
            days: self.day_totals(decks)?,
            today_cards: self.cards_reviewed_today(decks, clock, now)?,
        };
        Ok((log, self.quiz_rows(decks)?))
    }

    /// Feeds every active card of `decks` (all when empty) to `tally`, one
    /// at a time: nothing of the collection is held.
    pub fn tally_cards(&mut self, decks: &[String], tally: &mut CardTally) -> Result<()> {
        self.each_stats_card(decks, ms(tally.period_start()), |card, at_start| {
            tally.add(card, at_start)
        })
    }

    /// The per-day summary of `decks`, summed over them, day by day.
    fn day_totals(&self, decks: &[String]) -> Result<Vec<DayTotals>> {
        let sql = format!(
            "SELECT day, SUM(reviews), TOTAL(time_ms), SUM(remembered), SUM(young), SUM(young_ok), SUM(mature), SUM(mature_ok)
             FROM review_days WHERE reviews > 0{} GROUP BY day ORDER BY day",
            deck_filter("deck_id", decks)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let day_totals = stmt
            .query_map(params_from_iter(args(decks)), |r| {
                let count = |i| r.get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0));
                Ok(DayTotals {
                    day: r.get(0)?,
                    reviews: count(1)?,
                    // Summed as a real number, so that no total wraps.
                    time_ms: r.get::<_, f64>(2)? as i64,
                    remembered: count(3)?,
                    young: count(4)?,
                    young_ok: count(5)?,
                    mature: count(6)?,
                    mature_ok: count(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(day_totals)
    }

    /// How many cards of `decks` were reviewed on the study day of `now`.
    fn cards_reviewed_today(
        &self,
        decks: &[String],
        clock: &DayClock,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let today = clock.day(now);
        let (day_from, day_to) = (ms(clock.day_start(today)), ms(clock.day_start(today + 1)));
        let sql = if decks.is_empty() {
            "SELECT COUNT(DISTINCT card_id) FROM reviews WHERE at >= ?1 AND at < ?2".to_string()
        } else {
            format!(
                // Today's reviews first, then their cards: never every card
                // of the decks (CROSS JOIN keeps that order).
                "SELECT COUNT(DISTINCT r.card_id) FROM reviews r CROSS JOIN cards c ON c.id = r.card_id
                 WHERE r.at >= ?1 AND r.at < ?2{}",
                deck_filter("c.deck_id", decks)
            )
        };
        let mut range: Vec<&dyn ToSql> = vec![&day_from, &day_to];
        range.extend(args(decks));
        let today_cards: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(range), |r| r.get(0))?;
        Ok(u64::try_from(today_cards).unwrap_or(0))
    }

    /// Each active card of `decks`, in row order, with its state, and its
    /// memory at `start`: from its state for a card last reviewed before
    /// then, from the kept starts ([`super::starts`]) for one reviewed
    /// since. Counts the starts at `start` first if they are not kept.
    ///
    /// The cards are read from the narrow `cards_deck_of` index, never
    /// from their rows; only the few whose content has tags are read whole,
    /// by a second cursor in the same order.
    pub(crate) fn each_stats_card(
        &mut self,
        decks: &[String],
        start: Millis,
        mut each: impl FnMut(&CardRow, AtStart),
    ) -> Result<()> {
        self.keep_starts_at(start)?;
        let sql = format!(
            "SELECT c.id, c.deck_id, c.card_key, s.phase, s.step, s.stability, s.difficulty, s.due,
                    s.last_review, s.reps, s.lapses, COALESCE(f.suspended, 0), b.at, b.stability
             FROM cards c INDEXED BY cards_deck_of
             LEFT JOIN card_state s ON s.card_id = c.id
             LEFT JOIN card_flags f ON f.card_id = c.id
             LEFT JOIN card_starts b ON b.card_id = c.id
             WHERE c.active = 1{} ORDER BY c.id",
            deck_filter("c.deck_id", decks)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args(decks)))?;
        let mut tagged = self.conn.prepare_cached(
            "SELECT id, content FROM cards INDEXED BY cards_tagged
             WHERE content LIKE '%\"tags\"%' AND active = 1 ORDER BY id",
        )?;
        let mut tagged = tagged.query([])?;
        let mut next_tagged: Option<(CardRowId, Vec<String>)> = tags_of(tagged.next()?)?;
        while let Some(r) = rows.next()? {
            let card: CardRowId = r.get(0)?;
            // The tagged cursor runs in the same order, behind or level.
            while next_tagged.as_ref().is_some_and(|(id, _)| *id < card) {
                next_tagged = tags_of(tagged.next()?)?;
            }
            let tags = match &mut next_tagged {
                Some((id, tags)) if *id == card => std::mem::take(tags),
                _ => Vec::new(),
            };
            let state = state_from_row(r, 3)?;
            let at_start = match &state {
                Some(s) if s.last_review.is_some_and(|last| ms(last) < start) => s
                    .memory
                    .map(|m| (s.last_review.unwrap_or(s.due), m.stability)),
                Some(_) => match (
                    r.get::<_, Option<Millis>>(12)?,
                    r.get::<_, Option<f64>>(13)?,
                ) {
                    (Some(at), Some(stability)) => Some((from_ms(at), stability as f32)),
                    _ => None,
                },
                None => None,
            };
            let card = CardRow {
                card,
                deck: r.get(1)?,
                key: r.get(2)?,
                tags,
                state,
                suspended: r.get(11)?,
            };
            each(&card, at_start);
        }
        Ok(())
    }

    /// Every quiz answer on a card of `decks`, in the order given.
    fn quiz_rows(&self, decks: &[String]) -> Result<Vec<QuizRow>> {
        let sql = format!(
            "SELECT q.session_id, s.started_at, c.deck_id, q.verdict
             FROM quiz_answers q JOIN sessions s ON s.id = q.session_id JOIN cards c ON c.id = q.card_id
             WHERE 1 = 1{} ORDER BY s.started_at, q.rowid",
            deck_filter("c.deck_id", decks)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let quizzes = stmt
            .query_map(params_from_iter(args(decks)), |r| {
                Ok(QuizRow {
                    session: r.get(0)?,
                    started: from_ms(r.get(1)?),
                    deck: r.get(2)?,
                    verdict: r.column(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(quizzes)
    }

    /// The clock the per-day summary is counted in (its shift), if it is kept.
    pub fn summary_shift(&self) -> Result<Option<i64>> {
        summary_shift(&self.conn)
    }

    /// Every review as the statistics read it, in time order: the rows the
    /// summary is made from, for checking it against them.
    pub fn review_rows(&self) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT card_id, at, rating, COALESCE(duration_ms, 0), phase_before,
                    COALESCE(due_before - last_before, 0), stability_after
             FROM reviews ORDER BY at, rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ReviewRow {
                card: r.get(0)?,
                at: from_ms(r.get(1)?),
                rating: r.column(2)?,
                duration_ms: r.get(3)?,
                phase_before: r.column(4)?,
                interval_before: r.get::<_, i64>(5)? as f64 / 86_400_000.0,
                stability_after: r.get::<_, f64>(6)? as f32,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every review of `decks` (all when empty), oldest first, streamed to `each`.
    pub fn export_reviews(
        &self,
        decks: &[String],
        mut each: impl FnMut(ExportedReview) -> std::io::Result<()>,
    ) -> Result<Result<(), std::io::Error>> {
        let sql = format!(
            "SELECT r.card_id, c.deck_id, c.card_key, r.at, r.rating, COALESCE(r.duration_ms, 0), r.utc_offset, r.balanced_due
             FROM reviews r JOIN cards c ON c.id = r.card_id WHERE 1 = 1{} ORDER BY r.at, r.rowid",
            deck_filter("c.deck_id", decks)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args(decks)))?;
        while let Some(r) = rows.next()? {
            let review = ExportedReview {
                card_row: r.get(0)?,
                deck: r.get(1)?,
                card: r.get(2)?,
                at: r.get(3)?,
                rating: r.get(4)?,
                duration_ms: r.get(5)?,
                utc_offset: r.get(6)?,
                balanced_due: r.get(7)?,
            };
            if let Err(e) = each(review) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }
}

pub(super) fn summary_shift(conn: &rusqlite::Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT shift_ms FROM day_clock", [], |r| r.get(0))
        .optional()?)
}

/// Counts the whole log again into `review_days`, in the clock with this
/// shift, and keeps that clock for the triggers to go on counting in.
///
/// The log is read once, in the order of the narrow time index, and summed
/// here: grouping in SQL would visit the wide rows card by card and sort
/// them all.
pub(super) fn summarize_days(conn: &rusqlite::Connection, shift: i64) -> Result<()> {
    let mut decks: Vec<String> = Vec::new();
    let mut deck_of: HashMap<CardRowId, usize> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT id, deck_id FROM cards ORDER BY deck_id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let deck = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            if decks.last().is_none_or(|d| d != deck) {
                decks.push(deck.to_string());
            }
            deck_of.insert(r.get(0)?, decks.len() - 1);
        }
    }
    let mut totals: HashMap<(usize, i64), DayTotals> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT card_id, at, rating, COALESCE(duration_ms, 0), phase_before = 'review',
                    COALESCE(due_before - last_before, 0)
             FROM reviews",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&deck) = deck_of.get(&r.get::<_, CardRowId>(0)?) else {
                continue;
            };
            let day = day_of_ms(r.get(1)?, shift);
            let learnt = r.get::<_, bool>(4)?;
            let interval = r.get::<_, i64>(5)? as f64 / DAY_MS as f64;
            totals
                .entry((deck, day))
                .or_insert(DayTotals {
                    day,
                    ..DayTotals::default()
                })
                .count(
                    r.get::<_, i64>(2)? > 1,
                    r.get(3)?,
                    learnt.then_some(interval),
                );
        }
    }
    conn.execute("DELETE FROM review_days", [])?;
    let mut insert = conn.prepare(
        "INSERT INTO review_days (deck_id, day, reviews, time_ms, remembered, young, young_ok, mature, mature_ok)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    for ((deck, _), t) in totals {
        insert.execute(rusqlite::params![
            decks[deck],
            t.day,
            n(t.reviews),
            t.time_ms,
            n(t.remembered),
            n(t.young),
            n(t.young_ok),
            n(t.mature),
            n(t.mature_ok)
        ])?;
    }
    conn.execute(
        "INSERT INTO day_clock (id, shift_ms) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET shift_ms = excluded.shift_ms",
        [shift],
    )?;
    Ok(())
}

/// Drops the summary: the triggers stop counting until it is made again
/// (for writing very many reviews at once, then summing them in one pass).
pub(super) fn forget_days(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM day_clock; DELETE FROM review_days;")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::MIGRATIONS;
    use crate::stats::MATURE_DAYS;
    use crate::types::{day_of_ms, DayClock, Millis, DAY_MS};
    use chrono::{DateTime, Duration, FixedOffset, Utc};
    use rusqlite::Connection;

    /// A database at the current schema, so the triggers are the ones the
    /// migrations install.
    fn migrated() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        conn
    }

    fn trigger(conn: &Connection, name: &str) -> String {
        conn.query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// The day expression of each trigger that counts days, with the
    /// review's time as `?1` and the clock's shift as `?2`.
    fn day_expressions(conn: &Connection) -> Vec<String> {
        let add = trigger(conn, "review_days_add");
        let line = add
            .lines()
            .find(|l| l.contains("719163 +"))
            .expect("the insert trigger counts a day");
        let on_insert = line
            .trim()
            .trim_end_matches(',')
            .replace("NEW.at", "?1")
            .replace("k.shift_ms", "?2");
        let remove = trigger(conn, "review_days_remove");
        let start = remove
            .find("SELECT 719163")
            .expect("the delete trigger counts a day");
        let rest = &remove[start + "SELECT ".len()..];
        let on_delete = rest[..rest.find(" FROM day_clock").unwrap()]
            .replace("OLD.at", "?1")
            .replace("shift_ms", "?2");
        vec![on_insert, on_delete]
    }

    #[test]
    fn the_triggers_count_days_as_the_day_clock_does() {
        let conn = migrated();
        let expressions = day_expressions(&conn);
        let mut statements: Vec<_> = expressions
            .iter()
            .map(|e| conn.prepare(&format!("SELECT {e}")).unwrap())
            .collect();
        // Every half hour from UTC-12 to UTC+14, and the odd offsets some
        // places keep.
        let mut offsets: Vec<i32> = (-24..=28).map(|h| h * 1800).collect();
        offsets.extend([5 * 3600 + 45 * 60, 8 * 3600 + 45 * 60, 12 * 3600 + 45 * 60]);
        offsets.extend([-(9 * 3600 + 30 * 60), -(3 * 3600 + 30 * 60)]);
        let bases = [
            "0001-01-01T12:00:00Z",
            "1900-02-28T23:59:59Z",
            "1969-12-31T22:30:00Z",
            "1970-01-01T00:00:00Z",
            "2026-03-01T03:59:59.999Z",
            "2026-10-25T01:30:00Z",
            "9999-12-30T12:00:00Z",
        ]
        .map(|s| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc));
        let mut checked = 0;
        for offset in offsets {
            for hour in 0..24 {
                let clock = DayClock::new(FixedOffset::east_opt(offset).unwrap(), hour);
                let shift = clock.shift_ms();
                for base in bases {
                    let day = clock.day(base);
                    let start = clock.day_start(day);
                    // Around the rollover that starts the day, and inside it.
                    let instants = [
                        base,
                        start,
                        start - Duration::milliseconds(1),
                        start + Duration::milliseconds(1),
                        start + Duration::hours(12),
                        start + Duration::milliseconds(DAY_MS - 1),
                    ];
                    assert_eq!(clock.day(start), day);
                    assert_eq!(clock.day(start - Duration::milliseconds(1)), day - 1);
                    for t in instants {
                        let at = t.timestamp_millis();
                        let rust = clock.day(t);
                        assert_eq!(day_of_ms(Millis(at), shift), rust);
                        for (e, stmt) in expressions.iter().zip(&mut statements) {
                            let sql: i64 = stmt.query_row((at, shift), |r| r.get(0)).unwrap();
                            assert_eq!(sql, rust, "{e} at {t}, offset {offset}s, rollover {hour}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 50_000, "{checked}");
    }

    #[test]
    fn the_triggers_call_a_card_mature_at_mature_days() {
        let conn = migrated();
        let mature_ms = (MATURE_DAYS * DAY_MS as f64) as i64;
        let mut found = 0;
        for name in ["review_days_add", "review_days_remove"] {
            let sql = trigger(&conn, name);
            for cut in ["last_before, 0) < ", "last_before, 0) >= "] {
                for (i, _) in sql.match_indices(cut) {
                    let digits: String = sql[i + cut.len()..]
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect();
                    assert_eq!(digits.parse::<i64>().unwrap(), mature_ms, "{name}");
                    found += 1;
                }
            }
        }
        // Young, young remembered, mature, mature remembered, in each.
        assert_eq!(found, 8);
    }
}
