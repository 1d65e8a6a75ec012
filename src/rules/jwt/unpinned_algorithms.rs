//! JWT003 unpinned-algorithms: a decode without a list of allowed algorithms.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{JwtOp, Value};
use crate::project::values::resolve;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT003",
    name: "unpinned-algorithms",
    family: "JWT",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A decode without `algorithms`, with singular `algorithm=`, or with `algorithms` as a string.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds JWT decodes (PyJWT `jwt.decode`, python-jose `jwt.decode`) that do not pin the
allowed algorithms with a list: no `algorithms` at all, `algorithm=` (singular, which
decode ignores), or `algorithms="HS256"` (a string, directly or through a constant).

Not reported: decodes whose key is a `PyJWK` (from `PyJWKClient.get_signing_key_from_jwt`),
which carries its algorithm, and unverified peeks (`options={"verify_signature": False}`).

## Why is this bad?
PyJWT 2 raises `DecodeError: It is required that you pass in a value for the
"algorithms" argument when calling decode()` on every request: every token is rejected
(401/403, often hidden by a bare `except`). `algorithm=[...]` is swallowed by `**kwargs`
with only a deprecation warning, so it fails the same way. A string turns the allow-list
check `alg not in algorithms` into a substring test (`"HS2" in "HS256"`).
python-jose accepts whatever `alg` the token's header names when `algorithms` is missing,
which opens the door to algorithm confusion.

## How to fix
Pass the list of algorithms your tokens are signed with: `algorithms=["HS256"]`.

## Example
```python
payload = jwt.decode(token, settings.jwt_secret)
payload = jwt.decode(token, key, algorithms=ALGORITHM)   # ALGORITHM = "HS256"
```

Use instead:
```python
payload = jwt.decode(token, settings.jwt_secret, algorithms=[ALGORITHM])
```
"#;

/// Reports decodes that do not pin their algorithms.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for call in cx
        .facts
        .jwt
        .iter()
        .filter(|c| c.op == JwtOp::Decode && c.library != "authlib")
    {
        if super::skips_signature(call) || super::is_jwk_key(call) {
            continue;
        }
        let lib = if call.library == "jose" { "python-jose" } else { "PyJWT" };
        let algorithms = call
            .kwarg("algorithms")
            .map(|(_, v, _)| v.clone())
            .or_else(|| call.args.get(2).cloned());
        let (message, help) = match algorithms.map(|v| resolve(cx.ws, cx.file, &v)) {
            Some(Value::Str(s)) => (
                format!(
                    "`algorithms` is the string `\"{s}\"`, not a list: the allow-list check becomes a substring test"
                ),
                format!("pass a list: `algorithms=[\"{s}\"]`"),
            ),
            Some(_) => continue,
            None => match call.kwarg("algorithm") {
                Some(_) => (
                    format!(
                        "`algorithm=` (singular) is ignored by decode, so the call has no `algorithms` ({lib} {})",
                        missing_effect(lib)
                    ),
                    "rename it to `algorithms=` and pass a list, e.g. `algorithms=[\"HS256\"]`".to_string(),
                ),
                None => (
                    format!("decode without `algorithms` ({lib} {})", missing_effect(lib)),
                    "pass the algorithms your tokens are signed with, e.g. `algorithms=[\"HS256\"]`".to_string(),
                ),
            },
        };
        out.push(Diagnostic::new(META.code, META.severity, cx.facts.path.clone(), call.span, message).with_help(help));
    }
}

fn missing_effect(lib: &str) -> &'static str {
    if lib == "PyJWT" {
        "2 raises `DecodeError` on every token"
    } else {
        "accepts whatever `alg` the token names"
    }
}
