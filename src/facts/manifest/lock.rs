//! Lock files: `uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml` / `pylock.*.toml`.

use super::{normalize, parse_requirement, LockFacts, LockedPackage};
use toml::{Table, Value};

/// Parses a lock file. `file_name` (a path or a base name) picks the package array:
/// `[[packages]]` for PEP 751 `pylock*.toml`, `[[package]]` otherwise. Dependency lists
/// may be arrays of `{ name = … }` tables (uv, pylock), arrays of requirement strings
/// (pdm) or tables keyed by name (poetry); uv's `optional-dependencies` and
/// `dev-dependencies` tables of such arrays count as dependencies too.
pub fn parse_lock(file_name: &str, text: &str) -> LockFacts {
    let mut facts = LockFacts::default();
    let root: Table = match text.parse() {
        Ok(t) => t,
        Err(e) => {
            let e: toml::de::Error = e;
            facts.skipped.push(format!("invalid TOML: {}", e.message().trim()));
            return facts;
        }
    };
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let pylock = base == "pylock.toml" || (base.starts_with("pylock.") && base.ends_with(".toml"));
    let key = if pylock || !root.contains_key("package") {
        "packages"
    } else {
        "package"
    };
    let Some(list) = root.get(key) else {
        return facts;
    };
    let Some(list) = list.as_array() else {
        facts.skipped.push(format!("`{key}` is not an array of tables"));
        return facts;
    };
    for (i, p) in list.iter().enumerate() {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            facts.skipped.push(format!("{key}[{i}] has no name"));
            continue;
        };
        let mut dependencies = Vec::new();
        collect(p.get("dependencies"), &mut dependencies);
        for extra in ["optional-dependencies", "dev-dependencies"] {
            if let Some(groups) = p.get(extra).and_then(Value::as_table) {
                for deps in groups.values() {
                    collect(Some(deps), &mut dependencies);
                }
            }
        }
        facts.packages.push(LockedPackage {
            name: normalize(name),
            version: p.get("version").and_then(Value::as_str).map(str::to_string),
            dependencies,
        });
    }
    facts
}

/// Adds the normalised names of a dependency list, without duplicates.
fn collect(deps: Option<&Value>, out: &mut Vec<String>) {
    let mut add = |name: &str| {
        let n = normalize(name);
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    };
    match deps {
        Some(Value::Array(items)) => {
            for item in items {
                match item {
                    Value::String(s) => {
                        if let Some(r) = parse_requirement(s) {
                            add(&r.name);
                        }
                    }
                    Value::Table(t) => {
                        if let Some(name) = t.get("name").and_then(Value::as_str) {
                            add(name);
                        }
                    }
                    _ => {}
                }
            }
        }
        Some(Value::Table(t)) => {
            for name in t.keys() {
                add(name);
            }
        }
        _ => {}
    }
}
