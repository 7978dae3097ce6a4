//! Loading the rows the statistics are computed from, and the review log
//! export. Only the columns needed are read.

use super::{from_ms, state_from_row, Result, Store};
use crate::deck::Card;
use crate::stats::{CardRow, QuizRow, ReviewRow};
use crate::types::{Phase, Rating};
use rusqlite::{params_from_iter, ToSql};

/// A review as exported: the interchange columns plus deck and card ids.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedReview {
    pub card_row: i64,
    pub deck: String,
    pub card: String,
    pub at_ms: i64,
    pub rating: u32,
    pub duration_ms: i64,
    /// The learner's UTC offset at the review, when recorded.
    pub utc_offset: Option<i32>,
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
    /// Reviews (in time order), active cards with their state, and quiz
    /// answers, for `decks` (all when empty).
    pub fn stats_rows(
        &self,
        decks: &[String],
    ) -> Result<(Vec<ReviewRow>, Vec<CardRow>, Vec<QuizRow>)> {
        // All columns come from the covering index `reviews_by_time`, already
        // in time order; the wide rows are never read.
        let sql = if decks.is_empty() {
            "SELECT r.card_id, r.at, r.rating, COALESCE(r.duration_ms, 0), r.phase_before,
                    COALESCE(r.due_before - r.last_before, 0), r.stability_after
             FROM reviews r ORDER BY r.at"
                .to_string()
        } else {
            format!(
                "SELECT r.card_id, r.at, r.rating, COALESCE(r.duration_ms, 0), r.phase_before,
                        COALESCE(r.due_before - r.last_before, 0), r.stability_after
                 FROM reviews r JOIN cards c ON c.id = r.card_id WHERE 1 = 1{} ORDER BY r.at",
                deck_filter("c.deck_id", decks)
            )
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        // Sized from the largest rowid, not COUNT(*): counting is a second
        // scan of the whole log.
        let estimate: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(rowid), 0) FROM reviews", [], |r| {
                    r.get(0)
                })?;
        let mut reviews = Vec::with_capacity(usize::try_from(estimate).unwrap_or(0).min(1 << 26));
        let mut rows = stmt.query(params_from_iter(args(decks)))?;
        while let Some(r) = rows.next()? {
            // The phase is read in place, without a String per review.
            let phase = match r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)? {
                "learning" => Phase::Learning,
                "review" => Phase::Review,
                "relearning" => Phase::Relearning,
                _ => Phase::New,
            };
            reviews.push(ReviewRow {
                card: r.get(0)?,
                at: from_ms(r.get(1)?),
                rating: Rating::from_number(r.get(2)?).unwrap_or(Rating::Again),
                duration_ms: r.get(3)?,
                phase_before: phase,
                interval_before: r.get::<_, i64>(5)? as f64 / 86_400_000.0,
                stability_after: r.get::<_, f64>(6)? as f32,
            });
        }
        let sql = format!(
            "SELECT c.id, c.deck_id, c.card_key, c.content, s.phase, s.step, s.stability, s.difficulty, s.due,
                    s.last_review, s.reps, s.lapses, COALESCE(f.suspended, 0)
             FROM cards c LEFT JOIN card_state s ON s.card_id = c.id LEFT JOIN card_flags f ON f.card_id = c.id
             WHERE c.active = 1{} ORDER BY c.deck_id, c.position",
            deck_filter("c.deck_id", decks)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(args(decks)))?;
        let mut cards = Vec::new();
        while let Some(r) = rows.next()? {
            // Most cards have no tags: only those that do are parsed.
            let content = r.get_ref(3)?.as_str().map_err(rusqlite::Error::from)?;
            let tags = if content.contains("\"tags\"") {
                serde_json::from_str::<Card>(content)
                    .map(|c| c.tags)
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            cards.push(CardRow {
                card: r.get(0)?,
                deck: r.get(1)?,
                key: r.get(2)?,
                tags,
                state: state_from_row(r, 4)?,
                suspended: r.get(12)?,
            });
        }
        let sql = format!(
            "SELECT q.session_id, s.started_at, c.deck_id, q.verdict
             FROM quiz_answers q JOIN sessions s ON s.id = q.session_id JOIN cards c ON c.id = q.card_id
             WHERE 1 = 1{} ORDER BY s.started_at, q.rowid",
            deck_filter("c.deck_id", decks)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let quizzes = stmt
            .query_map(params_from_iter(args(decks)), |r| {
                let verdict: String = r.get(3)?;
                Ok(QuizRow {
                    session: r.get(0)?,
                    started: from_ms(r.get(1)?),
                    deck: r.get(2)?,
                    verdict: verdict.parse().unwrap_or(crate::types::Verdict::Wrong),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((reviews, cards, quizzes))
    }

    /// Every review of `decks` (all when empty), oldest first, streamed to `each`.
    pub fn export_reviews(
        &self,
        decks: &[String],
        mut each: impl FnMut(ExportedReview) -> std::io::Result<()>,
    ) -> Result<Result<(), std::io::Error>> {
        let sql = format!(
            "SELECT r.card_id, c.deck_id, c.card_key, r.at, r.rating, COALESCE(r.duration_ms, 0), r.utc_offset
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
                at_ms: r.get(3)?,
                rating: r.get(4)?,
                duration_ms: r.get(5)?,
                utc_offset: r.get(6)?,
            };
            if let Err(e) = each(review) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }
}
