//! JWT: tokens that will be rejected (401/403, `DecodeError`) or accepted when they
//! should not be.

pub mod bearer_scheme;
pub mod expiry_clock;
pub mod missing_expiry;
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
