//! Every integration test in one crate: one module per area, one link of
//! the test binary instead of one per file. Run one area with
//! `cargo test --test main crash::` (any module name followed by `::`).
//!
//! Two areas are crates of their own, because they measure their process
//! or its timing: `crash` (`cargo test --test crash`) kills commands within
//! the time a whole run took, which the rest of the suite running beside it
//! would upset; `import_memory` (`cargo test --test import_memory`) reads
//! the peak memory of the children its process has waited for, which means
//! the one import it starts only when no other test shares the process.

mod common;

mod anki_import;
mod architecture;
mod authoring;
mod backlog;
mod backups;
mod bad_environments;
mod card_ids;
mod cli_input;
mod completions;
mod config_input;
mod deck_check;
mod deck_coverage;
mod deck_files;
mod deck_synonyms;
mod deck_try;
mod decks;
mod decks_readme;
mod edges;
mod engine;
mod examiner;
mod fit;
mod hostile;
mod hostile_import;
mod outside_reviews;
mod pty;
mod quiz;
mod restore;
mod shipped_decks;
mod simulate;
mod stats;
mod study;
mod time;
mod transcript;
mod tui_screens;
mod two_terminals;

/// With `autotests = false` a test file that no one declares is never
/// built, and its tests pass by not running; this fails instead.
#[test]
fn every_test_file_is_built() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let main = std::fs::read_to_string(root.join("tests/main.rs")).unwrap();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for entry in std::fs::read_dir(root.join("tests")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        let declared = module == "main"
            || main.contains(&format!("\nmod {module};"))
            || manifest.contains(&format!("path = \"tests/{name}\""));
        assert!(
            declared,
            "tests/{name} is neither a module of tests/main.rs nor a [[test]] in Cargo.toml, so it never runs"
        );
    }
}
