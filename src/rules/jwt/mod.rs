//! JWT: tokens that will be rejected (401/403, `DecodeError`) or accepted when they
//! should not be.

pub mod access_ttl_policy;
pub mod algorithm_mismatch;
pub mod bearer_scheme;
pub mod expiry_clock;
pub mod hardcoded_secret;
pub mod key_algorithm_family;
pub mod key_mismatch;
pub mod missing_expiry;
pub mod refresh_ttl_policy;
pub(crate) mod ttl;
pub mod unpinned_algorithms;
pub mod verification_disabled;

use crate::facts::{JwtCall, Value};

/// The `options` dict of a decode, when it is a literal.
pub(crate) fn options(call: &JwtCall) -> Option<&Vec<(String, Value)>> {
    match call.kwarg("options").map(|(_, v, _)| v) {
        Some(Value::Dict(d)) => Some(d),
        _ => None,
    }
}

/// `options={"verify_signature": False}`.
pub(crate) fn skips_signature(call: &JwtCall) -> bool {
    options(call).is_some_and(|o| {
        o.iter()
            .any(|(k, v)| k == "verify_signature" && *v == Value::Bool(false))
    })
}

/// The key is a `PyJWK` (from a `PyJWKClient`): PyJWT takes the algorithm from it.
pub(crate) fn is_jwk_key(call: &JwtCall) -> bool {
    let key = call.kwarg("key").map(|(_, v, _)| v).or(call.args.get(1));
    match key {
        Some(Value::Call(c)) => c.contains("signing_key") || c.contains("PyJWK") || c.contains("jwk"),
        Some(Value::Attribute(base, _)) => base.contains("signing_key") || base.contains("jwk"),
        _ => false,
    }
}

/// The signing/verification key argument of a call.
pub(crate) fn key_of(call: &JwtCall) -> Option<&Value> {
    let pos = if call.library == "authlib" && call.op == crate::facts::JwtOp::Encode {
        2
    } else {
        1
    };
    call.kwarg("key").map(|(_, v, _)| v).or(call.args.get(pos))
}

/// The algorithms a decode allows (resolved), when they are known.
pub(crate) fn decode_algorithms(cx: &crate::rules::RuleContext, file: usize, call: &JwtCall) -> Option<Vec<String>> {
    let v = call.kwarg("algorithms").map(|(_, v, _)| v).or(call.args.get(2))?;
    match crate::project::values::resolve(cx.ws, file, v) {
        Value::List(items) => items
            .iter()
            .map(|i| match crate::project::values::resolve(cx.ws, file, i) {
                Value::Str(s) => Some(s),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The algorithm an encode signs with (resolved): PyJWT's default is HS256.
pub(crate) fn encode_algorithm(cx: &crate::rules::RuleContext, file: usize, call: &JwtCall) -> Option<String> {
    let v = if call.library == "authlib" {
        match call.args.first() {
            Some(Value::Dict(h)) => h.iter().find(|(k, _)| k == "alg").map(|(_, v)| v.clone()),
            _ => None,
        }
    } else {
        call.kwarg("algorithm")
            .map(|(_, v, _)| v.clone())
            .or_else(|| call.args.get(2).cloned())
    };
    match v {
        None if call.library == "pyjwt" => Some("HS256".into()),
        None => None,
        Some(v) => match crate::project::values::resolve(cx.ws, file, &v) {
            Value::Str(s) => Some(s),
            _ => None,
        },
    }
}

pub(crate) fn is_symmetric(alg: &str) -> bool {
    alg.to_ascii_uppercase().starts_with("HS")
}

/// Every JWT call of the project outside development code: (file, call).
pub(crate) fn project_calls<'a>(cx: &'a crate::rules::RuleContext) -> Vec<(usize, &'a JwtCall)> {
    let pi = cx.ws.file_project[cx.file];
    let mut out = Vec::new();
    for (i, f) in cx.ws.files.iter().enumerate() {
        if cx.ws.file_project[i] != pi || f.jwt.is_empty() || cx.project.is_dev_path(&f.path) {
            continue;
        }
        let declared = |n: &str| cx.project.deps.declared.iter().any(|d| d.decl.normalized == n);
        let other_jwt = declared("jwt") && !declared("pyjwt");
        out.extend(
            f.jwt
                .iter()
                .filter(|c| !(other_jwt && c.library == "pyjwt"))
                .map(|c| (i, c)),
        );
    }
    out
}

/// The project's encodes (outside development code) whose key and algorithm are known:
/// (file, call, key identity, algorithm).
pub(crate) fn known_encodes<'a>(cx: &'a crate::rules::RuleContext) -> Vec<(usize, &'a JwtCall, String, String)> {
    project_calls(cx)
        .into_iter()
        .filter(|(_, c)| c.op == crate::facts::JwtOp::Encode)
        .filter_map(|(f, c)| {
            let key = key_of(c).and_then(|k| crate::project::values::identity(cx.ws, f, k))?;
            let alg = encode_algorithm(cx, f, c)?;
            Some((f, c, key, alg))
        })
        .collect()
}

/// The JWT calls of this file that the rules judge: PyJWT calls are left out when the
/// project declares the unrelated `jwt` distribution and not PyJWT (its `jwt.encode` is
/// another API; IMP006 reports the declaration).
pub(crate) fn calls<'a>(cx: &'a crate::rules::RuleContext) -> impl Iterator<Item = &'a JwtCall> + 'a {
    let declared = |n: &str| cx.project.deps.declared.iter().any(|d| d.decl.normalized == n);
    let other_jwt = declared("jwt") && !declared("pyjwt");
    cx.facts
        .jwt
        .iter()
        .filter(move |c| !(other_jwt && c.library == "pyjwt"))
}
