//! First-party module index of one project: which dotted names resolve to which files,
//! following Python's rule (regular packages and module files shadow installed names,
//! namespace folders never do).

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// A folder seen in the project.
#[derive(Debug, Clone, Default)]
pub struct DirInfo {
    /// File id of its `__init__.py`/`.pyi`, when it is a regular package.
    pub init: Option<usize>,
    /// Child module names (files without extension, and sub-folders holding Python files).
    pub children: Vec<String>,
}

/// What a dotted name resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A module file (`a/b.py`), with its file id (`None` for compiled extensions).
    Module(Option<usize>),
    /// A package folder; `init` is its `__init__.py` file id, `None` for a namespace package.
    Package { dir: PathBuf, init: Option<usize> },
}

/// Outcome of resolving a dotted module path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Found(Target),
    /// The first `found` segments resolve; segment `found` does not. `parent` is the
    /// folder the missing segment was looked up in (for suggestions).
    Missing {
        found: usize,
        parent: Option<PathBuf>,
    },
}

/// Module files and package folders of one project.
#[derive(Debug, Default)]
pub struct ModuleIndex {
    /// Import roots, in lookup order.
    pub roots: Vec<PathBuf>,
    pub dirs: FxHashMap<PathBuf, DirInfo>,
    /// Module path without extension (`/p/src/a/b`) → file id (`None` = compiled).
    pub files: FxHashMap<PathBuf, Option<usize>>,
    /// Packages whose `__init__` extends `__path__`: other distributions add submodules.
    pub extended: rustc_hash::FxHashSet<PathBuf>,
    /// Module files (without extension) that register submodules in `sys.modules`.
    pub registering: rustc_hash::FxHashSet<PathBuf>,
}

impl ModuleIndex {
    /// Builds the index from the project's Python files (`(id, path)`) and compiled
    /// extension files, under the given roots.
    pub fn build(roots: Vec<PathBuf>, python: &[(usize, &Path)], compiled: &[&Path]) -> ModuleIndex {
        let mut idx = ModuleIndex {
            roots,
            ..ModuleIndex::default()
        };
        let add = |idx: &mut ModuleIndex, path: &Path, id: Option<usize>| {
            let Some(stem) = module_stem(path) else { return };
            let Some(parent) = path.parent() else { return };
            if stem == "__init__" {
                let d = idx.dirs.entry(parent.to_path_buf()).or_default();
                if d.init.is_none() || path.extension().is_some_and(|e| e == "py") {
                    d.init = id;
                }
            } else {
                let key = parent.join(stem);
                let prev = idx.files.get(&key).copied().flatten();
                // A `.py` wins over a `.pyi` for the names it defines.
                if prev.is_none() || path.extension().is_some_and(|e| e == "py") {
                    idx.files.insert(key, id);
                }
                idx.dirs
                    .entry(parent.to_path_buf())
                    .or_default()
                    .children
                    .push(stem.to_string());
            }
            // Register every ancestor folder up to the outermost root.
            let mut child = parent.to_path_buf();
            while let Some(up) = child.parent() {
                if !idx.roots.iter().any(|r| child.starts_with(r) && child != *r) {
                    break;
                }
                let name = child.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
                let d = idx.dirs.entry(up.to_path_buf()).or_default();
                if !d.children.contains(&name) {
                    d.children.push(name);
                }
                child = up.to_path_buf();
            }
        };
        for (id, path) in python {
            add(&mut idx, path, Some(*id));
        }
        for path in compiled {
            add(&mut idx, path, None);
        }
        for d in idx.dirs.values_mut() {
            d.children.sort();
            d.children.dedup();
        }
        idx
    }

    /// Whether a folder is a regular package (has `__init__.py`).
    pub fn is_regular_package(&self, dir: &Path) -> bool {
        self.dirs.get(dir).is_some_and(|d| d.init.is_some())
    }

    fn has_dir(&self, dir: &Path) -> bool {
        self.dirs
            .get(dir)
            .is_some_and(|d| d.init.is_some() || !d.children.is_empty())
    }

    /// Resolves `segments` below folder `base`.
    pub fn resolve_from(&self, base: &Path, segments: &[&str]) -> Resolved {
        let mut dir = base.to_path_buf();
        for (i, seg) in segments.iter().enumerate() {
            let candidate = dir.join(seg);
            let last = i + 1 == segments.len();
            // A regular package wins over a module file; a module file wins over a namespace folder.
            if self.is_regular_package(&candidate) {
                if last {
                    let init = self.dirs.get(&candidate).and_then(|d| d.init);
                    return Resolved::Found(Target::Package { dir: candidate, init });
                }
                dir = candidate;
                continue;
            }
            if let Some(id) = self.files.get(&candidate) {
                if last {
                    return Resolved::Found(Target::Module(*id));
                }
                if self.registering.contains(&candidate) {
                    // `os.path`: registered by `os` itself at import time.
                    return Resolved::Found(Target::Module(None));
                }
                // `a.b` where `a` is a module file: `a` is not a package.
                return Resolved::Missing {
                    found: i + 1,
                    parent: None,
                };
            }
            if self.has_dir(&candidate) {
                if last {
                    return Resolved::Found(Target::Package {
                        dir: candidate,
                        init: None,
                    });
                }
                dir = candidate;
                continue;
            }
            return Resolved::Missing {
                found: i,
                parent: Some(dir),
            };
        }
        Resolved::Found(Target::Package {
            init: self.dirs.get(&dir).and_then(|d| d.init),
            dir,
        })
    }

    /// How a top-level name is provided by the project at the given roots: a regular
    /// package or module file (shadows any installed distribution), a namespace folder
    /// only, or nothing.
    pub fn top_level(&self, roots: &[&Path], name: &str) -> TopLevel {
        let mut namespace = None;
        for root in roots {
            let candidate = root.join(name);
            if self.is_regular_package(&candidate) || self.files.contains_key(&candidate) {
                return TopLevel::Regular(root.to_path_buf());
            }
            if namespace.is_none() && self.has_dir(&candidate) {
                namespace = Some(root.to_path_buf());
            }
        }
        match namespace {
            Some(r) => TopLevel::Namespace(r),
            None => TopLevel::None,
        }
    }

    /// Whether `dir` or a package above it extends its `__path__`.
    pub fn is_extended(&self, dir: &Path) -> bool {
        !self.extended.is_empty() && dir.ancestors().any(|d| self.extended.contains(d))
    }

    /// Child module names of a folder.
    pub fn children(&self, dir: &Path) -> &[String] {
        self.dirs.get(dir).map(|d| d.children.as_slice()).unwrap_or(&[])
    }

    /// Dotted name of a module file or package folder, relative to the first root that contains it.
    pub fn dotted_name(&self, path: &Path) -> Option<String> {
        let root = self
            .roots
            .iter()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.components().count())?;
        let rel = path.strip_prefix(root).ok()?;
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        if let Some(last) = parts.last_mut() {
            if let Some(stem) = module_stem(Path::new(last.as_str())) {
                *last = stem.to_string();
            }
        }
        if parts.last().is_some_and(|l| l == "__init__") {
            parts.pop();
        }
        Some(parts.join("."))
    }
}

/// Where a top-level name lives in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopLevel {
    Regular(PathBuf),
    Namespace(PathBuf),
    None,
}

/// Module name of a Python or compiled file (`b` of `b.py`, `b.pyi`, `b.cpython-311-x86_64-linux-gnu.so`).
pub fn module_stem(path: &Path) -> Option<&str> {
    let name = path.file_name()?.to_str()?;
    for ext in [".pyi", ".py", ".pyx", ".pyd", ".so"] {
        if let Some(stem) = name.strip_suffix(ext) {
            let stem = if ext == ".so" || ext == ".pyd" {
                stem.split('.').next().unwrap_or(stem)
            } else {
                stem
            };
            if stem.is_empty() || stem.contains('.') || stem.contains('-') {
                return None;
            }
            return Some(stem);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_packages_and_namespaces() {
        let files = [
            PathBuf::from("/p/src/app/__init__.py"),
            PathBuf::from("/p/src/app/models.py"),
            PathBuf::from("/p/src/app/api/__init__.py"),
            PathBuf::from("/p/src/app/api/tasks.py"),
            PathBuf::from("/p/alembic/env.py"),
        ];
        let py: Vec<(usize, &Path)> = files.iter().enumerate().map(|(i, p)| (i, p.as_path())).collect();
        let idx = ModuleIndex::build(vec![PathBuf::from("/p/src"), PathBuf::from("/p")], &py, &[]);
        let src = Path::new("/p/src");
        assert_eq!(
            idx.resolve_from(src, &["app", "models"]),
            Resolved::Found(Target::Module(Some(1)))
        );
        assert!(matches!(
            idx.resolve_from(src, &["app", "api"]),
            Resolved::Found(Target::Package { init: Some(2), .. })
        ));
        assert_eq!(
            idx.resolve_from(src, &["app", "servcies", "x"]),
            Resolved::Missing {
                found: 1,
                parent: Some(PathBuf::from("/p/src/app"))
            }
        );
        let roots = [Path::new("/p/src"), Path::new("/p")];
        assert_eq!(idx.top_level(&roots, "app"), TopLevel::Regular(PathBuf::from("/p/src")));
        assert_eq!(
            idx.top_level(&roots, "alembic"),
            TopLevel::Namespace(PathBuf::from("/p"))
        );
        assert_eq!(idx.top_level(&roots, "redis"), TopLevel::None);
        assert_eq!(
            idx.dotted_name(Path::new("/p/src/app/api/tasks.py")).as_deref(),
            Some("app.api.tasks")
        );
        assert!(idx.children(Path::new("/p/src/app")).contains(&"api".to_string()));
    }
}
