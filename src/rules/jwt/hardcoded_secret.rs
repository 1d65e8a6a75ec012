//! JWT008 hardcoded-secret: a literal used as a signing key outside tests.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::{JwtOp, Value};
use crate::project::values::literal_source;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT008",
    name: "hardcoded-secret",
    family: "JWT",
    severity: Severity::Warning,
    default_on: true,
    implemented: true,
    summary: "A literal used as a signing key outside tests.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds JWT signing and verification keys written in the code: a string literal passed as
the key, a module constant holding one, or the literal default of an environment lookup
(`os.getenv("JWT_SECRET", "change-me")`) or of a settings field
(`jwt_secret: str = "dev-secret"`). Reported on the literal's line. Test code
(`dev-paths`) is exempt.

## Why is this bad?
Anyone who can read the repository (or a leaked image) can mint valid tokens for any
user. A literal default also silently takes over when the environment variable is
missing in production: the service starts and signs with the public default.

## How to fix
Read the key from the environment or a secret store without a default, so a missing
secret fails at start-up.

## Example
```python
SECRET_KEY = os.getenv("SECRET_KEY", "dev-secret")
```

Use instead:
```python
SECRET_KEY = os.environ["SECRET_KEY"]
```
"#;

/// Reports literal keys of JWT calls in this file (on the literal's line, possibly in
/// the file that defines the constant).
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() {
        return;
    }
    for call in super::calls(cx) {
        if super::skips_signature(call) {
            continue;
        }
        let pos = if call.library == "authlib" && call.op == JwtOp::Encode {
            2
        } else {
            1
        };
        let (key, span) = match call.kwarg("key") {
            Some((_, v, span)) => (v, *span),
            None => match (call.args.get(pos), call.arg_spans.get(pos)) {
                (Some(v), Some(s)) => (v, *s),
                _ => continue,
            },
        };
        let found = match key {
            Value::Str(s) => Some((cx.file, span, s.clone())),
            other => literal_source(cx.ws, cx.file, other),
        };
        let Some((file, at, literal)) = found else { continue };
        if literal.is_empty() || cx.project.is_dev_path(&cx.ws.files[file].path) {
            continue;
        }
        let mut d = Diagnostic::new(
            META.code,
            META.severity,
            cx.ws.files[file].path.clone(),
            at,
            "JWT signing key written in the code: anyone with the source can mint valid tokens".to_string(),
        )
        .with_help("read it from the environment or a secret store, with no default (`os.environ[\"JWT_SECRET\"]`)");
        if file != cx.file {
            d = d.with_label(Label {
                path: cx.facts.path.clone(),
                span: call.span,
                message: "used as the key here".into(),
            });
        }
        out.push(d);
    }
}
