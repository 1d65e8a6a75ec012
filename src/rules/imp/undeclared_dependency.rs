//! IMP001 undeclared-dependency: A third-party import whose distribution is not declared as a dependency.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "IMP001",
    name: "undeclared-dependency",
    family: "IMP",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A third-party import whose distribution is not declared as a dependency.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds imports of third-party modules that nothing installs: the distribution is
declared nowhere in the project and no declared distribution requires it (that case is
IMP007): not in `[project] dependencies` or its extras, not in Poetry, PDM, uv or hatch
tables, not in a runtime requirements file (`-r` includes followed, `-c` constraints are
not declarations), not in a PEP 723 `# /// script` block of the importing file.

The module is mapped to its distribution by, in order: `[tool.pylint-recover.imports]
module-map`, the project's own modules, a `.venv`/`venv`/`$VIRTUAL_ENV` site-packages,
a bundled table of known mismatches (`yaml` → `PyYAML`, `PIL` → `Pillow`, `jwt` → `PyJWT`,
`sklearn` → `scikit-learn`, ...) with pattern rules (`python-X`, `django-X`, ...), then
the name itself.

Not reported: development code (the `dev-paths`: tests, `conftest.py`, `noxfile.py`,
docs, examples, build scripts), which fails in CI rather than in production; imports
under `if TYPE_CHECKING:`, imports in `try:` blocks that handle
`ImportError`, imports in branches of `sys.version_info`/`sys.platform` guards, and
projects whose dependencies cannot be read statically (`dynamic = ["dependencies"]`
without `file=`, or only a `setup.py`), or that are meta-distributions over a sibling
distribution pinned to one version (`mlflow` requiring `mlflow-skinny==3.18.0`), whose
dependencies the manifest does not list.

## Why is this bad?
The code works on the developer's machine because the package happens to be installed
there; a fresh install (the container image, CI, a colleague) raises
`ModuleNotFoundError: No module named ...` at import time.

## How to fix
Add the distribution named in the help to the dependency table named in the help.

## Example
```python
import yaml  # PyYAML is not in [project] dependencies
```

Use instead:
```toml
[project]
dependencies = ["PyYAML>=6"]
```

## Options
- `imports.module-map`: import name → distribution, for private or unusual packages.
- `known-first-party`: module names that belong to the project.
"#;

use crate::diagnostic::Diagnostic;
use crate::project::imports::{import_providers, origin, Origin};
use crate::rules::context::RuleContext;

/// Reports third-party imports that no declaration, lock file or script block provides.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let deps = &cx.project.deps;
    if (!deps.known && cx.facts.script.is_none()) || deps.dynamic || deps.inherits_sibling.is_some() {
        return;
    }
    // Development code fails in CI, not in production: it is not checked here, unless it
    // is a PEP 723 script, which declares its own environment.
    if cx.is_dev_code() && cx.facts.script.is_none() {
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
        if !runtime.is_empty() || !dev.is_empty() || script {
            continue;
        }
        if cx
            .project
            .reach_extras
            .import_provider(&cx.project.dists, imp)
            .is_some()
        {
            continue; // installed through a declared distribution: IMP007
        }
        let candidates = cx.project.dists.candidates(&imp.module);
        let (hint, manifest) = deps.add_hint(cx.project.display_base(), &candidates, false);
        let top = imp.module.split('.').next().unwrap_or(&imp.module);
        let known = cx.project.dists.known_candidates(&imp.module).is_some();
        let dist = candidates.first().cloned().unwrap_or_default();
        let same_name = crate::facts::manifest::normalize(&dist) == crate::facts::manifest::normalize(top);
        let message = if known && !same_name {
            format!(
                "`{}` is imported but its distribution `{dist}` is not declared as a dependency",
                super::package_of(&imp.module)
            )
        } else {
            format!(
                "`{}` is imported but no declared dependency provides it",
                super::package_of(&imp.module)
            )
        };
        let hint = if known || same_name {
            hint
        } else {
            format!("{hint} (if the distribution that installs `{top}` has another name, declare that one, or map it with `imports.module-map`)")
        };
        let mut d = Diagnostic::new(
            META.code,
            META.severity,
            cx.facts.path.clone(),
            imp.module_span,
            message,
        )
        .with_help(format!(
            "{hint}; a fresh install raises `ModuleNotFoundError: No module named '{top}'`"
        ));
        if let Some(m) = manifest {
            d = d.with_related(m);
        }
        out.push(d.in_statement(imp.span));
    }
}
