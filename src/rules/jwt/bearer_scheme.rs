//! JWT009 bearer-scheme: `Authorization` sent without `Bearer `, or parsed unchecked.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{AuthHeaderKind, Value};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT009",
    name: "bearer-scheme",
    family: "JWT",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "`Authorization` sent without the `Bearer ` scheme, or parsed with an unchecked `split()[1]`.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds `Authorization` headers that servers will not accept as bearer tokens:
- the token sent bare (`{"Authorization": token}`) or with `Bearer` glued to it
  (`f"Bearer{token}"`);
- a `bytes` token formatted into the header (authlib's `jwt.encode` returns `bytes`,
  so `f"Bearer {token}"` sends `Bearer b'eyJ...'`);
- the header parsed with `.split(" ")[1]` / `.split()[1]` and no check of the scheme or
  the number of parts.

## Why is this bad?
The receiving side (FastAPI's `HTTPBearer`/`OAuth2PasswordBearer`, DRF, Flask
extensions) reads `Bearer <token>`; anything else is a 401/403 on every request.
Parsing with `split()[1]` raises `IndexError` on a header without a space, which becomes
a 500 instead of a 401.

## How to fix
Send `f"Bearer {token}"` with a `str` token (`token.decode()` for `bytes`). Parse with
`scheme, _, token = header.partition(" ")` and check `scheme.lower() == "bearer"` and a
non-empty token.

## Example
```python
client.post(url, headers={"Authorization": token})
token = request.headers["Authorization"].split(" ")[1]
```

Use instead:
```python
client.post(url, headers={"Authorization": f"Bearer {token}"})
scheme, _, token = request.headers.get("Authorization", "").partition(" ")
if scheme.lower() != "bearer" or not token:
    abort(401)
```
"#;

/// The JWT library whose token `value` is, when it evidently is one.
fn token_library(cx: &RuleContext, value: &Value) -> Option<String> {
    match value {
        Value::Call(callee) => {
            let name = callee.rsplit('.').next().unwrap_or(callee);
            if let Some(f) = cx.facts.functions.iter().find(|f| f.name == name) {
                return f.returns_token.clone();
            }
            cx.facts
                .jwt
                .iter()
                .find(|c| c.op == crate::facts::JwtOp::Encode)
                .and_then(|c| (callee.ends_with(".encode") || callee == "encode").then(|| c.library.clone()))
        }
        _ => None,
    }
}

/// Reports bearer headers that will be rejected and unchecked header parsing.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for h in &cx.facts.auth_headers {
        let found = match &h.kind {
            AuthHeaderKind::SplitIndex { guarded: false } => Some((
                "`Authorization` parsed with `split(...)[1]` and no scheme check: a header without a space raises `IndexError` (500 instead of 401)".to_string(),
                "use `scheme, _, token = header.partition(\" \")` and reject unless `scheme.lower() == \"bearer\"` and `token`",
            )),
            AuthHeaderKind::SplitIndex { guarded: true } => None,
            AuthHeaderKind::Sent { scheme: None, token } => token_library(cx, token).map(|_| {
                (
                    "`Authorization` carries the bare token without the `Bearer ` scheme (rejected with 401/403)".to_string(),
                    "send `f\"Bearer {token}\"`",
                )
            }),
            AuthHeaderKind::Sent { scheme: Some(s), token } => {
                let lib = token_library(cx, token);
                if s.trim().eq_ignore_ascii_case("bearer") && !s.ends_with(' ') && lib.is_some() {
                    Some((
                        format!("`Authorization` is `{s}` glued to the token, without the space after the scheme"),
                        "send `f\"Bearer {token}\"` (with a space)",
                    ))
                } else if s.to_ascii_lowercase().starts_with("bearer ") && lib.as_deref() == Some("authlib") {
                    Some((
                        "a `bytes` token (authlib's `jwt.encode` returns bytes) formatted into the header sends `Bearer b'...'`".to_string(),
                        "decode it first: `f\"Bearer {token.decode()}\"`",
                    ))
                } else {
                    None
                }
            }
        };
        if let Some((message, help)) = found {
            out.push(
                Diagnostic::new(META.code, META.severity, cx.facts.path.clone(), h.span, message)
                    .with_help(help.to_string()),
            );
        }
    }
}
