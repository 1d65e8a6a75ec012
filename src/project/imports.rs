//! Where an import comes from: the future, the standard library, the project (resolved
//! or missing), or a third-party distribution, and which declaration provides it.

use super::modules::{Resolved, Target, TopLevel};
use super::{stdlib, Project};
use crate::facts::manifest::DepKind;
use crate::facts::Import;
use crate::project::dependencies::Declared;
use std::path::{Path, PathBuf};

/// The origin of an import's module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Future,
    Stdlib,
    /// Named in `known-first-party`: never checked.
    KnownFirstParty,
    /// A project module that exists.
    FirstParty(Target),
    /// A project module that does not exist: `module` is the full dotted path (for a
    /// relative import, as resolved), `found` the number of segments that resolve,
    /// `parent` the folder where the missing segment was looked up.
    Missing {
        module: String,
        found: usize,
        parent: Option<PathBuf>,
        beyond_top: bool,
    },
    ThirdParty,
    /// Below a package that extends its `__path__`: another distribution may provide it.
    Unknown,
}

/// Classifies the module of `import`, written in file `path` of `project`.
pub fn origin(project: &Project, path: &Path, import: &Import) -> Origin {
    if import.context.future || import.module == "__future__" {
        return Origin::Future;
    }
    let segments: Vec<&str> = if import.module.is_empty() {
        Vec::new()
    } else {
        import.module.split('.').collect()
    };
    let file_dir = path.parent().unwrap_or(path);
    if import.level > 0 {
        // A relative import in a file outside any package (a docs snippet, a script)
        // cannot be judged: it only works when the file is imported as part of a package.
        if !project.modules.is_regular_package(file_dir) {
            return Origin::Unknown;
        }
        let mut base = file_dir.to_path_buf();
        for _ in 1..import.level {
            match base.parent() {
                Some(p) if p.starts_with(&project.root) || project.modules.roots.iter().any(|r| p.starts_with(r)) => {
                    base = p.to_path_buf()
                }
                _ => {
                    return Origin::Missing {
                        module: import.module.clone(),
                        found: 0,
                        parent: None,
                        beyond_top: true,
                    };
                }
            }
        }
        if segments.is_empty() {
            let init = project.modules.dirs.get(&base).and_then(|d| d.init);
            return Origin::FirstParty(Target::Package { dir: base, init });
        }
        let prefix = project
            .modules
            .dotted_name(&base.join("__init__.py"))
            .unwrap_or_default();
        let full = if prefix.is_empty() {
            import.module.clone()
        } else {
            format!("{prefix}.{}", import.module)
        };
        let offset = if prefix.is_empty() {
            0
        } else {
            prefix.split('.').count()
        };
        return match project.modules.resolve_from(&base, &segments) {
            Resolved::Found(t) => Origin::FirstParty(t),
            Resolved::Missing { parent: Some(p), .. } if project.modules.is_extended(&p) => Origin::Unknown,
            Resolved::Missing { found, parent: Some(p) }
                if segments.get(found).is_some_and(|seg| exists_on_disk(&p, seg)) =>
            {
                Origin::Unknown
            }
            Resolved::Missing { found, parent } => Origin::Missing {
                module: full,
                found: found + offset,
                parent,
                beyond_top: false,
            },
        };
    }
    let top = segments.first().copied().unwrap_or("");
    if project
        .config
        .known_first_party
        .iter()
        .any(|k| k == top || import.module.starts_with(&format!("{k}.")))
    {
        return Origin::KnownFirstParty;
    }
    // A script's own folder is on its import path when it is not inside a package.
    let mut roots: Vec<&Path> = Vec::new();
    let script_dir_root = !project.modules.is_regular_package(file_dir);
    if script_dir_root {
        roots.push(file_dir);
    }
    // Alembic revision scripts (`<env>/versions/x.py`) import helpers that sit next to
    // `env.py`: the environment folder is on their path.
    let env_dir = file_dir
        .parent()
        .filter(|p| file_dir.ends_with("versions") && project.modules.files.contains_key(&p.join("env")));
    if let Some(env_dir) = env_dir {
        roots.push(env_dir);
    }
    roots.extend(project.roots());
    match project.modules.top_level(&roots, top) {
        TopLevel::Regular(root) => match project.modules.resolve_from(&root, &segments) {
            Resolved::Found(t) => Origin::FirstParty(t),
            Resolved::Missing { parent: Some(p), .. } if project.modules.is_extended(&p) => Origin::Unknown,
            Resolved::Missing { found, parent } => missing(import.module.clone(), found, parent),
        },
        TopLevel::Namespace(root) => {
            if stdlib::is_stdlib_any(top) {
                return Origin::Stdlib;
            }
            // A namespace folder never shadows an installed regular package of the same
            // name (Alembic's default `alembic/` folder next to the `alembic` package).
            if third_party_name(project, top) {
                return Origin::ThirdParty;
            }
            match project.modules.resolve_from(&root, &segments) {
                Resolved::Found(t) => Origin::FirstParty(t),
                Resolved::Missing { found, parent } => missing(import.module.clone(), found, parent),
            }
        }
        TopLevel::None => {
            if stdlib::is_stdlib_any(top) {
                return Origin::Stdlib;
            }
            // A plain folder above the file that holds the package is a `sys.path`
            // entry when the program starts there (`manage.py` next to the Django apps in
            // `backend/`), unless a declared distribution provides the name.
            if declared_providers(project, top).is_empty() {
                for dir in file_dir.ancestors().skip(1) {
                    if !dir.starts_with(&project.root) {
                        break;
                    }
                    if project.modules.is_regular_package(dir) {
                        continue;
                    }
                    let candidate = dir.join(top);
                    if project.modules.is_regular_package(&candidate) || project.modules.files.contains_key(&candidate)
                    {
                        return match project.modules.resolve_from(dir, &segments) {
                            Resolved::Found(t) => Origin::FirstParty(t),
                            Resolved::Missing { found, parent } => missing(import.module.clone(), found, parent),
                        };
                    }
                }
            }
            Origin::ThirdParty
        }
    }
}

/// A module that the index does not hold: missing, unless a file for it exists on disk
/// (generated and git-ignored, like `_version.py`, or a compiled extension).
fn missing(module: String, found: usize, parent: Option<PathBuf>) -> Origin {
    if let Some(dir) = &parent {
        let seg = module.split('.').nth(found).unwrap_or("");
        if !seg.is_empty() && exists_on_disk(dir, seg) {
            return Origin::Unknown;
        }
    }
    Origin::Missing {
        module,
        found,
        parent,
        beyond_top: false,
    }
}

fn exists_on_disk(dir: &Path, name: &str) -> bool {
    if dir.join(format!("{name}.py")).is_file() || dir.join(format!("{name}.pyi")).is_file() || dir.join(name).is_dir()
    {
        return true;
    }
    let prefix = format!("{name}.");
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.flatten().any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&prefix) && (n.ends_with(".so") || n.ends_with(".pyd") || n.ends_with(".pyx"))
        })
    })
}

/// Whether a module name is plausibly provided by a distribution: declared, or a known
/// distribution's import name.
fn third_party_name(project: &Project, module: &str) -> bool {
    project
        .deps
        .declared
        .iter()
        .any(|d| project.dists.provides(&d.decl.normalized, module))
        || super::distmap::bundled_knows(module)
}

/// Indices of the declarations whose distribution provides `module` (or, for a
/// namespace root such as `opentelemetry`, a portion below it).
fn declared_providers(project: &Project, module: &str) -> Vec<usize> {
    let lower = module.to_ascii_lowercase();
    let mut out: Vec<usize> = Vec::new();
    let mut end = Some(lower.len());
    while let Some(e) = end {
        let p = &lower[..e];
        if let Some(ids) = project.provider_index.get(p) {
            out.extend(ids);
        }
        end = p.rfind('.');
    }
    if out.is_empty() && !lower.contains('.') {
        let below = format!("{lower}.");
        for (name, ids) in &project.provider_index {
            if name.starts_with(&below) {
                out.extend(ids);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Which declarations provide `module`: `(runtime or extra, dev)`.
pub fn providers<'a>(
    project: &'a Project,
    module: &str,
    script: Option<&'a crate::facts::ManifestFacts>,
) -> (Vec<&'a Declared>, Vec<&'a Declared>, bool) {
    let mut runtime = Vec::new();
    let mut dev = Vec::new();
    for i in declared_providers(project, module) {
        let d = &project.deps.declared[i];
        match d.kind {
            DepKind::Dev(_) => dev.push(d),
            _ => runtime.push(d),
        }
    }
    let script_ok = script.is_some_and(|s| {
        s.declarations
            .iter()
            .any(|d| project.dists.provides(&d.normalized, module))
    });
    (runtime, dev, script_ok)
}

/// Names a module makes importable (`from m import name`), or `None` when they cannot
/// be known (`__getattr__`, dynamic namespace, star import of something unreadable,
/// compiled module).
pub fn exports(ws: &super::Workspace, project: &Project, target: &Target, depth: usize) -> Option<Vec<String>> {
    if depth > 4 {
        return None;
    }
    let (file, dir) = match target {
        Target::Module(Some(id)) => (Some(*id), None),
        Target::Module(None) => return None,
        Target::Package { dir, init } => (*init, Some(dir.clone())),
    };
    let mut names: Vec<String> = Vec::new();
    if let Some(dir) = &dir {
        names.extend(project.modules.children(dir).iter().cloned());
    }
    if let Some(id) = file {
        let f = &ws.files[id];
        if f.symbols.has_getattr || f.symbols.dynamic || f.symbols.extends_path {
            return None;
        }
        // Names the package binds only by importing them from itself (`from app.api
        // import tokens` in `app/api/__init__.py`) exist only when they are submodules.
        let mut self_bound: Vec<(&str, u32)> = Vec::new();
        if let Some(dir) = &dir {
            for imp in f.imports.iter().filter(|i| !i.names.is_empty()) {
                if matches!(origin(project, &f.path, imp), Origin::FirstParty(Target::Package { dir: d, .. }) if &d == dir)
                {
                    for n in &imp.names {
                        self_bound.push((n.alias.as_deref().unwrap_or(&n.name), n.span.row));
                    }
                }
            }
        }
        names.extend(
            f.symbols
                .names
                .iter()
                .filter(|(n, row)| !self_bound.iter().any(|(s, r)| s == n && r == row))
                .map(|(n, _)| n.clone()),
        );
        for imp in f.imports.iter().filter(|i| i.star) {
            match origin(project, &f.path, imp) {
                Origin::FirstParty(t) => {
                    let inner = exports(ws, project, &t, depth + 1)?;
                    let all = match &t {
                        Target::Module(Some(i)) | Target::Package { init: Some(i), .. } => {
                            ws.files[*i].symbols.dunder_all.clone()
                        }
                        _ => None,
                    };
                    match all {
                        Some(all) => names.extend(all),
                        None => names.extend(inner.into_iter().filter(|n| !n.starts_with('_'))),
                    }
                }
                _ => return None,
            }
        }
        if let Some(all) = &f.symbols.dunder_all {
            names.extend(all.iter().cloned());
        }
    }
    names.sort();
    names.dedup();
    Some(names)
}

/// The modules an import really loads, for matching against distributions: the module,
/// or for `from ns import sub` below a namespace nothing declares as a whole
/// (`from google.cloud import storage`), the submodules `ns.sub`.
pub fn imported_modules(project: &Project, import: &Import) -> Vec<String> {
    if import.names.is_empty() || !declared_providers(project, &import.module).is_empty() {
        return vec![import.module.clone()];
    }
    let subs: Vec<String> = import
        .names
        .iter()
        .map(|n| format!("{}.{}", import.module, n.name))
        .collect();
    if subs.iter().any(|m| !declared_providers(project, m).is_empty()) {
        subs
    } else {
        vec![import.module.clone()]
    }
}

/// `providers` over every module an import loads: declarations providing all of them.
pub fn import_providers<'a>(
    project: &'a Project,
    import: &Import,
    script: Option<&'a crate::facts::ManifestFacts>,
) -> (Vec<&'a Declared>, Vec<&'a Declared>, bool) {
    let mut runtime = Vec::new();
    let mut dev = Vec::new();
    let mut script_ok = false;
    for m in imported_modules(project, import) {
        let (r, d, s) = providers(project, &m, script);
        runtime.extend(r);
        dev.extend(d);
        script_ok |= s;
    }
    (runtime, dev, script_ok)
}
