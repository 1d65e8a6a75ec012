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
