//! Manifest facts: dependency declarations of `pyproject.toml`, requirements files,
//! `setup.cfg`, PEP 723 script blocks, and the packages of lock files.

use crate::diagnostic::Span;
use serde::{Deserialize, Serialize};

/// Whether a declaration is needed at runtime.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DepKind {
    /// `[project] dependencies`, Poetry main dependencies, runtime requirements files.
    Runtime,
    /// `[project.optional-dependencies]` extra (installed at runtime with the extra).
    Optional(String),
    /// PEP 735 group, Poetry group, PDM/uv dev tables, hatch envs, dev requirements.
    Dev(String),
}

/// One declared distribution.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Declaration {
    /// Name as written (`PyYAML`).
    pub name: String,
    /// PEP 503 normalised (`pyyaml`).
    pub normalized: String,
    /// Version specifier as written (`>=6.0`, `^2.7`), possibly empty.
    pub specifier: String,
    pub marker: Option<String>,
    pub extras: Vec<String>,
    pub kind: DepKind,
    /// The declaring item (the array string, the table key or the requirements line).
    pub span: Span,
}

/// A reference to another requirements file (`-r`, `-c`, setuptools `file=`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Include {
    pub path: String,
    /// `-c`: a constraints file, not dependencies.
    pub constraint: bool,
    /// The kind its declarations take when the file is read through this include
    /// (setuptools dynamic `optional-dependencies`); `None` = inherit.
    pub kind: Option<DepKind>,
    pub span: Span,
}

/// Everything one manifest declares.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ManifestFacts {
    pub declarations: Vec<Declaration>,
    pub includes: Vec<Include>,
    /// `[project] name` / `[tool.poetry] name` / `[metadata] name`.
    pub project_name: Option<String>,
    pub requires_python: Option<String>,
    /// Extra import roots named by build configuration (`src` of setuptools `where`,
    /// Poetry `packages.from`, hatch `sources`, uv `module-root`), relative to the manifest.
    pub import_roots: Vec<String>,
    /// Runtime dependencies exist but cannot be read statically (`dynamic` without
    /// `file=`, `setup.py`): undeclared-dependency findings are then unknowable.
    pub dynamic_dependencies: bool,
    /// The manifest has a dependency table at all (even an empty one).
    pub declares_dependencies: bool,
    /// Packages pinned by a lock file.
    pub lock: Option<LockFacts>,
    /// Lines that could not be parsed (kept for `--show-facts`, never guessed).
    pub skipped: Vec<(String, Span)>,
}

/// The resolved set of a lock file.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LockFacts {
    pub packages: Vec<LockedPackage>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LockedPackage {
    /// PEP 503 normalised.
    pub name: String,
    pub version: Option<String>,
    /// Normalised names of its direct dependencies.
    pub dependencies: Vec<String>,
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if c == '-' || c == '_' || c == '.' {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}
