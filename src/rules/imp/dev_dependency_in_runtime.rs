//! IMP004 dev-dependency-in-runtime: Runtime code imports a package declared only as a development dependency.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "IMP004",
    name: "dev-dependency-in-runtime",
    family: "IMP",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "Runtime code imports a package declared only as a development dependency.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds imports, in runtime code, of distributions that are declared only in development
tables: PEP 735 `[dependency-groups]` (with `include-group`), Poetry groups and
`dev-dependencies`, `[tool.pdm.dev-dependencies]`, `[tool.uv] dev-dependencies`, hatch
environments, and development requirements files (`requirements-dev.txt`, ...).

Development code may import them: the `dev-paths` globs (default `tests/`, `test_*.py`,
`*_test.py`, `conftest.py`, `noxfile.py`, `docs/`).

## Why is this bad?
Production installs leave development groups out (`uv sync --no-dev`, `poetry install
--only main`, `pip install .`), so the import raises `ModuleNotFoundError` in production
while every test passes.

## How to fix
Move the distribution to the runtime dependencies, or move the import into development
code.

## Example
```toml
[dependency-groups]
test = ["httpx"]
```
```python
# app/integrations/payroll.py
import httpx  # only installed for tests
```
"#;

use crate::diagnostic::{Diagnostic, Label};
use crate::facts::manifest::DepKind;
use crate::project::imports::{import_providers, origin, Origin};
use crate::rules::context::RuleContext;

/// Reports runtime imports of distributions declared only for development.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() || cx.project.deps.dynamic {
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
        let (runtime, dev, script) = import_providers(cx.project, imp, cx.facts.script.as_ref());
        if !runtime.is_empty() || script {
            continue;
        }
        let Some(decl) = dev.first() else { continue };
        let group = match &decl.kind {
            DepKind::Dev(g) => g.clone(),
            _ => String::new(),
        };
        let file = cx.rel(&decl.file).to_string();
        let (hint, _) =
            cx.project
                .deps
                .add_hint(cx.project.display_base(), std::slice::from_ref(&decl.decl.name), false);
        let where_ = if file.ends_with(".txt") || file.ends_with(".in") {
            format!("`{file}`")
        } else {
            format!("the `{group}` group of `{file}`")
        };
        let d = Diagnostic::new(
            META.code,
            META.severity,
            cx.facts.path.clone(),
            imp.module_span,
            format!("`{}` is imported by runtime code but `{}` is declared only in {where_}", imp.module, decl.decl.name),
        )
        .with_help(format!("move it: {hint} (production installs leave development dependencies out), or import it only from development code"))
        .with_label(Label { path: decl.file.clone(), span: decl.decl.span, message: "declared for development only".into() });
        out.push(d.in_statement(imp.span));
    }
}
