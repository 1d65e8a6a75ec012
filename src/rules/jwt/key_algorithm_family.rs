//! JWT010 key-algorithm-family: an HMAC algorithm with a PEM key, or RSA/EC with a secret.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::{JwtOp, Value};
use crate::project::values::{identity, resolve};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT010",
    name: "key-algorithm-family",
    family: "JWT",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "A symmetric algorithm with a PEM key, or an asymmetric one with a plain string secret.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds encodes and decodes whose key does not fit the algorithm family: RS*/ES*/PS*/EdDSA
with a plain secret (a literal that is not PEM, or a setting, constant or environment
variable named like a secret: `SECRET_KEY`, `JWT_SECRET`), or HS* with a PEM key (a
literal holding `-----BEGIN`, or a name like `PRIVATE_KEY`/`PUBLIC_KEY`/`PEM`).

## Why is this bad?
PyJWT raises `InvalidKeyError` ("Could not parse the provided public key", or "The
specified key is an asymmetric key or x509 certificate and should not be used as an HMAC
secret"). `InvalidKeyError` is not an `InvalidTokenError`, so the usual
`except InvalidTokenError` lets it escape as a 500.

## How to fix
Use an HMAC algorithm with a secret, or an RSA/EC algorithm with the matching key pair
(private key to sign, public key to verify).

## Example
```python
jwt.decode(token, settings.SECRET_KEY, algorithms=["RS256"])
```
"#;

fn secret_like(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    n.contains("SECRET") && !n.contains("PRIVATE") && !n.contains("PUBLIC") && !n.contains("PEM")
}

fn pem_like(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    n.contains("PRIVATE_KEY") || n.contains("PUBLIC_KEY") || n.contains("PEM") || n.contains("-----BEGIN")
}

/// Reports keys of the wrong family for their algorithm.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for call in super::calls(cx) {
        if super::is_jwk_key(call) || super::skips_signature(call) {
            continue;
        }
        let algs = match call.op {
            JwtOp::Decode => super::decode_algorithms(cx, cx.file, call),
            JwtOp::Encode => super::encode_algorithm(cx, cx.file, call).map(|a| vec![a]),
        };
        let Some(algs) = algs.filter(|a| !a.is_empty() && !a.iter().any(|x| x.eq_ignore_ascii_case("none"))) else {
            continue;
        };
        let Some(key) = super::key_of(call) else { continue };
        let Some(id) = identity(cx.ws, cx.file, key) else {
            continue;
        };
        let literal_pem = matches!(resolve(cx.ws, cx.file, key), Value::Str(s) if s.contains("-----BEGIN"));
        let asymmetric = algs.iter().all(|a| !super::is_symmetric(a));
        let symmetric = algs.iter().all(|a| super::is_symmetric(a));
        let message = if asymmetric && !literal_pem && secret_like(&id) {
            format!(
                "`{}` needs an RSA/EC key, but the key is {id}, a plain secret: PyJWT raises `InvalidKeyError`",
                algs[0]
            )
        } else if symmetric && (literal_pem || pem_like(&id)) {
            format!(
                "`{}` is an HMAC algorithm, but the key is {id}, an asymmetric key: PyJWT raises `InvalidKeyError`",
                algs[0]
            )
        } else {
            continue;
        };
        out.push(
            Diagnostic::new(META.code, META.severity, cx.facts.path.clone(), call.span, message)
                .with_help("pair HS* algorithms with a shared secret, and RS*/ES*/PS* with a private key to sign and its public key to verify"),
        );
    }
}
