//! Where decks come from: the decks built into the binary, the learner's deck
//! folder, or the folders given with `--decks`.

use std::path::{Path, PathBuf};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_decks.rs"));
}

/// One deck file: where it came from, and its text or how to read it.
#[derive(Debug, Clone)]
pub struct DeckSource {
    /// Shown to the learner and stored: `builtin/NAME.toml` or the file's path.
    pub origin: String,
    /// For files on disk: size and modification time, so that an unchanged
    /// file need not even be read.
    pub stamp: Option<String>,
    content: Content,
}

#[derive(Debug, Clone)]
enum Content {
    Text(String),
    File(PathBuf),
}

impl DeckSource {
    /// A deck whose text is already in memory.
    pub fn from_text(origin: impl Into<String>, text: impl Into<String>) -> Self {
        DeckSource {
            origin: origin.into(),
            stamp: None,
            content: Content::Text(text.into()),
        }
    }

    /// The deck's text, read from disk if need be. A file over
    /// [`MAX_DECK_BYTES`] is refused before it is read.
    pub fn read(&self) -> Result<std::borrow::Cow<'_, str>, LoadError> {
        match &self.content {
            Content::Text(t) => Ok(std::borrow::Cow::Borrowed(t)),
            Content::File(path) => {
                let file = std::fs::File::open(path)
                    .map_err(|e| LoadError::Unreadable(path.clone(), e))?;
                let size = file
                    .metadata()
                    .map_err(|e| LoadError::Unreadable(path.clone(), e))?
                    .len();
                if size > MAX_DECK_BYTES {
                    return Err(LoadError::TooLarge(path.clone(), size));
                }
                let mut bytes = Vec::with_capacity(size as usize);
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(file, MAX_DECK_BYTES + 1),
                    &mut bytes,
                )
                .map_err(|e| LoadError::Unreadable(path.clone(), e))?;
                if bytes.len() as u64 > MAX_DECK_BYTES {
                    return Err(LoadError::TooLarge(path.clone(), bytes.len() as u64));
                }
                crate::text::utf8(bytes)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|(line, column)| LoadError::NotUtf8(path.clone(), line, column))
            }
        }
    }
}

/// The largest deck file kioku reads: 16 MiB, some 60,000 cards with room
/// to spare. Bigger files are refused before they are read, not parsed
/// into memory.
pub const MAX_DECK_BYTES: u64 = 16 << 20;

/// A deck folder or file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: deck folder not found", .0.display())]
    Missing(PathBuf),
    #[error("{path}: cannot read: {err}", path = .0.display(), err = .1)]
    Unreadable(PathBuf, std::io::Error),
    #[error("{path}:{line}:{column}: error: not valid UTF-8 text; save the file as UTF-8", path = .0.display(), line = .1, column = .2)]
    NotUtf8(PathBuf, usize, usize),
    #[error(
        "{path}: {mb:.1} MB is too large for a deck file (the limit is {limit} MB); split it into several decks",
        path = .0.display(),
        mb = *.1 as f64 / 1048576.0,
        limit = MAX_DECK_BYTES >> 20
    )]
    TooLarge(PathBuf, u64),
    #[error("{}: deck folder cannot be read: {}", .0.display(), describe_io(.1))]
    Folder(PathBuf, std::io::Error),
}

/// The decks shipped inside the binary.
pub fn builtin_sources() -> Vec<DeckSource> {
    builtin::BUILTIN
        .iter()
        .map(|(name, text)| DeckSource::from_text(format!("builtin/{name}"), *text))
        .collect()
}

/// Lists every `*.toml` file in each folder (a path to a file is one deck),
/// in name order; files are read later, and only when they have changed. A
/// folder that is missing is an error only when `required`.
pub fn load_sources(paths: &[PathBuf], required: bool) -> (Vec<DeckSource>, Vec<LoadError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_file() {
            read_one(path, &mut sources, &mut errors);
            continue;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && path.symlink_metadata().is_err() =>
            {
                if required {
                    errors.push(LoadError::Missing(path.clone()));
                }
                continue;
            }
            Err(e) => {
                // Unreadable, not a folder, a dangling link or a loop of links.
                errors.push(LoadError::Folder(path.clone(), e));
                continue;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && !p.is_dir())
            .collect();
        files.sort();
        for file in files {
            read_one(&file, &mut sources, &mut errors);
        }
    }
    (sources, errors)
}

fn read_one(path: &Path, sources: &mut Vec<DeckSource>, errors: &mut Vec<LoadError>) {
    match std::fs::metadata(path) {
        // A fifo or a device named *.toml would block or never end.
        Ok(meta) if !meta.is_file() => errors.push(LoadError::Unreadable(
            path.to_path_buf(),
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        )),
        Ok(meta) => {
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            sources.push(DeckSource {
                origin: path.display().to_string(),
                stamp: Some(format!("{}:{mtime}", meta.len())),
                content: Content::File(path.to_path_buf()),
            });
        }
        Err(e) => errors.push(LoadError::Unreadable(path.to_path_buf(), e)),
    }
}

/// An I/O error in words a learner can act on.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".into(),
        K::NotADirectory => "it is not a folder".into(),
        K::ReadOnlyFilesystem => "the file system is read-only".into(),
        K::StorageFull => "the disk is full".into(),
        K::FileTooLarge => "the file size limit is reached".into(),
        K::NotFound => "it does not exist (or a link in its path leads nowhere)".into(),
        _ if e.raw_os_error() == Some(40) => "its symbolic links go round in a loop".into(),
        _ => e.to_string(),
    }
}
