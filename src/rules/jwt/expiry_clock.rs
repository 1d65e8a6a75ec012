//! JWT011 expiry-clock: `exp` from a naive local clock, in milliseconds, or as a string.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::JwtOp;
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "JWT011",
    name: "expiry-clock",
    family: "JWT",
    severity: Severity::Warning,
    default_on: true,
    implemented: true,
    summary: "`exp` computed from a naive clock, in milliseconds, or as a string.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds `exp` claims whose value is computed wrongly:
- from `datetime.now()` / `datetime.today()` without a time zone (naive local time);
- as `datetime.utcnow().timestamp()` (a naive UTC time read as local time);
- in milliseconds (`time.time() * 1000`);
- as a string (`.isoformat()`, `str(...)`, `strftime(...)`).

Not reported: aware datetimes (`datetime.now(timezone.utc)`), `datetime.utcnow()` passed
as a datetime (the libraries read naive datetimes as UTC), and `int(time.time()) + n`.

## Why is this bad?
PyJWT, python-jose and authlib convert datetimes with `calendar.timegm(dt.utctimetuple())`,
which reads a naive datetime as UTC: a local-time `exp` is off by the server's UTC
offset, so tokens expire hours early (`ExpiredSignatureError` right after login) or late.
`.timestamp()` on a naive UTC datetime applies the offset the other way. A millisecond
`exp` is about 50,000 years in the future (never expires); a string `exp` makes decode
raise `DecodeError: Expiration Time claim (exp) must be a number`.

## How to fix
Use `datetime.now(timezone.utc) + timedelta(...)` or `int(time.time()) + seconds`.

## Example
```python
"exp": datetime.now() + timedelta(minutes=15)
```

Use instead:
```python
"exp": datetime.now(timezone.utc) + timedelta(minutes=15)
```
"#;

/// What is wrong with an `exp` expression, if anything.
fn fault(text: &str) -> Option<&'static str> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.contains(".isoformat(")
        || t.contains(".strftime(")
        || t.starts_with("str(")
        || t.starts_with("f\"")
        || t.starts_with("f'")
    {
        return Some("`exp` is a string: decode raises `DecodeError` (exp must be a number)");
    }
    if t.contains("*1000") || t.contains("time_ns(") || t.contains("*1_000") {
        return Some("`exp` is in milliseconds: the token effectively never expires");
    }
    if t.contains("utcnow()") && t.contains(".timestamp()") {
        return Some("`exp` from `datetime.utcnow().timestamp()`: a naive UTC time read as local time is off by the server's UTC offset");
    }
    if t.contains("datetime.now()") || t.contains("datetime.today()") || t.starts_with("now()") || t.contains("(now()")
    {
        return Some(
            "`exp` from a naive local clock (`datetime.now()` without a time zone): off by the server's UTC offset",
        );
    }
    None
}

/// Reports `exp` values computed from the wrong clock or unit.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    for call in super::calls(cx).filter(|c| c.op == JwtOp::Encode) {
        let Some((text, span)) = &call.exp else { continue };
        if let Some(message) = fault(text) {
            out.push(
                Diagnostic::new(
                    META.code,
                    META.severity,
                    cx.facts.path.clone(),
                    *span,
                    message.to_string(),
                )
                .with_help("use `datetime.now(timezone.utc) + timedelta(...)` or `int(time.time()) + seconds`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fault;

    #[test]
    fn faults() {
        assert!(fault("int((datetime.utcnow() + timedelta(minutes=15)).timestamp())").is_some());
        assert!(fault("datetime.now() + timedelta(minutes=15)").is_some());
        assert!(fault("int(time.time() * 1000) + 15 * 60 * 1000").is_some());
        assert!(fault("(datetime.now(timezone.utc) + timedelta(days=2)).isoformat()").is_some());
        assert!(fault("datetime.utcnow() + timedelta(days=7)").is_none());
        assert!(fault("now + timedelta(minutes=15) ; datetime.now(timezone.utc)").is_none());
        assert!(fault("int(time.time()) + 24 * 3600").is_none());
        assert!(fault("timezone.now() + timedelta(minutes=5)").is_none());
        assert!(fault("now + LIFETIME ; datetime.now()").is_some());
    }
}
