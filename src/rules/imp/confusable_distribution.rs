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
