//! Bulk writes (merge, history import, new parameters, rebuild) are split
//! into short transactions so that another terminal never waits long. This
//! module keeps what makes that safe: a mark in the settings table, written
//! in the same transaction as the reviews or parameters, saying the card
//! states are behind the log until the rebuild's last transaction clears it;
//! and a lock that lets one bulk writer run at a time, so that a mark left
//! by a writer that was killed can be told from one still at work.
//!
//! A study session's save that meets a busy database is tried again here
//! ([`patiently`]) rather than lost.
//!
//! It never decides what to rebuild, and never clears the mark itself
//! outside a rebuild's last transaction.

use super::lock::{DbLock, LockError};
use super::{Result, Store};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::time::{Duration, Instant};

/// The settings key of the mark; its value says what was under way.
pub(super) const STALE_KEY: &str = "states_stale";

/// The mark a restore leaves: its caches were dropped, not cut short.
pub const RESTORED: &str = "restore";

/// How much one transaction of a bulk write does at most.
pub(super) const BATCH_ROWS: usize = 20_000;
pub(super) const BATCH_TIME: Duration = Duration::from_millis(500);

/// Counts the work of one transaction and says when to commit it.
pub(super) struct Pace {
    started: Instant,
    done: usize,
}

impl Pace {
    pub(super) fn new() -> Pace {
        Pace {
            started: Instant::now(),
            done: 0,
        }
    }

    /// Counts `n` more rows; true once the transaction should be committed.
    pub(super) fn spent(&mut self, n: usize) -> bool {
        self.done += n;
        self.done >= BATCH_ROWS || self.started.elapsed() >= BATCH_TIME
    }
}

/// Marks the states as behind the log, inside the caller's transaction.
pub(super) fn mark_stale(conn: &Connection, what: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (STALE_KEY, what),
    )?;
    Ok(())
}

pub(super) fn clear_stale(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM settings WHERE key = ?1", [STALE_KEY])?;
    Ok(())
}

/// Drops every trigger on `table`, keeping the statement that made each in
/// `set_aside`, inside the caller's transaction, which also holds the stale
/// mark: a bulk write then keeps no statement journal for each row. The
/// caller recounts what the triggers keep before [`restore_triggers`].
pub(super) fn set_triggers_aside(conn: &Connection, table: &str) -> Result<()> {
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1")?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, sql) in &triggers {
        conn.execute(
            "INSERT OR REPLACE INTO set_aside (name, sql) VALUES (?1, ?2)",
            (name, sql),
        )?;
        conn.execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(())
}

/// Makes again every trigger a bulk write set aside (a kill may have left
/// them aside); true if there were any. Only a `CREATE TRIGGER` statement
/// is run, one each, and one whose name is taken is not made twice.
pub(super) fn restore_triggers(conn: &Connection) -> Result<bool> {
    let kept: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM set_aside ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, sql) in &kept {
        let made: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if made {
            continue;
        }
        if !sql
            .trim_start()
            .to_ascii_uppercase()
            .starts_with("CREATE TRIGGER")
        {
            return Err(super::StoreError::Replay(format!(
                "the trigger {name} set aside is not a CREATE TRIGGER statement"
            )));
        }
        conn.execute(sql, [])?;
    }
    conn.execute("DELETE FROM set_aside", [])?;
    Ok(!kept.is_empty())
}

impl Store {
    /// What was cut short, if the card states are behind the log.
    pub fn pending_rebuild(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [STALE_KEY],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Takes the bulk writers' lock, waiting for another kioku that holds
    /// it. Returns false if this store holds it already.
    pub(super) fn lock_bulk(&mut self) -> Result<bool> {
        if self.bulk.is_some() || self.path == ":memory:" {
            return Ok(false);
        }
        let db = Path::new(&self.path);
        let lock = match DbLock::bulk(db, false) {
            Err(LockError::Busy) => {
                eprintln!(
                    "kioku: waiting for another kioku to finish updating {}…",
                    crate::text::clean_line(&self.path)
                );
                DbLock::bulk(db, true)
            }
            taken => taken,
        };
        let lock = lock.map_err(|e| super::StoreError::Open {
            path: self.path.clone(),
            detail: match e {
                LockError::Io(e) => crate::deck::describe_io(&e),
                LockError::Busy => "another kioku holds it".into(),
            },
        })?;
        self.bulk = Some(lock);
        Ok(true)
    }

    /// Takes the bulk writers' lock only if nobody holds it.
    pub(super) fn try_lock_bulk(&mut self) -> Result<bool> {
        if self.bulk.is_some() || self.path == ":memory:" {
            return Ok(true);
        }
        match DbLock::bulk(Path::new(&self.path), false) {
            Ok(lock) => {
                self.bulk = Some(lock);
                Ok(true)
            }
            Err(_) => Ok(false),
        }
    }

    /// Runs `work` holding the bulk writers' lock: taken here and let go
    /// after, unless this store holds it already.
    pub(super) fn bulk_locked<T>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        let took = self.lock_bulk()?;
        let result = work(self);
        self.unlock_bulk(took);
        result
    }

    /// Lets the lock go if `took` says this call took it.
    pub(super) fn unlock_bulk(&mut self, took: bool) {
        if took {
            self.bulk = None;
        }
    }

    /// Checks and stores a setting that changes how the log replays (the
    /// FSRS parameters), marking the states behind in the same transaction:
    /// the rebuild that follows clears the mark, or the next command does.
    pub fn set_replay_setting(
        &mut self,
        key: &str,
        value: &str,
    ) -> Result<crate::settings::Settings> {
        let mut settings = self.settings()?;
        settings.set(key, value)?;
        let normalized = settings.get(key).unwrap_or_else(|| value.to_string());
        // A merge or import running now replays with the parameters it
        // started with, and would clear this mark when it ends: wait for
        // it. The lock is kept, through the rebuild that follows, until
        // this store is dropped.
        self.lock_bulk()?;
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, normalized),
        )?;
        mark_stale(&tx, "change of parameters")?;
        tx.commit()?;
        Ok(settings)
    }

    /// Finishes a rebuild that a killed command left pending, unless another
    /// kioku is still at work on it. Returns what had been cut short.
    pub fn finish_pending(
        &mut self,
        scheduler: &crate::scheduler::Scheduler,
    ) -> Result<Option<String>> {
        let Some(what) = self.pending_rebuild()? else {
            return Ok(None);
        };
        if !self.try_lock_bulk()? {
            return Ok(None);
        }
        // Read again under the lock: the writer may have just finished.
        let result = match self.pending_rebuild()? {
            Some(_) => self.rebuild(scheduler).map(|_| Some(what)),
            None => Ok(None),
        };
        self.bulk = None;
        result
    }
}

/// How many times an answer is tried again while another kioku holds the
/// database (each try waits up to the busy timeout, ten seconds).
const BUSY_RETRIES: u32 = 12;

/// Saves with `save`, trying again while another kioku keeps the database
/// busy (a long merge or rebuild in another terminal) instead of ending the
/// session and losing the answer; says so once.
pub fn patiently<T>(mut save: impl FnMut() -> Result<T>) -> Result<T> {
    let mut tries = 0;
    loop {
        match save() {
            Err(super::StoreError::Sqlite(e))
                if tries < BUSY_RETRIES
                    && matches!(
                        e.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) =>
            {
                if tries == 0 {
                    eprintln!("kioku: another kioku is busy writing to the database; waiting to save this answer…");
                }
                tries += 1;
            }
            other => return other,
        }
    }
}
