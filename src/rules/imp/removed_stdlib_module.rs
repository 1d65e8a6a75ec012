//! IMP005 removed-stdlib-module: A standard-library module removed within the project's Python range.

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "IMP005",
    name: "removed-stdlib-module",
    family: "IMP",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A standard-library module removed within the project's Python range.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds imports of standard-library modules that do not exist in some Python version the
project supports (`requires-python`, or `target-version` for the lower bound):
`distutils`, `imp`, `asynchat`, `asyncore`, `smtpd` (removed in 3.12); `cgi`, `cgitb`,
`imghdr`, `telnetlib`, `pipes`, `crypt`, `nntplib`, `lib2to3` and the other PEP 594
modules (removed in 3.13). The help names the replacement.

Not reported when a declared distribution provides the module again (`setuptools` for
`distutils`, `standard-imghdr`, `legacy-cgi`, `audioop-lts`, ...), when the import is in a
`try: ... except ImportError` or a `sys.version_info` branch that excludes the
version, or under `TYPE_CHECKING`.

## Why is this bad?
`ModuleNotFoundError: No module named ...` on the newer interpreter.

## How to fix
Use the replacement named in the help (`importlib` for `imp`, `mimetypes` or
`filetype` for `imghdr`, ...), or declare the PyPI redistribution.

## Example
```python
import imp  # removed in Python 3.12
```

Use instead:
```python
import importlib
```
"#;
