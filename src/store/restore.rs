//! Putting a backup back in place of the database, and checking that a file
//! is a sound kioku database first.
//!
//! What is checked is the very copy that is installed: the backup is copied
//! page by page (`VACUUM INTO`, so a file padded out with empty space is not
//! copied byte for byte) to a temporary name beside the database, checked
//! there (SQLite's integrity check, and a schema that is exactly kioku's for
//! its version: no trigger, view, table or index kioku did not make), and
//! only then renamed over it. This never happens while another kioku has the
//! database open, and never without keeping a copy of what is replaced,
//! even when that cannot be read. A backup from an older kioku is installed
//! as it is; the next open migrates it, backing it up first.

use super::backup::{backup_dir, free_name, io_failure, make_parent, write_detail};
use super::lock::{DbLock, LockError};
use super::{Result, Store, StoreError, MIGRATIONS};
use crate::files::{self, Existing, Staged};
use crate::types::Millis;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a restore waits for other kioku to close the database.
const WAIT: Duration = Duration::from_secs(3);

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// Reviews in the restored database.
    pub reviews: i64,
    /// Its schema version (older ones are migrated when next opened).
    pub version: i64,
    /// The copy kept of the database it replaced, if there was one.
    pub kept: Option<Kept>,
}

/// The copy kept of the database a restore replaced.
#[derive(Debug)]
pub struct Kept {
    pub path: PathBuf,
    /// Why it could not be read, when what is kept is its raw bytes.
    pub damaged: Option<String>,
}

/// Checks that `file` is a sound kioku database this build can use: a
/// schema exactly kioku's for its version, and SQLite's integrity check.
/// Returns how many reviews it holds.
pub fn verify(file: &Path) -> Result<i64> {
    verify_as(file, &file.display().to_string())
}

/// [`verify`] of the file at `path`, naming it `shown` in every message.
fn verify_as(path: &Path, shown: &str) -> Result<i64> {
    let store = open_backup(path, shown)?;
    same_schema(&store.conn, shown)?;
    let bad = |detail: String| not_restorable(shown, detail);
    let check: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("it is damaged ({e})")))?;
    if check != "ok" {
        return Err(bad(format!(
            "it is damaged (integrity check: {})",
            crate::text::quote(&check)
        )));
    }
    store
        .conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .map_err(|e| bad(e.to_string()))
}

/// Puts the backup `file` in place of the database at `db` (the file a
/// symbolic link at `db` points to, if it is one), keeping a copy of what
/// it replaces in the backup folder. Nothing is touched if the backup fails
/// its checks or another kioku has the database open; `waiting` is called
/// once if restore waits for it to close.
pub fn restore(
    file: &Path,
    db: &Path,
    now: DateTime<Utc>,
    waiting: impl FnOnce(),
) -> Result<Restored> {
    let shown = file.display().to_string();
    let source = open_backup(file, &shown)?;
    // Refused before anything is copied; the copy is checked again, once
    // the index a cut-short import may have dropped is back.
    same_schema_but(&source.conn, &shown, true)?;
    let target = files::resolve(db).map_err(|e| io_failure(db, &e))?;
    make_parent(&target)?;
    let _alone = lock_alone(db, waiting)?;
    let staged = Staged::new(&target).map_err(|e| io_failure(&target, &e))?;
    source
        .conn
        .execute("VACUUM INTO ?1", [staged.path().to_string_lossy()])
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                not_restorable(&shown, format!("it is damaged ({e})"))
            }
            _ => StoreError::Open {
                path: db.display().to_string(),
                detail: format!(
                    "the restored copy cannot be written beside it: {}; nothing was changed",
                    write_detail(&e)
                ),
            },
        })?;
    drop(source);
    prepare_copy(staged.path(), &shown, now)?;
    let reviews = verify_as(staged.path(), &shown)?;
    let version: i64 = Connection::open_with_flags(staged.path(), OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)))?;
    let kept = keep_current(&target, db, now)?;
    // The old database's log and index would be read as the new one's.
    for side in ["-wal", "-shm"] {
        match std::fs::remove_file(beside(&target, side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_failure(&beside(&target, side), &e))
            }
            _ => {}
        }
    }
    staged
        .commit(Existing::Replace)
        .map_err(|e| io_failure(&target, &e))?;
    Ok(Restored {
        reviews,
        version,
        kept,
    })
}

/// The exclusive lock on `db`: no other kioku has it open.
fn lock_alone(db: &Path, waiting: impl FnOnce()) -> Result<DbLock> {
    let failed = |e: LockError| match e {
        LockError::Busy => StoreError::InUse {
            path: db.display().to_string(),
        },
        LockError::Io(e) => StoreError::Open {
            path: db.display().to_string(),
            detail: format!(
                "it cannot be locked against other kioku ({}); nothing was changed",
                crate::deck::describe_io(&e)
            ),
        },
    };
    match DbLock::exclusive(db, Duration::ZERO) {
        Err(LockError::Busy) => {
            waiting();
            DbLock::exclusive(db, WAIT).map_err(failed)
        }
        other => other.map_err(failed),
    }
}

/// Keeps a copy of the database at `target` in the backup folder of `db`
/// before it is replaced: a backup if SQLite can read it, else its raw
/// bytes (and those of its write-ahead log), so that nothing is lost that
/// might yet be rescued.
fn keep_current(target: &Path, db: &Path, now: DateTime<Utc>) -> Result<Option<Kept>> {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).ok();
    let Some(len) = size(target) else {
        return Ok(None);
    };
    if len == 0 && size(&beside(target, "-wal")).unwrap_or(0) == 0 {
        return Ok(None);
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match Connection::open_with_flags(target, flags) {
        Ok(conn) => conn,
        Err(e) => return keep_raw(target, db, now, e.to_string()).map(Some),
    };
    let current = Store {
        conn,
        path: db.display().to_string(),
        lock: None,
        bulk: None,
    };
    match current.backup(now, "-before-restore") {
        Ok(path) => Ok(Some(Kept {
            path,
            damaged: None,
        })),
        // Copied before the connection closes, which could write to it.
        Err(StoreError::Damaged { detail, .. }) => keep_raw(target, db, now, detail).map(Some),
        Err(e) => Err(e),
    }
}

fn keep_raw(target: &Path, db: &Path, now: DateTime<Utc>, why: String) -> Result<Kept> {
    let dest = free_name(&backup_dir(db), now, "-damaged");
    make_parent(&dest)?;
    copy_raw(target, &dest)?;
    let wal = beside(target, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        copy_raw(&wal, &beside(&dest, "-wal"))?;
    }
    Ok(Kept {
        path: dest,
        damaged: Some(why),
    })
}

fn copy_raw(from: &Path, to: &Path) -> Result<()> {
    let staged = Staged::new(to).map_err(|e| io_failure(to, &e))?;
    std::fs::copy(from, staged.path()).map_err(|e| io_failure(to, &e))?;
    staged
        .commit(Existing::Refuse)
        .map_err(|e| io_failure(to, &e))?;
    Ok(())
}

/// `path` with `suffix` added to its name, as SQLite names its side files.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Opens a backup to read it, with messages about that file (never advice
/// to move it aside: it may be the learner's only copy).
fn open_backup(path: &Path, shown: &str) -> Result<Store> {
    Store::open_read_only(path).map_err(|e| match e {
        StoreError::TooNew { found, known, .. } => StoreError::TooNew {
            path: shown.to_string(),
            found,
            known,
        },
        StoreError::NotADatabase { detail, .. } => not_restorable(
            shown,
            format!("it is not a kioku database, or it is damaged ({detail})"),
        ),
        StoreError::NotKioku { .. } => not_restorable(
            shown,
            "it is not a kioku database (it holds no kioku schema)".into(),
        ),
        StoreError::Open { detail, .. } => {
            not_restorable(shown, format!("it cannot be opened ({detail})"))
        }
        other => other,
    })
}

/// Indexes a bulk import drops while it writes and builds again after: a
/// backup taken meanwhile lacks them, and its copy gets them back (and the
/// triggers it set aside, from `set_aside`).
const REBUILT_INDEXES: &[&str] = &["reviews_by_time"];

/// Makes the staged copy of a backup ready to be the database: the
/// indexes a cut-short import dropped are made again, every review is
/// checked as one from another machine would be (a copy is a file from
/// outside like any other), and the card states and day totals, caches
/// that a changed file could make say anything, are dropped and marked to
/// be rebuilt from the log by the next command.
fn prepare_copy(path: &Path, shown: &str, now: DateTime<Utc>) -> Result<()> {
    let mut conn = Connection::open(path)?;
    conn.execute_batch(super::replay::TIME_INDEX)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let refused = super::other::check_log(&conn, shown, version, Millis::from(now))?;
    if let Some(first) = refused.first {
        return Err(not_restorable(
            shown,
            format!(
                "{} of its reviews are not ones kioku writes (the first {first})",
                refused.count
            ),
        ));
    }
    let tx = conn.transaction()?;
    if version >= 10 {
        super::pending::restore_triggers(&tx)?;
    }
    tx.execute("DELETE FROM card_state", [])?;
    if version >= 3 {
        super::stats::forget_days(&tx)?;
    }
    super::pending::mark_stale(&tx, super::pending::RESTORED)?;
    tx.commit()?;
    Ok(())
}

/// Checks that the schema of `conn` is exactly the one kioku's migrations
/// make for its `user_version`.
fn same_schema(conn: &Connection, shown: &str) -> Result<()> {
    same_schema_but(conn, shown, false)
}

/// [`same_schema`], letting what a cut-short bulk import takes away be
/// missing if `cut_short`: the indexes it builds again after, and the
/// triggers it set aside, each kept in `set_aside` exactly as kioku makes
/// it. A row of `set_aside` that is not one of kioku's triggers, word for
/// word, is refused either way: the copy would run it.
fn same_schema_but(conn: &Connection, shown: &str, cut_short: bool) -> Result<()> {
    let unreadable =
        |e: rusqlite::Error| not_restorable(shown, format!("its schema cannot be read ({e})"));
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(unreadable)?;
    let theirs = schema(conn).map_err(unreadable)?;
    let mut fresh = Connection::open_in_memory()?;
    MIGRATIONS
        .to_version(&mut fresh, usize::try_from(version).unwrap_or(0))
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    let ours = schema(&fresh)?;
    let aside = set_aside(conn, &theirs).map_err(unreadable)?;
    let mut differ = Vec::new();
    for (name, sql) in &aside {
        if ours
            .get(&("trigger".to_string(), name.clone()))
            .map(|(_, s)| s.as_deref())
            != Some(Some(sql.as_str()))
        {
            differ.push(format!(
                "the trigger `{}` set aside is not kioku's",
                crate::text::quote(name)
            ));
        }
    }
    for ((kind, name), def) in &theirs {
        match ours.get(&(kind.clone(), name.clone())) {
            None => differ.push(format!(
                "{kind} `{}` is not kioku's",
                crate::text::quote(name)
            )),
            Some(mine) if mine != def => differ.push(format!(
                "{kind} `{}` differs from kioku's",
                crate::text::quote(name)
            )),
            Some(_) => {}
        }
    }
    for (kind, name) in ours.keys() {
        let optional = cut_short
            && match kind.as_str() {
                "index" => REBUILT_INDEXES.contains(&name.as_str()),
                "trigger" => aside.contains_key(name),
                _ => false,
            };
        if !optional && !theirs.contains_key(&(kind.clone(), name.clone())) {
            differ.push(format!("{kind} `{name}` is missing"));
        }
    }
    if differ.is_empty() {
        return Ok(());
    }
    let more = differ.len().saturating_sub(6);
    differ.truncate(6);
    if more > 0 {
        differ.push(format!("and {more} more"));
    }
    Err(not_restorable(
        shown,
        format!(
            "its schema is not kioku's for version {version}: {}",
            differ.join(", ")
        ),
    ))
}

type Schema = BTreeMap<(String, String), (String, Option<String>)>;

/// The triggers a bulk import set aside, by name (none before schema 10).
fn set_aside(conn: &Connection, theirs: &Schema) -> rusqlite::Result<BTreeMap<String, String>> {
    if !theirs.contains_key(&("table".to_string(), "set_aside".to_string())) {
        return Ok(BTreeMap::new());
    }
    let mut stmt = conn.prepare("SELECT name, sql FROM set_aside")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Every table, index, view and trigger: (type, name) → (table, SQL).
/// SQLite's own statistics tables (made by `ANALYZE`) hold no code and are
/// left out.
fn schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE name NOT IN ('sqlite_stat1', 'sqlite_stat2', 'sqlite_stat3', 'sqlite_stat4')",
    )?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?))))?;
    rows.collect()
}

fn not_restorable(shown: &str, detail: String) -> StoreError {
    StoreError::NotRestorable {
        path: shown.to_string(),
        detail,
    }
}
