//! Token lifetimes: which constants, settings fields and framework keys set the lifetime
//! of access and refresh tokens, and what the lifetime is in seconds.

use crate::facts::{Constant, Value};
use crate::rules::context::RuleContext;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Access,
    Refresh,
}

/// A lifetime setting found in the file: (span, seconds or `None` for "never expires",
/// how it was written).
pub struct Lifetime<'a> {
    pub constant: &'a Constant,
    pub seconds: Option<f64>,
}

/// Classifies a constant name (`ACCESS_TOKEN_EXPIRE_MINUTES`, `JWT_REFRESH_TOKEN_EXPIRES`,
/// `Settings.access_token_minutes`, `SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]`).
pub fn kind_of(name: &str) -> Option<Kind> {
    let n = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    let about_lifetime = [
        "EXPIRE", "LIFETIME", "TTL", "MINUTES", "SECONDS", "HOURS", "DAYS", "DURATION", "MAX_AGE",
    ]
    .iter()
    .any(|w| n.contains(w));
    if !about_lifetime || !(n.contains("TOKEN") || n.contains("JWT")) {
        return None;
    }
    if n.contains("ACCESS") {
        Some(Kind::Access)
    } else if n.contains("REFRESH") {
        Some(Kind::Refresh)
    } else {
        None
    }
}

/// Seconds per unit named in a constant's name, if any.
fn unit_of(name: &str) -> Option<f64> {
    let n = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    if n.contains("MINUTE") {
        Some(60.0)
    } else if n.contains("HOUR") {
        Some(3600.0)
    } else if n.contains("DAY") {
        Some(86400.0)
    } else if n.contains("WEEK") {
        Some(604800.0)
    } else if n.contains("SECOND") || n.starts_with("JWT_") && n.ends_with("_EXPIRES") {
        // flask-jwt-extended reads integers as seconds.
        Some(1.0)
    } else {
        None
    }
}

/// The lifetimes of the given kind set in this file.
pub fn lifetimes<'a>(cx: &'a RuleContext, kind: Kind) -> Vec<Lifetime<'a>> {
    let mut out = Vec::new();
    for c in &cx.facts.constants {
        // SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(...)} is one constant.
        if let Value::Dict(entries) = &c.value {
            if c.name.ends_with("SIMPLE_JWT") {
                for (k, v) in entries {
                    if kind_of(k) == Some(kind) {
                        if let Some(seconds) = seconds_of(k, v) {
                            out.push(Lifetime { constant: c, seconds });
                        }
                    }
                }
            }
            continue;
        }
        if kind_of(&c.name) != Some(kind) {
            continue;
        }
        if let Some(seconds) = seconds_of(&c.name, &c.value) {
            out.push(Lifetime { constant: c, seconds });
        }
    }
    out
}

/// `Some(Some(s))`: a lifetime of `s` seconds; `Some(None)`: never expires; `None`: unknown.
fn seconds_of(name: &str, v: &Value) -> Option<Option<f64>> {
    match v {
        Value::Duration(s) => Some(Some(*s)),
        Value::Int(i) => unit_of(name).map(|u| Some(*i as f64 * u)),
        Value::Float(f) => unit_of(name).map(|u| Some(f * u)),
        Value::Bool(false) | Value::None
            if name.to_ascii_uppercase().contains("EXPIRE") || name.contains("LIFETIME") =>
        {
            Some(None)
        }
        _ => None,
    }
}

/// `900` → `15 minutes`.
pub fn human(seconds: f64) -> String {
    let s = seconds.round() as i64;
    for (unit, size) in [("day", 86400), ("hour", 3600), ("minute", 60)] {
        if s >= size && s % size == 0 {
            let n = s / size;
            return format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
        }
    }
    format!("{s} second{}", if s == 1 { "" } else { "s" })
}
