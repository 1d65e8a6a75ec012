//! JWT005 access-ttl-policy: an access-token lifetime that differs from the policy.

use super::ttl::{human, lifetimes, Kind};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT005",
    name: "access-ttl-policy",
    family: "JWT",
    severity: Severity::Warning,
    default_on: true,
    implemented: true,
    summary: "An access-token lifetime that differs from the policy (default 15 minutes).",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds access-token lifetimes that differ from the policy (`[tool.pylint-recover.jwt]
access-ttl`, default `15m`): longer, shorter (often a unit mistake: minutes written where
the library reads seconds), or `False`/`None` (never expires).

A setting is an access-token lifetime when its name says so: a module constant, settings
field or class attribute whose name holds `ACCESS` and `TOKEN`/`JWT` and a lifetime word
(`EXPIRE`, `LIFETIME`, `TTL`, `MINUTES`, ...) — `ACCESS_TOKEN_EXPIRE_MINUTES`,
`access_token_minutes`, flask-jwt-extended's `JWT_ACCESS_TOKEN_EXPIRES`, simplejwt's
`SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]`. The value comes from `timedelta(...)` (any
units), or a number with the unit in the name (`_MINUTES`, `_HOURS`, `_DAYS`,
`_SECONDS`; flask-jwt-extended reads bare numbers as seconds), arithmetic included
(`60 * 24 * 8`). fastapi-users' `JWTStrategy(lifetime_seconds=...)` is an access-token
lifetime. Libraries left at their own default are reported where they are set up when it
differs from the policy: flask-jwt-extended (15 minutes) on `JWTManager(...)`, simplejwt
(5 minutes) on the `SIMPLE_JWT` assignment without `ACCESS_TOKEN_LIFETIME`.

## Why is this bad?
A long-lived access token keeps working after logout, password change or role removal
for as long as it lives; refresh tokens exist so that access tokens can be short. A too
short one (a unit mistake) logs users out right away: `ExpiredSignatureError`, 401.

## How to fix
Set the lifetime to the policy, or change the policy in the configuration if the
project has decided otherwise.

## Example
```python
JWT_ACCESS_TOKEN_EXPIRES = timedelta(days=8)
```

Use instead:
```python
JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
```

## Options
- `jwt.access-ttl` (default `"15m"`).
"#;

/// Reports access-token lifetimes off the policy.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() {
        return;
    }
    let policy = cx.project.config.jwt.access_ttl.unwrap_or(15 * 60) as f64;
    report(cx, out, Kind::Access, policy, &META);
    library_defaults(cx, out, Kind::Access, policy, &META);
    // fastapi-users: `JWTStrategy(secret=..., lifetime_seconds=...)`.
    for setup in cx.facts.jwt_setups.iter().filter(|s| s.library == "fastapi-users") {
        let Some((value, span)) = &setup.lifetime else { continue };
        let seconds = match crate::project::values::resolve(cx.ws, cx.file, value) {
            crate::facts::Value::Int(n) => Some(n as f64),
            crate::facts::Value::None => None,
            _ => continue,
        };
        if let Some(message) = off_policy("access", seconds, policy, "lifetime_seconds") {
            out.push(
                Diagnostic::new(META.code, META.severity, cx.facts.path.clone(), *span, message)
                    .with_help(format!("set `lifetime_seconds={}`", policy as i64)),
            );
        }
    }
}

fn off_policy(what: &str, seconds: Option<f64>, policy: f64, written: &str) -> Option<String> {
    match seconds {
        None => Some(format!(
            "{what} tokens never expire (`{written}` is off); the policy is {}",
            human(policy)
        )),
        Some(s) if (s - policy).abs() < 0.5 => None,
        Some(s) => Some(format!(
            "{what}-token lifetime is {} (`{written}`); the policy is {}",
            human(s),
            human(policy)
        )),
    }
}

/// Libraries left at their own default lifetime: flask-jwt-extended (access 15 minutes,
/// refresh 30 days) reported on `JWTManager(...)`, simplejwt (access 5 minutes, refresh
/// 1 day) on the `SIMPLE_JWT` assignment.
pub(crate) fn library_defaults(cx: &RuleContext, out: &mut Vec<Diagnostic>, kind: Kind, policy: f64, meta: &RuleMeta) {
    let what = if kind == Kind::Access { "access" } else { "refresh" };
    let pi = cx.ws.file_project[cx.file];
    let named = |key: &str| {
        cx.ws
            .files
            .iter()
            .enumerate()
            .any(|(i, f)| cx.ws.file_project[i] == pi && f.jwt_keys_named.iter().any(|k| k == key))
    };
    let flask_key = if kind == Kind::Access {
        "JWT_ACCESS_TOKEN_EXPIRES"
    } else {
        "JWT_REFRESH_TOKEN_EXPIRES"
    };
    let flask_default = if kind == Kind::Access {
        15.0 * 60.0
    } else {
        30.0 * 86400.0
    };
    for setup in cx.facts.jwt_setups.iter().filter(|s| s.library == "flask-jwt-extended") {
        if named(flask_key) || (flask_default - policy).abs() < 0.5 {
            continue;
        }
        out.push(
            Diagnostic::new(
                meta.code,
                meta.severity,
                cx.facts.path.clone(),
                setup.span,
                format!(
                    "flask-jwt-extended issues {what} tokens for {} by default (`{flask_key}` is not set); the policy is {}",
                    human(flask_default),
                    human(policy)
                ),
            )
            .with_help(format!("set `{flask_key} = timedelta(seconds={})` in the app config", policy as i64)),
        );
    }
    let simple_key = if kind == Kind::Access {
        "ACCESS_TOKEN_LIFETIME"
    } else {
        "REFRESH_TOKEN_LIFETIME"
    };
    let simple_default = if kind == Kind::Access { 5.0 * 60.0 } else { 86400.0 };
    for c in cx.facts.constants.iter().filter(|c| c.name == "SIMPLE_JWT") {
        let crate::facts::Value::Dict(entries) = &c.value else {
            continue;
        };
        if entries.iter().any(|(k, _)| k == simple_key) || (simple_default - policy).abs() < 0.5 {
            continue;
        }
        out.push(
            Diagnostic::new(
                meta.code,
                meta.severity,
                cx.facts.path.clone(),
                c.span,
                format!(
                    "simplejwt issues {what} tokens for {} by default (`{simple_key}` is not set); the policy is {}",
                    human(simple_default),
                    human(policy)
                ),
            )
            .with_help(format!(
                "add `\"{simple_key}\": timedelta(seconds={})` to `SIMPLE_JWT`",
                policy as i64
            )),
        );
    }
}

/// Shared by JWT005 and JWT006.
pub(crate) fn report(cx: &RuleContext, out: &mut Vec<Diagnostic>, kind: Kind, policy: f64, meta: &RuleMeta) {
    let what = if kind == Kind::Access { "access" } else { "refresh" };
    for l in lifetimes(cx, kind) {
        let message = match l.seconds {
            None => format!(
                "{what} tokens never expire (`{}` is off); the policy is {}",
                l.constant.name,
                human(policy)
            ),
            Some(s) if (s - policy).abs() < 0.5 => continue,
            Some(s) => format!(
                "{what}-token lifetime is {} (`{}`); the policy is {}",
                human(s),
                l.constant.name,
                human(policy)
            ),
        };
        out.push(
            Diagnostic::new(
                meta.code,
                meta.severity,
                cx.facts.path.clone(),
                l.constant.span,
                message,
            )
            .with_help(format!(
                "set it to {} (or change `jwt.{what}-ttl` in the configuration if the project's policy differs)",
                human(policy)
            )),
        );
    }
}
