//! Copies of the database: one a day, one before every schema migration,
//! and any the learner asks for; and putting one back.
//!
//! A backup is made with `VACUUM INTO`: a consistent, compact copy taken
//! inside a read transaction, so a session writing at the same moment is
//! never half in it. Backups live in `backups/` beside the database, named
//! by the moment they were taken, and only the newest are kept.

use super::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// The folder backups of `db` go in.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

/// Backups of `db`, oldest first.
pub fn list_backups(db: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(backup_dir(db)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("kioku-") && n.ends_with(".db"))
        })
        .collect();
    found.sort();
    found
}

impl Store {
    /// Writes a consistent copy of the database to `dest` (which must not exist).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if let Some(dir) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: dir.display().to_string(),
                detail: crate::deck::describe_io(&e),
            })?;
        }
        if let Err(e) = self
            .conn
            .execute("VACUUM INTO ?1", [dest.to_string_lossy()])
        {
            // No half-written copy is left to be mistaken for a backup.
            let _ = std::fs::remove_file(dest);
            return Err(e.into());
        }
        Ok(())
    }

    /// A backup named for `now` with `label`, in the backup folder.
    pub fn backup(&self, now: DateTime<Utc>, label: &str) -> Result<PathBuf> {
        let dir = backup_dir(Path::new(&self.path));
        let stamp = now.format("%Y%m%d-%H%M%S");
        let mut dest = dir.join(format!("kioku-{stamp}{label}.db"));
        let mut n = 2;
        while dest.exists() {
            dest = dir.join(format!("kioku-{stamp}{label}-{n}.db"));
            n += 1;
        }
        self.backup_to(&dest)?;
        Ok(dest)
    }

    /// The daily backup: made when the newest is from an earlier day (or
    /// there is none), keeping the `keep` newest. Returns the new file.
    pub fn daily_backup(&self, now: DateTime<Utc>, keep: u32) -> Result<Option<PathBuf>> {
        if keep == 0 || self.path == ":memory:" {
            return Ok(None);
        }
        let db = PathBuf::from(&self.path);
        let today = format!("kioku-{}", now.format("%Y%m%d"));
        let existing = list_backups(&db);
        let newest_today = existing.iter().any(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&today))
        });
        if newest_today {
            return Ok(None);
        }
        // A fresh database has nothing worth keeping yet.
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM reviews)", [], |r| r.get(0))?;
        if !any {
            return Ok(None);
        }
        let made = self.backup(now, "")?;
        let mut all = list_backups(&db);
        // Backups made before a migration are kept apart from the daily count.
        all.retain(|p| !p.to_string_lossy().contains("-before-v"));
        while all.len() > keep as usize {
            let oldest = all.remove(0);
            let _ = std::fs::remove_file(oldest);
        }
        Ok(Some(made))
    }
}

/// Checks that `file` is a sound kioku database this build can use (what
/// [`Store::open_read_only`] checks, and SQLite's integrity check); returns
/// how many reviews it holds.
pub fn verify(file: &Path) -> Result<i64> {
    let store = Store::open_read_only(file)?;
    let damaged = |detail: String| StoreError::NotADatabase {
        path: file.display().to_string(),
        detail,
    };
    let check: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    if check != "ok" {
        return Err(damaged(format!("integrity check: {check}")));
    }
    store
        .conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))
}

/// Puts `file` in place of the database at `db`, after checking it and
/// keeping a copy of what it replaces. Nothing is touched if the check
/// fails or another kioku has the database open for writing.
pub fn restore(file: &Path, db: &Path, now: DateTime<Utc>) -> Result<(i64, Option<PathBuf>)> {
    let reviews = verify(file)?;
    let mut kept = None;
    if db.exists() {
        let current = Store::open(db)?;
        // Wait for (or refuse during) another kioku's write.
        current.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")?;
        kept = Some(current.backup(now, "-before-restore")?);
        current
            .conn
            .pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        drop(current);
    }
    let dir = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staging = dir.join(format!(
        ".{}.restoring",
        db.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("kioku.db")
    ));
    let io = |e: std::io::Error| StoreError::Open {
        path: db.display().to_string(),
        detail: crate::deck::describe_io(&e),
    };
    std::fs::copy(file, &staging).map_err(io)?;
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    for side in ["-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(side);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    std::fs::rename(&staging, db).map_err(io)?;
    Ok((reviews, kept))
}
