//! Diagnostics: what a rule reports, where, and how it is located in the source.
//!
//! Not for formatting: the `report` module turns diagnostics into output.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How bad a finding is. Errors fail at runtime; warnings are policy or performance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A located range of a file: byte offsets plus 1-based rows and character columns
/// (Unicode scalar values, as ruff counts them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub row: u32,
    pub col: u32,
    pub end_row: u32,
    pub end_col: u32,
}

impl Span {
    /// A span over the whole of line `row` (1-based) starting at byte `start` with `len` bytes and `chars` characters.
    pub fn on_line(row: u32, start: u32, len: u32, chars: u32) -> Span {
        Span {
            start,
            end: start + len,
            row,
            col: 1,
            end_row: row,
            end_col: 1 + chars,
        }
    }
}

/// Maps byte offsets of one text to rows and character columns.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0u32];
        for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
            starts.push(i as u32 + 1);
        }
        LineIndex { text, starts }
    }

    /// 1-based row and character column of a byte offset.
    pub fn location(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let row = match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.starts[row] as usize;
        let mut o = offset;
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        let col = self.text[line_start..o].chars().count() as u32 + 1;
        (row as u32 + 1, col)
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        let (row, col) = self.location(start);
        let (end_row, end_col) = self.location(end);
        Span {
            start: start as u32,
            end: end as u32,
            row,
            col,
            end_row,
            end_col,
        }
    }

    /// Byte range of line `row` (1-based) without its line break.
    pub fn line_range(&self, row: u32) -> Option<(usize, usize)> {
        let i = row.checked_sub(1)? as usize;
        let start = *self.starts.get(i)? as usize;
        let mut end = self
            .starts
            .get(i + 1)
            .map(|s| *s as usize - 1)
            .unwrap_or(self.text.len());
        if end > start && self.text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        Some((start, end))
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// A secondary location: the other site of a mismatch, the manifest line, ...
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub path: PathBuf,
    pub span: Span,
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub severity: Severity,
    pub path: PathBuf,
    pub span: Span,
    /// Other sites shown with the finding (possibly in other files).
    pub labels: Vec<Label>,
    /// Files the finding concerns besides its own (the manifest that should declare a
    /// dependency, the importing files of a manifest finding). A finding is shown when
    /// its file or any related file lies under the paths given on the command line.
    pub related: Vec<PathBuf>,
    /// First and last row of the enclosing statement (a multi-line import): a `noqa` on
    /// any of its lines applies. `None`: the span's own first and last rows.
    #[serde(default)]
    pub statement_rows: Option<(u32, u32)>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, path: PathBuf, span: Span, message: String) -> Self {
        Diagnostic {
            code,
            message,
            help: None,
            severity,
            path,
            span,
            labels: Vec::new(),
            related: Vec::new(),
            statement_rows: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: Label) -> Self {
        self.related.push(label.path.clone());
        self.labels.push(label);
        self
    }

    pub fn in_statement(mut self, span: Span) -> Self {
        self.statement_rows = Some((span.row, span.end_row));
        self
    }

    pub fn with_related(mut self, path: PathBuf) -> Self {
        self.related.push(path);
        self
    }

    /// Sort key of the report: path, line, column, code.
    pub fn sort_key(&self) -> (&PathBuf, u32, u32, &'static str, &str) {
        (&self.path, self.span.row, self.span.col, self.code, &self.message)
    }
}
