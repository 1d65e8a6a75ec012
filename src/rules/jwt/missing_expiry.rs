//! JWT004 missing-expiry: a token encoded from a payload without `exp`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::JwtOp;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT004",
    name: "missing-expiry",
    family: "JWT",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A token encoded from a payload without `exp`.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds JWT encodes (PyJWT, python-jose, authlib) whose payload is a dict literal — written
in the call or bound to a local that is not changed afterwards — without an `exp` claim.
Payloads built elsewhere, merged with `**`, or changed with `payload["exp"] = ...` /
`.update(...)` are not judged. Test code is not checked.

## Why is this bad?
A token without `exp` never expires: PyJWT and python-jose accept it forever, so a
leaked or logged token stays valid after logout, password change or role removal.

## How to fix
Add `"exp": datetime.now(timezone.utc) + timedelta(minutes=15)` (the lifetime your
policy sets for that kind of token).

## Example
```python
jwt.encode({"sub": user_id}, key, algorithm="HS256")
```

Use instead:
```python
now = datetime.now(timezone.utc)
jwt.encode({"sub": user_id, "iat": now, "exp": now + timedelta(minutes=15)}, key, algorithm="HS256")
```
"#;

/// Reports encodes whose literal payload has no `exp`.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() {
        return;
    }
    for call in super::calls(cx).filter(|c| c.op == JwtOp::Encode) {
        let Some(claims) = &call.claims else { continue };
        if claims.iter().any(|c| c == "exp") {
            continue;
        }
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.facts.path.clone(),
                call.span,
                "token encoded without an `exp` claim: it never expires".to_string(),
            )
            .with_help(
                "add `\"exp\": datetime.now(timezone.utc) + timedelta(...)` with the lifetime of this kind of token",
            ),
        );
    }
}
