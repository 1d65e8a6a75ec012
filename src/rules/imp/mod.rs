//! IMP: imports that will raise `ModuleNotFoundError` / `ImportError`.

pub mod confusable_distribution;
pub mod dev_dependency_in_runtime;
pub mod removed_stdlib_module;
pub mod transitive_dependency;
pub mod undeclared_dependency;
pub mod unknown_import_name;
pub mod unresolved_first_party_module;

/// The package part of an imported module, for messages: `sqlalchemy` for
/// `sqlalchemy.dialects`, `google.cloud.storage` below namespace roots.
pub(crate) fn package_of(module: &str) -> &str {
    const NAMESPACES: &[&str] = &[
        "google",
        "azure",
        "opentelemetry",
        "jaraco",
        "zope",
        "backports",
        "sphinxcontrib",
        "ruamel",
    ];
    let mut parts = module.match_indices('.').map(|(i, _)| i);
    let first = parts.next().unwrap_or(module.len());
    if NAMESPACES.contains(&&module[..first]) {
        // Two levels below a namespace root (`google.cloud.storage`), one otherwise.
        let second = parts.next().unwrap_or(module.len());
        if &module[..second] == "google.cloud" || &module[..second] == "opentelemetry.instrumentation" {
            return &module[..parts.next().unwrap_or(module.len())];
        }
        return &module[..second];
    }
    &module[..first]
}

/// The candidate most like `wanted`: a close spelling (typo), or a name that extends or
/// shortens it (`errors` → `error_handlers`, `crud` → `crud_ops`).
pub(crate) fn most_similar<'a>(candidates: impl IntoIterator<Item = &'a String>, wanted: &str) -> Option<&'a String> {
    let w = wanted.to_ascii_lowercase();
    let stem = |s: &str| s.trim_end_matches('s').to_string();
    let mut best: Option<(f64, &'a String)> = None;
    for c in candidates {
        if c == wanted {
            continue;
        }
        let lc = c.to_ascii_lowercase();
        let mut score = strsim::normalized_damerau_levenshtein(&lc, &w);
        if w.len() >= 3 && (lc.starts_with(&stem(&w)) || w.starts_with(&stem(&lc)) && lc.len() >= 3) {
            score = score.max(0.75);
        }
        if score >= 0.6 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn packages() {
        assert_eq!(super::package_of("sqlalchemy.dialects.postgresql"), "sqlalchemy");
        assert_eq!(super::package_of("yaml"), "yaml");
        assert_eq!(super::package_of("google.cloud.storage.blob"), "google.cloud.storage");
        assert_eq!(super::package_of("google.protobuf.json_format"), "google.protobuf");
    }

    #[test]
    fn similar_names() {
        let c: Vec<String> = ["services", "error_handlers", "models", "crud_ops"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            super::most_similar(&c, "servcies").map(String::as_str),
            Some("services")
        );
        assert_eq!(
            super::most_similar(&c, "errors").map(String::as_str),
            Some("error_handlers")
        );
        assert_eq!(super::most_similar(&c, "crud").map(String::as_str), Some("crud_ops"));
        assert_eq!(super::most_similar(&c, "billing"), None);
    }
}
