//! How the plain types are kept in SQLite: a rating as its number 1–4, a
//! phase and a verdict as their names, an id as what it wraps, an instant
//! as its milliseconds since 1970. The plain types know nothing of
//! SQLite; this is the one place that does.
//!
//! One policy for a value that is none of these (a hand-edited or damaged
//! database): reading it is an error that names the column and the value,
//! never a quiet default that would replay or score the card as something
//! it was not. Read such columns with [`RowExt::column`].

use crate::types::{AnswerId, CardRowId, Millis, Phase, Rating, SessionId, Verdict};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::Row;

/// What is wrong with a stored value, and where it is.
#[derive(Debug, thiserror::Error)]
#[error("the column `{column}` holds {problem}")]
pub struct BadValue {
    pub column: String,
    pub problem: String,
}

fn bad(problem: String) -> FromSqlError {
    FromSqlError::Other(problem.into())
}

/// Stored text, quoted for a message: cleaned and cut short.
fn quoted(s: &str) -> String {
    format!("`{}`", crate::text::quote(s))
}

impl ToSql for Rating {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(i64::from(self.number())))
    }
}

impl FromSql for Rating {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let n = i64::column_result(value)?;
        Rating::from_number(n).ok_or_else(|| bad(format!("{n}, which is not a rating (1–4)")))
    }
}

impl ToSql for Phase {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.name()))
    }
}

impl FromSql for Phase {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        s.parse()
            .map_err(|_| bad(format!("{}, which is not a phase", quoted(s))))
    }
}

impl ToSql for Verdict {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.name()))
    }
}

impl FromSql for Verdict {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        s.parse()
            .map_err(|_| bad(format!("{}, which is not a verdict", quoted(s))))
    }
}

/// An id is kept as the integer or text it wraps; any value of that kind
/// is a valid id (whether it names a row is the query's question). An
/// instant is kept as its milliseconds; any integer is one, and reading it
/// as a date is checked where that is done ([`Millis::clamped`]).
macro_rules! stored_as {
    ($id:ty, $inner:ty) => {
        impl ToSql for $id {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $id {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                <$inner>::column_result(value).map(Self)
            }
        }
    };
}

stored_as!(CardRowId, i64);
stored_as!(SessionId, i64);
stored_as!(AnswerId, String);
stored_as!(Millis, i64);

/// `Row::get`, with the column's name in a conversion error.
pub(crate) trait RowExt {
    fn column<T: FromSql>(&self, index: usize) -> rusqlite::Result<T>;
}

impl RowExt for Row<'_> {
    fn column<T: FromSql>(&self, index: usize) -> rusqlite::Result<T> {
        self.get(index).map_err(|e| match e {
            rusqlite::Error::FromSqlConversionFailure(i, ty, inner) => {
                let column = self
                    .as_ref()
                    .column_name(i)
                    .map_or_else(|_| format!("number {i}"), str::to_string);
                rusqlite::Error::FromSqlConversionFailure(
                    i,
                    ty,
                    Box::new(BadValue {
                        column,
                        problem: inner.to_string(),
                    }),
                )
            }
            e => e,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn read<T: FromSql>(sql: &str) -> rusqlite::Result<T> {
        let conn = Connection::open_in_memory().unwrap();
        conn.query_row(sql, [], |r| r.column(0))
    }

    #[test]
    fn every_value_round_trips() {
        let conn = Connection::open_in_memory().unwrap();
        for r in Rating::ALL {
            let back: Rating = conn.query_row("SELECT ?1", [r], |row| row.get(0)).unwrap();
            assert_eq!(back, r);
            let n: i64 = conn.query_row("SELECT ?1", [r], |row| row.get(0)).unwrap();
            assert_eq!(n, i64::from(r.number()));
        }
        for p in [
            Phase::New,
            Phase::Learning,
            Phase::Review,
            Phase::Relearning,
        ] {
            let back: Phase = conn.query_row("SELECT ?1", [p], |row| row.get(0)).unwrap();
            assert_eq!(back, p);
        }
        for v in [
            Verdict::Correct,
            Verdict::Close,
            Verdict::Wrong,
            Verdict::SelfGraded,
        ] {
            let back: Verdict = conn.query_row("SELECT ?1", [v], |row| row.get(0)).unwrap();
            assert_eq!(back, v);
            let name: String = conn.query_row("SELECT ?1", [v], |row| row.get(0)).unwrap();
            assert_eq!(name, v.name());
        }
    }

    /// Any instant is kept as its number, out-of-range ones too: turning it
    /// into a date is checked later, not refused or altered on the way in.
    #[test]
    fn an_instant_round_trips_as_its_milliseconds() {
        let conn = Connection::open_in_memory().unwrap();
        for m in [
            Millis(0),
            Millis(1_772_000_000_123),
            Millis::EARLIEST,
            Millis(i64::MIN),
            Millis(i64::MAX),
        ] {
            let back: Millis = conn.query_row("SELECT ?1", [m], |row| row.get(0)).unwrap();
            assert_eq!(back, m);
            let n: i64 = conn.query_row("SELECT ?1", [m], |row| row.get(0)).unwrap();
            assert_eq!(n, m.0);
        }
        assert!(read::<Millis>("SELECT 'soon' AS at").is_err());
    }

    #[test]
    fn a_bad_stored_value_is_an_error_naming_its_column() {
        let cases: [(rusqlite::Result<()>, &str); 6] = [
            (
                read::<Rating>("SELECT 7 AS rating").map(drop),
                "the column `rating` holds 7, which is not a rating (1–4)",
            ),
            (
                read::<Rating>("SELECT 0 AS rating").map(drop),
                "the column `rating` holds 0, which is not a rating",
            ),
            (
                read::<Phase>("SELECT 'graduated' AS phase_before").map(drop),
                "the column `phase_before` holds `graduated`, which is not a phase",
            ),
            (
                read::<Verdict>("SELECT 'maybe' AS verdict").map(drop),
                "the column `verdict` holds `maybe`, which is not a verdict",
            ),
            (
                read::<Verdict>("SELECT 'x' || char(27) || '[2J' AS verdict").map(drop),
                "the column `verdict` holds `x[2J`, which is not a verdict",
            ),
            (
                read::<Rating>("SELECT 'good' AS rating").map(drop),
                "name: rating",
            ),
        ];
        for (result, expected) in cases {
            let err = result.unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
        // A missing value is the caller's to allow, with Option.
        let none: Option<Phase> = read("SELECT NULL AS phase").unwrap();
        assert_eq!(none, None);
    }

    /// A review row edited by hand past the schema's checks: every reader
    /// of the log refuses it by column instead of counting it as a default.
    #[test]
    fn a_corrupt_review_is_refused_by_every_reader() {
        use crate::deck::DeckSource;
        use crate::scheduler::CardState;
        use crate::store::{NewReview, Store};
        use chrono::{DateTime, Utc};

        let now: DateTime<Utc> = "2026-02-01T09:00:00Z".parse().unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let deck = DeckSource::from_text(
            "d.toml",
            "format = 1\n[deck]\nid = \"d\"\ntitle = \"D\"\n[[cards]]\nid = \"a\"\ntype = \"basic\"\nq = \"Q\"\na = \"A\"\n",
        );
        store.sync(&[deck], now).unwrap();
        let card = store.find_card("d", "a").unwrap().unwrap();
        let after = CardState {
            phase: Phase::Learning,
            step: 1,
            memory: Some(fsrs::MemoryState {
                stability: 2.3,
                difficulty: 2.1,
            }),
            due: now,
            last_review: Some(now),
            reps: 1,
            lapses: 0,
        };
        store
            .record_review(&NewReview {
                card_row: card.row,
                session: None,
                at: now,
                rating: Rating::Good,
                verdict: Verdict::SelfGraded,
                answer: None,
                duration_ms: Some(1200),
                interval_days: 0,
                before: None,
                after,
                utc_offset: Some(0),
                accepted: None,
                kept_due: None,
                balanced_due: None,
            })
            .unwrap();
        assert_eq!(
            store.card_reviews(card.row).unwrap()[0].rating,
            Rating::Good
        );
        assert_eq!(store.review_rows().unwrap()[0].rating, Rating::Good);

        let corrupt = |sql: &str| {
            let conn = &store.conn;
            conn.pragma_update(None, "ignore_check_constraints", true)
                .unwrap();
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "ignore_check_constraints", false)
                .unwrap();
        };
        let chain = |e: crate::store::StoreError| format!("{:#}", anyhow::Error::from(e));
        corrupt("UPDATE reviews SET rating = 7");
        for err in [
            chain(store.card_reviews(card.row).unwrap_err()),
            chain(store.review_rows().unwrap_err()),
        ] {
            assert!(
                err.contains("the column `rating` holds 7, which is not a rating"),
                "{err}"
            );
        }
        corrupt("UPDATE reviews SET rating = 3, phase_before = 'graduated'");
        let err = chain(store.review_rows().unwrap_err());
        assert!(
            err.contains("the column `phase_before` holds `graduated`"),
            "{err}"
        );
        corrupt("UPDATE card_state SET phase = 'limbo'");
        let err = chain(store.find_card("d", "a").unwrap_err());
        assert!(err.contains("the column `phase` holds `limbo`"), "{err}");
    }
}
