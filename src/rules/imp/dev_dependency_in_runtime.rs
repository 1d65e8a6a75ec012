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
