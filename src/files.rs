//! Files kioku writes: decks, exports, reports, backups.
//!
//! Every one is written whole to a temporary file in the destination's own
//! folder, flushed to the disk, and only then renamed over (or linked into)
//! its place. A kill, a power cut or a full disk at any moment leaves either
//! the old file or the new one, never a cut-off mix; a failure removes the
//! temporary file and leaves the original exactly as it was.
//!
//! A file that exists is replaced only when the caller says so
//! ([`Existing::Replace`]); a replaced file keeps its permissions, and a
//! destination that is a symbolic link stays a link: its target is what is
//! replaced. This module knows nothing of what the bytes mean, and never
//! reads the clock.

use rand::Rng;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What to do when the destination already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Fail with [`io::ErrorKind::AlreadyExists`], touching nothing.
    Refuse,
    /// Replace it atomically, keeping its permissions.
    Replace,
}

/// Writes `contents` to `dest` atomically. Returns the path written, which
/// is the link's target when `dest` is a symbolic link.
pub fn write(dest: &Path, contents: &[u8], existing: Existing) -> io::Result<PathBuf> {
    let staged = Staged::new(dest)?;
    remove_leftovers(parent(staged.dest()));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(staged.path())?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    staged.commit(existing)
}

/// The place a file is built before it is put where it belongs: a hidden
/// name beside the destination, removed again unless [`Staged::commit`]
/// succeeds. The file itself is made by the caller (or by SQLite's
/// `VACUUM INTO`, which wants a name that does not exist yet).
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    dest: PathBuf,
    committed: bool,
}

impl Staged {
    /// Chooses a temporary name beside `dest` (following a symbolic link to
    /// its target). Nothing is created yet.
    pub fn new(dest: &Path) -> io::Result<Staged> {
        let dest = resolve(dest)?;
        if fs::metadata(&dest).is_ok_and(|m| !m.is_file()) {
            return Err(not_regular());
        }
        let dir = parent(&dest);
        let name = dest
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?
            .to_string_lossy()
            .into_owned();
        let tag: u32 = rand::rng().random();
        let tmp = dir.join(format!(
            ".{name}.{}-{tag:08x}{TEMP_MARK}",
            std::process::id()
        ));
        Ok(Staged {
            tmp,
            dest,
            committed: false,
        })
    }

    /// Where the new file is to be made.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Where it will go.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Flushes the made file and moves it into place.
    pub fn commit(mut self, existing: Existing) -> io::Result<PathBuf> {
        File::open(&self.tmp)?.sync_all()?;
        match existing {
            Existing::Replace => {
                if let Ok(meta) = fs::metadata(&self.dest) {
                    // A device or a FIFO is never swapped for a file.
                    if !meta.is_file() {
                        return Err(not_regular());
                    }
                    fs::set_permissions(&self.tmp, meta.permissions())?;
                }
                fs::rename(&self.tmp, &self.dest)?;
            }
            Existing::Refuse => place_new(&self.tmp, &self.dest)?,
        }
        self.committed = true;
        sync_dir(parent(&self.dest));
        Ok(self.dest.clone())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

fn not_regular() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "it is not a regular file")
}

/// The end of every temporary name, so that a folder's leftovers from a
/// killed run can be told apart from real files.
pub const TEMP_MARK: &str = ".kioku-tmp";

/// Whether `path` is a temporary file left by a run that did not finish.
pub fn is_temporary(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n.ends_with(TEMP_MARK))
}

/// Removes what runs that were killed left in `dir`: temporary files (and
/// the journal SQLite kept beside one). A file being written by another
/// kioku right now is touched all the time; one left alone for ten
/// minutes is nobody's.
pub fn remove_leftovers(dir: &Path) {
    const STALE: std::time::Duration = std::time::Duration::from_secs(600);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let old = fs::symlink_metadata(&path)
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE));
        if old && is_leftover(&path) {
            let _ = fs::remove_file(&path);
        }
    }
}

/// A temporary file, or a journal SQLite kept beside one.
fn is_leftover(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let base = ["-journal", "-wal", "-shm"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    is_temporary(Path::new(base))
}

/// Puts `tmp` at `dest` only if nothing is there: a hard link fails
/// atomically when the name is taken. Where links are not supported, the
/// check and the rename are two steps.
fn place_new(tmp: &Path, dest: &Path) -> io::Result<()> {
    match fs::hard_link(tmp, dest) {
        Ok(()) => {
            let _ = fs::remove_file(tmp);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if dest.symlink_metadata().is_ok() => Err(io::ErrorKind::AlreadyExists.into()),
        Err(_) => fs::rename(tmp, dest),
    }
}

/// `dest`, or the file its chain of symbolic links ends at (which need not
/// exist yet).
pub fn resolve(dest: &Path) -> io::Result<PathBuf> {
    let mut path = dest.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = parent(&path).join(target);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Makes a rename durable. Some systems cannot open a folder for this;
/// the rename has happened either way.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Reads a file given from outside (an import, a source text, a review
/// log), refusing at once what is not a regular file (a FIFO, a device such
/// as `/dev/zero`, a folder) and anything over `limit` bytes, even a file
/// that grows while it is read.
pub fn read_input(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let (file, size) = open_input(path, limit)?;
    let mut bytes = Vec::with_capacity(size as usize);
    io::Read::read_to_end(&mut io::Read::take(file, limit + 1), &mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Opens a file given from outside for reading as a stream, with the checks
/// of [`read_input`] made before a byte is read. Returns the file and its size.
pub fn open_input(path: &Path, limit: u64) -> io::Result<(File, u64)> {
    // Looked at before opening: opening a FIFO would wait for a writer.
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("it is {what}"),
        ));
    }
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    let file = File::open(path)?;
    Ok((file, meta.len()))
}

fn too_large(size: u64, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it is {}; kioku reads at most {}",
            megabytes(size),
            megabytes(limit)
        ),
    )
}

fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::os::unix::fs::FileTypeExt;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_is_written_whole_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("deck.toml");
        write(&dest, b"format = 1\n", Existing::Refuse).unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"format = 1\n");
        assert_eq!(listing(dir.path()), ["deck.toml"]);
    }

    #[test]
    fn an_existing_file_is_refused_unless_replacing_is_asked() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("deck.toml");
        fs::write(&dest, "mine").unwrap();
        let err = write(&dest, b"theirs", Existing::Refuse).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&dest).unwrap(), "mine");
        assert_eq!(listing(dir.path()), ["deck.toml"]);
        write(&dest, b"theirs", Existing::Replace).unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "theirs");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("deck.toml");
        fs::write(&dest, "old").unwrap();
        fs::set_permissions(&dest, fs::Permissions::from_mode(0o640)).unwrap();
        write(&dest, b"new", Existing::Replace).unwrap();
        let mode = fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_destination_stays_a_link_to_its_new_contents() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/deck.toml");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("deck.toml");
        std::os::unix::fs::symlink("real/deck.toml", &link).unwrap();
        let written = write(&link, b"new", Existing::Replace).unwrap();
        assert_eq!(written, dir.path().join("real/deck.toml"));
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_or_a_folder_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        let err = write(&link, b"x", Existing::Replace).unwrap_err();
        assert_eq!(err.to_string(), "it is not a regular file");
        assert!(fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device());
        fs::create_dir(dir.path().join("sub")).unwrap();
        let err = write(&dir.path().join("sub"), b"x", Existing::Replace).unwrap_err();
        assert_eq!(err.to_string(), "it is not a regular file");
        assert!(dir.path().join("sub").is_dir());
        assert_eq!(listing(dir.path()), ["null", "sub"]);
    }

    #[test]
    fn leftovers_of_killed_runs_are_removed_once_stale() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(format!(".deck.toml.1-0{TEMP_MARK}"));
        let fresh = dir.path().join(format!(".deck.toml.2-0{TEMP_MARK}"));
        let journal = dir
            .path()
            .join(format!(".kioku-x.db.3-0{TEMP_MARK}-journal"));
        for p in [&old, &fresh, &journal] {
            fs::write(p, "half").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for p in [&old, &journal] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        fs::write(dir.path().join("deck.toml"), "mine").unwrap();
        write(&dir.path().join("other.toml"), b"x", Existing::Refuse).unwrap();
        let mut left = listing(dir.path());
        left.retain(|n| n.starts_with('.'));
        assert_eq!(left, [format!(".deck.toml.2-0{TEMP_MARK}")]);
        assert!(!is_leftover(Path::new("kioku-20260301-090000.db-journal")));
        assert!(dir.path().join("deck.toml").exists());
    }

    #[test]
    fn a_failed_write_leaves_the_original_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // The destination's folder is missing: the temporary file cannot be made.
        let dest = dir.path().join("missing/deck.toml");
        assert!(write(&dest, b"x", Existing::Replace).is_err());
        let dest = dir.path().join("deck.toml");
        fs::write(&dest, "mine").unwrap();
        // A staged file that is never committed disappears.
        let staged = Staged::new(&dest).unwrap();
        fs::write(staged.path(), "half").unwrap();
        assert!(is_temporary(staged.path()));
        drop(staged);
        assert_eq!(listing(dir.path()), ["deck.toml"]);
        assert_eq!(fs::read_to_string(&dest).unwrap(), "mine");
    }

    #[cfg(unix)]
    #[test]
    fn inputs_that_are_not_regular_files_or_too_large_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_input(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(err.to_string(), "it is not a regular file");
        let err = read_input(dir.path(), 1 << 20).unwrap_err();
        assert_eq!(err.to_string(), "it is a folder");
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let err = read_input(&fifo, 1 << 20).unwrap_err();
        assert_eq!(err.to_string(), "it is not a regular file");
        let big = dir.path().join("big.csv");
        fs::write(&big, vec![b'x'; 3_000_000]).unwrap();
        let err = read_input(&big, 2_000_000).unwrap_err();
        assert_eq!(err.to_string(), "it is 3 MB; kioku reads at most 2 MB");
        assert_eq!(read_input(&big, 3_000_000).unwrap().len(), 3_000_000);
    }
}
