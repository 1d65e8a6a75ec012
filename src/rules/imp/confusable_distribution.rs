//! IMP006 confusable-distribution: A declared distribution that is a look-alike of the one the code needs.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "IMP006",
    name: "confusable-distribution",
    family: "IMP",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A declared distribution that is a look-alike of the one the code needs.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds declarations of distributions that install the same top-level module as a popular
package but are a different (often dead) project, when the code imports that module:
`jwt` (not `PyJWT`), `jose` (not `python-jose`), `dotenv` (not `python-dotenv`),
`serial` (not `pyserial`), `sklearn` (not `scikit-learn`), `attr` (not `attrs`),
`PIL` (not `Pillow`), `MySQL-python` (not `mysqlclient`). Reported on the declaring line
of the manifest.

## Why is this bad?
The import succeeds, then the code fails: `AttributeError: module jwt has no attribute
encode`, a `SyntaxError` inside a Python 2 module (`jose`), or the install itself fails
(`sklearn`, `dotenv`).

## How to fix
Replace the declaration with the distribution named in the help.

## Example
```text
# requirements.txt
jwt==1.3.1
```

Use instead:
```text
PyJWT==2.8.0
```
"#;

use crate::diagnostic::{Diagnostic, Label};
use crate::facts::FileKind;
use crate::rules::context::RuleContext;

/// Declared distribution (normalised) → (module it installs, the distribution meant).
const CONFUSABLES: &[(&str, &str, &str)] = &[
    ("jwt", "jwt", "PyJWT"),
    ("jose", "jose", "python-jose"),
    ("dotenv", "dotenv", "python-dotenv"),
    ("serial", "serial", "pyserial"),
    ("sklearn", "sklearn", "scikit-learn"),
    ("attr", "attr", "attrs"),
    ("pil", "PIL", "Pillow"),
    ("mysql-python", "MySQLdb", "mysqlclient"),
];

/// Reports, on a manifest, declarations of look-alike distributions the code imports.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.facts.manifest.is_none() {
        return;
    }
    for declared in cx.project.deps.declared.iter().filter(|d| d.file == cx.facts.path) {
        let Some((_, module, right)) = CONFUSABLES.iter().find(|(n, _, _)| *n == declared.decl.normalized) else {
            continue;
        };
        // Only when the code needs the module.
        let mut importers = Vec::new();
        for (i, f) in cx.ws.files.iter().enumerate() {
            if cx.ws.file_project[i] != cx.ws.file_project[cx.file] || f.kind != Some(FileKind::Python) {
                continue;
            }
            if let Some(imp) = f.imports.iter().find(|imp| {
                imp.level == 0
                    && !imp.context.type_checking
                    && (imp.module == *module || imp.module.starts_with(&format!("{module}.")))
            }) {
                importers.push((f.path.clone(), imp.module_span));
            }
        }
        let Some((first_path, first_span)) = importers.first().cloned() else {
            continue;
        };
        let mut d = Diagnostic::new(
            META.code,
            META.severity,
            cx.facts.path.clone(),
            declared.decl.span,
            format!(
                "`{}` is not `{right}`: it installs a different `{module}` module than the one the code imports",
                declared.decl.name
            ),
        )
        .with_help(format!(
            "replace `{}` with `{right}` (same import name, the maintained package)",
            declared.decl.name
        ))
        .with_label(Label {
            path: first_path,
            span: first_span,
            message: format!("`{module}` imported here"),
        });
        for (p, _) in importers.iter().skip(1) {
            d = d.with_related(p.clone());
        }
        out.push(d);
    }
}
