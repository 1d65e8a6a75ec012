//! IMP003 unknown-import-name: `from <project module> import Name` where the module has no `Name`.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "IMP003",
    name: "unknown-import-name",
    family: "IMP",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "`from <project module> import Name` where the module has no `Name`.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds `from module import Name` where `module` is a module of the project that neither
defines, imports nor re-exports `Name`, and has no submodule `Name`. The help says where
a definition of `Name` lives now in the project, or the closest name in the module.

It stays silent when the module defines `__getattr__` (PEP 562), imports `*` from a
module it cannot read, or writes its namespace dynamically (`globals()`, `exec`).

## Why is this bad?
The import raises `ImportError: cannot import name ... from ...` when the importing
module is loaded.

## How to fix
Import the name from the module that defines it now (see the help).

## Example
```python
from app.models import TaskComment  # moved to app.comments
```

Use instead:
```python
from app.comments import TaskComment
```
"#;

use crate::diagnostic::Diagnostic;
use crate::project::imports::{exports, origin, Origin};
use crate::project::modules::Target;
use crate::rules::context::RuleContext;

/// Attributes every module has.
const MODULE_ATTRIBUTES: &[&str] = &[
    "__doc__",
    "__name__",
    "__file__",
    "__path__",
    "__spec__",
    "__loader__",
    "__package__",
    "__builtins__",
    "__cached__",
    "__dict__",
    "__annotations__",
];

/// Reports `from <project module> import Name` where the module has no `Name`.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for imp in &cx.facts.imports {
        if imp.names.is_empty() || imp.context.type_checking || imp.context.optional {
            continue;
        }
        let Origin::FirstParty(target) = origin(cx.project, &cx.facts.path, imp) else {
            continue;
        };
        let Some(names) = exports(cx.ws, cx.project, &target, 0) else {
            continue;
        };
        let module_file = match &target {
            Target::Module(Some(i)) | Target::Package { init: Some(i), .. } => Some(*i),
            _ => None,
        };
        let module = match module_file {
            Some(i) => cx.project.modules.dotted_name(&cx.ws.files[i].path),
            None => match &target {
                Target::Package { dir, .. } => cx.project.modules.dotted_name(&dir.join("__init__.py")),
                _ => None,
            },
        }
        .unwrap_or_else(|| imp.module.clone());
        let package_dir = match &target {
            Target::Package { dir, .. } => Some(dir.clone()),
            _ => None,
        };
        for name in &imp.names {
            if names.binary_search(&name.name).is_ok() || MODULE_ATTRIBUTES.contains(&name.name.as_str()) {
                continue;
            }
            // Any folder is an importable namespace package, even without Python files.
            if package_dir.as_ref().is_some_and(|d| d.join(&name.name).is_dir()) {
                continue;
            }
            let help = match cx.project.definitions.get(&name.name) {
                Some(defs) => {
                    let elsewhere: Vec<&String> = defs.iter().filter(|(m, _)| *m != module).map(|(m, _)| m).collect();
                    match elsewhere.as_slice() {
                        [] => closest(&names, &name.name),
                        [one] => format!(
                            "`{}` is defined in `{one}`: `from {one} import {}`",
                            name.name, name.name
                        ),
                        many => format!(
                            "`{}` is defined in {}",
                            name.name,
                            many.iter()
                                .take(3)
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                }
                None => closest(&names, &name.name),
            };
            out.push(
                Diagnostic::new(
                    META.code,
                    META.severity,
                    cx.facts.path.clone(),
                    name.span,
                    format!(
                        "`{}` is not defined in `{module}` (`ImportError: cannot import name '{}'`)",
                        name.name, name.name
                    ),
                )
                .with_help(help)
                .in_statement(imp.span),
            );
        }
    }
}

fn closest(names: &[String], wanted: &str) -> String {
    match super::most_similar(names, wanted) {
        Some(n) => format!("did you mean `{n}`?"),
        None => {
            "no definition of that name exists in the project; remove the import or restore the definition".to_string()
        }
    }
}
