//! Copies of the database: one a study day (the learner's `DayClock` day),
//! one before every schema migration, and any the learner asks for.
//!
//! A backup is made with `VACUUM INTO`: a consistent, compact copy taken
//! inside a read transaction, so a session writing at the same moment is
//! never half in it. It is made under a temporary name and only renamed into
//! place once whole, so a kill or a full disk never leaves a cut-off file
//! that passes for a backup. Backups live in `backups/` beside the database,
//! named by the moment they were taken; only the newest daily ones are
//! rotated away, never a copy kept for a reason (before a migration, before
//! a restore, a damaged database a restore replaced).

use super::{Result, Store, StoreError};
use crate::files::{self, Existing, Staged};
use crate::types::DayClock;
use chrono::{DateTime, NaiveDateTime, Utc};
use std::path::{Path, PathBuf};

/// The folder backups of `db` go in.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// What a file in the backup folder is, by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupKind {
    /// A daily backup, or one made by `kioku backup`: rotated.
    Daily,
    /// The database a restore replaced.
    BeforeRestore,
    /// The database as it was before a migration to this schema version.
    BeforeMigration(String),
    /// The raw bytes of a database a restore replaced that could not be read.
    Damaged,
    /// Some other label: kept, since kioku does not know what it is for.
    Other(String),
}

impl BackupKind {
    /// Whether the daily rotation may delete it.
    pub fn rotated(&self) -> bool {
        *self == BackupKind::Daily
    }

    /// What the file at `path` is, from the label in its name
    /// (`kioku-YYYYMMDD-HHMMSS{label}.db`); `None` if it is not a backup.
    pub fn of(path: &Path) -> Option<BackupKind> {
        let name = path.file_name()?.to_str()?;
        let rest = name.strip_prefix("kioku-")?.strip_suffix(".db")?;
        let stamp = rest.get(..15)?;
        if !stamp.bytes().enumerate().all(|(i, b)| match i {
            8 => b == b'-',
            _ => b.is_ascii_digit(),
        }) {
            return None;
        }
        // A `-2`, `-3` ... told apart names taken in the same second.
        let mut label = &rest[15..];
        if let Some((head, n)) = label.rsplit_once('-') {
            if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                label = head;
            }
        }
        Some(match label {
            "" => BackupKind::Daily,
            "-before-restore" => BackupKind::BeforeRestore,
            "-damaged" => BackupKind::Damaged,
            l => match l.strip_prefix("-before-v") {
                Some(v) => BackupKind::BeforeMigration(v.to_string()),
                None => BackupKind::Other(l.to_string()),
            },
        })
    }
}

/// Backups of `db`, oldest first ([`BackupKind::of`] says what each is).
/// Temporary files of a backup still being made (or of one that was
/// killed) and SQLite's journals are not backups and are left out.
pub fn list_backups(db: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(backup_dir(db)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| BackupKind::of(p).is_some())
        .collect();
    found.sort();
    found
}

fn rotated(path: &Path) -> bool {
    BackupKind::of(path).is_some_and(|k| k.rotated())
}

/// The moment a backup was taken, from its name (`kioku-YYYYMMDD-HHMMSS…`,
/// written in UTC by [`free_name`]).
fn taken_at(path: &Path) -> Option<DateTime<Utc>> {
    let name = path.file_name()?.to_str()?;
    let stamp = name.strip_prefix("kioku-")?.get(..15)?;
    let t = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    Some(t.and_utc())
}

/// A name in `dir` for a copy made at `now`, not taken yet.
pub(super) fn free_name(dir: &Path, now: DateTime<Utc>, label: &str) -> PathBuf {
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut dest = dir.join(format!("kioku-{stamp}{label}.db"));
    let mut n = 2;
    while dest.symlink_metadata().is_ok() {
        dest = dir.join(format!("kioku-{stamp}{label}-{n}.db"));
        n += 1;
    }
    dest
}

/// Why SQLite could not write a copy, in the learner's terms.
pub(super) fn write_detail(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DiskFull) => format!("the disk is full ({e})"),
        Some(C::SystemIoFailure) => {
            format!("the disk may be full or a file size limit reached ({e})")
        }
        Some(C::ReadOnly) => "the file system is read-only".to_string(),
        Some(C::CannotOpen) => format!("the file cannot be made there ({e})"),
        _ => e.to_string(),
    }
}

/// A failed copy of the database at `db` to `dest`: the database could not
/// be read (it is damaged), or the copy could not be written.
fn copy_failure(db: &str, dest: &Path, e: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseCorrupt | C::NotADatabase) => StoreError::Damaged {
            path: db.to_string(),
            detail: e.to_string(),
        },
        _ => StoreError::Backup {
            path: dest.display().to_string(),
            detail: write_detail(e),
        },
    }
}

pub(super) fn io_failure(dest: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Backup {
        path: dest.display().to_string(),
        detail: crate::deck::describe_io(e),
    }
}

/// Makes the folder `dest` goes in.
pub(super) fn make_parent(dest: &Path) -> Result<()> {
    match dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => std::fs::create_dir_all(dir).map_err(|e| io_failure(dir, &e)),
        None => Ok(()),
    }
}

impl Store {
    /// Writes a consistent copy of the database to `dest`, which must not
    /// exist: it is refused, untouched, if it does (even if it appears
    /// while the copy is made).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        make_parent(dest)?;
        let staged = Staged::new(dest).map_err(|e| io_failure(dest, &e))?;
        self.conn
            .execute("VACUUM INTO ?1", [staged.path().to_string_lossy()])
            .map_err(|e| copy_failure(&self.path, dest, &e))?;
        staged
            .commit(Existing::Refuse)
            .map_err(|e| io_failure(dest, &e))?;
        Ok(())
    }

    /// A backup named for `now` with `label`, in the backup folder.
    pub fn backup(&self, now: DateTime<Utc>, label: &str) -> Result<PathBuf> {
        let dest = free_name(&backup_dir(Path::new(&self.path)), now, label);
        self.backup_to(&dest)?;
        Ok(dest)
    }

    /// The daily backup: made when no daily one was taken on the learner's
    /// study day of `now` (by `clock`, the day every other count uses),
    /// keeping the `keep` newest daily ones; copies kept for a reason are
    /// never rotated. Returns the new file.
    pub fn daily_backup(
        &self,
        now: DateTime<Utc>,
        clock: &DayClock,
        keep: u32,
    ) -> Result<Option<PathBuf>> {
        if keep == 0 || self.path == ":memory:" {
            return Ok(None);
        }
        let db = PathBuf::from(&self.path);
        files::remove_leftovers(&backup_dir(&db));
        let today = clock.day(now);
        let done_today = || {
            list_backups(&db)
                .iter()
                .any(|p| rotated(p) && taken_at(p).is_some_and(|t| clock.day(t) == today))
        };
        if done_today() {
            return Ok(None);
        }
        // A fresh database has nothing worth keeping yet.
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM reviews)", [], |r| r.get(0))?;
        if !any {
            return Ok(None);
        }
        let made = match self.backup(now, "") {
            Ok(made) => made,
            // Another kioku, started at the same moment, made it first.
            Err(_) if done_today() => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut daily = list_backups(&db);
        daily.retain(|p| rotated(p));
        while daily.len() > keep as usize {
            let oldest = daily.remove(0);
            let _ = std::fs::remove_file(oldest);
        }
        Ok(Some(made))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_are_known_by_their_names() {
        let kind = |n: &str| BackupKind::of(Path::new(n));
        assert_eq!(kind("kioku-20260301-090000.db"), Some(BackupKind::Daily));
        assert_eq!(kind("kioku-20260301-090000-2.db"), Some(BackupKind::Daily));
        assert_eq!(
            kind("kioku-20260301-090000-before-restore-3.db"),
            Some(BackupKind::BeforeRestore)
        );
        assert_eq!(
            kind("kioku-20260301-090000-before-v3.db"),
            Some(BackupKind::BeforeMigration("3".into()))
        );
        assert_eq!(
            kind("kioku-20260301-090000-damaged.db"),
            Some(BackupKind::Damaged)
        );
        assert_eq!(
            kind("kioku-20260301-090000-mine.db"),
            Some(BackupKind::Other("-mine".into()))
        );
        for not_one in [
            "kioku-20260301-090000.db-journal",
            ".kioku-20260301-090000.db.41-0badcafe.kioku-tmp",
            "kioku-2026-03-01.db",
            "notes.db",
        ] {
            assert_eq!(kind(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn a_failed_write_says_why() {
        let full = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
            None,
        );
        let e = copy_failure("k.db", Path::new("b/kioku-1.db"), &full).to_string();
        assert!(e.contains("b/kioku-1.db"), "{e}");
        assert!(e.contains("the disk is full"), "{e}");
    }
}
