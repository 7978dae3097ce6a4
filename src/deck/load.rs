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

    /// The deck's text, read from disk if need be.
    pub fn read(&self) -> Result<std::borrow::Cow<'_, str>, LoadError> {
        match &self.content {
            Content::Text(t) => Ok(std::borrow::Cow::Borrowed(t)),
            Content::File(path) => {
                let bytes =
                    std::fs::read(path).map_err(|e| LoadError::Unreadable(path.clone(), e))?;
                String::from_utf8(bytes)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|e| LoadError::NotUtf8(path.clone(), e.utf8_error().valid_up_to()))
            }
        }
    }
}

/// A deck folder or file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: deck folder not found", .0.display())]
    Missing(PathBuf),
    #[error("{path}: cannot read: {err}", path = .0.display(), err = .1)]
    Unreadable(PathBuf, std::io::Error),
    #[error("{path}: not valid UTF-8 text (byte {at})", path = .0.display(), at = .1)]
    NotUtf8(PathBuf, usize),
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
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if required {
                    errors.push(LoadError::Missing(path.clone()));
                }
                continue;
            }
            Err(e) => {
                errors.push(LoadError::Unreadable(path.clone(), e));
                continue;
            }
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
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
