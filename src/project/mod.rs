//! Index: merges the facts of all files into projects (module map, dependencies, Python
//! versions, symbol definitions), so rules look things up by name instead of scanning.

pub mod dependencies;
pub mod distmap;
pub mod imports;
pub mod migrations;
pub mod modules;
pub mod stdlib;
pub mod transitive;
pub mod values;

use crate::config::Config;
use crate::discover::Discovered;
use crate::facts::{FileFacts, FileKind};
use dependencies::Dependencies;
use distmap::DistMap;
use globset::{Glob, GlobSet, GlobSetBuilder};
use modules::ModuleIndex;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// One project: a folder with its own dependencies and import roots.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub modules: ModuleIndex,
    pub deps: Dependencies,
    pub dists: DistMap,
    /// Python 3 minor versions supported.
    pub minors: Vec<u8>,
    /// Names defined (`class`/`def`/constants) at module level → `(dotted module, file id)`.
    pub definitions: FxHashMap<String, Vec<(String, usize)>>,
    dev_paths: DevPaths,
    /// The folder dev-path globs are relative to: the config's folder, or the outermost
    /// project folder of the run (so `examples/app/` stays an example when `examples/app`
    /// has a requirements file of its own).
    dev_base: PathBuf,
    /// Import name (lowercase, dotted) → indices of the declarations providing it.
    pub provider_index: FxHashMap<String, Vec<usize>>,
    /// Distributions the runtime declarations pull in (lock file, package metadata).
    pub reach_runtime: transitive::Reachable,
    /// The same with the optional extras' declarations.
    pub reach_extras: transitive::Reachable,
    /// The same from every declaration, development ones included.
    pub reach_all: transitive::Reachable,
}

impl Project {
    /// Whether a file is development code (tests, conftest, noxfile, docs ...).
    pub fn is_dev_path(&self, path: &Path) -> bool {
        self.dev_paths
            .matches(path.strip_prefix(&self.dev_base).unwrap_or(path))
    }

    /// The folder paths in messages are relative to: the outermost project of the run.
    pub fn display_base(&self) -> &Path {
        &self.dev_base
    }

    /// Import roots in lookup order.
    pub fn roots(&self) -> Vec<&Path> {
        self.modules.roots.iter().map(PathBuf::as_path).collect()
    }
}

/// All files and projects of a run.
pub struct Workspace {
    pub files: Vec<FileFacts>,
    /// Project index of each file.
    pub file_project: Vec<usize>,
    pub projects: Vec<Project>,
    pub path_to_file: FxHashMap<PathBuf, usize>,
    /// Alembic environments and their revision graphs.
    pub migrations: migrations::Migrations,
}

/// Dev-path globs: `dir/` patterns match a path component anywhere, patterns with `/`
/// match the relative path, others the file name.
#[derive(Debug)]
struct DevPaths {
    dirs: Vec<String>,
    paths: GlobSet,
    names: GlobSet,
}

impl DevPaths {
    fn new(patterns: &[String]) -> DevPaths {
        let mut dirs = Vec::new();
        let mut paths = GlobSetBuilder::new();
        let mut names = GlobSetBuilder::new();
        for p in patterns {
            if let Some(d) = p.strip_suffix('/') {
                if !d.contains('/') && !d.contains('*') {
                    dirs.push(d.to_string());
                    continue;
                }
                if let Ok(g) = Glob::new(&format!("{d}/**")) {
                    paths.add(g);
                }
            } else if p.contains('/') {
                if let Ok(g) = Glob::new(p) {
                    paths.add(g);
                }
            } else if let Ok(g) = Glob::new(p) {
                names.add(g);
            }
        }
        DevPaths {
            dirs,
            paths: paths.build().unwrap_or_else(|_| GlobSet::empty()),
            names: names.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    fn matches(&self, rel: &Path) -> bool {
        if let Some(parent) = rel.parent() {
            if parent
                .components()
                .any(|c| self.dirs.iter().any(|d| c.as_os_str() == d.as_str()))
            {
                return true;
            }
        }
        self.paths.is_match(rel) || rel.file_name().is_some_and(|n| self.names.is_match(Path::new(n)))
    }
}

/// `path` relative to `base` (`../uv.lock`).
pub fn relative_path(base: &Path, path: &Path) -> String {
    let common = base.ancestors().find(|a| path.starts_with(a)).unwrap_or(Path::new("/"));
    let ups = base.strip_prefix(common).map(|r| r.components().count()).unwrap_or(0);
    let rest = path.strip_prefix(common).unwrap_or(path);
    let mut out = PathBuf::new();
    for _ in 0..ups {
        out.push("..");
    }
    out.push(rest);
    out.to_string_lossy().into_owned()
}

/// A workspace lock file above a project that was not walked (checking `backend/` of a
/// uv workspace whose `uv.lock` sits at the repository root). Stops at the git root.
fn ancestor_lock(root: &Path) -> Option<(PathBuf, crate::facts::manifest::LockFacts)> {
    for dir in root.ancestors().skip(1) {
        for name in ["uv.lock", "pdm.lock"] {
            let p = dir.join(name);
            if let Ok(text) = std::fs::read_to_string(&p) {
                return Some((p, crate::facts::manifest::parse_lock(name, &text)));
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Builds the projects of a run from the discovered files and their facts.
pub fn build(discovered: &Discovered, files: Vec<FileFacts>, configs: &[Config]) -> Workspace {
    let file_project: Vec<usize> = discovered.files.iter().map(|f| f.project).collect();
    let path_to_file: FxHashMap<PathBuf, usize> = files.iter().enumerate().map(|(i, f)| (f.path.clone(), i)).collect();
    let mut projects = Vec::with_capacity(discovered.projects.len());
    let mut workspace_locks: Vec<(PathBuf, (PathBuf, crate::facts::manifest::LockFacts))> = Vec::new();
    let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); discovered.projects.len()];
    for (i, p) in file_project.iter().enumerate() {
        if let Some(m) = members_of.get_mut(*p) {
            m.push(i);
        }
    }
    for (pi, root) in discovered.projects.iter().enumerate() {
        let config = configs.get(pi).cloned().unwrap_or_else(|| Config::defaults(root));
        let members = std::mem::take(&mut members_of[pi]);
        let manifests: Vec<(PathBuf, &crate::facts::ManifestFacts)> = members
            .iter()
            .filter_map(|i| files[*i].manifest.as_ref().map(|m| (files[*i].path.clone(), m)))
            .collect();
        let has_setup_py = root.join("setup.py").is_file();
        let mut deps = dependencies::build(root, &manifests, has_setup_py);
        // A workspace member without a lock of its own is resolved by the workspace's.
        if deps.lock.is_none() {
            deps.lock = workspace_locks
                .iter()
                .filter(|(r, _)| root.starts_with(r))
                .max_by_key(|(r, _)| r.components().count())
                .map(|(_, l)| l.clone());
        } else if let Some(l) = &deps.lock {
            workspace_locks.push((root.clone(), l.clone()));
        }
        if deps.lock.is_none() {
            deps.lock = ancestor_lock(root);
        }

        // Import roots: config `src`, build-config roots, `src/`, the project root, and the
        // parent of a root that is itself a package.
        let mut roots: Vec<PathBuf> = Vec::new();
        for s in &config.src {
            roots.push(crate::discover::normalize_path(&config.dir.join(s)));
        }
        roots.extend(deps.import_roots.iter().cloned());
        if root.join("src").is_dir() {
            roots.push(root.join("src"));
        }
        roots.push(root.clone());
        let mut extra = Vec::new();
        for r in &roots {
            let mut top = r.clone();
            while top.join("__init__.py").is_file() {
                match top.parent() {
                    Some(p) => top = p.to_path_buf(),
                    None => break,
                }
            }
            if &top != r {
                extra.push(top);
            }
        }
        roots.extend(extra);
        let mut seen = std::collections::HashSet::new();
        roots.retain(|r| seen.insert(r.clone()));

        let python: Vec<(usize, &Path)> = members
            .iter()
            .filter(|i| discovered.files[**i].kind == FileKind::Python)
            .map(|i| (*i, files[*i].path.as_path()))
            .collect();
        let compiled: Vec<&Path> = Vec::new();
        let mut modules = ModuleIndex::build(roots, &python, &compiled);
        for (id, path) in &python {
            if files[*id].symbols.registers_modules {
                if let (Some(dir), Some(stem)) = (path.parent(), modules::module_stem(path)) {
                    modules.registering.insert(dir.join(stem));
                }
            }
            if files[*id].symbols.extends_path && path.file_stem().is_some_and(|s| s == "__init__") {
                if let Some(dir) = path.parent() {
                    modules.extended.insert(dir.to_path_buf());
                }
            }
        }
        let mut definitions: FxHashMap<String, Vec<(String, usize)>> = FxHashMap::default();
        for (id, path) in &python {
            let Some(dotted) = modules.dotted_name(path) else {
                continue;
            };
            let f = &files[*id];
            let mut names: Vec<&str> = f.symbols.definitions.iter().map(|(n, _)| n.as_str()).collect();
            names.extend(f.constants.iter().map(|c| c.name.as_str()));
            names.sort();
            names.dedup();
            for n in names {
                definitions
                    .entry(n.to_string())
                    .or_default()
                    .push((dotted.clone(), *id));
            }
        }
        let minors = stdlib::supported_minors(deps.requires_python.as_deref(), config.target_version);
        let dists = DistMap::new(&config.imports.module_map, root);
        let mut provider_index: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, d) in deps.declared.iter().enumerate() {
            for name in dists.names_of(&d.decl.normalized) {
                provider_index.entry(name).or_default().push(i);
            }
        }
        let reach_runtime = transitive::Reachable::build(&deps, transitive::Roots::Runtime);
        let reach_extras = transitive::Reachable::build(&deps, transitive::Roots::WithExtras);
        let reach_all = transitive::Reachable::build(&deps, transitive::Roots::All);
        let dev_paths = DevPaths::new(&config.dev_paths());
        let dev_base = if config.path.is_some() {
            config.dir.clone()
        } else {
            discovered
                .projects
                .iter()
                .find(|p| root.starts_with(p))
                .cloned()
                .unwrap_or_else(|| root.clone())
        };
        projects.push(Project {
            root: root.clone(),
            config,
            modules,
            deps,
            dists,
            minors,
            definitions,
            dev_paths,
            dev_base,
            provider_index,
            reach_runtime,
            reach_extras,
            reach_all,
        });
    }
    let extra_configs: Vec<PathBuf> = projects
        .iter()
        .flat_map(|p| {
            p.config
                .migrations
                .alembic_configs
                .iter()
                .map(|c| crate::discover::normalize_path(&p.config.dir.join(c)))
        })
        .collect();
    let migrations = migrations::build(&files, &extra_configs);
    Workspace {
        migrations,
        files,
        file_project,
        projects,
        path_to_file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_path_globs() {
        let d = DevPaths::new(
            &crate::config::DEFAULT_DEV_PATHS
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        );
        assert!(d.matches(Path::new("tests/test_x.py")));
        assert!(d.matches(Path::new("src/app/tests/helpers.py")));
        assert!(d.matches(Path::new("conftest.py")));
        assert!(d.matches(Path::new("app/test_models.py")));
        assert!(d.matches(Path::new("noxfile.py")));
        assert!(d.matches(Path::new("docs/conf.py")));
        assert!(!d.matches(Path::new("app/models.py")));
        assert!(!d.matches(Path::new("app/testing_utils.py")));
    }
}
