//! The `check` pipeline: discover → extract (parallel) → index → rules (parallel) →
//! suppress and filter → sorted diagnostics.

use crate::cache::{self, Cache};
use crate::config::{self, Config, ConfigError, Selection};
use crate::diagnostic::{Diagnostic, LineIndex, Severity, Span};
use crate::discover::{self, Discovered};
use crate::facts::{self, FileFacts, FileKind, Noqa};
use crate::project::{self, Workspace};
use crate::rules::{self, RuleContext};
use globset::{Glob, GlobSetBuilder};
use rayon::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files larger than this are reported as PR001 instead of analysed.
pub const MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// What `check` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub config: Option<PathBuf>,
    pub selection: Selection,
    /// Read and write the facts cache (`--no-cache` turns it off).
    pub cache: bool,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct CheckResult {
    pub diagnostics: Vec<Diagnostic>,
    /// PR002 findings: the run exits 2.
    pub internal_errors: usize,
    pub files_checked: usize,
    /// Things the user should know about the run (printed as warnings on stderr).
    pub notes: Vec<String>,
}

/// Runs the whole pipeline.
pub fn run(opts: &CheckOptions) -> Result<CheckResult, ConfigError> {
    let (discovered, ws) = analyse(opts)?;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut internal_errors = 0;

    // Per-file findings from extraction problems.
    for f in &ws.files {
        if let Some(why) = &f.unreadable {
            let (code, sev) = if why.starts_with("internal error") {
                ("PR002", Severity::Error)
            } else {
                ("PR001", Severity::Error)
            };
            if code == "PR002" {
                internal_errors += 1;
            }
            diags.push(
                Diagnostic::new(
                    code,
                    sev,
                    f.path.clone(),
                    Span {
                        row: 1,
                        col: 1,
                        end_row: 1,
                        end_col: 1,
                        ..Span::default()
                    },
                    why.clone(),
                )
                .with_help(if code == "PR002" {
                    "this is a bug in pylint-recover: please report it with this file".to_string()
                } else {
                    "fix the file or exclude it (`extend-exclude`)".to_string()
                }),
            );
        }
    }

    let per_file: Vec<(Vec<Diagnostic>, usize)> = (0..ws.files.len())
        .into_par_iter()
        .map(|i| run_rules(&ws, i, &opts.selection))
        .collect();
    for (d, errs) in per_file {
        diags.extend(d);
        internal_errors += errs;
    }

    // Selection, per-file ignores, noqa, and the paths given.
    let ignores: Vec<PerFileIgnores> = ws.projects.iter().map(|p| PerFileIgnores::new(&p.config)).collect();
    diags.retain(|d| {
        let Some(&fi) = ws.path_to_file.get(&d.path) else {
            return true;
        };
        let project = &ws.projects[ws.file_project[fi]];
        if !project.config.is_enabled(d.code, &opts.selection) && !d.code.starts_with("PR") {
            return false;
        }
        if ignores[ws.file_project[fi]].ignores(&d.path, d.code) {
            return false;
        }
        if is_suppressed(&ws.files[fi].noqa, d) {
            return false;
        }
        discovered.is_target(&d.path) || d.related.iter().any(|r| discovered.is_target(r))
    });
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| a.code == b.code && a.path == b.path && a.span == b.span && a.message == b.message);
    let files_checked = ws.files.iter().filter(|f| discovered.is_target(&f.path)).count();
    let notes = project_notes(&discovered, &ws, &opts.selection);
    Ok(CheckResult {
        diagnostics: diags,
        internal_errors,
        files_checked,
        notes,
    })
}

/// Discovers and extracts, and builds the workspace (also used by `--show-facts`).
pub fn analyse(opts: &CheckOptions) -> Result<(Discovered, Workspace), ConfigError> {
    let override_cfg = match &opts.config {
        Some(p) => Some(config::load(p)?),
        None => None,
    };
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths.clone()
    };
    let discovered = discover::discover(&paths, override_cfg.as_ref())?;
    let mut cache = std::collections::HashMap::new();
    let mut configs: Vec<Config> = Vec::with_capacity(discovered.projects.len());
    for root in &discovered.projects {
        configs.push(match &override_cfg {
            Some(c) => c.clone(),
            None => discover::config_for_dir(root, &mut cache)?,
        });
    }
    // One cache per outermost project folder of the run.
    let cache_roots: Vec<PathBuf> = discovered
        .projects
        .iter()
        .filter(|p| !discovered.projects.iter().any(|o| o != *p && p.starts_with(o)))
        .cloned()
        .collect();
    let caches: Vec<Mutex<Cache>> = if opts.cache {
        cache_roots.iter().map(|r| Mutex::new(Cache::load(r))).collect()
    } else {
        Vec::new()
    };
    let facts: Vec<FileFacts> = discovered
        .files
        .par_iter()
        .map(|f| {
            let cache = cache_roots
                .iter()
                .position(|r| f.path.starts_with(r))
                .and_then(|i| caches.get(i));
            extract_cached(&f.path, f.kind, cache)
        })
        .collect();
    for (root, cache) in cache_roots.iter().zip(caches) {
        let mut cache = cache.into_inner().unwrap_or_else(|e| e.into_inner());
        let walked: std::collections::HashSet<&Path> = discovered.files.iter().map(|f| f.path.as_path()).collect();
        cache.retain(|p| walked.contains(p));
        cache.save(root);
    }
    let ws = project::build(&discovered, facts, &configs);
    Ok((discovered, ws))
}

/// Extracts one file, reusing its cached facts when the file did not change.
fn extract_cached(path: &Path, kind: FileKind, cache: Option<&Mutex<Cache>>) -> FileFacts {
    let (Some(cache), Some((size, mtime))) = (cache, cache::stamp(path)) else {
        return extract_file(path, kind);
    };
    if size > MAX_FILE_SIZE {
        return extract_file(path, kind);
    }
    let hit = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(path, size, mtime, || std::fs::read(path).ok());
    if let Some(f) = hit {
        return f;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return extract_file(path, kind);
    };
    let hash = cache::content_hash(&bytes);
    let facts = extract_bytes(path, kind, bytes);
    let internal = facts
        .unreadable
        .as_deref()
        .is_some_and(|u| u.starts_with("internal error"));
    if !internal {
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_path_buf(), size, mtime, hash, facts.clone());
    }
    facts
}

/// Reads and extracts one file; never panics, never fails.
pub fn extract_file(path: &Path, kind: FileKind) -> FileFacts {
    let mut facts = FileFacts {
        path: path.to_path_buf(),
        kind: Some(kind),
        ..FileFacts::default()
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            facts.unreadable = Some(format!("cannot read the file: {e}"));
            return facts;
        }
    };
    if !meta.is_file() {
        facts.unreadable = Some("not a regular file".into());
        return facts;
    }
    if meta.len() > MAX_FILE_SIZE {
        facts.unreadable = Some(format!(
            "file is larger than the {} MiB limit; not analysed",
            MAX_FILE_SIZE / 1024 / 1024
        ));
        return facts;
    }
    match std::fs::read(path) {
        Ok(bytes) => extract_bytes(path, kind, bytes),
        Err(e) => {
            facts.unreadable = Some(format!("cannot read the file: {e}"));
            facts
        }
    }
}

/// Extracts one file from its bytes; never panics, never fails.
pub fn extract_bytes(path: &Path, kind: FileKind, bytes: Vec<u8>) -> FileFacts {
    let mut facts = FileFacts {
        path: path.to_path_buf(),
        kind: Some(kind),
        ..FileFacts::default()
    };
    if kind == FileKind::Python && memchr::memchr(0, &bytes).is_some() {
        facts.unreadable = Some("binary file (NUL bytes) with a Python file name; not analysed".into());
        return facts;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        // Invalid UTF-8: analyse what can be read.
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut f = FileFacts {
            path: path.to_path_buf(),
            kind: Some(kind),
            ..FileFacts::default()
        };
        extract_text(path, kind, &text, &mut f);
        f
    }));
    match result {
        Ok(f) => f,
        Err(panic) => {
            facts.unreadable = Some(format!(
                "internal error while extracting facts: {}",
                panic_message(&panic)
            ));
            facts
        }
    }
}

/// Runs the extractors of a file kind on its text.
pub fn extract_text(path: &Path, kind: FileKind, text: &str, facts: &mut FileFacts) {
    match kind {
        FileKind::Python => facts::python::extract(text, facts),
        FileKind::Manifest => {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let m = match name {
                "pyproject.toml" => facts::manifest::parse_pyproject(text),
                "setup.cfg" => facts::manifest::parse_setup_cfg(text),
                "uv.lock" | "poetry.lock" | "pdm.lock" | "pylock.toml" => facts::manifest::ManifestFacts {
                    lock: Some(facts::manifest::parse_lock(name, text)),
                    ..Default::default()
                },
                _ if name.starts_with("pylock.") => facts::manifest::ManifestFacts {
                    lock: Some(facts::manifest::parse_lock(name, text)),
                    ..Default::default()
                },
                _ => facts::manifest::parse_requirements(text),
            };
            facts.manifest = Some(m);
            if name == "pyproject.toml" {
                facts.commands = facts::commands::pyproject_tasks(text);
            }
            facts.noqa = line_noqa(text, false);
        }
        FileKind::Command => {
            facts.commands = facts::commands::extract(path, text);
            // A comment-only line also covers the line below it: Dockerfiles, Procfiles and
            // JSON-form commands have no room for a trailing comment.
            facts.noqa = line_noqa(text, true);
        }
        FileKind::AlembicConfig => {
            facts.noqa = line_noqa(text, false);
        }
    }
}

/// `# noqa` directives of a non-Python file (any `#` comment).
fn line_noqa(text: &str, covers_next_line: bool) -> Vec<Noqa> {
    if !text.contains("noqa") && !text.contains("NOQA") {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    for row in 1..=index.line_count() as u32 {
        let Some((s, e)) = index.line_range(row) else { continue };
        let line = &text[s..e];
        if let Some(pos) = line.find('#') {
            if let Some(n) = facts::python::parse_noqa(&line[pos..]) {
                if covers_next_line && line[..pos].trim().is_empty() {
                    out.push(Noqa {
                        row: row + 1,
                        ..n.clone()
                    });
                }
                out.push(Noqa { row, ..n });
            }
        }
    }
    out
}

fn run_rules(ws: &Workspace, file: usize, selection: &Selection) -> (Vec<Diagnostic>, usize) {
    let facts = &ws.files[file];
    if facts.unreadable.is_some() {
        return (Vec::new(), 0);
    }
    let cx = RuleContext::new(ws, file);
    let mut out = Vec::new();
    let mut errors = 0;
    for (code, check) in rules::CHECKS {
        if !cx.project.config.is_enabled(code, selection) {
            continue;
        }
        let mut found = Vec::new();
        match catch_unwind(AssertUnwindSafe(|| check(&cx, &mut found))) {
            Ok(()) => out.extend(found),
            Err(panic) => {
                errors += 1;
                out.push(
                    Diagnostic::new(
                        "PR002",
                        Severity::Error,
                        facts.path.clone(),
                        Span {
                            row: 1,
                            col: 1,
                            end_row: 1,
                            end_col: 1,
                            ..Span::default()
                        },
                        format!("internal error in rule {code}: {}", panic_message(&panic)),
                    )
                    .with_help("this is a bug in pylint-recover: please report it with this file"),
                );
            }
        }
    }
    (out, errors)
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// Whether a `noqa` on the finding's first or last line suppresses it. A bare `noqa`
/// suppresses everything but MIG001, which needs its code and a reason.
pub fn is_suppressed(noqa: &[Noqa], d: &Diagnostic) -> bool {
    let (first, last) = d.statement_rows.unwrap_or((d.span.row, d.span.end_row));
    noqa.iter()
        .filter(|n| n.row == d.span.row || n.row == d.span.end_row || (first <= n.row && n.row <= last))
        .any(|n| {
            let names_code = n.codes.as_ref().is_some_and(|c| c.iter().any(|c| c == d.code));
            if d.code == "MIG001" {
                names_code && !n.reason.is_empty()
            } else {
                n.codes.is_none() || names_code
            }
        })
}

/// `per-file-ignores` of one config.
struct PerFileIgnores {
    dir: PathBuf,
    entries: Vec<(globset::GlobSet, Vec<String>)>,
}

impl PerFileIgnores {
    fn new(cfg: &Config) -> Self {
        let mut entries = Vec::new();
        for (pattern, codes) in &cfg.per_file_ignores {
            let mut b = GlobSetBuilder::new();
            let p = pattern.trim_start_matches("./");
            if let Ok(g) = Glob::new(p) {
                b.add(g);
            }
            if let Ok(g) = Glob::new(&format!("{}/**", p.trim_end_matches('/'))) {
                b.add(g);
            }
            if let Ok(set) = b.build() {
                entries.push((set, codes.clone()));
            }
        }
        PerFileIgnores {
            dir: cfg.dir.clone(),
            entries,
        }
    }

    fn ignores(&self, path: &Path, code: &str) -> bool {
        let rel = path.strip_prefix(&self.dir).unwrap_or(path);
        let name = path.file_name().map(Path::new);
        self.entries.iter().any(|(set, codes)| {
            (set.is_match(rel) || name.is_some_and(|n| set.is_match(n)))
                && codes.iter().any(|c| crate::rules::registry::selector_matches(c, code))
        })
    }
}

/// Warnings about projects whose dependencies cannot be judged, so a silent run is not
/// mistaken for a clean one.
fn project_notes(discovered: &Discovered, ws: &Workspace, selection: &Selection) -> Vec<String> {
    let mut notes = Vec::new();
    for (pi, p) in ws.projects.iter().enumerate() {
        let has_targeted_python = ws.files.iter().enumerate().any(|(i, f)| {
            ws.file_project[i] == pi && f.kind == Some(FileKind::Python) && discovered.is_target(&f.path)
        });
        if !has_targeted_python || !p.config.is_enabled("IMP001", selection) {
            continue;
        }
        let root = p.root.display();
        if p.deps.dynamic {
            notes.push(format!(
                "{root}: dependencies are computed at build time (`dynamic` without `file=`, or `setup.py`); IMP001 and IMP004 are skipped for this project"
            ));
        } else if !p.deps.known {
            notes.push(format!(
                "{root}: no dependency declarations found (pyproject.toml, requirements*.txt, setup.cfg); IMP001 and IMP004 are skipped for this project"
            ));
        } else if let Some(sibling) = &p.deps.inherits_sibling {
            notes.push(format!(
                "{root}: the project's dependencies come with `{sibling}`, which this project does not describe; IMP001 and IMP007 are skipped for this project"
            ));
        }
    }
    notes
}
