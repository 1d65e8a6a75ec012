//! JWT001 key-mismatch: a decode verifies with a key no encode of the project signs with.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::{JwtOp, Value};
use crate::project::values::identity;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT001",
    name: "key-mismatch",
    family: "JWT",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A decode verifies with a key that no encode in the project signs with.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
In a project that both issues and verifies its own HMAC tokens (HS256/384/512), finds
decodes whose key is not the key any encode signs with. Keys are compared by what they
resolve to across files: the same literal, module constant, environment variable
(`os.getenv`/`os.environ`), or settings field (`settings.JWT_SECRET` of a pydantic
`BaseSettings`, Django's `settings.SECRET_KEY`). A key that cannot be resolved never
matches or mismatches anything. The other encode is shown as a secondary label.

Only decodes that allow an algorithm the project's encodes sign with are compared (a
decode of another party's HS512 webhook tokens is not the project's own token). Not
checked: asymmetric algorithms (a public key verifies what a private key signs),
`PyJWK` keys, unverified peeks, test code. An encode whose key no decode uses is not
reported (another service may verify it).

Also reported: a key generated at import time (`SECRET_KEY = secrets.token_urlsafe(32)`,
also as a settings-field default), on the line that generates it.

## Why is this bad?
Every token the project issues fails verification: `InvalidSignatureError` (a
`InvalidTokenError`), so every authenticated request gets 401/403 — typically right
after a refactor moved one side to a new setting.

## How to fix
Sign and verify with the same setting; remove the unused one.

## Example
```python
# tokens.py
jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256")
# deps.py
jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])
```

Use instead:
```python
jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"])
```
"#;

/// Generators of random bytes: a key made by one at import time differs per process.
const RANDOM: &[&str] = &[
    "token_hex",
    "token_urlsafe",
    "token_bytes",
    "urandom",
    "uuid4",
    "getrandbits",
    "Fernet.generate_key",
];

/// Keys generated per process at import time (each worker signs with its own key).
fn per_process_keys(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for call in super::calls(cx) {
        let Some(key) = super::key_of(call) else { continue };
        let Some((file, span, Value::Call(callee))) = crate::project::values::constant_of(cx.ws, cx.file, key) else {
            continue;
        };
        if !RANDOM.iter().any(|r| callee.ends_with(r)) || cx.project.is_dev_path(&cx.ws.files[file].path) {
            continue;
        }
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.ws.files[file].path.clone(),
                span,
                format!("JWT key generated per process (`{callee}()` at import time): with several workers or after a restart, tokens signed by one process fail verification in another (`InvalidSignatureError`)"),
            )
            .with_help("read the key from the environment or a secret store, shared by every process (a random default only when nothing is configured hides the problem)")
            .with_label(Label { path: cx.facts.path.clone(), span: call.span, message: "used as the key here".into() }),
        );
    }
}

/// Reports decodes (in this file) whose key no encode uses.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() {
        return;
    }
    per_process_keys(cx, out);
    if !super::calls(cx).any(|c| c.op == JwtOp::Decode) {
        return;
    }
    let encodes: Vec<_> = super::known_encodes(cx)
        .into_iter()
        .filter(|(_, _, _, a)| super::is_symmetric(a))
        .collect();
    if encodes.is_empty() {
        return;
    }
    for call in super::calls(cx).filter(|c| c.op == JwtOp::Decode) {
        if super::skips_signature(call) || super::is_jwk_key(call) {
            continue;
        }
        let Some(algs) = super::decode_algorithms(cx, cx.file, call) else {
            continue;
        };
        if algs.is_empty() || !algs.iter().all(|a| super::is_symmetric(a)) {
            continue;
        }
        let Some(key) = super::key_of(call).and_then(|k| identity(cx.ws, cx.file, k)) else {
            continue;
        };
        if encodes.iter().any(|(_, _, id, _)| *id == key) {
            continue;
        }
        // Only decodes of the project's own kind of token: an encode signs with one of
        // the algorithms this decode allows (a webhook's HS512 secret is someone else's).
        let Some((ef, ec, eid, _)) = encodes
            .iter()
            .find(|(_, _, _, a)| algs.iter().any(|x| x.eq_ignore_ascii_case(a)))
        else {
            continue;
        };
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.facts.path.clone(),
                call.span,
                format!("decode verifies with {key}, but the project's tokens are signed with {eid}: every token fails with `InvalidSignatureError`"),
            )
            .with_help(format!("verify with the key the tokens are signed with ({eid}), or sign with {key}"))
            .with_label(Label { path: cx.ws.files[*ef].path.clone(), span: ec.span, message: format!("signed with {eid} here") }),
        );
    }
}
