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

use crate::diagnostic::Diagnostic;
use crate::project::imports::{origin, providers, Origin};
use crate::project::stdlib;
use crate::rules::context::RuleContext;

/// Replacement advice per removed module.
fn replacement(module: &str) -> &'static str {
    match module {
        "distutils" => {
            "use `setuptools` (declare it: it still provides `distutils`) or `sysconfig`/`shutil`/`packaging`"
        }
        "imp" => "use `importlib` (`importlib.util.spec_from_file_location`, `importlib.reload`)",
        "asynchat" | "asyncore" => "use `asyncio`",
        "smtpd" => "use `aiosmtpd`",
        "telnetlib" => "use `telnetlib3`, or declare `standard-telnetlib`",
        "cgi" => "use `email.message` / `urllib.parse` / `multipart`, or declare `legacy-cgi`",
        "cgitb" => "use `traceback`, or declare `standard-cgitb`",
        "imghdr" => "use `filetype` or Pillow's `Image.open(...).format`, or declare `standard-imghdr`",
        "sndhdr" => "use `filetype`, or declare `standard-sndhdr`",
        "pipes" => "use `shlex.quote` and `subprocess`",
        "crypt" => "use `passlib`/`bcrypt`/`hashlib`, or declare `standard-crypt`",
        "audioop" => "declare `audioop-lts`",
        "uu" => "use `base64`, or declare `standard-uu`",
        "xdrlib" => "declare `standard-xdrlib`",
        "nntplib" => "declare `standard-nntplib`",
        "mailcap" => "use `mimetypes`, or declare `standard-mailcap`",
        "lib2to3" => "use `libcst` or `ast`",
        "msilib" => "use a maintained MSI tool",
        "aifc" | "chunk" | "sunau" => "declare the `standard-` redistribution of the module",
        "nis" | "spwd" | "ossaudiodev" => "no replacement in the standard library; use a maintained PyPI package",
        "binhex" => "use `base64`/`binascii`",
        "formatter" | "parser" | "symbol" => "use `ast`",
        _ => "use a maintained replacement",
    }
}

/// Reports standard-library modules missing from a Python version the project supports.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for imp in &cx.facts.imports {
        let c = imp.context;
        if c.type_checking || c.optional || imp.level > 0 {
            continue;
        }
        if origin(cx.project, &cx.facts.path, imp) != Origin::Stdlib {
            continue;
        }
        let top = imp.module.split('.').next().unwrap_or(&imp.module);
        let Some(last) = stdlib::removed_after(top) else {
            continue;
        };
        let runs_on: Vec<u8> = cx
            .project
            .minors
            .iter()
            .copied()
            .filter(|m| c.min_version.is_none_or(|(_, lo)| *m >= lo) && c.max_version.is_none_or(|(_, hi)| *m < hi))
            .collect();
        if c.guarded && c.min_version.is_none() && c.max_version.is_none() {
            continue;
        }
        let Some(first_missing) = runs_on.iter().copied().find(|m| *m > last) else {
            continue;
        };
        let (runtime, dev, script) = providers(cx.project, top, cx.facts.script.as_ref());
        if script || !runtime.is_empty() || (cx.is_dev_code() && !dev.is_empty()) {
            continue;
        }
        let range = match &cx.project.deps.requires_python {
            Some(r) => format!("`requires-python = \"{r}\"`"),
            None => "no `requires-python`, so every current version".to_string(),
        };
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.facts.path.clone(),
                imp.module_span,
                format!("`{top}` was removed from the standard library in Python 3.{}, which the project supports ({range})", last + 1),
            )
            .with_help(format!("{}; on Python 3.{first_missing} the import raises `ModuleNotFoundError`", replacement(top))).in_statement(imp.span));
    }
}
