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

mod authoring;
mod backups;
mod bad_environments;
mod deck_check;
mod deck_files;
mod decks;
mod edges;
mod engine;
mod fit;
mod hostile;
mod hostile_import;
mod outside_reviews;
mod pty;
mod quiz;
mod shipped_decks;
mod stats;
mod study;
mod time;
mod transcript;
mod tui_screens;
mod two_terminals;
