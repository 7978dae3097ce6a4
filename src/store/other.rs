//! Another machine's kioku database, for `merge`: opened read-only, its
//! schema checked, and its cards and reviews read whole and checked one by
//! one — all before the learner's own database is locked for writing.
//!
//! It never writes to the other file, and every error it gives names that
//! file (as [`StoreError::OtherFile`], which carries no SQLite error), so that
//! no advice meant for the learner's own database is given about it.

use super::outside::{self, Recorded, Refused};
use super::{Result, StoreError, SCHEMA_VERSION};
use crate::types::{CardRowId, Millis};
use rusqlite::{Connection, OpenFlags};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

mod extras;
pub use extras::{TheirAccepted, TheirMove};

/// Reading the other file stops after this long: an ordinary database of
/// millions of reviews is read in seconds.
pub const READ_DEADLINE: Duration = Duration::from_secs(120);

/// More reviews than this are not one learner's.
const MAX_REVIEWS: usize = 20_000_000;

/// A card's stored text larger than this is not a card kioku wrote.
const MAX_CONTENT_BYTES: usize = 1 << 20;

/// A card of the other database that has reviews.
#[derive(Debug, Clone)]
pub struct TheirCard {
    pub deck: String,
    pub key: String,
    pub note: String,
    pub kind: String,
    pub position: i64,
    pub content: String,
    pub content_hash: String,
    pub added_at: Millis,
    pub title: String,
    pub description: Option<String>,
    pub origin: String,
}

/// One of its reviews, checked; `card` indexes [`TheirLog::cards`].
#[derive(Debug, Clone)]
pub struct TheirReview {
    pub id: String,
    pub card: usize,
    pub at: Millis,
    pub rating: i64,
    pub verdict: String,
    pub answer: Option<String>,
    pub duration_ms: Option<i64>,
    pub interval_days: i64,
    pub phases: [String; 2],
    pub steps: [i64; 2],
    pub stability: [Option<f64>; 2],
    pub difficulty: [Option<f64>; 2],
    pub times: [Option<Millis>; 3],
    pub counts: [i64; 2],
    pub utc_offset: Option<i64>,
    /// The due moment Anki chose, for a review imported with its history.
    pub kept_due: Option<Millis>,
    /// The day kioku's load balancer chose at the review.
    pub balanced_due: Option<Millis>,
}

/// What the other database holds that may be merged, and what was refused.
#[derive(Debug, Default)]
pub struct TheirLog {
    pub cards: Vec<TheirCard>,
    pub reviews: Vec<TheirReview>,
    /// Its accepted answers (none before schema version 4); one that does
    /// not pass [`outside::check_accepted`] is left out.
    pub accepted: Vec<TheirAccepted>,
    /// Its moves (none before schema version 7), of the cards kept.
    pub moves: Vec<TheirMove>,
    pub refused: Refused,
    /// Reviews kept with their duration cut to six hours.
    pub shortened: usize,
}

/// An error about the other file, never blamed on the learner's database.
pub(crate) fn foreign(path: &str, e: &rusqlite::Error) -> StoreError {
    use rusqlite::Error as E;
    use rusqlite::ErrorCode as C;
    let detail = match e {
        E::InvalidColumnType(_, name, ty) => {
            format!("holds a value of the wrong type ({ty}) in the column {name}, so kioku did not write it as it is")
        }
        E::FromSqlConversionFailure(..) | E::IntegralValueOutOfRange(..) => {
            "holds a value kioku cannot read, so kioku did not write it as it is".into()
        }
        _ => match e.sqlite_error_code() {
            Some(C::DatabaseCorrupt | C::NotADatabase) => format!(
                "is damaged or is not a database ({e}); copy it again from the other machine"
            ),
            Some(C::OperationInterrupted) => format!(
                "took more than {} seconds to read, which no kioku database does",
                READ_DEADLINE.as_secs()
            ),
            _ => format!("could not be read ({e})"),
        },
    };
    other_file(path, detail)
}

pub(crate) fn other_file(path: &str, detail: String) -> StoreError {
    StoreError::OtherFile {
        path: crate::text::clean_line(path),
        detail: crate::text::clean_line(&detail),
    }
}

/// Stops a connection's statement once `limit` has passed: a watchdog
/// thread interrupts it unless this is dropped first.
pub(crate) struct Deadline {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Deadline {
    pub(crate) fn start(conn: &Connection, limit: Duration) -> Deadline {
        let handle = conn.get_interrupt_handle();
        let (stop, wait) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
                handle.interrupt();
            }
        });
        Deadline {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads the other database whole, within [`READ_DEADLINE`].
pub fn read(path: &Path, now: Millis) -> Result<TheirLog> {
    read_within(path, now, READ_DEADLINE)
}

pub(crate) fn read_within(path: &Path, now: Millis, limit: Duration) -> Result<TheirLog> {
    let shown = path.display().to_string();
    let opened = open(path, &shown)?;
    let deadline = Deadline::start(&opened.conn, limit);
    let version = check_schema(&opened.conn, &shown)?;
    let mut log = TheirLog::default();
    let cards = read_cards(&opened.conn, &shown, version, &mut log)?;
    read_reviews(&opened.conn, &shown, version, now, &cards, &mut log)?;
    if version >= ACCEPTED_SINCE {
        extras::read_accepted(&opened.conn, &shown, now, &cards, &mut log)?;
    }
    if version >= extras::MOVES_SINCE {
        extras::read_moves(&opened.conn, &shown, now, &cards, &mut log)?;
    }
    drop(deadline);
    Ok(log)
}

/// The connection, and the copy it reads when the file itself could not
/// be opened (removed when done).
struct Opened {
    conn: Connection,
    _copy: Option<TempCopy>,
}

/// Opens read-only. A database in WAL mode on read-only media cannot be
/// opened so (SQLite needs to make its `-shm` beside it): without a `-wal`
/// the file alone is the whole database and is opened as immutable; with
/// one, both are copied to a temporary folder and the copy is read.
fn open(path: &Path, shown: &str) -> Result<Opened> {
    if !path.is_file() {
        return Err(other_file(shown, "is not a file".into()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let probe = |conn: Connection| -> rusqlite::Result<Connection> {
        conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(conn)
    };
    let first = Connection::open_with_flags(path, flags).and_then(probe);
    match first {
        Ok(conn) => Ok(Opened { conn, _copy: None }),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) => {
            let wal = wal_of(path);
            if wal.exists() {
                let copy = TempCopy::of(path, &wal).map_err(|io| {
                    other_file(
                        shown,
                        format!("cannot be opened where it is ({e}), nor copied to be read ({io})"),
                    )
                })?;
                let conn = Connection::open_with_flags(copy.db(), flags)
                    .and_then(probe)
                    .map_err(|e| foreign(shown, &e))?;
                Ok(Opened {
                    conn,
                    _copy: Some(copy),
                })
            } else {
                let conn = Connection::open_with_flags(
                    immutable_uri(path),
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )
                .and_then(probe)
                .map_err(|e| foreign(shown, &e))?;
                Ok(Opened { conn, _copy: None })
            }
        }
        Err(e) => Err(foreign(shown, &e)),
    }
}

fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// `file:PATH?immutable=1`, the path percent-encoded as SQLite's URIs want.
pub(crate) fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(b))
            }
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

/// A database and its WAL copied to a private temporary folder.
pub(crate) struct TempCopy {
    dir: PathBuf,
}

impl TempCopy {
    pub(crate) fn of(db: &Path, wal: &Path) -> std::io::Result<TempCopy> {
        let dir = std::env::temp_dir().join(format!("kioku-merge-{:016x}", rand::random::<u64>()));
        std::fs::create_dir(&dir)?;
        let copy = TempCopy { dir };
        std::fs::copy(db, copy.db())?;
        std::fs::copy(wal, wal_of(&copy.db()))?;
        Ok(copy)
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.join("other.db")
    }
}

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The schema version, once the tables merge reads are known to be plain
/// tables (a view could compute rows forever).
fn check_schema(conn: &Connection, shown: &str) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| foreign(shown, &e))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: crate::text::clean_line(shown),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < 1 {
        return Err(other_file(
            shown,
            "is not a kioku database (it has no review log)".into(),
        ));
    }
    for table in ["decks", "cards", "reviews"] {
        let found: Option<(String, String)> = conn
            .query_row(
                "SELECT type, COALESCE(sql, '') FROM sqlite_master WHERE name = ?1",
                [table],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(|e| foreign(shown, &e))?;
        match found {
            Some((kind, sql))
                if kind == "table"
                    && !sql
                        .trim_start()
                        .to_ascii_uppercase()
                        .starts_with("CREATE VIRTUAL") => {}
            Some((kind, _)) => {
                return Err(other_file(
                    shown,
                    format!(
                        "is not a kioku database as it is: its `{table}` is a {kind}, not a table"
                    ),
                ))
            }
            None => {
                return Err(other_file(
                    shown,
                    format!("is not a kioku database (it has no `{table}` table)"),
                ))
            }
        }
    }
    Ok(version)
}

/// The schema version that added accepted answers.
const ACCEPTED_SINCE: i64 = 4;

/// Their cards that have reviews or accepted answers, checked; returns
/// their row → index in `log.cards`, or the reason the card was refused.
fn read_cards(
    conn: &Connection,
    shown: &str,
    version: i64,
    log: &mut TheirLog,
) -> Result<HashMap<CardRowId, std::result::Result<usize, String>>> {
    let accepted = if version >= ACCEPTED_SINCE {
        " OR c.id IN (SELECT DISTINCT card_id FROM accepted_answers)"
    } else {
        ""
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT c.id, c.deck_id, c.card_key, c.note, c.kind, c.position, c.content, c.content_hash, c.added_at,
                    d.title, d.description, d.origin
             FROM cards c JOIN decks d ON d.id = c.deck_id
             WHERE c.id IN (SELECT DISTINCT card_id FROM reviews){accepted}"
        ))
        .map_err(|e| foreign(shown, &e))?;
    let mut rows = stmt.query([]).map_err(|e| foreign(shown, &e))?;
    let mut map = HashMap::new();
    while let Some(r) = rows.next().map_err(|e| foreign(shown, &e))? {
        let card = (|| -> rusqlite::Result<(CardRowId, TheirCard)> {
            Ok((
                r.get(0)?,
                TheirCard {
                    deck: r.get(1)?,
                    key: r.get(2)?,
                    note: r.get(3)?,
                    kind: r.get(4)?,
                    position: r.get(5)?,
                    content: r.get(6)?,
                    content_hash: r.get(7)?,
                    added_at: r.get(8)?,
                    title: r.get(9)?,
                    description: r.get(10)?,
                    origin: r.get(11)?,
                },
            ))
        })()
        .map_err(|e| foreign(shown, &e))?;
        let (row, card) = card;
        let verdict = check_card(&card).map(|()| {
            log.cards.push(card);
            log.cards.len() - 1
        });
        map.insert(row, verdict);
    }
    Ok(map)
}

/// A card is kept only if it could be one of kioku's own.
fn check_card(c: &TheirCard) -> std::result::Result<(), String> {
    outside::check_card_key(&c.deck, &c.key)?;
    let short = |s: &str| s.len() <= 4096;
    // Read as this machine's own cards are: decoded, then held to the rules
    // of its type, so that nothing merged can be asked and then fail.
    let readable = || {
        serde_json::from_str::<crate::deck::Card>(&c.content)
            .ok()
            .is_some_and(|card| card.check_stored().is_ok())
    };
    if c.content.len() > MAX_CONTENT_BYTES || !readable() {
        return Err("a card whose stored text kioku cannot read".into());
    }
    if ![&c.note, &c.kind, &c.content_hash, &c.title, &c.origin]
        .iter()
        .all(|s| short(s))
        || !c.description.as_deref().is_none_or(short)
    {
        return Err("a card with an overlong name or title".into());
    }
    Ok(())
}

fn read_reviews(
    conn: &Connection,
    shown: &str,
    version: i64,
    now: Millis,
    cards: &HashMap<CardRowId, std::result::Result<usize, String>>,
    log: &mut TheirLog,
) -> Result<()> {
    let sql = format!("{} ORDER BY card_id, at, id", select_reviews(version));
    let mut stmt = conn.prepare(&sql).map_err(|e| foreign(shown, &e))?;
    let mut rows = stmt.query([]).map_err(|e| foreign(shown, &e))?;
    while let Some(r) = rows.next().map_err(|e| foreign(shown, &e))? {
        let (card_row, review) = review_of(r).map_err(|e| foreign(shown, &e))?;
        let place = || format!("at {}", outside::shown_time(review.at));
        let card = match cards.get(&card_row) {
            Some(Ok(i)) => *i,
            Some(Err(why)) => {
                log.refused.add(place, why);
                continue;
            }
            None => {
                log.refused
                    .add(place, "a review of a card it does not have");
                continue;
            }
        };
        match check_review(&review, now) {
            Ok(shortened) => {
                log.shortened += usize::from(shortened);
                let duration_ms = review.duration_ms.map(|d| d.min(outside::MAX_DURATION_MS));
                log.reviews.push(TheirReview {
                    card,
                    duration_ms,
                    ..review
                });
            }
            Err(why) => log.refused.add(place, &why),
        }
        if log.reviews.len() > MAX_REVIEWS {
            return Err(other_file(
                shown,
                format!("holds more than {MAX_REVIEWS} reviews, more than one learner makes"),
            ));
        }
    }
    Ok(())
}

/// Checks every review of a kioku database as a merge would, without
/// keeping any: what is refused, counted, with the first reason.
pub(super) fn check_log(
    conn: &Connection,
    shown: &str,
    version: i64,
    now: Millis,
) -> Result<Refused> {
    let sql = select_reviews(version);
    let mut refused = Refused::default();
    let mut stmt = conn.prepare(&sql).map_err(|e| foreign(shown, &e))?;
    let mut rows = stmt.query([]).map_err(|e| foreign(shown, &e))?;
    while let Some(r) = rows.next().map_err(|e| foreign(shown, &e))? {
        match review_of(r) {
            Ok((_, review)) => {
                if let Err(why) = check_review(&review, now) {
                    refused.add(|| format!("at {}", outside::shown_time(review.at)), &why);
                }
            }
            Err(e) => refused.add(|| "a row".to_string(), &e.to_string()),
        }
    }
    Ok(refused)
}

/// Every column of the reviews of a database at schema `version`, in the
/// order [`review_of`] reads them (the UTC offset came with version 2, the
/// kept due moment with version 6, the balanced day with version 7).
fn select_reviews(version: i64) -> String {
    let offset = if version >= 2 { "utc_offset" } else { "NULL" };
    let kept = if version >= 6 { "kept_due" } else { "NULL" };
    let balanced = if version >= 7 { "balanced_due" } else { "NULL" };
    format!(
        "SELECT id, card_id, at, rating, verdict, answer, duration_ms, interval_days,
                phase_before, step_before, stability_before, difficulty_before, due_before, last_before, reps_before, lapses_before,
                phase_after, step_after, stability_after, difficulty_after, due_after, {offset}, {kept}, {balanced}
         FROM reviews"
    )
}

/// One row as read, with its card's row in the other file.
fn review_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<(CardRowId, TheirReview)> {
    Ok((
        r.get(1)?,
        TheirReview {
            id: r.get(0)?,
            card: 0,
            at: r.get(2)?,
            rating: r.get(3)?,
            verdict: r.get(4)?,
            answer: r.get(5)?,
            duration_ms: r.get(6)?,
            interval_days: r.get(7)?,
            phases: [r.get(8)?, r.get(16)?],
            steps: [r.get(9)?, r.get(17)?],
            stability: [r.get(10)?, r.get(18)?],
            difficulty: [r.get(11)?, r.get(19)?],
            times: [r.get(12)?, r.get(13)?, r.get(20)?],
            counts: [r.get(14)?, r.get(15)?],
            utc_offset: r.get(21)?,
            kept_due: r.get(22)?,
            balanced_due: r.get(23)?,
        },
    ))
}

/// The one check of a merged review; `Ok(true)` when its duration is over
/// six hours and will be cut to that.
fn check_review(r: &TheirReview, now: Millis) -> std::result::Result<bool, String> {
    outside::check_review_id(&r.id)?;
    outside::check_time(r.at, now)?;
    outside::check_rating(r.rating)?;
    outside::check_offset(r.utc_offset)?;
    for due in [r.kept_due, r.balanced_due].into_iter().flatten() {
        outside::check_kept_due(due, r.at)?;
    }
    if r.stability[1].is_none() || r.difficulty[1].is_none() || r.times[2].is_none() {
        return Err("a review without the state it left its card in".into());
    }
    let shortened = match outside::check_duration(r.duration_ms) {
        Ok(()) => false,
        Err(_) if r.duration_ms.is_some_and(|d| d > 0) => true,
        Err(why) => return Err(why),
    };
    outside::check_recorded(
        &Recorded {
            verdict: &r.verdict,
            answer: r.answer.as_deref(),
            interval_days: r.interval_days,
            phases: [&r.phases[0], &r.phases[1]],
            steps: r.steps,
            stability: r.stability,
            difficulty: r.difficulty,
            times: r.times,
            counts: r.counts,
        },
        now,
    )?;
    Ok(shortened)
}

#[cfg(test)]
mod tests;
