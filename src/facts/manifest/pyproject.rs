//! `pyproject.toml`: PEP 621, PEP 735, Poetry, PDM, uv, hatch, setuptools dynamic.

use super::{normalize, parse_requirement, push_root, Declaration, DepKind, Include, ManifestFacts};
use crate::diagnostic::{LineIndex, Span};
use std::ops::Range;
use toml_edit::{Document, Item, TableLike, Value};

/// Parses a `pyproject.toml`. Spans are those of the declaring array string (quotes
/// included) or table key.
pub fn parse_pyproject(text: &str) -> ManifestFacts {
    let index = LineIndex::new(text);
    let to_span = |r: Range<usize>| index.span(r.start, r.end);
    let mut sink = Sink::new(&to_span);
    match Document::parse(text) {
        Ok(doc) => read_pyproject(&mut sink, doc.as_table()),
        Err(e) => sink.skip(format!("invalid TOML: {}", e.message().trim()), e.span()),
    }
    sink.facts
}

/// Collects facts from TOML items, mapping item byte ranges to spans.
pub(super) struct Sink<'a> {
    pub facts: ManifestFacts,
    to_span: &'a dyn Fn(Range<usize>) -> Span,
}

impl<'a> Sink<'a> {
    pub fn new(to_span: &'a dyn Fn(Range<usize>) -> Span) -> Self {
        Sink {
            facts: ManifestFacts::default(),
            to_span,
        }
    }

    pub fn span(&self, range: Option<Range<usize>>) -> Span {
        range.map(|r| (self.to_span)(r)).unwrap_or_default()
    }

    pub fn skip(&mut self, what: String, range: Option<Range<usize>>) {
        let span = self.span(range);
        self.facts.skipped.push((what, span));
    }

    /// One requirement string.
    pub fn requirement(&mut self, text: &str, kind: DepKind, range: Option<Range<usize>>) {
        let span = self.span(range);
        match editable_requirement(text).unwrap_or_else(|| parse_requirement(text)) {
            Some(req) => self
                .facts
                .declarations
                .push(Declaration::from_requirement(req, kind, span)),
            None => self.facts.skipped.push((text.to_string(), span)),
        }
    }

    /// An array item of requirement strings; anything else is skipped.
    pub fn requirement_array(&mut self, item: &Item, kind: &DepKind) {
        match item.as_array() {
            Some(array) => {
                for value in array.iter() {
                    self.requirement_value(value, kind.clone());
                }
            }
            None => self.skip(format!("not an array of requirements: {}", short(item)), item.span()),
        }
    }

    fn requirement_value(&mut self, value: &Value, kind: DepKind) {
        match value.as_str() {
            Some(s) => self.requirement(s, kind, value.span()),
            None => self.skip(
                format!("not a requirement string: {}", value.to_string().trim()),
                value.span(),
            ),
        }
    }
}

/// PDM dev groups may hold `-e <path-or-url>` entries: `Some(None)` when no name is
/// knowable, `None` when the string is not an editable at all.
fn editable_requirement(text: &str) -> Option<Option<super::Requirement>> {
    let t = text.trim();
    let rest = t.strip_prefix("-e").or_else(|| t.strip_prefix("--editable"))?;
    if !rest.starts_with([' ', '\t', '=']) {
        return None;
    }
    let target = rest.trim_start_matches([' ', '\t', '=']).trim();
    Some(
        super::requirements::name_of_link(target).map(|name| super::Requirement {
            name,
            extras: Vec::new(),
            specifier: String::new(),
            marker: None,
            url: Some(target.to_string()),
        }),
    )
}

fn short(item: &Item) -> String {
    let s = item.to_string();
    let s = s.trim();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// `t[a][b]…` as a table-like item.
fn table<'t>(t: &'t dyn TableLike, path: &[&str]) -> Option<&'t dyn TableLike> {
    let mut cur = t;
    for key in path {
        cur = cur.get(key)?.as_table_like()?;
    }
    Some(cur)
}

fn get<'t>(t: &'t dyn TableLike, path: &[&str]) -> Option<&'t Item> {
    let (last, init) = path.split_last()?;
    table(t, init)?.get(last)
}

fn get_str<'t>(t: &'t dyn TableLike, path: &[&str]) -> Option<&'t str> {
    get(t, path)?.as_str()
}

/// The strings of an item that is a string or an array of strings, with their ranges.
fn strings(item: &Item) -> Vec<(&str, Option<Range<usize>>)> {
    if let Some(s) = item.as_str() {
        return vec![(s, item.span())];
    }
    match item.as_array() {
        Some(a) => a.iter().filter_map(|v| v.as_str().map(|s| (s, v.span()))).collect(),
        None => Vec::new(),
    }
}

fn key_range(t: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    t.get_key_value(key)
        .and_then(|(k, item)| k.span().or_else(|| item.span()))
}

fn read_pyproject(sink: &mut Sink, root: &dyn TableLike) {
    let project = table(root, &["project"]);
    if let Some(project) = project {
        read_pep621(sink, root, project);
    }
    read_dependency_groups(sink, root);
    read_poetry(sink, root);
    read_pdm_uv_hatch(sink, root);
    read_import_roots(sink, root);
}

fn read_pep621(sink: &mut Sink, root: &dyn TableLike, project: &dyn TableLike) {
    if let Some(name) = get_str(project, &["name"]) {
        sink.facts.project_name = Some(name.to_string());
    }
    if let Some(rp) = get_str(project, &["requires-python"]) {
        sink.facts.requires_python = Some(rp.to_string());
    }
    if let Some(deps) = project.get("dependencies") {
        sink.facts.declares_dependencies = true;
        sink.requirement_array(deps, &DepKind::Runtime);
    }
    if let Some(optional) = table(project, &["optional-dependencies"]) {
        sink.facts.declares_dependencies = true;
        for (extra, item) in optional.iter() {
            sink.requirement_array(item, &DepKind::Optional(extra.to_string()));
        }
    }
    let dynamic: Vec<&str> = project
        .get("dynamic")
        .map(|d| strings(d).into_iter().map(|(s, _)| s).collect())
        .unwrap_or_default();
    if dynamic.contains(&"dependencies") {
        sink.facts.declares_dependencies = true;
        let setuptools = get(root, &["tool", "setuptools", "dynamic", "dependencies", "file"]);
        let hatch = get(
            root,
            &["tool", "hatch", "metadata", "hooks", "requirements_txt", "files"],
        );
        let mut found = false;
        for files in [setuptools, hatch].into_iter().flatten() {
            found |= push_includes(sink, files, DepKind::Runtime);
        }
        // Poetry 2 reads dynamic dependencies from `[tool.poetry.dependencies]`.
        let poetry = table(root, &["tool", "poetry", "dependencies"]).is_some();
        if !found && !poetry {
            sink.facts.dynamic_dependencies = true;
        }
    }
    if dynamic.contains(&"optional-dependencies") {
        sink.facts.declares_dependencies = true;
        let mut found = false;
        if let Some(extras) = table(root, &["tool", "setuptools", "dynamic", "optional-dependencies"]) {
            for (extra, item) in extras.iter() {
                if let Some(files) = item.as_table_like().and_then(|t| t.get("file")) {
                    found |= push_includes(sink, files, DepKind::Optional(extra.to_string()));
                }
            }
        }
        let hatch = [
            "tool",
            "hatch",
            "metadata",
            "hooks",
            "requirements_txt",
            "optional-dependencies",
        ];
        if let Some(extras) = table(root, &hatch) {
            for (extra, item) in extras.iter() {
                found |= push_includes(sink, item, DepKind::Optional(extra.to_string()));
            }
        }
        let poetry_optional = table(root, &["tool", "poetry", "extras"]).is_some();
        if !found && !poetry_optional {
            sink.facts.dynamic_dependencies = true;
        }
    }
}

/// `file = "a.txt"` or `file = ["a.txt", …]`: includes of the given kind. Whether any was found.
fn push_includes(sink: &mut Sink, files: &Item, kind: DepKind) -> bool {
    let list = strings(files);
    for (path, range) in &list {
        let span = sink.span(range.clone());
        sink.facts.includes.push(Include {
            path: path.to_string(),
            constraint: false,
            kind: Some(kind.clone()),
            span,
        });
    }
    !list.is_empty()
}

/// PEP 735 `[dependency-groups]`, with `{include-group = "…"}` resolved.
fn read_dependency_groups(sink: &mut Sink, root: &dyn TableLike) {
    let Some(groups) = table(root, &["dependency-groups"]) else {
        return;
    };
    sink.facts.declares_dependencies = true;
    let all: Vec<(&str, &Item)> = groups.iter().collect();
    for &(name, item) in &all {
        let kind = DepKind::Dev(name.to_string());
        let mut visiting = vec![normalize(name)];
        expand_group(sink, &all, item, &kind, &mut visiting);
    }
}

fn expand_group(sink: &mut Sink, all: &[(&str, &Item)], item: &Item, kind: &DepKind, visiting: &mut Vec<String>) {
    let Some(array) = item.as_array() else {
        if visiting.len() == 1 {
            sink.skip(
                format!("dependency group is not an array: {}", short(item)),
                item.span(),
            );
        }
        return;
    };
    for value in array.iter() {
        if let Some(include) = value.as_inline_table() {
            let Some(target) = include.get("include-group").and_then(Value::as_str) else {
                if visiting.len() == 1 {
                    sink.skip(
                        format!("unknown dependency group entry: {}", value.to_string().trim()),
                        value.span(),
                    );
                }
                continue;
            };
            let target = normalize(target);
            if visiting.contains(&target) {
                continue;
            }
            match all.iter().find(|(n, _)| normalize(n) == target) {
                Some(&(_, included)) => {
                    visiting.push(target);
                    expand_group(sink, all, included, kind, visiting);
                    visiting.pop();
                }
                None if visiting.len() == 1 => {
                    sink.skip(format!("include-group of an unknown group: {target}"), value.span());
                }
                None => {}
            }
        } else if value.as_str().is_some() || visiting.len() == 1 {
            // Entries of included groups that are not strings were reported with their own group.
            sink.requirement_value(value, kind.clone());
        }
    }
}

fn read_poetry(sink: &mut Sink, root: &dyn TableLike) {
    let Some(poetry) = table(root, &["tool", "poetry"]) else {
        return;
    };
    if sink.facts.project_name.is_none() {
        if let Some(name) = get_str(poetry, &["name"]) {
            sink.facts.project_name = Some(name.to_string());
        }
    }
    if let Some(deps) = table(poetry, &["dependencies"]) {
        sink.facts.declares_dependencies = true;
        if sink.facts.requires_python.is_none() {
            if let Some(py) = deps.get("python").and_then(Item::as_str) {
                sink.facts.requires_python = Some(py.to_string());
            }
        }
        poetry_table(sink, deps, None);
    }
    if let Some(deps) = table(poetry, &["dev-dependencies"]) {
        sink.facts.declares_dependencies = true;
        poetry_table(sink, deps, Some("dev"));
    }
    if let Some(groups) = table(poetry, &["group"]) {
        for (group, item) in groups.iter() {
            if let Some(deps) = item.as_table_like().and_then(|t| table(t, &["dependencies"])) {
                sink.facts.declares_dependencies = true;
                poetry_table(sink, deps, Some(group));
            }
        }
    }
    if let Some(packages) = get(poetry, &["packages"]).and_then(Item::as_array) {
        for p in packages.iter() {
            if let Some(from) = p.as_inline_table().and_then(|t| t.get("from")).and_then(Value::as_str) {
                push_root(&mut sink.facts.import_roots, from);
            }
        }
    }
}

/// A Poetry dependency table: keys are names, values version strings or tables.
/// `group = None` for the main table.
fn poetry_table(sink: &mut Sink, deps: &dyn TableLike, group: Option<&str>) {
    for (name, item) in deps.iter() {
        if name.eq_ignore_ascii_case("python") {
            continue;
        }
        let span = sink.span(key_range(deps, name));
        let mut decl = Declaration {
            name: name.to_string(),
            normalized: normalize(name),
            specifier: String::new(),
            marker: None,
            extras: Vec::new(),
            url: None,
            kind: DepKind::Runtime,
            span,
        };
        let mut optional = false;
        if let Some(s) = item.as_str() {
            decl.specifier = s.trim().to_string();
        } else if let Some(t) = item.as_table_like() {
            optional = poetry_spec(&mut decl, t);
        } else if let Some(a) = item.as_array() {
            // Multiple-constraint dependency: alternatives by Python version or platform.
            let mut versions = Vec::new();
            for v in a.iter() {
                if let Some(t) = v.as_inline_table() {
                    let mut alt = decl.clone();
                    optional |= poetry_spec(&mut alt, t);
                    if !alt.specifier.is_empty() {
                        versions.push(alt.specifier);
                    }
                    for e in alt.extras {
                        if !decl.extras.contains(&e) {
                            decl.extras.push(e);
                        }
                    }
                    decl.url = decl.url.or(alt.url);
                }
            }
            decl.specifier = versions.join(" || ");
        } else {
            sink.skip(format!("unknown Poetry dependency value: {}", short(item)), item.span());
            continue;
        }
        decl.kind = match group {
            Some(g) => DepKind::Dev(g.to_string()),
            None if optional => DepKind::Optional("poetry-optional".to_string()),
            None => DepKind::Runtime,
        };
        sink.facts.declarations.push(decl);
    }
}

/// Fills a declaration from a Poetry table value; returns `optional`.
fn poetry_spec(decl: &mut Declaration, t: &dyn TableLike) -> bool {
    if let Some(v) = t.get("version").and_then(Item::as_str) {
        decl.specifier = v.trim().to_string();
    }
    if let Some(extras) = t.get("extras") {
        decl.extras = strings(extras).into_iter().map(|(s, _)| s.to_string()).collect();
    }
    if let Some(m) = t.get("markers").and_then(Item::as_str) {
        decl.marker = Some(m.to_string());
    }
    for key in ["git", "url", "path"] {
        if let Some(u) = t.get(key).and_then(Item::as_str) {
            decl.url = Some(u.to_string());
            break;
        }
    }
    t.get("optional").and_then(Item::as_bool).unwrap_or(false)
}

fn read_pdm_uv_hatch(sink: &mut Sink, root: &dyn TableLike) {
    if let Some(groups) = table(root, &["tool", "pdm", "dev-dependencies"]) {
        sink.facts.declares_dependencies = true;
        for (group, item) in groups.iter() {
            sink.requirement_array(item, &DepKind::Dev(group.to_string()));
        }
    }
    if let Some(deps) = get(root, &["tool", "uv", "dev-dependencies"]) {
        sink.facts.declares_dependencies = true;
        sink.requirement_array(deps, &DepKind::Dev("dev".to_string()));
    }
    if let Some(envs) = table(root, &["tool", "hatch", "envs"]) {
        for (env, item) in envs.iter() {
            let Some(env_table) = item.as_table_like() else {
                continue;
            };
            for key in ["dependencies", "extra-dependencies"] {
                if let Some(deps) = env_table.get(key) {
                    sink.facts.declares_dependencies = true;
                    sink.requirement_array(deps, &DepKind::Dev(env.to_string()));
                }
            }
        }
    }
}

fn read_import_roots(sink: &mut Sink, root: &dyn TableLike) {
    let roots = &mut sink.facts.import_roots;
    if let Some(w) = get(root, &["tool", "setuptools", "packages", "find", "where"]) {
        for (s, _) in strings(w) {
            push_root(roots, s);
        }
    }
    if let Some(src) = get(root, &["tool", "setuptools", "package-dir"])
        .and_then(Item::as_table_like)
        .and_then(|t| t.get(""))
        .and_then(Item::as_str)
    {
        push_root(roots, src);
    }
    if let Some(wheel) = table(root, &["tool", "hatch", "build", "targets", "wheel"]) {
        if let Some(packages) = wheel.get("packages") {
            for (p, _) in strings(packages) {
                let p = p.trim().trim_end_matches('/');
                if let Some((parent, _)) = p.rsplit_once('/') {
                    push_root(roots, parent);
                }
            }
        }
        if let Some(sources) = wheel.get("sources") {
            if let Some(t) = sources.as_table_like() {
                // `sources = {"src" = ""}`: the prefix `src` is removed from paths.
                for (prefix, to) in t.iter() {
                    if to.as_str().is_some_and(|s| s.trim().is_empty()) {
                        push_root(roots, prefix);
                    }
                }
            } else {
                for (s, _) in strings(sources) {
                    push_root(roots, s);
                }
            }
        }
    }
    match get_str(root, &["tool", "uv", "build-backend", "module-root"]) {
        Some(module_root) => push_root(roots, module_root),
        None => {
            let backend = get_str(root, &["build-system", "build-backend"]).unwrap_or("");
            if backend.trim() == "uv_build" {
                push_root(roots, "src");
            }
        }
    }
    if let Some(dir) = get_str(root, &["tool", "pdm", "build", "package-dir"]) {
        push_root(roots, dir);
    }
    if let Some(dir) = get_str(root, &["tool", "maturin", "python-source"]) {
        push_root(roots, dir);
    }
}

/// The requirement strings of a top-level `dependencies` array (PEP 723 scripts).
pub(super) fn read_script_table(sink: &mut Sink, root: &dyn TableLike) {
    if let Some(deps) = root.get("dependencies") {
        sink.facts.declares_dependencies = true;
        sink.requirement_array(deps, &DepKind::Runtime);
    }
    if let Some(rp) = get_str(root, &["requires-python"]) {
        sink.facts.requires_python = Some(rp.to_string());
    }
}
