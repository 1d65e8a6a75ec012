//! Discover: find each given path's project, walk the projects (parallel, `.gitignore`
//! respected, hidden files on, default excludes), and classify the files.
//!
//! Not for reading file contents beyond the first bytes; extraction does that.

use crate::config::{self, Config, ConfigError};
use crate::facts::FileKind;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Folders never walked unless `exclude` replaces this list (as ruff's defaults).
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".pylint-recover-cache",
    "__pycache__",
    "node_modules",
    "build",
    "dist",
    "site-packages",
    "*.egg-info",
    ".eggs",
    ".direnv",
];

/// One file to analyse.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub kind: FileKind,
    /// Index into `Discovered::projects`.
    pub project: usize,
}

/// The result of the walk.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<SourceFile>,
    /// Project root folders, sorted.
    pub projects: Vec<PathBuf>,
    /// The paths given on the command line (absolute): findings are shown for these.
    pub targets: Vec<PathBuf>,
}

impl Discovered {
    /// Whether `path` lies under one of the given paths.
    pub fn is_target(&self, path: &Path) -> bool {
        self.targets.iter().any(|t| path.starts_with(t))
    }
}

/// Whether a folder holds a project marker (`pyproject.toml`, `setup.cfg`, `setup.py`,
/// `requirements*.txt`). A folder named `requirements` is never a project of its own.
pub fn is_project_dir(dir: &Path) -> bool {
    if dir.file_name().is_some_and(|n| n == "requirements") {
        return false;
    }
    if ["pyproject.toml", "setup.cfg", "setup.py"]
        .iter()
        .any(|m| dir.join(m).is_file())
    {
        return true;
    }
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten().any(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                n.starts_with("requirements") && (n.ends_with(".txt") || n.ends_with(".in"))
            })
        })
        .unwrap_or(false)
}

/// The project a path belongs to: the nearest folder upward with a marker, else the git
/// root, else the path itself (or its folder).
pub fn project_root_of(path: &Path) -> PathBuf {
    let start = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().unwrap_or(path).to_path_buf()
    };
    for dir in start.ancestors() {
        if is_project_dir(dir) {
            return dir.to_path_buf();
        }
    }
    for dir in start.ancestors() {
        if dir.join(".git").exists() {
            return dir.to_path_buf();
        }
    }
    start
}

/// What kind of file a path is, by name; `None` for files no extractor reads.
pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_ascii_lowercase();
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("");
    if lower.ends_with(".py") || lower.ends_with(".pyi") {
        return Some(FileKind::Python);
    }
    let is_req_ext = lower.ends_with(".txt") || lower.ends_with(".in");
    if name == "pyproject.toml"
        || name == "setup.cfg"
        || matches!(name, "uv.lock" | "poetry.lock" | "pdm.lock" | "pylock.toml")
        || (name.starts_with("pylock.") && name.ends_with(".toml"))
        || (is_req_ext
            && (lower.starts_with("requirements")
                || lower.ends_with("requirements.txt")
                || lower.ends_with("requirements.in")))
        || (is_req_ext && (parent == "requirements" || parent == "reqs"))
    {
        return Some(FileKind::Manifest);
    }
    if name == "alembic.ini" {
        return Some(FileKind::AlembicConfig);
    }
    let in_workflows = path.parent().is_some_and(|p| p.ends_with(".github/workflows"));
    if lower.ends_with(".sh")
        || lower.ends_with(".bash")
        || matches!(
            name,
            "Makefile"
                | "makefile"
                | "GNUmakefile"
                | "Procfile"
                | "tox.ini"
                | "justfile"
                | "Justfile"
                | ".justfile"
                | ".gitlab-ci.yml"
        )
        || lower.ends_with(".mk")
        || name.starts_with("Dockerfile")
        || lower.ends_with(".dockerfile")
        || ((lower.starts_with("docker-compose") || lower.starts_with("compose"))
            && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
        || (in_workflows && (lower.ends_with(".yml") || lower.ends_with(".yaml")))
        || matches!(
            name,
            "Containerfile" | "bitbucket-pipelines.yml" | ".travis.yml" | "azure-pipelines.yml" | ".drone.yml"
        )
        || (name.starts_with("Procfile.") && !lower.ends_with(".md"))
        || lower.ends_with(".just")
        || (path.parent().is_some_and(|p| p.ends_with(".circleci")) && lower.ends_with(".yml"))
    {
        return Some(FileKind::Command);
    }
    // Extension-less scripts with a shell shebang (`bin/migrate`, `docker/entrypoint`).
    if !name.contains('.') && has_shell_shebang(path) {
        return Some(FileKind::Command);
    }
    None
}

/// Whether a file starts with a shell `#!` line (reads only its first bytes).
fn has_shell_shebang(path: &Path) -> bool {
    use std::io::Read;
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = [0u8; 128];
    let n = f.read(&mut buf).unwrap_or(0);
    let head = String::from_utf8_lossy(&buf[..n]);
    crate::facts::commands::is_shell_shebang(head.lines().next().unwrap_or(""))
}

/// Compiled exclude patterns of one config.
struct Excludes {
    dir: PathBuf,
    by_name: GlobSet,
    by_path: GlobSet,
}

impl Excludes {
    fn new(cfg: &Config) -> Result<Excludes, ConfigError> {
        let mut patterns: Vec<String> = match &cfg.exclude {
            Some(e) => e.clone(),
            None => DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect(),
        };
        patterns.extend(cfg.extend_exclude.iter().cloned());
        let mut by_name = GlobSetBuilder::new();
        let mut by_path = GlobSetBuilder::new();
        for p in &patterns {
            let p = p.trim_end_matches('/');
            let bad = |e: globset::Error| ConfigError {
                path: cfg.path.clone().unwrap_or_default(),
                line: 1,
                column: 1,
                message: format!("invalid exclude pattern {p:?}: {e}"),
            };
            if p.contains('/') {
                let p = p.trim_start_matches("./");
                by_path.add(Glob::new(p).map_err(bad)?);
                by_path.add(Glob::new(&format!("{p}/**")).map_err(bad)?);
            } else {
                by_name.add(Glob::new(p).map_err(bad)?);
            }
        }
        Ok(Excludes {
            dir: cfg.dir.clone(),
            by_name: by_name.build().map_err(|e| ConfigError {
                path: cfg.path.clone().unwrap_or_default(),
                line: 1,
                column: 1,
                message: e.to_string(),
            })?,
            by_path: by_path.build().map_err(|e| ConfigError {
                path: cfg.path.clone().unwrap_or_default(),
                line: 1,
                column: 1,
                message: e.to_string(),
            })?,
        })
    }

    fn is_excluded(&self, path: &Path) -> bool {
        if let Some(name) = path.file_name() {
            if self.by_name.is_match(Path::new(name)) {
                return true;
            }
        }
        match path.strip_prefix(&self.dir) {
            Ok(rel) => self.by_path.is_match(rel),
            Err(_) => false,
        }
    }
}

/// Finds the config that applies to `dir`: the nearest folder upward with one.
pub fn config_for_dir(
    dir: &Path,
    cache: &mut std::collections::HashMap<PathBuf, Option<Config>>,
) -> Result<Config, ConfigError> {
    for d in dir.ancestors() {
        if let Some(c) = cache.get(d) {
            if let Some(c) = c {
                return Ok(c.clone());
            }
            continue;
        }
        let found = config::find_in_dir(d)?;
        cache.insert(d.to_path_buf(), found.clone());
        if let Some(c) = found {
            return Ok(c);
        }
    }
    Ok(Config::defaults(dir))
}

/// Walks the projects of `paths`.
pub fn discover(paths: &[PathBuf], override_cfg: Option<&Config>) -> Result<Discovered, ConfigError> {
    let mut targets = Vec::new();
    for p in paths {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
        let abs = normalize_path(&abs);
        if !abs.exists() {
            return Err(ConfigError {
                path: abs,
                line: 0,
                column: 0,
                message: "no such file or directory".into(),
            });
        }
        targets.push(abs);
    }
    let mut walk_roots: BTreeSet<PathBuf> = targets.iter().map(|t| project_root_of(t)).collect();
    // Drop roots inside other roots: the outer walk covers them.
    let all: Vec<PathBuf> = walk_roots.iter().cloned().collect();
    walk_roots.retain(|r| !all.iter().any(|o| o != r && r.starts_with(o)));

    let mut cfg_cache = std::collections::HashMap::new();
    let mut found: Vec<(PathBuf, FileKind)> = Vec::new();
    let mut project_dirs: BTreeSet<PathBuf> = walk_roots.clone();
    for root in &walk_roots {
        let cfg = match override_cfg {
            Some(c) => c.clone(),
            None => config_for_dir(root, &mut cfg_cache)?,
        };
        let excludes = Excludes::new(&cfg)?;
        let (files, dirs) = walk(root, &excludes, cfg.respect_gitignore.unwrap_or(true));
        found.extend(files);
        project_dirs.extend(dirs);
    }
    // A folder given explicitly but ignored inside its project (a checkout's ignored
    // `versions/` folder) is walked on its own.
    for t in &targets {
        if t.is_dir() && !found.iter().any(|(p, _)| p.starts_with(t)) {
            let cfg = match override_cfg {
                Some(c) => c.clone(),
                None => config_for_dir(t, &mut cfg_cache)?,
            };
            let excludes = Excludes::new(&cfg)?;
            let (files, dirs) = walk(t, &excludes, cfg.respect_gitignore.unwrap_or(true));
            found.extend(files);
            project_dirs.extend(dirs);
            project_dirs.insert(t.clone());
        }
    }
    // Files given explicitly are analysed even when an exclude pattern names them.
    let mut seen: HashSet<PathBuf> = found.iter().map(|(p, _)| p.clone()).collect();
    for t in &targets {
        if t.is_file() && !seen.contains(t) {
            if let Some(kind) = classify(t) {
                found.push((t.clone(), kind));
                seen.insert(t.clone());
            }
        }
    }
    found.sort();
    found.dedup();
    let projects: Vec<PathBuf> = project_dirs.into_iter().collect();
    let files = found
        .into_iter()
        .map(|(path, kind)| {
            let project = nearest_project(&path, &projects);
            SourceFile { path, kind, project }
        })
        .collect();
    Ok(Discovered {
        files,
        projects,
        targets,
    })
}

fn nearest_project(path: &Path, projects: &[PathBuf]) -> usize {
    let mut best: Option<(usize, usize)> = None;
    for dir in path.ancestors().skip(1) {
        if let Ok(i) = projects.binary_search_by(|p| p.as_path().cmp(dir)) {
            let depth = dir.components().count();
            if best.is_none_or(|(_, d)| depth > d) {
                best = Some((i, depth));
            }
            break;
        }
    }
    best.map(|(i, _)| i).unwrap_or(0)
}

/// Removes `.` and `..` components without touching the file system.
pub fn normalize_path(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Walks one project folder in parallel; returns the classified files and the folders
/// with project markers.
fn walk(root: &Path, excludes: &Excludes, gitignore: bool) -> (Vec<(PathBuf, FileKind)>, Vec<PathBuf>) {
    let files = Mutex::new(Vec::new());
    let dirs = Mutex::new(Vec::new());
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(gitignore)
        .git_global(false)
        .git_exclude(gitignore)
        .ignore(gitignore)
        .require_git(false)
        // Ignore files above the walk root count only inside a git repository (a checked
        // folder under `~/.pyenv`, whose `.gitignore` ignores `versions/`, is still checked).
        .parents(gitignore && root.ancestors().any(|d| d.join(".git").exists()))
        .follow_links(false)
        .filter_entry({
            let name_set = excludes.by_name.clone();
            let path_set = excludes.by_path.clone();
            let dir = excludes.dir.clone();
            move |entry| {
                if entry.depth() == 0 {
                    return true;
                }
                let ex = Excludes {
                    dir: dir.clone(),
                    by_name: name_set.clone(),
                    by_path: path_set.clone(),
                };
                !ex.is_excluded(entry.path())
            }
        })
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            let Ok(entry) = entry else {
                return ignore::WalkState::Continue;
            };
            let Some(ft) = entry.file_type() else {
                return ignore::WalkState::Continue;
            };
            let path = entry.path();
            if ft.is_dir() {
                if is_project_dir(path) {
                    dirs.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_path_buf());
                }
            } else if ft.is_file() {
                if let Some(kind) = classify(path) {
                    files
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((path.to_path_buf(), kind));
                }
            }
            ignore::WalkState::Continue
        })
    });
    (
        files.into_inner().unwrap_or_default(),
        dirs.into_inner().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_files() {
        assert_eq!(classify(Path::new("a/b.py")), Some(FileKind::Python));
        assert_eq!(classify(Path::new("requirements-dev.txt")), Some(FileKind::Manifest));
        assert_eq!(classify(Path::new("requirements/prod.txt")), Some(FileKind::Manifest));
        assert_eq!(classify(Path::new("dev-requirements.txt")), Some(FileKind::Manifest));
        assert_eq!(classify(Path::new("notes.txt")), None);
        assert_eq!(classify(Path::new("uv.lock")), Some(FileKind::Manifest));
        assert_eq!(classify(Path::new(".github/workflows/ci.yml")), Some(FileKind::Command));
        assert_eq!(classify(Path::new("Dockerfile.prod")), Some(FileKind::Command));
        assert_eq!(classify(Path::new("alembic.ini")), Some(FileKind::AlembicConfig));
    }
}
