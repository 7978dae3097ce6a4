//! Where decks come from: the decks built into the binary, the learner's deck
//! folder, or the folders given with `--decks`.

use std::path::{Path, PathBuf};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_decks.rs"));
}

/// The text of one deck file and where it came from.
#[derive(Debug, Clone)]
pub struct DeckSource {
    /// Shown to the learner and stored: `builtin/NAME.toml` or the file's path.
    pub origin: String,
    pub text: String,
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
        .map(|(name, text)| DeckSource {
            origin: format!("builtin/{name}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// Reads every `*.toml` file in each folder (a path to a file is read as one
/// deck), in name order. A folder that is missing is an error only when
/// `required`; files that cannot be read are reported and skipped.
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
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => sources.push(DeckSource {
                origin: path.display().to_string(),
                text,
            }),
            Err(e) => errors.push(LoadError::NotUtf8(
                path.to_path_buf(),
                e.utf8_error().valid_up_to(),
            )),
        },
        Err(e) => errors.push(LoadError::Unreadable(path.to_path_buf(), e)),
    }
}
