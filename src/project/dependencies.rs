//! Declared dependencies of one project, merged from all its manifests, with each
//! declaration's kind (runtime / extra / dev), file and line, and the lock file's closure.

use crate::facts::manifest::{self, normalize, Declaration, DepKind, LockFacts, ManifestFacts};
use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// One declaration and where it is.
#[derive(Debug, Clone)]
pub struct Declared {
    pub decl: Declaration,
    pub file: PathBuf,
    /// The kind after requirements-file classification (a dev file's lines are dev).
    pub kind: DepKind,
}

/// All declarations of a project.
#[derive(Debug, Default)]
pub struct Dependencies {
    pub declared: Vec<Declared>,
    /// A dependency table or requirements file exists: undeclared imports can be judged.
    pub known: bool,
    /// Some runtime dependencies cannot be read (`dynamic`, `setup.py`).
    pub dynamic: bool,
    pub project_name: Option<String>,
    pub requires_python: Option<String>,
    /// The lock file and its packages.
    pub lock: Option<(PathBuf, LockFacts)>,
    /// The manifest to name in help texts for runtime / dev additions, with its style.
    pub runtime_target: Option<(PathBuf, Style)>,
    pub dev_target: Option<(PathBuf, Style)>,
    pub import_roots: Vec<PathBuf>,
    /// The project is a meta-distribution over a sibling pinned to one version
    /// (`mlflow` → `mlflow-skinny==3.18.0`): it inherits dependencies this manifest does
    /// not list.
    pub inherits_sibling: Option<String>,
}

/// How a manifest declares dependencies (decides the wording of help texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Pep621,
    Poetry,
    Requirements,
    SetupCfg,
    Pep735,
}

impl Dependencies {
    /// Declarations of distribution `normalized`.
    pub fn find<'a>(&'a self, normalized: &'a str) -> impl Iterator<Item = &'a Declared> + 'a {
        self.declared.iter().filter(move |d| d.decl.normalized == normalized)
    }

    /// Normalised names of declared distributions of the given kinds.
    pub fn names(&self, runtime: bool, dev: bool) -> BTreeSet<&str> {
        self.declared
            .iter()
            .filter(|d| match d.kind {
                DepKind::Runtime | DepKind::Optional(_) => runtime,
                DepKind::Dev(_) => dev,
            })
            .map(|d| d.decl.normalized.as_str())
            .collect()
    }

    /// The chain by which the lock file brings in `dist` from a declared runtime
    /// dependency: `[declared, ..., dist]`.
    pub fn lock_chain(&self, dist: &str) -> Option<Vec<String>> {
        let (_, lock) = self.lock.as_ref()?;
        let edges: FxHashMap<&str, &Vec<String>> = lock
            .packages
            .iter()
            .map(|p| (p.name.as_str(), &p.dependencies))
            .collect();
        if !edges.contains_key(dist) {
            return None;
        }
        let starts = self.names(true, true);
        let mut prev: FxHashMap<&str, &str> = FxHashMap::default();
        let mut queue: VecDeque<&str> = VecDeque::new();
        for s in &starts {
            if edges.contains_key(s) {
                queue.push_back(s);
                prev.insert(s, "");
            }
        }
        while let Some(n) = queue.pop_front() {
            if n == dist {
                let mut chain = vec![n.to_string()];
                let mut cur = n;
                while let Some(p) = prev.get(cur).filter(|p| !p.is_empty()) {
                    chain.push(p.to_string());
                    cur = p;
                }
                chain.reverse();
                return Some(chain);
            }
            for next in edges.get(n).into_iter().flat_map(|v| v.iter()) {
                if !prev.contains_key(next.as_str()) {
                    prev.insert(next, n);
                    queue.push_back(next);
                }
            }
        }
        // In the lock but not reachable from a declaration (e.g. a stale lock): say so plainly.
        Some(vec![dist.to_string()])
    }
}

/// Whether a requirements file is for development, by its name.
pub fn is_dev_requirements(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let stem = name.trim_end_matches(".txt").trim_end_matches(".in");
    [
        "dev", "test", "lint", "doc", "ci", "typing", "tox", "local", "format", "style", "check", "mypy", "bench",
        "debug",
    ]
    .iter()
    .any(|w| {
        stem.split(['-', '_', '.'])
            .any(|part| part == *w || part.starts_with(w) && *w != "ci" && *w != "doc" || part == "docs")
    })
}

/// Builds the dependencies of a project from its manifest facts (`path → facts`).
/// Requirements files reached by `-r` that were not walked are read here.
pub fn build(root: &Path, manifests: &[(PathBuf, &ManifestFacts)], has_setup_py: bool) -> Dependencies {
    let mut deps = Dependencies::default();
    let by_path: FxHashMap<&Path, &ManifestFacts> = manifests.iter().map(|(p, f)| (p.as_path(), *f)).collect();
    let mut extra: Vec<(PathBuf, ManifestFacts)> = Vec::new();

    // Requirements files: classify the roots by name, then follow includes.
    let mut req_kind: FxHashMap<PathBuf, DepKind> = FxHashMap::default();
    let mut queue: VecDeque<(PathBuf, DepKind)> = VecDeque::new();
    let mut pyproject: Option<(&Path, &ManifestFacts)> = None;
    let mut setup_cfg: Option<(&Path, &ManifestFacts)> = None;
    // Files named by `-c` are constraints, never dependency roots.
    let mut constraint_files: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for (path, facts) in manifests {
        for inc in facts.includes.iter().filter(|i| i.constraint) {
            constraint_files.insert(crate::discover::normalize_path(
                &path.parent().unwrap_or(root).join(&inc.path),
            ));
        }
    }
    for (path, facts) in manifests {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if constraint_files.contains(path) || name.to_ascii_lowercase().contains("constraint") {
            continue;
        }
        match name {
            "pyproject.toml" => {
                if path.parent() == Some(root) {
                    pyproject = Some((path, facts));
                }
            }
            "setup.cfg" => {
                if path.parent() == Some(root) {
                    setup_cfg = Some((path, facts));
                }
            }
            "uv.lock" | "poetry.lock" | "pdm.lock" | "pylock.toml" => {
                if let Some(lock) = &facts.lock {
                    deps.lock = Some((path.clone(), lock.clone()));
                }
            }
            _ if name.starts_with("pylock.") => {
                if let Some(lock) = &facts.lock {
                    deps.lock = Some((path.clone(), lock.clone()));
                }
            }
            _ => {
                let kind = if is_dev_requirements(path) {
                    DepKind::Dev(name.to_string())
                } else {
                    DepKind::Runtime
                };
                // Runtime roots first so that files reached from both are runtime.
                if kind == DepKind::Runtime {
                    queue.push_front((path.clone(), kind));
                } else {
                    queue.push_back((path.clone(), kind));
                }
            }
        }
    }
    let mut runtime_best: Option<(PathBuf, usize)> = None;
    let mut dev_best: Option<(PathBuf, usize)> = None;
    let include_declared = |file: &Path, facts: &ManifestFacts, kind: &DepKind, deps: &mut Dependencies| {
        for d in &facts.declarations {
            // A development file makes all its lines development ones; otherwise a
            // declaration keeps its own kind (extras, groups).
            let k = match kind {
                DepKind::Dev(g) => DepKind::Dev(g.clone()),
                _ => d.kind.clone(),
            };
            deps.declared.push(Declared {
                decl: d.clone(),
                file: file.to_path_buf(),
                kind: k,
            });
        }
    };
    // setuptools dynamic `file=` includes become runtime requirements roots.
    for (base_path, facts) in pyproject.iter().chain(setup_cfg.iter()) {
        for inc in &facts.includes {
            if inc.constraint {
                continue;
            }
            let p = crate::discover::normalize_path(&base_path.parent().unwrap_or(root).join(&inc.path));
            queue.push_front((p, inc.kind.clone().unwrap_or(DepKind::Runtime)));
        }
    }
    while let Some((path, kind)) = queue.pop_front() {
        if let Some(prev) = req_kind.get(&path) {
            if *prev == DepKind::Runtime || prev == &kind {
                continue;
            }
            if !matches!(kind, DepKind::Runtime) {
                continue;
            }
        }
        req_kind.insert(path.clone(), kind.clone());
        let facts: &ManifestFacts = match by_path.get(path.as_path()) {
            Some(f) => f,
            None => {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                extra.push((path.clone(), manifest::parse_requirements(&text)));
                &extra.last().expect("just pushed").1
            }
        };
        deps.known = true;
        // Re-borrow-safe copy of what we need.
        let includes: Vec<(PathBuf, bool)> = facts
            .includes
            .iter()
            .map(|i| {
                (
                    crate::discover::normalize_path(&path.parent().unwrap_or(root).join(&i.path)),
                    i.constraint,
                )
            })
            .collect();
        let facts_clone = facts.clone();
        include_declared(&path, &facts_clone, &kind, &mut deps);
        // Help texts name the requirements file that holds the most declarations of
        // its kind (`requirements/base.txt`, not a `requirements.txt` of `-r` lines).
        let count = facts_clone.declarations.len();
        let slot = if kind == DepKind::Runtime {
            &mut runtime_best
        } else {
            &mut dev_best
        };
        if slot.as_ref().is_none_or(|(_, c)| count > *c) {
            *slot = Some((path.clone(), count));
        }
        for (inc, constraint) in includes {
            if !constraint {
                queue.push_back((inc, kind.clone()));
            }
        }
    }
    deps.runtime_target = runtime_best.map(|(p, _)| (p, Style::Requirements));
    deps.dev_target = dev_best.map(|(p, _)| (p, Style::Requirements));
    for (path, facts) in [setup_cfg, pyproject].into_iter().flatten() {
        include_declared(path, facts, &DepKind::Runtime, &mut deps);
        if facts.declares_dependencies {
            deps.known = true;
            let style = if path.ends_with("setup.cfg") {
                Style::SetupCfg
            } else if facts.declarations.iter().any(|d| d.kind == DepKind::Runtime) && !has_poetry_only(facts) {
                Style::Pep621
            } else if has_poetry_only(facts) {
                Style::Poetry
            } else {
                Style::Pep621
            };
            deps.runtime_target = Some((path.to_path_buf(), style));
            if facts.declarations.iter().any(|d| matches!(d.kind, DepKind::Dev(_))) || deps.dev_target.is_none() {
                let dev_style = if style == Style::Poetry {
                    Style::Poetry
                } else {
                    Style::Pep735
                };
                deps.dev_target = Some((path.to_path_buf(), dev_style));
            }
        }
        if facts.dynamic_dependencies {
            deps.dynamic = true;
        }
        if facts.project_name.is_some() {
            deps.project_name = facts.project_name.clone();
        }
        if facts.requires_python.is_some() {
            deps.requires_python = facts.requires_python.clone();
        }
        for r in &facts.import_roots {
            deps.import_roots.push(crate::discover::normalize_path(&root.join(r)));
        }
    }
    if has_setup_py && !deps.declared.iter().any(|d| d.kind == DepKind::Runtime) {
        // setup.py declares what it declares by running code.
        deps.dynamic = true;
    }
    if let Some(own) = deps.project_name.as_deref().map(normalize) {
        let prefix = format!("{own}-");
        deps.inherits_sibling = deps
            .declared
            .iter()
            .find(|d| {
                d.kind == DepKind::Runtime
                    && d.decl.normalized.starts_with(&prefix)
                    && d.decl.specifier.starts_with("==")
            })
            .map(|d| d.decl.name.clone());
        deps.declared.retain(|d| d.decl.normalized != own);
    }
    deps
}

/// The manifest declares through `[tool.poetry.dependencies]` rather than `[project]`.
fn has_poetry_only(facts: &ManifestFacts) -> bool {
    facts
        .declarations
        .iter()
        .any(|d| d.specifier.starts_with('^') || d.specifier.starts_with('~'))
        && !facts
            .declarations
            .iter()
            .any(|d| d.specifier.starts_with(">=") || d.specifier.starts_with("=="))
}

impl Dependencies {
    /// Where and how to declare `dists` (one of them): the help text and the manifest.
    pub fn add_hint(&self, root: &Path, dists: &[String], dev: bool) -> (String, Option<PathBuf>) {
        let what = match dists {
            [one] => format!("`{one}`"),
            many => format!(
                "one of {}",
                many.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        let target = if dev {
            self.dev_target.as_ref().or(self.runtime_target.as_ref())
        } else {
            self.runtime_target.as_ref()
        };
        let Some((path, style)) = target else {
            return (
                format!("declare {what} in `pyproject.toml` `[project] dependencies`"),
                None,
            );
        };
        let rel = match path.strip_prefix(root) {
            Ok(r) => r.to_string_lossy().to_string(),
            Err(_) => super::relative_path(root, path),
        };
        let text = match (style, dev) {
            (Style::Pep621, false) => format!("add {what} to `[project] dependencies` in `{rel}`"),
            (Style::Pep621 | Style::Pep735, true) => {
                format!("add {what} to a `[dependency-groups]` group (e.g. `dev`) in `{rel}`")
            }
            (Style::Pep735, false) => format!("add {what} to `[project] dependencies` in `{rel}`"),
            (Style::Poetry, false) => format!("add {what} to `[tool.poetry.dependencies]` in `{rel}`"),
            (Style::Poetry, true) => format!("add {what} to `[tool.poetry.group.dev.dependencies]` in `{rel}`"),
            (Style::SetupCfg, _) => format!("add {what} to `install_requires` in `{rel}`"),
            (Style::Requirements, _) => format!("add {what} to `{rel}`"),
        };
        (text, Some(path.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_requirement_names() {
        for dev in [
            "requirements-dev.txt",
            "dev-requirements.txt",
            "requirements_test.txt",
            "requirements/local.txt",
            "requirements/docs.txt",
            "requirements-lint.in",
            "test.txt",
        ] {
            assert!(is_dev_requirements(Path::new(dev)), "{dev}");
        }
        for rt in [
            "requirements.txt",
            "requirements/prod.txt",
            "requirements/base.txt",
            "requirements/common.txt",
            "requirements/production.txt",
            "requirements.in",
        ] {
            assert!(!is_dev_requirements(Path::new(rt)), "{rt}");
        }
    }
}
