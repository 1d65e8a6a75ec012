//! JWT006 refresh-ttl-policy: a refresh-token lifetime that differs from the policy.

use super::ttl::Kind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT006",
    name: "refresh-ttl-policy",
    family: "JWT",
    severity: Severity::Warning,
    default_on: true,
    implemented: true,
    summary: "A refresh-token lifetime that differs from the policy (default 7 days).",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds refresh-token lifetimes that differ from the policy (`[tool.pylint-recover.jwt]
refresh-ttl`, default `7d`), recognised as JWT005 recognises access-token lifetimes but
with `REFRESH` in the name: `REFRESH_TOKEN_EXPIRE_DAYS`, `JWT_REFRESH_TOKEN_EXPIRES`,
`SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]`, ...

Libraries left at their own default are reported where they are set up when the default
differs from the policy: flask-jwt-extended (30 days) on `JWTManager(...)` when
`JWT_REFRESH_TOKEN_EXPIRES` is named nowhere in the project; simplejwt (1 day) on the
`SIMPLE_JWT` assignment when it has no `REFRESH_TOKEN_LIFETIME`.

## Why is this bad?
A refresh token is a long-lived credential: too long and a stolen one keeps minting
access tokens for months; too short and users are logged out (`ExpiredSignatureError`).

## How to fix
Set the lifetime to the policy, or change `jwt.refresh-ttl`.

## Example
```python
JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
```

Use instead:
```python
JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=7)
```

## Options
- `jwt.refresh-ttl` (default `"7d"`).
"#;

/// Reports refresh-token lifetimes off the policy.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    if cx.is_dev_code() {
        return;
    }
    let policy = cx.project.config.jwt.refresh_ttl.unwrap_or(7 * 86400) as f64;
    super::access_ttl_policy::report(cx, out, Kind::Refresh, policy, &META);
    super::access_ttl_policy::library_defaults(cx, out, Kind::Refresh, policy, &META);
}
