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
(`60 * 24 * 8`).

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
