//! Who has the database open. Every [`Store`](super::Store) opened on a file
//! holds a shared lock for as long as it lives; `restore`, which replaces the
//! file, takes the lock exclusively, so it never swaps the database out from
//! under a session that would go on writing to the old, unlinked file.
//!
//! Bulk writers (merge, history import, rebuild, optimize) also take, one
//! at a time, a second lock, `NAME-bulk-lock`.
//!
//! The locks are taken on files of their own beside the (symbolic-link
//! resolved) database, never on the database itself: SQLite
//! keeps its own locks on that file, and a second lock there would clash
//! with them (closing any handle drops a process's POSIX locks; Windows
//! locks whole byte ranges and would block SQLite's writes). This module
//! never opens the database and never deletes the lock file.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A held lock on a database; released when dropped.
#[derive(Debug)]
pub(crate) struct DbLock {
    _file: File,
}

/// How a lock could not be had.
#[derive(Debug)]
pub(crate) enum LockError {
    /// Someone else still held it when the wait ran out.
    Busy,
    /// The lock file could not be made or locked.
    Io(io::Error),
}

#[derive(Clone, Copy)]
enum Mode {
    Shared,
    Exclusive,
}

/// The lock file of the open databases, and that of the bulk writers.
const OPEN: &str = "-lock";
const BULK: &str = "-bulk-lock";

impl DbLock {
    /// The lock file of the database at `db`.
    pub fn path(db: &Path) -> PathBuf {
        Self::file(db, OPEN)
    }

    fn file(db: &Path, suffix: &str) -> PathBuf {
        let real = crate::files::resolve(db).unwrap_or_else(|_| db.to_path_buf());
        let mut name = real.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    }

    /// The bulk writers' lock (merge, import, rebuild, optimize): one at a
    /// time, so that a command finding the states behind the log never
    /// "repairs" them while a merge is still writing. `wait` false returns
    /// `Busy` at once if another holds it; true waits as long as it takes.
    pub fn bulk(db: &Path, wait: bool) -> Result<DbLock, LockError> {
        let path = Self::file(db, BULK);
        loop {
            let file = Self::open(&path).map_err(LockError::Io)?;
            let taken = if wait {
                file.lock().map_err(TryLockError::Error)
            } else {
                file.try_lock()
            };
            match taken {
                Ok(()) if still_named(&file, &path) => return Ok(DbLock { _file: file }),
                Ok(()) => continue,
                Err(TryLockError::WouldBlock) => return Err(LockError::Busy),
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
        }
    }

    fn open(path: &Path) -> io::Result<File> {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
    }

    /// A shared lock: any number of kioku may hold one at once. Waits up to
    /// `wait` while a restore holds the lock exclusively.
    pub fn shared(db: &Path, wait: Duration) -> Result<DbLock, LockError> {
        Self::take(db, Mode::Shared, wait)
    }

    /// The only lock: no other kioku has the database open. Waits up to
    /// `wait` for the others to close it.
    pub fn exclusive(db: &Path, wait: Duration) -> Result<DbLock, LockError> {
        Self::take(db, Mode::Exclusive, wait)
    }

    fn take(db: &Path, mode: Mode, wait: Duration) -> Result<DbLock, LockError> {
        let path = Self::path(db);
        let start = Instant::now();
        loop {
            let file = Self::open(&path).map_err(LockError::Io)?;
            let tried = match mode {
                Mode::Shared => file.try_lock_shared(),
                Mode::Exclusive => file.try_lock(),
            };
            match tried {
                // A lock file removed and made again while we waited is not
                // the one the others hold: lock the one the name now gives.
                Ok(()) if still_named(&file, &path) => return Ok(DbLock { _file: file }),
                Ok(()) => continue,
                Err(TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => return Err(LockError::Busy),
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
        }
    }
}

#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(held), Ok(named)) => held.dev() == named.dev() && held.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_named(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_locks_live_together_and_keep_the_exclusive_one_out() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let none = Duration::ZERO;
        let a = DbLock::shared(&db, none).unwrap();
        let b = DbLock::shared(&db, none).unwrap();
        assert!(matches!(
            DbLock::exclusive(&db, Duration::from_millis(100)),
            Err(LockError::Busy)
        ));
        drop(a);
        drop(b);
        let only = DbLock::exclusive(&db, none).unwrap();
        assert!(matches!(DbLock::shared(&db, none), Err(LockError::Busy)));
        drop(only);
        DbLock::shared(&db, none).unwrap();
        assert_eq!(DbLock::path(&db), dir.path().join("k.db-lock"));
    }

    #[test]
    fn one_bulk_writer_at_a_time_beside_any_number_of_open_stores() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let _open = DbLock::shared(&db, Duration::ZERO).unwrap();
        let writer = DbLock::bulk(&db, false).unwrap();
        assert!(matches!(DbLock::bulk(&db, false), Err(LockError::Busy)));
        // Open stores and restores are not held up by the bulk lock.
        let _other = DbLock::shared(&db, Duration::ZERO).unwrap();
        drop(writer);
        DbLock::bulk(&db, false).unwrap();
        assert!(dir.path().join("k.db-bulk-lock").exists());
    }

    #[test]
    fn an_open_waiting_on_a_restore_goes_ahead_once_it_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("k.db");
        let only = DbLock::exclusive(&db, Duration::ZERO).unwrap();
        let waiter = {
            let db = db.clone();
            std::thread::spawn(move || DbLock::shared(&db, Duration::from_secs(10)).is_ok())
        };
        std::thread::sleep(Duration::from_millis(200));
        drop(only);
        assert!(waiter.join().unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_database_is_locked_beside_its_target() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        let link = dir.path().join("k.db");
        std::os::unix::fs::symlink("real/k.db", &link).unwrap();
        let _held = DbLock::shared(&link, Duration::ZERO).unwrap();
        assert!(dir.path().join("real/k.db-lock").exists());
        assert!(matches!(
            DbLock::exclusive(&dir.path().join("real/k.db"), Duration::ZERO),
            Err(LockError::Busy)
        ));
    }
}
