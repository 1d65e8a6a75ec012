//! Import facts: every `import` / `from … import` of a Python file with its context.

use crate::diagnostic::Span;
use serde::{Deserialize, Serialize};

/// One import statement (one entry per module of `import a, b`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Import {
    /// Dotted module as written, without the leading dots of a relative import.
    /// Empty for `from . import x`.
    pub module: String,
    /// Number of leading dots (0 = absolute).
    pub level: u32,
    /// `from m import a, b as c`: the imported names. Empty for `import m`.
    pub names: Vec<ImportedName>,
    /// `from m import *`.
    pub star: bool,
    /// `import m as alias`.
    pub alias: Option<String>,
    /// The module part (`a.b` of `import a.b` / `from a.b import c`).
    pub module_span: Span,
    /// The whole statement.
    pub span: Span,
    pub context: ImportContext,
}

impl Import {
    pub fn is_from(&self) -> bool {
        !self.names.is_empty() || self.star
    }
}

/// A name of a `from` import.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImportedName {
    pub name: String,
    pub alias: Option<String>,
    pub span: Span,
}

/// Where an import sits, which decides whether it runs and whether its failure is handled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportContext {
    /// Inside `if TYPE_CHECKING:` (never runs).
    pub type_checking: bool,
    /// Inside `try:` whose handlers catch `ImportError`/`ModuleNotFoundError` (or a bare
    /// `except`/`Exception`), or `with suppress(ImportError)`: failure is handled.
    pub optional: bool,
    /// Inside a function body (runs only when called).
    pub in_function: bool,
    /// Inside a branch of `if sys.version_info …` / `if sys.platform …` or similar guard.
    pub guarded: bool,
    /// Version guard evaluated: the branch runs only for Python `>= (major, minor)`.
    pub min_version: Option<(u8, u8)>,
    /// The branch runs only for Python `< (major, minor)`.
    pub max_version: Option<(u8, u8)>,
    /// `from __future__ import …`.
    pub future: bool,
}
