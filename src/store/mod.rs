//! SQLite: opening and migrating the database, syncing decks into it, the
//! study queue, and the append-only review log.
//!
//! Pragmas (WAL, foreign keys, busy timeout, full sync) are set on every
//! connection. A database written by a newer kioku is refused before anything
//! is written to it.

mod accepted;
mod backup;
mod cards;
mod counts;
mod load;
mod lock;
mod merge;
pub(crate) mod moves;
mod other;
pub mod outside;
mod pending;
mod quiz;
mod replay;
mod restore;
mod reviews;
mod sql_types;
mod starts;
mod stats;
mod sync;

pub use accepted::{clean_accepted, Accepted, AcceptedAnswer, MAX_ACCEPTED_CHARS};
pub use backup::{backup_dir, list_backups, BackupKind};
pub use cards::{CardRecord, QueueCard, StudyQueue};
pub use counts::DeckCounts;
pub use load::{LoadAhead, ReviewCard};
pub use merge::describe_refused;
pub use moves::{Move, MoveReason, MoveRecord};
pub use outside::Refused;
pub use pending::{patiently, RESTORED};
pub use quiz::{NewQuizAnswer, QuizRecord};
pub use replay::{Added, Imported, Rebuilt};
pub use restore::{restore, verify, Kept, Restored};
pub use reviews::{NewReview, ReviewRecord};
pub use stats::{ExportedReview, RatingCounts};
pub use sync::{DeckSynonyms, SyncReport, SyncedDeck};

use crate::scheduler::CardState;
use crate::settings::{SettingError, Settings};
use crate::types::{Millis, Phase, SessionId};
use chrono::{DateTime, Utc};
use fsrs::MemoryState;
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use sql_types::RowExt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

const MIGRATION_SLICE: &[M<'static>] = &[
    M::up(include_str!("../../migrations/0001_init.sql")),
    M::up(include_str!("../../migrations/0002_review_offsets.sql")),
    M::up(include_str!("../../migrations/0003_faster_reads.sql")),
    M::up(include_str!("../../migrations/0004_accepted_answers.sql")),
    M::up(include_str!("../../migrations/0005_deck_synonyms.sql")),
    M::up(include_str!("../../migrations/0006_kept_due.sql")),
    M::up(include_str!("../../migrations/0007_moves.sql")),
    M::up(include_str!("../../migrations/0008_deck_counts.sql")),
    M::up(include_str!("../../migrations/0009_card_starts.sql")),
    M::up(include_str!("../../migrations/0010_set_aside.sql")),
];

/// What a state with no FSRS memory keeps in the stability and difficulty
/// columns of `card_state` and a review's `…_after`, which are NOT NULL:
/// zeros, read back as a memory of zeros.
pub(crate) const NO_MEMORY: MemoryState = MemoryState {
    stability: 0.0,
    difficulty: 0.0,
};
/// The schema, one plain SQL file per version.
pub static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::from_slice(MIGRATION_SLICE));

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} was written by a newer kioku (schema version {found}; this build knows up to {known}); \
         update kioku to use it — the file was not changed"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("{path} is not a kioku database, or it is damaged ({detail}); move it aside or pass another --db")]
    NotADatabase { path: String, detail: String },
    #[error("cannot open the database {path}: {detail}")]
    Open { path: String, detail: String },
    #[error("could not upgrade the database: {0}")]
    Migration(String),
    #[error(transparent)]
    Setting(#[from] SettingError),
    #[error("a setting stored in the database is invalid ({0}); set it again with `kioku config KEY VALUE`")]
    StoredSetting(SettingError),
    #[error("replaying the review log failed: {0}")]
    Replay(String),
    #[error("{path} is not a kioku database ({detail})")]
    NotKioku { path: String, detail: String },
    /// A problem with a file other than the learner's database (the one
    /// being merged): it carries no SQLite error, so that nothing said of
    /// it reads as advice about the learner's own file.
    #[error("{path} {detail}; nothing was changed in your database")]
    OtherFile { path: String, detail: String },
    #[error("a stored card could not be read")]
    Content(#[from] serde_json::Error),
    /// A card whose stored content does not decode, or breaks a rule of its
    /// type: the database was changed by something other than kioku.
    #[error(
        "the stored card `{card}` of deck `{deck}` cannot be used ({detail}); \
         restore a backup with `kioku restore FILE`, or change the card in its deck file"
    )]
    BadCard {
        deck: String,
        card: String,
        detail: String,
    },
    /// A deck's stored `synonyms` that do not decode, or break the deck
    /// format's rules: the database was changed by something other than kioku.
    #[error(
        "the stored synonyms of deck `{deck}` cannot be used ({detail}); \
         restore a backup with `kioku restore FILE`, or change `synonyms` in its deck file"
    )]
    BadDeck { deck: String, detail: String },
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the database {path} is damaged ({detail}); restore a backup with `kioku restore FILE`"
    )]
    Damaged { path: String, detail: String },
    #[error("cannot write the backup {path}: {detail}")]
    Backup { path: String, detail: String },
    #[error("{path} cannot be restored: {detail}; nothing was changed")]
    NotRestorable { path: String, detail: String },
    #[error(
        "another kioku has the database {path} open (a study session in another terminal?); \
         close it, then run restore again; nothing was changed"
    )]
    InUse { path: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open kioku database.
pub struct Store {
    conn: Connection,
    path: String,
    /// Held while the connection lives (and dropped after it): `restore`
    /// waits for it. None for a database in memory or a file only read.
    lock: Option<lock::DbLock>,
    /// The bulk writers' lock, while this store holds it.
    bulk: Option<lock::DbLock>,
}

/// How long an open waits for a restore in another kioku to finish.
const RESTORE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    /// `now` names the copy made before a migration.
    pub fn open(path: &Path, now: DateTime<Utc>) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: shown.clone(),
                detail: if parent.exists() && !parent.is_dir() {
                    format!("{} is not a folder", parent.display())
                } else {
                    format!(
                        "cannot create the folder {}: {}",
                        parent.display(),
                        crate::deck::describe_io(&e)
                    )
                },
            })?;
        }
        // A device or a FIFO (`--db /dev/null`) would open, then fail in
        // SQLite with a disk I/O error that says nothing of the cause.
        if let Ok(meta) = std::fs::metadata(path) {
            if !meta.is_file() && !meta.is_dir() {
                return Err(StoreError::Open {
                    path: shown,
                    detail: "it is not a regular file (a device or a FIFO); pass --db PATH (or set KIOKU_DB) to a database file".into(),
                });
            }
        }
        // Ask the file system first: its answer (read-only, no permission,
        // not a folder) says more than SQLite's "unable to open".
        if let Err(e) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
        {
            return Err(StoreError::Open {
                path: shown,
                detail: format!(
                    "{}; pass --db PATH (or set KIOKU_DB) to a place you can write",
                    crate::deck::describe_io(&e)
                ),
            });
        }
        // Taken before SQLite opens the file, so that a restore under way
        // finishes first and this opens the file it put in place. Where no
        // lock can be had at all (a file system without locks), kioku works
        // as before, and SQLite says what it thinks of the place.
        let lock = match lock::DbLock::shared(path, RESTORE_WAIT) {
            Ok(held) => Some(held),
            Err(lock::LockError::Busy) => return Err(StoreError::Open {
                path: shown,
                detail:
                    "another kioku is restoring a backup into it; try again when it has finished"
                        .into(),
            }),
            Err(lock::LockError::Io(_)) => None,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Open {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        let mut store = Self::prepare_with(conn, shown, &MIGRATIONS, SCHEMA_VERSION, now)?;
        store.lock = lock;
        Ok(store)
    }

    /// Opens another kioku database only to read it (for `merge`): it is
    /// never migrated or written.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if !path.is_file() {
            return Err(StoreError::Open {
                path: shown,
                detail: "no such file".into(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| StoreError::NotADatabase {
                path: shown.clone(),
                detail: e.to_string(),
            })?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: shown,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let has_log = conn
            .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reviews'")
            .and_then(|mut s| s.exists([]))
            .map_err(|e| StoreError::NotADatabase {
                path: shown.clone(),
                detail: e.to_string(),
            })?;
        if version < 1 || !has_log {
            return Err(StoreError::NotKioku {
                path: shown,
                detail: "it has no review log".into(),
            });
        }
        Ok(Store {
            conn,
            path: shown,
            lock: None,
            bulk: None,
        })
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        // A database in memory starts empty: it is never migrated from an
        // older version, so no copy is made and the moment does not matter.
        Self::prepare_with(
            Connection::open_in_memory()?,
            ":memory:".into(),
            &MIGRATIONS,
            SCHEMA_VERSION,
            DateTime::<Utc>::UNIX_EPOCH,
        )
    }

    /// Opens with a given migration list (`target` is its last version):
    /// a database at an older version is backed up, then migrated.
    fn prepare_with(
        mut conn: Connection,
        path: String,
        migrations: &Migrations<'_>,
        target: i64,
        now: DateTime<Utc>,
    ) -> Result<Store> {
        let classify = |e: rusqlite::Error, path: &str| {
            match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase)
            | Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::NotADatabase {
                path: path.to_string(),
                detail: e.to_string(),
            },
            Some(rusqlite::ErrorCode::SystemIoFailure) | Some(rusqlite::ErrorCode::DiskFull) => {
                StoreError::Open {
                    path: path.to_string(),
                    detail: format!(
                        "it cannot be written ({e}): the disk may be full or a file size limit reached; nothing was changed"
                    ),
                }
            }
            _ => StoreError::Open {
                path: path.to_string(),
                detail: e.to_string(),
            },
        }
        };
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(|e| classify(e, &path))?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| classify(e, &path))?;
        if found > target {
            return Err(StoreError::TooNew {
                path,
                found,
                known: target,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| classify(e, &path))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| classify(e, &path))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| classify(e, &path))?;
        if found < target {
            if found >= 1 && path != ":memory:" {
                // Years of reviews are not put through a migration without
                // a copy of them as they were.
                let store = Store {
                    conn,
                    path,
                    lock: None,
                    bulk: None,
                };
                store
                    .backup(now, &format!("-before-v{target}"))
                    .map_err(|e| {
                        StoreError::Migration(format!(
                            "no backup could be made first ({e}); nothing was changed"
                        ))
                    })?;
                conn = store.conn;
                return Self::migrate(conn, store.path, migrations);
            }
            return Self::migrate(conn, path, migrations);
        }
        Ok(Store {
            conn,
            path,
            lock: None,
            bulk: None,
        })
    }

    fn migrate(mut conn: Connection, path: String, migrations: &Migrations<'_>) -> Result<Store> {
        migrations
            .to_latest(&mut conn)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(Store {
            conn,
            path,
            lock: None,
            bulk: None,
        })
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The settings, over their defaults. A stored value is checked as a
    /// typed one is: a restored or merged database may carry anything.
    pub fn settings(&self) -> Result<Settings> {
        self.settings_without(None)
    }

    fn settings_without(&self, skipped: Option<&str>) -> Result<Settings> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings WHERE key <> ?1")?;
        let pairs: Vec<(String, String)> = stmt
            .query_map([pending::STALE_KEY], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let pairs = pairs
            .iter()
            .filter(|(k, _)| Some(k.as_str()) != skipped)
            .map(|(k, v)| (k.as_str(), v.as_str()));
        Settings::from_pairs(pairs).map_err(StoreError::StoredSetting)
    }

    /// Checks and stores one setting. The stored value of that key is not
    /// read first, so a bad one can always be set right.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<Settings> {
        let mut settings = self.settings_without(Some(key))?;
        settings.set(key, value)?;
        let normalized = settings.get(key).unwrap_or_else(|| value.to_string());
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, normalized),
        )?;
        Ok(settings)
    }

    /// Starts a study or quiz session; returns its id.
    pub fn start_session(
        &self,
        kind: &str,
        decks: &[String],
        seed: u64,
        now: DateTime<Utc>,
    ) -> Result<SessionId> {
        let decks = quiz::deck_key(decks)?;
        self.conn.execute(
            "INSERT INTO sessions (kind, started_at, decks, seed) VALUES (?1, ?2, ?3, ?4)",
            (kind, ms(now), decks, seed as i64),
        )?;
        Ok(SessionId(self.conn.last_insert_rowid()))
    }

    pub fn end_session(&self, id: SessionId, now: DateTime<Utc>) -> Result<()> {
        self.conn.execute(
            "UPDATE sessions SET ended_at = ?2 WHERE id = ?1",
            (id, ms(now)),
        )?;
        Ok(())
    }
}

/// Where the database lives unless `--db` / `KIOKU_DB` says otherwise.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kioku").map(|d| d.data_dir().join("kioku.db"))
}

/// The learner's own deck folder, beside the default database.
pub fn default_deck_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kioku").map(|d| d.data_dir().join("decks"))
}

/// A moment as it is stored.
pub(crate) fn ms(t: DateTime<Utc>) -> Millis {
    Millis::from(t)
}

/// A stored moment read back: clamped to the years an RFC 3339 time can be
/// written in ([`Millis::clamped`]), the one policy for every time column.
pub(crate) fn from_ms(v: Millis) -> DateTime<Utc> {
    v.clamped()
}

/// 64-bit FNV-1a, as hex: a cheap fingerprint for "has this changed?".
pub(crate) fn fingerprint(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A stable number for a card, used to seed its fuzz and option shuffles; the
/// same on every machine.
pub fn card_seed(deck_id: &str, card_key: &str) -> u64 {
    u64::from_str_radix(&fingerprint(&[deck_id.as_bytes(), card_key.as_bytes()]), 16).unwrap_or(0)
}

/// Reads a `card_state` row (columns phase, step, stability, difficulty, due,
/// last_review, reps, lapses starting at `at`).
pub(crate) fn state_from_row(
    row: &rusqlite::Row<'_>,
    at: usize,
) -> rusqlite::Result<Option<CardState>> {
    let Some(phase) = row.column::<Option<Phase>>(at)? else {
        return Ok(None);
    };
    Ok(Some(CardState {
        phase,
        step: row.get(at + 1)?,
        memory: Some(MemoryState {
            stability: row.get::<_, f64>(at + 2)? as f32,
            difficulty: row.get::<_, f64>(at + 3)? as f32,
        }),
        due: from_ms(row.get(at + 4)?),
        last_review: Some(from_ms(row.get(at + 5)?)),
        reps: row.get(at + 6)?,
        lapses: row.get(at + 7)?,
    }))
}

impl Store {
    /// A write transaction that takes the write lock at once, waiting (up to
    /// the busy timeout) for another process to finish: a second terminal
    /// waits its turn instead of failing with "database is locked".
    pub(crate) fn write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }
}

#[cfg(test)]
mod tests;
