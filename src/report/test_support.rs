//! Shared test fixture of the report formats: a small project in a temporary folder and
//! two hand-built findings on it — an error with help and a label in another file, and
//! a warning on a multi-line span without help.

use super::{write_report, OutputFormat, ReportOptions};
use crate::diagnostic::{Diagnostic, Label, LineIndex, Severity, Span};
use std::path::{Path, PathBuf};

pub(super) const API: &str = "from jose import jwt

from app.settings import SECRET_KEY


def read_user(token):
    données = jwt.decode(token, SECRET_KEY, algorithms=[\"HS256\"])
    return données[\"sub\"]
";

pub(super) const AUTH: &str = "from jose import jwt

from app.settings import OTHER_KEY


def issue(payload):
    return jwt.encode(payload, OTHER_KEY, algorithm=\"HS256\")
";

pub(super) const MIGRATION: &str = "def upgrade():
    op.create_table(\"users\")


def downgrade():
    pass
";

pub(super) struct Fixture {
    pub dir: tempfile::TempDir,
    pub diags: Vec<Diagnostic>,
}

impl Fixture {
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `text` with the temporary folder written as `[TMP]`.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.root().to_string_lossy().into_owned(), "[TMP]")
    }
}

/// The span of the first `needle` in `text`.
pub(super) fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    LineIndex::new(text).span(start, start + needle.len())
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

pub(super) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let api = write(dir.path(), "app/api.py", API);
    let auth = write(dir.path(), "app/auth.py", AUTH);
    let migration = write(dir.path(), "migrations/versions/0001_init.py", MIGRATION);
    let mismatch = Diagnostic::new(
        "JWT001",
        Severity::Error,
        api,
        span_of(API, "jwt.decode(token, SECRET_KEY, algorithms=[\"HS256\"])"),
        "`jwt.decode` verifies with `SECRET_KEY`, but no `jwt.encode` signs with it".to_string(),
    )
    .with_help("Sign and verify with the same key")
    .with_label(Label {
        path: auth,
        span: span_of(AUTH, "jwt.encode(payload, OTHER_KEY, algorithm=\"HS256\")"),
        message: "tokens are signed with `OTHER_KEY` here".to_string(),
    });
    let empty_downgrade = Diagnostic::new(
        "MIG005",
        Severity::Warning,
        migration,
        span_of(MIGRATION, "def downgrade():\n    pass"),
        "`downgrade()` does nothing while `upgrade()` creates table `users`".to_string(),
    );
    Fixture {
        dir,
        diags: vec![mismatch, empty_downgrade],
    }
}

pub(super) fn options(fx: &Fixture, format: OutputFormat) -> ReportOptions {
    ReportOptions {
        format,
        color: false,
        statistics: false,
        quiet: false,
        cwd: fx.root().to_path_buf(),
    }
}

pub(super) fn render(diags: &[Diagnostic], opts: &ReportOptions) -> String {
    let mut out = Vec::new();
    write_report(diags, opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
