//! JWT002 algorithm-mismatch: an encode's algorithm is not allowed by the decodes of its key.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::facts::JwtOp;
use crate::project::values::identity;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT002",
    name: "algorithm-mismatch",
    family: "JWT",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "An encode's algorithm is not among the `algorithms` of the decodes using the same key.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds decodes whose `algorithms` do not include the algorithm that the encodes using the
same key (compared as JWT001 compares keys) sign with — tokens issued with HS256 checked
against `algorithms=["RS256"]`. Reported on the decode, with the encode as a secondary
label. Unknown keys or algorithms are never guessed.

## Why is this bad?
PyJWT rejects every such token with `InvalidAlgorithmError: The specified alg value is
not allowed`: 401/403 on every request.

## How to fix
Allow the algorithm the tokens are signed with (`algorithms=["HS256"]`), or sign with
the one the decode expects (and the matching key type).

## Example
```python
jwt.encode(claims, settings.SECRET_KEY, algorithm="HS256")
jwt.decode(token, settings.SECRET_KEY, algorithms=["RS256"])
```
"#;

/// Reports decodes (in this file) that disallow the algorithm of their key's encodes.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() || !super::calls(cx).any(|c| c.op == JwtOp::Decode) {
        return;
    }
    let encodes = super::known_encodes(cx);
    for call in super::calls(cx).filter(|c| c.op == JwtOp::Decode) {
        if super::skips_signature(call) || super::is_jwk_key(call) {
            continue;
        }
        let Some(algs) = super::decode_algorithms(cx, cx.file, call) else {
            continue;
        };
        let Some(key) = super::key_of(call).and_then(|k| identity(cx.ws, cx.file, k)) else {
            continue;
        };
        let same_key: Vec<_> = encodes.iter().filter(|(_, _, k, _)| *k == key).collect();
        if same_key.is_empty()
            || same_key
                .iter()
                .any(|(_, _, _, a)| algs.iter().any(|x| x.eq_ignore_ascii_case(a)))
        {
            continue;
        }
        let (ef, ec, _, alg) = same_key[0];
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.facts.path.clone(),
                call.span,
                format!(
                    "decode allows {} but the tokens signed with this key use `{alg}`: every token fails with `InvalidAlgorithmError`",
                    algs.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                ),
            )
            .with_help(format!("allow `{alg}` (`algorithms=[\"{alg}\"]`) or sign with an allowed algorithm and its key type"))
            .with_label(Label { path: cx.ws.files[*ef].path.clone(), span: ec.span, message: format!("signed with `{alg}` here") }),
        );
    }
}
