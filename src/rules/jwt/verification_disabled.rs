//! JWT007 verification-disabled: signature verification switched off, or `none` allowed.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{JwtOp, Value};
use crate::project::values::resolve;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT007",
    name: "verification-disabled",
    family: "JWT",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "Signature verification disabled or the `none` algorithm allowed.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds decodes that do not verify the signature — `options={"verify_signature": False}`,
PyJWT 1's `verify=False`, `algorithms=["none"]` — and encodes with `algorithm="none"` or
`algorithm=None`, outside test code (`dev-paths`).

Not reported: an unverified peek at the claims (to pick the issuer or key) in a function
that then decodes the token with verification, itself or through a project function it
calls, or whose result is named `unverified...`.

## Why is this bad?
Anyone can forge a token: the claims are trusted without a signature check, so the
endpoint accepts any user id or role the caller writes. With `none` tokens carry no
signature at all. (`verify=False` is also silently ignored by PyJWT 2, so code written
for PyJWT 1 changes behaviour on upgrade.)

## How to fix
Decode with the key and `algorithms=[...]`; to read claims before choosing a key, use
`jwt.get_unverified_header(token)` or an unverified peek followed by a verified decode.

## Example
```python
claims = jwt.decode(token, options={"verify_signature": False})
return claims["sub"]
```

Use instead:
```python
claims = jwt.decode(token, settings.jwt_secret, algorithms=["HS256"])
```
"#;

/// Reports disabled verification outside development code.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() {
        return;
    }
    for call in super::calls(cx) {
        let mut report = |span, message: String, help: &str| {
            out.push(
                Diagnostic::new(META.code, META.severity, cx.facts.path.clone(), span, message)
                    .with_help(help.to_string()),
            );
        };
        match call.op {
            JwtOp::Decode => {
                if super::skips_signature(call) {
                    // A peek followed by a verified decode of the token in the same function.
                    let verified_later = super::calls(cx).any(|o| {
                        o.op == JwtOp::Decode
                            && o.function == call.function
                            && o.function.is_some()
                            && !super::skips_signature(o)
                            && o.span.start > call.span.start
                    });
                    // ... or a peek that picks the key (`unverified_claims = ...`), in a
                    // function that hands the token to one that verifies it.
                    let named_unverified = call.assigned_to.as_deref().is_some_and(|n| n.contains("unverified"));
                    let hands_to_verifier = call.function.as_ref().is_some_and(|f| calls_verifier(cx, f));
                    if !verified_later && !named_unverified && !hands_to_verifier {
                        if let Some((_, _, span)) = call.kwarg("options") {
                            report(
                                *span,
                                "decode with `verify_signature: False`: the claims are trusted without checking the signature".into(),
                                "decode with the key and `algorithms=[...]`; peek only to choose the key, then decode verified",
                            );
                        }
                    }
                }
                if let Some((_, Value::Bool(false), span)) = call.kwarg("verify") {
                    report(
                        *span,
                        "`verify=False` disables signature checks in PyJWT 1 (and is ignored by PyJWT 2)".into(),
                        "remove it and decode with the key and `algorithms=[...]`",
                    );
                }
                if let Some((_, v, span)) = call.kwarg("algorithms") {
                    if mentions_none(&resolve(cx.ws, cx.file, v)) {
                        report(
                            *span,
                            "`algorithms` allows `none`: unsigned tokens are accepted".into(),
                            "allow only the algorithms your tokens are signed with, e.g. `algorithms=[\"HS256\"]`",
                        );
                    }
                }
            }
            JwtOp::Encode => {
                if let Some((_, v, span)) = call.kwarg("algorithm") {
                    let v = resolve(cx.ws, cx.file, v);
                    if v == Value::None || matches!(&v, Value::Str(s) if s.eq_ignore_ascii_case("none")) {
                        report(
                            *span,
                            "token encoded with the `none` algorithm: it carries no signature".into(),
                            "sign with a real algorithm, e.g. `algorithm=\"HS256\"` and a secret key",
                        );
                    }
                }
            }
        }
    }
}

/// Whether function `name` of this file calls a project function that verifies tokens.
fn calls_verifier(cx: &RuleContext, name: &str) -> bool {
    let Some(f) = cx.facts.functions.iter().find(|f| f.name == name) else {
        return false;
    };
    let pi = cx.ws.file_project[cx.file];
    f.callees.iter().any(|callee| {
        callee != name
            && cx.ws.files.iter().enumerate().any(|(i, file)| {
                cx.ws.file_project[i] == pi && file.functions.iter().any(|g| &g.name == callee && g.verifies)
            })
    })
}

fn mentions_none(v: &Value) -> bool {
    match v {
        Value::Str(s) => s.eq_ignore_ascii_case("none"),
        Value::List(items) => items.iter().any(mentions_none),
        _ => false,
    }
}
