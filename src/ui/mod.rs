//! Front-ends for the session engine. They render what the session says and
//! pass on what the learner types; they never touch the database.

pub mod dashboard;
pub mod html;
pub mod plain;
pub mod present;
pub mod report;
pub mod tui;

pub use plain::UiError;
