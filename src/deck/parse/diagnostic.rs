//! What the parser reports: a problem's severity, its place in the file as
//! line and column, and how it is shown with the file's path.
//!
//! Locating is counted on from the last place asked about, because a big
//! file can have a warning on every card and must stay linear. This module
//! must never decide what is wrong with a deck: it only records and places
//! what the readers found.

use super::Cx;
use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in a deck file, located by line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// `path:line:column: error: message`, then the hint on its own line.
    pub fn display<'a>(&'a self, path: &'a str) -> impl fmt::Display + 'a {
        DisplayWithPath { diag: self, path }
    }
}

struct DisplayWithPath<'a> {
    diag: &'a Diagnostic,
    path: &'a str,
}

impl fmt::Display for DisplayWithPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diag;
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.path, d.line, d.column, d.message
        )?;
        if let Some(hint) = &d.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| src.is_char_boundary(i))
        .unwrap_or(0);
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, src[line_start..offset].chars().count() + 1)
}

impl Cx<'_> {
    /// The line of `offset`, for offsets that only grow.
    pub(super) fn line_at(&mut self, offset: usize) -> usize {
        let (from, line) = self.cursor;
        if offset < from {
            return line_col(self.src, offset).0;
        }
        let end = offset.min(self.src.len());
        let line = line
            + self.src.as_bytes()[from..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        self.cursor = (end, line);
        line
    }

    /// Line and column of `offset`: counted on from the last place asked
    /// about, so that a file with a warning on every card stays linear.
    fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = (0..=offset.min(self.src.len()))
            .rev()
            .find(|&i| self.src.is_char_boundary(i))
            .unwrap_or(0);
        let line = self.line_at(offset);
        let line_start = self.src[..offset].rfind('\n').map_or(0, |i| i + 1);
        (line, self.src[line_start..offset].chars().count() + 1)
    }

    pub(super) fn warn(&mut self, span: Range<usize>, message: String, hint: Option<String>) {
        self.push(Severity::Warning, span, message, hint);
    }

    pub(super) fn error(&mut self, span: Range<usize>, message: String, hint: Option<String>) {
        self.errors += 1;
        self.push(Severity::Error, span, message, hint);
    }

    fn push(
        &mut self,
        severity: Severity,
        span: Range<usize>,
        message: String,
        hint: Option<String>,
    ) {
        let (line, column) = self.locate(span.start);
        self.diagnostics.push(Diagnostic {
            severity,
            line,
            column,
            message,
            hint,
        });
    }
}
