//! IMP007 transitive-dependency: An import that works only because a lock file pulls the distribution in through another one.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "IMP007",
    name: "transitive-dependency",
    family: "IMP",
    severity: Severity::Warning,
    default_on: true,
    implemented: true,
    summary: "An import that works only because a lock file pulls the distribution in through another one.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds imports of distributions that are not declared but are installed as a dependency
of something that is declared (`starlette` through `fastapi`, `sqlalchemy` through
`alembic`). The chain comes from the project's lock file (`uv.lock`, `poetry.lock`,
`pdm.lock`, `pylock.toml`; a uv workspace member uses the workspace's lock) or, without
one, from the bundled `Requires-Dist` metadata of common backend packages. The message
names the chain.

## Why is this bad?
The import works today; when the declared package drops or replaces that dependency
(or the lock is regenerated), the import raises `ModuleNotFoundError` with no change in
your code.

## How to fix
Declare the distribution directly, with the version range your code needs.

## Example
```python
from starlette.requests import Request  # starlette only comes with fastapi
```
"#;

use crate::diagnostic::Diagnostic;
use crate::project::imports::{import_providers, origin, Origin};
use crate::project::transitive::Source;
use crate::rules::context::RuleContext;

/// Reports imports that only a lock file's transitive closure provides.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let deps = &cx.project.deps;
    if deps.dynamic || deps.inherits_sibling.is_some() {
        return;
    }
    let dev_code = cx.is_dev_code();
    for imp in &cx.facts.imports {
        let c = imp.context;
        if c.type_checking || c.optional || c.guarded || imp.level > 0 {
            continue;
        }
        if origin(cx.project, &cx.facts.path, imp) != Origin::ThirdParty {
            continue;
        }
        let (runtime, dev, script) = import_providers(cx.project, imp, cx.facts.script.as_ref());
        if !runtime.is_empty() || (dev_code && !dev.is_empty()) || script {
            continue;
        }
        if !dev.is_empty() {
            continue; // IMP004
        }
        let p = &cx.project;
        let found = if dev_code {
            p.reach_all.import_provider(&p.dists, imp).map(|f| (f, ""))
        } else {
            p.reach_runtime
                .import_provider(&p.dists, imp)
                .map(|f| (f, ""))
                .or_else(|| {
                    p.reach_extras
                        .import_provider(&p.dists, imp)
                        .map(|f| (f, " (an optional extra)"))
                })
        };
        let Some(((dist, chain, source), extra)) = found else {
            continue;
        };
        let parent = chain.len().checked_sub(2).map(|i| chain[i].clone()).unwrap_or_default();
        let (from, related) = match (source, &deps.lock) {
            (Source::Lock, Some((lock, _))) => (format!("`{}` installs it", cx.rel(lock)), Some(lock.clone())),
            _ => ("it is installed".to_string(), None),
        };
        let (hint, manifest) = deps.add_hint(cx.project.display_base(), std::slice::from_ref(&dist), dev_code);
        let mut d = Diagnostic::new(
            META.code,
            META.severity,
            cx.facts.path.clone(),
            imp.module_span,
            format!(
                "`{}` is not declared: {from} only as a dependency of `{parent}` ({}){extra}",
                super::package_of(&imp.module),
                chain.join(" → ")
            ),
        )
        .with_help(format!("{hint}, with the version range your code needs"));
        if let Some(r) = related {
            d = d.with_related(r);
        }
        if let Some(m) = manifest {
            d = d.with_related(m);
        }
        out.push(d.in_statement(imp.span));
    }
}
