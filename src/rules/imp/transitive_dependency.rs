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
Finds imports of distributions that are not declared but are present in the project lock
file (`uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml`) as a dependency of something
that is declared (`starlette` through `fastapi`). The message names the chain.

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
use crate::facts::manifest::normalize;
use crate::project::imports::{origin, providers, Origin};
use crate::rules::context::RuleContext;

/// Reports imports that only a lock file's transitive closure provides.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let deps = &cx.project.deps;
    let Some((lock_path, _)) = &deps.lock else { return };
    if deps.dynamic {
        return;
    }
    for imp in &cx.facts.imports {
        let c = imp.context;
        if c.type_checking || c.optional || c.guarded || imp.level > 0 {
            continue;
        }
        if origin(cx.project, &cx.facts.path, imp) != Origin::ThirdParty {
            continue;
        }
        let (runtime, dev, script) = providers(cx.project, &imp.module, cx.facts.script.as_ref());
        if !runtime.is_empty() || !dev.is_empty() || script {
            continue;
        }
        let candidates = cx.project.dists.candidates(&imp.module);
        let Some((dist, chain)) = candidates
            .iter()
            .find_map(|d| deps.lock_chain(&normalize(d)).map(|c| (d.clone(), c)))
        else {
            continue;
        };
        let lock = cx.rel(lock_path).to_string();
        let via = if chain.len() > 1 {
            format!("only because `{}` depends on it ({})", chain[0], chain.join(" → "))
        } else {
            "only because it is pinned in the lock file".to_string()
        };
        let (hint, manifest) = deps.add_hint(&cx.project.root, std::slice::from_ref(&dist), cx.is_dev_code());
        let mut d = Diagnostic::new(
            META.code,
            META.severity,
            cx.facts.path.clone(),
            imp.module_span,
            format!("`{}` is not declared: `{lock}` installs `{dist}` {via}", imp.module),
        )
        .with_help(format!("{hint}, with the version range your code needs"))
        .with_related(lock_path.clone());
        if let Some(m) = manifest {
            d = d.with_related(m);
        }
        out.push(d);
    }
}
