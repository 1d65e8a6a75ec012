//! MIG002 multiple-heads: an Alembic environment with more than one head.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::rules::context::RuleContext;
use crate::rules::RuleMeta;

pub const META: RuleMeta = RuleMeta {
    code: "MIG002",
    name: "multiple-heads",
    family: "MIG",
    severity: Severity::Error,
    default_on: true,
    implemented: true,
    summary: "An Alembic environment has more than one head revision.",
    doc: DOC,
};

const DOC: &str = r#"## What it does
Builds the revision graph of each Alembic environment (from `alembic.ini`,
`[tool.alembic]`, Flask-Migrate's `migrations/`, or a `versions/` folder next to an
`env.py`) and reports every head when there is more than one: two revisions share a
parent and no merge revision joins them. The finding is on the `down_revision` line of
each head, with the other heads as secondary labels.

Deliberate independent branches are not reported: separate bases (each with
`down_revision = None`) that each carry their own `branch_labels`. A revision that is only
named in another revision's `depends_on` still counts as a head, as in Alembic.

## Why is this bad?
`alembic upgrade head` fails with "Multiple head revisions are present for given argument
'head'; please specify a specific target revision, '<branchname>@head' to narrow to a
specific head, or 'heads' for all heads". `alembic revision` and `stamp` fail too
("Multiple heads are present").

## Known problems
Revision metadata is read from literals only; an environment with a non-literal
`revision` or `down_revision` is not judged.

## How to fix
Join the heads with a merge revision: `alembic merge heads -m "merge heads"`, or, when
the branch is not released yet, point the newer revision's `down_revision` at the other
head.

## Example
```python
# versions/9a3d_add_label_format.py
down_revision = "0c6f2b8e4d19"
# versions/e4b8_add_customs.py
down_revision = "0c6f2b8e4d19"   # same parent: two heads
```
"#;

/// Reports this revision when it is one of several heads of its environment.
pub fn check(cx: &RuleContext, out: &mut Vec<Diagnostic>) {
    let Some((env, rev)) = super::revision(cx) else { return };
    if !env.fault_heads.contains(&cx.file) {
        return;
    }
    let Some((id, _)) = &rev.revision else { return };
    // Two files declaring one id are MIG004, not two heads to merge.
    let id_of = |f: usize| {
        cx.ws.files[f]
            .revision
            .as_ref()
            .and_then(|r| r.revision.as_ref())
            .map(|(i, _)| i.clone())
    };
    let duplicated = |i: &String| env.ids.get(i).is_some_and(|files| files.len() > 1);
    if duplicated(id) {
        return;
    }
    let others: Vec<usize> = env
        .fault_heads
        .iter()
        .copied()
        .filter(|f| *f != cx.file && !id_of(*f).is_some_and(|i| duplicated(&i)))
        .collect();
    if others.is_empty() {
        return;
    }
    let mut names = vec![super::file_name(cx, cx.file)];
    names.extend(others.iter().map(|f| super::file_name(cx, *f)));
    let mut d = Diagnostic::new(
        META.code,
        META.severity,
        cx.facts.path.clone(),
        rev.down_revision.span,
        format!(
            "revision `{id}` is one of {} heads of this Alembic environment: `alembic upgrade head` fails with \"Multiple head revisions are present\"",
            others.len() + 1
        ),
    )
    .with_help(format!(
        "join the heads with a merge revision: `alembic merge heads -m \"merge heads\"` (heads: {})",
        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    ));
    for f in others {
        if let Some(r) = &cx.ws.files[f].revision {
            d = d.with_label(Label {
                path: cx.ws.files[f].path.clone(),
                span: r.down_revision.span,
                message: "another head".to_string(),
            });
        }
    }
    out.push(d);
}
