//! Index: Alembic environments (from `alembic.ini`, `[tool.alembic]`, Flask-Migrate
//! `migrations/`, or a `versions/` folder next to an `env.py`) and the revision graph of
//! each. Several environments per repository, never merged.
//!
//! Not for reporting: the MIG rules read the graphs built here.

use crate::facts::{FileFacts, FileKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

/// One Alembic environment: a script location and the revisions of its version locations.
#[derive(Debug, Default)]
pub struct Environment {
    /// The configuration it comes from (`alembic.ini`, `pyproject.toml`), if any.
    pub config: Option<PathBuf>,
    pub script_location: PathBuf,
    pub version_locations: Vec<PathBuf>,
    pub recursive: bool,
    /// File ids of the revision scripts.
    pub revisions: Vec<usize>,
    /// Revision id → files declaring it.
    pub ids: FxHashMap<String, Vec<usize>>,
    /// Every branch label of the environment.
    pub labels: FxHashSet<String>,
    /// Heads that make `alembic upgrade head` fail (MIG002), with the other heads.
    pub fault_heads: Vec<usize>,
}

/// All environments of a run.
#[derive(Debug, Default)]
pub struct Migrations {
    pub environments: Vec<Environment>,
    /// File id → environment index.
    pub env_of: FxHashMap<usize, usize>,
}

impl Migrations {
    /// The environment a revision file belongs to.
    pub fn environment(&self, file: usize) -> Option<&Environment> {
        self.env_of.get(&file).map(|e| &self.environments[*e])
    }
}

/// Settings read from one configuration.
#[derive(Default, Clone)]
struct Settings {
    script_location: Option<String>,
    version_locations: Option<Vec<String>>,
    recursive: bool,
}

/// Builds the environments from the facts of all files. `extra_configs` are `alembic.ini`
/// paths named in the configuration (`[migrations] alembic-configs`).
pub fn build(files: &[FileFacts], extra_configs: &[PathBuf]) -> Migrations {
    let mut envs: Vec<Environment> = Vec::new();
    let mut inis: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.kind == Some(FileKind::AlembicConfig))
        .map(|f| f.path.clone())
        .collect();
    for p in extra_configs {
        if p.is_file() && !inis.contains(p) {
            inis.push(p.clone());
        }
    }
    let pyprojects: Vec<&Path> = files
        .iter()
        .filter(|f| f.path.file_name().is_some_and(|n| n == "pyproject.toml"))
        .map(|f| f.path.as_path())
        .collect();
    let mut used_inis: FxHashSet<PathBuf> = FxHashSet::default();
    // `[tool.alembic]`, with an `alembic.ini` next to it winning key by key.
    for py in pyprojects {
        let Some(toml) = std::fs::read_to_string(py).ok().and_then(|t| read_tool_alembic(&t)) else {
            continue;
        };
        let dir = py.parent().unwrap_or(Path::new(""));
        let ini_path = dir.join("alembic.ini");
        let ini = std::fs::read_to_string(&ini_path).ok().map(|t| read_ini(&t));
        if ini.is_some() {
            used_inis.insert(ini_path.clone());
        }
        let merged = match ini {
            Some(i) => Settings {
                script_location: i.script_location.or(toml.script_location),
                version_locations: i.version_locations.or(toml.version_locations),
                recursive: i.recursive || toml.recursive,
            },
            None => toml,
        };
        if let Some(env) = environment(dir, &merged, Some(py.to_path_buf())) {
            envs.push(env);
        }
    }
    for ini_path in &inis {
        if used_inis.contains(ini_path) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(ini_path) else {
            continue;
        };
        let mut s = read_ini(&text);
        let dir = ini_path.parent().unwrap_or(Path::new(""));
        // Flask-Migrate: `migrations/alembic.ini` without `script_location`.
        if s.script_location.is_none() && dir.join("env.py").is_file() {
            s.script_location = Some(dir.to_string_lossy().into_owned());
        }
        if let Some(env) = environment(dir, &s, Some(ini_path.clone())) {
            envs.push(env);
        }
    }
    // Fallback: a `versions/` folder next to an `env.py` that no configuration covers.
    let mut fallback = Vec::new();
    for f in files {
        if f.kind != Some(FileKind::Python) || f.path.file_name().is_none_or(|n| n != "env.py") {
            continue;
        }
        let Some(dir) = f.path.parent() else { continue };
        let versions = dir.join("versions");
        if !versions.is_dir()
            || envs
                .iter()
                .any(|e| e.script_location == dir || e.version_locations.iter().any(|v| v == &versions))
        {
            continue;
        }
        fallback.push(Environment {
            script_location: dir.to_path_buf(),
            version_locations: vec![versions],
            ..Environment::default()
        });
    }
    envs.extend(fallback);
    // The same version locations reached from two configurations are one environment.
    let mut seen: FxHashSet<Vec<PathBuf>> = FxHashSet::default();
    envs.retain(|e| {
        let mut key = e.version_locations.clone();
        key.sort();
        seen.insert(key)
    });
    let mut out = Migrations::default();
    for env in envs {
        for mut env in split_by_subfolder(env, files) {
            env.revisions = revisions_of(&env, files);
            if env.revisions.is_empty() {
                continue;
            }
            analyse(&mut env, files);
            let i = out.environments.len();
            for f in &env.revisions {
                out.env_of.entry(*f).or_insert(i);
            }
            out.environments.push(env);
        }
    }
    out
}

/// Resolves the locations of one configuration.
fn environment(dir: &Path, s: &Settings, config: Option<PathBuf>) -> Option<Environment> {
    let script = resolve(dir, s.script_location.as_deref()?)?;
    let version_locations = match &s.version_locations {
        Some(v) => v.iter().filter_map(|l| resolve(dir, l)).collect(),
        None => vec![script.join("versions")],
    };
    Some(Environment {
        config,
        script_location: script,
        version_locations,
        recursive: s.recursive,
        ..Environment::default()
    })
}

/// A configured path: `%(here)s`, absolute, `package:sub/path`, or relative (to the
/// working directory Alembic runs in: the config's folder or one of its ancestors).
fn resolve(dir: &Path, value: &str) -> Option<PathBuf> {
    let value = value
        .trim()
        .replace("%(here)s", &dir.to_string_lossy())
        .replace("%%", "%");
    if value.is_empty() || value.contains("%(") {
        return None;
    }
    let p = Path::new(&value);
    if p.is_absolute() {
        return Some(crate::discover::normalize_path(p));
    }
    if let Some((pkg, rest)) = value.split_once(':') {
        let rest: PathBuf = rest.split(':').collect();
        for a in dir.ancestors() {
            let candidates = [
                (a.file_name().is_some_and(|n| n == pkg)).then(|| a.to_path_buf()),
                Some(a.join(pkg)),
                Some(a.join("src").join(pkg)),
            ];
            for c in candidates.into_iter().flatten() {
                if c.join("__init__.py").is_file() && c.join(&rest).is_dir() {
                    return Some(crate::discover::normalize_path(&c.join(&rest)));
                }
            }
        }
        return None;
    }
    dir.ancestors()
        .map(|a| crate::discover::normalize_path(&a.join(p)))
        .find(|c| c.is_dir())
}

/// `[alembic]` of an ini file (the default section name).
fn read_ini(text: &str) -> Settings {
    let mut section = String::new();
    let mut values: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') && trimmed.ends_with(']') {
            section = trimmed[1..trimmed.len() - 1].trim().to_string();
            continue;
        }
        if section != "alembic" || trimmed.is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(last) = values.last_mut() {
                last.1.push('\n');
                last.1.push_str(trimmed);
            }
            continue;
        }
        if let Some(pos) = trimmed.find(['=', ':']) {
            values.push((trimmed[..pos].trim().to_string(), trimmed[pos + 1..].trim().to_string()));
        }
    }
    let get = |k: &str| values.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let separator = get("path_separator")
        .or_else(|| get("version_path_separator"))
        .map(|s| s.split(" #").next().unwrap_or("").trim().to_string());
    let version_locations = get("version_locations").map(|v| {
        let parts: Vec<String> = match separator.as_deref() {
            Some("os") | Some(":") => v.split(':').map(str::to_string).collect(),
            Some(";") => v.split(';').map(str::to_string).collect(),
            Some("newline") => v.lines().map(str::to_string).collect(),
            Some("space") => v.split_whitespace().map(str::to_string).collect(),
            // Legacy files without a separator: spaces and commas.
            _ => v
                .split(|c: char| c.is_whitespace() || c == ',')
                .map(str::to_string)
                .collect(),
        };
        parts
            .into_iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    });
    Settings {
        script_location: get("script_location").filter(|s| !s.is_empty()),
        version_locations,
        recursive: get("recursive_version_locations")
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")),
    }
}

/// `[tool.alembic]` of a pyproject.toml.
fn read_tool_alembic(text: &str) -> Option<Settings> {
    if !text.contains("tool.alembic") && !text.contains("[tool]") {
        return None;
    }
    let doc: toml::Table = text.parse().ok()?;
    let t = doc.get("tool")?.get("alembic")?.as_table()?;
    let version_locations = match t.get("version_locations") {
        Some(toml::Value::Array(a)) => Some(a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()),
        Some(toml::Value::String(s)) => Some(s.split_whitespace().map(str::to_string).collect()),
        _ => None,
    };
    Some(Settings {
        script_location: t.get("script_location").and_then(|v| v.as_str()).map(str::to_string),
        version_locations,
        recursive: t
            .get("recursive_version_locations")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
    })
}

/// Whether Alembic loads this file as a revision (`*.py`, not `__init__`, not `.#`).
fn loadable(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with(".py") && !name.starts_with("__init__") && !name.starts_with(".#")
}

fn revisions_of(env: &Environment, files: &[FileFacts]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if f.revision.is_none() || !loadable(&f.path) {
            continue;
        }
        let Some(parent) = f.path.parent() else { continue };
        let inside = env.version_locations.iter().any(|v| {
            parent == v
                || (env.recursive
                    && parent.starts_with(v)
                    && !parent.components().any(|c| c.as_os_str() == "__pycache__"))
        });
        if inside {
            out.push(i);
        }
    }
    out
}

/// A version location with no revisions of its own whose subfolders hold revisions
/// (one folder per database dialect, chosen by `env.py` at run time, as Prefect does):
/// each subfolder is an environment of its own, never one merged graph.
fn split_by_subfolder(env: Environment, files: &[FileFacts]) -> Vec<Environment> {
    if env.recursive || !revisions_of(&env, files).is_empty() {
        return vec![env];
    }
    let mut subs: Vec<PathBuf> = Vec::new();
    for f in files {
        if f.revision.is_none() || !loadable(&f.path) {
            continue;
        }
        let Some(parent) = f.path.parent() else { continue };
        if env
            .version_locations
            .iter()
            .any(|v| parent.parent() == Some(v.as_path()))
            && !subs.iter().any(|s| s == parent)
        {
            subs.push(parent.to_path_buf());
        }
    }
    if subs.is_empty() {
        return vec![env];
    }
    subs.sort();
    subs.into_iter()
        .map(|s| Environment {
            config: env.config.clone(),
            script_location: env.script_location.clone(),
            version_locations: vec![s],
            recursive: false,
            ..Environment::default()
        })
        .collect()
}

/// Revision ids, labels and the heads that make `upgrade head` fail.
fn analyse(env: &mut Environment, files: &[FileFacts]) {
    let mut all_literal = true;
    for &f in &env.revisions {
        let r = files[f].revision.as_ref().expect("revision files have facts");
        match &r.revision {
            Some((id, _)) => env.ids.entry(id.clone()).or_default().push(f),
            None => all_literal = false,
        }
        all_literal &= r.down_revision.literal;
        env.labels.extend(r.branch_labels.iter().cloned());
    }
    // A non-literal revision or parent may be the missing link: no head is judged.
    if !all_literal {
        return;
    }
    // A dangling parent (MIG003) splits the graph: Alembic fails on it before heads matter.
    let dangling = env.revisions.iter().any(|f| {
        files[*f]
            .revision
            .as_ref()
            .is_some_and(|r| r.down_revision.values.iter().any(|p| !env.ids.contains_key(p)))
    });
    if dangling {
        return;
    }
    let id_of = |f: usize| {
        files[f]
            .revision
            .as_ref()
            .and_then(|r| r.revision.as_ref())
            .map(|r| r.0.as_str())
    };
    let mut parents_used: FxHashSet<&str> = FxHashSet::default();
    for &f in &env.revisions {
        for p in &files[f].revision.as_ref().unwrap().down_revision.values {
            parents_used.insert(p.as_str());
        }
    }
    let heads: Vec<usize> = env
        .revisions
        .iter()
        .copied()
        .filter(|f| id_of(*f).is_some_and(|id| !parents_used.contains(id)))
        .collect();
    if heads.len() < 2 {
        return;
    }
    // Components joined by `down_revision` (union-find over revision ids).
    let mut parent: FxHashMap<&str, &str> = FxHashMap::default();
    fn find<'s>(parent: &mut FxHashMap<&'s str, &'s str>, x: &'s str) -> &'s str {
        let mut r = x;
        while let Some(&p) = parent.get(r) {
            if p == r {
                break;
            }
            r = p;
        }
        parent.insert(x, r);
        r
    }
    for &f in &env.revisions {
        let Some(id) = id_of(f) else { continue };
        parent.entry(id).or_insert(id);
        for p in &files[f].revision.as_ref().unwrap().down_revision.values {
            parent.entry(p.as_str()).or_insert(p.as_str());
            let (a, b) = (find(&mut parent, id), find(&mut parent, p.as_str()));
            if a != b {
                parent.insert(a, b);
            }
        }
    }
    let mut heads_per_comp: FxHashMap<&str, usize> = FxHashMap::default();
    let mut labelled: FxHashSet<&str> = FxHashSet::default();
    for &f in &env.revisions {
        let Some(id) = id_of(f) else { continue };
        let c = find(&mut parent, id);
        if heads.contains(&f) {
            *heads_per_comp.entry(c).or_default() += 1;
        }
        if !files[f].revision.as_ref().unwrap().branch_labels.is_empty() {
            labelled.insert(c);
        }
    }
    for &h in &heads {
        let c = find(&mut parent, id_of(h).unwrap());
        // Several heads from one base, or an unlabelled independent base.
        if heads_per_comp[c] > 1 || !labelled.contains(c) {
            env.fault_heads.push(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_settings() {
        let s = read_ini(
            "[alembic]\nscript_location = %(here)s/db\nversion_locations = %(here)s/a %(here)s/b,%(here)s/c\nrecursive_version_locations = true\n[other]\nscript_location = x\n",
        );
        assert_eq!(s.script_location.as_deref(), Some("%(here)s/db"));
        assert_eq!(s.version_locations.unwrap().len(), 3);
        assert!(s.recursive);
        let s = read_ini("[alembic]\npath_separator = os\nversion_locations = a:b\n");
        assert_eq!(s.version_locations.unwrap(), vec!["a", "b"]);
        let s = read_ini("[alembic]\npath_separator = newline\nversion_locations =\n    a dir\n    b\n");
        assert_eq!(s.version_locations.unwrap(), vec!["a dir", "b"]);
    }

    #[test]
    fn tool_alembic() {
        let s = read_tool_alembic(
            "[tool.alembic]\nscript_location = \"%(here)s/db\"\nversion_locations = [\"a\", \"b\"]\n",
        )
        .unwrap();
        assert_eq!(s.script_location.as_deref(), Some("%(here)s/db"));
        assert_eq!(s.version_locations.unwrap(), vec!["a", "b"]);
        assert!(read_tool_alembic("[project]\nname = \"x\"\n").is_none());
    }
}
