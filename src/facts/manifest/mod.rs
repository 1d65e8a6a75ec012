//! Manifest facts: dependency declarations of `pyproject.toml`, requirements files,
//! `setup.cfg`, PEP 723 script blocks, and the packages of lock files.
//!
//! Every parser here is pure (text in, facts out) and total: malformed input gives
//! empty or partial facts plus `skipped` entries, never an error or a panic.

mod lock;
mod pyproject;
mod requirements;
mod script;
mod setup_cfg;

pub use lock::parse_lock;
pub use pyproject::parse_pyproject;
pub use requirements::parse_requirements;
pub use script::parse_inline_script;
pub use setup_cfg::parse_setup_cfg;

use crate::diagnostic::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

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
    /// Extras as written (`["crypto"]` of `PyJWT[crypto]`).
    pub extras: Vec<String>,
    /// The URL or path of a direct reference (`name @ https://…`, `-e git+…#egg=name`,
    /// Poetry `git`/`url`/`path`); `specifier` is then empty.
    #[serde(default)]
    pub url: Option<String>,
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
    /// Why (part of) the file could not be read: a TOML error, a package without a name.
    #[serde(default)]
    pub skipped: Vec<String>,
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

/// The parts of one PEP 508 requirement string, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    /// Name as written (`PyYAML`).
    pub name: String,
    /// Extras as written, without brackets.
    pub extras: Vec<String>,
    /// Version specifier as written (`>=6.0, <7`), without surrounding parentheses;
    /// empty for a URL requirement or no specifier.
    pub specifier: String,
    /// Marker as written (`python_version < "3.11"`).
    pub marker: Option<String>,
    /// URL of a `name @ url` requirement.
    pub url: Option<String>,
}

/// URL type for `pep508_rs` that keeps the text as written: no environment variable
/// expansion, no filesystem access, no URL validation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RawUrl(String);

impl fmt::Display for RawUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl pep508_rs::Pep508Url for RawUrl {
    type Err = std::convert::Infallible;

    fn parse_url(url: &str, _working_dir: Option<&std::path::Path>) -> Result<Self, Self::Err> {
        Ok(RawUrl(url.to_string()))
    }
}

/// Byte length of the distribution-name prefix of `s` (`[A-Za-z0-9._-]+` starting with
/// an alphanumeric, trailing separators excluded); 0 when there is none.
pub(crate) fn name_prefix_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first().is_none_or(|c| !c.is_ascii_alphanumeric()) {
        return 0;
    }
    let mut n = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
        .count();
    while n > 0 && !b[n - 1].is_ascii_alphanumeric() {
        n -= 1;
    }
    n
}

/// `pep508_rs` 0.9 panics (an `expect` in its name and extra parsers) on a name or an
/// extra ending in `.`, `-` or `_` that is followed by another character (`a. x`,
/// `a[b.]`): such strings are not handed to it, and any other panic is caught.
fn pep508(t: &str) -> Option<pep508_rs::Requirement<RawUrl>> {
    let is_name = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-');
    let b = t.as_bytes();
    let run = b.iter().take_while(|&&c| is_name(c)).count();
    if run == 0 || !b[run - 1].is_ascii_alphanumeric() {
        return None;
    }
    let rest = t[run..].trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        let inner = &after[..after.find(']')?];
        for extra in inner.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let e = extra.as_bytes();
            let valid =
                e.iter().all(|&c| is_name(c)) && e[0].is_ascii_alphanumeric() && e[e.len() - 1].is_ascii_alphanumeric();
            if !valid {
                return None;
            }
        }
    }
    std::panic::catch_unwind(|| pep508_rs::Requirement::<RawUrl>::from_str(t).ok())
        .ok()
        .flatten()
}

/// Parses a PEP 508 requirement string (`requests[socks]>=2.31; python_version<"3.13"`,
/// `pkg @ https://…`). `pep508_rs` validates it; the parts are then taken as written.
/// Strings that are not valid PEP 508 but start with a name (`foo ^1.0`) still give that
/// name, with the rest split heuristically. `None` when no name can be found.
pub fn parse_requirement(text: &str) -> Option<Requirement> {
    let t = text.trim();
    let name_len = name_prefix_len(t);
    if name_len == 0 {
        return None;
    }
    let parsed = pep508(t);
    let name = t[..name_len].to_string();
    let mut rest = t[name_len..].trim_start();

    let mut extras = Vec::new();
    if let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']').unwrap_or(after.len());
        extras = after[..close]
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect();
        rest = after.get(close + 1..).unwrap_or("").trim_start();
    }

    let is_url = match &parsed {
        Some(r) => matches!(r.version_or_url, Some(pep508_rs::VersionOrUrl::Url(_))),
        None => rest.starts_with('@'),
    };
    let (specifier, url, marker) = if is_url {
        let body = rest.strip_prefix('@').unwrap_or(rest).trim_start();
        // PEP 508: the marker of a URL requirement follows whitespace and `;`.
        let cut = body
            .char_indices()
            .find(|&(i, c)| c == ';' && body[..i].ends_with(char::is_whitespace))
            .map(|(i, _)| i);
        let (u, m) = match cut {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        (String::new(), Some(u.trim().to_string()), m)
    } else {
        let (spec, m) = match rest.find(';') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let mut spec = spec.trim();
        if let Some(inner) = spec.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            spec = inner.trim();
        }
        (spec.to_string(), None, m)
    };
    let marker = marker.map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
    Some(Requirement {
        name,
        extras,
        specifier,
        marker,
        url: url.filter(|u| !u.is_empty()),
    })
}

impl Declaration {
    /// A declaration of a parsed requirement string.
    pub fn from_requirement(req: Requirement, kind: DepKind, span: Span) -> Declaration {
        Declaration {
            normalized: normalize(&req.name),
            name: req.name,
            specifier: req.specifier,
            marker: req.marker,
            extras: req.extras,
            url: req.url,
            kind,
            span,
        }
    }
}

/// An import root as written in build configuration, cleaned (`./src/` → `src`);
/// `None` for the manifest's own folder.
pub(crate) fn clean_root(root: &str) -> Option<String> {
    let mut r = root.trim().replace('\\', "/");
    while let Some(s) = r.strip_prefix("./") {
        r = s.to_string();
    }
    while r.ends_with('/') {
        r.pop();
    }
    if r.is_empty() || r == "." {
        None
    } else {
        Some(r)
    }
}

pub(crate) fn push_root(roots: &mut Vec<String>, root: &str) {
    if let Some(r) = clean_root(root) {
        if !roots.contains(&r) {
            roots.push(r);
        }
    }
}

#[cfg(test)]
mod tests;
