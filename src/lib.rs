//! kioku (記憶, "memory"): a terminal study tool. TOML decks, FSRS-6
//! spaced repetition, and every answer kept in SQLite.
//!
//! The pure core — [`deck`], [`answer`], [`fold`], [`scheduler`], [`types`] — knows
//! nothing of SQLite or the terminal. [`store`] keeps the review log and
//! the caches built from it; [`session`] is the front-end agnostic study
//! state machine; [`ui`] renders it; [`cmd`] wires a command line to them.

pub mod answer;
pub mod cli;
pub mod cmd;
pub mod csvio;
pub mod deck;
pub mod files;
pub mod fold;
pub mod human;
pub mod import;
pub mod json;
pub mod revlog;
pub mod scheduler;
pub mod session;
pub mod settings;
pub mod stats;
pub mod store;
pub mod text;
pub mod types;
pub mod ui;
