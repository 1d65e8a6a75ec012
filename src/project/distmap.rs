//! Import name ↔ distribution: which PyPI distribution provides `import x`.
//!
//! Layers, in order: the user's `module-map`; a local virtual environment's metadata
//! (`.venv`, `venv`, `$VIRTUAL_ENV`: `top_level.txt`, `RECORD`); the bundled table of
//! known mismatches (`data/module_map.tsv`, see `scripts/gen_module_map.py`); pattern
//! rules (`python-X`, `django-X`, `google-cloud-X`, `*-binary`, ...); the name itself.

use crate::facts::manifest::normalize;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../data/module_map.tsv");

/// Import name (dotted) → distributions, and the reverse, of one source.
#[derive(Debug, Default, Clone)]
pub struct ModuleMap {
    forward: FxHashMap<String, Vec<String>>,
    /// Normalised distribution → import names.
    reverse: FxHashMap<String, Vec<String>>,
}

impl ModuleMap {
    fn insert(&mut self, module: &str, dist: &str) {
        let f = self.forward.entry(module.to_string()).or_default();
        if !f.iter().any(|d| d == dist) {
            f.push(dist.to_string());
        }
        let r = self.reverse.entry(normalize(dist)).or_default();
        if !r.iter().any(|m| m == module) {
            r.push(module.to_string());
        }
    }

    /// The longest dotted prefix of `module` with an entry, and its distributions.
    fn lookup(&self, module: &str) -> Option<&Vec<String>> {
        prefixes(module).find_map(|p| self.forward.get(p))
    }

    fn provides(&self, dist: &str, module: &str) -> Option<bool> {
        let names = self.reverse.get(dist)?;
        Some(prefixes(module).any(|p| names.iter().any(|n| n == p)))
    }
}

/// `a.b.c`, `a.b`, `a`.
fn prefixes(module: &str) -> impl Iterator<Item = &str> {
    let mut end = Some(module.len());
    std::iter::from_fn(move || {
        let e = end?;
        let p = &module[..e];
        end = p.rfind('.');
        Some(p)
    })
}

/// The bundled table.
pub fn bundled() -> &'static ModuleMap {
    static MAP: OnceLock<ModuleMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut m = ModuleMap::default();
        for line in TABLE.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(module), Some(dists)) = (cols.next(), cols.next()) else {
                continue;
            };
            for d in dists.split_whitespace() {
                m.insert(module.trim(), d);
            }
        }
        m
    })
}

/// Whether the bundled table knows `module` (or a dotted prefix of it).
pub fn bundled_knows(module: &str) -> bool {
    bundled().lookup(module).is_some()
}

/// The mapping layers of one project.
#[derive(Debug, Default)]
pub struct DistMap {
    user: ModuleMap,
    venv: ModuleMap,
    /// Where the virtual environment was read from, if any.
    pub venv_path: Option<PathBuf>,
}

impl DistMap {
    pub fn new(user: &BTreeMap<String, Vec<String>>, project_root: &Path) -> DistMap {
        let mut u = ModuleMap::default();
        for (module, dists) in user {
            for d in dists {
                u.insert(module, d);
            }
        }
        let (venv, venv_path) = match find_site_packages(project_root) {
            Some(sp) => (read_site_packages(&sp), Some(sp)),
            None => (ModuleMap::default(), None),
        };
        DistMap {
            user: u,
            venv,
            venv_path,
        }
    }

    /// Distributions that could provide `module`, best guess first (for help texts and
    /// lock-file lookups). Never empty.
    pub fn candidates(&self, module: &str) -> Vec<String> {
        self.known_candidates(module).unwrap_or_else(|| {
            let top = module.split('.').next().unwrap_or(module);
            vec![top.replace('_', "-")]
        })
    }

    /// The distributions known to provide `module` (user map, environment, bundled
    /// table); `None` when only the name itself suggests one.
    pub fn known_candidates(&self, module: &str) -> Option<Vec<String>> {
        [&self.user, &self.venv, bundled()]
            .into_iter()
            .find_map(|layer| layer.lookup(module).cloned())
    }

    /// Every import name (lowercase, dotted) the distribution (normalised) provides, by
    /// any layer: the user's map, the environment, the bundled table, the conventions.
    pub fn names_of(&self, dist: &str) -> Vec<String> {
        let mut out = derived_names(dist);
        for layer in [&self.user, &self.venv, bundled()] {
            if let Some(names) = layer.reverse.get(dist) {
                out.extend(names.iter().map(|n| n.to_ascii_lowercase()));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether the distribution (normalised name) provides `module` (dotted).
    pub fn provides(&self, dist: &str, module: &str) -> bool {
        for layer in [&self.user, &self.venv] {
            if layer.provides(dist, module) == Some(true) {
                return true;
            }
            if let Some(ds) = layer.lookup(module) {
                if ds.iter().any(|d| normalize(d) == dist) {
                    return true;
                }
            }
        }
        if let Some(ds) = bundled().lookup(module) {
            if ds.iter().any(|d| normalize(d) == dist) {
                return true;
            }
        }
        if bundled().provides(dist, module) == Some(true) {
            return true;
        }
        let lower = module.to_ascii_lowercase();
        let derived = derived_names(dist);
        if derived.iter().any(|n| prefixes(&lower).any(|p| p == n)) {
            return true;
        }
        // `import opentelemetry` (a namespace root) is satisfied by any distribution
        // that provides a portion below it.
        let below = format!("{lower}.");
        derived.iter().any(|n| n.starts_with(&below))
            || bundled()
                .reverse
                .get(dist)
                .is_some_and(|names| names.iter().any(|n| n.to_ascii_lowercase().starts_with(&below)))
    }
}

/// Remainders of a stripped prefix that are other distributions' import names.
const STRIP_DENY: &[&str] = &[
    "redis",
    "celery",
    "rq",
    "elasticsearch",
    "sqlalchemy",
    "mongo",
    "mysql",
    "arrow",
    "test",
    "requests",
    "ldap",
    "memcached",
    "cache",
    "json",
    "jwt",
    "yaml",
    "kafka",
    "rabbitmq",
    "amqp",
    "s3",
    "storage",
    "db",
    "sql",
    "http",
    "oauth",
    "otp",
    "saml",
    "grpc",
    "graphql",
    "ts",
];

/// Import names a distribution provides by naming convention (lowercase).
pub fn derived_names(dist: &str) -> Vec<String> {
    let d = normalize(dist);
    let us = |s: &str| s.replace('-', "_");
    if d.starts_with("types-") || d.ends_with("-stubs") {
        // Stub-only distributions provide no runtime module.
        return Vec::new();
    }
    let mut out = vec![us(&d)];
    for suffix in [
        "-binary",
        "-headless",
        "-lts",
        "-python",
        "-py",
        "-python3",
        "-client",
        "-sdk",
    ] {
        if let Some(s) = d.strip_suffix(suffix) {
            out.push(us(s));
        }
    }
    // Prefix conventions (`python-jose` → `jose`, `django-storages` → `storages`), except
    // where the remainder is the import name of another popular distribution
    // (`django-redis` does not install `redis`; `flask-X` installs `flask_X`).
    for prefix in ["python-", "py-", "django-", "standard-", "legacy-", "apache-"] {
        if let Some(s) = d.strip_prefix(prefix) {
            if !STRIP_DENY.contains(&s) {
                out.push(us(s));
            }
        }
    }
    // `pyX` distributions that install `X` (`pydocket` → `docket`, `pyyaml` → `yaml`).
    if let Some(s) = d
        .strip_prefix("py")
        .filter(|s| s.len() >= 3 && !s.starts_with('-') && !s.contains('-') && !STRIP_DENY.contains(s))
    {
        out.push(s.to_string());
    }
    if let Some(s) = d.strip_prefix("apache-airflow-providers-") {
        out.push(format!("airflow.providers.{}", s.replace('-', ".")));
        out.push(format!("airflow.providers.{}", us(s)));
    }
    for (prefix, ns) in [
        ("google-cloud-", "google.cloud."),
        ("azure-", "azure."),
        ("opentelemetry-instrumentation-", "opentelemetry.instrumentation."),
        ("opentelemetry-exporter-", "opentelemetry.exporter."),
        ("sphinxcontrib-", "sphinxcontrib."),
        ("jaraco-", "jaraco."),
        ("zope-", "zope."),
    ] {
        if let Some(s) = d.strip_prefix(prefix) {
            out.push(format!("{ns}{}", s.replace('-', ".")));
            out.push(format!("{ns}{}", us(s)));
        }
    }
    if let Some(s) = d.strip_prefix("opentelemetry-") {
        out.push(format!("opentelemetry.{}", us(s)));
    }
    out
}

/// `site-packages` of the project's virtual environment, if there is one.
fn find_site_packages(root: &Path) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = vec![root.join(".venv"), root.join("venv")];
    if let Some(v) = std::env::var_os("VIRTUAL_ENV") {
        candidates.push(PathBuf::from(v));
    }
    for env in candidates {
        let win = env.join("Lib").join("site-packages");
        if win.is_dir() {
            return Some(win);
        }
        let lib = env.join("lib");
        let Ok(rd) = std::fs::read_dir(&lib) else { continue };
        let mut found: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path().join("site-packages"))
            .filter(|p| p.is_dir())
            .collect();
        found.sort();
        if let Some(p) = found.pop() {
            return Some(p);
        }
    }
    None
}

/// Reads `*.dist-info` metadata: distribution name → top-level modules.
fn read_site_packages(sp: &Path) -> ModuleMap {
    let mut m = ModuleMap::default();
    let Ok(rd) = std::fs::read_dir(sp) else { return m };
    for entry in rd.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name
            .strip_suffix(".dist-info")
            .or_else(|| name.strip_suffix(".egg-info"))
        else {
            continue;
        };
        let dist = std::fs::read_to_string(path.join("METADATA"))
            .or_else(|_| std::fs::read_to_string(path.join("PKG-INFO")))
            .ok()
            .and_then(|m| {
                m.lines()
                    .find_map(|l| l.strip_prefix("Name:").map(|n| n.trim().to_string()))
            })
            .unwrap_or_else(|| stem.split('-').next().unwrap_or(stem).to_string());
        let mut tops: Vec<String> = std::fs::read_to_string(path.join("top_level.txt"))
            .map(|t| {
                t.lines()
                    .map(|l| l.trim().replace('/', "."))
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if tops.is_empty() {
            if let Ok(record) = std::fs::read_to_string(path.join("RECORD")) {
                for line in record.lines() {
                    let file = line.split(',').next().unwrap_or("");
                    let first = file.split('/').next().unwrap_or("");
                    if first.ends_with(".dist-info")
                        || first.starts_with("__")
                        || first.starts_with("..")
                        || first.is_empty()
                    {
                        continue;
                    }
                    let module = first.strip_suffix(".py").unwrap_or(first);
                    if module.contains('.') && !file.contains('/') {
                        continue;
                    }
                    if !tops.iter().any(|t| t == module) {
                        tops.push(module.to_string());
                    }
                }
            }
        }
        for t in tops {
            m.insert(&t, &dist);
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_mismatches() {
        let m = DistMap::default();
        for (module, dist) in [
            ("yaml", "pyyaml"),
            ("PIL", "pillow"),
            ("jwt", "pyjwt"),
            ("sklearn", "scikit-learn"),
            ("bs4", "beautifulsoup4"),
            ("dateutil", "python-dateutil"),
            ("psycopg2", "psycopg2-binary"),
            ("google.protobuf", "protobuf"),
            ("google.cloud.storage.blob", "google-cloud-storage"),
            ("flask_sqlalchemy", "flask-sqlalchemy"),
            ("dotenv", "python-dotenv"),
            ("mypy_boto3_s3", "mypy-boto3-s3"),
            ("distutils", "setuptools"),
        ] {
            assert!(m.provides(dist, module), "{dist} should provide {module}");
        }
        assert!(!m.provides("types-pyyaml", "yaml"));
        assert!(!m.provides("pyjwt", "jose"));
        // Extensions do not provide what they extend.
        assert!(!m.provides("flask-sqlalchemy", "sqlalchemy"));
        assert!(!m.provides("django-redis", "redis"));
        assert!(!m.provides("pymysql", "mysql.connector"));
        assert!(m.provides("django-storages", "storages"));
        assert!(m.provides("pydocket", "docket"));
        assert_eq!(m.candidates("yaml"), vec!["PyYAML".to_string()]);
        assert_eq!(m.candidates("some_pkg.sub"), vec!["some-pkg".to_string()]);
    }

    #[test]
    fn prefix_iteration() {
        let p: Vec<&str> = prefixes("a.b.c").collect();
        assert_eq!(p, vec!["a.b.c", "a.b", "a"]);
    }
}
