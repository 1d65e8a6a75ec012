//! IMP002 unresolved-first-party-module: An import of a project module that does not exist.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "IMP002",
    name: "unresolved-first-party-module",
    family: "IMP",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "An import of a project module that does not exist.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds imports of the project's own modules (absolute or relative) that resolve to no file:
a typo, a module that was moved, renamed or deleted. The help names the closest existing
module.

## Why is this bad?
The import raises `ModuleNotFoundError` when the importing module is loaded; in a web
backend that is usually at start-up, so the service does not boot, or at the first
request that reaches a lazily imported module.

## How to fix
Import the module where it lives now (see the help), or restore it.

## Example
```python
from app.servcies.auth import login  # the package is `app.services`
from .paginaton import paginate      # the module is `pagination.py`
```

## Options
- `src`: extra import roots (folders on `sys.path`), beside the project root and `src/`.
- `known-first-party`: names that are first-party but generated or not in the tree.
"#;

use crate::diagnostic::Diagnostic;
use crate::project::imports::{origin, Origin};
use crate::project::modules::Resolved;
use crate::rules::context::RuleContext;

/// Reports project imports that resolve to no module.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for imp in &cx.facts.imports {
        if imp.context.type_checking || imp.context.optional {
            continue;
        }
        let Origin::Missing {
            module,
            found,
            parent,
            beyond_top,
        } = origin(cx.project, &cx.facts.path, imp)
        else {
            continue;
        };
        let written = format!("{}{}", ".".repeat(imp.level as usize), imp.module);
        let (message, help) = if beyond_top {
            (
                format!("relative import `{written}` goes above the top of the project"),
                "use an absolute import of the module".to_string(),
            )
        } else {
            let segs: Vec<&str> = module.split('.').collect();
            let missing = segs.get(found).copied().unwrap_or(&module);
            let shown = segs[..(found + 1).min(segs.len())].join(".");
            let message = match &parent {
                None => format!(
                    "`{}` is a module, not a package: `{module}` cannot be imported",
                    segs[..found].join(".")
                ),
                Some(_) => format!("no module `{shown}` in the project (`{written}` raises `ModuleNotFoundError`)"),
            };
            let help = suggest(cx, &segs, found, parent.as_deref(), missing);
            (message, help)
        };
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.facts.path.clone(),
                imp.module_span,
                message,
            )
            .with_help(help)
            .in_statement(imp.span),
        );
    }
}

/// The closest existing module: a sibling with a similar name (completed with the rest
/// of the path when that resolves), else modules elsewhere with the same last name.
fn suggest(cx: &RuleContext, segs: &[&str], found: usize, parent: Option<&std::path::Path>, missing: &str) -> String {
    let modules = &cx.project.modules;
    if let Some(parent) = parent {
        let best = super::most_similar(modules.children(parent), missing);
        if let Some(child) = best {
            let mut rest: Vec<&str> = vec![child.as_str()];
            rest.extend_from_slice(&segs[found + 1..]);
            let full: Vec<&str> = segs[..found].iter().copied().chain(rest.iter().copied()).collect();
            if matches!(modules.resolve_from(parent, &rest), Resolved::Found(_)) {
                return format!("did you mean `{}`?", full.join("."));
            }
            return format!(
                "did you mean `{}`?",
                segs[..found]
                    .iter()
                    .copied()
                    .chain(std::iter::once(child.as_str()))
                    .collect::<Vec<_>>()
                    .join(".")
            );
        }
    }
    // Moved: a module with the same last name elsewhere.
    let last = segs.last().copied().unwrap_or(missing);
    let mut hits: Vec<String> = modules
        .files
        .keys()
        .filter(|k| k.file_name().is_some_and(|n| n == last))
        .filter_map(|k| modules.dotted_name(&k.with_extension("py")))
        .collect();
    hits.sort();
    hits.truncate(3);
    if hits.is_empty() {
        "check the module path; no module of that name exists in the project".to_string()
    } else {
        format!(
            "a module of that name exists at {}",
            hits.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
        )
    }
}
