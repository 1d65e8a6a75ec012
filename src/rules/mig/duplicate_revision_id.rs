//! MIG004 duplicate-revision-id: two revision files declare the same id, or an id Alembic
//! cannot store or parse.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "MIG004",
    name: "duplicate-revision-id",
    family: "MIG",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "Two revisions declare the same `revision` id, or an id has `@ - + :` or over 32 characters.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Finds revision ids declared by more than one file of the same Alembic environment
(reported on the `revision =` line of every file involved), and ids Alembic rejects or
cannot store: ids containing `@`, `-`, `+` or `:`, and ids longer than 32 characters.

## Why is this bad?
With a duplicate id Alembic only warns "Revision X is present more than once" and keeps
one of the files: the other migration silently never runs. Ids with `@ - + :` fail with
"Character(s) '-' not allowed in revision identifier"; ids over 32 characters do not fit
the `alembic_version.version_num VARCHAR(32)` column, so `upgrade` fails when it writes
the version (`StringDataRightTruncation` / "value too long").

## How to fix
Give each revision a unique short id (`alembic revision` generates 12 hex digits) and
update the `down_revision` of its children.

## Example
```python
# 003_add_event_tags.py
revision = "003"
# 003_add_ticket_tiers.py
revision = "003"
```
"#;

/// Reports this revision's id when it is duplicated or invalid.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let Some((env, rev)) = super::revision(cx) else { return };
    let Some((id, span)) = &rev.revision else { return };
    if let Some(files) = env.ids.get(id).filter(|f| f.len() > 1) {
        let others: Vec<usize> = files.iter().copied().filter(|f| *f != cx.file).collect();
        let mut d = Diagnostic::new(
            META.code,
            META.severity,
            cx.facts.path.clone(),
            *span,
            format!(
                "revision id `{id}` is declared by {} files: Alembic keeps one of them and the other migration never runs",
                files.len()
            ),
        )
        .with_help(format!(
            "give this revision a unique id and update the `down_revision` of its children (also declared in {})",
            others
                .iter()
                .map(|f| format!("`{}`", super::file_name(cx, *f)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for f in others {
            if let Some((_, s)) = cx.ws.files[f].revision.as_ref().and_then(|r| r.revision.as_ref()) {
                d = d.with_label(Label {
                    path: cx.ws.files[f].path.clone(),
                    span: *s,
                    message: "same revision id".to_string(),
                });
            }
        }
        out.push(d);
    }
    let bad: Vec<char> = id.chars().filter(|c| matches!(c, '@' | '-' | '+' | ':')).collect();
    if !bad.is_empty() {
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.facts.path.clone(),
                *span,
                format!(
                    "revision id `{id}` contains `{}`: Alembic fails with \"Character(s) '{}' not allowed in revision identifier\"",
                    bad[0], bad[0]
                ),
            )
            .with_help(format!(
                "use letters, digits and `_` only, e.g. `{}`, and update the `down_revision` of its children",
                id.replace(['@', '-', '+', ':'], "_")
            )),
        );
    }
    let len = id.chars().count();
    if len > 32 {
        out.push(
            Diagnostic::new(
                META.code,
                META.severity,
                cx.facts.path.clone(),
                *span,
                format!(
                    "revision id `{id}` has {len} characters: it does not fit `alembic_version.version_num VARCHAR(32)`, so `alembic upgrade` fails when it records it"
                ),
            )
            .with_help("use an id of at most 32 characters (e.g. 12 hex digits) and update the `down_revision` of its children"),
        );
    }
}
