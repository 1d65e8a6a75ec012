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
