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
